import { BadRequest } from './errors.ts';

export const REST_PREFIX = '/restapi/v1.0';
/** `~` stands for the caller's own account (and extension); the client never acts across accounts. */
export const ACCOUNT_PATH = `${REST_PREFIX}/account/~`;

/**
 * Ids go into URL paths, and some arrive from chat text: only RingCentral's own shapes are let
 * through, so no input can reshape the path (`..`, `/`, `?`).
 */
export function extensionPath(extensionId: string): string {
  if (!/^(~|\d{1,20})$/.test(extensionId)) {
    throw new BadRequest('extensionId must be "~" or a numeric id', { status: 400 });
  }
  return `${ACCOUNT_PATH}/extension/${extensionId}`;
}

export function callQueuePath(groupId: string): string {
  if (!/^\d{1,20}$/.test(groupId)) {
    throw new BadRequest('call queue groupId must be a numeric id', { status: 400 });
  }
  return `${ACCOUNT_PATH}/call-queues/${groupId}`;
}

export function directoryEntryPath(entryId: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(entryId)) {
    throw new BadRequest('directory entryId has an unexpected shape', { status: 400 });
  }
  return `${ACCOUNT_PATH}/directory/entries/${entryId}`;
}

import { extensionPath } from './paths.ts';
import type { CallOptions, UserRequester } from './requester.ts';
import { Presence } from './schemas.ts';

/**
 * GET /restapi/v1.0/account/~/extension/{extensionId}/presence (Light; app permission ReadPresence). An app
 * without ReadPresence gets NotPermitted (403 CMN-401).
 */
export async function readPresence(requester: UserRequester, extensionId = '~', options?: CallOptions): Promise<Presence> {
  return requester.fetch(
    { operation: 'readUserPresenceStatus', method: 'GET', path: `${extensionPath(extensionId)}/presence`, schema: Presence },
    options,
  );
}

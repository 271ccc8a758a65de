import { z } from 'zod';
import type { StoredTokens, TokenStore } from '../api/tokens.ts';

/** Who a chat user is at RingCentral, as read from their own extension right after linking. */
export const LinkIdentity = z.object({
  accountId: z.string().min(1),
  extensionId: z.string().min(1),
  extensionNumber: z.string(),
  name: z.string(),
  email: z.string().optional(),
});
export type LinkIdentity = z.infer<typeof LinkIdentity>;

export const Link = LinkIdentity.extend({
  userKey: z.string(),
  /** Epoch ms of the last saveLink. */
  linkedAt: z.number().int(),
});
export type Link = z.infer<typeof Link>;

const MAX_RESUME_CHARS = 16_384;

/** What the bot needs to answer the command that started the link (Slack response_url, Teams reference …). */
export const PendingLinkResume = z.json().refine((value) => JSON.stringify(value).length <= MAX_RESUME_CHARS, {
  message: 'resume must be small JSON (at most 16 KB)',
});
export type PendingLinkResume = z.infer<typeof PendingLinkResume>;

export const NewPendingLink = z.object({
  userKey: z.string().min(1),
  codeVerifier: z.string().min(1),
  redirectUri: z.string().min(1),
  resume: PendingLinkResume,
});
export type NewPendingLink = z.infer<typeof NewPendingLink>;

export const PendingLink = NewPendingLink.extend({
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
});
export type PendingLink = z.infer<typeof PendingLink>;

export type ConsumePendingLinkOptions = {
  /** When given, a state issued to another user is refused (InvalidState) and left usable for its owner. */
  userKey?: string;
};

/**
 * Links and tokens of chat users, and OAuth links in progress. Implemented on SQLite and on PostgreSQL;
 * test/store runs the same suite against both.
 *
 * The TokenStore half is what the RingCentral client uses. Its `delete` removes the whole link (tokens without a
 * link are useless, a link without tokens would claim a login that no longer works) and takes no lock, because the
 * client may call it from inside withRefreshLock.
 */
export interface LinkStore extends TokenStore {
  /** Stores identity and tokens together (re-linking replaces both); tokens are encrypted with the current key. */
  saveLink(userKey: string, identity: LinkIdentity, tokens: StoredTokens): Promise<void>;
  getLink(userKey: string): Promise<Link | undefined>;
  /**
   * Removes identity and tokens. Waits for a refresh in progress for this user, so that refresh cannot write the
   * tokens back after the user unlinked. Resolves true when there was something to remove.
   */
  deleteLink(userKey: string): Promise<boolean>;

  /** Returns the opaque, signed OAuth `state`; it expires (10 minutes by default) and works once. */
  createPendingLink(pending: NewPendingLink): Promise<string>;
  /** Throws InvalidState, ExpiredState or UsedState; exactly one of any concurrent callers succeeds. */
  consumePendingLink(state: string, options?: ConsumePendingLinkOptions): Promise<PendingLink>;

  /** One cheap round trip to the database, for readiness checks; throws DatabaseUnavailable when it cannot answer. */
  ping(): Promise<void>;

  close(): Promise<void>;
}

export type LinkStoreOptions = {
  /** Epoch ms; injectable so tests can move time. */
  now?: () => number;
  pendingLinkTtlMs?: number;
  /** Signs OAuth states; by default a subkey of the encryption keys. */
  stateSecret?: string;
};

export const DEFAULT_PENDING_LINK_TTL_MS = 10 * 60 * 1000;

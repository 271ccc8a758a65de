import { z } from 'zod';
import { StoredTokens, type TokenStore } from '../api/tokens.ts';
import type { SlackInstallationStore } from './slack-installation-store.ts';

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

/**
 * The chat account that started a link, as its platform showed it then: the email is compared with the RingCentral
 * login's, the rest names the account on the sign-in page and writes the `confirm` command as that platform does.
 */
export const ChatAccount = z.object({
  /** "Slack", "Teams". */
  platform: z.string().min(1),
  /** How commands are written there: `/switchboard confirm` (slash) or `confirm` (plain). */
  commandStyle: z.enum(['slash', 'plain']),
  email: z.string().optional(),
  displayName: z.string().optional(),
});
export type ChatAccount = z.infer<typeof ChatAccount>;

export const NewPendingLink = z.object({
  userKey: z.string().min(1),
  codeVerifier: z.string().min(1),
  redirectUri: z.string().min(1),
  resume: PendingLinkResume,
  /** Absent in links started before identity binding; such a link is treated as one whose chat email is unknown. */
  chatAccount: ChatAccount.optional(),
});
export type NewPendingLink = z.infer<typeof NewPendingLink>;

export const PendingLink = NewPendingLink.extend({
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
});
export type PendingLink = z.infer<typeof PendingLink>;

/**
 * A sign-in whose RingCentral login may not be the chat user's own (the emails differ or the chat email is unknown):
 * held until that chat user types the one-time code the sign-in page showed. Its tokens are never used for a command.
 */
export const NewUnconfirmedLink = z.object({
  userKey: z.string().min(1),
  identity: LinkIdentity,
  tokens: StoredTokens,
  resume: PendingLinkResume,
  chatAccount: ChatAccount.optional(),
});
export type NewUnconfirmedLink = z.infer<typeof NewUnconfirmedLink>;

export type UnconfirmedLink = NewUnconfirmedLink & { createdAt: number; expiresAt: number };

export type HeldLink = {
  /** Six digits, shown once on the sign-in page; only a keyed hash of it is stored. */
  code: string;
  expiresAt: number;
  /** The tokens of an earlier unconfirmed link of the same chat user that this one replaced, to revoke. */
  replaced?: StoredTokens;
};

/**
 * - confirmed: the code was right; the unconfirmed link is gone from the store and handed back, to be saved as the link
 * - wrong-code: the code was wrong; `triesLeft` more tries before the unconfirmed link ends
 * - ended: it expired, or this was the last wrong try; it is gone, and its tokens (when readable) are handed back to revoke
 * - none: this chat user has no unconfirmed link
 */
export type ConfirmLinkResult =
  | { outcome: 'confirmed'; link: UnconfirmedLink }
  | { outcome: 'wrong-code'; triesLeft: number }
  | { outcome: 'ended'; reason: 'expired' | 'too-many-tries'; tokens?: StoredTokens }
  | { outcome: 'none' };

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
  /** The chat users whose key starts with `prefix` ("slack:T0001:") and who hold a link or tokens. */
  userKeysStartingWith(prefix: string): Promise<string[]>;

  /** Returns the opaque, signed OAuth `state`; it expires (10 minutes by default) and works once. */
  createPendingLink(pending: NewPendingLink): Promise<string>;
  /** Throws InvalidState, ExpiredState or UsedState; exactly one of any concurrent callers succeeds. */
  consumePendingLink(state: string, options?: ConsumePendingLinkOptions): Promise<PendingLink>;

  /**
   * Stores an unconfirmed link (tokens sealed) under a fresh one-time code, replacing any earlier one of the same chat
   * user. Valid for 10 minutes by default; 5 wrong tries end it.
   */
  holdUnconfirmedLink(link: NewUnconfirmedLink): Promise<HeldLink>;
  /** Checks `code` for this chat user's unconfirmed link, in constant time; every try counts, a right one included. */
  confirmLink(userKey: string, code: string): Promise<ConfirmLinkResult>;
  /** Removes every unconfirmed link whose code has expired; returns their readable tokens, to revoke. */
  takeExpiredUnconfirmedLinks(): Promise<StoredTokens[]>;

  /** Slack's "Add to Slack" installations (install mode), in the same database. */
  readonly slackInstallations: SlackInstallationStore;

  /** One cheap round trip to the database, for readiness checks; throws DatabaseUnavailable when it cannot answer. */
  ping(): Promise<void>;

  close(): Promise<void>;
}

export type LinkStoreOptions = {
  /** Epoch ms; injectable so tests can move time. */
  now?: () => number;
  pendingLinkTtlMs?: number;
  /** How long a confirmation code works (10 minutes by default). */
  confirmationTtlMs?: number;
  /** Signs OAuth states; by default a subkey of the encryption keys. */
  stateSecret?: string;
};

export const DEFAULT_PENDING_LINK_TTL_MS = 10 * 60 * 1000;

export const DEFAULT_CONFIRMATION_TTL_MS = 10 * 60 * 1000;
/** Wrong codes an unconfirmed link survives: the fifth wrong one ends it. */
export const CONFIRMATION_MAX_TRIES = 5;

import type { z } from 'zod';
import { StoredTokens } from '../api/tokens.ts';
import { CorruptCiphertext, UnknownEncryptionKey } from './errors.ts';
import type { KeyRing } from './key-ring.ts';
import { NewPendingLink } from './link-store.ts';
import { open, seal } from './sealed-box.ts';

// What every LinkStore encrypts, and how, so that SQLite and PostgreSQL rows hold the same ciphertext.

export type SealedTokens = { keyId: string; sealed: string };

export const PendingSecret = NewPendingLink.pick({ codeVerifier: true, resume: true, chatAccount: true });
export type PendingSecret = z.infer<typeof PendingSecret>;

/** Validates and encrypts with the current key; `keyId` gets its own column so start-up can find unreadable rows. */
export function sealTokens(keyRing: KeyRing, userKey: string, tokens: StoredTokens): SealedTokens {
  const sealed = seal(keyRing, JSON.stringify(StoredTokens.parse(tokens)), tokensContext(userKey));
  return { keyId: keyRing.current.id, sealed };
}

export function openTokens(keyRing: KeyRing, userKey: string, sealed: string): StoredTokens {
  const parsed = StoredTokens.safeParse(parseJson(open(keyRing, sealed, tokensContext(userKey))));
  if (!parsed.success) throw new CorruptCiphertext('decrypted tokens do not match the StoredTokens schema');
  return parsed.data;
}

/**
 * The PKCE code verifier, the resume data (a Slack response_url is a credential too) and the chat account (its email)
 * of one pending link.
 */
export function sealPendingSecret(keyRing: KeyRing, pendingLinkId: string, secret: PendingSecret): string {
  return seal(keyRing, JSON.stringify(secret), pendingContext(pendingLinkId));
}

export function openPendingSecret(keyRing: KeyRing, pendingLinkId: string, sealed: string): PendingSecret {
  return PendingSecret.parse(parseJson(open(keyRing, sealed, pendingContext(pendingLinkId))));
}

/**
 * Throws UnknownEncryptionKey when stored tokens need a key the ring lacks: fail at start, not at first use.
 * `tokenCounts` holds how many token rows each key id sealed.
 */
export function assertKeysCoverStoredTokens(keyRing: KeyRing, tokenCounts: readonly { keyId: string; count: number }[]): void {
  const missing = tokenCounts.filter(({ keyId }) => keyRing.find(keyId) === undefined);
  if (missing.length === 0) return;
  const users = missing.reduce((sum, { count }) => sum + count, 0);
  throw new UnknownEncryptionKey(
    missing.map(({ keyId }) => keyId),
    ` (tokens of ${users} linked user(s))`,
  );
}

/** Associated data binds each ciphertext to its row: tokens copied to another user's row do not decrypt. */
function tokensContext(userKey: string): string {
  return `link_tokens:${userKey}`;
}

function pendingContext(id: string): string {
  return `pending_links:${id}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CorruptCiphertext('decrypted value is not JSON');
  }
}

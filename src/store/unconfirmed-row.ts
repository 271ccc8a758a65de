import { randomBytes } from 'node:crypto';
import type { StoredTokens } from '../api/tokens.ts';
import { confirmationCodeMatches, hashConfirmationCode, newConfirmationCode } from './confirmation-code.ts';
import type { KeyRing } from './key-ring.ts';
import { CONFIRMATION_MAX_TRIES, NewUnconfirmedLink, type ConfirmLinkResult, type UnconfirmedLink } from './link-store.ts';
import { open, seal } from './sealed-box.ts';
import { CorruptCiphertext } from './errors.ts';

/** A row of the `unconfirmed_links` table; both databases use these column names. */
export type UnconfirmedRow = {
  user_key: string;
  id: string;
  code_hash: string;
  tries: number;
  key_id: string;
  /** Identity, tokens, resume data and chat account, sealed: none is readable from a database dump. */
  sealed: string;
  created_at: number;
  expires_at: number;
};

const UnconfirmedSecret = NewUnconfirmedLink.omit({ userKey: true });

/** The row an unconfirmed link is stored as, under a fresh id and code; the code is returned, never stored. */
export function newUnconfirmedRow(
  keyRing: KeyRing,
  link: NewUnconfirmedLink,
  createdAt: number,
  ttlMs: number,
): { row: UnconfirmedRow; code: string } {
  const { userKey, ...secret } = NewUnconfirmedLink.parse(link);
  const id = randomBytes(18).toString('base64url');
  const code = newConfirmationCode();
  return {
    code,
    row: {
      user_key: userKey,
      id,
      code_hash: hashConfirmationCode(keyRing, id, code),
      tries: 0,
      key_id: keyRing.current.id,
      sealed: seal(keyRing, JSON.stringify(secret), context(userKey, id)),
      created_at: createdAt,
      expires_at: createdAt + ttlMs,
    },
  };
}

export function unconfirmedLinkFromRow(keyRing: KeyRing, row: UnconfirmedRow): UnconfirmedLink {
  const parsed = UnconfirmedSecret.safeParse(parseJson(open(keyRing, row.sealed, context(row.user_key, row.id))));
  if (!parsed.success) throw new CorruptCiphertext('decrypted unconfirmed link does not match its schema');
  return { userKey: row.user_key, ...parsed.data, createdAt: Number(row.created_at), expiresAt: Number(row.expires_at) };
}

/** The tokens of a row being thrown away, to revoke; undefined when they cannot be read (a key gone, a bad row). */
export function tokensOfDiscardedRow(keyRing: KeyRing, row: UnconfirmedRow): StoredTokens | undefined {
  try {
    return unconfirmedLinkFromRow(keyRing, row).tokens;
  } catch {
    return undefined;
  }
}

/** Associated data binds the ciphertext to its chat user and row: moved to another row it does not open. */
function context(userKey: string, id: string): string {
  return `unconfirmed_links:${userKey}:${id}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CorruptCiphertext('decrypted value is not JSON');
  }
}

/** The two single-statement steps confirmLink needs from a database. */
export interface UnconfirmedRowSteps {
  /** Adds one try to the chat user's row and returns it as updated (undefined: no row). */
  countTry(userKey: string): Promise<UnconfirmedRow | undefined>;
  /** Removes that exact row (user and id) and returns it; undefined when another caller took it first. */
  take(userKey: string, id: string): Promise<UnconfirmedRow | undefined>;
}

/**
 * confirmLink on either database. The try is counted before the code is compared, in one statement, so concurrent
 * guesses cannot get more than CONFIRMATION_MAX_TRIES comparisons between them; the row is then taken by a delete
 * that only one caller can win.
 */
export async function confirmWithSteps(
  keyRing: KeyRing,
  steps: UnconfirmedRowSteps,
  userKey: string,
  code: string,
  now: number,
): Promise<ConfirmLinkResult> {
  const row = await steps.countTry(userKey);
  if (row === undefined) return { outcome: 'none' };
  const end = async (reason: 'expired' | 'too-many-tries'): Promise<ConfirmLinkResult> => {
    const taken = await steps.take(userKey, row.id);
    if (taken === undefined) return { outcome: 'none' };
    const tokens = tokensOfDiscardedRow(keyRing, taken);
    return { outcome: 'ended', reason, ...(tokens === undefined ? {} : { tokens }) };
  };
  if (now >= row.expires_at) return end('expired');
  if (row.tries > CONFIRMATION_MAX_TRIES) return end('too-many-tries');
  if (confirmationCodeMatches(keyRing, row.id, code, row.code_hash)) {
    const taken = await steps.take(userKey, row.id);
    return taken === undefined ? { outcome: 'none' } : { outcome: 'confirmed', link: unconfirmedLinkFromRow(keyRing, taken) };
  }
  if (row.tries >= CONFIRMATION_MAX_TRIES) return end('too-many-tries');
  return { outcome: 'wrong-code', triesLeft: CONFIRMATION_MAX_TRIES - row.tries };
}

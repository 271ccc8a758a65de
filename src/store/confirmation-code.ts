import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { KeyRing } from './key-ring.ts';

// A confirmation code is six digits: short enough to type, and with five tries per code a guesser wins one time in
// 200,000. Only an HMAC of it (keyed by a subkey of the token key, bound to the row) is stored, so a database dump
// cannot be turned back into a working code without the key.
const SUBKEY_PURPOSE = 'link-confirmation-code/hmac-sha256';
const CODE = /^\d{6}$/;

/** Six digits from the CSPRNG, leading zeros kept. */
export function newConfirmationCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

export function isConfirmationCodeShape(text: string): boolean {
  return CODE.test(text);
}

/** The stored form of a code: bound to its row's id, so a hash copied to another row matches nothing. */
export function hashConfirmationCode(keyRing: KeyRing, rowId: string, code: string): string {
  return digest(keyRing.current.subkey(SUBKEY_PURPOSE), rowId, code);
}

/** Compares against the hash under every readable key (no early exit), so a key rotation does not void open codes. */
export function confirmationCodeMatches(keyRing: KeyRing, rowId: string, code: string, storedHash: string): boolean {
  const stored = Buffer.from(storedHash, 'utf8');
  let matches = false;
  for (const key of keyRing.keys) {
    const candidate = Buffer.from(digest(key.subkey(SUBKEY_PURPOSE), rowId, code), 'utf8');
    matches = (candidate.length === stored.length && timingSafeEqual(candidate, stored)) || matches;
  }
  return matches;
}

function digest(secret: Buffer, rowId: string, code: string): string {
  return createHmac('sha256', secret).update(`unconfirmed-link:${rowId}:${code}`).digest('base64url');
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidState } from './errors.ts';
import type { KeyRing } from './key-ring.ts';

// state = "<pending link id>.<expiry, epoch ms base 36>.<HMAC-SHA256 of both, base64url>".
// The expiry is signed into the state so an expired state is told apart from a used one even after its row is gone.
const STATE = /^([A-Za-z0-9_-]{24})\.([0-9a-z]{1,11})\.([A-Za-z0-9_-]{43})$/;
const SUBKEY_PURPOSE = 'pending-link-state/hmac-sha256';

/** Secrets that sign and verify states: the first signs, all verify (so a key rotation does not break open links). */
export type StateSecrets = readonly [Buffer, ...Buffer[]];

export function stateSecretsFrom(keyRing: KeyRing, separateSecret?: string): StateSecrets {
  if (separateSecret !== undefined) return [Buffer.from(separateSecret, 'utf8')];
  const [, ...old] = keyRing.keys;
  return [keyRing.current.subkey(SUBKEY_PURPOSE), ...old.map((key) => key.subkey(SUBKEY_PURPOSE))];
}

export function newPendingLinkId(): string {
  return randomBytes(18).toString('base64url');
}

export function signState(secrets: StateSecrets, id: string, expiresAt: number): string {
  const body = `${id}.${expiresAt.toString(36)}`;
  return `${body}.${signature(secrets[0], body)}`;
}

/** Checks the signature in constant time; throws InvalidState. Says nothing about expiry or use. */
export function verifyState(secrets: StateSecrets, state: string): { id: string; expiresAt: number } {
  const match = STATE.exec(state);
  if (match === null) throw new InvalidState('malformed');
  const [, id = '', expiry = '', given = ''] = match;
  const body = `${id}.${expiry}`;
  const givenBytes = Buffer.from(given, 'utf8');
  // Compare every secret (no early exit) so timing does not reveal which one matched.
  let valid = false;
  for (const secret of secrets) {
    valid = timingSafeEqual(Buffer.from(signature(secret, body), 'utf8'), givenBytes) || valid;
  }
  if (!valid) throw new InvalidState('bad signature');
  return { id, expiresAt: parseInt(expiry, 36) };
}

function signature(secret: Buffer, body: string): string {
  return createHmac('sha256', secret).update(`pending-link:${body}`).digest('base64url');
}

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CorruptCiphertext, UnknownEncryptionKey } from './errors.ts';
import type { KeyRing } from './key-ring.ts';

// Text form: "v1.<key id>.<base64url(iv ‖ ciphertext ‖ tag)>". Text rather than a blob so the same column type
// works in SQLite and PostgreSQL and an operator can see which key a row needs.
const VERSION = 'v1';
const SUBKEY_PURPOSE = 'token-encryption/aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED = /^v1\.([0-9a-f]{8})\.([A-Za-z0-9_-]+)$/;

/**
 * Encrypts with the ring's current key. `associatedData` (e.g. "tokens:<userKey>") is authenticated but not
 * stored: a value copied to another user's row fails to open.
 */
export function seal(keyRing: KeyRing, plaintext: string, associatedData: string): string {
  const key = keyRing.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.subkey(SUBKEY_PURPOSE), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const payload = Buffer.concat([iv, body, cipher.getAuthTag()]);
  return `${VERSION}.${key.id}.${payload.toString('base64url')}`;
}

/** The id of the key a sealed value needs; throws CorruptCiphertext when the value is not in the sealed form. */
export function sealedKeyId(sealed: string): string {
  return parseSealed(sealed).keyId;
}

export function open(keyRing: KeyRing, sealed: string, associatedData: string): string {
  const { keyId, payload } = parseSealed(sealed);
  const key = keyRing.find(keyId);
  if (key === undefined) throw new UnknownEncryptionKey([keyId]);
  const iv = payload.subarray(0, IV_BYTES);
  const tag = payload.subarray(payload.length - TAG_BYTES);
  const body = payload.subarray(IV_BYTES, payload.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key.subkey(SUBKEY_PURPOSE), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(tag);
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new CorruptCiphertext('authentication failed');
  }
  return plaintext.toString('utf8');
}

function parseSealed(sealed: string): { keyId: string; payload: Buffer } {
  const match = SEALED.exec(sealed);
  if (match === null) throw new CorruptCiphertext('not in the v1 sealed format');
  const [, keyId = '', encoded = ''] = match;
  const payload = Buffer.from(encoded, 'base64url');
  // Non-canonical base64url (stray low bits in the last character) would decode to the same bytes, hiding an edit.
  if (payload.toString('base64url') !== encoded) throw new CorruptCiphertext('payload is not canonical base64url');
  if (payload.length < IV_BYTES + TAG_BYTES) throw new CorruptCiphertext('payload is truncated');
  return { keyId, payload };
}

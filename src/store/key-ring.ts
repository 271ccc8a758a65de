import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { InvalidSetting } from './errors.ts';

export const CURRENT_KEY_SETTING = 'TOKEN_ENCRYPTION_KEY';
export const OLD_KEYS_SETTING = 'TOKEN_ENCRYPTION_KEYS_OLD';

const KEY_BYTES = 32;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/]{43}=?$/;
const BASE64URL_KEY = /^[A-Za-z0-9_-]{43}=?$/;

/**
 * One 256-bit key. The raw bytes never leave this class: callers get purpose-bound subkeys (HKDF), so the
 * token cipher and the state signer never share key material, and printing a key shows only its id.
 */
export class EncryptionKey {
  /** First 8 hex chars of sha256(key): stored next to ciphertext to pick the right key. Reveals nothing useful. */
  readonly id: string;
  readonly #bytes: Buffer;
  readonly #subkeys = new Map<string, Buffer>();

  constructor(bytes: Uint8Array) {
    if (bytes.length !== KEY_BYTES) throw new RangeError(`an encryption key must be ${KEY_BYTES} bytes`);
    this.#bytes = Buffer.from(bytes);
    this.id = createHash('sha256').update(this.#bytes).digest('hex').slice(0, 8);
  }

  subkey(purpose: string): Buffer {
    let subkey = this.#subkeys.get(purpose);
    if (subkey === undefined) {
      subkey = Buffer.from(hkdfSync('sha256', this.#bytes, Buffer.alloc(0), `switchboard/${purpose}`, KEY_BYTES));
      this.#subkeys.set(purpose, subkey);
    }
    return subkey;
  }

  toJSON(): string {
    return `EncryptionKey(${this.id})`;
  }

  [inspect.custom](): string {
    return this.toJSON();
  }
}

/** The current key (used for every write) plus old keys that stay readable until their data is rewritten. */
export class KeyRing {
  readonly current: EncryptionKey;
  readonly #byId: ReadonlyMap<string, EncryptionKey>;

  constructor(current: EncryptionKey, old: readonly EncryptionKey[] = []) {
    this.current = current;
    this.#byId = new Map([...old, current].map((key) => [key.id, key]));
  }

  find(keyId: string): EncryptionKey | undefined {
    return this.#byId.get(keyId);
  }

  /** Current key first. */
  get keys(): EncryptionKey[] {
    return [this.current, ...[...this.#byId.values()].filter((key) => key !== this.current)];
  }

  get ids(): string[] {
    return this.keys.map((key) => key.id);
  }

  [inspect.custom](): string {
    return `KeyRing(current ${this.current.id}, readable ${this.ids.join(', ')})`;
  }
}

/** Accepts exactly 32 bytes written as 64 hex chars or as base64 / base64url; `setting` names the source in errors. */
export function parseEncryptionKey(text: string, setting: string): EncryptionKey {
  const value = text.trim();
  if (HEX_KEY.test(value)) return new EncryptionKey(Buffer.from(value, 'hex'));
  const encoding = BASE64_KEY.test(value) ? 'base64' : BASE64URL_KEY.test(value) ? 'base64url' : undefined;
  if (encoding !== undefined) {
    const bytes = Buffer.from(value, encoding);
    // Node's decoder ignores stray bits in the last character; insisting on the canonical form means one key has
    // exactly one spelling.
    if (bytes.length === KEY_BYTES && bytes.toString(encoding).replace(/=+$/, '') === value.replace(/=+$/, '')) {
      return new EncryptionKey(bytes);
    }
  }
  throw new InvalidSetting(
    setting,
    `must be a 32-byte key written as 64 hex characters or base64 (got ${value.length} characters); ` +
      `generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`,
  );
}

/**
 * Builds the key ring from the two settings. A missing current key fails: starting without it would make every
 * stored link unreadable.
 */
export function keyRingFromSettings(settings: { current: string | undefined; old?: string | undefined }): KeyRing {
  if (settings.current === undefined || settings.current.trim() === '') {
    throw new InvalidSetting(CURRENT_KEY_SETTING, 'is required (a 32-byte key as 64 hex characters or base64)');
  }
  const current = parseEncryptionKey(settings.current, CURRENT_KEY_SETTING);
  const old = (settings.old ?? '')
    .split(/[\s,]+/)
    .filter((entry) => entry !== '')
    .map((entry, index) => parseEncryptionKey(entry, `${OLD_KEYS_SETTING} (entry ${index + 1})`));
  return new KeyRing(current, old);
}

/** A fresh random key in base64, for the demo and for operators setting up TOKEN_ENCRYPTION_KEY. */
export function generateEncryptionKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

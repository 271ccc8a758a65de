import { createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InvalidSetting } from '../../src/store/errors.ts';
import { EncryptionKey, generateEncryptionKey, keyRingFromSettings, parseEncryptionKey } from '../../src/store/key-ring.ts';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return 'returned';
}

describe('encryption keys', () => {
  const bytes = randomBytes(32);

  it('accepts 32 bytes as 64 hex characters, base64 or base64url, all naming the same key', () => {
    const ids = [
      parseEncryptionKey(bytes.toString('hex'), 'K').id,
      parseEncryptionKey(bytes.toString('hex').toUpperCase(), 'K').id,
      parseEncryptionKey(bytes.toString('base64'), 'K').id,
      parseEncryptionKey(bytes.toString('base64').replace(/=$/, ''), 'K').id,
      parseEncryptionKey(bytes.toString('base64url'), 'K').id,
      parseEncryptionKey(`  ${bytes.toString('hex')}\n`, 'K').id,
    ];
    expect(new Set(ids)).toEqual(new Set([new EncryptionKey(bytes).id]));
  });

  it('a key id is the first 8 hex characters of sha256(key)', () => {
    expect(new EncryptionKey(bytes).id).toBe(createHash('sha256').update(bytes).digest('hex').slice(0, 8));
  });

  it.each([
    ['too short hex', randomBytes(16).toString('hex')],
    ['too long hex', randomBytes(33).toString('hex')],
    ['16-byte base64', randomBytes(16).toString('base64')],
    ['48-byte base64', randomBytes(48).toString('base64')],
    ['a passphrase', 'correct horse battery staple'],
    ['non-canonical base64', `${randomBytes(32).toString('base64').slice(0, 42)}B=`],
  ])('rejects %s with a message naming the setting and not echoing the value', (_label, value) => {
    const error = thrownBy(() => parseEncryptionKey(value, 'TOKEN_ENCRYPTION_KEY'));
    expect(error).toBeInstanceOf(InvalidSetting);
    expect((error as InvalidSetting).setting).toBe('TOKEN_ENCRYPTION_KEY');
    expect((error as Error).message).toMatch(/^TOKEN_ENCRYPTION_KEY /);
    expect((error as Error).message).not.toContain(value);
  });

  it('printing a key shows its id, never its bytes', () => {
    const key = new EncryptionKey(bytes);
    const ring = keyRingFromSettings({ current: bytes.toString('hex') });
    const printed = [inspect(key), JSON.stringify({ key }), inspect(ring)];
    for (const text of printed) {
      expect(text).toContain(key.id);
      expect(text).not.toContain(bytes.toString('hex'));
      expect(text).not.toContain(bytes.toString('base64').slice(0, 20));
    }
  });

  it('different purposes get different subkeys', () => {
    const key = new EncryptionKey(bytes);
    expect(key.subkey('a').equals(key.subkey('b'))).toBe(false);
    expect(key.subkey('a').equals(bytes)).toBe(false);
    expect(key.subkey('a')).toHaveLength(32);
  });

  it('generated keys are accepted', () => {
    expect(parseEncryptionKey(generateEncryptionKey(), 'TOKEN_ENCRYPTION_KEY').id).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('key ring from settings', () => {
  const current = randomBytes(32);
  const old1 = randomBytes(32);
  const old2 = randomBytes(32);

  it('a missing current key fails, naming TOKEN_ENCRYPTION_KEY', () => {
    for (const value of [undefined, '', '   ']) {
      const error = thrownBy(() => keyRingFromSettings({ current: value, old: old1.toString('hex') }));
      expect(error).toBeInstanceOf(InvalidSetting);
      expect((error as InvalidSetting).setting).toBe('TOKEN_ENCRYPTION_KEY');
    }
  });

  it('old keys are comma or space separated, each readable, the current key first', () => {
    const ring = keyRingFromSettings({
      current: current.toString('base64'),
      old: ` ${old1.toString('hex')}, ${old2.toString('base64')} `,
    });
    const ids = [current, old1, old2].map((bytes) => new EncryptionKey(bytes).id);
    expect(ring.current.id).toBe(ids[0]);
    expect(ring.ids).toEqual(ids);
    for (const id of ids) expect(ring.find(id)?.id).toBe(id);
    expect(ring.find('00000000')).toBeUndefined();
  });

  it('a bad old key fails, naming TOKEN_ENCRYPTION_KEYS_OLD and its position', () => {
    const error = thrownBy(() => keyRingFromSettings({ current: current.toString('hex'), old: `${old1.toString('hex')},not-a-key` }));
    expect(error).toBeInstanceOf(InvalidSetting);
    expect((error as Error).message).toMatch(/^TOKEN_ENCRYPTION_KEYS_OLD \(entry 2\) /);
  });

  it('the current key repeated among the old keys is listed once', () => {
    const ring = keyRingFromSettings({ current: current.toString('hex'), old: current.toString('base64') });
    expect(ring.ids).toEqual([new EncryptionKey(current).id]);
  });
});

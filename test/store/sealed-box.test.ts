import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorruptCiphertext, StoreError, UnknownEncryptionKey } from '../../src/store/errors.ts';
import { open, seal, sealedKeyId } from '../../src/store/sealed-box.ts';
import { keyRingOf, randomKey } from './store-fixtures.ts';

const keyRing = keyRingOf(randomKey(), randomKey());
const CONTEXT = 'link_tokens:slack:T0001:U0101';

/** Runs `fn`; returns what it threw (or a marker when it returned), for asserting inside properties. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return 'returned';
}

describe('sealed box (AES-256-GCM)', () => {
  it('round-trips any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (plaintext) => {
        expect(open(keyRing, seal(keyRing, plaintext, CONTEXT), CONTEXT)).toBe(plaintext);
      }),
    );
  });

  it('detects any single-byte change to the sealed text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (plaintext, position, delta) => {
        const sealed = Buffer.from(seal(keyRing, plaintext, CONTEXT), 'latin1');
        const index = position % sealed.length;
        sealed[index] = ((sealed[index] ?? 0) + delta) % 256;
        const error = thrownBy(() => open(keyRing, sealed.toString('latin1'), CONTEXT));
        expect(error).toBeInstanceOf(StoreError);
        expect([CorruptCiphertext, UnknownEncryptionKey].some((kind) => error instanceof kind)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('detects truncation and extension', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), fc.nat(), fc.string({ minLength: 1, maxLength: 4 }), (plaintext, cut, extra) => {
        const sealed = seal(keyRing, plaintext, CONTEXT);
        const truncated = sealed.slice(0, cut % sealed.length);
        expect(thrownBy(() => open(keyRing, truncated, CONTEXT))).toBeInstanceOf(StoreError);
        expect(thrownBy(() => open(keyRing, sealed + extra, CONTEXT))).toBeInstanceOf(StoreError);
      }),
    );
  });

  it('refuses a value sealed for another row', () => {
    const sealed = seal(keyRing, 'secret', CONTEXT);
    expect(thrownBy(() => open(keyRing, sealed, 'link_tokens:slack:T0001:U0102'))).toBeInstanceOf(CorruptCiphertext);
  });

  it('never produces the same ciphertext twice for the same plaintext', () => {
    expect(seal(keyRing, 'same', CONTEXT)).not.toBe(seal(keyRing, 'same', CONTEXT));
  });

  it('names the key it was sealed with, and opens only with a ring holding that key', () => {
    const oldKey = randomKey();
    const sealed = seal(keyRingOf(oldKey), 'secret', CONTEXT);
    expect(sealedKeyId(sealed)).toBe(oldKey.id);
    expect(open(keyRingOf(randomKey(), oldKey), sealed, CONTEXT)).toBe('secret');

    const error = thrownBy(() => open(keyRingOf(randomKey()), sealed, CONTEXT));
    expect(error).toBeInstanceOf(UnknownEncryptionKey);
    expect((error as UnknownEncryptionKey).keyIds).toEqual([oldKey.id]);
  });

  it('seals with the current key of the ring', () => {
    const [current, old] = [randomKey(), randomKey()];
    expect(sealedKeyId(seal(keyRingOf(current, old), 'x', CONTEXT))).toBe(current.id);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnknownEncryptionKey } from '../../src/store/errors.ts';
import { emmaChen, johnSmith, keyRingOf, randomKey, sampleTokens, storeFixtures, type StoreHarness } from './store-fixtures.ts';

const JOHN = 'slack:T0001:U0101';
const EMMA = 'slack:T0001:U0103';

describe.each(storeFixtures)('$name key rotation', (fixture) => {
  const oldKey = randomKey();
  const newKey = randomKey();
  let harness: StoreHarness;

  beforeEach(async () => {
    harness = await fixture.create();
  });
  afterEach(async () => {
    await harness.dispose();
  });

  it('tokens under an old key stay readable and are re-encrypted with the current key when next written', async () => {
    const tokens = sampleTokens();
    const before = await harness.open(keyRingOf(oldKey));
    await before.saveLink(JOHN, johnSmith, tokens);
    expect((await harness.rawTokenRow(JOHN))?.keyId).toBe(oldKey.id);

    const after = await harness.reopen(before, keyRingOf(newKey, oldKey));
    expect(await after.get(JOHN)).toEqual(tokens);
    expect((await harness.rawTokenRow(JOHN))?.keyId).toBe(oldKey.id); // reading alone rewrites nothing

    const refreshed = sampleTokens();
    await after.save(JOHN, refreshed);
    const row = await harness.rawTokenRow(JOHN);
    expect(row?.keyId).toBe(newKey.id);
    expect(row?.sealed.startsWith(`v1.${newKey.id}.`)).toBe(true);

    // Once rewritten, the old key is no longer needed.
    const newOnly = await harness.reopen(after, keyRingOf(newKey));
    expect(await newOnly.get(JOHN)).toEqual(refreshed);
  });

  it('opening without the key of stored tokens fails with UnknownEncryptionKey and keeps every link', async () => {
    const tokens = sampleTokens();
    const store = await harness.open(keyRingOf(oldKey));
    await store.saveLink(JOHN, johnSmith, tokens);
    await store.saveLink(EMMA, emmaChen, sampleTokens());

    const failure = await harness.reopen(store, keyRingOf(randomKey())).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UnknownEncryptionKey);
    expect((failure as UnknownEncryptionKey).keyIds).toEqual([oldKey.id]);
    expect((failure as Error).message).toMatch(/TOKEN_ENCRYPTION_KEY/);
    expect((failure as Error).message).toMatch(/TOKEN_ENCRYPTION_KEYS_OLD/);
    expect((failure as Error).message).toMatch(/2 linked user/);

    const rightKey = await harness.open(keyRingOf(oldKey));
    expect(await rightKey.get(JOHN)).toEqual(tokens);
    expect(await rightKey.getLink(EMMA)).toMatchObject(emmaChen);
  });

  it('reading tokens another process wrote with a key this one lacks is a typed error and keeps the link', async () => {
    const thisProcess = await harness.open(keyRingOf(newKey)); // empty database: nothing to check at open
    const otherProcess = await harness.open(keyRingOf(oldKey));
    await otherProcess.saveLink(JOHN, johnSmith, sampleTokens());

    await expect(thisProcess.get(JOHN)).rejects.toBeInstanceOf(UnknownEncryptionKey);
    expect(await thisProcess.getLink(JOHN)).toMatchObject(johnSmith);
    expect(await harness.rawTokenRow(JOHN)).toBeDefined();
  });
});

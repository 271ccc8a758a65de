import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorruptCiphertext } from '../../src/store/errors.ts';
import type { LinkStore } from '../../src/store/link-store.ts';
import { emmaChen, johnSmith, keyRingOf, randomKey, sampleTokens, slicesOf, storeFixtures, type StoreHarness } from './store-fixtures.ts';

const JOHN = 'slack:T0001:U0101';
const EMMA = 'teams:72f988bf-86f1-41af-91ab-2d7cd011db47:0d9b5b6a-4c7e-4f2e-9f51-7e0c1a2b3c4d';

describe.each(storeFixtures)('$name LinkStore', (fixture) => {
  const keyRing = keyRingOf(randomKey());
  let harness: StoreHarness;
  let store: LinkStore;

  beforeEach(async () => {
    harness = await fixture.create();
    store = await harness.open(keyRing);
  });
  afterEach(async () => {
    await harness.dispose();
  });

  it('a saved link and its tokens read back unchanged', async () => {
    const tokens = sampleTokens();
    await store.saveLink(JOHN, johnSmith, tokens);

    expect(await store.get(JOHN)).toEqual(tokens);
    const link = await store.getLink(JOHN);
    expect(link).toEqual({ ...johnSmith, userKey: JOHN, linkedAt: expect.any(Number) });
    expect(link).not.toHaveProperty('accessToken');
  });

  it('a link without an email reads back without one', async () => {
    await store.saveLink(EMMA, emmaChen, sampleTokens());
    const link = await store.getLink(EMMA);
    expect(link).toMatchObject(emmaChen);
    expect(link).not.toHaveProperty('email');
  });

  it("lists the chat users of one workspace by key prefix: links and lone tokens, never another workspace's", async () => {
    await store.saveLink('slack:T0001:U1', johnSmith, sampleTokens());
    await store.saveLink('slack:T0001:U2', emmaChen, sampleTokens());
    await store.save('slack:T0001:U3', sampleTokens());
    await store.saveLink('slack:T00011:U4', johnSmith, sampleTokens());
    await store.saveLink('slack:T0002:U5', johnSmith, sampleTokens());
    await store.saveLink('slack:T_%:U6', johnSmith, sampleTokens());
    expect((await store.userKeysStartingWith('slack:T0001:')).sort()).toEqual(['slack:T0001:U1', 'slack:T0001:U2', 'slack:T0001:U3']);
    // Wildcards of SQL's LIKE are plain characters here.
    expect(await store.userKeysStartingWith('slack:T_%:')).toEqual(['slack:T_%:U6']);
    expect(await store.userKeysStartingWith('slack:T9999:')).toEqual([]);
  });

  it('an unknown user has neither link nor tokens', async () => {
    expect(await store.getLink(JOHN)).toBeUndefined();
    expect(await store.get(JOHN)).toBeUndefined();
  });

  it('re-linking replaces identity and tokens', async () => {
    await store.saveLink(JOHN, johnSmith, sampleTokens());
    const newTokens = sampleTokens();
    await store.saveLink(JOHN, emmaChen, newTokens);
    expect(await store.getLink(JOHN)).toMatchObject({ ...emmaChen, userKey: JOHN });
    expect(await store.getLink(JOHN)).not.toHaveProperty('email');
    expect(await store.get(JOHN)).toEqual(newTokens);
  });

  it('saving refreshed tokens replaces the tokens and keeps the link', async () => {
    await store.saveLink(JOHN, johnSmith, sampleTokens());
    const refreshed = sampleTokens();
    await store.save(JOHN, refreshed);
    expect(await store.get(JOHN)).toEqual(refreshed);
    expect(await store.getLink(JOHN)).toMatchObject(johnSmith);
  });

  it('tokens saved before the link is recorded are kept by the link', async () => {
    const tokens = sampleTokens();
    await store.save(JOHN, tokens);
    expect(await store.get(JOHN)).toEqual(tokens);
    expect(await store.getLink(JOHN)).toBeUndefined();
  });

  it('deleteLink removes the link and its tokens, and only that user’s', async () => {
    const emmaTokens = sampleTokens();
    await store.saveLink(JOHN, johnSmith, sampleTokens());
    await store.saveLink(EMMA, emmaChen, emmaTokens);

    expect(await store.deleteLink(JOHN)).toBe(true);
    expect(await store.getLink(JOHN)).toBeUndefined();
    expect(await store.get(JOHN)).toBeUndefined();
    expect(await harness.rawTokenRow(JOHN)).toBeUndefined();
    expect(await store.deleteLink(JOHN)).toBe(false);

    expect(await store.get(EMMA)).toEqual(emmaTokens);
    expect(await store.getLink(EMMA)).toMatchObject(emmaChen);
  });

  it('TokenStore.delete unlinks the user too', async () => {
    await store.saveLink(JOHN, johnSmith, sampleTokens());
    await store.delete(JOHN);
    expect(await store.get(JOHN)).toBeUndefined();
    expect(await store.getLink(JOHN)).toBeUndefined();
  });

  it('tokens are stored only as ciphertext', async () => {
    const tokens = sampleTokens();
    await store.saveLink(JOHN, johnSmith, tokens);
    await store.save(JOHN, sampleTokens()); // an older pair must not linger in clear either

    const raw = await harness.rawDump();
    expect(raw).toContain(johnSmith.name); // the dump really holds the rows
    for (const slice of [...slicesOf(tokens.accessToken), ...slicesOf(tokens.refreshToken)]) {
      expect(raw).not.toContain(slice);
    }
    const row = await harness.rawTokenRow(JOHN);
    expect(row?.keyId).toBe(keyRing.current.id);
    expect(row?.sealed).toMatch(new RegExp(`^v1\\.${keyRing.current.id}\\.[A-Za-z0-9_-]+$`));
  });

  it('ciphertext moved to another user’s row does not decrypt', async () => {
    await store.saveLink(JOHN, johnSmith, sampleTokens());
    await store.saveLink(EMMA, emmaChen, sampleTokens());
    await harness.copyTokenRow(JOHN, EMMA);
    await expect(store.get(EMMA)).rejects.toBeInstanceOf(CorruptCiphertext);
    expect(await store.getLink(EMMA)).toMatchObject(emmaChen);
  });

  it('malformed tokens are refused before anything is written', async () => {
    const { refreshToken: _omitted, ...incomplete } = sampleTokens();
    await expect(store.save(JOHN, incomplete as never)).rejects.toThrow();
    await expect(store.saveLink(JOHN, { ...johnSmith, extensionId: '' }, sampleTokens())).rejects.toThrow();
    expect(await harness.rawTokenRow(JOHN)).toBeUndefined();
    expect(await store.getLink(JOHN)).toBeUndefined();
  });

  describe('withRefreshLock', () => {
    it('runs one refresh at a time per user, in call order', async () => {
      const events: string[] = [];
      const refresh = (name: string) => async () => {
        events.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, 10));
        events.push(`${name} end`);
        return name;
      };
      const results = await Promise.all([
        store.withRefreshLock(JOHN, refresh('first')),
        store.withRefreshLock(JOHN, refresh('second')),
        store.withRefreshLock(JOHN, refresh('third')),
      ]);
      expect(results).toEqual(['first', 'second', 'third']);
      expect(events).toEqual(['first start', 'first end', 'second start', 'second end', 'third start', 'third end']);
    });

    it('does not make one user wait for another', async () => {
      let releaseJohn!: () => void;
      const johnHeld = new Promise<void>((resolve) => {
        releaseJohn = resolve;
      });
      const john = store.withRefreshLock(JOHN, () => johnHeld);
      await expect(store.withRefreshLock(EMMA, async () => 'emma done')).resolves.toBe('emma done');
      releaseJohn();
      await john;
    });

    it('a failed refresh passes its error on and does not block the next', async () => {
      await expect(
        store.withRefreshLock(JOHN, async () => {
          throw new Error('refresh failed');
        }),
      ).rejects.toThrow('refresh failed');
      await expect(store.withRefreshLock(JOHN, async () => 'next')).resolves.toBe('next');
    });

    it('unlinking during a refresh waits for it, so the refresh cannot bring the tokens back', async () => {
      await store.saveLink(JOHN, johnSmith, sampleTokens());
      let finishRefresh!: () => void;
      const tokenEndpointAnswered = new Promise<void>((resolve) => {
        finishRefresh = resolve;
      });
      const refresh = store.withRefreshLock(JOHN, async () => {
        await tokenEndpointAnswered;
        await store.save(JOHN, sampleTokens());
      });
      const unlink = store.deleteLink(JOHN);
      finishRefresh();
      await Promise.all([refresh, unlink]);

      expect(await unlink).toBe(true);
      expect(await store.get(JOHN)).toBeUndefined();
      expect(await store.getLink(JOHN)).toBeUndefined();
    });
  });
});

describe.each(storeFixtures.filter((fixture) => fixture.durable))('$name durability', (fixture) => {
  it('links, tokens and pending links survive closing and reopening the database', async () => {
    const keyRing = keyRingOf(randomKey());
    const harness = await fixture.create();
    try {
      const tokens = sampleTokens();
      const emmaTokens = sampleTokens();
      let store = await harness.open(keyRing);
      await store.saveLink(JOHN, johnSmith, tokens);
      await store.saveLink(EMMA, emmaChen, emmaTokens);
      const state = await store.createPendingLink({
        userKey: EMMA,
        codeVerifier: 'verifier-'.padEnd(50, 'x'),
        redirectUri: 'http://127.0.0.1:3000/oauth/ringcentral/callback',
        resume: { platform: 'teams', conversationId: 'a:1' },
      });

      store = await harness.reopen(store, keyRing);

      expect(await store.get(JOHN)).toEqual(tokens);
      expect(await store.get(EMMA)).toEqual(emmaTokens);
      expect(await store.getLink(JOHN)).toMatchObject(johnSmith);
      expect(await store.getLink(EMMA)).toMatchObject(emmaChen);
      expect(await store.consumePendingLink(state)).toMatchObject({ userKey: EMMA });
    } finally {
      await harness.dispose();
    }
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRingCentralClient } from '../../src/api/client.ts';
import type { RingCentralClient } from '../../src/api/client.ts';
import { Linking } from '../../src/handlers/linking.ts';
import type { Sandbox } from '../../src/sandbox/server.ts';
import type { LinkStore } from '../../src/store/link-store.ts';
import { demoApp, startTestSandbox } from '../support/sandbox.ts';
import { keyRingOf, randomKey, storeFixtures, type StoreHarness } from '../store/store-fixtures.ts';

const USER = 'slack:T0001:U0042';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

/** Goes through the sandbox's authorize endpoint as `extensionNumber` and returns the callback's code and state. */
async function signIn(authorizeUrl: string, extensionNumber: string): Promise<{ code: string; state: string }> {
  const url = new URL(authorizeUrl);
  url.searchParams.set('login_hint', extensionNumber);
  const response = await fetch(url, { redirect: 'manual' });
  const callback = new URL(response.headers.get('location') ?? '');
  return { code: callback.searchParams.get('code') ?? '', state: callback.searchParams.get('state') ?? '' };
}

describe.each(storeFixtures)('linking on $name', (fixture) => {
  let harness: StoreHarness;
  let store: LinkStore;
  let client: RingCentralClient;
  let linking: Linking;

  beforeEach(async () => {
    harness = await fixture.create();
    store = await harness.open(keyRingOf(randomKey()));
    client = createRingCentralClient({ serverUrl: sandbox.url, clientId: demoApp.clientId, clientSecret: demoApp.clientSecret, tokenStore: store });
    linking = new Linking({ store, client, publicUrl: 'http://127.0.0.1:53682' });
  });
  afterEach(async () => {
    await client.close();
    await harness.dispose();
  });

  async function link(extensionNumber: string) {
    const { code, state } = await signIn(await linking.start(USER, { platform: 'test' }), extensionNumber);
    return linking.complete(state, code);
  }

  it('a completed link stores the identity read with the new login and that login\'s tokens', async () => {
    const completed = await link('103');
    expect(completed.identity.extensionNumber).toBe('103');
    const tokens = await store.get(USER);
    expect(tokens?.ownerId).toBe(completed.identity.extensionId);
  });

  it('re-linking while a refresh of the earlier login is in flight never pairs the new identity with the old login', async () => {
    await link('101');
    const oldLogin = await store.get(USER);
    // What the client's token source does for the earlier login: under the refresh lock, it saves its rotated pair.
    let releaseRefresh!: () => void;
    const refreshCanFinish = new Promise<void>((resolve) => (releaseRefresh = resolve));
    let lockTaken!: () => void;
    const lockHeld = new Promise<void>((resolve) => (lockTaken = resolve));
    const earlierRefresh = store.withRefreshLock(USER, async () => {
      lockTaken();
      await refreshCanFinish;
      await store.save(USER, { ...oldLogin!, accessToken: `${oldLogin!.accessToken}-rotated` });
    });
    await lockHeld;

    const relinking = link('103');
    // Long enough for the new link to be saved and finished if nothing makes it wait for the refresh.
    await sleep(500);
    releaseRefresh();
    const [completed] = await Promise.all([relinking, earlierRefresh]);

    expect(completed.identity.extensionNumber).toBe('103');
    const stored = await store.get(USER);
    expect(stored?.ownerId).toBe(completed.identity.extensionId);
    expect((await store.getLink(USER))?.extensionNumber).toBe('103');
    expect(await client.forUser(USER).readExtension('~')).toMatchObject({ extensionNumber: '103' });
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRingCentralClient } from '../../src/api/client.ts';
import type { RingCentralClient } from '../../src/api/client.ts';
import { Linking } from '../../src/handlers/linking.ts';
import type { Sandbox } from '../../src/sandbox/server.ts';
import type { ChatAccount, LinkStore } from '../../src/store/link-store.ts';
import { control, demoApp, startTestSandbox } from '../support/sandbox.ts';
import { keyRingOf, randomKey, storeFixtures, type StoreHarness } from '../store/store-fixtures.ts';

const USER = 'slack:T0001:U0042';

async function revokeCount(): Promise<number> {
  return (await control(sandbox).stats()).byOperation['revokeToken'] ?? 0;
}

function emailOf(extensionNumber: string): string {
  const email = sandbox.seed.extensions.find((extension) => extension.extensionNumber === extensionNumber)?.contact?.email;
  if (email === undefined) throw new Error(`extension ${extensionNumber} has no email in the sandbox`);
  return email;
}

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
  let clock: number;

  beforeEach(async () => {
    harness = await fixture.create();
    clock = Date.now();
    store = await harness.open(keyRingOf(randomKey()), { now: () => clock });
    client = createRingCentralClient({
      serverUrl: sandbox.url,
      clientId: demoApp.clientId,
      clientSecret: demoApp.clientSecret,
      tokenStore: store,
    });
    linking = new Linking({ store, client, publicUrl: 'http://127.0.0.1:53682' });
  });
  afterEach(async () => {
    await client.close();
    await harness.dispose();
  });

  /** Starts a link from a chat account with this extension's own email, signs in as the extension, and expects a link. */
  async function link(extensionNumber: string) {
    const completion = await signInAs(extensionNumber, { platform: 'Slack', commandStyle: 'slash', email: emailOf(extensionNumber) });
    if (completion.kind !== 'linked') throw new Error(`expected a link, got ${completion.kind}`);
    return completion.link;
  }

  async function signInAs(extensionNumber: string, chatAccount: ChatAccount | undefined, as = linking) {
    const { code, state } = await signIn(await as.start(USER, { platform: 'test' }, chatAccount), extensionNumber);
    return as.complete(state, code);
  }

  it("a completed link stores the identity read with the new login and that login's tokens", async () => {
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
  describe('binds the person who asked', () => {
    const emma: ChatAccount = { platform: 'Slack', commandStyle: 'slash', email: 'Emma.Chen@MyCompany.com ', displayName: 'Emma Chen' };

    it('the same email, in any case, links at once', async () => {
      const completion = await signInAs('103', emma);
      expect(completion).toMatchObject({
        kind: 'linked',
        link: { userKey: USER, identity: { extensionNumber: '103' }, chatAccount: emma },
      });
      expect((await store.getLink(USER))?.extensionNumber).toBe('103');
    });

    it('another person’s login waits for the code: nothing is stored under the chat user, and the code links it', async () => {
      const completion = await signInAs('101', emma);
      if (completion.kind !== 'needs-confirmation') throw new Error(`expected a code, got ${completion.kind}`);
      expect(completion.code).toMatch(/^\d{6}$/);
      expect(completion.identity.extensionNumber).toBe('101');
      expect(await store.get(USER)).toBeUndefined();
      expect(await store.getLink(USER)).toBeUndefined();

      expect(await linking.confirm('slack:T0001:U0666', completion.code)).toEqual({ kind: 'none' });
      expect(await linking.confirm(USER, completion.code)).toMatchObject({
        kind: 'linked',
        link: { identity: { extensionNumber: '101' } },
      });
      expect((await store.getLink(USER))?.extensionNumber).toBe('101');
      expect(await client.forUser(USER).readExtension('~')).toMatchObject({ extensionNumber: '101' });
    });

    it('an unknown chat email also waits for the code', async () => {
      expect(await signInAs('103', { platform: 'Teams', commandStyle: 'plain' })).toMatchObject({ kind: 'needs-confirmation' });
      expect(await signInAs('103', undefined)).toMatchObject({ kind: 'needs-confirmation' });
      expect(await store.get(USER)).toBeUndefined();
    });

    it('re-linking as another person keeps the old link working until the code is typed', async () => {
      await link('103');
      const completion = await signInAs('101', emma);
      if (completion.kind !== 'needs-confirmation') throw new Error(`expected a code, got ${completion.kind}`);
      expect((await store.getLink(USER))?.extensionNumber).toBe('103');
      expect(await client.forUser(USER).readExtension('~')).toMatchObject({ extensionNumber: '103' });
      await linking.confirm(USER, completion.code);
      expect(await client.forUser(USER).readExtension('~')).toMatchObject({ extensionNumber: '101' });
    });

    it('the strict setting refuses another person’s login and keeps nothing of it', async () => {
      const strict = new Linking({ store, client, publicUrl: 'http://127.0.0.1:53682', emailMismatch: 'refuse' });
      expect(await signInAs('101', emma, strict)).toMatchObject({ kind: 'refused', identity: { extensionNumber: '101' } });
      expect(await store.get(USER)).toBeUndefined();
      expect(await store.confirmLink(USER, '000000')).toEqual({ outcome: 'none' });
      expect(await signInAs('103', emma, strict)).toMatchObject({ kind: 'linked' });
    });

    it('five wrong codes end the sign-in and its RingCentral session; the right code then does nothing', async () => {
      const completion = await signInAs('101', emma);
      if (completion.kind !== 'needs-confirmation') throw new Error(`expected a code, got ${completion.kind}`);
      const wrong = ((Number(completion.code) + 1) % 1_000_000).toString().padStart(6, '0');
      const revokesBefore = await revokeCount();
      for (let attempt = 0; attempt < 4; attempt += 1) expect(await linking.confirm(USER, wrong)).toMatchObject({ kind: 'wrong-code' });
      expect(await linking.confirm(USER, wrong)).toEqual({ kind: 'ended', reason: 'too-many-tries' });
      expect(await linking.confirm(USER, completion.code)).toEqual({ kind: 'none' });
      expect(await store.get(USER)).toBeUndefined();
      await vi.waitFor(async () => expect(await revokeCount()).toBe(revokesBefore + 1));
    });

    it('after ten minutes the code is discarded, and the sweep ends the RingCentral session', async () => {
      const completion = await signInAs('101', emma);
      if (completion.kind !== 'needs-confirmation') throw new Error(`expected a code, got ${completion.kind}`);
      clock += 10 * 60_000;
      const revokesBefore = await revokeCount();
      expect(await linking.discardExpired()).toBe(1);
      expect(await revokeCount()).toBe(revokesBefore + 1);
      expect(await linking.confirm(USER, completion.code)).toEqual({ kind: 'none' });
      expect(await store.get(USER)).toBeUndefined();
    });
  });
});

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineAfter } from '../../src/api/deadline.ts';
import { NeedsLink, Unavailable } from '../../src/api/errors.ts';
import { MemoryTokenStore, TokenSource } from '../../src/api/tokens.ts';
import type { StoredTokens } from '../../src/api/tokens.ts';
import { api, refreshTokens } from '../support/sandbox.ts';
import type { ApiHarness } from './harness.ts';
import { linkUser, RecordingTokenStore, rejectionOf, startHarness } from './harness.ts';

const ACCOUNT_PATH = '/restapi/v1.0/account/~';

let harness: ApiHarness;

/** The sandbox's id for a demo extension number. */
function extensionId(extensionNumber: string): string {
  const extension = harness.sandbox.seed.extensions.find((e) => e.extensionNumber === extensionNumber);
  if (!extension) throw new Error(`no demo extension ${extensionNumber}`);
  return String(extension.id);
}

beforeAll(async () => {
  // Limits scaled up so the sandbox's X-Rate-Limit-* headers (which the client obeys) leave room for bursts.
  harness = await startHarness({ rateLimits: { scale: 20 } });
});

afterAll(async () => {
  await harness?.close();
});

describe('authorize URL and code exchange', () => {
  it('carries state and an S256 PKCE challenge of a fresh 32-byte verifier', () => {
    const first = harness.client.authorizeUrl({ redirectUri: 'http://127.0.0.1:1/cb', state: 'opaque-state' });
    const second = harness.client.authorizeUrl({ redirectUri: 'http://127.0.0.1:1/cb', state: 'opaque-state' });
    const params = new URL(first.url).searchParams;
    expect(new URL(first.url).pathname).toBe('/restapi/oauth/authorize');
    expect(params.get('response_type')).toBe('code');
    expect(params.get('client_id')).toBe('switchboard-demo');
    expect(params.get('state')).toBe('opaque-state');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toBe(createHash('sha256').update(first.codeVerifier).digest('base64url'));
    expect(Buffer.from(first.codeVerifier, 'base64url')).toHaveLength(32);
    expect(second.codeVerifier).not.toBe(first.codeVerifier);
  });

  it('a code exchanged with the wrong verifier is refused as NeedsLink', async () => {
    const { url } = harness.client.authorizeUrl({
      redirectUri: 'http://127.0.0.1:53682/oauth/ringcentral/callback',
      state: 's',
      loginHint: '104',
    });
    const location = (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '';
    const code = new URL(location).searchParams.get('code') ?? '';
    const wrong = harness.client.authorizeUrl({ redirectUri: 'http://127.0.0.1:1/cb', state: 's' }).codeVerifier;
    const error = await rejectionOf(
      harness.client.exchangeCode({ code, codeVerifier: wrong, redirectUri: 'http://127.0.0.1:53682/oauth/ringcentral/callback' }),
    );
    expect(error).toBeInstanceOf(NeedsLink);
    expect((error as NeedsLink).errorCode).toBe('OAU-106');
    expect((error as Error).message).not.toContain(code);
  });

  it('a user who never linked gets NeedsLink without any request to RingCentral', async () => {
    const before = (await harness.control.stats()).total;
    await expect(harness.client.forUser('slack:T1:stranger').readAccount()).rejects.toBeInstanceOf(NeedsLink);
    expect((await harness.control.stats()).total).toBe(before);
  });
});

describe('refresh', () => {
  it('50 concurrent calls with an expired access token cause exactly one token request', async () => {
    const user = harness.client.forUser('slack:T1:olivia');
    await linkUser(harness.client, harness.store, user.userKey, '104');
    await harness.control.expireAccessTokens(extensionId('104'));
    await harness.control.resetStats();

    const accounts = await Promise.all(Array.from({ length: 50 }, () => user.readAccount()));

    expect(accounts.every((account) => account.id === 401145624008)).toBe(true);
    const stats = await harness.control.stats();
    expect(stats.tokenRequests.refresh_token).toBe(1);
    expect(stats.rateLimited).toBe(0);
  });

  it("in one process concurrent callers join one refresh, not queue on the store's lock (one lock, one save)", async () => {
    // The store's lock alone would also give one token request, but every caller would take it in turn and
    // re-read the store: a round trip each to a shared database.
    class CountingStore extends RecordingTokenStore {
      lockCount = 0;
      override async withRefreshLock<T>(userKey: string, fn: () => Promise<T>): Promise<T> {
        this.lockCount += 1;
        return super.withRefreshLock(userKey, fn);
      }
    }
    const store = new CountingStore();
    const client = harness.newClient({ tokenStore: store });
    const linked = await linkUser(client, store, 'slack:T1:amelia', '109');
    // Expired as far as the client knows, so every caller asks for a refresh before sending anything: no 401 can
    // arrive after the refresh has finished and start a second one.
    await store.save('slack:T1:amelia', { ...linked, accessTokenExpiresAt: Date.now() - 1_000 });
    await harness.control.resetStats();
    const savesBefore = store.saves.length;

    await Promise.all(Array.from({ length: 20 }, () => client.forUser('slack:T1:amelia').readAccount()));

    expect(store.lockCount).toBe(1);
    expect(store.saves.length - savesBefore).toBe(1);
    expect((await harness.control.stats()).tokenRequests.refresh_token).toBe(1);
  });

  it('a 503 from the token endpoint is retried, as RingCentral advises for 429 and 503, and the refresh succeeds', async () => {
    const user = harness.client.forUser('slack:T1:harper');
    const linked = await linkUser(harness.client, harness.store, user.userKey, '118');
    await harness.store.save(user.userKey, { ...linked, accessTokenExpiresAt: Date.now() - 1_000 });
    await harness.control.resetStats();
    await harness.control.faults({ kind: '503', count: 1, operation: 'getToken' });

    expect((await user.readAccount()).id).toBe(401145624008);
    expect((await harness.control.stats()).tokenRequests.refresh_token).toBe(2);
  });

  it('the rotated pair is saved before the retried call uses it', async () => {
    const observed: { savedAccessToken: string; readsWhenSaved: number }[] = [];
    const control = harness.control;
    // A slow store: if the client sent the retry without waiting for the save, the sandbox would see it meanwhile.
    class SlowStore extends RecordingTokenStore {
      recording = false;
      override async save(userKey: string, tokens: StoredTokens): Promise<void> {
        if (this.recording) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          const stats = await control.stats();
          observed.push({ savedAccessToken: tokens.accessToken, readsWhenSaved: stats.byOperation.readAccountInfo ?? 0 });
        }
        await super.save(userKey, tokens);
      }
    }
    const store = new SlowStore();
    const client = harness.newClient({ tokenStore: store });
    const old = await linkUser(client, store, 'slack:T1:liam', '105');
    await harness.control.expireAccessTokens(extensionId('105'));
    await harness.control.resetStats();
    store.recording = true;

    await client.forUser('slack:T1:liam').readAccount();

    expect(observed).toHaveLength(1);
    expect(observed[0]?.readsWhenSaved).toBe(1); // only the refused first attempt had reached RingCentral
    expect((await harness.control.stats()).byOperation.readAccountInfo).toBe(2);
    const stored = await store.get('slack:T1:liam');
    expect(stored?.accessToken).toBe(observed[0]?.savedAccessToken);
    expect(stored?.refreshToken).not.toBe(old.refreshToken);
    // The old pair is dead at RingCentral: only the saved one could have made the retry succeed.
    expect((await api(harness.sandbox, old.accessToken, ACCOUNT_PATH)).status).toBe(401);
  });

  it('after a refresh the used refresh token is never sent again (no grace window to hide a reuse)', async () => {
    await harness.control.config({ refreshGraceSeconds: 0 });
    try {
      const user = harness.client.forUser('slack:T1:sophia');
      const first = await linkUser(harness.client, harness.store, user.userKey, '106');
      await harness.control.resetStats();
      for (let round = 0; round < 3; round += 1) {
        await harness.control.expireAccessTokens(extensionId('106'));
        await user.readExtension();
      }
      expect((await harness.control.stats()).tokenRequests.refresh_token).toBe(3);
      const refreshTokensUsed = harness.store.saves.filter((save) => save.userKey === user.userKey).map((save) => save.tokens.refreshToken);
      expect(new Set(refreshTokensUsed).size).toBe(4);
      // RingCentral refuses a second use, so had the client reused one, the rounds above would have failed.
      const reuse = await refreshTokens(harness.sandbox, first.refreshToken);
      expect(reuse.status).toBe(400);
      expect(((await reuse.json()) as { error: string }).error).toBe('invalid_grant');
    } finally {
      await harness.control.config({ refreshGraceSeconds: 10 });
    }
  });

  it('refreshes ahead of expiry on the settable clock, before RingCentral ever refuses the token', async () => {
    let now = Date.now();
    const client = harness.newClient({ now: () => now });
    const user = client.forUser('slack:T1:noah');
    const linked = await linkUser(client, harness.store, user.userKey, '107');
    await harness.control.resetStats();

    now = linked.accessTokenExpiresAt - 30_000; // inside the 60 s handicap
    await user.readAccount();
    now += 10_000;
    await user.readAccount();

    const stats = await harness.control.stats();
    expect(stats.tokenRequests.refresh_token).toBe(1);
    expect(stats.byOperation.readAccountInfo).toBe(2); // no refused attempt
    expect((await harness.store.get(user.userKey))?.accessToken).not.toBe(linked.accessToken);
  });

  it('two replicas sharing one store refresh once: the second re-reads the store under the lock', async () => {
    const replicaA = harness.newClient();
    const replicaB = harness.newClient();
    await linkUser(replicaA, harness.store, 'slack:T1:ava', '108');
    await harness.control.expireAccessTokens(extensionId('108'));
    await harness.control.resetStats();

    const calls = [
      ...Array.from({ length: 10 }, () => replicaA.forUser('slack:T1:ava').readExtension()),
      ...Array.from({ length: 10 }, () => replicaB.forUser('slack:T1:ava').readExtension()),
    ];
    const results = await Promise.all(calls);

    expect(results.every((extension) => extension.extensionNumber === '108')).toBe(true);
    expect((await harness.control.stats()).tokenRequests.refresh_token).toBe(1);
  });
});

describe('dead sessions', () => {
  it('a revoked session (password change) becomes NeedsLink and the stored tokens are deleted', async () => {
    const user = harness.client.forUser('slack:T1:mateo');
    await linkUser(harness.client, harness.store, user.userKey, '109');
    await harness.control.revokeSessions(extensionId('109'));

    const error = await rejectionOf(user.readAccount());

    expect(error).toBeInstanceOf(NeedsLink);
    expect(await harness.store.get(user.userKey)).toBeUndefined();
  });

  it('a 401 OAU-213 that a refresh cannot fix becomes NeedsLink and deletes the tokens', async () => {
    const user = harness.client.forUser('slack:T1:lucas');
    await linkUser(harness.client, harness.store, user.userKey, '112');
    await harness.control.resetStats();
    await harness.control.faults({ kind: 'revoked', operation: 'readExtension' });

    const error = await rejectionOf(user.readExtension());

    expect(error).toBeInstanceOf(NeedsLink);
    expect((error as NeedsLink).errorCode).toBe('OAU-213');
    expect(await harness.store.get(user.userKey)).toBeUndefined();
    expect((await harness.control.stats()).tokenRequests.refresh_token).toBe(1);
  });

  it('an expired refresh token is NeedsLink without asking RingCentral', async () => {
    let now = Date.now();
    const client = harness.newClient({ now: () => now });
    const linked = await linkUser(client, harness.store, 'slack:T1:mia', '113');
    await harness.control.resetStats();
    now = linked.refreshTokenExpiresAt + 1;

    await expect(client.forUser('slack:T1:mia').readAccount()).rejects.toBeInstanceOf(NeedsLink);
    expect(await harness.store.get('slack:T1:mia')).toBeUndefined();
    expect((await harness.control.stats()).total).toBe(0);
  });

  it('revoke() ends the session at RingCentral and deletes the stored tokens', async () => {
    const user = harness.client.forUser('slack:T1:elijah');
    const linked = await linkUser(harness.client, harness.store, user.userKey, '114');

    expect(await user.revoke()).toEqual({ revokedAtRingCentral: true });

    expect(await harness.store.get(user.userKey)).toBeUndefined();
    expect((await api(harness.sandbox, linked.accessToken, ACCOUNT_PATH)).status).toBe(401);
    expect((await refreshTokens(harness.sandbox, linked.refreshToken)).status).toBe(400);
    await expect(user.readAccount()).rejects.toBeInstanceOf(NeedsLink);
  });
});

describe('revoke', () => {
  it('a failed revoke is not repeated (RingCentral: ignore revoke errors, do not retry); the tokens are deleted anyway', async () => {
    const user = harness.client.forUser('slack:T1:harper');
    await linkUser(harness.client, harness.store, user.userKey, '115');
    await harness.control.resetStats();
    await harness.control.faults({ kind: '503', count: 1, operation: 'revokeToken' });

    expect(await user.revoke()).toEqual({ revokedAtRingCentral: false });

    expect((await harness.control.stats()).byOperation.revokeToken).toBe(1);
    expect(await harness.store.get(user.userKey)).toBeUndefined();
  });
});

describe('logging', () => {
  it('log lines carry operations and request ids, never a token, code, verifier or the client secret', async () => {
    const lines: string[] = [];
    const record = (level: string) => (object: Record<string, unknown>, message: string) => {
      lines.push(`${level} ${message} ${JSON.stringify(object)}`);
    };
    const logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
    const client = harness.newClient({ logger });
    const redirectUri = 'http://127.0.0.1:53682/oauth/ringcentral/callback';
    const { url, codeVerifier } = client.authorizeUrl({ redirectUri, state: 'log-test', loginHint: '117' });
    const code = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '').searchParams.get('code') ?? '';
    await harness.store.save('slack:T1:amelia', await client.exchangeCode({ code, codeVerifier, redirectUri }));
    const user = client.forUser('slack:T1:amelia');

    await harness.control.expireAccessTokens(extensionId('117'));
    await user.readAccount(); // 401, refresh, retry
    await harness.control.faults({ kind: '503', count: 1, operation: 'readExtension' });
    await user.readExtension(); // 503, retry
    await harness.control.faults({ kind: 'revoked', operation: 'readExtension' });
    await expect(user.readExtension()).rejects.toBeInstanceOf(NeedsLink); // refresh refused, tokens deleted

    const text = lines.join('\n');
    expect(text).toMatch(/refreshed/);
    expect(text).toMatch(/retrying/);
    expect(text).toMatch(/tokens deleted/);
    const secrets = [...harness.store.everyToken, code, codeVerifier, 'switchboard-demo-secret'];
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/Bearer|Basic |SBX[AR]/);
  });
});

describe('a refresh nobody waits for', () => {
  it('a refresh started after the caller ran out of time fails without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const linked: StoredTokens = {
        accessToken: 'expired-access-token',
        accessTokenExpiresAt: 0,
        refreshToken: 'some-refresh-token',
        refreshTokenExpiresAt: Date.now() + 60_000,
        scope: 'ReadAccounts',
        ownerId: '1',
        endpointId: 'e',
      };
      // The store answers after the caller's deadline, so the refresh starts when nobody can wait for it any more.
      class SlowReadStore extends MemoryTokenStore {
        override async get(userKey: string): Promise<StoredTokens | undefined> {
          await new Promise((resolve) => setTimeout(resolve, 50));
          return super.get(userKey);
        }
      }
      const store = new SlowReadStore();
      await store.save('slack:T1:late', linked);
      const source = new TokenSource({
        store,
        refresh: async () => {
          throw new NeedsLink('refused', { status: 400 });
        },
      });

      await expect(source.accessToken('slack:T1:late', deadlineAfter(10))).rejects.toBeInstanceOf(Unavailable);
      await new Promise((resolve) => setTimeout(resolve, 200));

      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

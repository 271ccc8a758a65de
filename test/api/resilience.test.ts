import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRingCentralClient } from '../../src/api/client.ts';
import type { UserApi } from '../../src/api/client.ts';
import { MemoryTokenStore } from '../../src/api/tokens.ts';
import { InvalidResponse, RateLimited, RingCentralError, Unavailable } from '../../src/api/errors.ts';
import type { ApiHarness } from './harness.ts';
import { linkUser, rejectionOf, startHarness } from './harness.ts';

let harness: ApiHarness;
let paul: UserApi;
const errorsSeen: unknown[] = [];

/** Keeps every error for the final "no token in any error" check. */
async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  const error = await rejectionOf(promise);
  errorsSeen.push(error);
  return error;
}

beforeAll(async () => {
  harness = await startHarness({}, { retry: { baseDelayMs: 20, maxDelayMs: 100 } });
  paul = harness.client.forUser('slack:T1:paul');
  await linkUser(harness.client, harness.store, paul.userKey, '102');
});

afterEach(async () => {
  await harness.control.clearFaults();
  await harness.control.config({ rateLimits: 'off' });
});

afterAll(async () => {
  await harness?.close();
});

describe('rate limits', () => {
  it('a 429 is waited out (Retry-After) and the call succeeds', async () => {
    // The client still believes RingCentral's default Light budget of 50; the sandbox allows 2 per second. The penalty
    // outlasts the window, so only honouring Retry-After succeeds: a request sent during the penalty restarts it.
    await harness.control.config({ rateLimits: { limits: { Light: 2 }, windowSeconds: 1, penaltySeconds: 2 } });
    const user = harness.client.forUser('slack:T1:grace');
    await linkUser(harness.client, harness.store, user.userKey, '120');
    await harness.control.resetStats();
    const started = performance.now();

    const results = await Promise.all(Array.from({ length: 4 }, () => user.readAccount()));

    expect(results.map((account) => account.id)).toEqual(Array(4).fill(401145624008));
    const { rateLimited } = await harness.control.stats();
    expect(rateLimited).toBeGreaterThan(0);
    expect(rateLimited, 'each refused request waited before it was sent again').toBeLessThanOrEqual(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_900);
  });

  it('normal use never meets a 429: the pacer spreads requests by the X-Rate-Limit-* headers', async () => {
    await harness.control.config({ rateLimits: { limits: { Light: 3 }, windowSeconds: 1, penaltySeconds: 5 } });
    const user = harness.client.forUser('slack:T1:aiden');
    await linkUser(harness.client, harness.store, user.userKey, '121');
    await user.readExtension(); // learns limit 3 per 1 s from the headers
    await harness.control.resetStats();
    const started = performance.now();

    await Promise.all(Array.from({ length: 8 }, () => user.readExtension()));

    expect((await harness.control.stats()).rateLimited).toBe(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_500); // 8 requests at 3 per second
  });

  it('a 429 whose Retry-After would pass the deadline fails fast as RateLimited', async () => {
    await harness.control.config({ rateLimits: { limits: { Heavy: 1 }, windowSeconds: 60, penaltySeconds: 30 } });
    const john = harness.client.forUser('slack:T1:john');
    await linkUser(harness.client, harness.store, john.userKey, '101');
    const started = performance.now();

    const outcomes = await Promise.allSettled(Array.from({ length: 3 }, () => john.listAccountPhoneNumbers({}, { deadlineMs: 2_000 })));

    const failures = outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => outcome.reason as unknown);
    errorsSeen.push(...failures);
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(RateLimited);
      expect((failure as RateLimited).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('server errors and the network', () => {
  it('503s on a GET are retried and the call succeeds', async () => {
    await harness.control.resetStats();
    await harness.control.faults({ kind: '503', count: 2, operation: 'readAccountInfo' });

    const account = await paul.readAccount();

    expect(account.id).toBe(401145624008);
    expect((await harness.control.stats()).byOperation.readAccountInfo).toBe(3);
  });

  it('503s that persist surface as Unavailable after a bounded number of attempts', async () => {
    await harness.control.resetStats();
    await harness.control.faults({ kind: '503', count: 10, operation: 'readAccountInfo' });

    const error = await failureOf(paul.readAccount());

    expect(error).toBeInstanceOf(Unavailable);
    expect((error as Unavailable).status).toBe(503);
    expect((error as Unavailable).errorCode).toBe('CMN-201');
    expect((await harness.control.stats()).byOperation.readAccountInfo).toBe(3);
  });

  it('a dropped connection on a GET is retried', async () => {
    await harness.control.faults({ kind: 'reset', count: 1, operation: 'listForwardingNumbers' });
    const forwarding = await paul.listForwardingNumbers();
    expect(Array.isArray(forwarding.records)).toBe(true);
  });

  it('a POST search is not repeated after a dropped connection', async () => {
    await harness.control.resetStats();
    await harness.control.faults({ kind: 'reset', count: 1, operation: 'searchDirectoryEntries' });

    const error = await failureOf(paul.searchDirectory({ searchString: 'Emma' }));

    expect(error).toBeInstanceOf(Unavailable);
    expect((await harness.control.stats()).byOperation.searchDirectoryEntries).toBe(1);
  });

  it('a hang hits the caller’s deadline and becomes Unavailable, on time', async () => {
    await harness.control.faults({ kind: 'hang', count: 5, operation: 'readExtension' });
    const started = performance.now();

    const error = await failureOf(paul.readExtension('~', { deadlineMs: 400 }));

    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(Unavailable);
    expect((error as Unavailable).message).toMatch(/deadline/);
    expect(elapsed).toBeGreaterThanOrEqual(380);
    expect(elapsed).toBeLessThan(400 + 250);
  });

  it('a malformed body becomes InvalidResponse', async () => {
    await harness.control.faults({ kind: 'malformed', count: 1, operation: 'listExtensions' });
    const error = await failureOf(paul.listExtensions());
    expect(error).toBeInstanceOf(InvalidResponse);
  });

  it('well-formed JSON of the wrong shape becomes InvalidResponse naming the field, never its value', async () => {
    // The sandbox only ever answers the right shape, so a stand-in RingCentral answers this one.
    const wrongShape = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'Jane Doe +16505550100', mainNumber: 42 }));
    });
    await new Promise<void>((resolve) => wrongShape.listen(0, '127.0.0.1', resolve));
    const { port } = wrongShape.address() as AddressInfo;
    const store = new MemoryTokenStore();
    const client = createRingCentralClient({
      serverUrl: `http://127.0.0.1:${port}`,
      clientId: 'id',
      clientSecret: 'secret',
      tokenStore: store,
    });
    try {
      await store.save('slack:T1:shape', {
        accessToken: 'A',
        accessTokenExpiresAt: Date.now() + 3_600_000,
        refreshToken: 'R',
        refreshTokenExpiresAt: Date.now() + 86_400_000,
        scope: 'ReadAccounts',
        ownerId: '1',
        endpointId: 'e',
      });
      const error = await failureOf(client.forUser('slack:T1:shape').readAccount());
      expect(error).toBeInstanceOf(InvalidResponse);
      expect((error as InvalidResponse).message).toMatch(/does not match the schema \(.*\bid\b/);
      expect((error as InvalidResponse).message).not.toContain('Jane Doe');
    } finally {
      await client.close();
      await new Promise((resolve) => wrongShape.close(resolve));
    }
  });

  it('a GET whose body is cut off once is asked again and succeeds', async () => {
    await harness.control.faults({ kind: 'truncated', count: 1, operation: 'readDirectoryEntry' });
    const entry = await paul.readDirectoryEntry('435069008');
    expect(entry.id).toBe('435069008');
  });

  it('a body cut off on every attempt becomes InvalidResponse', async () => {
    await harness.control.faults({ kind: 'truncated', count: 10, operation: 'readDirectoryEntry' });
    const error = await failureOf(paul.readDirectoryEntry('435069008'));
    expect(error).toBeInstanceOf(InvalidResponse);
    expect((error as InvalidResponse).message).toMatch(/cut off/);
  });

  it('the pool keeps working after hangs, resets and cut-off bodies', async () => {
    const account = await paul.readAccount();
    expect(account.id).toBe(401145624008);
  });
});

describe('secrets', () => {
  it('no token appears in any error message or serialised error', async () => {
    // Add the remaining kinds: NotPermitted, NotFound, NeedsLink.
    errorsSeen.push(await rejectionOf(paul.listAccountPhoneNumbers()));
    errorsSeen.push(await rejectionOf(paul.readExtension('999999999')));
    await harness.control.revokeSessions('435068008');
    errorsSeen.push(await rejectionOf(paul.readAccount()));

    const kinds = new Set(errorsSeen.map((error) => (error as RingCentralError).kind));
    expect([...kinds].sort()).toEqual(['invalid-response', 'needs-link', 'not-found', 'not-permitted', 'rate-limited', 'unavailable']);
    expect(harness.store.everyToken.size).toBeGreaterThan(4);
    for (const error of errorsSeen) {
      expect(error).toBeInstanceOf(RingCentralError);
      const texts = [(error as Error).message, JSON.stringify(error), String(error), (error as Error).stack ?? ''];
      for (const text of texts) {
        expect(text).not.toMatch(/SBX[AR][A-Za-z0-9_-]{8}/);
        for (const token of harness.store.everyToken) expect(text).not.toContain(token);
      }
    }
  });
});

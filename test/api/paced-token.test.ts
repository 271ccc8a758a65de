import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApiHarness } from './harness.ts';
import { linkUser, startHarness } from './harness.ts';

let harness: ApiHarness;

beforeAll(async () => {
  // One Light request per user per second: a second call waits a whole window at the pacer.
  harness = await startHarness({ rateLimits: { limits: { Light: 1 }, windowSeconds: 1, penaltySeconds: 1 } });
});

afterAll(async () => {
  await harness?.close();
});

it('a call that waited at the pacer goes out with the token current when it is sent, not the one before the wait', async () => {
  const extension = harness.sandbox.seed.extensions.find((candidate) => candidate.extensionNumber === '103')!;
  const userKey = 'slack:T1:emma';
  const replicaA = harness.client;
  const replicaB = harness.newClient();
  await linkUser(replicaA, harness.store, userKey, '103');
  await replicaA.forUser(userKey).readExtension(); // spends the second's Light budget

  const waiting = replicaA.forUser(userKey).readExtension();
  await new Promise((resolve) => setTimeout(resolve, 100));
  // Meanwhile another replica finds the access token expired and rotates the pair (a Medium call: no Light budget).
  await harness.control.expireAccessTokens(extension.id);
  await replicaB.forUser(userKey).listExtensions({ extensionNumber: '101' });
  expect((await harness.control.stats()).tokenRequests.refresh_token).toBe(1);
  await harness.control.resetStats();

  expect((await waiting).extensionNumber).toBe('103');
  // One request: no 401 for a token rotated during the wait, and no second wait for the retry.
  expect((await harness.control.stats()).byOperation['readExtension']).toBe(1);
});

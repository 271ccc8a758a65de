import { afterEach, describe, expect, it } from 'vitest';
import { HeldBack, Unavailable } from '../../src/api/errors.ts';
import type { ApiHarness } from './harness.ts';
import { linkUser, rejectionOf, startHarness } from './harness.ts';

/*
 * Which attempts spend the user's request budget: only those that reached RingCentral. The client paces by its own
 * count (a small Light budget, which no answer's headers overrule before the assertions), against the real sandbox.
 */

let harness: ApiHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(light: number, retry: { maxAttempts: number }, timeouts: { headersMs?: number } = {}) {
  harness = await startHarness(
    {},
    { limits: { groupLimits: { Light: light } }, retry: { ...retry, baseDelayMs: 10, maxDelayMs: 20 }, timeouts },
  );
  await linkUser(harness.client, harness.store, 'slack:T1:paul', '102');
  return { harness, paul: harness.client.forUser('slack:T1:paul') };
}

describe('the request budget and attempts that never reached RingCentral', () => {
  it('retries against a RingCentral that is down spend nothing: once it is back, the next call goes out at once', async () => {
    const { harness, paul } = await start(2, { maxAttempts: 3 });
    await harness.sandbox.stop();
    // Five calls, three attempts each, against a Light budget of 2: every one is refused at connect.
    for (let call = 0; call < 5; call += 1) {
      const failure = await rejectionOf(paul.readAccount({ deadlineMs: 2_000 }));
      expect(failure).toBeInstanceOf(Unavailable);
    }
    await harness.sandbox.restart();
    await harness.control.resetStats();
    const started = performance.now();
    const account = await paul.readAccount({ deadlineMs: 2_000 });
    expect(account.id).toBeDefined();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect((await harness.control.stats()).total).toBe(1);
  });

  it('a connection dropped before any answer gives its slot back', async () => {
    const { harness, paul } = await start(1, { maxAttempts: 1 });
    await harness.control.faults({ kind: 'reset', count: 1, operation: 'readAccountInfo' });
    expect(await rejectionOf(paul.readAccount({ deadlineMs: 2_000 }))).toBeInstanceOf(Unavailable);
    const account = await paul.readAccount({ deadlineMs: 1_000 });
    expect(account.id).toBeDefined();
  });

  it('a request that timed out after it was sent keeps its slot: RingCentral may have counted it', async () => {
    const { harness, paul } = await start(1, { maxAttempts: 1 }, { headersMs: 300 });
    await harness.control.faults({ kind: 'hang', count: 1, operation: 'readAccountInfo' });
    expect(await rejectionOf(paul.readAccount({ deadlineMs: 3_000 }))).toBeInstanceOf(Unavailable);
    await harness.control.resetStats();
    const held = await rejectionOf(paul.readAccount({ deadlineMs: 1_000 }));
    expect(held).toBeInstanceOf(HeldBack);
    expect(held).toMatchObject({ limit: 1, windowSeconds: 60 });
    expect((await harness.control.stats()).total, 'held back before sending').toBe(0);
  });
});

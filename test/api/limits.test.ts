import { describe, expect, it } from 'vitest';
import { HeldBack, RateLimited } from '../../src/api/errors.ts';
import { OPERATION_GROUPS, SlidingWindowPacer } from '../../src/api/limits.ts';
import { readFileSync } from 'node:fs';
import { virtualTime } from './virtual-time.ts';

const alice = { userKey: 'slack:T1:alice', group: 'Heavy' as const };

describe('SlidingWindowPacer', () => {
  it('lets at most the group limit through per window, then waits for the oldest request to leave it', async () => {
    const time = virtualTime();
    const pacer = new SlidingWindowPacer({
      limits: { Heavy: 3 },
      windowSeconds: 60,
      safetyMarginMs: 0,
      clock: time.clock,
      sleep: time.sleep,
    });
    const sentAt: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      await pacer.acquire(alice, time.deadline(600_000));
      sentAt.push(time.clock());
    }
    for (let i = 3; i < sentAt.length; i += 1) {
      // Within any 60 s there are never more than 3.
      expect((sentAt[i] ?? 0) - (sentAt[i - 3] ?? 0)).toBeGreaterThanOrEqual(60_000);
    }
  });

  it("says how many requests may go out now: the limit less our own and others' requests in the window, none during a penalty", async () => {
    const time = virtualTime();
    const pacer = new SlidingWindowPacer({ limits: { Medium: 40 }, safetyMarginMs: 0, clock: time.clock, sleep: time.sleep });
    const medium = { ...alice, group: 'Medium' as const };
    expect(pacer.headroom(medium)).toBe(40);
    for (let i = 0; i < 5; i += 1) await pacer.acquire(medium, time.deadline(1_000));
    expect(pacer.headroom(medium)).toBe(35);
    // The server counted 10 more than we sent (another replica).
    pacer.observe(medium, { status: 200, limit: 40, remaining: 25, windowSeconds: 60 });
    expect(pacer.headroom(medium)).toBe(25);
    time.advance(61_000);
    expect(pacer.headroom(medium)).toBe(40);
    pacer.observe(medium, { status: 429, retryAfterSeconds: 30 });
    expect(pacer.headroom(medium)).toBe(0);
  });

  it("keeps what the server counted beyond our requests for its window, though a later answer's count is hidden by our requests still on their way", async () => {
    const time = virtualTime();
    const pacer = new SlidingWindowPacer({ limits: { Light: 50 }, safetyMarginMs: 0, clock: time.clock, sleep: time.sleep });
    const light = { ...alice, group: 'Light' as const };
    // Someone else (a sign-in's own requests, another session) spent 1; we have sent nothing yet.
    pacer.observe(light, { status: 200, limit: 50, remaining: 49, windowSeconds: 60 });
    expect(pacer.headroom(light)).toBe(49);
    // We send 20; the server has seen 11 of them when the first answer comes (its count: 12, ours: 20).
    for (let i = 0; i < 20; i += 1) await pacer.acquire(light, time.deadline(1_000));
    pacer.observe(light, { status: 200, limit: 50, remaining: 38, windowSeconds: 60 });
    // The foreign one still counts: 50 - 20 - 1.
    expect(pacer.headroom(light)).toBe(29);
    // A higher foreign count replaces it; the window's end frees it.
    pacer.observe(light, { status: 200, limit: 50, remaining: 27, windowSeconds: 60 });
    expect(pacer.headroom(light)).toBe(27);
    time.advance(61_000);
    expect(pacer.headroom(light)).toBe(50);
  });

  it('takes the server’s X-Rate-Limit-Remaining as the truth when others spent the budget', async () => {
    const time = virtualTime();
    const pacer = new SlidingWindowPacer({ limits: { Heavy: 10 }, safetyMarginMs: 0, clock: time.clock, sleep: time.sleep });
    await pacer.acquire(alice, time.deadline(1_000));
    // Another replica used the other nine.
    pacer.observe(alice, { status: 200, limit: 10, remaining: 0, windowSeconds: 60 });
    // No 429 came: it is our own pacing that holds the request back.
    await expect(pacer.acquire(alice, time.deadline(1_000))).rejects.toBeInstanceOf(HeldBack);
    await pacer.acquire(alice, time.deadline(120_000));
    expect(time.clock()).toBeGreaterThanOrEqual(60_000);
  });

  it('after a 429 sends nothing in that group until Retry-After has passed', async () => {
    const time = virtualTime();
    const pacer = new SlidingWindowPacer({ safetyMarginMs: 0, clock: time.clock, sleep: time.sleep });
    await pacer.acquire(alice, time.deadline(1_000));
    pacer.observe(alice, { status: 429, retryAfterSeconds: 5 });
    await pacer.acquire(alice, time.deadline(10_000));
    expect(time.clock()).toBeGreaterThanOrEqual(5_000);
  });

  it('fails fast with RateLimited (RingCentral did ask) carrying when to retry if a penalty would pass the deadline', async () => {
    const time = virtualTime();
    const pacer = new SlidingWindowPacer({ safetyMarginMs: 0, clock: time.clock, sleep: time.sleep });
    pacer.observe(alice, { status: 429, retryAfterSeconds: 30 });
    const error = await pacer.acquire(alice, time.deadline(2_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).retryAfterSeconds).toBe(30);
    expect(time.slept).toEqual([]);
  });

  it('fails fast with HeldBack, naming the limit RingCentral announced and when to retry, if its own count would pass the deadline', async () => {
    const time = virtualTime();
    const pacer = new SlidingWindowPacer({ safetyMarginMs: 0, clock: time.clock, sleep: time.sleep });
    // Before any header: RingCentral's documented default for the group.
    for (let i = 0; i < 10; i += 1) await pacer.acquire(alice, time.deadline(0));
    const byDefault = await pacer.acquire(alice, time.deadline(0)).catch((e: unknown) => e);
    expect(byDefault).toBeInstanceOf(HeldBack);
    expect(byDefault).toMatchObject({ limit: 10, windowSeconds: 60, retryAfterSeconds: 60 });

    const bob = { userKey: 'slack:T1:bob', group: 'Heavy' as const };
    await pacer.acquire(bob, time.deadline(0));
    pacer.observe(bob, { status: 200, limit: 3, remaining: 2, windowSeconds: 30 });
    await pacer.acquire(bob, time.deadline(0));
    time.advance(10_000);
    await pacer.acquire(bob, time.deadline(0));
    const learned = await pacer.acquire(bob, time.deadline(5_000)).catch((e: unknown) => e);
    expect(learned).toBeInstanceOf(HeldBack);
    // The oldest of the three leaves the 30 s window 20 s from now.
    expect(learned).toMatchObject({ limit: 3, windowSeconds: 30, retryAfterSeconds: 20 });
    expect(time.slept).toEqual([]);
  });

  it('gives back the slot of a request that never reached RingCentral, and only once', async () => {
    const time = virtualTime();
    const pacer = new SlidingWindowPacer({ limits: { Heavy: 2 }, safetyMarginMs: 0, clock: time.clock, sleep: time.sleep });
    const answered = await pacer.acquire(alice, time.deadline(0));
    const unreached = await pacer.acquire(alice, time.deadline(0));
    await expect(pacer.acquire(alice, time.deadline(0))).rejects.toBeInstanceOf(HeldBack);
    await unreached.giveBack();
    await unreached.giveBack();
    // One slot again, not two: the answered request still counts.
    await pacer.acquire(alice, time.deadline(0));
    await expect(pacer.acquire(alice, time.deadline(0))).rejects.toBeInstanceOf(HeldBack);
    expect(answered).toBeDefined();
  });

  it('a slot given back after an answer re-stamped the window still frees exactly one slot', async () => {
    const time = virtualTime();
    const pacer = new SlidingWindowPacer({ limits: { Heavy: 2 }, safetyMarginMs: 0, clock: time.clock, sleep: time.sleep });
    const unreached = await pacer.acquire(alice, time.deadline(0));
    time.advance(1_000);
    await pacer.acquire(alice, time.deadline(0));
    time.advance(1_000);
    // The second request's answer: the pacer counts it from now, in place of the oldest send time (the unreached one's).
    pacer.observe(alice, { status: 200 });
    await unreached.giveBack();
    await pacer.acquire(alice, time.deadline(0));
    const refused = await pacer.acquire(alice, time.deadline(0)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HeldBack);
  });

  it('keeps separate budgets per user and per group', async () => {
    const time = virtualTime();
    const pacer = new SlidingWindowPacer({ limits: { Heavy: 1, Light: 1 }, safetyMarginMs: 0, clock: time.clock, sleep: time.sleep });
    await pacer.acquire(alice, time.deadline(0));
    await pacer.acquire({ userKey: 'slack:T1:bob', group: 'Heavy' }, time.deadline(0));
    await pacer.acquire({ userKey: alice.userKey, group: 'Light' }, time.deadline(0));
    await expect(pacer.acquire(alice, time.deadline(0))).rejects.toBeInstanceOf(HeldBack);
  });
});

describe('OPERATION_GROUPS', () => {
  it('matches x-throttling-group in the OpenAPI spec', () => {
    const spec = JSON.parse(readFileSync(new URL('../../../shared/reference/ringcentral-openapi.json', import.meta.url), 'utf8')) as {
      paths: Record<string, Record<string, { operationId?: string; 'x-throttling-group'?: string }>>;
    };
    const fromSpec = new Map<string, string | undefined>();
    for (const methods of Object.values(spec.paths)) {
      for (const operation of Object.values(methods)) {
        if (typeof operation === 'object' && operation.operationId) fromSpec.set(operation.operationId, operation['x-throttling-group']);
      }
    }
    for (const [operation, group] of Object.entries(OPERATION_GROUPS)) {
      if (operation === 'getToken' || operation === 'revokeToken') continue; // OAuth is not in the v1.0.46 paths
      expect(fromSpec.get(operation), operation).toBe(group);
    }
  });
});

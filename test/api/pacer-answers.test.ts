import { describe, expect, it } from 'vitest';
import { SlidingWindowPacer } from '../../src/api/limits.ts';
import { virtualTime } from './virtual-time.ts';

/*
 * RingCentral counts a request when it arrives, which may be well after we sent it (a pause in this process, a slow
 * network). The pacer therefore counts each request from its answer, the latest moment the server can have counted it.
 */

const bob = { userKey: 'slack:T1:bob', group: 'Light' as const };

describe('SlidingWindowPacer and late answers', () => {
  it('a request answered 2 s after it was sent frees its slot a full window after the answer', async () => {
    const time = virtualTime();
    const pacer = new SlidingWindowPacer({
      limits: { Light: 1 },
      windowSeconds: 10,
      safetyMarginMs: 0,
      clock: time.clock,
      sleep: time.sleep,
    });
    await pacer.acquire(bob, time.deadline(60_000));
    time.advance(2_000);
    pacer.observe(bob, { status: 200 });
    await pacer.acquire(bob, time.deadline(60_000));
    // Sent at 0, answered at 2 s: the server may have counted it as late as 2 s, so the next goes at 12 s, not 10 s.
    expect(time.clock()).toBe(12_000);
  });

  it('three requests answered together free their three slots a window after the answers, not one more or less', async () => {
    const time = virtualTime();
    const pacer = new SlidingWindowPacer({
      limits: { Light: 3 },
      windowSeconds: 10,
      safetyMarginMs: 0,
      clock: time.clock,
      sleep: time.sleep,
    });
    for (let i = 0; i < 3; i += 1) await pacer.acquire(bob, time.deadline(60_000));
    time.advance(100);
    for (let i = 0; i < 3; i += 1) pacer.observe(bob, { status: 200 });
    await pacer.acquire(bob, time.deadline(60_000));
    expect(time.clock()).toBe(10_100);
  });

  it('an answer re-stamps its own request, never one answered before: that one leaves the window on time', async () => {
    const time = virtualTime();
    const pacer = new SlidingWindowPacer({
      limits: { Light: 2 },
      windowSeconds: 10,
      safetyMarginMs: 0,
      clock: time.clock,
      sleep: time.sleep,
    });
    await pacer.acquire(bob, time.deadline(0));
    pacer.observe(bob, { status: 200 });
    time.advance(9_900);
    await pacer.acquire(bob, time.deadline(0));
    time.advance(50);
    pacer.observe(bob, { status: 200 });
    time.advance(51);
    // The first request left the window at 10 s; the second counts until 19.95 s.
    expect(pacer.headroom(bob)).toBe(1);
    await pacer.acquire(bob, time.deadline(0));
    expect(pacer.headroom(bob)).toBe(0);
  });
});

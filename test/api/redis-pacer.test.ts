import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { deadlineAfter } from '../../src/api/deadline.ts';
import { HeldBack, RateLimited } from '../../src/api/errors.ts';
import type { PacerKey } from '../../src/api/limits.ts';
import type { Logger } from '../../src/observability/logger.ts';
import { RedisPacer } from '../../src/api/redis-pacer.ts';
import { openSharedPacing } from '../../src/api/shared-pacing.ts';
import { connectTestRedis, deleteKeysUnder, keysUnder, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';

const redisTarget = (() => {
  const url = new URL(TEST_REDIS_URL);
  return { host: url.hostname, port: Number(url.port || 6379) };
})();

/** A logger that keeps what it was told, for the "says so in its logs" rules. */
function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const record = (level: string) => (_object: Record<string, unknown>, message: string) => void lines.push({ level, message });
  const logger: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  return { logger, lines };
}

async function eventually(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The most requests that ever fell inside one window of `windowMs`, from sorted send times. */
function mostInAnyWindow(sentAt: number[], windowMs: number): number {
  const times = [...sentAt].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last += 1) {
    while ((times[last] ?? 0) - (times[first] ?? 0) >= windowMs) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

// Each test has keys of its own, and their waits are real time: run side by side.
describe.concurrent('RedisPacer (real Redis)', () => {
  let redisA: Redis;
  let redisB: Redis;
  let admin: Redis;
  const prefix = testKeyPrefix();
  const user = (name: string, group: PacerKey['group'] = 'Light'): PacerKey => ({ userKey: `slack:T1:${name}-${prefix}`, group });

  beforeAll(async () => {
    // Two connections stand for two replicas; the third inspects Redis.
    [redisA, redisB, admin] = await Promise.all([connectTestRedis(), connectTestRedis(), connectTestRedis()]);
  });

  afterAll(async () => {
    await deleteKeysUnder(admin, prefix);
    redisA.disconnect();
    redisB.disconnect();
    admin.disconnect();
  });

  it('two replicas together never send more than the group limit in any window, and every request goes out', async () => {
    const options = { keyPrefix: prefix, limits: { Light: 4 }, windowSeconds: 0.6, safetyMarginMs: 30 };
    const replicas = [new RedisPacer(redisA, options), new RedisPacer(redisB, options)];
    const key = user('burst');
    const sentAt: number[] = [];
    await Promise.all(
      Array.from({ length: 16 }, async (_, index) => {
        await replicas[index % 2]!.acquire(key, deadlineAfter(10_000));
        sentAt.push(performance.now());
      }),
    );
    expect(sentAt).toHaveLength(16);
    expect(mostInAnyWindow(sentAt, 600)).toBeLessThanOrEqual(4);
    // Pacing, not serialising: 16 requests at 4 per 0.6 s take about three windows, not far more.
    const span = Math.max(...sentAt) - Math.min(...sentAt);
    expect(span).toBeGreaterThanOrEqual(3 * 600);
    expect(span).toBeLessThan(3 * 600 + 1_000);
  });

  it('follows the window and limit the server announces rather than the configured defaults', async () => {
    const replicas = [
      new RedisPacer(redisA, { keyPrefix: prefix, safetyMarginMs: 30 }),
      new RedisPacer(redisB, { keyPrefix: prefix, safetyMarginMs: 30 }),
    ];
    const key = user('learns');
    // RingCentral's default would be 50 per 60 s; this server says 2 per second.
    await replicas[0]!.observe(key, { status: 200, limit: 2, remaining: 2, windowSeconds: 1 });
    await replicas[0]!.acquire(key, deadlineAfter(1_000));
    await replicas[1]!.acquire(key, deadlineAfter(1_000));
    const refused = await replicas[1]!.acquire(key, deadlineAfter(300)).catch((error: unknown) => error);
    // Held back by the pacer (no 429), naming the limit and window the server announced.
    expect(refused).toBeInstanceOf(HeldBack);
    expect(refused).toMatchObject({ limit: 2, windowSeconds: 1 });
    const started = performance.now();
    await replicas[0]!.acquire(key, deadlineAfter(3_000));
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThan(600);
    expect(waited).toBeLessThan(2_000);
  });

  it('a 429 one replica sees holds back the other until Retry-After has passed', async () => {
    const options = { keyPrefix: prefix, safetyMarginMs: 30 };
    const [first, second] = [new RedisPacer(redisA, options), new RedisPacer(redisB, options)];
    const key = user('penalty', 'Heavy');
    await first.observe(key, { status: 429, limit: 10, remaining: 0, windowSeconds: 60, retryAfterSeconds: 1 });
    const refused = await second.acquire(key, deadlineAfter(500)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimited);
    // Retry-After, plus the safety margin, rounded up.
    expect([1, 2]).toContain((refused as RateLimited).retryAfterSeconds);
    const started = performance.now();
    await second.acquire(key, deadlineAfter(5_000));
    expect(performance.now() - started).toBeGreaterThan(800);
    // Another group of the same user is not held back.
    const light = performance.now();
    await second.acquire({ ...key, group: 'Light' }, deadlineAfter(200));
    expect(performance.now() - light).toBeLessThan(150);
  });

  it('a budget the server counted but no replica reserved (X-Rate-Limit-Remaining) holds back every replica', async () => {
    const options = { keyPrefix: prefix, safetyMarginMs: 30 };
    const [first, second] = [new RedisPacer(redisA, options), new RedisPacer(redisB, options)];
    const key = user('foreign', 'Medium');
    // An earlier process spent 9 of 10 in this 1 s window.
    await first.observe(key, { status: 200, limit: 10, remaining: 1, windowSeconds: 1 });
    await second.acquire(key, deadlineAfter(200));
    await expect(first.acquire(key, deadlineAfter(300))).rejects.toBeInstanceOf(HeldBack);
    const started = performance.now();
    await first.acquire(key, deadlineAfter(3_000));
    expect(performance.now() - started).toBeGreaterThan(600);
  });

  it("a foreign count stays for its window, though a later answer's count is hidden by requests still on their way", async () => {
    const options = { keyPrefix: prefix, limits: { Light: 5 }, windowSeconds: 1, safetyMarginMs: 30 };
    const [first, second] = [new RedisPacer(redisA, options), new RedisPacer(redisB, options)];
    const key = user('foreign-masked', 'Light');
    // One request RingCentral counted that no replica reserved (a sign-in's own call).
    await first.observe(key, { status: 200, limit: 5, remaining: 4, windowSeconds: 1 });
    for (let i = 0; i < 3; i += 1) await second.acquire(key, deadlineAfter(200));
    // The first of the three is answered while two are still on their way: the server counts 2, we reserved 3.
    await second.observe(key, { status: 200, limit: 5, remaining: 3, windowSeconds: 1 });
    await first.acquire(key, deadlineAfter(200));
    // 3 + 1 reserved and 1 foreign fill the window of 5: the next waits for it, rather than meeting a 429.
    await expect(first.acquire(key, deadlineAfter(300))).rejects.toBeInstanceOf(HeldBack);
  });

  it('a request that waited for its slot does not go out into a penalty that began meanwhile', async () => {
    const options = { keyPrefix: prefix, limits: { Light: 1 }, windowSeconds: 0.5, safetyMarginMs: 30 };
    const [first, second] = [new RedisPacer(redisA, options), new RedisPacer(redisB, options)];
    const key = user('penalty-while-waiting');
    await first.acquire(key, deadlineAfter(1_000));
    const started = performance.now();
    const waiting = second.acquire(key, deadlineAfter(5_000)); // its slot is half a second away
    await new Promise((resolve) => setTimeout(resolve, 100));
    await first.observe(key, { status: 429, limit: 1, remaining: 0, windowSeconds: 1, retryAfterSeconds: 1 });
    await waiting;
    // Released only after the penalty (1 s from the 429), not at its slot: a request then would restart the penalty.
    expect(performance.now() - started).toBeGreaterThan(1_000);
  });

  it('a grant used late moves its reservation to when the request really went out', async () => {
    const pacer = new RedisPacer(redisA, { keyPrefix: prefix, limits: { Light: 1 }, windowSeconds: 0.5, safetyMarginMs: 30 });
    const key = user('late');
    const grant = await pacer.acquire(key, deadlineAfter(1_000));
    const acquiredAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 400)); // a busy process acts on the grant late
    grant.sending();
    await pacer.acquire(key, deadlineAfter(5_000));
    // The window counts from the send, 400 ms after the grant: the next slot is a window after that.
    expect(performance.now() - acquiredAt).toBeGreaterThan(400 + 500);
  });

  it('a request refused for its deadline takes no slot from the others', async () => {
    const pacer = new RedisPacer(redisA, { keyPrefix: prefix, limits: { Heavy: 1 }, windowSeconds: 30, safetyMarginMs: 0 });
    const key = user('refused', 'Heavy');
    await pacer.acquire(key, deadlineAfter(1_000));
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await expect(pacer.acquire(key, deadlineAfter(100))).rejects.toBeInstanceOf(HeldBack);
    }
    const [reservations] = pacer.keysOf(key);
    expect(await admin.zcard(reservations)).toBe(1);
  });

  it('a slot given back (the request never reached RingCentral) is free again for every replica, once', async () => {
    const options = { keyPrefix: prefix, limits: { Heavy: 2 }, windowSeconds: 30, safetyMarginMs: 0 };
    const [first, second] = [new RedisPacer(redisA, options), new RedisPacer(redisB, options)];
    const key = user('given-back', 'Heavy');
    await first.acquire(key, deadlineAfter(1_000));
    const unreached = await first.acquire(key, deadlineAfter(1_000));
    unreached.sending();
    await expect(second.acquire(key, deadlineAfter(100))).rejects.toBeInstanceOf(HeldBack);
    await unreached.giveBack();
    await unreached.giveBack();
    const [reservations] = first.keysOf(key);
    expect(await admin.zcard(reservations)).toBe(1);
    // The other replica gets the slot at once, and only that one: the answered request still counts.
    const started = performance.now();
    await second.acquire(key, deadlineAfter(1_000));
    expect(performance.now() - started).toBeLessThan(200);
    await expect(second.acquire(key, deadlineAfter(100))).rejects.toBeInstanceOf(HeldBack);
    expect(await admin.zcard(reservations)).toBe(2);
  });

  it('a 429 penalty that outlasts the deadline is RateLimited (RingCentral asked), not HeldBack', async () => {
    const pacer = new RedisPacer(redisA, { keyPrefix: prefix, safetyMarginMs: 0 });
    const key = user('penalty-kind', 'Medium');
    await pacer.observe(key, { status: 429, retryAfterSeconds: 20 });
    const refused = await pacer.acquire(key, deadlineAfter(100)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimited);
    expect((refused as RateLimited).retryAfterSeconds).toBe(20);
  });

  it('keeps no raw user id in key names, and every key expires', async () => {
    const pacer = new RedisPacer(redisA, { keyPrefix: prefix });
    const key = user('private-U0SECRET');
    await pacer.acquire(key, deadlineAfter(1_000));
    await pacer.observe(key, { status: 200, limit: 50, remaining: 49, windowSeconds: 60 });
    const keys = await keysUnder(admin, prefix);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const name of keys) {
      expect(name.startsWith(`${prefix}pace:`)).toBe(true);
      expect(name).not.toContain('U0SECRET');
      expect(name).not.toContain('slack:');
      const ttl = await admin.pttl(name);
      expect(ttl, name).toBeGreaterThan(0);
      expect(ttl, name).toBeLessThanOrEqual(60 * 60 * 1000);
    }
  });
});

describe('FallbackPacer', () => {
  const prefix = testKeyPrefix();
  let admin: Redis;

  beforeAll(async () => {
    admin = await connectTestRedis();
  });

  afterAll(async () => {
    await deleteKeysUnder(admin, prefix);
    admin.disconnect();
  });

  it('with Redis unreachable at start, paces per process, says so once, and keeps answering', async () => {
    const closed = await startTcpProxy(redisTarget);
    await closed.stop(); // a port nobody listens on
    const { logger, lines } = recordingLogger();
    const pacing = await openSharedPacing({
      redisUrl: `redis://127.0.0.1:${closed.port}`,
      keyPrefix: prefix,
      logger,
      connectTimeoutMs: 300,
    });
    try {
      expect(pacing.status()).toBe('local');
      const key: PacerKey = { userKey: 'slack:T1:local', group: 'Heavy' };
      for (let index = 0; index < 3; index += 1) await pacing.pacer.acquire(key, deadlineAfter(1_000));
      await pacing.pacer.observe(key, { status: 200, limit: 10, remaining: 7, windowSeconds: 60 });
      expect(lines.filter((line) => line.message === 'Redis unavailable: pacing per process')).toHaveLength(1);
    } finally {
      await pacing.close();
      await closed.close();
    }
  });

  it('switches to per-process pacing when Redis goes away and back to shared pacing when it returns, logging each switch once', async () => {
    const proxy = await startTcpProxy(redisTarget);
    const { logger, lines } = recordingLogger();
    const pacing = await openSharedPacing({
      redisUrl: `redis://127.0.0.1:${proxy.port}`,
      keyPrefix: prefix,
      logger,
      commandTimeoutMs: 200,
      probeIntervalMs: 50,
    });
    const key: PacerKey = { userKey: 'slack:T1:switches', group: 'Light' };
    try {
      expect(pacing.status()).toBe('shared');
      await pacing.pacer.acquire(key, deadlineAfter(1_000));
      expect(await keysUnder(admin, prefix)).not.toEqual([]);

      await proxy.stop();
      for (let index = 0; index < 5; index += 1) {
        const started = performance.now();
        await pacing.pacer.acquire(key, deadlineAfter(2_000));
        expect(performance.now() - started).toBeLessThan(300);
      }
      expect(pacing.status()).toBe('local');
      expect(lines.filter((line) => line.level === 'warn' && line.message === 'Redis unavailable: pacing per process')).toHaveLength(1);

      await proxy.start();
      await eventually(() => pacing.status() === 'shared', 'shared pacing after Redis came back');
      expect(lines.filter((line) => line.level === 'info' && line.message === 'Redis back: shared pacing')).toHaveLength(1);
      const [reservations] = new RedisPacer(admin, { keyPrefix: prefix }).keysOf(key);
      const before = await admin.zcard(reservations);
      await pacing.pacer.acquire(key, deadlineAfter(1_000));
      expect(await admin.zcard(reservations)).toBe(before + 1);
    } finally {
      await pacing.close();
      await proxy.close();
    }
  });

  it('gives a shared slot back in Redis, and a give-back Redis cannot take switches to per-process pacing without failing', async () => {
    const proxy = await startTcpProxy(redisTarget);
    const { logger, lines } = recordingLogger();
    const pacing = await openSharedPacing({
      redisUrl: `redis://127.0.0.1:${proxy.port}`,
      keyPrefix: prefix,
      logger,
      commandTimeoutMs: 200,
      probeIntervalMs: 60_000,
      groupLimits: { Heavy: 1 },
    });
    const key: PacerKey = { userKey: 'slack:T1:gives-back', group: 'Heavy' };
    const [reservations] = new RedisPacer(admin, { keyPrefix: prefix }).keysOf(key);
    try {
      const unreached = await pacing.pacer.acquire(key, deadlineAfter(1_000));
      await expect(pacing.pacer.acquire(key, deadlineAfter(100))).rejects.toBeInstanceOf(HeldBack);
      await unreached.giveBack();
      expect(await admin.zcard(reservations)).toBe(0);
      const second = await pacing.pacer.acquire(key, deadlineAfter(100));
      expect(await admin.zcard(reservations)).toBe(1);

      await proxy.stop();
      await second.giveBack();
      expect(pacing.status()).toBe('local');
      expect(lines.filter((line) => line.message === 'Redis unavailable: pacing per process')).toHaveLength(1);
    } finally {
      await pacing.close();
      await proxy.close();
    }
  });

  it('a hung Redis (connected, silent) counts as unavailable after the command timeout', async () => {
    const proxy = await startTcpProxy(redisTarget);
    const { logger, lines } = recordingLogger();
    const pacing = await openSharedPacing({
      redisUrl: `redis://127.0.0.1:${proxy.port}`,
      keyPrefix: prefix,
      logger,
      commandTimeoutMs: 150,
    });
    try {
      expect(pacing.status()).toBe('shared');
      proxy.swallow();
      const started = performance.now();
      await pacing.pacer.acquire({ userKey: 'slack:T1:hung', group: 'Light' }, deadlineAfter(5_000));
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(pacing.status()).toBe('local');
      expect(lines.map((line) => line.message)).toContain('Redis unavailable: pacing per process');
    } finally {
      await pacing.close();
      await proxy.close();
    }
  });

  it('after a switch the local pacer already honours the penalty RingCentral announced while pacing was shared', async () => {
    const proxy = await startTcpProxy(redisTarget);
    const pacing = await openSharedPacing({
      redisUrl: `redis://127.0.0.1:${proxy.port}`,
      keyPrefix: prefix,
      logger: recordingLogger().logger,
      commandTimeoutMs: 200,
    });
    try {
      const key: PacerKey = { userKey: 'slack:T1:penalised', group: 'Medium' };
      await pacing.pacer.observe(key, { status: 429, limit: 40, remaining: 0, windowSeconds: 60, retryAfterSeconds: 30 });
      await proxy.stop();
      const refused = await pacing.pacer.acquire(key, deadlineAfter(500)).catch((error: unknown) => error);
      expect(pacing.status()).toBe('local');
      expect(refused).toBeInstanceOf(RateLimited);
      expect((refused as RateLimited).retryAfterSeconds).toBeGreaterThanOrEqual(29);
    } finally {
      await pacing.close();
      await proxy.close();
    }
  });
});

import { Redis } from 'ioredis';
import type { PacingMode } from './fallback-pacer.ts';
import { FallbackPacer } from './fallback-pacer.ts';
import type { ThrottlingGroup } from './limits.ts';
import { SlidingWindowPacer } from './limits.ts';
import type { Logger } from '../observability/logger.ts';
import { RedisPacer } from './redis-pacer.ts';

export interface SharedPacingOptions {
  /** redis:// or rediss:// */
  redisUrl: string;
  /** Prefix of every key ("switchboard:"). */
  keyPrefix: string;
  logger: Logger;
  /** A Redis command slower than this counts as Redis being unavailable (pacing goes local). */
  commandTimeoutMs?: number | undefined;
  /** How long start-up waits for Redis before it starts pacing locally (it keeps trying in the background). */
  connectTimeoutMs?: number | undefined;
  probeIntervalMs?: number | undefined;
  safetyMarginMs?: number | undefined;
  groupLimits?: Partial<Record<ThrottlingGroup, number>> | undefined;
}

export interface SharedPacing {
  pacer: FallbackPacer;
  /** The connection, for other state replicas share (Slack event claims); commands fail fast while Redis is away. */
  redis: Redis;
  status(): PacingMode;
  /** Resolves when pacing is shared and Redis answers; for readiness. */
  check(): Promise<void>;
  close(): Promise<void>;
}

// Pacing waits for Redis on every RingCentral call; Redis answers in about a millisecond, so waiting long means gone.
// Not much lower: a busy process's event loop can hold a reply back for a few hundred milliseconds.
const DEFAULTS = { commandTimeoutMs: 500, connectTimeoutMs: 2_000 };

/**
 * Pacing shared by all replicas through Redis, falling back to per-process pacing whenever Redis does not answer.
 * Never fails: a Redis that is down at start means local pacing until it comes up.
 */
export async function openSharedPacing(options: SharedPacingOptions): Promise<SharedPacing> {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
  const redis = new Redis(options.redisUrl, {
    // Fail fast rather than queue: a command that cannot go out now is answered by the local pacer instead.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs,
    connectTimeout: connectTimeoutMs,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    lazyConnect: false,
  });
  // Without a listener ioredis prints every failed reconnect; the pacer reports outages itself, once.
  redis.on('error', () => {});

  const ready = await new Promise<boolean>((resolve) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, connectTimeoutMs);
    redis.once('ready', onReady);
  });
  if (!ready) options.logger.warn({}, 'Redis unavailable: pacing per process');

  const pacer = new FallbackPacer({
    shared: new RedisPacer(redis, {
      keyPrefix: options.keyPrefix,
      limits: options.groupLimits,
      safetyMarginMs: options.safetyMarginMs,
    }),
    local: new SlidingWindowPacer({ limits: options.groupLimits }),
    logger: options.logger,
    initialMode: ready ? 'shared' : 'local',
    probeIntervalMs: options.probeIntervalMs,
  });
  return {
    pacer,
    redis,
    status: () => pacer.status(),
    async check() {
      if (pacer.status() !== 'shared') throw new Error('Redis unavailable: pacing per process');
      await redis.ping();
    },
    async close() {
      pacer.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

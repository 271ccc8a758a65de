import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** CI runs Redis here; a run without it must fail, not skip. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of its own, so test files sharing the one Redis never see each other's keys. */
export function testKeyPrefix(): string {
  return `switchboard-test:${randomBytes(6).toString('hex')}:`;
}

/** A connection to the test Redis; throws, naming the URL, when it is unreachable. */
export async function connectTestRedis(url = TEST_REDIS_URL): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(`Redis for the pacing tests is unreachable at ${url} (set TEST_REDIS_URL): ${(error as Error).message}`, {
      cause: error,
    });
  }
  return redis;
}

/** Every key under `prefix`. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  if (keys.length > 0) await redis.del(...keys);
}

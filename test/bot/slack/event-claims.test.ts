import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackEventClaims } from '../../../src/bot/slack/event-claims.ts';
import { connectTestRedis, deleteKeysUnder, keysUnder, testKeyPrefix } from '../../support/redis.ts';

/*
 * Slack repeats an event it saw no acknowledgement for. Each process remembers the event ids it answered; replicas
 * sharing Redis also claim each id there, so a repeat reaching another replica is not answered twice. A Redis that
 * does not answer must never silence the bot. Against the test Redis; the end-to-end case is in
 * test/production/two-replicas.test.ts.
 */

let redisA: Redis;
let redisB: Redis;
const prefix = testKeyPrefix();

beforeAll(async () => {
  [redisA, redisB] = await Promise.all([connectTestRedis(), connectTestRedis()]);
});

afterAll(async () => {
  await deleteKeysUnder(redisA, prefix);
  redisA.disconnect();
  redisB.disconnect();
});

describe('Slack event claims', () => {
  it('in one process: the first delivery of an event id is claimed, a repeat is not', async () => {
    const claims = slackEventClaims();
    expect(await claims.claim('EvLOCAL1')).toBe(true);
    expect(await claims.claim('EvLOCAL1')).toBe(false);
    expect(await claims.claim('EvLOCAL2')).toBe(true);
  });

  it('across replicas sharing Redis: only one of them claims an event id, and the key expires', async () => {
    const [first, second] = [
      slackEventClaims({ redis: redisA, keyPrefix: prefix }),
      slackEventClaims({ redis: redisB, keyPrefix: prefix }),
    ];
    const outcomes = await Promise.all([first.claim('EvSHARED1'), second.claim('EvSHARED1')]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await second.claim('EvSHARED2')).toBe(true);
    expect(await first.claim('EvSHARED2')).toBe(false);
    const [key] = await keysUnder(redisA, `${prefix}slack-event:EvSHARED1`);
    expect(key).toBeDefined();
    expect(await redisA.pttl(key!)).toBeGreaterThan(0);
  });

  it('with Redis gone, every first delivery is still answered, and each process still tells its own repeats', async () => {
    const gone = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true });
    gone.on('error', () => {});
    try {
      const claims = slackEventClaims({ redis: gone, keyPrefix: prefix });
      expect(await claims.claim('EvNOREDIS')).toBe(true);
      expect(await claims.claim('EvNOREDIS')).toBe(false);
    } finally {
      gone.disconnect();
    }
  });
});

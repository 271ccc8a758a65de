import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

// Slack delivers an event again when it saw no acknowledgement within 3 s, up to three times over some minutes.
const CLAIM_TTL_MS = 30 * 60 * 1000;

/**
 * Whether a delivery of a Slack event is the first, so a repeated event_id is answered once: in this process, and
 * across every replica sharing Redis (behind a load balancer Slack's retry may reach another one).
 */
export interface SlackEventClaims {
  claim(eventId: string): Promise<boolean>;
}

export interface SharedClaims {
  redis: Redis;
  /** REDIS_KEY_PREFIX. */
  keyPrefix: string;
}

export function slackEventClaims(shared?: SharedClaims): SlackEventClaims {
  const seen = new LRUCache<string, true>({ max: 50_000, ttl: CLAIM_TTL_MS });
  return {
    async claim(eventId) {
      if (seen.has(eventId)) return false;
      seen.set(eventId, true);
      if (shared === undefined) return true;
      try {
        return (await shared.redis.set(`${shared.keyPrefix}slack-event:${eventId}`, '1', 'PX', CLAIM_TTL_MS, 'NX')) === 'OK';
      } catch {
        // Redis gone: answering a repeated event twice beats answering none.
        return true;
      }
    },
  };
}

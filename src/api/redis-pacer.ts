import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Deadline, Sleep } from './deadline.ts';
import { sleep as realSleep } from './deadline.ts';
import type { PacerKey, PacingGrant, RateLimitObservation, RateLimitPacer, ThrottlingGroup } from './limits.ts';
import { budgetOutlastsDeadline, DEFAULT_GROUP_LIMITS, DEFAULT_WINDOW_SECONDS, penaltyOutlastsDeadline } from './limits.ts';

/*
 * Pacing shared by every replica through Redis. Each (user, throttling group) has a sorted set of reservations
 * (score = the instant a request may be sent, Redis's own clock, so replicas' clocks need not agree) and a hash of what
 * RingCentral's headers said: the group's limit and window, requests it counted that no replica reserved ("foreign"),
 * and the end of a 429 penalty. One Lua script reserves the earliest slot atomically, in call order, in one round trip.
 */

/**
 * KEYS: reservations, meta. ARGV: default limit, default window ms, margin ms, longest wait ms, member.
 * Returns { reserved, waitMs, slot, limit, windowMs, penalised }: reserved is 1 when a slot was reserved, 0 when the wait
 * would be longer than allowed; penalised is 1 while a 429's penalty holds the group back (then the wait is RingCentral's
 * doing, not only our count of its budget).
 *
 * Slots are handed out in order (never before the latest reservation), so the limit-th newest reservation is the one
 * whose leaving the window frees the next slot. A slot that had to wait gets the margin on top: the server counts
 * arrivals, and a request sent on time may arrive later than the one it replaces did.
 */
const ACQUIRE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local meta = redis.call('HMGET', KEYS[2], 'limit', 'windowMs', 'foreign', 'foreignUntil', 'blockedUntil')
local limit = math.max(1, tonumber(meta[1]) or tonumber(ARGV[1]))
local windowMs = tonumber(meta[2]) or tonumber(ARGV[2])
local foreign = tonumber(meta[3]) or 0
local foreignUntil = tonumber(meta[4]) or 0
local blockedUntil = tonumber(meta[5]) or 0
local margin = tonumber(ARGV[3])
local maxWait = tonumber(ARGV[4])

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs - margin)
local count = redis.call('ZCARD', KEYS[1])
local latest = now
if count > 0 then
  latest = math.max(now, tonumber(redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2]))
end

local function slotWithin(budget)
  if budget < 1 then return nil end
  if count < budget then return latest end
  local freeing = tonumber(redis.call('ZRANGE', KEYS[1], count - budget, count - budget, 'WITHSCORES')[2])
  return math.max(latest, freeing + windowMs + margin)
end

local slot = slotWithin(limit)
if foreign > 0 and foreignUntil > now then
  local reduced = slotWithin(limit - foreign)
  if reduced ~= nil and reduced < foreignUntil then slot = reduced else slot = math.max(slot, foreignUntil + margin) end
end
if blockedUntil > now then slot = math.max(slot, blockedUntil + margin) end

local penalised = 0
if blockedUntil > now then penalised = 1 end
local wait = slot - now
if wait > maxWait then return { 0, wait, slot, limit, windowMs, penalised } end
redis.call('ZADD', KEYS[1], slot, ARGV[5])
redis.call('PEXPIRE', KEYS[1], wait + windowMs + margin + 1000)
return { 1, wait, slot, limit, windowMs, penalised }
`;

/**
 * KEYS: reservations, meta. ARGV: member, margin ms. For a request that waited for its slot: if a 429 arrived meanwhile,
 * going out now would only restart RingCentral's penalty, so the slot is given back and the wait until the penalty's
 * end returned; 0 means go.
 */
const CONFIRM = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local blockedUntil = tonumber(redis.call('HGET', KEYS[2], 'blockedUntil')) or 0
if blockedUntil <= now then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
return blockedUntil + tonumber(ARGV[2]) - now
`;

/**
 * KEYS: reservations, meta. ARGV: status, limit, remaining, window seconds, Retry-After seconds (each '' when the
 * response had none), default limit, default window ms, meta TTL ms.
 */
const OBSERVE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local meta = redis.call('HMGET', KEYS[2], 'limit', 'windowMs', 'blockedUntil')
local limit = tonumber(meta[1]) or tonumber(ARGV[6])
local windowMs = tonumber(meta[2]) or tonumber(ARGV[7])
local blockedUntil = tonumber(meta[3]) or 0
local observedLimit = tonumber(ARGV[2])
local remaining = tonumber(ARGV[3])
local observedWindow = tonumber(ARGV[4])
local retryAfter = tonumber(ARGV[5])

if observedLimit ~= nil and observedLimit > 0 then limit = observedLimit end
if observedWindow ~= nil and observedWindow > 0 then windowMs = observedWindow * 1000 end
redis.call('HSET', KEYS[2], 'limit', limit, 'windowMs', windowMs)

local penalised = tonumber(ARGV[1]) == 429
-- On a 429 the remaining count says nothing (0 throughout the penalty); Retry-After says when to go on.
if remaining ~= nil and not penalised then
  -- The server's count is the truth; what it counted beyond the requests sent in the window ages out within one window.
  -- A lower count proves nothing: requests still on their way to RingCentral hide foreign ones from this sum, so what
  -- was learned stays until its window ends, and only a higher count replaces it.
  local sent = redis.call('ZCOUNT', KEYS[1], now - windowMs + 1, now)
  local unexplained = (limit - remaining) - sent
  local learned = redis.call('HMGET', KEYS[2], 'foreign', 'foreignUntil')
  local known = 0
  if (tonumber(learned[2]) or 0) > now then known = tonumber(learned[1]) or 0 end
  if unexplained > 0 and unexplained >= known then
    redis.call('HSET', KEYS[2], 'foreign', unexplained, 'foreignUntil', now + windowMs)
  end
end

if penalised then
  blockedUntil = math.max(blockedUntil, now + (retryAfter or (windowMs / 1000)) * 1000)
  redis.call('HSET', KEYS[2], 'blockedUntil', blockedUntil)
end
redis.call('PEXPIRE', KEYS[2], math.max(tonumber(ARGV[8]), blockedUntil - now + windowMs))
return 1
`;

export interface RedisPacerOptions {
  /** Prefix of every key ("switchboard:"); lets several deployments or test runs share one Redis. */
  keyPrefix?: string | undefined;
  limits?: Partial<Record<ThrottlingGroup, number>> | undefined;
  windowSeconds?: number | undefined;
  /** Added to every slot that had to wait: the server counts arrivals, which trail sends by network and load. */
  safetyMarginMs?: number | undefined;
  /** How long what RingCentral's headers taught (limit, window) outlives the user's last request. */
  learnedTtlMs?: number | undefined;
  sleep?: Sleep | undefined;
}

/** A Redis command failed or timed out; the caller may pace in process instead. */
export class PacingStoreUnavailable extends Error {
  override readonly name = 'PacingStoreUnavailable';
}

// Covers what happens after a request leaves (network, the server's own queue) and a busy process's lag: about the
// internet's worst round trip. Against RingCentral's 60 s window it costs under 1% of the budget.
const DEFAULT_MARGIN_MS = 500;
// Later than this after its slot, a request's reservation is moved to when it really went out.
const LATE_SEND_MS = 20;
const DEFAULT_LEARNED_TTL_MS = 60 * 60 * 1000;

/**
 * A RateLimitPacer every replica shares through Redis: at most the group's limit per window for each user across all
 * processes, in the order requests asked, and a 429 or a foreign count one replica sees holds back all of them.
 * Throws PacingStoreUnavailable when Redis does not answer; it never falls back by itself (FallbackPacer does).
 */
export class RedisPacer implements RateLimitPacer {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #limits: Record<ThrottlingGroup, number>;
  readonly #windowMs: number;
  readonly #marginMs: number;
  readonly #learnedTtlMs: number;
  readonly #sleep: Sleep;
  readonly #scripts = new Map<string, string>();
  /** Reservation members must be unique across replicas: a random process id and a counter. */
  readonly #memberPrefix = randomBytes(6).toString('hex');
  #memberCount = 0;

  constructor(redis: Redis, options: RedisPacerOptions = {}) {
    this.#redis = redis;
    this.#prefix = `${options.keyPrefix ?? 'switchboard:'}pace:`;
    this.#limits = { ...DEFAULT_GROUP_LIMITS, ...options.limits };
    this.#windowMs = (options.windowSeconds ?? DEFAULT_WINDOW_SECONDS) * 1000;
    this.#marginMs = options.safetyMarginMs ?? DEFAULT_MARGIN_MS;
    this.#learnedTtlMs = options.learnedTtlMs ?? DEFAULT_LEARNED_TTL_MS;
    this.#sleep = options.sleep ?? realSleep;
  }

  async acquire(key: PacerKey, deadline: Deadline): Promise<PacingGrant> {
    const keys = this.keysOf(key);
    for (;;) {
      const member = `${this.#memberPrefix}:${(this.#memberCount += 1)}`;
      const askedAt = performance.now();
      const result = await this.#run(ACQUIRE, keys, [
        this.#limits[key.group],
        this.#windowMs,
        this.#marginMs,
        Math.floor(deadline.remainingMs()),
        member,
      ]);
      const values = Array.isArray(result) ? result.map(Number) : [];
      if (values.length !== 6 || values.some(Number.isNaN))
        throw new PacingStoreUnavailable('Redis answered the pacing script with nonsense');
      const [reserved, waitMs, slot, limit, windowMs, penalised] = values as [number, number, number, number, number, number];
      const held = () =>
        penalised === 1 ? penaltyOutlastsDeadline(key, waitMs) : budgetOutlastsDeadline(key, waitMs, { limit: limit, windowMs: windowMs });
      if (reserved !== 1) throw held();
      const grant = this.#grant(keys[0], member, slot, askedAt, waitMs);
      if (waitMs <= 0) return grant;
      try {
        await this.#sleep(waitMs, deadline.signal);
      } catch {
        // Give the slot back for others; if Redis is gone too, the slot ages out with the window.
        await this.#redis.zrem(keys[0], member).catch(() => undefined);
        throw held();
      }
      const penaltyMs = Number(await this.#run(CONFIRM, keys, [member, this.#marginMs]));
      if (!(penaltyMs > 0)) return grant;
      // A 429 arrived while this request waited: RingCentral's penalty, not our count, holds it back now.
      if (penaltyMs > deadline.remainingMs()) throw penaltyOutlastsDeadline(key, penaltyMs);
    }
  }

  #grant(reservations: string, member: string, slot: number, askedAt: number, waitMs: number): PacingGrant {
    let given = false;
    return {
      sending: () => this.#sentLate(reservations, member, slot, performance.now() - askedAt - waitMs),
      // One ZREM is atomic by itself. A late move (#sentLate's ZADD XX) queued before it on the same connection
      // runs first, and one after it finds no member to move.
      giveBack: async () => {
        if (given) return;
        given = true;
        try {
          await this.#redis.zrem(reservations, member);
        } catch (error) {
          throw unavailable(error);
        }
      },
    };
  }

  /**
   * A request going out `lateMs` after its slot (an upper bound: measured from before the script ran) moves its
   * reservation that much later, so the window it occupies starts when it really left. A busy process can take
   * hundreds of milliseconds to act on a reply; without this, the next window's slots would open too early.
   */
  #sentLate(reservations: string, member: string, slot: number, lateMs: number): void {
    if (lateMs <= LATE_SEND_MS) return;
    // Not awaited: the request goes out now; Redis applies the move within a round trip, long before the slot it
    // governs (a window later) comes up.
    this.#redis.zadd(reservations, 'XX', 'GT', Math.ceil(slot + lateMs), member).catch(() => undefined);
  }

  async observe(key: PacerKey, observation: RateLimitObservation): Promise<void> {
    const optional = (value: number | undefined) => (value === undefined ? '' : value);
    await this.#run(OBSERVE, this.keysOf(key), [
      observation.status,
      optional(observation.limit),
      optional(observation.remaining),
      optional(observation.windowSeconds),
      optional(observation.retryAfterSeconds),
      this.#limits[key.group],
      this.#windowMs,
      this.#learnedTtlMs,
    ]);
  }

  /** Resolves when Redis answers; used to notice that it is back. */
  async ping(): Promise<void> {
    try {
      await this.#redis.ping();
    } catch (error) {
      throw unavailable(error);
    }
  }

  /** The user's key is hashed: Redis never holds a chat user id. Both keys share a hash tag (one Cluster slot). */
  keysOf(key: PacerKey): [reservations: string, meta: string] {
    const user = createHash('sha256').update(key.userKey).digest('hex').slice(0, 32);
    const base = `${this.#prefix}{${user}:${key.group}}`;
    return [`${base}:reservations`, `${base}:meta`];
  }

  async #run(script: string, keys: readonly string[], args: (string | number)[]): Promise<unknown> {
    let sha = this.#scripts.get(script);
    if (sha === undefined) {
      sha = createHash('sha1').update(script).digest('hex');
      this.#scripts.set(script, sha);
    }
    try {
      return await this.#redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw unavailable(error);
    }
    try {
      return await this.#redis.eval(script, keys.length, ...keys, ...args);
    } catch (error) {
      throw unavailable(error);
    }
  }
}

function unavailable(error: unknown): PacingStoreUnavailable {
  return new PacingStoreUnavailable(`Redis: ${(error as Error).message ?? String(error)}`, { cause: error });
}

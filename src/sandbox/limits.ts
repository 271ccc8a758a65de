import type { ThrottlingGroup } from './operations.ts';

/**
 * RingCentral's per-user API limits (docs, "Rate limits"): requests are counted per (user, app, group) over a
 * sliding window; defaults are Light 50, Medium 40, Heavy 10, Auth 5 per 60 s. Exceeding a limit puts the key in a
 * penalty of 60 s during which every request of that group gets 429, and "With each new request the penalty
 * interval is reset." Every answer carries X-Rate-Limit-Group/-Limit/-Remaining/-Window.
 */

export const defaultLimits: Readonly<Record<ThrottlingGroup, number>> = { Light: 50, Medium: 40, Heavy: 10, Auth: 5 };

export type RateLimitsOption =
  | 'default'
  | 'off'
  | {
      scale?: number;
      limits?: Partial<Record<ThrottlingGroup, number>>;
      windowSeconds?: number;
      penaltySeconds?: number;
    };

export interface RateLimitSettings {
  enabled: boolean;
  limits: Record<ThrottlingGroup, number>;
  windowSeconds: number;
  penaltySeconds: number;
}

export function resolveRateLimits(option: RateLimitsOption = 'default'): RateLimitSettings {
  if (option === 'default' || option === 'off') {
    return { enabled: option === 'default', limits: { ...defaultLimits }, windowSeconds: 60, penaltySeconds: 60 };
  }
  const scale = option.scale ?? 1;
  const limits = { ...defaultLimits };
  for (const group of Object.keys(limits) as ThrottlingGroup[]) {
    limits[group] = Math.max(1, Math.round((option.limits?.[group] ?? defaultLimits[group]) * scale));
  }
  return { enabled: true, limits, windowSeconds: option.windowSeconds ?? 60, penaltySeconds: option.penaltySeconds ?? 60 };
}

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
  retryAfterSeconds?: number;
}

interface Counter {
  /** Times of admitted requests inside the window, oldest first. */
  hits: number[];
  penaltyUntil: number;
}

export class RateLimiter {
  private readonly counters = new Map<string, Counter>();

  constructor(
    private readonly settings: () => RateLimitSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request of `group` by `key` ("extensionId|clientId", or "ip:…" when nobody is identified). */
  take(key: string, group: ThrottlingGroup): RateLimitDecision {
    const { enabled, limits, windowSeconds, penaltySeconds } = this.settings();
    const limit = limits[group];
    const now = this.now();
    const counterKey = `${key}|${group}`;
    let counter = this.counters.get(counterKey);
    if (!counter) {
      counter = { hits: [], penaltyUntil: 0 };
      this.counters.set(counterKey, counter);
    }
    const windowStart = now - windowSeconds * 1000;
    let expired = 0;
    while (expired < counter.hits.length && (counter.hits[expired] ?? 0) <= windowStart) expired += 1;
    if (expired > 0) counter.hits.splice(0, expired);

    const headers = (remaining: number) => ({
      'X-Rate-Limit-Group': group,
      'X-Rate-Limit-Limit': String(limit),
      'X-Rate-Limit-Remaining': String(Math.max(0, remaining)),
      'X-Rate-Limit-Window': String(Math.ceil(windowSeconds)),
    });

    if (enabled && (now < counter.penaltyUntil || counter.hits.length >= limit)) {
      counter.penaltyUntil = now + penaltySeconds * 1000;
      return { allowed: false, headers: headers(0), retryAfterSeconds: Math.ceil(penaltySeconds) };
    }
    counter.hits.push(now);
    // With limits off the counts go on (so headers stay informative) but never refuse; keep the list bounded.
    if (counter.hits.length > limit) counter.hits.splice(0, counter.hits.length - limit);
    return { allowed: true, headers: headers(limit - counter.hits.length) };
  }

  reset(): void {
    this.counters.clear();
  }
}

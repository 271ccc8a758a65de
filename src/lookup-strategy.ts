import type { RateLimitPacer } from './api/limits.ts';
import { noPacing } from './api/limits.ts';

/**
 * How the bot spends RingCentral calls. `cached` is Switchboard. `naive` exists so the benchmark (bench/) can show a
 * naive bot beside it, built from the same parts: nothing cached or shared, no pacing, and the whole directory paged
 * through on every lookup that needs it (no index kept, so no ETag revalidation either).
 */
export type LookupStrategy = 'cached' | 'naive';

export interface LookupSettings {
  cacheTtlMs: number;
  /** Presence's own, shorter TTL. */
  presenceTtlMs: number;
  /** 0: the answer cache keeps nothing. */
  cacheMaxEntries: number;
  /** 0: no directory index is kept. */
  indexMaxEntries: number;
  /** 0: no administrator's company number list is kept. */
  companyNumbersMaxEntries: number;
  /** How long a directory index is trusted before it is revalidated. */
  directoryFreshMs: number;
  /** Replaces the client's pacer; undefined keeps the default one. */
  pacer: RateLimitPacer | undefined;
}

/** Turns the cached settings into those of `strategy`. */
export function lookupSettings(strategy: LookupStrategy, cached: Omit<LookupSettings, 'pacer'>): LookupSettings {
  if (strategy === 'cached') return { ...cached, pacer: undefined };
  return {
    cacheTtlMs: cached.cacheTtlMs,
    presenceTtlMs: cached.presenceTtlMs,
    cacheMaxEntries: 0,
    indexMaxEntries: 0,
    companyNumbersMaxEntries: 0,
    directoryFreshMs: 0,
    pacer: noPacing,
  };
}

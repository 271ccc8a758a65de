import { LRUCache } from 'lru-cache';

/** Who is asking, as RingCentral knows them. Two chat users linked to one RingCentral login see the same things. */
export interface Requester {
  accountId: string;
  extensionId: string;
}

/** Every cache key starts with this, so one requester's view can never be served to another. */
export function requesterKey(requester: Requester): string {
  return `${requester.accountId}:${requester.extensionId}`;
}

interface Entry {
  value: unknown;
}

interface LoadContext {
  load: () => Promise<unknown>;
  ttlMs: number | undefined;
}

export interface RequesterCacheOptions {
  ttlMs: number;
  /** 0 keeps nothing: every get loads (the benchmark's naive strategy). */
  maxEntries: number;
}

/**
 * Answers RingCentral gave one requester, kept for a short while. Concurrent misses for the same key share one load
 * (lru-cache's fetch), so a burst of identical commands costs one set of RingCentral calls. Failed loads are not kept.
 */
export class RequesterCache {
  /** Undefined when the cache keeps nothing. */
  readonly #entries: LRUCache<string, Entry, LoadContext> | undefined;

  constructor(options: RequesterCacheOptions) {
    this.#entries =
      options.maxEntries === 0
        ? undefined
        : new LRUCache<string, Entry, LoadContext>({
            max: options.maxEntries,
            ttl: options.ttlMs,
            fetchMethod: async (_key, _stale, { context, options: fetchOptions }) => {
              if (context.ttlMs !== undefined) fetchOptions.ttl = context.ttlMs;
              return { value: await context.load() };
            },
          });
  }

  async get<T>(requester: Requester, key: string, load: () => Promise<T>, ttlMs?: number): Promise<T> {
    if (!this.#entries) return load();
    const entry = await this.#entries.fetch(`${requesterKey(requester)}|${key}`, {
      context: { load, ttlMs },
    });
    // fetchMethod always returns an entry; undefined only if the fetch was aborted, which we never do.
    return entry!.value as T;
  }

  /** Replaces one entry, e.g. after a conditional request found the data unchanged. */
  set(requester: Requester, key: string, value: unknown, ttlMs?: number): void {
    this.#entries?.set(`${requesterKey(requester)}|${key}`, { value }, ttlMs === undefined ? {} : { ttl: ttlMs });
  }

  /** Stale-or-fresh read without loading: lets a caller revalidate old data (ETag) instead of refetching it. */
  peek<T>(requester: Requester, key: string): T | undefined {
    return this.#entries?.get(`${requesterKey(requester)}|${key}`, { allowStale: true })?.value as T | undefined;
  }

  /** Drops everything one requester was shown (on unlink or relink). */
  forget(requester: Requester): void {
    if (!this.#entries) return;
    const prefix = `${requesterKey(requester)}|`;
    for (const key of [...this.#entries.keys()]) {
      if (key.startsWith(prefix)) this.#entries.delete(key);
    }
  }

  get size(): number {
    return this.#entries?.size ?? 0;
  }
}

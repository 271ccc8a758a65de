import { LRUCache } from 'lru-cache';
import { RingCentralError } from '../api/errors.ts';

/** Who is asking, as RingCentral knows them. Two chat users linked to one RingCentral login see the same things. */
export interface Requester {
  accountId: string;
  extensionId: string;
}

/** Every cache key starts with this, so one requester's view can never be served to another. */
export function requesterKey(requester: Requester): string {
  return `${requester.accountId}:${requester.extensionId}`;
}

/** An answer, or RingCentral's refusal to show it to this requester (which is an answer too). */
type Entry = { value: unknown } | { refusal: RingCentralError };

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
 * (lru-cache's fetch), so a burst of identical commands costs one set of RingCentral calls. A refusal (403: this
 * requester may not see it, e.g. forwarding numbers of a fax user) is kept like an answer; other failures are not.
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
              try {
                return { value: await context.load() };
              } catch (error) {
                if (error instanceof RingCentralError && error.kind === 'not-permitted') return { refusal: error };
                throw error;
              }
            },
          });
  }

  async get<T>(requester: Requester, key: string, load: () => Promise<T>, ttlMs?: number): Promise<T> {
    if (!this.#entries) return load();
    const entry = await this.#entries.fetch(`${requesterKey(requester)}|${key}`, {
      context: { load, ttlMs },
    });
    // fetchMethod always returns an entry; undefined only if the fetch was aborted, which we never do.
    if ('refusal' in entry!) throw entry.refusal;
    return entry!.value as T;
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

import { z } from 'zod';
import type { Deadline } from './deadline.ts';
import { deadlineAfter, raceDeadline } from './deadline.ts';
import { NeedsLink, Unavailable } from './errors.ts';
import type { Logger } from '../observability/logger.ts';
import { silentLogger } from '../observability/logger.ts';
import type { RingCentralObserver } from './observer.ts';
import { silentObserver } from './observer.ts';

export const StoredTokens = z.object({
  accessToken: z.string().min(1),
  /** Epoch milliseconds. */
  accessTokenExpiresAt: z.number(),
  refreshToken: z.string().min(1),
  refreshTokenExpiresAt: z.number(),
  /** Space-separated app permissions granted ("ReadAccounts"). */
  scope: z.string(),
  /** The RingCentral extension id of the user who logged in. */
  ownerId: z.string(),
  endpointId: z.string(),
});
export type StoredTokens = z.infer<typeof StoredTokens>;

/**
 * Where a user's tokens live. `userKey` is an opaque string chosen by the bot ("slack:T123:U456").
 * `withRefreshLock` runs `fn` while no other holder of the same key (in any process sharing the store)
 * runs its own; a refresh token is single-use, so two concurrent refreshes would kill the session.
 */
export interface TokenStore {
  get(userKey: string): Promise<StoredTokens | undefined>;
  save(userKey: string, tokens: StoredTokens): Promise<void>;
  delete(userKey: string): Promise<void>;
  withRefreshLock<T>(userKey: string, fn: () => Promise<T>): Promise<T>;
}

/** For tests and single-process use; the lock is a per-key queue inside this process. */
export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, StoredTokens>();
  private readonly locks = new Map<string, Promise<unknown>>();

  async get(userKey: string): Promise<StoredTokens | undefined> {
    const tokens = this.tokens.get(userKey);
    return tokens ? { ...tokens } : undefined;
  }

  async save(userKey: string, tokens: StoredTokens): Promise<void> {
    this.tokens.set(userKey, StoredTokens.parse(tokens));
  }

  async delete(userKey: string): Promise<void> {
    this.tokens.delete(userKey);
  }

  async withRefreshLock<T>(userKey: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(userKey) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.catch(() => undefined);
    this.locks.set(userKey, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(userKey) === settled) this.locks.delete(userKey);
    }
  }
}

/** Exchanges a refresh token for a new pair; throws NeedsLink when RingCentral refuses it. */
export type RefreshTokens = (tokens: StoredTokens, userKey: string, deadline: Deadline) => Promise<StoredTokens>;

export interface TokenSourceOptions {
  store: TokenStore;
  refresh: RefreshTokens;
  /** Epoch-ms clock, settable in tests. */
  now?: (() => number) | undefined;
  /** Refresh this long before the access token expires (the official SDK uses 60 s). */
  refreshAheadMs?: number | undefined;
  /** A shared refresh is not bound to the first caller's deadline; it gets its own. */
  refreshDeadlineMs?: number | undefined;
  logger?: Logger | undefined;
  observer?: RingCentralObserver | undefined;
}

/**
 * Hands out a valid access token per user. Refreshes ahead of expiry and on demand after a 401;
 * concurrent callers for one user share a single refresh (in this process via a promise map, across
 * processes via the store's lock, after which the stored tokens are re-read); the rotated pair is
 * saved before anyone uses it, so a crash can never leave us holding only the dead pair.
 */
export class TokenSource {
  private readonly store: TokenStore;
  private readonly refreshTokens: RefreshTokens;
  private readonly now: () => number;
  private readonly refreshAheadMs: number;
  private readonly refreshDeadlineMs: number;
  private readonly logger: Logger;
  private readonly observer: RingCentralObserver;
  private readonly inFlight = new Map<string, Promise<StoredTokens>>();

  constructor(options: TokenSourceOptions) {
    this.store = options.store;
    this.refreshTokens = options.refresh;
    this.now = options.now ?? Date.now;
    this.refreshAheadMs = options.refreshAheadMs ?? 60_000;
    this.refreshDeadlineMs = options.refreshDeadlineMs ?? 15_000;
    this.logger = options.logger ?? silentLogger;
    this.observer = options.observer ?? silentObserver;
  }

  /** A current access token for the user, refreshed first if it is about to expire. */
  async accessToken(userKey: string, deadline: Deadline): Promise<string> {
    return (await this.current(userKey, deadline)).accessToken;
  }

  /** The user's current tokens (whose they are included), refreshed first if the access token is about to expire. */
  async current(userKey: string, deadline: Deadline): Promise<StoredTokens> {
    const pending = this.inFlight.get(userKey);
    if (pending) return this.join(pending, deadline);
    const tokens = await this.store.get(userKey);
    if (!tokens) throw notLinked();
    if (this.isFresh(tokens)) return tokens;
    return this.refresh(userKey, undefined, deadline);
  }

  /**
   * After RingCentral refused `rejectedAccessToken` with a 401: refresh unless someone already has,
   * and return the token to retry with.
   */
  async afterUnauthorized(userKey: string, rejectedAccessToken: string, deadline: Deadline): Promise<string> {
    return (await this.refresh(userKey, rejectedAccessToken, deadline)).accessToken;
  }

  private refresh(userKey: string, rejectedAccessToken: string | undefined, deadline: Deadline): Promise<StoredTokens> {
    let pending = this.inFlight.get(userKey);
    if (!pending) {
      pending = this.refreshOnce(userKey, rejectedAccessToken).finally(() => this.inFlight.delete(userKey));
      this.inFlight.set(userKey, pending);
    }
    return this.join(pending, deadline);
  }

  private join(pending: Promise<StoredTokens>, deadline: Deadline): Promise<StoredTokens> {
    return raceDeadline(pending, deadline, () => new Unavailable('token refresh: deadline exceeded', { status: 0, operation: 'getToken' }));
  }

  private async refreshOnce(userKey: string, rejectedAccessToken: string | undefined): Promise<StoredTokens> {
    return this.store.withRefreshLock(userKey, async () => {
      // Another process may have refreshed while we waited for the lock.
      const current = await this.store.get(userKey);
      if (!current) throw notLinked();
      const alreadyRotated = rejectedAccessToken !== undefined && current.accessToken !== rejectedAccessToken;
      if (alreadyRotated || (rejectedAccessToken === undefined && this.isFresh(current))) return current;

      if (current.refreshTokenExpiresAt <= this.now()) {
        await this.store.delete(userKey);
        throw new NeedsLink('RingCentral session has expired; link again', { status: 401, operation: 'getToken' });
      }
      try {
        const rotated = await this.refreshTokens(current, userKey, deadlineAfter(this.refreshDeadlineMs)).catch((error: unknown) => {
          this.observer.tokenRefresh(error instanceof NeedsLink ? 'refused' : 'failed');
          throw error;
        });
        this.observer.tokenRefresh('ok');
        await this.store.save(userKey, rotated);
        this.logger.info({ userKey, ownerId: rotated.ownerId }, 'RingCentral tokens refreshed');
        return rotated;
      } catch (error) {
        if (!(error instanceof NeedsLink)) throw error;
        // Refused: the session is gone — unless another process rotated the pair meanwhile (no shared lock).
        const latest = await this.store.get(userKey);
        if (latest && latest.refreshToken !== current.refreshToken) return latest;
        await this.store.delete(userKey);
        this.logger.warn(
          { userKey, errorCode: error.errorCode, requestId: error.requestId },
          'RingCentral refused the refresh; tokens deleted',
        );
        throw error;
      }
    });
  }

  private isFresh(tokens: StoredTokens): boolean {
    return tokens.accessTokenExpiresAt - this.refreshAheadMs > this.now();
  }
}

function notLinked(): NeedsLink {
  return new NeedsLink('No RingCentral account is linked for this user', { status: 401 });
}

import pg from 'pg';
import type { StoredTokens } from '../../api/tokens.ts';
import { DATABASE_URL_SETTING } from '../database-url.ts';
import { ExpiredState, InvalidSetting, InvalidState, UsedState } from '../errors.ts';
import type { KeyRing } from '../key-ring.ts';
import { KeyedMutex } from '../keyed-mutex.ts';
import { linkFromRow, type LinkRow } from '../link-row.ts';
import {
  DEFAULT_CONFIRMATION_TTL_MS,
  DEFAULT_PENDING_LINK_TTL_MS,
  LinkIdentity,
  type ConfirmLinkResult,
  type HeldLink,
  type NewUnconfirmedLink,
  type NewPendingLink,
  type ConsumePendingLinkOptions,
  type Link,
  type LinkStore,
  type LinkStoreOptions,
  type PendingLink,
} from '../link-store.ts';
import { newPendingRow, pendingLinkFromRow, type PendingRow } from '../pending-row.ts';
import { signState, stateSecretsFrom, verifyState, type StateSecrets } from '../pending-state.ts';
import { assertKeysCoverStoredTokens, openTokens, sealTokens } from '../stored-secrets.ts';
import {
  confirmWithSteps,
  newUnconfirmedRow,
  tokensOfDiscardedRow,
  type UnconfirmedRow,
  type UnconfirmedRowSteps,
} from '../unconfirmed-row.ts';
import { advisoryLockKey, withAdvisoryLock } from './advisory-lock.ts';
import { migrate, POSTGRES_MIGRATIONS } from './migrations.ts';
import { createPostgresPool } from './pool.ts';
import { PostgresSlackInstallations } from './postgres-slack-installations.ts';
import { asDatabaseUnavailable } from './unavailable.ts';

export type PostgresStoreOptions = LinkStoreOptions & {
  /** Opening a connection (or waiting for a free one) fails with DatabaseUnavailable after this long. */
  connectTimeoutMs?: number;
  /** One statement fails with DatabaseUnavailable after this long (PostgreSQL's statement_timeout). */
  statementTimeoutMs?: number;
  /**
   * withRefreshLock and deleteLink wait this long for another holder of the same user's lock, then fail with
   * DatabaseUnavailable. Long enough to outlast one refresh at RingCentral (the client allows it 15 s).
   */
  refreshLockTimeoutMs?: number;
  /** Connections for reads and writes. */
  maxConnections?: number;
  /** Connections that hold refresh locks: one per user whose refresh is in progress in this process. */
  maxLockConnections?: number;
};

const DEFAULTS = {
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 10_000,
  refreshLockTimeoutMs: 30_000,
  maxConnections: 10,
  maxLockConnections: 10,
};

/**
 * Opens the LinkStore on the PostgreSQL database `url` names, in the schema its search_path selects: applies
 * migrations and checks that the key ring can read every stored token. Any failure closes what was opened.
 */
export async function openPostgresStore(url: string, keyRing: KeyRing, options: PostgresStoreOptions = {}): Promise<PostgresLinkStore> {
  const settings = {
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    statementTimeoutMs: options.statementTimeoutMs ?? DEFAULTS.statementTimeoutMs,
    refreshLockTimeoutMs: options.refreshLockTimeoutMs ?? DEFAULTS.refreshLockTimeoutMs,
    maxConnections: options.maxConnections ?? DEFAULTS.maxConnections,
    maxLockConnections: options.maxLockConnections ?? DEFAULTS.maxLockConnections,
  };
  const queries = createPostgresPool(url, {
    max: settings.maxConnections,
    connectTimeoutMs: settings.connectTimeoutMs,
    statementTimeoutMs: settings.statementTimeoutMs,
  });
  // Lock holders get their own pool: a refresh holding a lock must never wait for a connection that another lock
  // holder occupies, or a burst of refreshes would starve itself.
  const locks = createPostgresPool(url, {
    max: settings.maxLockConnections,
    connectTimeoutMs: settings.connectTimeoutMs,
    statementTimeoutMs: settings.refreshLockTimeoutMs + settings.statementTimeoutMs,
    lockTimeoutMs: settings.refreshLockTimeoutMs,
  });
  try {
    const schema = await currentSchema(queries);
    const now = options.now ?? Date.now;
    await migrate(queries, POSTGRES_MIGRATIONS, advisoryLockKey('migrations', schema), now);
    const store = new PostgresLinkStore({ queries, locks, schema, keyRing, options });
    await store.checkKeysCoverStoredTokens();
    await store.slackInstallations.checkKeysCover();
    return store;
  } catch (error) {
    await Promise.allSettled([queries.end(), locks.end()]);
    throw error;
  }
}

/**
 * The LinkStore on PostgreSQL. Every write is a single statement (so none needs a transaction held open across
 * round trips), and withRefreshLock is a session-level advisory lock, exclusive across processes.
 */
export class PostgresLinkStore implements LinkStore {
  readonly #queries: pg.Pool;
  readonly #locks: pg.Pool;
  readonly #schema: string;
  readonly #keyRing: KeyRing;
  readonly #now: () => number;
  readonly #pendingLinkTtlMs: number;
  readonly #confirmationTtlMs: number;
  readonly #stateSecrets: StateSecrets;
  // Callers in this process queue here first, so they take the advisory lock in call order and hold at most one
  // lock connection per user.
  readonly #localLocks = new KeyedMutex();
  readonly slackInstallations: PostgresSlackInstallations;
  #closed: Promise<void> | undefined;

  /** Use openPostgresStore, which migrates first. The store owns both pools and ends them on close(). */
  constructor(parts: { queries: pg.Pool; locks: pg.Pool; schema: string; keyRing: KeyRing; options?: LinkStoreOptions }) {
    const options = parts.options ?? {};
    this.#queries = parts.queries;
    this.#locks = parts.locks;
    this.#schema = parts.schema;
    this.#keyRing = parts.keyRing;
    this.#now = options.now ?? Date.now;
    this.#pendingLinkTtlMs = options.pendingLinkTtlMs ?? DEFAULT_PENDING_LINK_TTL_MS;
    this.#confirmationTtlMs = options.confirmationTtlMs ?? DEFAULT_CONFIRMATION_TTL_MS;
    this.#stateSecrets = stateSecretsFrom(parts.keyRing, options.stateSecret);
    this.slackInstallations = new PostgresSlackInstallations({ queries: parts.queries, keyRing: parts.keyRing, now: this.#now });
  }

  async saveLink(userKey: string, identity: LinkIdentity, tokens: StoredTokens): Promise<void> {
    const link = LinkIdentity.parse(identity);
    const { keyId, sealed } = sealTokens(this.#keyRing, userKey, tokens);
    const now = this.#now();
    await this.#query(
      `WITH link AS (
         INSERT INTO links (user_key, account_id, extension_id, extension_number, name, email, linked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (user_key) DO UPDATE SET account_id = excluded.account_id,
           extension_id = excluded.extension_id, extension_number = excluded.extension_number,
           name = excluded.name, email = excluded.email, linked_at = excluded.linked_at
       )
       INSERT INTO link_tokens (user_key, key_id, sealed, updated_at) VALUES ($1, $8, $9, $7)
       ON CONFLICT (user_key) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed,
         updated_at = excluded.updated_at`,
      [userKey, link.accountId, link.extensionId, link.extensionNumber, link.name, link.email ?? null, now, keyId, sealed],
    );
  }

  async getLink(userKey: string): Promise<Link | undefined> {
    const [row] = await this.#query<LinkRow>(
      `SELECT user_key, account_id, extension_id, extension_number, name, email, linked_at
       FROM links WHERE user_key = $1`,
      [userKey],
    );
    return row === undefined ? undefined : linkFromRow(row);
  }

  async deleteLink(userKey: string): Promise<boolean> {
    return this.withRefreshLock(userKey, () => this.#deleteLinkAndTokens(userKey));
  }

  async userKeysStartingWith(prefix: string): Promise<string[]> {
    // left(), not LIKE: a key may hold % or _.
    const rows = await this.#query<{ user_key: string }>(
      'SELECT user_key FROM links WHERE left(user_key, $1) = $2 UNION SELECT user_key FROM link_tokens WHERE left(user_key, $1) = $2',
      [prefix.length, prefix],
    );
    return rows.map((row) => row.user_key);
  }

  async get(userKey: string): Promise<StoredTokens | undefined> {
    const [row] = await this.#query<{ sealed: string }>('SELECT sealed FROM link_tokens WHERE user_key = $1', [userKey]);
    return row === undefined ? undefined : openTokens(this.#keyRing, userKey, row.sealed);
  }

  async save(userKey: string, tokens: StoredTokens): Promise<void> {
    const { keyId, sealed } = sealTokens(this.#keyRing, userKey, tokens);
    await this.#query(
      `INSERT INTO link_tokens (user_key, key_id, sealed, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_key) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed,
         updated_at = excluded.updated_at`,
      [userKey, keyId, sealed, this.#now()],
    );
  }

  /** Takes no lock: the RingCentral client calls it from inside withRefreshLock. */
  async delete(userKey: string): Promise<void> {
    await this.#deleteLinkAndTokens(userKey);
  }

  async withRefreshLock<T>(userKey: string, fn: () => Promise<T>): Promise<T> {
    const key = advisoryLockKey('refresh', this.#schema, userKey);
    return this.#localLocks.run(userKey, () => withAdvisoryLock(this.#locks, key, fn));
  }

  async createPendingLink(pending: NewPendingLink): Promise<string> {
    const row = newPendingRow(this.#keyRing, pending, this.#now(), this.#pendingLinkTtlMs);
    await this.#query(
      `WITH purged AS (DELETE FROM pending_links WHERE expires_at <= $5)
       INSERT INTO pending_links (id, user_key, redirect_uri, sealed, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [row.id, row.user_key, row.redirect_uri, row.sealed, row.created_at, row.expires_at],
    );
    return signState(this.#stateSecrets, row.id, row.expires_at);
  }

  async consumePendingLink(state: string, options: ConsumePendingLinkOptions = {}): Promise<PendingLink> {
    const { id, expiresAt } = verifyState(this.#stateSecrets, state);
    if (this.#now() >= expiresAt) {
      await this.#query('DELETE FROM pending_links WHERE id = $1', [id]);
      throw new ExpiredState();
    }
    // One statement both claims and removes the row: of two concurrent consumers only one gets it back.
    const [row] = await this.#query<PendingRow>(
      `DELETE FROM pending_links WHERE id = $1 AND ($2::text IS NULL OR user_key = $2)
       RETURNING id, user_key, redirect_uri, sealed, created_at, expires_at`,
      [id, options.userKey ?? null],
    );
    if (row === undefined) {
      const stillPending = await this.#query('SELECT 1 FROM pending_links WHERE id = $1', [id]);
      throw stillPending.length > 0 ? new InvalidState('issued to another user') : new UsedState();
    }
    return pendingLinkFromRow(this.#keyRing, row);
  }

  async holdUnconfirmedLink(link: NewUnconfirmedLink): Promise<HeldLink> {
    const { row, code } = newUnconfirmedRow(this.#keyRing, link, this.#now(), this.#confirmationTtlMs);
    // One statement: the CTE reads the row being replaced (the statement's snapshot) so its tokens can be revoked.
    const [result] = await this.#query<{ old_id: string | null; old_sealed: string | null }>(
      `WITH earlier AS (SELECT id, sealed FROM unconfirmed_links WHERE user_key = $1)
       INSERT INTO unconfirmed_links (user_key, id, code_hash, tries, key_id, sealed, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (user_key) DO UPDATE SET id = excluded.id, code_hash = excluded.code_hash, tries = excluded.tries,
         key_id = excluded.key_id, sealed = excluded.sealed, created_at = excluded.created_at,
         expires_at = excluded.expires_at
       RETURNING (SELECT id FROM earlier) AS old_id, (SELECT sealed FROM earlier) AS old_sealed`,
      [row.user_key, row.id, row.code_hash, row.tries, row.key_id, row.sealed, row.created_at, row.expires_at],
    );
    const replaced =
      result?.old_id == null || result.old_sealed == null
        ? undefined
        : tokensOfDiscardedRow(this.#keyRing, { ...row, id: result.old_id, sealed: result.old_sealed });
    return { code, expiresAt: row.expires_at, ...(replaced === undefined ? {} : { replaced }) };
  }

  async confirmLink(userKey: string, code: string): Promise<ConfirmLinkResult> {
    const columns = 'user_key, id, code_hash, tries, key_id, sealed, created_at, expires_at';
    const steps: UnconfirmedRowSteps = {
      countTry: async (key) =>
        (
          await this.#query<UnconfirmedRow>(`UPDATE unconfirmed_links SET tries = tries + 1 WHERE user_key = $1 RETURNING ${columns}`, [
            key,
          ])
        )[0],
      take: async (key, id) =>
        (
          await this.#query<UnconfirmedRow>(`DELETE FROM unconfirmed_links WHERE user_key = $1 AND id = $2 RETURNING ${columns}`, [key, id])
        )[0],
    };
    return confirmWithSteps(this.#keyRing, steps, userKey, code, this.#now());
  }

  async takeExpiredUnconfirmedLinks(): Promise<StoredTokens[]> {
    const rows = await this.#query<UnconfirmedRow>(
      `DELETE FROM unconfirmed_links WHERE expires_at <= $1
       RETURNING user_key, id, code_hash, tries, key_id, sealed, created_at, expires_at`,
      [this.#now()],
    );
    return rows.flatMap((row) => tokensOfDiscardedRow(this.#keyRing, row) ?? []);
  }

  async ping(): Promise<void> {
    // Reads one of our tables: the server answers AND the search_path still selects our schema.
    await this.#query('SELECT 1 FROM schema_migrations LIMIT 1');
  }

  /** Waits for locks in use to be released; calling it again is harmless. */
  async close(): Promise<void> {
    this.#closed ??= Promise.all([this.#queries.end(), this.#locks.end()]).then(() => undefined);
    await this.#closed;
  }

  /** Throws UnknownEncryptionKey when stored tokens need a key the ring lacks. openPostgresStore calls it. */
  async checkKeysCoverStoredTokens(): Promise<void> {
    const tokenCounts = await this.#query<{ keyId: string; count: number }>(
      'SELECT key_id AS "keyId", count(*) AS count FROM link_tokens GROUP BY key_id',
    );
    assertKeysCoverStoredTokens(this.#keyRing, tokenCounts);
  }

  async #deleteLinkAndTokens(userKey: string): Promise<boolean> {
    const [row] = await this.#query<{ removed: number }>(
      `WITH link AS (DELETE FROM links WHERE user_key = $1 RETURNING 1),
            tokens AS (DELETE FROM link_tokens WHERE user_key = $1 RETURNING 1)
       SELECT (SELECT count(*) FROM link) + (SELECT count(*) FROM tokens) AS removed`,
      [userKey],
    );
    return (row?.removed ?? 0) > 0;
  }

  async #query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    try {
      return (await this.#queries.query<R>(text, values)).rows;
    } catch (error) {
      throw asDatabaseUnavailable(error);
    }
  }
}

/** The first query at start-up: also where a wrong login or database name shows, as a setting to fix. */
async function currentSchema(pool: pg.Pool): Promise<string> {
  let schema: string | null | undefined;
  try {
    schema = (await pool.query<{ schema: string | null }>('SELECT current_schema() AS schema')).rows[0]?.schema;
  } catch (error) {
    // 28…: authentication or authorization failed; 3D000: no such database. The message names neither password.
    if (error instanceof pg.DatabaseError && (error.code?.startsWith('28') || error.code === '3D000')) {
      throw new InvalidSetting(DATABASE_URL_SETTING, `is refused by PostgreSQL: ${error.message}`);
    }
    throw asDatabaseUnavailable(error);
  }
  if (schema === null || schema === undefined) {
    throw new InvalidSetting(DATABASE_URL_SETTING, 'selects no existing schema; check search_path in its options');
  }
  return schema;
}

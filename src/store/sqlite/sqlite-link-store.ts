import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import type { StoredTokens } from '../../api/tokens.ts';
import { DATABASE_URL_SETTING } from '../database-url.ts';
import { DatabaseUnavailable, ExpiredState, InvalidSetting, InvalidState, UsedState } from '../errors.ts';
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
import { assertKeysCoverStoredTokens, openTokens, sealTokens, type SealedTokens } from '../stored-secrets.ts';
import {
  confirmWithSteps,
  newUnconfirmedRow,
  tokensOfDiscardedRow,
  type UnconfirmedRow,
  type UnconfirmedRowSteps,
} from '../unconfirmed-row.ts';
import { migrate, SQLITE_MIGRATIONS } from './migrations.ts';
import { SqliteSlackInstallations } from './sqlite-slack-installations.ts';

// Result codes that mean "cannot answer now" rather than a bug: another connection held the lock past busy_timeout,
// the disk is full or failing, the file cannot be opened or written. Extended codes (SQLITE_IOERR_WRITE) share these.
const UNAVAILABLE_CODE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|PROTOCOL|NOMEM)/;

/**
 * Opens a SQLite database, creating the file and its directory if needed. A file that cannot be opened, created or
 * read as a database fails with InvalidSetting naming DATABASE_URL; one locked by another process with
 * DatabaseUnavailable.
 */
export function openSqliteDatabase(filename: string): Database {
  let db: Database | undefined;
  try {
    const inMemory = filename === ':memory:';
    const creating = !inMemory && !existsSync(filename);
    if (creating) mkdirSync(dirname(filename), { recursive: true, mode: 0o700 });
    db = new BetterSqlite3(filename);
    // Tokens are encrypted, but names and emails are not: keep a new file private to the bot's user.
    // SQLite gives the -wal and -shm files the same permissions.
    if (creating) chmodSync(filename, 0o600);
    // Another connection writing (a second process, a CLI) waits this long instead of failing with SQLITE_BUSY.
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof BetterSqlite3.SqliteError && /^SQLITE_(BUSY|LOCKED)/.test(error.code)) {
      throw new DatabaseUnavailable(`${error.message} (${error.code})`, { cause: error });
    }
    // A SQLite path holds no password, unlike a postgres:// URL: naming it tells the operator which file to fix.
    throw new InvalidSetting(
      DATABASE_URL_SETTING,
      `names SQLite database ${filename}, which cannot be opened: ${(error as Error).message}`,
    );
  }
}

/**
 * The LinkStore on SQLite. better-sqlite3 is synchronous; the async methods keep the interface the same as the
 * PostgreSQL store's. The store owns `db` and closes it on close().
 */
export class SqliteLinkStore implements LinkStore {
  readonly #db: Database;
  readonly #keyRing: KeyRing;
  readonly #now: () => number;
  readonly #pendingLinkTtlMs: number;
  readonly #confirmationTtlMs: number;
  readonly #stateSecrets: StateSecrets;
  readonly #refreshLocks = new KeyedMutex();
  readonly slackInstallations: SqliteSlackInstallations;

  /** Throws UnknownEncryptionKey when stored tokens need a key the ring lacks: fail at start, not at first use. */
  constructor(db: Database, keyRing: KeyRing, options: LinkStoreOptions = {}) {
    this.#db = db;
    this.#keyRing = keyRing;
    this.#now = options.now ?? Date.now;
    this.#pendingLinkTtlMs = options.pendingLinkTtlMs ?? DEFAULT_PENDING_LINK_TTL_MS;
    this.#confirmationTtlMs = options.confirmationTtlMs ?? DEFAULT_CONFIRMATION_TTL_MS;
    this.#stateSecrets = stateSecretsFrom(keyRing, options.stateSecret);
    this.#run(() => migrate(db, SQLITE_MIGRATIONS, this.#now));
    this.#run(() => this.#checkKeysCoverStoredTokens());
    this.slackInstallations = new SqliteSlackInstallations({ db, keyRing, now: this.#now, run: (step) => this.#run(step) });
    this.slackInstallations.checkKeysCover();
  }

  async saveLink(userKey: string, identity: LinkIdentity, tokens: StoredTokens): Promise<void> {
    const link = LinkIdentity.parse(identity);
    const sealed = sealTokens(this.#keyRing, userKey, tokens);
    this.#run(() =>
      this.#db
        .transaction(() => {
          this.#db
            .prepare(
              `INSERT INTO links (user_key, account_id, extension_id, extension_number, name, email, linked_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (user_key) DO UPDATE SET account_id = excluded.account_id,
               extension_id = excluded.extension_id, extension_number = excluded.extension_number,
               name = excluded.name, email = excluded.email, linked_at = excluded.linked_at`,
            )
            .run(userKey, link.accountId, link.extensionId, link.extensionNumber, link.name, link.email ?? null, this.#now());
          this.#writeTokens(userKey, sealed);
        })
        .immediate(),
    );
  }

  async getLink(userKey: string): Promise<Link | undefined> {
    const row = this.#run(() => this.#db.prepare<[string], LinkRow>('SELECT * FROM links WHERE user_key = ?').get(userKey));
    return row === undefined ? undefined : linkFromRow(row);
  }

  async deleteLink(userKey: string): Promise<boolean> {
    return this.#refreshLocks.run(userKey, async () => this.#run(() => this.#deleteLinkAndTokens(userKey)));
  }

  async userKeysStartingWith(prefix: string): Promise<string[]> {
    // substr, not LIKE: a key may hold % or _.
    return this.#run(() =>
      this.#db
        .prepare<[number, string, number, string], string>(
          'SELECT user_key FROM links WHERE substr(user_key, 1, ?) = ? UNION SELECT user_key FROM link_tokens WHERE substr(user_key, 1, ?) = ?',
        )
        .pluck()
        .all(prefix.length, prefix, prefix.length, prefix),
    );
  }

  async get(userKey: string): Promise<StoredTokens | undefined> {
    const sealed = this.#run(() =>
      this.#db.prepare<[string], string>('SELECT sealed FROM link_tokens WHERE user_key = ?').pluck().get(userKey),
    );
    return sealed === undefined ? undefined : openTokens(this.#keyRing, userKey, sealed);
  }

  async save(userKey: string, tokens: StoredTokens): Promise<void> {
    const sealed = sealTokens(this.#keyRing, userKey, tokens);
    this.#run(() => this.#writeTokens(userKey, sealed));
  }

  async delete(userKey: string): Promise<void> {
    this.#run(() => this.#deleteLinkAndTokens(userKey));
  }

  /** Serializes per user within this process; SQLite means one process owns the file. */
  async withRefreshLock<T>(userKey: string, fn: () => Promise<T>): Promise<T> {
    return this.#refreshLocks.run(userKey, fn);
  }

  async createPendingLink(pending: NewPendingLink): Promise<string> {
    const row = newPendingRow(this.#keyRing, pending, this.#now(), this.#pendingLinkTtlMs);
    this.#run(() =>
      this.#db
        .transaction(() => {
          this.#db.prepare('DELETE FROM pending_links WHERE expires_at <= ?').run(row.created_at);
          this.#db
            .prepare(
              `INSERT INTO pending_links (id, user_key, redirect_uri, sealed, created_at, expires_at)
             VALUES (@id, @user_key, @redirect_uri, @sealed, @created_at, @expires_at)`,
            )
            .run(row);
        })
        .immediate(),
    );
    return signState(this.#stateSecrets, row.id, row.expires_at);
  }

  async consumePendingLink(state: string, options: ConsumePendingLinkOptions = {}): Promise<PendingLink> {
    const { id, expiresAt } = verifyState(this.#stateSecrets, state);
    if (this.#now() >= expiresAt) {
      this.#run(() => this.#db.prepare('DELETE FROM pending_links WHERE id = ?').run(id));
      throw new ExpiredState();
    }
    const row = this.#run(() => this.#claimPendingRow(id, options.userKey));
    if (row === undefined) {
      const stillPending = this.#run(() => this.#db.prepare('SELECT 1 FROM pending_links WHERE id = ?').get(id)) !== undefined;
      throw stillPending ? new InvalidState('issued to another user') : new UsedState();
    }
    return pendingLinkFromRow(this.#keyRing, row);
  }

  /** One statement both claims and removes the row: of two concurrent consumers only one gets it back. */
  #claimPendingRow(id: string, userKey: string | undefined): PendingRow | undefined {
    return userKey === undefined
      ? this.#db.prepare<[string], PendingRow>('DELETE FROM pending_links WHERE id = ? RETURNING *').get(id)
      : this.#db
          .prepare<[string, string], PendingRow>('DELETE FROM pending_links WHERE id = ? AND user_key = ? RETURNING *')
          .get(id, userKey);
  }

  async holdUnconfirmedLink(link: NewUnconfirmedLink): Promise<HeldLink> {
    const { row, code } = newUnconfirmedRow(this.#keyRing, link, this.#now(), this.#confirmationTtlMs);
    const replaced = this.#run(() =>
      this.#db
        .transaction(() => {
          const earlier = this.#db
            .prepare<[string], UnconfirmedRow>('DELETE FROM unconfirmed_links WHERE user_key = ? RETURNING *')
            .get(row.user_key);
          this.#db
            .prepare(
              `INSERT INTO unconfirmed_links (user_key, id, code_hash, tries, key_id, sealed, created_at, expires_at)
             VALUES (@user_key, @id, @code_hash, @tries, @key_id, @sealed, @created_at, @expires_at)`,
            )
            .run(row);
          return earlier;
        })
        .immediate(),
    );
    const replacedTokens = replaced === undefined ? undefined : tokensOfDiscardedRow(this.#keyRing, replaced);
    return { code, expiresAt: row.expires_at, ...(replacedTokens === undefined ? {} : { replaced: replacedTokens }) };
  }

  async confirmLink(userKey: string, code: string): Promise<ConfirmLinkResult> {
    const steps: UnconfirmedRowSteps = {
      countTry: async (key) =>
        this.#run(() =>
          this.#db
            .prepare<[string], UnconfirmedRow>('UPDATE unconfirmed_links SET tries = tries + 1 WHERE user_key = ? RETURNING *')
            .get(key),
        ),
      take: async (key, id) =>
        this.#run(() =>
          this.#db
            .prepare<[string, string], UnconfirmedRow>('DELETE FROM unconfirmed_links WHERE user_key = ? AND id = ? RETURNING *')
            .get(key, id),
        ),
    };
    return confirmWithSteps(this.#keyRing, steps, userKey, code, this.#now());
  }

  async takeExpiredUnconfirmedLinks(): Promise<StoredTokens[]> {
    const rows = this.#run(() =>
      this.#db.prepare<[number], UnconfirmedRow>('DELETE FROM unconfirmed_links WHERE expires_at <= ? RETURNING *').all(this.#now()),
    );
    return rows.flatMap((row) => tokensOfDiscardedRow(this.#keyRing, row) ?? []);
  }

  async ping(): Promise<void> {
    try {
      this.#db.prepare('SELECT 1 FROM schema_migrations LIMIT 1').get();
    } catch (error) {
      // Whatever stops this read (even a table gone missing) means the store cannot serve.
      throw new DatabaseUnavailable((error as Error).message, { cause: error });
    }
  }

  async close(): Promise<void> {
    this.#db.close();
  }

  /**
   * Runs one database step, turning a failure that means "the database cannot answer now" into DatabaseUnavailable,
   * as the PostgreSQL store does; anything else (a bug, a constraint) passes through unchanged.
   */
  #run<T>(step: () => T): T {
    try {
      return step();
    } catch (error) {
      if (error instanceof BetterSqlite3.SqliteError && UNAVAILABLE_CODE.test(error.code)) {
        throw new DatabaseUnavailable(`${error.message} (${error.code})`, { cause: error });
      }
      // better-sqlite3 throws a TypeError once close() ran: work that shutdown abandoned.
      if (!this.#db.open) throw new DatabaseUnavailable('the database is closed', { cause: error });
      throw error;
    }
  }

  #writeTokens(userKey: string, { keyId, sealed }: SealedTokens): void {
    this.#db
      .prepare(
        `INSERT INTO link_tokens (user_key, key_id, sealed, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_key) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed,
           updated_at = excluded.updated_at`,
      )
      .run(userKey, keyId, sealed, this.#now());
  }

  #deleteLinkAndTokens(userKey: string): boolean {
    return this.#db
      .transaction(() => {
        const links = this.#db.prepare('DELETE FROM links WHERE user_key = ?').run(userKey).changes;
        const tokens = this.#db.prepare('DELETE FROM link_tokens WHERE user_key = ?').run(userKey).changes;
        return links + tokens > 0;
      })
      .immediate();
  }

  #checkKeysCoverStoredTokens(): void {
    const tokenCounts = this.#db
      .prepare<[], { keyId: string; count: number }>('SELECT key_id AS keyId, count(*) AS count FROM link_tokens GROUP BY key_id')
      .all();
    assertKeysCoverStoredTokens(this.#keyRing, tokenCounts);
  }
}

import type pg from 'pg';
import { SchemaTooNew } from '../errors.ts';
import { inVersionOrder, latestVersion, type Migration } from '../migration.ts';
import { asDatabaseUnavailable } from './unavailable.ts';

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'links, tokens and pending links',
    // Times are epoch milliseconds from the store's clock (injectable in tests), as in SQLite.
    sql: `
      CREATE TABLE links (
        user_key TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        extension_id TEXT NOT NULL,
        extension_number TEXT NOT NULL,
        name TEXT NOT NULL,
        email TEXT,
        linked_at BIGINT NOT NULL
      );

      -- sealed holds only ciphertext; key_id repeats the key id inside it so start-up can find unreadable rows.
      CREATE TABLE link_tokens (
        user_key TEXT PRIMARY KEY,
        key_id TEXT NOT NULL,
        sealed TEXT NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE INDEX link_tokens_key_id ON link_tokens (key_id);

      -- sealed holds the PKCE code verifier and the resume data (a Slack response_url is a credential too).
      CREATE TABLE pending_links (
        id TEXT PRIMARY KEY,
        user_key TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        sealed TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX pending_links_expires_at ON pending_links (expires_at);
    `,
  },
  {
    version: 2,
    name: 'unconfirmed links',
    // A sign-in whose RingCentral login may belong to someone else than the chat user, held until that chat user types
    // the one-time code. code_hash is an HMAC of the code, never the code; sealed holds identity, tokens and resume data.
    sql: `
      CREATE TABLE unconfirmed_links (
        user_key TEXT PRIMARY KEY,
        id TEXT NOT NULL,
        code_hash TEXT NOT NULL,
        tries INTEGER NOT NULL,
        key_id TEXT NOT NULL,
        sealed TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX unconfirmed_links_expires_at ON unconfirmed_links (expires_at);
    `,
  },
  {
    version: 3,
    name: 'slack installations',
    // Install mode's "Add to Slack" installations: owner_id is the team id, or the enterprise id of an org-wide install;
    // sealed holds the whole installation (bot token included), key_id the key that sealed it.
    sql: `
      CREATE TABLE slack_installations (
        owner_id TEXT PRIMARY KEY,
        is_enterprise_install BOOLEAN NOT NULL,
        key_id TEXT NOT NULL,
        sealed TEXT NOT NULL,
        installed_at BIGINT NOT NULL
      );
    `,
  },
];

/**
 * Applies missing migrations to the schema the connection's search_path selects. Each runs in its own transaction
 * under a transaction-level advisory lock (`lockKey`), so processes starting together apply each migration once and
 * none sees a half-built schema. A schema newer than `migrations` is refused with SchemaTooNew and left untouched.
 */
export async function migrate(pool: pg.Pool, migrations: readonly Migration[], lockKey: string, now: () => number): Promise<void> {
  const latestKnown = latestVersion(migrations);
  await inLockedTransaction(pool, lockKey, async (client) => {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at BIGINT NOT NULL
    )`);
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
    const current = rows[0]?.version ?? 0;
    if (current > latestKnown) throw new SchemaTooNew(current, latestKnown);
  });

  for (const migration of inVersionOrder(migrations)) {
    await inLockedTransaction(pool, lockKey, async (client) => {
      const applied = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (applied.rowCount !== 0) return;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        now(),
      ]);
    });
  }
}

async function inLockedTransaction(pool: pg.Pool, lockKey: string, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw asDatabaseUnavailable(error);
  }
  // The failing query reports a dropped connection; this listener only keeps the event from crashing the process.
  const ignoreConnectionError = () => {};
  client.on('error', ignoreConnectionError);
  let failed = true;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey]);
    await work(client);
    await client.query('COMMIT');
    failed = false;
  } catch (error) {
    throw asDatabaseUnavailable(error);
  } finally {
    client.off('error', ignoreConnectionError);
    // Closing the connection rolls back whatever the failed transaction did and frees the lock with it.
    client.release(failed);
  }
}

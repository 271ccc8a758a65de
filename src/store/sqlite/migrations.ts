import type { Database } from 'better-sqlite3';
import { SchemaTooNew } from '../errors.ts';
import { inVersionOrder, latestVersion, type Migration } from '../migration.ts';

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'links, tokens and pending links',
    sql: `
      CREATE TABLE links (
        user_key TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        extension_id TEXT NOT NULL,
        extension_number TEXT NOT NULL,
        name TEXT NOT NULL,
        email TEXT,
        linked_at INTEGER NOT NULL
      ) STRICT;

      -- sealed holds only ciphertext; key_id repeats the key id inside it so start-up can find unreadable rows.
      CREATE TABLE link_tokens (
        user_key TEXT PRIMARY KEY,
        key_id TEXT NOT NULL,
        sealed TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX link_tokens_key_id ON link_tokens (key_id);

      -- sealed holds the PKCE code verifier and the resume data (a Slack response_url is a credential too).
      CREATE TABLE pending_links (
        id TEXT PRIMARY KEY,
        user_key TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        sealed TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
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
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
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
        is_enterprise_install INTEGER NOT NULL,
        key_id TEXT NOT NULL,
        sealed TEXT NOT NULL,
        installed_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
];

/** Applies missing migrations, each in its own IMMEDIATE transaction so two processes opening at once do not race. */
export function migrate(db: Database, migrations: readonly Migration[], now: () => number): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const latestKnown = latestVersion(migrations);
  const appliedVersion = db.prepare<[], number>('SELECT max(version) FROM schema_migrations').pluck();
  const isApplied = db.prepare<[number], number>('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');

  const current = appliedVersion.get() ?? 0;
  if (current > latestKnown) throw new SchemaTooNew(current, latestKnown);

  for (const migration of inVersionOrder(migrations)) {
    db.transaction(() => {
      if (isApplied.get(migration.version) !== undefined) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now());
    }).immediate();
  }
}

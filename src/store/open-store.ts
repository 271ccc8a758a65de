import { parseDatabaseUrl } from './database-url.ts';
import type { KeyRing } from './key-ring.ts';
import type { LinkStore } from './link-store.ts';
import { openPostgresStore, type PostgresStoreOptions } from './postgres/postgres-link-store.ts';
import { openSqliteDatabase, SqliteLinkStore } from './sqlite/sqlite-link-store.ts';

/** LinkStore options, plus connection limits that only PostgreSQL uses (SQLite ignores them). */
export type OpenStoreOptions = PostgresStoreOptions;

/**
 * Opens the store DATABASE_URL names (unset: SQLite at ./data/switchboard.db), applies migrations and checks that
 * the key ring can read every stored token. Any problem throws a StoreError; nothing is dropped.
 */
export async function openStore(databaseUrl: string | undefined, keyRing: KeyRing, options: OpenStoreOptions = {}): Promise<LinkStore> {
  const target = parseDatabaseUrl(databaseUrl);
  switch (target.kind) {
    case 'sqlite': {
      const db = openSqliteDatabase(target.filename);
      try {
        return new SqliteLinkStore(db, keyRing, options);
      } catch (error) {
        db.close();
        throw error;
      }
    }
    case 'postgres':
      return openPostgresStore(target.url, keyRing, options);
  }
}

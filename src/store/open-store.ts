import { parseDatabaseUrl } from './database-url.ts';
import { UnsupportedDatabase } from './errors.ts';
import type { KeyRing } from './key-ring.ts';
import type { LinkStore, LinkStoreOptions } from './link-store.ts';
import { openSqliteDatabase, SqliteLinkStore } from './sqlite/sqlite-link-store.ts';

/**
 * Opens the store DATABASE_URL names (unset: SQLite at ./data/switchboard.db), applies migrations and checks that
 * the key ring can read every stored token. Any problem throws a StoreError; nothing is dropped.
 */
export async function openStore(
  databaseUrl: string | undefined,
  keyRing: KeyRing,
  options: LinkStoreOptions = {},
): Promise<LinkStore> {
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
      // The PostgreSQL LinkStore (pg, its own versioned migrations, advisory locks for withRefreshLock) goes here.
      throw new UnsupportedDatabase(
        'DATABASE_URL points at PostgreSQL, which is not supported yet; use a file path or sqlite:PATH',
      );
  }
}

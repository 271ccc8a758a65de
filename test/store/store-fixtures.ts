import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import type { StoredTokens } from '../../src/api/tokens.ts';
import { EncryptionKey, KeyRing } from '../../src/store/key-ring.ts';
import type { LinkIdentity, LinkStore, LinkStoreOptions } from '../../src/store/link-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { openSqliteDatabase, SqliteLinkStore } from '../../src/store/sqlite/sqlite-link-store.ts';
import { createTestSchema } from './postgres-test-database.ts';

/**
 * One database for one test, reachable through any number of LinkStore connections and through raw reads that
 * bypass the store (to check what is really at rest).
 */
export type StoreHarness = {
  /** A new connection to this test's database, as a restarted or second process would open it. */
  open(keyRing: KeyRing, options?: LinkStoreOptions): Promise<LinkStore>;
  /** Closes `store` (when the database outlives its connections) and opens the database again. */
  reopen(store: LinkStore, keyRing: KeyRing, options?: LinkStoreOptions): Promise<LinkStore>;
  rawTokenRow(userKey: string): Promise<{ keyId: string; sealed: string } | undefined>;
  /** Copies one user's stored ciphertext into another user's row, as someone with database access could. */
  copyTokenRow(fromUserKey: string, toUserKey: string): Promise<void>;
  /** Copies one pending link's sealed secret (code verifier, resume data) over another's, as database access could. */
  copyPendingSecret(fromId: string, toId: string): Promise<void>;
  /** Everything persisted, as text: every row of every table, plus the database files' bytes where there are files. */
  rawDump(): Promise<string>;
  dispose(): Promise<void>;
};

export type StoreFixture = {
  name: string;
  /** Data survives closing every connection. */
  durable: boolean;
  create(): Promise<StoreHarness>;
};

const TABLES = ['links', 'link_tokens', 'pending_links', 'unconfirmed_links', 'slack_installations', 'schema_migrations'];

function sqliteRaw(withDb: <T>(read: (db: Database) => T) => T) {
  return {
    async rawTokenRow(userKey: string) {
      return withDb((db) =>
        db
          .prepare<[string], { keyId: string; sealed: string }>('SELECT key_id AS keyId, sealed FROM link_tokens WHERE user_key = ?')
          .get(userKey),
      );
    },
    async copyTokenRow(fromUserKey: string, toUserKey: string) {
      withDb((db) =>
        db
          .prepare(
            `INSERT OR REPLACE INTO link_tokens (user_key, key_id, sealed, updated_at)
             SELECT ?, key_id, sealed, updated_at FROM link_tokens WHERE user_key = ?`,
          )
          .run(toUserKey, fromUserKey),
      );
    },
    async copyPendingSecret(fromId: string, toId: string) {
      withDb((db) =>
        db.prepare('UPDATE pending_links SET sealed = (SELECT sealed FROM pending_links WHERE id = ?) WHERE id = ?').run(fromId, toId),
      );
    },
    rowsAsText(): string {
      return withDb((db) => TABLES.map((table) => JSON.stringify(db.prepare(`SELECT * FROM ${table}`).all())).join('\n'));
    },
  };
}

const sqliteFile: StoreFixture = {
  name: 'SQLite file',
  durable: true,
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-store-'));
    const file = join(dir, 'nested', 'switchboard.db');
    const opened: LinkStore[] = [];
    const open = async (keyRing: KeyRing, options?: LinkStoreOptions) => {
      const store = await openStore(`sqlite:${file}`, keyRing, options);
      opened.push(store);
      return store;
    };
    const raw = sqliteRaw((read) => {
      const db = new BetterSqlite3(file);
      try {
        return read(db);
      } finally {
        db.close();
      }
    });
    return {
      open,
      async reopen(store, keyRing, options) {
        await store.close();
        return open(keyRing, options);
      },
      rawTokenRow: raw.rawTokenRow,
      copyTokenRow: raw.copyTokenRow,
      copyPendingSecret: raw.copyPendingSecret,
      async rawDump() {
        const files = [file, `${file}-wal`].filter((path) => existsSync(path));
        return [raw.rowsAsText(), ...files.map((path) => readFileSync(path).toString('latin1'))].join('\n');
      },
      async dispose() {
        for (const store of opened) await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const sqliteMemory: StoreFixture = {
  name: 'SQLite :memory:',
  durable: false,
  async create() {
    // Every "connection" shares the one in-memory database; closing any store would end it, so reopen does not close.
    const db = openSqliteDatabase(':memory:');
    const open = async (keyRing: KeyRing, options?: LinkStoreOptions) => new SqliteLinkStore(db, keyRing, options);
    const raw = sqliteRaw((read) => read(db));
    return {
      open,
      reopen: async (_store, keyRing, options) => open(keyRing, options),
      rawTokenRow: raw.rawTokenRow,
      copyTokenRow: raw.copyTokenRow,
      copyPendingSecret: raw.copyPendingSecret,
      rawDump: async () => raw.rowsAsText(),
      async dispose() {
        db.close();
      },
    };
  },
};

const postgres: StoreFixture = {
  name: 'PostgreSQL',
  durable: true,
  async create() {
    const schema = await createTestSchema();
    const opened: LinkStore[] = [];
    const open = async (keyRing: KeyRing, options?: LinkStoreOptions) => {
      // Small pools: many test files share one server's connection limit.
      const store = await openStore(schema.url(), keyRing, { maxConnections: 3, maxLockConnections: 3, ...options });
      opened.push(store);
      return store;
    };
    return {
      open,
      async reopen(store, keyRing, options) {
        await store.close();
        return open(keyRing, options);
      },
      async rawTokenRow(userKey) {
        const { rows } = await schema.admin.query<{ keyId: string; sealed: string }>(
          'SELECT key_id AS "keyId", sealed FROM link_tokens WHERE user_key = $1',
          [userKey],
        );
        return rows[0];
      },
      async copyTokenRow(fromUserKey, toUserKey) {
        await schema.admin.query(
          `INSERT INTO link_tokens (user_key, key_id, sealed, updated_at)
           SELECT $1, key_id, sealed, updated_at FROM link_tokens WHERE user_key = $2
           ON CONFLICT (user_key) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed`,
          [toUserKey, fromUserKey],
        );
      },
      async copyPendingSecret(fromId, toId) {
        await schema.admin.query('UPDATE pending_links SET sealed = (SELECT sealed FROM pending_links WHERE id = $1) WHERE id = $2', [
          fromId,
          toId,
        ]);
      },
      async rawDump() {
        const tables: string[] = [];
        for (const table of TABLES) {
          tables.push(JSON.stringify((await schema.admin.query(`SELECT * FROM ${table}`)).rows));
        }
        return tables.join('\n');
      },
      async dispose() {
        for (const store of opened) await store.close();
        await schema.drop();
      },
    };
  },
};

/** Every LinkStore implementation the shared suites run against. */
export const storeFixtures: readonly StoreFixture[] = [sqliteFile, sqliteMemory, postgres];

export function randomKey(): EncryptionKey {
  return new EncryptionKey(randomBytes(32));
}

export function keyRingOf(current: EncryptionKey, ...old: EncryptionKey[]): KeyRing {
  return new KeyRing(current, old);
}

/** Tokens with long random values, so finding any slice of them in raw storage means a leak. */
export function sampleTokens(now = Date.now()): StoredTokens {
  return {
    accessToken: `access-${randomBytes(32).toString('hex')}`,
    accessTokenExpiresAt: now + 3_600_000,
    refreshToken: `refresh-${randomBytes(32).toString('hex')}`,
    refreshTokenExpiresAt: now + 604_800_000,
    scope: 'ReadAccounts',
    ownerId: '401145624008',
    endpointId: `endpoint-${randomBytes(4).toString('hex')}`,
  };
}

export const johnSmith: LinkIdentity = {
  accountId: '401145624008',
  extensionId: '401145624008',
  extensionNumber: '101',
  name: 'John Smith',
  email: 'john.smith@mycompany.com',
};

export const emmaChen: LinkIdentity = {
  accountId: '401145624008',
  extensionId: '401145624103',
  extensionNumber: '103',
  name: 'Emma Chen',
};

/** Every `width`-character slice of `secret`: raw storage must contain none of them. */
export function slicesOf(secret: string, width = 12): string[] {
  const slices: string[] = [];
  for (let start = 0; start + width <= secret.length; start += 1) slices.push(secret.slice(start, start + width));
  return slices;
}

import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SQLITE_FILE, parseDatabaseUrl } from '../../src/store/database-url.ts';
import { InvalidSetting, SchemaTooNew } from '../../src/store/errors.ts';
import { openStore } from '../../src/store/open-store.ts';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/migrations.ts';
import { createTestSchema } from './postgres-test-database.ts';
import { johnSmith, keyRingOf, randomKey, sampleTokens } from './store-fixtures.ts';

describe('DATABASE_URL', () => {
  it.each([
    [undefined, { kind: 'sqlite', filename: DEFAULT_SQLITE_FILE }],
    ['', { kind: 'sqlite', filename: DEFAULT_SQLITE_FILE }],
    [':memory:', { kind: 'sqlite', filename: ':memory:' }],
    ['sqlite::memory:', { kind: 'sqlite', filename: ':memory:' }],
    ['./data/links.db', { kind: 'sqlite', filename: './data/links.db' }],
    ['/var/lib/switchboard/links.db', { kind: 'sqlite', filename: '/var/lib/switchboard/links.db' }],
    ['sqlite:data/links.db', { kind: 'sqlite', filename: 'data/links.db' }],
    ['sqlite://data/links.db', { kind: 'sqlite', filename: 'data/links.db' }],
    ['sqlite:///var/lib/links.db', { kind: 'sqlite', filename: '/var/lib/links.db' }],
    ['file:./links.db', { kind: 'sqlite', filename: './links.db' }],
    ['postgres://bot:pw@127.0.0.1/switchboard', { kind: 'postgres', url: 'postgres://bot:pw@127.0.0.1/switchboard' }],
    ['postgresql://127.0.0.1/switchboard', { kind: 'postgres', url: 'postgresql://127.0.0.1/switchboard' }],
  ])('%j selects %j', (value, target) => {
    expect(parseDatabaseUrl(value)).toEqual(target);
  });

  it('an unsupported scheme fails naming DATABASE_URL without echoing the password', () => {
    expect(() => parseDatabaseUrl('mysql://bot:hunter2@db/switchboard')).toThrow(InvalidSetting);
    expect(() => parseDatabaseUrl('mysql://bot:hunter2@db/switchboard')).toThrow(/^DATABASE_URL .*"mysql:"/);
    expect(() => parseDatabaseUrl('mysql://bot:hunter2@db/switchboard')).not.toThrow(/hunter2/);
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(InvalidSetting);
  });
});

describe('openStore', () => {
  const keyRing = keyRingOf(randomKey());
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-open-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('a postgres:// URL stores links in PostgreSQL, not in a SQLite file', async () => {
    const existedBefore = existsSync(DEFAULT_SQLITE_FILE);
    const schema = await createTestSchema();
    try {
      const store = await openStore(schema.url(), keyRing);
      await store.saveLink('slack:T1:U1', johnSmith, sampleTokens());
      await store.close();
      const { rows } = await schema.admin.query('SELECT name FROM links');
      expect(rows).toEqual([{ name: johnSmith.name }]);
      expect(existsSync(DEFAULT_SQLITE_FILE)).toBe(existedBefore);
    } finally {
      await schema.drop();
    }
  });

  it('creates the directory and a private database file, in WAL mode, with every migration recorded', async () => {
    const file = join(dir, 'a', 'b', 'switchboard.db');
    const store = await openStore(file, keyRing);
    await store.saveLink('slack:T1:U1', johnSmith, sampleTokens());
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);

    const raw = new BetterSqlite3(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      const versions = raw.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
      expect(versions).toEqual(SQLITE_MIGRATIONS.map((migration) => migration.version));
    } finally {
      raw.close();
      await store.close();
    }
  });

  it('reopening applies no migration twice', async () => {
    const file = join(dir, 'switchboard.db');
    await (await openStore(`sqlite:${file}`, keyRing)).close();
    await (await openStore(`sqlite:${file}`, keyRing)).close();
    const raw = new BetterSqlite3(file, { readonly: true });
    try {
      expect(raw.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(SQLITE_MIGRATIONS.length);
    } finally {
      raw.close();
    }
  });

  it('a database migrated by a newer build is refused and left as it is', async () => {
    const file = join(dir, 'switchboard.db');
    const store = await openStore(file, keyRing);
    await store.saveLink('slack:T1:U1', johnSmith, sampleTokens());
    await store.close();
    const raw = new BetterSqlite3(file);
    raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, 0)').run('from the future');
    raw.close();

    await expect(openStore(file, keyRing)).rejects.toBeInstanceOf(SchemaTooNew);
    const after = new BetterSqlite3(file, { readonly: true });
    try {
      expect(after.prepare('SELECT count(*) FROM links').pluck().get()).toBe(1);
    } finally {
      after.close();
    }
  });
});

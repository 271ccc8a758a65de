import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseUnavailable, InvalidSetting } from '../../src/store/errors.ts';
import { openStore } from '../../src/store/open-store.ts';
import { openSqliteDatabase, SqliteLinkStore } from '../../src/store/sqlite/sqlite-link-store.ts';
import { johnSmith, keyRingOf, randomKey, sampleTokens } from './store-fixtures.ts';

/*
 * SQLite failing the way PostgreSQL can: the database cannot answer now (another process holds the write lock, the
 * store was closed under work that shutdown abandoned) is DatabaseUnavailable, as with PostgreSQL, so the user hears
 * "storage is unavailable" rather than "something went wrong"; a DATABASE_URL naming a file that cannot be a database
 * stops start-up naming the setting.
 */

const JOHN = 'slack:T0001:U0101';
const pending = {
  userKey: JOHN,
  codeVerifier: 'v'.repeat(43),
  redirectUri: 'https://bot.example.com/oauth/ringcentral/callback',
  resume: null,
};

describe('SQLite store failures', () => {
  const keyRing = keyRingOf(randomKey());
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-sqlite-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes while another process holds the write lock past busy_timeout fail with DatabaseUnavailable, then succeed', async () => {
    const filename = join(dir, 'links.db');
    const db = openSqliteDatabase(filename);
    const store = new SqliteLinkStore(db, keyRing);
    await store.saveLink(JOHN, johnSmith, sampleTokens());
    db.pragma('busy_timeout = 20'); // the lock wait, shortened for the test

    const other = new BetterSqlite3(filename);
    other.exec('BEGIN IMMEDIATE');
    try {
      await expect(store.saveLink(JOHN, johnSmith, sampleTokens())).rejects.toBeInstanceOf(DatabaseUnavailable);
      await expect(store.save(JOHN, sampleTokens())).rejects.toBeInstanceOf(DatabaseUnavailable);
      await expect(store.deleteLink(JOHN)).rejects.toBeInstanceOf(DatabaseUnavailable);
      await expect(store.delete(JOHN)).rejects.toBeInstanceOf(DatabaseUnavailable);
      await expect(store.createPendingLink(pending)).rejects.toBeInstanceOf(DatabaseUnavailable);
      // Readers are not blocked in WAL mode.
      expect(await store.getLink(JOHN)).toMatchObject(johnSmith);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const tokens = sampleTokens();
    await store.save(JOHN, tokens);
    expect(await store.get(JOHN)).toEqual(tokens);
    await store.close();
  });

  it('calls on a closed store fail with DatabaseUnavailable', async () => {
    const store = await openStore(':memory:', keyRing);
    const state = await store.createPendingLink(pending);
    await store.close();
    await expect(store.get(JOHN)).rejects.toBeInstanceOf(DatabaseUnavailable);
    await expect(store.getLink(JOHN)).rejects.toBeInstanceOf(DatabaseUnavailable);
    await expect(store.saveLink(JOHN, johnSmith, sampleTokens())).rejects.toBeInstanceOf(DatabaseUnavailable);
    await expect(store.consumePendingLink(state)).rejects.toBeInstanceOf(DatabaseUnavailable);
  });

  it.each([
    [
      'a file that is not a database',
      (base: string) => {
        const path = join(base, 'notes.txt');
        writeFileSync(path, 'these are not the tables you are looking for\n'.repeat(100));
        return path;
      },
    ],
    [
      'a path under a regular file',
      (base: string) => {
        const file = join(base, 'plain');
        writeFileSync(file, '');
        return join(file, 'links.db');
      },
    ],
  ])('DATABASE_URL naming %s fails start-up with InvalidSetting naming the setting and the file', async (_what, pathIn) => {
    const path = pathIn(dir);
    const failure = await openStore(path, keyRing).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(InvalidSetting);
    expect((failure as InvalidSetting).setting).toBe('DATABASE_URL');
    expect((failure as Error).message).toContain(path);
    expect((failure as Error).message).not.toContain('\n');
  });
});

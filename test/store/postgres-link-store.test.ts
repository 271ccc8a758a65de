import { createServer, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseUnavailable, InvalidSetting, SchemaTooNew } from '../../src/store/errors.ts';
import type { LinkStore } from '../../src/store/link-store.ts';
import { openStore, type OpenStoreOptions } from '../../src/store/open-store.ts';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/migrations.ts';
import { createTestSchema, eventually, TEST_DATABASE_URL, type TestSchema } from './postgres-test-database.ts';
import { emmaChen, johnSmith, keyRingOf, randomKey, sampleTokens } from './store-fixtures.ts';

const JOHN = 'slack:T0001:U0101';
const EMMA = 'slack:T0001:U0103';

const gates: (() => void)[] = [];

/**
 * A promise and the function that settles it: lets a test hold a lock exactly as long as it wants. Every gate is
 * opened after each test, so a failed assertion cannot leave a lock held and the clean-up waiting for it.
 */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  gates.push(open);
  return { opened, open };
}

describe('PostgreSQL LinkStore', () => {
  const keyRing = keyRingOf(randomKey());
  let schema: TestSchema;
  const stores: LinkStore[] = [];

  /** A store with its own pool, as another process would have, tagged `process` in pg_stat_activity. */
  async function processStore(process: string, options: OpenStoreOptions = {}): Promise<LinkStore> {
    const store = await openStore(schema.url(`${schema.name}_${process}`), keyRing, options);
    stores.push(store);
    return store;
  }
  const appName = (process: string) => `${schema.name}_${process}`;

  beforeEach(async () => {
    schema = await createTestSchema();
  });
  afterEach(async () => {
    for (const open of gates.splice(0)) open();
    for (const store of stores.splice(0)) await store.close();
    await schema.drop();
  });

  describe('refresh lock across processes', () => {
    it('a refresh in another process does not start until the holder’s refresh has ended', async () => {
      const [first, second] = [await processStore('a'), await processStore('b')];
      const held = gate();
      const entered = gate();
      const spans: Record<string, { start: number; end: number }> = {};
      const refresh = (name: string, until: Promise<void>) => async () => {
        const start = performance.now();
        entered.open();
        await until;
        spans[name] = { start, end: performance.now() };
        return name;
      };

      const firstRefresh = first.withRefreshLock(JOHN, refresh('first', held.opened));
      await entered.opened;
      const secondRefresh = second.withRefreshLock(JOHN, refresh('second', Promise.resolve()));
      // The second process really is queued on the server's lock, not merely slower.
      await eventually(async () => (await schema.backendsWaitingForLocks(appName('b'))) === 1, 'b waits for the lock');
      expect(spans.second).toBeUndefined();
      held.open();

      expect(await Promise.all([firstRefresh, secondRefresh])).toEqual(['first', 'second']);
      expect(spans.second?.start).toBeGreaterThanOrEqual(spans.first?.end ?? Infinity);
    });

    it('a refresh for one user does not hold up another user’s in another process', async () => {
      const [first, second] = [await processStore('a'), await processStore('b')];
      const held = gate();
      const johnRefresh = first.withRefreshLock(JOHN, () => held.opened);
      await expect(second.withRefreshLock(EMMA, async () => 'emma refreshed')).resolves.toBe('emma refreshed');
      held.open();
      await johnRefresh;
    });

    it('unlinking in one process waits for a refresh in another, so it cannot bring the tokens back', async () => {
      const [refresher, unlinker] = [await processStore('a'), await processStore('b')];
      await refresher.saveLink(JOHN, johnSmith, sampleTokens());
      const answered = gate();
      const entered = gate();
      const refresh = refresher.withRefreshLock(JOHN, async () => {
        entered.open();
        await answered.opened;
        await refresher.save(JOHN, sampleTokens());
      });
      await entered.opened;
      const unlink = unlinker.deleteLink(JOHN);
      await eventually(async () => (await schema.backendsWaitingForLocks(appName('b'))) === 1, 'unlink waits');
      answered.open();

      await refresh;
      expect(await unlink).toBe(true);
      expect(await refresher.get(JOHN)).toBeUndefined();
      expect(await unlinker.getLink(JOHN)).toBeUndefined();
    });

    it('a holder whose connection dies releases the lock, and its own refresh still completes', async () => {
      const [dying, waiting] = [await processStore('a'), await processStore('b')];
      const held = gate();
      const entered = gate();
      const dyingRefresh = dying.withRefreshLock(JOHN, async () => {
        entered.open();
        await held.opened;
        return 'finished anyway';
      });
      await entered.opened;
      const waitingRefresh = waiting.withRefreshLock(JOHN, async () => 'got the lock');
      await eventually(async () => (await schema.backendsWaitingForLocks(appName('b'))) === 1, 'b waits');

      expect(await schema.terminateBackends(appName('a'))).toBeGreaterThan(0);
      // The other process proceeds while the dead holder's refresh is still running.
      await expect(waitingRefresh).resolves.toBe('got the lock');
      held.open();
      await expect(dyingRefresh).resolves.toBe('finished anyway');
      // The process whose connections died takes the lock again on a fresh connection.
      await expect(dying.withRefreshLock(JOHN, async () => 'again')).resolves.toBe('again');
    });

    it('waiting for the lock is bounded: it fails with DatabaseUnavailable and never runs the refresh', async () => {
      const holder = await processStore('a');
      const impatient = await processStore('b', { refreshLockTimeoutMs: 200 });
      const held = gate();
      const entered = gate();
      const holding = holder.withRefreshLock(JOHN, async () => {
        entered.open();
        await held.opened;
      });
      await entered.opened;
      let ran = false;
      const started = performance.now();
      await expect(
        impatient.withRefreshLock(JOHN, async () => {
          ran = true;
        }),
      ).rejects.toBeInstanceOf(DatabaseUnavailable);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(ran).toBe(false);
      held.open();
      await holding;
      await expect(impatient.withRefreshLock(JOHN, async () => 'after release')).resolves.toBe('after release');
    });
  });

  describe('migrations', () => {
    it('processes starting together on an empty schema all succeed and apply each migration once', async () => {
      const opened = await Promise.all(['a', 'b', 'c', 'd'].map((name) => processStore(name)));
      const { rows } = await schema.admin.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((row) => row.version)).toEqual(POSTGRES_MIGRATIONS.map((migration) => migration.version));

      const tokens = sampleTokens();
      await opened[0]?.saveLink(JOHN, johnSmith, tokens);
      expect(await opened[3]?.get(JOHN)).toEqual(tokens);
    });

    it('reopening applies no migration twice', async () => {
      await (await processStore('a')).close();
      await processStore('b');
      const { rows } = await schema.admin.query<{ count: string }>('SELECT count(*) AS count FROM schema_migrations');
      expect(Number(rows[0]?.count)).toBe(POSTGRES_MIGRATIONS.length);
    });

    it('a schema migrated by a newer build is refused and left as it is', async () => {
      const store = await processStore('a');
      await store.saveLink(JOHN, johnSmith, sampleTokens());
      await schema.admin.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)");
      await expect(processStore('b')).rejects.toBeInstanceOf(SchemaTooNew);
      const { rows } = await schema.admin.query('SELECT user_key FROM links');
      expect(rows).toEqual([{ user_key: JOHN }]);
    });
  });

  describe('database failures', () => {
    it('after every connection is terminated (a restart) the command in flight fails, the next succeeds', async () => {
      const store = await processStore('a');
      const tokens = sampleTokens();
      await store.saveLink(JOHN, johnSmith, tokens);
      await store.saveLink(EMMA, emmaChen, sampleTokens());

      // Hold the table so a write is in flight (waiting) when the connections go.
      const locker = await schema.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE link_tokens IN ACCESS EXCLUSIVE MODE');
      const inFlight = store.save(JOHN, sampleTokens()).then(
        () => 'saved',
        (error: unknown) => error,
      );
      await eventually(async () => (await schema.backendsWaitingForLocks(appName('a'))) === 1, 'the save waits');

      await schema.terminateBackends(appName('a'));
      expect(await inFlight).toBeInstanceOf(DatabaseUnavailable);
      await locker.query('ROLLBACK');
      await eventually(async () => (await schema.backendCount(appName('a'))) === 0, 'the old connections are gone');

      // Same pool, no restart of the store: new connections, and nothing was lost.
      expect(await store.get(JOHN)).toEqual(tokens);
      expect(await store.getLink(EMMA)).toMatchObject(emmaChen);
      const refreshed = sampleTokens();
      await store.save(JOHN, refreshed);
      expect(await store.get(JOHN)).toEqual(refreshed);
    });

    it('idle connections dropped by the server do not crash the process and are replaced', async () => {
      const store = await processStore('a');
      await store.saveLink(JOHN, johnSmith, sampleTokens());
      await store.withRefreshLock(JOHN, async () => undefined); // leaves an idle lock connection too
      expect(await schema.backendCount(appName('a'))).toBeGreaterThanOrEqual(2);

      await schema.terminateBackends(appName('a'));
      await eventually(async () => (await schema.backendCount(appName('a'))) === 0, 'the connections are gone');

      expect(await store.getLink(JOHN)).toMatchObject(johnSmith);
      await expect(store.withRefreshLock(JOHN, async () => 'locked')).resolves.toBe('locked');
    });

    it('a statement that cannot finish in time fails with DatabaseUnavailable instead of hanging', async () => {
      const store = await processStore('a', { statementTimeoutMs: 200 });
      await store.saveLink(JOHN, johnSmith, sampleTokens());
      const locker = await schema.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE link_tokens IN ACCESS EXCLUSIVE MODE');

      const started = performance.now();
      await expect(store.get(JOHN)).rejects.toBeInstanceOf(DatabaseUnavailable);
      expect(performance.now() - started).toBeLessThan(3_000);
      await locker.query('ROLLBACK');
      expect(await store.getLink(JOHN)).toMatchObject(johnSmith);
    });
  });

  describe('start-up', () => {
    let silentServer: ReturnType<typeof createServer> | undefined;
    const sockets = new Set<Socket>();
    afterEach(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (silentServer ? silentServer.close(() => resolve()) : resolve()));
      silentServer = undefined;
    });

    /** Accepts connections and never answers, as a hung server or a half-open network path would. */
    async function startSilentServer(): Promise<number> {
      silentServer = createServer((socket) => {
        sockets.add(socket);
      });
      await new Promise<void>((resolve) => silentServer?.listen(0, '127.0.0.1', resolve));
      const address = silentServer.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      return address.port;
    }

    /** A port nothing listens on: bind one, then free it. */
    async function closedPort(): Promise<number> {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (address === null || typeof address === 'string') throw new Error('no port');
      return address.port;
    }

    it('a server that never answers fails start-up with DatabaseUnavailable within the connect timeout', async () => {
      const port = await startSilentServer();
      const started = performance.now();
      const opening = openStore(`postgres://postgres@127.0.0.1:${port}/test`, keyRing, { connectTimeoutMs: 300 });
      await expect(opening).rejects.toBeInstanceOf(DatabaseUnavailable);
      expect(performance.now() - started).toBeLessThan(3_000);
    });

    it('nothing listening fails start-up with DatabaseUnavailable', async () => {
      const port = await closedPort();
      await expect(openStore(`postgres://postgres@127.0.0.1:${port}/test`, keyRing)).rejects.toBeInstanceOf(DatabaseUnavailable);
    });

    it('a database that does not exist fails start-up naming DATABASE_URL, without its password', async () => {
      const url = new URL(TEST_DATABASE_URL);
      url.pathname = `/${schema.name}_missing`;
      url.password = 'hunter2-secret';
      const failure = await openStore(url.toString(), keyRing).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(InvalidSetting);
      expect((failure as InvalidSetting).setting).toBe('DATABASE_URL');
      expect((failure as Error).message).not.toContain('hunter2-secret');
    });

    it('a search_path naming no existing schema fails start-up naming DATABASE_URL', async () => {
      const url = new URL(TEST_DATABASE_URL);
      url.searchParams.set('options', `-c search_path=${schema.name}_missing`);
      await expect(openStore(url.toString(), keyRing)).rejects.toBeInstanceOf(InvalidSetting);
    });
  });

  describe('schemas', () => {
    it('stores in different schemas of one database do not share links or refresh locks', async () => {
      const other = await createTestSchema();
      try {
        const here = await processStore('a');
        const there = await openStore(other.url(), keyRing);
        try {
          await here.saveLink(JOHN, johnSmith, sampleTokens());
          expect(await there.getLink(JOHN)).toBeUndefined();

          const held = gate();
          const holding = here.withRefreshLock(JOHN, () => held.opened);
          await expect(there.withRefreshLock(JOHN, async () => 'not blocked')).resolves.toBe('not blocked');
          held.open();
          await holding;
        } finally {
          await there.close();
        }
      } finally {
        await other.drop();
      }
    });
  });
});

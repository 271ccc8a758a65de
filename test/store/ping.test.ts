import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseUnavailable } from '../../src/store/errors.ts';
import type { LinkStore } from '../../src/store/link-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from './postgres-test-database.ts';
import { keyRingOf, randomKey, storeFixtures, type StoreHarness } from './store-fixtures.ts';

describe.each(storeFixtures)('$name LinkStore ping', (fixture) => {
  let harness: StoreHarness | undefined;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });

  it('an open store answers a ping', async () => {
    harness = await fixture.create();
    const store = await harness.open(keyRingOf(randomKey()));
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

describe('ping when the database goes away', () => {
  let schema: TestSchema | undefined;
  let proxy: TcpProxy | undefined;
  let store: LinkStore | undefined;
  afterEach(async () => {
    await store?.close();
    await proxy?.close();
    await schema?.drop();
    [store, proxy, schema] = [undefined, undefined, undefined];
  });

  it('PostgreSQL: a ping fails with DatabaseUnavailable while the server is unreachable and succeeds once it is back', async () => {
    schema = await createTestSchema();
    const direct = new URL(TEST_DATABASE_URL);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(schema.url());
    viaProxy.port = String(proxy.port);
    store = await openStore(viaProxy.toString(), keyRingOf(randomKey()), {
      maxConnections: 2,
      maxLockConnections: 1,
      connectTimeoutMs: 500,
    });
    await store.ping();

    await proxy.stop();
    await expect(store.ping()).rejects.toBeInstanceOf(DatabaseUnavailable);

    await proxy.start();
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('SQLite: a ping of a closed store fails with DatabaseUnavailable', async () => {
    const closed = await openStore(':memory:', keyRingOf(randomKey()));
    await closed.close();
    await expect(closed.ping()).rejects.toBeInstanceOf(DatabaseUnavailable);
  });
});

import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/observability/logger.ts';
import { loadConfig } from '../../src/config.ts';
import type { DemoStack } from '../../src/demo/demo-stack.ts';
import { DEMO_APP, startDemoStack } from '../../src/demo/demo-stack.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import { generateEncryptionKey } from '../../src/store/key-ring.ts';
import type { Switchboard } from '../../src/switchboard.ts';
import { startSwitchboard } from '../../src/switchboard.ts';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from '../store/postgres-test-database.ts';
import { TEST_REDIS_URL, testKeyPrefix } from '../support/redis.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { scrape, total } from './prometheus-text.ts';

async function get(url: string): Promise<{ status: number; body: string; json: unknown }> {
  const response = await request(url, { method: 'GET' });
  const body = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, body, json };
}

describe('/healthz and /readyz', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  /** The demo stack on a sandbox of its own that the test may stop (as RingCentral going away) with stopRingCentral. */
  async function demoStack(env?: Record<string, string>): Promise<DemoStack & { stopRingCentral(): Promise<void> }> {
    const sandbox = await startSandbox();
    let sandboxRunning = true;
    const stopRingCentral = async () => {
      if (sandboxRunning) await sandbox.close();
      sandboxRunning = false;
    };
    cleanups.push(stopRingCentral);
    const stack = await startDemoStack({ sharedSandbox: sandbox, ...(env === undefined ? {} : { env }) });
    cleanups.push(() => stack.close());
    return Object.assign(stack, { stopRingCentral });
  }

  it('healthz answers 200 while the process serves HTTP, whatever its dependencies do', async () => {
    const stack = await demoStack();
    expect(await get(`${stack.bot.url}/healthz`)).toMatchObject({ status: 200, json: { status: 'ok' } });
    await stack.stopRingCentral();
    expect(await get(`${stack.bot.url}/healthz`)).toMatchObject({ status: 200, json: { status: 'ok' } });
  });

  it('readyz is 200 with every check ok when the database and RingCentral answer', async () => {
    const stack = await demoStack();
    const ready = await get(`${stack.bot.url}/readyz`);
    expect(ready).toMatchObject({ status: 200, json: { status: 'ready', checks: { database: 'ok', ringcentral: 'ok' } } });
  });

  it('readyz is 503 naming ringcentral when RingCentral refuses connections, and reveals no setting', async () => {
    const stack = await demoStack();
    await stack.stopRingCentral();
    const notReady = await get(`${stack.bot.url}/readyz`);
    expect(notReady).toMatchObject({ status: 503, json: { status: 'not-ready', checks: { database: 'ok', ringcentral: 'failed' } } });
    for (const secret of [stack.sandbox.url, String(stack.sandbox.port), DEMO_APP.clientSecret, stack.config.TOKEN_ENCRYPTION_KEY ?? '-']) {
      expect(notReady.body).not.toContain(secret);
    }
  });

  it('readyz reports a RingCentral that accepts connections but never answers as timeout, within the check timeout', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const bot = await startBot({ RINGCENTRAL_SERVER_URL: `http://127.0.0.1:${silent.port}` });
    const started = performance.now();
    const notReady = await get(`${bot.url}/readyz`);
    expect(performance.now() - started).toBeLessThan(4_000);
    expect(notReady).toMatchObject({ status: 503, json: { checks: { database: 'ok', ringcentral: 'timeout' } } });
    const { samples } = await scrape(bot.url);
    expect(total(samples, 'switchboard_ringcentral_requests_total', { operation: 'ping', status: 'timeout' })).toBe(1);
  });

  describe('PostgreSQL', () => {
    let schema: TestSchema;
    let proxy: TcpProxy;
    afterEach(async () => {
      await proxy?.close();
      await schema?.drop();
    });

    it('readyz is 503 naming database while PostgreSQL is unreachable and 200 again once it is back, never showing DATABASE_URL', async () => {
      schema = await createTestSchema();
      const direct = new URL(TEST_DATABASE_URL);
      proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
      const viaProxy = new URL(schema.url());
      viaProxy.port = String(proxy.port);
      const stack = await demoStack({ DATABASE_URL: viaProxy.toString() });
      expect(await get(`${stack.bot.url}/readyz`)).toMatchObject({ status: 200, json: { checks: { database: 'ok', ringcentral: 'ok' } } });

      await proxy.stop();
      const notReady = await get(`${stack.bot.url}/readyz`);
      expect(notReady).toMatchObject({ status: 503, json: { status: 'not-ready', checks: { database: 'failed', ringcentral: 'ok' } } });
      for (const secret of [schema.name, viaProxy.hostname + ':' + viaProxy.port, 'postgres://'])
        expect(notReady.body).not.toContain(secret);

      await proxy.start();
      expect(await get(`${stack.bot.url}/readyz`)).toMatchObject({ status: 200, json: { status: 'ready' } });
    });
  });

  describe('Redis (REDIS_URL)', () => {
    let proxy: TcpProxy;
    afterEach(async () => {
      await proxy?.close();
    });

    it('readyz shows redis; a Redis that goes away is marked failed without making the bot unready (pacing goes local), and ok once back', async () => {
      const direct = new URL(TEST_REDIS_URL);
      proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 6379) });
      const stack = await demoStack({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_KEY_PREFIX: testKeyPrefix() });
      expect(await get(`${stack.bot.url}/readyz`)).toMatchObject({
        status: 200,
        json: { status: 'ready', checks: { database: 'ok', ringcentral: 'ok', redis: 'ok' } },
      });

      await proxy.stop();
      const degraded = await get(`${stack.bot.url}/readyz`);
      expect(degraded).toMatchObject({ status: 200, json: { status: 'ready', checks: { database: 'ok', ringcentral: 'ok' } } });
      expect((degraded.json as { checks: Record<string, string> }).checks['redis']).toMatch(/^(failed|timeout)$/);
      expect(degraded.body).not.toContain(String(proxy.port));

      await proxy.start();
      const until = performance.now() + 8_000;
      let checks: unknown;
      do {
        await new Promise((resolve) => setTimeout(resolve, 100));
        checks = ((await get(`${stack.bot.url}/readyz`)).json as { checks: unknown }).checks;
      } while ((checks as Record<string, string>)['redis'] !== 'ok' && performance.now() < until);
      expect(checks).toEqual({ database: 'ok', ringcentral: 'ok', redis: 'ok' });
    });
  });

  /** A bot with no chat platform configured but Teams' emulator mode, for settings the demo stack does not take. */
  async function startBot(env: Record<string, string>): Promise<Switchboard> {
    const config = loadConfig({
      PORT: '0',
      RINGCENTRAL_CLIENT_ID: DEMO_APP.clientId,
      RINGCENTRAL_CLIENT_SECRET: DEMO_APP.clientSecret,
      DATABASE_URL: ':memory:',
      TOKEN_ENCRYPTION_KEY: generateEncryptionKey(),
      ...env,
    });
    const bot = await startSwitchboard(config, { host: '127.0.0.1', logger: silentLogger });
    cleanups.push(() => bot.close({ graceMs: 100 }));
    return bot;
  }
});

/** Accepts connections and never answers, as a hung server or a half-open network path would. */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

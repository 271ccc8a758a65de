import { once } from 'node:events';
import { connect } from 'node:net';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config.ts';
import { type RunningServer, startHttpServer } from '../src/http-server.ts';

/** Writes `raw` on a fresh connection and resolves with the status line of the answer. */
async function rawStatusLine(port: number, raw: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  socket.write(raw);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.setTimeout(5_000, () => socket.end());
  await once(socket, 'close');
  socket.destroy();
  return received.split('\r\n')[0] ?? '';
}

describe('the HTTP server', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close({ graceMs: 0 });
    server = undefined;
  });

  it('routes by method and exact path, ignoring the query string; anything else is 404', async () => {
    server = await startHttpServer({ 'GET /healthz': (_req, res) => void res.end('ok') }, 0, '127.0.0.1');
    const ok = await request(`${server.url}/healthz?probe=1`);
    expect([ok.statusCode, await ok.body.text()]).toEqual([200, 'ok']);
    for (const [method, path] of [
      ['POST', '/healthz'],
      ['GET', '/healthz/'],
      ['GET', '/other'],
    ] as const) {
      const other = await request(`${server.url}${path}`, { method });
      expect(other.statusCode, `${method} ${path}`).toBe(404);
      await other.body.dump();
    }
  });

  it('a handler that throws answers 500 with no detail', async () => {
    server = await startHttpServer(
      {
        'GET /boom': () => {
          throw new Error('secret detail');
        },
      },
      0,
      '127.0.0.1',
    );
    const response = await request(`${server.url}/boom`);
    expect(response.statusCode).toBe(500);
    expect(await response.body.text()).toBe('Internal error');
  });

  it('a request target URL cannot parse is refused with 400, and the server goes on serving', async () => {
    server = await startHttpServer({ 'GET /healthz': (_req, res) => void res.end('ok') }, 0, '127.0.0.1');
    expect(await rawStatusLine(server.port, 'GET http://[ HTTP/1.1\r\nHost: bot\r\nConnection: close\r\n\r\n')).toBe(
      'HTTP/1.1 400 Bad Request',
    );
    const after = await request(`${server.url}/healthz`, { dispatcher: new Agent() });
    expect(after.statusCode).toBe(200);
    await after.body.dump();
  });
});

describe('starting the HTTP server', () => {
  it('on a port already in use fails with one line naming PORT', async () => {
    const first = await startHttpServer({}, 0, '127.0.0.1');
    try {
      const failure = await startHttpServer({}, first.port, '127.0.0.1').then(
        async (second) => second.close(),
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(ConfigError);
      expect((failure as Error).message).toBe(`Cannot listen: PORT ${first.port} is already in use on 127.0.0.1`);
    } finally {
      await first.close();
    }
  });

  it('on an address that is not this machine’s fails with one line naming HOST', async () => {
    // 192.0.2.0/24 is TEST-NET-1: never assigned to a real interface.
    const failure = await startHttpServer({}, 0, '192.0.2.1').then(
      async (server) => server.close(),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toBe('Cannot listen: HOST 192.0.2.1 is not an address of this machine');
  });
});

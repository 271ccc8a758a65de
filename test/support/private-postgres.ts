import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PostgreSQL server of the test's own (initdb in a temporary directory, loopback, a free port), for a test that
 * stops and restarts the server: restarting the shared one would break every other test file using it meanwhile.
 * Needs PostgreSQL's server binaries (PG_BIN_DIR, or /usr/lib/postgresql/<version>/bin); a machine without them fails
 * the test rather than skipping it. As root (CI), the server runs as the `postgres` user, since PostgreSQL refuses root.
 */
export interface PrivatePostgres {
  /** postgres://… of its `postgres` database. */
  url: string;
  /** A fast shutdown: sessions are terminated, connecting is refused until start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its files. */
  close(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresServerBinaries();
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    await chown(dir, uid, gid);
  }
  const command = (program: string, args: string[], timeoutMs = 30_000) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, program), ...args], { timeout: timeoutMs })
      : run(join(bin, program), args, { timeout: timeoutMs });

  const port = await freePort();
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const pgCtl = (action: 'start' | 'stop', mode?: 'fast' | 'immediate') =>
    command('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-o',
      serverOptions,
      '-w',
      '-t',
      '20',
      ...(mode ? ['-m', mode] : []),
      action,
    ]);

  try {
    await command('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    await pgCtl('start');
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`could not start a private PostgreSQL from ${bin}: ${(error as Error).message}`, { cause: error });
  }
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await pgCtl('stop', 'fast');
      running = false;
    },
    async start() {
      await pgCtl('start');
      running = true;
    },
    async close() {
      if (running) await pgCtl('stop', 'immediate').catch(() => undefined);
      running = false;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** PostgreSQL's server binaries: PG_BIN_DIR, or the newest /usr/lib/postgresql/<version>/bin. */
export function postgresServerBinaries(): string {
  const candidates = process.env.PG_BIN_DIR
    ? [process.env.PG_BIN_DIR]
    : existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql')
          .sort((a, b) => Number(b) - Number(a))
          .map((version) => `/usr/lib/postgresql/${version}/bin`)
      : [];
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (found === undefined) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl) not found: install PostgreSQL (sudo apt-get install postgresql) or set PG_BIN_DIR',
    );
  }
  return found;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

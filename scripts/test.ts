/**
 * `npm test`: makes sure this machine has what the suite uses (Chromium, PostgreSQL with a `test` database and its
 * server binaries, Redis), then runs `vitest run` with the arguments given. What is missing is installed or started
 * when it can be (Debian's chromium as root, the installed PostgreSQL or Redis when none answers); what cannot be had
 * stops the run at once with one line per missing thing saying what to install, rather than a wall of failed tests.
 * `.ci/run` runs this same command.
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import pg from 'pg';
import { TEST_DATABASE_URL } from '../test/store/postgres-test-database.ts';
import { postgresServerBinaries } from '../test/support/private-postgres.ts';
import { connectTestRedis, TEST_REDIS_URL } from '../test/support/redis.ts';

const asRoot = process.getuid?.() === 0;

/** Something the suite needs that this machine lacks, and a way to get it (undefined: a line saying what to install). */
type Need = { missing: string; obtain?: () => Promise<void> };

async function main(): Promise<void> {
  const needs = (await Promise.all([chromiumNeed(), postgresBinariesNeed(), postgresNeed(), redisNeed()])).filter(
    (need): need is Need => need !== undefined,
  );
  const unobtainable = needs.filter((need) => need.obtain === undefined);
  if (unobtainable.length > 0) fail(unobtainable.map((need) => need.missing));
  for (const need of needs) {
    try {
      await need.obtain!();
    } catch (error) {
      fail([`${need.missing}, and getting it failed: ${oneLine(error)}`]);
    }
  }
  process.exitCode = await runVitest(process.argv.slice(2));
}

// --- Chromium, for the browser test of the link flow

async function chromiumNeed(): Promise<Need | undefined> {
  const configured = process.env.CHROMIUM_PATH;
  const path = configured ?? '/usr/bin/chromium';
  if (isExecutable(path)) return undefined;
  if (configured !== undefined) {
    return { missing: `Chromium not found at ${path} (CHROMIUM_PATH): install it there, or unset CHROMIUM_PATH to use /usr/bin/chromium` };
  }
  const missing = 'Chromium not found at /usr/bin/chromium';
  if (!asRoot || findOnPath('apt-get') === undefined) {
    return { missing: `${missing}: install Debian's package (sudo apt-get install chromium), or set CHROMIUM_PATH` };
  }
  return {
    missing,
    obtain: async () => {
      note("installing Debian's chromium with apt-get (once)");
      const install = () => run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], 600_000);
      if (!install().ok) {
        const update = run('apt-get', ['update'], 300_000);
        if (!update.ok) throw new Error(`apt-get update: ${update.output}`);
        const retry = install();
        if (!retry.ok) throw new Error(`apt-get install chromium: ${retry.output}`);
      }
      if (!isExecutable(path)) throw new Error(`apt-get installed chromium, but ${path} is still not there`);
    },
  };
}

// --- PostgreSQL: the shared server with a `test` database, and server binaries for the tests that run their own

async function postgresBinariesNeed(): Promise<Need | undefined> {
  try {
    postgresServerBinaries();
    return undefined;
  } catch (error) {
    return { missing: oneLine(error) };
  }
}

async function postgresNeed(): Promise<Need | undefined> {
  const url = new URL(TEST_DATABASE_URL);
  const where = `${url.hostname}:${url.port || 5432}`;
  const state = await postgresState(url);
  if (state === 'ready') return undefined;
  if (state === 'no test database') {
    return { missing: `PostgreSQL at ${where} has no database ${databaseOf(url)}`, obtain: () => createDatabase(url) };
  }
  if (state !== 'not answering') return { missing: `PostgreSQL at ${where} refused the tests: ${state} (set TEST_DATABASE_URL)` };

  const missing = `PostgreSQL is not answering at ${where}`;
  if (!isLoopback(url.hostname)) return { missing: `${missing}: start it, or set TEST_DATABASE_URL` };
  const cluster = asRoot ? debianCluster() : undefined;
  let bin: string | undefined;
  try {
    bin = postgresServerBinaries();
  } catch {
    bin = undefined;
  }
  if (cluster === undefined && bin === undefined) {
    return { missing: `${missing}, and no PostgreSQL is installed to start: sudo apt-get install postgresql, or set TEST_DATABASE_URL` };
  }
  return {
    missing,
    obtain: async () => {
      if (cluster !== undefined) {
        note(`starting PostgreSQL ${cluster} main`);
        const started = run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster, 'main', 'start'], 60_000);
        if (!started.ok && bin === undefined) throw new Error(`pg_ctlcluster ${cluster} main start: ${started.output}`);
        if (started.ok && (await waitFor(async () => (await postgresState(url)) !== 'not answering'))) {
          return finishPostgres(url);
        }
      }
      await startPrivatePostgres(bin!, url);
      await finishPostgres(url);
    },
  };
}

async function finishPostgres(url: URL): Promise<void> {
  const state = await postgresState(url);
  if (state === 'no test database') return createDatabase(url);
  if (state !== 'ready') throw new Error(`PostgreSQL started but ${state}`);
}

/** A server of the tests' own, kept in the temporary directory between runs, with trust auth as the tests expect. */
async function startPrivatePostgres(bin: string, url: URL): Promise<void> {
  const port = url.port || '5432';
  const dir = join(tmpdir(), `switchboard-test-postgres-${port}`);
  const data = join(dir, 'data');
  // PostgreSQL refuses to run as root; its own user owns the files then.
  const as = (program: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, program), ...args], 60_000) : run(join(bin, program), args, 60_000);
  mkdirSync(dir, { recursive: true });
  if (asRoot) run('chown', ['postgres:postgres', dir], 10_000);
  if (!existsSync(join(data, 'PG_VERSION'))) {
    note(`creating a private PostgreSQL in ${data}`);
    const init = as('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    if (!init.ok) throw new Error(`initdb: ${init.output}`);
  }
  note(`starting a private PostgreSQL on ${url.hostname}:${port}`);
  const options = `-p ${port} -k ${dir} -c listen_addresses=${url.hostname} -c fsync=off -c full_page_writes=off`;
  const start = as('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '30', 'start']);
  if (!start.ok) throw new Error(`pg_ctl start (log: ${join(dir, 'server.log')}): ${start.output}`);
}

/** 'ready', 'no test database', 'not answering', or why the server refused the tests. */
async function postgresState(url: URL): Promise<string> {
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return 'ready';
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '3D000') return 'no test database';
    if (code === '57P03') return 'not answering'; // starting up
    if (code === 'ECONNREFUSED' || code === 'ENOENT' || /timeout/i.test((error as Error).message)) return 'not answering';
    return oneLine(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function createDatabase(url: URL): Promise<void> {
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    note(`creating database ${databaseOf(url)}`);
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(databaseOf(url))}`);
  } finally {
    await client.end();
  }
}

/** Debian's cluster (`/etc/postgresql/<version>/main`), newest first. */
function debianCluster(): string | undefined {
  if (!existsSync('/etc/postgresql') || findOnPath('pg_ctlcluster') === undefined) return undefined;
  return readdirSync('/etc/postgresql')
    .filter((version) => existsSync(join('/etc/postgresql', version, 'main')))
    .sort((a, b) => Number(b) - Number(a))[0];
}

function databaseOf(url: URL): string {
  return decodeURIComponent(url.pathname.slice(1)) || 'postgres';
}

// --- Redis, for the shared pacing tests

async function redisNeed(): Promise<Need | undefined> {
  if (await redisAnswers()) return undefined;
  const url = new URL(TEST_REDIS_URL);
  const port = url.port || '6379';
  const missing = `Redis is not answering at ${url.hostname}:${port}`;
  if (!isLoopback(url.hostname)) return { missing: `${missing}: start it, or set TEST_REDIS_URL` };
  const server = findOnPath('redis-server');
  if (server === undefined) {
    return { missing: `${missing}, and redis-server is not installed to start: sudo apt-get install redis-server, or set TEST_REDIS_URL` };
  }
  return {
    missing,
    obtain: async () => {
      note(`starting a private Redis on ${url.hostname}:${port}`);
      const files = join(tmpdir(), `switchboard-test-redis-${port}`);
      mkdirSync(files, { recursive: true });
      const started = run(
        server,
        [
          '--daemonize',
          'yes',
          '--bind',
          url.hostname,
          '--port',
          port,
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          files,
          '--pidfile',
          join(files, 'redis.pid'),
          '--logfile',
          join(files, 'redis.log'),
        ],
        10_000,
      );
      if (!started.ok) throw new Error(`redis-server: ${started.output}`);
      if (!(await waitFor(redisAnswers))) throw new Error(`redis-server started but does not answer (log: ${join(files, 'redis.log')})`);
    },
  };
}

async function redisAnswers(): Promise<boolean> {
  try {
    (await connectTestRedis()).disconnect();
    return true;
  } catch {
    return false;
  }
}

// --- vitest

function runVitest(args: string[]): Promise<number> {
  const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  const child = spawn(process.execPath, [vitest, 'run', ...args], { stdio: 'inherit' });
  // Ctrl-C reaches vitest from the terminal itself; a SIGTERM sent to this process alone is passed on.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

// --- small helpers

function run(program: string, args: string[], timeoutMs: number): { ok: boolean; output: string } {
  const result = spawnSync(program, args, {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').filter(Boolean).at(-1) ?? String(result.error ?? '');
  return { ok: result.status === 0, output };
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(program: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'];
  return dirs.map((dir) => join(dir, program)).find(isExecutable);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '[::1]' || host === '::1';
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

function note(line: string): void {
  process.stderr.write(`npm test: ${line}\n`);
}

function fail(lines: string[]): never {
  for (const line of lines) process.stderr.write(`npm test: cannot run the tests: ${line}\n`);
  process.exit(1);
}

await main();

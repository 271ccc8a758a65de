import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * Runs `npm test`'s script with `env` added and a PATH holding only node (a directory of its own: node's own one may
 * hold redis-server too), so nothing can be installed or started.
 */
async function testCommand(env: Record<string, string>): Promise<{ code: number; stderr: string; stdout: string }> {
  const onlyNode = await mkdtemp(join(tmpdir(), 'switchboard-only-node-'));
  await symlink(process.execPath, join(onlyNode, 'node'));
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/test.ts', 'test/config.test.ts'], {
      env: { ...process.env, PATH: onlyNode, ...env },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  } finally {
    await rm(onlyNode, { recursive: true, force: true });
  }
}

async function unusedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

describe('npm test on a machine that lacks something', () => {
  it('stops before vitest with one line naming Chromium when it is not where CHROMIUM_PATH says', async () => {
    const result = await testCommand({ CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'npm test: cannot run the tests: Chromium not found at /nonexistent/chromium (CHROMIUM_PATH): install it there, or unset CHROMIUM_PATH to use /usr/bin/chromium',
    ]);
    expect(result.stdout).not.toContain('RUN');
  });

  it('stops with one line saying to install redis-server when no Redis answers and none can be started', async () => {
    const port = await unusedPort();
    // redis-server lives in /usr/bin, which this PATH leaves out.
    const result = await testCommand({ TEST_REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `npm test: cannot run the tests: Redis is not answering at 127.0.0.1:${port}, and redis-server is not installed to start: ` +
        'sudo apt-get install redis-server, or set TEST_REDIS_URL',
    ]);
    expect(result.stdout).not.toContain('RUN');
  });
});

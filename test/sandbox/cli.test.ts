import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, loginAs } from '../support/sandbox.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];

function runCli(args: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/cli.ts', ...args], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

async function listening(run: ReturnType<typeof runCli>): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(run.output())?.[1];
    if (url) return url;
    if (run.child.exitCode !== null) throw new Error(`cli exited: ${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`cli did not start: ${run.output()}`);
}

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
});

describe('npm run sandbox', () => {
  it('starts with a banner naming the URL, apps and demo logins; --client-id registers a loopback app; TTL flags apply', async () => {
    const run = runCli(['--port', '0', '--client-id', 'my-tool', '--client-secret', 'my-secret', '--access-ttl', '120', '--no-limits']);
    const url = await listening(run);
    const banner = run.output();
    expect(banner).toContain('switchboard-demo / switchboard-demo-secret');
    expect(banner).toContain('my-tool / my-secret');
    expect(banner).toMatch(/ext\. 101\s+John Smith\s+administrator/);
    expect(banner).toMatch(/ext\. 103\s+Emma Chen\s+standard user/);

    const tokens = await loginAs({ url }, '103', {
      clientId: 'my-tool',
      clientSecret: 'my-secret',
      redirectUri: 'http://localhost:61000/any/path',
    });
    expect(tokens.expires_in).toBe(120);
    const response = await api({ url }, tokens.access_token, '/restapi/v1.0/account/~/extension/~');
    expect(response.status).toBe(200);
  });

  it('--generate makes a large company, and a bad seed file stops start-up with one line naming it', async () => {
    const generated = runCli(['--port', '0', '--generate', '500']);
    await listening(generated);
    expect(generated.output()).toContain('500 extensions');

    const dir = await mkdtemp(path.join(tmpdir(), 'sandbox-seed-'));
    try {
      const file = path.join(dir, 'bad.json');
      await writeFile(file, JSON.stringify({ account: { id: 1, companyName: 'X', mainNumber: '555' }, extensions: [] }));
      const bad = runCli(['--port', '0', '--seed', file]);
      expect(await bad.exit).toBe(1);
      expect(bad.output()).toMatch(/^sandbox: .*bad\.json: account\.mainNumber: must be E\.164/m);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

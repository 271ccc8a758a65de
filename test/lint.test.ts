import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const eslint = join(dirname(createRequire(import.meta.url).resolve('eslint/package.json')), 'bin', 'eslint.js');

type Report = { filePath: string; messages: { ruleId: string | null; severity: number }[] };

/** Lints `files` as `npm run lint` does (its config, no warnings allowed), past the ignore that keeps fixtures out. */
async function lint(files: string[]): Promise<{ code: number; reports: Report[] }> {
  const args = [eslint, '--max-warnings', '0', '--no-ignore', '--format', 'json', ...files];
  try {
    const { stdout } = await run(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, reports: JSON.parse(stdout) as Report[] };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, reports: JSON.parse(failed.stdout) as Report[] };
  }
}

describe('npm run lint', () => {
  it('fails on a promise nobody awaits, and passes once it is awaited', { timeout: 120_000 }, async () => {
    const floating = await lint(['test/fixtures/lint/floating-promise.ts']);
    expect(floating.code).toBe(1);
    expect(floating.reports.flatMap((report) => report.messages.map((message) => message.ruleId))).toEqual([
      '@typescript-eslint/no-floating-promises',
    ]);

    const awaited = await lint(['test/fixtures/lint/awaited-promise.ts']);
    expect(awaited.reports.flatMap((report) => report.messages)).toEqual([]);
    expect(awaited.code).toBe(0);
  });
});

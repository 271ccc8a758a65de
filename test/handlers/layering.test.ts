import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * Data flows one way: adapter → handler → RingCentral client, and card model → renderer → chat. These tests read the
 * source's own imports (type-only imports aside, as they vanish at run time), following them through every file.
 */

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const SRC = join(ROOT, 'src');

/** The files and packages a source file imports at run time, relative paths resolved to files under src/. */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const imports: string[] = [];
  for (const match of source.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
    const target = match[1]!;
    imports.push(target.startsWith('.') ? resolve(dirname(file), target) : target);
  }
  for (const match of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const target = match[1]!;
    imports.push(target.startsWith('.') ? resolve(dirname(file), target) : target);
  }
  return imports;
}

/** Every file and package reachable from these files through run-time imports. */
function reachableFrom(files: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...files];
  while (queue.length > 0) {
    const next = queue.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    if (next.startsWith(SRC) && next.endsWith('.ts')) queue.push(...runtimeImports(next));
  }
  return seen;
}

const inSrc = (path: string) => (path.startsWith(SRC) ? relative(ROOT, path) : path);

describe('layering', () => {
  it('no handler reaches Slack or Teams code, at any depth', () => {
    const handlers = readdirSync(join(SRC, 'handlers'))
      .filter((name) => name.endsWith('.ts'))
      .map((name) => join(SRC, 'handlers', name));
    expect(handlers.length).toBeGreaterThan(10);
    const reached = [...reachableFrom(handlers)].map(inSrc);
    expect(reached.filter((path) => /^src\/bot\/|^@slack\/|^botbuilder/.test(path))).toEqual([]);
  });

  it('no renderer reaches the RingCentral client, the directory or any network code, at any depth', () => {
    const renderers = ['bot/slack/blocks.ts', 'bot/slack/mrkdwn.ts', 'bot/teams/adaptive.ts', 'bot/text/render.ts'].map((path) =>
      join(SRC, path),
    );
    const reached = [...reachableFrom(renderers)].map(inSrc);
    expect(reached).toContain('src/handlers/card-outline.ts');
    expect(
      reached.filter((path) =>
        /^src\/api\/|^src\/handlers\/(directory|run-command|ext|whois|forwarding)\.ts$|^undici$|^node:(http|https|net)$/.test(path),
      ),
    ).toEqual([]);
  });
});

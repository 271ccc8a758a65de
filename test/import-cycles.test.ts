import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * No module in src/ imports itself through others, type-only imports included: a loop means two modules that can only
 * be understood, moved or tested together, and at run time one of them sees the other half-initialised.
 */

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const SRC = join(ROOT, 'src');

/** The files under src/ a source file imports or re-exports, by relative path, type-only ones included. */
function localImports(file: string, source: string): string[] {
  const targets = [
    ...source.matchAll(/^\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm),
    ...source.matchAll(/\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g),
  ].map((match) => resolve(dirname(file), match[1]!));
  return targets.filter((target) => target.startsWith(SRC));
}

type Graph = Map<string, string[]>;

function sourceGraph(): Graph {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts'))
    .map((path) => join(SRC, path));
  return new Map(files.map((file) => [file, localImports(file, readFileSync(file, 'utf8'))]));
}

/** One loop through each group of modules that import each other (Tarjan's strongly connected components). */
function importCycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const lowest = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    lowest.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        lowest.set(node, Math.min(lowest.get(node)!, lowest.get(next)!));
      } else if (onStack.has(next)) {
        lowest.set(node, Math.min(lowest.get(node)!, index.get(next)!));
      }
    }
    if (lowest.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(group.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

describe('imports in src/', () => {
  it('form no loop', () => {
    const graph = sourceGraph();
    expect(graph.size).toBeGreaterThan(100);
    expect([...graph.values()].flat().length).toBeGreaterThan(300);
    expect(importCycles(graph).map((group) => group.map((file) => relative(ROOT, file)))).toEqual([]);
  });

  it('are read through type-only imports, re-exports and multi-line imports, so a loop through them is found', () => {
    const file = (name: string) => join(SRC, 'example', name);
    const graph: Graph = new Map([
      [file('cards.ts'), localImports(file('cards.ts'), "import type {\n  Command,\n} from './parse.ts';\n")],
      [file('parse.ts'), localImports(file('parse.ts'), "export { view } from './display.ts';\n")],
      [file('display.ts'), localImports(file('display.ts'), "import type { Card } from './cards.ts';\nimport { z } from 'zod';\n")],
      [file('alone.ts'), localImports(file('alone.ts'), "import { view } from './display.ts';\n")],
    ]);
    expect(importCycles(graph)).toEqual([[file('cards.ts'), file('display.ts'), file('parse.ts')]]);
  });
});

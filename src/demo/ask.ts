import { parseArgs } from 'node:util';
import { blocksToText } from './blocks-to-text.ts';
import { runDemoCommand } from './demo-session.ts';
import { startDemoStack } from './demo-stack.ts';

/**
 * `npm run ask -- --as 103 "/ext 101" [--format text|blocks]`: one command through the real path against a fresh
 * sandbox (linking that user first, through the real OAuth flow), printed, then exit. For scripts and quick checks.
 */
const usage = 'usage: npm run ask -- --as <extension number> "<command>" [--format text|blocks]';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { as: { type: 'string', default: '101' }, format: { type: 'string', default: 'text' } },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const line = positionals.join(' ').trim();
  if (line === '' || (values.format !== 'text' && values.format !== 'blocks') || !/^\d+$/.test(values.as)) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const stack = await startDemoStack();
  try {
    const extensionNumber = values.as;
    if (!stack.sandbox.seed.extensions.some((extension) => extension.extensionNumber === extensionNumber)) {
      process.stderr.write(`There is no extension ${extensionNumber} in the demo company.\n`);
      return 2;
    }
    await stack.link(stack.slackUserId(extensionNumber), extensionNumber);
    let last: unknown;
    await runDemoCommand(stack, extensionNumber, line.startsWith('/') ? line : `/${line}`, (event) => {
      if (event.kind === 'message') last = event.message;
      if (event.kind === 'failed') process.stderr.write(`${event.reason}\n`);
    });
    if (last === undefined) return 1;
    const message = last as Parameters<typeof blocksToText>[0];
    process.stdout.write(values.format === 'blocks' ? `${JSON.stringify(message, null, 2)}\n` : `${blocksToText(message)}\n`);
    return 0;
  } finally {
    await stack.close();
  }
}

process.exitCode = await main();

import { parseArgs } from 'node:util';
import type { DemoEvent } from './demo-session.ts';
import { runDemoCommand } from './demo-session.ts';
import { startDemoStack } from './demo-stack.ts';

/**
 * `npm run ask -- --as 103 "/ext 101" [--format text|blocks] [--teams]`: one command through the real path against a fresh
 * sandbox (linking that user first, through the real OAuth flow), printed, then exit. For scripts and quick checks.
 */
const usage = 'usage: npm run ask -- --as <extension number> "<command>" [--format text|blocks] [--teams]';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        as: { type: 'string', default: '101' },
        format: { type: 'string', default: 'text' },
        teams: { type: 'boolean', default: false },
      },
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
    const platform = values.teams ? 'teams' : 'slack';
    if (platform === 'teams') await stack.linkTeams(stack.teamsUser(extensionNumber).aadObjectId, extensionNumber);
    else await stack.link(stack.slackUserId(extensionNumber), extensionNumber);
    let last: Extract<DemoEvent, { kind: 'message' }> | undefined;
    await runDemoCommand(stack, platform, extensionNumber, line, (event) => {
      if (event.kind === 'message') last = event;
      if (event.kind === 'failed') process.stderr.write(`${event.reason}\n`);
    });
    if (last === undefined) return 1;
    process.stdout.write(values.format === 'blocks' ? `${JSON.stringify(last.raw, null, 2)}\n` : `${last.render()}\n`);
    return 0;
  } finally {
    await stack.close();
  }
}

process.exitCode = await main();

import { parseArgs } from 'node:util';
import { signInVerdict } from '../sandbox/rules.ts';
import type { SeedExtension } from '../sandbox/seed.ts';
import type { DemoEvent } from './demo-session.ts';
import { runDemoCommand } from './demo-session.ts';
import { startDemoStack } from './demo-stack.ts';

/**
 * `npm run ask -- --as 103 "/ext 101" [--format text|blocks] [--teams]`: one command through the real path against a fresh
 * sandbox (linking that user first, through the real OAuth flow), printed, then exit. For scripts and quick checks.
 */
/** Why RingCentral would not let this extension sign in, in words; undefined when it would. */
function signInRefusal(extension: SeedExtension): string | undefined {
  switch (signInVerdict(extension)) {
    case 'typeNotAllowed':
      return `its type is ${extension.type}; only users sign in.`;
    case 'stateNotAllowed':
      return `its status is ${extension.status}; only enabled users sign in.`;
    case 'allowed':
      return undefined;
  }
}

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
    const extension = stack.sandbox.seed.extensions.find((candidate) => candidate.extensionNumber === extensionNumber);
    if (extension === undefined) {
      process.stderr.write(`There is no extension ${extensionNumber} in the demo company.\n`);
      return 2;
    }
    const refusal = signInRefusal(extension);
    if (refusal !== undefined) {
      process.stderr.write(
        `Extension ${extensionNumber} (${extension.name ?? extension.type}) cannot sign in to RingCentral: ${refusal}\n`,
      );
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

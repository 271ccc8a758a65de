import type { LookupStrategy } from '../../src/lookup-strategy.ts';
import type { BenchStack } from '../bench-stack.ts';
import { spread } from '../company.ts';
import type { Company, Person } from '../company.ts';
import { callsBetween } from '../sandbox-control.ts';
import { byStrategyAtOnce, timedCommand } from '../load.ts';

/*
 * RingCentral calls per command, counted by the sandbox (every request it answers for that person, REST and OAuth),
 * for an administrator and a standard user. "Cold": the requester has used the bot before (linked, asked one /ext
 * and one /whois: their account info, own numbers and directory index are known) but never asked this. "Warm": the
 * same command again at once. What that first use cost is reported too.
 */

export const COMMANDS = [
  '/ext <number>',
  '/ext <name>',
  '/ext <queue>',
  '/whois <number>',
  '/myforwarding',
  '/switchboard company',
] as const;
export type CommandKind = (typeof COMMANDS)[number];
export const ROLES = ['administrator', 'standard user'] as const;
export type Role = (typeof ROLES)[number];

export interface CallCost {
  cold: number;
  warm: number;
  coldByOperation: Record<string, number>;
  /** The answer's title, so a reader can see it was a real answer. */
  answer: string;
}

export interface CallsResult {
  /** Calls of the first use: `/ext <number>` then `/whois <number>`, before anything is known. */
  firstUse: Record<Role, number>;
  commands: Record<Role, Record<CommandKind, CallCost>>;
  /** Answers that were failures (should be none). */
  failures: string[];
}

export async function measureCalls(stack: BenchStack, strategies: readonly LookupStrategy[]): Promise<Record<LookupStrategy, CallsResult>> {
  // Everyone is taken and linked first: linking switches the sandbox's latency off for a moment, which must not
  // happen while another strategy is counting.
  const people = new Map(
    strategies.map(
      (strategy) =>
        [strategy, ROLES.map((role) => stack.takePeople(1, (candidate) => candidate.admin === (role === 'administrator'))[0]!)] as const,
    ),
  );
  await stack.link([...people.values()].flat());
  // The strategies at once: their bots share nothing but the sandbox, and each person's calls are counted apart.
  return byStrategyAtOnce(strategies, (strategy) => callsOfStrategy(stack, strategy, people.get(strategy)!));
}

async function callsOfStrategy(stack: BenchStack, strategy: LookupStrategy, people: readonly Person[]): Promise<CallsResult> {
  const bot = stack.bots[strategy];
  const result: CallsResult = { firstUse: {} as CallsResult['firstUse'], commands: {} as CallsResult['commands'], failures: [] };
  const measureRole = async (role: Role, roleIndex: number) => {
    const person = people[roleIndex]!;
    const lines = commandLines(stack.company, roleIndex, person.extensionNumber);
    const requester = { accountId: String(stack.sandbox.seed.account.id), extensionId: person.extensionId };
    /** The calls of `asked` one after the other, and of what they start in the background, counted together. */
    const counted = async (...asked: string[]) => {
      // Every command starts with RingCentral's full per-minute budget: these counts are what one command costs, not
      // how much one person may ask in a minute (the burst measures that). Unpaced, the naive bot otherwise met 429s
      // by /myforwarding and counted the calls of failed answers.
      await stack.control.configure({ rateLimits: 'default' });
      const before = await stack.control.stats();
      let title = '';
      for (const line of asked) {
        const sample = await timedCommand(bot, person.slackUserId, line);
        if (sample.failed) result.failures.push(`${strategy} ${role} ${line}: ${sample.title}`);
        title = sample.title;
      }
      // An administrator's first card starts reading the company number list (a minute or two at 10,000 extensions):
      // its pages count for the command that started it, not against a later one.
      await bot.bot.services.companyNumbers.loading(requester)?.promise.catch(() => undefined);
      return { calls: callsBetween(before, await stack.control.stats(), person), title };
    };
    result.firstUse[role] = (await counted(...lines.firstUse)).calls.total;
    const costs = {} as Record<CommandKind, CallCost>;
    for (const kind of COMMANDS) {
      const cold = await counted(lines[kind]);
      const warm = await counted(lines[kind]);
      costs[kind] = { cold: cold.calls.total, warm: warm.calls.total, coldByOperation: cold.calls.byOperation, answer: cold.title };
    }
    result.commands[role] = costs;
  };
  // The naive bot keeps nothing between requesters, so its roles run at once. Switchboard's share the account's
  // directory index: its administrator goes first, and the standard user finds the index built, as a later user does.
  if (strategy === 'naive') await Promise.all(ROLES.map(measureRole));
  else for (const [roleIndex, role] of ROLES.entries()) await measureRole(role, roleIndex);
  return result;
}

/** The same targets for both strategies: a role's lines depend only on the company and the role. */
function commandLines(company: Company, roleIndex: number, self: string): Record<CommandKind, string> & { firstUse: [string, string] } {
  const others = company.extensionNumbers.filter((number) => number !== self);
  return {
    firstUse: [`/ext ${spread(others, 11 + roleIndex)}`, `/whois ${spread(company.directNumbers, 11 + roleIndex)}`],
    '/ext <number>': `/ext ${spread(others, 3 + roleIndex)}`,
    '/ext <name>': `/ext ${spread(company.uniqueNames, 3 + roleIndex)}`,
    '/ext <queue>': `/ext ${spread(company.queues, 3 + roleIndex)}`,
    '/whois <number>': `/whois ${spread(company.directNumbers, 3 + roleIndex)}`,
    '/myforwarding': '/myforwarding',
    '/switchboard company': '/switchboard company',
  };
}

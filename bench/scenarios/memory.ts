import type { BenchStack } from '../bench-stack.ts';
import { spread } from '../company.ts';
import { forEachConcurrently, timedCommand } from '../load.ts';

/*
 * The bot's memory with many linked users whose caches are filled, all in this one process. Readings after a full
 * garbage collection (when node runs with --expose-gc): with nobody linked, and after every user linked through the
 * real OAuth flow, each link answering an `/ext <number>` (their account info, a colleague's extension and its numbers
 * cached), with one user in `deepEvery` also asking `/myforwarding` and `/whois <number>` (their forwarding numbers,
 * their own and the owner's numbers, and a view of the directory index). Plus the process's peak RSS. The heap growth
 * is the bot's figure: the RSS also holds the sandbox (a worker thread with its own heap), the local Slack and the
 * load generator, and keeps pages a collection freed.
 */

export interface MemoryReading {
  rssMb: number;
  /** This thread: the bot, the local Slack and the load generator. */
  heapUsedMb: number;
  /** The sandbox's worker thread. */
  sandboxHeapUsedMb: number;
}

export interface MemoryResult {
  linkedUsers: number;
  /** Users who also asked /myforwarding and /whois. */
  deepUsers: number;
  companyExtensions: number;
  gcBeforeReadings: boolean;
  empty: MemoryReading;
  filled: MemoryReading;
  /** process.resourceUsage().maxRSS at the end of the phase: the whole process's peak so far. */
  peakRssMb: number;
  answerCacheEntries: number;
  directoryIndexes: { indexes: number; entries: number; requesters: number };
  failures: number;
  seconds: number;
}

export async function measureMemory(stack: BenchStack, linkedUsers: number, deepEvery: number, concurrency: number): Promise<MemoryResult> {
  const started = performance.now();
  const bot = stack.bots.cached;
  const { company } = stack;
  const people = stack.takePeople(linkedUsers);
  const empty = await reading(stack);
  await stack.link(people, { pendingCommand: (_person, index) => `/ext ${spread(company.extensionNumbers, index)}`, concurrency });
  let failures = 0;
  await stack.untimed(() =>
    forEachConcurrently(
      people.filter((_person, index) => index % deepEvery === 0),
      concurrency,
      async (person, index) => {
        for (const line of ['/myforwarding', `/whois ${spread(company.directNumbers, index)}`]) {
          if ((await timedCommand(bot, person.slackUserId, line)).failed) failures += 1;
        }
      },
    ),
  );
  const filled = await reading(stack);
  return {
    linkedUsers,
    deepUsers: Math.ceil(linkedUsers / deepEvery),
    companyExtensions: company.extensions,
    gcBeforeReadings: typeof globalThis.gc === 'function',
    empty,
    filled,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6,
    answerCacheEntries: bot.bot.services.cache.size,
    directoryIndexes: bot.bot.services.indexes.usage,
    failures,
    seconds: (performance.now() - started) / 1000,
  };
}

async function reading(stack: BenchStack): Promise<MemoryReading> {
  const sandboxHeapUsedMb = await stack.sandbox.heapUsedMb();
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return { rssMb: usage.rss / 1e6, heapUsedMb: usage.heapUsed / 1e6, sandboxHeapUsedMb };
}

import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { LookupStrategy } from '../../src/lookup-strategy.ts';
import type { BenchStack } from '../bench-stack.ts';
import type { Person } from '../company.ts';
import { spread } from '../company.ts';
import type { Sample } from '../load.ts';
import { forEachConcurrently, timedCommand } from '../load.ts';
import type { CardBurstFigures } from './card-burst.ts';
import { countAnswers, distinctNumbers } from './card-burst.ts';
import { AccountPhoneNumberList } from '../../src/api/schemas.ts';
import { CompanyNumberIndexBuilder } from '../../src/handlers/company-numbers.ts';
import { AccountData } from '../../src/sandbox/account-data.ts';
import { accountPhoneNumber } from '../../src/sandbox/representations.ts';
import { ROLES } from './calls.ts';
import { callsBetween } from '../sandbox-control.ts';
import type { Role } from './calls.ts';

/*
 * The largest accounts: a requester's first use of a generated company of `extensions` (100,000 in the full run: a
 * 50-page directory, more than the 40 Medium calls a minute RingCentral allows a user), at the sandbox's latency and
 * RingCentral's real limits. For each role and bot: the first `/whois <number>` and first `/ext <name>` (time to
 * answer, calls, and whether it was an answer or "busy"), then a cold and a warm `/ext <number>`. For Switchboard also
 * how long the background index took, a cold `/ext <number>` once it is built, and the heap the index holds. Last, a
 * standard user new to Switchboard asks for `newcomerCards` distinct cards at once (4 in flight): more than a minute's
 * budget pays for, while their index is still to be confirmed page by page.
 */

export interface LargeStep {
  answerMs: number;
  calls: number;
  /** Busy, unreachable or an error instead of an answer. */
  failed: boolean;
  title: string;
  /** The requester's own calls meanwhile, by operation (their background pages included): in the JSON, for reading a count. */
  requesterCalls: Record<string, number>;
}

export interface LargeFigures {
  firstWhois: LargeStep;
  firstName: LargeStep;
  coldExt: LargeStep;
  warmExt: LargeStep;
  /** Switchboard only: seconds from the first lookup until the requester's index was built in the background. */
  indexReadySeconds?: number;
  /** Switchboard only: a cold `/ext <number>` once the index is built (one round trip). */
  coldExtIndexed?: LargeStep;
  /** Switchboard only: a name search once the index is built, answered from it (the first over its 100,000 names). */
  nameIndexed?: LargeStep;
}

export interface LargeResult {
  extensions: number;
  figures: Record<LookupStrategy, Record<Role, LargeFigures>>;
  /** Heap growth (after GC) of the Switchboard bot's process from before the first lookup to both indexes built. */
  indexHeapMb: number | undefined;
  /**
   * The longest the event loop of the bots' process was held, from the first lookup to the last command after the
   * indexes were built: a stall delays every user's ack, not only this requester's. The sandbox has a thread of its own.
   */
  longestStallMs: Record<LookupStrategy, number>;
  /** A new standard user's burst of distinct `/ext <number>`: what each answer was, 429s, seconds until the last. */
  newcomerBurst: Record<LookupStrategy, CardBurstFigures>;
  /** One administrator's company number list as Switchboard indexes it: its numbers and the heap it holds (after GC). */
  companyNumbers: { numbers: number; heapMb: number } | undefined;
}

export async function measureLargeAccount(
  stack: BenchStack,
  strategies: readonly LookupStrategy[],
  newcomerCards: number,
): Promise<LargeResult> {
  const figures = {} as LargeResult['figures'];
  const newcomerBurst = {} as LargeResult['newcomerBurst'];
  const longestStallMs = {} as LargeResult['longestStallMs'];
  let indexHeapMb: number | undefined;
  let pick = 0;
  const next = <T>(items: readonly T[]) => spread(items, (pick += 1));
  // A name the directory lists once reads as a card; in a generated company of 20,000 every name is shared, and the
  // answer is a list of matches instead.
  const names =
    stack.company.uniqueNames.length > 0
      ? stack.company.uniqueNames
      : stack.sandbox.seed.extensions.flatMap((extension) =>
          extension.contact?.firstName && extension.contact.lastName
            ? [`${extension.contact.firstName} ${extension.contact.lastName}`]
            : [],
        );
  for (const strategy of strategies) {
    const bot = stack.bots[strategy];
    const people = Object.fromEntries(
      ROLES.map((role) => [role, stack.takePeople(1, (candidate) => candidate.admin === (role === 'administrator'))[0]!]),
    ) as Record<Role, (typeof stack.company.people)[number]>;
    const newcomer = stack.takePeople(1, (candidate) => !candidate.admin)[0]!;
    await stack.link([...Object.values(people), newcomer]);
    globalThis.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    const started = performance.now();
    const byRole = {} as Record<Role, LargeFigures>;
    const stepAs = async (person: Person, line: string): Promise<LargeStep> => {
      const before = await stack.control.stats();
      const sample: Sample = await timedCommand(bot, person.slackUserId, line);
      const after = await stack.control.stats();
      return {
        answerMs: sample.answerMs,
        calls: after.total - before.total,
        failed: sample.failed,
        title: sample.title,
        requesterCalls: callsBetween(before, after, person).byOperation,
      };
    };
    for (const role of ROLES) {
      const step = (line: string) => stepAs(people[role], line);
      const extNumber = next(stack.company.extensionNumbers);
      byRole[role] = {
        firstWhois: await step(`/whois ${next(stack.company.directNumbers)}`),
        firstName: await step(`/ext ${next(names)}`),
        coldExt: await step(`/ext ${extNumber}`),
        warmExt: await step(`/ext ${extNumber}`),
      };
    }
    if (strategy === 'cached') {
      const indexes = bot.bot.services.indexes;
      const accountId = String(stack.sandbox.seed.account.id);
      for (const role of ROLES) {
        const extension = stack.sandbox.seed.extensions.find((candidate) => candidate.extensionNumber === people[role].extensionNumber)!;
        const requester = { accountId, extensionId: String(extension.id) };
        await indexes.loading(requester)?.catch(() => undefined);
        byRole[role].indexReadySeconds = (performance.now() - started) / 1000;
        byRole[role].coldExtIndexed = await stepAs(people[role], `/ext ${next(stack.company.extensionNumbers)}`);
        // A single letter: the most names to match and rank.
        byRole[role].nameIndexed = await stepAs(people[role], `/ext ${next(names).slice(0, 1)}`);
      }
    }
    newcomerBurst[strategy] = await newcomerBurstOf(stack, strategy, newcomer, newcomerCards);
    // A timer due after the last of it: a stall that ends the run is only seen by the loop's next turn.
    await new Promise((resolve) => setTimeout(resolve, 50));
    stalls.disable();
    longestStallMs[strategy] = stalls.max / 1e6;
    if (strategy === 'cached') {
      globalThis.gc?.();
      indexHeapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
    }
    figures[strategy] = byRole;
  }
  return {
    extensions: stack.company.extensions,
    figures,
    indexHeapMb,
    longestStallMs,
    newcomerBurst,
    companyNumbers: companyNumbersHeap(stack),
  };
}

/** A standard user's first commands: `cards` distinct `/ext <number>`, 4 in flight, each answer waited for. */
async function newcomerBurstOf(stack: BenchStack, strategy: LookupStrategy, newcomer: Person, cards: number): Promise<CardBurstFigures> {
  const rateLimitedBefore = (await stack.control.stats()).rateLimited;
  const samples: Sample[] = [];
  const started = performance.now();
  await forEachConcurrently(distinctNumbers(stack, newcomer, cards, 20_000), 4, async (number) => {
    samples.push(await timedCommand(stack.bots[strategy], newcomer.slackUserId, `/ext ${number}`));
  });
  const seconds = (performance.now() - started) / 1000;
  return { ...countAnswers(samples), rateLimited: (await stack.control.stats()).rateLimited - rateLimitedBefore, seconds };
}

/**
 * The heap one administrator's company number index holds. Reading the list through the bot takes some 13 minutes at
 * 100,000 extensions (RingCentral's 10 Heavy calls a minute), so its pages are drawn here as the sandbox answers them,
 * sent through JSON and the client's own schema, and indexed by the bot's own builder.
 */
function companyNumbersHeap(stack: BenchStack): LargeResult['companyNumbers'] {
  if (!globalThis.gc) return undefined;
  const data = new AccountData(stack.sandbox.seed);
  const pageSize = 1000;
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  const builder = new CompanyNumberIndexBuilder();
  for (let start = 0; start < data.phoneNumbers.length; start += pageSize) {
    const records = data.phoneNumbers.slice(start, start + pageSize).map((number) => accountPhoneNumber(stack.sandbox.url, data, number));
    builder.add(AccountPhoneNumberList.parse(JSON.parse(JSON.stringify({ records }))).records);
  }
  const index = builder.build(Date.now());
  globalThis.gc();
  const heapMb = (process.memoryUsage().heapUsed - before) / 1e6;
  return { numbers: index.byNumber.size, heapMb };
}

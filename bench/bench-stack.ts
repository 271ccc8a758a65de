import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../src/observability/logger.ts';
import type { DemoStack } from '../src/demo/demo-stack.ts';
import { connectUrlOf, startDemoStack } from '../src/demo/demo-stack.ts';
import type { LookupStrategy } from '../src/lookup-strategy.ts';
import { generateEncryptionKey } from '../src/store/key-ring.ts';
import type { Company, Person } from './company.ts';
import { describeCompany } from './company.ts';
import { forEachConcurrently, titleOf } from './load.ts';
import type { SandboxControl } from './sandbox-control.ts';
import { sandboxControl } from './sandbox-control.ts';
import type { SandboxThread } from './sandbox-thread.ts';
import { startSandboxThread } from './sandbox-thread.ts';

/**
 * One sandbox (a generated company, in a worker thread) and a bot per strategy in front of it, each with its local
 * Slack. The bots share one link store (a temporary SQLite file, one encryption key), so a person linked once is
 * linked for both, and both ask RingCentral with that person's own token.
 */
export interface BenchStack {
  sandbox: SandboxThread;
  control: SandboxControl;
  company: Company;
  bots: Record<LookupStrategy, DemoStack>;
  /** The latency measured phases run with. */
  latencyMs: number;
  /** People nobody has used yet, taken in a spread order. */
  takePeople(count: number, filter?: (person: Person) => boolean): Person[];
  /** Links people through the real OAuth flow with the sandbox's latency off; each link answers `pendingCommand`. */
  link(
    people: readonly Person[],
    options?: { pendingCommand?: (person: Person, index: number) => string; concurrency?: number },
  ): Promise<void>;
  /** Runs set-up work with the sandbox's latency off, then turns it back on. */
  untimed<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface BenchStackOptions {
  extensions: number;
  latencyMs: number;
  strategies: readonly LookupStrategy[];
  setupConcurrency: number;
  /** The bots' logger (silent by default). */
  logger?: Logger;
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const directory = await mkdtemp(join(tmpdir(), 'switchboard-bench-'));
  const sandbox = await startSandboxThread({ generate: options.extensions, latencyMs: options.latencyMs });
  const control = sandboxControl(sandbox.url);
  const env = { DATABASE_URL: join(directory, 'links.db'), TOKEN_ENCRYPTION_KEY: generateEncryptionKey() };
  const bots: Partial<Record<LookupStrategy, DemoStack>> = {};
  try {
    // One after the other: the first opens (and migrates) the store the second then finds ready.
    for (const strategy of options.strategies)
      bots[strategy] = await startDemoStack({
        sharedSandbox: sandbox,
        strategy,
        env,
        ...(options.logger ? { logger: options.logger } : {}),
      });
  } catch (error) {
    for (const bot of Object.values(bots)) await bot.close();
    await sandbox.close();
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const linker = bots[options.strategies[0]!]!;
  const company = describeCompany(sandbox.seed);
  const order = shuffled(company.people);
  const taken = new Set<string>();

  const stack: BenchStack = {
    sandbox,
    control,
    company,
    bots: bots as Record<LookupStrategy, DemoStack>,
    latencyMs: options.latencyMs,
    takePeople(count, filter = () => true) {
      const chosen = order.filter((person) => !taken.has(person.extensionNumber) && filter(person)).slice(0, count);
      if (chosen.length < count) throw new Error(`the company has ${chosen.length} unused people of that kind; ${count} needed`);
      for (const person of chosen) taken.add(person.extensionNumber);
      return chosen;
    },
    async link(people, linkOptions = {}) {
      const pending = linkOptions.pendingCommand ?? (() => '/switchboard status');
      await stack.untimed(() =>
        forEachConcurrently(people, linkOptions.concurrency ?? options.setupConcurrency, async (person, index) => {
          const title = await linkPerson(linker, person, pending(person, index));
          if (title === '') throw new Error(`linking ${person.extensionNumber} answered nothing`);
        }),
      );
    },
    async untimed(work) {
      await control.configure({ latencyMs: 0 });
      try {
        return await work();
      } finally {
        await control.configure({ latencyMs: options.latencyMs });
      }
    },
    async close() {
      for (const bot of Object.values(bots)) await bot.close();
      await sandbox.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Asks a command as a person who is not linked, follows the Connect button and returns the title of the command's answer. */
async function linkPerson(bot: DemoStack, person: Person, pendingCommand: string): Promise<string> {
  const { channel } = await bot.ask(person.slackUserId, pendingCommand);
  try {
    const url = connectUrlOf(await channel.next());
    if (url === undefined) throw new Error(`the bot offered ${person.extensionNumber} no Connect button`);
    const page = await bot.signIn(url, person.extensionNumber);
    if (page.status !== 200) throw new Error(`signing in ${person.extensionNumber} failed: ${page.status}`);
    // First who they are now linked as, then the answer to the command: its calls are over before a phase counts any.
    const linked = titleOf(await channel.next());
    return linked === '' ? '' : titleOf(await channel.next());
  } finally {
    channel.close();
  }
}

/** A fixed shuffle (the same every run), so the people a phase takes are spread over the company. */
function shuffled<T>(items: readonly T[]): T[] {
  const result = [...items];
  let state = 0x9e3779b9;
  for (let index = result.length - 1; index > 0; index -= 1) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const other = state % (index + 1);
    [result[index], result[other]] = [result[other]!, result[index]!];
  }
  return result;
}

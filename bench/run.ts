import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { LookupStrategy } from '../src/lookup-strategy.ts';
import { startBenchStack } from './bench-stack.ts';
import { startBotProcesses } from './bot-processes.ts';
import { describeMachine } from './machine.ts';
import { renderTable, writeJson } from './report.ts';
import type { BenchResult } from './report.ts';
import { measureBurst } from './scenarios/burst.ts';
import { measureCalls } from './scenarios/calls.ts';
import { measureCardBurst } from './scenarios/card-burst.ts';
import { measureLargeAccount } from './scenarios/large-account.ts';
import { measureLatency } from './scenarios/latency.ts';
import { measureMemory } from './scenarios/memory.ts';
import { measureThroughput } from './scenarios/throughput.ts';
import { FULL, QUICK } from './settings.ts';
import { evaluateTargets } from './targets.ts';

/*
 * `npm run bench` (node --expose-gc --import tsx bench/run.ts): Switchboard and a naive bot against one RingCentral
 * sandbox with a generated company, in this process, except for the time to ack and to answer: there each bot runs
 * in a process of its own, as deployed, so the load generator's work does not delay its acks; prints one table and writes it as JSON to
 * bench/results/latest.json. `--quick` runs the same code with small numbers (CI runs it so the benchmark never rots).
 */

const STRATEGIES: readonly LookupStrategy[] = ['cached', 'naive'];
const DEFAULT_JSON = fileURLToPath(new URL('./results/latest.json', import.meta.url));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, json: { type: 'string', default: DEFAULT_JSON } },
  });
  const settings = values.quick ? QUICK : FULL;
  const startedAt = new Date();
  const started = performance.now();
  const progress = (phase: string) => process.stderr.write(`bench: ${phase} (${Math.round((performance.now() - started) / 1000)} s)\n`);
  if (typeof globalThis.gc !== 'function') progress('no --expose-gc: memory is read without a collection first');

  // Memory first, on its own sandbox and bot, so its readings are not mixed with the other phases' garbage.
  progress(`memory: linking ${settings.memory.linkedUsers} users`);
  const memoryStack = await startBenchStack({
    extensions: settings.memory.companyExtensions,
    latencyMs: 0,
    strategies: ['cached'],
    setupConcurrency: settings.setupConcurrency,
  });
  const memory = await measureMemory(
    memoryStack,
    settings.memory.linkedUsers,
    settings.memory.deepEvery,
    settings.setupConcurrency,
  ).finally(() => memoryStack.close());
  globalThis.gc?.();

  progress(`starting the sandbox (${settings.extensions} extensions) and both bots`);
  const stack = await startBenchStack({
    extensions: settings.extensions,
    latencyMs: settings.latencyMs,
    strategies: STRATEGIES,
    setupConcurrency: settings.setupConcurrency,
  });
  let closed = false;
  const closeStack = async () => {
    if (closed) return;
    closed = true;
    await stack.close();
  };
  // The bots' own processes take seconds to start: they start while the calls are counted, which no clock reads.
  const botProcesses = startBotProcesses(stack.bots, STRATEGIES);
  botProcesses.catch(() => undefined); // awaited below; a failed start is reported there
  try {
    progress('calls per command');
    const calls = await measureCalls(stack, STRATEGIES);
    globalThis.gc?.();
    progress('time to ack and to answer (each bot in a process of its own)');
    const { bots, close: closeBotProcesses } = await botProcesses;
    const latency = await measureLatency(stack, bots, STRATEGIES, settings.latency).finally(closeBotProcesses);
    globalThis.gc?.();
    progress('warm throughput');
    const throughput = await measureThroughput(stack, STRATEGIES, settings.throughput);
    globalThis.gc?.();
    progress('burst');
    const burst = await measureBurst(stack, STRATEGIES, settings.burst);
    progress(`a burst of ${settings.cardBurst.cards} distinct cards`);
    const cardBurst = await measureCardBurst(stack, STRATEGIES, settings.cardBurst);
    await closeStack();
    globalThis.gc?.();

    // The largest account last, on a sandbox and bots of its own: its company is ten times the others'.
    progress(`largest account: starting the sandbox (${settings.large.extensions} extensions) and both bots`);
    const largeStack = await startBenchStack({
      extensions: settings.large.extensions,
      latencyMs: settings.latencyMs,
      strategies: STRATEGIES,
      setupConcurrency: settings.setupConcurrency,
    });
    progress('largest account: first use, cold and warm');
    const large = await measureLargeAccount(largeStack, STRATEGIES, settings.large.newcomerCards).finally(() => largeStack.close());

    const result: BenchResult = {
      mode: settings.mode,
      startedAt: startedAt.toISOString(),
      durationSeconds: (performance.now() - started) / 1000,
      machine: describeMachine(),
      settings,
      calls,
      latency,
      throughput,
      burst,
      cardBurst,
      large,
      memory,
      targets: evaluateTargets({
        calls,
        latency,
        burst,
        cardBurst,
        largeNewcomer: { extensions: large.extensions, burst: large.newcomerBurst.cached },
      }),
    };
    process.stdout.write(renderTable(result));
    await writeJson(result, values.json);
    progress(`written to ${values.json}`);
  } finally {
    // Already closed after the latency phase, unless a phase before it failed.
    await botProcesses.then(
      (processes) => processes.close(),
      () => undefined,
    );
    await closeStack();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LookupStrategy } from '../src/lookup-strategy.ts';
import type { Percentiles } from './load.ts';
import type { Machine } from './machine.ts';
import type { BurstFigures } from './scenarios/burst.ts';
import type { CardBurstFigures } from './scenarios/card-burst.ts';
import type { CallsResult, Role } from './scenarios/calls.ts';
import { COMMANDS, ROLES } from './scenarios/calls.ts';
import type { LargeResult, LargeStep } from './scenarios/large-account.ts';
import type { LatencyFigures } from './scenarios/latency.ts';
import type { MemoryResult } from './scenarios/memory.ts';
import type { ThroughputFigures } from './scenarios/throughput.ts';
import type { BenchSettings } from './settings.ts';
import type { Target } from './targets.ts';

/** The call table's first column: the longest command label ("/switchboard company") and a space. */
const COMMAND_WIDTH = Math.max(17, ...COMMANDS.map((command) => command.length + 1));

/** Everything one run measured; written as JSON as it is, and printed as one fixed-width table. */
export interface BenchResult {
  mode: BenchSettings['mode'];
  startedAt: string;
  durationSeconds: number;
  machine: Machine;
  settings: BenchSettings;
  calls: Record<LookupStrategy, CallsResult>;
  latency: Record<LookupStrategy, LatencyFigures[]>;
  throughput: Record<LookupStrategy, ThroughputFigures>;
  burst: Record<LookupStrategy, BurstFigures>;
  cardBurst: Record<LookupStrategy, Record<Role, CardBurstFigures>>;
  large: LargeResult;
  memory: MemoryResult;
  targets: Target[];
}

export async function writeJson(result: BenchResult, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
}

export function renderTable(result: BenchResult): string {
  const { machine, settings } = result;
  const lines: string[] = [];
  const rule = '─'.repeat(100);
  lines.push(
    `Switchboard benchmark (${result.mode}) — ${result.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${Math.round(result.durationSeconds)} s`,
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB RAM; Node ${machine.node}; ${machine.os}`,
    `Company: ${settings.extensions.toLocaleString('en-US')} generated extensions. The sandbox adds ${settings.latencyMs} ms to every RingCentral call; its rate limits are RingCentral's.`,
    `Naive: the same bot with no cache, no pacing, and the whole directory paged through on every /whois and name search.`,
    rule,
  );

  lines.push(
    `${'RingCentral calls per command, counted by the sandbox'.padEnd(COMMAND_WIDTH + 38)}  Switchboard      Naive        Naive ÷ Switchboard`,
  );
  lines.push(
    `${'command'.padEnd(COMMAND_WIDTH)}${'requester'.padEnd(38)}${'cold  warm'.padStart(12)}${'cold  warm'.padStart(13)}${'cold'.padStart(10)}`,
  );
  for (const command of COMMANDS) {
    for (const role of ROLES) {
      const ours = result.calls.cached.commands[role][command];
      const naive = result.calls.naive.commands[role][command];
      lines.push(
        `${command.padEnd(COMMAND_WIDTH)}${role.padEnd(38)}${String(ours.cold).padStart(6)}${String(ours.warm).padStart(6)}` +
          `${String(naive.cold).padStart(7)}${String(naive.warm).padStart(6)}${ratio(naive.cold, ours.cold).padStart(10)}`,
      );
    }
  }
  for (const role of ROLES) {
    lines.push(
      `${'first use'.padEnd(COMMAND_WIDTH)}${`${role}: /ext, then the first /whois`.padEnd(38)}${String(result.calls.cached.firstUse[role]).padStart(6)}${''.padStart(6)}` +
        `${String(result.calls.naive.firstUse[role]).padStart(7)}`,
    );
  }
  lines.push(
    'Cold: never asked by this requester, who has used the bot before (account info, directory index known). Warm: asked again at once.',
  );
  lines.push(rule);

  lines.push('Time to ack and to answer, ms: p50 / p95 / p99        ack                 answer, cold          answer, warm       samples');
  for (const [position, level] of result.latency.cached.entries()) {
    const think = level.thinkMs === 0 ? 'no think time' : `think ${level.thinkMs} ms`;
    for (const strategy of ['cached', 'naive'] as const) {
      const figures = result.latency[strategy][position]!;
      const who = strategy === 'cached' ? `${level.concurrency} ${level.concurrency === 1 ? 'user' : 'users'} (${think})` : '';
      lines.push(
        `${who.padEnd(30)}${label(strategy).padEnd(14)}${triple(figures.ack).padStart(17)}${triple(figures.answerCold).padStart(22)}` +
          `${triple(figures.answerWarm).padStart(22)}${String(figures.ack.n).padStart(8)}${figures.failures > 0 ? `  ${figures.failures} failed` : ''}`,
      );
    }
  }
  lines.push(
    'Each bot runs in a process of its own here, as deployed. Ack: the HTTP response to the signed slash command. Answer: the final message on its response_url ("looking up…" does not count).',
  );
  lines.push(rule);

  const ours = result.throughput.cached;
  const naive = result.throughput.naive;
  const { throughput } = settings;
  lines.push(`Commands per second, warm caches (${throughput.concurrency} in flight, ${throughput.seconds} s, ${throughput.users} people)`);
  lines.push(
    `  Switchboard ${Math.round(ours.commandsPerSecond).toString().padStart(6)}/s   RingCentral calls ${ours.calls}, failures ${ours.failures}`,
  );
  lines.push(
    `  Naive       ${Math.round(naive.commandsPerSecond).toString().padStart(6)}/s   RingCentral calls ${naive.calls}, failures ${naive.failures}   Switchboard ÷ Naive ${ratio(ours.commandsPerSecond, naive.commandsPerSecond)}`,
  );
  lines.push(rule);

  const { burst } = settings;
  lines.push(
    `429s in a ${Math.round(burst.equivalentSeconds / 60)}-minute-equivalent burst (window and penalty 60 s → ${burst.windowSeconds} s, limits unchanged; one person, ${burst.inFlight} commands in flight, ${result.burst.cached.seconds} s)`,
  );
  for (const strategy of ['cached', 'naive'] as const) {
    const figures = result.burst[strategy];
    lines.push(
      `  ${label(strategy).padEnd(12)}429s ${String(figures.rateLimited).padStart(4)}   answered ${String(figures.answered).padStart(4)}   failed ${String(figures.failures).padStart(4)}   RingCentral calls ${figures.calls}`,
    );
  }
  lines.push(rule);

  const { cardBurst } = settings;
  lines.push(
    `A burst of ${cardBurst.cards} distinct /ext <number> by one person, ${cardBurst.inFlight} in flight, RingCentral's real limits and 60 s windows, as the person's first commands`,
  );
  lines.push(
    `${''.padEnd(30)}${'full card'.padStart(10)}${'directory'.padStart(11)}${'held back'.padStart(11)}${'failed'.padStart(8)}${'429s'.padStart(6)}${'seconds'.padStart(9)}`,
  );
  for (const role of ROLES) {
    for (const strategy of ['cached', 'naive'] as const) {
      const figures = result.cardBurst[strategy][role];
      lines.push(
        `${(strategy === 'cached' ? role : '').padEnd(16)}${label(strategy).padEnd(14)}${String(figures.full).padStart(10)}${String(figures.fromDirectory).padStart(11)}` +
          `${String(figures.heldBack).padStart(11)}${String(figures.failed).padStart(8)}${String(figures.rateLimited).padStart(6)}${figures.seconds.toFixed(1).padStart(9)}`,
      );
    }
  }
  lines.push(rule);

  const { large } = result;
  lines.push(
    `Largest account: ${large.extensions.toLocaleString('en-US')} extensions, a new requester of each role (answer ms / RingCentral calls meanwhile, background pages included; BUSY = no answer)`,
  );
  lines.push(
    `${''.padEnd(30)}${'first /whois'.padStart(16)}${'first /ext <name>'.padStart(20)}${'cold /ext <number>'.padStart(20)}${'warm'.padStart(14)}`,
  );
  for (const role of ROLES) {
    for (const strategy of ['cached', 'naive'] as const) {
      const figures = large.figures[strategy][role];
      lines.push(
        `${(strategy === 'cached' ? role : '').padEnd(16)}${label(strategy).padEnd(14)}${step(figures.firstWhois).padStart(16)}${step(figures.firstName).padStart(20)}` +
          `${step(figures.coldExt).padStart(20)}${step(figures.warmExt).padStart(14)}`,
      );
    }
    const ours = large.figures.cached[role];
    if (ours.indexReadySeconds !== undefined && ours.coldExtIndexed !== undefined) {
      lines.push(
        `${''.padEnd(30)}index built in the background after ${Math.round(ours.indexReadySeconds)} s; then a cold /ext <number> ${step(ours.coldExtIndexed)}` +
          (ours.nameIndexed === undefined ? '' : `, a one-letter /ext <name> ${step(ours.nameIndexed)}`),
      );
    }
  }
  const newcomerCards = result.settings.large.newcomerCards;
  lines.push(
    `  A standard user new to Switchboard asks for ${newcomerCards} distinct cards at once (4 in flight), their index not yet confirmed:`,
  );
  for (const strategy of ['cached', 'naive'] as const) {
    const burst = large.newcomerBurst[strategy];
    lines.push(
      `${''.padEnd(16)}${label(strategy).padEnd(14)}${burst.full} full, ${burst.fromDirectory} from the directory, ${burst.heldBack} "many lookups", ` +
        `${burst.failed} failed, ${burst.rateLimited} 429s; the last after ${Math.round(burst.seconds)} s`,
    );
  }
  lines.push(
    `  Heap held by Switchboard after both requesters' indexes were built (after GC): ${large.indexHeapMb === undefined ? '–' : `${Math.round(large.indexHeapMb)} MB`} (one shared index; target ≤ 150 MB)`,
  );
  lines.push(
    `  Longest event-loop stall of the bots' process meanwhile (every user's ack waits it out): Switchboard ${Math.round(large.longestStallMs.cached)} ms, ` +
      `naive ${Math.round(large.longestStallMs.naive)} ms`,
  );
  if (large.companyNumbers !== undefined) {
    lines.push(
      `  An administrator's company number list, as indexed: ${large.companyNumbers.numbers.toLocaleString('en-US')} numbers, ${Math.round(large.companyNumbers.heapMb)} MB of heap (each administrator holds their own; 100,000 numbers at most in all, held or being read)`,
    );
  }
  lines.push(rule);

  const { memory } = result;
  const grown = (from: number, to: number) => `${Math.round(to - from)} MB`;
  lines.push(
    `Memory, Switchboard: ${memory.linkedUsers.toLocaleString('en-US')} users linked through OAuth (company of ${memory.companyExtensions.toLocaleString('en-US')} extensions), each asked /ext; ${memory.deepUsers.toLocaleString('en-US')} also /myforwarding and /whois`,
  );
  lines.push(
    `  heap growth of the bot's thread ${grown(memory.empty.heapUsedMb, memory.filled.heapUsedMb)} (${Math.round(memory.empty.heapUsedMb)} → ${Math.round(memory.filled.heapUsedMb)} MB${memory.gcBeforeReadings ? ', after GC' : ', no GC available'}); ` +
      `${memory.answerCacheEntries.toLocaleString('en-US')} cached answers; ${memory.directoryIndexes.indexes} directory index of ${memory.directoryIndexes.entries.toLocaleString('en-US')} entries used by ${memory.directoryIndexes.requesters.toLocaleString('en-US')} requesters`,
  );
  lines.push(
    `  process RSS ${Math.round(memory.empty.rssMb)} → ${Math.round(memory.filled.rssMb)} MB, peak ${Math.round(memory.peakRssMb)} MB: the whole process (bot, local Slack, load generator, ` +
      `and the sandbox thread, whose heap went ${Math.round(memory.empty.sandboxHeapUsedMb)} → ${Math.round(memory.filled.sandboxHeapUsedMb)} MB)`,
  );
  lines.push('  Naive keeps no cache: nothing to fill.');
  lines.push(rule);

  lines.push('Targets (Switchboard)');
  for (const target of result.targets)
    lines.push(`  ${target.met ? 'met    ' : 'NOT MET'}  ${target.target.padEnd(52)} ${target.measured}`);
  return `${lines.join('\n')}\n`;
}

function step(figures: LargeStep): string {
  return figures.failed ? `BUSY / ${figures.calls}` : `${Math.round(figures.answerMs)} / ${figures.calls}`;
}

function label(strategy: LookupStrategy): string {
  return strategy === 'cached' ? 'Switchboard' : 'Naive';
}

function triple(figures: Percentiles): string {
  return [figures.p50, figures.p95, figures.p99].map((value) => (Number.isNaN(value) ? '–' : String(Math.round(value)))).join(' / ');
}

/** a ÷ b as "3.0×"; "–" when b is 0 (nothing to divide by) or either is missing. */
function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return a === 0 && b === 0 ? '1×' : '–';
  return `${(a / b).toFixed(1)}×`;
}

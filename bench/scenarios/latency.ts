import { setTimeout as sleep } from 'node:timers/promises';
import type { LookupStrategy } from '../../src/lookup-strategy.ts';
import type { BenchStack } from '../bench-stack.ts';
import type { Asker } from '../bot-processes.ts';
import type { Person } from '../company.ts';
import { spread } from '../company.ts';
import type { Percentiles, Sample } from '../load.ts';
import { forEachConcurrently, percentiles, timedCommand } from '../load.ts';

/*
 * Time to ack and time to answer with N people using the bot at once. Each virtual user plays sessions one after
 * another; a session is a person who has just linked asking four things they never asked (cold: `/ext <number>`,
 * `/whois <number>`, `/ext <name>`, `/myforwarding`) and then the same four again (warm), pausing between commands
 * for a think time (random, 0.5–1.5 × the level's mean; a virtual user's first session starts after such a pause,
 * so N people do not press Enter in the same millisecond). Without think time N users are a throughput test: every
 * answer frees a user to ask again at once and acks measure only the queue. A new person for every session keeps
 * each RingCentral login within its own rate limits, as real people are. Warm-up sessions run first and are not
 * counted. The two strategies take turns level by level, so a noisy moment hits both alike.
 */

export interface LatencyLevel {
  concurrency: number;
  sessions: number;
  /** Mean pause between one user's commands; 0 for one user alone, whom nobody else's commands can delay. */
  thinkMs: number;
}

export interface LatencyFigures {
  concurrency: number;
  sessions: number;
  thinkMs: number;
  ack: Percentiles;
  answerCold: Percentiles;
  answerWarm: Percentiles;
  failures: number;
}

export interface LatencySettings {
  levels: readonly LatencyLevel[];
  warmupSessions: number;
  /** No new session starts after this long at one level (those running finish). */
  maxSecondsPerLevel: number;
}

export async function measureLatency(
  stack: BenchStack,
  bots: Record<LookupStrategy, Asker>,
  strategies: readonly LookupStrategy[],
  settings: LatencySettings,
): Promise<Record<LookupStrategy, LatencyFigures[]>> {
  const perStrategy = settings.warmupSessions + settings.levels.reduce((sum, level) => sum + level.sessions, 0);
  const people = new Map(strategies.map((strategy) => [strategy, stack.takePeople(perStrategy)] as const));
  await stack.link([...people.values()].flat());

  const results = Object.fromEntries(strategies.map((strategy) => [strategy, [] as LatencyFigures[]])) as Record<
    LookupStrategy,
    LatencyFigures[]
  >;
  // Both bots warm up at once: nothing is measured yet, and each has a process of its own.
  const warmup = { concurrency: Math.min(5, settings.warmupSessions), sessions: settings.warmupSessions, thinkMs: 0 };
  await Promise.all(
    strategies.map((strategy) =>
      runSessions(stack, bots[strategy], people.get(strategy)!.splice(0, settings.warmupSessions), warmup, Infinity),
    ),
  );
  for (const level of settings.levels) {
    for (const strategy of strategies) {
      const sessionPeople = people.get(strategy)!.splice(0, level.sessions);
      const samples = await runSessions(stack, bots[strategy], sessionPeople, level, settings.maxSecondsPerLevel * 1000);
      const all = [...samples.cold, ...samples.warm];
      results[strategy].push({
        concurrency: level.concurrency,
        sessions: samples.sessions,
        thinkMs: level.thinkMs,
        ack: percentiles(all.map((sample) => sample.ackMs)),
        answerCold: percentiles(samples.cold.map((sample) => sample.answerMs)),
        answerWarm: percentiles(samples.warm.map((sample) => sample.answerMs)),
        failures: all.filter((sample) => sample.failed).length,
      });
    }
  }
  return results;
}

async function runSessions(
  stack: BenchStack,
  bot: Asker,
  people: readonly Person[],
  level: LatencyLevel,
  maxMs: number,
): Promise<{ cold: Sample[]; warm: Sample[]; sessions: number }> {
  const cold: Sample[] = [];
  const warm: Sample[] = [];
  let sessions = 0;
  const stopStartingAt = performance.now() + maxMs;
  const random = seededRandom(level.concurrency);
  const think = () => (level.thinkMs > 0 ? sleep(level.thinkMs * (0.5 + random())) : Promise.resolve());
  const started = new Set<number>();
  await forEachConcurrently(people, level.concurrency, async (person, index) => {
    if (performance.now() > stopStartingAt) return;
    if (index < level.concurrency && !started.has(index)) {
      started.add(index);
      if (level.thinkMs > 0) await sleep(level.thinkMs * 2 * random());
    }
    const lines = sessionLines(stack, person, index);
    for (const line of lines) {
      cold.push(await timedCommand(bot, person.slackUserId, line));
      await think();
    }
    for (const line of lines) {
      warm.push(await timedCommand(bot, person.slackUserId, line));
      await think();
    }
    sessions += 1;
  });
  return { cold, warm, sessions };
}

/** The same pauses every run. */
function seededRandom(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function sessionLines(stack: BenchStack, person: Person, index: number): string[] {
  const { company } = stack;
  const others = company.extensionNumbers.filter((number) => number !== person.extensionNumber);
  return [
    `/ext ${spread(others, 100 + index)}`,
    `/whois ${spread(company.directNumbers, 100 + index)}`,
    `/ext ${spread(company.uniqueNames, 100 + index)}`,
    '/myforwarding',
  ];
}

import type { LookupStrategy } from '../../src/lookup-strategy.ts';
import type { BenchStack } from '../bench-stack.ts';
import { spread } from '../company.ts';
import { forEachConcurrently, timedCommand } from '../load.ts';

/*
 * Commands per second one process answers with warm caches: a pool of linked people, each asking again the
 * `/ext <number>` and `/myforwarding` they asked before (asked once untimed, so Switchboard's caches hold the answers),
 * `concurrency` commands in flight at all times for a fixed time. The naive bot gets the same people, commands and
 * concurrency; it has no cache to be warm, so it pays RingCentral's calls (and their latency) every time. The load
 * generator and the local Slack share this process's CPU, so the figure is a floor for the bot alone.
 */

export interface ThroughputSettings {
  users: number;
  concurrency: number;
  seconds: number;
}

export interface ThroughputFigures {
  commandsPerSecond: number;
  answered: number;
  failures: number;
  /** RingCentral calls during the measured time. */
  calls: number;
  rateLimited: number;
}

export async function measureThroughput(
  stack: BenchStack,
  strategies: readonly LookupStrategy[],
  settings: ThroughputSettings,
): Promise<Record<LookupStrategy, ThroughputFigures>> {
  const people = stack.takePeople(settings.users);
  const linesOf = (index: number) => [`/ext ${spread(stack.company.extensionNumbers, 500 + index)}`, '/myforwarding'];
  await stack.link(people, { pendingCommand: (_person, index) => linesOf(index)[0]! });
  await stack.untimed(() =>
    forEachConcurrently(people, settings.concurrency, async (person, index) => {
      for (const line of linesOf(index)) await timedCommand(stack.bots.cached, person.slackUserId, line);
    }),
  );

  const results = {} as Record<LookupStrategy, ThroughputFigures>;
  for (const strategy of strategies) {
    const bot = stack.bots[strategy];
    await stack.control.resetStats();
    let answered = 0;
    let failures = 0;
    let next = 0;
    const started = performance.now();
    const endAt = started + settings.seconds * 1000;
    await Promise.all(
      Array.from({ length: settings.concurrency }, async () => {
        while (performance.now() < endAt) {
          const turn = next;
          next += 1;
          const index = turn % people.length;
          const line = linesOf(index)[Math.floor(turn / people.length) % 2]!;
          const sample = await timedCommand(bot, people[index]!.slackUserId, line);
          if (sample.failed) failures += 1;
          else answered += 1;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const stats = await stack.control.stats();
    results[strategy] = { commandsPerSecond: answered / elapsed, answered, failures, calls: stats.total, rateLimited: stats.rateLimited };
  }
  return results;
}

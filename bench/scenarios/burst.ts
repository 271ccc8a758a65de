import type { LookupStrategy } from '../../src/lookup-strategy.ts';
import type { BenchStack } from '../bench-stack.ts';
import { spread } from '../company.ts';
import { timedCommand } from '../load.ts';

/*
 * 429s met in a burst. One person fires distinct commands (cold: `/ext <number>` and `/whois <number>` of people
 * they never asked about) as fast as the load generator can, `inFlight` at a time. Time is scaled: the sandbox's
 * window and penalty shrink from 60 s to `windowSeconds` with the per-user limits unchanged (Medium 40, Light 50 …
 * a window), so `equivalentSeconds` of real time take equivalentSeconds × windowSeconds / 60. Switchboard's pacer
 * learns the window from RingCentral's X-Rate-Limit-* headers, as it would in production. Counted by the sandbox.
 */

export interface BurstSettings {
  equivalentSeconds: number;
  windowSeconds: number;
  inFlight: number;
}

export interface BurstFigures {
  rateLimited: number;
  calls: number;
  answered: number;
  /** Commands answered with "RingCentral is busy" or another failure. */
  failures: number;
  seconds: number;
}

const RINGCENTRAL_WINDOW_SECONDS = 60;

export async function measureBurst(
  stack: BenchStack,
  strategies: readonly LookupStrategy[],
  settings: BurstSettings,
): Promise<Record<LookupStrategy, BurstFigures>> {
  const seconds = (settings.equivalentSeconds * settings.windowSeconds) / RINGCENTRAL_WINDOW_SECONDS;
  const people = new Map(strategies.map((strategy) => [strategy, stack.takePeople(1, (person) => !person.admin)[0]!] as const));
  await stack.link([...people.values()]);
  const results = {} as Record<LookupStrategy, BurstFigures>;
  try {
    for (const strategy of strategies) {
      // Setting the limits also clears every count the sandbox holds, so each strategy starts with a full budget.
      await stack.control.configure({ rateLimits: { windowSeconds: settings.windowSeconds, penaltySeconds: settings.windowSeconds } });
      await stack.control.resetStats();
      const person = people.get(strategy)!;
      let answered = 0;
      let failures = 0;
      let next = 0;
      const endAt = performance.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: settings.inFlight }, async () => {
          while (performance.now() < endAt) {
            const turn = next;
            next += 1;
            const line =
              turn % 2 === 0
                ? `/ext ${spread(stack.company.extensionNumbers, 1000 + turn)}`
                : `/whois ${spread(stack.company.directNumbers, 1000 + turn)}`;
            const sample = await timedCommand(stack.bots[strategy], person.slackUserId, line);
            if (sample.failed) failures += 1;
            else answered += 1;
          }
        }),
      );
      const stats = await stack.control.stats();
      results[strategy] = { rateLimited: stats.rateLimited, calls: stats.total, answered, failures, seconds };
    }
  } finally {
    await stack.control.configure({ rateLimits: 'default' });
  }
  return results;
}

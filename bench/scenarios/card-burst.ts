import type { LookupStrategy } from '../../src/lookup-strategy.ts';
import { noticeWording } from '../../src/handlers/wording.ts';
import type { BenchStack } from '../bench-stack.ts';
import type { Person } from '../company.ts';
import { spread } from '../company.ts';
import type { Sample } from '../load.ts';
import { byStrategyAtOnce, forEachConcurrently, timedCommand } from '../load.ts';
import { callsBetween } from '../sandbox-control.ts';
import type { Role } from './calls.ts';
import { ROLES } from './calls.ts';

/*
 * One person's burst of distinct cards under RingCentral's real limits and windows (60 s): `cards` `/ext <number>`
 * of people they never asked about, `inFlight` at a time, as their first commands (no directory index yet). A full card costs one Medium and two Light calls, so Light's 50 a minute pays for about 25. What each
 * answer was is read from the answer itself; 429s are the sandbox's count.
 */

export interface CardBurstSettings {
  cards: number;
  inFlight: number;
}

export interface CardBurstFigures {
  /** Cards drawn from the extension's own record, numbers and presence. */
  full: number;
  /** Cards drawn from the directory entry, saying so (a standard user whose minute's budget was spent). */
  fromDirectory: number;
  /** "Too many lookups": Switchboard held the command back, nothing was sent. */
  heldBack: number;
  /** "RingCentral is busy" or another failure. */
  failed: number;
  rateLimited: number;
  seconds: number;
}

/** The note a directory card carries (wording.ts's directoryCardNote), told apart from a full card by it. */
const DIRECTORY_CARD = 'From the company directory';

export async function measureCardBurst(
  stack: BenchStack,
  strategies: readonly LookupStrategy[],
  settings: CardBurstSettings,
): Promise<Record<LookupStrategy, Record<Role, CardBurstFigures>>> {
  const people = new Map(
    strategies.flatMap((strategy) =>
      ROLES.map(
        (role) => [`${strategy}:${role}`, stack.takePeople(1, (person) => person.admin === (role === 'administrator'))[0]!] as const,
      ),
    ),
  );
  await stack.link([...people.values()]);
  // Setting the limits clears every count the sandbox holds: everyone starts with a full budget. RingCentral counts
  // each person apart, so the strategies' bursts run at once (each bot on its own); one strategy's roles take turns.
  await stack.control.configure({ rateLimits: 'default' });
  return byStrategyAtOnce(strategies, async (strategy, strategyIndex) => {
    const byRole = {} as Record<Role, CardBurstFigures>;
    for (const [roleIndex, role] of ROLES.entries()) {
      const person = people.get(`${strategy}:${role}`)!;
      const bot = stack.bots[strategy];
      // Numbers of its own for each burst, the same every run.
      const numbers = distinctNumbers(stack, person, settings.cards, 5000 + (strategyIndex * ROLES.length + roleIndex) * settings.cards);
      const before = await stack.control.stats();
      const samples: Sample[] = [];
      const started = performance.now();
      await forEachConcurrently(numbers, settings.inFlight, async (number) => {
        samples.push(await timedCommand(bot, person.slackUserId, `/ext ${number}`));
      });
      const seconds = (performance.now() - started) / 1000;
      const { rateLimited } = callsBetween(before, await stack.control.stats(), person);
      byRole[role] = { ...countAnswers(samples), rateLimited, seconds };
    }
    return byRole;
  });
}

export function distinctNumbers(stack: BenchStack, requester: Person, count: number, seed: number): string[] {
  const chosen = new Set<string>();
  for (let index = seed; chosen.size < count; index += 1) {
    const number = spread(stack.company.extensionNumbers, index);
    if (number !== requester.extensionNumber) chosen.add(number);
  }
  return [...chosen];
}

export function countAnswers(samples: readonly Sample[]): Omit<CardBurstFigures, 'rateLimited' | 'seconds'> {
  const counts = { full: 0, fromDirectory: 0, heldBack: 0, failed: 0 };
  for (const sample of samples) {
    if (sample.failed) counts.failed += 1;
    else if (sample.title === noticeWording.heldBack.title) counts.heldBack += 1;
    else if (JSON.stringify(sample.message.blocks ?? []).includes(DIRECTORY_CARD)) counts.fromDirectory += 1;
    else counts.full += 1;
  }
  return counts;
}

import type { LookupStrategy } from '../src/lookup-strategy.ts';
import type { BurstFigures } from './scenarios/burst.ts';
import type { CallsResult, Role } from './scenarios/calls.ts';
import type { CardBurstFigures } from './scenarios/card-burst.ts';
import { COMMANDS, ROLES } from './scenarios/calls.ts';
import type { LatencyFigures } from './scenarios/latency.ts';

/** The targets for Switchboard, each checked against this run's figures. */
export interface Target {
  target: string;
  met: boolean;
  measured: string;
}

export function evaluateTargets(figures: {
  calls: Record<LookupStrategy, CallsResult>;
  latency: Record<LookupStrategy, LatencyFigures[]>;
  burst: Record<LookupStrategy, BurstFigures>;
  cardBurst: Record<LookupStrategy, Record<Role, CardBurstFigures>>;
  /** A new standard user's burst of distinct cards in the largest account, and that account's size. */
  largeNewcomer: { extensions: number; burst: CardBurstFigures };
}): Target[] {
  const costs = ROLES.flatMap((role) => COMMANDS.map((command) => ({ role, command, ...figures.calls.cached.commands[role][command] })));
  const warmCalls = Math.max(...costs.map((cost) => cost.warm));
  const coldExt = Math.max(...costs.filter((cost) => cost.command === '/ext <number>').map((cost) => cost.cold));
  const whois = costs.filter((cost) => cost.command === '/whois <number>');
  const coldWhois = Math.max(...whois.map((cost) => cost.cold));
  const warmWhois = Math.max(...whois.map((cost) => cost.warm));
  const busiest = figures.latency.cached.reduce<LatencyFigures | undefined>(
    (most, level) => (level.concurrency > (most?.concurrency ?? 0) ? level : most),
    undefined,
  );
  const ackP99 = busiest?.ack.p99 ?? Number.NaN;
  const rateLimited = figures.burst.cached.rateLimited;
  const standardCards = figures.cardBurst.cached['standard user'];
  const adminCards = figures.cardBurst.cached.administrator;
  const cards = (role: CardBurstFigures) => role.full + role.fromDirectory + role.heldBack + role.failed;
  const allAnswered = (role: CardBurstFigures) => role.heldBack === 0 && role.failed === 0 && role.rateLimited === 0;
  const newcomer = figures.largeNewcomer.burst;
  return [
    { target: 'warm repeats cost 0 calls', met: warmCalls === 0, measured: `at most ${warmCalls}` },
    // Two calls for the card, plus a person's presence, read beside their numbers (no extra round trip).
    { target: 'cold /ext <number> ≤ 3 calls (2 + presence)', met: coldExt <= 3, measured: `at most ${coldExt}` },
    {
      target: '/whois ≤ 2 calls cold (index built), 0 warm',
      met: coldWhois <= 2 && warmWhois === 0,
      measured: `at most ${coldWhois} cold, ${warmWhois} warm`,
    },
    { target: 'zero 429s in the burst', met: rateLimited === 0, measured: `${rateLimited}` },
    {
      target: `card burst (${cards(standardCards)} in a minute), standard user: all answered`,
      met: allAnswered(standardCards),
      measured: `${standardCards.full} full, ${standardCards.fromDirectory} from the directory`,
    },
    {
      target: `${figures.largeNewcomer.extensions.toLocaleString('en-US')} extensions, a new standard user's ${cards(newcomer)} cards at once: all answered`,
      met: allAnswered(newcomer),
      measured: `${newcomer.full} full, ${newcomer.fromDirectory} from the directory, ${newcomer.heldBack} held back, last after ${Math.round(newcomer.seconds)} s`,
    },
    {
      target: 'card burst, administrator: no 429, the rest held back',
      met: adminCards.rateLimited === 0 && adminCards.failed === 0,
      measured: `${adminCards.full} full, ${adminCards.heldBack} held back, ${adminCards.rateLimited} 429s`,
    },
    {
      target: `p99 time to ack < 100 ms at ${busiest?.concurrency ?? '?'} users`,
      met: ackP99 < 100,
      measured: `${Math.round(ackP99)} ms`,
    },
  ];
}

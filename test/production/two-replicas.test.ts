import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseMessage } from '../../src/demo/local-slack.ts';
import { eventEnvelope, messageTs } from '../../src/demo/slack-requests.ts';
import type { Replicas } from '../support/replicas.ts';
import { startReplicas } from '../support/replicas.ts';
import type { Lookup, Person } from './company.ts';
import { describeUnanswered, extLookup, myForwarding, slackUserOf, standardPeople, whoisLookup } from './company.ts';

/*
 * Two bot processes sharing PostgreSQL (tokens, links) and Redis (pacing), one user's commands spread over both.
 * The sandbox keeps RingCentral's per-user limits (Light 50, Medium 40, Auth 5 …) over a 2-second window instead of
 * 60 seconds, so a burst that must be paced over several windows takes seconds; the bots learn the window from the
 * X-Rate-Limit-Window header, as they would RingCentral's.
 */

const WINDOW_SECONDS = 2;

let replicas: Replicas;
let people: Person[];

beforeAll(async () => {
  replicas = await startReplicas({
    sandbox: { generate: 2000, rateLimits: { windowSeconds: WINDOW_SECONDS, penaltySeconds: WINDOW_SECONDS } },
    env: { LOG_LEVEL: 'warn' },
  });
  people = standardPeople(replicas.sandbox.seed);
}, 60_000);

afterAll(async () => {
  await replicas?.close();
});

/** Runs every lookup at once, alternating between the two bots, and returns each with its answer. */
async function runSpread(
  slackUserId: string,
  lookups: Lookup[],
  timeoutMs = 30_000,
): Promise<{ lookup: Lookup; message: ResponseMessage }[]> {
  return Promise.all(
    lookups.map(async (lookup, index) => ({
      lookup,
      message: await replicas.answer(index % 2 === 0 ? 0 : 1, slackUserId, lookup.line, timeoutMs),
    })),
  );
}

/** A requester with forwarding numbers of their own, and lookup targets that are neither them nor one another. */
function cast(requesterIndex: number) {
  const requesters = people.filter((person) => person.forwardingNumbers > 0 && person.directNumber !== undefined);
  const requester = requesters[requesterIndex]!;
  const targets = people.filter((person) => person !== requester && person.directNumber !== undefined);
  return { requester, user: slackUserOf(requester), targets };
}

describe('two bot processes sharing PostgreSQL and Redis', () => {
  it('100 concurrent commands of one user whose access token expired, over both processes, cause exactly one refresh; all succeed and the user stays linked', async () => {
    const { requester, user, targets } = cast(0);
    await replicas.link(user, requester.extensionNumber);
    // Each bot has looked something up once, as in steady state: each knows the account and its directory.
    const [first, second, ...rest] = targets.map(whoisLookup);
    expect(first!.answered(await replicas.answer(0, user, first!.line))).toBe(true);
    expect(second!.answered(await replicas.answer(1, user, second!.line))).toBe(true);

    await replicas.control.expireAccessTokens(requester.extensionId);
    const before = await replicas.control.stats();
    const results = await runSpread(user, rest.slice(0, 100));
    const after = await replicas.control.stats();

    expect(describeUnanswered(results)).toEqual([]);
    expect((after.tokenRequests.refresh_token ?? 0) - (before.tokenRequests.refresh_token ?? 0)).toBe(1);
    expect(after.rateLimited - before.rateLimited).toBe(0);
    const stored = await replicas.storedLink(user);
    expect(stored?.extensionNumber).toBe(requester.extensionNumber);
    // Still linked on both: a fresh lookup works on each without linking again.
    for (const bot of [0, 1] as const) {
      const lookup = extLookup(targets[200 + bot]!);
      expect(lookup.answered(await replicas.answer(bot, user, lookup.line))).toBe(true);
    }
  });

  it('a burst of 150 commands of one user over both processes meets no 429 from RingCentral, and every command is answered', async () => {
    const { requester, user, targets } = cast(1);
    await replicas.link(user, requester.extensionNumber);
    // One lookup first: RingCentral's headers teach the shared pacer this user's limits and window.
    const warmUp = extLookup(targets[0]!);
    expect(warmUp.answered(await replicas.answer(0, user, warmUp.line))).toBe(true);

    // Distinct queries (each bot keeps its answers per requester, so a repeat would cost nothing): /ext spends one
    // Medium and two Light requests (numbers, presence, which is kept 30 s), /whois one Light, /myforwarding six Light
    // per bot. Some 150 Light and 50 Medium requests: three windows' worth of Light at 50 per window, which pacing must
    // spread over more than two windows yet finish within a command's 10 s deadline (five windows); a longer queue
    // would rightly be held back with "too many lookups".
    const lookups: Lookup[] = [];
    for (let index = 0; index < 50; index += 1) {
      lookups.push(extLookup(targets[1 + index]!), whoisLookup(targets[101 + index]!), myForwarding);
    }
    const before = await replicas.control.stats();
    const started = performance.now();
    const results = await runSpread(user, lookups);
    const elapsedMs = performance.now() - started;
    const after = await replicas.control.stats();

    // The linking just before counts too: both bots pace the login's requests together (the sign-in's own included) and
    // keep what RingCentral's headers say it counted beyond them for the rest of the window.
    expect(after.rateLimited - before.rateLimited).toBe(0);
    expect(results).toHaveLength(150);
    expect(describeUnanswered(results)).toEqual([]);
    // Paced, not merely lucky: the requests could not all have gone out within one window.
    const requests = after.total - before.total;
    expect(requests).toBeGreaterThan(150);
    expect(elapsedMs).toBeGreaterThan(2 * WINDOW_SECONDS * 1000);
  });

  it('a Slack event delivered again, to the other process, is answered once: the replicas claim its event_id in Redis', async () => {
    const user = 'U1001';
    const ts = messageTs();
    const event = {
      type: 'message',
      channel_type: 'im',
      user,
      text: 'help',
      ts,
      event_ts: ts,
      channel: `D${user}`,
      team: replicas.slack.teamId,
    };
    const envelope = eventEnvelope(replicas.slack.teamId, event, `EvREPLICAS${ts.replace('.', '')}`);
    const from = replicas.slack.apiCalls.length;
    const acks = await Promise.all([replicas.postEvent(0, envelope), replicas.postEvent(1, envelope)]);
    expect(acks.map((ack) => ack.status)).toEqual([200, 200]);
    // Slack's own retry, a little later, to the first process again.
    expect((await replicas.postEvent(0, envelope)).status).toBe(200);
    const toUser = (call: { method: string; params: Record<string, string> }) =>
      call.method === 'chat.postMessage' && call.params.channel === `D${user}`;
    await replicas.slack.waitForCall(toUser, { from });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(replicas.slack.apiCalls.slice(from).filter(toUser)).toHaveLength(1);
  });
});

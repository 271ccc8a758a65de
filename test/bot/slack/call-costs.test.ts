import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatsSnapshot } from '../../../src/sandbox/stats.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import { answer, fieldsOf, linkUser, startSlackTestStack, titleOf } from '../../support/slack-stack.ts';

/*
 * What each command costs in RingCentral calls, counted by the sandbox: every request it answers, REST and OAuth
 * (a token refresh would count; none is due here). Slack Web API calls (users.lookupByEmail for the "In chat" field)
 * go to the local Slack and are not counted. "Cold" means this requester has not asked this before, but has used the bot once, so their account info (home
 * country; kept a day), own extension and, for /whois, their directory index are known. Within the cache TTL a repeat
 * costs nothing.
 */

let stack: SlackTestStack;

beforeAll(async () => {
  stack = await startSlackTestStack();
  await linkUser(stack, 'U101', '101');
  await linkUser(stack, 'U103', '103');
  // One lookup each fills the account info; one /whois each builds the directory index and reads their own numbers.
  for (const user of ['U101', 'U103']) {
    await answer(stack, user, '/ext 102');
    await answer(stack, user, '/whois +16503316252');
  }
  // The administrator's first card started reading the company number list in the background: it is held from here on.
  const seed = stack.sandbox.seed;
  const john = seed.extensions.find((extension) => extension.extensionNumber === '101')!;
  await stack.bot.services.companyNumbers.loading({ accountId: String(seed.account.id), extensionId: String(john.id) })?.promise;
});

afterAll(async () => {
  await stack?.close();
});

/** Runs `work` and returns the RingCentral calls it caused. */
async function callsDuring(work: () => Promise<unknown>): Promise<StatsSnapshot> {
  await stack.control.resetStats();
  await work();
  return stack.control.stats();
}

function expectNoTokenCalls(stats: StatsSnapshot): void {
  expect(stats.byOperation['getToken'] ?? 0).toBe(0);
}

// A card's numbers cost no call once the directory index is fresh: an administrator's come from the company number
// list they already hold (read once, after their first /ext above: the seed company's is one page), a standard
// user's from the colleague's directory entry (their direct numbers, all RingCentral shows them of another's).
const indexedCardCalls = { listExtensions: 1, readUserPresenceStatus: 1 } as const;

describe.each([
  ['administrator', 'U101'],
  ['standard user', 'U103'],
] as const)('RingCentral calls per command, as an %s', (_role, slackUserId) => {
  it('a cold /ext <number> of a person costs the extension by number and its presence, side by side; a repeat within the TTL costs 0', async () => {
    const target = slackUserId === 'U101' ? '104' : '101';
    const cold = await callsDuring(async () =>
      expect(fieldsOf(await answer(stack, slackUserId, `/ext ${target}`))).toContainEqual(['Extension', target]),
    );
    expect(cold.total).toBeGreaterThan(0);
    expect(cold.byOperation).toEqual(indexedCardCalls);
    expectNoTokenCalls(cold);

    const warm = await callsDuring(() => answer(stack, slackUserId, `/ext ${target}`));
    expect(warm.total, JSON.stringify(warm.byOperation)).toBe(0);
  });

  it("a cold /whois of a colleague's direct number costs at most 2 calls; a repeat costs 0", async () => {
    const [number, owner] = slackUserId === 'U101' ? ['+16505550106', 'Sophia Martinez'] : ['+16505550107', 'Noah Kim'];
    const cold = await callsDuring(async () =>
      expect(fieldsOf(await answer(stack, slackUserId, `/whois ${number}`))).toContainEqual(['Belongs to', owner]),
    );
    expect(cold.total, JSON.stringify(cold.byOperation)).toBeGreaterThan(0);
    expect(cold.total, JSON.stringify(cold.byOperation)).toBeLessThanOrEqual(2);
    expectNoTokenCalls(cold);

    const warm = await callsDuring(() => answer(stack, slackUserId, `/whois ${number}`));
    expect(warm.total, JSON.stringify(warm.byOperation)).toBe(0);
  });

  it("a /whois of a number that is not the company's costs at most 2 calls cold and 0 warm", async () => {
    const cold = await callsDuring(async () =>
      expect(titleOf(await answer(stack, slackUserId, '/whois +15105550123'))).toContain('is not in your company directory'),
    );
    expect(cold.total, JSON.stringify(cold.byOperation)).toBeLessThanOrEqual(2);
    const warm = await callsDuring(() => answer(stack, slackUserId, '/whois +15105550124'));
    expect(warm.total, JSON.stringify(warm.byOperation)).toBe(0);
  });

  it('once the directory index is built, a cold /ext <number> reads the record beside its presence: one round trip', async () => {
    const target = slackUserId === 'U101' ? '105' : '106';
    await stack.control.config({ latencyMs: 300 });
    try {
      let elapsedMs = 0;
      const cold = await callsDuring(async () => {
        const started = performance.now();
        expect(fieldsOf(await answer(stack, slackUserId, `/ext ${target}`))).toContainEqual(['Extension', target]);
        elapsedMs = performance.now() - started;
      });
      expect(cold.byOperation).toEqual(indexedCardCalls);
      // Calls of 300 ms each: one after the other would take 600–900 ms; side by side, one round trip.
      expect(elapsedMs).toBeLessThan(600);
    } finally {
      await stack.control.config({ latencyMs: 0 });
    }
  });

  it('a name search costs no call once the directory index is built', async () => {
    const calls = await callsDuring(() => answer(stack, slackUserId, '/ext haddad'));
    expect(calls.total, JSON.stringify(calls.byOperation)).toBe(0);
  });

  it('ten identical cold commands at once share one set of calls', async () => {
    const target = slackUserId === 'U101' ? '108' : '109';
    const burst = await callsDuring(() => Promise.all(Array.from({ length: 10 }, () => answer(stack, slackUserId, `/ext ${target}`))));
    expect(burst.total, JSON.stringify(burst.byOperation)).toBeLessThanOrEqual(3);
  });

  it('a cold queue card costs the queue, one members call and one presence call per member shown (at most 10); a repeat costs 0', async () => {
    const cold = await callsDuring(async () =>
      expect(fieldsOf(await answer(stack, slackUserId, '/ext 200'))).toContainEqual(['Extension', '200']),
    );
    const { readUserPresenceStatus: presenceCalls = 0, ...others } = cold.byOperation;
    // The directory index (built by the /whois above) knows the queue's id: its members are read beside its record.
    expect(others).toEqual({ listExtensions: 1, listCallQueueMembers: 1 });
    // Ten people shown; those whose presence this requester read moments ago (earlier tests) come from the cache.
    expect(presenceCalls).toBeGreaterThan(0);
    expect(presenceCalls).toBeLessThanOrEqual(10);
    const warm = await callsDuring(() => answer(stack, slackUserId, '/ext 200'));
    expect(warm.total, JSON.stringify(warm.byOperation)).toBe(0);
    // The next page reads the presence of its own members only; the member list is already known.
    const next = await callsDuring(() => answer(stack, slackUserId, '/ext 200 page:2'));
    expect(next.byOperation).toEqual({ readUserPresenceStatus: 1 });
  });
});

describe("what only an administrator's lookups cost", () => {
  it('a number found only in the company list costs the list once (Heavy), then nothing', async () => {
    const cold = await callsDuring(() => answer(stack, 'U101', '/whois +13125550187'));
    expect(cold.byOperation['listAccountPhoneNumbers'] ?? 0).toBeLessThanOrEqual(1);
    expect(cold.total, JSON.stringify(cold.byOperation)).toBeLessThanOrEqual(2);
    const warm = await callsDuring(() => answer(stack, 'U101', '/whois +16505550199'));
    expect(warm.total, JSON.stringify(warm.byOperation)).toBe(0);
  });
});

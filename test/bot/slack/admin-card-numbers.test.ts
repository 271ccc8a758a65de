import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inDirectory } from '../../../src/sandbox/rules.ts';
import type { SeedExtension, SeedPhoneNumber } from '../../../src/sandbox/seed.ts';
import type { StatsSnapshot } from '../../../src/sandbox/stats.ts';
import { loginAs, numbersOnAdministratorsCard } from '../../support/sandbox.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import { answer, fieldsOf, startSlackTestStack, telNumbersOf } from '../../support/slack-stack.ts';
import { linkGeneratedRequesters, slackIdOf } from '../../support/generated-requesters.ts';

/*
 * An administrator's card shows every number of the extension, where a standard user's shows its direct numbers only.
 * In a company whose number list takes RingCentral's Heavy pace more than a minute (10,000 extensions: 8 pages of
 * 1,000, 6 a minute), the cards meanwhile take the direct numbers from the directory entry and the rest from the short
 * list of every number but direct ones, read right after the whole list's first page: no call for numbers. Index and
 * lists are trusted for CACHE_TTL_SECONDS, here 4 s, so that going stale can be watched.
 */

const EXTENSIONS = 10_000;
const FRESH_SECONDS = 4;

let stack: SlackTestStack;
let admin: SeedExtension;
let people: SeedExtension[];
let forwardedOf: Map<string | undefined, SeedPhoneNumber>;
let directNumber: (person: SeedExtension) => string;
let oracleToken: string;

beforeAll(async () => {
  stack = await startSlackTestStack({
    sandbox: { generate: EXTENSIONS, rateLimits: 'default' },
    env: { CACHE_TTL_SECONDS: String(FRESH_SECONDS) },
  });
  const seed = stack.sandbox.seed;
  ({ admin } = await linkGeneratedRequesters(stack, seed));
  oracleToken = (await loginAs(stack.sandbox, admin.extensionNumber)).access_token;
  const withUsage = (usageType: string) =>
    new Map(seed.phoneNumbers.filter((number) => number.usageType === usageType).map((number) => [number.extensionNumber, number]));
  const direct = withUsage('DirectNumber');
  forwardedOf = withUsage('ForwardedNumber');
  directNumber = (person) => direct.get(person.extensionNumber)!.phoneNumber;
  people = seed.extensions.filter(
    (extension) =>
      extension.type === 'User' && extension.status === 'Enabled' && inDirectory(extension) && direct.has(extension.extensionNumber),
  );
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const requester = () => ({ accountId: String(stack.sandbox.seed.account.id), extensionId: String(admin.id) });

/** The administrator's own calls during `work`, by operation. */
async function adminCallsDuring(work: () => Promise<unknown>): Promise<Record<string, number>> {
  const mine = (stats: StatsSnapshot) => stats.byUser[String(admin.id)] ?? {};
  const before = mine(await stack.control.stats());
  await work();
  const after = mine(await stack.control.stats());
  return Object.fromEntries(
    Object.entries(after)
      .map(([operation, count]) => [operation, count - (before[operation] ?? 0)] as const)
      .filter(([, count]) => count > 0),
  );
}

describe("an administrator's cards while the company number list is read", () => {
  const forwarded = () => people.filter((person) => forwardedOf.has(person.extensionNumber));

  it('the first card reads the extension’s numbers and starts both reads; the short list is held within seconds', async () => {
    // The index: 5 pages of 2,000, built for the first lookup.
    await answer(stack, slackIdOf(admin), `/whois ${directNumber(people[0]!)}`);
    const first = people[100]!;
    const calls = await adminCallsDuring(async () =>
      expect(fieldsOf(await answer(stack, slackIdOf(admin), `/ext ${first.extensionNumber}`))).toContainEqual([
        'Extension',
        first.extensionNumber,
      ]),
    );
    expect(calls['listExtensionPhoneNumbers']).toBe(1);

    const services = stack.bot.services;
    // The whole list's first page says it is long; the short list is read next.
    await expect.poll(() => services.nonDirectNumbers.loading(requester()) ?? services.nonDirectNumbers.get(requester())).toBeDefined();
    await services.nonDirectNumbers.loading(requester())?.promise;
    const short = services.nonDirectNumbers.get(requester());
    expect(short?.byNumber.size).toBe(stack.sandbox.seed.phoneNumbers.filter((number) => number.usageType !== 'DirectNumber').length);
    expect(services.companyNumbers.get(requester()), 'the whole list, 8 pages at 6 a minute, is still being read').toBeUndefined();
  });

  it('then a cold card costs no call for its numbers, and shows exactly what RingCentral lists, a forwarded number included', async () => {
    const person = forwarded()[0]!;
    let numbers: string[] = [];
    const calls = await adminCallsDuring(async () => {
      numbers = telNumbersOf(await answer(stack, slackIdOf(admin), `/ext ${person.extensionNumber}`));
    });
    expect(calls['listExtensions']).toBe(1);
    expect(calls['listExtensionPhoneNumbers'] ?? 0).toBe(0);
    expect(numbers).toContain(forwardedOf.get(person.extensionNumber)!.phoneNumber);
    expect(new Set(numbers)).toEqual(await numbersOnAdministratorsCard(stack.sandbox, oracleToken, person.id));
  });

  it('a short list gone stale still answers while it is read again, for an index RingCentral has just confirmed', async () => {
    const services = stack.bot.services;
    const readAt = services.nonDirectNumbers.get(requester())!.checkedAt;
    await new Promise((resolve) => setTimeout(resolve, FRESH_SECONDS * 1000 + 200));
    // A /whois on the stale index answers from it and has RingCentral confirm it (304s) in the background.
    await answer(stack, slackIdOf(admin), `/whois ${directNumber(people[200]!)}`);
    await services.indexes.loading(requester());
    expect(Date.now() - services.indexes.get(requester())!.checkedAt).toBeLessThan(FRESH_SECONDS * 1000);
    expect(services.nonDirectNumbers.get(requester())!.checkedAt).toBe(readAt);

    const person = forwarded()[1]!;
    let numbers: string[] = [];
    const calls = await adminCallsDuring(async () => {
      numbers = telNumbersOf(await answer(stack, slackIdOf(admin), `/ext ${person.extensionNumber}`));
    });
    expect(calls['listExtensionPhoneNumbers'] ?? 0).toBe(0);
    expect(new Set(numbers)).toEqual(await numbersOnAdministratorsCard(stack.sandbox, oracleToken, person.id));
    // Read again in the background, on its pace: the Heavy slots this minute's reads left may make it wait a minute.
    expect(services.nonDirectNumbers.loading(requester()), 'the short list is being read again').toBeDefined();
    expect((await stack.control.stats()).rateLimited).toBe(0);
  });
});

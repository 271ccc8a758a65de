import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseMessage } from '../../../src/demo/local-slack.ts';
import type { DirectoryEntry } from '../../../src/api/schemas.ts';
import { searchByName } from '../../../src/handlers/name-search.ts';
import { inDirectory } from '../../../src/sandbox/rules.ts';
import type { SeedExtension } from '../../../src/sandbox/seed.ts';
import { accountJson, api, loginAs, numbersOnAdministratorsCard } from '../../support/sandbox.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import {
  answer,
  fieldsOf,
  linkUser,
  nextAnswer,
  readableText,
  startSlackTestStack,
  telNumbersOf,
  titleOf,
} from '../../support/slack-stack.ts';
import { linkGeneratedRequesters, slackIdOf } from '../../support/generated-requesters.ts';

/*
 * A 100,000-extension company under RingCentral's real limits (Medium 40 a minute per user): its directory is 50 pages
 * of 2,000, more than one minute's budget. A requester's first /whois and first name search must still be answered at
 * once and never with "busy": from RingCentral's directory search, with the requester's own token, while their index
 * is built in the background inside their budget. Generating and serving the company takes about 6 s.
 */

const EXTENSIONS = 100_000;
// The background build takes 30 pages at once (10 Medium slots stay free for commands), the other 20 a window later.
const INDEX_BUILT_WITHIN_MS = 200_000;

let stack: SlackTestStack;
let admin: SeedExtension;
let standard: SeedExtension;

interface Person {
  extension: SeedExtension;
  directNumber: string;
}

/** People the directory shows, with a direct number; picked from the generated data, not written into the test. */
let people: Person[];

beforeAll(async () => {
  stack = await startSlackTestStack({ sandbox: { generate: EXTENSIONS, rateLimits: 'default' } });
  const seed = stack.sandbox.seed;
  ({ admin, standard } = await linkGeneratedRequesters(stack, seed));
  const numberOf = new Map(
    seed.phoneNumbers
      .filter((number) => number.usageType === 'DirectNumber' && number.extensionNumber !== undefined)
      .map((number) => [number.extensionNumber!, number.phoneNumber]),
  );
  people = seed.extensions
    .filter(
      (extension) =>
        extension.type === 'User' &&
        inDirectory(extension) &&
        numberOf.has(extension.extensionNumber) &&
        extension !== admin &&
        extension !== standard,
    )
    .slice(1000, 1011)
    .map((extension) => ({ extension, directNumber: numberOf.get(extension.extensionNumber)! }));
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const nameOf = (extension: SeedExtension) => `${extension.contact?.firstName} ${extension.contact?.lastName}`;
const requesterOf = (extension: SeedExtension) => ({ accountId: String(stack.sandbox.seed.account.id), extensionId: String(extension.id) });

/** Neither "RingCentral is busy" (a 429) nor "Too many lookups" (our pacing), nor any other failure notice. */
function expectNotBusy(message: ResponseMessage): void {
  expect(titleOf(message)).not.toMatch(/RingCentral is busy|Too many lookups|unreachable|unavailable|went wrong/i);
}

/** How many people of the directory both words name: what a name search must list, read from the data. */
function expectedMatches(first: string, last: string): number {
  return stack.sandbox.seed.extensions.filter(
    (extension) => inDirectory(extension) && extension.contact?.firstName === first && extension.contact?.lastName === last,
  ).length;
}

describe.each([
  ['administrator', () => admin, 0],
  ['standard user', () => standard, 1],
] as const)('a 100,000-extension company, as its %s', (_role, viewer, personIndex) => {
  const slackUserId = () => slackIdOf(viewer());
  it('the first /whois is answered at once, from one directory search, without waiting for the index', async () => {
    const person = people[personIndex]!;
    const before = await stack.control.stats();
    const started = performance.now();
    const message = await answer(stack, slackUserId(), `/whois ${person.directNumber}`);
    const elapsedMs = performance.now() - started;
    expectNotBusy(message);
    expect(fieldsOf(message)).toContainEqual(['Belongs to', nameOf(person.extension)]);
    expect(elapsedMs).toBeLessThan(3000);

    const after = await stack.control.stats();
    const calls = (operation: string) =>
      (after.byUser[String(viewer().id)]?.[operation] ?? 0) - (before.byUser[String(viewer().id)]?.[operation] ?? 0);
    expect(calls('searchDirectoryEntries')).toBe(1);
    // Whatever the background build has sent so far stays inside the user's budget, with slots left for commands.
    expect(calls('listDirectoryEntries')).toBeLessThanOrEqual(30);
    expect(after.rateLimited).toBe(0);

    // Beside an administrator's index, the short list of every number but direct ones (one Heavy page) for their cards
    // once it is built; nothing asked for the whole list yet. A standard user, whom RingCentral refuses it, reads none.
    const services = stack.bot.services;
    await services.nonDirectNumbers.loading(requesterOf(viewer()))?.promise;
    expect(services.companyNumbers.loading(requesterOf(viewer()))).toBeUndefined();
    if (viewer() === admin) expect(services.nonDirectNumbers.get(requesterOf(admin))?.byNumber.size).toBeGreaterThan(500);
    else expect(services.nonDirectNumbers.get(requesterOf(standard))).toBeUndefined();
  });

  it('the first name search is answered from directory search, listing every match the directory holds', async () => {
    const person = people[personIndex + 2]!.extension;
    const first = person.contact!.firstName!;
    const last = person.contact!.lastName!;
    const message = await answer(stack, slackUserId(), `/ext ${first} ${last}`);
    expectNotBusy(message);
    const expected = expectedMatches(first, last);
    if (expected === 1) expect(titleOf(message)).toBe(`${first} ${last}`);
    else expect(readableText(message)).toContain(`of ${expected}`);
    expect((await stack.control.stats()).rateLimited).toBe(0);
  });

  it('a burst of lookups while the index is built in the background is all answered, never with "busy"', async () => {
    for (const person of people.slice(4 + personIndex * 3, 7 + personIndex * 3)) {
      const message = await answer(stack, slackUserId(), `/whois ${person.directNumber}`);
      expectNotBusy(message);
      expect(fieldsOf(message)).toContainEqual(['Belongs to', nameOf(person.extension)]);
      // By email: a Medium-group call, the group the background build spends; the build leaves room for it.
      const byEmail = await answer(stack, slackUserId(), `/ext ${person.extension.contact!.email}`);
      expectNotBusy(byEmail);
      expect(titleOf(byEmail)).toBe(nameOf(person.extension));
    }
    expect((await stack.control.stats()).rateLimited).toBe(0);
  });

  it('a number the directory does not list is answered at once, never with "busy"; an administrator is told the company list is still being read', async () => {
    const started = performance.now();
    const message = await answer(stack, slackUserId(), '/whois +1 415 555 0199');
    expect(performance.now() - started).toBeLessThan(3000);
    expectNotBusy(message);
    expect(titleOf(message)).toBe('(415) 555-0199 is not in your company directory');
    // Some 74,000 numbers: 75 Heavy pages at RingCentral's 10 a minute, read in the background.
    if (viewer() === admin) expect(readableText(message)).toMatch(/still reading your company’s full number list.*of 7\d pages/);
    else expect(readableText(message)).not.toMatch(/still reading/);
    expect((await stack.control.stats()).rateLimited).toBe(0);
  });
});

describe('a word thousands of directory entries hold, asked before the index is built', () => {
  // A colleague new to Switchboard, with a Heavy budget of their own: the rows above spend most of the others'.
  let newcomer: SeedExtension;
  // Their own login for asking RingCentral directly: one token exchange (the Auth group allows 5 a minute).
  let newcomerToken: string;

  beforeAll(async () => {
    newcomer = stack.sandbox.seed.extensions.find(
      (extension) =>
        extension.type === 'User' && extension.status === 'Enabled' && !extension.admin && !extension.hidden && extension !== standard,
    )!;
    await linkUser(stack, slackIdOf(newcomer), newcomer.extensionNumber);
    newcomerToken = (await loginAs(stack.sandbox, newcomer.extensionNumber)).access_token;
  });

  /** The first page of RingCentral's search for a word, as it answers the newcomer themselves, and how many it found. */
  async function searchAsNewcomer(word: string, perPage: number): Promise<{ records: DirectoryEntry[]; found: number }> {
    const response = await api(stack.sandbox, newcomerToken, '/restapi/v1.0/account/~/directory/entries/search', {
      body: { searchString: word, searchFields: ['firstName', 'lastName', 'email'], perPage },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { records: DirectoryEntry[]; paging: { totalElements: number } };
    return { records: body.records, found: body.paging.totalElements };
  }

  const entriesHolding = async (word: string) => (await searchAsNewcomer(word, 1)).found;

  it('lists the matches among the first page of the search, in one Heavy call, saying how many entries hold the word', async () => {
    const found = await entriesHolding('a');
    expect(found, 'more entries than three search pages hold').toBeGreaterThan(3000);
    const mine = async (operation: string) => (await stack.control.stats()).byUser[String(newcomer.id)]?.[operation] ?? 0;
    const searchesBefore = await mine('searchDirectoryEntries');

    const message = await answer(stack, slackIdOf(newcomer), '/ext a');
    expectNotBusy(message);
    expect(titleOf(message)).toBe('Extensions matching “a”');
    // Never "of 420" alone, as if that were every Aiden, Aisha and Alvarez of 100,000 people.
    expect(readableText(message)).toContain(`first 1,000 of the ${found.toLocaleString('en-US')} directory entries holding “a”`);
    expect((await mine('searchDirectoryEntries')) - searchesBefore).toBe(1);
  });

  it('says no match is known yet, rather than "nothing found", when the other words match none of that first page', async () => {
    const found = await entriesHolding('mar');
    expect(found).toBeGreaterThan(3000);
    const message = await answer(stack, slackIdOf(newcomer), '/ext mar qx');
    expectNotBusy(message);
    expect(titleOf(message)).toBe('Nothing found yet for “mar qx”');
    expect(readableText(message)).toContain(`first 1,000 of the ${found.toLocaleString('en-US')} directory entries holding “mar”`);
    expect(readableText(message)).toContain('None of them matches.');
    expect((await stack.control.stats()).rateLimited).toBe(0);
  });

  it('lists one match among that first page rather than opening its card: the person meant may be on a page not read', async () => {
    const { records } = await searchAsNewcomer('mar', 1000);
    // A second word that only one entry of that page also holds, by the bot's own name rules; shorter than "mar", so
    // "mar" is still the word searched.
    const second = [
      ...new Set(records.flatMap((entry) => [entry.firstName, entry.lastName]).map((name) => name?.slice(0, 2).toLowerCase())),
    ]
      .filter((prefix): prefix is string => prefix !== undefined && prefix.length === 2)
      .find((prefix) => searchByName(records, ['mar', prefix]).length === 1);
    expect(second, 'a two-letter start only one entry of the page has').toBeDefined();

    const message = await answer(stack, slackIdOf(newcomer), `/ext mar ${second}`);
    expectNotBusy(message);
    expect(titleOf(message)).toBe(`Extensions matching “mar ${second}”`);
    expect(readableText(message)).toContain('Showing 1–1 of 1');
    expect(readableText(message)).toContain('These are the matches among them.');
  });

  it(
    'a burst of distinct /ext <number> past every budget is all answered: what no budget pays for now waits for the index',
    { timeout: INDEX_BUILT_WITHIN_MS },
    async () => {
      // More cards than a minute's Light budget (about 25 full cards) and Heavy budget (10 searches) answer together.
      const BURST = 60;
      const asked = stack.sandbox.seed.extensions
        .filter(
          (extension) =>
            extension.type === 'User' &&
            extension.status === 'Enabled' &&
            inDirectory(extension) &&
            ![admin, standard, newcomer].includes(extension),
        )
        .slice(2000, 2000 + BURST);
      const mine = async (operation: string) => (await stack.control.stats()).byUser[String(newcomer.id)]?.[operation] ?? 0;
      const searchesBefore = await mine('searchDirectoryEntries');
      const rateLimitedBefore = (await stack.control.stats()).rateLimited;
      expect(stack.bot.services.indexes.get(requesterOf(newcomer)), 'the index is still being built').toBeUndefined();

      // Typed in quick succession: every command is acknowledged before the first answers arrive.
      const channels = [];
      for (const person of asked) {
        const { ack, channel } = await stack.ask(slackIdOf(newcomer), `/ext ${person.extensionNumber}`);
        expect(ack.status).toBe(200);
        channels.push(channel);
      }
      const answers = await Promise.all(channels.map((channel) => nextAnswer(channel, INDEX_BUILT_WITHIN_MS)));

      answers.forEach((message, position) => {
        expect(titleOf(message), `answer ${position + 1}`).toBe(nameOf(asked[position]!));
        expect(fieldsOf(message)).toContainEqual(['Extension', asked[position]!.extensionNumber]);
      });
      const searches = (await mine('searchDirectoryEntries')) - searchesBefore;
      const fullCards = answers.filter((message) => !readableText(message).includes('From the company directory')).length;
      expect(searches, 'RingCentral allows 10 searches a minute').toBeLessThanOrEqual(10);
      // Neither the minute's full cards nor its searches answered them all: the rest came once the index was built.
      expect(fullCards + searches).toBeLessThan(BURST);
      expect(stack.bot.services.indexes.get(requesterOf(newcomer))?.entries.length).toBeGreaterThan(90_000);
      expect((await stack.control.stats()).rateLimited).toBe(rateLimitedBefore);
    },
  );
});

describe('once the index is built in the background', () => {
  it(
    'lookups answer from the index: no search, no directory page, and no 429 on the way',
    { timeout: INDEX_BUILT_WITHIN_MS + 30_000 },
    async () => {
      const indexes = stack.bot.services.indexes;
      for (const viewer of [admin, standard]) await indexes.loading(requesterOf(viewer));
      expect(indexes.get(requesterOf(admin))?.entries.length).toBeGreaterThan(90_000);
      expect(indexes.get(requesterOf(standard))?.entries.length).toBe(indexes.get(requesterOf(admin))?.entries.length);

      const before = await stack.control.stats();
      const person = people[9]!;
      const message = await answer(stack, slackIdOf(standard), `/whois ${person.directNumber}`);
      expect(fieldsOf(message)).toContainEqual(['Belongs to', nameOf(person.extension)]);
      const after = await stack.control.stats();
      // The standard user's own calls: a newcomer's index may still be on its way in the background.
      const mine = (stats: typeof after, operation: string) => stats.byUser[String(standard.id)]?.[operation] ?? 0;
      const calls = (operation: string) => mine(after, operation) - mine(before, operation);
      expect(calls('searchDirectoryEntries')).toBe(0);
      expect(calls('listDirectoryEntries')).toBe(0);
      expect(after.rateLimited).toBe(0);
    },
  );

  it("an administrator's cold card while their company number list is still read: one call beside presence, the entry's direct numbers and the short list's others, exactly what RingCentral lists", async () => {
    const seed = stack.sandbox.seed;
    const services = stack.bot.services;
    // Some 78 Heavy pages at RingCentral's 10 a minute: minutes from done. The list of the other numbers is one page.
    expect(services.companyNumbers.get(requesterOf(admin)), 'the whole list is still being read').toBeUndefined();
    await services.nonDirectNumbers.loading(requesterOf(admin))?.promise;
    expect(services.nonDirectNumbers.get(requesterOf(admin))?.byNumber.size).toBeGreaterThan(500);

    const withUsage = (usageType: string) =>
      new Map(seed.phoneNumbers.filter((number) => number.usageType === usageType).map((number) => [number.extensionNumber, number]));
    const direct = withUsage('DirectNumber');
    const forwardedNumbers = withUsage('ForwardedNumber');
    const candidates = seed.extensions.filter(
      (extension) => extension.type === 'User' && inDirectory(extension) && direct.has(extension.extensionNumber) && extension !== admin,
    );
    // Nobody asked about either: the last with an outside number forwarded to them, and the last without.
    const forwarded = candidates.filter((extension) => forwardedNumbers.has(extension.extensionNumber)).at(-1)!;
    const directOnly = candidates.filter((extension) => !forwardedNumbers.has(extension.extensionNumber)).at(-1)!;
    const token = (await loginAs(stack.sandbox, admin.extensionNumber)).access_token;

    for (const person of [forwarded, directOnly]) {
      const before = await stack.control.stats();
      const message = await answer(stack, slackIdOf(admin), `/ext ${person.extensionNumber}`);
      const after = await stack.control.stats();
      const mine = (stats: typeof after, operation: string) => stats.byUser[String(admin.id)]?.[operation] ?? 0;
      const calls = (operation: string) => mine(after, operation) - mine(before, operation);
      expect(titleOf(message)).toBe(nameOf(person));
      expect(calls('listExtensions')).toBe(1);
      expect(calls('readUserPresenceStatus')).toBe(1);
      expect(calls('listExtensionPhoneNumbers')).toBe(0);
      expect(calls('readExtension')).toBe(0);

      const shown = await numbersOnAdministratorsCard(stack.sandbox, token, person.id);
      if (person === forwarded) expect(shown).toContain(forwardedNumbers.get(forwarded.extensionNumber)!.phoneNumber);
      expect(new Set(telNumbersOf(message))).toEqual(shown);
    }
    expect((await stack.control.stats()).rateLimited).toBe(0);
  });

  it("a cold /ext <number> reads the record beside its presence (by the id the index knows), takes the numbers from the index's entry, and shows a standard user exactly what RingCentral shows them", async () => {
    const person = people[10]!.extension; // asked about by nobody before
    const before = await stack.control.stats();
    const message = await answer(stack, slackIdOf(standard), `/ext ${person.extensionNumber}`);
    const after = await stack.control.stats();
    const mine = (stats: typeof after, operation: string) => stats.byUser[String(standard.id)]?.[operation] ?? 0;
    const calls = (operation: string) => mine(after, operation) - mine(before, operation);
    expect(calls('listExtensions')).toBe(1);
    expect(calls('readExtension')).toBe(0);
    expect(calls('listExtensionPhoneNumbers')).toBe(0);

    // The oracle: RingCentral's record and numbers of that person, read with a login of the standard user themselves.
    const token = (await loginAs(stack.sandbox, standard.extensionNumber)).access_token;
    const record = await accountJson(stack.sandbox, token, `/extension/${person.id}`);
    const numbers = (
      (await accountJson(stack.sandbox, token, `/extension/${person.id}/phone-number`)).records as Array<{ phoneNumber: string }>
    ).map((number) => number.phoneNumber);
    expect(titleOf(message)).toBe(record.name);
    expect(new Set(telNumbersOf(message))).toEqual(new Set(numbers));
    const contact = record.contact as Record<string, string | undefined>;
    const field = (label: string) => fieldsOf(message).find(([name]) => name === label)?.[1];
    expect(field('Extension')).toBe(record.extensionNumber);
    for (const [label, value] of [
      ['Email', contact.email],
      ['Job title', contact.jobTitle],
      ['Department', contact.department],
      ['Company', contact.company],
    ] as const) {
      expect(field(label), label).toBe(value);
    }
    expect(field('Mobile phone'), "a colleague's mobile is not shown to a standard user").toBeUndefined();
  });
});

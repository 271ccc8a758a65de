import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedExtension, SeedPhoneNumber } from '../../../src/sandbox/seed.ts';
import { accountJson, loginAs, numbersOnAdministratorsCard } from '../../support/sandbox.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import { answer, fieldsOf, linkUser, readableText, startSlackTestStack, telNumbersOf, titleOf } from '../../support/slack-stack.ts';
import { linkGeneratedRequesters, slackIdOf } from '../../support/generated-requesters.ts';

/*
 * An administrator's /whois of a number the directory does not list needs the company's whole number list
 * (listAccountPhoneNumbers: Heavy, 10 a minute, 1,000 a page). A list longer than 3 pages is read in the background:
 * meanwhile such a number is answered at once, saying the list is still being read, and never with "busy"; once it is
 * read, the number is found, a hidden colleague's included, at no further list call.
 */

// About 3,700 numbers: 4 pages, one more than an administrator's lookup reads itself.
const EXTENSIONS = 5_000;
const OUTSIDE_NUMBER = '+1 415 555 0199';

let stack: SlackTestStack;
let admin: SeedExtension;
let standard: SeedExtension;
let hidden: { extension: SeedExtension; number: SeedPhoneNumber };
/** The administrator's own login, for asking RingCentral what it shows them (its calls count as theirs). */
let oracleToken: string;

beforeAll(async () => {
  stack = await startSlackTestStack({ sandbox: { generate: EXTENSIONS, rateLimits: 'default' } });
  const seed = stack.sandbox.seed;
  ({ admin, standard } = await linkGeneratedRequesters(stack, seed));
  oracleToken = (await loginAs(stack.sandbox, admin.extensionNumber)).access_token;
  hidden = seed.extensions.flatMap((extension) => {
    const number = seed.phoneNumbers.find((candidate) => candidate.extensionNumber === extension.extensionNumber);
    return extension.hidden && extension.type === 'User' && number !== undefined ? [{ extension, number }] : [];
  })[0]!;
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const requesterOf = (extension: SeedExtension) => ({ accountId: String(stack.sandbox.seed.account.id), extensionId: String(extension.id) });
const listCallsOf = async (extension: SeedExtension) =>
  (await stack.control.stats()).byUser[String(extension.id)]?.['listAccountPhoneNumbers'] ?? 0;

describe("an administrator's number the directory does not list, in a company of 4 pages of numbers", () => {
  it('is answered at once while the list is read in the background, saying so, never with "busy"', async () => {
    const started = performance.now();
    const message = await answer(stack, slackIdOf(admin), `/whois ${OUTSIDE_NUMBER}`);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(titleOf(message)).toBe('(415) 555-0199 is not in your company directory');
    expect(readableText(message)).toMatch(/still reading your company’s full number list.*\(1 of 4 pages.*Ask again in 3 seconds/);
    expect((await stack.control.stats()).rateLimited).toBe(0);
  });

  it('a standard user gets the one plain "not found" and reads no number list (RingCentral would refuse them)', async () => {
    const message = await answer(stack, slackIdOf(standard), `/whois ${OUTSIDE_NUMBER}`);
    expect(titleOf(message)).toBe('(415) 555-0199 is not in your company directory');
    expect(readableText(message)).not.toMatch(/still reading/);
    expect(await listCallsOf(standard)).toBe(0);
  });

  it('once read, the outside number gets the final answer and a hidden colleague’s number names them; every page was read once', async () => {
    await stack.bot.services.companyNumbers.loading(requesterOf(admin))?.promise;
    const listCalls = await listCallsOf(admin);
    // The oracle: how many pages RingCentral's list has (this call counts for the administrator too, so after the above).
    const pages = (await accountJson(stack.sandbox, oracleToken, '/phone-number?perPage=1000')).paging.totalPages as number;
    expect(pages).toBe(4);

    const outside = await answer(stack, slackIdOf(admin), `/whois ${OUTSIDE_NUMBER}`);
    expect(titleOf(outside)).toBe('(415) 555-0199 is not in your company directory');
    expect(readableText(outside)).not.toMatch(/still reading/);

    const owned = await answer(stack, slackIdOf(admin), `/whois ${hidden.number.phoneNumber}`);
    const person = hidden.extension;
    expect(fieldsOf(owned)).toContainEqual(['Belongs to', `${person.contact?.firstName} ${person.contact?.lastName}`]);

    // The bot read each page once, and the answers after the read cost no list call.
    expect(listCalls).toBe(pages);
    expect(await listCallsOf(admin)).toBe(pages + 1);
    expect((await stack.control.stats()).rateLimited).toBe(0);
  });

  it("with the list read, an administrator's cold card costs one call beside presence, with exactly the numbers RingCentral lists for that extension", async () => {
    const seed = stack.sandbox.seed;
    const withNumbers = (extension: SeedExtension) =>
      seed.phoneNumbers.filter((number) => number.extensionNumber === extension.extensionNumber).length >= 1;
    // Someone nobody asked about: the last enabled user of the company with a number of their own.
    const person = seed.extensions
      .filter((extension) => extension.type === 'User' && extension.status === 'Enabled' && withNumbers(extension))
      .at(-1)!;
    const before = await stack.control.stats();
    const message = await answer(stack, slackIdOf(admin), `/ext ${person.extensionNumber}`);
    const after = await stack.control.stats();
    const mine = (stats: typeof after) => stats.byUser[String(admin.id)] ?? {};
    const calls = Object.fromEntries(
      Object.entries(mine(after))
        .map(([operation, count]) => [operation, count - (mine(before)[operation] ?? 0)] as const)
        .filter(([, count]) => count > 0),
    );
    expect(calls).toEqual({ listExtensions: 1, readUserPresenceStatus: 1 });

    // The oracle: what RingCentral shows this administrator of that extension; one of its own numbers at least.
    const shown = await numbersOnAdministratorsCard(stack.sandbox, oracleToken, person.id);
    const own = seed.phoneNumbers.filter((number) => number.extensionNumber === person.extensionNumber && shown.has(number.phoneNumber));
    expect(own.length).toBeGreaterThan(0);
    expect(new Set(telNumbersOf(message))).toEqual(shown);
  });

  it("the standard user still cannot learn the hidden colleague's number exists", async () => {
    const message = await answer(stack, slackIdOf(standard), `/whois ${hidden.number.phoneNumber}`);
    expect(titleOf(message)).toMatch(/is not in your company directory$/);
    expect(readableText(message)).not.toContain(hidden.extension.contact?.lastName ?? '');
  });
});

describe('an administrator whose role may not read the company number list (RingCentral answers 403)', () => {
  let seedStack: SlackTestStack;

  beforeAll(async () => {
    seedStack = await startSlackTestStack();
    await linkUser(seedStack, 'U101', '101');
  });

  afterAll(async () => {
    await seedStack?.close();
  });

  it('gets the plain "not found" for a number the directory does not list, and cards from each extension\'s own list; the list is not asked again', async () => {
    await seedStack.control.faults({ kind: 'forbidden', operation: 'listAccountPhoneNumbers', count: 5 });
    const outside = await answer(seedStack, 'U101', `/whois ${OUTSIDE_NUMBER}`);
    expect(titleOf(outside)).toBe('(415) 555-0199 is not in your company directory');
    expect(readableText(outside)).not.toMatch(/still reading|went wrong|permission/i);

    const card = await answer(seedStack, 'U101', '/ext 102');
    expect(fieldsOf(card)).toContainEqual(['Extension', '102']);
    expect(telNumbersOf(card)).toContain('+16503316252');
    const again = await answer(seedStack, 'U101', '/whois +1 415 555 0198');
    expect(titleOf(again)).toBe('(415) 555-0198 is not in your company directory');

    const stats = await seedStack.control.stats();
    expect(stats.byOperation['listAccountPhoneNumbers']).toBe(1);
    expect(stats.byOperation['listExtensionPhoneNumbers']).toBeGreaterThanOrEqual(1);
  });
});

describe('a /whois that joins the read a card started, when the Heavy budget leaves background pages no slot', () => {
  let tight: SlackTestStack;
  let tightAdmin: SeedExtension;

  beforeAll(async () => {
    // RingCentral allowing 4 Heavy calls a minute: the pace keeps that many for the user's own searches, so no page of a
    // background read goes out.
    tight = await startSlackTestStack({ sandbox: { generate: EXTENSIONS, rateLimits: { limits: { Heavy: 4 } } } });
    ({ admin: tightAdmin } = await linkGeneratedRequesters(tight, tight.sandbox.seed));
  }, 60_000);

  afterAll(async () => {
    await tight?.close();
  });

  it('is answered at once with how far the read has come, not left waiting for the whole list', async () => {
    const colleague = tight.sandbox.seed.extensions.find((extension) => extension.type === 'User' && extension !== tightAdmin)!;
    // The company card counts the numbers with Heavy calls: what RingCentral's answers say is left, the bot now knows.
    expect(titleOf(await answer(tight, slackIdOf(tightAdmin), '/switchboard company'))).toBeTruthy();
    // The card starts the list's read for the cards after; its first page, read at once, says the list is 4 pages.
    expect(fieldsOf(await answer(tight, slackIdOf(tightAdmin), `/ext ${colleague.extensionNumber}`))).toContainEqual([
      'Extension',
      colleague.extensionNumber,
    ]);
    const started = performance.now();
    const message = await answer(tight, slackIdOf(tightAdmin), `/whois ${OUTSIDE_NUMBER}`);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(titleOf(message)).toBe('(415) 555-0199 is not in your company directory');
    expect(readableText(message)).toMatch(/still reading your company’s full number list.*\(1 of 4 pages/);
    expect((await tight.control.stats()).rateLimited).toBe(0);
  });
});

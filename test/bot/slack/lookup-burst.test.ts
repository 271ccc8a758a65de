import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseMessage } from '../../../src/demo/local-slack.ts';
import { inDirectory } from '../../../src/sandbox/rules.ts';
import type { SeedExtension } from '../../../src/sandbox/seed.ts';
import { scrape, total } from '../../observability/prometheus-text.ts';
import { accountJson, loginAs } from '../../support/sandbox.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import { linkGeneratedRequesters, slackIdOf } from '../../support/generated-requesters.ts';
import { answer, fieldsOf, readableText, startSlackTestStack, telNumbersOf, titleOf } from '../../support/slack-stack.ts';

/*
 * One person's burst of 100 distinct /ext <number> in under a minute, under RingCentral's real limits (Light 50 a
 * minute per user). A full card reads the record, the numbers and the presence (one Medium and two Light calls), so
 * about 25 fit a minute. A standard user's others are answered from the directory entry RingCentral already showed
 * them, saying so. An administrator's card takes its numbers from the company number list (no Light call), so about
 * 40 fit; the rest are held back with the plain "many lookups" answer. Nobody meets a 429.
 */

const BURST = 100;

let stack: SlackTestStack;
let admin: SeedExtension;
let standard: SeedExtension;
/** Enabled people the directory shows, other than the two requesters: the burst asks about each once per role. */
let people: SeedExtension[];

beforeAll(async () => {
  // 1,500 extensions: one directory page, so each requester's index is built at their first lookup.
  stack = await startSlackTestStack({ sandbox: { generate: 1500, rateLimits: 'default' } });
  const seed = stack.sandbox.seed;
  ({ admin, standard } = await linkGeneratedRequesters(stack, seed));
  people = seed.extensions.filter(
    (extension) =>
      inDirectory(extension) &&
      extension.status === 'Enabled' &&
      extension.type === 'User' &&
      extension !== admin &&
      extension !== standard,
  );
  expect(people.length).toBeGreaterThanOrEqual(2 * BURST);
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const nameOf = (extension: SeedExtension) => extension.name ?? `${extension.contact?.firstName} ${extension.contact?.lastName}`;
// Allows 50 when the Light group (numbers, presence) is spent first, 40 when the Medium group (the record) is.
const DIRECTORY_NOTE = /From the company directory: you've made many lookups in a minute \(RingCentral allows (50|40)\)/;
const HELD_BACK = 'Too many lookups';

/** Asks about each person in turn, as fast as answers come, from a requester's first command on. */
async function burst(requester: SeedExtension, asked: readonly SeedExtension[]): Promise<ResponseMessage[]> {
  const started = performance.now();
  const answers: ResponseMessage[] = [];
  for (const person of asked) answers.push(await answer(stack, slackIdOf(requester), `/ext ${person.extensionNumber}`));
  expect(performance.now() - started, 'the burst fits one minute').toBeLessThan(60_000);
  return answers;
}

describe(`${BURST} distinct /ext <number> in one minute`, () => {
  it('a standard user: every one answered, full cards while the budget lasts and then the directory entry, saying so; no 429', async () => {
    const asked = people.slice(0, BURST);
    // The oracle first (the burst spends this user's budget): what RingCentral's directory shows them of the last one.
    const token = (await loginAs(stack.sandbox, standard.extensionNumber)).access_token;
    const entry = await accountJson(stack.sandbox, token, `/directory/entries/${asked[BURST - 1]!.id}`);
    const directoryNumbers = ((entry.phoneNumbers as Array<{ phoneNumber: string }> | undefined) ?? []).map((number) => number.phoneNumber);
    const before = await stack.control.stats();
    const answers = await burst(standard, asked);

    const full = answers.filter((message) => !DIRECTORY_NOTE.test(readableText(message)));
    const fromDirectory = answers.filter((message) => DIRECTORY_NOTE.test(readableText(message)));
    answers.forEach((message, index) => {
      expect(titleOf(message), `answer ${index + 1}`).toBe(nameOf(asked[index]!));
      expect(fieldsOf(message)).toContainEqual(['Extension', asked[index]!.extensionNumber]);
    });
    expect(full.length).toBeGreaterThanOrEqual(20);
    expect(fromDirectory.length).toBeGreaterThan(0);
    expect(full.length + fromDirectory.length).toBe(BURST);
    expect((await stack.control.stats()).rateLimited).toBe(before.rateLimited);
    // Operators see it: each directory card is counted as such, not as a plain "ok".
    const { samples } = await scrape(stack.bot.url);
    expect(total(samples, 'switchboard_commands_total', { command: 'ext', outcome: 'from-directory' })).toBe(fromDirectory.length);

    // A directory card shows what RingCentral's directory shows this user of that person: the same numbers.
    const lastIndex = BURST - 1;
    expect(DIRECTORY_NOTE.test(readableText(answers[lastIndex]!))).toBe(true);
    expect(new Set(telNumbersOf(answers[lastIndex]!))).toEqual(new Set(directoryNumbers));
    expect(readableText(answers[lastIndex]!)).not.toMatch(/Available|Offline|Busy|On a call/);
  });

  it('an administrator: full cards while RingCentral allows, then the plain "many lookups" answer, never a directory card; no 429', async () => {
    const asked = people.slice(BURST, 2 * BURST);
    const before = await stack.control.stats();
    const answers = await burst(admin, asked);

    const full = answers.filter((message) => titleOf(message) !== HELD_BACK);
    const heldBack = answers.filter((message) => titleOf(message) === HELD_BACK);
    expect(full.length).toBeGreaterThanOrEqual(20);
    expect(heldBack.length).toBeGreaterThan(0);
    expect(full.length + heldBack.length).toBe(BURST);
    for (const message of full) expect(readableText(message)).not.toMatch(DIRECTORY_NOTE);
    // An administrator's card takes its numbers from the company number list they hold: one Medium call (the record)
    // and one Light (presence) a card, so the Medium group's 40 a minute is the bound, not Light's 50 at two a card.
    expect(full.length).toBeGreaterThanOrEqual(35);
    expect(readableText(heldBack[0]!)).toMatch(/You've made many lookups in a minute; RingCentral allows 40\. Try again in \d+ s\./);
    expect((await stack.control.stats()).rateLimited).toBe(before.rateLimited);
  });
});

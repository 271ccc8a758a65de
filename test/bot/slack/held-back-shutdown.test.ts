import { afterAll, beforeAll, expect, it } from 'vitest';
import { inDirectory } from '../../../src/sandbox/rules.ts';
import type { SeedExtension } from '../../../src/sandbox/seed.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import { linkGeneratedRequesters, slackIdOf } from '../../support/generated-requesters.ts';
import { answer, fieldsOf, nextAnswer, readableText, startSlackTestStack, titleOf } from '../../support/slack-stack.ts';

/*
 * A standard user's card that no budget pays for waits for their directory index, built in the background. Here the
 * build cannot move (a Medium budget of 3 a minute never leaves the 10 slots it keeps free for commands), so the card
 * is still waiting when the bot is told to stop: it must answer at once ("many lookups") rather than outlast the grace
 * period and leave "Looking that up…" in the chat for good.
 */

// 12,000 extensions: 6 directory pages, more than the 5 read in the foreground, so the index is built in the background.
const EXTENSIONS = 12_000;
const GRACE_MS = 30_000;

let stack: SlackTestStack;
let standard: SeedExtension;
let people: SeedExtension[];
let directNumber: string;

beforeAll(async () => {
  stack = await startSlackTestStack({ sandbox: { generate: EXTENSIONS, rateLimits: 'default' } });
  const seed = stack.sandbox.seed;
  ({ standard } = await linkGeneratedRequesters(stack, seed));
  people = seed.extensions.filter(
    (extension) => extension.type === 'User' && extension.status === 'Enabled' && inDirectory(extension) && extension !== standard,
  );
  const extensionNumbers = new Set(people.map((person) => person.extensionNumber));
  directNumber = seed.phoneNumbers.find(
    (number) => number.usageType === 'DirectNumber' && number.extensionNumber !== undefined && extensionNumbers.has(number.extensionNumber),
  )!.phoneNumber;
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

it('a card waiting for the index when the bot stops is answered at once with "many lookups", and the bot stops', async () => {
  await stack.control.config({ rateLimits: { limits: { Medium: 3, Heavy: 1 } } });
  const user = slackIdOf(standard);
  // The first /whois reads the directory's first page (Medium), starts the background build and spends the one search.
  expect(fieldsOf(await answer(stack, user, `/whois ${directNumber}`)).map(([label]) => label)).toContain('Belongs to');
  // Two cards spend the rest of Medium (each reads the extension list by number).
  for (const person of people.slice(0, 2))
    expect(titleOf(await answer(stack, user, `/ext ${person.extensionNumber}`))).not.toBe('Too many lookups');

  const waiting = people[2]!;
  const { ack, channel } = await stack.ask(user, `/ext ${waiting.extensionNumber}`);
  expect(ack.status).toBe(200);
  expect(readableText(await channel.next()), 'the card waits, and says it is looking').toMatch(/Looking that up in RingCentral/);
  expect(stack.bot.services.indexes.isLoading({ accountId: String(stack.sandbox.seed.account.id), extensionId: String(standard.id) })).toBe(
    true,
  );

  const started = performance.now();
  const closing = stack.bot.close({ graceMs: GRACE_MS });
  const answered = await nextAnswer(channel, 10_000);
  expect(titleOf(answered)).toBe('Too many lookups');
  expect(readableText(answered)).toMatch(/You've made many lookups in a minute; RingCentral allows 3\. Try again in \d+ s\./);
  await closing;
  expect(performance.now() - started, 'stopped well inside its grace period').toBeLessThan(GRACE_MS / 3);
  await expect(stack.bot.close(), 'a second close joins the first').resolves.toBeUndefined();
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSlashCommand } from '../../../src/demo/slack-requests.ts';
import { hostileSnippets } from '../../support/card-arbitraries.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import { linkUser, messageProblems, nextAnswer, readableText, startSlackTestStack, titleOf } from '../../support/slack-stack.ts';

/*
 * 200 random inputs to each slash command, posted by linked users (an administrator and a standard user) through the
 * real endpoint, ten at a time: every one is acknowledged with 200, gets an answer on its response_url that Slack
 * would accept, and that answer is a friendly one: no internals, no "something went wrong", nothing logged as a
 * failure (which also means RingCentral never answered the bot with a 5xx or a 400).
 */

const RUNS = 20;
const BATCH = 10; // RUNS × BATCH = 200 inputs per command, BATCH in flight at once.

const slackEntity = fc.oneof(
  fc.constantFrom(
    '<!here>',
    '<!channel>',
    '<!everyone>',
    '<!subteam^S0123|@team>',
    '<#C0123|general>',
    '<@U101>',
    '<@U102|paul>',
    '<@U999999>',
    '<@W0XYZ>',
    '<mailto:paul.rivera@mycompany.com|paul.rivera@mycompany.com>',
    '<mailto:nobody@nowhere.example>',
    '<tel:+16503316252|+1 650 331 6252>',
    '<tel:garbage>',
    '<tel:>',
    '<https://evil.example|click>',
    '<!date^0^{_}|x>',
    '&lt;!channel&gt;',
    '&amp;',
    '&lt;',
    '&gt;',
  ),
  fc.stringMatching(/^<[@#!][A-Za-z0-9^|]{0,12}>$/),
);

const phoneLike = fc.oneof(
  fc.stringMatching(/^\+?[0-9 ().\-/]{1,30}$/),
  fc.stringMatching(/^(?:00|011|\+)[1-9][0-9]{1,16}$/),
  fc.stringMatching(/^\(?[2-9][0-9]{2}\)?[ .-]?[0-9]{3}[ .-]?[0-9]{4}(?: ?(?:x|ext\.?|#) ?[0-9]{1,9})?$/),
  fc.stringMatching(/^[0-9]{1,12}$/),
);

const word = fc.oneof(
  fc.constantFrom(
    '101',
    '102',
    'x101',
    'ext 103',
    'john',
    'smith j',
    'Smith, John',
    'paul.rivera@mycompany.com',
    'JOHN.SMITH@MYCOMPANY.COM',
    'help',
    'status',
    'link',
    'page:2',
    'page:0',
    'page:99999',
    '?',
    '/',
    '//',
    '%s',
    '%00',
    '${x}',
    '__proto__',
    'constructor',
    'null',
    '[]',
    '{}',
  ),
  fc.constantFrom(...hostileSnippets),
  slackEntity,
  phoneLike,
  fc.emailAddress(),
  fc.integer().map(String),
  fc.double().map(String),
);

/** Any text a person could type after a slash command (Slack allows a few thousand characters). */
const commandText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.array(word, { maxLength: 6 }).map((parts) => parts.join(' ')) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u200b', '\u202e', '\u3000'), maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('a', '1', ' ', '<!here>', '😀', '&amp;', '+1'), fc.integer({ min: 100, max: 3000 }))
      .map(([unit, times]) => unit.repeat(times)),
  },
);

const FORBIDDEN = [
  /Error:/,
  /^\s*at /m,
  /\bat \S+ \(/,
  /undefined/,
  /\[object /,
  /\bNaN\b/,
  /Something went wrong/,
  /RingCentral is unreachable/,
];

let stack: SlackTestStack;

beforeAll(async () => {
  stack = await startSlackTestStack();
  await linkUser(stack, 'U101', '101');
  await linkUser(stack, 'U103', '103');
});

afterAll(async () => {
  await stack?.close();
});

/** Posts one command with this text and checks its acknowledgement and answer. */
async function expectFriendlyAnswer(slackUserId: string, command: string, text: string): Promise<void> {
  const channel = stack.slack.newResponseChannel();
  const ack = await postSlashCommand(stack.target, {
    teamId: stack.slack.teamId,
    userId: slackUserId,
    command,
    text,
    responseUrl: channel.url,
  });
  const context = `${slackUserId} ${command} ${JSON.stringify(text)}`;
  expect(ack.status, context).toBe(200);
  expect(ack.body, context).toBe('');
  const message = await nextAnswer(channel);
  expect(messageProblems(message), context).toEqual([]);
  expect(titleOf(message).trim(), context).not.toBe('');
  const shown = `${message.text ?? ''}\n${readableText(message)}`;
  for (const pattern of FORBIDDEN) {
    // An input may contain such a word itself and be echoed ("Nothing found for “undefined”").
    if (!pattern.test(text)) expect(shown, `${context} → ${pattern}`).not.toMatch(pattern);
  }
}

function expectNothingLoggedAsFailure(): void {
  const failures = stack.logs.filter((line) => line.level === 'warn' || line.level === 'error');
  expect(failures.map((line) => `${line.level} ${line.message} ${JSON.stringify(line.fields)}`)).toEqual([]);
}

describe.each(['/ext', '/whois', '/myforwarding', '/switchboard'])('200 random inputs to %s', (command) => {
  it('are all acknowledged with 200 and get a friendly, valid answer; nothing fails on the way', async () => {
    let inputs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(commandText, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        inputs += batch.length;
        await Promise.all(batch.map((text, index) => expectFriendlyAnswer(index % 2 === 0 ? 'U101' : 'U103', command, text)));
      }),
      { numRuns: RUNS },
    );
    expect(inputs).toBeGreaterThanOrEqual(RUNS * BATCH);
    expectNothingLoggedAsFailure();
  }, 120_000);
});

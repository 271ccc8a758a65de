import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../../../src/bot/teams/adaptive.ts';
import { messageText } from '../../../src/bot/teams/message-action.ts';
import type { TeamsDialogAnswer } from '../../../src/demo/demo-stack.ts';
import { DEMO_TEAMS_CONVERSATIONS, teamsConnectUrlOf } from '../../../src/demo/demo-stack.ts';
import type { LocalTeamsUser, PostedActivity } from '../../../src/demo/local-teams.ts';
import { adaptiveCardProblems, TEAMS_MESSAGE_BYTES } from '../../support/adaptive-card.ts';
import { control } from '../../support/sandbox.ts';
import type { TeamsTestStack } from '../../support/teams-stack.ts';
import {
  answer,
  expectEveryPostedMessageValid,
  factValue,
  itemTitlesOf,
  linkTeamsUser,
  nextMessage,
  readableText,
  startTeamsTestStack,
  submitButtons,
  titleOf,
} from '../../support/teams-stack.ts';

/*
 * The "Look up phone numbers" message action through the real /api/messages: Teams' composeExtension/fetchTask invoke
 * carrying the message, answered in the HTTP response with a dialog (task module) only the invoker sees. The local
 * connector records everything the bot posts, so "nothing posted" is checked, not assumed. John Smith (101) is an
 * administrator, Emma Chen (103) a standard user; Paul Rivera's forwarded number (786) 987-6543 is one only an
 * administrator may see.
 */

const PAULS_DIRECT = '(650) 331-6252';
const PAULS_FORWARDED = '(786) 987-6543';
const NOT_THE_COMPANYS = '(510) 555-0000';
const MESSAGE = `Paul is on ${PAULS_DIRECT}, his mobile forwards from +1 786-987-6543,\nand the vendor called from 510.555.0000 twice.`;

let stack: TeamsTestStack;
let john: LocalTeamsUser;
let emma: LocalTeamsUser;

beforeAll(async () => {
  stack = await startTeamsTestStack();
  john = await linkTeamsUser(stack, '101');
  emma = await linkTeamsUser(stack, '103');
});

afterAll(async () => {
  expectEveryPostedMessageValid(stack);
  await stack?.close();
});

/** The dialog of an invoke's answer, checked: a task module "continue" with one valid Adaptive Card, under 28 KB. */
function dialogOf(sent: TeamsDialogAnswer): PostedActivity {
  expect(sent.status).toBe(200);
  const body = sent.body as { task?: { type?: string; value?: { title?: string; card?: { contentType?: string; content?: unknown } } } };
  expect(body.task?.type).toBe('continue');
  expect(body.task?.value?.title).toBe('Look up phone numbers');
  expect(body.task?.value?.card?.contentType).toBe(ADAPTIVE_CARD_CONTENT_TYPE);
  const card = body.task?.value?.card?.content;
  expect(adaptiveCardProblems(card)).toEqual([]);
  expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(TEAMS_MESSAGE_BYTES);
  // Read with the same helpers as a posted message.
  return { type: 'message', attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }] };
}

async function lookUp(user: LocalTeamsUser, text: string, options: Parameters<TeamsTestStack['lookUpNumbersTeams']>[2] = {}) {
  const before = stack.teams.received.length;
  const dialog = dialogOf(await stack.lookUpNumbersTeams(user.aadObjectId, text, options));
  return { dialog, posted: () => stack.teams.received.slice(before) };
}

describe('the "Look up phone numbers" message action', () => {
  it.each(['channel', 'groupChat', 'personal'] as const)(
    'in a %s, answers only the invoker, in the dialog; a number hidden from a standard user reads as /whois says it',
    async (where) => {
      const { dialog, posted } = await lookUp(emma, MESSAGE, { where });
      expect(posted()).toEqual([]);
      expect(titleOf(dialog)).toBe('Phone numbers in this message');
      const items = itemTitlesOf(dialog);
      expect(items).toEqual([PAULS_DIRECT, expect.any(String), expect.any(String)]);
      expect(readableText(dialog)).toContain('Paul Rivera');

      const hidden = await answer(stack, emma, `whois ${PAULS_FORWARDED}`);
      const foreign = await answer(stack, emma, `whois ${NOT_THE_COMPANYS}`);
      expect(items[1]).toBe(titleOf(hidden));
      expect(items[2]).toBe(titleOf(foreign));
      expect(items[1]).toBe(`${PAULS_FORWARDED} is not in your company directory`);
      expect(readableText(dialog)).not.toContain('Forwarded');
    },
  );

  it('shows an administrator who owns the number a standard user cannot see', async () => {
    const { dialog, posted } = await lookUp(john, MESSAGE);
    expect(posted()).toEqual([]);
    const text = readableText(dialog);
    expect(itemTitlesOf(dialog)).toHaveLength(3);
    expect(text).toContain('Forwarded number');
    expect(itemTitlesOf(dialog)[2]).toBe(`${NOT_THE_COMPANYS} is not in your company directory`);
  });

  it('opens a person from the dialog in the same dialog', async () => {
    const { dialog } = await lookUp(emma, MESSAGE);
    const details = submitButtons(dialog)[0];
    expect(details).toBeDefined();
    const before = stack.teams.received.length;
    const card = dialogOf(await stack.lookUpNumbersTeams(emma.aadObjectId, MESSAGE, { data: details!.data }));
    expect(titleOf(card)).toBe('Paul Rivera');
    expect(factValue(card, 'Extension')).toBe('102');
    expect(stack.teams.received.slice(before)).toEqual([]);
  });

  it("looks up at most 10 numbers, says how many more there were, and stays within Teams' limits", async () => {
    const numbers = Array.from({ length: 12 }, (_, index) => `(510) 555-01${String(index).padStart(2, '0')}`);
    const { dialog } = await lookUp(john, `${numbers.join('\n')} and again ${numbers[0]}`);
    expect(itemTitlesOf(dialog)).toHaveLength(10);
    expect(readableText(dialog)).toContain('…and 2 more numbers, not looked up: at most 10 at a time.');
  });

  it('says so when the message has no phone number', async () => {
    const { dialog } = await lookUp(john, 'lunch at 12:30? room 101, ticket #4471');
    expect(readableText(dialog)).toContain('No phone numbers found in this message.');
  });

  it('offers an unlinked invoker the Connect prompt in the dialog; once linked, their chat says so and the action answers', async () => {
    const paul = stack.teamsUser('102');
    const { dialog, posted } = await lookUp(paul, MESSAGE);
    expect(posted()).toEqual([]);
    const url = teamsConnectUrlOf(dialog);
    expect(url).toContain('/restapi/oauth/authorize');
    // The sign-in link is in the invoker's dialog only; the channel never saw it.
    expect(JSON.stringify(stack.teams.received)).not.toContain(url);

    const chat = stack.teams.replies(stack.teams.personalConversationId(paul));
    expect((await stack.signIn(url!, '102')).status).toBe(200);
    expect(titleOf(await nextMessage(chat))).toBe('Connected to RingCentral');
    expect(stack.teams.received.filter((received) => received.conversationId.startsWith(DEMO_TEAMS_CONVERSATIONS.channel.id))).toEqual([]);

    const { dialog: answered } = await lookUp(paul, MESSAGE);
    expect(itemTitlesOf(answered)[0]).toBe(PAULS_DIRECT);
  });
});

describe('a lookup that outlasts the time Teams waits for the dialog', () => {
  let slow: TeamsTestStack;
  afterAll(async () => {
    await slow?.close();
  });

  it('answers "still looking" in time, posts nothing, and has the answer when asked again', async () => {
    slow = await startTeamsTestStack({ teamsDialogDeadlineMs: 300 });
    const emmaHere = await linkTeamsUser(slow, '103');
    const sandbox = control(slow.sandbox);
    await sandbox.config({ latencyMs: 500 });
    const before = slow.teams.received.length;
    const started = Date.now();
    const late = dialogOf(await slow.lookUpNumbersTeams(emmaHere.aadObjectId, MESSAGE));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(titleOf(late)).toBe('Still looking these numbers up');
    await sandbox.config({ latencyMs: 0 });

    const answered = dialogOf(await slow.lookUpNumbersTeams(emmaHere.aadObjectId, MESSAGE));
    expect(itemTitlesOf(answered)[0]).toBe(PAULS_DIRECT);
    expect(slow.teams.received.slice(before)).toEqual([]);
  });
});

describe('the message text Teams sends as HTML', () => {
  it('keeps numbers in separate paragraphs apart, reads entities, and leaves markup out', () => {
    const html = '<p>Call&nbsp;(650)&#160;331-6252</p><p>or <a href="tel:+17869876543">+1&nbsp;786 987 6543</a></p><div>5105550000</div>';
    expect(messageText({ body: { contentType: 'html', content: html } })).toBe('Call (650) 331-6252\nor +1 786 987 6543\n5105550000\n');
  });

  it('keeps <, > and & as entities, for the number finder to read after setting chat tokens aside', () => {
    expect(messageText({ body: { contentType: 'html', content: 'a &lt;b&gt; &#60;c&#62; &amp; &#38;' } })).toBe(
      'a &lt;b&gt; &lt;c&gt; &amp; &amp;',
    );
  });

  it('takes plain text as it is, and a payload of another shape as no text', () => {
    expect(messageText({ body: { contentType: 'text', content: '<b>650 331 6252</b>' } })).toBe('<b>650 331 6252</b>');
    expect(messageText({ body: { content: 42 } })).toBe('');
    expect(messageText(undefined)).toBe('');
  });
});

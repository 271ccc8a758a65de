import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TEAMS_CONVERSATIONS } from '../../../src/demo/demo-stack.ts';
import type { LocalTeamsUser } from '../../../src/demo/local-teams.ts';
import { mentionText, messageActivity, postActivity } from '../../../src/demo/teams-requests.ts';
import type { TeamsConversationRef } from '../../../src/demo/teams-requests.ts';
import { control } from '../../support/sandbox.ts';
import type { TeamsTestStack } from '../../support/teams-stack.ts';
import {
  answer,
  expectEveryPostedMessageValid,
  factValue,
  linkTeamsUser,
  nextMessage,
  readableText,
  startTeamsTestStack,
  submitButtons,
  telNumbersOf,
  titleOf,
} from '../../support/teams-stack.ts';

/*
 * Where and how people talk to the bot in Teams: a one-to-one chat, a team channel and a group chat, where Teams only
 * delivers messages that @mention the bot. The mention is removed using the activity's mention entities; other people
 * mentioned are looked up by their Teams profile. Answers show what the asker's own RingCentral login may see, so in
 * a shared conversation they go to the asker's one-to-one chat and the conversation is only told so.
 */

let stack: TeamsTestStack;
let john: LocalTeamsUser;
let emma: LocalTeamsUser;

beforeAll(async () => {
  stack = await startTeamsTestStack();
  john = await linkTeamsUser(stack, '101');
  emma = await linkTeamsUser(stack, '103');
});

afterEach(() => {
  expectEveryPostedMessageValid(stack);
});

afterAll(async () => {
  await stack?.close();
});

/** Posts a message built by hand (for mentions askTeams does not make), and returns where answers are read. */
async function post(from: LocalTeamsUser, conversation: TeamsConversationRef, text: string, mentions: Array<{ id: string; name: string }>) {
  const replies = stack.teams.replies(stack.teams.personalConversationId(from));
  const posted = stack.teams.replies(conversation.id);
  const activity = messageActivity({
    serviceUrl: stack.teams.serviceUrl,
    tenantId: stack.teams.tenantId,
    bot: stack.teams.bot,
    from,
    conversation,
    text,
    mentions,
  });
  const ack = await postActivity(stack.teamsTarget, activity);
  expect(ack.status).toBe(200);
  return { replies, posted };
}

describe.each(['channel', 'groupChat'] as const)('in a %s, where the bot is @mentioned', (where) => {
  it("answers privately in the asker's one-to-one chat and tells the conversation only that", async () => {
    const { ack, replies, posted } = await stack.askTeams(john.aadObjectId, 'ext 102', { where });
    expect(ack.status).toBe(200);
    const notice = await nextMessage(posted);
    expect(titleOf(notice)).toBe('I sent you the answer in a private chat');
    const card = await nextMessage(replies);
    expect(titleOf(card)).toBe('Paul Rivera');
    expect(factValue(card, 'Forwarded number')).toBe('(786) 987-6543');

    // Nothing of the answer reaches the shared conversation.
    const shared = stack.teams.received.filter((received) => received.conversationId.startsWith(DEMO_TEAMS_CONVERSATIONS[where].id));
    expect(shared).toHaveLength(1);
    // The forwarded number by its digits, not "786" alone: message ids are timestamps, and one held "786" by chance.
    expect(JSON.stringify(shared)).not.toMatch(/Paul|Rivera|987-6543|9876543|tel:/);
  });

  it("removes the bot's mention wherever it stands and whatever the bot is called in this tenant", async () => {
    const renamed = { id: stack.teams.bot.id, name: 'Directory Bot' };
    const { replies } = await post(emma, DEMO_TEAMS_CONVERSATIONS[where], `whois +16503316252 ${mentionText(renamed.name)}`, [renamed]);
    const card = await nextMessage(replies);
    expect(titleOf(card)).toBe('(650) 331-6252');
    expect(factValue(card, 'Belongs to')).toBe('Paul Rivera');
  });
});

describe('mentions', () => {
  it('a leading mention of the bot in a channel is removed before parsing', async () => {
    const { replies } = await post(emma, DEMO_TEAMS_CONVERSATIONS.channel, `${mentionText('Switchboard')} status`, [stack.teams.bot]);
    const card = await nextMessage(replies);
    expect(titleOf(card)).toBe('Linked to RingCentral');
    expect(factValue(card, 'Name')).toBe('Emma Chen');
  });

  it('ext @person looks the person up by the email of their Teams profile', async () => {
    const paul = stack.teamsUser('102');
    const byMention = await answer(stack, emma, `ext ${mentionText(paul.name)}`);
    // askTeams writes no entity for it; post one as Teams does.
    const { replies } = await post(
      emma,
      { id: stack.teams.personalConversationId(emma), conversationType: 'personal' },
      `ext ${mentionText(paul.name)}`,
      [{ id: paul.id, name: paul.name }],
    );
    const viaEntity = await nextMessage(replies);
    const byNumber = await answer(stack, emma, 'ext 102');
    expect(titleOf(viaEntity)).toBe('Paul Rivera');
    expect(viaEntity.attachments).toEqual(byNumber.attachments);
    // Without the entity, the mention is just the name typed: a name search, which finds him too.
    expect(titleOf(byMention)).toBe('Paul Rivera');
    expect(
      stack.teams.requests.some((request) => request.method === 'GET' && request.path.endsWith(`/members/${encodeURIComponent(paul.id)}`)),
    ).toBe(true);
  });

  it('a message in a channel that does not mention the bot is not answered', async () => {
    const before = stack.teams.received.length;
    const { replies } = await post(john, DEMO_TEAMS_CONVERSATIONS.channel, 'ext 102', []);
    // A message that does mention the bot, after it: once it is answered, the first had its turn too.
    const second = await post(john, DEMO_TEAMS_CONVERSATIONS.channel, `${mentionText('Switchboard')} help`, [stack.teams.bot]);
    expect(titleOf(await nextMessage(second.replies))).toBe('Switchboard');
    expect(replies.messages.filter((message) => titleOf(message) === 'Paul Rivera')).toEqual([]);
    const since = stack.teams.received
      .slice(before)
      .map(({ activity }) => (activity.type === 'message' ? titleOf(activity) : activity.type));
    expect(since).toEqual(['I sent you the answer in a private chat', 'typing', 'Switchboard']);
  });
});

describe('in a one-to-one chat', () => {
  it('shows "typing" first, then the answer', async () => {
    const before = stack.teams.received.length;
    await answer(stack, john, 'myforwarding');
    const types = stack.teams.received.slice(before).map((received) => received.activity.type);
    expect(types).toEqual(['typing', 'message']);
  });

  it('keeps showing "typing" while a slow answer is looked up, and never after it', async () => {
    // Each RingCentral call now takes 4 s: a cold card of someone never asked about takes one round trip or more.
    await control(stack.sandbox).config({ latencyMs: 4_000 });
    try {
      const before = stack.teams.received.length;
      const message = await answer(stack, emma, 'ext 104');
      expect(titleOf(message)).not.toMatch(/went wrong|unreachable/i);
      const types = stack.teams.received.slice(before).map((received) => received.activity.type);
      expect(types.at(-1)).toBe('message');
      expect(types.slice(0, -1).every((type) => type === 'typing')).toBe(true);
      expect(types.length - 1, 'the indicator sent again every few seconds').toBeGreaterThanOrEqual(2);
    } finally {
      await control(stack.sandbox).config({ latencyMs: 0 });
    }
  });

  it('text that names no command gets help, not silence', async () => {
    for (const text of ['hello there', 'john', '']) {
      const message = await answer(stack, john, text);
      expect(titleOf(message), text).toBe('Switchboard');
    }
  });

  it('a bare extension number, phone number or email is looked up as if its command had been typed', async () => {
    expect(titleOf(await answer(stack, emma, '102'))).toBe('Paul Rivera');
    expect(titleOf(await answer(stack, emma, '+1 650 331 6252'))).toBe('(650) 331-6252');
    expect(titleOf(await answer(stack, emma, 'john.smith@mycompany.com'))).toBe('John Smith');
  });

  it('an unknown slash command says so and suggests what to type', async () => {
    const message = await answer(stack, john, '/frobnicate now');
    expect(titleOf(message)).toBe('I don’t know “/frobnicate”');
    expect(readableText(message)).toContain('Try: help · ext 101 · whois +1 650 331 6252 · myforwarding');
  });

  it('a card button (Action.Submit) runs the command it carries, as the person who clicked', async () => {
    const whois = await answer(stack, emma, 'whois +16503316252');
    const [showOwner] = submitButtons(whois);
    expect(showOwner?.title).toBe('Show Paul Rivera');
    const { ack, replies } = await stack.clickTeams(emma.aadObjectId, showOwner?.data);
    expect(ack.status).toBe(200);
    const card = await nextMessage(replies);
    expect(titleOf(card)).toBe('Paul Rivera');
    // Emma's own view: the standard user sees only Paul's direct number.
    expect(telNumbersOf(card)).toEqual(['+16503316252']);
  });

  it('card data that is not a command is ignored', async () => {
    const before = stack.teams.received.length;
    const { ack } = await stack.clickTeams(emma.aadObjectId, { somethingElse: true });
    expect(ack.status).toBe(200);
    await answer(stack, emma, 'status');
    expect(stack.teams.received.slice(before).map((received) => received.activity.type)).toEqual(['typing', 'message']);
  });
});

describe('when Teams will not open a one-to-one chat', () => {
  it('asks in the channel to be asked privately, and answers nothing there', async () => {
    const stranger: LocalTeamsUser = { id: '29:not-installed', aadObjectId: '11111111-2222-4333-8444-555555555555', name: 'Guest User' };
    const posted = stack.teams.replies(DEMO_TEAMS_CONVERSATIONS.channel.id);
    const activity = messageActivity({
      serviceUrl: stack.teams.serviceUrl,
      tenantId: stack.teams.tenantId,
      bot: stack.teams.bot,
      from: stranger,
      conversation: DEMO_TEAMS_CONVERSATIONS.channel,
      text: `${mentionText('Switchboard')} ext 102`,
      mentions: [stack.teams.bot],
    });
    expect((await postActivity(stack.teamsTarget, activity)).status).toBe(200);
    const notice = await nextMessage(posted);
    expect(titleOf(notice)).toBe('Ask me in a private chat');
    expect(JSON.stringify(notice)).not.toMatch(/Paul|oauth|authorize/);
  });
});

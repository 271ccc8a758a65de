import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/observability/logger.ts';
import { DEMO_TEAMS_CONVERSATIONS, teamsConnectUrlOf } from '../../../src/demo/demo-stack.ts';
import type { LocalTeamsUser } from '../../../src/demo/local-teams.ts';
import type { InstallSpec, TeamsConversationRef } from '../../../src/demo/teams-requests.ts';
import { botAddedActivity, installationUpdateActivity, memberAddedActivity, postActivity } from '../../../src/demo/teams-requests.ts';
import { startSwitchboard } from '../../../src/switchboard.ts';
import type { TeamsTestStack } from '../../support/teams-stack.ts';
import {
  answer,
  expectEveryPostedMessageValid,
  factValue,
  linkTeamsUser,
  nextMessage,
  readableText,
  startTeamsTestStack,
  titleOf,
} from '../../support/teams-stack.ts';

/*
 * The welcome: installing the app makes the bot introduce itself once, with a Connect button only the installer sees.
 * Activities are posted to the real /api/messages as Teams sends them on install (an installationUpdate `add`, then a
 * conversationUpdate with the bot in membersAdded); the local connector records what the bot posts.
 */

let stack: TeamsTestStack;
let john: LocalTeamsUser;

beforeAll(async () => {
  stack = await startTeamsTestStack();
  john = await linkTeamsUser(stack, '101');
});

afterEach(() => {
  expectEveryPostedMessageValid(stack);
});

afterAll(async () => {
  await stack?.close();
});

const WELCOME = 'Hi, I’m Switchboard';

function personalChat(user: LocalTeamsUser): TeamsConversationRef {
  return { id: stack.teams.personalConversationId(user), conversationType: 'personal' };
}

function installBy(from: LocalTeamsUser, conversation: TeamsConversationRef): InstallSpec {
  return { serviceUrl: stack.teams.serviceUrl, tenantId: stack.teams.tenantId, bot: stack.teams.bot, from, conversation };
}

async function post(activity: Record<string, unknown>, messagesUrl = stack.teamsTarget.messagesUrl): Promise<void> {
  const ack = await postActivity({ messagesUrl }, activity);
  expect(ack.status, ack.body).toBe(200);
}

/** What Teams sends for one install, in its order. */
async function install(spec: InstallSpec): Promise<void> {
  await post(installationUpdateActivity(spec, 'add'));
  await post(botAddedActivity(spec));
}

/**
 * Events are acknowledged before they are handled, so a welcome that should not come is waited for by asking `help`
 * after everything else was sent and reading what came before its answer, not with a timer.
 */
async function settle(user: LocalTeamsUser): Promise<void> {
  expect(titleOf(await answer(stack, user, 'help'))).not.toBe(WELCOME);
}

describe('installed for one person', () => {
  it('welcomes them once in the personal chat with a Connect button that links them', async () => {
    const paul = stack.teamsUser('102');
    const chat = stack.teams.replies(stack.teams.personalConversationId(paul));
    await install(installBy(paul, personalChat(paul)));

    const welcome = await nextMessage(chat);
    expect(titleOf(welcome)).toBe(WELCOME);
    const connect = teamsConnectUrlOf(welcome);
    expect(connect).toBeDefined();
    expect(readableText(welcome)).toMatch(/link/);

    // The conversationUpdate of the same install, an upgrade and another member joining greet nobody.
    await post(botAddedActivity(installBy(paul, personalChat(paul))));
    await post(installationUpdateActivity(installBy(paul, personalChat(paul)), 'add-upgrade'));
    await post(memberAddedActivity(installBy(paul, personalChat(paul)), john));
    await settle(paul);
    expect(chat.messages.filter((message) => titleOf(message) === WELCOME)).toHaveLength(1);

    // The button is Paul's own sign-in; afterwards the chat says whom he is linked as.
    const afterSignIn = stack.teams.replies(stack.teams.personalConversationId(paul));
    const page = await stack.signIn(connect!, '102');
    expect(page.status).toBe(200);
    const linked = await nextMessage(afterSignIn);
    expect(titleOf(linked)).toBe('Connected to RingCentral');
    expect(factValue(await answer(stack, paul, 'ext'), 'Extension')).toBe('102');
  });

  it('tells someone already linked whom they are linked as, with no Connect button', async () => {
    const chat = stack.teams.replies(stack.teams.personalConversationId(john));
    await install(installBy(john, personalChat(john)));
    const welcome = await nextMessage(chat);
    expect(titleOf(welcome)).toBe(WELCOME);
    expect(readableText(welcome)).toContain('John Smith');
    expect(teamsConnectUrlOf(welcome)).toBeUndefined();
  });

  it('does not welcome anyone again after a restart, whatever update comes next', async () => {
    const maria = stack.teamsUser('104');
    const chat = stack.teams.replies(stack.teams.personalConversationId(maria));
    await install(installBy(maria, personalChat(maria)));
    expect(titleOf(await nextMessage(chat))).toBe(WELCOME);

    // A new process (nothing kept in memory) receiving what Teams sends after the install: an upgrade, the bot listed
    // again in a conversationUpdate, someone joining.
    const restarted = await startSwitchboard(stack.config, { host: '127.0.0.1', logger: silentLogger });
    try {
      const messagesUrl = `${restarted.url}/api/messages`;
      const before = stack.teams.received.length;
      await post(installationUpdateActivity(installBy(maria, personalChat(maria)), 'add-upgrade'), messagesUrl);
      await post(botAddedActivity(installBy(maria, personalChat(maria))), messagesUrl);
      await post(memberAddedActivity(installBy(john, DEMO_TEAMS_CONVERSATIONS.channel), maria), messagesUrl);
      // Closing waits for the turns in flight, so whatever the new process would post has been posted.
      await restarted.close();
      expect(stack.teams.received.slice(before)).toEqual([]);
    } catch (error) {
      await restarted.close().catch(() => undefined);
      throw error;
    }
    expect(chat.messages).toHaveLength(1);
  });
});

describe('off Teams (the Bot Framework Emulator, in emulator mode)', () => {
  it('takes the bot joining the conversation as the install, since no installationUpdate comes', async () => {
    const sam = stack.teamsUser('105');
    const chat = stack.teams.replies(stack.teams.personalConversationId(sam));
    await post({ ...botAddedActivity(installBy(sam, personalChat(sam))), channelId: 'emulator' });
    expect(titleOf(await nextMessage(chat))).toBe(WELCOME);
    await post({ ...memberAddedActivity(installBy(sam, personalChat(sam)), john), channelId: 'emulator' });
    await settle(sam);
    expect(chat.messages.filter((message) => titleOf(message) === WELCOME)).toHaveLength(1);
  });
});

describe.each(['channel', 'groupChat'] as const)('added to a %s', (where) => {
  it('greets the installer in their personal chat and posts nothing in the conversation', async () => {
    const emma = stack.teamsUser('103');
    const chat = stack.teams.replies(stack.teams.personalConversationId(emma));
    const shared = stack.teams.replies(DEMO_TEAMS_CONVERSATIONS[where].id);
    await install(installBy(emma, DEMO_TEAMS_CONVERSATIONS[where]));

    const welcome = await nextMessage(chat);
    expect(titleOf(welcome)).toBe(WELCOME);
    expect(teamsConnectUrlOf(welcome)).toContain('/restapi/oauth/authorize');
    await settle(emma);
    expect(chat.messages.filter((message) => titleOf(message) === WELCOME)).toHaveLength(1);
    expect(shared.messages).toEqual([]);
  });

  it("says a short hello in the conversation, with no link and nobody's data, when Teams opens no personal chat", async () => {
    // Someone the connector will not open a one-to-one chat with (the app is not installed for them).
    const guest: LocalTeamsUser = { id: '29:guest', aadObjectId: '0000aaaa-0000-4000-8000-000000000999', name: 'Guest Person' };
    const shared = stack.teams.replies(DEMO_TEAMS_CONVERSATIONS[where].id);
    await install(installBy(guest, DEMO_TEAMS_CONVERSATIONS[where]));

    const hello = await nextMessage(shared);
    expect(titleOf(hello)).toBe(WELCOME);
    // What people read (the card and the notification summary); the envelope names the conversation's members anyway.
    expect(JSON.stringify([hello.summary, hello.attachments])).not.toMatch(/authorize|oauth|Guest|https?:\/\/(?!adaptivecards\.io)/i);
    expect(readableText(hello)).toMatch(/Look up phone numbers/);
    await settle(john);
    expect(shared.messages).toHaveLength(1);
  });
});

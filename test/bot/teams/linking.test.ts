import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { teamsUserKey } from '../../../src/bot/teams/teams-app.ts';
import { DEMO_TEAMS_CONVERSATIONS } from '../../../src/demo/demo-stack.ts';
import { pageText } from '../../../src/demo/demo-session.ts';
import { messageActivity, postActivity } from '../../../src/demo/teams-requests.ts';
import { urlsOf } from '../../support/adaptive-card.ts';
import type { TeamsTestStack } from '../../support/teams-stack.ts';
import {
  answer,
  cardOf,
  expectEveryPostedMessageValid,
  factValue,
  nextMessage,
  readableText,
  startTeamsTestStack,
  teamsConnectUrlOf,
  titleOf,
} from '../../support/teams-stack.ts';

/*
 * Linking from Teams: a sign-in card whose button starts the same OAuth flow (authorization code + PKCE) as Slack's,
 * the link kept under (tenant id, AAD object id), the bot's page after sign-in, and the command that asked for the
 * link answered afterwards by a proactive message into the asker's one-to-one chat.
 */

let stack: TeamsTestStack;

beforeAll(async () => {
  stack = await startTeamsTestStack();
});

afterEach(() => {
  expectEveryPostedMessageValid(stack);
});

afterAll(async () => {
  await stack?.close();
});

describe('linking a Teams user', () => {
  it('a lookup before linking gets a sign-in card; after sign-in the page names the person and the lookup is answered in the chat', async () => {
    const olivia = stack.teamsUser('104');
    const { replies } = await stack.askTeams(olivia.aadObjectId, 'ext 102');
    const prompt = await nextMessage(replies);
    expect(titleOf(prompt)).toBe('Connect your RingCentral account');
    const connect = (cardOf(prompt).actions ?? [])[0];
    expect(connect).toMatchObject({ type: 'Action.OpenUrl', title: 'Connect RingCentral', style: 'positive' });
    const url = teamsConnectUrlOf(prompt)!;
    expect(new URL(url).searchParams.get('redirect_uri')).toBe(`${stack.bot.publicUrl}/oauth/ringcentral/callback`);
    expect(await stack.bot.services.store.getLink(stack.userKey(olivia))).toBeUndefined();

    const page = await stack.signIn(url, '104');
    expect(page.status).toBe(200);
    expect(pageText(page.body)).toBe(
      'Linked as Olivia Johnson (ext. 104) to Teams account Olivia Johnson (olivia.johnson@mycompany.com). You can close this tab.',
    );

    expect(readableText(await nextMessage(replies))).toContain('Linked as Olivia Johnson (ext. 104). Not you? unlink');
    const answered = await nextMessage(replies);
    expect(titleOf(answered)).toBe('Paul Rivera');
    expect(factValue(answered, 'Extension')).toBe('102');
    const proactive = stack.teams.received.find((received) => received.activity === answered);
    expect(proactive?.conversationId).toBe(stack.teams.personalConversationId(olivia));

    const link = await stack.bot.services.store.getLink(teamsUserKey(stack.teams.tenantId, olivia.aadObjectId));
    expect(link).toMatchObject({ extensionNumber: '104', name: 'Olivia Johnson' });
  });

  it('the link belongs to the (tenant, AAD object id) pair: the same object id in another tenant is not linked', async () => {
    const olivia = stack.teamsUser('104');
    const otherTenant = '0f0f0f0f-1111-4222-8333-444444444444';
    const replies = stack.teams.replies(stack.teams.personalConversationId(olivia));
    const activity = messageActivity({
      serviceUrl: stack.teams.serviceUrl,
      tenantId: otherTenant,
      bot: stack.teams.bot,
      from: olivia,
      conversation: { id: stack.teams.personalConversationId(olivia), conversationType: 'personal' },
      text: 'status',
    });
    expect((await postActivity(stack.teamsTarget, activity)).status).toBe(200);
    expect(titleOf(await nextMessage(replies))).toBe('Connect your RingCentral account');
    expect(await stack.bot.services.store.getLink(teamsUserKey(otherTenant, olivia.aadObjectId))).toBeUndefined();
    // In her own tenant she is still linked.
    expect(factValue(await answer(stack, olivia, 'status'), 'Name')).toBe('Olivia Johnson');
  });

  it("asked in a channel, the sign-in card goes to the asker's private chat only, and so does the answer", async () => {
    const liam = stack.teamsUser('105');
    const { replies, posted } = await stack.askTeams(liam.aadObjectId, 'whois +16503316252', { where: 'channel' });
    expect(titleOf(await nextMessage(posted))).toBe('I sent you the answer in a private chat');
    const prompt = await nextMessage(replies);
    const url = teamsConnectUrlOf(prompt)!;
    expect(url).toContain('/restapi/oauth/authorize');

    // The link is his alone: nothing of it reaches the channel.
    const inChannel = stack.teams.received.filter((received) => received.conversationId.startsWith(DEMO_TEAMS_CONVERSATIONS.channel.id));
    expect(inChannel.flatMap((received) => urlsOf(received.activity))).toEqual([]);

    expect((await stack.signIn(url, '105')).status).toBe(200);
    expect(titleOf(await nextMessage(replies))).toBe('Connected to RingCentral');
    const answered = await nextMessage(replies);
    expect(titleOf(answered)).toBe('(650) 331-6252');
    expect(factValue(answered, 'Belongs to')).toBe('Paul Rivera');
    expect(posted.messages).toHaveLength(1);
  });

  it('"link" is answered, once signed in, with whom the user is now linked as', async () => {
    const sophia = stack.teamsUser('106');
    const { replies } = await stack.askTeams(sophia.aadObjectId, 'link');
    const prompt = await nextMessage(replies);
    expect(titleOf(prompt)).toBe('Connect RingCentral');
    expect((await stack.signIn(teamsConnectUrlOf(prompt)!, '106')).status).toBe(200);
    const answered = await nextMessage(replies);
    expect(titleOf(answered)).toBe('Connected to RingCentral');
    expect(readableText(answered)).toContain('Linked as Sophia Martinez (ext. 106). Not you? unlink');
  });

  it('a sign-in link is used once: opening it again links nothing and posts nothing', async () => {
    const noah = stack.teamsUser('107');
    const { replies } = await stack.askTeams(noah.aadObjectId, 'status');
    const url = teamsConnectUrlOf(await nextMessage(replies))!;
    expect((await stack.signIn(url, '107')).status).toBe(200);
    expect(titleOf(await nextMessage(replies))).toBe('Connected to RingCentral');
    expect(titleOf(await nextMessage(replies))).toBe('Linked to RingCentral');
    const again = await stack.signIn(url, '107');
    expect(again.status).toBe(400);
    expect(pageText(again.body)).toContain('already used');
    expect(factValue(await answer(stack, noah, 'status'), 'Name')).toBe('Noah Kim');
    expect(replies.messages.map(titleOf)).toEqual([
      'Connect your RingCentral account',
      'Connected to RingCentral',
      'Linked to RingCentral',
      'Linked to RingCentral',
    ]);
  });
});

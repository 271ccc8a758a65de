import { createHmac, randomBytes } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageActivity, postActivity } from '../../../src/demo/teams-requests.ts';
import type { TeamsTestStack } from '../../support/teams-stack.ts';
import { nextMessage, startTeamsTestStack, titleOf } from '../../support/teams-stack.ts';

/*
 * With MicrosoftAppId set, /api/messages serves only requests carrying a valid Bot Framework token: anything else is
 * refused with 401 before the activity is looked at, and nothing is posted to its serviceUrl. Without it (emulator
 * mode) every request is accepted. Tokens signed by Microsoft's real keys cannot be made here, so the accepted side
 * of authenticated mode is botbuilder's own; what is tested is that the bot never skips the check.
 */

const APP_ID = '6f1d2c3b-4a59-4e68-8f7a-9b0c1d2e3f40';

function jwt(payload: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT', kid: 'forged' })}.${encode(payload)}`;
  return `${unsigned}.${createHmac('sha256', randomBytes(32)).update(unsigned).digest('base64url')}`;
}

describe('with MicrosoftAppId set', () => {
  let stack: TeamsTestStack;

  beforeAll(async () => {
    stack = await startTeamsTestStack({ env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: randomBytes(16).toString('hex') } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  const now = Math.floor(Date.now() / 1000);
  const refused: Array<[string, string | undefined]> = [
    ['no Authorization header', undefined],
    ['a token that is not a JWT', 'Bearer not-a-token'],
    ['another scheme', `Basic ${Buffer.from('user:password').toString('base64')}`],
    [
      'a JWT from an issuer Bot Framework does not use',
      `Bearer ${jwt({ iss: 'https://login.example.com', aud: APP_ID, iat: now, nbf: now, exp: now + 600, serviceurl: 'x' })}`,
    ],
    ['a JWT with no issuer at all', `Bearer ${jwt({ aud: APP_ID, exp: now + 600 })}`],
  ];

  it.each(refused)('refuses an activity with %s: 401, and nothing is posted or linked', async (_what, authorization) => {
    const emma = stack.teamsUser('103');
    const activity = messageActivity({
      serviceUrl: stack.teams.serviceUrl,
      tenantId: stack.teams.tenantId,
      bot: stack.teams.bot,
      from: emma,
      conversation: { id: stack.teams.personalConversationId(emma), conversationType: 'personal' },
      text: 'link',
    });
    const ack = await postActivity(stack.teamsTarget, activity, authorization === undefined ? {} : { authorization });
    expect(ack.status).toBe(401);
    expect(ack.body).toBe('Unauthorized');
    // A later request cannot be answered before this one; give any stray turn a moment all the same.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stack.teams.requests).toEqual([]);
    expect(stack.logs.some((log) => log.level === 'warn' && log.message.startsWith('Teams request refused'))).toBe(true);
    expect(JSON.stringify(stack.logs)).not.toContain(authorization ?? '\u0000');
  });
});

describe('without MicrosoftAppId (emulator mode)', () => {
  let stack: TeamsTestStack;

  beforeAll(async () => {
    stack = await startTeamsTestStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('accepts an activity with no token and answers it', async () => {
    const emma = stack.teamsUser('103');
    const { ack, replies } = await stack.askTeams(emma.aadObjectId, 'help');
    expect(ack.status).toBe(200);
    expect(titleOf(await nextMessage(replies))).toBe('Switchboard');
    expect(stack.teams.received.every((received) => received.authorization === undefined)).toBe(true);
  });

  it('answers the Bot Framework Emulator, which sends no tenant and no AAD object id', async () => {
    const replies = stack.teams.replies('emulator-conversation');
    const activity = {
      type: 'message',
      id: 'e1',
      channelId: 'emulator',
      serviceUrl: stack.teams.serviceUrl,
      from: { id: 'emulator-user', name: 'User', role: 'user' },
      recipient: { id: stack.teams.bot.id, name: 'Bot', role: 'bot' },
      conversation: { id: 'emulator-conversation' },
      text: 'help',
      locale: 'en-US',
    };
    expect((await postActivity(stack.teamsTarget, activity)).status).toBe(200);
    expect(titleOf(await nextMessage(replies))).toBe('Switchboard');
  });

  it('refuses an activity whose serviceUrl is not on this machine: unauthenticated answers never leave it', async () => {
    const before = stack.teams.requests.length;
    const emma = stack.teamsUser('103');
    const activity = {
      type: 'message',
      id: 'far1',
      channelId: 'msteams',
      serviceUrl: 'http://203.0.113.7/teams/',
      from: { id: 'far-user', aadObjectId: emma.aadObjectId, role: 'user' },
      recipient: { id: stack.teams.bot.id, name: 'Bot', role: 'bot' },
      conversation: { id: 'far-conversation', conversationType: 'personal' },
      channelData: { tenant: { id: stack.teams.tenantId } },
      text: 'ext 101',
    };
    expect((await postActivity(stack.teamsTarget, activity)).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stack.teams.requests.length).toBe(before);
  });

  it('refuses a body that is not an activity (400) or is too large (413), before any turn', async () => {
    const before = stack.teams.requests.length;
    const notJson = await request(stack.teamsTarget.messagesUrl, {
      method: 'POST',
      body: 'type=message',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.statusCode).toBe(400);
    await notJson.body.dump();
    expect((await postActivity(stack.teamsTarget, { text: 'no type' })).status).toBe(400);
    expect((await postActivity(stack.teamsTarget, [1, 2, 3])).status).toBe(400);
    const huge = await postActivity(stack.teamsTarget, { type: 'message', text: 'x'.repeat(300 * 1024) });
    expect(huge.status).toBe(413);
    expect(stack.teams.requests.length).toBe(before);
  });

  /*
   * A page open in a browser on this machine may post text/plain, a form or multipart without a CORS preflight; only
   * application/json needs one. Each body below is a valid activity from a loopback serviceUrl, so the content type
   * alone is what refuses it.
   */
  const refusedTypes: Array<[string, string | undefined]> = [
    ['text/plain', 'text/plain'],
    ['text/plain with charset', 'text/plain;charset=UTF-8'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['a multipart form', 'multipart/form-data; boundary=x'],
    ['no Content-Type', undefined],
    ['another charset', 'application/json; charset=iso-8859-1'],
    ['a look-alike type', 'application/json-patch+json'],
  ];

  it.each(refusedTypes)('refuses %s with 415, before any turn', async (_what, contentType) => {
    const before = stack.teams.requests.length;
    const emma = stack.teamsUser('103');
    const body = JSON.stringify(
      messageActivity({
        serviceUrl: stack.teams.serviceUrl,
        tenantId: stack.teams.tenantId,
        bot: stack.teams.bot,
        from: emma,
        conversation: { id: stack.teams.personalConversationId(emma), conversationType: 'personal' },
        text: 'help',
      }),
    );
    const response = await request(stack.teamsTarget.messagesUrl, {
      method: 'POST',
      body,
      headers: contentType === undefined ? {} : { 'content-type': contentType },
    });
    expect(response.statusCode).toBe(415);
    expect(await response.body.text()).toBe('Content-Type must be application/json');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stack.teams.requests.length).toBe(before);
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON;Charset="UTF-8"'])(
    'accepts %s',
    async (contentType) => {
      const emma = stack.teamsUser('103');
      const replies = stack.teams.replies(stack.teams.personalConversationId(emma));
      const activity = messageActivity({
        serviceUrl: stack.teams.serviceUrl,
        tenantId: stack.teams.tenantId,
        bot: stack.teams.bot,
        from: emma,
        conversation: { id: stack.teams.personalConversationId(emma), conversationType: 'personal' },
        text: 'help',
      });
      const response = await request(stack.teamsTarget.messagesUrl, {
        method: 'POST',
        body: JSON.stringify(activity),
        headers: { 'content-type': contentType },
      });
      expect(response.statusCode).toBe(200);
      await response.body.dump();
      expect(titleOf(await nextMessage(replies))).toBe('Switchboard');
    },
  );
});

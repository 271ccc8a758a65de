import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageText } from '../../../src/demo/demo-session.ts';
import { postSlashCommand } from '../../../src/demo/slack-requests.ts';
import { api } from '../../support/sandbox.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import {
  answer,
  connectUrlOf,
  fieldsOf,
  linkUser,
  nextAnswer,
  readableText,
  startSlackTestStack,
  titleOf,
} from '../../support/slack-stack.ts';

/*
 * The whole link flow through the real endpoints: a slash command from an unlinked Slack user, the Connect button,
 * RingCentral's sign-in (the sandbox's, with login_hint standing in for the person), the bot's OAuth callback page,
 * and the pending command answered on its response_url. Then what can go wrong with `state`, unlinking, and a login
 * RingCentral ends on its side.
 */

let stack: SlackTestStack;
/** How far the bot's store clock runs ahead of real time. */
let storeClockAheadMs = 0;

beforeAll(async () => {
  stack = await startSlackTestStack({ now: () => Date.now() + storeClockAheadMs });
});

afterAll(async () => {
  await stack?.close();
});

function extensionIdOf(extensionNumber: string): string {
  const extension = stack.sandbox.seed.extensions.find((candidate) => candidate.extensionNumber === extensionNumber);
  if (!extension) throw new Error(`no extension ${extensionNumber} in the seed`);
  return String(extension.id);
}

/** Signs in on the sandbox's authorize endpoint as this extension; returns where RingCentral sends the browser. */
async function signInAt(authorizeUrl: string, extensionNumber: string): Promise<string> {
  const url = new URL(authorizeUrl);
  url.searchParams.set('login_hint', extensionNumber);
  const response = await request(url, { method: 'GET' });
  await response.body.dump();
  expect(response.statusCode).toBe(302);
  return String(response.headers.location);
}

async function openPage(url: string): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  const response = await request(url, { method: 'GET' });
  return { status: response.statusCode, text: pageText(await response.body.text()), headers: response.headers };
}

/** An unlinked user's command and the prompt it gets. */
async function promptFor(slackUserId: string, line: string) {
  const { ack, channel } = await stack.ask(slackUserId, line);
  expect(ack.status).toBe(200);
  const prompt = await nextAnswer(channel);
  const url = connectUrlOf(prompt);
  expect(url, 'the prompt has a Connect RingCentral button').toBeDefined();
  return { channel, prompt, url: url! };
}

describe('linking a Slack user to their own RingCentral login', () => {
  it('a command from an unlinked user gets an ephemeral "Connect RingCentral" prompt and costs no RingCentral call', async () => {
    await stack.control.resetStats();
    const { prompt, url } = await promptFor('U101', '/ext 101');

    expect(prompt.response_type).toBe('ephemeral');
    expect(titleOf(prompt)).toBe('Connect your RingCentral account');
    const button = (prompt.blocks as Array<{ type: string; elements?: Array<{ text: { text: string }; url?: string }> }>)
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.url === url);
    expect(button?.text.text).toBe('Connect RingCentral');

    const authorize = new URL(url);
    expect(authorize.origin).toBe(stack.sandbox.url);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${stack.bot.publicUrl}/oauth/ringcentral/callback`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toMatch(/\S{40,}/);
    expect((await stack.control.stats()).total).toBe(0);
    expect(await stack.bot.services.store.getLink(stack.userKey('U101'))).toBeUndefined();
  });

  it('after sign-in the page says "Linked as John Smith (ext. 101)" and the pending command is answered on its response_url', async () => {
    const { channel, url } = await promptFor('U101', '/ext 101');
    const callback = await signInAt(url, '101');
    expect(callback.startsWith(`${stack.bot.publicUrl}/oauth/ringcentral/callback?`)).toBe(true);

    const page = await openPage(callback);
    expect(page.status).toBe(200);
    expect(page.text).toBe(
      'Linked as John Smith (ext. 101) to Slack account John Smith (john.smith@mycompany.com). You can close this tab.',
    );
    expect(page.headers['cache-control']).toBe('no-store');

    // The prompt is replaced by who the user is now linked as; the answer follows.
    const linked = await nextAnswer(channel);
    expect(linked.replace_original).toBe(true);
    expect(readableText(linked)).toContain('Linked as John Smith (ext. 101). Not you? /switchboard unlink');
    const answered = await nextAnswer(channel);
    expect(answered.replace_original).not.toBe(true);
    expect(titleOf(answered)).toBe('John Smith (you)');
    expect(fieldsOf(answered)).toContainEqual(['Extension', '101']);
    expect(await stack.bot.services.store.getLink(stack.userKey('U101'))).toMatchObject({ extensionNumber: '101', name: 'John Smith' });
  });

  it('a replayed callback (same state) is refused as already used and answers nothing twice', async () => {
    const { channel, url } = await promptFor('U102', '/ext 103');
    const callback = await signInAt(url, '102');
    expect((await openPage(callback)).status).toBe(200);
    await nextAnswer(channel);
    await nextAnswer(channel);

    const replay = await openPage(callback);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('already used');
    // A second sign-in with the same state (a fresh code) is refused too.
    const again = await openPage(await signInAt(url, '102'));
    expect(again.status).toBe(400);
    expect(again.text).toContain('already used');

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(channel.messages, 'the prompt, "Linked as …" and one answer, nothing more').toHaveLength(3);
    expect(await stack.bot.services.store.getLink(stack.userKey('U102'))).toMatchObject({ extensionNumber: '102' });
  });

  it('a state older than ten minutes is refused as expired, and nothing is linked', async () => {
    const { channel, url } = await promptFor('U104', '/ext 101');
    storeClockAheadMs = 10 * 60 * 1000 + 1000;
    let page;
    try {
      page = await openPage(await signInAt(url, '104'));
    } finally {
      storeClockAheadMs = 0;
    }
    expect(page.status).toBe(400);
    expect(page.text).toContain('more than 10 minutes old');

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(channel.messages).toHaveLength(1);
    expect(await stack.bot.services.store.getLink(stack.userKey('U104'))).toBeUndefined();
  });

  it('a state that was tampered with, or is missing, is refused as not valid', async () => {
    const { url } = await promptFor('U105', '/ext 101');
    const callback = new URL(await signInAt(url, '105'));
    const state = callback.searchParams.get('state') ?? '';
    callback.searchParams.set('state', `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`);
    const tampered = await openPage(callback.toString());
    expect(tampered.status).toBe(400);
    expect(tampered.text).toContain('not made by Switchboard');

    callback.searchParams.delete('state');
    expect((await openPage(callback.toString())).status).toBe(400);
    expect(await stack.bot.services.store.getLink(stack.userKey('U105'))).toBeUndefined();
  });

  it('a cancelled sign-in says so and links nothing', async () => {
    const page = await openPage(`${stack.bot.publicUrl}/oauth/ringcentral/callback?error=access_denied&state=x`);
    expect(page.status).toBe(400);
    expect(page.text).toContain('did not link');
  });

  it('`/switchboard unlink` ends the RingCentral session and forgets the link', async () => {
    await linkUser(stack, 'U103', '103');
    const tokens = await stack.bot.services.store.get(stack.userKey('U103'));
    expect(tokens).toBeDefined();
    await stack.control.resetStats();

    const reply = await answer(stack, 'U103', '/switchboard unlink');
    expect(titleOf(reply)).toBe('Disconnected from RingCentral');
    expect(readableText(reply)).toContain('Switchboard signed out of RingCentral and forgot your login.');
    expect((await stack.control.stats()).byOperation['revokeToken']).toBe(1);
    expect((await api(stack.sandbox, tokens!.accessToken, '/restapi/v1.0/account/~/extension/~')).status).toBe(401);
    expect(await stack.bot.services.store.getLink(stack.userKey('U103'))).toBeUndefined();

    const next = await answer(stack, 'U103', '/ext 101');
    expect(connectUrlOf(next), 'the next command asks to link again').toBeDefined();
    const twice = await answer(stack, 'U103', '/switchboard unlink');
    expect(titleOf(twice)).toBe('You are not linked');
  });

  it('a login RingCentral ended (password change) is forgotten and the user is asked to link again', async () => {
    await linkUser(stack, 'U106', '106');
    await stack.control.revokeSessions(extensionIdOf('106'));

    const { channel, url } = await promptFor('U106', '/ext 102');
    const prompt = channel.messages.at(-1)!;
    expect(titleOf(prompt)).toBe('Please reconnect RingCentral');
    expect(await stack.bot.services.store.getLink(stack.userKey('U106'))).toBeUndefined();

    // Linking again answers the command that found the login gone.
    expect((await openPage(await signInAt(url, '106'))).status).toBe(200);
    expect(readableText(await nextAnswer(channel))).toContain('Linked as Sophia Martinez (ext. 106)');
    const answered = await nextAnswer(channel);
    expect(titleOf(answered)).toBe('Paul Rivera');
  });

  it('an expired access token is refreshed without bothering the user', async () => {
    await linkUser(stack, 'U107', '107');
    await stack.control.expireAccessTokens(extensionIdOf('107'));
    await stack.control.resetStats();

    const reply = await answer(stack, 'U107', '/ext 102');
    expect(titleOf(reply)).toBe('Paul Rivera');
    expect((await stack.control.stats()).tokenRequests['refresh_token']).toBe(1);
  });

  it('`/switchboard link` when already linked offers a fresh Connect link and keeps the current one until it is used', async () => {
    await linkUser(stack, 'U108', '108');
    const reply = await answer(stack, 'U108', '/switchboard link');
    expect(titleOf(reply)).toBe('Connect RingCentral');
    expect(connectUrlOf(reply)).toBeDefined();
    expect(await stack.bot.services.store.getLink(stack.userKey('U108'))).toMatchObject({ extensionNumber: '108' });
  });

  it('`/switchboard link` from an unlinked user: after sign-in the prompt is replaced by "Connected"', async () => {
    const { ack, channel } = await stack.ask('U112', '/switchboard link');
    expect(ack.status).toBe(200);
    const prompt = await nextAnswer(channel);
    expect(titleOf(prompt)).toBe('Connect RingCentral');
    expect((await openPage(await signInAt(connectUrlOf(prompt)!, '112'))).text).toBe(
      'Linked as Lucas Schmidt (ext. 112) to Slack account Lucas Schmidt (lucas.schmidt@mycompany.com). You can close this tab.',
    );

    const connected = await nextAnswer(channel);
    expect(connected.replace_original).toBe(true);
    expect(titleOf(connected)).toBe('Connected to RingCentral');
    expect(readableText(connected)).toContain('Linked as Lucas Schmidt (ext. 112). Not you? /switchboard unlink');
    expect(connectUrlOf(connected)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(channel.messages, '`link` has nothing more to answer').toHaveLength(2);
  });

  it('a link belongs to one Slack workspace: the same user id in another workspace is not linked', async () => {
    await linkUser(stack, 'U109', '109');
    const channel = stack.slack.newResponseChannel();
    const ack = await postSlashCommand(stack.target, {
      teamId: 'T0OTHER',
      userId: 'U109',
      command: '/ext',
      text: '102',
      responseUrl: channel.url,
    });
    expect(ack.status).toBe(200);
    const reply = await nextAnswer(channel);
    expect(titleOf(reply)).toBe('Connect your RingCentral account');
    expect(connectUrlOf(reply)).toBeDefined();
  });
});

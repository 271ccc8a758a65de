import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_BOT_SCOPES } from '../../../src/bot/slack/installations.ts';
import type { LocalSlackInstallGrant, ResponseMessage } from '../../../src/demo/local-slack.ts';
import { eventEnvelope, messageTs, postEvent, postSlashCommand } from '../../../src/demo/slack-requests.ts';
import {
  answer,
  connectUrlOf,
  fieldsOf,
  linkUser,
  nextAnswer,
  nextPost,
  readableText,
  startSlackTestStack,
  type SlackTestStack,
} from '../../support/slack-stack.ts';

/*
 * "Add to Slack" install mode end to end: the real bot behind Bolt's HTTP receiver and installer, its store a SQLite
 * file, and local Slack recording oauth.v2.access and the token every Web API call carried.
 */

const CLIENT_ID = '1234.5678';
const botToken = (name: string) => `xoxb-${name}-${randomBytes(20).toString('hex')}`;

describe('Slack install mode', () => {
  let stack: SlackTestStack;
  let dir: string;
  let databaseFile: string;
  const tokenA = botToken('a');
  const tokenB = botToken('b');
  const tokenOrg = botToken('org');
  const WORKSPACE_B = 'T0OTHER';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-install-'));
    databaseFile = join(dir, 'switchboard.db');
    stack = await startSlackTestStack({
      env: {
        SLACK_BOT_TOKEN: '',
        SLACK_CLIENT_ID: CLIENT_ID,
        SLACK_CLIENT_SECRET: 'install-client-secret',
        DATABASE_URL: `sqlite:${databaseFile}`,
      },
    });
  });
  afterAll(async () => {
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The whole flow as a browser runs it: /slack/install, Slack's authorize page (granting `grant`), the redirect back. */
  async function install(grant: LocalSlackInstallGrant, options: { cookie?: boolean } = {}) {
    const start = await request(`${stack.bot.url}/slack/install`, { method: 'GET' });
    await start.body.dump();
    const authorize = new URL(String(start.headers.location));
    const cookie = String(start.headers['set-cookie']).split(';')[0] ?? '';
    const code = stack.slack.grantInstall(grant);
    const back = await request(`${stack.bot.url}/slack/oauth_redirect?code=${code}&state=${authorize.searchParams.get('state') ?? ''}`, {
      method: 'GET',
      headers: options.cookie === false ? {} : { cookie },
    });
    return { start, authorize, cookie, code, back: { status: back.statusCode, headers: back.headers, body: await back.body.text() } };
  }

  const tokensOf = (method: string, from = 0) =>
    stack.slack.apiCalls
      .slice(from)
      .filter((call) => call.method === method)
      .map((call) => call.token);

  async function command(teamId: string, userId: string, line: string, grid?: { enterpriseId: string; isEnterpriseInstall: boolean }) {
    const channel = stack.slack.newResponseChannel();
    const [name = '', ...rest] = line.split(' ');
    const ack = await postSlashCommand(stack.target, {
      teamId,
      userId,
      command: name,
      text: rest.join(' '),
      responseUrl: channel.url,
      ...(grid === undefined ? {} : { enterpriseId: grid.enterpriseId, isEnterpriseInstall: grid.isEnterpriseInstall }),
    });
    expect(ack.status).toBe(200);
    return channel;
  }

  async function dm(teamId: string, userId: string, text: string, grid?: { enterpriseId: string; isEnterpriseInstall: boolean }) {
    const from = stack.slack.apiCalls.length;
    const ts = messageTs();
    const event = { type: 'message', channel_type: 'im', user: userId, text, ts, event_ts: ts, channel: `D${userId}`, team: teamId };
    const ack = await postEvent(stack.target, eventEnvelope(teamId, event, undefined, grid));
    expect(ack.status).toBe(200);
    return nextPost(stack, { from });
  }

  it('before any install, a command is told the app is not installed and how to install it', async () => {
    const reply = await (await command('T0NONE', 'U101', '/switchboard status')).next();
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toMatch(/not installed in this workspace/);
    expect(reply.text).toContain(`${stack.bot.publicUrl}/slack/install`);
  });

  it('/slack/install redirects to Slack with the app, exactly the manifest’s scopes, our redirect URL and a state bound to a cookie', async () => {
    const { start, authorize, cookie } = await install({ teamId: stack.slack.teamId, botToken: tokenA });
    expect(start.statusCode).toBe(302);
    expect(`${authorize.origin}${authorize.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
    expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(authorize.searchParams.get('scope')?.split(',').sort()).toEqual([...SLACK_BOT_SCOPES].sort());
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${stack.bot.publicUrl}/slack/oauth_redirect`);
    expect(cookie).toBe(`slack-app-oauth-state=${authorize.searchParams.get('state')}`);
  });

  it('the redirect back trades the code at oauth.v2.access and stores the installation sealed: no token in the database', async () => {
    const exchange = stack.slack.apiCalls.find((call) => call.method === 'oauth.v2.access');
    expect(exchange?.params).toMatchObject({
      client_id: CLIENT_ID,
      client_secret: 'install-client-secret',
      redirect_uri: `${stack.bot.publicUrl}/slack/oauth_redirect`,
    });
    const stored = await stack.bot.services.store.slackInstallations.getSlackInstallation(stack.slack.teamId);
    expect(stored?.bot?.token).toBe(tokenA);
    const raw = [databaseFile, `${databaseFile}-wal`]
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file).toString('latin1'))
      .join('');
    expect(raw).toContain(stack.slack.teamId);
    expect(raw).not.toContain(tokenA.slice(10, 30));
  });

  it('no log line, debug included, holds the client secret, an install code or a bot token', async () => {
    const codes = stack.slack.apiCalls.filter((call) => call.method === 'oauth.v2.access').map((call) => call.params.code ?? '');
    expect(codes.length).toBeGreaterThan(0);
    expect(stack.logs.some((record) => record.level === 'debug' && JSON.stringify(record.fields).includes('oauth.v2.access'))).toBe(true);
    const logged = JSON.stringify(stack.logs);
    for (const secret of ['install-client-secret', tokenA, ...codes]) expect(logged).not.toContain(secret);
  });

  it('the page the install ends on says so, with the headers every page carries', async () => {
    const { back } = await install({ teamId: WORKSPACE_B, botToken: tokenB });
    expect(back.status).toBe(200);
    expect(back.body).toContain('Switchboard is installed');
    expect(back.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(back.headers['referrer-policy']).toBe('no-referrer');
  });

  it('a redirect without the browser’s state cookie is refused and stores nothing', async () => {
    const { back } = await install({ teamId: 'T0FORGED', botToken: botToken('forged') }, { cookie: false });
    expect(back.status).toBe(400);
    expect(back.body).toContain('was not installed');
    expect(await stack.bot.services.store.slackInstallations.getSlackInstallation('T0FORGED')).toBeUndefined();
  });

  it('each workspace’s commands work with its own token, Slack profiles read with it too', async () => {
    const from = stack.slack.apiCalls.length;
    await linkUser(stack, 'U101', '101');
    const card = await answer(stack, 'U101', '/ext <@U103|emma>');
    expect(fieldsOf(card)).toContainEqual(['Extension', '103']);
    expect(tokensOf('users.info', from).length).toBeGreaterThan(0);
    expect(new Set(tokensOf('users.info', from))).toEqual(new Set([tokenA]));

    expect((await dm(stack.slack.teamId, 'U101', 'help')).channel).toBe('DU101');
    expect(stack.slack.apiCalls.at(-1)).toMatchObject({ method: 'chat.postMessage', token: tokenA });
    await dm(WORKSPACE_B, 'U101', 'help');
    expect(stack.slack.apiCalls.at(-1)).toMatchObject({ method: 'chat.postMessage', token: tokenB });
  });

  it('the same user id in another workspace does not share the link', async () => {
    const inA = await nextAnswer(await command(stack.slack.teamId, 'U101', '/switchboard status'));
    expect(readableText(inA)).toContain('John Smith');
    const inB = await nextAnswer(await command(WORKSPACE_B, 'U101', '/switchboard status'));
    expect(connectUrlOf(inB)).toBeDefined();
    expect(readableText(inB)).not.toContain('John Smith');
  });

  it('app_uninstalled removes that workspace’s installation and its people’s RingCentral links (signed out at RingCentral); its commands are then told so, and the other workspace still works', async () => {
    // Someone of workspace B links first.
    const linking = await command(WORKSPACE_B, 'U102', '/switchboard status');
    expect((await stack.signIn(connectUrlOf(await linking.next()) ?? '', '102')).status).toBe(200);
    await linking.next();
    const store = stack.bot.services.store;
    expect(await store.getLink('slack:T0OTHER:U102')).toBeDefined();
    expect(await store.getLink(`slack:${stack.slack.teamId}:U101`)).toBeDefined();
    const revokesBefore = (await stack.control.stats()).byOperation.revokeToken ?? 0;

    const ack = await postEvent(stack.target, eventEnvelope(WORKSPACE_B, { type: 'app_uninstalled', event_ts: messageTs() }));
    expect(ack.status).toBe(200);
    await expect.poll(() => stack.bot.services.store.slackInstallations.getSlackInstallation(WORKSPACE_B)).toBeUndefined();
    await expect.poll(() => store.getLink('slack:T0OTHER:U102')).toBeUndefined();
    expect(await store.get('slack:T0OTHER:U102')).toBeUndefined();
    expect((await stack.control.stats()).byOperation.revokeToken ?? 0).toBe(revokesBefore + 1);
    // Workspace A's people keep theirs.
    expect(await store.getLink(`slack:${stack.slack.teamId}:U101`)).toBeDefined();
    const reply: ResponseMessage = await (await command(WORKSPACE_B, 'U101', '/ext 101')).next();
    expect(reply.text).toMatch(/not installed in this workspace/);
    const stillA = await nextAnswer(await command(stack.slack.teamId, 'U101', '/ext 101'));
    expect(fieldsOf(stillA)).toContainEqual(['Extension', '101']);
  });

  it('tokens_revoked for the bot token removes the installation too', async () => {
    await install({ teamId: WORKSPACE_B, botToken: tokenB });
    expect(await stack.bot.services.store.slackInstallations.getSlackInstallation(WORKSPACE_B)).toBeDefined();
    const event = { type: 'tokens_revoked', tokens: { bot: ['UBOT'] }, event_ts: messageTs() };
    expect((await postEvent(stack.target, eventEnvelope(WORKSPACE_B, event))).status).toBe(200);
    await expect.poll(() => stack.bot.services.store.slackInstallations.getSlackInstallation(WORKSPACE_B)).toBeUndefined();
  });

  it('an org-wide Enterprise Grid install serves two workspaces of the org with its one token, and a person’s link follows them', async () => {
    const grid = { enterpriseId: 'E0GRID', isEnterpriseInstall: true };
    const { back } = await install({ enterpriseId: grid.enterpriseId, isEnterpriseInstall: true, botToken: tokenOrg });
    expect(back.status).toBe(200);
    expect((await stack.bot.services.store.slackInstallations.getSlackInstallation('E0GRID'))?.isEnterpriseInstall).toBe(true);

    // Linked from one workspace of the org…
    const first = await command('T0GRID1', 'U103', '/switchboard status', grid);
    const page = await stack.signIn(connectUrlOf(await first.next()) ?? '', '103');
    expect(page.status).toBe(200);
    await first.next();
    // …and known as the same person in another.
    const second = await nextAnswer(await command('T0GRID2', 'U103', '/switchboard status', grid));
    expect(readableText(second)).toContain('Emma Chen');

    await dm('T0GRID1', 'U103', 'help', grid);
    expect(stack.slack.apiCalls.at(-1)).toMatchObject({ method: 'chat.postMessage', token: tokenOrg });
    await dm('T0GRID2', 'U103', 'help', grid);
    expect(stack.slack.apiCalls.at(-1)).toMatchObject({ method: 'chat.postMessage', token: tokenOrg });
  });

  it('uninstalling the org-wide install removes the org’s installation, and every workspace of the org is told so', async () => {
    const grid = { enterpriseId: 'E0GRID', isEnterpriseInstall: true };
    const ack = await postEvent(
      stack.target,
      eventEnvelope('T0GRID2', { type: 'app_uninstalled', event_ts: messageTs() }, undefined, grid),
    );
    expect(ack.status).toBe(200);
    await expect.poll(() => stack.bot.services.store.slackInstallations.getSlackInstallation('E0GRID')).toBeUndefined();
    for (const workspace of ['T0GRID1', 'T0GRID2']) {
      expect((await (await command(workspace, 'U103', '/ext 101', grid)).next()).text).toMatch(/not installed in this workspace/);
    }
    expect(await stack.bot.services.store.slackInstallations.getSlackInstallation(stack.slack.teamId)).toBeDefined();
  });
});

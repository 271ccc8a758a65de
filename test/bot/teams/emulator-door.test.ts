import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalTeamsUser } from '../../../src/demo/local-teams.ts';
import { messageActivity, postActivity } from '../../../src/demo/teams-requests.ts';
import type { TcpProxy } from '../../support/tcp-proxy.ts';
import { startTcpProxy } from '../../support/tcp-proxy.ts';
import type { TeamsTestStack } from '../../support/teams-stack.ts';
import { nextMessage, startTeamsTestStack, titleOf } from '../../support/teams-stack.ts';

/*
 * Emulator mode (no MicrosoftAppId) checks no token, so /api/messages may only be spoken to by this machine and only
 * answer to this machine: the activity's serviceUrl, where the bot posts what the user's RingCentral login sees, must
 * name a loopback IP literal or exactly `localhost`. Host names that only look local are anyone's DNS. Behind a
 * reverse proxy on the same host every peer is loopback, so this rule (and refusing relayed requests) is what keeps
 * the door shut there.
 */

let stack: TeamsTestStack;
let connector: URL;
const relays: TcpProxy[] = [];

beforeAll(async () => {
  stack = await startTeamsTestStack();
  connector = new URL(stack.teams.serviceUrl);
});

afterAll(async () => {
  for (const relay of relays) await relay.close();
  await stack?.close();
});

/** The local connector's serviceUrl, with its host written as `host` (port and path kept). */
function serviceUrlAt(host: string, port = connector.port): string {
  return `http://${host}:${port}${connector.pathname}`;
}

function helpActivity(user: LocalTeamsUser, serviceUrl: string): Record<string, unknown> {
  return messageActivity({
    serviceUrl,
    tenantId: stack.teams.tenantId,
    bot: stack.teams.bot,
    from: user,
    conversation: { id: stack.teams.personalConversationId(user), conversationType: 'personal' },
    text: 'help',
  });
}

describe('refused: 401, a warning, and nothing posted anywhere', () => {
  it.each(['127.evil.example', '127.0.0.1.attacker.example', 'localhost.attacker.example', 'localhost.', '10.0.0.1', '[::ffff:127.0.0.1]'])(
    'serviceUrl host %s',
    async (host) => {
      const before = stack.teams.requests.length;
      const refusals = () => stack.logs.filter((log) => log.level === 'warn' && log.message.startsWith('Teams request refused'));
      const refusedBefore = refusals().length;
      const ack = await postActivity(stack.teamsTarget, helpActivity(stack.teamsUser('103'), serviceUrlAt(host)));
      expect(ack).toEqual({ status: 401, body: 'Unauthorized' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(stack.teams.requests.length).toBe(before);
      expect(refusals().length).toBe(refusedBefore + 1);
      expect(refusals().at(-1)?.fields).toEqual({ reason: 'serviceUrl host is not loopback' });
    },
  );

  it.each([
    ['X-Forwarded-For', { 'x-forwarded-for': '203.0.113.9' }],
    ['Forwarded', { forwarded: 'for=203.0.113.9;proto=https' }],
    ['X-Real-IP', { 'x-real-ip': '203.0.113.9' }],
    ['Via', { via: '1.1 proxy' }],
  ])('a request a reverse proxy on this host relayed (%s), even with a loopback serviceUrl', async (_name, headers) => {
    const before = stack.teams.requests.length;
    const response = await request(stack.teamsTarget.messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(helpActivity(stack.teamsUser('103'), stack.teams.serviceUrl)),
    });
    expect(response.statusCode).toBe(401);
    await response.body.dump();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stack.teams.requests.length).toBe(before);
    expect(stack.logs.at(-1)).toMatchObject({ level: 'warn', fields: { reason: 'request was relayed by a proxy' } });
  });
});

describe('accepted and answered at that serviceUrl', () => {
  it('127.0.0.2 (any address in 127.0.0.0/8)', async () => {
    const relay = await startTcpProxy({ host: '127.0.0.1', port: Number(connector.port) }, '127.0.0.2');
    relays.push(relay);
    await expectAnsweredThrough(serviceUrlAt('127.0.0.2', String(relay.port)));
  });

  it('[::1]: admitted (the ack is 200 and no refusal is logged)', async () => {
    // Only the door is tested here: botbuilder's HTTP client (@azure/core-rest-pipeline) hands the bracketed host
    // "[::1]" to DNS, so an answer cannot be delivered at an IPv6-literal serviceUrl whatever the door says.
    const refusedBefore = stack.logs.filter((log) => log.message.startsWith('Teams request refused')).length;
    const ack = await postActivity(stack.teamsTarget, helpActivity(stack.teamsUser('103'), serviceUrlAt('[::1]')));
    expect(ack.status).toBe(200);
    expect(stack.logs.filter((log) => log.message.startsWith('Teams request refused')).length).toBe(refusedBefore);
  });

  it('localhost', async () => {
    await expectAnsweredThrough(serviceUrlAt('localhost'));
  });
});

async function expectAnsweredThrough(serviceUrl: string): Promise<void> {
  const emma = stack.teamsUser('103');
  const replies = stack.teams.replies(stack.teams.personalConversationId(emma));
  const ack = await postActivity(stack.teamsTarget, helpActivity(emma, serviceUrl));
  expect(ack.status).toBe(200);
  expect(titleOf(await nextMessage(replies))).toBe('Switchboard');
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSigned } from '../../../src/demo/slack-requests.ts';
import { slackSignatureHeaders } from '../../../src/demo/slack-signing.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import { answer, linkUser, startSlackTestStack } from '../../support/slack-stack.ts';

/*
 * Slack signs every request (v0 HMAC of timestamp and body); the bot must act on nothing else. Each forged request
 * asks for a real lookup by a linked user, so a request that slipped through would cost RingCentral calls and post an
 * answer: both are checked, not only the 401.
 */

let stack: SlackTestStack;

beforeAll(async () => {
  stack = await startSlackTestStack();
  await linkUser(stack, 'U101', '101');
});

afterAll(async () => {
  await stack?.close();
});

function slashCommandBody(responseUrl: string, text = '102'): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: stack.slack.teamId,
    team_domain: 'demo',
    channel_id: 'C0DEMO',
    channel_name: 'directory',
    user_id: 'U101',
    user_name: 'john',
    command: '/ext',
    text,
    api_app_id: 'A0SWITCHBOARD',
    response_url: responseUrl,
    trigger_id: `${Date.now()}.trigger`,
  }).toString();
}

/** Posts a forged request and checks the bot refused it with 401 and did nothing at all. */
async function expectRefused(headersFor: (body: string) => Record<string, string>): Promise<void> {
  const channel = stack.slack.newResponseChannel();
  const body = slashCommandBody(channel.url);
  await stack.control.resetStats();
  const ack = await postSigned(stack.target, body, headersFor(body));
  expect(ack.status).toBe(401);
  // Give a wrongly accepted command time to reach RingCentral and Slack before looking.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect((await stack.control.stats()).total, 'no RingCentral call for a refused request').toBe(0);
  expect(channel.messages, 'no answer for a refused request').toEqual([]);
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('Slack request signatures', () => {
  it('a correctly signed slash command is acknowledged with 200 and answered', async () => {
    const message = await answer(stack, 'U101', '/ext 102');
    expect(message.text).toContain('Paul Rivera');
  });

  it('an unsigned request gets 401 and no action', async () => {
    await expectRefused(() => ({ ...FORM }));
  });

  it('a request with a timestamp but no signature gets 401', async () => {
    await expectRefused(() => ({ ...FORM, 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)) }));
  });

  it('a request signed with another secret gets 401', async () => {
    await expectRefused((body) => slackSignatureHeaders(body, 'not-the-signing-secret'));
  });

  it('a signature of a different body (tampered text) gets 401', async () => {
    await expectRefused((body) => slackSignatureHeaders(body.replace('text=102', 'text=103'), stack.target.signingSecret));
  });

  it('a malformed signature header gets 401', async () => {
    await expectRefused((body) => ({ ...slackSignatureHeaders(body, stack.target.signingSecret), 'x-slack-signature': 'v0=zz' }));
  });

  it('a correctly signed request older than five minutes (a replay) gets 401', async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    await expectRefused((body) => slackSignatureHeaders(body, stack.target.signingSecret, sixMinutesAgo));
  });

  it('a correctly signed request dated in the future gets 401', async () => {
    const inTenMinutes = Math.floor(Date.now() / 1000) + 10 * 60;
    await expectRefused((body) => slackSignatureHeaders(body, stack.target.signingSecret, inTenMinutes));
  });

  it('a button click signed with another secret gets 401 and no action', async () => {
    const channel = stack.slack.newResponseChannel();
    const payload = {
      type: 'block_actions',
      team: { id: stack.slack.teamId, domain: 'demo' },
      user: { id: 'U101', team_id: stack.slack.teamId, name: 'john' },
      api_app_id: 'A0SWITCHBOARD',
      token: 'deprecated-verification-token',
      response_url: channel.url,
      actions: [{ type: 'button', action_id: 'switchboard_command:1', block_id: 'actions', value: 'ext 102', action_ts: '1.1' }],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    await stack.control.resetStats();
    const ack = await postSigned(stack.target, body, slackSignatureHeaders(body, 'not-the-signing-secret'));
    expect(ack.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await stack.control.stats()).total).toBe(0);
    expect(channel.messages).toEqual([]);
  });
});

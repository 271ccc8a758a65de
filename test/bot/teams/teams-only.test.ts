import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptiveToText } from '../../../src/demo/adaptive-to-text.ts';
import type { TeamsTestStack } from '../../support/teams-stack.ts';
import { answer, linkTeamsUser, startTeamsTestStack } from '../../support/teams-stack.ts';

/*
 * Slack is optional (on only with SLACK_SIGNING_SECRET); Teams is always served. A bot with no Slack settings answers
 * Teams alone, and the demo console can draw what it posted.
 */

let stack: TeamsTestStack;

beforeAll(async () => {
  stack = await startTeamsTestStack({ env: { SLACK_SIGNING_SECRET: '', SLACK_BOT_TOKEN: '' } });
});

afterAll(async () => {
  await stack?.close();
});

describe('a bot without Slack settings', () => {
  it('does not serve /slack/events', async () => {
    const response = await request(`${stack.bot.url}/slack/events`, { method: 'POST', body: 'command=%2Fext&text=101' });
    await response.body.dump();
    expect(response.statusCode).toBe(404);
  });

  it('serves Teams on /api/messages, links through the same OAuth callback, and answers', async () => {
    const john = await linkTeamsUser(stack, '101');
    const message = await answer(stack, john, 'ext 102');
    const text = adaptiveToText(message);
    expect(text.split('\n')[0]).toBe('Paul Rivera');
    expect(text).toMatch(/Direct number\s+\(650\) 331-6252/);
    expect(text).toContain('[Call (650) 331-6252: tel:+16503316252]');
  });
});

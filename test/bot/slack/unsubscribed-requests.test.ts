import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSigned } from '../../../src/demo/slack-requests.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import { startSlackTestStack } from '../../support/slack-stack.ts';

/*
 * Slack can send a signed request the bot has no use for: an action id it never drew, a shortcut, a modal submission.
 * Each is acknowledged at once (Slack shows the person an error after 3 seconds without one) and logged as nothing
 * worse than debug.
 */

let stack: SlackTestStack;

beforeAll(async () => {
  stack = await startSlackTestStack();
});

afterAll(async () => {
  await stack?.close();
});

const base = {
  team: { id: 'T0DEMO' },
  user: { id: 'U103', team_id: 'T0DEMO' },
  api_app_id: 'A0SWITCHBOARD',
  token: 'x',
  trigger_id: '1.2',
};
const payloads: Record<string, unknown> = {
  'an unknown action': {
    ...base,
    type: 'block_actions',
    response_url: 'http://127.0.0.1:9/none',
    actions: [{ type: 'button', action_id: 'someone_elses', value: 'x' }],
  },
  'a global shortcut': { ...base, type: 'shortcut', callback_id: 'anything' },
  'a modal submission': { ...base, type: 'view_submission', view: { id: 'V1', callback_id: 'anything', state: { values: {} } } },
};

describe('requests the bot does not use', () => {
  for (const [name, payload] of Object.entries(payloads)) {
    it(`${name} is acknowledged at once, quietly`, async () => {
      const started = performance.now();
      const ack = await postSigned(stack.target, new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
      expect(ack.status).toBe(200);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(stack.logs.filter((record) => record.level === 'warn' || record.level === 'error')).toEqual([]);
    });
  }
});

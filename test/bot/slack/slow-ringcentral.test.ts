import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import { expectValidMessages, fieldsOf, linkUser, nextAnswer, startSlackTestStack, titleOf } from '../../support/slack-stack.ts';

/*
 * Slack wants an acknowledgement within 3 seconds; the answer may come later. When RingCentral is slow the bot says
 * "looking up…" on the response_url and then replaces that message with the answer. The bot here says so after
 * 150 ms and the sandbox adds 400 ms to every request, so the test stays quick.
 */

let stack: SlackTestStack;

beforeAll(async () => {
  stack = await startSlackTestStack({ lookingUpAfterMs: 150 });
  await linkUser(stack, 'U103', '103');
});

afterAll(async () => {
  await stack?.control.config({ latencyMs: 0 });
  await stack?.close();
});

describe('a slow RingCentral', () => {
  it('the command is acknowledged at once, "looking up…" follows, and the answer replaces it', async () => {
    await stack.control.config({ latencyMs: 400 });
    const started = performance.now();
    const { ack, channel } = await stack.ask('U103', '/ext 102');
    const ackMs = performance.now() - started;
    expect(ack.status).toBe(200);
    expect(ackMs, "acknowledged well within Slack's 3 seconds").toBeLessThan(1000);

    const placeholder = await channel.next();
    expect(titleOf(placeholder)).toBe('Looking that up in RingCentral…');
    const final = await nextAnswer(channel);
    expect(final.replace_original).toBe(true);
    expect(titleOf(final)).toBe('Paul Rivera');
    expect(fieldsOf(final)).toContainEqual(['Extension', '102']);
    expectValidMessages(channel);
    expect(channel.messages).toHaveLength(2);
  });

  it('a quick answer comes alone, with no placeholder', async () => {
    await stack.control.config({ latencyMs: 0 });
    const { channel } = await stack.ask('U103', '/ext 102');
    const message = await nextAnswer(channel);
    expect(titleOf(message)).toBe('Paul Rivera');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(channel.messages).toHaveLength(1);
  });
});

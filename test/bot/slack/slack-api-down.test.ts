import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import { answer, fieldsOf, linkUserByCode, startSlackTestStack, titleOf } from '../../support/slack-stack.ts';

/*
 * Slack's Web API unreachable from the bot (its slash commands and response_urls still work): commands are acked and
 * answered as usual, and the one answer that needs the Web API (a mention's email) gives up in seconds, kindly.
 */

let stack: SlackTestStack;
let deadSlackApi: Server;

beforeAll(async () => {
  // Accepts connections and drops them at once, as a Slack API behind a broken network path would look.
  deadSlackApi = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => deadSlackApi.listen(0, '127.0.0.1', resolve));
  const { port } = deadSlackApi.address() as { port: number };
  stack = await startSlackTestStack({ env: { SLACK_API_URL: `http://127.0.0.1:${port}/api/` } });
  // Without Slack's Web API the bot cannot read U103's email, so the link needs the sign-in page's code.
  await linkUserByCode(stack, 'U103', '103');
});

afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => deadSlackApi.close(resolve));
});

describe("with Slack's Web API unreachable", () => {
  it('a command is acked at once and answered', async () => {
    const started = performance.now();
    const { ack } = await stack.ask('U103', '/ext 101');
    expect(ack.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1_000);
    const message = await answer(stack, 'U103', '/ext 102');
    expect(fieldsOf(message)).toContainEqual(['Extension', '102']);
  });

  it("/ext @mention, which needs the person's Slack profile, says it cannot read it within seconds", async () => {
    const started = performance.now();
    const message = await answer(stack, 'U103', '/ext <@U102|paul>');
    expect(titleOf(message)).toBe('That person has no email in chat');
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 20_000);
});

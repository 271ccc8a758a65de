import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import { answer, commandButtons, connectUrlOf, linkUser, nextAnswer, startSlackTestStack, titleOf } from '../../support/slack-stack.ts';
import { slackButtons } from '../../support/slack-limits.ts';

/*
 * Clicks on the bot's buttons come back as signed block_actions. Link buttons (Call, Connect RingCentral) open in the
 * Slack client, but Slack still sends the click and expects a 200; command buttons run their command for whoever
 * clicked, with that person's own login.
 */

let stack: SlackTestStack;

beforeAll(async () => {
  stack = await startSlackTestStack();
  await linkUser(stack, 'U103', '103');
});

afterAll(async () => {
  await stack?.close();
});

describe('button clicks', () => {
  it('a click on a Call or Connect link button is acknowledged and answered with nothing', async () => {
    const card = await answer(stack, 'U103', '/ext 102');
    const linkButtons = slackButtons(card).filter((button) => typeof button['url'] === 'string');
    const prompt = await answer(stack, 'U101', '/ext 102');
    linkButtons.push(...slackButtons(prompt).filter((button) => typeof button['url'] === 'string'));
    expect(linkButtons.map((button) => String(button['url']).split(':')[0])).toEqual(expect.arrayContaining(['tel', 'http']));

    await stack.control.resetStats();
    for (const button of linkButtons) {
      const { ack, channel } = await stack.click('U103', { action_id: String(button['action_id']), value: '' });
      expect(ack.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(channel.messages).toEqual([]);
    }
    expect((await stack.control.stats()).total).toBe(0);
  });

  it('a "Show owner" button on a /whois answer opens the owner\'s card', async () => {
    const whois = await answer(stack, 'U103', '/whois +16503316252');
    const showOwner = commandButtons(whois).find((button) => button.label === 'Show Paul Rivera');
    expect(showOwner?.value).toBe('ext 102');
    const { ack, channel } = await stack.click('U103', showOwner!);
    expect(ack.status).toBe(200);
    expect(titleOf(await nextAnswer(channel))).toBe('Paul Rivera');
  });

  it('a command button clicked by someone not linked asks them to connect, then answers the click', async () => {
    const { ack, channel } = await stack.click('U104', { action_id: 'switchboard_command:1', value: 'ext 102' });
    expect(ack.status).toBe(200);
    const prompt = await nextAnswer(channel);
    const url = connectUrlOf(prompt);
    expect(url).toBeDefined();
    expect((await stack.signIn(url!, '104')).status).toBe(200);
    expect(titleOf(await nextAnswer(channel))).toBe('Connected to RingCentral');
    expect(titleOf(await nextAnswer(channel))).toBe('Paul Rivera');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseMessage } from '../../../src/demo/local-slack.ts';
import { ALEXES, pagingCompany } from '../../support/paging-company.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import { answer, commandButtons, linkUser, nextAnswer, readableText, startSlackTestStack, titleOf } from '../../support/slack-stack.ts';

/*
 * A long list of matches pages through its "Show more" button: the button's value is the next page's command, and
 * Slack sends it back as a block_actions click. A seed with 25 people called Alex makes three pages of ten.
 */

let stack: SlackTestStack;

beforeAll(async () => {
  stack = await startSlackTestStack({ sandbox: { seed: pagingCompany } });
  await linkUser(stack, 'U101', '101');
  await linkUser(stack, 'U102', '102');
});

afterAll(async () => {
  await stack?.close();
});

function listedNames(message: ResponseMessage): string[] {
  return (message.blocks as Array<{ type: string; text?: { type: string; text: string } }>)
    .filter((block) => block.type === 'section' && block.text?.type === 'mrkdwn')
    .map((block) => /^\*(.+?)\*/.exec(block.text!.text)?.[1] ?? '');
}

function showMoreOf(message: ResponseMessage) {
  return commandButtons(message).find((button) => button.label === 'Show more');
}

async function click(slackUserId: string, button: { action_id: string; value: string }): Promise<ResponseMessage> {
  const { ack, channel } = await stack.click(slackUserId, button);
  expect(ack.status).toBe(200);
  return nextAnswer(channel);
}

describe.each([
  ['administrator', 'U101'],
  ['standard user', 'U102'],
])('"Show more" as an %s', (_role, slackUserId) => {
  it('pages through all 25 matches, ten at a time, in order, and the last page has no "Show more"', async () => {
    const first = await answer(stack, slackUserId, '/ext alex');
    expect(titleOf(first)).toBe('Extensions matching “alex”');
    expect(readableText(first)).toContain('Showing 1–10 of 25');
    const more1 = showMoreOf(first);
    expect(more1?.value).toBe('ext alex page:2');

    const second = await click(slackUserId, more1!);
    expect(readableText(second)).toContain('Showing 11–20 of 25');
    const more2 = showMoreOf(second);
    expect(more2?.value).toBe('ext alex page:3');

    const third = await click(slackUserId, more2!);
    expect(readableText(third)).toContain('Showing 21–25 of 25');
    expect(showMoreOf(third)).toBeUndefined();

    expect([...listedNames(first), ...listedNames(second), ...listedNames(third)]).toEqual(ALEXES);
  });

  it('a list item\'s "Details" button shows that person', async () => {
    const first = await answer(stack, slackUserId, '/ext alex');
    const details = commandButtons(first).filter((button) => button.label === 'Details');
    expect(details).toHaveLength(10);
    const card = await click(slackUserId, details[2]!);
    expect(titleOf(card)).toBe(ALEXES[2]);
  });

  it('a page past the end shows the last page', async () => {
    const message = await answer(stack, slackUserId, '/ext alex page:9');
    expect(readableText(message)).toContain('Showing 21–25 of 25');
  });
});

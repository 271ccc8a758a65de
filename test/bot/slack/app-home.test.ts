import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishedView } from '../../../src/demo/local-slack.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import {
  answer,
  connectUrlOf,
  fieldsOf,
  linkUser,
  nextHome,
  nextPost,
  readableText,
  startSlackTestStack,
  titleOf,
} from '../../support/slack-stack.ts';

/*
 * The Home tab through the real Bolt endpoint: app_home_opened (a signed Events API request) → views.publish on local
 * Slack. It shows the person linked and their own card, or a Connect button; a link or unlink draws it again.
 */

let stack: SlackTestStack;

beforeAll(async () => {
  stack = await startSlackTestStack();
});

afterAll(async () => {
  await stack?.close();
});

const asMessage = (home: PublishedView) => ({ text: 'home', blocks: home.view.blocks ?? [] });
const textOf = (home: PublishedView) => readableText(asMessage(home));
const headersOf = (home: PublishedView) =>
  (home.view.blocks as Array<{ type: string; text?: { text: string } }>)
    .filter((block) => block.type === 'header')
    .map((block) => block.text?.text ?? '');

describe('App Home', () => {
  it('shows a Connect button to someone not linked; linking from it draws the tab again with who they are and their card', async () => {
    const opened = await stack.openHome('U103');
    expect(opened.ack.status).toBe(200);
    const before = await nextHome(stack, opened, 'U103');
    const url = connectUrlOf(asMessage(before));
    expect(url, 'a Connect RingCentral button').toBeDefined();
    expect(textOf(before)).not.toContain('Emma Chen');
    expect(headersOf(before)).toContain('Switchboard'); // the commands with examples
    expect(textOf(before)).toContain('ext 101');

    const from = { from: stack.slack.apiCalls.length };
    expect((await stack.signIn(url!, '103')).status).toBe(200);
    const after = await nextHome(stack, from, 'U103');
    expect(headersOf(after)).toContain('✅ Linked to RingCentral');
    expect(fieldsOf(asMessage(after))).toContainEqual(['Name', 'Emma Chen']);
    expect(fieldsOf(asMessage(after))).toContainEqual(['Role', 'Standard user']);
    // Their own card, as /ext with nothing after it shows it.
    expect(headersOf(after)).toContain('Emma Chen (you)');
    expect(fieldsOf(asMessage(after))).toContainEqual(['Extension', '103']);
    expect(connectUrlOf(asMessage(after))).toBeUndefined();
  });

  it('shows each person their own link: another user opening it sees theirs, never the one before', async () => {
    await linkUser(stack, 'U101', '101');
    const opened = await stack.openHome('U101');
    const home = await nextHome(stack, opened, 'U101');
    expect(fieldsOf(asMessage(home))).toContainEqual(['Name', 'John Smith']);
    expect(fieldsOf(asMessage(home))).toContainEqual(['Role', 'Administrator']);
    expect(textOf(home)).not.toContain('Emma Chen');
  });

  it('changes after an unlink, by DM or by slash command: the Connect button is back and their card is gone', async () => {
    const unlinked = await stack.message('U103', 'unlink');
    await nextPost(stack, unlinked);
    const afterDm = await nextHome(stack, unlinked, 'U103');
    expect(connectUrlOf(asMessage(afterDm))).toBeDefined();
    expect(textOf(afterDm)).not.toContain('Emma Chen');
    expect(fieldsOf(asMessage(afterDm))).toEqual([]);

    const from = { from: stack.slack.apiCalls.length };
    const slashUnlink = await answer(stack, 'U101', '/switchboard unlink');
    expect(titleOf(slashUnlink)).toBe('Disconnected from RingCentral');
    const afterSlash = await nextHome(stack, from, 'U101');
    expect(connectUrlOf(asMessage(afterSlash))).toBeDefined();
    expect(textOf(afterSlash)).not.toContain('John Smith');
  });

  it('is drawn again after a link made by slash command for someone who has opened it, and for nobody else', async () => {
    const opened = await stack.openHome('U105');
    await nextHome(stack, opened, 'U105');
    const from = { from: stack.slack.apiCalls.length };
    await linkUser(stack, 'U105', '105');
    const after = await nextHome(stack, from, 'U105');
    expect(fieldsOf(asMessage(after))).toContainEqual(['Extension', '105']);

    // Someone who never opened it: linking publishes no Home tab (it is drawn when they open it).
    const before = stack.slack.apiCalls.length;
    await linkUser(stack, 'U106', '106');
    const ack = await stack.message('U106', 'help');
    await nextPost(stack, ack);
    expect(stack.slack.apiCalls.slice(before).filter((call) => call.method === 'views.publish')).toEqual([]);
  });

  it('ignores the Messages tab being opened (that is the DM)', async () => {
    const from = stack.slack.apiCalls.length;
    const { postEvent, eventEnvelope } = await import('../../../src/demo/slack-requests.ts');
    const ack = await postEvent(
      stack.target,
      eventEnvelope(stack.slack.teamId, { type: 'app_home_opened', user: 'U105', channel: 'DU105', tab: 'messages', event_ts: '1.1' }),
    );
    expect(ack.status).toBe(200);
    const home = await stack.openHome('U104');
    await nextHome(stack, home, 'U104');
    expect(stack.slack.apiCalls.slice(from).filter((call) => call.params.user_id === 'U105')).toEqual([]);
  });
});

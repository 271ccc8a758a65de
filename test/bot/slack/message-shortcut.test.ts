import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SLACK_CHANNEL } from '../../../src/demo/demo-stack.ts';
import type { PostedMessage } from '../../../src/demo/local-slack.ts';
import { scrape, total } from '../../observability/prometheus-text.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import {
  answer,
  connectUrlOf,
  linkUser,
  nextPost,
  postsSince,
  readableText,
  startSlackTestStack,
  titleOf,
} from '../../support/slack-stack.ts';

/*
 * The "Look up phone numbers" message shortcut through the real Bolt endpoint (a signed message_action payload),
 * answered through local Slack's Web API, privately. John Smith (U101) is an administrator, Emma Chen (U103) a
 * standard user; Paul Rivera's forwarded number (786) 987-6543 is one only an administrator may see.
 */

const PAULS_DIRECT = '(650) 331-6252';
const PAULS_FORWARDED = '(786) 987-6543';
const NOT_THE_COMPANYS = '(510) 555-0000';
const MESSAGE = `Paul is on ${PAULS_DIRECT}, his mobile forwards from +1 786-987-6543, and the vendor called from 510.555.0000 twice.`;

let stack: SlackTestStack;

beforeAll(async () => {
  stack = await startSlackTestStack();
  await linkUser(stack, 'U101', '101');
  await linkUser(stack, 'U103', '103');
});

afterAll(async () => {
  await stack?.close();
});

/** Each line of the answer, one item per number: its title and what is said of it. */
function itemsOf(post: PostedMessage): string[] {
  return (post.blocks as Array<{ type: string; text?: { type: string; text: string } }>)
    .filter((block) => block.type === 'section' && block.text?.type === 'mrkdwn')
    .map((block) => readableText({ text: 'x', blocks: [block] }).replace(/\*/g, ''));
}

describe('the "Look up phone numbers" message shortcut', () => {
  it('answers three numbers in one message privately; a number hidden from a standard user reads as /whois says it', async () => {
    const sent = await stack.lookUpNumbers('U103', MESSAGE, { threadTs: '1700000000.000300' });
    expect(sent.ack).toEqual({ status: 200, body: '' });
    const post = await nextPost(stack, sent);
    expect(post).toMatchObject({ method: 'chat.postEphemeral', channel: DEMO_SLACK_CHANNEL, user: 'U103', thread_ts: '1700000000.000300' });
    expect(titleOf(post)).toBe('Phone numbers in this message');
    const items = itemsOf(post);
    expect(items).toHaveLength(3);
    expect(items[0]).toContain(PAULS_DIRECT);
    expect(items[0]).toContain('Paul Rivera');

    // The same words /whois gives this person for each of the two numbers it cannot place.
    const hidden = await answer(stack, 'U103', `/whois ${PAULS_FORWARDED}`);
    const foreign = await answer(stack, 'U103', `/whois ${NOT_THE_COMPANYS}`);
    expect(items[1]).toBe(titleOf(hidden));
    expect(items[2]).toBe(titleOf(foreign));
    expect(items[1]).toBe(`${PAULS_FORWARDED} is not in your company directory`);
    expect(readableText(post)).not.toContain('Forwarded');
    expect(postsSince(stack, sent).filter((candidate) => candidate.method === 'chat.postMessage')).toEqual([]);
  });

  it('counts as one whois in the command metrics, and opening App Home counts as nothing', async () => {
    const whoisOk = async () =>
      total((await scrape(stack.bot.url)).samples, 'switchboard_commands_total', { command: 'whois', outcome: 'ok' });
    const allCommands = async () => total((await scrape(stack.bot.url)).samples, 'switchboard_commands_total');
    const before = await whoisOk();
    await nextPost(stack, await stack.lookUpNumbers('U101', MESSAGE));
    expect(await whoisOk()).toBe(before + 1);
    const beforeHome = await allCommands();
    const opened = await stack.openHome('U101');
    await stack.slack.waitForCall((call) => call.method === 'views.publish' && call.params.user_id === 'U101', { from: opened.from });
    expect(await allCommands()).toBe(beforeHome);
  });

  it('shows an administrator who owns the number a standard user cannot see', async () => {
    const post = await nextPost(stack, await stack.lookUpNumbers('U101', MESSAGE));
    const items = itemsOf(post);
    expect(items).toHaveLength(3);
    expect(items[1]).toContain('Paul Rivera');
    expect(items[1]).toContain('Forwarded number');
    expect(items[2]).toBe(`${NOT_THE_COMPANYS} is not in your company directory`);
  });

  it('looks up at most 10 numbers and says how many more there were; each number once', async () => {
    const numbers = Array.from({ length: 12 }, (_, index) => `(510) 555-01${String(index).padStart(2, '0')}`);
    const text = `${numbers.join(', ')} and again ${numbers[0]}`;
    const post = await nextPost(stack, await stack.lookUpNumbers('U101', text));
    expect(itemsOf(post)).toHaveLength(10);
    expect(readableText(post)).toContain('…and 2 more numbers, not looked up: at most 10 at a time.');
  });

  it('says so when the message has no phone number', async () => {
    const post = await nextPost(stack, await stack.lookUpNumbers('U101', 'lunch at 12:30? room 101, ticket #4471'));
    expect(readableText(post)).toContain('No phone numbers found in this message.');
  });

  it('answers in a DM when there is no channel', async () => {
    const post = await nextPost(stack, await stack.lookUpNumbers('U101', MESSAGE, { channelId: null }));
    expect(post).toMatchObject({ method: 'chat.postMessage', channel: 'U101' });
    expect(itemsOf(post)).toHaveLength(3);
  });

  it('answers in a DM when Slack refuses the ephemeral message (the bot is not in that channel)', async () => {
    stack.slack.apiAnswer = (method) => (method === 'chat.postEphemeral' ? { ok: false, error: 'channel_not_found' } : undefined);
    try {
      const sent = await stack.lookUpNumbers('U101', MESSAGE, { channelId: 'C0PRIVATE' });
      const post = await nextPost(stack, sent, (candidate) => candidate.method === 'chat.postMessage');
      expect(post.channel).toBe('U101');
      expect(itemsOf(post)).toHaveLength(3);
      const tried = stack.slack.apiCalls.slice(sent.from).filter((call) => call.method === 'chat.postEphemeral');
      expect(tried.map((call) => [call.params.channel, call.params.user])).toEqual([['C0PRIVATE', 'U101']]);
    } finally {
      stack.slack.apiAnswer = undefined;
    }
  });

  it('offers an unlinked user the Connect prompt privately, then answers the same message once linked', async () => {
    const sent = await stack.lookUpNumbers('U102', MESSAGE);
    const prompt = await nextPost(stack, sent);
    expect(prompt).toMatchObject({ method: 'chat.postEphemeral', channel: DEMO_SLACK_CHANNEL, user: 'U102' });
    const url = connectUrlOf(prompt);
    expect(url).toBeDefined();
    expect((await stack.signIn(url!, '102')).status).toBe(200);
    const post = await nextPost(stack, sent, (candidate) => titleOf(candidate) === 'Phone numbers in this message');
    expect(post).toMatchObject({ method: 'chat.postEphemeral', user: 'U102' });
    expect(itemsOf(post)).toHaveLength(3);
  });
});

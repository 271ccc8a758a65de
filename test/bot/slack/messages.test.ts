import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SLACK_CHANNEL } from '../../../src/demo/demo-stack.ts';
import type { PostedMessage } from '../../../src/demo/local-slack.ts';
import { LOCAL_BOT_USER_ID } from '../../../src/demo/slack-requests.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import {
  connectUrlOf,
  fieldsOf,
  linkUser,
  nextPost,
  postsSince,
  readableText,
  startSlackTestStack,
  titleOf,
} from '../../support/slack-stack.ts';

/*
 * Messages to the bot through the real Bolt endpoint (signed Events API requests), answered through local Slack's
 * Web API: a DM in the DM, an @mention privately to the asker. John Smith (U101) is linked; Paul Rivera (U102) is
 * not until a test links him.
 */

let stack: SlackTestStack;

beforeAll(async () => {
  stack = await startSlackTestStack();
  await linkUser(stack, 'U101', '101');
});

afterAll(async () => {
  await stack?.close();
});

/** Every digit run of 3 or more in a message a whole channel could read: a phone or extension number. */
function numbersIn(post: PostedMessage): string[] {
  return JSON.stringify(post).match(/\d{3,}/g) ?? [];
}

describe('a direct message to the bot', () => {
  it.each([
    ['ext 102', 'Paul Rivera'],
    ['102', 'Paul Rivera'],
    ['whois (650) 331-6252', '(650) 331-6252'],
    ['+1 650 331 6252', '(650) 331-6252'],
    ['paul.rivera@mycompany.com', 'Paul Rivera'],
    ['<mailto:paul.rivera@mycompany.com|paul.rivera@mycompany.com>', 'Paul Rivera'],
  ])('"%s" is answered in that DM, as Teams reads it', async (text, title) => {
    const sent = await stack.message('U101', text);
    expect(sent.ack.status).toBe(200);
    const post = await nextPost(stack, sent);
    expect(post).toMatchObject({ method: 'chat.postMessage', channel: stack.dmChannelOf('U101') });
    expect(titleOf(post)).toBe(title);
  });

  it('"help" and words that are no command get help; an unknown /command says so', async () => {
    const help = await nextPost(stack, await stack.message('U101', 'help'));
    expect(titleOf(help)).toBe('Switchboard');
    const thanks = await nextPost(stack, await stack.message('U101', 'thanks!'));
    expect(titleOf(thanks)).toBe('Switchboard');
    const unknown = await nextPost(stack, await stack.message('U101', '/frobnicate 1'));
    expect(titleOf(unknown)).toContain('frobnicate');
  });

  it('a DM in a thread is answered in that thread', async () => {
    const sent = await stack.message('U101', 'ext 102', { threadTs: '1700000000.000100' });
    const post = await nextPost(stack, sent);
    expect(post).toMatchObject({ method: 'chat.postMessage', channel: stack.dmChannelOf('U101'), thread_ts: '1700000000.000100' });
  });

  it('an unlinked user gets the Connect prompt in the DM, and once linked the answer to what they asked', async () => {
    const sent = await stack.message('U102', 'ext 101');
    const prompt = await nextPost(stack, sent);
    expect(prompt).toMatchObject({ method: 'chat.postMessage', channel: stack.dmChannelOf('U102') });
    const url = connectUrlOf(prompt);
    expect(url).toBeDefined();
    const page = await stack.signIn(url!, '102');
    expect(page.status).toBe(200);
    const answer = await nextPost(stack, sent, (post) => post !== undefined && titleOf(post) === 'John Smith');
    expect(answer.channel).toBe(stack.dmChannelOf('U102'));
    expect(fieldsOf(answer)).toContainEqual(['Extension', '101']);
  });
});

describe('an @mention in a channel', () => {
  it('is answered to the asker alone, in that channel and thread; the channel receives nothing with a number in it', async () => {
    const sent = await stack.message('U101', 'whois (650) 331-6252', { where: 'channel', threadTs: '1700000000.000200' });
    expect(sent.ack.status).toBe(200);
    const post = await nextPost(stack, sent);
    expect(post).toMatchObject({ method: 'chat.postEphemeral', channel: DEMO_SLACK_CHANNEL, user: 'U101', thread_ts: '1700000000.000200' });
    expect(fieldsOf(post)).toContainEqual(['Belongs to', 'Paul Rivera']);

    const visibleToChannel = postsSince(stack, sent).filter((candidate) => candidate.method === 'chat.postMessage');
    expect(visibleToChannel).toEqual([]);
    for (const candidate of postsSince(stack, sent)) {
      if (candidate.method !== 'chat.postEphemeral' || candidate.user !== 'U101') expect(numbersIn(candidate)).toEqual([]);
    }
  });

  it('reads the command wherever the bot is mentioned in it', async () => {
    const sent = await stack.message('U101', '102', { where: 'channel' });
    const post = await nextPost(stack, sent);
    expect(post).toMatchObject({ method: 'chat.postEphemeral', user: 'U101' });
    expect(titleOf(post)).toBe('Paul Rivera');
  });

  it('offers an unlinked user the Connect prompt privately too', async () => {
    const sent = await stack.message('U104', 'ext 101', { where: 'channel' });
    const post = await nextPost(stack, sent);
    expect(post).toMatchObject({ method: 'chat.postEphemeral', channel: DEMO_SLACK_CHANNEL, user: 'U104' });
    expect(connectUrlOf(post)).toBeDefined();
    expect(postsSince(stack, sent).filter((candidate) => candidate.method === 'chat.postMessage')).toEqual([]);
  });
});

describe('messages the bot never answers', () => {
  it('ignores bot messages, edits, deletions, other bots, its own messages and a repeated delivery', async () => {
    const first = await stack.message('U101', 'ext 102', { eventId: 'EvREPEATED' });
    await nextPost(stack, first);
    const sent = await stack.message('U101', 'ext 102', { eventId: 'EvREPEATED' });
    await stack.message('U101', 'ext 102', { event: { subtype: 'bot_message', bot_id: 'BOTHER', user: undefined } });
    await stack.message('U101', 'ext 102', { event: { bot_id: 'BOTHER', bot_profile: { name: 'other bot' } } });
    await stack.message('U101', 'ext 102', {
      event: {
        subtype: 'message_changed',
        message: { type: 'message', user: 'U101', text: 'ext 103' },
        previous_message: { text: 'ext 102' },
      },
    });
    await stack.message('U101', 'ext 102', { event: { subtype: 'message_deleted' } });
    await stack.message(LOCAL_BOT_USER_ID, 'ext 102');
    await stack.message('U101', 'ext 102', { where: 'channel', event: { bot_id: 'BBOT' } });
    await stack.message('U101', 'ext 102', { where: 'channel', event: { edited: { user: 'U101', ts: '1.1' } } });
    // A message the bot does answer, sent last: once its answer is there, the ones before it were long handled.
    const last = await stack.message('U101', 'whois (650) 331-6252');
    const answer = await nextPost(stack, last);
    expect(readableText(answer)).toContain('Paul Rivera');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(postsSince(stack, sent)).toHaveLength(1);
  });

  it('answers every request with 200 at once, and refuses an unsigned one', async () => {
    const sent = await stack.message('U101', 'help', { event: { subtype: 'bot_message' } });
    expect(sent.ack).toEqual({ status: 200, body: '' });
    const { postSigned } = await import('../../../src/demo/slack-requests.ts');
    const forged = await postSigned(
      stack.target,
      JSON.stringify({
        type: 'event_callback',
        event: { type: 'message', channel_type: 'im', user: 'U101', text: 'ext 102', channel: 'DU101', ts: '1.2' },
      }),
      {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-slack-signature': 'v0=forged',
      },
    );
    expect(forged.status).toBe(401);
  });
});

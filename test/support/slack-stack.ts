import { expect } from 'vitest';
import type { Logger } from '../../src/observability/logger.ts';
import type { DemoStack, DemoStackOptions } from '../../src/demo/demo-stack.ts';
import { confirmationCodeOf, connectUrlOf, startDemoStack } from '../../src/demo/demo-stack.ts';
import type { ApiCall, PostedMessage, PublishedView, ResponseChannel, ResponseMessage } from '../../src/demo/local-slack.ts';
import type { SlackSent } from '../../src/demo/demo-stack.ts';
import { slackUserKey } from '../../src/bot/slack/slack-app.ts';
import { control } from './sandbox.ts';
import { slackButtons, slackHomeViewProblems, slackMessageProblems, slackTexts } from './slack-limits.ts';

/*
 * The Slack end-to-end tests' harness: the real bot behind Bolt's HTTP receiver, the RingCentral sandbox behind it and
 * the local Slack stand-in (response_url sink, Web API) in front, all on loopback. Every message the bot posts is
 * checked on the way in: it has a text fallback, blocks Slack would accept, and is ephemeral.
 */

export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

export interface SlackTestStack extends DemoStack {
  control: ReturnType<typeof control>;
  /** Every line the bot logged (debug included), oldest first. */
  logs: LogRecord[];
  /** The store key of a Slack user of the local workspace. */
  userKey(slackUserId: string): string;
}

/**
 * Starts sandbox, local Slack and bot. Rate limits are on but scaled up a hundredfold: the client still paces by the
 * X-Rate-Limit-* headers the sandbox sends, and the scaled budget keeps a busy test file from waiting on them.
 */
export async function startSlackTestStack(options: DemoStackOptions = {}): Promise<SlackTestStack> {
  const logs: LogRecord[] = [];
  const record =
    (level: LogRecord['level']) =>
    (fields: Record<string, unknown>, message: string): void => {
      logs.push({ level, message, fields });
    };
  const logger: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  const stack = await startDemoStack({
    ...options,
    sandbox: { rateLimits: { scale: 100 }, ...options.sandbox },
    logger: options.logger ?? logger,
  });
  return Object.assign(stack, {
    control: control(stack.sandbox),
    logs,
    userKey: (slackUserId: string) => slackUserKey(stack.slack.teamId, slackUserId),
  });
}

const LOOKING_UP = /^Looking that up in RingCentral/;

/** Problems that make a message unfit for Slack or for the person reading it; empty when it is fine. */
export function messageProblems(message: ResponseMessage): string[] {
  const problems = slackMessageProblems(message);
  if (message.response_type !== 'ephemeral') problems.push(`response_type is ${String(message.response_type)}, not ephemeral`);
  return problems;
}

/** Every message so far on a channel must be valid and ephemeral. */
export function expectValidMessages(channel: Pick<ResponseChannel, 'messages'>): void {
  for (const message of channel.messages) expect(messageProblems(message), JSON.stringify(message)).toEqual([]);
}

/**
 * The answer to one message on a response_url: a "looking up…" placeholder is skipped (its replacement must say
 * replace_original). Each message taken is checked with messageProblems.
 */
export async function nextAnswer(channel: ResponseChannel, timeoutMs?: number): Promise<ResponseMessage> {
  let message = await channel.next(timeoutMs);
  expect(messageProblems(message), JSON.stringify(message)).toEqual([]);
  while (LOOKING_UP.test(message.text ?? '')) {
    message = await channel.next(timeoutMs);
    expect(messageProblems(message), JSON.stringify(message)).toEqual([]);
    expect(message.replace_original, 'an answer after "looking up…" replaces it').toBe(true);
  }
  return message;
}

/** Posts a signed slash command as this Slack user; the ack must be 200 and empty. Returns the bot's answer. */
export async function answer(stack: DemoStack, slackUserId: string, line: string): Promise<ResponseMessage> {
  const { ack, channel } = await stack.ask(slackUserId, line);
  expect(ack.status, `ack of ${line}: ${ack.body}`).toBe(200);
  return nextAnswer(channel);
}

/** Links a Slack user through the real OAuth flow and checks the pending command was answered as them. */
export async function linkUser(stack: DemoStack, slackUserId: string, extensionNumber: string): Promise<void> {
  const answered = await stack.link(slackUserId, extensionNumber);
  expect(messageProblems(answered)).toEqual([]);
  expect(fieldsOf(answered)).toContainEqual(['Extension', extensionNumber]);
}

/**
 * Links a Slack user to a RingCentral login the bot cannot tell is theirs (another email, or none readable): the
 * sign-in page shows a code, and the user types `/switchboard confirm <code>`.
 */
export async function linkUserByCode(stack: DemoStack, slackUserId: string, extensionNumber: string): Promise<void> {
  const { ack, channel } = await stack.ask(slackUserId, '/switchboard link');
  expect(ack.status).toBe(200);
  const url = connectUrlOf(await nextAnswer(channel));
  expect(url, 'the bot offers a Connect RingCentral button').toBeDefined();
  const code = confirmationCodeOf((await stack.signIn(url!, extensionNumber)).body);
  expect(code, 'the sign-in page shows a confirmation code').toMatch(/^\d{6}$/);
  const confirmed = await answer(stack, slackUserId, `/switchboard confirm ${code}`);
  expect(titleOf(confirmed)).toBe('Connected to RingCentral');
}

/** Every text a person can read in a message, Slack's link syntax and escapes undone, one text object per line. */
export function readableText(message: ResponseMessage): string {
  return slackTexts(message)
    .filter((seen) => seen.type !== 'message_text')
    .map((seen) => readable(seen.text))
    .join('\n');
}

/** A card's fields as [label, value] pairs, readable ("*Direct number*\n<tel:+1…|(650) …>" → ["Direct number", "(650) …"]). */
export function fieldsOf(message: ResponseMessage): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  for (const block of (message.blocks ?? []) as Array<{ type: string; fields?: Array<{ text: string }> }>) {
    for (const field of block.fields ?? []) {
      const [label = '', ...value] = field.text.split('\n');
      fields.push([readable(label.replace(/^\*(.*)\*$/, '$1')), readable(value.join('\n'))]);
    }
  }
  return fields;
}

/** The header's text: a card's title, without the tone mark a notice starts with ("⚠️ "). */
export function titleOf(message: ResponseMessage): string {
  const header = (message.blocks ?? []).find((block) => (block as { type: string }).type === 'header') as
    { text?: { text: string } } | undefined;
  return (header?.text?.text ?? '').replace(/^(?:✅|⚠️|❌) /u, '');
}

/** Every tel: number linked in the message (fields, buttons), as E.164. */
export function telNumbersOf(message: ResponseMessage): string[] {
  const numbers = new Set<string>();
  for (const seen of slackTexts(message)) for (const match of seen.text.matchAll(/<tel:(\+\d+)\|/g)) numbers.add(match[1] ?? '');
  for (const button of slackButtons(message)) {
    const url = button['url'];
    if (typeof url === 'string' && url.startsWith('tel:')) numbers.add(url.slice('tel:'.length));
  }
  return [...numbers];
}

/** The buttons whose value is a command ("show more", "Details"). */
export function commandButtons(message: ResponseMessage): Array<{ action_id: string; value: string; label: string }> {
  return slackButtons(message)
    .filter((button) => typeof button['value'] === 'string')
    .map((button) => ({
      action_id: String(button['action_id']),
      value: String(button['value']),
      label: String((button['text'] as { text?: string } | undefined)?.text ?? ''),
    }));
}

export { connectUrlOf };

const POSTS = new Set(['chat.postMessage', 'chat.postEphemeral']);

function postOf(call: ApiCall): PostedMessage {
  const { params } = call;
  return {
    method: call.method as PostedMessage['method'],
    channel: params.channel ?? '',
    ...(params.user === undefined ? {} : { user: params.user }),
    ...(params.thread_ts === undefined ? {} : { thread_ts: params.thread_ts }),
    ...(params.text === undefined ? {} : { text: params.text }),
    ...(params.blocks === undefined ? {} : { blocks: JSON.parse(params.blocks) as unknown[] }),
  };
}

/** Every message the bot posted through the Web API since `sent` (chat.postMessage, chat.postEphemeral). */
export function postsSince(stack: DemoStack, sent: Pick<SlackSent, 'from'>): PostedMessage[] {
  return stack.slack.apiCalls
    .slice(sent.from)
    .filter((call) => POSTS.has(call.method))
    .map(postOf);
}

/**
 * The first message the bot posts after `sent` that `matches` (default: any), checked to be fit for Slack. A
 * "looking up…" message is never posted through the Web API, so the first one is the answer.
 */
export async function nextPost(
  stack: DemoStack,
  sent: Pick<SlackSent, 'from'>,
  matches: (post: PostedMessage) => boolean = () => true,
): Promise<PostedMessage> {
  const call = await stack.slack.waitForCall((candidate) => POSTS.has(candidate.method) && matches(postOf(candidate)), { from: sent.from });
  const post = postOf(call);
  expect(slackMessageProblems(post), JSON.stringify(post)).toEqual([]);
  return post;
}

/** The first Home tab published for this user after `sent`. */
export async function nextHome(stack: DemoStack, sent: Pick<SlackSent, 'from'>, slackUserId: string): Promise<PublishedView> {
  const call = await stack.slack.waitForCall(
    (candidate) => candidate.method === 'views.publish' && candidate.params.user_id === slackUserId,
    { from: sent.from },
  );
  const view = JSON.parse(call.params.view ?? '{}') as PublishedView['view'];
  expect(slackHomeViewProblems(view), JSON.stringify(view)).toEqual([]);
  return { user_id: slackUserId, view };
}

function readable(text: string): string {
  return text
    .replace(/<!date\^0\^\{_\}\|([^>]*)>/g, '$1')
    .replace(/<(?:tel|mailto):[^<>|]+\|([^<>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[\u00AD\u2060]/g, '');
}

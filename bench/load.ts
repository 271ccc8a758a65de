import type { DemoStack } from '../src/demo/demo-stack.ts';
import type { LookupStrategy } from '../src/lookup-strategy.ts';
import type { ResponseMessage } from '../src/demo/local-slack.ts';
import { lookingUpReply } from '../src/handlers/progress.ts';
import { noticeWording } from '../src/handlers/wording.ts';
import { outlineCard } from '../src/handlers/card-outline.ts';

/*
 * The load generator: posts signed slash commands to the bot as Slack would and times two things. Time to ack: until
 * the HTTP response to the POST (Slack wants it within 3 s). Time to answer: until the final message arrives on the
 * command's response_url — a "looking up…" placeholder does not count, the message that replaces it does.
 */

export interface Sample {
  ackMs: number;
  answerMs: number;
  /** The answer's title, for checks ("Benchmark Corp · ext. 1042", "RingCentral is busy"). */
  title: string;
  /** RingCentral refused or failed (busy, unreachable, something went wrong): the user got no answer. */
  failed: boolean;
  /** The answer as Slack received it, for scenarios that tell kinds of answers apart. */
  message: ResponseMessage;
}

// Past the 2 minutes a standard user's held-back card may wait for their directory index to be built.
const ANSWER_TIMEOUT_MS = 150_000;
const LOOKING_UP_TITLE = outlineCard(lookingUpReply().card, 'slash').title;
const FAILURE_TITLES: readonly string[] = [
  noticeWording.rateLimited.title,
  noticeWording.unavailable.title,
  noticeWording.unexpected.title,
  noticeWording.notLinked.title,
];

export async function timedCommand(stack: Pick<DemoStack, 'ask'>, slackUserId: string, line: string): Promise<Sample> {
  const started = performance.now();
  const { ack, channel } = await stack.ask(slackUserId, line);
  const ackMs = performance.now() - started;
  try {
    if (ack.status !== 200) throw new Error(`the bot answered ${line} with HTTP ${ack.status}`);
    let message = await channel.next(ANSWER_TIMEOUT_MS);
    while (titleOf(message) === LOOKING_UP_TITLE) message = await channel.next(ANSWER_TIMEOUT_MS);
    const title = titleOf(message);
    return { ackMs, answerMs: performance.now() - started, title, failed: FAILURE_TITLES.includes(title), message };
  } finally {
    channel.close();
  }
}

/** The header of a Block Kit message, without the tone mark a notice starts with. */
export function titleOf(message: ResponseMessage): string {
  const header = (message.blocks ?? []).find((block) => (block as { type?: string }).type === 'header') as
    { text?: { text?: string } } | undefined;
  return (header?.text?.text ?? message.text ?? '').replace(/^(?:✅|⚠️|❌|ℹ️) /u, '');
}

/** Runs `work` over `items` with at most `concurrency` at a time, in order of the list. */
export async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/** Runs `work` for every strategy at the same time; each one's result under its name. */
export async function byStrategyAtOnce<T>(
  strategies: readonly LookupStrategy[],
  work: (strategy: LookupStrategy, index: number) => Promise<T>,
): Promise<Record<LookupStrategy, T>> {
  const results = await Promise.all(strategies.map(work));
  return Object.fromEntries(strategies.map((strategy, index) => [strategy, results[index]!])) as Record<LookupStrategy, T>;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  n: number;
}

/** Nearest-rank percentiles; NaN when there are no samples. */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { p50: rank(50), p95: rank(95), p99: rank(99), n: sorted.length };
}

import { expect } from 'vitest';
import type { AdaptiveCard } from '../../src/bot/teams/adaptive.ts';
import { teamsUserKey } from '../../src/bot/teams/teams-app.ts';
import type { DemoStack, DemoStackOptions } from '../../src/demo/demo-stack.ts';
import { startDemoStack, teamsConnectUrlOf } from '../../src/demo/demo-stack.ts';
import type { LocalTeamsUser, PostedActivity, TeamsReplies } from '../../src/demo/local-teams.ts';
import { elementsOf, teamsMessageProblems, urlsOf } from './adaptive-card.ts';
import type { LogRecord } from './recording-logger.ts';
import { recordingLogger } from './recording-logger.ts';

/*
 * The Teams end-to-end tests' harness: the real bot behind botbuilder's CloudAdapter on /api/messages, the RingCentral
 * sandbox behind it, and the local Bot Framework connector in front (the serviceUrl of every activity), all on
 * loopback. Activities are posted as Teams sends them; answers are read from what the bot posts to the connector.
 */

export interface TeamsTestStack extends DemoStack {
  logs: LogRecord[];
  /** The store key of a Teams user of the local tenant. */
  userKey(user: LocalTeamsUser): string;
}

export async function startTeamsTestStack(options: DemoStackOptions = {}): Promise<TeamsTestStack> {
  const { logger, logs } = recordingLogger();
  const stack = await startDemoStack({
    ...options,
    sandbox: { rateLimits: { scale: 100 }, ...options.sandbox },
    logger: options.logger ?? logger,
  });
  return Object.assign(stack, { logs, userKey: (user: LocalTeamsUser) => teamsUserKey(stack.teams.tenantId, user.aadObjectId) });
}

/** Every message the bot has posted so far is a valid Adaptive Card message under Teams' size limit. */
export function expectEveryPostedMessageValid(stack: DemoStack): void {
  for (const { activity, bytes } of stack.teams.received) {
    expect(teamsMessageProblems(activity, bytes), JSON.stringify(activity).slice(0, 2000)).toEqual([]);
  }
}

/** The next message in a conversation, checked: one valid card, under the size limit. */
export async function nextMessage(replies: TeamsReplies, timeoutMs?: number): Promise<PostedActivity> {
  const message = await replies.next(timeoutMs);
  expect(teamsMessageProblems(message), JSON.stringify(message).slice(0, 2000)).toEqual([]);
  return message;
}

/** Asks in the user's one-to-one chat; the ack must be 200 and the answer comes in that chat. */
export async function answer(stack: DemoStack, user: LocalTeamsUser, text: string): Promise<PostedActivity> {
  const { ack, replies } = await stack.askTeams(user.aadObjectId, text);
  expect(ack.status, `ack of ${text}: ${ack.body}`).toBe(200);
  return nextMessage(replies);
}

/** Links a Teams user through the real OAuth flow and checks the pending command was answered as them. */
export async function linkTeamsUser(stack: DemoStack, extensionNumber: string): Promise<LocalTeamsUser> {
  const user = stack.teamsUser(extensionNumber);
  const answered = await stack.linkTeams(user.aadObjectId, extensionNumber);
  expect(teamsMessageProblems(answered)).toEqual([]);
  expect(factsOf(answered)).toContainEqual(['Extension', extensionNumber]);
  return user;
}

export function cardOf(message: PostedActivity): AdaptiveCard {
  const card = message.attachments?.[0]?.content;
  expect(card, 'message carries a card').toBeDefined();
  return card as AdaptiveCard;
}

interface Run {
  text: string;
  weight?: string;
}
interface Block {
  type: string;
  inlines?: Run[];
  items?: Block[];
  columns?: Array<{ items: Block[] }>;
  separator?: boolean;
}

/** The card's title: the text of its first block, without the tone mark (✅ ⚠️ ❌) in front. */
export function titleOf(message: PostedActivity): string {
  const first = cardOf(message).body[0] as Block | undefined;
  return (first?.inlines ?? [])
    .map((run) => run.text)
    .join('')
    .replace(/^(?:✅|⚠️|❌) /u, '');
}

/** Every text a person reads on the card, one text run per line. */
export function readableText(message: PostedActivity): string {
  return elementsOf<Run>(cardOf(message).body, 'TextRun')
    .map((run) => run.text)
    .join('\n');
}

/** The card's label/value rows, in order: two-column rows whose label is bold. */
export function factsOf(message: PostedActivity): Array<[string, string]> {
  const facts: Array<[string, string]> = [];
  for (const row of elementsOf<Block>(cardOf(message).body, 'ColumnSet')) {
    const [label, value] = row.columns ?? [];
    const labelRun = label?.items[0]?.inlines?.[0];
    const valueBlock = value?.items[0];
    if (row.columns?.length !== 2 || labelRun?.weight !== 'bolder' || valueBlock?.type !== 'RichTextBlock') continue;
    facts.push([labelRun.text, (valueBlock.inlines ?? []).map((run) => run.text).join('')]);
  }
  return facts;
}

export function factValue(message: PostedActivity, label: string): string | undefined {
  return factsOf(message).find(([name]) => name === label)?.[1];
}

/** The titles of the card's list items (list matches, help topics, forwarding numbers). */
export function itemTitlesOf(message: PostedActivity): string[] {
  return elementsOf<Block>(cardOf(message).body, 'Container')
    .filter((container) => container.separator === true)
    .map((container) => elementsOf<Run>(container, 'TextRun')[0]?.text ?? '');
}

/** Every number the card links with tel:, as E.164. */
export function telNumbersOf(message: PostedActivity): string[] {
  return [
    ...new Set(
      urlsOf(cardOf(message))
        .filter((url) => url.startsWith('tel:'))
        .map((url) => url.slice('tel:'.length)),
    ),
  ];
}

/** The card's Action.Submit buttons: their titles and the data Teams sends back when one is clicked. */
export function submitButtons(message: PostedActivity): Array<{ title: string; data: Record<string, unknown> }> {
  return elementsOf<{ title: string; data: Record<string, unknown> }>(cardOf(message), 'Action.Submit');
}

export { teamsConnectUrlOf };

import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../observability/logger.ts';
import type { Reply } from '../../handlers/cards.ts';
import type { ChatPeople } from '../../handlers/chat-people.ts';
import type { CommandServices } from '../../handlers/run-command.ts';
import { renderSlack } from './blocks.ts';
import type { SlackEventClaims } from './event-claims.ts';

/*
 * What the Slack surfaces beyond slash commands (messages to the bot, App Home, the message shortcut) share: where an
 * answer goes, how it gets there, and what a pending link keeps to answer once the user has linked.
 */

/** Where an answer goes. With `privateTo`, only that user sees it (an ephemeral message); otherwise it is a DM with them. */
export const SlackPlace = z.object({
  channel: z.string().min(1),
  threadTs: z.string().optional(),
  privateTo: z.string().optional(),
});
export type SlackPlace = z.infer<typeof SlackPlace>;

const SlackUser = { platform: z.literal('slack'), teamId: z.string(), userId: z.string() };

/** A command typed to the bot, answered where it was asked once the user links. */
export const SlackMessageResume = z.object({ ...SlackUser, surface: z.literal('message'), place: SlackPlace, command: z.string() });
export type SlackMessageResume = z.infer<typeof SlackMessageResume>;

/** The message shortcut, run again on the same text once the user links. */
export const SlackShortcutResume = z.object({ ...SlackUser, surface: z.literal('shortcut'), place: SlackPlace, text: z.string() });
export type SlackShortcutResume = z.infer<typeof SlackShortcutResume>;

/** App Home's Connect button: once linked, the Home tab is drawn again (as after every Slack link). */
export const SlackHomeResume = z.object({ ...SlackUser, surface: z.literal('home') });
export type SlackHomeResume = z.infer<typeof SlackHomeResume>;

export const SlackSurfaceResume = z.discriminatedUnion('surface', [SlackMessageResume, SlackShortcutResume, SlackHomeResume]);
export type SlackSurfaceResume = z.infer<typeof SlackSurfaceResume>;

/** What slack-app.ts hands the surfaces. */
export interface SlackSurfaceDeps {
  services: CommandServices;
  logger: Logger;
  /**
   * The Web API client for a workspace's bot token (install mode: its installation's); undefined without one (nothing
   * can be posted then). `teamId` is the workspace as slackWorkspaceOf names it: an org-wide install's enterprise id.
   */
  clientFor(teamId: string): Promise<webApi.WebClient | undefined>;
  peopleOf(teamId: string): ChatPeople;
  /** Keeps work that outlives the request (Slack is acknowledged first) in the adapter's shutdown wait. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Tells a repeated delivery of an event from its first, across replicas when they share Redis. */
  eventClaims: SlackEventClaims;
}

/** Posts a reply: ephemeral to one user in a channel, or a message in a DM. Throws what Slack's Web API throws. */
export async function postReply(client: webApi.WebClient, place: SlackPlace, reply: Reply): Promise<void> {
  const { text, blocks } = renderSlack(reply);
  const thread = place.threadTs === undefined ? {} : { thread_ts: place.threadTs };
  if (place.privateTo !== undefined) {
    await client.chat.postEphemeral({ channel: place.channel, user: place.privateTo, text, blocks, ...thread });
  } else {
    await client.chat.postMessage({ channel: place.channel, text, blocks, ...thread });
  }
}

/** A Slack failure as a log line: its code only (never a token, never the message's text). */
export function slackFailure(error: unknown): Record<string, unknown> {
  const record = error as { code?: unknown; data?: { error?: unknown }; name?: unknown } | null | undefined;
  // Only strings are logged: an object here would log as "[object Object]", and a missing error must not throw.
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return { code: text(record?.code) ?? 'unknown', error: text(record?.data?.error) ?? text(record?.name) ?? 'unknown' };
}

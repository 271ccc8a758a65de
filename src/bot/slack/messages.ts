import type { App } from '@slack/bolt';
import { z } from 'zod';
import { errorWithStack } from '../../observability/logger.ts';
import type { Command } from '../../handlers/parse-command.ts';
import { unexpectedErrorReply } from '../../handlers/replies.ts';
import { answerTypedMessage } from '../../handlers/typed-message.ts';
import type { SlackMessageResume, SlackPlace, SlackSurfaceDeps } from './surface-context.ts';
import { slackChatUser } from './chat-user.ts';
import { postReply, slackFailure } from './surface-context.ts';
import { slackWorkspaceOf } from './installations.ts';

/*
 * Messages to the bot: a direct message is answered in that DM; an @mention in a channel or thread is answered to the
 * asker alone (an ephemeral message there), never in the channel, because every answer shows the asker's own
 * RingCentral view. Messages from bots (this one included), edits, deletions and every other subtype are never
 * answered, so two bots cannot answer each other forever.
 */

/** The fields read from a `message` (message.im) or `app_mention` event; anything else about it is ignored. */
const PersonMessage = z.object({
  type: z.enum(['message', 'app_mention']),
  subtype: z.string().optional(),
  channel: z.string().min(1),
  channel_type: z.string().optional(),
  user: z.string().min(1),
  text: z.string().optional(),
  ts: z.string(),
  thread_ts: z.string().optional(),
  bot_id: z.string().optional(),
  bot_profile: z.unknown().optional(),
  edited: z.unknown().optional(),
});
type PersonMessage = z.infer<typeof PersonMessage>;

/** The envelope around an event: which workspace it is for, its id (retries repeat it), and the bot's own user id. */
const EventEnvelope = z.object({
  team_id: z.string().optional(),
  event_id: z.string().optional(),
  authorizations: z.array(z.object({ user_id: z.string().optional(), is_bot: z.boolean().optional() })).optional(),
});

/**
 * Registers the `message` (direct messages) and `app_mention` listeners. `afterCommand` learns of every command
 * answered (App Home is drawn again after an unlink).
 */
export function registerMessageListeners(
  app: App,
  deps: SlackSurfaceDeps & {
    userKeyOf(teamId: string, userId: string): string;
    afterCommand(teamId: string, userId: string, command: Command): void;
  },
): void {
  async function answer(teamId: string, message: PersonMessage, text: string, place: SlackPlace): Promise<void> {
    const client = await deps.clientFor(teamId);
    if (client === undefined) return;
    const resumeFor = (command: string): SlackMessageResume => ({
      platform: 'slack',
      surface: 'message',
      teamId,
      userId: message.user,
      place,
      command,
    });
    // A failure anywhere in making the answer still answers: a short apology here, the stack in the log.
    const { reply, command } = await answerTypedMessage(
      deps.services,
      { userKey: deps.userKeyOf(teamId, message.user), chatUser: slackChatUser(message.user), text, people: deps.peopleOf(teamId) },
      resumeFor,
    ).catch((error: unknown) => {
      // Whatever failed, the person is not left without an answer; the operator gets the stack.
      deps.logger.error({ err: errorWithStack(error) }, 'Slack message failed');
      return { reply: unexpectedErrorReply(), command: undefined };
    });
    await postReply(client, place, reply).catch((error: unknown) => {
      deps.logger.warn(
        { err: slackFailure(error), surface: place.privateTo === undefined ? 'dm' : 'mention' },
        'could not answer a Slack message',
      );
    });
    if (command !== undefined) deps.afterCommand(teamId, message.user, command);
  }

  /** The person's message, or undefined for anything the bot must not answer (a repeated delivery included). */
  async function personMessage(
    event: unknown,
    body: unknown,
    workspace: string | undefined,
  ): Promise<{ teamId: string; message: PersonMessage; botUserId?: string } | undefined> {
    const parsed = PersonMessage.safeParse(event);
    const envelope = EventEnvelope.safeParse(body);
    if (!parsed.success || !envelope.success) return undefined;
    const message = parsed.data;
    const botUserId = envelope.data.authorizations?.find((authorization) => authorization.is_bot === true)?.user_id;
    if (message.subtype !== undefined || message.bot_id !== undefined || message.bot_profile !== undefined) return undefined;
    if (message.edited !== undefined || (botUserId !== undefined && message.user === botUserId)) return undefined;
    const teamId = workspace ?? envelope.data.team_id;
    if (teamId === undefined) return undefined;
    const eventId = envelope.data.event_id;
    if (eventId !== undefined && !(await deps.eventClaims.claim(eventId))) return undefined;
    return { teamId, message, ...(botUserId === undefined ? {} : { botUserId }) };
  }

  app.event('message', async ({ event, body, context }) => {
    if ((event as { channel_type?: unknown }).channel_type !== 'im') return;
    const found = await personMessage(event, body, slackWorkspaceOf(context));
    if (found === undefined) return;
    const { teamId, message, botUserId } = found;
    const place: SlackPlace = { channel: message.channel, ...(message.thread_ts === undefined ? {} : { threadTs: message.thread_ts }) };
    await deps.track(answer(teamId, message, withoutBotMention(message.text ?? '', botUserId), place));
  });

  app.event('app_mention', async ({ event, body, context }) => {
    const found = await personMessage(event, body, slackWorkspaceOf(context));
    if (found === undefined) return;
    const { teamId, message, botUserId } = found;
    const place: SlackPlace = {
      channel: message.channel,
      privateTo: message.user,
      ...(message.thread_ts === undefined ? {} : { threadTs: message.thread_ts }),
    };
    await deps.track(answer(teamId, message, withoutBotMention(message.text ?? '', botUserId), place));
  });
}

/**
 * The text without the bot's own @mention (`<@UBOT>`, wherever it is: "hey <@UBOT> who is 101?"). Without the bot's
 * user id, a leading mention is taken as the bot's: an app_mention always names it, usually first.
 */
export function withoutBotMention(text: string, botUserId: string | undefined): string {
  if (botUserId === undefined) return text.replace(/^\s*<@[A-Z0-9]+(?:\|[^<>]*)?>/, ' ').trim();
  const id = botUserId.replace(/[^A-Za-z0-9]/g, '');
  return text
    .split(new RegExp(`<@${id}(?:\\|[^<>]*)?>`))
    .join(' ')
    .trim();
}

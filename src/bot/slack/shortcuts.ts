import type { App } from '@slack/bolt';
import { z } from 'zod';
import { answerNumbersInText } from '../../handlers/numbers-in-text.ts';
import type { Reply } from '../../handlers/cards.ts';
import { runForRequester } from '../../handlers/run-command.ts';
import { unexpectedErrorReply } from '../../handlers/replies.ts';
import { errorWithStack } from '../../observability/logger.ts';
import type { SlackPlace, SlackShortcutResume, SlackSurfaceDeps } from './surface-context.ts';
import { slackChatUser } from './chat-user.ts';
import { postReply, slackFailure } from './surface-context.ts';
import { slackWorkspaceOf } from './installations.ts';

/** The manifest's callback id of the "Look up phone numbers" message shortcut. */
export const LOOKUP_NUMBERS_CALLBACK_ID = 'switchboard_lookup_numbers';

/**
 * How much of the message a pending link keeps to run the shortcut again once the user links: enough for every
 * number a person can see, and small enough for the pending link's size limit whatever the text holds.
 */
const RESUME_TEXT_CHARS = 4_000;

/** The fields of a message_action payload the shortcut reads. */
const MessageAction = z.object({
  callback_id: z.string(),
  user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
  team: z
    .object({ id: z.string().min(1) })
    .nullable()
    .optional(),
  channel: z.object({ id: z.string().min(1) }).optional(),
  message: z.object({ text: z.string().optional(), ts: z.string().optional(), thread_ts: z.string().optional() }),
});

/**
 * The "Look up phone numbers" message shortcut: every phone number in the message, each answered as /whois answers the
 * person who ran it (at most 10), privately: an ephemeral message to them in that channel, or a DM when there is no
 * channel or the bot may not post there.
 */
export function registerShortcuts(
  app: App,
  deps: SlackSurfaceDeps & { userKeyOf(teamId: string, userId: string): string },
): {
  resume(userKey: string, resume: SlackShortcutResume): Promise<void>;
} {
  async function lookUp(userKey: string, resume: SlackShortcutResume, text = resume.text): Promise<void> {
    const client = await deps.clientFor(resume.teamId);
    if (client === undefined) return;
    const reply = await runForRequester(
      deps.services,
      { userKey, chatUser: slackChatUser(resume.userId), people: deps.peopleOf(resume.teamId), resume },
      'whois',
      async ({ directory, byPhone }) => answerNumbersInText(text, await directory.homeCountry(), byPhone),
    ).catch((error: unknown) => {
      deps.logger.error({ err: errorWithStack(error) }, 'Slack message shortcut failed');
      return unexpectedErrorReply();
    });
    await postPrivately(resume.teamId, resume.place, resume.userId, reply);
  }

  async function postPrivately(teamId: string, place: SlackPlace, userId: string, reply: Reply): Promise<void> {
    const client = await deps.clientFor(teamId);
    if (client === undefined) return;
    try {
      await postReply(client, place, reply);
    } catch (error) {
      if (place.privateTo === undefined) throw error;
      // Not a member of that channel (or it is another app's DM): the asker still gets the answer, in a DM.
      deps.logger.info({ err: slackFailure(error) }, 'shortcut answer could not be shown in the channel; sent as a DM');
      await postReply(client, { channel: userId }, reply);
    }
  }

  app.shortcut({ type: 'message_action', callback_id: LOOKUP_NUMBERS_CALLBACK_ID }, async ({ ack, body, context }) => {
    await ack();
    const parsed = MessageAction.safeParse(body);
    if (!parsed.success) return;
    const action = parsed.data;
    const teamId = slackWorkspaceOf(context) ?? action.team?.id ?? action.user.team_id;
    if (teamId === undefined) return;
    const userId = action.user.id;
    const thread = action.message.thread_ts;
    const place: SlackPlace =
      action.channel === undefined
        ? { channel: userId }
        : { channel: action.channel.id, privateTo: userId, ...(thread === undefined ? {} : { threadTs: thread }) };
    const resume: SlackShortcutResume = {
      platform: 'slack',
      surface: 'shortcut',
      teamId,
      userId,
      place,
      // Control characters would grow sixfold as JSON; they are no part of a phone number.
      text: (action.message.text ?? '').slice(0, RESUME_TEXT_CHARS).replace(/[\u0000-\u001F\u007F]/g, ' '),
    };
    await deps.track(
      lookUp(deps.userKeyOf(teamId, userId), resume, action.message.text ?? '').catch((error: unknown) => {
        deps.logger.warn({ err: slackFailure(error) }, 'could not answer the Slack message shortcut');
      }),
    );
  });

  return { resume: (userKey, resume) => lookUp(userKey, resume) };
}

import { TurnContext } from 'botbuilder';
import type { Activity, Mention } from 'botbuilder';
import type { ChatPeople } from '../../handlers/chat-people.ts';
import { SUBMIT_COMMAND_KEY } from './adaptive.ts';

/**
 * The command a Teams message carries, as text for parseCommand; undefined when the message is not for the bot.
 *
 * - A card button (Action.Submit) carries its command in `value`.
 * - In a channel or group chat Teams only delivers messages that @mention the bot; the bot's mention is removed
 *   using the activity's mention entities (the mention text is the bot's display name, which the tenant may rename).
 * - Another person @mentioned ("ext @Maria") is written as their chat profile's email, which /ext looks up; if
 *   Teams will not say it, as the name they were mentioned by.
 */
export async function commandTextOf(activity: Activity, people: ChatPeople): Promise<string | undefined> {
  const value: unknown = activity.value;
  if (value !== undefined && value !== null) {
    const command = typeof value === 'object' ? (value as Record<string, unknown>)[SUBMIT_COMMAND_KEY] : undefined;
    return typeof command === 'string' ? command : undefined;
  }

  const mentions = TurnContext.getMentions(activity).filter((mention) => typeof mention.text === 'string' && mention.text !== '');
  const botId = activity.recipient?.id;
  const mentionsBot = mentions.some((mention) => mention.mentioned?.id === botId);
  if (!isPersonal(activity) && !mentionsBot) return undefined;

  let text = typeof activity.text === 'string' ? activity.text : '';
  if (mentionsBot) text = TurnContext.removeRecipientMention({ ...activity, text }) ?? text;
  for (const mention of mentions.filter((candidate) => candidate.mentioned?.id !== botId)) {
    if (!text.includes(mention.text)) continue;
    text = text.split(mention.text).join(await mentionedPerson(mention, people));
  }
  return text.trim();
}

/** A one-to-one chat with the bot. The Bot Framework Emulator and Web Chat set no conversationType: one user too. */
export function isPersonal(activity: Pick<Activity, 'conversation'>): boolean {
  const type = activity.conversation?.conversationType;
  return type === undefined || type === 'personal';
}

async function mentionedPerson(mention: Mention, people: ChatPeople): Promise<string> {
  const name = mention.mentioned?.name ?? mention.text.replace(/<\/?at>/gi, '');
  const id = mention.mentioned?.id;
  const profile = id === undefined ? undefined : await people.emailOf(id).catch(() => undefined);
  return ` ${profile?.email ?? name} `;
}

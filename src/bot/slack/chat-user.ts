import type { ChatUser } from '../../handlers/run-command.ts';

/** A Slack user as the handlers need them: their id for users.info, and Slack's slash-command wording. */
export function slackChatUser(userId: string): ChatUser {
  return { id: userId, platform: 'Slack', commandStyle: 'slash' };
}

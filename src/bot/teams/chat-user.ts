import type { ChatUser } from '../../handlers/run-command.ts';

/** A Teams user as the handlers need them: the user id (29:…) the connector's member lookup takes, and plain commands. */
export function teamsChatUser(userId: string): ChatUser {
  return { id: userId, platform: 'Teams', commandStyle: 'plain' };
}

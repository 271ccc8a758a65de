import type { PendingLinkResume } from '../store/link-store.ts';
import type { Reply } from './cards.ts';
import type { Command } from './parse-command.ts';
import { formatCommand, parseCommand } from './parse-command.ts';
import { commandProblemReply } from './replies.ts';
import type { CommandServices, RequesterRequest } from './run-command.ts';
import { runCommand } from './run-command.ts';

/**
 * A message typed to the bot — a direct message, or one that mentions it once the chat's own mention of the bot is
 * taken out — read and answered the same way on every chat: "ext 101", "whois (650) 331-6252", a bare number or
 * email, "help" … Text that is no command gets the reply that says why. `resumeFor` says how to answer the command,
 * written as it would be typed, once the user has linked.
 */
export async function answerTypedMessage(
  services: CommandServices,
  request: Omit<RequesterRequest, 'resume'> & { text: string },
  resumeFor: (commandText: string) => PendingLinkResume,
): Promise<{ reply: Reply; command?: Command }> {
  const parsed = parseCommand(request.text);
  if (!parsed.ok) return { reply: commandProblemReply(parsed) };
  const command = parsed.command;
  const resume = resumeFor(formatCommand(command, 'plain'));
  const reply = await runCommand(services, {
    userKey: request.userKey,
    chatUser: request.chatUser,
    command,
    people: request.people,
    resume,
  });
  return { reply, command };
}

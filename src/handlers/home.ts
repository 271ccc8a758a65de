import type { Reply } from './cards.ts';
import { answerExt } from './ext.ts';
import { answerStatus } from './forwarding.ts';
import { errorReply, helpReply, linkPromptReply } from './replies.ts';
import type { CommandServices, RequesterRequest } from './run-command.ts';
import { runForRequester, startLink } from './run-command.ts';

/**
 * What a chat user's home page in the app shows (Slack's App Home), top to bottom: who they are linked as and their
 * own card, or a Connect prompt (which keeps `resume`); then the commands with examples. Nothing is counted as a
 * command: opening the page is not asking.
 */
export async function homeReplies(services: CommandServices, request: RequesterRequest): Promise<Reply[]> {
  try {
    const linked = (await services.store.getLink(request.userKey)) !== undefined;
    if (!linked) return [linkPromptReply('not-linked', await startLink(services, request)), helpReply()];
  } catch (error) {
    return [errorReply(error), helpReply()];
  }
  const status = await runForRequester(services, request, undefined, ({ directory }) => answerStatus(directory));
  // The login no longer works (the reply asks to connect again) or RingCentral failed: their card would fail the same way.
  if (status.card.kind !== 'linkedStatus') return [status, helpReply()];
  const own = await runForRequester(services, request, undefined, ({ context, byPhone }) => answerExt(context, '', 1, byPhone));
  return [status, own, helpReply()];
}

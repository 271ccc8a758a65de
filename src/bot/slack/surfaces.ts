import type { App } from '@slack/bolt';
import type { CompletedLink } from '../../handlers/linking.ts';
import { parseCommand } from '../../handlers/parse-command.ts';
import { linkedReply } from '../../handlers/replies.ts';
import { answerTypedMessage } from '../../handlers/typed-message.ts';
import { registerAppHome } from './app-home.ts';
import { registerMessageListeners } from './messages.ts';
import { registerShortcuts } from './shortcuts.ts';
import type { SlackSurfaceDeps } from './surface-context.ts';
import { slackChatUser } from './chat-user.ts';
import { postReply, slackFailure, SlackSurfaceResume } from './surface-context.ts';

export { LOOKUP_NUMBERS_CALLBACK_ID } from './shortcuts.ts';

export interface SlackSurfaces {
  /**
   * Answers what started a link from a message or the shortcut; then draws the user's Home tab again if the link
   * started there or they opened it lately.
   */
  resume(link: CompletedLink, user: { teamId: string; userId: string } | undefined): Promise<void>;
  /** Draws a user's Home tab again (after an unlink); never throws. */
  refreshHome(teamId: string, userId: string): Promise<void>;
}

/**
 * Messages to the bot, App Home and the message shortcut, registered on the adapter's Bolt app. Slash commands and
 * buttons stay in slack-app.ts.
 */
export function registerSlackSurfaces(
  app: App,
  deps: SlackSurfaceDeps & { userKeyOf(teamId: string, userId: string): string },
): SlackSurfaces {
  const home = registerAppHome(app, deps);
  const shortcuts = registerShortcuts(app, deps);
  registerMessageListeners(app, {
    ...deps,
    afterCommand(teamId, userId, command) {
      if (command.name === 'unlink') void home.refresh(teamId, userId);
    },
  });

  async function resumeSurface(link: CompletedLink): Promise<SlackSurfaceResume | undefined> {
    const parsed = SlackSurfaceResume.safeParse(link.resume);
    if (!parsed.success) return undefined;
    const resume = parsed.data;
    switch (resume.surface) {
      case 'home':
        return resume;
      case 'shortcut':
        await shortcuts.resume(link.userKey, resume);
        return resume;
      case 'message': {
        const client = await deps.clientFor(resume.teamId);
        if (client === undefined) return;
        const people = deps.peopleOf(resume.teamId);
        // First whom the user is now linked as (unless `confirm` just said so); `link` itself has nothing more to answer.
        if (link.announced !== true) await postReply(client, resume.place, linkedReply(link.identity, 'slash'));
        if (isLinkCommand(resume.command)) return resume;
        const chatUser = slackChatUser(resume.userId);
        const { reply } = await answerTypedMessage(
          deps.services,
          { userKey: link.userKey, chatUser, text: resume.command, people },
          () => resume,
        );
        await postReply(client, resume.place, reply);
        return resume;
      }
    }
  }

  return {
    async resume(link, user) {
      const resumed = await resumeSurface(link).catch((error: unknown) => {
        deps.logger.warn({ err: slackFailure(error) }, 'could not answer the linked request on Slack');
        return undefined;
      });
      if (user === undefined) return;
      if (resumed?.surface === 'home' || home.openedBy(user.teamId, user.userId)) await home.refresh(user.teamId, user.userId);
    },
    refreshHome: (teamId, userId) => home.refresh(teamId, userId),
  };
}

function isLinkCommand(text: string): boolean {
  const parsed = parseCommand(text);
  return parsed.ok && parsed.command.name === 'link';
}

/** The Slack workspace and user behind a store key made by slackUserKey ("slack:T123:U456"). */
export function slackUserOfKey(userKey: string): { teamId: string; userId: string } | undefined {
  const match = /^slack:([^:]+):([^:]+)$/.exec(userKey);
  return match ? { teamId: match[1] ?? '', userId: match[2] ?? '' } : undefined;
}

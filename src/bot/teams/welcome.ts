import type { Activity, TurnContext } from 'botbuilder';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../observability/logger.ts';
import type { Reply } from '../../handlers/cards.ts';
import { welcomeLinkedReply, welcomeReply, welcomeSharedReply } from '../../handlers/replies.ts';
import type { CommandServices, RequesterRequest } from '../../handlers/run-command.ts';
import { renderTeams } from './adaptive.ts';
import { isPersonal } from './command-text.ts';
import { teamsChatUser } from './chat-user.ts';
import type { TeamsPeople } from './people.ts';
import { startLink } from '../../handlers/run-command.ts';
import type { TeamsResume } from './teams-resume.ts';

type PrivateReference = TeamsResume['reference'];

export interface WelcomeOptions {
  services: Pick<CommandServices, 'store' | 'linking'>;
  logger: Logger;
  people: TeamsPeople;
  /** The chat user behind the activity (the person who installed the app), as the adapter keys links. */
  userOf(context: TurnContext): { key: string; tenantId: string } | undefined;
  /** Where the installing person alone reads the welcome; undefined when Teams will not open a one-to-one chat. */
  privatePlace(context: TurnContext, tenantId: string): Promise<{ here: boolean; reference: PrivateReference } | undefined>;
  /** Posts into the one-to-one chat when it is not the conversation of the turn. */
  postTo(reference: PrivateReference, message: ReturnType<typeof renderTeams>): Promise<void>;
}

// Teams sends an activity again when the bot did not acknowledge it in time; the same install is welcomed once.
const REDELIVERY_WINDOW_MS = 10 * 60 * 1000;

/**
 * Is this activity an install of the app in its conversation? Teams sends two activities for one install: an
 * `installationUpdate` with action `add` and a `conversationUpdate` listing the bot among `membersAdded`. The welcome
 * follows the first alone, because only it says what happened: an upgrade is `add-upgrade`, an uninstall `remove`,
 * and nothing else sends `add`. So the welcome needs no memory of whom it greeted (a restart, or another replica,
 * cannot greet anyone twice), and a second update, a renamed team or a new team member greets nobody.
 * The Bot Framework Emulator and Web Chat send no installationUpdate; off Teams the bot's own `membersAdded` is the
 * install.
 */
export function isInstall(activity: Activity): boolean {
  if (activity.type === 'installationUpdate') return activity.action === 'add';
  if (activity.type !== 'conversationUpdate' || activity.channelId === TEAMS_CHANNEL) return false;
  const botId = activity.recipient?.id;
  return botId !== undefined && (activity.membersAdded ?? []).some((member) => member.id === botId);
}

const TEAMS_CHANNEL = 'msteams';

/**
 * The bot introduces itself once per install: in a one-to-one chat, to the person who installed it, with a Connect
 * button (their own sign-in link, never shown to anyone else) or, when they are linked already, who they are linked
 * as. Installed in a team or group chat, it greets the installer in a one-to-one chat when Teams opens one, and
 * otherwise says a short hello in that conversation, with no link and nothing about anyone.
 */
export function createWelcome(options: WelcomeOptions): (context: TurnContext) => Promise<void> {
  const { services, logger } = options;
  const seen = new LRUCache<string, true>({ max: 10_000, ttl: REDELIVERY_WINDOW_MS });

  async function personalWelcome(context: TurnContext, userKey: string, reference: PrivateReference): Promise<Reply> {
    const link = await services.store.getLink(userKey);
    if (link) return welcomeLinkedReply(link.name);
    // Once they have signed in, the one-to-one chat says whom they are linked as, as after `link`. The link is
    // started for a request in the runner's shape, so that it carries whatever a command's link carries.
    const resume: TeamsResume = { platform: 'teams', command: 'link', reference };
    const request: RequesterRequest = {
      userKey,
      chatUser: teamsChatUser(reference.user.id),
      people: options.people.forTurn(context),
      resume,
    };
    return welcomeReply(await startLink(services, request));
  }

  return async (context) => {
    const activity = context.activity;
    if (!isInstall(activity)) return;
    const delivery = `${activity.conversation?.id ?? ''}|${activity.id ?? ''}`;
    if (activity.id !== undefined && seen.has(delivery)) return;
    seen.set(delivery, true);

    const user = options.userOf(context);
    const shared = !isPersonal(activity);
    if (user === undefined) {
      // Nobody to greet personally (Teams always names the installer; an odd client may not).
      if (shared) await context.sendActivity(renderTeams(welcomeSharedReply()));
      return;
    }
    const place = await options.privatePlace(context, user.tenantId);
    if (place === undefined) {
      if (shared) await context.sendActivity(renderTeams(welcomeSharedReply()));
      return;
    }
    let reply: Reply;
    try {
      reply = await personalWelcome(context, user.key, place.reference);
    } catch (error) {
      // The store is down: the first command will offer the link instead.
      logger.warn({ err: { name: (error as Error).name, message: (error as Error).message } }, 'Teams welcome not sent');
      if (shared) await context.sendActivity(renderTeams(welcomeSharedReply()));
      return;
    }
    const message = renderTeams(reply);
    if (place.here) await context.sendActivity(message);
    else await options.postTo(place.reference, message);
  };
}

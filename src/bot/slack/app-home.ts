import type { App } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Reply } from '../../handlers/cards.ts';
import { errorWithStack } from '../../observability/logger.ts';
import { homeReplies } from '../../handlers/home.ts';
import { helpReply, unexpectedErrorReply } from '../../handlers/replies.ts';
import type { ButtonElement, SlackBlock } from './blocks.ts';
import { renderSlack } from './blocks.ts';
import type { SlackHomeResume, SlackSurfaceDeps } from './surface-context.ts';
import { slackChatUser } from './chat-user.ts';
import { slackFailure } from './surface-context.ts';
import { slackWorkspaceOf } from './installations.ts';

/** Slack allows 100 blocks in a Home tab view. */
const HOME_MAX_BLOCKS = 100;

export type HomeView = { type: 'home'; blocks: Array<SlackBlock | { type: 'divider' }> };

export interface SlackAppHome {
  /** Draws one user's Home tab again (after they link or unlink); never throws. */
  refresh(teamId: string, userId: string): Promise<void>;
  /** Whether this user opened the Home tab lately (here, in this process). */
  openedBy(teamId: string, userId: string): boolean;
}

// Who opened the Home tab lately: only their tab is drawn again after a link made elsewhere (a slash command's),
// so linking costs nobody else RingCentral calls for a page they never look at. Ids only, bounded.
const RECENT_VIEWERS = 100_000;
const RECENT_VIEWER_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * App Home: when a user opens the app's Home tab, it shows whether they are linked and as whom (or a Connect
 * button), their own card, and the commands with examples. It is drawn for that user alone, with their own login.
 */
export function registerAppHome(app: App, deps: SlackSurfaceDeps & { userKeyOf(teamId: string, userId: string): string }): SlackAppHome {
  const viewers = new LRUCache<string, true>({ max: RECENT_VIEWERS, ttl: RECENT_VIEWER_TTL_MS });

  async function publish(teamId: string, userId: string): Promise<void> {
    const client = await deps.clientFor(teamId);
    if (client === undefined) return;
    const resume: SlackHomeResume = { platform: 'slack', surface: 'home', teamId, userId };
    const replies = await homeReplies(deps.services, {
      userKey: deps.userKeyOf(teamId, userId),
      chatUser: slackChatUser(userId),
      people: deps.peopleOf(teamId),
      resume,
    }).catch((error: unknown) => {
      deps.logger.error({ err: errorWithStack(error) }, 'Slack App Home failed');
      return [unexpectedErrorReply(), helpReply()];
    });
    await client.views.publish({ user_id: userId, view: homeView(replies) }).catch((error: unknown) => {
      deps.logger.warn({ err: slackFailure(error) }, 'could not publish the Slack App Home');
    });
  }

  app.event('app_home_opened', async ({ event, body, context }) => {
    // The same event comes for the Messages tab, which is the DM itself.
    if (event.tab !== 'home') return;
    const teamId = slackWorkspaceOf(context) ?? (body as { team_id?: string }).team_id;
    if (teamId === undefined) return;
    viewers.set(deps.userKeyOf(teamId, event.user), true);
    await deps.track(publish(teamId, event.user));
  });

  return {
    openedBy: (teamId, userId) => viewers.has(deps.userKeyOf(teamId, userId)),
    refresh: (teamId, userId) =>
      deps.track(
        publish(teamId, userId).catch((error: unknown) => {
          deps.logger.error({ err: errorWithStack(error) }, 'could not draw the Slack App Home');
        }),
      ),
  };
}

/** The replies one below the other, divided, each as Block Kit; cut to Slack's block limit from the end. */
export function homeView(replies: readonly Reply[]): HomeView {
  const blocks: HomeView['blocks'] = [];
  for (const [index, reply] of replies.entries()) {
    const rendered = renderSlack(reply).blocks.map((block) => withUniqueActionIds(block, index));
    const room = HOME_MAX_BLOCKS - blocks.length - (blocks.length === 0 ? 0 : 1);
    if (room <= 0) break;
    if (blocks.length > 0) blocks.push({ type: 'divider' });
    blocks.push(...rendered.slice(0, room));
  }
  return { type: 'home', blocks };
}

/**
 * Each reply numbers its buttons from 1; in one view the action ids must still differ. The reply's place is added
 * after the id (`switchboard_call:1.2`), so the prefixes the listeners match on stay as they are.
 */
function withUniqueActionIds(block: SlackBlock, replyIndex: number): SlackBlock {
  if (replyIndex === 0) return block;
  const unique = (button: ButtonElement): ButtonElement => ({ ...button, action_id: `${button.action_id}.${replyIndex}` });
  if (block.type === 'actions') return { ...block, elements: block.elements.map(unique) };
  if (block.type === 'section' && 'accessory' in block && block.accessory !== undefined)
    return { ...block, accessory: unique(block.accessory) };
  return block;
}

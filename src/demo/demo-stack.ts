import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import type { Logger } from '../observability/logger.ts';
import { silentLogger } from '../observability/logger.ts';
import type { Config } from '../config.ts';
import { loadConfig } from '../config.ts';
import type { Sandbox, SandboxOptions } from '../sandbox/server.ts';
import { startSandbox } from '../sandbox/server.ts';
import { generateEncryptionKey } from '../store/key-ring.ts';
import type { LookupStrategy } from '../lookup-strategy.ts';
import type { Switchboard } from '../switchboard.ts';
import { startSwitchboard } from '../switchboard.ts';
import type { LocalSlack, LocalSlackUser, ResponseChannel, ResponseMessage } from './local-slack.ts';
import { startLocalSlack } from './local-slack.ts';
import type { SlackAck, SlackRequestTarget } from './slack-requests.ts';
import {
  eventEnvelope,
  LOCAL_BOT_USER_ID,
  messageTs,
  postButtonClick,
  postEvent,
  postMessageShortcut,
  postSlashCommand,
} from './slack-requests.ts';
import { LOOKUP_NUMBERS_CALLBACK_ID } from '../bot/slack/shortcuts.ts';
import type { LocalTeams, LocalTeamsUser, PostedActivity, TeamsReplies } from './local-teams.ts';
import { startLocalTeams } from './local-teams.ts';
import type { ActivityAck, TeamsConversationRef, TeamsRequestTarget } from './teams-requests.ts';
import { mentionText, messageActionActivity, messageActivity, postActivity } from './teams-requests.ts';
import { LOOK_UP_NUMBERS_COMMAND_ID } from '../bot/teams/message-action.ts';

/** The sandbox's demo app (src/sandbox/seed/demo.json): it accepts any loopback redirect URI. */
export const DEMO_APP = { clientId: 'switchboard-demo', clientSecret: 'switchboard-demo-secret' } as const;

export interface DemoStackOptions {
  sandbox?: SandboxOptions;
  /** A sandbox already running (its owner closes it), e.g. one shared by two bots; `sandbox` is then ignored. */
  sharedSandbox?: Sandbox;
  /** The bot's lookup strategy; the benchmark runs a 'naive' one beside Switchboard's. */
  strategy?: LookupStrategy;
  /** Settings on top of the demo's (e.g. CACHE_TTL_SECONDS). */
  env?: Record<string, string>;
  logger?: Logger;
  /** Port for the bot; 0 picks a free one. */
  botPort?: number;
  lookingUpAfterMs?: number;
  teamsDialogDeadlineMs?: number;
  /** The bot store's clock (epoch ms), for tests that expire a Connect link. */
  now?: () => number;
}

export interface AskResult {
  ack: SlackAck;
  channel: ResponseChannel;
}

/** The local workspace's channel where the bot is @mentioned and shortcuts are run. */
export const DEMO_SLACK_CHANNEL = 'C0DEMO';

/** A request sent to Slack's side of the bot; `from` is how many Web API calls local Slack had received before it. */
export interface SlackSent {
  ack: SlackAck;
  from: number;
}

export interface SlackMessageOptions {
  /** A DM with the bot (default), or @mentioning it in the demo channel. */
  where?: 'dm' | 'channel';
  /** In a thread: the ts of its first message. */
  threadTs?: string;
  /** Fields to add to the event or change (a subtype, bot_id, edited …). */
  event?: Record<string, unknown>;
  /** Delivered with this event_id (Slack repeats it when it retries). */
  eventId?: string;
}

/** The demo team's channel and group chat, where the bot answers when @mentioned. */
export const DEMO_TEAMS_CONVERSATIONS = {
  channel: { id: '19:demo-directory@thread.tacv2', conversationType: 'channel', teamId: '19:demo-team@thread.tacv2', name: 'Directory' },
  groupChat: { id: '19:demo-group-chat@thread.v2', conversationType: 'groupChat' },
} as const satisfies Record<string, TeamsConversationRef>;

export interface TeamsAskOptions {
  /** Where the message is typed: the one-to-one chat with the bot (default), or where the bot must be @mentioned. */
  where?: 'personal' | 'channel' | 'groupChat';
  /** Other people @mentioned in the text, which writes each as `<at>name</at>`. */
  mentions?: LocalTeamsUser[];
}

export interface TeamsMessageActionOptions {
  where?: 'personal' | 'channel' | 'groupChat';
  /** What a button of the dialog's card submitted (composeExtension/submitAction). */
  data?: unknown;
}

/** The HTTP answer to an invoke: Teams shows its body (a dialog) to the invoker alone. */
export interface TeamsDialogAnswer {
  status: number;
  body: unknown;
}

export interface TeamsAskResult {
  ack: ActivityAck;
  /** The asker's one-to-one chat with the bot, where every answer is posted: messages from this ask on. */
  replies: TeamsReplies;
  /** The conversation the message was typed in (the same chat, or the channel / group chat). */
  posted: TeamsReplies;
}

/**
 * Everything the demo and the tests run: the RingCentral sandbox, a local stand-in for Slack, and the real bot
 * between them, talking HTTP on loopback. Each sandbox user with an email has a Slack user "U<extension number>"
 * with the same email, so mentions and email matches work as in a real workspace.
 */
export interface DemoStack {
  sandbox: Sandbox;
  slack: LocalSlack;
  bot: Switchboard;
  config: Config;
  target: SlackRequestTarget;
  slackUserId(extensionNumber: string): string;
  /** Posts a signed slash command ("/ext 101") as a Slack user, with a fresh response_url. */
  ask(slackUserId: string, line: string): Promise<AskResult>;
  /** The DM channel of a Slack user with the bot. */
  dmChannelOf(slackUserId: string): string;
  /** Writes to the bot as a Slack user: a DM (message.im), or an @mention in the demo channel (app_mention). */
  message(slackUserId: string, text: string, options?: SlackMessageOptions): Promise<SlackSent>;
  /** Opens the app's Home tab as a Slack user (app_home_opened). */
  openHome(slackUserId: string): Promise<SlackSent>;
  /** Runs the "Look up phone numbers" shortcut on a message with this text, in the demo channel unless told otherwise. */
  lookUpNumbers(slackUserId: string, messageText: string, options?: { channelId?: string | null; threadTs?: string }): Promise<SlackSent>;
  /** Clicks a command button of a message, as that Slack user. */
  click(slackUserId: string, button: { action_id: string; value: string }): Promise<AskResult>;
  /** Follows a "Connect RingCentral" URL as a browser would, signing in as this extension. Returns the final page. */
  signIn(authorizeUrl: string, extensionNumber: string): Promise<{ status: number; body: string }>;
  /**
   * Links a Slack user through the real flow and returns the message the pending command was answered with (after the
   * "Linked as …" notice). The RingCentral login must have the Slack user's email, or the link waits for a code.
   */
  link(slackUserId: string, extensionNumber: string): Promise<ResponseMessage>;
  /** The local Bot Framework connector: the serviceUrl of every Teams activity, recording what the bot posts. */
  teams: LocalTeams;
  teamsTarget: TeamsRequestTarget;
  /** The Teams user with the same email as this extension (AAD object id derived from the extension number). */
  teamsUser(extensionNumber: string): LocalTeamsUser;
  /** Posts a Teams message as this user (by AAD object id) to /api/messages, unauthenticated (emulator mode). */
  askTeams(aadObjectId: string, text: string, options?: TeamsAskOptions): Promise<TeamsAskResult>;
  /** Clicks an Action.Submit button of a card in the user's one-to-one chat: its data comes back as `value`. */
  clickTeams(aadObjectId: string, data: unknown): Promise<TeamsAskResult>;
  /** Links a Teams user through the real flow and returns the message the pending command was answered with (after the notice). */
  linkTeams(aadObjectId: string, extensionNumber: string): Promise<PostedActivity>;
  /**
   * Chooses the "Look up phone numbers" message action on a message with this text (in the demo channel unless told
   * otherwise), or with `data`, submits the dialog's card. The answer is the invoke response: the dialog.
   */
  lookUpNumbersTeams(aadObjectId: string, messageText: string, options?: TeamsMessageActionOptions): Promise<TeamsDialogAnswer>;
  close(): Promise<void>;
}

/** Posts a signed slash command ("/ext 101") to a bot as a Slack user, with a fresh response_url on this local Slack. */
export function slashCommandSender(target: SlackRequestTarget, slack: LocalSlack): DemoStack['ask'] {
  return async (slackUserId, line) => {
    const channel = slack.newResponseChannel();
    const [command = '', ...rest] = line.trim().split(/\s+/);
    const ack = await postSlashCommand(target, {
      teamId: slack.teamId,
      userId: slackUserId,
      command: command.startsWith('/') ? command : `/${command}`,
      text: rest.join(' '),
      responseUrl: channel.url,
    });
    return { ack, channel };
  };
}

export async function startDemoStack(options: DemoStackOptions = {}): Promise<DemoStack> {
  const sandbox = options.sharedSandbox ?? (await startSandbox({ ...options.sandbox }));
  const closeSandbox = () => (options.sharedSandbox === undefined ? sandbox.close() : Promise.resolve());
  const users: LocalSlackUser[] = sandbox.seed.extensions
    .filter((extension) => extension.extensionNumber !== undefined && extension.contact?.email !== undefined)
    .map((extension) => ({
      id: `U${extension.extensionNumber}`,
      name: extension.name ?? extension.extensionNumber ?? '',
      email: extension.contact?.email,
    }));
  const slack = await startLocalSlack({ users });
  // Slack ids are "U<extension number>"; the Teams users are the same people.
  const teams = await startLocalTeams({ users: users.map((user) => teamsUserOf(user.id.slice(1), user.name, user.email)) });
  const signingSecret = randomBytes(16).toString('hex');
  const config = loadConfig({
    PORT: String(options.botPort ?? 0),
    LOG_LEVEL: 'silent',
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_BOT_TOKEN: 'xoxb-local-demo',
    SLACK_API_URL: slack.apiUrl,
    RINGCENTRAL_SERVER_URL: sandbox.url,
    RINGCENTRAL_CLIENT_ID: DEMO_APP.clientId,
    RINGCENTRAL_CLIENT_SECRET: DEMO_APP.clientSecret,
    // The sandbox forgets its sessions when it stops, so the demo keeps its links in memory too.
    DATABASE_URL: ':memory:',
    TOKEN_ENCRYPTION_KEY: generateEncryptionKey(),
    ...options.env,
  });
  let bot: Switchboard;
  try {
    bot = await startSwitchboard(config, {
      host: '127.0.0.1',
      logger: options.logger ?? silentLogger,
      ...(options.lookingUpAfterMs === undefined ? {} : { lookingUpAfterMs: options.lookingUpAfterMs }),
      ...(options.teamsDialogDeadlineMs === undefined ? {} : { teamsDialogDeadlineMs: options.teamsDialogDeadlineMs }),
      ...(options.now === undefined ? {} : { now: options.now }),
      // The company's wall clock: tests and the demo move it (POST /__sandbox/clock) to change which rule is in force.
      clock: () => sandbox.clock.now(),
      ...(options.strategy === undefined ? {} : { strategy: options.strategy }),
    });
  } catch (error) {
    await slack.close();
    await teams.close();
    await closeSandbox();
    throw error;
  }
  const target: SlackRequestTarget = { eventsUrl: `${bot.url}/slack/events`, signingSecret };
  const teamsTarget: TeamsRequestTarget = { messagesUrl: `${bot.url}/api/messages` };
  const teamsUserById = (aadObjectId: string): LocalTeamsUser => {
    const user = teams.users.find((candidate) => candidate.aadObjectId === aadObjectId);
    if (!user) throw new Error(`no Teams user with AAD object id ${aadObjectId}`);
    return user;
  };
  const postTeams = async (
    from: LocalTeamsUser,
    where: TeamsAskOptions['where'],
    message: { text?: string; value?: unknown; mentions?: LocalTeamsUser[] },
  ) => {
    const personal = { id: teams.personalConversationId(from), conversationType: 'personal' } as const;
    const conversation = where === undefined || where === 'personal' ? personal : DEMO_TEAMS_CONVERSATIONS[where];
    const replies = teams.replies(personal.id);
    const posted = conversation === personal ? replies : teams.replies(conversation.id);
    const others = (message.mentions ?? []).map((user) => ({ id: user.id, name: user.name }));
    const mentionsBot = conversation !== personal && message.text !== undefined;
    const activity = messageActivity({
      serviceUrl: teams.serviceUrl,
      tenantId: teams.tenantId,
      bot: teams.bot,
      from,
      conversation,
      ...(message.text === undefined ? {} : { text: mentionsBot ? `${mentionText(teams.bot.name)} ${message.text}` : message.text }),
      mentions: mentionsBot ? [teams.bot, ...others] : others,
      ...(message.value === undefined ? {} : { value: message.value }),
    });
    const ack = await postActivity(teamsTarget, activity);
    return { ack, replies, posted };
  };

  /** Follows the Connect button a linking prompt offered, signing in as this extension. */
  const signInThrough = async (url: string | undefined, extensionNumber: string): Promise<void> => {
    if (url === undefined) throw new Error('the bot did not offer a Connect RingCentral button');
    const page = await stack.signIn(url, extensionNumber);
    if (page.status !== 200) throw new Error(`linking failed: ${page.status} ${page.body.slice(0, 200)}`);
    if (confirmationCodeOf(page.body) !== undefined) {
      throw new Error(`linking needs a confirmation code: extension ${extensionNumber} does not have this chat user's email`);
    }
  };

  const stack: DemoStack = {
    sandbox,
    slack,
    bot,
    config,
    target,
    slackUserId: (extensionNumber) => `U${extensionNumber}`,
    ask: slashCommandSender(target, slack),
    dmChannelOf: (slackUserId) => `D${slackUserId}`,
    async message(slackUserId, text, options = {}) {
      const from = slack.apiCalls.length;
      const ts = messageTs();
      const dm = (options.where ?? 'dm') === 'dm';
      const event = {
        type: dm ? 'message' : 'app_mention',
        user: slackUserId,
        text: dm ? text : `<@${LOCAL_BOT_USER_ID}> ${text}`,
        ts,
        event_ts: ts,
        channel: dm ? stack.dmChannelOf(slackUserId) : DEMO_SLACK_CHANNEL,
        team: slack.teamId,
        ...(dm ? { channel_type: 'im' } : {}),
        ...(options.threadTs === undefined ? {} : { thread_ts: options.threadTs }),
        ...options.event,
      };
      const ack = await postEvent(target, eventEnvelope(slack.teamId, event, options.eventId));
      return { ack, from };
    },
    async openHome(slackUserId) {
      const from = slack.apiCalls.length;
      const ts = messageTs();
      const event = { type: 'app_home_opened', user: slackUserId, channel: stack.dmChannelOf(slackUserId), tab: 'home', event_ts: ts };
      const ack = await postEvent(target, eventEnvelope(slack.teamId, event));
      return { ack, from };
    },
    async lookUpNumbers(slackUserId, messageText, options = {}) {
      const from = slack.apiCalls.length;
      const channel = slack.newResponseChannel();
      const channelId = options.channelId === undefined ? DEMO_SLACK_CHANNEL : options.channelId;
      const ack = await postMessageShortcut(target, {
        teamId: slack.teamId,
        userId: slackUserId,
        callbackId: LOOKUP_NUMBERS_CALLBACK_ID,
        ...(channelId === null ? {} : { channelId }),
        message: { user: 'U0SOMEONE', text: messageText, ...(options.threadTs === undefined ? {} : { thread_ts: options.threadTs }) },
        responseUrl: channel.url,
      });
      channel.close();
      return { ack, from };
    },
    async click(slackUserId, button) {
      const channel = slack.newResponseChannel();
      const ack = await postButtonClick(target, {
        teamId: slack.teamId,
        userId: slackUserId,
        actionId: button.action_id,
        value: button.value,
        responseUrl: channel.url,
      });
      return { ack, channel };
    },
    async signIn(authorizeUrl, extensionNumber) {
      const url = new URL(authorizeUrl);
      url.searchParams.set('login_hint', extensionNumber);
      const authorize = await request(url, { method: 'GET' });
      await authorize.body.dump();
      const location = authorize.headers.location;
      if (authorize.statusCode !== 302 || typeof location !== 'string') {
        return { status: authorize.statusCode, body: `sign-in did not redirect (${authorize.statusCode})` };
      }
      const callback = await request(location, { method: 'GET' });
      return { status: callback.statusCode, body: await callback.body.text() };
    },
    async link(slackUserId, extensionNumber) {
      const { channel } = await stack.ask(slackUserId, '/switchboard status');
      await signInThrough(connectUrlOf(await channel.next()), extensionNumber);
      await channel.next(); // "Linked as …", in place of the Connect prompt
      return channel.next();
    },
    teams,
    teamsTarget,
    teamsUser(extensionNumber) {
      const user = teams.users.find((candidate) => candidate.id === `29:demo-${extensionNumber}`);
      if (!user) throw new Error(`extension ${extensionNumber} has no Teams user (no email in the sandbox)`);
      return user;
    },
    async askTeams(aadObjectId, text, options = {}) {
      return postTeams(teamsUserById(aadObjectId), options.where, { text, ...(options.mentions ? { mentions: options.mentions } : {}) });
    },
    async clickTeams(aadObjectId, data) {
      return postTeams(teamsUserById(aadObjectId), 'personal', { value: data });
    },
    async linkTeams(aadObjectId, extensionNumber) {
      const { replies } = await stack.askTeams(aadObjectId, 'status');
      await signInThrough(teamsConnectUrlOf(await replies.next()), extensionNumber);
      await replies.next(); // "Linked as …"
      return replies.next();
    },
    async lookUpNumbersTeams(aadObjectId, messageText, options = {}) {
      const from = teamsUserById(aadObjectId);
      const where = options.where ?? 'channel';
      const conversation =
        where === 'personal'
          ? ({ id: teams.personalConversationId(from), conversationType: 'personal' } as const)
          : DEMO_TEAMS_CONVERSATIONS[where];
      const activity = messageActionActivity({
        serviceUrl: teams.serviceUrl,
        tenantId: teams.tenantId,
        bot: teams.bot,
        from,
        conversation,
        commandId: LOOK_UP_NUMBERS_COMMAND_ID,
        messageText,
        ...(options.data === undefined ? {} : { data: options.data }),
      });
      const ack = await postActivity(teamsTarget, activity);
      return { status: ack.status, body: ack.body === '' ? undefined : (JSON.parse(ack.body) as unknown) };
    },
    async close() {
      await bot.close();
      await slack.close();
      await teams.close();
      await closeSandbox();
    },
  };
  return stack;
}

/** The one-time code a sign-in page shows when the RingCentral login may not be the chat user's own. */
export function confirmationCodeOf(pageHtml: string): string | undefined {
  return /id="confirmation-code">(\d{6})</.exec(pageHtml)?.[1];
}

/** The URL of the first link button to RingCentral's sign-in page in a message, if any. */
export function connectUrlOf(message: ResponseMessage): string | undefined {
  for (const block of (message.blocks ?? []) as { type: string; elements?: { url?: string }[]; accessory?: { url?: string } }[]) {
    const urls = [...(block.elements ?? []).map((element) => element.url), block.accessory?.url];
    const found = urls.find((url) => url !== undefined && url.includes('/restapi/oauth/authorize'));
    if (found) return found;
  }
  return undefined;
}

/** The sign-in URL of the first Action.OpenUrl to RingCentral's authorize page in a Teams message's card, if any. */
export function teamsConnectUrlOf(message: PostedActivity): string | undefined {
  const urls: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record['type'] === 'Action.OpenUrl' && typeof record['url'] === 'string') urls.push(record['url']);
    Object.values(record).forEach(visit);
  };
  visit((message.attachments ?? []).map((attachment) => attachment.content));
  return urls.find((url) => url.includes('/restapi/oauth/authorize'));
}

/** The demo's Teams user for an extension: the same name and email, ids derived from the extension number. */
function teamsUserOf(extensionNumber: string, name: string, email: string | undefined): LocalTeamsUser {
  return {
    id: `29:demo-${extensionNumber}`,
    aadObjectId: `00000000-0000-4000-8000-${extensionNumber.padStart(12, '0')}`,
    name,
    ...(email === undefined ? {} : { email }),
  };
}

import type { RequestListener } from 'node:http';
import { App, HTTPReceiver, LogLevel, webApi } from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/bolt';
import type { RespondArguments, RespondFn } from '@slack/bolt';
import { request } from 'undici';
import { z } from 'zod';
import type { Logger } from '../../observability/logger.ts';
import { errorWithStack } from '../../observability/logger.ts';
import type { Reply } from '../../handlers/cards.ts';
import type { ChatPeople } from '../../handlers/chat-people.ts';
import type { Command } from '../../handlers/parse-command.ts';
import { formatCommand, parseCommand } from '../../handlers/parse-command.ts';
import { lookingUpReply } from '../../handlers/progress.ts';
import { commandProblemReply, linkedReply, unexpectedErrorReply } from '../../handlers/replies.ts';
import type { CommandServices } from '../../handlers/run-command.ts';
import { runCommand } from '../../handlers/run-command.ts';
import type { CompletedLink } from '../../handlers/linking.ts';
import { InFlightWork } from '../../lifecycle/in-flight-work.ts';
import { renderSlack, slackActionIds, slackResponseType } from './blocks.ts';
import { SlackPeople } from './people.ts';
import { refuseFutureDatedRequests } from './request-timestamp.ts';
import { slackChatUser } from './chat-user.ts';
import { registerSlackSurfaces, slackUserOfKey } from './surfaces.ts';
import type { SlackEventClaims } from './event-claims.ts';
import { slackEventClaims } from './event-claims.ts';
import type { SlackInstallationStore } from '../../store/slack-installation-store.ts';
import {
  installedClients,
  isSlackNotInstalled,
  notInstalledText,
  registerUninstallListeners,
  SLACK_INSTALL_PATH,
  SLACK_OAUTH_REDIRECT_PATH,
  slackInstallerOptions,
  slackWorkspaceOf,
} from './installations.ts';

/** What a Slack command needs to be answered after its user links: kept, encrypted, with the pending link. */
export const SlackResume = z.object({
  platform: z.literal('slack'),
  responseUrl: z.url(),
  teamId: z.string(),
  userId: z.string(),
  command: z.string(),
});
export type SlackResume = z.infer<typeof SlackResume>;

export interface SlackAdapterOptions {
  signingSecret: string;
  botToken: string | undefined;
  /** Socket Mode instead of HTTP when set. */
  appToken: string | undefined;
  apiUrl: string | undefined;
  /** "Add to Slack" install mode instead of botToken: each workspace's token comes from its stored installation. */
  install?: SlackInstallMode | undefined;
  services: CommandServices;
  logger: Logger;
  /** After this long without an answer, say "looking up…" and replace it when the answer comes. */
  lookingUpAfterMs?: number;
  /** Repeated event deliveries; per process unless given one shared through Redis. */
  eventClaims?: SlackEventClaims | undefined;
}

export interface SlackInstallMode {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** PUBLIC_URL: Slack's redirect comes back to it, and people are sent to its /slack/install. */
  publicUrl: string;
  store: SlackInstallationStore;
}

export interface SlackAdapter {
  /** Serves POST /slack/events (HTTP mode); undefined in Socket Mode. */
  requestListener: RequestListener | undefined;
  /** Install mode: GET /slack/install and GET /slack/oauth_redirect, served by Bolt's installer. */
  installRoutes: Record<string, RequestListener>;
  /** Answers the command that started a link, through its response_url. */
  resume(link: CompletedLink): Promise<void>;
  start(): Promise<void>;
  /** Stops receiving, then waits for every answer still being worked on (they are sent after the ack). */
  stop(): Promise<void>;
}

const LOOKING_UP_AFTER_MS = 1500;

/**
 * Slack's Web API client retries a failed call for about half an hour by default; a person waiting on an answer needs
 * it settled in seconds (without a Slack profile, /ext @someone says it cannot read their email).
 */
const SLACK_API_PATIENCE = { timeout: 5_000, retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1_000 } } as const;

/** Without a bot token nobody's Slack profile can be read. */
const NO_CHAT_PEOPLE: ChatPeople = { emailOf: async () => undefined, findByEmail: async () => undefined };

export function slackUserKey(teamId: string, userId: string): string {
  return `slack:${teamId}:${userId}`;
}

/**
 * Bolt wired to the platform-neutral command runner. Every command and button is acknowledged at once (Slack allows 3
 * seconds) and answered through its response_url; a request that fails Slack's signature check gets 401 from Bolt.
 */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { services, logger } = options;
  const socketMode = options.appToken !== undefined;
  const clientOptions: webApi.WebClientOptions = {
    ...SLACK_API_PATIENCE,
    ...(options.apiUrl === undefined ? {} : { slackApiUrl: options.apiUrl }),
  };
  const install = options.install;
  // Install mode runs Bolt's installer on the HTTP receiver (config refuses it with Socket Mode).
  const receiver = socketMode
    ? undefined
    : new HTTPReceiver({
        signingSecret: options.signingSecret,
        endpoints: '/slack/events',
        logger: boltLogger(logger),
        ...(install === undefined ? {} : slackInstallerOptions({ ...install, logger, clientOptions })),
      });
  const botToken = options.botToken;
  const app = new App({
    signingSecret: options.signingSecret,
    // Install mode: Bolt authorizes each request with its installer (fetchInstallation). Otherwise, given `token`,
    // Bolt checks it with auth.test as it starts and makes every request wait for that check, retried for half an hour
    // and failing for good if Slack was unreachable at that moment. Commands and buttons need only the token itself,
    // so authorization hands it over and nothing is asked of Slack at start.
    ...(install === undefined ? { authorize: async () => (botToken === undefined ? {} : { botToken }) } : {}),
    ...(receiver ? { receiver } : { socketMode: true, appToken: options.appToken }),
    clientOptions,
    logger: boltLogger(logger),
    // The error handler gets the request too: a workspace without an installation is told so on its response_url.
    extendedErrorHandler: true,
    // Nothing here keeps state per conversation; Bolt's default in-memory store would be looked up on every event,
    // and would hold what one replica saw only.
    convoStore: false,
  });
  const web = botToken === undefined ? undefined : new webApi.WebClient(botToken, { ...clientOptions, logger: boltLogger(logger) });
  const clientFor =
    install === undefined ? async () => web : installedClients(install.store, { ...clientOptions, logger: boltLogger(logger) });
  const people = install === undefined && web === undefined ? undefined : new SlackPeople(clientFor);
  const peopleOf = (teamId: string): ChatPeople => people?.forTeam(teamId) ?? NO_CHAT_PEOPLE;
  if (install !== undefined) {
    registerUninstallListeners(app, install.store, logger, (workspace) => services.linking.unlinkEveryone(slackUserKey(workspace, '')));
  }
  const lookingUpAfterMs = options.lookingUpAfterMs ?? LOOKING_UP_AFTER_MS;
  const inFlight = new InFlightWork();
  // Messages to the bot, App Home and the message shortcut live in modules of their own.
  const surfaces = registerSlackSurfaces(app, {
    services,
    logger,
    clientFor,
    peopleOf,
    track: (work) => inFlight.track(work),
    userKeyOf: slackUserKey,
    eventClaims: options.eventClaims ?? slackEventClaims(),
  });

  async function answer(userKey: string, teamId: string, command: Command, resume: SlackResume, respond: RespondFn): Promise<void> {
    const replying = runCommand(services, {
      userKey,
      chatUser: slackChatUser(resume.userId),
      command,
      people: peopleOf(teamId),
      resume,
    });
    await inFlight.track(respondWhenReady(renderedOrApology(replying), respond, lookingUpAfterMs));
    if (command.name === 'unlink') await surfaces.refreshHome(teamId, resume.userId);
  }

  /** The reply rendered for Slack; a failure anywhere in making it is logged with its stack and reads as an apology. */
  function renderedOrApology(replying: Promise<Reply> | (() => Reply | Promise<Reply>)): Promise<RespondArguments> {
    const reply = typeof replying === 'function' ? Promise.resolve().then(replying) : replying;
    return reply.then(toSlack).catch((error: unknown) => {
      logger.error({ err: errorWithStack(error) }, 'Slack command failed');
      return toSlack(unexpectedErrorReply());
    });
  }

  app.command(/.*/, async ({ command, ack, respond, context }) => {
    await ack();
    const parsed = parseCommand(`${command.command} ${command.text}`);
    if (!parsed.ok) return void (await inFlight.track(renderedOrApology(() => commandProblemReply(parsed)).then(respond)));
    const workspace = slackWorkspaceOf(context) ?? command.team_id;
    const resume: SlackResume = {
      platform: 'slack',
      responseUrl: command.response_url,
      teamId: workspace,
      userId: command.user_id,
      command: formatCommand(parsed.command, 'slash'),
    };
    await answer(slackUserKey(workspace, command.user_id), workspace, parsed.command, resume, respond);
  });

  // Buttons whose value is a command ("show more", a list item's details).
  app.action(new RegExp(`^${slackActionIds.command}:`), async ({ ack, body, action, respond, context }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button' || typeof action.value !== 'string') return;
    const teamId = slackWorkspaceOf(context) ?? body.team?.id ?? body.user.team_id ?? '';
    const parsed = parseCommand(action.value);
    if (!parsed.ok) return void (await inFlight.track(renderedOrApology(() => commandProblemReply(parsed)).then(respond)));
    const resume: SlackResume = {
      platform: 'slack',
      responseUrl: body.response_url,
      teamId,
      userId: body.user.id,
      command: formatCommand(parsed.command, 'slash'),
    };
    await answer(slackUserKey(teamId, body.user.id), teamId, parsed.command, resume, respond);
  });

  // Link buttons (tel:, Connect RingCentral) open in the client, but Slack still expects an acknowledgement.
  app.action(new RegExp(`^(${slackActionIds.call}|${slackActionIds.openUrl}):`), async ({ ack }) => {
    await ack();
  });

  // Anything else Slack may send (other actions, shortcuts, modal submissions) is acknowledged and ignored, so Slack
  // never shows the person an error and Bolt never times out on it.
  app.action(/^(?!switchboard_)/, async ({ ack }) => {
    await ack();
  });
  app.shortcut(/^(?!switchboard_)/, async ({ ack }) => {
    await ack();
  });
  app.view(/.*/, async ({ ack }) => {
    await ack();
  });

  app.error(async ({ error, body }: { error: Error & { code?: string }; body: unknown }) => {
    if (install !== undefined && isSlackNotInstalled(error))
      return void (await inFlight.track(answerNotInstalled(body, install.publicUrl)));
    logger.error({ err: { ...errorWithStack(error), code: error.code } }, 'Slack handler failed');
  });

  /** A request from a workspace without an installation: its command, button or shortcut is told how to install. */
  async function answerNotInstalled(body: unknown, publicUrl: string): Promise<void> {
    const responseUrl = (body as { response_url?: unknown }).response_url;
    if (typeof responseUrl !== 'string') return void logger.warn({}, 'Slack event from a workspace without an installation; not answered');
    logger.info({}, 'Slack request from a workspace without an installation; told how to install');
    await postToResponseUrl(responseUrl, { response_type: 'ephemeral', text: notInstalledText(publicUrl) }).catch((error: unknown) => {
      logger.warn({ err: { message: (error as Error).message } }, 'could not tell a Slack workspace it has no installation');
    });
  }

  return {
    requestListener: receiver ? refuseFutureDatedRequests(receiver.requestListener) : undefined,
    installRoutes:
      receiver === undefined || install === undefined
        ? {}
        : { [`GET ${SLACK_INSTALL_PATH}`]: receiver.requestListener, [`GET ${SLACK_OAUTH_REDIRECT_PATH}`]: receiver.requestListener },
    async resume(link) {
      // A link started from a message, the shortcut or App Home; App Home is drawn again for whoever has it open.
      void inFlight.track(surfaces.resume(link, slackUserOfKey(link.userKey)));
      const parsed = SlackResume.safeParse(link.resume);
      if (!parsed.success) return;
      const resume = parsed.data;
      const command = parseCommand(resume.command);
      if (!command.ok) return;
      // The Connect prompt is replaced by who the user is now linked as; any other command is then answered below it.
      try {
        await postToResponseUrl(resume.responseUrl, { ...toSlack(linkedReply(link.identity, 'slash')), replace_original: true });
        if (command.command.name === 'link') return;
        const message = await renderedOrApology(() =>
          runCommand(services, {
            userKey: link.userKey,
            chatUser: slackChatUser(resume.userId),
            command: command.command,
            people: peopleOf(resume.teamId),
            resume,
          }),
        );
        await postToResponseUrl(resume.responseUrl, message);
      } catch (error) {
        logger.warn({ err: { message: (error as Error).message } }, 'could not answer the linked command on Slack');
      }
    },
    async start() {
      if (socketMode) await app.start();
    },
    async stop() {
      if (socketMode) await app.stop();
      await inFlight.settled();
    },
  };
}

/**
 * The Web API client's debug lines show request bodies with only keys containing "token" redacted: oauth.v2.access's
 * client_secret and code (install mode) would be logged as they are, and the installer logs the state it signs.
 */
function withoutOAuthSecrets(detail: string): string {
  return detail
    .replace(/("(?:client_secret|code|refresh_token|state)"\s*:\s*)"[^"]*"/g, '$1"[[REDACTED]]"')
    .replace(/([?&](?:code|state|client_secret)=)[^&\s"]*/g, '$1[[REDACTED]]');
}

/** Bolt's own log lines go through our structured logger rather than straight to the console. */
function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.WARN;
  const line = (args: unknown[]) => ({
    source: 'bolt',
    detail: withoutOAuthSecrets(args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' ')),
  });
  return {
    debug: (...args) => logger.debug(line(args), 'bolt'),
    info: (...args) => logger.info(line(args), 'bolt'),
    warn: (...args) => logger.warn(line(args), 'bolt'),
    error: (...args) => logger.error(line(args), 'bolt'),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

function toSlack(reply: Reply): RespondArguments {
  const message = renderSlack(reply);
  return { text: message.text, blocks: message.blocks, response_type: slackResponseType(reply) } as RespondArguments;
}

/** Answers at once when the reply is quick; otherwise shows "looking up…" first and replaces it. */
async function respondWhenReady(replying: Promise<RespondArguments>, respond: RespondFn, lookingUpAfterMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<'slow'>((resolve) => {
    timer = setTimeout(() => resolve('slow'), lookingUpAfterMs);
  });
  const first = await Promise.race([replying, slow]);
  clearTimeout(timer);
  if (first !== 'slow') return void (await respond(first));
  await respond(toSlack(lookingUpReply()));
  await respond({ ...(await replying), replace_original: true });
}

async function postToResponseUrl(responseUrl: string, message: RespondArguments): Promise<void> {
  const response = await request(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  await response.body.dump();
  if (response.statusCode >= 300) throw new Error(`response_url answered ${response.statusCode}`);
}

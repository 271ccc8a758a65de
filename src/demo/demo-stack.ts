import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import type { Logger } from '../api/logger.ts';
import { silentLogger } from '../api/logger.ts';
import type { Config } from '../config.ts';
import { loadConfig } from '../config.ts';
import type { Sandbox, SandboxOptions } from '../sandbox/server.ts';
import { startSandbox } from '../sandbox/server.ts';
import { generateEncryptionKey } from '../store/key-ring.ts';
import type { Switchboard } from '../switchboard.ts';
import { startSwitchboard } from '../switchboard.ts';
import type { LocalSlack, LocalSlackUser, ResponseChannel, ResponseMessage } from './local-slack.ts';
import { startLocalSlack } from './local-slack.ts';
import type { SlackAck, SlackRequestTarget } from './slack-requests.ts';
import { postButtonClick, postSlashCommand } from './slack-requests.ts';

/** The sandbox's demo app (src/sandbox/seed/demo.json): it accepts any loopback redirect URI. */
export const DEMO_APP = { clientId: 'switchboard-demo', clientSecret: 'switchboard-demo-secret' } as const;

export interface DemoStackOptions {
  sandbox?: SandboxOptions;
  /** Settings on top of the demo's (e.g. CACHE_TTL_SECONDS). */
  env?: Record<string, string>;
  logger?: Logger;
  /** Port for the bot; 0 picks a free one. */
  botPort?: number;
  lookingUpAfterMs?: number;
  /** The bot store's clock (epoch ms), for tests that expire a Connect link. */
  now?: () => number;
}

export interface AskResult {
  ack: SlackAck;
  channel: ResponseChannel;
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
  /** Clicks a command button of a message, as that Slack user. */
  click(slackUserId: string, button: { action_id: string; value: string }): Promise<AskResult>;
  /** Follows a "Connect RingCentral" URL as a browser would, signing in as this extension. Returns the final page. */
  signIn(authorizeUrl: string, extensionNumber: string): Promise<{ status: number; body: string }>;
  /** Links a Slack user through the real flow and returns the message the pending command was answered with. */
  link(slackUserId: string, extensionNumber: string): Promise<ResponseMessage>;
  close(): Promise<void>;
}

export async function startDemoStack(options: DemoStackOptions = {}): Promise<DemoStack> {
  const sandbox = await startSandbox({ ...options.sandbox });
  const users: LocalSlackUser[] = sandbox.seed.extensions
    .filter((extension) => extension.extensionNumber !== undefined && extension.contact?.email !== undefined)
    .map((extension) => ({
      id: `U${extension.extensionNumber}`,
      name: extension.name ?? extension.extensionNumber ?? '',
      email: extension.contact?.email,
    }));
  const slack = await startLocalSlack({ users });
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
      ...(options.now === undefined ? {} : { now: options.now }),
    });
  } catch (error) {
    await slack.close();
    await sandbox.close();
    throw error;
  }
  const target: SlackRequestTarget = { eventsUrl: `${bot.url}/slack/events`, signingSecret };

  const stack: DemoStack = {
    sandbox,
    slack,
    bot,
    config,
    target,
    slackUserId: (extensionNumber) => `U${extensionNumber}`,
    async ask(slackUserId, line) {
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
      const prompt = await channel.next();
      const url = connectUrlOf(prompt);
      if (url === undefined) throw new Error('the bot did not offer a Connect RingCentral button');
      const page = await stack.signIn(url, extensionNumber);
      if (page.status !== 200) throw new Error(`linking failed: ${page.status} ${page.body.slice(0, 200)}`);
      return channel.next();
    },
    async close() {
      await bot.close();
      await slack.close();
      await sandbox.close();
    },
  };
  return stack;
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

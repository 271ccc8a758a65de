import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { connectUrlOf, DEMO_APP } from '../../src/demo/demo-stack.ts';
import type { LocalSlack, ResponseChannel, ResponseMessage } from '../../src/demo/local-slack.ts';
import type { SlackAck, SlackRequestTarget } from '../../src/demo/slack-requests.ts';
import { postSlashCommand } from '../../src/demo/slack-requests.ts';
import type { Sandbox } from '../../src/sandbox/server.ts';

/*
 * The bot as operators run it: `node --import tsx src/main.ts` in a child process, configured only through its
 * environment, talking to a sandbox and a local Slack stand-in that the test runs.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LISTENING = /Switchboard listening on port (\d+)/;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BotProcess {
  url: string;
  port: number;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
  kill(signal: NodeJS.Signals): void;
}

/** The settings a Slack bot needs against this sandbox and local Slack; `extra` adds or overrides. */
export function botSettings(parts: {
  sandbox: Sandbox;
  slack: LocalSlack;
  databaseUrl: string;
  signingSecret: string;
  tokenKey?: string;
}): Record<string, string> {
  return {
    PORT: '0',
    LOG_LEVEL: 'info',
    SLACK_SIGNING_SECRET: parts.signingSecret,
    SLACK_BOT_TOKEN: 'xoxb-local-process',
    SLACK_API_URL: parts.slack.apiUrl,
    RINGCENTRAL_SERVER_URL: parts.sandbox.url,
    RINGCENTRAL_CLIENT_ID: DEMO_APP.clientId,
    RINGCENTRAL_CLIENT_SECRET: DEMO_APP.clientSecret,
    DATABASE_URL: parts.databaseUrl,
    ...(parts.tokenKey === undefined ? {} : { TOKEN_ENCRYPTION_KEY: parts.tokenKey }),
  };
}

export function newSigningSecret(): string {
  return randomBytes(16).toString('hex');
}

/** How the bot is started: node itself, or `npm start` as the README says (npm then stands between it and signals). */
export type Launcher = 'node' | 'npm start';

function spawnBot(settings: Record<string, string>, launcher: Launcher = 'node') {
  // Only what node needs from this process's environment: nothing of the test's own settings leaks in.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...settings };
  const [command, args] = launcher === 'node' ? [process.execPath, ['--import', 'tsx', 'src/main.ts']] : ['npm', ['start', '--silent']];
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** Starts the bot and resolves once it listens; rejects (with its stderr) if it exits first. */
export async function startBotProcess(
  settings: Record<string, string>,
  timeoutMs = 20_000,
  launcher: Launcher = 'node',
): Promise<BotProcess> {
  const bot = spawnBot(settings, launcher);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      bot.child.kill('SIGKILL');
      reject(new Error(`the bot did not start within ${timeoutMs} ms: ${bot.stderr()}`));
    }, timeoutMs);
    const onData = () => {
      const match = LISTENING.exec(bot.stdout());
      if (!match) return;
      clearTimeout(timer);
      bot.child.stdout.off('data', onData);
      resolve(Number(match[1]));
    };
    bot.child.stdout.on('data', onData);
    void bot.exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`the bot exited (${exit.code ?? exit.signal}) before listening: ${bot.stderr()}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stdout: bot.stdout,
    stderr: bot.stderr,
    exited: bot.exited,
    kill: (signal) => bot.child.kill(signal),
  };
}

/** Runs the bot until it exits by itself (a start-up failure); kills it and rejects if it is still up after `timeoutMs`. */
export async function runBotUntilExit(
  settings: Record<string, string>,
  timeoutMs = 20_000,
): Promise<Exit & { stdout: string; stderr: string }> {
  const bot = spawnBot(settings);
  const timer = setTimeout(() => bot.child.kill('SIGKILL'), timeoutMs);
  const exit = await bot.exited;
  clearTimeout(timer);
  return { ...exit, stdout: bot.stdout(), stderr: bot.stderr() };
}

/** Slack as seen by one bot: signed slash commands to its /slack/events, answers on fresh response_urls. */
export function slackClient(slack: LocalSlack, target: SlackRequestTarget) {
  const ask = async (userId: string, line: string): Promise<{ ack: SlackAck; channel: ResponseChannel }> => {
    const channel = slack.newResponseChannel();
    const [command = '', ...rest] = line.trim().split(/\s+/);
    const ack = await postSlashCommand(target, { teamId: slack.teamId, userId, command, text: rest.join(' '), responseUrl: channel.url });
    return { ack, channel };
  };
  return {
    ask,
    /** Links through the real flow (Connect button → sign-in at the sandbox → callback) and returns the resumed answer. */
    async link(userId: string, extensionNumber: string): Promise<ResponseMessage> {
      const { channel } = await ask(userId, '/switchboard link');
      const url = connectUrlOf(await channel.next());
      if (url === undefined) throw new Error('the bot did not offer a Connect RingCentral button');
      const page = await signIn(url, extensionNumber);
      if (page.status !== 200) throw new Error(`linking failed: ${page.status}`);
      return channel.next();
    },
  };
}

/**
 * Follows a sign-in URL as a browser would, as this extension (the sandbox's login_hint), through the callback.
 * Returns the authorization code too, so a test can look for it where it must not be.
 */
export async function signIn(authorizeUrl: string, extensionNumber: string): Promise<{ status: number; code: string | undefined }> {
  const url = new URL(authorizeUrl);
  url.searchParams.set('login_hint', extensionNumber);
  const authorize = await request(url, { method: 'GET' });
  await authorize.body.dump();
  const location = authorize.headers.location;
  if (authorize.statusCode !== 302 || typeof location !== 'string') return { status: authorize.statusCode, code: undefined };
  const callback = await request(location, { method: 'GET' });
  await callback.body.dump();
  return { status: callback.statusCode, code: new URL(location).searchParams.get('code') ?? undefined };
}

import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Config } from '../src/config.ts';
import { SETTING_NAMES } from '../src/config.ts';
import type { DemoStack } from '../src/demo/demo-stack.ts';
import { slashCommandSender } from '../src/demo/demo-stack.ts';
import type { LookupStrategy } from '../src/lookup-strategy.ts';

/** What the load generator needs of a bot: a way to post a signed slash command and read its answers. */
export type Asker = Pick<DemoStack, 'ask'>;

export interface BotProcess extends Asker {
  url: string;
  close(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL('./bot-process.ts', import.meta.url));
const STARTUP_TIMEOUT_MS = 60_000;

/**
 * Starts a bot of this strategy in its own process with the settings of `beside` (a bot of the benchmark's process:
 * the same sandbox, link store, encryption key, Slack signing secret and stand-in Slack). Commands go to the child's
 * /slack/events; its answers arrive at `beside`'s stand-in Slack, which lives in the benchmark's process.
 */
export async function startBotProcess(strategy: LookupStrategy, beside: DemoStack): Promise<BotProcess> {
  const child = fork(ENTRY, [strategy], {
    // Only what the bot needs: no setting of the benchmark's own environment slips in beside the bot's.
    env: { PATH: process.env.PATH ?? '', ...environmentOf(beside.config), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the ${strategy} bot's process exited with code ${String(code)} before it started`);
  });
  const started = once(child, 'message').then(([message]) => (message as { url: string }).url);
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error(`the ${strategy} bot's process did not start within ${STARTUP_TIMEOUT_MS} ms`)),
      STARTUP_TIMEOUT_MS,
    ).unref(),
  );
  let url: string;
  try {
    url = await Promise.race([started, exited, timeout]);
  } catch (error) {
    child.kill();
    throw error;
  }
  exited.catch(() => undefined);
  const target = { eventsUrl: `${url}/slack/events`, signingSecret: beside.target.signingSecret };
  return {
    url,
    ask: slashCommandSender(target, beside.slack),
    async close() {
      // Closed twice when a phase fails after the latency phase closed it: the second finds it gone.
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = once(child, 'exit');
      if (child.connected) child.disconnect();
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** The parsed settings back as environment variables: every setting with a value. */
function environmentOf(config: Config): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of SETTING_NAMES) {
    const value = (config as Record<string, unknown>)[name];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') env[name] = String(value);
  }
  return env;
}

export interface BotProcesses {
  bots: Record<LookupStrategy, Asker>;
  close(): Promise<void>;
}

/** Starts a bot of each strategy in its own process (beside the benchmark's bot of that strategy), all at once. */
export async function startBotProcesses(
  beside: Record<LookupStrategy, DemoStack>,
  strategies: readonly LookupStrategy[],
): Promise<BotProcesses> {
  const settled = await Promise.allSettled(strategies.map((strategy) => startBotProcess(strategy, beside[strategy])));
  const started = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const close = async () => void (await Promise.all(started.map((bot) => bot.close())));
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }
  const bots = {} as Record<LookupStrategy, Asker>;
  strategies.forEach((strategy, index) => {
    bots[strategy] = started[index]!;
  });
  return { bots, close };
}

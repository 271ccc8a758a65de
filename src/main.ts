import type { Config } from './config.ts';
import { ConfigError, environmentWithEnvFile, loadConfig } from './config.ts';
import { runDemoConsole } from './demo/console.ts';
import { startDemoStack } from './demo/demo-stack.ts';
import { StoreError } from './store/errors.ts';
import { startSwitchboard } from './switchboard.ts';

/**
 * `npm start`. With credentials for Slack, Teams or RingCentral, the bot serves them. With none, the local demo: the
 * RingCentral sandbox, the bot and an interactive console, all on loopback.
 */
function isDemo(config: Config): boolean {
  return config.SLACK_SIGNING_SECRET === undefined && config.MicrosoftAppId === undefined && config.RINGCENTRAL_CLIENT_ID === undefined;
}

async function main(): Promise<void> {
  const env = environmentWithEnvFile();
  const config = loadConfig(env);
  if (isDemo(config)) {
    const portChosen = (env.PORT ?? '').trim() !== '';
    const stack = await startDemoStack(portChosen ? { botPort: config.PORT } : {});
    try {
      await runDemoConsole(stack, process.argv.includes('--teams') ? 'teams' : 'slack');
    } finally {
      await stack.close();
    }
    return;
  }
  const bot = await startSwitchboard(config);
  // The first signal drains (bounded by SHUTDOWN_TIMEOUT_SECONDS); a second one, from an impatient operator, ends now.
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1);
    stopping = true;
    bot.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`switchboard: shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Only now, with the handlers in place: whoever waits for this line may signal at once.
  process.stdout.write(`Switchboard listening on port ${bot.port}; RingCentral redirects to ${bot.publicUrl}\n`);
}

main().catch((error: unknown) => {
  // Settings and storage problems are the operator's to fix: one clear line, no stack.
  if (error instanceof ConfigError || error instanceof StoreError) {
    process.stderr.write(`switchboard: ${error.message}\n`);
  } else {
    process.stderr.write(`switchboard: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});

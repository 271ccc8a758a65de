import { loadConfig } from '../src/config.ts';
import type { LookupStrategy } from '../src/lookup-strategy.ts';
import { silentLogger } from '../src/observability/logger.ts';
import { startSwitchboard } from '../src/switchboard.ts';

/*
 * One bot in a process of its own, as it is deployed: the benchmark starts it with `fork` and a complete environment
 * (the same settings as the bot beside it in the benchmark's process, so both share the link store), reads its URL
 * from the first IPC message and measures its acks from outside. It stops when the benchmark disconnects.
 */

const strategy = (process.argv[2] ?? 'cached') as LookupStrategy;
const bot = await startSwitchboard(loadConfig(process.env), { host: '127.0.0.1', logger: silentLogger, strategy });
process.send?.({ url: bot.url });
process.once('disconnect', () => {
  void bot.close({ graceMs: 1000 }).finally(() => process.exit(0));
});

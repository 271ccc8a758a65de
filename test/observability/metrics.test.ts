import { afterEach, describe, expect, it } from 'vitest';
import { OPERATION_GROUPS } from '../../src/api/limits.ts';
import { COMMAND_OUTCOMES } from '../../src/handlers/command-outcome.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import type { SlackTestStack } from '../support/slack-stack.ts';
import { answer, startSlackTestStack, titleOf } from '../support/slack-stack.ts';
import { scrape, total, type Sample } from './prometheus-text.ts';

const JOHN = 'U101';
const EMMA = 'U103';
const COMMANDS = ['ext', 'whois', 'myforwarding', 'company', 'help', 'link', 'unlink', 'status'];
const OPERATIONS = [...Object.keys(OPERATION_GROUPS), 'ping'];

/** Every label value of our own metrics, by label name. */
function labelValues(samples: Sample[]): Map<string, Set<string>> {
  const values = new Map<string, Set<string>>();
  for (const sample of samples.filter((candidate) => candidate.name.startsWith('switchboard_'))) {
    for (const [name, value] of Object.entries(sample.labels)) {
      if (name === 'le') continue;
      values.set(name, (values.get(name) ?? new Set()).add(value));
    }
  }
  return values;
}

describe('/metrics', () => {
  const stacks: SlackTestStack[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const stack of stacks.splice(0)) await stack.close();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  async function stack(options: Parameters<typeof startSlackTestStack>[0] = {}): Promise<SlackTestStack> {
    const started = await startSlackTestStack(options);
    stacks.push(started);
    return started;
  }

  it('counts commands by name and outcome and times them, with process metrics beside', async () => {
    const bot = await stack();
    await bot.link(JOHN, '101'); // status: not-linked, then status: ok once linked
    await answer(bot, JOHN, '/ext 101');
    expect(titleOf(await answer(bot, JOHN, '/whois call me'))).toMatch(/phone number/);
    await answer(bot, EMMA, '/ext 101'); // Emma never linked

    const { contentType, samples } = await scrape(bot.bot.url);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const commands = (command: string, outcome: string) => total(samples, 'switchboard_commands_total', { command, outcome });
    expect(commands('status', 'not-linked')).toBe(1);
    expect(commands('status', 'ok')).toBe(1);
    expect(commands('ext', 'ok')).toBe(1);
    expect(commands('ext', 'not-linked')).toBe(1);
    expect(commands('whois', 'invalid-input')).toBe(1);
    expect(total(samples, 'switchboard_commands_total')).toBe(5);
    expect(total(samples, 'switchboard_command_duration_seconds_count', { command: 'ext' })).toBe(2);
    expect(total(samples, 'switchboard_command_duration_seconds_sum', { command: 'ext' })).toBeGreaterThan(0);
    expect(samples.some((sample) => sample.name === 'process_cpu_user_seconds_total')).toBe(true);
    expect(samples.some((sample) => sample.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('counts RingCentral exchanges by operation and status exactly as RingCentral saw them', async () => {
    const bot = await stack();
    await bot.link(JOHN, '101');
    await bot.link(EMMA, '103');
    for (const line of ['/ext 101', '/ext john', '/whois +16503316252', '/myforwarding', '/switchboard company'])
      await answer(bot, JOHN, line);
    await answer(bot, EMMA, '/ext 102');

    const seen = await bot.control.stats();
    const { samples } = await scrape(bot.bot.url);
    const counted = Object.entries(seen.byOperation).filter(([operation]) => operation !== 'authorize'); // the browser's, not ours
    expect(counted.length).toBeGreaterThan(3);
    for (const [operation, count] of counted) {
      expect(total(samples, 'switchboard_ringcentral_requests_total', { operation }), operation).toBe(count);
      expect(total(samples, 'switchboard_ringcentral_request_duration_seconds_count', { operation }), operation).toBe(count);
    }
    expect(total(samples, 'switchboard_ringcentral_requests_total', { operation: 'getToken', status: '200' })).toBe(2);
    expect(total(samples, 'switchboard_ringcentral_rate_limited_total')).toBe(0);
  });

  it('counts exchanges that got no answer by why: the connection reset is network-error, each retry counted', async () => {
    const bot = await stack();
    await bot.link(JOHN, '101');
    await bot.control.faults({ kind: 'reset', count: 3, operation: 'listExtensions' });
    expect(titleOf(await answer(bot, JOHN, '/ext 101'))).toBe('RingCentral is unreachable');
    const { samples } = await scrape(bot.bot.url);
    expect(total(samples, 'switchboard_ringcentral_requests_total', { operation: 'listExtensions', status: 'network-error' })).toBe(3);
    expect(total(samples, 'switchboard_commands_total', { command: 'ext', outcome: 'unavailable' })).toBe(1);
  });

  it('counts token refreshes by outcome: ok after an access token expires, refused once the session is revoked', async () => {
    const bot = await stack();
    await bot.link(JOHN, '101');
    await bot.control.expireAccessTokens();
    await answer(bot, JOHN, '/ext 102');
    let { samples } = await scrape(bot.bot.url);
    expect(total(samples, 'switchboard_token_refreshes_total', { outcome: 'ok' })).toBe(1);
    expect(total(samples, 'switchboard_ringcentral_requests_total', { status: '401' })).toBe(1);

    await bot.control.revokeSessions(bot.sandbox.seed.extensions.find((extension) => extension.extensionNumber === '101')?.id ?? '');
    await answer(bot, JOHN, '/ext 103');
    ({ samples } = await scrape(bot.bot.url));
    expect(total(samples, 'switchboard_token_refreshes_total', { outcome: 'refused' })).toBe(1);
    expect(total(samples, 'switchboard_token_refreshes_total', { outcome: 'ok' })).toBe(1);
    expect(total(samples, 'switchboard_commands_total', { command: 'ext', outcome: 'needs-link' })).toBe(1);
  });

  it('counts the 429s a bot meets by operation, in that bot’s registry only (two bots in one process)', async () => {
    const sandbox = await startSandbox({ rateLimits: { limits: { Medium: 2 } } });
    cleanups.push(() => sandbox.close());
    const first = await stack({ sharedSandbox: sandbox });
    const second = await stack({ sharedSandbox: sandbox });
    await first.link(JOHN, '101');
    await second.link(JOHN, '101');
    // The first bot spends John's Medium budget (listExtensions); the second one does not know and meets a 429.
    await answer(first, JOHN, '/ext 101');
    await answer(first, JOHN, '/ext 102');
    const busy = await answer(second, JOHN, '/ext 103');
    expect(titleOf(busy)).toBe('RingCentral is busy');

    const [ofFirst, ofSecond] = [(await scrape(first.bot.url)).samples, (await scrape(second.bot.url)).samples];
    expect(total(ofSecond, 'switchboard_ringcentral_rate_limited_total', { operation: 'listExtensions' })).toBe(1);
    expect(total(ofSecond, 'switchboard_ringcentral_requests_total', { operation: 'listExtensions', status: '429' })).toBe(1);
    expect(total(ofSecond, 'switchboard_commands_total', { command: 'ext', outcome: 'rate-limited' })).toBe(1);
    expect(total(ofFirst, 'switchboard_ringcentral_rate_limited_total')).toBe(0);
    expect(total(ofFirst, 'switchboard_commands_total', { command: 'ext', outcome: 'ok' })).toBe(2);
    expect(total(ofSecond, 'switchboard_commands_total', { command: 'ext', outcome: 'ok' })).toBe(0);
  });

  it('labels only with fixed sets (commands, outcomes, operations, statuses): never a user, an extension or a number', async () => {
    const bot = await stack();
    await bot.link(JOHN, '101');
    await bot.link(EMMA, '103');
    for (const line of [
      '/ext 101',
      '/ext @U103',
      '/ext emma.chen@mycompany.com',
      '/whois +16503316252',
      '/whois 999',
      '/myforwarding',
      '/switchboard company',
      '/ext 7777',
    ]) {
      await answer(bot, JOHN, line);
      await answer(bot, EMMA, line);
    }
    await bot.control.expireAccessTokens();
    await answer(bot, EMMA, '/ext 102');

    const { samples } = await scrape(bot.bot.url);
    expect(total(samples, 'switchboard_commands_total', { command: 'company', outcome: 'ok' })).toBe(2);
    const values = labelValues(samples);
    expect([...values.keys()].sort()).toEqual(['command', 'operation', 'outcome', 'status']);
    for (const command of values.get('command') ?? []) expect(COMMANDS).toContain(command);
    for (const outcome of values.get('outcome') ?? []) expect([...COMMAND_OUTCOMES, 'ok', 'refused', 'failed']).toContain(outcome);
    for (const operation of values.get('operation') ?? []) expect(OPERATIONS).toContain(operation);
    for (const status of values.get('status') ?? []) expect(status).toMatch(/^(?:[1-5]\d\d|timeout|network-error)$/);
  });
});

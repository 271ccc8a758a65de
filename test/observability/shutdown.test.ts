import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSlack } from '../../src/demo/local-slack.ts';
import { startLocalSlack } from '../../src/demo/local-slack.ts';
import type { Sandbox } from '../../src/sandbox/server.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import { generateEncryptionKey } from '../../src/store/key-ring.ts';
import { control } from '../support/sandbox.ts';
import { nextAnswer } from '../support/slack-stack.ts';
import { botSettings, newSigningSecret, slackClient, startBotProcess } from './bot-process.ts';

const JOHN = 'U101';

/** Whether the bot still takes a request: a connection refused or a 503 means it does not. */
async function takesRequests(url: string): Promise<boolean> {
  try {
    const response = await request(`${url}/healthz`, { method: 'GET', headersTimeout: 2_000, bodyTimeout: 2_000 });
    await response.body.dump();
    return response.statusCode !== 503;
  } catch {
    return false;
  }
}

describe('graceful shutdown of `node src/main.ts`', () => {
  let sandbox: Sandbox;
  let slack: LocalSlack;
  let dir: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimits: { scale: 100 } });
    slack = await startLocalSlack({ users: [{ id: JOHN, name: 'John Smith', email: 'john.smith@mycompany.com' }] });
    dir = mkdtempSync(join(tmpdir(), 'switchboard-shutdown-'));
  });
  afterAll(async () => {
    await slack?.close();
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('on SIGTERM, refuses new requests at once, still answers a command acknowledged before it, then exits 0', async () => {
    const signingSecret = newSigningSecret();
    const bot = await startBotProcess(
      botSettings({ sandbox, slack, databaseUrl: join(dir, 'sigterm.db'), signingSecret, tokenKey: generateEncryptionKey() }),
    );
    try {
      const john = slackClient(slack, { eventsUrl: `${bot.url}/slack/events`, signingSecret });
      await john.link(JOHN, '101');

      // Each RingCentral call now takes 1.5 s: the answer to a cold /ext is seconds away when the signal comes.
      await control(sandbox).config({ latencyMs: 1_500 });
      const { ack, channel } = await john.ask(JOHN, '/ext 102');
      expect(ack.status).toBe(200);
      bot.kill('SIGTERM');
      const signalled = performance.now();

      // Stops taking requests well before the answer is ready.
      while (await takesRequests(bot.url)) {
        expect(performance.now() - signalled, 'still taking requests after SIGTERM').toBeLessThan(1_000);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(channel.messages.filter((message) => /Paul Rivera/.test(message.text ?? ''))).toEqual([]);

      const answer = await nextAnswer(channel, 10_000);
      expect(answer.text).toContain('Paul Rivera');
      expect(await bot.exited).toEqual({ code: 0, signal: null });
    } finally {
      await control(sandbox).config({ latencyMs: 0 });
      bot.kill('SIGKILL');
    }
  });

  it('with nothing in flight, SIGTERM exits 0 at once', async () => {
    const bot = await startBotProcess(
      botSettings({
        sandbox,
        slack,
        databaseUrl: join(dir, 'idle.db'),
        signingSecret: newSigningSecret(),
        tokenKey: generateEncryptionKey(),
      }),
    );
    const signalled = performance.now();
    bot.kill('SIGTERM');
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(performance.now() - signalled).toBeLessThan(2_000);
  });

  it('started with `npm start`, SIGTERM to npm reaches the bot: it drains, stops listening and exits', async () => {
    const bot = await startBotProcess(
      botSettings({
        sandbox,
        slack,
        databaseUrl: join(dir, 'npm.db'),
        signingSecret: newSigningSecret(),
        tokenKey: generateEncryptionKey(),
      }),
      30_000,
      'npm start',
    );
    expect(await takesRequests(bot.url)).toBe(true);
    bot.kill('SIGTERM');
    await bot.exited;
    expect(bot.stdout()).toContain('shutting down: refusing new requests');
    expect(await takesRequests(bot.url)).toBe(false);
  }, 40_000);
});

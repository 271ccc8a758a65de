import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/observability/logger.ts';
import { slackUserKey } from '../../src/bot/slack/slack-app.ts';
import { loadConfig } from '../../src/config.ts';
import type { LocalSlack } from '../../src/demo/local-slack.ts';
import { startLocalSlack } from '../../src/demo/local-slack.ts';
import type { Sandbox } from '../../src/sandbox/server.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import { generateEncryptionKey, parseEncryptionKey } from '../../src/store/key-ring.ts';
import { startSwitchboard } from '../../src/switchboard.ts';
import { control } from '../support/sandbox.ts';
import { nextAnswer } from '../support/slack-stack.ts';
import { botSettings, newSigningSecret, runBotUntilExit, slackClient, startBotProcess } from './bot-process.ts';

/*
 * TOKEN_ENCRYPTION_KEY rotation as an operator does it, against `node src/main.ts`: a store written under key A,
 * then the process started with key B alone (refused, nothing touched), then with B current and A old (links work,
 * the next token write seals with B), then with B alone again (every row is now B's).
 */

const JOHN = 'U101';

describe('token encryption key rotation, end to end', () => {
  const keyA = generateEncryptionKey();
  const keyB = generateEncryptionKey();
  const idOf = (key: string) => parseEncryptionKey(key, 'test').id;
  let sandbox: Sandbox;
  let slack: LocalSlack;
  let dir: string;
  let databaseFile: string;
  const signingSecret = newSigningSecret();
  const settings = (keys: { current?: string; old?: string }) => ({
    ...botSettings({ sandbox, slack, databaseUrl: databaseFile, signingSecret }),
    ...(keys.current === undefined ? {} : { TOKEN_ENCRYPTION_KEY: keys.current }),
    ...(keys.old === undefined ? {} : { TOKEN_ENCRYPTION_KEYS_OLD: keys.old }),
  });
  /** Every row of every table, straight from the file. */
  const rows = () => {
    const db = new BetterSqlite3(databaseFile, { readonly: true });
    try {
      return ['links', 'link_tokens', 'pending_links', 'schema_migrations'].map((table) => db.prepare(`SELECT * FROM ${table}`).all());
    } finally {
      db.close();
    }
  };
  const tokenKeyId = () =>
    (rows()[1] as { user_key: string; key_id: string }[]).find((row) => row.user_key === slackUserKey(slack.teamId, JOHN))?.key_id;

  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimits: { scale: 100 } });
    slack = await startLocalSlack({ users: [{ id: JOHN, name: 'John Smith', email: 'john.smith@mycompany.com' }] });
    dir = mkdtempSync(join(tmpdir(), 'switchboard-rotation-'));
    databaseFile = join(dir, 'switchboard.db');

    // John links while the bot runs with key A.
    const bot = await startSwitchboard(loadConfig(settings({ current: keyA })), { host: '127.0.0.1', logger: silentLogger });
    try {
      const linked = await slackClient(slack, { eventsUrl: `${bot.url}/slack/events`, signingSecret }).link(JOHN, '101');
      expect(linked.text).toContain('Connected to RingCentral');
    } finally {
      await bot.close();
    }
    expect(tokenKeyId()).toBe(idOf(keyA));
  });
  afterAll(async () => {
    await slack?.close();
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['only a different key (B)', { current: keyB }],
    ['no key at all', {}],
    ['a key that is not 32 bytes', { current: 'not-a-key' }],
  ])('started with %s, start-up fails with one line naming TOKEN_ENCRYPTION_KEY, exit code 1, data untouched', async (_name, keys) => {
    const before = rows();
    const exit = await runBotUntilExit(settings(keys));
    expect(exit.code).toBe(1);
    const lines = exit.stderr.trimEnd().split('\n');
    expect(lines, exit.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^switchboard: .*TOKEN_ENCRYPTION_KEY/);
    // It names the setting, never a key.
    for (const key of [keyA, keyB]) expect(exit.stderr + exit.stdout).not.toContain(key);
    expect(exit.stdout).not.toMatch(/listening/);
    expect(rows()).toEqual(before);
  });

  it('with B current and A old, the link still works and the next token write seals it with B; then B alone starts', async () => {
    const bot = await startBotProcess(settings({ current: keyB, old: keyA }));
    try {
      const john = slackClient(slack, { eventsUrl: `${bot.url}/slack/events`, signingSecret });
      const { ack, channel } = await john.ask(JOHN, '/ext 101');
      expect(ack.status).toBe(200);
      expect((await nextAnswer(channel)).text).toContain('John Smith');
      expect(tokenKeyId(), 'reading alone rewrites nothing').toBe(idOf(keyA));

      // A refresh is the next token write.
      await control(sandbox).expireAccessTokens();
      const after = await john.ask(JOHN, '/ext 102');
      expect((await nextAnswer(after.channel)).text).toContain('Paul Rivera');
      expect(tokenKeyId()).toBe(idOf(keyB));
    } finally {
      bot.kill('SIGTERM');
      expect((await bot.exited).code).toBe(0);
    }

    // Every row is B's now, so A can be dropped from TOKEN_ENCRYPTION_KEYS_OLD.
    const alone = await startBotProcess(settings({ current: keyB }));
    try {
      const { channel } = await slackClient(slack, { eventsUrl: `${alone.url}/slack/events`, signingSecret }).ask(JOHN, '/ext 103');
      expect((await nextAnswer(channel)).text).toContain('Emma Chen');
    } finally {
      alone.kill('SIGTERM');
      expect((await alone.exited).code).toBe(0);
    }
  });
});

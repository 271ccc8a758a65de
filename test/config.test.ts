import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, environmentWithEnvFile, loadConfig, SETTING_NAMES } from '../src/config.ts';

const EXAMPLE_PATH = new URL('../.env.example', import.meta.url);
const exampleText = readFileSync(EXAMPLE_PATH, 'utf8');

/** `NAME=value` lines of .env.example, each with the comment lines of the block it belongs to. */
function exampleSettings(): { name: string; value: string; comment: string }[] {
  const settings: { name: string; value: string; comment: string }[] = [];
  let comment: string[] = [];
  let previousWasSetting = false;
  for (const line of exampleText.split('\n')) {
    if (line.startsWith('#')) {
      if (previousWasSetting) comment = [];
      comment.push(line.slice(1).trim());
      previousWasSetting = false;
    } else if (line.trim() === '') {
      comment = [];
      previousWasSetting = false;
    } else {
      const [, name = '', value = ''] = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line) ?? [];
      expect(name, `.env.example line "${line}" is NAME=value`).not.toBe('');
      settings.push({ name, value, comment: comment.join(' ') });
      previousWasSetting = true;
    }
  }
  return settings;
}

describe('.env.example', () => {
  it('lists every setting of the schema, and only those, once each', () => {
    const names = exampleSettings().map((setting) => setting.name);
    expect([...names].sort()).toEqual([...SETTING_NAMES].sort());
  });

  it('explains every setting in a comment right above it (or above its group)', () => {
    for (const { name, comment } of exampleSettings()) expect(comment.length, `${name} has a comment`).toBeGreaterThan(10);
  });

  it('copied to .env as it is, starts with the defaults', () => {
    expect(loadConfig(parseEnv(exampleText))).toEqual(loadConfig({}));
  });

  it('shows each default the schema applies', () => {
    const defaults = loadConfig({});
    for (const { name, value } of exampleSettings()) {
      if (value === '') continue;
      expect(loadConfig({ [name]: value })[name as keyof typeof defaults], name).toEqual(defaults[name as keyof typeof defaults]);
    }
  });
});

describe('loadConfig', () => {
  it('a setting left blank takes its default, as if unset: PORT= is 3000, not a random port', () => {
    const config = loadConfig({
      PORT: '',
      HOST: ' ',
      PUBLIC_URL: '',
      SLACK_API_URL: '',
      LOG_LEVEL: '',
      MicrosoftAppType: '',
      CACHE_TTL_SECONDS: '',
    });
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      MicrosoftAppType: 'MultiTenant',
      CACHE_TTL_SECONDS: 300,
    });
    expect(config.PUBLIC_URL).toBeUndefined();
    expect(config.SLACK_API_URL).toBeUndefined();
  });

  it('text settings are trimmed', () => {
    const config = loadConfig({ RINGCENTRAL_CLIENT_ID: '  abc  ', PORT: ' 8080 ' });
    expect(config.RINGCENTRAL_CLIENT_ID).toBe('abc');
    expect(config.PORT).toBe(8080);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PUBLIC_URL', 'ftp://bot.example.com'],
    ['PUBLIC_URL', 'bot.example.com'],
    ['LOG_LEVEL', 'verbose'],
    ['REDIS_URL', 'http://user:hunter2secret@cache:6379'],
    ['MicrosoftAppType', 'Personal'],
    ['CACHE_TTL_SECONDS', '0'],
    ['SHUTDOWN_TIMEOUT_SECONDS', '2.5'],
  ])('%s=%s fails with one line naming the setting and not echoing its value', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(new RegExp(`^Invalid setting ${name}: \\S`));
    expect(message).not.toContain('\n');
    if (value.length > 3) expect(message).not.toContain(value);
  });
});

const failureOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('Slack settings that go together', () => {
  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_BOT_TOKEN'],
    [{ SLACK_APP_TOKEN: 'xapp-1' }, 'SLACK_APP_TOKEN'],
  ])('%o without a signing secret stops start-up naming SLACK_SIGNING_SECRET', (env, given) => {
    expect(failureOf(env)).toBe(`Invalid setting SLACK_SIGNING_SECRET: is required when ${given} is set`);
  });

  it('a signing secret with either token is accepted', () => {
    expect(failureOf({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toBeUndefined();
  });

  describe('install mode (SLACK_CLIENT_ID)', () => {
    const install = { SLACK_SIGNING_SECRET: 's', SLACK_CLIENT_ID: '123.456', SLACK_CLIENT_SECRET: 'client-secret' };

    it('a client id and secret with the signing secret are accepted, with or without a state secret', () => {
      expect(failureOf(install)).toBeUndefined();
      expect(failureOf({ ...install, SLACK_STATE_SECRET: 'x'.repeat(32) })).toBeUndefined();
    });

    it.each([
      [{ ...install, SLACK_SIGNING_SECRET: '' }, 'SLACK_SIGNING_SECRET: is required when SLACK_CLIENT_ID is set'],
      [{ ...install, SLACK_CLIENT_SECRET: '' }, 'SLACK_CLIENT_SECRET: is required when SLACK_CLIENT_ID is set'],
      [{ SLACK_SIGNING_SECRET: 's', SLACK_CLIENT_SECRET: 'client-secret' }, 'SLACK_CLIENT_ID: is required when SLACK_CLIENT_SECRET is set'],
      [{ ...install, SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_BOT_TOKEN: must not be set with SLACK_CLIENT_ID'],
      [{ ...install, SLACK_APP_TOKEN: 'xapp-1' }, 'SLACK_APP_TOKEN: must not be set with SLACK_CLIENT_ID'],
      [{ ...install, SLACK_STATE_SECRET: 'short' }, 'SLACK_STATE_SECRET: must be at least 32 characters'],
      [
        { SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_STATE_SECRET: 'x'.repeat(32) },
        'SLACK_STATE_SECRET: is only used with SLACK_CLIENT_ID',
      ],
    ])('%o stops start-up with one line naming the setting', (env, expected) => {
      const failure = failureOf(env);
      expect(failure).toContain(`Invalid setting ${expected}`);
      expect(failure).not.toContain('\n');
    });
  });
});

describe('Bot Framework settings that go together', () => {
  const appId = '6c1f0a52-93d4-4e8b-b7a1-0d1e2f3a4b5c';

  it.each([
    [{ MicrosoftAppId: appId }, 'MicrosoftAppPassword', /required/],
    [{ MicrosoftAppId: appId, MicrosoftAppPassword: 'p', MicrosoftAppType: 'SingleTenant' }, 'MicrosoftAppTenantId', /required/],
    [{ MicrosoftAppId: appId, MicrosoftAppType: 'UserAssignedMSI' }, 'MicrosoftAppTenantId', /required/],
    [
      { MicrosoftAppId: appId, MicrosoftAppPassword: 'p', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't' },
      'MicrosoftAppPassword',
      /must not be set/,
    ],
    [{ MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 't' }, 'MicrosoftAppId', /required/],
  ])('%o stops start-up naming %s', (env, name, problem) => {
    const message = failureOf(env);
    expect(message).toMatch(new RegExp(`^Invalid setting ${name}: `));
    expect(message).toMatch(problem);
  });

  it.each([
    [{}],
    [{ MicrosoftAppId: appId, MicrosoftAppPassword: 'p' }],
    [{ MicrosoftAppId: appId, MicrosoftAppPassword: 'p', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 't' }],
    [{ MicrosoftAppId: appId, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't' }],
  ])('%o is accepted', (env) => {
    expect(failureOf(env)).toBeUndefined();
  });
});

describe('environmentWithEnvFile', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('adds the settings of .env, and the environment wins over the file', () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-env-'));
    const path = join(dir, '.env');
    writeFileSync(path, '# comment\nPORT=4000\nLOG_LEVEL=debug\nPUBLIC_URL=\n');
    const env = environmentWithEnvFile(path, { LOG_LEVEL: 'warn' });
    expect(loadConfig(env)).toMatchObject({ PORT: 4000, LOG_LEVEL: 'warn' });
    expect(loadConfig(env).PUBLIC_URL).toBeUndefined();
  });

  it('without a .env file, the environment alone', () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-env-'));
    const env = { PORT: '5000' };
    expect(environmentWithEnvFile(join(dir, '.env'), env)).toEqual(env);
  });

  it('a .env that cannot be read fails start-up naming the file', () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-env-'));
    // A directory where the file should be: EISDIR.
    expect(() => environmentWithEnvFile(dir ?? '', {})).toThrow(ConfigError);
    expect(() => environmentWithEnvFile(dir ?? '', {})).toThrow(/^Cannot read /);
  });
});

import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';

const optionalText = z.string().trim().optional();

const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * Every setting the bot reads, parsed once at start. Names follow each ecosystem's convention:
 * SLACK_*, RINGCENTRAL_*, Bot Framework's MicrosoftApp*, DATABASE_URL, REDIS_URL, PORT, PUBLIC_URL.
 */
const Settings = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PUBLIC_URL: url.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: url.optional(),
  /** "Add to Slack" install mode (any number of workspaces) instead of one workspace's SLACK_BOT_TOKEN. */
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  /** Signs the install flow's OAuth state; by default a subkey of TOKEN_ENCRYPTION_KEY. */
  SLACK_STATE_SECRET: optionalText.refine((value) => value === undefined || value.length >= 32, {
    error: 'must be at least 32 characters (openssl rand -hex 32 makes one)',
  }),

  RINGCENTRAL_SERVER_URL: url.default('https://platform.ringcentral.com'),
  RINGCENTRAL_CLIENT_ID: optionalText,
  RINGCENTRAL_CLIENT_SECRET: optionalText,

  DATABASE_URL: optionalText,
  TOKEN_ENCRYPTION_KEY: optionalText,
  TOKEN_ENCRYPTION_KEYS_OLD: optionalText,
  REDIS_URL: optionalText.refine((value) => value === undefined || /^rediss?:\/\/./.test(value), {
    error: 'must be a redis:// or rediss:// URL',
  }),
  REDIS_KEY_PREFIX: z.string().trim().min(1).default('switchboard:'),

  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MicrosoftAppTenantId: optionalText,

  /**
   * A sign-in whose RingCentral email is not the chat account's: `confirm` holds it for the one-time code its page
   * shows; `refuse` discards it (for companies whose chat and RingCentral emails always match).
   */
  LINK_EMAIL_MISMATCH: z.enum(['confirm', 'refuse']).default('confirm'),

  CACHE_TTL_SECONDS: positiveInt(300),
  CACHE_MAX_ENTRIES: positiveInt(50_000),
  /** Presence changes by the minute: it is kept far shorter than other answers. */
  PRESENCE_TTL_SECONDS: positiveInt(30),

  /** On SIGTERM, how long requests and answers in flight may take before the rest is abandoned. */
  SHUTDOWN_TIMEOUT_SECONDS: positiveInt(10),

  /** GET /metrics then requires `Authorization: Bearer <token>`. A token can only be sent as it is in a header. */
  METRICS_TOKEN: optionalText.refine((value) => value === undefined || /^[A-Za-z0-9._~+/-]{16,}=*$/.test(value), {
    error: 'must be 16 or more characters of A-Z a-z 0-9 . _ ~ + / - (openssl rand -hex 32 makes one)',
  }),
  /** GET /metrics is then served on this port (same HOST) and not on PORT. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

/**
 * A setting written but left blank (`PUBLIC_URL=` in a copy of .env.example) is unset: it takes its default. Without
 * this, a blank URL would be refused and a blank PORT would coerce to 0, a random port.
 */
function withoutBlankValues(env: unknown): unknown {
  if (typeof env !== 'object' || env === null) return env;
  return Object.fromEntries(Object.entries(env).filter(([, value]) => typeof value !== 'string' || value.trim() !== ''));
}

/**
 * The Bot Framework settings that go together, as botbuilder checks them — but here at start, naming the setting:
 * botbuilder would stop with a stack trace (SingleTenant without a tenant) or, for a MultiTenant app without its
 * password, start and then fail every reply.
 */
function checkBotFrameworkSettings(settings: z.infer<typeof Settings>, context: z.RefinementCtx): void {
  const { MicrosoftAppId: appId, MicrosoftAppPassword: password, MicrosoftAppType: type, MicrosoftAppTenantId: tenant } = settings;
  const issue = (path: keyof typeof settings, message: string) => context.addIssue({ code: 'custom', path: [path], message });
  if (appId === undefined) {
    if (type !== 'MultiTenant') issue('MicrosoftAppId', `is required when MicrosoftAppType is ${type}`);
    return;
  }
  if (type === 'UserAssignedMSI') {
    if (password !== undefined) issue('MicrosoftAppPassword', 'must not be set when MicrosoftAppType is UserAssignedMSI');
  } else if (password === undefined) {
    issue('MicrosoftAppPassword', `is required with MicrosoftAppId when MicrosoftAppType is ${type}`);
  }
  if (type !== 'MultiTenant' && tenant === undefined) issue('MicrosoftAppTenantId', `is required when MicrosoftAppType is ${type}`);
}

/**
 * Slack runs only with its signing secret (Bolt's HTTP receiver checks every request with it); a bot or app token
 * without it would otherwise leave Slack silently off.
 */
function checkSlackSettings(settings: z.infer<typeof Settings>, context: z.RefinementCtx): void {
  const issue = (path: keyof typeof settings, message: string) => context.addIssue({ code: 'custom', path: [path], message });
  if (settings.SLACK_SIGNING_SECRET === undefined) {
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_CLIENT_ID'] as const) {
      if (settings[name] !== undefined) issue('SLACK_SIGNING_SECRET', `is required when ${name} is set`);
    }
  }
  checkSlackInstallSettings(settings, issue);
}

/**
 * Install mode takes each workspace's bot token from its installation, so a single SLACK_BOT_TOKEN beside it would be
 * ambiguous; and Bolt serves the install pages over HTTP, which Socket Mode (SLACK_APP_TOKEN) does not.
 */
function checkSlackInstallSettings(
  settings: z.infer<typeof Settings>,
  issue: (path: keyof typeof settings, message: string) => void,
): void {
  const { SLACK_CLIENT_ID: clientId, SLACK_CLIENT_SECRET: clientSecret } = settings;
  if (clientId === undefined) {
    if (clientSecret !== undefined) issue('SLACK_CLIENT_ID', 'is required when SLACK_CLIENT_SECRET is set');
    if (settings.SLACK_STATE_SECRET !== undefined)
      issue('SLACK_STATE_SECRET', 'is only used with SLACK_CLIENT_ID (install mode); leave it unset');
    return;
  }
  if (clientSecret === undefined) issue('SLACK_CLIENT_SECRET', 'is required when SLACK_CLIENT_ID is set');
  if (settings.SLACK_BOT_TOKEN !== undefined) {
    issue('SLACK_BOT_TOKEN', 'must not be set with SLACK_CLIENT_ID: install mode uses each workspace’s own token (unset one of them)');
  }
  if (settings.SLACK_APP_TOKEN !== undefined) {
    issue('SLACK_APP_TOKEN', 'must not be set with SLACK_CLIENT_ID: the install flow needs HTTP mode, not Socket Mode');
  }
}

export const ConfigSchema = z.preprocess(
  withoutBlankValues,
  Settings.superRefine((settings, context) => {
    checkSlackSettings(settings, context);
    checkBotFrameworkSettings(settings, context);
    // Port 0 picks a free port for each server, so only two fixed ports can collide.
    if (settings.METRICS_PORT !== undefined && settings.METRICS_PORT !== 0 && settings.METRICS_PORT === settings.PORT) {
      context.addIssue({
        code: 'custom',
        path: ['METRICS_PORT'],
        message: 'must differ from PORT (leave it unset to serve /metrics on PORT)',
      });
    }
  }),
);

/** Every setting's name, as in the environment and .env.example. */
export const SETTING_NAMES = Object.keys(Settings.shape) as (keyof typeof Settings.shape)[];

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; a bad or missing setting fails with one line that names it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'configuration';
    throw new ConfigError(`Invalid setting ${name}: ${issue?.message ?? 'invalid value'}`);
  }
  return parsed.data;
}

/**
 * The environment, over the settings in `path` when that file exists (.env.example says to copy it to .env): a
 * variable set in the environment wins over the file.
 */
export function environmentWithEnvFile(path = '.env', env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return env;
    throw new ConfigError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  return { ...parseEnv(text), ...env };
}

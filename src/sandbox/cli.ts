import { parseArgs } from 'node:util';
import { userLikeTypes } from './account-data.ts';
import type { RateLimitsOption } from './limits.ts';
import { displayName } from './seed.ts';
import { startSandbox } from './server.ts';
import type { SandboxOptions } from './server.ts';

/**
 * npm run sandbox -- --port 4010 [--seed FILE | --generate N] [--access-ttl S] [--refresh-ttl S]
 *   [--refresh-grace S] [--no-limits] [--limit-scale X] [--latency MS] [--failure-rate P]
 *   [--client-id ID --client-secret S [--redirect-uri URI]] [--host H]
 */

const usage = `Usage: npm run sandbox -- [--port 4010] [--host 127.0.0.1] [--seed FILE | --generate N [--generate-seed K]]
  [--access-ttl S] [--refresh-ttl S] [--refresh-grace S] [--code-ttl S]
  [--no-limits] [--limit-scale X] [--latency MS] [--failure-rate P]
  [--client-id ID --client-secret SECRET [--redirect-uri URI]]`;

function fail(message: string): never {
  console.error(`sandbox: ${message}\n${usage}`);
  process.exit(2);
}

function number(name: string, raw: string | undefined, check: (n: number) => boolean = (n) => n >= 0): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || !check(value)) fail(`--${name} must be a number, got "${raw}"`);
  return value;
}

function parseOptions(argv: string[]): SandboxOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string' },
      seed: { type: 'string' },
      generate: { type: 'string' },
      'generate-seed': { type: 'string' },
      'access-ttl': { type: 'string' },
      'refresh-ttl': { type: 'string' },
      'refresh-grace': { type: 'string' },
      'code-ttl': { type: 'string' },
      'no-limits': { type: 'boolean', default: false },
      'limit-scale': { type: 'string' },
      latency: { type: 'string' },
      'failure-rate': { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'redirect-uri': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  if (values.seed && values.generate) fail('--seed and --generate exclude each other');
  if (Boolean(values['client-id']) !== Boolean(values['client-secret'])) fail('--client-id and --client-secret go together');
  const scale = number('limit-scale', values['limit-scale'], (n) => n > 0);
  let rateLimits: RateLimitsOption = 'default';
  if (values['no-limits']) rateLimits = 'off';
  else if (scale !== undefined) rateLimits = { scale };
  const options: SandboxOptions = {
    port: number('port', values.port, (n) => Number.isInteger(n) && n >= 0 && n < 65536) ?? 4010,
    rateLimits,
  };
  const set = <K extends keyof SandboxOptions>(key: K, value: SandboxOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('host', values.host);
  set('seedFile', values.seed);
  set(
    'generate',
    number('generate', values.generate, (n) => Number.isInteger(n) && n > 0),
  );
  set('generateSeedNumber', number('generate-seed', values['generate-seed'], Number.isInteger));
  set(
    'accessTtlSeconds',
    number('access-ttl', values['access-ttl'], (n) => n > 0),
  );
  set(
    'refreshTtlSeconds',
    number('refresh-ttl', values['refresh-ttl'], (n) => n > 0),
  );
  set('refreshGraceSeconds', number('refresh-grace', values['refresh-grace']));
  set(
    'authCodeTtlSeconds',
    number('code-ttl', values['code-ttl'], (n) => n > 0),
  );
  set('latencyMs', number('latency', values.latency));
  set(
    'failureRate',
    number('failure-rate', values['failure-rate'], (n) => n >= 0 && n <= 1),
  );
  if (values['client-id'] && values['client-secret']) {
    options.extraApp = {
      clientId: values['client-id'],
      clientSecret: values['client-secret'],
      ...(values['redirect-uri'] ? { redirectUri: values['redirect-uri'] } : {}),
    };
  }
  return options;
}

async function main(): Promise<void> {
  let options: SandboxOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    fail((error as Error).message);
  }
  const sandbox = await startSandbox(options);
  const { seed } = sandbox;
  const people = seed.extensions.filter((e) => userLikeTypes.has(e.type) && e.status === 'Enabled');
  const admins = people.filter((e) => e.admin).slice(0, 2);
  const standard = people.filter((e) => !e.admin).slice(0, 2);
  const lines = [
    `RingCentral sandbox listening on ${sandbox.url}`,
    `  account   ${seed.account.companyName} (${seed.account.id}), ${seed.extensions.length} extensions, main number ${seed.account.mainNumber}`,
    `  server    RINGCENTRAL_SERVER_URL=${sandbox.url}`,
    '  apps:',
    ...sandbox.apps.map(
      (app) =>
        `    ${app.clientId} / ${app.clientSecret}  [${app.permissions.join(' ') || 'no permissions'}]  redirect ${app.redirectUris.join(', ')}`,
    ),
    '  sign in as (sign-in page, or add login_hint=<extension number> to /restapi/oauth/authorize):',
    ...[...admins, ...standard].map(
      (e) => `    ext. ${e.extensionNumber}  ${displayName(e)}  ${e.admin ? 'administrator' : 'standard user'}`,
    ),
    `  control   ${sandbox.url}/__sandbox/stats  (faults, config, expire-access-tokens, revoke-sessions, seed)`,
    `  limits    ${options.rateLimits === 'off' ? 'off' : typeof options.rateLimits === 'object' ? `scaled ×${options.rateLimits.scale}` : 'RingCentral defaults (Light 50, Medium 40, Heavy 10, Auth 5 per 60 s)'}`,
  ];
  console.log(lines.join('\n'));
  const stop = () => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`sandbox: ${(error as Error).message}`);
  process.exit(1);
});

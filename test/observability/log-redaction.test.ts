import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredTokens } from '../../src/api/tokens.ts';
import { slackUserKey } from '../../src/bot/slack/slack-app.ts';
import { teamsUserKey } from '../../src/bot/teams/teams-app.ts';
import type { DemoStack } from '../../src/demo/demo-stack.ts';
import { connectUrlOf, DEMO_APP, startDemoStack, teamsConnectUrlOf } from '../../src/demo/demo-stack.ts';
import { createLogger } from '../../src/logging.ts';
import { control } from '../support/sandbox.ts';
import { nextAnswer } from '../support/slack-stack.ts';
import { signIn } from './bot-process.ts';

/*
 * The bot's real logger (pino, JSON, redaction on) at LOG_LEVEL=debug through a whole working session — linking on
 * Slack and Teams, lookups, a refresh, RingCentral failing, unlinking — and then a search of every byte it wrote for the
 * actual secrets of that session: tokens (each generation), codes, OAuth states, the app's secret and its Basic
 * credentials, Slack's signing secret and bot token, the encryption key, response_urls, and any Authorization value.
 */

describe('logs at debug level never carry a token, code, secret or Authorization header', () => {
  const written: string[] = [];
  const secrets = new Map<string, string>();
  let stack: DemoStack;

  const keep = (what: string, value: string | undefined) => {
    if (value !== undefined && value !== '') secrets.set(value, what);
  };
  // A response_url's secret part is its path; its host is just where Slack is.
  const keepResponseUrl = (url: string) => keep('response_url', new URL(url).pathname);
  const keepTokens = (what: string, tokens: StoredTokens | undefined) => {
    expect(tokens, `${what} are stored`).toBeDefined();
    keep(`${what} access token`, tokens?.accessToken);
    keep(`${what} refresh token`, tokens?.refreshToken);
  };

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk.toString('utf8'));
        done();
      },
    });
    stack = await startDemoStack({ logger: createLogger('debug', sink), sandbox: { rateLimits: { scale: 100 } }, lookingUpAfterMs: 50 });
    const store = stack.bot.services.store;
    const sandbox = control(stack.sandbox);
    keep('client secret', DEMO_APP.clientSecret);
    keep('Basic credentials', Buffer.from(`${DEMO_APP.clientId}:${DEMO_APP.clientSecret}`).toString('base64'));
    keep('Slack signing secret', stack.config.SLACK_SIGNING_SECRET);
    keep('Slack bot token', stack.config.SLACK_BOT_TOKEN);
    keep('token encryption key', stack.config.TOKEN_ENCRYPTION_KEY);

    // Slack: link John through the real flow, keeping the state and the code.
    const john = slackUserKey(stack.slack.teamId, 'U101');
    const linkAsk = await stack.ask('U101', '/switchboard link');
    keepResponseUrl(linkAsk.channel.url);
    const slackUrl = connectUrlOf(await linkAsk.channel.next());
    keep('OAuth state (Slack)', new URL(slackUrl ?? 'http://x').searchParams.get('state') ?? undefined);
    const slackSignIn = await signIn(slackUrl ?? '', '101');
    expect(slackSignIn.status).toBe(200);
    keep('authorization code (Slack)', slackSignIn.code);
    await linkAsk.channel.next();
    keepTokens('John’s first', await store.get(john));

    for (const line of ['/ext 101', '/ext john', '/whois +16503316252', '/myforwarding', '/switchboard status', '/whois nonsense']) {
      const { channel } = await stack.ask('U101', line);
      keepResponseUrl(channel.url);
      await nextAnswer(channel);
    }

    // A refresh: a new pair, and a 401 with the old access token on the wire first.
    await sandbox.expireAccessTokens();
    const afterExpiry = await stack.ask('U101', '/ext 102');
    await nextAnswer(afterExpiry.channel);
    keepTokens('John’s refreshed', await store.get(john));

    // RingCentral failing (503s, retried, then given up on): warnings with statuses and request ids.
    await sandbox.faults({ kind: '503', count: 3 });
    await nextAnswer((await stack.ask('U101', '/ext 103')).channel);

    // Teams: link Emma and ask.
    const emma = stack.teamsUser('103');
    const teamsAsk = await stack.askTeams(emma.aadObjectId, 'link');
    const teamsUrl = teamsConnectUrlOf(await teamsAsk.replies.next());
    keep('OAuth state (Teams)', new URL(teamsUrl ?? 'http://x').searchParams.get('state') ?? undefined);
    const teamsSignIn = await signIn(teamsUrl ?? '', '103');
    expect(teamsSignIn.status).toBe(200);
    keep('authorization code (Teams)', teamsSignIn.code);
    await teamsAsk.replies.next();
    keepTokens('Emma’s', await store.get(teamsUserKey(stack.teams.tenantId, emma.aadObjectId)));
    const teamsExt = await stack.askTeams(emma.aadObjectId, 'ext 101');
    expect(JSON.stringify(await teamsExt.replies.next())).toContain('John Smith');

    // Unlinking revokes at RingCentral with the refresh token.
    const john2 = await store.get(john);
    keepTokens('John’s last', john2);
    await nextAnswer((await stack.ask('U101', '/switchboard unlink')).channel);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('the session was logged at debug level, as JSON lines', () => {
    const lines = written.join('').trim().split('\n');
    const records = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(records.filter((record) => record.level === 20 && record.msg === 'RingCentral request').length).toBeGreaterThan(10);
    expect(records.some((record) => record.msg === 'RingCentral tokens refreshed')).toBe(true);
  });

  it('no secret of the session appears anywhere in the output', () => {
    const output = written.join('');
    expect(secrets.size).toBeGreaterThanOrEqual(15);
    for (const [secret, what] of secrets) {
      expect(output.includes(secret), `${what} was logged`).toBe(false);
      // Nor a recognisable part of it (a token cut short, a secret inside a longer string).
      if (secret.length >= 24) expect(output.includes(secret.slice(4, 20)), `part of ${what} was logged`).toBe(false);
    }
    expect(output).not.toMatch(/Bearer\s/i);
    expect(output).not.toMatch(/Basic\s+[A-Za-z0-9+/=]{8}/);
    expect(output).not.toMatch(/\/respond\//);
  });
});

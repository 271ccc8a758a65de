import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { request } from 'undici';
import { slackUserKey } from '../../src/bot/slack/slack-app.ts';
import type { LocalSlack, ResponseChannel, ResponseMessage } from '../../src/demo/local-slack.ts';
import { startLocalSlack } from '../../src/demo/local-slack.ts';
import type { SlackAck } from '../../src/demo/slack-requests.ts';
import { postEvent } from '../../src/demo/slack-requests.ts';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/server.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import { generateEncryptionKey } from '../../src/store/key-ring.ts';
import type { BotProcess } from '../observability/bot-process.ts';
import { botSettings, newSigningSecret, signIn, slackClient, startBotProcess } from '../observability/bot-process.ts';
import { createTestSchema } from '../store/postgres-test-database.ts';
import { connectTestRedis, deleteKeysUnder, TEST_REDIS_URL, testKeyPrefix } from './redis.ts';
import { control } from './sandbox.ts';
import { connectUrlOf, nextAnswer } from './slack-stack.ts';

/*
 * Production shape on one machine: two bot processes (`node --import tsx src/main.ts`) sharing one PostgreSQL and one
 * Redis, behind one public URL, in front of the RingCentral sandbox and the local Slack stand-in this test process runs.
 */

export interface ReplicasOptions {
  sandbox?: SandboxOptions;
  /** DATABASE_URL of both bots; by default a fresh schema in the test database, dropped on close(). */
  databaseUrl?: string;
  /** REDIS_URL of both bots; by default the test Redis. */
  redisUrl?: string;
  /** Settings on top of the harness's, for both bots. */
  env?: Record<string, string>;
}

export interface StoredLink {
  extensionId: string;
  extensionNumber: string;
  /** Ciphertext only; what it decrypts to is proven by a command that works. */
  sealedTokens: string | undefined;
}

export interface Replicas {
  sandbox: Sandbox;
  control: ReturnType<typeof control>;
  slack: LocalSlack;
  /** Bot A (index 0) and bot B (index 1). */
  bots: [BotProcess, BotProcess];
  /** PUBLIC_URL of both bots: the one address RingCentral redirects to, as a load balancer would be. */
  publicUrl: string;
  redisKeyPrefix: string;
  /** Posts a signed slash command ("/ext 1001") to one bot as a Slack user of the local workspace. */
  ask(bot: 0 | 1, slackUserId: string, line: string): Promise<{ ack: SlackAck; channel: ResponseChannel }>;
  /** The answer to one command (a "looking up…" placeholder skipped); fails unless the ack was a plain 200. */
  answer(bot: 0 | 1, slackUserId: string, line: string, timeoutMs?: number): Promise<ResponseMessage>;
  /** Posts a signed Events API request (eventEnvelope) to one bot. */
  postEvent(bot: 0 | 1, envelope: Record<string, unknown>): Promise<SlackAck>;
  /** Links through the real flow: started on bot B, RingCentral's redirect landing on bot A through PUBLIC_URL. */
  link(slackUserId: string, extensionNumber: string): Promise<ResponseMessage>;
  userKey(slackUserId: string): string;
  /** The link and sealed tokens as the shared database holds them (read directly, not through a bot). */
  storedLink(slackUserId: string): Promise<StoredLink | undefined>;
  close(): Promise<void>;
}

export async function startReplicas(options: ReplicasOptions = {}): Promise<Replicas> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const sandbox = await startSandbox(options.sandbox);
    cleanups.push(() => sandbox.close());
    const slack = await startLocalSlack();
    cleanups.push(() => slack.close());

    let databaseUrl = options.databaseUrl;
    if (databaseUrl === undefined) {
      const schema = await createTestSchema();
      cleanups.push(() => schema.drop());
      databaseUrl = schema.url('switchboard_replicas');
    }

    const redisKeyPrefix = testKeyPrefix();
    const redis = await connectTestRedis();
    cleanups.push(async () => {
      await deleteKeysUnder(redis, redisKeyPrefix);
      redis.disconnect();
    });

    const front = await startFrontDoor();
    cleanups.push(() => front.close());

    const signingSecret = newSigningSecret();
    const settings = {
      ...botSettings({ sandbox, slack, databaseUrl, signingSecret, tokenKey: generateEncryptionKey() }),
      HOST: '127.0.0.1',
      PUBLIC_URL: front.url,
      REDIS_URL: options.redisUrl ?? TEST_REDIS_URL,
      REDIS_KEY_PREFIX: redisKeyPrefix,
      SHUTDOWN_TIMEOUT_SECONDS: '2',
      ...options.env,
    };
    const started = await Promise.allSettled([startBotProcess(settings), startBotProcess(settings)]);
    for (const result of started) {
      if (result.status === 'fulfilled') cleanups.push(() => stopBot(result.value));
    }
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const bots = started.map((result) => (result as PromiseFulfilledResult<BotProcess>).value) as [BotProcess, BotProcess];
    front.target = bots[0].url;

    const slackOf = bots.map((bot) => slackClient(slack, { eventsUrl: `${bot.url}/slack/events`, signingSecret }));
    const ask = (bot: 0 | 1, slackUserId: string, line: string) => slackOf[bot]!.ask(slackUserId, line);
    const userKey = (slackUserId: string) => slackUserKey(slack.teamId, slackUserId);

    return {
      sandbox,
      control: control(sandbox),
      slack,
      bots,
      publicUrl: front.url,
      redisKeyPrefix,
      ask,
      postEvent: (bot, envelope) => postEvent({ eventsUrl: `${bots[bot].url}/slack/events`, signingSecret }, envelope),
      async answer(bot, slackUserId, line, timeoutMs = 20_000) {
        const { ack, channel } = await ask(bot, slackUserId, line);
        if (ack.status !== 200 || ack.body !== '') throw new Error(`bot ${'AB'[bot]} acknowledged ${line} with ${ack.status} ${ack.body}`);
        return nextAnswer(channel, timeoutMs);
      },
      async link(slackUserId, extensionNumber) {
        // The same person in Slack and at RingCentral: the link is checked against the login's own email.
        const email = sandbox.seed.extensions.find((extension) => extension.extensionNumber === extensionNumber)?.contact?.email;
        if (email === undefined) throw new Error(`extension ${extensionNumber} has no email to link a Slack user by`);
        if (!slack.users.some((user) => user.id === slackUserId)) slack.users.push({ id: slackUserId, name: extensionNumber, email });
        const { channel } = await ask(1, slackUserId, '/switchboard link');
        const url = connectUrlOf(await channel.next());
        if (url === undefined) throw new Error('the bot did not offer a Connect RingCentral button');
        if (!url.includes(encodeURIComponent(front.url))) throw new Error('the Connect URL does not redirect to PUBLIC_URL');
        const page = await signIn(url, extensionNumber);
        if (page.status !== 200) throw new Error(`linking failed: ${page.status}`);
        return channel.next();
      },
      userKey,
      async storedLink(slackUserId) {
        const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
        client.on('error', () => {});
        await client.connect();
        try {
          const { rows } = await client.query<{ extension_id: string; extension_number: string; sealed: string | null }>(
            `SELECT links.extension_id, links.extension_number, link_tokens.sealed
               FROM links LEFT JOIN link_tokens ON link_tokens.user_key = links.user_key
              WHERE links.user_key = $1`,
            [userKey(slackUserId)],
          );
          const row = rows[0];
          return row === undefined
            ? undefined
            : { extensionId: row.extension_id, extensionNumber: row.extension_number, sealedTokens: row.sealed ?? undefined };
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** Ends a bot at once (the shared database and Redis are what must survive, not its in-flight work). */
async function stopBot(bot: BotProcess): Promise<void> {
  bot.kill('SIGKILL');
  await Promise.race([bot.exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
}

/**
 * PUBLIC_URL: relays every request to one bot, as a load balancer in front of the replicas would. Only RingCentral's
 * redirect after sign-in goes through it; the tests post Slack's requests to each bot directly, to choose which.
 */
async function startFrontDoor(): Promise<{ url: string; target: string; close(): Promise<void> }> {
  const door = { target: '' };
  const server = createServer((req, res) => {
    const relay = async () => {
      const upstream = await request(`${door.target}${req.url ?? '/'}`, {
        method: req.method === 'POST' ? 'POST' : 'GET',
        headers: { ...req.headers, host: undefined },
        ...(req.method === 'POST' ? { body: req } : {}),
      });
      const headers = Object.fromEntries(
        Object.entries(upstream.headers).filter(([name]) => !['connection', 'keep-alive', 'transfer-encoding'].includes(name)),
      );
      res.writeHead(upstream.statusCode, headers);
      res.end(Buffer.from(await upstream.body.arrayBuffer()));
    };
    relay().catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get target() {
      return door.target;
    },
    set target(value: string) {
      door.target = value;
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

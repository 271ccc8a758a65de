import type { RingCentralClient } from './api/client.ts';
import { createRingCentralClient } from './api/client.ts';
import type { Logger } from './observability/logger.ts';
import type { SharedPacing } from './api/shared-pacing.ts';
import { openSharedPacing } from './api/shared-pacing.ts';
import { createOAuthCallback } from './bot/oauth-callback.ts';
import type { SlackAdapter, SlackInstallMode } from './bot/slack/slack-app.ts';
import { slackEventClaims } from './bot/slack/event-claims.ts';
import { createSlackAdapter } from './bot/slack/slack-app.ts';
import { createTeamsAdapter } from './bot/teams/teams-app.ts';
import type { Config } from './config.ts';
import { ConfigError } from './config.ts';
import { DirectoryIndexCache } from './handlers/directory.ts';
import { CompanyNumberIndexes } from './handlers/company-numbers.ts';
import type { CompletedLink } from './handlers/linking.ts';
import { Linking, OAUTH_CALLBACK_PATH } from './handlers/linking.ts';
import { RequesterCache } from './handlers/requester-cache.ts';
import type { CommandServices } from './handlers/run-command.ts';
import type { RunningServer, Routes } from './http-server.ts';
import { startHttpServer } from './http-server.ts';
import { gracePeriod } from './lifecycle/grace-period.ts';
import { InFlightWork } from './lifecycle/in-flight-work.ts';
import { createLogger } from './logging.ts';
import type { LookupStrategy } from './lookup-strategy.ts';
import { lookupSettings } from './lookup-strategy.ts';
import { SwitchboardMetrics } from './observability/metrics.ts';
import type { ReadinessCheck } from './observability/readiness.ts';
import { metricsRoutes, observabilityRoutes } from './observability/routes.ts';
import { keyRingFromSettings, type KeyRing } from './store/key-ring.ts';
import type { LinkStore } from './store/link-store.ts';
import { openStore } from './store/open-store.ts';

// Directory indexes are the big cache entries; this many entries in all (about 1 KB each) bounds their memory.
const DIRECTORY_INDEX_MAX_ENTRIES = 500_000;
// Administrators' copies of the company's number list, held and being read, about 700 bytes a number (measured by the
// benchmark): some 70 MB at most; one administrator's list of a 100,000-extension company, a dozen of a 10,000 one's.
const COMPANY_NUMBERS_MAX_ENTRIES = 100_000;
const DISCARD_EXPIRED_EVERY_MS = 60_000;

export interface Switchboard {
  url: string;
  port: number;
  /** Where GET /metrics is served: `url`, or its own server when METRICS_PORT is set. */
  metricsUrl: string;
  publicUrl: string;
  services: CommandServices;
  /**
   * Graceful stop: refuses new requests at once, lets requests and answers in flight finish (at most `graceMs`,
   * default SHUTDOWN_TIMEOUT_SECONDS), then closes the RingCentral pool and the store. Calling it again joins the first.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

export interface SwitchboardOverrides {
  logger?: Logger;
  /** Host to listen on; tests and the demo use loopback. */
  host?: string;
  lookingUpAfterMs?: number;
  /** How long a Teams message action's dialog waits for its lookup before it says "still looking". */
  teamsDialogDeadlineMs?: number;
  /** The store's clock (epoch ms): tests move it to expire a Connect link without waiting ten minutes. */
  now?: () => number;
  /** 'naive' only for the benchmark's comparison; see lookup-strategy.ts. */
  strategy?: LookupStrategy;
  /** The wall clock business hours are read against (epoch ms); the demo and tests pass the sandbox's company clock. */
  clock?: () => number;
}

/** Builds every part from the parsed config and starts the HTTP server. Wiring only. */
export async function startSwitchboard(config: Config, overrides: SwitchboardOverrides = {}): Promise<Switchboard> {
  const clientId = required(config.RINGCENTRAL_CLIENT_ID, 'RINGCENTRAL_CLIENT_ID');
  const clientSecret = required(config.RINGCENTRAL_CLIENT_SECRET, 'RINGCENTRAL_CLIENT_SECRET');
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);

  const keyRing = keyRingFromSettings({ current: config.TOKEN_ENCRYPTION_KEY, old: config.TOKEN_ENCRYPTION_KEYS_OLD });
  const store: LinkStore = await openStore(config.DATABASE_URL, keyRing, overrides.now === undefined ? {} : { now: overrides.now });
  let client: RingCentralClient | undefined;
  let server: RunningServer | undefined;
  let metricsServer: RunningServer | undefined;
  let slack: SlackAdapter | undefined;
  let pacing: SharedPacing | undefined;
  let discarding: NodeJS.Timeout | undefined;
  const metrics = new SwitchboardMetrics();
  try {
    const lookups = lookupSettings(overrides.strategy ?? 'cached', {
      cacheTtlMs: config.CACHE_TTL_SECONDS * 1000,
      presenceTtlMs: config.PRESENCE_TTL_SECONDS * 1000,
      cacheMaxEntries: config.CACHE_MAX_ENTRIES,
      indexMaxEntries: DIRECTORY_INDEX_MAX_ENTRIES,
      companyNumbersMaxEntries: COMPANY_NUMBERS_MAX_ENTRIES,
      directoryFreshMs: config.CACHE_TTL_SECONDS * 1000,
    });
    // REDIS_URL: the replicas pace each user's RingCentral calls together; without it each process paces alone.
    if (lookups.pacer === undefined && config.REDIS_URL !== undefined) {
      pacing = await openSharedPacing({ redisUrl: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, logger });
    }
    const pacer = lookups.pacer ?? pacing?.pacer;
    client = createRingCentralClient({
      serverUrl: config.RINGCENTRAL_SERVER_URL,
      clientId,
      clientSecret,
      tokenStore: store,
      logger,
      observer: metrics,
      ...(pacer === undefined ? {} : { limits: { pacer } }),
    });

    // The public URL is known only once the port is; PORT=0 (tests, demo) picks one at listen time.
    const routes: Routes = {};
    server = await startHttpServer(routes, config.PORT, overrides.host ?? config.HOST);
    const publicUrl = config.PUBLIC_URL ?? `http://127.0.0.1:${server.port}`;

    const linking = new Linking({ store, client, publicUrl, emailMismatch: config.LINK_EMAIL_MISMATCH, logger });
    // Unconfirmed sign-ins whose code expired are discarded (and signed out at RingCentral) within a minute.
    discarding = setInterval(() => {
      linking.discardExpired().catch((error: unknown) => {
        logger.warn(
          { err: { name: (error as Error).name, message: (error as Error).message } },
          'could not discard expired unconfirmed links',
        );
      });
    }, DISCARD_EXPIRED_EVERY_MS);
    discarding.unref();
    const services: CommandServices = {
      store,
      client,
      linking,
      cache: new RequesterCache({ ttlMs: lookups.cacheTtlMs, maxEntries: lookups.cacheMaxEntries }),
      indexes: new DirectoryIndexCache(lookups.indexMaxEntries),
      companyNumbers: new CompanyNumberIndexes(lookups.companyNumbersMaxEntries),
      nonDirectNumbers: new CompanyNumberIndexes(lookups.companyNumbersMaxEntries),
      directoryFreshMs: lookups.directoryFreshMs,
      presenceTtlMs: lookups.presenceTtlMs,
      logger,
      metrics,
      ...(overrides.clock === undefined ? {} : { clock: overrides.clock }),
    };
    // Slack only when it is configured; Teams always (without MicrosoftAppId it runs in emulator mode).
    slack =
      config.SLACK_SIGNING_SECRET === undefined
        ? undefined
        : createSlackAdapter({
            signingSecret: config.SLACK_SIGNING_SECRET,
            botToken: config.SLACK_BOT_TOKEN,
            appToken: config.SLACK_APP_TOKEN,
            apiUrl: config.SLACK_API_URL,
            install: slackInstallMode(config, keyRing, store, publicUrl),
            services,
            logger,
            eventClaims: slackEventClaims(pacing === undefined ? undefined : { redis: pacing.redis, keyPrefix: config.REDIS_KEY_PREFIX }),
            ...(overrides.lookingUpAfterMs === undefined ? {} : { lookingUpAfterMs: overrides.lookingUpAfterMs }),
          });
    const teams = createTeamsAdapter({ settings: config, services, logger, dialogDeadlineMs: overrides.teamsDialogDeadlineMs });
    // Answers to commands that started a link are sent after the callback page; shutdown waits for them too.
    const resuming = new InFlightWork();
    if (slack?.requestListener) routes['POST /slack/events'] = slack.requestListener;
    Object.assign(routes, slack?.installRoutes);
    routes['POST /api/messages'] = teams.requestListener;
    // Each adapter answers only a resume of its own platform (its schema refuses the other's).
    const resume = (link: CompletedLink) => resuming.track(Promise.all([slack?.resume(link), teams.resume(link)]).then(() => undefined));
    routes[`GET ${OAUTH_CALLBACK_PATH}`] = createOAuthCallback({ linking, logger, resume });
    // A link completed by `confirm <code>` answers the command that started it too.
    linking.whenConfirmed((link) => {
      void resume(link).catch((error: unknown) => {
        logger.warn({ err: { message: (error as Error).message } }, 'could not answer the command that started the link');
      });
    });
    const runningClient = client;
    const readinessChecks: ReadinessCheck[] = [
      { name: 'database', check: () => store.ping() },
      { name: 'ringcentral', check: () => runningClient.ping() },
    ];
    const runningPacing = pacing;
    // Shown, but not required: without Redis the bot still answers, pacing per process.
    if (runningPacing) readinessChecks.push({ name: 'redis', required: false, check: () => runningPacing.check() });
    Object.assign(routes, observabilityRoutes({ readinessChecks }));
    const scrape = metricsRoutes({ metrics, token: config.METRICS_TOKEN });
    // METRICS_PORT: /metrics only there, so the chat port (the one a Service or ingress exposes) does not serve it.
    if (config.METRICS_PORT === undefined) Object.assign(routes, scrape);
    else metricsServer = await startHttpServer(scrape, config.METRICS_PORT, overrides.host ?? config.HOST, 'METRICS_PORT');
    await slack?.start();

    const running = server;
    const runningMetrics = metricsServer;
    const runningSlack = slack;
    let closing: Promise<void> | undefined;
    return {
      url: running.url,
      port: running.port,
      metricsUrl: runningMetrics?.url ?? running.url,
      publicUrl,
      services,
      close(options = {}) {
        // A second call (a signal during a test's own close, say) waits for the first rather than close twice.
        closing ??= (async () => {
          const grace = gracePeriod(options.graceMs ?? config.SHUTDOWN_TIMEOUT_SECONDS * 1000);
          logger.info({ graceMs: grace.remainingMs() }, 'shutting down: refusing new requests, finishing those in flight');
          clearInterval(discarding);
          // A card waiting for a directory index answers now ("many lookups") rather than outlast the grace period.
          services.indexes.stopWaiting();
          await Promise.all([running.close({ graceMs: grace.remainingMs() }), runningMetrics?.close({ graceMs: 0 })]);
          const finished = await grace.wait(Promise.all([runningSlack?.stop(), teams.stop(), resuming.settled()]));
          if (!finished) logger.warn({}, 'shutdown grace period over; abandoning answers still in flight');
          await runningClient.close();
          await runningPacing?.close();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    clearInterval(discarding);
    await server?.close().catch(() => undefined);
    await metricsServer?.close().catch(() => undefined);
    await client?.close().catch(() => undefined);
    await pacing?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Install mode when SLACK_CLIENT_ID is set (config has checked its companions). The OAuth state is signed with
 * SLACK_STATE_SECRET, or else with a subkey of the encryption key, so no further secret needs managing.
 */
function slackInstallMode(config: Config, keyRing: KeyRing, store: LinkStore, publicUrl: string): SlackInstallMode | undefined {
  if (config.SLACK_CLIENT_ID === undefined) return undefined;
  return {
    clientId: config.SLACK_CLIENT_ID,
    clientSecret: required(config.SLACK_CLIENT_SECRET, 'SLACK_CLIENT_SECRET'),
    stateSecret: config.SLACK_STATE_SECRET ?? keyRing.current.subkey('slack-install-state').toString('base64url'),
    publicUrl,
    store: store.slackInstallations,
  };
}

function required(value: string | undefined, name: string): string {
  if (value === undefined) throw new ConfigError(`Missing setting ${name}`);
  return value;
}

import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { AccountData } from './account-data.ts';
import { apiVersionReply } from './api-info.ts';
import { CompanyClock } from './clock.ts';
import { controlPrefix, handleControl } from './control.ts';
import type { RuntimeConfigPatch } from './control.ts';
import { RestError, restErrors } from './errors.ts';
import { FaultQueue } from './faults.ts';
import type { FaultKind } from './faults.ts';
import { generateCompany } from './generate.ts';
import { RateLimiter, resolveRateLimits } from './limits.ts';
import type { RateLimitSettings, RateLimitsOption } from './limits.ts';
import { AuthCodeStore, authorize, authorizeSubject, clientIdOf, revoke, token, tokenSubject } from './oauth.ts';
import type { OAuthDeps } from './oauth.ts';
import { isRestOperation, matchOperation } from './operations.ts';
import type { MatchedOperation, RestOperationId, Operation } from './operations.ts';
import { anyLoopbackRedirect } from './redirect-uris.ts';
import { jsonReply } from './replies.ts';
import type { Reply } from './replies.ts';
import { handleRest } from './rest.ts';
import { loadDemoSeed, loadSeedFile, parseSeed } from './seed.ts';
import type { Seed, SeedApp, SeedInput, SeedPresence } from './seed.ts';
import { SessionStore } from './sessions.ts';
import type { Session } from './sessions.ts';
import { Stats } from './stats.ts';

export interface ExtraApp {
  clientId: string;
  clientSecret: string;
  /** Without one, any loopback http://127.0.0.1:* or http://localhost:* URI is accepted. */
  redirectUri?: string;
  permissions?: SeedApp['permissions'];
}

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** The data; the demo company when none of seed, seedFile and generate is given. */
  seed?: Seed | SeedInput;
  seedFile?: string;
  /** Generates a company of this many extensions (deterministic; see generateSeedNumber). */
  generate?: number;
  generateSeedNumber?: number;
  accessTtlSeconds?: number;
  refreshTtlSeconds?: number;
  /** How long a used refresh token still returns the same new pair; 0 disables. */
  refreshGraceSeconds?: number;
  authCodeTtlSeconds?: number;
  rateLimits?: RateLimitsOption;
  latencyMs?: number;
  /** 0..1: the share of requests answered 503 CMN-201. */
  failureRate?: number;
  extraApp?: ExtraApp;
}

export interface Sandbox {
  /** "http://127.0.0.1:PORT", no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** The loaded data, read-only for tests. */
  readonly seed: Seed;
  /** Every registered app: the seed's plus the extra app. */
  readonly apps: readonly SeedApp[];
  /** The company's wall clock (see clock.ts); the demo and tests give the bot this clock for business hours. */
  readonly clock: CompanyClock;
  /**
   * RingCentral going down (a crash, an outage): drops every connection, requests in flight included, and stops
   * listening, so connecting is refused. Its data (sessions, tokens, rate-limit counts, stats) outlives this, as
   * RingCentral's does.
   */
  stop(): Promise<void>;
  /** RingCentral back after stop(): listens again on the same port, with the same data. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

interface RuntimeConfig {
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  refreshGraceSeconds: number;
  authCodeTtlSeconds: number;
  rateLimitsOption: RateLimitsOption;
  rateLimits: RateLimitSettings;
  latencyMs: number;
  failureRate: number;
}

async function initialSeed(options: SandboxOptions): Promise<Seed> {
  if (options.seed !== undefined) return parseSeed(options.seed);
  if (options.seedFile !== undefined) return loadSeedFile(options.seedFile);
  if (options.generate !== undefined) return generateCompany({ extensions: options.generate, seedNumber: options.generateSeedNumber ?? 1 });
  return loadDemoSeed();
}

function extraSeedApp(extra: ExtraApp): SeedApp {
  return {
    clientId: extra.clientId,
    clientSecret: extra.clientSecret,
    name: extra.clientId,
    permissions: extra.permissions ?? ['ReadAccounts', 'ReadPresence'],
    redirectUris: extra.redirectUri ? [extra.redirectUri] : [...anyLoopbackRedirect],
  };
}

const maxBodyBytes = 1 << 20;

function bearerToken(request: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
}

/** Limits are per (user, app, group); a request whose user cannot be identified counts against its IP address. */
function limitKey(identity: { extensionId?: number; clientId?: string }, request: IncomingMessage): string {
  return identity.extensionId !== undefined
    ? `${identity.extensionId}|${identity.clientId ?? '-'}`
    : `ip:${request.socket.remoteAddress ?? '-'}`;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw restErrors.invalidParameter('body');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw restErrors.invalidParameter('body');
  }
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const now = Date.now;
  const config: RuntimeConfig = {
    accessTtlSeconds: options.accessTtlSeconds ?? 3600,
    refreshTtlSeconds: options.refreshTtlSeconds ?? 604_800,
    refreshGraceSeconds: options.refreshGraceSeconds ?? 10,
    authCodeTtlSeconds: options.authCodeTtlSeconds ?? 60,
    rateLimitsOption: options.rateLimits ?? 'default',
    rateLimits: resolveRateLimits(options.rateLimits ?? 'default'),
    latencyMs: options.latencyMs ?? 0,
    failureRate: options.failureRate ?? 0,
  };
  const extraApp = options.extraApp ? extraSeedApp(options.extraApp) : undefined;
  const withExtraApp = (seed: Seed) => {
    const data = new AccountData(seed);
    if (extraApp) data.addApp(extraApp);
    return data;
  };
  let data = withExtraApp(await initialSeed(options));

  const sessions = new SessionStore(() => config, now);
  const codes = new AuthCodeStore();
  const limiter = new RateLimiter(() => config.rateLimits, now);
  const faults = new FaultQueue();
  const stats = new Stats();
  const clock = new CompanyClock();
  const oauthDeps: OAuthDeps = { data: () => data, sessions, codes, authCodeTtlSeconds: () => config.authCodeTtlSeconds, now };

  const configure = (patch: RuntimeConfigPatch) => {
    if (patch.latencyMs !== undefined) config.latencyMs = patch.latencyMs;
    if (patch.failureRate !== undefined) config.failureRate = patch.failureRate;
    if (patch.accessTtlSeconds !== undefined) config.accessTtlSeconds = patch.accessTtlSeconds;
    if (patch.refreshTtlSeconds !== undefined) config.refreshTtlSeconds = patch.refreshTtlSeconds;
    if (patch.refreshGraceSeconds !== undefined) config.refreshGraceSeconds = patch.refreshGraceSeconds;
    if (patch.authCodeTtlSeconds !== undefined) config.authCodeTtlSeconds = patch.authCodeTtlSeconds;
    if (patch.rateLimits !== undefined) {
      config.rateLimitsOption = patch.rateLimits;
      config.rateLimits = resolveRateLimits(patch.rateLimits);
      limiter.reset();
    }
    const { rateLimits, ...rest } = config;
    return { ...rest, rateLimits };
  };

  const replaceSeed = (input: unknown) => {
    data = withExtraApp(parseSeed(input));
    sessions.clear();
    codes.clear();
  };

  const setPresence = (extensionId: number, change: Partial<SeedPresence>) => {
    const extension = data.extensionById(extensionId);
    return extension ? data.setPresence(extension, change) : undefined;
  };

  let url = '';
  const sockets = new Set<Socket>();

  interface Identity {
    extensionId?: number;
    clientId?: string;
    session?: Session;
  }

  function identify(match: MatchedOperation, request: IncomingMessage, query: URLSearchParams, form: URLSearchParams): Identity {
    const authorization = request.headers.authorization;
    switch (match.operation.id) {
      case 'authorize': {
        const extension = authorizeSubject(request.method === 'POST' ? form : query, data);
        const clientId = (request.method === 'POST' ? form : query).get('client_id') ?? undefined;
        return { ...(extension ? { extensionId: extension.id } : {}), ...(clientId ? { clientId } : {}) };
      }
      case 'getToken': {
        const extensionId = tokenSubject(form, oauthDeps);
        const clientId = clientIdOf(authorization);
        return { ...(extensionId === undefined ? {} : { extensionId }), ...(clientId ? { clientId } : {}) };
      }
      case 'revokeToken': {
        const session = sessions.sessionOfAnyToken(form.get('token') ?? query.get('token') ?? '');
        return session ? { extensionId: session.extensionId, clientId: session.clientId, session } : {};
      }
      default: {
        const bearer = bearerToken(request);
        const check = bearer ? sessions.checkAccess(bearer) : undefined;
        if (!check || check.state === 'unknown') return {};
        return { extensionId: check.session.extensionId, clientId: check.session.clientId, session: check.session };
      }
    }
  }

  function authenticate(request: IncomingMessage): { session: Session } {
    const header = request.headers.authorization;
    if (!header) throw restErrors.noAuthorizationHeader();
    const bearer = bearerToken(request);
    if (!bearer) throw restErrors.invalidToken();
    const check = sessions.checkAccess(bearer);
    if (check.state === 'unknown') throw restErrors.invalidToken();
    if (check.state === 'dead') throw restErrors.tokenNotFound();
    if (check.state === 'expired') throw restErrors.accessTokenExpired();
    return { session: check.session };
  }

  function dispatch(match: MatchedOperation, request: IncomingMessage, query: URLSearchParams, rawBody: string): Reply {
    const { operation } = match;
    const form = new URLSearchParams(rawBody);
    if (operation.id === 'authorize') return authorize(request.method === 'POST' ? form : query, oauthDeps);
    if (operation.id === 'getToken') return token(form, request.headers.authorization, oauthDeps);
    if (operation.id === 'revokeToken') return revoke(form, query, request.headers.authorization, oauthDeps);
    if (!isRestOperation(operation)) throw restErrors.invalidUri();
    const { session } = authenticate(request);
    const extension = data.extensionById(session.extensionId);
    if (!extension) throw restErrors.tokenNotFound();
    return handleRest({
      url,
      data,
      caller: { accountId: data.account.id, extension, appPermissions: session.scope as SeedApp['permissions'] },
      operation: operation as Operation<RestOperationId>,
      params: match.params,
      query,
      body: operation.method === 'POST' ? parseJson(rawBody) : undefined,
      ifNoneMatch: request.headers['if-none-match'],
    });
  }

  function send(response: ServerResponse, reply: Reply): void {
    response.writeHead(reply.status, reply.headers);
    response.end(reply.body);
  }

  function errorReply(error: unknown): Reply {
    if (error instanceof RestError) return jsonReply(error.status, error.body(), error.headers);
    console.error('sandbox: unexpected error', error);
    return jsonReply(500, restErrors.internal().body());
  }

  /** Answers with an injected fault; returns false for faults that need the real reply first. */
  function applyFault(kind: FaultKind, response: ServerResponse, identity: Identity, userPermission: string | undefined): boolean {
    switch (kind) {
      case 'forbidden':
        send(response, errorReply(restErrors.userPermissionMissing(userPermission ?? 'ReadAccounts')));
        return true;
      case '500':
        send(response, errorReply(restErrors.internal()));
        return true;
      case '503':
        send(response, errorReply(restErrors.unavailable()));
        return true;
      case 'hang':
        // Never answer; the socket closes when the client gives up or the sandbox closes.
        return true;
      case 'reset':
        response.socket?.destroy();
        return true;
      case 'malformed':
        send(response, {
          status: 200,
          headers: { 'Content-Type': 'application/json; charset=utf-8' },
          body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
        });
        return true;
      case 'revoked':
        if (identity.session) sessions.revokeSession(identity.session);
        send(response, errorReply(restErrors.tokenNotFound()));
        return true;
      case 'truncated':
        return false;
    }
  }

  function sendTruncated(response: ServerResponse, reply: Reply): void {
    const full = Buffer.from(reply.body ?? JSON.stringify({ records: [{ id: 'truncated' }] }));
    response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(full.length) });
    response.write(full.subarray(0, Math.max(1, Math.floor(full.length / 2))), () => response.socket?.destroy());
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.setHeader('RCRequestId', randomUUID());
    const requestUrl = new URL(request.url ?? '/', url);
    const method = request.method ?? 'GET';
    const rawBody = await readBody(request);

    if (requestUrl.pathname === controlPrefix || requestUrl.pathname.startsWith(`${controlPrefix}/`)) {
      send(
        response,
        handleControl(method, requestUrl.pathname, parseJson(rawBody), {
          faults,
          stats,
          sessions,
          configure,
          replaceSeed,
          setPresence,
          clock,
        }),
      );
      return;
    }
    const versionInfo = apiVersionReply(method, requestUrl.pathname, url);
    if (versionInfo) {
      send(response, versionInfo);
      return;
    }
    const match = matchOperation(method, requestUrl.pathname);
    if (!match) {
      // Not an operation of ours: still counted (Light) so that every answer carries the rate-limit headers.
      const bearer = bearerToken(request);
      const session = bearer ? sessions.sessionOfAnyToken(bearer) : undefined;
      const identity = session ? { extensionId: session.extensionId, clientId: session.clientId } : {};
      for (const [name, value] of Object.entries(limiter.take(limitKey(identity, request), 'Light').headers))
        response.setHeader(name, value);
      send(response, errorReply(restErrors.invalidUri()));
      return;
    }
    if (config.latencyMs > 0) await sleep(config.latencyMs);

    const form = new URLSearchParams(rawBody);
    const identity = identify(match, request, requestUrl.searchParams, form);
    const { operation } = match;
    stats.count(operation.id, identity.extensionId);
    if (operation.id === 'getToken') stats.countTokenRequest(form.get('grant_type') ?? '');

    const decision = limiter.take(limitKey(identity, request), operation.group);
    for (const [name, value] of Object.entries(decision.headers)) response.setHeader(name, value);
    if (!decision.allowed) {
      stats.countRateLimited(identity.extensionId);
      send(response, errorReply(restErrors.rateExceeded(decision.retryAfterSeconds ?? 60)));
      return;
    }

    const fault = faults.take(operation.id);
    if (fault && applyFault(fault, response, identity, operation.userPermission)) return;
    if (!fault && config.failureRate > 0 && Math.random() < config.failureRate) {
      send(response, errorReply(restErrors.unavailable()));
      return;
    }

    let reply: Reply;
    try {
      reply = dispatch(match, request, requestUrl.searchParams, rawBody);
    } catch (error) {
      reply = errorReply(error);
    }
    if (reply.status === 304) stats.countNotModified(identity.extensionId);
    if (fault === 'truncated') sendTruncated(response, reply);
    else send(response, reply);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, errorReply(error));
      else response.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve, reject) => {
      if (!server.listening) return resolve();
      server.close((error) => (error ? reject(error) : resolve()));
      for (const socket of sockets) socket.destroy();
    });
  await listen(options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    port,
    get seed() {
      return data.seed;
    },
    get apps() {
      return data.appList;
    },
    clock,
    stop,
    restart: async () => {
      if (!server.listening) await listen(port);
    },
    close: stop,
  };
}

import { Pool } from 'undici';
import { ConnectionSlots } from './connection-slots.ts';
import type { Deadline, Sleep } from './deadline.ts';
import { sleep as realSleep } from './deadline.ts';
import { headerValue, InvalidResponse, retryAfterSeconds, Unavailable } from './errors.ts';
import type { RingCentralError, ResponseHeaders } from './errors.ts';
import type { Logger } from '../observability/logger.ts';
import { silentLogger } from '../observability/logger.ts';
import type { RingCentralObserver, RingCentralRequestEvent } from './observer.ts';
import { silentObserver } from './observer.ts';
import { redactSecrets } from './redact.ts';

export interface HttpTimeouts {
  /** TCP (and TLS) connect. */
  connectMs: number;
  /** From sending the request to the last response header. */
  headersMs: number;
  /** Longest silence between two body chunks. */
  bodyMs: number;
  /** How long an idle keep-alive socket stays in the pool. */
  keepAliveMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { connectMs: 5_000, headersMs: 15_000, bodyMs: 15_000, keepAliveMs: 30_000 };

export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2_000 };

/**
 * - idempotent: GETs; retried on 502/503/504 and dropped connections.
 * - token-endpoint: RingCentral says to retry a token request only on 429/503, after Retry-After.
 * - none: sent once (POST search, revoke; REST 429s are handled a layer up where the pacer lives).
 */
export type RetryRule = 'idempotent' | 'token-endpoint' | 'none';

export interface HttpRequest {
  operation: string;
  method: 'GET' | 'POST';
  /** Path and query, e.g. "/restapi/v1.0/account/~/extension?page=2". */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  deadline: Deadline;
  retry: RetryRule;
  /** Values sent with this request that must never appear in an error message. */
  secrets?: readonly string[];
  /** Runs before every attempt, retries included (rate-limit pacing). */
  beforeAttempt?: () => Promise<void>;
  /** Runs as every attempt goes out, after any wait for a free connection: when RingCentral will count it. */
  sending?: () => void;
  /** Sees every response, retried ones included (rate-limit headers). */
  afterAttempt?: (response: HttpResponse) => Promise<void> | void;
  /**
   * Runs after an attempt that never reached RingCentral (see reachedRingCentral), before any retry: the pacing slot
   * it held is given back. Its failure is logged, never thrown: the request's own failure is what the caller hears.
   */
  afterUnreached?: () => Promise<void> | void;
}

export interface HttpResponse {
  status: number;
  headers: ResponseHeaders;
  body: string;
  requestId: string | undefined;
}

export interface HttpTransportOptions {
  serverUrl: string;
  timeouts?: Partial<HttpTimeouts> | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  maxConnections?: number | undefined;
  logger?: Logger | undefined;
  observer?: RingCentralObserver | undefined;
  sleep?: Sleep | undefined;
  /** Source of jitter, 0 ≤ x < 1. */
  random?: (() => number) | undefined;
}

const RETRYABLE_STATUSES = new Set([502, 503, 504]);
const TOKEN_ENDPOINT_RETRYABLE_STATUSES = new Set([429, 503]);
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** One keep-alive undici pool for the RingCentral origin, with per-call deadlines and bounded retries. */
export class HttpTransport {
  private readonly pool: Pool;
  private readonly connections: ConnectionSlots;
  private readonly basePath: string;
  private readonly timeouts: HttpTimeouts;
  private readonly retryPolicy: RetryPolicy;
  private readonly logger: Logger;
  private readonly observer: RingCentralObserver;
  private readonly sleep: Sleep;
  private readonly random: () => number;

  constructor(options: HttpTransportOptions) {
    const url = new URL(options.serverUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.timeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...options.timeouts };
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.logger = options.logger ?? silentLogger;
    this.observer = options.observer ?? silentObserver;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    const connections = options.maxConnections ?? 64;
    this.connections = new ConnectionSlots(connections);
    this.pool = new Pool(url.origin, {
      connections,
      connect: { timeout: this.timeouts.connectMs },
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyMs,
      keepAliveTimeout: this.timeouts.keepAliveMs,
      maxResponseSize: MAX_RESPONSE_BYTES,
    });
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const { deadline } = request;
    for (let attempt = 1; ; attempt += 1) {
      if (deadline.signal.aborted) throw deadlineError(request);
      await request.beforeAttempt?.();
      if (deadline.signal.aborted) {
        await this.unreached(request);
        throw deadlineError(request);
      }

      let release: () => void;
      try {
        release = await this.connections.take(deadline.signal);
      } catch {
        // Out of time before it could go out: RingCentral never saw it.
        await this.unreached(request);
        throw deadlineError(request);
      }
      let response: HttpResponse;
      const started = performance.now();
      try {
        request.sending?.();
        response = await this.exchange(request, attempt);
        this.report(request, response.status, started);
      } catch (error) {
        release();
        this.report(request, failedStatus(error, request), started);
        if (!reachedRingCentral(error)) await this.unreached(request);
        const failure = this.classify(error, request);
        const delay = failure.retryable ? this.retryDelay(request.retry === 'idempotent', attempt, undefined) : undefined;
        if (delay === undefined || delay >= deadline.remainingMs()) throw failure.error;
        this.logger.warn(
          { operation: request.operation, attempt, errorCode: errorCode(error), delayMs: delay },
          'RingCentral request failed; retrying',
        );
        await this.wait(delay, request);
        continue;
      }
      release();

      await request.afterAttempt?.(response);
      const retryable =
        request.retry === 'idempotent'
          ? RETRYABLE_STATUSES.has(response.status)
          : request.retry === 'token-endpoint' && TOKEN_ENDPOINT_RETRYABLE_STATUSES.has(response.status);
      const delay = retryable ? this.retryDelay(true, attempt, retryAfterSeconds(response.headers)) : undefined;
      // Out of attempts or time: hand the error response back; the caller maps it to an error kind.
      if (delay === undefined || delay >= deadline.remainingMs()) return response;
      this.logger.warn(
        { operation: request.operation, attempt, status: response.status, requestId: response.requestId, delayMs: delay },
        'RingCentral answered with a retryable status; retrying',
      );
      await this.wait(delay, request);
    }
  }

  async close(): Promise<void> {
    const closing = this.pool.close();
    const forced = new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref());
    await Promise.race([closing, forced]);
    if (!this.pool.destroyed) await this.pool.destroy();
  }

  private async exchange(request: HttpRequest, attempt: number): Promise<HttpResponse> {
    const started = performance.now();
    const response = await this.pool.request({
      method: request.method,
      path: `${this.basePath}${request.path}`,
      headers: { accept: 'application/json', ...request.headers },
      body: request.body ?? null,
      signal: request.deadline.signal,
    });
    let body: string;
    try {
      body = await response.body.text();
    } catch (error) {
      throw new BodyReadError(error, response.statusCode);
    }
    const requestId = headerValue(response.headers, 'rcrequestid');
    this.logger.debug(
      {
        operation: request.operation,
        method: request.method,
        path: request.path.split('?')[0],
        status: response.statusCode,
        attempt,
        durationMs: Math.round(performance.now() - started),
        requestId,
      },
      'RingCentral request',
    );
    return { status: response.statusCode, headers: response.headers, body, requestId };
  }

  private async unreached(request: HttpRequest): Promise<void> {
    try {
      await request.afterUnreached?.();
    } catch (error) {
      this.logger.warn({ operation: request.operation, err: (error as Error).message }, 'could not give back a pacing slot');
    }
  }

  private report(request: HttpRequest, status: RingCentralRequestEvent['status'], started: number): void {
    this.observer.request({ operation: request.operation, status, durationMs: performance.now() - started });
  }

  private classify(error: unknown, request: HttpRequest): { retryable: boolean; error: RingCentralError } {
    if (request.deadline.signal.aborted) return { retryable: false, error: deadlineError(request) };
    const cutOff = error instanceof BodyReadError;
    const cause = cutOff ? error.cause : error;
    const code = errorCode(cause);
    const details = { status: 0, operation: request.operation };
    if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
      return { retryable: false, error: new InvalidResponse(`${request.operation}: response body too large`, details) };
    }
    // The status and headers came, then the connection dropped mid-body: the answer is lost, like a reset's, so an
    // idempotent GET is asked again; if every attempt is cut off, what we hold is a broken answer, not a late one.
    if (cutOff && code !== 'UND_ERR_BODY_TIMEOUT') {
      return {
        retryable: true,
        error: new InvalidResponse(`${request.operation}: response body was cut off`, { ...details, status: error.status }),
      };
    }
    const detail = redactSecrets(code ?? (cause instanceof Error ? cause.message : 'network error'), request.secrets);
    const retryable = code !== undefined && RETRYABLE_NETWORK_CODES.has(code);
    return { retryable, error: new Unavailable(`${request.operation}: request failed (${detail})`, details) };
  }

  /** Full jitter ("AWS backoff"), never shorter than the server's Retry-After; undefined = give up. */
  private retryDelay(allowed: boolean, attempt: number, serverSeconds: number | undefined): number | undefined {
    if (!allowed || attempt >= this.retryPolicy.maxAttempts) return undefined;
    const ceiling = Math.min(this.retryPolicy.maxDelayMs, this.retryPolicy.baseDelayMs * 2 ** (attempt - 1));
    const jittered = Math.round(this.random() * ceiling);
    return serverSeconds === undefined ? jittered : Math.max(serverSeconds * 1000, jittered);
  }

  private async wait(ms: number, request: HttpRequest): Promise<void> {
    try {
      await this.sleep(ms, request.deadline.signal);
    } catch {
      throw deadlineError(request);
    }
  }
}

class BodyReadError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly status: number,
  ) {
    super('response body read failed');
  }
}

export function deadlineError(request: { operation: string }): Unavailable {
  return new Unavailable(`${request.operation}: deadline exceeded`, { status: 0, operation: request.operation });
}

/*
 * Whether a failed attempt may have been counted by RingCentral, whose limits count the requests that arrive, answered
 * or not. Any HTTP answer (even a body cut off after the status) means it arrived. Without one:
 * - no connection (refused, connect timeout, name or route not found): it never left; not counted.
 * - the connection dropped before any answer (reset, closed, broken pipe): most often a keep-alive socket the server
 *   had already closed, or a server going down; treated as not counted. Should RingCentral have counted it after all,
 *   its next answer's X-Rate-Limit-Remaining says so and the pacer books the difference for the rest of the window.
 * - a timeout after the request was sent (no headers in time, the caller's deadline): counted. The request most likely
 *   arrived — a slow RingCentral is a busy one, not an absent one — a busy RingCentral sends no correcting headers for
 *   a while, and it is then that going over its limit earns a 429 and its penalty. Keeping the slot costs at most one
 *   slot per timed-out attempt for one window. The caller's deadline can also cut a connect short; from here that is
 *   not told apart, so it too keeps its slot.
 */
const UNREACHED_CODES = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

function reachedRingCentral(error: unknown): boolean {
  if (error instanceof BodyReadError) return true;
  const code = errorCode(error);
  return code === undefined || !UNREACHED_CODES.has(code);
}

/** Why an exchange got no usable answer, for metrics: out of time, or the connection failed. */
function failedStatus(error: unknown, request: HttpRequest): RingCentralRequestEvent['status'] {
  if (error instanceof BodyReadError && errorCode(error.cause) !== 'UND_ERR_BODY_TIMEOUT') return error.status;
  const code = errorCode(error instanceof BodyReadError ? error.cause : error) ?? '';
  return request.deadline.signal.aborted || /TIMEOUT|TIMEDOUT/.test(code) ? 'timeout' : 'network-error';
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

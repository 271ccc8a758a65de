import type { z } from 'zod';
import type { Deadline, Sleep } from './deadline.ts';
import { deadlineAfter } from './deadline.ts';
import { fromResponse, headerValue, InvalidResponse, NotFound, RateLimited } from './errors.ts';
import type { HttpResponse, HttpTransport } from './http.ts';
import { deadlineError } from './http.ts';
import type { Logger } from '../observability/logger.ts';
import type { OperationId, PacerKey, RateLimitPacer, ThrottlingGroup } from './limits.ts';
import { budgetKeyOf, OPERATION_GROUPS } from './limits.ts';
import { observationFrom } from './rate-headers.ts';
import type { TokenSource } from './tokens.ts';

// A wait at the pacer this long may outlast the token read before it (another replica refreshing meanwhile).
const STALE_TOKEN_AFTER_WAIT_MS = 100;

/** Per-call options every operation accepts. */
export interface CallOptions {
  /** Time for the whole call, refresh, pacing and retries included (default 10 s). */
  deadlineMs?: number | undefined;
}

export type QueryValue = string | number | boolean | readonly string[] | undefined;
export type QueryParams = Record<string, QueryValue>;

export type RestOperationId = Exclude<OperationId, 'getToken' | 'revokeToken'>;

export interface RestRequest<T> {
  operation: RestOperationId;
  method: 'GET' | 'POST';
  /** Under the server URL, e.g. "/restapi/v1.0/account/~/extension". */
  path: string;
  query?: QueryParams | undefined;
  json?: unknown;
  headers?: Record<string, string> | undefined;
  schema: z.ZodType<T, unknown>;
  /** listDirectoryEntries: a 304 answers If-None-Match. */
  allowNotModified?: boolean | undefined;
  /** readDirectoryEntry: the spec says an unknown id yields an empty body rather than a 404. */
  emptyBodyIsNotFound?: boolean | undefined;
}

export type RestResult<T> = { notModified: true; etag: string | undefined } | { notModified: false; etag: string | undefined; data: T };

export interface UserRequesterOptions {
  userKey: string;
  http: HttpTransport;
  tokens: TokenSource;
  pacer: RateLimitPacer;
  logger: Logger;
  sleep: Sleep;
  defaultDeadlineMs: number;
  /** How many 429s one call waits out before giving up (each wait also bounded by the deadline). */
  maxRateLimitRetries: number;
}

/**
 * Sends REST requests as one user: paces them per throttling group, attaches the user's token,
 * refreshes once on a 401, waits out a 429 within the deadline, and validates the body.
 */
export class UserRequester {
  readonly userKey: string;
  private readonly options: UserRequesterOptions;

  constructor(options: UserRequesterOptions) {
    this.userKey = options.userKey;
    this.options = options;
  }

  /** The RingCentral login this user's requests spend the budget of, once their tokens have been read. */
  #budgetKey: string | undefined;

  /**
   * Requests of `group` this user may send now without waiting; undefined when the pacer cannot say, or before a first
   * request has told whose budget it is.
   */
  headroom(group: ThrottlingGroup): number | undefined {
    if (this.#budgetKey === undefined) return undefined;
    return this.options.pacer.headroom?.({ userKey: this.#budgetKey, group });
  }

  deadline(options: CallOptions | undefined): Deadline {
    return deadlineAfter(options?.deadlineMs ?? this.options.defaultDeadlineMs);
  }

  /** The parsed body of a request that cannot answer 304. */
  async fetch<T>(request: RestRequest<T>, options: CallOptions | undefined): Promise<T> {
    const result = await this.call(request, options);
    if (result.notModified) {
      throw new InvalidResponse(`${request.operation}: unexpected 304`, { status: 304, operation: request.operation });
    }
    return result.data;
  }

  async call<T>(request: RestRequest<T>, options: CallOptions | undefined): Promise<RestResult<T>> {
    const { tokens, http, pacer, logger, userKey } = this.options;
    const deadline = this.deadline(options);
    let refreshedAfter401 = false;
    let rateLimitRetries = 0;

    for (;;) {
      // The token is read before pacing, and again after a wait: another replica may have rotated it meanwhile.
      const current = await tokens.current(userKey, deadline);
      let accessToken = current.accessToken;
      // Paced as the login, not as the chat account: the same person asking from Slack and Teams, or a sign-in's own
      // requests, spend one RingCentral budget.
      this.#budgetKey = budgetKeyOf(current, userKey);
      const key: PacerKey = { userKey: this.#budgetKey, group: OPERATION_GROUPS[request.operation] };
      const pacingStarted = performance.now();
      let grant = await pacer.acquire(key, deadline);
      if (performance.now() - pacingStarted > STALE_TOKEN_AFTER_WAIT_MS) accessToken = await tokens.accessToken(userKey, deadline);
      let firstAttempt = true;
      const response = await http.send({
        operation: request.operation,
        method: request.method,
        path: `${request.path}${queryString(request.query)}`,
        headers: {
          ...request.headers,
          ...(request.json !== undefined && { 'content-type': 'application/json' }),
          authorization: `Bearer ${accessToken}`,
        },
        ...(request.json !== undefined && { body: JSON.stringify(request.json) }),
        deadline,
        retry: request.method === 'GET' ? 'idempotent' : 'none',
        secrets: [accessToken],
        beforeAttempt: async () => {
          if (!firstAttempt) grant = await pacer.acquire(key, deadline);
          firstAttempt = false;
        },
        sending: () => grant.sending(),
        afterAttempt: (attempt) => this.observe(key, attempt),
        afterUnreached: () => grant.giveBack(),
      });

      if (response.status === 401 && !refreshedAfter401) {
        refreshedAfter401 = true;
        logger.info(
          { operation: request.operation, userKey, requestId: response.requestId },
          'RingCentral refused the access token; refreshing once',
        );
        await tokens.afterUnauthorized(userKey, accessToken, deadline);
        continue;
      }

      if (response.status === 429) {
        const error = fromResponse(429, response.body, response.headers, {
          endpoint: 'rest',
          operation: request.operation,
          secrets: [accessToken],
        });
        const waitMs = (error as RateLimited).retryAfterSeconds * 1000;
        if (rateLimitRetries >= this.options.maxRateLimitRetries || waitMs >= deadline.remainingMs()) throw error;
        rateLimitRetries += 1;
        logger.warn(
          { operation: request.operation, userKey, requestId: response.requestId, waitMs },
          'RingCentral rate limit hit; waiting',
        );
        try {
          await this.options.sleep(waitMs, deadline.signal);
        } catch {
          throw deadlineError(request);
        }
        continue;
      }

      return parseResponse(request, response, accessToken);
    }
  }

  private async observe(key: PacerKey, response: HttpResponse): Promise<void> {
    const observation = observationFrom(response);
    // RingCentral's header is the truth should a group move ("group names may change", say the docs).
    const group = observation.group ?? key.group;
    await this.options.pacer.observe({ userKey: key.userKey, group }, observation);
  }
}

function parseResponse<T>(request: RestRequest<T>, response: HttpResponse, accessToken: string): RestResult<T> {
  const etag = headerValue(response.headers, 'etag');
  const details = { status: response.status, requestId: response.requestId, operation: request.operation };
  if (response.status === 304 && request.allowNotModified) return { notModified: true, etag };
  if (response.status >= 400) {
    throw fromResponse(response.status, response.body, response.headers, {
      endpoint: 'rest',
      operation: request.operation,
      secrets: [accessToken],
    });
  }
  if (response.status < 200 || response.status >= 300) {
    throw new InvalidResponse(`${request.operation}: unexpected HTTP ${response.status}`, details);
  }
  if (response.body.trim() === '' && request.emptyBodyIsNotFound) {
    throw new NotFound(`${request.operation}: not found`, details);
  }
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    throw new InvalidResponse(`${request.operation}: response body is not valid JSON (${response.body.length} bytes)`, details);
  }
  const parsed = request.schema.safeParse(json);
  if (!parsed.success) {
    // Paths and messages only; the values could be anyone's personal data.
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new InvalidResponse(`${request.operation}: response does not match the schema (${issues})`, details);
  }
  return { notModified: false, etag, data: parsed.data };
}

/** Multi-valued parameters repeat the key (`status=Enabled&status=Disabled`), as RingCentral expects. */
export function queryString(query: QueryParams | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value as readonly string[]) search.append(name, item);
    else search.append(name, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

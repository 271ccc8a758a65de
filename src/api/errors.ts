import { redactSecrets } from './redact.ts';

/** What a caller can branch on; handlers map each kind to one friendly reply. */
export type RingCentralErrorKind =
  'needs-link' | 'not-permitted' | 'not-found' | 'rate-limited' | 'held-back' | 'unavailable' | 'invalid-response' | 'bad-request';

export interface RingCentralErrorDetails {
  status: number;
  errorCode?: string | undefined;
  /** RingCentral's deprecated top-level code ("TokenInvalid", "InsufficientPermissions"), kept for logs. */
  legacyErrorCode?: string | undefined;
  requestId?: string | undefined;
  operation?: string | undefined;
}

/**
 * Every failure the client reports. `status` is the HTTP status, or 0 when no response arrived
 * (network error, deadline). Messages are built from RingCentral's text with secrets redacted, and
 * the raw body is never kept, so logging or serialising an error cannot leak a token.
 */
export abstract class RingCentralError extends Error {
  abstract readonly kind: RingCentralErrorKind;
  readonly status: number;
  readonly errorCode: string | undefined;
  readonly legacyErrorCode: string | undefined;
  readonly requestId: string | undefined;
  readonly operation: string | undefined;

  constructor(message: string, details: RingCentralErrorDetails) {
    super(redactSecrets(message));
    this.status = details.status;
    this.errorCode = details.errorCode;
    this.legacyErrorCode = details.legacyErrorCode;
    this.requestId = details.requestId;
    this.operation = details.operation;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      status: this.status,
      errorCode: this.errorCode,
      legacyErrorCode: this.legacyErrorCode,
      requestId: this.requestId,
      operation: this.operation,
    };
  }
}

/** The user must link (or relink) RingCentral: no tokens, refresh refused, or a 401 a refresh cannot fix. */
export class NeedsLink extends RingCentralError {
  override readonly name = 'NeedsLink';
  readonly kind = 'needs-link' as const;
}

/** 403: the app or the user lacks a permission (CMN-401, CMN-408, CMN-419 …). */
export class NotPermitted extends RingCentralError {
  override readonly name = 'NotPermitted';
  readonly kind = 'not-permitted' as const;
}

export class NotFound extends RingCentralError {
  override readonly name = 'NotFound';
  readonly kind = 'not-found' as const;
}

/**
 * RingCentral asked us to slow down: a 429, or a wait for the end of the penalty a 429 started (met by this process or
 * by another replica) that would pass the caller's deadline.
 */
export class RateLimited extends RingCentralError {
  override readonly name = 'RateLimited';
  readonly kind = 'rate-limited' as const;
  readonly retryAfterSeconds: number;

  constructor(message: string, details: RingCentralErrorDetails & { retryAfterSeconds: number }) {
    super(message, details);
    this.retryAfterSeconds = details.retryAfterSeconds;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterSeconds: this.retryAfterSeconds };
  }
}

/**
 * No 429: Switchboard itself held the request back to stay under RingCentral's per-user limit for the group, because
 * waiting for the next free slot would pass the caller's deadline. `limit` requests per `windowSeconds` is what
 * RingCentral's X-Rate-Limit-* headers said (or its documented default before any header was seen). Nothing was sent.
 */
export class HeldBack extends RingCentralError {
  override readonly name = 'HeldBack';
  readonly kind = 'held-back' as const;
  readonly retryAfterSeconds: number;
  readonly limit: number;
  readonly windowSeconds: number;

  constructor(message: string, details: RingCentralErrorDetails & { retryAfterSeconds: number; limit: number; windowSeconds: number }) {
    super(message, details);
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.limit = details.limit;
    this.windowSeconds = details.windowSeconds;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterSeconds: this.retryAfterSeconds, limit: this.limit, windowSeconds: this.windowSeconds };
  }
}

/** 5xx, network failure, timeout or the caller's deadline. */
export class Unavailable extends RingCentralError {
  override readonly name = 'Unavailable';
  readonly kind = 'unavailable' as const;
}

/** The body was not JSON, was cut off, or did not match the schema. */
export class InvalidResponse extends RingCentralError {
  override readonly name = 'InvalidResponse';
  readonly kind = 'invalid-response' as const;
}

/** 400 and any other 4xx the kinds above do not cover: a bug on our side or a misconfigured app. */
export class BadRequest extends RingCentralError {
  override readonly name = 'BadRequest';
  readonly kind = 'bad-request' as const;
}

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface ErrorContext {
  /** The token endpoint speaks RFC 6749 (`error`, `error_description`) and 400 there means "log in again". */
  endpoint: 'rest' | 'token';
  operation?: string | undefined;
  /** Secrets sent with the request; removed from any text RingCentral echoes back. */
  secrets?: readonly string[];
}

interface ParsedErrorBody {
  errorCode: string | undefined;
  legacyErrorCode: string | undefined;
  message: string | undefined;
  oauthError: string | undefined;
}

const MAX_MESSAGE_LENGTH = 300;

/** Maps an error response from RingCentral to the error family. */
export function fromResponse(
  status: number,
  body: unknown,
  headers: ResponseHeaders,
  context: ErrorContext = { endpoint: 'rest' },
): RingCentralError {
  const parsed = parseErrorBody(body);
  const details: RingCentralErrorDetails = {
    status,
    errorCode: parsed.errorCode ?? parsed.oauthError,
    legacyErrorCode: parsed.legacyErrorCode,
    requestId: headerValue(headers, 'rcrequestid'),
    operation: context.operation,
  };
  const text = describe(status, parsed, context);

  if (status === 429) {
    return new RateLimited(text, { ...details, retryAfterSeconds: retryAfterSeconds(headers) ?? DEFAULT_RETRY_AFTER_SECONDS });
  }
  if (status === 408 || status >= 500) return new Unavailable(text, details);
  if (context.endpoint === 'token') {
    // RingCentral: a 400 from the token endpoint must not be repeated; the user has to log in again. Its error table
    // gives refused codes and logins (OAU-105, OAU-106, OAU-108 …) as 403: the same "log in again".
    if (status === 400 || status === 403) return new NeedsLink(text, details);
    // 401 invalid_client is our app's credentials, which relinking cannot fix.
    if (status === 401) return new BadRequest(text, details);
  }
  if (status === 401) return new NeedsLink(text, details);
  if (status === 403) return new NotPermitted(text, details);
  if (status === 404) return new NotFound(text, details);
  return new BadRequest(text, details);
}

/** When a 429 carries no Retry-After, RingCentral's docs say to wait at least 30 s. */
export const DEFAULT_RETRY_AFTER_SECONDS = 30;

export function retryAfterSeconds(headers: ResponseHeaders): number | undefined {
  const raw = headerValue(headers, 'retry-after');
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - Date.now()) / 1000);
}

export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function describe(status: number, parsed: ParsedErrorBody, context: ErrorContext): string {
  const where = context.operation ? `${context.operation}: ` : '';
  const code = parsed.errorCode ?? parsed.oauthError;
  const text = parsed.message ?? `HTTP ${status}`;
  const full = `${where}${code ? `${code} ` : ''}${text}`;
  const clean = redactSecrets(full, context.secrets);
  return clean.length > MAX_MESSAGE_LENGTH ? `${clean.slice(0, MAX_MESSAGE_LENGTH)}…` : clean;
}

/**
 * RingCentral bodies carry a deprecated top-level `errorCode` that can differ from the real one in
 * `errors[0].errorCode` ("TokenInvalid" vs "OAU-213"); the latter wins. The token endpoint adds
 * RFC 6749 `error` / `error_description`.
 */
function parseErrorBody(body: unknown): ParsedErrorBody {
  const object = typeof body === 'string' ? safeJson(body) : body;
  if (typeof object !== 'object' || object === null) {
    return { errorCode: undefined, legacyErrorCode: undefined, message: undefined, oauthError: undefined };
  }
  const record = object as Record<string, unknown>;
  const first = Array.isArray(record['errors']) ? (record['errors'][0] as Record<string, unknown> | undefined) : undefined;
  const firstCode = stringField(first, 'errorCode');
  const legacyCode = stringField(record, 'errorCode');
  return {
    errorCode: firstCode ?? legacyCode,
    legacyErrorCode: legacyCode !== firstCode ? legacyCode : undefined,
    message: stringField(first, 'message') ?? stringField(record, 'message') ?? stringField(record, 'error_description'),
    oauthError: stringField(record, 'error'),
  };
}

function stringField(object: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

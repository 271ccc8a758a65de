import { pino } from 'pino';
import type { Logger } from './observability/logger.ts';

const CENSORED = '[redacted]';

/** Field names whose value is a credential, censored at the top level of a log object and one level down. */
const SECRET_FIELDS = [
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'botToken',
  'appToken',
  'code_verifier',
  'codeVerifier',
  'client_secret',
  'clientSecret',
  'signingSecret',
  'password',
  'authorization',
  'Authorization',
  // The OAuth state lets whoever holds it finish a link for the chat user it was issued to.
  'state',
  // A Slack response_url posts into the user's conversation for 30 minutes without any other credential.
  'response_url',
  'responseUrl',
];

/**
 * Code never logs tokens on purpose; these paths are the safety net for a field that slips into a log object anyway
 * (a whole request, an error carrying headers).
 */
export const REDACTED_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  'code',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
];

// `code` is an OAuth authorization code in one place and a Node or undici error code (ECONNRESET, UND_ERR_SOCKET) in
// another; an operator needs the latter, and an authorization code is never a short upper-case word.
const ERROR_CODE = /^[A-Z][A-Z0-9_]{2,39}$/;

function censor(value: unknown, path: string[]): unknown {
  return path.at(-1) === 'code' && typeof value === 'string' && ERROR_CODE.test(value) ? value : CENSORED;
}

/**
 * Credentials inside free text, which no path reaches: libraries log whole payloads and URLs as strings (Slack's
 * Socket Mode client logs every envelope, response_url and verification token included, at debug level). Applied
 * to each serialized line, so text arrives JSON-escaped: a quote as \" and Slack's escaped slash as \\/.
 */
const TEXT_SECRETS: readonly [RegExp, string][] = [
  // Slack bot, user, app-level and configuration tokens.
  [/\b(xox[a-z]-|xapp-)[A-Za-z0-9-]+/g, `$1${CENSORED}`],
  [/\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{16,}/g, `$1$2${CENSORED}`],
  // "name":"value" of JSON written into a string.
  [
    /(\\*"(?:token|access_token|refresh_token|id_token|client_secret|code_verifier|response_url|password)\\*"\s*:\s*\\*")(?:[^"\\]|\\+\/)+/g,
    `$1${CENSORED}`,
  ],
  // Query parameters: an OAuth callback URL, a Socket Mode connection ticket.
  [/([?&](?:code|state|ticket|token|access_token|refresh_token|client_secret|code_verifier)=)[^&\s"\\#]+/g, `$1${CENSORED}`],
  // A Slack webhook or response_url written out as a URL: the path is the credential.
  [/(hooks\.slack\.com)(?:\\*\/[A-Za-z0-9_-]+)+/g, `$1/${CENSORED}`],
];

export function redactText(line: string): string {
  return TEXT_SECRETS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), line);
}

/** Structured JSON logs, redacted by field name and, as a last resort, by what a credential looks like in text. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger & { level: string } {
  const options = {
    level,
    base: { service: 'switchboard' },
    redact: { paths: REDACTED_PATHS, censor },
    hooks: { streamWrite: redactText },
  };
  return destination === undefined ? pino(options) : pino(options, destination as never);
}

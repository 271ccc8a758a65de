import { pino } from 'pino';
import type { Logger } from './api/logger.ts';

/**
 * Structured JSON logs. Code never logs tokens on purpose; the redaction list is the safety net for a field that
 * slips into a log object anyway (a whole request, an error carrying headers).
 */
export const REDACTED_PATHS = [
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'code',
  'code_verifier',
  'codeVerifier',
  'client_secret',
  'clientSecret',
  'password',
  'authorization',
  'Authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.authorization',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger & { level: string } {
  const options = { level, base: { service: 'switchboard' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination === undefined ? pino(options) : pino(options, destination as never);
}

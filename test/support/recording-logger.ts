import type { Logger } from '../../src/observability/logger.ts';

export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps every line (debug included), oldest first, for tests to read. */
export function recordingLogger(): { logger: Logger; logs: LogRecord[] } {
  const logs: LogRecord[] = [];
  const record =
    (level: LogRecord['level']) =>
    (fields: Record<string, unknown>, message: string): void => {
      logs.push({ level, message, fields });
    };
  return { logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') }, logs };
}

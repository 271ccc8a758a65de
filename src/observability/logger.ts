/**
 * The logging shape every layer takes (pino-compatible; src/logging.ts makes the real one). Callers log operation
 * names, statuses, durations and request ids — never tokens, codes, secrets or Authorization headers.
 */
export interface Logger {
  debug(object: Record<string, unknown>, message: string): void;
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** An error as a log field, stack included, for failures nobody expected (a bug, a library's surprise). */
export function errorWithStack(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { value: String(error) };
  return { name: error.name, message: error.message, ...(error.stack === undefined ? {} : { stack: error.stack }) };
}

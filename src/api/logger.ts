/**
 * The logging shape the client accepts (pino-compatible). The client logs operation names, statuses,
 * durations and request ids — never tokens, codes, secrets or Authorization headers.
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

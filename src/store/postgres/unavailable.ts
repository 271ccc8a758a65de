import pg from 'pg';
import { DatabaseUnavailable, StoreError } from '../errors.ts';

// SQLSTATE classes and codes that say "not now" rather than "this request is wrong": connection exceptions (08),
// insufficient resources such as too many connections (53), operator intervention — shutdown, restart, admin
// termination, statement timeout (57), system errors (58), lock wait timeout (55P03), idle transaction timeout (25P03).
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58']);
const UNAVAILABLE_CODES = new Set(['55P03', '25P03']);

/**
 * Turns a driver failure that means "the database cannot answer now" into DatabaseUnavailable, so callers have one
 * kind to branch on; anything else (a bug, a constraint) is returned unchanged.
 */
export function asDatabaseUnavailable(error: unknown): unknown {
  if (error instanceof StoreError) return error;
  if (error instanceof pg.DatabaseError) {
    const code = error.code ?? '';
    if (!UNAVAILABLE_CLASSES.has(code.slice(0, 2)) && !UNAVAILABLE_CODES.has(code)) return error;
    return new DatabaseUnavailable(`${error.message} (SQLSTATE ${code})`, { cause: error });
  }
  // Other errors from the driver come from the connection: refused, reset, closed, or timed out. A TypeError or
  // RangeError is a bug on our side and stays what it is.
  const isBug = error instanceof TypeError || error instanceof RangeError;
  if (error instanceof Error && !isBug) return new DatabaseUnavailable(error.message, { cause: error });
  return error;
}

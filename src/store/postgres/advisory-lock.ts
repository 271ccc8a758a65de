import { createHash } from 'node:crypto';
import type pg from 'pg';
import { asDatabaseUnavailable } from './unavailable.ts';

/**
 * A 64-bit advisory lock key (as a decimal string for a bigint parameter) naming `parts`. The parts include the
 * schema, so deployments (or test runs) sharing one database in different schemas never wait for each other.
 * Two different names colliding (2⁻⁶⁴) would only make them wait for each other, never break anything.
 */
export function advisoryLockKey(...parts: string[]): string {
  const digest = createHash('sha256')
    .update(['switchboard', ...parts].join('\0'))
    .digest();
  return digest.readBigInt64BE(0).toString();
}

/**
 * Runs `fn` holding the session-level advisory lock `key` on a connection of `pool` kept for the purpose, so the
 * lock is exclusive across every process using the database. Waiting is bounded by the pool's lock_timeout and a
 * failure to get the lock is DatabaseUnavailable; `fn`'s own result or error passes through unchanged.
 *
 * If the lock connection dies while `fn` runs, PostgreSQL has already released the lock; `fn` still finishes and
 * its result is returned. A connection whose lock state is uncertain (acquire or unlock failed) is destroyed rather
 * than returned to the pool, because closing a session is what surely releases its locks.
 */
export async function withAdvisoryLock<T>(pool: pg.Pool, key: string, fn: () => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw asDatabaseUnavailable(error);
  }
  // A checked-out client has no pool listener; without ours, its dying connection would crash the process.
  let connectionError: Error | undefined;
  const onError = (error: Error) => {
    connectionError ??= error;
  };
  client.on('error', onError);
  const release = (destroy: boolean) => {
    client.off('error', onError);
    client.release(destroy || connectionError !== undefined);
  };

  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
  } catch (error) {
    release(true);
    throw asDatabaseUnavailable(error);
  }

  try {
    return await fn();
  } finally {
    let unlocked = false;
    if (connectionError === undefined) {
      try {
        const result = await client.query<{ unlocked: boolean }>('SELECT pg_advisory_unlock($1::bigint) AS unlocked', [key]);
        unlocked = result.rows[0]?.unlocked === true;
      } catch {
        // Destroying the connection below releases the lock.
      }
    }
    release(!unlocked);
  }
}

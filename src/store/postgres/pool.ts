import pg from 'pg';

export type PostgresPoolSettings = {
  max: number;
  connectTimeoutMs: number;
  /** Server-side limit on one statement (statement_timeout); the client gives up a little later on its own. */
  statementTimeoutMs: number;
  /** Server-side limit on waiting for any lock (lock_timeout), advisory locks included. */
  lockTimeoutMs?: number;
};

// How long the client waits for an answer beyond statement_timeout before it treats the server as gone: covers a
// server that stopped answering without closing the connection, which statement_timeout cannot.
const CLIENT_GRACE_MS = 5_000;

// BIGINT columns hold epoch milliseconds, far inside Number's exact range; pg would hand them back as strings.
const types: pg.CustomTypesConfig = {
  getTypeParser: (oid, format) =>
    // eslint-disable-next-line @typescript-eslint/no-unsafe-return -- pg types its own parsers as returning any
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format),
};

/**
 * A pool that never hangs a caller and survives a database restart: connecting and every statement are bounded,
 * a broken connection is dropped (the next call opens a new one), and an idle connection's error — which pg emits
 * on the pool when the server goes away — is absorbed instead of crashing the process.
 * Settings in the URL (application_name, options=-c search_path=…) take precedence over these defaults.
 */
export function createPostgresPool(url: string, settings: PostgresPoolSettings): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    application_name: 'switchboard',
    max: settings.max,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: settings.statementTimeoutMs,
    ...(settings.lockTimeoutMs === undefined ? {} : { lock_timeout: settings.lockTimeoutMs }),
    query_timeout: settings.statementTimeoutMs + CLIENT_GRACE_MS,
    keepAlive: true,
    types,
  });
  // pg-pool has already removed the broken client; the next checkout connects afresh.
  pool.on('error', () => {});
  return pool;
}

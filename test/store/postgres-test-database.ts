import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** CI runs PostgreSQL here; a run without it must fail, not skip. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A schema of its own in the shared test database: other test files (and other suites) use the same database at
 * the same time, so nothing here touches anything outside the schema.
 */
export type TestSchema = {
  name: string;
  /** A DATABASE_URL selecting this schema. Its connections carry `applicationName`, so a test can find them. */
  url(applicationName?: string): string;
  /** A raw connection with the schema on its search_path, bypassing the store. Closed by drop(). */
  admin: pg.Client;
  /** Another raw connection, for a test that needs one holding a transaction open. Closed by drop(). */
  connect(): Promise<pg.Client>;
  /** Terminates every backend (connection) carrying `applicationName`, as a server restart would. */
  terminateBackends(applicationName: string): Promise<number>;
  /** The number of backends carrying `applicationName` that wait for a lock. */
  backendsWaitingForLocks(applicationName: string): Promise<number>;
  backendCount(applicationName: string): Promise<number>;
  drop(): Promise<void>;
};

export async function createTestSchema(): Promise<TestSchema> {
  const name = `switchboard_test_${randomBytes(6).toString('hex')}`;
  const url = (applicationName = name) => {
    const withSchema = new URL(TEST_DATABASE_URL);
    withSchema.searchParams.set('options', `-c search_path=${name}`);
    withSchema.searchParams.set('application_name', applicationName);
    return withSchema.toString();
  };
  const clients: pg.Client[] = [];
  const connect = async () => {
    const client = new pg.Client({ connectionString: url(`${name}_admin`), connectionTimeoutMillis: 5_000 });
    client.on('error', () => {}); // a failing query reports it; a test must not crash on a dropped connection
    try {
      await client.connect();
    } catch (error) {
      throw new Error(
        `PostgreSQL for the store tests is unreachable at ${TEST_DATABASE_URL} (set TEST_DATABASE_URL): ` + `${(error as Error).message}`,
        { cause: error },
      );
    }
    clients.push(client);
    return client;
  };
  const admin = await connect();
  await admin.query(`CREATE SCHEMA ${name}`);

  const countBackends = async (applicationName: string, condition: string) => {
    const { rows } = await admin.query<{ count: string }>(
      `SELECT count(*) AS count FROM pg_stat_activity WHERE application_name = $1 AND ${condition}`,
      [applicationName],
    );
    return Number(rows[0]?.count);
  };

  return {
    name,
    url,
    admin,
    connect,
    async terminateBackends(applicationName) {
      const { rows } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
        applicationName,
      ]);
      return rows.length;
    },
    backendsWaitingForLocks: (applicationName) => countBackends(applicationName, "wait_event_type = 'Lock'"),
    backendCount: (applicationName) => countBackends(applicationName, 'true'),
    async drop() {
      // Other connections first: one a failed test left holding a lock would block the DROP.
      await Promise.allSettled(clients.filter((client) => client !== admin).map((client) => client.end()));
      await admin.query(`DROP SCHEMA ${name} CASCADE`);
      await admin.end();
    },
  };
}

/** Polls `condition` every 10 ms until it holds; fails after `timeoutMs`. */
export async function eventually(condition: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

import type pg from 'pg';
import type { KeyRing } from '../key-ring.ts';
import {
  assertKeysCoverInstallations,
  openInstallation,
  sealInstallation,
  type SlackInstallation,
  type SlackInstallationStore,
} from '../slack-installation-store.ts';
import { asDatabaseUnavailable } from './unavailable.ts';

/** Slack installations in the PostgreSQL store's schema (migration 3), on the store's query pool. */
export class PostgresSlackInstallations implements SlackInstallationStore {
  readonly #queries: pg.Pool;
  readonly #keyRing: KeyRing;
  readonly #now: () => number;

  constructor(parts: { queries: pg.Pool; keyRing: KeyRing; now: () => number }) {
    this.#queries = parts.queries;
    this.#keyRing = parts.keyRing;
    this.#now = parts.now;
  }

  async saveSlackInstallation(installation: SlackInstallation): Promise<void> {
    const row = sealInstallation(this.#keyRing, installation);
    await this.#query(
      `INSERT INTO slack_installations (owner_id, is_enterprise_install, key_id, sealed, installed_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (owner_id) DO UPDATE SET is_enterprise_install = excluded.is_enterprise_install,
         key_id = excluded.key_id, sealed = excluded.sealed, installed_at = excluded.installed_at`,
      [row.ownerId, row.isEnterpriseInstall, row.keyId, row.sealed, this.#now()],
    );
  }

  async getSlackInstallation(ownerId: string): Promise<SlackInstallation | undefined> {
    const [row] = await this.#query<{ sealed: string }>('SELECT sealed FROM slack_installations WHERE owner_id = $1', [ownerId]);
    return row === undefined ? undefined : openInstallation(this.#keyRing, ownerId, row.sealed);
  }

  async deleteSlackInstallation(ownerId: string): Promise<boolean> {
    const rows = await this.#query('DELETE FROM slack_installations WHERE owner_id = $1 RETURNING 1', [ownerId]);
    return rows.length > 0;
  }

  /** Throws UnknownEncryptionKey when an installation needs a key the ring lacks. */
  async checkKeysCover(): Promise<void> {
    const counts = await this.#query<{ keyId: string; count: string }>(
      'SELECT key_id AS "keyId", count(*) AS count FROM slack_installations GROUP BY key_id',
    );
    assertKeysCoverInstallations(
      this.#keyRing,
      counts.map(({ keyId, count }) => ({ keyId, count: Number(count) })),
    );
  }

  async #query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    try {
      return (await this.#queries.query<R>(text, values)).rows;
    } catch (error) {
      throw asDatabaseUnavailable(error);
    }
  }
}

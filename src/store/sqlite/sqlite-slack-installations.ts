import type { Database } from 'better-sqlite3';
import type { KeyRing } from '../key-ring.ts';
import {
  assertKeysCoverInstallations,
  openInstallation,
  sealInstallation,
  type SlackInstallation,
  type SlackInstallationStore,
} from '../slack-installation-store.ts';

/**
 * Slack installations in the SQLite store's database (migration 3). `run` is the store's own wrapper, so a database
 * that cannot answer fails here as it does for links (DatabaseUnavailable).
 */
export class SqliteSlackInstallations implements SlackInstallationStore {
  readonly #db: Database;
  readonly #keyRing: KeyRing;
  readonly #now: () => number;
  readonly #run: <T>(step: () => T) => T;

  constructor(parts: { db: Database; keyRing: KeyRing; now: () => number; run: <T>(step: () => T) => T }) {
    this.#db = parts.db;
    this.#keyRing = parts.keyRing;
    this.#now = parts.now;
    this.#run = parts.run;
  }

  async saveSlackInstallation(installation: SlackInstallation): Promise<void> {
    const row = sealInstallation(this.#keyRing, installation);
    this.#run(() =>
      this.#db
        .prepare(
          `INSERT INTO slack_installations (owner_id, is_enterprise_install, key_id, sealed, installed_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (owner_id) DO UPDATE SET is_enterprise_install = excluded.is_enterprise_install,
             key_id = excluded.key_id, sealed = excluded.sealed, installed_at = excluded.installed_at`,
        )
        .run(row.ownerId, row.isEnterpriseInstall ? 1 : 0, row.keyId, row.sealed, this.#now()),
    );
  }

  async getSlackInstallation(ownerId: string): Promise<SlackInstallation | undefined> {
    const sealed = this.#run(() =>
      this.#db.prepare<[string], string>('SELECT sealed FROM slack_installations WHERE owner_id = ?').pluck().get(ownerId),
    );
    return sealed === undefined ? undefined : openInstallation(this.#keyRing, ownerId, sealed);
  }

  async deleteSlackInstallation(ownerId: string): Promise<boolean> {
    return this.#run(() => this.#db.prepare('DELETE FROM slack_installations WHERE owner_id = ?').run(ownerId).changes > 0);
  }

  /** Throws UnknownEncryptionKey when an installation needs a key the ring lacks. */
  checkKeysCover(): void {
    const counts = this.#run(() =>
      this.#db
        .prepare<[], { keyId: string; count: number }>('SELECT key_id AS keyId, count(*) AS count FROM slack_installations GROUP BY key_id')
        .all(),
    );
    assertKeysCoverInstallations(this.#keyRing, counts);
  }
}

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorruptCiphertext, UnknownEncryptionKey } from '../../src/store/errors.ts';
import type { LinkStore } from '../../src/store/link-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { advisoryLockKey } from '../../src/store/postgres/advisory-lock.ts';
import { migrate as migratePostgres, POSTGRES_MIGRATIONS } from '../../src/store/postgres/migrations.ts';
import { migrate as migrateSqlite, SQLITE_MIGRATIONS } from '../../src/store/sqlite/migrations.ts';
import { createTestSchema } from './postgres-test-database.ts';
import { openInstallation, sealInstallation, type SlackInstallation } from '../../src/store/slack-installation-store.ts';
import { johnSmith, keyRingOf, randomKey, sampleTokens, slicesOf, storeFixtures, type StoreHarness } from './store-fixtures.ts';

/** An installation as @slack/oauth's InstallProvider builds it after oauth.v2.access, with a long random bot token. */
function workspaceInstall(teamId: string, enterpriseId?: string): SlackInstallation {
  return {
    team: { id: teamId, name: `Workspace ${teamId}` },
    ...(enterpriseId === undefined ? {} : { enterprise: { id: enterpriseId, name: 'Grid' } }),
    isEnterpriseInstall: false,
    appId: 'A0SWITCHBOARD',
    tokenType: 'bot',
    authVersion: 'v2',
    bot: { id: 'B01', userId: 'UBOT', token: `xoxb-${randomBytes(24).toString('hex')}`, scopes: ['commands', 'chat:write'] },
    user: { id: 'UINSTALLER' },
  };
}

function orgInstall(enterpriseId: string): SlackInstallation {
  return {
    enterprise: { id: enterpriseId, name: 'Grid' },
    isEnterpriseInstall: true,
    appId: 'A0SWITCHBOARD',
    tokenType: 'bot',
    authVersion: 'v2',
    enterpriseUrl: 'https://grid.enterprise.slack.com/',
    bot: { id: 'B02', userId: 'UBOTORG', token: `xoxb-${randomBytes(24).toString('hex')}`, scopes: ['commands'] },
    user: { id: 'WADMIN' },
  };
}

describe.each(storeFixtures)('$name Slack installations', (fixture) => {
  const keyRing = keyRingOf(randomKey());
  let harness: StoreHarness;
  let store: LinkStore;

  beforeEach(async () => {
    harness = await fixture.create();
    store = await harness.open(keyRing);
  });
  afterEach(async () => {
    await harness.dispose();
  });

  it('a workspace installation reads back unchanged under its team id, and only there', async () => {
    const installation = workspaceInstall('T0001');
    await store.slackInstallations.saveSlackInstallation(installation);
    expect(await store.slackInstallations.getSlackInstallation('T0001')).toEqual(installation);
    expect(await store.slackInstallations.getSlackInstallation('T0002')).toBeUndefined();
  });

  it('an org-wide install is kept under its enterprise id, not under any team', async () => {
    const installation = orgInstall('E0001');
    await store.slackInstallations.saveSlackInstallation(installation);
    expect(await store.slackInstallations.getSlackInstallation('E0001')).toEqual(installation);
  });

  it('a workspace of a Grid org installed on its own is kept under its team id', async () => {
    const installation = workspaceInstall('T0003', 'E0001');
    await store.slackInstallations.saveSlackInstallation(installation);
    expect(await store.slackInstallations.getSlackInstallation('T0003')).toEqual(installation);
    expect(await store.slackInstallations.getSlackInstallation('E0001')).toBeUndefined();
  });

  it('installing again replaces the workspace’s one installation', async () => {
    await store.slackInstallations.saveSlackInstallation(workspaceInstall('T0001'));
    const again = workspaceInstall('T0001');
    await store.slackInstallations.saveSlackInstallation(again);
    expect((await store.slackInstallations.getSlackInstallation('T0001'))?.bot?.token).toBe(again.bot?.token);
  });

  it('deleting removes that workspace’s installation only', async () => {
    const other = workspaceInstall('T0002');
    await store.slackInstallations.saveSlackInstallation(workspaceInstall('T0001'));
    await store.slackInstallations.saveSlackInstallation(other);
    expect(await store.slackInstallations.deleteSlackInstallation('T0001')).toBe(true);
    expect(await store.slackInstallations.deleteSlackInstallation('T0001')).toBe(false);
    expect(await store.slackInstallations.getSlackInstallation('T0001')).toBeUndefined();
    expect(await store.slackInstallations.getSlackInstallation('T0002')).toEqual(other);
  });

  it('no slice of a bot token is stored in plaintext', async () => {
    const installation = workspaceInstall('T0001');
    await store.slackInstallations.saveSlackInstallation(installation);
    const dump = await harness.rawDump();
    expect(dump).toContain('T0001');
    for (const slice of slicesOf(installation.bot?.token ?? '')) expect(dump).not.toContain(slice);
  });

  it('an installation that is not a Slack installation is refused before anything is stored', async () => {
    await expect(store.slackInstallations.saveSlackInstallation({ user: { id: 'U1' } } as SlackInstallation)).rejects.toThrow();
    await expect(
      store.slackInstallations.saveSlackInstallation({ ...orgInstall('E1'), enterprise: undefined } as SlackInstallation),
    ).rejects.toThrow();
  });

  if (fixture.durable) {
    it('installations survive a restart, and opening without their key fails naming the key and keeps them', async () => {
      const installation = workspaceInstall('T0001');
      await store.slackInstallations.saveSlackInstallation(installation);
      const reopened = await harness.reopen(store, keyRing);
      expect(await reopened.slackInstallations.getSlackInstallation('T0001')).toEqual(installation);
      await reopened.close();

      const failure = await harness.open(keyRingOf(randomKey())).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(UnknownEncryptionKey);
      expect((failure as Error).message).toContain(keyRing.current.id);
      expect((failure as Error).message).toContain('1 Slack installation');

      const withOldKey = await harness.open(keyRingOf(randomKey(), keyRing.current));
      expect(await withOldKey.slackInstallations.getSlackInstallation('T0001')).toEqual(installation);
    });
  }
});

describe('sealed Slack installations', () => {
  it('are bound to their owner id: one workspace’s ciphertext read as another’s does not open', () => {
    const keyRing = keyRingOf(randomKey());
    const sealed = sealInstallation(keyRing, workspaceInstall('T0001'));
    expect(sealed.ownerId).toBe('T0001');
    expect(openInstallation(keyRing, 'T0001', sealed.sealed).team?.id).toBe('T0001');
    expect(() => openInstallation(keyRing, 'T0002', sealed.sealed)).toThrow(CorruptCiphertext);
  });
});

describe('upgrading a database from before Slack installations (migration 2 → 3)', () => {
  const keyRing = keyRingOf(randomKey());
  const JOHN = 'slack:T0001:U0101';

  it('SQLite: existing links stay, and installations can be stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-upgrade-'));
    const file = join(dir, 'switchboard.db');
    try {
      const before = await openStore(file, keyRing);
      await before.saveLink(JOHN, johnSmith, sampleTokens());
      await before.close();
      const old = new BetterSqlite3(file);
      old.exec('DROP TABLE slack_installations; DELETE FROM schema_migrations WHERE version = 3');
      migrateSqlite(
        old,
        SQLITE_MIGRATIONS.filter((migration) => migration.version <= 2),
        Date.now,
      );
      old.close();

      const store = await openStore(file, keyRing);
      try {
        expect(await store.getLink(JOHN)).toMatchObject({ name: johnSmith.name });
        await store.slackInstallations.saveSlackInstallation(workspaceInstall('T0001'));
        expect((await store.slackInstallations.getSlackInstallation('T0001'))?.team?.id).toBe('T0001');
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL: existing links stay, and installations can be stored', async () => {
    const schema = await createTestSchema();
    const pool = new pg.Pool({ connectionString: schema.url(), max: 1 });
    try {
      await migratePostgres(
        pool,
        POSTGRES_MIGRATIONS.filter((migration) => migration.version <= 2),
        advisoryLockKey('migrations', 'upgrade-test'),
        Date.now,
      );
      await pool.end();
      await schema.admin.query(
        'INSERT INTO links (user_key, account_id, extension_id, extension_number, name, email, linked_at) VALUES ($1, $2, $3, $4, $5, NULL, 1)',
        [JOHN, johnSmith.accountId, johnSmith.extensionId, johnSmith.extensionNumber, johnSmith.name],
      );
      const store = await openStore(schema.url(), keyRing, { maxConnections: 2, maxLockConnections: 1 });
      try {
        expect(await store.getLink(JOHN)).toMatchObject({ name: johnSmith.name });
        await store.slackInstallations.saveSlackInstallation(orgInstall('E0001'));
        expect((await store.slackInstallations.getSlackInstallation('E0001'))?.isEnterpriseInstall).toBe(true);
        const { rows } = await schema.admin.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((row) => row.version)).toEqual([1, 2, 3]);
      } finally {
        await store.close();
      }
    } finally {
      await schema.drop();
    }
  });
});

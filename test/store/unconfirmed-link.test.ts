import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import type { ChatAccount, ConfirmLinkResult, LinkStore, NewUnconfirmedLink } from '../../src/store/link-store.ts';
import { advisoryLockKey } from '../../src/store/postgres/advisory-lock.ts';
import { migrate as migratePostgres, POSTGRES_MIGRATIONS } from '../../src/store/postgres/migrations.ts';
import { migrate as migrateSqlite, SQLITE_MIGRATIONS } from '../../src/store/sqlite/migrations.ts';
import { createTestSchema } from './postgres-test-database.ts';
import { johnSmith, keyRingOf, randomKey, sampleTokens, slicesOf, storeFixtures, type StoreHarness } from './store-fixtures.ts';

const MINUTE = 60_000;
const EMMA = 'slack:T0001:U0103';
const PAUL = 'slack:T0001:U0102';

const emmaInSlack: ChatAccount = { platform: 'Slack', commandStyle: 'slash', email: 'emma.chen@mycompany.com', displayName: 'Emma Chen' };

/** Emma's chat account signed in to RingCentral as John: the link waits for Emma's code. */
function unconfirmedFor(userKey: string): NewUnconfirmedLink {
  return {
    userKey,
    identity: johnSmith,
    tokens: sampleTokens(),
    resume: { platform: 'slack', responseUrl: `https://hooks.slack.com/commands/T0001/1/${Math.random().toString(36).slice(2)}` },
    chatAccount: emmaInSlack,
  };
}

/** A six-digit code that is not `code`. */
function otherThan(code: string): string {
  return ((Number(code) + 1) % 1_000_000).toString().padStart(6, '0');
}

describe.each(storeFixtures)('$name unconfirmed links', (fixture) => {
  const keyRing = keyRingOf(randomKey());
  let clock: number;
  const now = () => clock;
  let harness: StoreHarness;
  let store: LinkStore;

  beforeEach(async () => {
    clock = Date.UTC(2026, 0, 15, 9, 0, 0);
    harness = await fixture.create();
    store = await harness.open(keyRing, { now });
  });
  afterEach(async () => {
    await harness.dispose();
  });

  it('the right code from the same chat user hands back identity, tokens, resume data and chat account, once', async () => {
    const held = unconfirmedFor(EMMA);
    const { code, expiresAt } = await store.holdUnconfirmedLink(held);
    expect(code).toMatch(/^\d{6}$/);
    expect(expiresAt).toBe(clock + 10 * MINUTE);

    const confirmed = await store.confirmLink(EMMA, code);
    expect(confirmed).toEqual({ outcome: 'confirmed', link: { ...held, createdAt: clock, expiresAt } });
    expect(await store.confirmLink(EMMA, code)).toEqual({ outcome: 'none' });
    // Holding and confirming is not linking: the caller saves the link.
    expect(await store.getLink(EMMA)).toBeUndefined();
    expect(await store.get(EMMA)).toBeUndefined();
  });

  it('keeps neither the code nor the tokens nor the chat email readable at rest', async () => {
    const held = unconfirmedFor(EMMA);
    const { code } = await store.holdUnconfirmedLink(held);
    const dump = await harness.rawDump();
    expect(dump).toContain(held.userKey);
    for (const secret of [held.tokens.accessToken, held.tokens.refreshToken]) {
      for (const slice of slicesOf(secret)) expect(dump).not.toContain(slice);
    }
    expect(dump).not.toContain(emmaInSlack.email);
    expect(dump).not.toContain(johnSmith.name);
    expect(dump).not.toMatch(new RegExp(`(^|[^0-9A-Za-z])${code}([^0-9A-Za-z]|$)`));
  });

  it('another chat user cannot use the code, and their try does not spend the owner’s', async () => {
    const { code } = await store.holdUnconfirmedLink(unconfirmedFor(EMMA));
    expect(await store.confirmLink(PAUL, code)).toEqual({ outcome: 'none' });
    expect(await store.confirmLink(EMMA, code)).toMatchObject({ outcome: 'confirmed', link: { userKey: EMMA } });
  });

  it('four wrong codes leave one try; the fifth wrong one ends the link and hands back its tokens to revoke', async () => {
    const held = unconfirmedFor(EMMA);
    const { code } = await store.holdUnconfirmedLink(held);
    const wrong = otherThan(code);
    const results: ConfirmLinkResult[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) results.push(await store.confirmLink(EMMA, wrong));
    expect(results).toEqual([4, 3, 2, 1].map((triesLeft) => ({ outcome: 'wrong-code', triesLeft })));
    expect(await store.confirmLink(EMMA, wrong)).toEqual({ outcome: 'ended', reason: 'too-many-tries', tokens: held.tokens });
    expect(await store.confirmLink(EMMA, code)).toEqual({ outcome: 'none' });
  });

  it('the right code still works on the fifth try', async () => {
    const { code } = await store.holdUnconfirmedLink(unconfirmedFor(EMMA));
    for (let attempt = 0; attempt < 4; attempt += 1) await store.confirmLink(EMMA, otherThan(code));
    expect(await store.confirmLink(EMMA, code)).toMatchObject({ outcome: 'confirmed' });
  });

  it('ten wrong guesses at once get five comparisons between them, not ten', async () => {
    const { code } = await store.holdUnconfirmedLink(unconfirmedFor(EMMA));
    const results = await Promise.all(Array.from({ length: 10 }, () => store.confirmLink(EMMA, otherThan(code))));
    const outcomes = results.map((result) => result.outcome).sort();
    expect(outcomes.filter((outcome) => outcome === 'wrong-code')).toHaveLength(4);
    expect(outcomes.filter((outcome) => outcome === 'ended')).toHaveLength(1);
    expect(await store.confirmLink(EMMA, code)).toEqual({ outcome: 'none' });
  });

  it('after ten minutes the right code ends the link instead of confirming it', async () => {
    const held = unconfirmedFor(EMMA);
    const { code } = await store.holdUnconfirmedLink(held);
    clock += 10 * MINUTE;
    expect(await store.confirmLink(EMMA, code)).toEqual({ outcome: 'ended', reason: 'expired', tokens: held.tokens });
    expect(await store.confirmLink(EMMA, code)).toEqual({ outcome: 'none' });
  });

  it('a new sign-in replaces the unconfirmed one: the old code stops working and the old tokens come back to revoke', async () => {
    const first = unconfirmedFor(EMMA);
    const { code: firstCode } = await store.holdUnconfirmedLink(first);
    const second = unconfirmedFor(EMMA);
    const held = await store.holdUnconfirmedLink(second);
    expect(held.replaced).toEqual(first.tokens);
    if (held.code !== firstCode) expect(await store.confirmLink(EMMA, firstCode)).toMatchObject({ outcome: 'wrong-code' });
    expect(await store.confirmLink(EMMA, held.code)).toMatchObject({ outcome: 'confirmed', link: { tokens: second.tokens } });
  });

  it('taking the expired ones removes only those and hands back their tokens', async () => {
    const old = unconfirmedFor(EMMA);
    await store.holdUnconfirmedLink(old);
    clock += 6 * MINUTE;
    const fresh = unconfirmedFor(PAUL);
    const { code } = await store.holdUnconfirmedLink(fresh);
    clock += 4 * MINUTE;
    expect(await store.takeExpiredUnconfirmedLinks()).toEqual([old.tokens]);
    expect(await store.takeExpiredUnconfirmedLinks()).toEqual([]);
    expect(await store.confirmLink(PAUL, code)).toMatchObject({ outcome: 'confirmed' });
  });

  it('a pending link keeps the chat account it was started from, sealed', async () => {
    const state = await store.createPendingLink({
      userKey: EMMA,
      codeVerifier: 'v'.repeat(43),
      redirectUri: 'http://127.0.0.1:3000/oauth/ringcentral/callback',
      resume: { platform: 'slack' },
      chatAccount: emmaInSlack,
    });
    expect(await harness.rawDump()).not.toContain(emmaInSlack.email);
    expect((await store.consumePendingLink(state)).chatAccount).toEqual(emmaInSlack);
  });

  if (fixture.durable) {
    it('an unconfirmed link survives a restart of the store', async () => {
      const { code } = await store.holdUnconfirmedLink(unconfirmedFor(EMMA));
      store = await harness.reopen(store, keyRing, { now });
      expect(await store.confirmLink(EMMA, code)).toMatchObject({ outcome: 'confirmed' });
    });
  }
});

describe('upgrading a database from before unconfirmed links', () => {
  const keyRing = keyRingOf(randomKey());

  it('SQLite: existing links stay, and unconfirmed links work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-upgrade-'));
    const file = join(dir, 'switchboard.db');
    try {
      const old = new BetterSqlite3(file);
      migrateSqlite(
        old,
        SQLITE_MIGRATIONS.filter((migration) => migration.version === 1),
        Date.now,
      );
      old
        .prepare(
          'INSERT INTO links (user_key, account_id, extension_id, extension_number, name, email, linked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(EMMA, johnSmith.accountId, johnSmith.extensionId, johnSmith.extensionNumber, johnSmith.name, null, 1);
      old.close();
      const store = await openStore(file, keyRing);
      try {
        expect(await store.getLink(EMMA)).toMatchObject({ name: johnSmith.name });
        const { code } = await store.holdUnconfirmedLink(unconfirmedFor(EMMA));
        expect(await store.confirmLink(EMMA, code)).toMatchObject({ outcome: 'confirmed' });
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL: existing links stay, and unconfirmed links work', async () => {
    const schema = await createTestSchema();
    const pool = new pg.Pool({ connectionString: schema.url(), max: 1 });
    try {
      await migratePostgres(
        pool,
        POSTGRES_MIGRATIONS.filter((migration) => migration.version === 1),
        advisoryLockKey('migrations', 'upgrade-test'),
        Date.now,
      );
      await pool.end();
      await schema.admin.query(
        'INSERT INTO links (user_key, account_id, extension_id, extension_number, name, email, linked_at) VALUES ($1, $2, $3, $4, $5, NULL, 1)',
        [EMMA, johnSmith.accountId, johnSmith.extensionId, johnSmith.extensionNumber, johnSmith.name],
      );
      const store = await openStore(schema.url(), keyRing, { maxConnections: 2, maxLockConnections: 1 });
      try {
        expect(await store.getLink(EMMA)).toMatchObject({ name: johnSmith.name });
        const { code } = await store.holdUnconfirmedLink(unconfirmedFor(PAUL));
        expect(await store.confirmLink(PAUL, code)).toMatchObject({ outcome: 'confirmed' });
        const { rows } = await schema.admin.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((row) => row.version)).toEqual(POSTGRES_MIGRATIONS.map((migration) => migration.version));
      } finally {
        await store.close();
      }
    } finally {
      await schema.drop();
    }
  });
});

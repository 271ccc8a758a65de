import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorruptCiphertext, ExpiredState, InvalidState, UsedState } from '../../src/store/errors.ts';
import type { LinkStore, NewPendingLink } from '../../src/store/link-store.ts';
import { keyRingOf, randomKey, slicesOf, storeFixtures, type StoreHarness } from './store-fixtures.ts';

const MINUTE = 60_000;
const JOHN = 'slack:T0001:U0101';
const PAUL = 'slack:T0001:U0102';

function pendingFor(userKey: string): NewPendingLink {
  return {
    userKey,
    codeVerifier: `verifier-${Math.random().toString(36).slice(2)}-${'v'.repeat(40)}`,
    redirectUri: 'http://127.0.0.1:3000/oauth/ringcentral/callback',
    resume: {
      platform: 'slack',
      responseUrl: `https://hooks.slack.com/commands/T0001/1234/${Math.random().toString(36).slice(2)}secret`,
      command: '/rc',
      text: 'ext 101',
    },
  };
}

/** Replaces the character at `index` with a different one of the same alphabet. */
function withCharChanged(text: string, index: number): string {
  const replacement = text[index] === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

describe.each(storeFixtures)('$name pending links', (fixture) => {
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

  it('consuming returns the bound user, the code verifier, the redirect URI and the resume data', async () => {
    const pending = pendingFor(JOHN);
    const state = await store.createPendingLink(pending);
    expect(await store.consumePendingLink(state)).toEqual({
      ...pending,
      createdAt: clock,
      expiresAt: clock + 10 * MINUTE,
    });
  });

  it('a state works once: the second consume fails with UsedState', async () => {
    const state = await store.createPendingLink(pendingFor(JOHN));
    await store.consumePendingLink(state);
    await expect(store.consumePendingLink(state)).rejects.toBeInstanceOf(UsedState);
  });

  it('of two concurrent consumes exactly one wins', async () => {
    const state = await store.createPendingLink(pendingFor(JOHN));
    const results = await Promise.allSettled([store.consumePendingLink(state), store.consumePendingLink(state)]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toBeInstanceOf(UsedState);
  });

  it('of two connections consuming the same state at once exactly one wins', async () => {
    const other = await harness.open(keyRing, { now });
    const state = await store.createPendingLink(pendingFor(JOHN));
    const results = await Promise.allSettled([store.consumePendingLink(state), other.consumePendingLink(state)]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('a state is valid for just under 10 minutes', async () => {
    const state = await store.createPendingLink(pendingFor(JOHN));
    clock += 10 * MINUTE - 1;
    await expect(store.consumePendingLink(state)).resolves.toMatchObject({ userKey: JOHN });
  });

  it('a state expires after 10 minutes', async () => {
    const state = await store.createPendingLink(pendingFor(JOHN));
    clock += 10 * MINUTE;
    await expect(store.consumePendingLink(state)).rejects.toBeInstanceOf(ExpiredState);
  });

  it('an expired state is reported as expired even after its row was purged', async () => {
    const state = await store.createPendingLink(pendingFor(JOHN));
    clock += 11 * MINUTE;
    await store.createPendingLink(pendingFor(PAUL)); // purges expired rows
    await expect(store.consumePendingLink(state)).rejects.toBeInstanceOf(ExpiredState);
  });

  it('the time to live can be configured', async () => {
    const quick = await harness.open(keyRing, { now, pendingLinkTtlMs: MINUTE });
    const state = await quick.createPendingLink(pendingFor(JOHN));
    clock += MINUTE;
    await expect(quick.consumePendingLink(state)).rejects.toBeInstanceOf(ExpiredState);
  });

  it('a state with any character changed fails with InvalidState and leaves the original usable', async () => {
    const state = await store.createPendingLink(pendingFor(JOHN));
    for (let index = 0; index < state.length; index += 1) {
      if (state[index] === '.') continue;
      await expect(store.consumePendingLink(withCharChanged(state, index))).rejects.toBeInstanceOf(InvalidState);
    }
    await expect(store.consumePendingLink(state)).resolves.toMatchObject({ userKey: JOHN });
  });

  it("another pending link's sealed secret copied into a row does not open there (it is bound to its own row)", async () => {
    const johns = await store.createPendingLink(pendingFor(JOHN));
    const pauls = await store.createPendingLink(pendingFor(PAUL));
    await harness.copyPendingSecret(pauls.split('.')[0]!, johns.split('.')[0]!);
    await expect(store.consumePendingLink(johns)).rejects.toBeInstanceOf(CorruptCiphertext);
    await expect(store.consumePendingLink(pauls)).resolves.toMatchObject({ userKey: PAUL });
  });

  it('a state cannot be given a later expiry', async () => {
    const state = await store.createPendingLink(pendingFor(JOHN));
    const [id, , signature] = state.split('.');
    const extended = `${id}.${(clock + 24 * 60 * MINUTE).toString(36)}.${signature}`;
    clock += 10 * MINUTE;
    await expect(store.consumePendingLink(extended)).rejects.toBeInstanceOf(InvalidState);
  });

  it('garbage and states signed with another key fail with InvalidState', async () => {
    const stranger = await harness.open(keyRingOf(randomKey()), { now });
    const foreign = await stranger.createPendingLink(pendingFor(JOHN));
    await expect(store.consumePendingLink(foreign)).rejects.toBeInstanceOf(InvalidState);
    for (const garbage of ['', 'state', 'a.b.c', `${'x'.repeat(24)}.1.${'y'.repeat(43)}`]) {
      await expect(store.consumePendingLink(garbage)).rejects.toBeInstanceOf(InvalidState);
    }
  });

  it('a separate state secret signs states instead of the encryption key', async () => {
    const withSecret = await harness.open(keyRing, { now, stateSecret: 'a separate signing secret' });
    const state = await withSecret.createPendingLink(pendingFor(JOHN));
    await expect(store.consumePendingLink(state)).rejects.toBeInstanceOf(InvalidState);
    await expect(withSecret.consumePendingLink(state)).resolves.toMatchObject({ userKey: JOHN });
  });

  it('a state bound to one user is refused for another and stays usable for its owner', async () => {
    const state = await store.createPendingLink(pendingFor(JOHN));
    await expect(store.consumePendingLink(state, { userKey: PAUL })).rejects.toBeInstanceOf(InvalidState);
    await expect(store.consumePendingLink(state, { userKey: JOHN })).resolves.toMatchObject({ userKey: JOHN });
  });

  it('a state issued before a key rotation still works after it', async () => {
    const state = await store.createPendingLink(pendingFor(JOHN));
    const rotated = await harness.reopen(store, keyRingOf(randomKey(), keyRing.current), { now });
    await expect(rotated.consumePendingLink(state)).resolves.toMatchObject({ userKey: JOHN });
  });

  it('the code verifier and resume data are not stored in clear', async () => {
    const pending = pendingFor(JOHN);
    await store.createPendingLink(pending);
    const raw = await harness.rawDump();
    expect(raw).toContain(pending.redirectUri);
    const resume = pending.resume as { responseUrl: string };
    for (const slice of [...slicesOf(pending.codeVerifier), ...slicesOf(resume.responseUrl)]) {
      expect(raw).not.toContain(slice);
    }
  });

  it('resume data must be small JSON', async () => {
    await expect(store.createPendingLink({ ...pendingFor(JOHN), resume: { blob: 'x'.repeat(20_000) } })).rejects.toThrow(/small JSON/);
    await expect(store.createPendingLink({ ...pendingFor(JOHN), resume: { at: new Date() } as never })).rejects.toThrow();
  });
});

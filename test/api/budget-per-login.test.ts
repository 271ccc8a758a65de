import { afterEach, describe, expect, it } from 'vitest';
import { HeldBack } from '../../src/api/errors.ts';
import type { ApiHarness } from './harness.ts';
import { linkUser, rejectionOf, startHarness } from './harness.ts';

/*
 * RingCentral counts requests per login (and app), not per chat account. One person linked from Slack and from Teams
 * (or from two workspaces) to the same RingCentral login spends one budget: the pacer keys it by the login the tokens
 * belong to. The sandbox allows 3 Light requests a minute here, and the client starts from the same count.
 */

let harness: ApiHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('one RingCentral budget per login', () => {
  it('two chat accounts linked to the same login share it: the fourth request is held back, never sent into a 429', async () => {
    harness = await startHarness({ rateLimits: { limits: { Light: 3 } } }, { limits: { groupLimits: { Light: 3 } } });
    await linkUser(harness.client, harness.store, 'slack:T1:U102', '102');
    await linkUser(harness.client, harness.store, 'teams:tenant:aad-102', '102');
    const [slack, teams] = [harness.client.forUser('slack:T1:U102'), harness.client.forUser('teams:tenant:aad-102')];
    await harness.control.resetStats();

    await slack.readAccount({ deadlineMs: 1_000 });
    await teams.readAccount({ deadlineMs: 1_000 });
    await slack.readAccount({ deadlineMs: 1_000 });
    expect(await rejectionOf(teams.readAccount({ deadlineMs: 1_000 }))).toBeInstanceOf(HeldBack);

    const stats = await harness.control.stats();
    expect(stats.total).toBe(3);
    expect(stats.rateLimited).toBe(0);
  });

  it('two different logins keep a budget each', async () => {
    harness = await startHarness({ rateLimits: { limits: { Light: 3 } } }, { limits: { groupLimits: { Light: 3 } } });
    await linkUser(harness.client, harness.store, 'slack:T1:U102', '102');
    await linkUser(harness.client, harness.store, 'slack:T1:U103', '103');
    const [paul, emma] = [harness.client.forUser('slack:T1:U102'), harness.client.forUser('slack:T1:U103')];
    for (let call = 0; call < 3; call += 1) await paul.readAccount({ deadlineMs: 1_000 });
    for (let call = 0; call < 3; call += 1) await emma.readAccount({ deadlineMs: 1_000 });
    expect(await rejectionOf(paul.readAccount({ deadlineMs: 1_000 }))).toBeInstanceOf(HeldBack);
    expect((await harness.control.stats()).rateLimited).toBe(0);
  });
});

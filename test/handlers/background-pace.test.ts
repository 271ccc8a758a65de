import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserApi } from '../../src/api/client.ts';
import { BackgroundPace } from '../../src/handlers/background-pace.ts';
import type { ApiHarness } from '../api/harness.ts';
import { linkUser, startHarness } from '../api/harness.ts';

/*
 * A background build's pages go out only while the user keeps slots of the group for their own commands, unless a
 * command of theirs waits for that very build: then every free slot may go to it, and only free ones. The user's headroom is what the real client learnt from the sandbox's
 * X-Rate-Limit headers, under a Medium limit of 15 a minute.
 */

const MEDIUM_LIMIT = 15;
const RESERVE = 10;

let harness: ApiHarness;
let api: UserApi;

beforeAll(async () => {
  harness = await startHarness({ rateLimits: { limits: { Medium: MEDIUM_LIMIT } } });
  await linkUser(harness.client, harness.store, 'slack:T1:alice', '101');
  api = harness.client.forUser('slack:T1:alice');
  // Ten Medium calls of the user's own: 5 slots left this minute, fewer than the 10 a build keeps back.
  for (let call = 0; call < MEDIUM_LIMIT - 5; call += 1) await api.listExtensions({ extensionNumber: '102' });
  expect(api.headroom('Medium')).toBe(5);
});

afterAll(async () => {
  await harness?.close();
});

/** Whether the pace gives a turn within `ms`. */
async function turnWithin(pace: BackgroundPace, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const turned = pace.turn().then(() => true as const);
  try {
    return await Promise.race([turned, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('BackgroundPace', () => {
  it('keeps the reserved slots for the user while nobody waits for the build', async () => {
    const pace = new BackgroundPace(api, { group: 'Medium', reserve: RESERVE, pagesPerMinute: 30 });
    expect(await turnWithin(pace, 2_500)).toBe(false);
  });

  it('spends them, past its pages-a-minute bound, while a command of the user waits for the build', async () => {
    const pace = new BackgroundPace(api, { group: 'Medium', reserve: RESERVE, pagesPerMinute: 2 }, () => true);
    for (let page = 1; page <= 3; page += 1) expect(await turnWithin(pace, 500), `page ${page}`).toBe(true);
  });

  it('never goes past the free slots, awaited or not', async () => {
    for (let call = 0; call < 5; call += 1) await api.listExtensions({ extensionNumber: '102' });
    expect(api.headroom('Medium')).toBe(0);
    const pace = new BackgroundPace(api, { group: 'Medium', reserve: RESERVE, pagesPerMinute: 30 }, () => true);
    expect(await turnWithin(pace, 2_500)).toBe(false);
  });
});

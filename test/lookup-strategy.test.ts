import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryIndexCache } from '../src/handlers/directory.ts';
import { RequesterCache } from '../src/handlers/requester-cache.ts';
import type { StatsSnapshot } from '../src/sandbox/stats.ts';
import { startSandbox } from '../src/sandbox/server.ts';
import type { Sandbox } from '../src/sandbox/server.ts';
import { control } from './support/sandbox.ts';
import type { SlackTestStack } from './support/slack-stack.ts';
import { answer, fieldsOf, linkUser, startSlackTestStack } from './support/slack-stack.ts';

/*
 * The benchmark's naive strategy is Switchboard's own parts with their memory switched off: the same commands, the
 * same answers, but every command pays its RingCentral calls again, the directory is paged through on every /whois
 * and nothing paces the calls. Both bots run against one sandbox, as in the benchmark.
 */

let sandbox: Sandbox;
let cached: SlackTestStack;
let naive: SlackTestStack;

beforeAll(async () => {
  sandbox = await startSandbox({ rateLimits: { scale: 100 } });
  cached = await startSlackTestStack({ sharedSandbox: sandbox });
  naive = await startSlackTestStack({ sharedSandbox: sandbox, strategy: 'naive' });
  await linkUser(cached, 'U103', '103');
  await linkUser(naive, 'U103', '103');
});

afterAll(async () => {
  await naive?.close();
  await cached?.close();
  await sandbox?.close();
});

async function callsDuring(work: () => Promise<unknown>): Promise<StatsSnapshot> {
  await control(sandbox).resetStats();
  await work();
  return control(sandbox).stats();
}

describe('the naive strategy', () => {
  it('answers a repeated /ext with the same card as Switchboard, paying its calls every time', async () => {
    const first = await callsDuring(async () =>
      expect(fieldsOf(await answer(naive, 'U103', '/ext 102'))).toContainEqual(['Extension', '102']),
    );
    const repeat = await callsDuring(async () =>
      expect(fieldsOf(await answer(naive, 'U103', '/ext 102'))).toContainEqual(['Extension', '102']),
    );
    expect(first.total).toBeGreaterThan(0);
    expect(repeat.byOperation).toEqual(first.byOperation);

    await answer(cached, 'U103', '/ext 102');
    const cachedRepeat = await callsDuring(() => answer(cached, 'U103', '/ext 102'));
    expect(cachedRepeat.total).toBe(0);
  });

  it('pages through the whole directory on every /whois, where Switchboard keeps its index', async () => {
    const pagesPerBuild = (await callsDuring(() => answer(naive, 'U103', '/whois +16503316252'))).byOperation['listDirectoryEntries'] ?? 0;
    expect(pagesPerBuild).toBeGreaterThan(0);
    const again = await callsDuring(() => answer(naive, 'U103', '/whois +16505550106'));
    expect(again.byOperation['listDirectoryEntries']).toBe(pagesPerBuild);

    await answer(cached, 'U103', '/whois +16503316252');
    const cachedAgain = await callsDuring(() => answer(cached, 'U103', '/whois +16505550106'));
    expect(cachedAgain.byOperation['listDirectoryEntries'] ?? 0).toBe(0);
  });

  it('does not pace its calls: a burst the limits refuse meets 429s', async () => {
    // Light: 4 a window. A naive /myforwarding costs 2 Light calls (account, forwarding numbers); five cost 10.
    await control(sandbox).config({ rateLimits: { limits: { Light: 4 }, windowSeconds: 2, penaltySeconds: 1 } });
    try {
      // One command first, so a pacer (if there were one) would have read the limit from the headers.
      await answer(naive, 'U103', '/myforwarding');
      const burst = await callsDuring(() => Promise.all(Array.from({ length: 5 }, () => answer(naive, 'U103', '/myforwarding'))));
      expect(burst.rateLimited).toBeGreaterThan(0);
    } finally {
      await control(sandbox).config({ rateLimits: { scale: 100 } });
    }
  });
});

describe('caches of size 0 keep nothing', () => {
  const requester = { accountId: '1', extensionId: '2' };

  it('a RequesterCache of 0 entries loads on every get', async () => {
    const cache = new RequesterCache({ ttlMs: 60_000, maxEntries: 0 });
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get(requester, 'k', load)).toBe(1);
    expect(await cache.get(requester, 'k', load)).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('a DirectoryIndexCache of 0 entries keeps no index and shares no load', async () => {
    const indexes = new DirectoryIndexCache(0);
    const index = {
      entries: [],
      nameWords: [],
      byId: new Map(),
      byNumber: new Map(),
      byExtensionNumber: new Map(),
      pageEtags: [],
      checkedAt: 0,
    };
    indexes.set(requester, index);
    expect(indexes.get(requester)).toBeUndefined();
    let loads = 0;
    const load = async () => {
      loads += 1;
      return index;
    };
    await Promise.all([indexes.loadOnce(requester, load), indexes.loadOnce(requester, load)]);
    expect(loads).toBe(2);
    expect(indexes.usage).toEqual({ indexes: 0, entries: 0, requesters: 0 });
  });
});

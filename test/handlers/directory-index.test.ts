import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSeedPath } from '../../src/sandbox/seed.ts';
import type { SeedExtension, SeedInput } from '../../src/sandbox/seed.ts';
import type { SlackTestStack } from '../support/slack-stack.ts';
import { answer, fieldsOf, linkUser, startSlackTestStack, titleOf } from '../support/slack-stack.ts';
import { linkGeneratedRequesters, slackIdOf } from '../support/generated-requesters.ts';

/*
 * The requesters of one account share a directory index only as RingCentral allows: a requester without an index asks,
 * with their own token, whether each page of the account's latest index is what they would be shown (If-None-Match),
 * and uses it only on 304s for every page. These tests count each requester's own calls and check what they are told.
 */

let stack: SlackTestStack;

beforeAll(async () => {
  stack = await startSlackTestStack();
});

afterAll(async () => {
  await stack?.close();
});

const pagesOf = (stats: Awaited<ReturnType<SlackTestStack['control']['stats']>>, extensionId: number) =>
  stats.byUser[String(extensionId)]?.['listDirectoryEntries'] ?? 0;

describe('directory indexes shared between requesters', () => {
  it('a second requester makes the directory calls with their own login, and one index serves both', async () => {
    await linkUser(stack, 'U101', '101');
    await linkUser(stack, 'U103', '103');
    const [admin, emma] = ['101', '103'].map(
      (number) => stack.sandbox.seed.extensions.find((extension) => extension.extensionNumber === number)!.id,
    );

    await stack.control.resetStats();
    expect(fieldsOf(await answer(stack, 'U101', '/whois +16505550106'))).toContainEqual(['Belongs to', 'Sophia Martinez']);
    expect(fieldsOf(await answer(stack, 'U103', '/whois +16505550106'))).toContainEqual(['Belongs to', 'Sophia Martinez']);
    const stats = await stack.control.stats();

    expect(pagesOf(stats, admin!)).toBeGreaterThan(0);
    expect(pagesOf(stats, emma!)).toBe(pagesOf(stats, admin!));
    expect(stack.bot.services.indexes.usage).toMatchObject({ indexes: 1, requesters: 2 });
  });

  it('an index RingCentral no longer confirms is not used: a requester after a change sees the change', async () => {
    await answer(stack, 'U101', '/whois +16505550106');
    const before = stack.bot.services.indexes.usage.indexes;

    // A new colleague with a direct number; replacing the data ends every session, so Grace links afresh.
    const seed = JSON.parse(await readFile(demoSeedPath, 'utf8')) as SeedInput;
    seed.extensions.push({
      id: 435999008,
      extensionNumber: '199',
      type: 'User',
      status: 'Enabled',
      name: 'Ada Newcomer',
      contact: { firstName: 'Ada', lastName: 'Newcomer', email: 'ada.newcomer@mycompany.com' },
      admin: false,
    });
    seed.phoneNumbers!.push({
      id: 723469900,
      phoneNumber: '+16505550177',
      paymentType: 'Local',
      type: 'VoiceFax',
      usageType: 'DirectNumber',
      features: ['CallerId'],
      extensionNumber: '199',
      status: 'Normal',
    });
    await stack.control.setSeed(seed);

    await linkUser(stack, 'U120', '120');
    const found = await answer(stack, 'U120', '/whois +16505550177');
    expect(titleOf(found)).not.toContain('is not in your company directory');
    expect(fieldsOf(found)).toContainEqual(['Belongs to', 'Ada Newcomer']);
    expect(stack.bot.services.indexes.usage.indexes).toBe(before + 1);
  });

  it("two requesters asking at the same time each make their own directory calls: neither rides on the other's", async () => {
    await linkUser(stack, 'U104', '104');
    await linkUser(stack, 'U105', '105');
    const [olivia, liam] = ['104', '105'].map(
      (number) => stack.sandbox.seed.extensions.find((extension) => extension.extensionNumber === number)!.id,
    );
    await stack.control.resetStats();

    const answers = await Promise.all(['U104', 'U105'].map((user) => answer(stack, user, '/whois +16505550106')));

    for (const found of answers) expect(fieldsOf(found)).toContainEqual(['Belongs to', 'Sophia Martinez']);
    const stats = await stack.control.stats();
    expect(pagesOf(stats, olivia!), "calls with the first requester's login").toBeGreaterThan(0);
    expect(pagesOf(stats, liam!), "calls with the second requester's login").toBeGreaterThan(0);
  });
});

describe('a directory of several pages', () => {
  // The demo company and 2,100 departments: over 2,000 entries, so the index spans two pages of listDirectoryEntries,
  // each with its own ETag. Kept small in bytes, since the control API takes a seed of at most 1 MB.
  let paged: SlackTestStack;
  let seed: SeedInput;

  beforeAll(async () => {
    seed = JSON.parse(await readFile(demoSeedPath, 'utf8')) as SeedInput;
    for (let room = 0; room < 2_100; room += 1) {
      seed.extensions.push({
        id: 600_000_008 + room * 1_000,
        extensionNumber: String(30_000 + room),
        type: 'Department',
        name: `Room ${room}`,
      });
    }
    paged = await startSlackTestStack({ sandbox: { seed } });
  });

  afterAll(async () => {
    await paged?.close();
  });

  it('an index whose last page changed is not shared: every page is confirmed, not only the first', async () => {
    await linkUser(paged, 'U101', '101');
    expect(fieldsOf(await answer(paged, 'U101', '/whois +16505550106'))).toContainEqual(['Belongs to', 'Sophia Martinez']);
    expect(paged.bot.services.indexes.usage.indexes).toBe(1);

    // The last room becomes a newcomer with a direct number: the first page (the count of entries included) and its
    // ETag stay as they were; only the last page changes.
    const last = seed.extensions[seed.extensions.length - 1]!;
    seed.extensions[seed.extensions.length - 1] = {
      ...last,
      type: 'User',
      name: 'Ada Newcomer',
      contact: { firstName: 'Ada', lastName: 'Newcomer' },
    };
    seed.phoneNumbers!.push({
      id: 723_469_900,
      phoneNumber: '+16505550177',
      paymentType: 'Local',
      type: 'VoiceFax',
      usageType: 'DirectNumber',
      extensionNumber: last.extensionNumber,
    });
    await paged.control.setSeed(seed);

    await linkUser(paged, 'U103', '103');
    await paged.control.resetStats();
    const found = await answer(paged, 'U103', '/whois +16505550177');
    expect(fieldsOf(found)).toContainEqual(['Belongs to', 'Ada Newcomer']);
    expect((await paged.control.stats()).byOperation['listDirectoryEntries']).toBeGreaterThanOrEqual(2);
  });
});

describe('revalidating an index past its freshness', () => {
  let fast: SlackTestStack;

  beforeAll(async () => {
    // Answers and indexes are fresh for 2 s, so the test need not wait five minutes.
    fast = await startSlackTestStack({ env: { CACHE_TTL_SECONDS: '2' } });
    await linkUser(fast, 'U101', '101');
  });

  afterAll(async () => {
    await fast?.close();
  });

  it('answers from the index it has while RingCentral confirms it in the background: nobody waits for the revalidation', async () => {
    expect(fieldsOf(await answer(fast, 'U101', '/whois +16505550106'))).toContainEqual(['Belongs to', 'Sophia Martinez']);
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    // The revalidation's request never answers: a revalidation in the foreground would hold the answer to its deadline.
    await fast.control.faults({ kind: 'hang', operation: 'listDirectoryEntries', count: 1 });
    try {
      const started = performance.now();
      const message = await answer(fast, 'U101', '/whois +16505550106');
      expect(fieldsOf(message)).toContainEqual(['Belongs to', 'Sophia Martinez']);
      expect(performance.now() - started).toBeLessThan(3_000);
      const admin = fast.sandbox.seed.extensions.find((extension) => extension.extensionNumber === '101')!;
      expect(fast.bot.services.indexes.isLoading({ accountId: String(fast.sandbox.seed.account.id), extensionId: String(admin.id) })).toBe(
        true,
      );
    } finally {
      await fast.control.clearFaults();
    }
  });
});

/**
 * A stack of its own with a generated company of 12,000 extensions: 6 directory pages, more than the 5 a lookup reads
 * in the foreground, so indexes are built in the background. Two requesters are linked, each RingCentral call takes
 * 150 ms (so a build is still under way when a colleague asks) and the sandbox's counts start from zero.
 */
async function largeDirectoryScene(stack: SlackTestStack) {
  const seed = stack.sandbox.seed;
  const { admin, standard } = await linkGeneratedRequesters(stack, seed);
  await stack.control.config({ latencyMs: 150 });
  await stack.control.resetStats();
  const indexes = stack.bot.services.indexes;
  const indexOf = (extension: SeedExtension) => indexes.loading({ accountId: String(seed.account.id), extensionId: String(extension.id) });
  /** Each requester's directory pages asked for, and how many of them RingCentral answered 304. */
  const pageCounts = async () => {
    const stats = await stack.control.stats();
    return (extension: SeedExtension) => ({
      pages: stats.byUser[String(extension.id)]?.['listDirectoryEntries'] ?? 0,
      notModified: stats.notModifiedByUser[String(extension.id)] ?? 0,
    });
  };
  return { seed, admin, standard, indexes, indexOf, pageCounts };
}

const fullName = (extension: SeedExtension) => `${extension.contact!.firstName} ${extension.contact!.lastName}`;

describe('a directory too large to read in the foreground', () => {
  let large: SlackTestStack;

  beforeAll(async () => {
    large = await startSlackTestStack({ sandbox: { generate: 12_000 } });
  });

  afterAll(async () => {
    await large?.close();
  });

  it('a second requester follows the build under way, confirming each page with their own login, rather than build a second index', async () => {
    const { seed, admin: first, standard: second, indexes, indexOf, pageCounts } = await largeDirectoryScene(large);

    await answer(large, slackIdOf(first), `/ext ${fullName(second)}`);
    expect(indexes.buildUnderWay(String(seed.account.id)), 'the first build is under way').toBeDefined();
    await answer(large, slackIdOf(second), `/ext ${fullName(first)}`);
    const [firstIndex, secondIndex] = await Promise.all([indexOf(first), indexOf(second)]);

    const counts = await pageCounts();
    expect(counts(first)).toEqual({ pages: 6, notModified: 0 });
    // Every page asked for with the second requester's own token, and answered 304: nothing read twice.
    expect(counts(second)).toEqual({ pages: 6, notModified: 6 });
    expect(secondIndex?.entries).toBe(firstIndex?.entries);
    expect(indexes.usage).toMatchObject({ indexes: 1, requesters: 2 });
  });

  // A stack of its own: nobody of the account has listed the directory, so each first lookup reads page 1 to learn
  // its size, and the two reads are in flight together.
  it('two first requesters at the same moment build one index: the second follows the first, its own first page confirmed by its ETag, the rest by 304s', async () => {
    const fresh = await startSlackTestStack({ sandbox: { generate: 12_000 } });
    try {
      const { admin, standard, indexes, indexOf, pageCounts } = await largeDirectoryScene(fresh);

      const answers = await Promise.all([
        answer(fresh, slackIdOf(admin), `/ext ${fullName(standard)}`),
        answer(fresh, slackIdOf(standard), `/ext ${fullName(admin)}`),
      ]);
      // Each is answered (a card, or a list where others share the name), from directory search while the index is built.
      expect(titleOf(answers[0]!)).toContain(fullName(standard));
      expect(titleOf(answers[1]!)).toContain(fullName(admin));
      const [adminIndex, standardIndex] = await Promise.all([indexOf(admin), indexOf(standard)]);

      const counts = await pageCounts();
      // Each read page 1 in full; one of them read pages 2-6, the other had each confirmed with a 304.
      expect([counts(admin).pages, counts(standard).pages]).toEqual([6, 6]);
      expect([counts(admin).notModified, counts(standard).notModified].sort()).toEqual([0, 5]);
      expect(standardIndex?.entries).toBe(adminIndex?.entries);
      expect(indexes.usage).toMatchObject({ indexes: 1, requesters: 2 });
    } finally {
      await fresh.close();
    }
  });
});

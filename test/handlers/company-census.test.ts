import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserApi } from '../../src/api/client.ts';
import { countExtensions, EXTENSION_GROUPS, numberCensus } from '../../src/handlers/company-census.ts';
import { generateCompany } from '../../src/sandbox/generate.ts';
import type { Seed } from '../../src/sandbox/seed.ts';
import { loadDemoSeed } from '../../src/sandbox/seed.ts';
import type { ApiHarness } from '../api/harness.ts';
import { linkUser, startHarness } from '../api/harness.ts';

/*
 * The administrator's counts, through the real client and the real sandbox, against the seed itself: a small company
 * is counted from one page of each list, a large one from RingCentral's paging totals without paging through it.
 */

function expectedExtensionCounts(seed: Seed) {
  const byStatus: Record<string, number> = {};
  const byGroup: Record<string, number> = {};
  for (const extension of seed.extensions) {
    const status = ['Enabled', 'Disabled', 'NotActivated', 'Unassigned'].includes(extension.status) ? extension.status : 'Other';
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    const group = EXTENSION_GROUPS.find((candidate) => (candidate.types as readonly string[]).includes(extension.type))?.key ?? 'other';
    byGroup[group] = (byGroup[group] ?? 0) + 1;
  }
  return { total: seed.extensions.length, byStatus, byGroup };
}

function expectedNumbers(seed: Seed) {
  const byUsage: Record<string, number> = {};
  for (const number of seed.phoneNumbers) byUsage[number.usageType] = (byUsage[number.usageType] ?? 0) + 1;
  const unassigned = seed.phoneNumbers.filter((number) => number.extensionNumber === undefined).map((number) => number.phoneNumber);
  return { total: seed.phoneNumbers.length, byUsage, unassigned };
}

async function census(harness: ApiHarness, extensionNumber: string) {
  const userKey = `test:${extensionNumber}`;
  await linkUser(harness.client, harness.store, userKey, extensionNumber);
  const api: UserApi = harness.client.forUser(userKey);
  await harness.control.resetStats();
  const [extensions, numbers] = await Promise.all([countExtensions(api), numberCensus(api)]);
  return { extensions, numbers, stats: await harness.control.stats() };
}

describe('a company of 52 extensions and 42 numbers (the demo)', () => {
  let harness: ApiHarness;
  let seed: Seed;
  beforeAll(async () => {
    seed = await loadDemoSeed();
    harness = await startHarness();
  });
  afterAll(() => harness?.close());

  it('is counted exactly from one page of each list: 1 listExtensions and 1 listAccountPhoneNumbers', async () => {
    const { extensions, numbers, stats } = await census(harness, '101');
    expect(extensions).toEqual(expectedExtensionCounts(seed));
    const expected = expectedNumbers(seed);
    expect(numbers.total).toBe(expected.total);
    expect(numbers.byUsage).toEqual(expected.byUsage);
    expect(numbers.unassigned.map((record) => record.phoneNumber).sort()).toEqual([...expected.unassigned].sort());
    expect(numbers.unassigned.length).toBeGreaterThan(0);
    expect(stats.byOperation).toEqual({ listExtensions: 1, listAccountPhoneNumbers: 1 });
  });
});

describe('a company of 2,500 extensions (more than one page of each list)', () => {
  let harness: ApiHarness;
  let seed: Seed;
  beforeAll(async () => {
    seed = generateCompany({ extensions: 2500, seedNumber: 7 });
    harness = await startHarness({ seed });
  });
  afterAll(() => harness?.close());

  it('is counted from paging totals: 10 listExtensions and 3 listAccountPhoneNumbers, however large, and the counts are exact', async () => {
    expect(seed.extensions.length).toBeGreaterThan(1000);
    expect(seed.phoneNumbers.length).toBeGreaterThan(1000);
    const admin = seed.extensions.find((extension) => extension.admin && extension.status === 'Enabled' && extension.type === 'User')!;
    const { extensions, numbers, stats } = await census(harness, admin.extensionNumber);

    expect(extensions).toEqual(expectedExtensionCounts(seed));
    const expected = expectedNumbers(seed);
    expect(numbers.total).toBe(expected.total);
    expect(numbers.byUsage).toEqual(expected.byUsage);
    expect(numbers.unassigned.map((record) => record.phoneNumber).sort()).toEqual([...expected.unassigned].sort());

    // One page of 1,000, then one perPage=1 call per status (4) and per type group (5); never a walk through 2,500.
    expect(stats.byOperation.listExtensions).toBe(10);
    // One page of 1,000, the direct numbers' total, and one page of the company's own numbers.
    expect(stats.byOperation.listAccountPhoneNumbers).toBe(3);
    expect(stats.total).toBe(13);
  });
});

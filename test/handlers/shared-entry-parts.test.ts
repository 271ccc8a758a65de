import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSeedPath } from '../../src/sandbox/seed.ts';
import type { SeedInput } from '../../src/sandbox/seed.ts';
import type { SlackTestStack } from '../support/slack-stack.ts';
import { answer, fieldsOf, linkUser, startSlackTestStack } from '../support/slack-stack.ts';

/*
 * A directory index holds each entry's account and site once, not a copy per entry: the same objects, with the
 * values RingCentral sent each entry. Checked on an index built from the real sandbox for a real requester.
 */

let stack: SlackTestStack;
const SITES = {
  north: { id: '62000501008', name: 'North Office', code: 'N1' },
  south: { id: '62000502008', name: 'South Office' },
};

beforeAll(async () => {
  stack = await startSlackTestStack();
  const seed = JSON.parse(await readFile(demoSeedPath, 'utf8')) as SeedInput;
  // Alternate people between two sites, so that each site's entries are not next to each other in a page.
  seed.extensions.forEach((extension, position) => {
    if (extension.type === 'User') extension.site = position % 2 === 0 ? SITES.north : SITES.south;
  });
  await stack.control.setSeed(seed);
  await linkUser(stack, 'U103', '103');
});

afterAll(async () => {
  await stack?.close();
});

describe("a directory index's shared entry parts", () => {
  it('holds one account object and one object per site for all entries, with the values each entry was sent', async () => {
    expect(fieldsOf(await answer(stack, 'U103', '/whois +16505550106'))).toContainEqual(['Belongs to', 'Sophia Martinez']);
    const seed = stack.sandbox.seed;
    const emma = seed.extensions.find((extension) => extension.extensionNumber === '103')!;
    const index = stack.bot.services.indexes.get({ accountId: String(seed.account.id), extensionId: String(emma.id) });
    expect(index).toBeDefined();
    const entries = index!.entries;

    const accounts = new Set(entries.map((entry) => entry.account));
    expect(accounts.size).toBe(1);
    expect([...accounts][0]).toMatchObject({ id: String(seed.account.id), companyName: seed.account.companyName });

    const withSite = entries.filter((entry) => entry.site !== undefined);
    expect(withSite.length).toBeGreaterThan(10);
    expect(new Set(withSite.map((entry) => entry.site)).size).toBe(2);
    for (const entry of withSite) {
      const extension = seed.extensions.find((candidate) => String(candidate.id) === entry.id)!;
      expect(entry.site).toEqual(extension.site);
    }
  });
});

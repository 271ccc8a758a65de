import { describe, expect, it } from 'vitest';
import type { AccountPhoneNumber } from '../../src/api/schemas.ts';
import { CompanyNumberIndexBuilder, CompanyNumberIndexes } from '../../src/handlers/company-numbers.ts';

/*
 * The bound on administrators' company number lists counts the lists held and the numbers reads in progress expect,
 * so many administrators starting reads at once cannot hold many lists. A read a lookup needs pushes out the least
 * recently used lists; one that only saves a card a call gets room only where nothing has to go.
 */

const requester = (extensionId: string) => ({ accountId: '1', extensionId });

/** An index of `count` numbers, as the builder makes it from the list's records. */
function indexOf(count: number) {
  const builder = new CompanyNumberIndexBuilder();
  const records: AccountPhoneNumber[] = Array.from({ length: count }, (_, position) => ({
    id: position + 1,
    phoneNumber: `+1650555${String(position).padStart(4, '0')}`,
    usageType: 'DirectNumber',
    extension: { id: String(100 + (position % 3)), extensionNumber: String(100 + (position % 3)) },
  }));
  builder.add(records);
  return builder.build(0);
}

const progress = () => ({ pagesRead: 0, totalPages: 1, readyAt: 0 });

describe('the bound on company number lists', () => {
  it('counts a read in progress: a second read that only saves calls finds no room until the first is done', async () => {
    const indexes = new CompanyNumberIndexes(1_000);
    const first = requester('101');
    expect(indexes.reserve(first, 800, false)).toBe(true);
    let finish!: () => void;
    const loading = indexes.loadOnce(first, progress(), async () => {
      await new Promise<void>((resolve) => (finish = resolve));
      const index = indexOf(800);
      indexes.set(first, index);
      return index;
    });
    expect(indexes.usage.reserved).toBe(800);
    expect(indexes.reserve(requester('102'), 800, false)).toBe(false);

    finish();
    await loading.promise;
    expect(indexes.usage).toEqual({ indexes: 1, numbers: 800, reserved: 0 });
    // Held now, the first list still leaves no room for a card's read of another administrator.
    expect(indexes.reserve(requester('102'), 800, false)).toBe(false);
  });

  it("a lookup's read pushes out the least recently used lists, never the reader's own, which it replaces", () => {
    const indexes = new CompanyNumberIndexes(1_000);
    indexes.set(requester('101'), indexOf(400));
    indexes.set(requester('102'), indexOf(400));
    indexes.get(requester('101')); // 102 is now the least recently used
    expect(indexes.reserve(requester('103'), 500, true)).toBe(true);
    expect(indexes.get(requester('102'))).toBeUndefined();
    expect(indexes.get(requester('101'))?.byNumber.size).toBe(400);

    // Reading again, 101's own 400 do not count against their successor: 103's 500 reserved and these 500 fit.
    expect(indexes.reserve(requester('101'), 500, false)).toBe(true);
    expect(indexes.get(requester('101'))?.byNumber.size).toBe(400);
  });

  it('keeps each number once by its E.164 and each extension’s numbers in the list’s order', () => {
    const index = indexOf(7);
    expect(index.byNumber.size).toBe(7);
    expect(index.byExtension.get('100')?.map((number) => number.phoneNumber)).toEqual(['+16505550000', '+16505550003', '+16505550006']);
    // What a card does not show is not kept.
    expect(Object.keys(index.byNumber.get('+16505550000')!).sort()).toEqual(['extension', 'id', 'phoneNumber', 'usageType']);
  });
});

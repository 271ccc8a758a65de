import type { UserApi } from '../api/client.ts';
import { hasNextPage } from '../api/paging.ts';
import { NON_DIRECT_USAGE_TYPES } from '../api/phone-numbers.ts';
import type { AccountPhoneNumber, ExtensionStatus, ExtensionType } from '../api/schemas.ts';

/*
 * How many extensions and numbers an account has, counted with as few calls as RingCentral allows. One page of 1,000
 * answers most companies whole (one call each); a larger company is counted from RingCentral's paging totals, one
 * `perPage=1` call per filter, instead of paging through 100,000 extensions. Administrators only call these.
 */

const CENSUS_PAGE_SIZE = 1000;
const MAX_NUMBER_PAGES = 100;

/** Extension types counted together: a card line per group, "Other" for the rest. */
export const EXTENSION_GROUPS = [
  { key: 'people', types: ['User', 'DigitalUser', 'VirtualUser', 'FaxUser'] },
  { key: 'callQueues', types: ['Department'] },
  { key: 'ivrMenus', types: ['IvrMenu'] },
  { key: 'messagesAndAnnouncements', types: ['Voicemail', 'Announcement'] },
  { key: 'groupsAndParking', types: ['SharedLinesGroup', 'PagingOnly', 'ParkLocation'] },
] as const satisfies readonly { key: string; types: readonly ExtensionType[] }[];
export type ExtensionGroupKey = (typeof EXTENSION_GROUPS)[number]['key'] | 'other';

/** The statuses listExtensions can filter by (the spec's enumeration: Frozen is not one of them). */
export const COUNTED_STATUSES = ['Enabled', 'Disabled', 'NotActivated', 'Unassigned'] as const satisfies readonly ExtensionStatus[];
export type CountedStatus = (typeof COUNTED_STATUSES)[number] | 'Other';

export interface ExtensionCounts {
  total: number;
  /** Counts of 0 are left out; "Other" holds statuses RingCentral cannot filter by (Frozen, new ones). */
  byStatus: Partial<Record<CountedStatus, number>>;
  byGroup: Partial<Record<ExtensionGroupKey, number>>;
}

export async function countExtensions(api: UserApi): Promise<ExtensionCounts | undefined> {
  const first = await api.listExtensions({ perPage: CENSUS_PAGE_SIZE });
  if (!hasNextPage(first, 1)) {
    const byStatus: Partial<Record<CountedStatus, number>> = {};
    const byGroup: Partial<Record<ExtensionGroupKey, number>> = {};
    for (const record of first.records) {
      increment(byStatus, statusKey(record.status));
      increment(byGroup, groupOf(record.type));
    }
    return { total: first.records.length, byStatus, byGroup };
  }
  const total = first.paging?.totalElements;
  if (total === undefined) return undefined;
  const [statusTotals, groupTotals] = await Promise.all([
    Promise.all(COUNTED_STATUSES.map(async (status) => totalOf(await api.listExtensions({ status, perPage: 1 })))),
    Promise.all(EXTENSION_GROUPS.map(async (group) => totalOf(await api.listExtensions({ type: group.types, perPage: 1 })))),
  ]);
  return {
    total,
    byStatus: withRemainder(
      total,
      COUNTED_STATUSES.map((status, index) => [status, statusTotals[index]] as const),
      'Other',
    ),
    byGroup: withRemainder(
      total,
      EXTENSION_GROUPS.map((group, index) => [group.key, groupTotals[index]] as const),
      'other',
    ),
  };
}

function statusKey(status: string | undefined): CountedStatus {
  const value = status ?? 'Enabled';
  return (COUNTED_STATUSES as readonly string[]).includes(value) ? (value as CountedStatus) : 'Other';
}

function groupOf(type: string): ExtensionGroupKey {
  return EXTENSION_GROUPS.find((group) => (group.types as readonly string[]).includes(type))?.key ?? 'other';
}

// ─── phone numbers ──────────────────────────────────────────────────────────────────────────────────────────────

/** Usage types held by one extension each, so a large company has many: counted by totals, never paged. */
const DIRECT_USAGE = 'DirectNumber';

export interface NumberCensus {
  total: number;
  /** Usage type → count; "Other" holds usage types RingCentral cannot filter by, in a large company only. */
  byUsage: Record<string, number>;
  /** Numbers of the account mapped to no extension, company numbers first. */
  unassigned: AccountPhoneNumber[];
}

export async function numberCensus(api: UserApi): Promise<NumberCensus> {
  const first = await api.listAccountPhoneNumbers({ perPage: CENSUS_PAGE_SIZE });
  if (!hasNextPage(first, 1)) return censusOf(first.records, first.records.length);

  const [direct, paged] = await Promise.all([
    api.listAccountPhoneNumbers({ usageType: DIRECT_USAGE, perPage: 1 }),
    // Every other usage: the company's own numbers and the few personal extras, far fewer pages in a large company.
    collect((page) => api.listAccountPhoneNumbers({ usageType: NON_DIRECT_USAGE_TYPES, page, perPage: CENSUS_PAGE_SIZE }), api),
  ]);
  const census = censusOf(paged, first.paging?.totalElements ?? paged.length);
  const directCount = totalOf(direct);
  if (directCount !== undefined && directCount > 0) census.byUsage[DIRECT_USAGE] = directCount;
  const counted = Object.values(census.byUsage).reduce((sum, count) => sum + count, 0);
  if (census.total > counted) census.byUsage.Other = census.total - counted;
  return census;
}

function censusOf(records: readonly AccountPhoneNumber[], total: number): NumberCensus {
  const byUsage: Record<string, number> = {};
  for (const record of records) increment(byUsage, record.usageType);
  const unassigned = records.filter((record) => record.extension === undefined).sort(byUsageThenNumber);
  return { total, byUsage, unassigned };
}

const usageOrder: readonly string[] = NON_DIRECT_USAGE_TYPES;

function byUsageThenNumber(a: AccountPhoneNumber, b: AccountPhoneNumber): number {
  const rank = (record: AccountPhoneNumber) => {
    const index = usageOrder.indexOf(record.usageType);
    return index === -1 ? usageOrder.length : index;
  };
  return rank(a) - rank(b) || a.phoneNumber.localeCompare(b.phoneNumber);
}

async function collect<R>(
  fetchPage: (page: number) => Promise<{ records: R[]; paging?: { totalPages?: number | undefined } | undefined }>,
  api: UserApi,
): Promise<R[]> {
  const records: R[] = [];
  for await (const record of api.allRecords(fetchPage, { maxPages: MAX_NUMBER_PAGES })) records.push(record);
  return records;
}

// ─── shared ─────────────────────────────────────────────────────────────────────────────────────────────────────

function totalOf(list: { paging?: { totalElements?: number | undefined } | undefined }): number | undefined {
  return list.paging?.totalElements;
}

function increment<K extends string>(counts: Partial<Record<K, number>>, key: K): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Non-zero counts, and what the filters did not account for under `rest`. Unknown totals are left out. */
function withRemainder<K extends string>(
  total: number,
  counts: ReadonlyArray<readonly [K, number | undefined]>,
  rest: K,
): Partial<Record<K, number>> {
  const result: Partial<Record<K, number>> = {};
  let counted = 0;
  let allKnown = true;
  for (const [key, count] of counts) {
    if (count === undefined) {
      allKnown = false;
      continue;
    }
    counted += count;
    if (count > 0) result[key] = count;
  }
  // With a total missing, the remainder would count that filter's extensions as "other".
  if (allKnown && total > counted) result[rest] = total - counted;
  return result;
}

import { LRUCache } from 'lru-cache';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { UserApi } from '../api/client.ts';
import type {
  AccountInfo,
  AccountPhoneNumber,
  DirectoryEntry,
  Extension,
  ExtensionListRecord,
  ForwardingNumber,
  PhoneNumber,
} from '../api/schemas.ts';
import type { Requester } from './requester-cache.ts';
import { RequesterCache, requesterKey } from './requester-cache.ts';

/*
 * What one requester may see of their company, fetched with their own token and kept per requester. Small answers
 * live in the RequesterCache (TTL); the company directory and, for administrators, the company's number list are
 * indexes revalidated with ETags rather than refetched. Nothing is ever shared between two requesters.
 */

// Directory pages as large as RingCentral allows: a 10,000-person company is 5 Medium-group calls.
const DIRECTORY_PAGE_SIZE = 2000;
const ACCOUNT_NUMBERS_PAGE_SIZE = 1000;
const MAX_INDEX_PAGES = 100;
// The account's home country and plan change about never; keeping them long makes a cold /ext cost only its own calls.
const ACCOUNT_TTL_MS = 24 * 60 * 60 * 1000;

export interface DirectoryIndex {
  entries: readonly DirectoryEntry[];
  byId: ReadonlyMap<string, DirectoryEntry>;
  /** E.164 → the entries listing that number. */
  byNumber: ReadonlyMap<string, DirectoryEntry>;
  pageEtags: readonly string[];
  checkedAt: number;
}

export interface DirectoryOptions {
  cache: RequesterCache;
  /** Directory indexes, bounded by their total number of entries. */
  indexes: DirectoryIndexCache;
  /** How long an index is trusted before it is revalidated. */
  freshMs: number;
  now?: () => number;
}

/**
 * Holds every requester's directory index; sized by entries so 10,000 requesters cannot exhaust memory. A size of 0
 * keeps nothing and shares nothing, so every lookup pages through the directory (the benchmark's naive strategy).
 */
export class DirectoryIndexCache {
  /** Undefined when the cache keeps nothing. */
  readonly #indexes: LRUCache<string, DirectoryIndex> | undefined;
  /** Builds and revalidations in progress: concurrent commands of one requester share one. */
  readonly #loading = new Map<string, Promise<DirectoryIndex>>();

  constructor(maxEntries: number) {
    this.#indexes =
      maxEntries === 0
        ? undefined
        : new LRUCache<string, DirectoryIndex>({
            maxSize: maxEntries,
            sizeCalculation: (index) => Math.max(1, index.entries.length),
          });
  }

  get(requester: Requester): DirectoryIndex | undefined {
    return this.#indexes?.get(requesterKey(requester));
  }

  set(requester: Requester, index: DirectoryIndex): void {
    this.#indexes?.set(requesterKey(requester), index);
  }

  forget(requester: Requester): void {
    this.#indexes?.delete(requesterKey(requester));
  }

  /** Runs `load` unless one is already running for this requester, in which case its result is shared. */
  loadOnce(requester: Requester, load: () => Promise<DirectoryIndex>): Promise<DirectoryIndex> {
    if (!this.#indexes) return load();
    const key = requesterKey(requester);
    let loading = this.#loading.get(key);
    if (!loading) {
      loading = load().finally(() => this.#loading.delete(key));
      this.#loading.set(key, loading);
    }
    return loading;
  }

  /** How many indexes are held and their entries in all (what the size bound counts). */
  get usage(): { indexes: number; entries: number } {
    return { indexes: this.#indexes?.size ?? 0, entries: this.#indexes?.calculatedSize ?? 0 };
  }
}

/** One requester's window on RingCentral: every method answers with what RingCentral showed this requester. */
export class Directory {
  readonly #api: UserApi;
  readonly #requester: Requester;
  readonly #options: DirectoryOptions;
  readonly #now: () => number;

  constructor(api: UserApi, requester: Requester, options: DirectoryOptions) {
    this.#api = api;
    this.#requester = requester;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get requester(): Requester {
    return this.#requester;
  }

  account(): Promise<AccountInfo> {
    return this.#cached('account', () => this.#api.readAccount(), ACCOUNT_TTL_MS);
  }

  /** The account's home country as an ISO code ("US"), for reading and showing national numbers. */
  async homeCountry(): Promise<string | undefined> {
    const account = await this.account();
    return account.serviceInfo?.brand?.homeCountry?.isoCode ?? account.regionalSettings?.homeCountry?.isoCode;
  }

  self(): Promise<Extension> {
    return this.#cached('self', () => this.#api.readExtension('~'));
  }

  async isAdministrator(): Promise<boolean> {
    return (await this.self()).permissions?.admin?.enabled === true;
  }

  extension(extensionId: string): Promise<Extension> {
    if (extensionId === this.#requester.extensionId) return this.self();
    return this.#cached(`extension:${extensionId}`, () => this.#api.readExtension(extensionId));
  }

  /** Extensions with this number; RingCentral filters, so this is one call however large the company. */
  extensionsByNumber(extensionNumber: string): Promise<ExtensionListRecord[]> {
    return this.#cached(`extensionNumber:${extensionNumber}`, async () => (await this.#api.listExtensions({ extensionNumber })).records);
  }

  extensionsByEmail(email: string): Promise<ExtensionListRecord[]> {
    const normalized = email.toLowerCase();
    return this.#cached(`email:${normalized}`, async () => (await this.#api.listExtensions({ email: normalized })).records);
  }

  /** The numbers of one extension, as RingCentral shows them to this requester (a standard user: DirectNumbers only). */
  phoneNumbers(extensionId: string): Promise<PhoneNumber[]> {
    const id = extensionId === this.#requester.extensionId ? '~' : extensionId;
    return this.#cached(`phoneNumbers:${id}`, async () =>
      this.#collect((page) => this.#api.listExtensionPhoneNumbers(id, { page, perPage: 1000 })),
    );
  }

  forwardingNumbers(): Promise<ForwardingNumber[]> {
    return this.#cached('forwarding', async () => this.#collect((page) => this.#api.listForwardingNumbers('~', { page, perPage: 1000 })));
  }

  /** Administrators only (RingCentral answers others with 403): every number of the company and its extension. */
  accountPhoneNumbers(): Promise<Map<string, AccountPhoneNumber>> {
    return this.#cached('accountPhoneNumbers', async () => {
      const records = await this.#collect((page) =>
        this.#api.listAccountPhoneNumbers({ page, perPage: ACCOUNT_NUMBERS_PAGE_SIZE }),
      );
      return new Map(records.flatMap((record) => toE164(record.phoneNumber).map((e164) => [e164, record] as const)));
    });
  }

  /**
   * The company directory as this requester sees it. Built once (one call per 2,000 entries), then revalidated with
   * If-None-Match after `freshMs`: an unchanged directory costs one 304 per page and no re-indexing.
   */
  directoryIndex(): Promise<DirectoryIndex> {
    const current = this.#options.indexes.get(this.#requester);
    if (current && this.#now() - current.checkedAt < this.#options.freshMs) return Promise.resolve(current);
    return this.#options.indexes.loadOnce(this.#requester, () => this.#loadDirectoryIndex(current));
  }

  /** Forgets everything this requester was shown. */
  forget(): void {
    this.#options.cache.forget(this.#requester);
    this.#options.indexes.forget(this.#requester);
  }

  async #loadDirectoryIndex(previous: DirectoryIndex | undefined): Promise<DirectoryIndex> {
    if (previous) {
      const unchanged = await this.#directoryUnchanged(previous);
      if (unchanged) {
        const refreshed = { ...previous, checkedAt: this.#now() };
        this.#options.indexes.set(this.#requester, refreshed);
        return refreshed;
      }
    }
    const entries: DirectoryEntry[] = [];
    const pageEtags: string[] = [];
    for (let page = 1; page <= MAX_INDEX_PAGES; page += 1) {
      const result = await this.#api.listDirectoryEntries({ page, perPage: DIRECTORY_PAGE_SIZE });
      if (result.notModified) break; // not asked conditionally, so not expected; stop rather than loop
      pageEtags.push(result.etag ?? '');
      entries.push(...result.data.records);
      const paging = result.data.paging;
      const totalPages = paging?.totalPages;
      if (totalPages !== undefined ? page >= totalPages : result.data.records.length < DIRECTORY_PAGE_SIZE) break;
    }
    const index = buildIndex(entries, pageEtags, this.#now());
    this.#options.indexes.set(this.#requester, index);
    return index;
  }

  async #directoryUnchanged(previous: DirectoryIndex): Promise<boolean> {
    if (previous.pageEtags.length === 0 || previous.pageEtags.some((etag) => etag === '')) return false;
    for (const [position, etag] of previous.pageEtags.entries()) {
      const result = await this.#api.listDirectoryEntries({ page: position + 1, perPage: DIRECTORY_PAGE_SIZE, ifNoneMatch: etag });
      if (!result.notModified) return false;
    }
    return true;
  }

  async #collect<R>(fetchPage: (page: number) => Promise<{ records: R[]; paging?: { totalPages?: number | undefined } | undefined }>): Promise<R[]> {
    const records: R[] = [];
    for await (const record of this.#api.allRecords(fetchPage, { maxPages: MAX_INDEX_PAGES })) records.push(record);
    return records;
  }

  #cached<T>(key: string, load: () => Promise<T>, ttlMs?: number): Promise<T> {
    return this.#options.cache.get(this.#requester, key, load, ttlMs);
  }
}

function buildIndex(entries: DirectoryEntry[], pageEtags: string[], checkedAt: number): DirectoryIndex {
  const byId = new Map<string, DirectoryEntry>();
  const byNumber = new Map<string, DirectoryEntry>();
  for (const entry of entries) {
    byId.set(entry.id, entry);
    for (const number of entry.phoneNumbers ?? []) {
      for (const e164 of toE164(number.phoneNumber)) if (!byNumber.has(e164)) byNumber.set(e164, entry);
    }
  }
  return { entries, byId, byNumber, pageEtags, checkedAt };
}

// Reading a number with libphonenumber's full metadata costs about 10 µs, and every index of a 10,000-person company
// reads the same thousands of numbers again: most of an index build. The answer depends on the text alone.
const e164ByText = new LRUCache<string, readonly string[]>({ max: 100_000 });

/** RingCentral stores E.164 ("+16503316252"); its guide shows the same without "+". Both index under E.164. */
export function toE164(raw: string): readonly string[] {
  const known = e164ByText.get(raw);
  if (known) return known;
  const text = raw.trim();
  const candidate = /^\d{8,15}$/.test(text) ? `+${text}` : text;
  const parsed = parsePhoneNumberFromString(candidate);
  const e164 = Object.freeze(parsed?.isPossible() ? [parsed.number] : []);
  e164ByText.set(raw, e164);
  return e164;
}

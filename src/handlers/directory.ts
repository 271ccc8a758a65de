import { LRUCache } from 'lru-cache';
import { InvalidResponse, RingCentralError } from '../api/errors.ts';
import type { UserApi } from '../api/client.ts';
import type { DirectorySearchField } from '../api/directory.ts';
import type {
  AccountInfo,
  AccountPhoneNumberList,
  CallQueueMember,
  AnsweringRule,
  BusinessHours,
  CallerId,
  DirectoryEntry,
  Extension,
  ExtensionListRecord,
  ForwardingNumber,
  PhoneNumber,
  PhoneNumberUsageType,
  Presence,
} from '../api/schemas.ts';
import type { StandardAnsweringRuleId } from '../api/call-handling.ts';
import type { Requester } from './requester-cache.ts';
import { RequesterCache, requesterKey } from './requester-cache.ts';
import { toE164 } from './e164.ts';
import { nameSearchWords } from './name-search.ts';
import { BackgroundPace } from './background-pace.ts';
import { DirectoryBuild } from './directory-build.ts';
import { CompanyNumberIndexBuilder } from './company-numbers.ts';
import type { CompanyNumberIndex, CompanyNumberIndexes, CompanyNumbersProgress, CompanyNumbersReading } from './company-numbers.ts';
import { NON_DIRECT_USAGE_TYPES } from '../api/phone-numbers.ts';
import type { BackgroundPaceLimits } from './background-pace.ts';
import type { CardNumber } from './card-builders.ts';
import { directNumbersOf } from './entry-numbers.ts';
import { SharedEntryParts } from './shared-entry-parts.ts';

/*
 * What one requester may see of their company, fetched with their own token and kept per requester. Small answers
 * live in the RequesterCache (TTL); the company directory is an index revalidated with ETags rather than refetched, and
 * an administrator's copy of the company's number list an index read again, in the background, once stale. No answer
 * is ever given to a requester that RingCentral did not give them: the one thing held for several requesters is a
 * directory index, and only once RingCentral has answered each of them, to their own token, that every page of it is
 * what they would be shown (304 Not Modified to its ETags).
 */

// Directory pages as large as RingCentral allows: a 10,000-person company is 5 Medium-group calls.
const DIRECTORY_PAGE_SIZE = 2000;
const ACCOUNT_NUMBERS_PAGE_SIZE = 1000;
// Up to this many pages of the company's number list (3,000 numbers) an administrator's lookup reads itself: RingCentral
// allows 10 Heavy calls a minute, and the user's own searches need some of them.
const COMPANY_NUMBERS_FOREGROUND_PAGES = 3;
// 250,000 numbers; the directory's 100 pages are 200,000 entries.
const COMPANY_NUMBERS_MAX_PAGES = 250;
// Background pages: only while 4 Heavy slots stay free (a name search takes up to 3), and at most 6 a minute.
const COMPANY_NUMBERS_PACE: BackgroundPaceLimits = { group: 'Heavy', reserve: 4, pagesPerMinute: 6 };
// The list of numbers other than direct ones is a page or two: on the same terms, at most 2 a minute, so both reads
// together stay under RingCentral's 10 a minute even where the pacer cannot see what is free (a shared store).
const NON_DIRECT_NUMBERS_PACE: BackgroundPaceLimits = { group: 'Heavy', reserve: 4, pagesPerMinute: 2 };
// What a page the budget allows now takes to arrive, for saying when a read will be done; generous.
const SECONDS_PER_PAGE = 1;
const MAX_INDEX_PAGES = 100;
// The account's home country and plan change about never; keeping them long makes a cold /ext cost only its own calls.
const ACCOUNT_TTL_MS = 24 * 60 * 60 * 1000;
const DEFAULT_PRESENCE_TTL_MS = 30_000;
// Presence is an extra on a card: a slow answer must not hold the whole card for the client's 10 s deadline.
const PRESENCE_DEADLINE_MS = 3_000;
const QUEUE_MEMBERS_PAGE_SIZE = 1000;
// Up to this many directory pages (10,000 entries) a requester's first lookup builds the index itself, in a second or
// two; a larger directory is built in the background and single lookups ask RingCentral's directory search meanwhile.
const DEFAULT_FOREGROUND_PAGES = 5;
// RingCentral's search answers at most 1,000 entries a page (its shared paging rule).
const SEARCH_PAGE_SIZE = 1000;
const MAX_SEARCH_PAGES = 3;
// Background directory pages take a Medium-group slot only while 10 stay free for the user's own commands (a card
// spends one), and at most 30 a minute.
const DIRECTORY_PACE: BackgroundPaceLimits = { group: 'Medium', reserve: 10, pagesPerMinute: 30 };
// A background page may wait its turn; nobody waits on it.
const BACKGROUND_DEADLINE_MS = 120_000;

/** What one directory search brought: the entries read, and whether they are every match RingCentral has. */
export interface DirectorySearch {
  entries: DirectoryEntry[];
  complete: boolean;
  /** How many entries RingCentral says match; more than `entries` holds when the search is not complete. */
  found: number;
}

export interface DirectoryIndex {
  entries: readonly DirectoryEntry[];
  /** Each entry's nameSearchWords, in the order of `entries`. */
  nameWords: readonly string[];
  byId: ReadonlyMap<string, DirectoryEntry>;
  /** E.164 → the entries listing that number. */
  byNumber: ReadonlyMap<string, DirectoryEntry>;
  /** Extension number → its entry; a number two entries share (federated accounts) maps to neither. */
  byExtensionNumber: ReadonlyMap<string, DirectoryEntry | undefined>;
  pageEtags: readonly string[];
  checkedAt: number;
}

export interface DirectoryOptions {
  cache: RequesterCache;
  /** Directory indexes, bounded by their total number of entries. */
  indexes: DirectoryIndexCache;
  /** Administrators' company number indexes, bounded by their total number of numbers. */
  companyNumbers: CompanyNumberIndexes;
  /**
   * Administrators' indexes of the company's numbers other than direct numbers (NON_DIRECT_USAGE_TYPES), read beside a
   * large directory's first index and before a long company list: with a directory entry's direct numbers they make a
   * card. Bounded likewise.
   */
  nonDirectNumbers: CompanyNumberIndexes;
  /** How long an index is trusted before it is revalidated. */
  freshMs: number;
  /** How long a presence answer is kept; presence changes by the minute. Default 30 s. */
  presenceTtlMs?: number;
  /** A directory of more pages than this is indexed in the background (default 5 pages of 2,000). */
  foregroundPages?: number;
  now?: () => number;
}

/** Which index a requester uses, and when RingCentral last confirmed it for them. */
interface IndexView {
  contentKey: string;
  checkedAt: number;
}

// A view is a few dozen bytes; the contents they point to are what the entry bound is for.
const MAX_VIEWS = 200_000;

/**
 * Holds every requester's directory index; the contents are bounded by their total number of entries, so 10,000
 * requesters cannot exhaust memory. RingCentral shows every user of an account the same directory, so the requesters
 * of one account usually hold one and the same index: a requester without one first asks RingCentral, page by page
 * with their own token, whether the account's latest index is what they would get (If-None-Match); only 304s for
 * every page make it theirs, and anything else builds their own. It costs the same calls as a build, without the
 * bodies, the parsing and 14 MB for each requester of a 10,000-person company.
 *
 * A size of 0 keeps nothing and shares nothing, so every lookup pages through the directory (the benchmark's naive
 * strategy).
 */
export class DirectoryIndexCache {
  /** Undefined when the cache keeps nothing. */
  readonly #contents: LRUCache<string, DirectoryIndex> | undefined;
  readonly #views: LRUCache<string, IndexView> | undefined;
  /** accountId → content key of the index built last for that account: the one a new requester may ask about. */
  readonly #latestByAccount = new Map<string, string>();
  /** Builds and revalidations in progress: concurrent commands of one requester share one. */
  readonly #loading = new Map<string, Promise<DirectoryIndex>>();
  /** requester key → how to release each command waiting in builtWithin(). */
  readonly #waiters = new Map<string, Set<() => void>>();
  #stopped = false;
  /** accountId → how many directory pages RingCentral last said the account has: a size, nobody's data. */
  readonly #pagesByAccount = new Map<string, number>();
  /** accountId → the index being built for that account, which another requester of it follows page by page. */
  readonly #buildsByAccount = new Map<string, DirectoryBuild<DirectoryIndex>>();

  /** False for the naive strategy's cache, which keeps nothing. */
  get keeps(): boolean {
    return this.#contents !== undefined;
  }

  isLoading(requester: Requester): boolean {
    return this.#loading.has(requesterKey(requester));
  }

  /** The build or revalidation in progress for this requester, if any (tests and the benchmark wait on it). */
  loading(requester: Requester): Promise<DirectoryIndex> | undefined {
    return this.#loading.get(requesterKey(requester));
  }

  pagesOf(accountId: string): number | undefined {
    return this.#pagesByAccount.get(accountId);
  }

  notePages(accountId: string, pages: number): void {
    if (this.#contents) this.#pagesByAccount.set(accountId, pages);
  }

  constructor(maxEntries: number) {
    if (maxEntries === 0) return;
    this.#contents = new LRUCache<string, DirectoryIndex>({
      maxSize: maxEntries,
      sizeCalculation: (index) => Math.max(1, index.entries.length),
    });
    this.#views = new LRUCache<string, IndexView>({ max: MAX_VIEWS });
  }

  get(requester: Requester): DirectoryIndex | undefined {
    const view = this.#views?.get(requesterKey(requester));
    const content = view === undefined ? undefined : this.#contents?.get(view.contentKey);
    return view === undefined || content === undefined ? undefined : { ...content, checkedAt: view.checkedAt };
  }

  set(requester: Requester, index: DirectoryIndex): void {
    if (!this.#contents || !this.#views) return;
    const shareable = index.pageEtags.length > 0 && index.pageEtags.every((etag) => etag !== '');
    // Without an ETag for every page nobody could confirm the index, so it stays its builder's alone.
    const contentKey = shareable ? `${requester.accountId}|${index.pageEtags.join('|')}` : `own|${requesterKey(requester)}`;
    if (!this.#contents.has(contentKey)) this.#contents.set(contentKey, index);
    if (shareable) this.#latestByAccount.set(requester.accountId, contentKey);
    this.#views.set(requesterKey(requester), { contentKey, checkedAt: index.checkedAt });
  }

  /** The account's latest index, which this requester may use only once RingCentral confirms every page of it to them. */
  candidate(requester: Requester): DirectoryIndex | undefined {
    const contentKey = this.#latestByAccount.get(requester.accountId);
    const content = contentKey === undefined ? undefined : this.#contents?.get(contentKey);
    return content === undefined ? undefined : { ...content, checkedAt: 0 };
  }

  forget(requester: Requester): void {
    const key = requesterKey(requester);
    const view = this.#views?.get(key);
    if (view?.contentKey.startsWith('own|')) this.#contents?.delete(view.contentKey);
    this.#views?.delete(key);
  }

  /**
   * The build or revalidation in progress for this requester, once it is done within `waitMs`; undefined when none is
   * under way, it fails, it takes longer, or stopWaiting() was called.
   */
  async builtWithin(requester: Requester, waitMs: number): Promise<DirectoryIndex | undefined> {
    const key = requesterKey(requester);
    const loading = this.#loading.get(key);
    if (!loading || this.#stopped) return undefined;
    const waiters = this.#waiters.get(key) ?? new Set<() => void>();
    this.#waiters.set(key, waiters);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let release = () => {};
    const givenUp = new Promise<undefined>((resolve) => {
      release = () => resolve(undefined);
      timer = setTimeout(release, waitMs);
      waiters.add(release);
    });
    try {
      return await Promise.race([loading.catch(() => undefined), givenUp]);
    } finally {
      clearTimeout(timer);
      waiters.delete(release);
      if (waiters.size === 0) this.#waiters.delete(key);
    }
  }

  /** Whether a command of this requester waits for their build: the build then spends the slots kept for commands. */
  awaited(requester: Requester): boolean {
    return this.#waiters.has(requesterKey(requester));
  }

  /** A bot shutting down answers what waits for a build now (its grace period is short), and lets nothing wait again. */
  stopWaiting(): void {
    this.#stopped = true;
    for (const waiters of this.#waiters.values()) for (const release of waiters) release();
  }

  /**
   * A new build for this account, to report its pages to; undefined when one is already under way (the caller then
   * builds without being followed) or when the cache keeps nothing.
   */
  beginBuild(accountId: string): DirectoryBuild<DirectoryIndex> | undefined {
    if (!this.#contents || this.#buildsByAccount.has(accountId)) return undefined;
    const build = new DirectoryBuild<DirectoryIndex>();
    this.#buildsByAccount.set(accountId, build);
    void build.done.then(() => this.#buildsByAccount.delete(accountId));
    return build;
  }

  /** The build under way for this account, if any: whom a requester without an index may follow. */
  buildUnderWay(accountId: string): DirectoryBuild<DirectoryIndex> | undefined {
    return this.#buildsByAccount.get(accountId);
  }

  /** Runs `load` unless one is already running for this requester, in which case its result is shared. */
  loadOnce(requester: Requester, load: () => Promise<DirectoryIndex>): Promise<DirectoryIndex> {
    if (!this.#contents) return load();
    const key = requesterKey(requester);
    let loading = this.#loading.get(key);
    if (!loading) {
      loading = load().finally(() => this.#loading.delete(key));
      this.#loading.set(key, loading);
    }
    return loading;
  }

  /** Distinct indexes held, their entries in all (what the size bound counts) and the requesters using them. */
  get usage(): { indexes: number; entries: number; requesters: number } {
    return { indexes: this.#contents?.size ?? 0, entries: this.#contents?.calculatedSize ?? 0, requesters: this.#views?.size ?? 0 };
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

  /**
   * The numbers a card shows of another extension. An administrator's come from their company number list while it is
   * usable (fresh, or stale while read again) — no call, where the extension's own list is one. While a long list is
   * still read, an administrator's card of a colleague whose `entry` comes from their fresh directory index takes the
   * entry's direct numbers and the extension's others from the short list of every number but direct ones — no call
   * either. Otherwise the own list answers, and an administrator's company list is read in the background for the
   * cards after: a card never waits on it. A standard user's card of a colleague whose `entry` comes from their fresh
   * directory index shows the entry's direct numbers, labels included — no call: RingCentral shows a standard user
   * "only Direct Numbers of other extensions", and the directory lists exactly those. Their own card always reads the
   * own list.
   */
  async cardNumbers(extensionId: string, entry?: DirectoryEntry): Promise<readonly CardNumber[]> {
    if (extensionId === this.#requester.extensionId) return this.phoneNumbers(extensionId);
    const fromEntry = entry === undefined || !this.#inFreshIndex(entry) ? undefined : directNumbersOf(entry);
    if (fromEntry !== undefined && !(await this.isAdministrator().catch(() => true))) return fromEntry;
    const store = this.#options.companyNumbers;
    if (!store.keeps || store.refused(this.#requester)) return this.phoneNumbers(extensionId);
    const usable = this.#usableCompanyNumbers();
    if (usable) return usable.byExtension.get(extensionId) ?? [];
    const nonDirect = fromEntry === undefined ? undefined : this.#usableNonDirectNumbers();
    if (fromEntry !== undefined && nonDirect) return [...fromEntry, ...(nonDirect.byExtension.get(extensionId) ?? [])];
    const [numbers, administrator] = await Promise.all([this.phoneNumbers(extensionId), this.isAdministrator().catch(() => false)]);
    if (administrator) this.#readCompanyNumbersForCards();
    return numbers;
  }

  /** What RingCentral shows this requester of someone's presence now; kept for presenceTtlMs only. */
  presence(extensionId: string): Promise<Presence> {
    const id = extensionId === this.#requester.extensionId ? '~' : extensionId;
    return this.#cached(
      `presence:${id}`,
      () => this.#api.readPresence(id, { deadlineMs: PRESENCE_DEADLINE_MS }),
      this.#options.presenceTtlMs ?? DEFAULT_PRESENCE_TTL_MS,
    );
  }

  /** A call queue's members in RingCentral's order: one call for up to 1,000 members. */
  queueMembers(groupId: string): Promise<CallQueueMember[]> {
    return this.#cached(`queueMembers:${groupId}`, async () =>
      this.#collect((page) => this.#api.listCallQueueMembers(groupId, { page, perPage: QUEUE_MEMBERS_PAGE_SIZE })),
    );
  }

  /** The requester's own business hours, the schedule their answering rules follow. */
  businessHours(): Promise<BusinessHours> {
    return this.#cached('businessHours', () => this.#api.readBusinessHours('~'));
  }

  /** One of the requester's own answering rules; RingCentral shows a standard user no one else's. */
  answeringRule(ruleId: StandardAnsweringRuleId): Promise<AnsweringRule> {
    return this.#cached(`answeringRule:${ruleId}`, () => this.#api.readAnsweringRule('~', ruleId));
  }

  callerId(): Promise<CallerId> {
    return this.#cached('callerId', () => this.#api.readCallerId('~'));
  }

  forwardingNumbers(): Promise<ForwardingNumber[]> {
    return this.#cached('forwarding', async () => this.#collect((page) => this.#api.listForwardingNumbers('~', { page, perPage: 1000 })));
  }

  /**
   * Administrators only (RingCentral answers others with 403): the company's numbers by E.164 — or, while a list too
   * long to read at once (more than COMPANY_NUMBERS_FOREGROUND_PAGES) is read in the background, how far that read
   * has come. A stale index answers while its successor is read, as the directory's does. Undefined when RingCentral
   * refuses this requester the list (an administrator's custom role without ReadCompanyPhoneNumbers).
   */
  async companyNumbers(): Promise<CompanyNumberIndex | CompanyNumbersReading | undefined> {
    const store = this.#options.companyNumbers;
    if (store.refused(this.#requester)) return undefined;
    try {
      return await this.#companyNumbersOrProgress().catch((error: unknown) => {
        // A card's read this lookup joined stopped for want of room: a lookup's own read may make room.
        if (error instanceof NoRoomForCompanyNumbers) return this.#companyNumbersOrProgress();
        throw error;
      });
    } catch (error) {
      if (!this.#noteIfRefused(error)) throw error;
      return undefined;
    }
  }

  /**
   * Notes RingCentral's refusal of the company number list (an administrator's custom role without
   * ReadCompanyPhoneNumbers), not asked again while an index would be fresh; false for any other failure.
   */
  #noteIfRefused(error: unknown): boolean {
    if (!(error instanceof RingCentralError && error.kind === 'not-permitted')) return false;
    this.#options.companyNumbers.noteRefused(this.#requester, this.#options.freshMs);
    return true;
  }

  async #companyNumbersOrProgress(): Promise<CompanyNumberIndex | CompanyNumbersReading> {
    const store = this.#options.companyNumbers;
    if (!store.keeps) return this.#readForLookup(undefined, false).promise;
    const usable = this.#usableCompanyNumbers();
    if (usable) return usable;
    const running = store.loading(this.#requester);
    if (running) return running.progress.totalPages <= COMPANY_NUMBERS_FOREGROUND_PAGES ? running.promise : this.#reading(running.progress);
    const known = store.pagesOf(this.#requester.accountId);
    if (known !== undefined) return this.#readForLookup(undefined, known > COMPANY_NUMBERS_FOREGROUND_PAGES).progressOrIndex;
    // Nobody of this account has read the list yet: its first page says how long it is.
    const first = await this.#firstNumbersPage();
    return this.#readForLookup(first, (first.paging?.totalPages ?? 1) > COMPANY_NUMBERS_FOREGROUND_PAGES).progressOrIndex;
  }

  /** Page 1 of the company's number list, read now; the length it gives is noted for the account. */
  async #firstNumbersPage(): Promise<AccountPhoneNumberList> {
    const first = await this.#api.listAccountPhoneNumbers({ page: 1, perPage: ACCOUNT_NUMBERS_PAGE_SIZE });
    this.#options.companyNumbers.notePages(this.#requester.accountId, first.paging?.totalPages ?? 1);
    return first;
  }

  /**
   * Starts reading the company number list in the background for an administrator's cards, only where the bound has
   * room without pushing out anyone's list: for cards the list saves a call, nothing more. A read's length is known
   * before it is under way, since a lookup that joins a read waits for a short one only: a list nobody of the account
   * has read starts with its first page, at once, rather than when the pace allows.
   */
  #readCompanyNumbersForCards(): void {
    const store = this.#options.companyNumbers;
    if (store.loading(this.#requester) || store.pagesOf(this.#requester.accountId) !== undefined) {
      this.#readCompanyNumbers(undefined, { background: true, mayEvict: false });
      return;
    }
    this.#firstNumbersPage()
      .then((first) => this.#readCompanyNumbers(first, { background: true, mayEvict: false })?.promise)
      .catch((error: unknown) => this.#noteIfRefused(error));
  }

  /**
   * The company directory as this requester sees it. Built once (one call per 2,000 entries) — or, when a colleague's
   * index exists, the same calls made conditional and answered 304 — then revalidated with If-None-Match after
   * `freshMs`: an unchanged directory costs one 304 per page and no re-indexing.
   */
  directoryIndex(): Promise<DirectoryIndex> {
    const current = this.#options.indexes.get(this.#requester);
    if (current && this.#standing(current.checkedAt) === 'fresh') return Promise.resolve(current);
    return this.#options.indexes.loadOnce(this.#requester, () => this.#loadDirectoryIndex(current));
  }

  /**
   * The index single lookups answer from, without ever paging a large directory in the foreground:
   * - fresh (checked within freshMs): it;
   * - stale, up to another freshMs: it, while RingCentral revalidates it in the background (an unchanged directory
   *   costs one 304 a page and nobody waits for them);
   * - none usable and a directory of at most `foregroundPages` pages: built now, as directoryIndex() does;
   * - none usable and a larger directory: undefined — the caller asks RingCentral's directory search — while the
   *   index is built (or a colleague's confirmed page by page) in the background, inside this user's budget.
   * The naive strategy keeps no index and pages through the directory every time.
   */
  async usableIndex(): Promise<DirectoryIndex | undefined> {
    const indexes = this.#options.indexes;
    if (!indexes.keeps) return this.directoryIndex();
    const current = indexes.get(this.#requester);
    const standing = current === undefined ? 'expired' : this.#standing(current.checkedAt);
    if (current && standing === 'fresh') return current;
    if (current && standing === 'stale') {
      this.#loadInBackground(current);
      return current;
    }
    if (indexes.isLoading(this.#requester)) {
      // A build already running in the foreground is worth waiting for; one in the background is not.
      return this.#knownPages(current) <= this.#foregroundPages ? this.directoryIndex() : undefined;
    }
    const known = this.#knownPages(current);
    if (known <= this.#foregroundPages) return this.directoryIndex();
    if (Number.isFinite(known)) {
      this.#loadInBackground(current);
      return undefined;
    }
    // Nobody of this account has listed the directory yet: its first page says how large it is.
    const first = await this.#api.listDirectoryEntries({ page: 1, perPage: DIRECTORY_PAGE_SIZE });
    if (first.notModified) throw new InvalidResponse('listDirectoryEntries: 304 to a request that was not conditional', { status: 304 });
    const pages = first.data.paging?.totalPages ?? 1;
    indexes.notePages(this.#requester.accountId, pages);
    const firstPage = { records: first.data.records, etag: first.etag ?? '', totalPages: pages };
    if (pages <= this.#foregroundPages) return indexes.loadOnce(this.#requester, () => this.#buildIndex(firstPage, false));
    this.#loadInBackground(current, firstPage);
    return undefined;
  }

  /** The index if it may answer now (fresh, or stale while revalidated), never building one: undefined otherwise. */
  indexIfUsable(): DirectoryIndex | undefined {
    const current = this.#options.indexes.get(this.#requester);
    return current === undefined || this.#standing(current.checkedAt) === 'expired' ? undefined : current;
  }

  /**
   * The index being built (or confirmed) in the background for this requester, once it is done, if that is within
   * `waitMs`: undefined when none is under way, it fails, it takes longer or the bot stops. Never starts one.
   */
  indexBuiltWithin(waitMs: number): Promise<DirectoryIndex | undefined> {
    return this.#options.indexes.builtWithin(this.#requester, waitMs);
  }

  /** Whether `entry` is the one this requester's index holds now, and that index is fresh (checked within freshMs). */
  #inFreshIndex(entry: DirectoryEntry): boolean {
    const current = this.#options.indexes.get(this.#requester);
    return current !== undefined && this.#standing(current.checkedAt) === 'fresh' && current.byId.get(entry.id) === entry;
  }

  /** An index checked at `checkedAt` is fresh for freshMs, then stale (answering while read again) for as long again. */
  #standing(checkedAt: number): 'fresh' | 'stale' | 'expired' {
    const age = this.#now() - checkedAt;
    if (age < this.#options.freshMs) return 'fresh';
    return age < 2 * this.#options.freshMs ? 'stale' : 'expired';
  }

  /**
   * Directory entries matching one word (a name, an email's local part, digits of a number) from RingCentral's search:
   * one Heavy call, or up to MAX_SEARCH_PAGES for a word thousands share. A word more entries hold than that (a single
   * letter in a large company) is answered from its first page alone: reading more would spend the minute's Heavy
   * budget and still not be every match. `complete` says whether every match came, `found` how many RingCentral has.
   */
  searchEntries(word: string, fields: readonly DirectorySearchField[]): Promise<DirectorySearch> {
    return this.#cached(`search:${fields.join(',')}:${word}`, async () => {
      const search = (page: number) =>
        this.#api.searchDirectory({ searchString: word, searchFields: fields, page, perPage: SEARCH_PAGE_SIZE });
      const first = await search(1);
      const totalPages = first.paging?.totalPages ?? 1;
      const complete = totalPages <= MAX_SEARCH_PAGES;
      const rest = await Promise.all(Array.from({ length: complete ? totalPages - 1 : 0 }, (_, position) => search(position + 2)));
      const entries = [first, ...rest].flatMap((page) => page.records);
      // A page without its total (RingCentral documents one): every page counted as full.
      const found = first.paging?.totalElements ?? totalPages * SEARCH_PAGE_SIZE;
      return { entries, complete, found };
    });
  }

  /** Forgets everything this requester was shown. */
  forget(): void {
    this.#options.cache.forget(this.#requester);
    this.#options.indexes.forget(this.#requester);
    this.#options.companyNumbers.forget(this.#requester);
  }

  get #foregroundPages(): number {
    return this.#options.foregroundPages ?? DEFAULT_FOREGROUND_PAGES;
  }

  /** How many pages the directory has, as far as anyone of this account last saw; infinite when unknown. */
  #knownPages(current: DirectoryIndex | undefined): number {
    const basis = current ?? this.#options.indexes.candidate(this.#requester);
    return basis?.pageEtags.length || this.#options.indexes.pagesOf(this.#requester.accountId) || Number.POSITIVE_INFINITY;
  }

  /** Starts (or joins) this requester's build or revalidation in the background; its failure leaves search in use. */
  #loadInBackground(previous: DirectoryIndex | undefined, firstPage?: FirstPage): void {
    // A directory this large has a long company number list: an administrator's first card once the index is built
    // takes its numbers from the entry and the short list, read meanwhile (a page or two).
    if (previous === undefined) this.#readNonDirectNumbersIfAdministrator();
    const pace = new BackgroundPace(this.#api, DIRECTORY_PACE, () => this.#options.indexes.awaited(this.#requester));
    this.#options.indexes
      .loadOnce(this.#requester, async () => {
        const basis = previous ?? this.#options.indexes.candidate(this.#requester);
        if (!firstPage && basis && (await this.#directoryUnchanged(basis, pace))) return this.#confirmed(basis);
        // A first page in hand does not stop a follow: a colleague's first page read at the same moment began a build.
        const underWay = basis ? undefined : this.#options.indexes.buildUnderWay(this.#requester.accountId);
        const followed = underWay && (await this.#followBuild(underWay, pace, firstPage));
        return followed ? this.#confirmed(followed) : this.#buildIndex(firstPage, pace);
      })
      .catch(() => undefined);
  }

  async #loadDirectoryIndex(previous: DirectoryIndex | undefined): Promise<DirectoryIndex> {
    // Revalidate our own index, or ask whether the account's latest one is what RingCentral would show us.
    const basis = previous ?? this.#options.indexes.candidate(this.#requester);
    if (basis && (await this.#directoryUnchanged(basis, false))) return this.#confirmed(basis);
    return this.#buildIndex(undefined, false);
  }

  #confirmed(basis: DirectoryIndex): DirectoryIndex {
    const refreshed = { ...basis, checkedAt: this.#now() };
    this.#options.indexes.set(this.#requester, refreshed);
    return refreshed;
  }

  /** Pages through the directory (from page 2 when page 1 is in hand), pacing each page when in the background. */
  async #buildIndex(firstPage: FirstPage | undefined, pace: BackgroundPace | false): Promise<DirectoryIndex> {
    // Each page's ETag is kept beside its records: revalidation later asks page by page.
    const builder = new DirectoryIndexBuilder();
    // Another requester of the account may follow this build page by page rather than build their own.
    const followable = this.#options.indexes.beginBuild(this.#requester.accountId);
    const addPage = async (records: DirectoryEntry[], etag: string) => {
      await builder.addPage(records, etag);
      followable?.addPage(etag);
    };
    try {
      let totalPages = 1;
      let page = 1;
      if (firstPage) {
        await addPage(firstPage.records, firstPage.etag);
        totalPages = firstPage.totalPages;
        page = 2;
      }
      for (; page === 1 || page <= Math.min(totalPages, MAX_INDEX_PAGES); page += 1) {
        if (pace) await pace.turn();
        const result = await this.#api.listDirectoryEntries(
          { page, perPage: DIRECTORY_PAGE_SIZE },
          pace ? { deadlineMs: BACKGROUND_DEADLINE_MS } : undefined,
        );
        if (result.notModified)
          throw new InvalidResponse('listDirectoryEntries: 304 to a request that was not conditional', { status: 304 });
        await addPage(result.data.records, result.etag ?? '');
        totalPages = result.data.paging?.totalPages ?? 1;
        if (result.data.records.length === 0) break;
      }
      this.#options.indexes.notePages(this.#requester.accountId, totalPages);
      const index = builder.build(this.#now());
      this.#options.indexes.set(this.#requester, index);
      followable?.end(index);
      return index;
    } catch (error) {
      followable?.end(undefined);
      throw error;
    }
  }

  /**
   * Follows another requester's build of this account's index: each page it reads is confirmed with this requester's
   * own token (If-None-Match, 304) as soon as it has it, so the two end together and only one index is read and held.
   * The index once every page is confirmed; undefined when a page differs for this requester or the build fails.
   * A first page this requester already read needs no call: the same ETag is the same page.
   */
  async #followBuild(
    build: DirectoryBuild<DirectoryIndex>,
    pace: BackgroundPace,
    firstPage: FirstPage | undefined,
  ): Promise<DirectoryIndex | undefined> {
    let confirmed = 0;
    if (firstPage !== undefined) {
      if (firstPage.etag === '' || (await build.etagAt(0)) !== firstPage.etag) return undefined;
      confirmed = 1;
    }
    for (let etag = await build.etagAt(confirmed); etag !== undefined; etag = await build.etagAt(confirmed)) {
      if (etag === '') return undefined;
      await pace.turn();
      const result = await this.#api.listDirectoryEntries(
        { page: confirmed + 1, perPage: DIRECTORY_PAGE_SIZE, ifNoneMatch: etag },
        { deadlineMs: BACKGROUND_DEADLINE_MS },
      );
      if (!result.notModified) return undefined;
      confirmed += 1;
    }
    const index = await build.done;
    return index !== undefined && index.pageEtags.length === confirmed ? index : undefined;
  }

  async #directoryUnchanged(previous: DirectoryIndex, pace: BackgroundPace | false): Promise<boolean> {
    if (previous.pageEtags.length === 0 || previous.pageEtags.some((etag) => etag === '')) return false;
    for (const [position, etag] of previous.pageEtags.entries()) {
      if (pace) await pace.turn();
      const result = await this.#api.listDirectoryEntries(
        { page: position + 1, perPage: DIRECTORY_PAGE_SIZE, ifNoneMatch: etag },
        pace ? { deadlineMs: BACKGROUND_DEADLINE_MS } : undefined,
      );
      if (!result.notModified) return false;
    }
    return true;
  }

  /** The requester's company number index if fresh, or stale while it is read again (which this starts). */
  #usableCompanyNumbers(): CompanyNumberIndex | undefined {
    const store = this.#options.companyNumbers;
    const current = store.get(this.#requester);
    if (!current) return undefined;
    const standing = this.#standing(current.checkedAt);
    if (standing === 'fresh') return current;
    // A long list's read can outlast the stale window: while it runs, the index it replaces still answers.
    if (standing === 'expired' && !store.loading(this.#requester)) return undefined;
    this.#readCompanyNumbers(undefined, { background: true, mayEvict: true });
    return current;
  }

  /** A read a lookup needs: it may push out other lists, so it always has room. */
  #readForLookup(first: AccountPhoneNumberList | undefined, background: boolean): CompanyNumbersRead {
    const read = this.#readCompanyNumbers(first, { background, mayEvict: true });
    if (!read) throw new Error('a read that may push out other lists always has room');
    return read;
  }

  /**
   * Reads the company's number list into this requester's index, from page 2 when page 1 is in hand; in the
   * background each page waits for a Heavy slot the user's own commands can spare. Undefined when the bound has no
   * room for it and it may not push out other lists; a read that learns the list is longer than it reserved room for
   * stops then, on the same terms.
   */
  #readCompanyNumbers(
    first: AccountPhoneNumberList | undefined,
    { background, mayEvict }: { background: boolean; mayEvict: boolean },
  ): CompanyNumbersRead | undefined {
    const store = this.#options.companyNumbers;
    const totalPages = first?.paging?.totalPages ?? store.pagesOf(this.#requester.accountId) ?? 1;
    const room = (pages: number) => store.reserve(this.#requester, pages * ACCOUNT_NUMBERS_PAGE_SIZE, mayEvict);
    if (!store.loading(this.#requester) && !room(totalPages)) return undefined;
    const estimate = { pagesRead: first ? 1 : 0, totalPages, readyAt: this.#readyAt(totalPages - (first ? 1 : 0), background) };
    const loading = store.loadOnce(this.#requester, estimate, async (progress) => {
      const pace = background ? new BackgroundPace(this.#api, COMPANY_NUMBERS_PACE) : undefined;
      // A first read of a list its pace takes more than a minute over: the short list of every number but direct ones
      // goes next, on the same pace, so the cards meanwhile need no call for their numbers.
      const otherNumbersFirst = async () => {
        if (pace && !store.get(this.#requester) && progress.totalPages > COMPANY_NUMBERS_PACE.pagesPerMinute)
          await this.#readNonDirectNumbers(pace)?.catch(() => undefined);
      };
      await otherNumbersFirst();
      const built = await this.#indexNumberList(store, {
        first,
        pace,
        progress,
        room,
        afterPage: async (page) => {
          progress.readyAt = this.#readyAt(progress.totalPages - page, background);
          await otherNumbersFirst();
        },
      });
      store.notePages(this.#requester.accountId, progress.totalPages);
      return built;
    });
    // Nobody waits on a background read: its failure leaves the next lookup to start another, except a refusal.
    if (background) loading.promise.catch((error: unknown) => this.#noteIfRefused(error));
    return { promise: loading.promise, progressOrIndex: background ? Promise.resolve(this.#reading(loading.progress)) : loading.promise };
  }

  /**
   * Reads the company's numbers other than direct numbers into this requester's second index, in the background
   * (on `pace`, or a pace of its own), unless it is held fresh; a read under way is joined. A page or two, against
   * some 78 of the whole list at 100,000 extensions. Undefined when nothing is to be read.
   */
  #readNonDirectNumbers(pace?: BackgroundPace): Promise<CompanyNumberIndex> | undefined {
    const store = this.#options.nonDirectNumbers;
    if (!store.keeps) return undefined;
    const running = store.loading(this.#requester);
    if (running) return running.promise;
    const held = store.get(this.#requester);
    if (held && this.#standing(held.checkedAt) === 'fresh') return undefined;
    const room = (pages: number) => store.reserve(this.#requester, pages * ACCOUNT_NUMBERS_PAGE_SIZE, false);
    if (!room(1)) return undefined;
    const estimate = { pagesRead: 0, totalPages: 1, readyAt: this.#now() };
    const loading = store.loadOnce(this.#requester, estimate, (progress) =>
      this.#indexNumberList(store, {
        usageType: NON_DIRECT_USAGE_TYPES,
        pace: pace ?? new BackgroundPace(this.#api, NON_DIRECT_NUMBERS_PACE),
        progress,
        room,
      }),
    );
    loading.promise.catch((error: unknown) => this.#noteIfRefused(error));
    return loading.promise;
  }

  /**
   * The short list, for an administrator who holds no company list yet (RingCentral would refuse anyone else); the role
   * is known from their own record, which a lookup has read by now.
   */
  #readNonDirectNumbersIfAdministrator(): void {
    const wholeList = this.#options.companyNumbers;
    if (!this.#options.nonDirectNumbers.keeps || wholeList.refused(this.#requester) || wholeList.get(this.#requester)) return;
    this.isAdministrator()
      .then((administrator) => (administrator ? this.#readNonDirectNumbers() : undefined))
      .catch(() => undefined);
  }

  /** The requester's index of numbers other than direct ones if fresh, or stale while it is read again (which this starts). */
  #usableNonDirectNumbers(): CompanyNumberIndex | undefined {
    const current = this.#options.nonDirectNumbers.get(this.#requester);
    const standing = current === undefined ? 'expired' : this.#standing(current.checkedAt);
    if (standing === 'expired') return undefined;
    if (standing === 'stale') void this.#readNonDirectNumbers();
    return current;
  }

  /**
   * Pages through the company's number list (only `usageType`, when given) into an index `store` holds for this
   * requester, from page 2 when page 1 is in hand; with a `pace`, each page waits for a Heavy slot the user's own
   * commands can spare. A list longer than `room` allows stops there.
   */
  async #indexNumberList(
    store: CompanyNumberIndexes,
    {
      usageType,
      first,
      pace,
      progress,
      room,
      afterPage,
    }: {
      usageType?: readonly PhoneNumberUsageType[];
      first?: AccountPhoneNumberList | undefined;
      pace: BackgroundPace | undefined;
      progress: CompanyNumbersProgress;
      room: (pages: number) => boolean;
      afterPage?: (page: number) => Promise<void>;
    },
  ): Promise<CompanyNumberIndex> {
    const index = new CompanyNumberIndexBuilder();
    if (first) index.add(first.records);
    for (let page = first ? 2 : 1; page <= Math.min(progress.totalPages, COMPANY_NUMBERS_MAX_PAGES); page += 1) {
      if (pace) await pace.turn();
      const result = await this.#api.listAccountPhoneNumbers(
        { usageType, page, perPage: ACCOUNT_NUMBERS_PAGE_SIZE },
        pace ? { deadlineMs: BACKGROUND_DEADLINE_MS } : undefined,
      );
      index.add(result.records);
      progress.pagesRead = page;
      const learned = result.paging?.totalPages ?? page;
      if (learned > progress.totalPages && !room(learned)) throw new NoRoomForCompanyNumbers();
      progress.totalPages = learned;
      await afterPage?.(page);
      if (result.records.length === 0) break;
    }
    const built = index.build(this.#now());
    store.set(this.#requester, built);
    return built;
  }

  #reading({ pagesRead, totalPages, readyAt }: CompanyNumbersProgress): CompanyNumbersReading {
    return { pagesRead, totalPages, secondsLeft: Math.max(0, (readyAt - this.#now()) / 1000) };
  }

  /** When a read with this many pages left should be done, at its pace: those the budget allows now, then by the minute. */
  #readyAt(pagesLeft: number, background: boolean): number {
    if (!background || pagesLeft <= 0) return this.#now();
    const { reserve, pagesPerMinute } = COMPANY_NUMBERS_PACE;
    const free = Math.min(pagesPerMinute, Math.max(0, (this.#api.headroom('Heavy') ?? pagesPerMinute + reserve) - reserve));
    const later = Math.max(0, pagesLeft - free);
    return this.#now() + (later === 0 ? pagesLeft * SECONDS_PER_PAGE * 1000 : Math.ceil(later / pagesPerMinute) * 60_000);
  }

  async #collect<R>(
    fetchPage: (page: number) => Promise<{ records: R[]; paging?: { totalPages?: number | undefined } | undefined }>,
  ): Promise<R[]> {
    const records: R[] = [];
    for await (const record of this.#api.allRecords(fetchPage, { maxPages: MAX_INDEX_PAGES })) records.push(record);
    return records;
  }

  #cached<T>(key: string, load: () => Promise<T>, ttlMs?: number): Promise<T> {
    return this.#options.cache.get(this.#requester, key, load, ttlMs);
  }
}

interface CompanyNumbersRead {
  promise: Promise<CompanyNumberIndex>;
  /** The index once read, for a read at once; how far it has come, for one in the background. */
  progressOrIndex: Promise<CompanyNumberIndex | CompanyNumbersReading>;
}

/** A read stopped because the list is longer than the bound leaves room for (nobody waits on such a read). */
class NoRoomForCompanyNumbers extends Error {}

interface FirstPage {
  records: DirectoryEntry[];
  etag: string;
  totalPages: number;
}

/**
 * Entries indexed between two yields to the event loop. A page of 2,000 in one go held it for 30–85 ms (measured at
 * 100,000 extensions: reading the numbers about half, the names' words most of the rest), and every other user's ack
 * with it; a slice of 250 is a few milliseconds.
 */
const INDEX_SLICE_ENTRIES = 250;

/**
 * Indexes a directory page by page, as the pages arrive, names for name search included, a slice at a time:
 * 100,000 entries indexed in one go held the event loop for some 0.8 s.
 */
class DirectoryIndexBuilder {
  readonly #entries: DirectoryEntry[] = [];
  readonly #nameWords: string[] = [];
  readonly #pageEtags: string[] = [];
  readonly #byId = new Map<string, DirectoryEntry>();
  readonly #byNumber = new Map<string, DirectoryEntry>();
  readonly #byExtensionNumber = new Map<string, DirectoryEntry | undefined>();
  readonly #sharedParts = new SharedEntryParts();

  async addPage(records: readonly DirectoryEntry[], etag: string): Promise<void> {
    this.#pageEtags.push(etag);
    for (let start = 0; start < records.length; start += INDEX_SLICE_ENTRIES) {
      if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      this.#addEntries(records.slice(start, start + INDEX_SLICE_ENTRIES));
    }
  }

  #addEntries(records: readonly DirectoryEntry[]): void {
    for (const entry of records) {
      this.#sharedParts.share(entry);
      this.#entries.push(entry);
      this.#nameWords.push(nameSearchWords(entry));
      this.#byId.set(entry.id, entry);
      if (entry.extensionNumber !== undefined)
        this.#byExtensionNumber.set(entry.extensionNumber, this.#byExtensionNumber.has(entry.extensionNumber) ? undefined : entry);
      for (const number of entry.phoneNumbers ?? []) {
        for (const e164 of toE164(number.phoneNumber)) if (!this.#byNumber.has(e164)) this.#byNumber.set(e164, entry);
      }
    }
  }

  build(checkedAt: number): DirectoryIndex {
    return {
      entries: this.#entries,
      nameWords: this.#nameWords,
      byId: this.#byId,
      byNumber: this.#byNumber,
      byExtensionNumber: this.#byExtensionNumber,
      pageEtags: this.#pageEtags,
      checkedAt,
    };
  }
}

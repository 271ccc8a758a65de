import { LRUCache } from 'lru-cache';
import type { AccountPhoneNumber } from '../api/schemas.ts';
import type { Requester } from './requester-cache.ts';
import { requesterKey } from './requester-cache.ts';
import { toE164 } from './e164.ts';

/*
 * The company's number list (listAccountPhoneNumbers: administrators only, Heavy group, 1,000 a page) is what lets an
 * administrator's /whois name the owner of a number the directory does not list: a hidden extension's, a fax line's,
 * an unassigned one. At 100,000 extensions it is some 75 pages, and RingCentral allows a user 10 Heavy calls a minute,
 * so a large list is read in the background and a lookup never waits on it. Each administrator's copy is their own
 * (RingCentral gives this list no ETag, so nobody could confirm a colleague's copy), bounded by the numbers held in all.
 */

/**
 * What an index keeps of a number: everything a card shows, and its extension's id and number; not the country, URIs
 * or temporary number, which a card never shows and every record would hold again.
 */
export type CompanyNumber = Omit<AccountPhoneNumber, 'country' | 'uri' | 'temporaryNumber' | 'extension'> & {
  extension?: Pick<NonNullable<AccountPhoneNumber['extension']>, 'id' | 'extensionNumber'>;
};

export interface CompanyNumberIndex {
  /** E.164 → the company's record of that number. */
  byNumber: ReadonlyMap<string, CompanyNumber>;
  /** Extension id → the numbers mapped to it, in the list's order. */
  byExtension: ReadonlyMap<string, readonly CompanyNumber[]>;
  checkedAt: number;
}

/** An index built page by page as the list is read. */
export class CompanyNumberIndexBuilder {
  readonly #byNumber = new Map<string, CompanyNumber>();
  readonly #byExtension = new Map<string, CompanyNumber[]>();

  add(records: readonly AccountPhoneNumber[]): void {
    for (const { country: _country, uri: _uri, temporaryNumber: _temporary, extension, ...rest } of records) {
      const kept: CompanyNumber =
        extension === undefined
          ? rest
          : {
              ...rest,
              extension: {
                id: extension.id,
                ...(extension.extensionNumber === undefined ? {} : { extensionNumber: extension.extensionNumber }),
              },
            };
      for (const e164 of toE164(kept.phoneNumber)) if (!this.#byNumber.has(e164)) this.#byNumber.set(e164, kept);
      if (extension === undefined) continue;
      const mapped = this.#byExtension.get(extension.id);
      if (mapped) mapped.push(kept);
      else this.#byExtension.set(extension.id, [kept]);
    }
  }

  build(checkedAt: number): CompanyNumberIndex {
    return { byNumber: this.#byNumber, byExtension: this.#byExtension, checkedAt };
  }
}

/** How far a background read of the list has come, as it goes. */
export interface CompanyNumbersProgress {
  pagesRead: number;
  totalPages: number;
  /** When the last page is due, at the pace the read keeps (epoch ms). */
  readyAt: number;
}

/** How far it had come when a lookup asked, for the answer to say. */
export type CompanyNumbersReading = Omit<CompanyNumbersProgress, 'readyAt'> & { secondsLeft: number };

interface Loading {
  promise: Promise<CompanyNumberIndex>;
  progress: CompanyNumbersProgress;
}

/**
 * Every administrator's company number index, and the reads in progress. The bound counts both: a read reserves room
 * for the numbers it expects before it holds them, so a hundred administrators starting reads at once cannot hold a
 * hundred lists. A size of 0 keeps nothing, so every lookup that needs the list reads all of it (the benchmark's naive
 * strategy).
 */
export class CompanyNumberIndexes {
  readonly #indexes: LRUCache<string, CompanyNumberIndex> | undefined;
  readonly #maxNumbers: number;
  readonly #loading = new Map<string, Loading>();
  /** requesterKey → the numbers its read in progress expects. */
  readonly #reserved = new Map<string, number>();
  /** Requesters RingCentral refused the list (a custom role), not asked again until the entry expires. */
  readonly #refused = new LRUCache<string, true>({ max: 10_000 });
  /** accountId → how many pages the list had when someone last read it: a size, nobody's data. */
  readonly #pagesByAccount = new Map<string, number>();

  constructor(maxNumbers: number) {
    this.#maxNumbers = maxNumbers;
    if (maxNumbers === 0) return;
    this.#indexes = new LRUCache<string, CompanyNumberIndex>({
      maxSize: maxNumbers,
      sizeCalculation: (index) => Math.max(1, index.byNumber.size),
    });
  }

  get keeps(): boolean {
    return this.#indexes !== undefined;
  }

  get(requester: Requester): CompanyNumberIndex | undefined {
    return this.#indexes?.get(requesterKey(requester));
  }

  set(requester: Requester, index: CompanyNumberIndex): void {
    this.#indexes?.set(requesterKey(requester), index);
  }

  forget(requester: Requester): void {
    this.#indexes?.delete(requesterKey(requester));
  }

  refused(requester: Requester): boolean {
    return this.#refused.has(requesterKey(requester));
  }

  noteRefused(requester: Requester, forMs: number): void {
    this.#refused.set(requesterKey(requester), true, { ttl: forMs });
  }

  pagesOf(accountId: string): number | undefined {
    return this.#pagesByAccount.get(accountId);
  }

  notePages(accountId: string, pages: number): void {
    if (this.#indexes) this.#pagesByAccount.set(accountId, pages);
  }

  /** The read in progress for this requester, if any. */
  loading(requester: Requester): Loading | undefined {
    return this.#loading.get(requesterKey(requester));
  }

  /**
   * Reserves room for this requester's read to hold `numbers` (or grows its reservation as the list's length becomes
   * known). A read a lookup needs (`mayEvict`) always gets it, at the cost of the least recently used indexes; one that
   * only saves calls later (a card's) gets it only where nothing has to go. False: no room, do not read.
   */
  reserve(requester: Requester, numbers: number, mayEvict: boolean): boolean {
    const indexes = this.#indexes;
    if (!indexes) return true;
    const key = requesterKey(requester);
    let othersReserved = 0;
    for (const [other, reserved] of this.#reserved) if (other !== key) othersReserved += reserved;
    // The requester's own index, if any, is about to be replaced: it does not count against its successor.
    const held = () => indexes.calculatedSize - (indexes.peek(key)?.byNumber.size ?? 0);
    const fits = () => held() + othersReserved + numbers <= this.#maxNumbers;
    if (!fits() && !mayEvict) return false;
    for (const other of [...indexes.rkeys()]) {
      if (fits()) break;
      if (other !== key) indexes.delete(other);
    }
    this.#reserved.set(key, numbers);
    return true;
  }

  /** Runs `load` unless a read is already running for this requester, in which case that one is returned. */
  loadOnce(
    requester: Requester,
    progress: CompanyNumbersProgress,
    load: (progress: CompanyNumbersProgress) => Promise<CompanyNumberIndex>,
  ): Loading {
    const key = requesterKey(requester);
    const running = this.#loading.get(key);
    if (running) return running;
    const loading = {
      promise: load(progress).finally(() => {
        this.#loading.delete(key);
        this.#reserved.delete(key);
      }),
      progress,
    };
    if (this.#indexes) this.#loading.set(key, loading);
    return loading;
  }

  /** Indexes held and the numbers in them, and the numbers reads in progress have reserved (what the bound counts). */
  get usage(): { indexes: number; numbers: number; reserved: number } {
    let reserved = 0;
    for (const numbers of this.#reserved.values()) reserved += numbers;
    return { indexes: this.#indexes?.size ?? 0, numbers: this.#indexes?.calculatedSize ?? 0, reserved };
  }
}

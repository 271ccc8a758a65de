import { InvalidResponse } from './errors.ts';
import type { Navigation, Paging } from './schemas.ts';

export interface PageOf<R> {
  records: R[];
  paging?: Paging | undefined;
  navigation?: Navigation | undefined;
}

export interface PagingOptions {
  /** Default 1. */
  firstPage?: number | undefined;
  /** Guard against a server that never stops paging; default 100. */
  maxPages?: number | undefined;
}

export const DEFAULT_MAX_PAGES = 100;

/**
 * Yields page after page. Whether another page exists comes from `navigation.nextPage` (or, for the
 * directory, which has no navigation, from `paging`); the next page is then fetched by number through
 * `fetchPage`, never by the URI in the body, so a bearer token only ever goes to the configured server.
 */
export async function* pages<P extends PageOf<unknown>>(
  fetchPage: (page: number) => Promise<P>,
  options: PagingOptions = {},
): AsyncGenerator<P> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  let page = options.firstPage ?? 1;
  for (let fetched = 0; ; fetched += 1) {
    if (fetched >= maxPages) {
      throw new InvalidResponse(`paging did not end within ${maxPages} pages`, { status: 200 });
    }
    const current = await fetchPage(page);
    yield current;
    if (!hasNextPage(current, page)) return;
    page = (current.paging?.page ?? page) + 1;
  }
}

/** Every record of every page, in order. */
export async function* allRecords<R>(fetchPage: (page: number) => Promise<PageOf<R>>, options: PagingOptions = {}): AsyncGenerator<R> {
  for await (const current of pages(fetchPage, options)) yield* current.records;
}

export function hasNextPage(current: PageOf<unknown>, requestedPage: number): boolean {
  if (current.records.length === 0) return false;
  if (current.navigation) return current.navigation.nextPage !== undefined;
  const paging = current.paging;
  if (!paging) return false;
  const page = paging.page ?? requestedPage;
  if (paging.totalPages !== undefined) return page < paging.totalPages;
  if (paging.totalElements !== undefined && paging.pageEnd !== undefined) return paging.pageEnd + 1 < paging.totalElements;
  // No totals ("may be omitted for performance reasons"): a full page suggests there is more.
  return paging.perPage !== undefined && current.records.length >= paging.perPage;
}

import { restErrors } from './errors.ts';

/**
 * RingCentral paging: `page` is 1-based; `pageStart`/`pageEnd` are 0-based, inclusive, and omitted on an empty
 * page. REST lists default to perPage 100 and apply the maximum 1000 to larger values (shared paging schema:
 * "If perPage value in the request is greater than 1000, the maximum value (1000) is applied").
 */

export interface PageRequest {
  page: number;
  perPage: number;
}

export interface Paging {
  page: number;
  totalPages: number;
  perPage: number;
  totalElements: number;
  pageStart?: number;
  pageEnd?: number;
}

export interface Navigation {
  firstPage: { uri: string };
  nextPage?: { uri: string };
  previousPage?: { uri: string };
  lastPage: { uri: string };
}

function positiveInteger(name: string, raw: string | null, fallback: number): number {
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw restErrors.invalidParameter(name, raw);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw restErrors.invalidParameter(name, raw);
  return value;
}

export function parseRestPaging(query: URLSearchParams): PageRequest {
  const page = positiveInteger('page', query.get('page'), 1);
  const perPage = Math.min(positiveInteger('perPage', query.get('perPage'), 100), 1000);
  return { page, perPage };
}

/**
 * The directory differs (spec, listDirectoryEntries): `page` is a string, perPage defaults to 1000 with a declared
 * maximum of 2000 (larger values are refused), and the keywords "all" and "max" are accepted.
 */
export function parseDirectoryPaging(page: unknown, perPage: unknown, total: number): PageRequest {
  // A JSON body may carry any type; only a number or a string is a page (String([500]) would read as "500").
  const text = (name: string, value: unknown) => {
    if (value === undefined || value === null) return null;
    if (typeof value === 'number' || typeof value === 'string') return String(value);
    throw restErrors.invalidParameter(name);
  };
  const perPageText = text('perPage', perPage);
  let size: number;
  if (perPageText === 'all') size = Math.max(total, 1);
  else if (perPageText === 'max') size = 2000;
  else {
    size = positiveInteger('perPage', perPageText, 1000);
    if (size > 2000) throw restErrors.invalidParameter('perPage', perPageText ?? '');
  }
  return { page: positiveInteger('page', text('page', page), 1), perPage: size };
}

export function pageOf<T>(items: readonly T[], request: PageRequest): { records: T[]; paging: Paging } {
  const totalElements = items.length;
  const totalPages = Math.max(1, Math.ceil(totalElements / request.perPage));
  const start = (request.page - 1) * request.perPage;
  const records = items.slice(start, start + request.perPage);
  const paging: Paging = { page: request.page, totalPages, perPage: request.perPage, totalElements };
  if (records.length > 0) {
    paging.pageStart = start;
    paging.pageEnd = start + records.length - 1;
  }
  return { records, paging };
}

/** `listUri` is the list's absolute URI without query; filters come first and page/perPage always last. */
export function listUri(base: string, filters: URLSearchParams, page: number, perPage: number): string {
  const query = new URLSearchParams(filters);
  query.set('page', String(page));
  query.set('perPage', String(perPage));
  return `${base}?${query.toString()}`;
}

export function navigationFor(base: string, filters: URLSearchParams, paging: Paging): Navigation {
  const at = (page: number) => ({ uri: listUri(base, filters, page, paging.perPage) });
  const navigation: Navigation = { firstPage: at(1), lastPage: at(paging.totalPages) };
  if (paging.page < paging.totalPages) navigation.nextPage = at(paging.page + 1);
  if (paging.page > 1) navigation.previousPage = at(Math.min(paging.page - 1, paging.totalPages));
  // Key order as RingCentral sends it.
  return {
    firstPage: navigation.firstPage,
    ...(navigation.nextPage ? { nextPage: navigation.nextPage } : {}),
    ...(navigation.previousPage ? { previousPage: navigation.previousPage } : {}),
    lastPage: navigation.lastPage,
  };
}

/** A REST list envelope: uri, records, paging, navigation. */
export function restList<T>(base: string, filters: URLSearchParams, items: readonly T[], request: PageRequest) {
  const { records, paging } = pageOf(items, request);
  return {
    uri: listUri(base, filters, request.page, request.perPage),
    records,
    paging,
    navigation: navigationFor(base, filters, paging),
  };
}

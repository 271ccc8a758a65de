import { ACCOUNT_PATH, directoryEntryPath } from './paths.ts';
import type { CallOptions, RestResult, UserRequester } from './requester.ts';
import type { DIRECTORY_SEARCH_FIELDS } from './schemas.ts';
import { DirectoryEntry, DirectoryList } from './schemas.ts';

export interface ListDirectoryEntriesParams {
  /** 1-based. */
  page?: number | undefined;
  /** Default 1000, at most 2000. */
  perPage?: number | undefined;
  /** User | Department | Announcement | Voicemail | SharedLinesGroup | PagingOnly | IvrMenu | ParkLocation | Limited */
  type?: string | undefined;
  showFederated?: boolean | undefined;
  siteId?: string | undefined;
  /** The ETag of a previous answer; RingCentral replies 304 if nothing changed. */
  ifNoneMatch?: string | undefined;
}

export type DirectoryListResult = RestResult<DirectoryList>;

/** GET /restapi/v1.0/account/~/directory/entries (Medium), conditional on If-None-Match. */
export async function listDirectoryEntries(
  requester: UserRequester,
  params: ListDirectoryEntriesParams = {},
  options?: CallOptions,
): Promise<DirectoryListResult> {
  return requester.call(
    {
      operation: 'listDirectoryEntries',
      method: 'GET',
      path: `${ACCOUNT_PATH}/directory/entries`,
      query: { type: params.type, showFederated: params.showFederated, siteId: params.siteId, page: params.page, perPage: params.perPage },
      headers: params.ifNoneMatch === undefined ? undefined : { 'if-none-match': params.ifNoneMatch },
      schema: DirectoryList,
      allowNotModified: params.ifNoneMatch !== undefined,
    },
    options,
  );
}

export type DirectorySearchField = (typeof DIRECTORY_SEARCH_FIELDS)[number];

export interface SearchDirectoryParams {
  /** Matched against firstName, lastName, extensionNumber, phoneNumber, email, jobTitle, department. */
  searchString?: string | undefined;
  searchFields?: readonly DirectorySearchField[] | undefined;
  extensionType?: string | undefined;
  showFederated?: boolean | undefined;
  orderBy?: readonly { index?: number; fieldName: DirectorySearchField; direction?: 'Asc' | 'Desc' }[] | undefined;
  page?: number | undefined;
  perPage?: number | undefined;
}

/** POST /restapi/v1.0/account/~/directory/entries/search (Heavy). */
export async function searchDirectoryEntries(
  requester: UserRequester,
  params: SearchDirectoryParams,
  options?: CallOptions,
): Promise<DirectoryList> {
  const body = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
  return requester.fetch(
    {
      operation: 'searchDirectoryEntries',
      method: 'POST',
      path: `${ACCOUNT_PATH}/directory/entries/search`,
      json: body,
      schema: DirectoryList,
    },
    options,
  );
}

/** GET /restapi/v1.0/account/~/directory/entries/{entryId} (Medium). */
export async function readDirectoryEntry(requester: UserRequester, entryId: string, options?: CallOptions): Promise<DirectoryEntry> {
  return requester.fetch(
    {
      operation: 'readDirectoryEntry',
      method: 'GET',
      path: directoryEntryPath(entryId),
      schema: DirectoryEntry,
      emptyBodyIsNotFound: true,
    },
    options,
  );
}

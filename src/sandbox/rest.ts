import { createHash } from 'node:crypto';
import type { AccountData } from './account-data.ts';
import { accountBusinessAddress, accountServiceInfo } from './company-info.ts';
import { answeringRule, businessHours, callerId, standardRuleIds } from './call-handling-representations.ts';
import type { StandardRuleId } from './call-handling-representations.ts';
import { restErrors } from './errors.ts';
import type { Operation, RestOperationId } from './operations.ts';
import { parseDirectoryPaging, parseRestPaging, pageOf, restList } from './paging.ts';
import { emptyReply, jsonReply } from './replies.ts';
import type { Reply } from './replies.ts';
import {
  accountInfo,
  accountPhoneNumber,
  accountUri,
  callQueueMember,
  directoryEntry,
  extensionInfo,
  extensionListRecord,
  extensionPhoneNumber,
  extensionUri,
  forwardingNumber,
  presenceInfo,
} from './representations.ts';
import type { DirectoryEntry } from './representations.ts';
import {
  accountView,
  appHasPermission,
  extensionView,
  hasForwardingFeature,
  inDirectory,
  isCallQueue,
  isOwnAccount,
  phoneNumberView,
  presenceView,
  userPermissionVerdict,
  visibleUnder,
} from './rules.ts';
import type { Caller } from './rules.ts';
import { ExtensionStatus, ExtensionType, PhoneNumberStatus, UsageType } from './seed.ts';
import type { SeedExtension } from './seed.ts';

/** One REST call, already authenticated. */
export interface RestCall {
  url: string;
  data: AccountData;
  caller: Caller;
  operation: Operation<RestOperationId>;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  ifNoneMatch: string | undefined;
}

type Handler = (call: RestCall) => Reply;

export function handleRest(call: RestCall): Reply {
  const { operation, caller } = call;
  if (operation.appPermission && !appHasPermission(caller.appPermissions, operation.appPermission)) {
    throw restErrors.appPermissionMissing(operation.appPermission);
  }
  resolveAccount(call);
  return handlers[operation.id](call);
}

// ─── resolution and permission ──────────────────────────────────────────────────────────────────────────────────

function resolveAccount(call: RestCall): void {
  const raw = call.params.accountId ?? '~';
  if (raw === '~') return;
  if (!/^\d+$/.test(raw) || !isOwnAccount(call.caller, Number(raw))) throw restErrors.notFound('accountId', raw);
}

function resolveExtension(call: RestCall): SeedExtension {
  const raw = call.params.extensionId ?? '~';
  if (raw === '~') return call.caller.extension;
  const extension = /^\d+$/.test(raw) ? call.data.extensionById(Number(raw)) : undefined;
  if (!extension) throw restErrors.notFound('extensionId', raw);
  return extension;
}

/** The operation's x-user-permission, judged by rules.ts for this caller and target. */
function requireUserPermission(call: RestCall, target?: SeedExtension): void {
  const permission = call.operation.userPermission;
  if (!permission) return;
  const verdict = userPermissionVerdict(call.caller, permission, target);
  if (verdict === 'missingPermission') throw restErrors.userPermissionMissing(permission);
  if (verdict === 'otherExtension') throw restErrors.anotherExtension(permission);
}

function enumValues<T extends string>(call: RestCall, name: string, allowed: readonly T[]): T[] {
  const values = call.query.getAll(name).filter((v) => v !== '');
  for (const value of values) if (!allowed.includes(value as T)) throw restErrors.invalidParameter(name, value);
  return values as T[];
}

/** Filters echoed in list URIs, in the order the caller gave them, without paging. */
function filtersOf(query: URLSearchParams, names: readonly string[]): URLSearchParams {
  const filters = new URLSearchParams();
  for (const [name, value] of query) if (names.includes(name) && value !== '') filters.append(name, value);
  return filters;
}

// ─── account and extensions ─────────────────────────────────────────────────────────────────────────────────────

const readAccountInfo: Handler = (call) => {
  requireUserPermission(call);
  return jsonReply(200, accountInfo(call.url, call.data, accountView(call.caller)));
};

const readAccountServiceInfo: Handler = (call) => {
  requireUserPermission(call);
  return jsonReply(200, accountServiceInfo(call.url, call.data));
};

const readAccountBusinessAddress: Handler = (call) => {
  requireUserPermission(call);
  return jsonReply(200, accountBusinessAddress(call.url, call.data));
};

const listExtensions: Handler = (call) => {
  requireUserPermission(call);
  const paging = parseRestPaging(call.query);
  const statuses = enumValues(call, 'status', ExtensionStatus.options);
  const types = enumValues(call, 'type', ExtensionType.options);
  const extensionNumber = call.query.get('extensionNumber');
  const email = call.query.get('email');
  let candidates: readonly SeedExtension[] = call.data.extensions;
  if (extensionNumber) candidates = listOf(call.data.extensionByNumber(extensionNumber));
  if (email) candidates = candidates.filter((e) => e.contact.email?.toLowerCase() === email.toLowerCase());
  if (statuses.length > 0) candidates = candidates.filter((e) => statuses.includes(e.status));
  if (types.length > 0) candidates = candidates.filter((e) => types.includes(e.type));
  const base = `${accountUri(call.url, call.data)}/extension`;
  const list = restList(base, filtersOf(call.query, ['extensionNumber', 'email', 'status', 'type']), candidates, paging);
  return jsonReply(200, {
    ...list,
    records: list.records.map((e) => extensionListRecord(call.url, call.data, e, extensionView(call.caller, e))),
  });
};

function listOf<T>(item: T | undefined): T[] {
  return item === undefined ? [] : [item];
}

const readExtension: Handler = (call) => {
  const target = resolveExtension(call);
  requireUserPermission(call, target);
  return jsonReply(200, extensionInfo(call.url, call.data, target, extensionView(call.caller, target)));
};

// ─── phone numbers ──────────────────────────────────────────────────────────────────────────────────────────────

const listExtensionPhoneNumbers: Handler = (call) => {
  const target = resolveExtension(call);
  requireUserPermission(call, target);
  const paging = parseRestPaging(call.query);
  const usageTypes = enumValues(call, 'usageType', UsageType.options);
  const [status] = enumValues(call, 'status', PhoneNumberStatus.options);
  const view = phoneNumberView(call.caller, target);
  const numbers = call.data
    .phoneNumbersOf(target)
    .filter((n) => visibleUnder(view, n))
    .filter((n) => usageTypes.length === 0 || usageTypes.includes(n.usageType))
    .filter((n) => status === undefined || n.status === status);
  const base = `${extensionUri(call.url, call.data, target)}/phone-number`;
  const list = restList(base, filtersOf(call.query, ['usageType', 'status']), numbers, paging);
  return jsonReply(200, { ...list, records: list.records.map((n) => extensionPhoneNumber(call.url, call.data, n, view)) });
};

const listAccountPhoneNumbers: Handler = (call) => {
  requireUserPermission(call);
  const paging = parseRestPaging(call.query);
  const usageTypes = enumValues(call, 'usageType', UsageType.options);
  const [status] = enumValues(call, 'status', PhoneNumberStatus.options);
  const numbers = call.data.phoneNumbers
    .filter((n) => usageTypes.length === 0 || usageTypes.includes(n.usageType))
    .filter((n) => status === undefined || n.status === status);
  const base = `${accountUri(call.url, call.data)}/phone-number`;
  const list = restList(base, filtersOf(call.query, ['usageType', 'status']), numbers, paging);
  return jsonReply(200, { ...list, records: list.records.map((n) => accountPhoneNumber(call.url, call.data, n)) });
};

const listForwardingNumbers: Handler = (call) => {
  const target = resolveExtension(call);
  requireUserPermission(call, target);
  if (!hasForwardingFeature(target)) throw restErrors.featureNotAvailable();
  const paging = parseRestPaging(call.query);
  const base = `${extensionUri(call.url, call.data, target)}/forwarding-number`;
  const list = restList(base, new URLSearchParams(), call.data.forwardingNumbersOf(target), paging);
  return jsonReply(200, { ...list, records: list.records.map((n) => forwardingNumber(call.url, call.data, target, n)) });
};

// ─── company directory ──────────────────────────────────────────────────────────────────────────────────────────

const directoryCache = new WeakMap<AccountData, DirectoryEntry[]>();

/** The directory is the same for everyone in the account, so it is built once per seed. */
function directoryOf(data: AccountData): DirectoryEntry[] {
  let entries = directoryCache.get(data);
  if (!entries) {
    entries = data.extensions.filter(inDirectory).map((e) => directoryEntry(data, e));
    directoryCache.set(data, entries);
  }
  return entries;
}

const directoryListTypes = [
  'User',
  'Department',
  'Announcement',
  'Voicemail',
  'SharedLinesGroup',
  'PagingOnly',
  'IvrMenu',
  'ParkLocation',
  'Limited',
] as const;

// Rendering and hashing a page of 2,000 entries takes milliseconds; a benchmark asks for the same pages thousands of
// times, and the directory is the same for every caller. Kept per data set, so new data starts afresh.
const directoryPages = new WeakMap<AccountData, Map<string, { body: string; etag: string }>>();

function directoryPage(data: AccountData, key: string, render: () => string): { body: string; etag: string } {
  let pages = directoryPages.get(data);
  if (!pages) {
    pages = new Map();
    directoryPages.set(data, pages);
  }
  let page = pages.get(key);
  if (!page) {
    if (pages.size >= 1000) pages.clear(); // any page numbers a client makes up stay bounded
    const body = render();
    page = { body, etag: etagOf(body) };
    pages.set(key, page);
  }
  return page;
}

function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

const listDirectoryEntries: Handler = (call) => {
  requireUserPermission(call);
  const [type] = enumValues(call, 'type', directoryListTypes);
  const siteId = call.query.get('siteId');
  let entries: readonly DirectoryEntry[] = directoryOf(call.data);
  if (type) entries = entries.filter((e) => e.type === type);
  if (siteId) entries = entries.filter((e) => e.site?.id === siteId);
  const paging = parseDirectoryPaging(call.query.get('page') ?? undefined, call.query.get('perPage') ?? undefined, entries.length);
  const { body, etag } = directoryPage(call.data, `${type ?? ''}|${siteId ?? ''}|${paging.page}|${paging.perPage}`, () =>
    JSON.stringify(pageOf(entries, paging)),
  );
  // The spec declares If-None-Match here but no ETag header; RingCentral answers 304 as for dictionary/country.
  if (etagMatches(call.ifNoneMatch, etag)) return emptyReply(304, { ETag: etag });
  return { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8', ETag: etag }, body };
};

const searchFieldNames = ['firstName', 'lastName', 'extensionNumber', 'phoneNumber', 'email', 'jobTitle', 'department'] as const;
type SearchField = (typeof searchFieldNames)[number];

function fieldValues(entry: DirectoryEntry, field: SearchField): string[] {
  if (field === 'phoneNumber') return entry.phoneNumbers.map((n) => n.phoneNumber);
  if (field === 'firstName' && 'name' in entry && entry.name !== undefined) return [entry.name];
  const value = (entry as Record<string, unknown>)[field];
  return typeof value === 'string' ? [value] : [];
}

function matchesSearch(entry: DirectoryEntry, needle: string, fields: readonly SearchField[]): boolean {
  const digits = needle.replace(/\D/g, '');
  return fields.some((field) =>
    fieldValues(entry, field).some((value) =>
      field === 'phoneNumber' ? digits.length > 0 && value.replace(/\D/g, '').includes(digits) : value.toLowerCase().includes(needle),
    ),
  );
}

const searchDirectoryEntries: Handler = (call) => {
  requireUserPermission(call);
  const body = (call.body ?? {}) as Record<string, unknown>;
  if (typeof body !== 'object' || Array.isArray(body)) throw restErrors.invalidParameter('body');
  const searchString = body.searchString;
  if (searchString !== undefined && typeof searchString !== 'string') throw restErrors.invalidParameter('searchString');
  const rawFields = body.searchFields ?? searchFieldNames;
  if (!Array.isArray(rawFields) || rawFields.some((f) => !searchFieldNames.includes(f as SearchField)))
    throw restErrors.invalidParameter('searchFields');
  const fields = rawFields as SearchField[];
  const extensionType = body.extensionType;
  if (extensionType !== undefined && typeof extensionType !== 'string') throw restErrors.invalidParameter('extensionType');
  let entries: DirectoryEntry[] = directoryOf(call.data);
  const needle = (searchString ?? '').trim().toLowerCase();
  if (needle) entries = entries.filter((e) => matchesSearch(e, needle, fields));
  if (extensionType) entries = entries.filter((e) => e.type === extensionType);
  entries = orderEntries(entries, body.orderBy);
  const paging = parseDirectoryPaging(body.page, body.perPage, entries.length);
  return jsonReply(200, pageOf(entries, paging));
};

function orderEntries(entries: DirectoryEntry[], orderBy: unknown): DirectoryEntry[] {
  if (orderBy === undefined) return entries;
  if (!Array.isArray(orderBy)) throw restErrors.invalidParameter('orderBy');
  const keys = orderBy
    .map((item: unknown) => {
      const { index, fieldName, direction } = (item ?? {}) as Record<string, unknown>;
      if (!searchFieldNames.includes(fieldName as SearchField)) throw restErrors.invalidParameter('orderBy');
      if (direction !== undefined && direction !== 'Asc' && direction !== 'Desc') throw restErrors.invalidParameter('orderBy');
      return { index: typeof index === 'number' ? index : 0, field: fieldName as SearchField, sign: direction === 'Desc' ? -1 : 1 };
    })
    .sort((a, b) => a.index - b.index);
  return [...entries].sort((a, b) => {
    for (const key of keys) {
      const left = fieldValues(a, key.field)[0] ?? '';
      const right = fieldValues(b, key.field)[0] ?? '';
      const order = left.localeCompare(right, 'en', { numeric: true, sensitivity: 'base' });
      if (order !== 0) return order * key.sign;
    }
    return 0;
  });
}

const readDirectoryEntry: Handler = (call) => {
  requireUserPermission(call);
  const entryId = call.params.entryId ?? '';
  const extension = /^\d+$/.test(entryId) ? call.data.extensionById(Number(entryId)) : undefined;
  // The spec says "If value doesn't found then empty body will be returned"; we answer RingCentral's usual 404
  // CMN-102 instead, which the client can tell from an entry.
  if (!extension || !inDirectory(extension)) throw restErrors.notFound('entryId', entryId);
  return jsonReply(200, directoryEntry(call.data, extension));
};

// ─── presence and call queues ───────────────────────────────────────────────────────────────────────────────────

const readUserPresenceStatus: Handler = (call) => {
  const target = resolveExtension(call);
  requireUserPermission(call, target);
  const view = presenceView(call.caller, target, call.data.presenceOf(target).allowSeeMyPresence);
  return jsonReply(200, presenceInfo(call.url, call.data, target, view));
};

const listCallQueueMembers: Handler = (call) => {
  const raw = call.params.groupId ?? '';
  const queue = /^\d+$/.test(raw) ? call.data.extensionById(Number(raw)) : undefined;
  if (!queue || !isCallQueue(queue)) throw restErrors.notFound('groupId', raw);
  requireUserPermission(call, queue);
  const paging = parseRestPaging(call.query);
  const base = `${accountUri(call.url, call.data)}/call-queues/${queue.id}/members`;
  const list = restList(base, new URLSearchParams(), call.data.queueMembersOf(queue), paging);
  return jsonReply(200, { ...list, records: list.records.map((member) => callQueueMember(call.url, call.data, member)) });
};

// ─── call handling ──────────────────────────────────────────────────────────────────────────────────────────────

// SANDBOX DECISION: only the two standard rules exist (no custom rules); any other ruleId answers 404 CMN-102.
const readAnsweringRule: Handler = (call) => {
  const target = resolveExtension(call);
  requireUserPermission(call, target);
  const ruleId = call.params.ruleId ?? '';
  if (!standardRuleIds.includes(ruleId as StandardRuleId)) throw restErrors.notFound('ruleId', ruleId);
  return jsonReply(200, answeringRule(call.url, call.data, target, ruleId as StandardRuleId));
};

const readUserBusinessHours: Handler = (call) => {
  const target = resolveExtension(call);
  requireUserPermission(call, target);
  return jsonReply(200, businessHours(call.url, call.data, target));
};

const readExtensionCallerId: Handler = (call) => {
  const target = resolveExtension(call);
  requireUserPermission(call, target);
  return jsonReply(200, callerId(call.url, call.data, target));
};

const handlers: Record<RestOperationId, Handler> = {
  readAccountInfo,
  readAccountServiceInfo,
  readAccountBusinessAddress,
  listExtensions,
  readExtension,
  listExtensionPhoneNumbers,
  listAccountPhoneNumbers,
  listForwardingNumbers,
  listDirectoryEntries,
  searchDirectoryEntries,
  readDirectoryEntry,
  readUserPresenceStatus,
  listCallQueueMembers,
  readAnsweringRule,
  readUserBusinessHours,
  readExtensionCallerId,
};

import type { AppPermission } from './seed.ts';

/**
 * The operations the sandbox implements. Groups and permissions are copied from the spec's x-throttling-group,
 * x-app-permission and x-user-permission (ringcentral-openapi.json v1.0.46); the spec is not read at run time.
 * OAuth endpoints are not in that spec; RingCentral's docs put them in the Auth group.
 */

export type ThrottlingGroup = 'Light' | 'Medium' | 'Heavy' | 'Auth';

export type UserPermission =
  | 'ReadCompanyInfo'
  | 'ReadServicePlanInfo'
  | 'ReadExtensions'
  | 'ReadUserPhoneNumbers'
  | 'ReadCompanyPhoneNumbers'
  | 'ReadUserForwardingFlipNumbers'
  | 'ReadPresenceStatus'
  | 'ReadUserAnsweringRules'
  | 'ReadCallerIDSettings';

export type RestOperationId =
  | 'readAccountInfo'
  | 'readAccountServiceInfo'
  | 'readAccountBusinessAddress'
  | 'listExtensions'
  | 'readExtension'
  | 'listExtensionPhoneNumbers'
  | 'listAccountPhoneNumbers'
  | 'listForwardingNumbers'
  | 'listDirectoryEntries'
  | 'searchDirectoryEntries'
  | 'readDirectoryEntry'
  | 'readUserPresenceStatus'
  | 'listCallQueueMembers'
  | 'readAnsweringRule'
  | 'readUserBusinessHours'
  | 'readExtensionCallerId';

export type OAuthOperationId = 'authorize' | 'getToken' | 'revokeToken';
export type OperationId = RestOperationId | OAuthOperationId;

export interface Operation<Id extends OperationId = OperationId> {
  id: Id;
  method: 'GET' | 'POST';
  /** Path template with {params}, matched exactly. */
  path: string;
  group: ThrottlingGroup;
  appPermission?: AppPermission;
  userPermission?: UserPermission;
}

const account = '/restapi/v1.0/account/{accountId}';
const extension = `${account}/extension/{extensionId}`;

export const restOperations: readonly Operation<RestOperationId>[] = [
  { id: 'readAccountInfo', method: 'GET', path: account, group: 'Light', appPermission: 'ReadAccounts', userPermission: 'ReadCompanyInfo' },
  {
    id: 'readAccountServiceInfo',
    method: 'GET',
    path: `${account}/service-info`,
    group: 'Light',
    appPermission: 'ReadAccounts',
    userPermission: 'ReadServicePlanInfo',
  },
  {
    id: 'readAccountBusinessAddress',
    method: 'GET',
    path: `${account}/business-address`,
    group: 'Light',
    appPermission: 'ReadAccounts',
    userPermission: 'ReadCompanyInfo',
  },
  {
    id: 'listExtensions',
    method: 'GET',
    path: `${account}/extension`,
    group: 'Medium',
    appPermission: 'ReadAccounts',
    userPermission: 'ReadExtensions',
  },
  { id: 'readExtension', method: 'GET', path: extension, group: 'Light', appPermission: 'ReadAccounts', userPermission: 'ReadExtensions' },
  {
    id: 'listExtensionPhoneNumbers',
    method: 'GET',
    path: `${extension}/phone-number`,
    group: 'Light',
    appPermission: 'ReadAccounts',
    userPermission: 'ReadUserPhoneNumbers',
  },
  {
    id: 'listAccountPhoneNumbers',
    method: 'GET',
    path: `${account}/phone-number`,
    group: 'Heavy',
    appPermission: 'ReadAccounts',
    userPermission: 'ReadCompanyPhoneNumbers',
  },
  {
    id: 'listForwardingNumbers',
    method: 'GET',
    path: `${extension}/forwarding-number`,
    group: 'Light',
    appPermission: 'ReadAccounts',
    userPermission: 'ReadUserForwardingFlipNumbers',
  },
  // The directory's GET operations carry no x-user-permission in the spec; search does (ReadExtensions).
  { id: 'listDirectoryEntries', method: 'GET', path: `${account}/directory/entries`, group: 'Medium', appPermission: 'ReadAccounts' },
  {
    id: 'searchDirectoryEntries',
    method: 'POST',
    path: `${account}/directory/entries/search`,
    group: 'Heavy',
    appPermission: 'ReadAccounts',
    userPermission: 'ReadExtensions',
  },
  {
    id: 'readDirectoryEntry',
    method: 'GET',
    path: `${account}/directory/entries/{entryId}`,
    group: 'Medium',
    appPermission: 'ReadAccounts',
  },
  {
    id: 'readUserPresenceStatus',
    method: 'GET',
    path: `${extension}/presence`,
    group: 'Light',
    appPermission: 'ReadPresence',
    userPermission: 'ReadPresenceStatus',
  },
  {
    id: 'listCallQueueMembers',
    method: 'GET',
    path: `${account}/call-queues/{groupId}/members`,
    group: 'Light',
    appPermission: 'ReadAccounts',
    userPermission: 'ReadExtensions',
  },
  {
    id: 'readAnsweringRule',
    method: 'GET',
    path: `${extension}/answering-rule/{ruleId}`,
    group: 'Light',
    appPermission: 'ReadAccounts',
    userPermission: 'ReadUserAnsweringRules',
  },
  {
    id: 'readUserBusinessHours',
    method: 'GET',
    path: `${extension}/business-hours`,
    group: 'Light',
    appPermission: 'ReadAccounts',
    userPermission: 'ReadExtensions',
  },
  {
    id: 'readExtensionCallerId',
    method: 'GET',
    path: `${extension}/caller-id`,
    group: 'Light',
    appPermission: 'ReadAccounts',
    userPermission: 'ReadCallerIDSettings',
  },
];

export const oauthOperations: readonly Operation<OAuthOperationId>[] = [
  { id: 'authorize', method: 'GET', path: '/restapi/oauth/authorize', group: 'Auth' },
  { id: 'authorize', method: 'POST', path: '/restapi/oauth/authorize', group: 'Auth' },
  { id: 'getToken', method: 'POST', path: '/restapi/oauth/token', group: 'Auth' },
  { id: 'revokeToken', method: 'POST', path: '/restapi/oauth/revoke', group: 'Auth' },
];

export interface MatchedOperation<Id extends OperationId = OperationId> {
  operation: Operation<Id>;
  params: Record<string, string>;
}

interface CompiledOperation {
  operation: Operation;
  pattern: RegExp;
  names: string[];
}

function compile(operation: Operation): CompiledOperation {
  const names: string[] = [];
  const source = operation.path
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return '([^/]+)';
    })
    .join('');
  return { operation, pattern: new RegExp(`^${source}/?$`), names };
}

const compiled = [...restOperations, ...oauthOperations].map(compile);

export function matchOperation(method: string, pathname: string): MatchedOperation | undefined {
  for (const { operation, pattern, names } of compiled) {
    if (operation.method !== method) continue;
    const match = pattern.exec(pathname);
    if (!match) continue;
    const params: Record<string, string> = {};
    names.forEach((name, index) => {
      params[name] = decodePathSegment(match[index + 1] ?? '');
    });
    return { operation, params };
  }
  return undefined;
}

/** A malformed escape ("%E0%A4%A") stays as sent: it then names no resource, as any other unknown id. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function isRestOperation(operation: Operation): operation is Operation<RestOperationId> {
  return operation.group !== 'Auth';
}

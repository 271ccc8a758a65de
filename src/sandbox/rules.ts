import { userLikeTypes } from './account-data.ts';
import type { UserPermission } from './operations.ts';
import type { AppPermission, SeedExtension, SeedPhoneNumber, SeedPresence } from './seed.ts';

/**
 * Every visibility and permission rule of the sandbox, in one place, each beside the sentence it implements.
 * Sources: the Account API guide (ringcentral-account-api-guide.txt, "Common access control rules" and
 * "Phone Numbers → Permissions") and the spec (ringcentral-openapi.json: x-app-permission, x-user-permission,
 * schema descriptions). Where the sources say nothing, the decision is marked SANDBOX DECISION.
 */

export interface Caller {
  accountId: number;
  extension: SeedExtension;
  appPermissions: readonly AppPermission[];
}

// ─── App permissions ────────────────────────────────────────────────────────────────────────────────────────────
// Guide, "Required App Permissions": "EditExtensions — … everything under ReadAccounts"; "EditAccounts — …
// everything under EditExtensions"; "Accounts — … everything under EditAccounts".
const impliedBy: Partial<Record<AppPermission, readonly AppPermission[]>> = {
  ReadAccounts: ['ReadAccounts', 'EditExtensions', 'EditAccounts', 'Accounts'],
  EditExtensions: ['EditExtensions', 'EditAccounts', 'Accounts'],
  EditAccounts: ['EditAccounts', 'Accounts'],
};

/** Spec, "User Permissions": the app must hold the operation's x-app-permission, else 403 CMN-401. */
export function appHasPermission(granted: readonly AppPermission[], required: AppPermission): boolean {
  const sufficient = impliedBy[required] ?? [required];
  return granted.some((permission) => sufficient.includes(permission));
}

// ─── Roles and user permissions ─────────────────────────────────────────────────────────────────────────────────
export function isAdministrator(extension: SeedExtension): boolean {
  return extension.admin;
}

/**
 * Guide: "only users with administrator rights may access all information about account and all of its
 * extensions" — an administrator holds every user permission for every extension.
 * A standard user's role holds these; "Self" means only for their own extension ("any user may access all the
 * information about their own extension"), "Account" means for any extension of the account, subject to the
 * view rules below.
 * - ReadCompanyInfo: Account — "any user may access public information about the account" (readAccountInfo,
 *   readAccountBusinessAddress).
 * - ReadServicePlanInfo: not held — SANDBOX DECISION (the sources say nothing of this permission's role scope):
 *   readAccountServiceInfo carries the billing plan, the account's limits and its package, which are not "public
 *   information about the account"; the brand and service plan a user may know are in readAccountInfo anyway.
 *   Others get 403 CMN-408.
 * - ReadExtensions: Account — the extension list is the company's public directory of extensions.
 * - ReadUserPhoneNumbers: Account — the phone-number rule below narrows what they see of others.
 * - ReadUserForwardingFlipNumbers: Self — spec (listForwardingNumbers): another extension's list needs this
 *   permission "granted with extended scope", else 403 CMN-419.
 * - ReadPresenceStatus: Account — RingCentral's developer support (community.ringcentral.com, "Get User Groups for a
 *   Group Manager"): "any user/extension can see other's user/extension presence status"; the presence rule below
 *   narrows what they see of a user who turned publication off.
 * - ReadUserAnsweringRules, ReadCallerIDSettings: Self — SANDBOX DECISION: the sources say only that these are
 *   user permissions; like ReadUserForwardingFlipNumbers they are about one user's own phone, which "any user may
 *   access … about their own extension", and an administrator may for all. Another extension's → 403 CMN-419.
 *   (Business hours need ReadExtensions, per the spec: a colleague's schedule is readable, their rules are not.)
 * - ReadCompanyPhoneNumbers: not held — guide: "The user with administrator privileges can also retrieve the
 *   list of all phone numbers belonging to a given account"; others get 403 CMN-408.
 */
const standardUserScope: Record<UserPermission, 'Account' | 'Self' | 'None'> = {
  ReadCompanyInfo: 'Account',
  ReadServicePlanInfo: 'None',
  ReadExtensions: 'Account',
  ReadUserPhoneNumbers: 'Account',
  ReadUserForwardingFlipNumbers: 'Self',
  ReadUserAnsweringRules: 'Self',
  ReadCallerIDSettings: 'Self',
  ReadCompanyPhoneNumbers: 'None',
  ReadPresenceStatus: 'Account',
};

export type PermissionVerdict = 'allowed' | 'missingPermission' | 'otherExtension';

/** Whether the caller's role grants `permission` for `target` (undefined = an account-level resource). */
export function userPermissionVerdict(caller: Caller, permission: UserPermission, target?: SeedExtension): PermissionVerdict {
  if (isAdministrator(caller.extension)) return 'allowed';
  const scope = standardUserScope[permission];
  if (scope === 'None') return 'missingPermission';
  if (scope === 'Self' && target !== undefined && target.id !== caller.extension.id) return 'otherExtension';
  return 'allowed';
}

// ─── Account ────────────────────────────────────────────────────────────────────────────────────────────────────
// Guide: "access is allowed only to the information related to the authenticated account" — any other accountId
// answers 404 CMN-102 [accountId], as if it did not exist.
export function isOwnAccount(caller: Caller, accountId: number): boolean {
  return accountId === caller.accountId;
}

/**
 * Guide: "any user may access public information about the account"; "only users with administrator rights may
 * access all information about account". SANDBOX DECISION: the billing plan is the only non-public part of
 * readAccountInfo; everything else (main number, operator, brand, service plan, status, regional settings) is public.
 */
export function accountView(caller: Caller): 'full' | 'public' {
  return isAdministrator(caller.extension) ? 'full' : 'public';
}

// ─── Extensions ─────────────────────────────────────────────────────────────────────────────────────────────────
export type ExtensionView = 'own' | 'admin' | 'public';

/**
 * Guide: "any user may access all the information about their own extension" → 'own';
 * "only users with administrator rights may access all information about … all of its extensions" → 'admin';
 * anyone else sees the 'public' view.
 */
export function extensionView(caller: Caller, target: SeedExtension): ExtensionView {
  if (caller.extension.id === target.id) return 'own';
  return isAdministrator(caller.extension) ? 'admin' : 'public';
}

/**
 * SANDBOX DECISION — the "public information" of another extension: what the company directory shows anyway
 * (id, uri, extensionNumber, name, type, status, site, and contact firstName, lastName, company, email, jobTitle,
 * department). Not public: businessPhone, mobilePhone, businessAddress, permissions, regionalSettings, hidden.
 */
export const publicContactFields = ['firstName', 'lastName', 'company', 'email', 'jobTitle', 'department'] as const;

/** Spec (readExtension.serviceFeatures): "returned in response only when the logged-in user requests his/her own extension info". */
export function showsServiceFeatures(view: ExtensionView): boolean {
  return view === 'own';
}

// ─── Phone numbers ──────────────────────────────────────────────────────────────────────────────────────────────
export type PhoneNumberView = 'all' | 'directNumbersWithoutFeatures';

/**
 * Guide, "Permissions": "If the logged-in user … is an 'Administrator,' then all the phone numbers without any
 * limitations are returned." and "If the logged-in user is not an 'Administrator:' only Direct Numbers of other
 * extensions are returned, even if numbers with the other usageType value are requested; features set is not
 * returned." Their own extension is theirs in full ("all the information about their own extension").
 */
export function phoneNumberView(caller: Caller, target: SeedExtension): PhoneNumberView {
  if (isAdministrator(caller.extension) || caller.extension.id === target.id) return 'all';
  return 'directNumbersWithoutFeatures';
}

export function visibleUnder(view: PhoneNumberView, number: SeedPhoneNumber): boolean {
  return view === 'all' || number.usageType === 'DirectNumber';
}

// The account-wide list (listAccountPhoneNumbers) is administrator-only: see ReadCompanyPhoneNumbers above.

// ─── Forwarding numbers ─────────────────────────────────────────────────────────────────────────────────────────
// Own extension: allowed; another extension: administrators only, others 403 CMN-419 (ReadUserForwardingFlipNumbers
// above). SANDBOX DECISION: extensions that take no calls of their own (anything but User, VirtualUser,
// DigitalUser) answer 403 CMN-403 "The feature is not available for this extension type", a code the spec lists here.
const forwardingTypes: ReadonlySet<SeedExtension['type']> = new Set(['User', 'VirtualUser', 'DigitalUser']);
export function hasForwardingFeature(target: SeedExtension): boolean {
  return forwardingTypes.has(target.type);
}

// ─── Presence ───────────────────────────────────────────────────────────────────────────────────────────────────
export type PresenceView = 'full' | 'offlineOnly';

/**
 * Spec (readUserPresenceStatus): "The 'presenceStatus' is returned as Offline (the parameters 'telephonyStatus',
 * 'message', 'userStatus' and 'dndStatus' are not returned at all)" for every type but people, and "If the user
 * requests his/her own presence status, the response contains actual presence status even if the status
 * publication is turned off"; allowSeeMyPresence "enables other extensions to see the extension presence status".
 * SANDBOX DECISION: a person who turned publication off (allowSeeMyPresence false) is shown to everyone else,
 * administrators included, as a non-person is: Offline and nothing more, plus allowSeeMyPresence false; a person
 * whose extension is not Enabled is Offline the same way (nobody can sign in to it). FaxUser counts as a non-person,
 * as the spec lists it.
 */
const presenceTypes: ReadonlySet<SeedExtension['type']> = new Set(['User', 'VirtualUser', 'DigitalUser']);
export function hasPresence(target: SeedExtension): boolean {
  return presenceTypes.has(target.type);
}

export function presenceView(caller: Caller, target: SeedExtension, allowSeeMyPresence: boolean): PresenceView {
  if (!hasPresence(target) || target.status !== 'Enabled') return 'offlineOnly';
  if (caller.extension.id === target.id) return 'full';
  return allowSeeMyPresence ? 'full' : 'offlineOnly';
}

/**
 * SANDBOX DECISION — the aggregated presenceStatus ("calculated from a number of sources"): Offline when the user
 * published Offline; Busy when they published Busy, are on a call (any telephonyStatus but NoCall) or take no calls
 * (DoNotAcceptAnyCalls); else Available.
 */
export function aggregatePresence(presence: SeedPresence): SeedPresence['userStatus'] {
  if (presence.userStatus === 'Offline') return 'Offline';
  if (presence.userStatus === 'Busy' || presence.telephonyStatus !== 'NoCall' || presence.dndStatus === 'DoNotAcceptAnyCalls')
    return 'Busy';
  return 'Available';
}

// ─── Call queues ────────────────────────────────────────────────────────────────────────────────────────────────
/**
 * Spec (listCallQueueMembers): x-user-permission ReadExtensions, which a standard user holds for the whole account
 * (above), so anyone may list a queue's members. A call queue is a Department extension; SANDBOX DECISION: any other
 * groupId, or one that is not a Department, answers 404 CMN-102 [groupId].
 */
export function isCallQueue(extension: SeedExtension): boolean {
  return extension.type === 'Department';
}

// ─── Company directory ──────────────────────────────────────────────────────────────────────────────────────────
/**
 * Spec (listDirectoryEntries): "User, DigitalUser, VirtualUser and FaxUser types are returned as User type.
 * ApplicationExtension type is not returned. Only extensions in Enabled, Disabled and NotActivated state are
 * returned." Docs: `hidden` "Hides extension from showing in company directory". The directory is the same for
 * every user of the account (its GET operations carry no user permission), and shows only public data.
 */
const directoryStatuses: ReadonlySet<SeedExtension['status']> = new Set(['Enabled', 'Disabled', 'NotActivated']);
export function inDirectory(extension: SeedExtension): boolean {
  return extension.type !== 'ApplicationExtension' && directoryStatuses.has(extension.status) && !extension.hidden;
}

export function directoryType(extension: SeedExtension): string {
  return userLikeTypes.has(extension.type) ? 'User' : extension.type;
}

/**
 * SANDBOX DECISION — directory phone numbers: an extension's DirectNumber records only (the same numbers a
 * non-administrator may see of another extension), never mobile or contact numbers.
 */
export function inDirectoryPhoneNumbers(number: SeedPhoneNumber): boolean {
  return number.usageType === 'DirectNumber';
}

// ─── Sign-in ────────────────────────────────────────────────────────────────────────────────────────────────────
/**
 * Docs (errors): OAU-105 "Login for ${extensionType} extension is not allowed."; OAU-141 "Login for extension in
 * current state is not allowed." Only people sign in: User, DigitalUser, VirtualUser and FaxUser, and only when
 * Enabled.
 */
export type SignInVerdict = 'allowed' | 'typeNotAllowed' | 'stateNotAllowed';
export function signInVerdict(extension: SeedExtension): SignInVerdict {
  if (!userLikeTypes.has(extension.type)) return 'typeNotAllowed';
  if (extension.status !== 'Enabled') return 'stateNotAllowed';
  return 'allowed';
}

import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { AccountData } from './account-data.ts';
import {
  aggregatePresence,
  directoryType,
  hasPresence,
  inDirectoryPhoneNumbers,
  publicContactFields,
  showsServiceFeatures,
} from './rules.ts';
import type { ExtensionView, PhoneNumberView, PresenceView } from './rules.ts';
import { displayName } from './seed.ts';
import type { SeedContact, SeedExtension, SeedForwardingNumber, SeedPhoneNumber } from './seed.ts';

/**
 * Seed records → RingCentral JSON, shaped by the spec's response schemas. `uri`s are absolute and carry real
 * numeric ids, never "~". Key order follows RingCentral's examples. Ids: account, extension and phone-number ids
 * are JSON numbers; nested extension.account.id, account phone number extension.id, forwarding and directory ids
 * are strings — the spec's mixed typing, copied as is.
 */

export function restBase(url: string): string {
  return `${url}/restapi/v1.0`;
}

export function accountUri(url: string, data: AccountData): string {
  return `${restBase(url)}/account/${data.account.id}`;
}

export function extensionUri(url: string, data: AccountData, extension: SeedExtension): string {
  return `${accountUri(url, data)}/extension/${extension.id}`;
}

function country(url: string, data: AccountData) {
  const home = data.account.homeCountry;
  return {
    id: home.id,
    uri: `${restBase(url)}/dictionary/country/${home.id}`,
    name: home.name,
    isoCode: home.isoCode,
    callingCode: home.callingCode,
  };
}

export function accountInfo(url: string, data: AccountData, view: 'full' | 'public') {
  const account = data.account;
  const uri = accountUri(url, data);
  const operator = data.operator;
  return {
    uri,
    id: account.id,
    ...(account.bsid === undefined ? {} : { bsid: account.bsid }),
    serviceInfo: {
      uri: `${uri}/service-info`,
      brand: { id: account.brand.id, name: account.brand.name, homeCountry: country(url, data) },
      servicePlan: { ...account.servicePlan },
      ...(view === 'full' && account.billingPlan ? { billingPlan: { ...account.billingPlan } } : {}),
    },
    ...(operator
      ? { operator: { uri: extensionUri(url, data, operator), id: operator.id, extensionNumber: operator.extensionNumber } }
      : {}),
    mainNumber: account.mainNumber,
    status: account.status,
    setupWizardState: 'Completed',
    regionalSettings: regionalSettings(url, data),
    federated: false,
  };
}

/** The account's regional settings; an extension's own time zone, when it has one, replaces the account's. */
function regionalSettings(url: string, data: AccountData, ownTimezone?: SeedExtension['timezone']) {
  const timezone = ownTimezone ?? data.account.timezone;
  return {
    homeCountry: country(url, data),
    timezone: { id: timezone.id, uri: `${restBase(url)}/dictionary/timezone/${timezone.id}`, name: timezone.name },
    language: { id: '1033', uri: `${restBase(url)}/dictionary/language/1033`, name: 'English (United States)', localeCode: 'en-US' },
    greetingLanguage: { id: '1033', localeCode: 'en-US', name: 'English (United States)' },
    formattingLocale: { id: '1033', localeCode: 'en-US', name: 'English (United States)' },
    timeFormat: '12h' as const,
  };
}

function contactFor(contact: SeedContact, view: ExtensionView) {
  if (view !== 'public') return structuredClone(contact);
  const visible: Partial<SeedContact> = {};
  for (const field of publicContactFields) {
    const value = contact[field];
    if (value !== undefined) visible[field] = value;
  }
  return visible;
}

// Service features reported on one's own extension; a fixed, plausible set (the sandbox has no billing plans).
function serviceFeatures(extension: SeedExtension) {
  const person = extension.type === 'User' || extension.type === 'DigitalUser' || extension.type === 'VirtualUser';
  return [
    { featureName: 'CallForwarding', enabled: person },
    { featureName: 'Fax', enabled: true },
    { featureName: 'InternationalCalling', enabled: false, reason: 'AccountLimitation' },
    { featureName: 'Presence', enabled: person },
    { featureName: 'RingOut', enabled: person },
    { featureName: 'SMS', enabled: person },
    { featureName: 'Voicemail', enabled: true },
    { featureName: 'VoipCalling', enabled: person },
  ];
}

/** A record of listExtensions. */
export function extensionListRecord(url: string, data: AccountData, extension: SeedExtension, view: ExtensionView) {
  const uri = extensionUri(url, data, extension);
  const record: Record<string, unknown> = {
    uri,
    id: extension.id,
    extensionNumber: extension.extensionNumber,
    name: displayName(extension),
    type: extension.type,
    status: extension.status,
    contact: contactFor(extension.contact, view),
  };
  if (view !== 'public') {
    record.permissions = { admin: { enabled: extension.admin }, internationalCalling: { enabled: false } };
    record.profileImage = { uri: `${uri}/profile-image` };
    record.hidden = extension.hidden;
  }
  if (extension.site) record.site = { ...extension.site, uri: `${accountUri(url, data)}/sites/${extension.site.id}` };
  return record;
}

/** The body of readExtension. */
export function extensionInfo(url: string, data: AccountData, extension: SeedExtension, view: ExtensionView) {
  const record = extensionListRecord(url, data, extension, view);
  const info: Record<string, unknown> = {
    uri: record.uri,
    id: record.id,
    extensionNumber: record.extensionNumber,
    name: record.name,
    type: record.type,
    status: record.status,
    contact: record.contact,
    account: { uri: accountUri(url, data), id: String(data.account.id) },
  };
  if (view !== 'public') {
    info.permissions = record.permissions;
    info.profileImage = record.profileImage;
    info.regionalSettings = regionalSettings(url, data, extension.timezone);
    info.setupWizardState = extension.status === 'NotActivated' ? 'NotStarted' : 'Completed';
    info.hidden = extension.hidden;
  }
  if (showsServiceFeatures(view)) info.serviceFeatures = serviceFeatures(extension);
  if (record.site) info.site = record.site;
  return info;
}

function phoneNumberUri(url: string, data: AccountData, number: SeedPhoneNumber): string {
  return `${accountUri(url, data)}/phone-number/${number.id}`;
}

function phoneNumberCore(url: string, data: AccountData, number: SeedPhoneNumber) {
  return {
    uri: phoneNumberUri(url, data, number),
    id: number.id,
    country: country(url, data),
    phoneNumber: number.phoneNumber,
    paymentType: number.paymentType,
    ...(number.type === undefined ? {} : { type: number.type }),
    usageType: number.usageType,
    ...(number.label === undefined ? {} : { label: number.label }),
    ...(number.location === undefined ? {} : { location: number.location }),
    status: number.status,
  };
}

/** A record of listExtensionPhoneNumbers; `features` only in the full view (guide: "features set is not returned"). */
export function extensionPhoneNumber(url: string, data: AccountData, number: SeedPhoneNumber, view: PhoneNumberView) {
  const core = phoneNumberCore(url, data, number);
  return view === 'all' ? { ...core, features: [...number.features] } : core;
}

/** A record of listAccountPhoneNumbers: no features; `extension` names the extension the number is mapped to. */
export function accountPhoneNumber(url: string, data: AccountData, number: SeedPhoneNumber) {
  const owner = data.ownerOf(number);
  return {
    ...phoneNumberCore(url, data, number),
    ...(owner ? { extension: { uri: extensionUri(url, data, owner), id: String(owner.id), extensionNumber: owner.extensionNumber } } : {}),
  };
}

export function forwardingNumber(url: string, data: AccountData, extension: SeedExtension, number: SeedForwardingNumber) {
  return {
    uri: `${extensionUri(url, data, extension)}/forwarding-number/${number.id}`,
    id: number.id,
    phoneNumber: number.phoneNumber,
    label: number.label,
    features: [...number.features],
    ...(number.flipNumber === undefined ? {} : { flipNumber: number.flipNumber }),
    ...(number.type === undefined ? {} : { type: number.type }),
  };
}

const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/;

/** RingCentral's formattedPhoneNumber is the national format; NANP numbers are formatted directly, being most of them and hot. */
export function formatNational(phoneNumber: string): string {
  const match = nanp.exec(phoneNumber);
  if (match) return `(${match[1]}) ${match[2]}-${match[3]}`;
  return parsePhoneNumberFromString(phoneNumber)?.formatNational() ?? phoneNumber;
}

export type DirectoryEntry = ReturnType<typeof directoryEntry>;

/** A directory entry: public data only, string ids, person types reported as "User". */
export function directoryEntry(data: AccountData, extension: SeedExtension) {
  const type = directoryType(extension);
  const contact = extension.contact;
  const names =
    type === 'User'
      ? {
          ...(contact.firstName === undefined ? {} : { firstName: contact.firstName }),
          ...(contact.lastName === undefined ? {} : { lastName: contact.lastName }),
        }
      : { name: displayName(extension) };
  return {
    id: String(extension.id),
    type,
    status: extension.status,
    ...names,
    ...(contact.email === undefined ? {} : { email: contact.email }),
    extensionNumber: extension.extensionNumber,
    ...(contact.jobTitle === undefined ? {} : { jobTitle: contact.jobTitle }),
    ...(contact.department === undefined ? {} : { department: contact.department }),
    account: {
      id: String(data.account.id),
      companyName: data.account.companyName,
      mainNumber: { phoneNumber: data.account.mainNumber, formattedPhoneNumber: formatNational(data.account.mainNumber) },
    },
    phoneNumbers: data
      .mappedNumbersOf(extension)
      .filter(inDirectoryPhoneNumbers)
      .map((number) => ({
        phoneNumber: number.phoneNumber,
        formattedPhoneNumber: formatNational(number.phoneNumber),
        ...(number.type === undefined ? {} : { type: number.type }),
        usageType: number.usageType,
        // The spec's ContactResource carries a number's label ("Custom user name of a phone number, if any").
        ...(number.label === undefined ? {} : { label: number.label }),
      })),
    ...(extension.site
      ? { site: { id: extension.site.id, name: extension.site.name, ...(extension.site.code ? { code: extension.site.code } : {}) } }
      : {}),
  };
}

/**
 * The body of readUserPresenceStatus, keys in the order of RingCentral's guide example. The 'offlineOnly' view is
 * the spec's reduced answer: presenceStatus Offline, no telephonyStatus, message, userStatus or dndStatus.
 */
export function presenceInfo(url: string, data: AccountData, extension: SeedExtension, view: PresenceView) {
  const uri = extensionUri(url, data, extension);
  const presence = data.presenceOf(extension);
  const head = { uri: `${uri}/presence`, extension: { uri, id: extension.id, extensionNumber: extension.extensionNumber } };
  if (view === 'offlineOnly') {
    return {
      ...head,
      presenceStatus: 'Offline' as const,
      ...(hasPresence(extension) ? { allowSeeMyPresence: presence.allowSeeMyPresence } : {}),
    };
  }
  return {
    ...head,
    presenceStatus: aggregatePresence(presence),
    telephonyStatus: presence.telephonyStatus,
    userStatus: presence.userStatus,
    dndStatus: presence.dndStatus,
    ...(presence.message === undefined ? {} : { message: presence.message }),
    allowSeeMyPresence: presence.allowSeeMyPresence,
    ringOnMonitoredCall: false,
    pickUpCallsOnHold: false,
  };
}

/** A record of listCallQueueMembers: the spec gives uri, id and extensionNumber only. */
export function callQueueMember(url: string, data: AccountData, member: SeedExtension) {
  return { uri: extensionUri(url, data, member), id: member.id, extensionNumber: member.extensionNumber };
}

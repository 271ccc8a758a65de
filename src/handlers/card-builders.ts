import type {
  AccountPhoneNumber,
  DirectoryEntry,
  Extension,
  ExtensionListRecord,
  ForwardingNumber,
  PhoneNumber,
  Presence,
} from '../api/schemas.ts';
import type {
  ChatUserRef,
  ContactDetails,
  ExtensionCard,
  ExtensionListCard,
  ExtensionListItem,
  ExtensionNumberLine,
  ForwardingCard,
  LinkedStatusCard,
  NumberCard,
  PresenceLine,
  QueueMemberItem,
  QueueMembers,
  SearchedPart,
} from './cards.ts';
import type { Command } from './parse-command.ts';
import { phoneNumberView } from './phone-display.ts';
import {
  callTypeWords,
  extensionStatusWords,
  extensionTypeWords,
  forwardingFeatureWords,
  forwardingTypeWords,
  numberFeatureWords,
  paymentTypeWords,
  extensionTypeAbout,
  phrases,
  presenceWords,
  roleWords,
  usageTypeWords,
  wordsFor,
} from './wording.ts';

/*
 * RingCentral records → cards. Builders show what the records hold and nothing more: a field RingCentral did not
 * return to this caller (features of another extension's number, a hidden mobile) simply does not appear.
 */

/** The account's home country (ISO code such as "US"), for national number formats. */
export interface DisplayContext {
  homeCountry: string | undefined;
}

/**
 * A number as a card shows it, usage and label: from the extension's own number list, an administrator's company list,
 * or a standard user's fresh directory entry.
 */
export type CardNumber = Pick<PhoneNumber, 'phoneNumber' | 'usageType' | 'label'>;

export interface ExtensionCardOptions extends DisplayContext {
  phoneNumbers?: readonly CardNumber[];
  chatUser?: ChatUserRef;
  isYou?: boolean;
  presence?: PresenceLine;
  queue?: QueueMembers;
  note?: string;
}

/** Own numbers first, then the company's numbers usable on the extension's behalf. */
const USAGE_ORDER = [
  'DirectNumber',
  'BusinessMobileNumber',
  'ExternalMobileNumber',
  'MobileNumber',
  'ContactNumber',
  'ForwardedNumber',
  'MainCompanyNumber',
  'AdditionalCompanyNumber',
  'CompanyNumber',
  'ForwardedCompanyNumber',
  'CompanyFaxNumber',
];

export function extensionCard(extension: Extension | ExtensionListRecord, options: ExtensionCardOptions): ExtensionCard {
  const contact = extension.contact;
  const numbers = sortByUsage(options.phoneNumbers ?? []).map((record): ExtensionNumberLine =>
    withOptional(
      { number: phoneNumberView(record.phoneNumber, options.homeCountry), usage: wordsFor(usageTypeWords, record.usageType) },
      'label',
      nonEmpty(record.label),
    ),
  );
  const details: ContactDetails = compact({
    email: nonEmpty(contact?.email),
    jobTitle: nonEmpty(contact?.jobTitle),
    department: nonEmpty(contact?.department),
    company: nonEmpty(contact?.company),
    businessPhone: phoneOrUndefined(contact?.businessPhone, options),
    mobilePhone: phoneOrUndefined(contact?.mobilePhone, options),
    address: addressText(contact?.businessAddress),
    site: nonEmpty(extension.site?.name),
  });
  return compact({
    kind: 'extension' as const,
    name: nonEmpty(extension.name) ?? personName(contact?.firstName, contact?.lastName) ?? phrases.unnamed,
    extensionNumber: nonEmpty(extension.extensionNumber),
    type: wordsFor(extensionTypeWords, extension.type),
    status: wordsFor(extensionStatusWords, extension.status ?? 'Enabled'),
    isYou: options.isYou ?? false,
    numbers,
    contact: details,
    chatUser: options.chatUser,
    presence: options.presence,
    about: Object.hasOwn(extensionTypeAbout, extension.type) ? extensionTypeAbout[extension.type] : undefined,
    queue: options.queue,
    note: options.note,
  });
}

/**
 * RingCentral's presence → one line. Do-not-disturb first (no call gets through), then a call in progress, then the
 * aggregated status. A person who publishes no presence is answered as Offline with allowSeeMyPresence false and no
 * detail: "not shared", rather than claiming they are offline.
 */
export function presenceLine(presence: Presence): PresenceLine | undefined {
  const status = presence.presenceStatus;
  if (status === undefined) return undefined;
  const message = nonEmpty(presence.message?.trim());
  const detail = presence.dndStatus === undefined ? undefined : presenceWords.dnd[presence.dndStatus];
  const line = (state: PresenceLine['state'], label: string): PresenceLine => compact({ state, label, detail, message });
  if (presence.dndStatus === 'DoNotAcceptAnyCalls')
    return compact({ state: 'doNotDisturb' as const, label: presenceWords.doNotDisturb, message });
  const call = presence.telephonyStatus === undefined ? undefined : presenceWords.telephony[presence.telephonyStatus];
  if (call !== undefined) return line('onCall', call);
  if (status === 'Offline') {
    if (presence.allowSeeMyPresence === false && presence.userStatus === undefined)
      return { state: 'notShared', label: presenceWords.notShared };
    return line('offline', presenceWords.offline);
  }
  if (status === 'Busy') return line('busy', presenceWords.busy);
  if (status === 'Available') return line('available', presenceWords.available);
  return line('busy', wordsFor({}, status));
}

export interface QueueMemberInput {
  extensionNumber?: string | undefined;
  name?: string | undefined;
  /** RingCentral's status code ("Disabled"); undefined when not known. */
  status?: string | undefined;
  presence?: Presence | undefined;
}

export interface QueueMembersInput {
  /** This page's members, already cut to the page. */
  members: readonly QueueMemberInput[];
  firstPosition: number;
  total: number;
  /** The command for the next page, when there is one. */
  more?: Command | undefined;
}

export function queueMembers(input: QueueMembersInput): QueueMembers {
  return compact({
    items: input.members.map((member): QueueMemberItem =>
      compact({
        name: nonEmpty(member.name),
        extensionNumber: nonEmpty(member.extensionNumber),
        status: member.status === undefined || member.status === 'Enabled' ? undefined : wordsFor(extensionStatusWords, member.status),
        presence: member.presence === undefined ? undefined : presenceLine(member.presence),
        details: detailsCommand(nonEmpty(member.extensionNumber), undefined),
      }),
    ),
    firstPosition: input.firstPosition,
    total: input.total,
    more: input.more,
  });
}

export type DirectoryCardOptions = Omit<ExtensionCardOptions, 'phoneNumbers'>;

/** The company directory's view of a person: what a standard user may see of colleagues. */
export function extensionCardFromDirectoryEntry(entry: DirectoryEntry, options: DirectoryCardOptions): ExtensionCard {
  const numbers = sortByUsage(
    (entry.phoneNumbers ?? []).map((record) => ({ ...record, usageType: record.usageType ?? 'ContactNumber' })),
  ).map((record): ExtensionNumberLine =>
    withOptional(
      { number: phoneNumberView(record.phoneNumber, options.homeCountry), usage: wordsFor(usageTypeWords, record.usageType) },
      'label',
      nonEmpty(record.label),
    ),
  );
  return compact({
    kind: 'extension' as const,
    name: directoryName(entry),
    extensionNumber: nonEmpty(entry.extensionNumber),
    type: wordsFor(extensionTypeWords, entry.type ?? 'User'),
    status: wordsFor(extensionStatusWords, entry.status ?? 'Enabled'),
    isYou: options.isYou ?? false,
    numbers,
    contact: compact({
      email: nonEmpty(entry.email),
      jobTitle: nonEmpty(entry.jobTitle),
      department: nonEmpty(entry.department),
      // Not the account's companyName: an extension's own company can differ, and the directory does not say it.
      site: nonEmpty(entry.site?.name),
    }),
    chatUser: options.chatUser,
    note: options.note,
    fromDirectory: true,
  });
}

export function extensionListItem(record: ExtensionListRecord | DirectoryEntry): ExtensionListItem {
  const isDirectory = typeof record.id === 'string';
  const name = isDirectory ? directoryName(record as DirectoryEntry) : extensionName(record as ExtensionListRecord);
  const email = isDirectory ? (record as DirectoryEntry).email : (record as ExtensionListRecord).contact?.email;
  const extensionNumber = nonEmpty(record.extensionNumber);
  const status = record.status ?? 'Enabled';
  return compact({
    name,
    extensionNumber,
    type: wordsFor(extensionTypeWords, record.type ?? 'User'),
    email: nonEmpty(email),
    status: status === 'Enabled' ? undefined : wordsFor(extensionStatusWords, status),
    details: detailsCommand(extensionNumber, nonEmpty(email)),
  });
}

export interface ExtensionListInput<Match> {
  /** The ext query as the caller wrote it; the "show more" command repeats it. */
  query: string;
  /** Every match, in the order to show them. */
  matches: readonly Match[];
  /** A shown match as a list item: only the page's are made, where a one-letter name search matches thousands. */
  toItem: (match: Match) => ExtensionListItem;
  /** 1-based. */
  page: number;
  pageSize: number;
  searched?: SearchedPart | undefined;
}

/** One page of matches, with a "show more" command while more remain. */
export function extensionListCard<Match>(input: ExtensionListInput<Match>): ExtensionListCard {
  const pageSize = Math.max(1, input.pageSize);
  const lastPage = Math.max(1, Math.ceil(input.matches.length / pageSize));
  const page = Math.min(Math.max(1, input.page), lastPage);
  const start = (page - 1) * pageSize;
  const items = input.matches.slice(start, start + pageSize).map(input.toItem);
  return compact({
    kind: 'extensionList' as const,
    query: input.query,
    items,
    firstPosition: start + 1,
    total: input.matches.length,
    more: page < lastPage ? ({ name: 'ext', query: input.query, page: page + 1 } satisfies Command) : undefined,
    searched: input.searched,
  });
}

export interface NumberCardOptions extends DisplayContext {
  /** The extension the number belongs to, when the caller may see it. */
  owner?: Pick<ExtensionListRecord, 'name' | 'extensionNumber' | 'type' | 'contact'>;
  dialledExtension?: string;
}

export function numberCard(record: PhoneNumber | AccountPhoneNumber, options: NumberCardOptions): NumberCard {
  const owner = ownerOf(record, options.owner);
  return compact({
    kind: 'number' as const,
    number: phoneNumberView(record.phoneNumber, options.homeCountry),
    dialledExtension: nonEmpty(options.dialledExtension),
    usage: wordsFor(usageTypeWords, record.usageType),
    callType: record.type === undefined ? undefined : wordsFor(callTypeWords, record.type),
    paymentType: record.paymentType === undefined ? undefined : wordsFor(paymentTypeWords, record.paymentType),
    features:
      'features' in record && record.features !== undefined ? record.features.map((f) => wordsFor(numberFeatureWords, f)) : undefined,
    label: nonEmpty(record.label),
    owner,
  });
}

export interface ForwardingCardOptions extends DisplayContext {
  owner?: string;
}

/** Records in call flip order: by flipNumber, numbers without one last, otherwise as RingCentral listed them. */
export function forwardingCard(records: readonly ForwardingNumber[], options: ForwardingCardOptions): ForwardingCard {
  const ordered = records
    .map((record, index) => ({ record, index }))
    .sort((a, b) => flipOrder(a.record) - flipOrder(b.record) || a.index - b.index)
    .map(({ record }) => record);
  return compact({
    kind: 'forwarding' as const,
    owner: options.owner,
    items: ordered.map((record) => {
      const number = phoneNumberView(record.phoneNumber ?? '', options.homeCountry);
      const type = record.type === undefined ? undefined : wordsFor(forwardingTypeWords, record.type);
      return compact({
        label: nonEmpty(record.label) ?? type ?? number.display,
        number,
        features: (record.features ?? []).map((feature) => wordsFor(forwardingFeatureWords, feature)),
        flipNumber: nonEmpty(record.flipNumber),
        type,
      });
    }),
  });
}

export function linkedStatusCard(extension: Extension | ExtensionListRecord): LinkedStatusCard {
  return compact({
    kind: 'linkedStatus' as const,
    name: extensionName(extension),
    extensionNumber: nonEmpty(extension.extensionNumber),
    email: nonEmpty(extension.contact?.email),
    company: nonEmpty(extension.contact?.company),
    role: extension.permissions?.admin?.enabled === true ? roleWords.admin : roleWords.standard,
  });
}

function ownerOf(record: PhoneNumber | AccountPhoneNumber, given: NumberCardOptions['owner']): NumberCard['owner'] {
  if (given) {
    const extensionNumber = nonEmpty(given.extensionNumber);
    return compact({
      name: nonEmpty(given.name) ?? personName(given.contact?.firstName, given.contact?.lastName) ?? phrases.unnamed,
      extensionNumber,
      type: wordsFor(extensionTypeWords, given.type),
      details: detailsCommand(extensionNumber, undefined),
    });
  }
  const ext = record.extension;
  if (ext === undefined || !('name' in ext) || nonEmpty(ext.name) === undefined) return undefined;
  const extensionNumber = nonEmpty(ext.extensionNumber);
  return compact({
    name: ext.name ?? phrases.unnamed,
    extensionNumber,
    type: wordsFor(extensionTypeWords, ext.type ?? 'User'),
    details: detailsCommand(extensionNumber, undefined),
  });
}

function detailsCommand(extensionNumber: string | undefined, email: string | undefined): Command | undefined {
  const query = extensionNumber ?? email;
  return query === undefined ? undefined : { name: 'ext', query, page: 1 };
}

function extensionName(record: Pick<ExtensionListRecord, 'name' | 'contact'>): string {
  return nonEmpty(record.name) ?? personName(record.contact?.firstName, record.contact?.lastName) ?? phrases.unnamed;
}

export function directoryName(entry: DirectoryEntry): string {
  return personName(entry.firstName, entry.lastName) ?? nonEmpty(entry.name) ?? phrases.unnamed;
}

function personName(first: string | undefined, last: string | undefined): string | undefined {
  return nonEmpty(
    [first, last]
      .map((part) => part?.trim() ?? '')
      .filter((part) => part !== '')
      .join(' '),
  );
}

function addressText(address: NonNullable<ExtensionListRecord['contact']>['businessAddress']): string | undefined {
  if (!address) return undefined;
  const cityLine = [address.city, [address.state, address.zip].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return nonEmpty(
    [address.street, cityLine, address.country]
      .map((part) => part?.trim())
      .filter(Boolean)
      .join(', '),
  );
}

function phoneOrUndefined(raw: string | undefined, context: DisplayContext) {
  const text = nonEmpty(raw);
  return text === undefined ? undefined : phoneNumberView(text, context.homeCountry);
}

function sortByUsage<T extends { usageType: string }>(records: readonly T[]): T[] {
  const rank = (usage: string) => {
    const index = USAGE_ORDER.indexOf(usage);
    return index === -1 ? USAGE_ORDER.length : index;
  };
  return records
    .map((record, index) => ({ record, index }))
    .sort((a, b) => rank(a.record.usageType) - rank(b.record.usageType) || a.index - b.index)
    .map(({ record }) => record);
}

function flipOrder(record: ForwardingNumber): number {
  const flip = Number(record.flipNumber);
  return record.flipNumber !== undefined && Number.isFinite(flip) ? flip : Number.MAX_SAFE_INTEGER;
}

function nonEmpty(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function withOptional<T extends object, K extends string, V>(base: T, key: K, value: V | undefined): T & Partial<Record<K, V>> {
  return value === undefined ? base : { ...base, [key]: value };
}

type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Drops undefined fields, so cards hold only what is there (and deep equality in tests means what it says). */
function compact<T extends object>(object: T): Compact<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Compact<T>;
}

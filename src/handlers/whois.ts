import type { DirectoryEntry, PhoneNumber } from '../api/schemas.ts';
import type { CompanyNumber, CompanyNumbersReading } from './company-numbers.ts';
import { extensionListItem, numberCard } from './card-builders.ts';
import type { Reply } from './cards.ts';
import { makeReply } from './make-reply.ts';
import type { Directory } from './directory.ts';
import { toE164 } from './e164.ts';
import type { LookupContext } from './ext.ts';
import { parsePhoneQuery } from './parse-phone-query.ts';
import { phoneNumberView } from './phone-display.ts';
import { invalidPhoneReply, numberNotFoundReply, numberNotFoundYetReply } from './replies.ts';

type NumberRecord = PhoneNumber | CompanyNumber;

interface Found {
  record: NumberRecord;
  owner?: Owner;
}

/** Not found yet: a number the directory does not list, while the company's number list is still being read. */
interface NotFoundYet {
  companyNumbersRead: CompanyNumbersReading;
}

interface Owner {
  id: string;
  name: string;
  extensionNumber?: string;
  type: string;
}

/**
 * `/whois <number>`: who or what owns a phone number, as far as RingCentral lets this requester see. Sources, in order:
 * the requester's own number list (their numbers and the company numbers they may use), the company directory, the
 * company's number list (administrators only) and the account's public main number. A number found nowhere — not the
 * company's, or hidden from this requester — gets one and the same "not found" reply.
 */
export async function answerWhois(
  context: LookupContext,
  queryText: string,
  answerExtension: (extensionNumber: string) => Promise<Reply>,
): Promise<Reply> {
  const { directory } = context;
  const homeCountry = await directory.homeCountry();
  const query = parsePhoneQuery(queryText, homeCountry);
  if (query.kind === 'invalid') return invalidPhoneReply(query.reason);
  if (query.kind === 'extensionNumber') {
    // A local number typed without its area code reads as a long extension number; say what is wrong with it unless
    // the company really has that extension (the lookup is cached, so answering it costs nothing more).
    const problem = query.ifNoSuchExtension;
    if (problem !== undefined && (await directory.extensionsByNumber(query.value)).length === 0) return invalidPhoneReply(problem);
    return answerExtension(query.value);
  }

  const found = await findNumber(directory, query.e164);
  const display = phoneNumberView(query.e164, homeCountry).display;
  if (found === undefined) return numberNotFoundReply(display);
  if ('companyNumbersRead' in found) return numberNotFoundYetReply(display, found.companyNumbersRead);
  return makeReply(
    numberCard(found.record, {
      homeCountry,
      ...(found.owner ? { owner: { name: found.owner.name, extensionNumber: found.owner.extensionNumber, type: found.owner.type } } : {}),
      ...(query.extension === undefined ? {} : { dialledExtension: query.extension }),
    }),
  );
}

async function findNumber(directory: Directory, e164: string): Promise<Found | NotFoundYet | undefined> {
  const [ownNumbers, index, self] = await Promise.all([
    directory.phoneNumbers(directory.requester.extensionId),
    directory.usableIndex(),
    directory.self(),
  ]);
  // Without a usable index (a large directory still being indexed in the background), RingCentral's search answers.
  const directoryEntryWithNumber = async (number: string) => (index ? index.byNumber.get(number) : await searchByNumber(directory, number));
  const directoryEntryOf = async (id: string, extensionNumber: string | undefined) =>
    index ? index.byId.get(id) : await searchByExtensionNumber(directory, id, extensionNumber);

  const own = ownNumbers.find((record) => sameNumber(record.phoneNumber, e164));
  if (own) {
    const owner =
      own.usageType === 'DirectNumber'
        ? (ownerFromEntry(index?.byId.get(String(self.id))) ?? {
            id: String(self.id),
            name: self.name ?? '',
            type: self.type,
            extensionNumber: self.extensionNumber,
          })
        : undefined;
    return { record: own, ...(owner ? { owner } : {}) };
  }

  const entry = await directoryEntryWithNumber(e164);
  if (entry) {
    const owner = ownerFromEntry(entry)!;
    // The owner's number list, as RingCentral shows it to this requester, says what the number is and, to an
    // administrator, its features. A number the directory lists but that list does not (a mobile contact number) is
    // described by the directory's own record, which RingCentral also showed this requester.
    const record = (await directory.phoneNumbers(entry.id)).find((candidate) => sameNumber(candidate.phoneNumber, e164));
    return { record: record ?? directoryRecord(entry, e164), owner };
  }

  let notFoundYet: NotFoundYet | undefined;
  if (self.permissions?.admin?.enabled === true) {
    // Undefined for an administrator's role that may not read the list: the number stays "not found", as for anyone.
    const companyNumbers = await directory.companyNumbers();
    const company = companyNumbers && 'byNumber' in companyNumbers ? companyNumbers.byNumber.get(e164) : undefined;
    if (companyNumbers && !('byNumber' in companyNumbers)) notFoundYet = { companyNumbersRead: companyNumbers };
    if (company) {
      const ownerId = company.extension?.id;
      // An extension the directory leaves out (a hidden one) is still shown to an administrator: its own record names it.
      const owner =
        ownerId === undefined
          ? undefined
          : (ownerFromEntry(await directoryEntryOf(ownerId, company.extension?.extensionNumber)) ??
            (await ownerFromRecord(directory, ownerId)));
      const detailed =
        ownerId === undefined
          ? undefined
          : (await directory.phoneNumbers(ownerId)).find((candidate) => sameNumber(candidate.phoneNumber, e164));
      return { record: detailed ?? company, ...(owner ? { owner } : {}) };
    }
  }

  const account = await directory.account();
  if (account.mainNumber !== undefined && sameNumber(account.mainNumber, e164)) {
    return { record: { id: 0, phoneNumber: account.mainNumber, usageType: 'MainCompanyNumber' } };
  }
  return notFoundYet;
}

/** The directory entry listing this number, from one search by phone number (which matches digits anywhere). */
async function searchByNumber(directory: Directory, e164: string): Promise<DirectoryEntry | undefined> {
  const { entries } = await directory.searchEntries(e164.replace(/\D/g, ''), ['phoneNumber']);
  return entries.find((entry) => entry.phoneNumbers?.some((number) => sameNumber(number.phoneNumber, e164)));
}

/** The directory entry of one extension, found by its number; none for an extension the directory does not show. */
async function searchByExtensionNumber(
  directory: Directory,
  id: string,
  extensionNumber: string | undefined,
): Promise<DirectoryEntry | undefined> {
  if (extensionNumber === undefined) return undefined;
  const { entries } = await directory.searchEntries(extensionNumber, ['extensionNumber']);
  return entries.find((entry) => entry.id === id);
}

function sameNumber(raw: string, e164: string): boolean {
  return toE164(raw)[0] === e164;
}

function ownerFromEntry(entry: DirectoryEntry | undefined): Owner | undefined {
  if (!entry) return undefined;
  const item = extensionListItem(entry);
  return {
    id: entry.id,
    name: item.name,
    type: entry.type ?? 'User',
    ...(item.extensionNumber ? { extensionNumber: item.extensionNumber } : {}),
  };
}

/** The owner as their own record names them, for an extension the directory does not list; undefined if unreadable. */
async function ownerFromRecord(directory: Directory, extensionId: string): Promise<Owner | undefined> {
  try {
    const record = await directory.extension(extensionId);
    return {
      id: extensionId,
      name: record.name ?? '',
      type: record.type,
      ...(record.extensionNumber ? { extensionNumber: record.extensionNumber } : {}),
    };
  } catch {
    return undefined;
  }
}

/** A directory phone number in the shape of a phone-number record: usage only, nothing RingCentral did not say. */
function directoryRecord(entry: DirectoryEntry, e164: string): PhoneNumber {
  const listed = entry.phoneNumbers?.find((number) => sameNumber(number.phoneNumber, e164));
  return {
    id: 0,
    phoneNumber: listed?.phoneNumber ?? e164,
    usageType: listed?.usageType ?? 'ContactNumber',
    ...(listed?.label ? { label: listed.label } : {}),
  };
}

import { HeldBack } from '../api/errors.ts';
import type { DirectoryEntry, Extension, ExtensionListRecord, Presence } from '../api/schemas.ts';
import {
  directoryName,
  extensionCard,
  extensionCardFromDirectoryEntry,
  extensionListCard,
  extensionListItem,
  presenceLine,
  queueMembers,
} from './card-builders.ts';
import type { CardNumber } from './card-builders.ts';
import type { Reply, QueueMembers, SearchedPart } from './cards.ts';
import { makeReply } from './make-reply.ts';
import type { ChatPeople } from './chat-people.ts';
import type { Directory } from './directory.ts';
import { decodeChatEntities } from './input-text.ts';
import type { ExtQuery } from './parse-ext-query.ts';
import { parseExtQuery } from './parse-ext-query.ts';
import { searchByName, searchWord } from './name-search.ts';
import { phrases } from './wording.ts';
import { invalidExtQueryReply, noChatEmailReply, noExtensionForChatUserReply, noMatchInPartReply, noMatchReply } from './replies.ts';

export interface LookupContext {
  directory: Directory;
  people: ChatPeople;
}

/**
 * RingCentral lists the company's shared numbers (main, company, fax …) with every extension's own numbers, as usable
 * on its behalf. On a person's card they would read as theirs; /whois answers for them instead.
 */
const COMPANY_WIDE_USAGE: ReadonlySet<string> = new Set([
  'MainCompanyNumber',
  'AdditionalCompanyNumber',
  'CompanyNumber',
  'CompanyFaxNumber',
  'ForwardedCompanyNumber',
]);

/**
 * How long a standard user's held-back card may wait for their index to be built in the background (at 100,000
 * extensions, 50 Medium pages: about a minute past the one the burst spent). Slack shows "Looking that up…" meanwhile
 * and Teams its typing dots; past this, "many lookups" is the better answer.
 */
const HELD_BACK_INDEX_WAIT_MS = 120_000;

/** How many matches one list shows; "show more" pages through the rest. */
export const EXTENSION_LIST_PAGE_SIZE = 10;

/**
 * `/ext <query>`: one extension → its card; several → a list; none → say so. A phone number typed here is
 * answered as `/whois` would (the caller passes that in, to keep the two commands independent).
 */
export async function answerExt(
  context: LookupContext,
  queryText: string,
  page: number,
  answerPhone: (text: string) => Promise<Reply>,
): Promise<Reply> {
  const query = parseExtQuery(queryText);
  const { directory, people } = context;
  switch (query.kind) {
    case 'invalid':
      return invalidExtQueryReply(query.reason);
    case 'phoneNumber':
      return answerPhone(query.text);
    case 'self':
      return extensionReply(context, await directory.self(), page);
    case 'extensionNumber': {
      // The index knows the extension's id: its record, numbers and presence are read side by side, one round trip.
      const entry = directory.indexIfUsable()?.byExtensionNumber.get(query.value);
      if (entry !== undefined) return extensionReplyOfEntry(context, entry, page);
      try {
        return await recordsReply(context, queryText, query, page, await directory.extensionsByNumber(query.value));
      } catch (error) {
        const fallback = error instanceof HeldBack ? await answerWhenHeldBack(context, query.value, error, page) : undefined;
        if (fallback === undefined) throw error;
        return fallback;
      }
    }
    case 'email':
      return recordsReply(context, queryText, query, page, await directory.extensionsByEmail(query.value));
    case 'slackMention': {
      const profile = await people.emailOf(query.userId);
      if (profile?.email === undefined) return noChatEmailReply();
      const records = await directory.extensionsByEmail(profile.email);
      if (records.length === 0) return noExtensionForChatUserReply(profile.displayName ?? profile.email);
      return recordsReply(context, queryText, query, page, records);
    }
    case 'name': {
      const index = await directory.usableIndex();
      const { matches, searched } = index
        ? { matches: searchByName(index.entries, query.terms, index.nameWords), searched: undefined }
        : await searchByNameAtRingCentral(directory, query.terms);
      // One match among part of what RingCentral found need not be the one meant: it is listed, not opened.
      if (matches.length === 1 && searched === undefined) return extensionReplyOfEntry(context, matches[0]!, page);
      if (matches.length === 0 && searched !== undefined) return noMatchInPartReply(queryText, searched);
      return listReply(queryText, query, page, matches, searched);
    }
  }
}

/**
 * A name search while no index is usable: RingCentral's search for the longest word typed (it matches anywhere in
 * first name, last name or email), narrowed and ranked by the index's own rules, so the answer reads the same;
 * `searched` is set when the matches come from part of what the search found.
 */
async function searchByNameAtRingCentral(
  directory: Directory,
  terms: readonly string[],
): Promise<{ matches: DirectoryEntry[]; searched?: SearchedPart | undefined }> {
  const word = searchWord(terms);
  if (word === undefined) return { matches: [] };
  const { entries, complete, found } = await directory.searchEntries(word, ['firstName', 'lastName', 'email']);
  const matches = searchByName(entries, terms);
  return complete ? { matches } : { matches, searched: { word, read: entries.length, found } };
}

async function recordsReply(
  context: LookupContext,
  queryText: string,
  query: ExtQuery,
  page: number,
  records: readonly ExtensionListRecord[],
): Promise<Reply> {
  if (records.length === 1) return extensionReply(context, records[0]!, page);
  return listReply(queryText, query, page, records);
}

function listReply(
  queryText: string,
  query: ExtQuery,
  page: number,
  matches: readonly (ExtensionListRecord | DirectoryEntry)[],
  searched?: SearchedPart,
): Reply {
  if (matches.length === 0) return noMatchReply(queryText, query);
  const card = extensionListCard({
    query: queryText,
    matches,
    toItem: extensionListItem,
    page,
    pageSize: EXTENSION_LIST_PAGE_SIZE,
    searched,
  });
  // "Show more" repeats the query as the chat sent it (escapes included); the title shows it as the person typed it.
  return makeReply({ ...card, query: decodeChatEntities(queryText) });
}

/** Extension types that have a presence of their own; RingCentral answers Offline for every other. */
const PRESENCE_TYPES: ReadonlySet<string> = new Set(['User', 'DigitalUser', 'VirtualUser']);

/** How many members of a call queue one card shows, each with their presence; "show more" pages through the rest. */
export const QUEUE_PAGE_SIZE = 10;

/**
 * One extension's card: its record plus the numbers RingCentral shows this requester, the matching chat user, and
 * for a person their presence, read in parallel so a cold card takes no longer; for a call queue, a page of its
 * members.
 */
async function extensionReply(
  context: LookupContext,
  record: Extension | ExtensionListRecord,
  page = 1,
  read: { presence?: Promise<Presence | undefined>; numbers?: Promise<readonly CardNumber[]> } = {},
): Promise<Reply> {
  const { directory, people } = context;
  const id = String(record.id);
  const email = record.contact?.email;
  const [phoneNumbers, homeCountry, chatUser, presence, queue] = await Promise.all([
    read.numbers ?? directory.cardNumbers(id),
    directory.homeCountry(),
    email === undefined ? undefined : people.findByEmail(email).catch(() => undefined),
    hasPresence(record) ? (read.presence ?? presenceOrNothing(context, id)) : undefined,
    record.type === 'Department' ? queuePage(context, record, page) : undefined,
  ]);
  const line = presence === undefined ? undefined : presenceLine(presence);
  return makeReply(
    extensionCard(record, {
      homeCountry,
      phoneNumbers: phoneNumbers.filter((number) => !COMPANY_WIDE_USAGE.has(number.usageType)),
      isYou: id === directory.requester.extensionId,
      ...(chatUser === undefined ? {} : { chatUser }),
      ...(line === undefined ? {} : { presence: line }),
      ...(queue === undefined ? {} : { queue }),
    }),
  );
}

/**
 * The card of a directory entry. The entry says only what the directory shows (a Fax user reads as "User", the
 * company is the account's), so the card is drawn from the extension's own record, as RingCentral shows it to this
 * requester; the entry's id and type let that record, the numbers and the presence be read side by side rather than
 * one after the other. A standard user's numbers of a colleague are the entry's own, from a fresh index (what
 * RingCentral shows them of another extension's numbers: its direct numbers). The requester's own card keeps its own
 * path (their record is `self`).
 */
async function extensionReplyOfEntry(context: LookupContext, entry: DirectoryEntry, page: number): Promise<Reply> {
  const { directory } = context;
  if (entry.id === directory.requester.extensionId) return extensionReply(context, await directory.self(), page);
  try {
    return await fullReplyOfEntry(context, entry, page);
  } catch (error) {
    if (error instanceof HeldBack && (await isStandardUser(directory))) return directoryEntryReply(context, entry, error);
    throw error;
  }
}

async function fullReplyOfEntry(context: LookupContext, entry: DirectoryEntry, page: number): Promise<Reply> {
  const { directory } = context;
  const guess = { type: entry.type ?? 'User', status: entry.status };
  // Presence is handed over rather than cached-and-reread: a presence that failed or timed out is not cached, and
  // reading it again would make the card wait twice.
  const presence = hasPresence(guess) ? presenceOrNothing(context, entry.id) : undefined;
  // Handed over too: a standard user's come from the entry itself, which a second read by id would not see.
  const numbers = directory.cardNumbers(entry.id, entry);
  const [record] = await Promise.all([
    recordOfEntry(directory, entry),
    numbers,
    presence,
    // A call queue is a Department in the directory too: its member list goes beside the rest.
    entry.type === 'Department' ? directory.queueMembers(entry.id).catch(() => undefined) : undefined,
  ]);
  // The record read above is cached for this requester: drawing the card adds no call.
  return extensionReply(context, record, page, { presence, numbers });
}

/**
 * A standard user whose budget for the minute cannot pay for a full card (Medium's 40 a minute pays for about 40 from
 * the index, Light's 50 for about 25 without one) gets the directory's entry, which RingCentral already showed them
 * with their own token, saying what it leaves out and when the full card can be had: a burst of lookups is answered,
 * never refused. An administrator is not: the entry leaves out too much of what RingCentral shows them (mobile and
 * business phones, addresses, every kind of number).
 */
async function directoryEntryReply(context: LookupContext, entry: DirectoryEntry, heldBack: HeldBack): Promise<Reply> {
  const { directory, people } = context;
  const [homeCountry, chatUser] = await Promise.all([
    directory.homeCountry().catch(() => undefined),
    entry.email === undefined ? undefined : people.findByEmail(entry.email).catch(() => undefined),
  ]);
  return makeReply(
    extensionCardFromDirectoryEntry(entry, {
      homeCountry,
      ...(chatUser === undefined ? {} : { chatUser }),
      note: phrases.directoryCardNote(heldBack),
    }),
  );
}

/**
 * The card for a standard user held back before any index could answer: the directory's entry from the index (built
 * now if the directory is small, since its own group's budget may still allow that) or from one directory search
 * (Heavy) while the index is built in the background. When neither can say, the answer waits for that background
 * build if it ends within HELD_BACK_INDEX_WAIT_MS, and is then the full card if the budget has come back, or the
 * entry. Undefined when none of that can be had: the plain "many lookups" answer stands.
 */
async function answerWhenHeldBack(
  context: LookupContext,
  extensionNumber: string,
  heldBack: HeldBack,
  page: number,
): Promise<Reply | undefined> {
  const { directory } = context;
  if (!(await isStandardUser(directory))) return undefined;
  try {
    const entry = await directoryEntryNow(directory, extensionNumber);
    if (entry === 'absent') return undefined;
    if (entry !== 'unknown')
      return entry.id === directory.requester.extensionId ? undefined : directoryEntryReply(context, entry, heldBack);
    const built = (await directory.indexBuiltWithin(HELD_BACK_INDEX_WAIT_MS))?.byExtensionNumber.get(extensionNumber);
    return built === undefined ? undefined : await extensionReplyOfEntry(context, built, page);
  } catch {
    return undefined;
  }
}

/**
 * An extension's directory entry as RingCentral shows the requester now, from the usable index or one directory
 * search: `absent` when the directory does not list it, `unknown` when neither could tell (the search was held back
 * too, or read only part of its matches).
 */
async function directoryEntryNow(directory: Directory, extensionNumber: string): Promise<DirectoryEntry | 'absent' | 'unknown'> {
  const index = await directory.usableIndex();
  if (index) return index.byExtensionNumber.get(extensionNumber) ?? 'absent';
  try {
    const { entries, complete } = await directory.searchEntries(extensionNumber, ['extensionNumber']);
    return entries.find((candidate) => candidate.extensionNumber === extensionNumber) ?? (complete ? 'absent' : 'unknown');
  } catch (error) {
    if (error instanceof HeldBack) return 'unknown';
    throw error;
  }
}

/** Whether the requester is known to be a standard user; an unknown role (their record not readable now) is not. */
async function isStandardUser(directory: Directory): Promise<boolean> {
  try {
    return !(await directory.isAdministrator());
  } catch {
    return false;
  }
}

/**
 * The extension's record by its number, as a typed /ext <number> reads it (listExtensions, Medium): the same record
 * as before the index, and a card's calls spread over two groups (this Medium one beside Light presence) rather than
 * all Light, so a burst of cards is not held back by one group sooner.
 */
async function recordOfEntry(directory: Directory, entry: DirectoryEntry): Promise<Extension | ExtensionListRecord> {
  if (entry.extensionNumber !== undefined) {
    const record = (await directory.extensionsByNumber(entry.extensionNumber)).find((candidate) => String(candidate.id) === entry.id);
    if (record !== undefined) return record;
  }
  return directory.extension(entry.id);
}

function hasPresence(record: { type: string; status?: string | undefined }): boolean {
  return PRESENCE_TYPES.has(record.type) && (record.status ?? 'Enabled') === 'Enabled';
}

/**
 * Presence is an extra: an app without ReadPresence, a refusal or a failure of this one call leaves the card without
 * it, and nothing else fails.
 */
function presenceOrNothing(context: LookupContext, extensionId: string): Promise<Presence | undefined> {
  return context.directory.presence(extensionId).catch(() => undefined);
}

/**
 * A page of a queue's members: one call lists them all (cached as other answers); names come from the directory
 * index this requester already uses for names; presence is read for this page's people only, at most
 * QUEUE_PAGE_SIZE calls.
 */
async function queuePage(context: LookupContext, queue: Extension | ExtensionListRecord, page: number): Promise<QueueMembers> {
  const { directory } = context;
  const [members, index] = await Promise.all([directory.queueMembers(String(queue.id)), directory.usableIndex().catch(() => undefined)]);
  const lastPage = Math.max(1, Math.ceil(members.length / QUEUE_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), lastPage);
  const start = (current - 1) * QUEUE_PAGE_SIZE;
  const shown = members.slice(start, start + QUEUE_PAGE_SIZE);
  const rows = await Promise.all(
    shown.map(async (member) => {
      const entry = index?.byId.get(String(member.id));
      const person = entry === undefined ? { type: 'User' } : { type: entry.type ?? 'User', status: entry.status };
      const presence = hasPresence(person) ? await presenceOrNothing(context, String(member.id)) : undefined;
      return {
        extensionNumber: member.extensionNumber ?? entry?.extensionNumber,
        name: entry === undefined ? undefined : directoryName(entry),
        status: entry?.status,
        presence,
      };
    }),
  );
  const more =
    current < lastPage && queue.extensionNumber !== undefined
      ? { name: 'ext' as const, query: queue.extensionNumber, page: current + 1 }
      : undefined;
  return queueMembers({ members: rows, firstPosition: start + 1, total: members.length, more });
}

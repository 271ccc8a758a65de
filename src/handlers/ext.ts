import type { DirectoryEntry, Extension, ExtensionListRecord } from '../api/schemas.ts';
import { extensionCard, extensionListCard, extensionListItem } from './card-builders.ts';
import type { Reply } from './cards.ts';
import { makeReply } from './cards.ts';
import type { ChatPeople } from './chat-people.ts';
import type { Directory } from './directory.ts';
import { decodeChatEntities } from './input-text.ts';
import type { ExtQuery } from './parse-ext-query.ts';
import { parseExtQuery } from './parse-ext-query.ts';
import { searchByName } from './name-search.ts';
import { invalidExtQueryReply, noChatEmailReply, noExtensionForChatUserReply, noMatchReply } from './replies.ts';

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
      return extensionReply(context, await directory.self());
    case 'extensionNumber':
      return recordsReply(context, queryText, query, page, await directory.extensionsByNumber(query.value));
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
      const index = await directory.directoryIndex();
      const matches = searchByName(index.entries, query.terms);
      if (matches.length === 1) return extensionReply(context, await directory.extension(matches[0]!.id));
      return listReply(queryText, query, page, matches);
    }
  }
}

async function recordsReply(
  context: LookupContext,
  queryText: string,
  query: ExtQuery,
  page: number,
  records: readonly ExtensionListRecord[],
): Promise<Reply> {
  if (records.length === 1) return extensionReply(context, records[0]!);
  return listReply(queryText, query, page, records);
}

function listReply(queryText: string, query: ExtQuery, page: number, matches: readonly (ExtensionListRecord | DirectoryEntry)[]): Reply {
  if (matches.length === 0) return noMatchReply(queryText, query);
  const card = extensionListCard({ query: queryText, matches: matches.map(extensionListItem), page, pageSize: EXTENSION_LIST_PAGE_SIZE });
  // "Show more" repeats the query as the chat sent it (escapes included); the title shows it as the person typed it.
  return makeReply({ ...card, query: decodeChatEntities(queryText) });
}

/** One extension's card: its record plus the numbers RingCentral shows this requester, and the matching chat user. */
async function extensionReply(context: LookupContext, record: Extension | ExtensionListRecord): Promise<Reply> {
  const { directory, people } = context;
  const id = String(record.id);
  const email = record.contact?.email;
  const [phoneNumbers, homeCountry, chatUser] = await Promise.all([
    directory.phoneNumbers(id),
    directory.homeCountry(),
    email === undefined ? undefined : people.findByEmail(email).catch(() => undefined),
  ]);
  return makeReply(
    extensionCard(record, {
      homeCountry,
      phoneNumbers: phoneNumbers.filter((number) => !COMPANY_WIDE_USAGE.has(number.usageType)),
      isYou: id === directory.requester.extensionId,
      ...(chatUser === undefined ? {} : { chatUser }),
    }),
  );
}

import type { UserApi } from '../api/client.ts';
import type { AccountBusinessAddress, AccountServiceInfo } from '../api/company.ts';
import { NotFound, NotPermitted, RingCentralError } from '../api/errors.ts';
import type { AccountInfo, Extension } from '../api/schemas.ts';
import type { Reply } from './cards.ts';
import { makeReply } from './make-reply.ts';
import type { CompanyAdminFacts, CompanyCard, CountLine } from './company-card.ts';
import { companyWording } from './company-card.ts';
import type { ExtensionCounts, NumberCensus } from './company-census.ts';
import { COUNTED_STATUSES, countExtensions, EXTENSION_GROUPS, numberCensus } from './company-census.ts';
import type { Directory } from './directory.ts';
import { phoneNumberView } from './phone-display.ts';
import type { Requester, RequesterCache } from './requester-cache.ts';
import { extensionStatusWords, usageTypeWords, wordsFor } from './wording.ts';

/** Numbers mapped to no extension shown per card; "show more" pages through the rest. */
export const UNASSIGNED_PAGE_SIZE = 10;

/** The company-level answers of one requester, from their own token and kept under their key like every other. */
export class CompanyLookups {
  readonly #api: UserApi;
  readonly #requester: Requester;
  readonly #cache: RequesterCache;

  constructor(api: UserApi, requester: Requester, cache: RequesterCache) {
    this.#api = api;
    this.#requester = requester;
    this.#cache = cache;
  }

  businessAddress(): Promise<AccountBusinessAddress> {
    return this.#cached('company:businessAddress', () => this.#api.readAccountBusinessAddress());
  }

  serviceInfo(): Promise<AccountServiceInfo> {
    return this.#cached('company:serviceInfo', () => this.#api.readAccountServiceInfo());
  }

  extensionCounts(): Promise<ExtensionCounts | undefined> {
    return this.#cached('company:extensionCounts', () => countExtensions(this.#api));
  }

  numberCensus(): Promise<NumberCensus> {
    return this.#cached('company:numberCensus', () => numberCensus(this.#api));
  }

  #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.#cache.get(this.#requester, key, load);
  }
}

/**
 * `/switchboard company`: the account's basic information as RingCentral shows it to the asker. Administrators also get
 * counts and the numbers mapped to no extension; a standard user's card is built from calls their role may make and
 * nothing else. A part RingCentral refuses (a custom role) is left out rather than failing the card.
 */
export async function answerCompany(directory: Directory, lookups: CompanyLookups, page: number): Promise<Reply> {
  const [account, isAdministrator, address] = await Promise.all([
    directory.account(),
    directory.isAdministrator(),
    unlessRefused(lookups.businessAddress()),
  ]);
  const homeCountry = account.serviceInfo?.brand?.homeCountry?.isoCode ?? account.regionalSettings?.homeCountry?.isoCode;
  const companyName = nonEmpty(address?.company);

  if (page > 1) {
    const census = isAdministrator ? await unlessRefused(lookups.numberCensus()) : undefined;
    if (census !== undefined && (page - 1) * UNASSIGNED_PAGE_SIZE < census.unassigned.length) {
      const card: CompanyCard = { kind: 'company', continuation: true, admin: { unassigned: unassignedPage(census, page, homeCountry) } };
      if (companyName !== undefined) card.companyName = companyName;
      return makeReply(card);
    }
    // Past the end, or not an administrator: the card itself.
  }

  const [operator, admin] = await Promise.all([
    operatorOf(directory, account),
    isAdministrator ? adminFacts(lookups, homeCountry) : undefined,
  ]);
  return makeReply(companyCard({ account, companyName, homeCountry, operator, admin }));
}

interface CardInput {
  account: AccountInfo;
  companyName: string | undefined;
  homeCountry: string | undefined;
  operator: Extension | undefined;
  admin: CompanyAdminFacts | undefined;
}

function companyCard(input: CardInput): CompanyCard {
  const { account } = input;
  const card: CompanyCard = { kind: 'company', continuation: false };
  if (input.companyName !== undefined) card.companyName = input.companyName;
  if (nonEmpty(account.mainNumber) !== undefined) card.mainNumber = phoneNumberView(account.mainNumber!, input.homeCountry);
  const servicePlan = account.serviceInfo?.servicePlan;
  const plan = [nonEmpty(servicePlan?.name), nonEmpty(servicePlan?.edition)].filter((part) => part !== undefined).join(', ');
  if (plan !== '') card.servicePlan = plan;
  const brand = nonEmpty(account.serviceInfo?.brand?.name);
  if (brand !== undefined) card.brand = brand;
  const country = nonEmpty(account.regionalSettings?.homeCountry?.name) ?? nonEmpty(account.serviceInfo?.brand?.homeCountry?.name);
  if (country !== undefined) card.homeCountry = country;
  if (account.status !== undefined) card.status = wordsFor(companyWording.accountStatus, account.status);
  const operatorNumber = nonEmpty(input.operator?.extensionNumber) ?? nonEmpty(account.operator?.extensionNumber);
  if (account.operator) {
    const name = nonEmpty(input.operator?.name);
    card.operator = {
      ...(name === undefined ? {} : { name }),
      ...(operatorNumber === undefined
        ? {}
        : { extensionNumber: operatorNumber, details: { name: 'ext', query: operatorNumber, page: 1 } }),
    };
  }
  if (input.admin !== undefined) card.admin = input.admin;
  return card;
}

/** The operator's name, read with the asker's token; without it the card shows the extension number alone. */
async function operatorOf(directory: Directory, account: AccountInfo): Promise<Extension | undefined> {
  const id = account.operator?.id;
  if (id === undefined) return undefined;
  return unlessRefused(directory.extension(String(id)), { orMissing: true });
}

async function adminFacts(lookups: CompanyLookups, homeCountry: string | undefined): Promise<CompanyAdminFacts> {
  const facts: CompanyAdminFacts = {};
  // The counts spend the Medium and Heavy budgets; when RingCentral is busy or silent the rest of the card still shows.
  const unlessBusy = async <T>(lookup: Promise<T>): Promise<T | undefined> => {
    try {
      return await unlessRefused(lookup);
    } catch (error) {
      if (!(error instanceof RingCentralError) || !TRANSIENT.has(error.kind)) throw error;
      facts.incomplete = true;
      return undefined;
    }
  };
  const [serviceInfo, extensions, census] = await Promise.all([
    unlessBusy(lookups.serviceInfo()),
    unlessBusy(lookups.extensionCounts()),
    unlessBusy(lookups.numberCensus()),
  ]);
  if (serviceInfo?.serviceFeatures) {
    facts.features = serviceInfo.serviceFeatures
      .filter((feature) => feature.enabled)
      .map((feature) => wordsFor(companyWording.features, feature.featureName));
  }
  if (extensions) {
    facts.extensions = {
      total: extensions.total,
      byStatus: countLines(
        [...COUNTED_STATUSES, 'Other'].map((status) => [status, extensions.byStatus[status as keyof ExtensionCounts['byStatus']]]),
        (status) => (status === 'Other' ? companyWording.other : wordsFor(extensionStatusWords, status)),
      ),
      byType: countLines(
        [...EXTENSION_GROUPS.map((group) => group.key), 'other'].map((key) => [
          key,
          extensions.byGroup[key as keyof ExtensionCounts['byGroup']],
        ]),
        (key) => companyWording.extensionGroups[key] ?? key,
      ),
    };
  }
  if (census) {
    facts.numbers = {
      total: census.total,
      byUsage: countLines(
        Object.entries(census.byUsage).sort(([, a], [, b]) => b - a),
        (usage) => (usage === 'Other' ? companyWording.other : wordsFor(usageTypeWords, usage)),
      ),
    };
    facts.unassigned = unassignedPage(census, 1, homeCountry);
  }
  return facts;
}

/** Failures that pass: a limit reached, no answer, an unreadable answer. */
const TRANSIENT: ReadonlySet<RingCentralError['kind']> = new Set(['rate-limited', 'held-back', 'unavailable', 'invalid-response']);

function unassignedPage(census: NumberCensus, page: number, homeCountry: string | undefined): NonNullable<CompanyAdminFacts['unassigned']> {
  const start = (page - 1) * UNASSIGNED_PAGE_SIZE;
  const shown = census.unassigned.slice(start, start + UNASSIGNED_PAGE_SIZE);
  const hasMore = start + shown.length < census.unassigned.length;
  return {
    items: shown.map((record) => {
      const label = nonEmpty(record.label);
      return {
        number: phoneNumberView(record.phoneNumber, homeCountry),
        usage: wordsFor(usageTypeWords, record.usageType),
        ...(label === undefined ? {} : { label }),
      };
    }),
    firstPosition: start + 1,
    total: census.unassigned.length,
    ...(hasMore ? { more: { name: 'company' as const, page: page + 1 } } : {}),
  };
}

function countLines(entries: ReadonlyArray<readonly [string, number | undefined]>, label: (key: string) => string): CountLine[] {
  return entries
    .filter((entry): entry is readonly [string, number] => entry[1] !== undefined && entry[1] > 0)
    .map(([key, count]) => ({ label: label(key), count }));
}

/** RingCentral refusing this part to this requester (403, or 404 for an operator they may not see) leaves it out. */
async function unlessRefused<T>(lookup: Promise<T>, options: { orMissing?: boolean } = {}): Promise<T | undefined> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof NotPermitted) return undefined;
    if (options.orMissing && error instanceof NotFound) return undefined;
    throw error;
  }
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text;
}

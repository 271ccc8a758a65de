import type { Outline, OutlineAction, OutlineFact } from './outline.ts';
import type { Command } from './parse-command.ts';
import type { PhoneNumberView } from './phone-display.ts';
import { phrases } from './wording.ts';

/*
 * The company card (`/switchboard company`, Teams `company`): the account's basic information as RingCentral shows it
 * to the asker, and for administrators the counts and the numbers mapped to no extension. Model, wording and outline
 * live together here; renderers draw the outline like any other card.
 */

export interface CountLine {
  label: string;
  count: number;
}

export interface UnassignedNumber {
  number: PhoneNumberView;
  usage: string;
  label?: string;
}

/** What only administrators are shown. A part RingCentral refused (a custom role) is left out. */
export interface CompanyAdminFacts {
  /** A part could not be read just now (a rate limit, no answer); asking again later may show it. */
  incomplete?: boolean;
  features?: string[];
  extensions?: { total: number; byStatus: CountLine[]; byType: CountLine[] };
  numbers?: { total: number; byUsage: CountLine[] };
  unassigned?: {
    items: UnassignedNumber[];
    /** 1-based position of items[0] among all of them. */
    firstPosition: number;
    total: number;
    more?: Command;
  };
}

export interface CompanyCard {
  kind: 'company';
  companyName?: string;
  mainNumber?: PhoneNumberView;
  servicePlan?: string;
  brand?: string;
  homeCountry?: string;
  status?: string;
  operator?: { name?: string; extensionNumber?: string; details?: Command };
  /** Undefined for standard users. */
  admin?: CompanyAdminFacts;
  /** A "show more" page: only the next numbers mapped to no extension. */
  continuation: boolean;
}

export const companyWording = {
  title: (name: string | undefined) => name ?? 'Your company',
  subtitle: 'Company information',
  adminSubtitle: 'Company information · administrator view',
  unassignedRange: (first: number, last: number, total: number) => `Numbers mapped to no extension: ${first}–${last} of ${total}`,
  standardFootnote: 'Administrators also see how many extensions and numbers the company has.',
  incomplete: 'Some counts could not be read from RingCentral just now. Ask again in a minute to see them.',
  showOperator: (name: string) => `Show ${name}`,
  labels: {
    mainNumber: 'Main number',
    servicePlan: 'Service plan',
    brand: 'Brand',
    homeCountry: 'Home country',
    status: 'Account status',
    operator: 'Operator',
    features: 'Features enabled',
    extensions: 'Extensions',
    extensionTypes: 'Extension types',
    numbers: 'Phone numbers',
    unassigned: 'Numbers mapped to no extension',
  },
  accountStatus: { Initial: 'Initial', Confirmed: 'Active (confirmed)', Unconfirmed: 'Unconfirmed', Disabled: 'Disabled' } as Readonly<
    Record<string, string>
  >,
  extensionGroups: {
    people: 'People',
    callQueues: 'Call queues',
    ivrMenus: 'Auto-receptionist menus',
    messagesAndAnnouncements: 'Message-only and announcement',
    groupsAndParking: 'Shared lines, paging and park locations',
    other: 'Other',
  } as Readonly<Record<string, string>>,
  /** Feature names whose words wordsFor would get wrong. */
  features: {
    DND: 'Do not disturb',
    SMS: 'SMS',
    MMS: 'MMS',
    InternationalSMS: 'International SMS',
    RingOut: 'RingOut',
    VoipCalling: 'VoIP calling',
    VoipCallingOnMobile: 'VoIP calling on mobile',
    HDVoice: 'HD voice',
    RCTeams: 'RingCentral Video',
    WebPhone: 'Web phone',
  } as Readonly<Record<string, string>>,
  other: 'Other',
  noneUnassigned: 'None',
} as const;

export function summarizeCompany(card: CompanyCard): string {
  const title = companyWording.title(card.companyName);
  if (card.continuation && card.admin?.unassigned) return `${title}: ${rangeText(card.admin.unassigned)}`;
  const main = card.mainNumber === undefined ? undefined : `${companyWording.labels.mainNumber} ${card.mainNumber.display}`;
  return main === undefined ? title : `${title}: ${main}`;
}

export function outlineCompany(card: CompanyCard): Outline {
  const unassigned = card.admin?.unassigned;
  const items = (unassigned?.items ?? []).map((item) => ({
    title: item.number.display,
    details: [item.usage, ...(item.label === undefined || item.label === item.usage ? [] : [item.label])],
  }));
  const more: OutlineAction[] = unassigned?.more ? [{ kind: 'command', label: phrases.showMore, command: unassigned.more }] : [];
  const outline: Outline = {
    tone: 'plain',
    title: companyWording.title(card.companyName),
    paragraphs: [],
    facts: [],
    items,
    actions: [],
    suggestions: [],
    examples: [],
  };
  if (card.continuation) {
    return { ...outline, ...(unassigned ? { subtitle: rangeText(unassigned) } : {}), actions: more };
  }

  const labels = companyWording.labels;
  const facts: OutlineFact[] = [];
  if (card.mainNumber) facts.push({ label: labels.mainNumber, value: { kind: 'phone', number: card.mainNumber } });
  pushText(facts, labels.servicePlan, card.servicePlan);
  pushText(facts, labels.brand, card.brand);
  pushText(facts, labels.homeCountry, card.homeCountry);
  pushText(facts, labels.status, card.status);
  pushText(facts, labels.operator, operatorText(card.operator));

  const admin = card.admin;
  if (admin?.features) pushText(facts, labels.features, admin.features.length === 0 ? phrases.none : admin.features.join(', '));
  if (admin?.extensions) {
    pushText(facts, labels.extensions, withBreakdown(admin.extensions.total, admin.extensions.byStatus));
    pushText(facts, labels.extensionTypes, countsText(admin.extensions.byType));
  }
  if (admin?.numbers) pushText(facts, labels.numbers, withBreakdown(admin.numbers.total, admin.numbers.byUsage));
  if (unassigned) pushText(facts, labels.unassigned, unassigned.total === 0 ? companyWording.noneUnassigned : String(unassigned.total));

  const actions: OutlineAction[] = [];
  if (card.mainNumber?.e164 !== undefined) {
    actions.push({
      kind: 'call',
      label: phrases.call(card.mainNumber.display),
      number: { ...card.mainNumber, e164: card.mainNumber.e164 },
    });
  }
  if (card.operator?.details && card.operator.name !== undefined) {
    actions.push({ kind: 'command', label: companyWording.showOperator(card.operator.name), command: card.operator.details });
  }
  actions.push(...more);

  return {
    ...outline,
    subtitle: admin === undefined ? companyWording.subtitle : companyWording.adminSubtitle,
    paragraphs: admin?.incomplete === true ? [companyWording.incomplete] : [],
    facts,
    actions,
    ...(admin === undefined ? { footnote: companyWording.standardFootnote } : {}),
  };
}

function rangeText(unassigned: NonNullable<CompanyAdminFacts['unassigned']>): string {
  const last = unassigned.firstPosition + unassigned.items.length - 1;
  return companyWording.unassignedRange(unassigned.firstPosition, last, unassigned.total);
}

function operatorText(operator: CompanyCard['operator']): string | undefined {
  if (operator === undefined) return undefined;
  const extension = operator.extensionNumber === undefined ? undefined : phrases.extensionShort(operator.extensionNumber);
  if (operator.name === undefined) return extension;
  return extension === undefined ? operator.name : `${operator.name} (${extension})`;
}

function countsText(lines: readonly CountLine[]): string {
  return lines.map((line) => `${line.label} ${line.count}`).join(' · ');
}

function withBreakdown(total: number, lines: readonly CountLine[]): string {
  return lines.length === 0 ? String(total) : `${total}: ${countsText(lines)}`;
}

function pushText(facts: OutlineFact[], label: string, text: string | undefined): void {
  if (text !== undefined && text !== '') facts.push({ label, value: { kind: 'text', text } });
}

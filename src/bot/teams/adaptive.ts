import type { Reply } from '../../handlers/cards.ts';
import type { Outline, OutlineAction, OutlineFact, OutlineItem } from '../../handlers/card-outline.ts';
import { outlineCard } from '../../handlers/card-outline.ts';
import { formatCommand } from '../../handlers/parse-command.ts';
import { telUri } from '../../handlers/phone-display.ts';
import { phrases } from '../../handlers/wording.ts';

/*
 * Reply → Adaptive Card (schema 1.5). Pure: no I/O, no RingCentral. Every string from data is a TextRun, which
 * Adaptive Cards never read as markdown, so a name like `[click](https://…)` stays text. Hosts older than 1.5 show the
 * card's fallbackText, which carries the whole answer as plain lines. Content that does not fit Teams' message size
 * is left out from the end and counted in an "…and N more" line.
 */

export const teamsLimits = {
  /** Teams refuses a bot message larger than about 28 KB (the whole activity, as JSON). */
  messageBytes: 28 * 1024,
  /** The card's share of it; the rest is the activity envelope (ids, summary, service URL). */
  cardBytes: 24 * 1024,
  /** The default host config's maxActions; Teams shows no more buttons in one set. */
  actionsPerSet: 5,
  summary: 500,
  title: 200,
  subtitle: 300,
  paragraph: 600,
  paragraphs: 5,
  factLabel: 100,
  factValue: 500,
  facts: 40,
  itemTitle: 200,
  itemDetails: 500,
  items: 30,
  hint: 600,
  actionTitle: 80,
  url: 2048,
  fallbackText: 2000,
} as const;

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** Key of the Action.Submit data whose value is a command for parseCommand ("ext smith page:2"). */
export const SUBMIT_COMMAND_KEY = 'switchboardCommand';

export type TextColor = 'default' | 'accent' | 'good' | 'warning' | 'attention';

export interface TextRun {
  type: 'TextRun';
  text: string;
  weight?: 'bolder';
  size?: 'small' | 'medium';
  color?: TextColor;
  isSubtle?: boolean;
  selectAction?: OpenUrlAction;
}

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  url: string;
  title?: string;
  tooltip?: string;
  style?: 'positive';
}

export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data: { [SUBMIT_COMMAND_KEY]: string };
}

export type CardAction = OpenUrlAction | SubmitAction;

export type Spacing = 'none' | 'small' | 'medium';

export type CardElement =
  | { type: 'RichTextBlock'; inlines: TextRun[]; spacing?: Spacing }
  | { type: 'Container'; items: CardElement[]; separator?: boolean; spacing?: Spacing }
  | { type: 'ColumnSet'; columns: Column[]; spacing?: Spacing }
  | { type: 'ActionSet'; actions: CardAction[] };

export interface Column {
  type: 'Column';
  width: 'auto' | 'stretch' | number;
  items: CardElement[];
  verticalContentAlignment?: 'center';
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: typeof ADAPTIVE_CARD_SCHEMA;
  version: '1.5';
  fallbackText: string;
  body: CardElement[];
  actions?: CardAction[];
}

/** The message activity that carries one reply. */
export interface TeamsMessage {
  type: 'message';
  summary: string;
  attachments: [{ contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; content: AdaptiveCard }];
}

const toneMarks: Record<Outline['tone'], string> = { plain: '', info: '', success: '✅ ', warning: '⚠️ ', error: '❌ ' };
const toneColors: Record<Outline['tone'], TextColor> = {
  plain: 'default',
  info: 'accent',
  success: 'good',
  warning: 'warning',
  error: 'attention',
};

/** How much of an outline one card shows; shrunk step by step until the card fits. */
interface Shown {
  facts: number;
  items: number;
  paragraphs: number;
  hints: boolean;
  fallbackText: number;
}

export function renderTeams(reply: Reply): TeamsMessage {
  const summary = [reply.text, outlineCard(reply.card, 'plain').title].map(oneLine).find((text) => text !== '') ?? '—';
  return {
    type: 'message',
    summary: clip(summary, teamsLimits.summary),
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: renderAdaptiveCard(reply) }],
  };
}

export function renderAdaptiveCard(reply: Reply): AdaptiveCard {
  const outline = outlineCard(reply.card, 'plain');
  let shown: Shown = {
    facts: Math.min(outline.facts.length, teamsLimits.facts),
    items: Math.min(outline.items.length, teamsLimits.items),
    paragraphs: Math.min(outline.paragraphs.length, teamsLimits.paragraphs),
    hints: true,
    fallbackText: teamsLimits.fallbackText,
  };
  for (;;) {
    const card = buildCard(outline, shown);
    const next = shrink(shown);
    if (byteLength(card) <= teamsLimits.cardBytes || next === undefined) return card;
    shown = next;
  }
}

/** The next smaller selection: items first, then facts, then hints, paragraphs and the fallback text. */
function shrink(shown: Shown): Shown | undefined {
  const less = (count: number) => Math.floor(count * 0.75);
  if (shown.items > 0) return { ...shown, items: less(shown.items) };
  if (shown.facts > 0) return { ...shown, facts: less(shown.facts) };
  if (shown.hints) return { ...shown, hints: false };
  if (shown.paragraphs > 1) return { ...shown, paragraphs: 1 };
  if (shown.fallbackText > teamsLimits.title) return { ...shown, fallbackText: teamsLimits.title };
  return undefined;
}

function buildCard(outline: Outline, shown: Shown): AdaptiveCard {
  const body: CardElement[] = [
    richText([
      run(`${toneMarks[outline.tone]}${outline.title}`, teamsLimits.title, {
        weight: 'bolder',
        size: 'medium',
        color: toneColors[outline.tone],
      }),
    ]),
  ];
  if (outline.subtitle !== undefined) body.push(richText([run(outline.subtitle, teamsLimits.subtitle, { isSubtle: true })], 'none'));
  for (const paragraph of outline.paragraphs.slice(0, shown.paragraphs)) body.push(richText([run(paragraph, teamsLimits.paragraph)]));

  const facts = outline.facts.slice(0, shown.facts);
  if (facts.length > 0) body.push({ type: 'Container', spacing: 'medium', items: facts.map(factRow) });
  const items = outline.items.slice(0, shown.items);
  if (outline.itemsTitle !== undefined) {
    body.push(richText([run(outline.itemsTitle, teamsLimits.subtitle, { weight: 'bolder' })]));
  }
  body.push(...items.map(itemContainer));

  const actions = outline.actions.map(cardAction).filter((action) => action !== undefined);
  const shownActions = actions.slice(0, teamsLimits.actionsPerSet);
  const omitted = outline.facts.length - facts.length + (outline.items.length - items.length) + (actions.length - shownActions.length);
  if (omitted > 0) body.push(richText([run(phrases.moreNotShown(omitted), teamsLimits.hint, { isSubtle: true })]));

  if (shown.hints) {
    for (const hint of hintLines(outline)) body.push(richText([run(hint, teamsLimits.hint, { isSubtle: true, size: 'small' })]));
  }

  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: ADAPTIVE_CARD_SCHEMA,
    version: '1.5',
    fallbackText: fallbackText(outline, shown),
    body,
  };
  if (shownActions.length > 0) card.actions = shownActions;
  return card;
}

function factRow(fact: OutlineFact): CardElement {
  return {
    type: 'ColumnSet',
    spacing: 'small',
    columns: [
      { type: 'Column', width: 2, items: [richText([run(fact.label, teamsLimits.factLabel, { weight: 'bolder' })])] },
      { type: 'Column', width: 3, items: [richText([factValue(fact)])] },
    ],
  };
}

function factValue(fact: OutlineFact): TextRun {
  const value = fact.value;
  switch (value.kind) {
    case 'text':
      return run(value.text, teamsLimits.factValue);
    case 'phone': {
      const text = run(value.number.display, teamsLimits.factValue);
      return value.number.e164 === undefined ? text : { ...text, selectAction: { type: 'Action.OpenUrl', url: telUri(value.number.e164) } };
    }
    case 'email': {
      const text = run(value.address, teamsLimits.factValue);
      return MAILTO_SAFE.test(value.address) ? { ...text, selectAction: { type: 'Action.OpenUrl', url: `mailto:${value.address}` } } : text;
    }
    case 'chatUser':
      return run(value.user.displayName ?? value.user.id, teamsLimits.factValue);
  }
}

/** An address that is its own mailto: URL, with nothing to percent-encode; others are shown without a link. */
const MAILTO_SAFE = /^[A-Za-z0-9.!#$'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;

function itemContainer(item: OutlineItem): CardElement {
  const text: CardElement[] = [richText([run(item.title, teamsLimits.itemTitle, { weight: 'bolder' })])];
  if (item.details.length > 0) text.push(richText([run(item.details.join(' · '), teamsLimits.itemDetails, { isSubtle: true })], 'none'));
  const action = item.action === undefined ? undefined : cardAction(item.action);
  if (action === undefined) return { type: 'Container', separator: true, items: text };
  return {
    type: 'Container',
    separator: true,
    items: [
      {
        type: 'ColumnSet',
        columns: [
          { type: 'Column', width: 'stretch', items: text },
          { type: 'Column', width: 'auto', verticalContentAlignment: 'center', items: [{ type: 'ActionSet', actions: [action] }] },
        ],
      },
    ],
  };
}

function cardAction(action: OutlineAction): CardAction | undefined {
  const title = clip(oneLine(action.label), teamsLimits.actionTitle) || '—';
  switch (action.kind) {
    case 'call':
      return { type: 'Action.OpenUrl', title, url: telUri(action.number.e164), tooltip: action.number.e164 };
    case 'openUrl': {
      // A cut URL would lead somewhere else; one that does not fit, or is not http(s), is left out instead.
      if (action.url.length > teamsLimits.url || !/^https?:\/\/[^\s]+$/i.test(action.url)) return undefined;
      const open: OpenUrlAction = { type: 'Action.OpenUrl', title, url: action.url };
      return action.primary ? { ...open, style: 'positive' } : open;
    }
    case 'command':
      return { type: 'Action.Submit', title, data: { [SUBMIT_COMMAND_KEY]: formatCommand(action.command, 'plain') } };
  }
}

function hintLines(outline: Outline): string[] {
  const lines: string[] = [];
  if (outline.examples.length > 0) lines.push(`${phrases.examples}: ${outline.examples.join(' · ')}`);
  if (outline.suggestions.length > 0) lines.push(`${phrases.tryThis}: ${outline.suggestions.join(' · ')}`);
  if (outline.footnote !== undefined) lines.push(outline.footnote);
  return lines;
}

/** The whole answer as plain lines, for hosts that cannot show a 1.5 card. The host reads it as markdown. */
function fallbackText(outline: Outline, shown: Shown): string {
  const lines = [`${toneMarks[outline.tone]}${outline.title}`];
  if (outline.subtitle !== undefined) lines.push(outline.subtitle);
  lines.push(...outline.paragraphs.slice(0, shown.paragraphs));
  for (const fact of outline.facts.slice(0, shown.facts)) lines.push(`${fact.label}: ${plainFactValue(fact)}`);
  if (outline.itemsTitle !== undefined) lines.push(outline.itemsTitle);
  for (const item of outline.items.slice(0, shown.items)) lines.push([item.title, ...item.details].join(' · '));
  const text = lines.map((line) => escapeMarkdown(oneLine(line))).join('\n\n');
  return clip(text, shown.fallbackText) || '—';
}

function plainFactValue(fact: OutlineFact): string {
  const value = fact.value;
  switch (value.kind) {
    case 'text':
      return value.text;
    case 'phone':
      return value.number.e164 === undefined || value.number.e164 === value.number.display
        ? value.number.display
        : `${value.number.display} (${value.number.e164})`;
    case 'email':
      return value.address;
    case 'chatUser':
      return value.user.displayName ?? value.user.id;
  }
}

function richText(inlines: TextRun[], spacing?: Spacing): CardElement {
  return spacing === undefined ? { type: 'RichTextBlock', inlines } : { type: 'RichTextBlock', inlines, spacing };
}

function run(text: string, max: number, style: Omit<TextRun, 'type' | 'text'> = {}): TextRun {
  const shown = clip(oneLine(text), max);
  return { type: 'TextRun', text: shown === '' ? '—' : shown, ...style };
}

/** One line with no control characters (C0, DEL, C1) and no bidi overrides; data never lays out the card. */
function oneLine(text: string): string {
  return text
    .replace(/\r\n|[\r\n\u2028\u2029\t]/g, ' ')
    .replace(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '')
    .trim();
}

/** At most `max` UTF-16 units, ending in "…" when cut, never inside a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if (end > 0 && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** Markdown that would format or link: emphasis, code, link brackets, and block markers at a line start. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\*_`~[\]]/g, '\\$&').replace(/^([#>+-]|\d+\.)/, '\\$1');
}

function byteLength(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

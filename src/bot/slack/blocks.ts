import type { Reply } from '../../handlers/cards.ts';
import type { Outline, OutlineAction, OutlineFact, OutlineItem } from '../../handlers/card-outline.ts';
import { outlineCard } from '../../handlers/card-outline.ts';
import { formatCommand } from '../../handlers/parse-command.ts';
import { telUri } from '../../handlers/phone-display.ts';
import { phrases } from '../../handlers/wording.ts';
import { escapeMrkdwnClipped, escapePlainTextClipped, escapeSlackTextClipped, mrkdwnLink, userMention } from './mrkdwn.ts';

/*
 * Reply → Block Kit. Pure: no I/O, no RingCentral. Where no link, mention or bold is needed the text is plain_text,
 * which Slack never parses. Every limit below is Slack's (Block Kit reference); content that does not fit is cut
 * with "…" or summarised as "…and N more", so Slack never rejects a message as invalid_blocks.
 */

export const slackLimits = {
  blocksPerMessage: 50,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonUrl: 3000,
  buttonValue: 2000,
  elementsPerActions: 25,
  /** Slack allows more in a context element; kept lower so a long context line never dominates. */
  contextText: 2000,
  /** Top-level `text` may be longer, but it only feeds notifications and screen readers. */
  messageText: 3000,
} as const;

/** action_id prefixes; each button gets `<prefix>:<n>`, unique within the message. */
export const slackActionIds = {
  /** Button whose `value` is a command for parseCommand ("ext smith page:2"). */
  command: 'switchboard_command',
  /** URL buttons (tel: calls, Connect RingCentral): Slack still sends an action the app must acknowledge. */
  call: 'switchboard_call',
  openUrl: 'switchboard_open_url',
} as const;

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

export interface MrkdwnText {
  type: 'mrkdwn';
  text: string;
  /** true: Slack does not auto-link URLs, channel names or mentions in our text. */
  verbatim: true;
}

export interface ButtonElement {
  type: 'button';
  text: PlainText;
  action_id: string;
  url?: string;
  value?: string;
  style?: 'primary' | 'danger';
}

export type SlackBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text: PlainText | MrkdwnText; accessory?: ButtonElement }
  | { type: 'section'; fields: MrkdwnText[] }
  | { type: 'context'; elements: Array<PlainText | MrkdwnText> }
  | { type: 'actions'; elements: ButtonElement[] };

export interface SlackMessage {
  /** Notification and accessibility fallback; Slack parses it as mrkdwn, so it is escaped too. */
  text: string;
  blocks: SlackBlock[];
}

const toneMarks: Record<Outline['tone'], string> = { plain: '', info: '', success: '✅ ', warning: '⚠️ ', error: '❌ ' };
const MAX_PARAGRAPHS = 5;
const FIELD_LABEL_MAX = 200;
const ITEM_TITLE_MAX = 300;

export function renderSlack(reply: Reply): SlackMessage {
  const outline = outlineCard(reply.card, 'slash');
  const buttons = new ButtonFactory();
  const mentionsAllowed = reply.visibility === 'private';

  const head: SlackBlock[] = [{ type: 'header', text: plain(`${toneMarks[outline.tone]}${outline.title}`, slackLimits.headerText) }];
  if (outline.subtitle !== undefined) head.push(context(outline.subtitle));
  for (const paragraph of outline.paragraphs.slice(0, MAX_PARAGRAPHS)) {
    head.push({ type: 'section', text: plain(paragraph, slackLimits.sectionText) });
  }

  const actionElements = outline.actions.map((action) => buttons.make(action)).filter((button) => button !== undefined);
  const shownActions = actionElements.slice(0, slackLimits.elementsPerActions);
  const tail: SlackBlock[] = [];
  if (shownActions.length > 0) tail.push({ type: 'actions', elements: shownActions });
  if (outline.examples.length > 0) tail.push(context(`${phrases.examples}: ${outline.examples.join(' · ')}`));
  if (outline.suggestions.length > 0) tail.push(context(`${phrases.tryThis}: ${outline.suggestions.join(' · ')}`));
  if (outline.footnote !== undefined) tail.push(context(outline.footnote));

  // One block stays free for the "…and N more" line, and one for the items' heading when there is one.
  const itemsHeading = outline.itemsTitle === undefined ? [] : [context(outline.itemsTitle)];
  let room = slackLimits.blocksPerMessage - head.length - tail.length - itemsHeading.length - 1;
  const factGroups = chunk(outline.facts, slackLimits.fieldsPerSection);
  const shownFactGroups = factGroups.slice(0, Math.max(0, room));
  room -= shownFactGroups.length;
  const shownItems = outline.items.slice(0, Math.max(0, room));

  const body: SlackBlock[] = [
    ...shownFactGroups.map((facts): SlackBlock => ({ type: 'section', fields: facts.map((fact) => factField(fact, mentionsAllowed)) })),
    ...itemsHeading,
    ...shownItems.map((item) => itemSection(item, buttons)),
  ];
  const omitted =
    outline.facts.length -
    shownFactGroups.reduce((sum, group) => sum + group.length, 0) +
    (outline.items.length - shownItems.length) +
    (actionElements.length - shownActions.length);
  if (omitted > 0) body.push(context(phrases.moreNotShown(omitted)));

  return {
    text: escapeSlackTextClipped(firstNonBlank(reply.text, outline.title, '—'), slackLimits.messageText),
    blocks: [...head, ...body, ...tail],
  };
}

/** Which Slack response a reply asks for: private replies are ephemeral. */
export function slackResponseType(reply: Reply): 'ephemeral' | 'in_channel' {
  return reply.visibility === 'private' ? 'ephemeral' : 'in_channel';
}

class ButtonFactory {
  #count = 0;

  make(action: OutlineAction): ButtonElement | undefined {
    const text = plain(action.label, slackLimits.buttonText);
    switch (action.kind) {
      case 'call':
        return { type: 'button', text, url: telUri(action.number.e164), action_id: this.#id(slackActionIds.call) };
      case 'openUrl': {
        // A cut URL would lead somewhere else; a URL that does not fit is left out instead.
        if (action.url.length > slackLimits.buttonUrl || !/^https?:\/\//i.test(action.url)) return undefined;
        const button: ButtonElement = { type: 'button', text, url: action.url, action_id: this.#id(slackActionIds.openUrl) };
        return action.primary ? { ...button, style: 'primary' } : button;
      }
      case 'command': {
        const value = formatCommand(action.command, 'plain');
        if (value.length > slackLimits.buttonValue) return undefined;
        return { type: 'button', text, value, action_id: this.#id(slackActionIds.command) };
      }
    }
  }

  #id(prefix: string): string {
    this.#count += 1;
    return `${prefix}:${this.#count}`;
  }
}

function factField(fact: OutlineFact, mentionsAllowed: boolean): MrkdwnText {
  const label = `*${escapeMrkdwnClipped(fact.label, FIELD_LABEL_MAX)}*`;
  const room = slackLimits.fieldText - label.length - 1;
  return mrkdwn(`${label}\n${factValue(fact, mentionsAllowed, room)}`);
}

function factValue(fact: OutlineFact, mentionsAllowed: boolean, max: number): string {
  const value = fact.value;
  switch (value.kind) {
    case 'text':
      return nonEmpty(escapeMrkdwnClipped(value.text, max));
    case 'phone': {
      const link = value.number.e164 === undefined ? undefined : mrkdwnLink(telUri(value.number.e164), value.number.display);
      return link !== undefined && link.length <= max ? link : nonEmpty(escapeMrkdwnClipped(value.number.display, max));
    }
    case 'email': {
      const link = mrkdwnLink(`mailto:${value.address}`, value.address);
      return link !== undefined && link.length <= max ? link : nonEmpty(escapeMrkdwnClipped(value.address, max));
    }
    case 'chatUser': {
      // A mention notifies its user when posted publicly; in a private reply it is only a link to the profile.
      const mention = mentionsAllowed ? userMention(value.user.id) : undefined;
      return mention ?? nonEmpty(escapeMrkdwnClipped(value.user.displayName ?? value.user.id, max));
    }
  }
}

function itemSection(item: OutlineItem, buttons: ButtonFactory): SlackBlock {
  const title = `*${nonEmpty(escapeMrkdwnClipped(item.title, ITEM_TITLE_MAX))}*`;
  const details =
    item.details.length === 0 ? '' : `\n${escapeMrkdwnClipped(item.details.join(' · '), slackLimits.sectionText - title.length - 1)}`;
  const accessory = item.action === undefined ? undefined : buttons.make(item.action);
  const text = mrkdwn(title + details);
  return accessory === undefined ? { type: 'section', text } : { type: 'section', text, accessory };
}

function plain(text: string, max: number): PlainText {
  return { type: 'plain_text', text: escapePlainTextClipped(text.trim() === '' ? '—' : text, max), emoji: true };
}

function mrkdwn(text: string): MrkdwnText {
  return { type: 'mrkdwn', text, verbatim: true };
}

function context(text: string): SlackBlock {
  return { type: 'context', elements: [plain(text, slackLimits.contextText)] };
}

function firstNonBlank(...texts: string[]): string {
  return texts.find((text) => text.trim() !== '') ?? '—';
}

function nonEmpty(text: string): string {
  return text.trim() === '' ? '—' : text;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let start = 0; start < items.length; start += size) groups.push(items.slice(start, start + size));
  return groups;
}

import type { Reply } from '../../handlers/cards.ts';
import type { Outline, OutlineAction, OutlineFact } from '../../handlers/card-outline.ts';
import { outlineCard } from '../../handlers/card-outline.ts';
import { formatCommand } from '../../handlers/parse-command.ts';
import { telUri } from '../../handlers/phone-display.ts';
import { phrases } from '../../handlers/wording.ts';

/*
 * Reply → plain text for the terminal demo console. Pure. Data is stripped of control characters first, so a
 * name carrying terminal escape sequences cannot move the cursor or clear the screen; every value is one line.
 */

const toneMarks: Record<Outline['tone'], string> = { plain: '', info: '', success: '[ok] ', warning: '[!] ', error: '[x] ' };
/** Labels longer than this are not used to align the others. */
const MAX_LABEL_WIDTH = 24;

export function renderText(reply: Reply): string {
  const outline = outlineCard(reply.card, 'plain');
  const sections: string[][] = [];

  const heading = [`${toneMarks[outline.tone]}${clean(outline.title)}`];
  if (outline.subtitle !== undefined) heading.push(clean(outline.subtitle));
  sections.push(heading);
  if (outline.paragraphs.length > 0) sections.push(outline.paragraphs.map(clean));
  if (outline.facts.length > 0) sections.push(factLines(outline.facts));
  if (outline.items.length > 0 || outline.itemsTitle !== undefined) {
    const itemLines = outline.items.flatMap((item) => {
      const lines = [`• ${clean(item.title)}`];
      if (item.details.length > 0) lines.push(`  ${item.details.map(clean).join(' · ')}`);
      if (item.action !== undefined) lines.push(`  ${actionLine(item.action)}`);
      return lines;
    });
    sections.push(outline.itemsTitle === undefined ? itemLines : [clean(outline.itemsTitle), ...itemLines]);
  }
  if (outline.actions.length > 0) sections.push(outline.actions.map(actionLine));
  const hints: string[] = [];
  if (outline.examples.length > 0) hints.push(`${phrases.examples}: ${outline.examples.map(clean).join(' · ')}`);
  if (outline.suggestions.length > 0) hints.push(`${phrases.tryThis}: ${outline.suggestions.map(clean).join(' · ')}`);
  if (outline.footnote !== undefined) hints.push(clean(outline.footnote));
  if (hints.length > 0) sections.push(hints);

  return sections.map((lines) => lines.join('\n')).join('\n\n');
}

function factLines(facts: readonly OutlineFact[]): string[] {
  const labels = facts.map((fact) => clean(fact.label));
  const width = Math.max(0, ...labels.map((label) => label.length).filter((length) => length <= MAX_LABEL_WIDTH));
  return facts.map((fact, index) => `  ${(labels[index] ?? '').padEnd(width)}  ${factValue(fact)}`);
}

function factValue(fact: OutlineFact): string {
  const value = fact.value;
  switch (value.kind) {
    case 'text':
      return clean(value.text);
    case 'phone':
      return value.number.e164 === undefined
        ? clean(value.number.display)
        : `${clean(value.number.display)} <${telUri(value.number.e164)}>`;
    case 'email':
      return clean(value.address);
    case 'chatUser':
      return value.user.displayName === undefined ? clean(value.user.id) : `${clean(value.user.displayName)} (${clean(value.user.id)})`;
  }
}

function actionLine(action: OutlineAction): string {
  switch (action.kind) {
    case 'call':
      return `[${clean(action.label)}: ${telUri(action.number.e164)}]`;
    case 'command':
      return `[${clean(action.label)}: ${clean(formatCommand(action.command, 'plain'))}]`;
    case 'openUrl':
      return `[${clean(action.label)}: ${clean(action.url)}]`;
  }
}

/** One line, no control characters (C0, DEL, C1 — which include ESC and CSI), no bidi overrides. */
function clean(text: string): string {
  return text
    .replace(/\r\n|[\r\n\u2028\u2029\t]/g, ' ')
    .replace(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '')
    .trim();
}

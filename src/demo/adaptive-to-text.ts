import type { TextStyle } from './blocks-to-text.ts';
import type { PostedActivity } from './local-teams.ts';

/*
 * Draws a Teams message (the Adaptive Card the bot posted) as terminal text, so the demo shows exactly what Teams
 * would receive: text runs as lines, label/value rows aligned, buttons as [title: url] or [title → command].
 */

interface Node {
  type?: string;
  text?: string;
  weight?: string;
  isSubtle?: boolean;
  inlines?: Node[];
  items?: Node[];
  columns?: Node[];
  actions?: Node[];
  title?: string;
  url?: string;
  data?: Record<string, unknown>;
  body?: Node[];
}

const FIELD_LABEL_WIDTH = 20;
const plainStyle: TextStyle = { bold: (text) => text, dim: (text) => text };

export function adaptiveToText(message: PostedActivity, style: TextStyle = plainStyle): string {
  const card = message.attachments?.find((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')?.content as
    Node | undefined;
  if (card === undefined) return message.text ?? message.summary ?? '';
  const lines: string[] = [];
  for (const element of card.body ?? []) lines.push(...elementLines(element, style, ''));
  if ((card.actions ?? []).length > 0) lines.push(`  ${(card.actions ?? []).map(button).join('  ')}`);
  return lines.join('\n');
}

function elementLines(element: Node, style: TextStyle, indent: string): string[] {
  switch (element.type) {
    case 'RichTextBlock':
      return [`${indent}${runs(element, style)}`];
    case 'Container':
      return (element.items ?? []).flatMap((item) => elementLines(item, style, indent));
    case 'ActionSet':
      return [`${indent}${(element.actions ?? []).map(button).join('  ')}`];
    case 'ColumnSet': {
      const [first, second] = element.columns ?? [];
      const label = first?.items?.[0];
      // A label/value row: a bold label in the first column, the value in the second.
      if (
        element.columns?.length === 2 &&
        label?.type === 'RichTextBlock' &&
        label.inlines?.[0]?.weight === 'bolder' &&
        second?.items?.[0]?.type === 'RichTextBlock'
      ) {
        return [`${indent}  ${style.bold(plainRuns(label).padEnd(FIELD_LABEL_WIDTH))} ${plainRuns(second.items[0])}`];
      }
      return (element.columns ?? []).flatMap((column) => (column.items ?? []).flatMap((item) => elementLines(item, style, `${indent}  `)));
    }
    default:
      return [];
  }
}

function runs(block: Node, style: TextStyle): string {
  return (block.inlines ?? [])
    .map((run) => {
      const text = run.text ?? '';
      if (run.weight === 'bolder') return style.bold(text);
      return run.isSubtle === true ? style.dim(text) : text;
    })
    .join('');
}

function plainRuns(block: Node): string {
  return (block.inlines ?? []).map((run) => run.text ?? '').join('');
}

function button(action: Node): string {
  if (action.type === 'Action.OpenUrl') return `[${action.title ?? ''}: ${action.url ?? ''}]`;
  const command = action.data?.['switchboardCommand'];
  return `[${action.title ?? ''} → ${typeof command === 'string' ? command : JSON.stringify(action.data ?? {})}]`;
}

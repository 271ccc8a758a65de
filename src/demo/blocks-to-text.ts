import type { ResponseMessage } from './local-slack.ts';

/*
 * Draws a Slack message (Block Kit, as the bot sent it) as terminal text, so the demo shows exactly what Slack would
 * receive. Slack's escapes and link syntax are undone for reading: "<tel:+1…|(650) 331-6252>" → "(650) 331-6252".
 */

interface TextObject {
  type: string;
  text: string;
}
interface Element {
  type: string;
  text?: TextObject | string;
  url?: string;
  value?: string;
  action_id?: string;
}
interface Block {
  type: string;
  text?: TextObject;
  fields?: TextObject[];
  elements?: Element[];
  accessory?: Element;
}

export interface TextStyle {
  bold(text: string): string;
  dim(text: string): string;
}

const FIELD_LABEL_WIDTH = 20;

export const plainStyle: TextStyle = { bold: (text) => text, dim: (text) => text };

export const ansiStyle: TextStyle = {
  bold: (text) => `\u001b[1m${text}\u001b[22m`,
  dim: (text) => `\u001b[2m${text}\u001b[22m`,
};

export function blocksToText(message: ResponseMessage, style: TextStyle = plainStyle): string {
  const blocks = (message.blocks ?? []) as Block[];
  if (blocks.length === 0) return readable(message.text ?? '');
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'header':
        lines.push(style.bold(readable(block.text?.text ?? '')));
        break;
      case 'section':
        if (block.text) lines.push(readable(block.text.text, style));
        for (const field of block.fields ?? []) {
          // Fields are "*Label*\nvalue"; pad the bare label so columns line up whatever the styling adds.
          const [label = '', ...value] = field.text.split('\n');
          const bare = readable(label.replace(/^\*(.*)\*$/, '$1'));
          lines.push(`  ${style.bold(bare.padEnd(FIELD_LABEL_WIDTH))} ${readable(value.join(' '), style)}`);
        }
        if (block.accessory) lines.push(`  ${button(block.accessory)}`);
        break;
      case 'context':
        lines.push(style.dim(`  ${(block.elements ?? []).map((element) => readable(textOf(element.text), style)).join(' ')}`));
        break;
      case 'actions':
        lines.push(`  ${(block.elements ?? []).map(button).join('  ')}`);
        break;
      case 'divider':
        lines.push(style.dim('─'.repeat(40)));
        break;
      default:
        break;
    }
  }
  return lines.join('\n');
}

function button(element: Element): string {
  const label = readable(textOf(element.text));
  if (element.url) return `[${label}: ${element.url}]`;
  return `[${label} → ${element.value ?? ''}]`;
}

function textOf(text: TextObject | string | undefined): string {
  return typeof text === 'string' ? text : (text?.text ?? '');
}

/** Undoes Slack's mrkdwn for the terminal: links show their label, *bold* is drawn bold, escapes are decoded. */
function readable(text: string, style: TextStyle = plainStyle): string {
  return text
    .replace(/<([^<>|]+)\|([^<>]+)>/g, (_match, _url: string, label: string) => label)
    .replace(/<(mailto:|tel:)?([^<>]+)>/g, (_match, _scheme: string | undefined, target: string) => target)
    .replace(/(^|\s)\*([^*\n]+)\*(?=\s|$)/g, (_match, lead: string, bold: string) => `${lead}${style.bold(bold)}`)
    .replace(/\u200b/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

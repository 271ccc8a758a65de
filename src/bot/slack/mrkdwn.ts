/*
 * Slack text safety. Every string from RingCentral or a user goes through here before it reaches a Slack text
 * object, so an extension named `<!channel>` pings nobody and one named `*bold*` or "```" breaks nothing.
 *
 * Decisions:
 * - `&`, `<`, `>` become `&amp;`, `&lt;`, `&gt;` (Slack's rule). With no raw `<` from input, no mention, channel
 *   link, user group or URL token can be formed by data; the only `<…>` tokens are the ones built here.
 * - `@channel`, `@here`, `@everyone` at the start of a word get an invisible word joiner after the `@`, in case a
 *   message is ever sent with `link_names`; then they are plain words.
 * - Formatting characters `*`, `_`, `~` and backtick format only at a word edge in Slack; between two letters or
 *   digits (`john_smith@x.com`) they are left alone. At an edge each is written as a date token whose format is
 *   invalid, `<!date^0^{_}|*>`, which Slack clients show as its fallback text, unformatted. Slack documents no
 *   escape for these; the date fallback is the technique jsx-slack ships in its <Escape>. The character survives
 *   copy and paste.
 * - A `>` that would start a line (a block quote) is preceded by a soft hyphen, which is invisible.
 * - Line breaks in data become spaces: a value is one line, and only our own layout breaks lines.
 * - Lengths: clipping happens after escaping, never inside an entity or token, and ends with "…".
 * - plain_text objects are not parsed by Slack, but we do not lean on that alone: in them `<` and `>` become the
 *   look-alike quotes ‹ and ›, and an `&` that would start an entity gets a word joiner, so no text object we send
 *   holds anything Slack could read as a token or an entity, whatever the object type.
 */

const ELLIPSIS = '…';
const SOFT_HYPHEN = '\u00AD';
const WORD_JOINER = '\u2060';
const FORMATTING = new Set(['*', '_', '~', '`']);
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const BROADCAST = /^(channel|here|everyone)\b/i;
const ENTITY_AFTER_AMPERSAND = /^(?:[a-z][a-z0-9]*|#\d+|#x[0-9a-f]+);/i;

type Mode = 'plain' | 'text' | 'mrkdwn';

/** Escapes text for any Slack field parsed for tokens (the message `text` fallback included). */
export function escapeSlackText(text: string): string {
  return escapePieces(text, 'text').join('');
}

/** Escapes text for a mrkdwn text object: Slack's three entities plus neutralised formatting. */
export function escapeMrkdwn(text: string): string {
  return escapePieces(text, 'mrkdwn').join('');
}

/** Makes text safe for a plain_text object (see the decisions above). */
export function escapePlainText(text: string): string {
  return escapePieces(text, 'plain').join('');
}

/** escapeMrkdwn, cut to at most `max` characters (ellipsis included) without splitting an entity or token. */
export function escapeMrkdwnClipped(text: string, max: number): string {
  return joinWithin(escapePieces(text, 'mrkdwn'), max);
}

/** escapeSlackText, cut to at most `max` characters. */
export function escapeSlackTextClipped(text: string, max: number): string {
  return joinWithin(escapePieces(text, 'text'), max);
}

/** escapePlainText, cut to at most `max` characters, never inside a surrogate pair. */
export function escapePlainTextClipped(text: string, max: number): string {
  return joinWithin(escapePieces(text, 'plain'), max);
}

/**
 * A mrkdwn link, or undefined when it cannot be made safely: the URL must be a `tel:` E.164 number or a plain
 * `mailto:` address, and the label must need no formatting neutralised (date tokens do not work inside links).
 */
export function mrkdwnLink(url: string, label: string): string | undefined {
  if (!/^(?:tel:\+\d{3,15}|mailto:[^\s|<>&]+@[^\s|<>&]+)$/.test(url)) return undefined;
  const escapedLabel = escapeMrkdwn(label);
  if (escapedLabel !== escapeSlackText(label)) return undefined;
  return `<${url}|${escapedLabel}>`;
}

/** A user mention token, for ids shaped like Slack's (U… or W…); anything else gets no token. */
export function userMention(userId: string): string | undefined {
  return /^[UW][A-Z0-9]{2,20}$/.test(userId) ? `<@${userId}>` : undefined;
}

/** One escaped piece per character of the input, so clipping can stop between pieces. */
function escapePieces(text: string, mode: Mode): string[] {
  // plain_text may keep line breaks (Slack shows them); parsed text keeps data on one line.
  const oneLine = mode === 'plain' ? text : text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
  const chars = Array.from(oneLine);
  return chars.map((char, index) => escapeChar(chars, index, mode));
}

function escapeChar(chars: readonly string[], index: number, mode: Mode): string {
  const char = chars[index] ?? '';
  const previous = chars[index - 1];
  const next = chars[index + 1];
  switch (char) {
    case '&':
      if (mode !== 'plain') return '&amp;';
      return ENTITY_AFTER_AMPERSAND.test(chars.slice(index + 1, index + 12).join('')) ? `&${WORD_JOINER}` : '&';
    case '<':
      return mode === 'plain' ? '‹' : '&lt;';
    case '>':
      if (mode === 'plain') return '›';
      return index === 0 && mode === 'mrkdwn' ? `${SOFT_HYPHEN}&gt;` : '&gt;';
    case '@': {
      const atWordStart = previous === undefined || !LETTER_OR_DIGIT.test(previous);
      return atWordStart && BROADCAST.test(chars.slice(index + 1, index + 9).join('')) ? `@${WORD_JOINER}` : '@';
    }
    default: {
      if (mode !== 'mrkdwn' || !FORMATTING.has(char)) return char;
      const inWord = previous !== undefined && next !== undefined && LETTER_OR_DIGIT.test(previous) && LETTER_OR_DIGIT.test(next);
      return inWord ? char : `<!date^0^{_}|${char}>`;
    }
  }
}

function joinWithin(pieces: readonly string[], max: number): string {
  const total = pieces.reduce((sum, piece) => sum + piece.length, 0);
  if (total <= max) return pieces.join('');
  let out = '';
  for (const piece of pieces) {
    if (out.length + piece.length > max - ELLIPSIS.length) break;
    out += piece;
  }
  return out + ELLIPSIS;
}

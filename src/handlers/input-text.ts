/** Longest command text we work on. Real queries are a few words; anything longer is a paste accident. */
export const MAX_INPUT_LENGTH = 200;

/**
 * Raw text beyond this is refused before any normalising, so a pasted megabyte costs one length check.
 * It is larger than MAX_INPUT_LENGTH because padding whitespace and zero-width characters shrink away.
 */
const MAX_RAW_LENGTH = MAX_INPUT_LENGTH * 8;

export type NormalizedInput = { ok: true; text: string } | { ok: false; problem: 'tooLong'; limit: number };

// Zero-width and bidi formatting characters that chat clients paste along with copied text.
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;
// Control characters (C0, DEL, C1) other than whitespace, which the whitespace rule turns into spaces.
const CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F]/g;
const WHITESPACE_RUN = /\s+/g;

/**
 * Chat text as the parsers want it: NFKC (so full-width digits and letters become ASCII), invisible and control
 * characters removed, every whitespace run one space, trimmed, and at most MAX_INPUT_LENGTH characters.
 */
export function normalizeInput(raw: string, limit = MAX_INPUT_LENGTH): NormalizedInput {
  if (raw.length > Math.max(MAX_RAW_LENGTH, limit * 8)) return { ok: false, problem: 'tooLong', limit };
  const text = raw.normalize('NFKC').replace(INVISIBLE, '').replace(CONTROL, '').replace(WHITESPACE_RUN, ' ').trim();
  if (text.length > limit) return { ok: false, problem: 'tooLong', limit };
  return { ok: true, text };
}

/**
 * Slack escapes `&`, `<` and `>` in slash-command text (`should_escape`) while its own tokens (`<@U1>`, `<mailto:…>`)
 * keep real angle brackets. Parsers read those tokens first and decode the entities in what remains.
 */
export function decodeChatEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_match, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}

import type { DirectoryEntry } from '../api/schemas.ts';

/**
 * The directory entries whose name (or email before the @) has a word starting with each term, best matches first:
 * "smith j" finds John Smith, "jose" finds José, "o'brien" and "obrien" find O'Brien, "john.smith" finds John Smith.
 * `words` are the entries' nameSearchWords, in the same order: a directory index reads them once, as it is built.
 */
export function searchByName(
  entries: readonly DirectoryEntry[],
  terms: readonly string[],
  words: readonly string[] = entries.map(nameSearchWords),
): DirectoryEntry[] {
  // A term is read as the words it holds, as a name is: "o'brien" is "o" and "brien", "john.smith" is "john" and "smith".
  const parts = terms.flatMap((term) => wordsOf(term).parts);
  if (parts.length === 0) return [];
  // Each needle made once, not once an entry: at 100,000 entries that was 100,000 strings built per term.
  const wordStarts = parts.map((part) => ` ${part}`);
  const wholeWords = parts.map((part) => ` ${part} `);
  const matches: RankedMatch[] = [];
  entries.forEach((entry, position) => {
    const entryWords = words[position] ?? '';
    if (!wordStarts.every((start) => entryWords.includes(start))) return;
    const score = wholeWords.filter((word) => entryWords.includes(word)).length;
    matches.push({ entry, score, label: fold(entry.name ?? `${entry.firstName ?? ''} ${entry.lastName ?? ''}`) });
  });
  // Whole-word matches of the terms first, then alphabetical, so "john" lists John before Johnson.
  return matches.sort((a, b) => b.score - a.score || a.label.localeCompare(b.label)).map(({ entry }) => entry);
}

interface RankedMatch {
  entry: DirectoryEntry;
  /** How many terms are whole words of the name. */
  score: number;
  label: string;
}

/** The longest word of the terms, as searchByName reads them: the one to ask RingCentral's directory search for. */
export function searchWord(terms: readonly string[]): string | undefined {
  const parts = terms.flatMap((term) => wordsOf(term).parts);
  return parts.reduce<string | undefined>(
    (longest, part) => (longest === undefined || part.length > longest.length ? part : longest),
    undefined,
  );
}

const ASCII = /^[\x00-\x7f]*$/;

/** Lower case without accents, so "jose" finds "José". Most names are plain ASCII, which has no accents to take off. */
function fold(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The folded words of a text, split at anything that is not a letter or digit. A word written with punctuation inside
 * it (O'Brien, Mary-Jane) is also kept whole without it ("obrien"), the way people type it.
 */
function wordsOf(text: string): { parts: string[]; joined: string[] } {
  const parts: string[] = [];
  const joined: string[] = [];
  for (const token of fold(text).split(/\s+/)) {
    const pieces = token.split(/[^\p{L}\p{N}]+/u).filter((piece) => piece !== '');
    parts.push(...pieces);
    if (pieces.length > 1) joined.push(pieces.join(''));
  }
  return { parts, joined };
}

/**
 * An entry's folded words as one string, " john smith jsmith ": a term starts a word where " term" occurs in it, and
 * is a whole word where " term " does (words hold no spaces). An index keeps one per entry, read as its pages arrive:
 * folding 100,000 names at the first search held the event loop for some 0.3 s. One string is about 11 MB at 100,000
 * entries, a third of an array of words each.
 */
export function nameSearchWords(entry: DirectoryEntry): string {
  const { parts, joined } = wordsOf([entry.firstName, entry.lastName, entry.name, entry.email?.split('@')[0]].filter(Boolean).join(' '));
  return ` ${[...parts, ...joined].join(' ')} `;
}

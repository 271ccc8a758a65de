import type { DirectoryEntry } from '../api/schemas.ts';

/**
 * The directory entries whose name (or email before the @) has a word starting with each term, best matches first:
 * "smith j" finds John Smith, "jose" finds José, "o'brien" and "obrien" find O'Brien, "john.smith" finds John Smith.
 */
export function searchByName(entries: readonly DirectoryEntry[], terms: readonly string[]): DirectoryEntry[] {
  // A term is read as the words it holds, as a name is: "o'brien" is "o" and "brien", "john.smith" is "john" and "smith".
  const parts = terms.flatMap((term) => wordsOf(term).parts);
  if (parts.length === 0) return [];
  return rankByName(
    entries.filter((entry) => matchesAllTerms(entry, parts)),
    parts,
  );
}

/** The longest word of the terms, as searchByName reads them: the one to ask RingCentral's directory search for. */
export function searchWord(terms: readonly string[]): string | undefined {
  const parts = terms.flatMap((term) => wordsOf(term).parts);
  return parts.reduce<string | undefined>(
    (longest, part) => (longest === undefined || part.length > longest.length ? part : longest),
    undefined,
  );
}

/** Lower case without accents, so "jose" finds "José". */
function fold(text: string): string {
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

// Folding 10,000 names was most of a name search; the entries of an index are the same objects search after search.
// An entry's words are kept as one string, " john smith jsmith ", a third of the memory of an array of them: a term
// starts a word where " term" occurs in it, and is a whole word where " term " does (words hold no spaces).
const wordsOfEntry = new WeakMap<DirectoryEntry, string>();

function searchableWords(entry: DirectoryEntry): string {
  let words = wordsOfEntry.get(entry);
  if (words === undefined) {
    const { parts, joined } = wordsOf([entry.firstName, entry.lastName, entry.name, entry.email?.split('@')[0]].filter(Boolean).join(' '));
    words = ` ${[...parts, ...joined].join(' ')} `;
    wordsOfEntry.set(entry, words);
  }
  return words;
}

/**
 * Reads entries' names ahead of the first search. An index does so page by page as it is built: folding 100,000
 * names at the first search held the event loop for some 0.3 s, and kept this way they hold about 11 MB.
 */
export function prepareForNameSearch(entries: readonly DirectoryEntry[]): void {
  for (const entry of entries) searchableWords(entry);
}

/** Every (folded) term must start some word of the name ("smith j" finds John Smith). */
function matchesAllTerms(entry: DirectoryEntry, terms: readonly string[]): boolean {
  const words = searchableWords(entry);
  return terms.every((term) => words.includes(` ${term}`));
}

/** Whole-word matches of the (folded) terms first, then alphabetical, so "john" lists John before Johnson. */
function rankByName(entries: DirectoryEntry[], terms: readonly string[]): DirectoryEntry[] {
  const score = (entry: DirectoryEntry) => {
    const words = searchableWords(entry);
    return terms.filter((term) => words.includes(` ${term} `)).length;
  };
  const label = (entry: DirectoryEntry) => fold(entry.name ?? `${entry.firstName ?? ''} ${entry.lastName ?? ''}`);
  return entries
    .map((entry) => ({ entry, score: score(entry), label: label(entry) }))
    .sort((a, b) => b.score - a.score || a.label.localeCompare(b.label))
    .map(({ entry }) => entry);
}

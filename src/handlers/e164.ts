import { LRUCache } from 'lru-cache';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

// Reading a number with libphonenumber's full metadata costs about 10 µs, and every index of a 10,000-person company
// reads the same thousands of numbers again: most of an index build. The answer depends on the text alone.
const e164ByText = new LRUCache<string, readonly string[]>({ max: 100_000 });

/** RingCentral stores E.164 ("+16503316252"); its guide shows the same without "+". Both index under E.164. */
export function toE164(raw: string): readonly string[] {
  const known = e164ByText.get(raw);
  if (known) return known;
  const text = raw.trim();
  const candidate = /^\d{8,15}$/.test(text) ? `+${text}` : text;
  const parsed = parsePhoneNumberFromString(candidate);
  const e164 = Object.freeze(parsed?.isPossible() ? [parsed.number] : []);
  e164ByText.set(raw, e164);
  return e164;
}

import { LRUCache } from 'lru-cache';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

// Reading a number with libphonenumber's full metadata costs 10–50 µs, and every index of a large company reads the
// same tens of thousands of numbers again: most of an index build. The answer depends on the text alone.
const e164ByText = new LRUCache<string, readonly string[]>({ max: 100_000 });

// A North American number as RingCentral stores it, "+1" and ten digits (or its guide's "1" and ten digits), is
// always a possible number that libphonenumber writes back unchanged (checked against it for every area code in
// test/handlers/e164.test.ts). Most numbers of most accounts are such: they skip the parse and the cache.
const NANP_E164 = /^\+?1\d{10}$/;

/** RingCentral stores E.164 ("+16503316252"); its guide shows the same without "+". Both index under E.164. */
export function toE164(raw: string): readonly string[] {
  if (NANP_E164.test(raw)) return [raw.startsWith('+') ? raw : `+${raw}`];
  const known = e164ByText.get(raw);
  if (known) return known;
  const text = raw.trim();
  const candidate = /^\d{8,15}$/.test(text) ? `+${text}` : text;
  const parsed = parsePhoneNumberFromString(candidate);
  const e164 = Object.freeze(parsed?.isPossible() ? [parsed.number] : []);
  e164ByText.set(raw, e164);
  return e164;
}

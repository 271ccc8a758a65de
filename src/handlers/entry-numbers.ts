import type { DirectoryEntry } from '../api/schemas.ts';
import type { CardNumber } from './card-builders.ts';

/**
 * An entry's direct numbers as a card shows them (the directory gives no number's id, features or status); undefined
 * when a number's usage is not given, since then the entry cannot say which of its numbers are direct.
 */
export function directNumbersOf(entry: DirectoryEntry): CardNumber[] | undefined {
  const numbers = entry.phoneNumbers ?? [];
  if (numbers.some((number) => number.usageType === undefined)) return undefined;
  return numbers.flatMap(({ phoneNumber, usageType, label }) =>
    usageType === 'DirectNumber' ? [{ phoneNumber, usageType, ...(label === undefined ? {} : { label }) }] : [],
  );
}

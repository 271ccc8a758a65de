import { describe, expect, it } from 'vitest';
import { DirectoryEntry } from '../../src/api/schemas.ts';
import { directNumbersOf } from '../../src/handlers/entry-numbers.ts';

/** An entry as RingCentral's directory sends it, read through the client's own schema. */
const entry = (phoneNumbers: unknown[]) => DirectoryEntry.parse({ id: '62000101008', type: 'User', extensionNumber: '101', phoneNumbers });

describe("a directory entry's numbers as a standard user's card shows them", () => {
  it('keeps the direct numbers with their labels and leaves out the rest', () => {
    const numbers = directNumbersOf(
      entry([
        { phoneNumber: '+16503316252', usageType: 'DirectNumber', label: 'Office', type: 'VoiceFax' },
        { phoneNumber: '+16503310000', usageType: 'ContactNumber', label: 'Reception' },
        { phoneNumber: '+16505550199', usageType: 'DirectNumber' },
        { phoneNumber: '+14155550123', usageType: 'MobileNumber' },
      ]),
    );
    expect(numbers).toEqual([
      { phoneNumber: '+16503316252', usageType: 'DirectNumber', label: 'Office' },
      { phoneNumber: '+16505550199', usageType: 'DirectNumber' },
    ]);
  });

  it('gives none for an entry listed without numbers', () => {
    expect(directNumbersOf(entry([]))).toEqual([]);
    expect(directNumbersOf(DirectoryEntry.parse({ id: '62000102008', extensionNumber: '102' }))).toEqual([]);
  });

  it('gives nothing to draw from when any number does not say its usage: the card then reads the extension itself', () => {
    expect(
      directNumbersOf(
        entry([
          { phoneNumber: '+16503316252', usageType: 'DirectNumber' },
          { phoneNumber: '+16505550199', label: 'Second line' },
        ]),
      ),
    ).toBeUndefined();
  });

  it('leaves out a usage this client does not know: of another extension, RingCentral shows a standard user direct numbers only', () => {
    const numbers = directNumbersOf(entry([{ phoneNumber: '+16503316252', usageType: 'SomeFutureUsage' }]));
    expect(numbers).toEqual([]);
  });
});

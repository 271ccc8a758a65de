import fc from 'fast-check';
import { getCountries, getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode, NumberFormat } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import type { PhoneQuery } from '../../src/handlers/parse-phone-query.ts';
import { looksLikePhoneNumber, parsePhoneQuery } from '../../src/handlers/parse-phone-query.ts';

const paul = { kind: 'phone', e164: '+16503316252', national: '(650) 331-6252', international: '+1 650 331 6252', country: 'US' };
const london = { kind: 'phone', e164: '+442079460958', national: '020 7946 0958', international: '+44 20 7946 0958', country: 'GB' };

describe('parsePhoneQuery with the US as home country', () => {
  it.each([
    '+16503316252',
    '+1 650 331 6252',
    '+1 (650) 331-6252',
    '(650) 331-6252',
    '650-331-6252',
    '650.331.6252',
    '650 331 6252',
    '6503316252',
    '1-650-331-6252',
    '1 (650) 331-6252',
    '16503316252',
    '011 1 650 331 6252',
    'tel:+1-650-331-6252',
    '<tel:+16503316252|+1 650 331 6252>',
    '＋１ ６５０ ３３１ ６２５２',
    ' \u00A0(650)\u00A0331-6252\u200B ',
  ])('reads %j as +16503316252', (text) => {
    expect(parsePhoneQuery(text, 'US')).toEqual(paul);
  });

  it.each(['+44 20 7946 0958', '00 44 20 7946 0958', '0044 20 7946 0958', '011 44 20 7946 0958', '+44 (0)20 7946 0958', '+442079460958'])(
    'reads the international number %j',
    (text) => {
      expect(parsePhoneQuery(text, 'US')).toEqual(london);
    },
  );

  it.each([
    ['+1 650 331 6252 x101', '101'],
    ['(650) 331-6252 ext. 101', '101'],
    ['650-331-6252 ext 101', '101'],
    ['650-331-6252 extension 101', '101'],
    ['6503316252x101', '101'],
    ['+1 650 331 6252 #2045', '2045'],
    ['tel:+1-650-331-6252;ext=101', '101'],
  ])('keeps the dialled extension of %j', (text, extension) => {
    expect(parsePhoneQuery(text, 'US')).toEqual({ ...paul, extension });
  });

  it.each([
    ['101', '101'],
    ['42', '42'],
    ['123456', '123456'],
    ['x101', '101'],
    ['ext 101', '101'],
    ['ext. 2045', '2045'],
    ['#101', '101'],
  ])('answers the short input %j as an extension number', (text, value) => {
    expect(parsePhoneQuery(text, 'US')).toEqual({ kind: 'extensionNumber', value });
  });

  it.each(['3316252', '12345678'])('takes %j, too short for a phone number here, as an extension number unless none has it', (text) => {
    expect(parsePhoneQuery(text, 'US')).toEqual({ kind: 'extensionNumber', value: text, ifNoSuchExtension: 'tooShort' });
  });

  it('reads seven digits as a phone number where that is one (a UK number without its area code)', () => {
    expect(parsePhoneQuery('5550101', 'GB')).toMatchObject({ kind: 'phone' });
  });

  it('reads a vanity number with keypad letters', () => {
    expect(parsePhoneQuery('1-800-FLOWERS', 'US')).toMatchObject({ kind: 'phone', e164: '+18003569377' });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['7', 'tooShort'],
    ['555-0100', 'tooShort'],
    ['331 6252', 'tooShort'],
    ['hello', 'notANumber'],
    ['call me maybe', 'notANumber'],
    ['+1 650 331 6252 and more words', 'notANumber'],
    ['<!channel>', 'notANumber'],
    ['+999 123 4567', 'unknownCountryCode'],
    ['+1 650 331 6252 1234 5678 9012', 'tooManyDigits'],
    ['9'.repeat(201), 'tooLong'],
  ] satisfies Array<[string, string]>)('explains why %j is not a number: %s', (text, reason) => {
    expect(parsePhoneQuery(text, 'US')).toEqual({ kind: 'invalid', reason });
  });

  it('keeps possible numbers libphonenumber does not know to be assigned (fictional 555 numbers)', () => {
    expect(parsePhoneQuery('+1 555 555 0100', 'US')).toMatchObject({ kind: 'phone', e164: '+15555550100' });
  });
});

describe('parsePhoneQuery and the home country', () => {
  it('reads national numbers by the home country', () => {
    expect(parsePhoneQuery('020 7946 0958', 'GB')).toEqual(london);
    expect(parsePhoneQuery('020 7946 0958', 'gb')).toEqual(london);
    expect(parsePhoneQuery('00 1 650 331 6252', 'GB')).toEqual(paul);
  });

  it('asks for a country code when the home country is unknown', () => {
    expect(parsePhoneQuery('020 7946 0958', undefined)).toEqual({ kind: 'invalid', reason: 'needsCountryCode' });
    expect(parsePhoneQuery('020 7946 0958', 'XX')).toEqual({ kind: 'invalid', reason: 'needsCountryCode' });
    expect(parsePhoneQuery('+44 20 7946 0958', undefined)).toEqual(london);
  });
});

describe('parsePhoneQuery properties', () => {
  it('never throws, whatever the text or country', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.option(fc.constantFrom('US', 'GB', 'DE', 'IN', 'xx', '')),
        (text, country) => {
          const result = parsePhoneQuery(text, country ?? undefined);
          expect(['phone', 'extensionNumber', 'invalid']).toContain(result.kind);
          if (result.kind === 'phone') expect(result.e164).toMatch(/^\+[1-9]\d{1,14}$/);
        },
      ),
      { numRuns: 3000 },
    );
  });

  const countries = getCountries().filter((country) => getExampleNumber(country, examples) !== undefined);

  /** A valid number of a random country: the country's example number with its last digits varied. */
  const validNumber = fc
    .tuple(fc.constantFrom(...countries), fc.integer({ min: 0, max: 999 }))
    .map(([country, variation]) => {
      const example = getExampleNumber(country, examples);
      const national = example?.nationalNumber ?? '';
      const varied = national.slice(0, -3) + String(variation).padStart(3, '0').slice(-Math.min(3, national.length));
      return { country, number: parsePhoneNumberFromString(varied, country) };
    })
    .filter(
      (candidate): candidate is { country: CountryCode; number: NonNullable<typeof candidate.number> } =>
        candidate.number?.isValid() === true,
    );

  it('reads back every valid number libphonenumber formats, in every format', () => {
    const formats: NumberFormat[] = ['E.164', 'INTERNATIONAL', 'NATIONAL', 'RFC3966'];
    fc.assert(
      fc.property(validNumber, fc.constantFrom(...formats), ({ country, number }, format) => {
        const text = number.format(format);
        // Very short national numbers (a few small territories) are, by rule, extension-shaped; they are excluded.
        fc.pre(!(format === 'NATIONAL' && /^\d{2,6}$/.test(text)));
        const parsed = parsePhoneQuery(text, country);
        expect(parsed).toMatchObject({ kind: 'phone', e164: number.number });
      }),
      { numRuns: 3000 },
    );
  });

  it('reads international formats back regardless of the home country', () => {
    fc.assert(
      fc.property(validNumber, fc.constantFrom('US', 'GB', 'FR', 'JP', undefined), ({ number }, home) => {
        expect(parsePhoneQuery(number.formatInternational(), home)).toMatchObject({ kind: 'phone', e164: number.number });
        const viaDoubleZero = `00 ${number.formatInternational().slice(1)}`;
        expect(parsePhoneQuery(viaDoubleZero, home)).toMatchObject({ kind: 'phone', e164: number.number });
      }),
      { numRuns: 1000 },
    );
  });

  it('answers every 2 to 6 digit input as an extension number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{2,6}$/), (digits) => {
        expect(parsePhoneQuery(digits, 'US')).toEqual<PhoneQuery>({ kind: 'extensionNumber', value: digits });
      }),
    );
  });
});

describe('looksLikePhoneNumber', () => {
  it('tells phone-shaped text from names and extension numbers', () => {
    expect(looksLikePhoneNumber('+1 650 331 6252')).toBe(true);
    expect(looksLikePhoneNumber('(650) 331-6252 x101')).toBe(true);
    expect(looksLikePhoneNumber('+44 20 7946 0958')).toBe(true);
    expect(looksLikePhoneNumber('101')).toBe(false);
    expect(looksLikePhoneNumber('x101')).toBe(false);
    expect(looksLikePhoneNumber('john smith')).toBe(false);
    expect(looksLikePhoneNumber('')).toBe(false);
  });
});

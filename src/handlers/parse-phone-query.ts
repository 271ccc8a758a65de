import { parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';
import { EXTENSION_NUMBER_MAX_DIGITS, isPlainExtensionNumber } from './extension-number.ts';
import { decodeChatEntities, normalizeInput } from './input-text.ts';
import { supportedCountry } from './phone-display.ts';

export type PhoneProblem = 'empty' | 'tooLong' | 'notANumber' | 'tooShort' | 'tooManyDigits' | 'needsCountryCode' | 'unknownCountryCode';

export type PhoneQuery =
  | {
      kind: 'phone';
      /** "+16503316252": what RingCentral stores and what `tel:` links carry. */
      e164: string;
      national: string;
      international: string;
      /** ISO 3166 code, undefined when the calling code is shared and the number fits no single country. */
      country: string | undefined;
      /** A dialled extension written after the number ("x101", "ext. 101", "#101"). */
      extension?: string;
    }
  | {
      kind: 'extensionNumber';
      value: string;
      /** Digits that are too few for a phone number here ("5550101" in the US): the problem, if no extension has them. */
      ifNoSuchExtension?: PhoneProblem;
    }
  | { kind: 'invalid'; reason: PhoneProblem };

/** Up to this many digits alone are an extension number at once; 7 and 8 are one only when no phone number fits. */
const EXTENSION_DIGITS = /^\d{2,6}$/;
const EXTENSION_ONLY = new RegExp(`^(?:x|ext\\.?|extension|#)\\s*(\\d{1,${EXTENSION_NUMBER_MAX_DIGITS}})$`, 'i');
const EXTENSION_SUFFIX = new RegExp(
  `\\s*(?:;ext=|(?<![A-Za-z])(?:x|ext\\.?|extension)|#)\\s*(\\d{1,${EXTENSION_NUMBER_MAX_DIGITS}})$`,
  'i',
);
const SLACK_TEL_LINK = /^<tel:([^|<>]*)(?:\|[^<>]*)?>$/i;
const PHONE_CHARACTERS = /^\+?[\d\s().\-/]+$/;
// Vanity numbers ("1-800-FLOWERS"): digits first, then one run of letters (dashes allowed, no spaces).
const VANITY = /^\+?[\d\s().\-/]*\d[\d\s().\-/]*[A-Za-z]{2,}[A-Za-z\d-]*$/;

/**
 * Reads a phone number in any common format, using the account's home country (ISO code such as "US") for
 * numbers written without a country code. "00" and the home country's own international prefix (011 in the US)
 * both introduce a country code. Short all-digit input is taken as an extension number.
 */
export function parsePhoneQuery(raw: string, defaultCountry: string | undefined): PhoneQuery {
  const input = normalizeInput(raw);
  if (!input.ok) return { kind: 'invalid', reason: 'tooLong' };

  let text = input.text;
  const slackTel = SLACK_TEL_LINK.exec(text);
  if (slackTel) text = slackTel[1] ?? '';
  text = decodeChatEntities(text).replace(/^tel:/i, '').trim();
  if (text === '') return { kind: 'invalid', reason: 'empty' };

  const extensionOnly = EXTENSION_ONLY.exec(text);
  if (extensionOnly) return { kind: 'extensionNumber', value: extensionOnly[1] ?? '' };
  if (EXTENSION_DIGITS.test(text)) return { kind: 'extensionNumber', value: text };

  let extension: string | undefined;
  const suffix = EXTENSION_SUFFIX.exec(text);
  if (suffix && suffix.index > 0) {
    extension = suffix[1];
    text = text.slice(0, suffix.index).trim();
  }

  if (!PHONE_CHARACTERS.test(text)) {
    if (!VANITY.test(text)) return { kind: 'invalid', reason: 'notANumber' };
    text = text.replace(/[A-Za-z]/g, keypadDigit);
  }
  const digits = text.replace(/\D/g, '');
  if (digits === '') return { kind: 'invalid', reason: 'notANumber' };
  if (digits.length === 1) return { kind: 'invalid', reason: 'tooShort' };

  const country = supportedCountry(defaultCountry);
  // "00" is the international prefix almost everywhere, but libphonenumber knows only the home country's own
  // (011 in the US), and would read "00 44 …" as a long US number. No national number starts with 00.
  const viaDoubleZero = !text.startsWith('+') && /^\D*0\D*0/.test(text) ? parsePossible(`+${digits.slice(2)}`, country) : undefined;
  const parsed = viaDoubleZero?.ok ? viaDoubleZero : parsePossible(text, country);
  if (!parsed.ok) {
    // "12345678": no phone number here, and as long as an extension number with a site code can be.
    if (extension === undefined && isPlainExtensionNumber(text))
      return { kind: 'extensionNumber', value: text, ifNoSuchExtension: parsed.reason };
    return { kind: 'invalid', reason: parsed.reason };
  }

  const number = parsed.number;
  const found: PhoneQuery = {
    kind: 'phone',
    e164: number.number,
    national: number.formatNational(),
    international: number.formatInternational(),
    country: number.country,
  };
  const dialled = extension ?? number.ext;
  return dialled === undefined ? found : { ...found, extension: dialled };
}

/** True for text shaped like a phone number (a leading "+", or 7 or more digits with phone punctuation only). */
export function looksLikePhoneNumber(text: string): boolean {
  const unwrapped = SLACK_TEL_LINK.exec(text)?.[1] ?? text;
  const main = unwrapped.replace(/^tel:/i, '').replace(EXTENSION_SUFFIX, '').trim();
  if (!PHONE_CHARACTERS.test(main)) return false;
  const digits = main.replace(/\D/g, '').length;
  return (main.startsWith('+') && digits >= 3) || digits >= 7;
}

type Parsed = { ok: true; number: PhoneNumber } | { ok: false; reason: PhoneProblem };

function parsePossible(text: string, country: CountryCode | undefined): Parsed {
  const lengthProblem = validatePhoneNumberLength(text, country);
  if (lengthProblem !== undefined) return { ok: false, reason: lengthProblemReason(lengthProblem, text, country) };
  const number = parsePhoneNumberFromString(text, country);
  if (!number?.isPossible()) return { ok: false, reason: 'notANumber' };
  return { ok: true, number };
}

function lengthProblemReason(problem: string, text: string, country: CountryCode | undefined): PhoneProblem {
  switch (problem) {
    case 'TOO_SHORT':
      return 'tooShort';
    case 'TOO_LONG':
      return 'tooManyDigits';
    case 'INVALID_COUNTRY':
      if (text.startsWith('+')) return 'unknownCountryCode';
      return country === undefined ? 'needsCountryCode' : 'notANumber';
    default:
      return 'notANumber';
  }
}

const KEYPAD = ['ABC', 'DEF', 'GHI', 'JKL', 'MNO', 'PQRS', 'TUV', 'WXYZ'];

function keypadDigit(letter: string): string {
  const index = KEYPAD.findIndex((keys) => keys.includes(letter.toUpperCase()));
  return String(index + 2);
}

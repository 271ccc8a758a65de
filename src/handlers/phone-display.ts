import { getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';

/** A phone number ready to show. `e164` is absent when the text could not be read as a number (free-text contact fields). */
export interface PhoneNumberView {
  display: string;
  e164?: string;
}

/**
 * A number as the caller reads it: national format for numbers of the account's home country (by calling code, so
 * a Canadian number reads nationally in a US account, as it is dialled), international otherwise. `e164` is set
 * only when the text reads as a possible number; free text such as "ask reception" is shown as it is.
 */
export function phoneNumberView(raw: string, homeCountry: string | undefined): PhoneNumberView {
  const text = raw.trim();
  const home = supportedCountry(homeCountry);
  // RingCentral's own guide shows E.164 without the "+" ("18555440014"); with no home country, read it as such.
  const candidate = home === undefined && /^\d{8,15}$/.test(text) ? `+${text}` : text;
  const number = parsePhoneNumberFromString(candidate, home);
  if (!number?.isPossible()) return { display: text };
  const national = home !== undefined && number.countryCallingCode === getCountryCallingCode(home);
  return { display: national ? number.formatNational() : number.formatInternational(), e164: number.number };
}

/** The `tel:` link of a number: E.164 only, so every phone and softphone dials it the same way. */
export function telUri(e164: string): string {
  return `tel:${e164}`;
}

export function supportedCountry(code: string | undefined): CountryCode | undefined {
  const upper = code?.toUpperCase();
  return upper !== undefined && isSupportedCountry(upper) ? upper : undefined;
}

/**
 * RingCentral extension numbers are digits: usually 3 to 5, up to 8 where a site code is prepended. Both /ext and
 * /whois read a short all-digit query as one, so they share the limit.
 */
export const EXTENSION_NUMBER_MAX_DIGITS = 8;

const PLAIN_EXTENSION_NUMBER = new RegExp(`^\\d{1,${EXTENSION_NUMBER_MAX_DIGITS}}$`);

/** True for text that can only be an extension number: digits alone, no longer than the longest extension number. */
export function isPlainExtensionNumber(text: string): boolean {
  return PLAIN_EXTENSION_NUMBER.test(text);
}

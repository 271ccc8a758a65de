import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { toE164 } from '../../src/handlers/e164.ts';

/** What libphonenumber itself makes of a number, as toE164 did for every number before its North American shortcut. */
function byLibphonenumber(raw: string): string[] {
  const text = raw.trim();
  const parsed = parsePhoneNumberFromString(/^\d{8,15}$/.test(text) ? `+${text}` : text);
  return parsed?.isPossible() ? [parsed.number] : [];
}

describe('toE164', () => {
  it('reads every North American number as libphonenumber does, for every area code and exchange start', () => {
    for (let areaCode = 0; areaCode < 1000; areaCode += 1) {
      for (const exchange of ['0', '1', '2', '5', '9']) {
        const national = `${String(areaCode).padStart(3, '0')}${exchange}${String((areaCode * 7919) % 1_000_000).padStart(6, '0')}`;
        for (const raw of [`+1${national}`, `1${national}`]) expect(toE164(raw), raw).toEqual(byLibphonenumber(raw));
      }
    }
  });

  it.each([
    ['+16503316252', ['+16503316252']],
    ['16503316252', ['+16503316252']],
    [' +1 (650) 331-6252 ', ['+16503316252']],
    ['+442079460958', ['+442079460958']],
    ['442079460958', ['+442079460958']],
    ['+1650331625', []],
    ['+165033162521', []],
    ['not a number', []],
  ])('reads %j as %j', (raw, expected) => {
    expect(toE164(raw)).toEqual(expected);
    expect(toE164(raw)).toEqual(byLibphonenumber(raw));
  });
});

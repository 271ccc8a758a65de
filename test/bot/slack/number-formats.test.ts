import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { company } from '../../support/sandbox.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import { answer, fieldsOf, linkUser, startSlackTestStack, telNumbersOf, titleOf } from '../../support/slack-stack.ts';

/*
 * Every common way of writing a phone number finds its owner, through /whois and through /ext, for an administrator
 * and for a standard user. The company has a US number and numbers abroad (its home country is the US).
 */

const seed = company({ companyName: 'Formats Inc.' })
  .withAdmin({ extensionNumber: '101', firstName: 'Ann', lastName: 'Admin', email: 'ann.admin@formats.example' })
  .withUser({
    extensionNumber: '102',
    firstName: 'Paul',
    lastName: 'Rivera',
    email: 'paul.rivera@formats.example',
    directNumber: '+16503316252',
  })
  .withUser({ extensionNumber: '103', firstName: 'Emma', lastName: 'Chen', email: 'emma.chen@formats.example' })
  .withUser({
    extensionNumber: '104',
    firstName: 'Oliver',
    lastName: 'Wright',
    email: 'oliver.wright@formats.example',
    directNumber: '+442079460958',
  })
  .withUser({
    extensionNumber: '105',
    firstName: 'Lena',
    lastName: 'Vogel',
    email: 'lena.vogel@formats.example',
    directNumber: '+493022739000',
  })
  .withUser({
    extensionNumber: '106',
    firstName: 'Aiko',
    lastName: 'Mori',
    email: 'aiko.mori@formats.example',
    directNumber: '+81312345678',
  })
  // A site code before the extension: eight digits, as many as an extension number can have.
  .withUser({ extensionNumber: '20010107', firstName: 'Sven', lastName: 'Site', email: 'sven.site@formats.example' })
  .build();

interface Case {
  written: string;
  e164: string;
  display: string;
  owner: string;
}

const paul = (written: string): Case => ({ written, e164: '+16503316252', display: '(650) 331-6252', owner: 'Paul Rivera' });
const oliver = (written: string): Case => ({ written, e164: '+442079460958', display: '+44 20 7946 0958', owner: 'Oliver Wright' });
const lena = (written: string): Case => ({ written, e164: '+493022739000', display: '+49 30 22739000', owner: 'Lena Vogel' });
const aiko = (written: string): Case => ({ written, e164: '+81312345678', display: '+81 3 1234 5678', owner: 'Aiko Mori' });

const cases: Case[] = [
  paul('+16503316252'),
  paul('(650) 331-6252'),
  paul('650.331.6252'),
  paul('1-650-331-6252'),
  paul('650-331-6252'),
  paul('6503316252'),
  paul('16503316252'),
  paul('+1 650 331 6252'),
  paul('+1 (650) 331-6252'),
  paul('+1.650.331.6252'),
  paul('001 650 331 6252'),
  paul('011 1 650 331 6252'),
  paul('tel:+16503316252'),
  paul('<tel:+16503316252|+1 650 331 6252>'),
  paul('６５０-３３１-６２５２'),
  oliver('+44 20 7946 0958'),
  oliver('+442079460958'),
  oliver('+44 (0)20 7946 0958'),
  oliver('0044 20 7946 0958'),
  oliver('011 44 20 7946 0958'),
  oliver('+44-20-7946-0958'),
  lena('+49 30 22739000'),
  lena('+49 (0)30 2273 9000'),
  aiko('+81 3-1234-5678'),
  aiko('011 81 3 1234 5678'),
];

let stack: SlackTestStack;

beforeAll(async () => {
  stack = await startSlackTestStack({ sandbox: { seed } });
  await linkUser(stack, 'U101', '101');
  await linkUser(stack, 'U103', '103');
});

afterAll(async () => {
  await stack?.close();
});

function expectOwnerCard(message: Awaited<ReturnType<typeof answer>>, expected: Case): void {
  expect(titleOf(message), expected.written).toBe(expected.display);
  expect(fieldsOf(message), expected.written).toContainEqual(['Belongs to', expected.owner]);
  expect(telNumbersOf(message), expected.written).toContain(expected.e164);
}

describe.each([
  ['administrator', 'U101'],
  ['standard user', 'U103'],
])('as an %s', (_role, slackUserId) => {
  it.each(cases.map((entry) => [entry.written, entry] as const))('/whois %s finds its owner', async (_written, expected) => {
    expectOwnerCard(await answer(stack, slackUserId, `/whois ${expected.written}`), expected);
  });

  it.each(cases.map((entry) => [entry.written, entry] as const))('/ext %s is answered as /whois', async (_written, expected) => {
    expectOwnerCard(await answer(stack, slackUserId, `/ext ${expected.written}`), expected);
  });
});

describe('numbers with a dialled extension, and what is not a number', () => {
  it('an extension written after the number is kept and shown', async () => {
    for (const written of ['(650) 331-6252 x102', '+1 650 331 6252 ext. 102', '650-331-6252#102']) {
      const message = await answer(stack, 'U103', `/whois ${written}`);
      expect(titleOf(message), written).toBe('(650) 331-6252 ext. 102');
      expect(fieldsOf(message), written).toContainEqual(['Extension dialled', '102']);
    }
  });

  it('a short all-digit query is an extension number', async () => {
    const message = await answer(stack, 'U103', '/whois 102');
    expect(titleOf(message)).toBe('Paul Rivera');
  });

  it('an eight-digit extension number (site code and extension) is answered by /whois as by /ext', async () => {
    for (const command of ['/whois 20010107', '/ext 20010107']) {
      const message = await answer(stack, 'U103', command);
      expect(titleOf(message), command).toBe('Sven Site');
    }
  });

  it('a local number without its area code is too short, unless an extension has those digits', async () => {
    const message = await answer(stack, 'U103', '/whois 331-6252');
    expect(titleOf(message)).toBe('That number is too short');
    const sevenDigits = await answer(stack, 'U103', '/whois 3316252');
    expect(titleOf(sevenDigits)).toBe('That number is too short');
  });

  it("a number that is nobody's in the company is said to be not in the directory, in the national format", async () => {
    const message = await answer(stack, 'U103', '/whois 415.555.0199');
    expect(titleOf(message)).toBe('(415) 555-0199 is not in your company directory');
  });

  it('text that is no phone number gets a hint with examples', async () => {
    const message = await answer(stack, 'U103', '/whois call me maybe');
    expect(titleOf(message)).toBe('That does not look like a phone number');
    expect(JSON.stringify(message.blocks)).toContain('(650) 331-6252');
  });
});

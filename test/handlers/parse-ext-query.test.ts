import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExtQuery } from '../../src/handlers/parse-ext-query.ts';
import { MAX_NAME_TERMS, parseExtQuery } from '../../src/handlers/parse-ext-query.ts';

describe('parseExtQuery', () => {
  it.each([
    ['', { kind: 'self' }],
    ['   ', { kind: 'self' }],
    ['me', { kind: 'self' }],
    [' Me ', { kind: 'self' }],
    ['@me', { kind: 'self' }],
    ['myself', { kind: 'self' }],
    ['me smith', { kind: 'name', terms: ['me', 'smith'] }],
    ['meg', { kind: 'name', terms: ['meg'] }],
    ['101', { kind: 'extensionNumber', value: '101' }],
    [' 101 ', { kind: 'extensionNumber', value: '101' }],
    ['x101', { kind: 'extensionNumber', value: '101' }],
    ['ext. 101', { kind: 'extensionNumber', value: '101' }],
    ['#2045', { kind: 'extensionNumber', value: '2045' }],
    ['12345678', { kind: 'extensionNumber', value: '12345678' }],
    ['john', { kind: 'name', terms: ['john'] }],
    ['smith j', { kind: 'name', terms: ['smith', 'j'] }],
    ['Smith, John', { kind: 'name', terms: ['Smith', 'John'] }],
    ['"John Smith"', { kind: 'name', terms: ['John', 'Smith'] }],
    ["O'Brien", { kind: 'name', terms: ["O'Brien"] }],
    ['Jean-Luc', { kind: 'name', terms: ['Jean-Luc'] }],
    ['José Müller', { kind: 'name', terms: ['José', 'Müller'] }],
    ['@john', { kind: 'name', terms: ['john'] }],
    ['AT&amp;T', { kind: 'name', terms: ['AT&T'] }],
    ['john.smith@mycompany.com', { kind: 'email', value: 'john.smith@mycompany.com' }],
    ['John.Smith@MyCompany.com', { kind: 'email', value: 'john.smith@mycompany.com' }],
    ['<mailto:paul.rivera@mycompany.com|paul.rivera@mycompany.com>', { kind: 'email', value: 'paul.rivera@mycompany.com' }],
    ['<@U123ABC>', { kind: 'slackMention', userId: 'U123ABC' }],
    ['<@U123ABC|paul>', { kind: 'slackMention', userId: 'U123ABC' }],
    ['<@W0ENTERPRISE|paul>', { kind: 'slackMention', userId: 'W0ENTERPRISE' }],
    ['<!channel>', { kind: 'invalid', reason: 'notAPerson' }],
    ['<!here>', { kind: 'invalid', reason: 'notAPerson' }],
    ['<!subteam^S123|@sales>', { kind: 'invalid', reason: 'notAPerson' }],
    ['<#C123|general>', { kind: 'invalid', reason: 'notAPerson' }],
    ['!!! ???', { kind: 'invalid', reason: 'noSearchTerms' }],
    ['+1 650 331 6252', { kind: 'phoneNumber', text: '+1 650 331 6252' }],
    ['(650) 331-6252', { kind: 'phoneNumber', text: '(650) 331-6252' }],
    ['<tel:+16503316252|+1 650 331 6252>', { kind: 'phoneNumber', text: '+16503316252' }],
  ] satisfies Array<[string, ExtQuery]>)('reads %j', (text, expected) => {
    expect(parseExtQuery(text)).toEqual(expected);
  });

  it('takes the label of a Slack token inside a longer name', () => {
    expect(parseExtQuery('<@U1|john> smith')).toEqual({ kind: 'name', terms: ['john', 'smith'] });
  });

  it(`keeps at most ${MAX_NAME_TERMS} name terms`, () => {
    const result = parseExtQuery('a b c d e f g h i j');
    expect(result).toEqual({ kind: 'name', terms: ['a', 'b', 'c', 'd', 'e', 'f'] });
  });

  it('refuses over-long input instead of searching with it', () => {
    expect(parseExtQuery('a'.repeat(201))).toEqual({ kind: 'invalid', reason: 'tooLong' });
    expect(parseExtQuery('a '.repeat(500_000))).toEqual({ kind: 'invalid', reason: 'tooLong' });
  });

  it('never throws, and name terms are never empty and carry no edge punctuation or spaces', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 250 }), (text) => {
        const query = parseExtQuery(text);
        if (query.kind === 'name') {
          expect(query.terms.length).toBeGreaterThan(0);
          expect(query.terms.length).toBeLessThanOrEqual(MAX_NAME_TERMS);
          for (const term of query.terms) {
            expect(term).not.toBe('');
            expect(term).not.toMatch(/\s/);
            expect(term).toMatch(/^[\p{L}\p{N}].*[\p{L}\p{N}]$|^[\p{L}\p{N}]$/u);
          }
        }
        if (query.kind === 'extensionNumber') expect(query.value).toMatch(/^\d{1,8}$/);
        if (query.kind === 'slackMention') expect(query.userId).toMatch(/^[UW][A-Z0-9]+$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads any Slack user mention as that user, with or without a label', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[UW][A-Z0-9]{2,12}$/), fc.option(fc.stringMatching(/^[a-z.]{1,20}$/)), (id, label) => {
        const text = label === null ? `<@${id}>` : `<@${id}|${label}>`;
        expect(parseExtQuery(text)).toEqual({ kind: 'slackMention', userId: id });
      }),
    );
  });
});

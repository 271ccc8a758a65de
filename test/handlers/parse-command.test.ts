import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_INPUT_LENGTH, normalizeInput } from '../../src/handlers/input-text.ts';
import type { Command } from '../../src/handlers/parse-command.ts';
import { formatCommand, parseCommand } from '../../src/handlers/parse-command.ts';

const ok = (command: Command) => ({ ok: true, command });

describe('parseCommand', () => {
  it.each([
    ['ext 101', { name: 'ext', query: '101', page: 1 }],
    ['/ext 101', { name: 'ext', query: '101', page: 1 }],
    ['EXT John Smith', { name: 'ext', query: 'John Smith', page: 1 }],
    ['extension smith j', { name: 'ext', query: 'smith j', page: 1 }],
    ['ext', { name: 'ext', query: '', page: 1 }],
    ['/ext <@U123|paul>', { name: 'ext', query: '<@U123|paul>', page: 1 }],
    ['whois +1 650 331 6252', { name: 'whois', query: '+1 650 331 6252' }],
    ['/whois (650) 331-6252', { name: 'whois', query: '(650) 331-6252' }],
    ['whois', { name: 'whois', query: '' }],
    ['myforwarding', { name: 'myforwarding' }],
    ['/myforwarding', { name: 'myforwarding' }],
    ['forwarding', { name: 'myforwarding' }],
    ['help', { name: 'help' }],
    ['?', { name: 'help' }],
    ['link', { name: 'link' }],
    ['unlink', { name: 'unlink' }],
    ['status', { name: 'status' }],
    ['switchboard status', { name: 'status' }],
    ['/switchboard link', { name: 'link' }],
    ['/switchboard unlink', { name: 'unlink' }],
    ['/switchboard help', { name: 'help' }],
    ['/switchboard', { name: 'help' }],
    ['switchboard ext 101', { name: 'ext', query: '101', page: 1 }],
    ['/switchboard company', { name: 'company', page: 1 }],
    ['company', { name: 'company', page: 1 }],
    ['company page:3', { name: 'company', page: 3 }],
    ['/switchboard company page:0', { name: 'company', page: 1 }],
    ['company now', { name: 'company', page: 1 }],
    ['', { name: 'help' }],
    ['   \n\t ', { name: 'help' }],
  ] satisfies Array<[string, Command]>)('reads %j', (text, command) => {
    expect(parseCommand(text)).toEqual(ok(command));
  });

  it('ignores words after commands that take none', () => {
    expect(parseCommand('help me please')).toEqual(ok({ name: 'help' }));
    expect(parseCommand('status now')).toEqual(ok({ name: 'status' }));
  });

  it('reads the page of an ext list from a trailing page:N token', () => {
    expect(parseCommand('ext smith page:3')).toEqual(ok({ name: 'ext', query: 'smith', page: 3 }));
    expect(parseCommand('ext page:2')).toEqual(ok({ name: 'ext', query: '', page: 2 }));
    expect(parseCommand('ext smith page:0')).toEqual(ok({ name: 'ext', query: 'smith', page: 1 }));
    // Only trailing: a page token inside the query is part of the name.
    expect(parseCommand('ext page:2 smith')).toEqual(ok({ name: 'ext', query: 'page:2 smith', page: 1 }));
  });

  it('collapses whitespace and trims, including non-breaking and zero-width characters', () => {
    expect(parseCommand('  ext\u00A0\u00A0john \u200B  smith  ')).toEqual(ok({ name: 'ext', query: 'john smith', page: 1 }));
  });

  it('reads full-width characters as ASCII', () => {
    expect(parseCommand('ｅｘｔ １０１')).toEqual(ok({ name: 'ext', query: '101', page: 1 }));
  });

  it('drops a leading bot mention before a command (Slack app mention, Teams <at>)', () => {
    expect(parseCommand('<@UBOT123> ext 101')).toEqual(ok({ name: 'ext', query: '101', page: 1 }));
    expect(parseCommand('<at>Switchboard</at> whois 101')).toEqual(ok({ name: 'whois', query: '101' }));
    expect(parseCommand('<at>Switchboard</at>')).toEqual(ok({ name: 'help' }));
  });

  it('answers text without a command word as the lookup its shape makes plain', () => {
    expect(parseCommand('+1 650 331 6252')).toEqual(ok({ name: 'whois', query: '+1 650 331 6252' }));
    expect(parseCommand('(650) 331-6252')).toEqual(ok({ name: 'whois', query: '(650) 331-6252' }));
    expect(parseCommand('101')).toEqual(ok({ name: 'ext', query: '101', page: 1 }));
    expect(parseCommand('x101')).toEqual(ok({ name: 'ext', query: 'x101', page: 1 }));
    expect(parseCommand('jane.doe@mycompany.com')).toEqual(ok({ name: 'ext', query: 'jane.doe@mycompany.com', page: 1 }));
    expect(parseCommand('<@U123>')).toEqual(ok({ name: 'ext', query: '<@U123>', page: 1 }));
  });

  it('answers words without a command word with help, not a search for them', () => {
    for (const text of ['john smith', 'thanks!', 'hello there', 'smith page:2'])
      expect(parseCommand(text), text).toEqual(ok({ name: 'help' }));
  });

  it('refuses an explicit unknown slash or switchboard subcommand', () => {
    expect(parseCommand('/foo bar')).toEqual({ ok: false, problem: 'unknownCommand', word: '/foo' });
    expect(parseCommand('/switchboard frobnicate')).toEqual({ ok: false, problem: 'unknownCommand', word: 'frobnicate' });
  });

  it('refuses input over the length cap with a problem, not an exception', () => {
    expect(parseCommand(`ext ${'a'.repeat(MAX_INPUT_LENGTH)}`)).toEqual({ ok: false, problem: 'tooLong', limit: MAX_INPUT_LENGTH });
    const megabyte = 'x'.repeat(1_000_000);
    const started = performance.now();
    expect(parseCommand(megabyte)).toMatchObject({ ok: false, problem: 'tooLong' });
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('accepts long padding that normalises to a short command', () => {
    expect(parseCommand(`${' '.repeat(500)}status${' '.repeat(500)}`)).toEqual(ok({ name: 'status' }));
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const result = parseCommand(text);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back every command it formats, in both styles', () => {
    const query = fc
      .string({ unit: 'grapheme', maxLength: 60 })
      .map((text) => {
        const normalized = normalizeInput(text);
        return normalized.ok ? normalized.text : '';
      })
      // A trailing page token is reserved for paging; queries never end with one.
      .filter((text) => !/(?:^|\s)page:\d{1,4}$/i.test(text));
    const command: fc.Arbitrary<Command> = fc.oneof(
      fc.record({ name: fc.constant('ext' as const), query, page: fc.integer({ min: 1, max: 1000 }) }),
      fc.record({ name: fc.constant('whois' as const), query }),
      fc.constantFrom<Command>({ name: 'myforwarding' }, { name: 'help' }, { name: 'link' }, { name: 'unlink' }, { name: 'status' }),
      fc.record({ name: fc.constant('company' as const), page: fc.integer({ min: 1, max: 1000 }) }),
    );
    fc.assert(
      fc.property(command, fc.constantFrom('slash' as const, 'plain' as const), (original, style) => {
        const parsed = parseCommand(formatCommand(original, style));
        expect(parsed).toEqual({ ok: true, command: original });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('formatCommand', () => {
  it('writes Slack slash commands, grouping help/link/unlink/status under /switchboard', () => {
    expect(formatCommand({ name: 'ext', query: 'smith', page: 2 }, 'slash')).toBe('/ext smith page:2');
    expect(formatCommand({ name: 'whois', query: '+1 650 331 6252' }, 'slash')).toBe('/whois +1 650 331 6252');
    expect(formatCommand({ name: 'myforwarding' }, 'slash')).toBe('/myforwarding');
    expect(formatCommand({ name: 'link' }, 'slash')).toBe('/switchboard link');
    expect(formatCommand({ name: 'company', page: 1 }, 'slash')).toBe('/switchboard company');
    expect(formatCommand({ name: 'company', page: 2 }, 'plain')).toBe('company page:2');
    expect(formatCommand({ name: 'status' }, 'plain')).toBe('status');
    expect(formatCommand({ name: 'ext', query: '', page: 1 }, 'plain')).toBe('ext');
  });
});

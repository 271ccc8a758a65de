import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderText } from '../../../src/bot/text/render.ts';
import type { Card, CardKind, ExtensionCard } from '../../../src/handlers/cards.ts';
import { makeReply } from '../../../src/handlers/make-reply.ts';
import { helpReply, invalidPhoneReply, linkPromptReply, noMatchReply } from '../../../src/handlers/replies.ts';
import { hugeCards, paulCard, replyArbitrary } from '../../support/card-arbitraries.ts';

const paul: ExtensionCard = {
  ...paulCard,
  numbers: paulCard.numbers.slice(0, 1),
  contact: { email: 'paul.rivera@mycompany.com', jobTitle: 'Account Executive', businessPhone: { display: 'ask reception' } },
};

/** One realistic card of every kind; the record type makes a new kind fail to compile here until it is covered. */
const everyKind: Record<CardKind, Card> = {
  extension: paul,
  extensionList: {
    kind: 'extensionList',
    query: 'smith',
    items: [
      {
        name: 'John Smith',
        extensionNumber: '101',
        type: 'User',
        email: 'john.smith@mycompany.com',
        details: { name: 'ext', query: '101', page: 1 },
      },
      { name: 'Sam Smith', extensionNumber: '130', type: 'User', status: 'Disabled' },
    ],
    firstPosition: 11,
    total: 14,
    more: { name: 'ext', query: 'smith', page: 3 },
  },
  number: {
    kind: 'number',
    number: { display: '(650) 331-6252', e164: '+16503316252' },
    usage: 'Direct number',
    callType: 'Voice only',
    paymentType: 'Local',
    features: ['Caller ID', 'SMS sender'],
    owner: { name: 'Paul Rivera', extensionNumber: '102', type: 'User', details: { name: 'ext', query: '102', page: 1 } },
  },
  numberList: {
    kind: 'numberList',
    answers: [
      {
        kind: 'number',
        number: { display: '(650) 331-6252', e164: '+16503316252' },
        usage: 'Direct number',
        owner: { name: 'Paul Rivera', extensionNumber: '102', type: 'User', details: { name: 'ext', query: '102', page: 1 } },
      },
      { kind: 'notice', tone: 'info', title: '(650) 555-0199 is not in your company directory' },
    ],
    more: 2,
    limit: 10,
  },
  forwarding: {
    kind: 'forwarding',
    items: [
      {
        label: 'John Smith Desk Phone',
        number: { display: '(760) 941-0044', e164: '+17609410044' },
        features: ['Call flip'],
        flipNumber: '1',
      },
      {
        label: 'Work',
        number: { display: '(855) 987-8944', e164: '+18559878944' },
        features: ['Call forwarding', 'Call flip'],
        flipNumber: '2',
      },
    ],
  },
  linkPrompt: { kind: 'linkPrompt', reason: 'not-linked', url: 'http://127.0.0.1:3000/oauth/ringcentral/start?state=s1' },
  linkedStatus: {
    kind: 'linkedStatus',
    name: 'Emma Chen',
    extensionNumber: '103',
    email: 'emma.chen@mycompany.com',
    role: 'Standard user',
  },
  help: helpReply().card,
  notice: { kind: 'notice', tone: 'error', title: 'RingCentral is unreachable', body: 'Please try again in a minute.' },
  company: {
    kind: 'company',
    continuation: false,
    companyName: 'MyCompany Inc.',
    mainNumber: { display: '(855) 544-0014', e164: '+18555440014' },
    servicePlan: 'Professional',
    operator: { name: 'John Smith', extensionNumber: '101', details: { name: 'ext', query: '101', page: 1 } },
    admin: {
      extensions: { total: 52, byStatus: [{ label: 'Enabled', count: 52 }], byType: [{ label: 'People', count: 52 }] },
      unassigned: {
        items: [{ number: { display: '(855) 910-5564', e164: '+18559105564' }, usage: 'Company number' }],
        firstPosition: 1,
        total: 11,
        more: { name: 'company', page: 2 },
      },
    },
  },
};

describe('renderText', () => {
  it.each(Object.entries(everyKind))('renders a %s card with its title first', (_kind, card) => {
    const text = renderText(makeReply(card));
    expect(text.length).toBeGreaterThan(0);
    expect(text.split('\n')[0]).not.toBe('');
  });

  it('aligns an extension card in label/value columns and shows call buttons with their tel: links', () => {
    expect(renderText(makeReply(paul))).toBe(
      [
        'Paul Rivera',
        '',
        '  Extension       102',
        '  Type            User',
        '  Status          Enabled',
        '  Direct number   (650) 331-6252 <tel:+16503316252>',
        '  Email           paul.rivera@mycompany.com',
        '  Job title       Account Executive',
        '  Business phone  ask reception',
        '  In chat         paul (U0PAUL123)',
        '',
        '[Call (650) 331-6252: tel:+16503316252]',
      ].join('\n'),
    );
  });

  it('draws the company card: facts in columns, the numbers mapped to no extension as a list, show more as a command', () => {
    const text = renderText(makeReply(everyKind.company));
    expect(text.split('\n')[0]).toBe('MyCompany Inc.');
    expect(text).toMatch(/Main number\s+\(855\) 544-0014 <tel:\+18555440014>/);
    expect(text).toMatch(/Operator\s+John Smith \(Ext\. 101\)/);
    expect(text).toMatch(/Extensions\s+52: Enabled 52/);
    expect(text).toContain('• (855) 910-5564\n  Company number');
    expect(text).toContain('[Show more: company page:2]');
    expect(text).toContain('[Show John Smith: ext 101]');
  });

  it('lists matches with their details commands and the show-more command', () => {
    const text = renderText(makeReply(everyKind.extensionList));
    expect(text).toContain('Showing 11–12 of 14');
    expect(text).toContain('• John Smith\n  Ext. 101 · User · john.smith@mycompany.com\n  [Details: ext 101]');
    expect(text).toContain('• Sam Smith\n  Ext. 130 · User · Disabled');
    expect(text).toContain('[Show more: ext smith page:3]');
  });

  it('shows a number, who owns it, its features and a way to open the owner', () => {
    const text = renderText(makeReply(everyKind.number));
    expect(text).toContain('Belongs to   Paul Rivera');
    expect(text).toContain('Features     Caller ID, SMS sender');
    expect(text).toContain('[Call (650) 331-6252: tel:+16503316252]');
    expect(text).toContain('[Show Paul Rivera: ext 102]');
  });

  it('shows forwarding numbers in the card order with flip shortcuts', () => {
    const text = renderText(makeReply(everyKind.forwarding));
    expect(text.indexOf('John Smith Desk Phone')).toBeLessThan(text.indexOf('Work'));
    expect(text).toContain('(760) 941-0044 · Call flip · Flip shortcut 1');
    expect(text).toContain('(855) 987-8944 · Call forwarding, Call flip · Flip shortcut 2');
  });

  it('says so when there are no forwarding numbers', () => {
    expect(renderText(makeReply({ kind: 'forwarding', items: [] }))).toBe(
      'Your forwarding numbers\n\nNo forwarding or call flip numbers are set up.',
    );
  });

  it('shows the Connect link as a button line', () => {
    expect(renderText(linkPromptReply('relink', 'http://127.0.0.1:3000/x'))).toContain('[Connect RingCentral: http://127.0.0.1:3000/x]');
  });

  it('writes commands as typed to the bot, not as Slack slash commands', () => {
    const text = renderText(noMatchReply('smith j', { kind: 'name', terms: ['smith', 'j'] }));
    expect(text).toContain('Try: ext smith · help');
    expect(text).not.toContain('/');
    expect(renderText(makeReply(everyKind.help))).toContain('• whois <phone number>');
  });

  it('marks tones and lists example inputs', () => {
    const text = renderText(invalidPhoneReply('tooShort'));
    expect(text.startsWith('[!] That number is too short')).toBe(true);
    expect(text).toContain('Examples: +1 650 331 6252 · (650) 331-6252 · +44 20 7946 0958 · 101');
    expect(renderText(makeReply(everyKind.notice)).startsWith('[x] RingCentral is unreachable')).toBe(true);
  });

  it('strips terminal escape sequences and line breaks from data', () => {
    const text = renderText(makeReply({ ...paul, name: 'Evil\u001b[2J\u001b[H Name', contact: { jobTitle: 'two\nlines\u202E' } }));
    expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E]/);
    expect(text.split('\n')[0]).toBe('Evil[2J[H Name');
    expect(text).toMatch(/^  Job title +two lines$/m);
  });

  it('never throws and never emits control characters other than newlines, for any card', () => {
    fc.assert(
      fc.property(replyArbitrary(20), (reply) => {
        const text = renderText(reply);
        expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
      }),
      { numRuns: 300 },
    );
  });

  it('renders huge cards completely (a terminal has no message limits)', () => {
    const [extension, list] = hugeCards();
    expect(renderText(makeReply(extension as Card)).match(/<tel:\+1650555\d{4}>/g)?.length).toBeGreaterThanOrEqual(500);
    expect(renderText(makeReply(list as Card)).match(/^• /gm)?.length).toBe(300);
  });
});

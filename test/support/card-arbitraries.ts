import fc from 'fast-check';
import type { Card, ExtensionCard, PhoneNumberView, Reply } from '../../src/handlers/cards.ts';
import type { Command } from '../../src/handlers/parse-command.ts';
import { makeReply } from '../../src/handlers/make-reply.ts';

/*
 * fast-check generators for the neutral card model, biased towards what breaks chat messages: Slack tokens,
 * formatting characters, entities, control characters, line breaks and very long text.
 */

export const hostileSnippets = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U1>',
  '<@U0123ABCD|boss>',
  '<#C1|general>',
  '<!subteam^S1|@team>',
  '<https://evil.example|click me>',
  '<tel:+15550100|call>',
  '*bold*',
  '_italic_',
  '~strike~',
  '`code`',
  '```',
  '> quoted',
  '&amp;',
  '&lt;!channel&gt;',
  '&',
  '@channel',
  '@here',
  ':fire:',
  '\u001b[2J\u001b[H',
  'line\nbreak',
  '\u202Eevil',
  '😀👍🏽',
  'x'.repeat(75),
] as const;

const hostile = fc.constantFrom(...hostileSnippets);

/** Any text a record or a user could supply. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: hostile },
  { weight: 2, arbitrary: fc.array(fc.oneof(hostile, fc.string({ maxLength: 8 })), { maxLength: 8 }).map((parts) => parts.join(' ')) },
  { weight: 1, arbitrary: fc.tuple(hostile, fc.integer({ min: 50, max: 800 })).map(([snippet, times]) => snippet.repeat(times)) },
);

const nonEmptyText = anyText.filter((text) => text.trim() !== '');

const e164 = fc.stringMatching(/^\+[1-9]\d{6,14}$/);

export const phoneView: fc.Arbitrary<PhoneNumberView> = fc.oneof(
  fc.record({ display: nonEmptyText, e164 }),
  fc.record({ display: nonEmptyText }),
);

export const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    name: fc.constant('ext' as const),
    query: anyText.map((text) => text.slice(0, 200)),
    page: fc.integer({ min: 1, max: 1000 }),
  }),
  fc.record({ name: fc.constant('whois' as const), query: anyText.map((text) => text.slice(0, 200)) }),
  fc.constantFrom<Command>({ name: 'myforwarding' }, { name: 'help' }, { name: 'link' }, { name: 'unlink' }, { name: 'status' }),
  fc.record({ name: fc.constant('company' as const), page: fc.integer({ min: 1, max: 1000 }) }),
);

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

function withoutUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

const ref = fc
  .record({ name: nonEmptyText, extensionNumber: optional(fc.stringMatching(/^\d{1,8}$/)), type: anyText })
  .map(withoutUndefined);

const countLine = fc.record({ label: anyText, count: fc.nat() });

export function cardArbitrary(maxItems = 40): fc.Arbitrary<Card> {
  const many = <T>(arbitrary: fc.Arbitrary<T>) => fc.array(arbitrary, { maxLength: maxItems });
  return fc.oneof(
    fc
      .record({
        kind: fc.constant('extension' as const),
        name: nonEmptyText,
        extensionNumber: optional(fc.stringMatching(/^\d{1,8}$/)),
        type: anyText,
        status: anyText,
        isYou: fc.boolean(),
        numbers: many(fc.record({ number: phoneView, usage: anyText, label: optional(anyText) }).map(withoutUndefined)),
        contact: fc
          .record({
            email: optional(anyText),
            jobTitle: optional(anyText),
            department: optional(anyText),
            company: optional(anyText),
            businessPhone: optional(phoneView),
            mobilePhone: optional(phoneView),
            address: optional(anyText),
            site: optional(anyText),
          })
          .map(withoutUndefined),
        chatUser: optional(
          fc.record({ id: fc.oneof(fc.stringMatching(/^U[A-Z0-9]{8}$/), anyText), displayName: optional(anyText) }).map(withoutUndefined),
        ),
        note: optional(anyText),
      })
      .map(withoutUndefined),
    fc
      .record({
        kind: fc.constant('extensionList' as const),
        query: anyText,
        items: many(
          fc
            .record({
              name: nonEmptyText,
              extensionNumber: optional(fc.stringMatching(/^\d{1,8}$/)),
              type: anyText,
              email: optional(anyText),
              status: optional(anyText),
              details: optional(command),
            })
            .map(withoutUndefined),
        ),
        firstPosition: fc.integer({ min: 1, max: 10_000 }),
        total: optional(fc.integer({ min: 0, max: 100_000 })),
        more: optional(command),
      })
      .map(withoutUndefined),
    fc
      .record({
        kind: fc.constant('number' as const),
        number: phoneView,
        dialledExtension: optional(fc.stringMatching(/^\d{1,8}$/)),
        usage: anyText,
        callType: optional(anyText),
        paymentType: optional(anyText),
        features: optional(fc.array(anyText, { maxLength: 8 })),
        label: optional(anyText),
        owner: optional(fc.tuple(ref, optional(command)).map(([owner, details]) => withoutUndefined({ ...owner, details }))),
      })
      .map(withoutUndefined),
    fc
      .record({
        kind: fc.constant('forwarding' as const),
        owner: optional(anyText),
        now: optional(
          fc
            .record({
              doNotDisturb: optional(fc.record({ on: fc.boolean(), words: anyText })),
              ruleName: anyText,
              ruleReason: anyText,
              businessHours: optional(anyText),
              handling: anyText,
              steps: fc.array(
                fc
                  .record({
                    targets: fc.array(anyText, { maxLength: 4 }),
                    rings: optional(fc.integer({ min: 1, max: 15 })),
                    together: optional(fc.boolean()),
                  })
                  .map(withoutUndefined),
                { maxLength: 12 },
              ),
              then: optional(anyText),
              callerId: optional(anyText),
              internalCallerId: optional(anyText),
            })
            .map(withoutUndefined),
        ),
        items: many(
          fc
            .record({
              label: nonEmptyText,
              number: phoneView,
              features: fc.array(anyText, { maxLength: 3 }),
              flipNumber: optional(fc.stringMatching(/^\d{1,2}$/)),
              type: optional(anyText),
            })
            .map(withoutUndefined),
        ),
      })
      .map(withoutUndefined),
    fc.record({
      kind: fc.constant('linkPrompt' as const),
      reason: fc.constantFrom('not-linked' as const, 'relink' as const, 'requested' as const, 'welcome' as const),
      url: fc.oneof(fc.webUrl(), fc.constant(`https://example.com/${'a'.repeat(3500)}`), anyText),
    }),
    fc
      .record({
        kind: fc.constant('linkedStatus' as const),
        name: nonEmptyText,
        extensionNumber: optional(fc.stringMatching(/^\d{1,8}$/)),
        email: optional(anyText),
        company: optional(anyText),
        role: anyText,
      })
      .map(withoutUndefined),
    fc.record({
      kind: fc.constant('help' as const),
      topics: fc.array(
        fc.record({
          command: fc.constantFrom('ext' as const, 'whois' as const, 'myforwarding' as const, 'help' as const, 'link' as const),
          argumentHint: anyText,
          description: anyText,
          examples: fc.array(command, { maxLength: 5 }),
        }),
        { maxLength: 12 },
      ),
    }),
    fc
      .record({
        kind: fc.constant('company' as const),
        continuation: fc.boolean(),
        companyName: optional(anyText),
        mainNumber: optional(phoneView),
        servicePlan: optional(anyText),
        brand: optional(anyText),
        homeCountry: optional(anyText),
        status: optional(anyText),
        operator: optional(
          fc.record({ name: optional(anyText), extensionNumber: optional(fc.stringMatching(/^\d{1,8}$/)) }).map(withoutUndefined),
        ),
        admin: optional(
          fc
            .record({
              features: optional(many(anyText)),
              extensions: optional(fc.record({ total: fc.nat(), byStatus: many(countLine), byType: many(countLine) })),
              numbers: optional(fc.record({ total: fc.nat(), byUsage: many(countLine) })),
              unassigned: optional(
                fc
                  .record({
                    items: many(fc.record({ number: phoneView, usage: anyText, label: optional(anyText) }).map(withoutUndefined)),
                    firstPosition: fc.integer({ min: 1, max: 10_000 }),
                    total: fc.nat(),
                    more: optional(fc.record({ name: fc.constant('company' as const), page: fc.integer({ min: 2, max: 1000 }) })),
                  })
                  .map(withoutUndefined),
              ),
            })
            .map(withoutUndefined),
        ),
      })
      .map(withoutUndefined),
    fc
      .record({
        kind: fc.constant('notice' as const),
        tone: fc.constantFrom('info' as const, 'success' as const, 'warning' as const, 'error' as const),
        title: anyText,
        body: optional(anyText),
        suggestions: optional(fc.array(command, { maxLength: 6 })),
        examples: optional(fc.array(anyText, { maxLength: 6 })),
      })
      .map(withoutUndefined),
  );
}

export function replyArbitrary(maxItems = 40): fc.Arbitrary<Reply> {
  return fc
    .tuple(cardArbitrary(maxItems), fc.constantFrom('private' as const, 'public' as const))
    .map(([card, visibility]) => makeReply(card, visibility));
}

/** One card of every kind with very large content: hundreds of entries and 10 KB strings. */
export function hugeCards(): Card[] {
  const big = '<!channel> *x* '.repeat(700);
  const number = (index: number): PhoneNumberView => ({
    display: `(650) 555-${String(index).padStart(4, '0')}`,
    e164: `+1650555${String(index).padStart(4, '0')}`,
  });
  return [
    {
      kind: 'extension',
      name: big,
      extensionNumber: '101',
      type: big,
      status: big,
      isYou: true,
      numbers: Array.from({ length: 500 }, (_, index) => ({ number: number(index), usage: 'Direct number', label: big })),
      contact: {
        email: big,
        jobTitle: big,
        department: big,
        company: big,
        address: big,
        site: big,
        businessPhone: { display: big },
        mobilePhone: number(1),
      },
      chatUser: { id: 'U0123ABCD', displayName: big },
      note: big,
    },
    {
      kind: 'extensionList',
      query: big,
      items: Array.from({ length: 300 }, (_, index) => ({
        name: big,
        extensionNumber: String(100 + index),
        type: big,
        email: big,
        details: { name: 'ext', query: String(100 + index), page: 1 },
      })),
      firstPosition: 1,
      total: 300,
      more: { name: 'ext', query: 'x'.repeat(200), page: 2 },
    },
    {
      kind: 'number',
      number: { display: big, e164: '+16503316252' },
      usage: big,
      callType: big,
      paymentType: big,
      features: Array.from({ length: 200 }, () => big.slice(0, 50)),
      label: big,
      owner: { name: big, extensionNumber: '102', type: big, details: { name: 'ext', query: '102', page: 1 } },
    },
    {
      kind: 'numberList',
      answers: Array.from({ length: 60 }, (_, index) =>
        index % 2 === 0
          ? {
              kind: 'number' as const,
              number: number(index),
              usage: big,
              label: big,
              owner: { name: big, extensionNumber: '102', type: big, details: { name: 'ext', query: '102', page: 1 } },
            }
          : { kind: 'notice' as const, tone: 'info' as const, title: big },
      ),
      more: 40,
      limit: 10,
    },
    {
      kind: 'forwarding',
      owner: big,
      items: Array.from({ length: 400 }, (_, index) => ({ label: big, number: number(index), features: [big], flipNumber: String(index) })),
    },
    {
      kind: 'forwarding',
      items: Array.from({ length: 400 }, (_, index) => ({ label: big, number: number(index), features: [big], flipNumber: String(index) })),
      now: {
        doNotDisturb: { on: true, words: big },
        ruleName: big,
        ruleReason: big,
        businessHours: big,
        handling: big,
        steps: Array.from({ length: 60 }, (_, index) => ({
          targets: [big, number(index).display],
          rings: index + 1,
          together: index % 2 === 0,
        })),
        then: big,
        callerId: big,
        internalCallerId: big,
      },
    },
    { kind: 'linkPrompt', reason: 'relink', url: `https://example.com/${'a'.repeat(5000)}` },
    { kind: 'linkedStatus', name: big, extensionNumber: '101', email: big, company: big, role: big },
    {
      kind: 'help',
      topics: Array.from({ length: 80 }, () => ({
        command: 'ext' as const,
        argumentHint: big,
        description: big,
        examples: Array.from({ length: 30 }, () => ({ name: 'ext' as const, query: big.slice(0, 200), page: 1 })),
      })),
    },
    {
      kind: 'company',
      continuation: false,
      companyName: big,
      mainNumber: { display: big, e164: '+18555440014' },
      servicePlan: big,
      brand: big,
      homeCountry: big,
      status: big,
      operator: { name: big, extensionNumber: '101', details: { name: 'ext', query: '101', page: 1 } },
      admin: {
        features: Array.from({ length: 60 }, () => big.slice(0, 40)),
        extensions: {
          total: 100_000,
          byStatus: Array.from({ length: 20 }, () => ({ label: big, count: 5000 })),
          byType: Array.from({ length: 20 }, () => ({ label: big, count: 5000 })),
        },
        numbers: { total: 120_000, byUsage: Array.from({ length: 20 }, () => ({ label: big, count: 6000 })) },
        unassigned: {
          items: Array.from({ length: 300 }, (_, index) => ({ number: number(index), usage: big, label: big })),
          firstPosition: 1,
          total: 5000,
          more: { name: 'company', page: 2 },
        },
      },
    },
    {
      kind: 'notice',
      tone: 'error',
      title: big,
      body: big,
      suggestions: Array.from({ length: 100 }, () => ({ name: 'whois' as const, query: big.slice(0, 200) })),
      examples: Array.from({ length: 100 }, () => big),
    },
  ];
}

/** Paul Rivera (ext. 102) of the demo company, as his extension card. */
export const paulCard: ExtensionCard = {
  kind: 'extension',
  name: 'Paul Rivera',
  extensionNumber: '102',
  type: 'User',
  status: 'Enabled',
  isYou: false,
  numbers: [
    { number: { display: '(650) 331-6252', e164: '+16503316252' }, usage: 'Direct number' },
    { number: { display: '(786) 987-6543', e164: '+17869876543' }, usage: 'Forwarded number' },
  ],
  contact: { email: 'paul.rivera@mycompany.com', jobTitle: 'Account Executive', department: 'Sales', company: 'MyCompany Inc.' },
  chatUser: { id: 'U0PAUL123', displayName: 'paul' },
};

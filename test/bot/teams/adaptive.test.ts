import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AdaptiveCard, TextRun } from '../../../src/bot/teams/adaptive.ts';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  renderAdaptiveCard,
  renderTeams,
  SUBMIT_COMMAND_KEY,
  teamsLimits,
} from '../../../src/bot/teams/adaptive.ts';
import { outlineCard } from '../../../src/handlers/card-outline.ts';
import type { Card, Reply } from '../../../src/handlers/cards.ts';
import { makeReply } from '../../../src/handlers/make-reply.ts';
import { parseCommand } from '../../../src/handlers/parse-command.ts';
import {
  answeredPrivatelyReply,
  commandProblemReply,
  helpReply,
  linkPromptReply,
  noMatchReply,
  rateLimitedReply,
} from '../../../src/handlers/replies.ts';
import { adaptiveCardProblems, elementsOf, TEAMS_MESSAGE_BYTES, teamsMessageProblems, urlsOf } from '../../support/adaptive-card.ts';
import { hugeCards, paulCard, replyArbitrary } from '../../support/card-arbitraries.ts';

const texts = (card: AdaptiveCard) => elementsOf<TextRun>(card.body, 'TextRun').map((run) => run.text);

/** One reply of every card kind, as the handlers make them. */
const everyKind: Array<[string, Reply]> = [
  ['extension', makeReply(paulCard)],
  [
    'extensionList',
    makeReply({
      kind: 'extensionList',
      query: 'haddad',
      items: [
        {
          name: 'Ethan Haddad',
          extensionNumber: '118',
          type: 'User',
          email: 'ethan.haddad@mycompany.com',
          details: { name: 'ext', query: '118', page: 1 },
        },
        { name: 'Nadia Haddad', extensionNumber: '134', type: 'User', status: 'Disabled', details: { name: 'ext', query: '134', page: 1 } },
      ],
      firstPosition: 1,
      total: 12,
      more: { name: 'ext', query: 'haddad', page: 2 },
    }),
  ],
  [
    'number',
    makeReply({
      kind: 'number',
      number: { display: '(650) 331-6252', e164: '+16503316252' },
      usage: 'Direct number',
      callType: 'Voice only',
      features: ['Caller ID', 'SMS sender'],
      owner: { name: 'Paul Rivera', extensionNumber: '102', type: 'User', details: { name: 'ext', query: '102', page: 1 } },
    }),
  ],
  [
    'forwarding',
    makeReply({
      kind: 'forwarding',
      items: [
        { label: 'Home', number: { display: '(650) 555-0199', e164: '+16505550199' }, features: ['Call flip'], flipNumber: '1' },
        { label: 'Mobile', number: { display: 'ask reception' }, features: [] },
      ],
    }),
  ],
  ['linkPrompt', linkPromptReply('not-linked', 'https://platform.example/restapi/oauth/authorize?state=abc')],
  [
    'linkedStatus',
    makeReply({
      kind: 'linkedStatus',
      name: 'John Smith',
      extensionNumber: '101',
      email: 'john.smith@mycompany.com',
      role: 'Administrator',
    }),
  ],
  ['help', helpReply()],
  ['notice', noMatchReply('zzz')],
  ['notice (warning)', rateLimitedReply(30)],
  ['notice (unknown command)', commandProblemReply({ ok: false, problem: 'unknownCommand', word: '/frobnicate' })],
  ['notice (public)', answeredPrivatelyReply()],
];

describe('renderTeams: valid Adaptive Cards', () => {
  it.each(everyKind)('renders a %s reply as one valid Adaptive Card 1.5 with a summary', (_kind, reply) => {
    const message = renderTeams(reply);
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0].contentType).toBe(ADAPTIVE_CARD_CONTENT_TYPE);
    expect(message.attachments[0].content.version).toBe('1.5');
    expect(message.summary).toBe(reply.text);
    expect(teamsMessageProblems(message)).toEqual([]);
  });

  it('renders every reply valid, under the size limit and with E.164 tel: links only, whatever it holds', () => {
    fc.assert(
      fc.property(replyArbitrary(), (reply) => {
        const message = renderTeams(reply);
        expect(teamsMessageProblems(message)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it.each(hugeCards().map((card) => [card.kind, card] as const))('keeps a huge %s card valid and under 28 KB', (_kind, card) => {
    const message = renderTeams(makeReply(card));
    expect(teamsMessageProblems(message)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThan(TEAMS_MESSAGE_BYTES);
  });

  it('says how many facts, items and buttons it had to leave out, and the count is exact', () => {
    for (const card of hugeCards()) {
      const outline = outlineCard(card, 'plain');
      const rendered = renderAdaptiveCard(makeReply(card));
      const factRows = elementsOf<{ columns: unknown[] }>(rendered.body, 'ColumnSet').filter(
        (row) => row.columns.length === 2 && elementsOf(row, 'ActionSet').length === 0,
      ).length;
      const items = elementsOf<{ separator?: boolean }>(rendered.body, 'Container').filter(
        (container) => container.separator === true,
      ).length;
      const shownActions = (rendered.actions ?? []).length;
      const possibleActions = outline.actions.filter((action) => action.kind !== 'openUrl' || action.url.length <= teamsLimits.url).length;
      const leftOut = outline.facts.length - factRows + (outline.items.length - items) + (possibleActions - shownActions);
      const note = texts(rendered).find((text) => text.startsWith('…and '));
      if (leftOut > 0) expect(note, card.kind).toBe(`…and ${leftOut} more not shown here.`);
      else expect(note, card.kind).toBeUndefined();
    }
  });

  it('the schema the tests validate with refuses what Teams would refuse or misread', () => {
    const valid = renderAdaptiveCard(makeReply(paulCard));
    expect(adaptiveCardProblems(valid)).toEqual([]);
    const broken: Array<[string, unknown]> = [
      ['no version', { ...valid, version: undefined }],
      ['an older version', { ...valid, version: '1.4' }],
      ['an unknown element', { ...valid, body: [...valid.body, { type: 'Carousel', items: [] }] }],
      ['an unknown property', { ...valid, body: [{ ...valid.body[0], colour: 'red' }] }],
      ['a TextRun without its type', { ...valid, body: [{ type: 'RichTextBlock', inlines: [{ text: 'x' }] }] }],
      ['a bad enum value', { ...valid, body: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'x', size: 'huge' }] }] }],
      ['a tel: link that is not E.164', { ...valid, actions: [{ type: 'Action.OpenUrl', title: 'Call', url: 'tel:(650) 331-6252' }] }],
      ['a javascript: link', { ...valid, actions: [{ type: 'Action.OpenUrl', title: 'x', url: 'javascript:alert(1)' }] }],
      ['an Action.ShowCard', { ...valid, actions: [{ type: 'Action.ShowCard', title: 'x', card: {} }] }],
    ];
    for (const [what, card] of broken) expect(adaptiveCardProblems(card), what).not.toEqual([]);
  });
});

describe('renderTeams: what the cards say and do', () => {
  it('draws the same facts, in the same order, as the neutral outline', () => {
    const card = renderAdaptiveCard(makeReply(paulCard));
    const outline = outlineCard(paulCard, 'plain');
    for (const fact of outline.facts) expect(texts(card)).toContain(fact.label);
    const labels = texts(card).filter((text) => outline.facts.some((fact) => fact.label === text));
    expect(labels).toEqual(outline.facts.map((fact) => fact.label));
  });

  it('links every number with an E.164 tel: URL, and offers call buttons as Action.OpenUrl', () => {
    const card = renderAdaptiveCard(makeReply(paulCard));
    expect((card.actions ?? []).map((action) => [action.type, action.type === 'Action.OpenUrl' ? action.url : ''])).toEqual([
      ['Action.OpenUrl', 'tel:+16503316252'],
      ['Action.OpenUrl', 'tel:+17869876543'],
    ]);
    expect(urlsOf(card.body).filter((url) => url.startsWith('tel:'))).toEqual(['tel:+16503316252', 'tel:+17869876543']);
    expect(urlsOf(card.body)).toContain('mailto:paul.rivera@mycompany.com');
  });

  it('shows a number RingCentral gave as free text without a link', () => {
    const [, forwarding] = everyKind.find(([kind]) => kind === 'forwarding')!;
    const card = renderAdaptiveCard(forwarding);
    expect(texts(card).join('\n')).toContain('ask reception');
    expect(urlsOf(card)).toEqual([]);
  });

  it('"Show more" and "Details" are Action.Submit buttons whose data parseCommand reads back as the same command', () => {
    const [, list] = everyKind.find(([kind]) => kind === 'extensionList')!;
    const card = renderAdaptiveCard(list);
    const submits = elementsOf<{ title: string; data: Record<string, string> }>(card, 'Action.Submit');
    expect(submits.map((submit) => [submit.title, submit.data[SUBMIT_COMMAND_KEY]])).toEqual([
      ['Details', 'ext 118'],
      ['Details', 'ext 134'],
      ['Show more', 'ext haddad page:2'],
    ]);
    expect(parseCommand(submits[2]!.data[SUBMIT_COMMAND_KEY]!)).toEqual({ ok: true, command: { name: 'ext', query: 'haddad', page: 2 } });
  });

  it('the sign-in card has one positive Action.OpenUrl to the sign-in URL, and none when the URL is not http(s) or too long', () => {
    const url = 'https://platform.example/restapi/oauth/authorize?state=abc';
    expect(renderAdaptiveCard(linkPromptReply('not-linked', url)).actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Connect RingCentral', url, style: 'positive' },
    ]);
    expect(renderAdaptiveCard(linkPromptReply('not-linked', `https://example.com/${'a'.repeat(3000)}`)).actions).toBeUndefined();
    expect(renderAdaptiveCard(linkPromptReply('not-linked', 'javascript:alert(1)')).actions).toBeUndefined();
  });

  it('writes commands in hints as they are typed to the bot, without a slash', () => {
    const card = renderAdaptiveCard(commandProblemReply({ ok: false, problem: 'unknownCommand', word: 'frobnicate' }));
    expect(texts(card).join('\n')).toContain('Try: help · ext 101 · whois +1 650 331 6252 · myforwarding');
  });

  it('never lets data format or link: markdown in a name stays literal text in a TextRun', () => {
    const name = '[Click me](https://evil.example) **boss** <at>Everyone</at>';
    const card = renderAdaptiveCard(makeReply({ ...paulCard, name }));
    expect(texts(card)[0]).toBe(name);
    expect(elementsOf(card, 'TextBlock')).toEqual([]);
    expect(urlsOf(card).some((url) => url.includes('evil'))).toBe(false);
    expect(card.fallbackText).not.toContain('[Click me]');
    expect(card.fallbackText).toContain('\\[Click me\\]');
  });

  it('keeps each value on one line and strips control and bidi characters', () => {
    const card = renderAdaptiveCard(makeReply({ ...paulCard, name: 'Paul\nRivera\u0007\u202E' }));
    expect(texts(card)[0]).toBe('Paul Rivera');
  });

  it('clients that show only 1.4 get the whole answer in fallbackText, and the card body needs nothing newer than 1.2', () => {
    const reply = makeReply(paulCard);
    const card = renderAdaptiveCard(reply);
    for (const fact of outlineCard(paulCard, 'plain').facts) expect(card.fallbackText).toContain(fact.label);
    expect(card.fallbackText).toContain('(650) 331-6252 (+16503316252)');
    const types = collectTypes(card.body);
    expect([...types].sort()).toEqual(['Action.OpenUrl', 'Column', 'ColumnSet', 'Container', 'RichTextBlock', 'TextRun']);
  });

  it('colours the title by tone and marks it for readers who cannot see colour', () => {
    const warning = renderAdaptiveCard(rateLimitedReply(30));
    const title = elementsOf<TextRun>(warning.body, 'TextRun')[0];
    expect(title?.color).toBe('warning');
    expect(title?.text.startsWith('⚠️ ')).toBe(true);
  });

  it('cuts a very long title with an ellipsis within its limit', () => {
    const card = renderAdaptiveCard(makeReply({ ...paulCard, name: 'x'.repeat(5000) } satisfies Card));
    const title = texts(card)[0]!;
    expect(title.length).toBeLessThanOrEqual(teamsLimits.title);
    expect(title.endsWith('…')).toBe(true);
  });
});

function collectTypes(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((value) => collectTypes(value, found));
  else if (node !== null && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (typeof record['type'] === 'string') found.add(record['type']);
    Object.values(record).forEach((value) => collectTypes(value, found));
  }
  return found;
}

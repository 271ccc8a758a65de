import { describe, expect, it } from 'vitest';
import {
  BadRequest,
  HeldBack,
  InvalidResponse,
  NeedsLink,
  NotFound,
  NotPermitted,
  RateLimited,
  Unavailable,
} from '../../src/api/errors.ts';
import { outcomeOfError } from '../../src/handlers/command-outcome.ts';
import { renderText } from '../../src/bot/text/render.ts';
import type { Reply } from '../../src/handlers/cards.ts';
import { parseCommand } from '../../src/handlers/parse-command.ts';
import type { PhoneProblem } from '../../src/handlers/parse-phone-query.ts';
import {
  commandProblemReply,
  errorReply,
  helpReply,
  invalidExtQueryReply,
  invalidPhoneReply,
  noMatchReply,
  numberNotFoundReply,
  unlinkedReply,
} from '../../src/handlers/replies.ts';

const SECRET_MESSAGE = 'listExtensions: OAU-213 token abc.def.ghi at Object.<anonymous> (/srv/app.js:1:1)';
const details = { status: 0, errorCode: 'X', requestId: 'req-1' };

function everythingSaid(reply: Reply): string {
  return `${reply.text}\n${JSON.stringify(reply.card)}\n${renderText(reply)}`;
}

describe('errorReply', () => {
  it.each([
    ['needs relink', new NeedsLink(SECRET_MESSAGE, { ...details, status: 401 }), { kind: 'linkPrompt', reason: 'relink' }],
    [
      'not permitted',
      new NotPermitted(SECRET_MESSAGE, { ...details, status: 403 }),
      { kind: 'notice', title: 'Your RingCentral role cannot see that' },
    ],
    ['not found', new NotFound(SECRET_MESSAGE, { ...details, status: 404 }), { kind: 'notice', tone: 'info', title: 'Not found' }],
    ['unavailable', new Unavailable(SECRET_MESSAGE, details), { kind: 'notice', tone: 'error', title: 'RingCentral is unreachable' }],
    [
      'invalid response',
      new InvalidResponse(SECRET_MESSAGE, { ...details, status: 200 }),
      { kind: 'notice', title: 'RingCentral is unreachable' },
    ],
    ['bad request', new BadRequest(SECRET_MESSAGE, { ...details, status: 400 }), { kind: 'notice', title: 'Something went wrong' }],
    ['any other error', new TypeError(SECRET_MESSAGE), { kind: 'notice', title: 'Something went wrong' }],
    ['a thrown string', SECRET_MESSAGE, { kind: 'notice', title: 'Something went wrong' }],
  ])('answers %s with a short reply that never repeats the error', (_name, error, card) => {
    const reply = errorReply(error, { relinkUrl: 'http://127.0.0.1:3000/oauth/ringcentral/start?state=s' });
    expect(reply.card).toMatchObject(card);
    expect(reply.visibility).toBe('private');
    const said = everythingSaid(reply);
    for (const leak of ['OAU-213', 'abc.def.ghi', 'anonymous', 'app.js', 'req-1']) expect(said).not.toContain(leak);
  });

  it('says when to try again after a rate limit', () => {
    const reply = errorReply(new RateLimited('x', { status: 429, retryAfterSeconds: 42 }));
    expect(reply.card).toMatchObject({ kind: 'notice', tone: 'warning', title: 'RingCentral is busy' });
    expect(reply.text).toContain('try again in 42 seconds');
    expect(errorReply(new RateLimited('x', { status: 429, retryAfterSeconds: 90 })).text).toContain('try again in 2 minutes');
    expect(errorReply(new RateLimited('x', { status: 429, retryAfterSeconds: 0.2 })).text).toContain('try again in 1 second');
  });

  it('says plainly when Switchboard, not RingCentral, held the user back: RingCentral\'s limit and when to try again, no "slow down"', () => {
    const reply = errorReply(new HeldBack('x', { status: 0, retryAfterSeconds: 49.2, limit: 40, windowSeconds: 60 }));
    expect(reply.card).toMatchObject({ kind: 'notice', tone: 'warning', title: 'Too many lookups' });
    expect(reply.text).toContain("You've made many lookups in a minute; RingCentral allows 40. Try again in 50 s.");
    expect(everythingSaid(reply)).not.toMatch(/slow down|RingCentral is busy/i);
    expect(errorReply(new HeldBack('x', { status: 0, retryAfterSeconds: 7, limit: 3, windowSeconds: 30 })).text).toContain(
      'many lookups in 30 seconds; RingCentral allows 3. Try again in 7 s.',
    );
    // Its own metrics outcome: a 429 and our own pacing are told apart on dashboards too.
    expect(outcomeOfError(new HeldBack('x', { status: 0, retryAfterSeconds: 7, limit: 3, windowSeconds: 60 }))).toBe('held-back');
    expect(outcomeOfError(new RateLimited('x', { status: 429, retryAfterSeconds: 7 }))).toBe('rate-limited');
  });

  it('suggests linking again when no relink URL is at hand', () => {
    const reply = errorReply(new NeedsLink('x', { status: 401 }));
    expect(reply.card).toMatchObject({ kind: 'notice', suggestions: [{ name: 'link' }] });
  });
});

describe('numberNotFoundReply', () => {
  // Whether a hidden number and a foreign one get this same reply is the handler's part: test/bot/slack/visibility.test.ts.
  it('names the number and nothing else: two numbers get the same reply but for the number', () => {
    const hidden = numberNotFoundReply('(650) 331-6252');
    const foreign = numberNotFoundReply('(510) 555-0000');
    expect(JSON.stringify(hidden).replaceAll('(650) 331-6252', '#')).toBe(JSON.stringify(foreign).replaceAll('(510) 555-0000', '#'));
    expect(hidden.text).toBe(
      '(650) 331-6252 is not in your company directory. It is not one of your company’s numbers, or your RingCentral role cannot see who owns it.',
    );
  });
});

describe('input problems', () => {
  it.each([
    'empty',
    'tooLong',
    'notANumber',
    'tooShort',
    'tooManyDigits',
    'needsCountryCode',
    'unknownCountryCode',
  ] satisfies PhoneProblem[])('explains the phone problem %s with examples', (reason) => {
    const reply = invalidPhoneReply(reason);
    expect(reply.card).toMatchObject({ kind: 'notice', tone: 'warning' });
    if (reply.card.kind === 'notice') {
      expect(reply.card.title.length).toBeGreaterThan(0);
      expect(reply.card.examples).toContain('+1 650 331 6252');
    }
  });

  it('explains ext query problems', () => {
    expect(invalidExtQueryReply('notAPerson').card).toMatchObject({ title: 'That is not one person' });
    expect(invalidExtQueryReply('noSearchTerms').card).toMatchObject({ title: 'Nothing to search for' });
    expect(invalidExtQueryReply('tooLong').card).toMatchObject({ title: 'That is too long' });
  });

  it('suggests the longest word alone when a multi-word name matched nothing', () => {
    const reply = noMatchReply('smith jonathan', { kind: 'name', terms: ['smith', 'jonathan'] });
    expect(reply.card).toMatchObject({
      kind: 'notice',
      title: 'Nothing found for “smith jonathan”',
      suggestions: [{ name: 'ext', query: 'jonathan' }, { name: 'help' }],
    });
  });

  it('names the extension number that matched nothing, without the advice about spelling names', () => {
    const reply = noMatchReply('x999', { kind: 'extensionNumber', value: '999' });
    expect(reply.card).toMatchObject({ kind: 'notice', title: 'No extension 999', suggestions: [{ name: 'help' }] });
    expect(reply.text).not.toContain('spelling');
  });

  it('answers an unreadable command with what can be done', () => {
    const problem = parseCommand('/frobnicate');
    expect(problem.ok).toBe(false);
    if (!problem.ok) {
      const reply = commandProblemReply(problem);
      expect(reply.card).toMatchObject({ kind: 'notice', title: 'I don’t know “/frobnicate”' });
    }
    const tooLong = parseCommand('x'.repeat(5000));
    expect(tooLong.ok).toBe(false);
    if (!tooLong.ok) expect(commandProblemReply(tooLong).text).toContain('under 200 characters');
  });
});

describe('help and linking', () => {
  it('covers every command with a description, and examples for the lookups', () => {
    const reply = helpReply();
    expect(reply.card.kind).toBe('help');
    if (reply.card.kind === 'help') {
      expect(reply.card.topics.map((topic) => topic.command)).toEqual([
        'ext',
        'whois',
        'myforwarding',
        'company',
        'link',
        'unlink',
        'status',
        'confirm',
      ]);
      for (const topic of reply.card.topics) expect(topic.description.length).toBeGreaterThan(0);
      expect(reply.card.topics[0]?.examples.length).toBeGreaterThan(0);
      expect(reply.card.topics[1]?.examples.length).toBeGreaterThan(0);
    }
  });

  it('confirms an unlink and offers to link again', () => {
    expect(unlinkedReply({ revokedAtRingCentral: true }).card).toMatchObject({
      kind: 'notice',
      title: 'Disconnected from RingCentral',
      body: 'Switchboard signed out of RingCentral and forgot your login.',
      suggestions: [{ name: 'link' }],
    });
    expect(unlinkedReply({ revokedAtRingCentral: false }).card).toMatchObject({ body: expect.stringMatching(/could not be reached/) });
  });
});

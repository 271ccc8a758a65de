import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeMrkdwn,
  escapeMrkdwnClipped,
  escapePlainText,
  escapePlainTextClipped,
  escapeSlackText,
  mrkdwnLink,
  userMention,
} from '../../../src/bot/slack/mrkdwn.ts';
import { anyText } from '../../support/card-arbitraries.ts';

const DATE_TOKEN = /<!date\^0\^\{_\}\|([*_~`])>/g;

/** Undoes escapeMrkdwn: what a Slack client shows for the escaped text. */
function shownBySlack(escaped: string): string {
  return escaped
    .replace(DATE_TOKEN, '$1')
    .replace(/^\u00AD/, '')
    .replace(/@\u2060/g, '@')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Text without characters our escaping itself inserts, so the round trip is exact. */
const inputText = fc.oneof(anyText, fc.string({ unit: 'grapheme', maxLength: 60 })).map((text) => text.replace(/[\u00AD\u2060]/g, ''));

describe('escapeMrkdwn', () => {
  it('turns Slack control characters into entities, so tokens from data never form', () => {
    expect(escapeMrkdwn('<!channel> & <@U1> <!here>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;!here&gt;');
    expect(escapeMrkdwn('&lt;!channel&gt;')).toBe('&amp;lt;!channel&amp;gt;');
  });

  it('neutralises formatting characters at word edges with date-fallback tokens', () => {
    expect(escapeMrkdwn('*bold*')).toBe('<!date^0^{_}|*>bold<!date^0^{_}|*>');
    expect(escapeMrkdwn('_it_ ~s~ `c`')).toBe(
      '<!date^0^{_}|_>it<!date^0^{_}|_> <!date^0^{_}|~>s<!date^0^{_}|~> <!date^0^{_}|`>c<!date^0^{_}|`>',
    );
  });

  it('leaves formatting characters inside words alone (Slack does not format there)', () => {
    expect(escapeMrkdwn('john_smith@mycompany.com')).toBe('john_smith@mycompany.com');
    expect(escapeMrkdwn('a*b')).toBe('a*b');
  });

  it('keeps a leading > from starting a block quote', () => {
    expect(escapeMrkdwn('> quoted')).toBe('\u00AD&gt; quoted');
    expect(escapeMrkdwn('a > b')).toBe('a &gt; b');
  });

  it('turns line breaks into spaces: data stays on one line', () => {
    expect(escapeMrkdwn('a\nb\r\nc')).toBe('a b c');
  });

  it('breaks @channel, @here and @everyone at word starts, not inside email addresses', () => {
    expect(escapeMrkdwn('@channel hi @here @Everyone')).toBe('@\u2060channel hi @\u2060here @\u2060Everyone');
    expect(escapeMrkdwn('ops@here.example')).toBe('ops@here.example');
  });

  it('never lets a raw <, > or & from the input through, and Slack shows exactly the input', () => {
    fc.assert(
      fc.property(inputText, (text) => {
        const escaped = escapeMrkdwn(text);
        const withoutOurTokens = escaped.replace(DATE_TOKEN, '');
        expect(withoutOurTokens).not.toMatch(/[<>]/);
        expect(withoutOurTokens.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
        expect(shownBySlack(escaped)).toBe(text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' '));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves formatting characters only inside words or inside our date tokens', () => {
    fc.assert(
      fc.property(inputText, (text) => {
        const withoutTokens = escapeMrkdwn(text).replace(DATE_TOKEN, '\u0000');
        const chars = Array.from(withoutTokens);
        chars.forEach((char, index) => {
          if (!'*_~`'.includes(char)) return;
          expect(chars[index - 1]).toMatch(/[\p{L}\p{N}]/u);
          expect(chars[index + 1]).toMatch(/[\p{L}\p{N}]/u);
        });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('clipping', () => {
  it('cuts escaped text within the limit, between whole entities and tokens, ending with …', () => {
    fc.assert(
      fc.property(inputText, fc.integer({ min: 1, max: 80 }), (text, max) => {
        const full = escapeMrkdwn(text);
        const clipped = escapeMrkdwnClipped(text, max);
        expect(clipped.length).toBeLessThanOrEqual(max);
        if (full.length <= max) {
          expect(clipped).toBe(full);
          return;
        }
        expect(clipped.endsWith('…')).toBe(true);
        const kept = clipped.slice(0, -1);
        expect(full.startsWith(kept)).toBe(true);
        expect(kept).not.toMatch(/&[a-z]*$/);
        expect(kept).not.toMatch(/<[^>]*$/);
        expect(kept).not.toMatch(/[\uD800-\uDBFF]$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('never splits a surrogate pair in plain text', () => {
    expect(escapePlainTextClipped('😀😀😀', 4)).toBe('😀…');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.integer({ min: 1, max: 30 }), (text, max) => {
        const clipped = escapePlainTextClipped(text, max);
        expect(clipped.length).toBeLessThanOrEqual(max);
        expect(clipped).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      }),
    );
  });
});

describe('escapePlainText', () => {
  it('holds no angle brackets and no entity-looking sequence, whatever the input', () => {
    expect(escapePlainText('<!channel> &lt;b&gt; AT&T')).toBe('‹!channel› &\u2060lt;b&\u2060gt; AT&T');
    fc.assert(
      fc.property(inputText, (text) => {
        const escaped = escapePlainText(text);
        expect(escaped).not.toMatch(/[<>]/);
        expect(escaped).not.toMatch(/&(?:[a-z][a-z0-9]*|#\d+|#x[0-9a-f]+);/i);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('escapeSlackText (the message fallback)', () => {
  it('escapes control characters and broadcast words but leaves formatting', () => {
    expect(escapeSlackText('<!here> *Bold* & @channel')).toBe('&lt;!here&gt; *Bold* &amp; @\u2060channel');
  });
});

describe('links and mentions', () => {
  it('builds tel: and mailto: links only', () => {
    expect(mrkdwnLink('tel:+16503316252', '(650) 331-6252')).toBe('<tel:+16503316252|(650) 331-6252>');
    expect(mrkdwnLink('mailto:paul.rivera@mycompany.com', 'paul.rivera@mycompany.com')).toBe(
      '<mailto:paul.rivera@mycompany.com|paul.rivera@mycompany.com>',
    );
    expect(mrkdwnLink('javascript:alert(1)', 'x')).toBeUndefined();
    expect(mrkdwnLink('https://evil.example', 'x')).toBeUndefined();
    expect(mrkdwnLink('mailto:a|b@x.com', 'a')).toBeUndefined();
    expect(mrkdwnLink('mailto:a>b@x.com', 'a')).toBeUndefined();
    expect(mrkdwnLink('tel:+1650<!channel>', 'x')).toBeUndefined();
  });

  it('refuses a link whose label would need formatting neutralised (tokens do not work inside links)', () => {
    expect(mrkdwnLink('mailto:_x_@y.com', '_x_@y.com')).toBeUndefined();
  });

  it('escapes the label of a link', () => {
    expect(mrkdwnLink('mailto:a@b.com', 'a&b <x>')).toBe('<mailto:a@b.com|a&amp;b &lt;x&gt;>');
  });

  it('makes mention tokens only from Slack-shaped user ids', () => {
    expect(userMention('U0123ABCD')).toBe('<@U0123ABCD>');
    expect(userMention('W0123ABCD')).toBe('<@W0123ABCD>');
    expect(userMention('!channel')).toBeUndefined();
    expect(userMention('U1> <!channel')).toBeUndefined();
    expect(userMention('')).toBeUndefined();
  });
});

import type { types } from '@slack/bolt';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SlackMessage } from '../../../src/bot/slack/blocks.ts';
import { renderSlack, slackActionIds, slackResponseType } from '../../../src/bot/slack/blocks.ts';
import { outlineCard } from '../../../src/handlers/card-outline.ts';
import type { Card, ExtensionCard } from '../../../src/handlers/cards.ts';
import { makeReply } from '../../../src/handlers/make-reply.ts';
import { parseCommand } from '../../../src/handlers/parse-command.ts';
import { helpReply, linkPromptReply, noMatchReply, rateLimitedReply } from '../../../src/handlers/replies.ts';
import { hostileSnippets, hugeCards, paulCard, replyArbitrary } from '../../support/card-arbitraries.ts';
import { slackButtons, slackMessageProblems, slackTexts } from '../../support/slack-limits.ts';

// Compile-time: what we render is what Bolt's own Block Kit types accept.
const acceptedByBolt = (message: SlackMessage): types.KnownBlock[] => message.blocks;

const paul = paulCard;

const OUR_TOKENS = /<(?:tel:\+\d+|mailto:[^|<>]+)\|[^<>]*>|<@[UW][A-Z0-9]+>|<!date\^0\^\{_\}\|[*_~`]>/g;

function fieldTexts(message: SlackMessage): string[] {
  return message.blocks.flatMap((block) => (block.type === 'section' && 'fields' in block ? block.fields.map((field) => field.text) : []));
}

describe('renderSlack: Slack limits', () => {
  it('renders every card within Slack limits, whatever it holds', () => {
    fc.assert(
      fc.property(replyArbitrary(), (reply) => {
        const message = renderSlack(reply);
        expect(slackMessageProblems(message)).toEqual([]);
        acceptedByBolt(message);
      }),
      { numRuns: 400 },
    );
  });

  it.each(hugeCards().map((card) => [card.kind, card] as const))('keeps a huge %s card within limits', (_kind, card) => {
    const message = renderSlack(makeReply(card));
    expect(slackMessageProblems(message)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
  });

  it('says how many facts and items it had to leave out, and the count is exact', () => {
    for (const card of hugeCards()) {
      const reply = makeReply(card);
      const outline = outlineCard(card, 'slash');
      const message = renderSlack(reply);
      const shownFields = fieldTexts(message).length;
      const shownItems = message.blocks.filter(
        (block) => block.type === 'section' && 'text' in block && block.text.type === 'mrkdwn',
      ).length;
      const shownActions = message.blocks
        .filter((block) => block.type === 'actions')
        .reduce((sum, block) => sum + block.elements.length, 0);
      const leftOut =
        outline.facts.length -
        shownFields +
        (outline.items.length - shownItems) +
        (outline.actions.filter((a) => a.kind !== 'openUrl').length - shownActions);
      const note = slackTexts(message).find((text) => text.text.startsWith('…and '));
      if (leftOut > 0) expect(note?.text).toBe(`…and ${leftOut} more not shown here.`);
      else expect(note).toBeUndefined();
    }
  });

  it('shows a 500-number extension as far as fits and cuts a 10 KB name to the header limit with an ellipsis', () => {
    const [huge] = hugeCards();
    const message = renderSlack(makeReply(huge as Card));
    const header = message.blocks[0];
    expect(header?.type).toBe('header');
    if (header?.type === 'header') {
      expect(header.text.text.length).toBeLessThanOrEqual(150);
      expect(header.text.text.endsWith('…')).toBe(true);
    }
    expect(fieldTexts(message).length).toBeGreaterThan(400);
  });

  it('leaves out a Connect button whose URL is too long rather than cut it', () => {
    const message = renderSlack(linkPromptReply('not-linked', `https://example.com/${'a'.repeat(3100)}`));
    expect(slackButtons(message)).toEqual([]);
    expect(slackMessageProblems(message)).toEqual([]);
  });
});

describe('renderSlack: escaping', () => {
  it('lets no token from data reach Slack: no raw < > & in parsed text, no angle brackets in plain text', () => {
    fc.assert(
      fc.property(replyArbitrary(12), (reply) => {
        for (const { type, text } of slackTexts(renderSlack(reply))) {
          if (type === 'plain_text') {
            expect(text).not.toMatch(/[<>]/);
            continue;
          }
          const rest = text.replace(OUR_TOKENS, '');
          expect(rest).not.toMatch(/[<>]/);
          expect(rest.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
        }
      }),
      { numRuns: 400 },
    );
  });

  it.each(['<!channel>', '<!here>', '<!everyone>', '<@U1>', '<#C1|general>', '<!subteam^S1|@team>'])(
    'an extension named %j pings nobody',
    (token) => {
      for (const visibility of ['private', 'public'] as const) {
        const card: ExtensionCard = { ...paul, name: token, contact: { ...paul.contact, jobTitle: token, department: `x ${token} y` } };
        const message = renderSlack(makeReply(card, visibility));
        const everything = JSON.stringify(message);
        expect(everything).not.toContain(token);
        for (const { text } of slackTexts(message)) expect(text).not.toContain(token);
      }
    },
  );

  it('shows formatting characters of a name as they are, without formatting', () => {
    const message = renderSlack(makeReply({ ...paul, name: '*bold* _it_', contact: { jobTitle: '*Chief* `Officer`' } }));
    const jobTitle = fieldTexts(message).find((text) => text.startsWith('*Job title*'));
    expect(jobTitle).toBe('*Job title*\n<!date^0^{_}|*>Chief<!date^0^{_}|*> <!date^0^{_}|`>Officer<!date^0^{_}|`>');
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '*bold* _it_', emoji: true } });
  });

  it('escapes the top-level fallback text too', () => {
    const message = renderSlack(makeReply({ ...paul, name: '<!channel> & co' }));
    expect(message.text).toBe('&lt;!channel&gt; &amp; co: Ext. 102, User');
  });

  it('treats every hostile snippet the same way in list items', () => {
    const card: Card = {
      kind: 'extensionList',
      query: hostileSnippets.join(' '),
      items: hostileSnippets.map((snippet, index) => ({
        name: snippet,
        type: snippet,
        email: snippet,
        extensionNumber: String(100 + index),
      })),
      firstPosition: 1,
    };
    const message = renderSlack(makeReply(card));
    for (const { type, text } of slackTexts(message)) {
      const rest = type === 'plain_text' ? text : text.replace(OUR_TOKENS, '');
      expect(rest).not.toMatch(/[<>]/);
    }
  });
});

describe('renderSlack: content', () => {
  it('draws an extension as a header, labelled fields with tel: and mailto: links, and call buttons', () => {
    const message = renderSlack(makeReply(paul));
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Paul Rivera', emoji: true } });
    expect(fieldTexts(message)).toEqual([
      '*Extension*\n102',
      '*Type*\nUser',
      '*Status*\nEnabled',
      '*Direct number*\n<tel:+16503316252|(650) 331-6252>',
      '*Forwarded number*\n<tel:+17869876543|(786) 987-6543>',
      '*Email*\n<mailto:paul.rivera@mycompany.com|paul.rivera@mycompany.com>',
      '*Job title*\nAccount Executive',
      '*Department*\nSales',
      '*Company*\nMyCompany Inc.',
      '*In chat*\n<@U0PAUL123>',
    ]);
    const buttons = slackButtons(message);
    expect(buttons.map((button) => button['url'])).toEqual(['tel:+16503316252', 'tel:+17869876543']);
    expect(buttons.map((button) => (button['text'] as { text: string }).text)).toEqual(['Call (650) 331-6252', 'Call (786) 987-6543']);
    for (const button of buttons) expect(String(button['action_id'])).toMatch(new RegExp(`^${slackActionIds.call}:\\d+$`));
    expect(message.text).toBe('Paul Rivera: Ext. 102, User');
  });

  it('names the matching chat user instead of mentioning them in a public reply', () => {
    const message = renderSlack(makeReply(paul, 'public'));
    expect(fieldTexts(message)).toContain('*In chat*\npaul');
    expect(JSON.stringify(message)).not.toContain('<@U0PAUL123>');
    expect(slackResponseType(makeReply(paul, 'public'))).toBe('in_channel');
    expect(slackResponseType(makeReply(paul))).toBe('ephemeral');
  });

  it('puts every field group within 10 fields', () => {
    const message = renderSlack(makeReply({ ...paul, numbers: Array.from({ length: 25 }, () => paul.numbers[0]!) }));
    for (const block of message.blocks)
      if (block.type === 'section' && 'fields' in block) expect(block.fields.length).toBeLessThanOrEqual(10);
    expect(fieldTexts(message).length).toBe(3 + 25 + 4 + 1);
  });

  it('gives a list "show more" and "details" buttons whose values parse back to the follow-up commands', () => {
    const card: Card = {
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
        { name: 'Jane Smith', extensionNumber: '120', type: 'User', details: { name: 'ext', query: '120', page: 1 } },
      ],
      firstPosition: 1,
      total: 12,
      more: { name: 'ext', query: 'smith', page: 2 },
    };
    const message = renderSlack(makeReply(card));
    const commandButtons = slackButtons(message).filter((button) => String(button['action_id']).startsWith(`${slackActionIds.command}:`));
    expect(commandButtons.map((button) => parseCommand(String(button['value'])))).toEqual([
      { ok: true, command: { name: 'ext', query: '101', page: 1 } },
      { ok: true, command: { name: 'ext', query: '120', page: 1 } },
      { ok: true, command: { name: 'ext', query: 'smith', page: 2 } },
    ]);
    expect(commandButtons.map((button) => (button['text'] as { text: string }).text)).toEqual(['Details', 'Details', 'Show more']);
    expect(slackTexts(message).some((text) => text.text === 'Showing 1–2 of 12')).toBe(true);
  });

  it('offers a primary "Connect RingCentral" URL button on a link prompt', () => {
    const url = 'http://127.0.0.1:3000/oauth/ringcentral/start?state=abc';
    const buttons = slackButtons(renderSlack(linkPromptReply('relink', url)));
    expect(buttons).toEqual([
      {
        type: 'button',
        text: { type: 'plain_text', text: 'Connect RingCentral', emoji: true },
        url,
        action_id: `${slackActionIds.openUrl}:1`,
        style: 'primary',
      },
    ]);
  });

  it('writes suggestions as Slack slash commands', () => {
    const message = renderSlack(noMatchReply('smith j', { kind: 'name', terms: ['smith', 'j'] }));
    expect(slackTexts(message).map((text) => text.text)).toContain('Try: /ext smith · /switchboard help');
  });

  it('marks warnings in the header and says when to try again', () => {
    const message = renderSlack(rateLimitedReply(42));
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: '⚠️ RingCentral is busy' } });
    expect(slackTexts(message).some((text) => text.text.includes('try again in 42 seconds'))).toBe(true);
  });

  it('lists help with slash-command usage and examples', () => {
    const texts = slackTexts(renderSlack(helpReply())).map((text) => text.text);
    expect(texts.some((text) => text.startsWith('*/ext [number | name | email | @person]*\nShows an extension'))).toBe(true);
    expect(texts.some((text) => text.startsWith('*/whois &lt;phone number&gt;*'))).toBe(true);
    expect(texts.some((text) => text.includes('/whois +1 650 331 6252'))).toBe(true);
    expect(texts.some((text) => text.startsWith('*/switchboard link*'))).toBe(true);
  });
});

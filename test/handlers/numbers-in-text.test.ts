import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/handlers/cards.ts';
import { makeReply } from '../../src/handlers/make-reply.ts';
import { answerNumbersInText, MAX_NUMBERS_PER_TEXT, MAX_SEARCHED_CHARS, phoneNumbersInText } from '../../src/handlers/numbers-in-text.ts';
import { numberNotFoundReply } from '../../src/handlers/replies.ts';

describe('phoneNumbersInText', () => {
  it('finds national numbers with the home country, international ones whatever it is, each once, in order', () => {
    const text = 'Call (650) 331-6252 or +44 20 7946 0958; again 650.331.6252 and 020 7946 0958';
    expect(phoneNumbersInText(text, 'US').numbers).toEqual(['+16503316252', '+442079460958']);
    expect(phoneNumbersInText(text, 'GB').numbers).toEqual(['+442079460958']);
  });

  it('reads Slack tokens by their label, and never the digits of a bare link or an id', () => {
    const text = '<tel:+16503316252|(650) 331-6252> see <https://example.com/t/16505550123> or <@U16505550124> <#C16505550125>';
    expect(phoneNumbersInText(text, 'US').numbers).toEqual(['+16503316252']);
  });

  it('decodes the entities chats send', () => {
    expect(phoneNumbersInText('A&amp;B: (650) 331-6252 &lt;desk&gt;', 'US').numbers).toEqual(['+16503316252']);
  });

  it('keeps a dialled extension with its number', () => {
    expect(phoneNumbersInText('(650) 331-6252 ext. 101', 'US').numbers).toEqual(['+16503316252 x101']);
  });

  it('searches only the first MAX_SEARCHED_CHARS characters', () => {
    const text = `${'x'.repeat(MAX_SEARCHED_CHARS)} (650) 331-6252`;
    expect(phoneNumbersInText(text, 'US').numbers).toEqual([]);
  });
});

describe('answerNumbersInText', () => {
  it('answers at most MAX_NUMBERS_PER_TEXT numbers with the given lookup and counts the rest', async () => {
    const numbers = Array.from({ length: MAX_NUMBERS_PER_TEXT + 3 }, (_, index) => `(510) 555-01${String(index).padStart(2, '0')}`);
    const asked: string[] = [];
    const reply = await answerNumbersInText(numbers.join(' '), 'US', async (number): Promise<Reply> => {
      asked.push(number);
      return numberNotFoundReply(number);
    });
    expect(asked).toHaveLength(MAX_NUMBERS_PER_TEXT);
    expect(reply.card).toMatchObject({ kind: 'numberList', more: 3, limit: MAX_NUMBERS_PER_TEXT });
    if (reply.card.kind !== 'numberList') return;
    expect(reply.card.answers.map((answer) => (answer.kind === 'notice' ? answer.title : ''))).toEqual(
      asked.map((number) => `${number} is not in your company directory`),
    );
    expect(reply.visibility).toBe('private');
  });

  it('says so when there is no number, without looking anything up', async () => {
    const reply = await answerNumbersInText('lunch at 12:30, room 101', 'US', () => {
      throw new Error('nothing to look up');
    });
    expect(reply.card).toEqual({ kind: 'numberList', answers: [], more: 0, limit: MAX_NUMBERS_PER_TEXT });
    expect(reply.text).toBe('No phone numbers found in this message.');
  });

  it('shows a lookup answer of another kind by its summary rather than dropping it', async () => {
    const list = makeReply({ kind: 'extensionList', query: '101', items: [], firstPosition: 1 });
    const reply = await answerNumbersInText('(650) 331-6252', 'US', async () => list);
    expect(reply.card.kind === 'numberList' && reply.card.answers).toEqual([{ kind: 'notice', tone: 'info', title: list.text }]);
  });
});

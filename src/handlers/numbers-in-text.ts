import { searchPhoneNumbersInText } from 'libphonenumber-js/max';
import type { Reply } from './cards.ts';
import { makeReply } from './make-reply.ts';
import type { NumberListCard } from './cards.ts';
import { decodeChatEntities } from './input-text.ts';
import { supportedCountry } from './phone-display.ts';

/** One answer looks up at most this many numbers; the rest are counted, not looked up. */
export const MAX_NUMBERS_PER_TEXT = 10;

/**
 * Text beyond this is not searched. A chat message may be 40,000 characters; the numbers a person wants read are in
 * the part they can see, and the finder's work grows with the text.
 */
export const MAX_SEARCHED_CHARS = 12_000;

// Chat tokens: a labelled one reads as its label (`<tel:+1…|(650) 331-6252>`, `<@U1|maria>`); a bare link or id
// reads as nothing, since the digits of a URL or a channel id are not a phone number anyone wrote.
const CHAT_TOKEN = /<([^<>|]*)(?:\|([^<>]*))?>/g;

/** The phone numbers in a text as written there (for /whois), in order, each once; and how many were found in all. */
export function phoneNumbersInText(text: string, homeCountry: string | undefined): { numbers: string[]; total: number } {
  const readable = decodeChatEntities(
    text.slice(0, MAX_SEARCHED_CHARS).replace(CHAT_TOKEN, (_token, _target: string, label?: string) => ` ${label ?? ''} `),
  );
  const country = supportedCountry(homeCountry);
  const seen = new Set<string>();
  const numbers: string[] = [];
  for (const found of searchPhoneNumbersInText(readable, country === undefined ? {} : { defaultCountry: country })) {
    const key = found.number.ext === undefined ? found.number.number : `${found.number.number};ext=${found.number.ext}`;
    if (seen.has(key)) continue;
    seen.add(key);
    numbers.push(found.number.ext === undefined ? found.number.number : `${found.number.number} x${found.number.ext}`);
  }
  return { numbers, total: numbers.length };
}

/**
 * Every phone number in a message, each answered by `answerNumber` (the requester's /whois), at most
 * MAX_NUMBERS_PER_TEXT. Whatever /whois says of a number is what the list says of it, "not found" included, so the
 * list tells a standard user nothing /whois would not.
 */
export async function answerNumbersInText(
  text: string,
  homeCountry: string | undefined,
  answerNumber: (number: string) => Promise<Reply>,
): Promise<Reply> {
  const { numbers, total } = phoneNumbersInText(text, homeCountry);
  const looked = numbers.slice(0, MAX_NUMBERS_PER_TEXT);
  const replies = await Promise.all(looked.map((number) => answerNumber(number)));
  const answers: NumberListCard['answers'] = [];
  for (const reply of replies) {
    const card = reply.card;
    if (card.kind === 'number' || card.kind === 'extension' || card.kind === 'notice') answers.push(card);
    else answers.push({ kind: 'notice', tone: 'info', title: reply.text });
  }
  return makeReply({ kind: 'numberList', answers, more: total - looked.length, limit: MAX_NUMBERS_PER_TEXT });
}

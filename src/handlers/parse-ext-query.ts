import { EXTENSION_NUMBER_MAX_DIGITS } from './extension-number.ts';
import { decodeChatEntities, normalizeInput } from './input-text.ts';
import { looksLikePhoneNumber } from './parse-phone-query.ts';

export type ExtQueryProblem = 'tooLong' | 'notAPerson' | 'noSearchTerms';

export type ExtQuery =
  | { kind: 'self' }
  | { kind: 'extensionNumber'; value: string }
  | { kind: 'email'; value: string }
  | { kind: 'slackMention'; userId: string }
  | { kind: 'name'; terms: string[] }
  /** A phone number typed to /ext: the handler answers it as /whois would. */
  | { kind: 'phoneNumber'; text: string }
  | { kind: 'invalid'; reason: ExtQueryProblem };

const EXTENSION_NUMBER = new RegExp(`^(?:x|ext\\.?|extension|#)?\\s*(\\d{1,${EXTENSION_NUMBER_MAX_DIGITS}})$`, 'i');
const SLACK_USER_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>$/;
const SLACK_MAILTO = /^<mailto:([^|<>]+)(?:\|[^<>]*)?>$/i;
const SLACK_TEL = /^<tel:([^|<>]+)(?:\|[^<>]*)?>$/i;
// Channel links, @here / @channel / @everyone and user groups: things that are not one person.
const SLACK_NON_PERSON = /^<[#!][^<>]*>$/;
const SLACK_TOKEN = /<[^<>]*>/g;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
// What people type for their own card. Someone whose name is "Me" is still found by any other part of it.
const SELF = /^@?(?:me|myself)$/i;
const TERM_SEPARATOR = /[\s,;]+/;
const NOT_LETTER_OR_DIGIT_AT_EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
/** More terms than this only narrow a name search to nothing. */
export const MAX_NAME_TERMS = 6;

/**
 * Reads what /ext was given: nothing or "me" (yourself), an extension number ("101", "x101"), an email, a Slack mention
 * (`<@U123>` or `<@U123|name>`), or a name or part of one ("john", "smith j", "Smith, John").
 */
export function parseExtQuery(raw: string): ExtQuery {
  const input = normalizeInput(raw);
  if (!input.ok) return { kind: 'invalid', reason: 'tooLong' };
  const text = input.text;
  if (text === '') return { kind: 'self' };

  const mention = SLACK_USER_MENTION.exec(text);
  if (mention) return { kind: 'slackMention', userId: mention[1] ?? '' };
  const mailto = SLACK_MAILTO.exec(text);
  if (mailto && EMAIL.test(mailto[1] ?? '')) return { kind: 'email', value: (mailto[1] ?? '').toLowerCase() };
  const tel = SLACK_TEL.exec(text);
  if (tel) return { kind: 'phoneNumber', text: tel[1] ?? '' };
  if (SLACK_NON_PERSON.test(text)) return { kind: 'invalid', reason: 'notAPerson' };

  // Other Slack tokens inside longer text count by their label only (`<@U1|john> smith` → "john smith").
  const plain = decodeChatEntities(text.replace(SLACK_TOKEN, (token) => tokenLabel(token))).trim();

  if (SELF.test(plain)) return { kind: 'self' };
  const extension = EXTENSION_NUMBER.exec(plain);
  if (extension) return { kind: 'extensionNumber', value: extension[1] ?? '' };
  if (looksLikePhoneNumber(plain)) return { kind: 'phoneNumber', text: plain };
  // Emails are matched without regard to case, as RingCentral and Slack both treat them.
  if (EMAIL.test(plain)) return { kind: 'email', value: plain.toLowerCase() };

  const terms = plain
    .split(TERM_SEPARATOR)
    .map((term) => term.replace(NOT_LETTER_OR_DIGIT_AT_EDGES, ''))
    .filter((term) => term !== '');
  if (terms.length === 0) return { kind: 'invalid', reason: 'noSearchTerms' };
  return { kind: 'name', terms: terms.slice(0, MAX_NAME_TERMS) };
}

function tokenLabel(token: string): string {
  const bar = token.indexOf('|');
  return bar === -1 ? ' ' : ` ${token.slice(bar + 1, -1)} `;
}

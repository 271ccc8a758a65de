import { HeldBack, RingCentralError, RateLimited } from '../api/errors.ts';
import { DatabaseUnavailable } from '../store/errors.ts';
import { decodeChatEntities, MAX_INPUT_LENGTH } from './input-text.ts';
import type { Card, HelpTopic, LinkPromptReason, NoticeCard, Reply, SearchedPart } from './cards.ts';
import { makeReply } from './make-reply.ts';
import type { Command, CommandParse, CommandStyle } from './parse-command.ts';
import { commandHead } from './parse-command.ts';
import type { ExtQuery, ExtQueryProblem } from './parse-ext-query.ts';
import type { PhoneProblem } from './parse-phone-query.ts';
import type { CompanyNumbersReading } from './company-numbers.ts';
import { extExamples, helpWording, noticeWording, phoneExamples, phoneProblemWording } from './wording.ts';

/*
 * Ready-made replies for everything that is not a lookup result: help, linking, input problems and failures.
 * Every failure becomes a short notice; nothing here ever shows an error's message or stack.
 */

const helpCommand: Command = { name: 'help' };
const linkCommand: Command = { name: 'link' };

export function helpReply(): Reply {
  const topic = (command: HelpTopic['command'], examples: Command[]): HelpTopic => ({
    command,
    argumentHint: helpWording[command].argumentHint,
    description: helpWording[command].description,
    examples,
  });
  return makeReply({
    kind: 'help',
    topics: [
      topic('ext', [ext('101'), ext('john smith'), ext('john.smith@mycompany.com'), ext('')]),
      topic('whois', [
        { name: 'whois', query: '+1 650 331 6252' },
        { name: 'whois', query: '(650) 331-6252' },
      ]),
      topic('myforwarding', []),
      topic('company', []),
      topic('link', []),
      topic('unlink', []),
      topic('status', []),
      topic('confirm', []),
    ],
  });
}

export function linkPromptReply(reason: LinkPromptReason, url: string): Reply {
  return makeReply({ kind: 'linkPrompt', reason, url });
}

/** The bot introducing itself to someone with no link yet: a Connect button and where to start. */
export function welcomeReply(url: string): Reply {
  const card: Card = { kind: 'linkPrompt', reason: 'welcome', url };
  return makeReply(card);
}

/** The bot introducing itself to someone already linked (the app installed again, or in another place). */
export function welcomeLinkedReply(name: string): Reply {
  return notice('info', noticeWording.welcomeLinked.title, noticeWording.welcomeLinked.body(name), {
    suggestions: [helpCommand, ext('101')],
  });
}

/** The bot introducing itself where everyone reads it (a team or group chat): no link, nothing of anyone's. */
export function welcomeSharedReply(): Reply {
  return makeReply(
    { kind: 'notice', tone: 'info', title: noticeWording.welcomeShared.title, body: noticeWording.welcomeShared.body },
    'public',
  );
}

/** A lookup that outlasted the time the chat waits for an answer; it goes on, and asking again finds it cached. */
export function stillLookingReply(): Reply {
  return notice('info', noticeWording.stillLooking.title, noticeWording.stillLooking.body);
}

/** Told in chat whenever a link completes: who the chat user now is at RingCentral, and how to undo it. */
export function linkedReply(identity: { name: string; extensionNumber?: string }, style: CommandStyle): Reply {
  const who = identity.extensionNumber ? `${identity.name} (ext. ${identity.extensionNumber})` : identity.name;
  return notice('success', noticeWording.linked.title, noticeWording.linked.body(who, commandHead('unlink', style)));
}

/** What `confirm` answers when it does not link: no code, not a code, nothing waiting, a wrong or spent code. */
export type ConfirmProblem =
  | { kind: 'no-code' }
  | { kind: 'not-a-code' }
  | { kind: 'none' }
  | { kind: 'wrong-code'; triesLeft: number }
  | { kind: 'ended'; reason: 'expired' | 'too-many-tries' };

export function confirmProblemReply(problem: ConfirmProblem, style: CommandStyle): Reply {
  const example = `${commandHead('confirm', style)} 123456`;
  const link = commandHead('link', style);
  switch (problem.kind) {
    case 'no-code':
      return notice('warning', noticeWording.confirmWhichCode.title, noticeWording.confirmWhichCode.body(example));
    case 'not-a-code':
      return notice('warning', noticeWording.confirmNotACode.title, noticeWording.confirmNotACode.body(example));
    case 'none':
      return notice('info', noticeWording.confirmNothingPending.title, noticeWording.confirmNothingPending.body(link), {
        suggestions: [linkCommand],
      });
    case 'wrong-code':
      return notice('warning', noticeWording.confirmWrongCode.title, noticeWording.confirmWrongCode.body(problem.triesLeft));
    case 'ended':
      return problem.reason === 'expired'
        ? notice('warning', noticeWording.confirmExpired.title, noticeWording.confirmExpired.body(link), { suggestions: [linkCommand] })
        : notice('warning', noticeWording.confirmTooManyTries.title, noticeWording.confirmTooManyTries.body(link), {
            suggestions: [linkCommand],
          });
  }
}

/**
 * Posted where everyone can read it (a channel, a group chat) when the answer went to the asker alone. It says
 * nothing of the question or the answer.
 */
export function answeredPrivatelyReply(): Reply {
  return makeReply(
    { kind: 'notice', tone: 'info', title: noticeWording.answeredPrivately.title, body: noticeWording.answeredPrivately.body },
    'public',
  );
}

/** Posted where everyone can read it when the asker could not be answered privately there. */
export function askPrivatelyReply(): Reply {
  return makeReply(
    { kind: 'notice', tone: 'info', title: noticeWording.askPrivately.title, body: noticeWording.askPrivately.body },
    'public',
  );
}

export function unlinkedReply(outcome: { revokedAtRingCentral: boolean }): Reply {
  const body = outcome.revokedAtRingCentral ? noticeWording.unlinked.body : noticeWording.unlinked.bodyWithoutRevoke;
  return notice('info', noticeWording.unlinked.title, body, { suggestions: [linkCommand] });
}

/** `status` or `unlink` from someone with no link: say so and offer `link`. */
export function notLinkedReply(): Reply {
  return notice('info', noticeWording.notLinked.title, noticeWording.notLinked.body, { suggestions: [linkCommand] });
}

/** No extension matched an ext query. Multi-word names suggest the longest word alone. */
export function noMatchReply(queryText: string, query?: ExtQuery): Reply {
  if (query?.kind === 'extensionNumber') {
    // "Check the spelling, try part of the name" reads oddly under a number (/ext 999, /whois 999).
    return notice('info', noticeWording.noExtensionNumber.title(query.value), noticeWording.noExtensionNumber.body, {
      suggestions: [helpCommand],
      examples: [...extExamples],
    });
  }
  const suggestions: Command[] = [];
  if (query?.kind === 'name' && query.terms.length > 1) {
    const longest = query.terms.reduce((a, b) => (b.length > a.length ? b : a));
    suggestions.push(ext(longest));
  }
  suggestions.push(helpCommand);
  // Chats send `<`, `>` and `&` typed by the person as entities; the title echoes what they typed.
  return notice('info', noticeWording.noMatch.title(decodeChatEntities(queryText)), noticeWording.noMatch.body, {
    suggestions,
    examples: [...extExamples],
  });
}

/** No match among the part of a directory search that was read: that nothing matches is not known. */
export function noMatchInPartReply(queryText: string, searched: SearchedPart): Reply {
  return notice('info', noticeWording.noMatchInPart.title(decodeChatEntities(queryText)), noticeWording.noMatchInPart.body(searched), {
    suggestions: [helpCommand],
  });
}

/**
 * The one answer for a number that is not the company's AND for one the caller's role cannot see: a different
 * reply would tell a standard user that a hidden number exists.
 */
export function numberNotFoundReply(display: string): Reply {
  return notice('info', noticeWording.numberNotFound.title(display), noticeWording.numberNotFound.body);
}

/**
 * An administrator's number that the directory does not list, while the company's number list (which could still
 * name its owner) is being read: not a final "not found". Only administrators may read that list, so a standard user
 * never gets this answer.
 */
export function numberNotFoundYetReply(display: string, reading: CompanyNumbersReading): Reply {
  return notice('info', noticeWording.numberNotFoundYet.title(display), noticeWording.numberNotFoundYet.body(reading));
}

export function invalidPhoneReply(reason: PhoneProblem): Reply {
  const wording = phoneProblemWording[reason] ?? phoneProblemWording['notANumber'] ?? { title: '', body: '' };
  return notice('warning', wording.title, wording.body, { examples: [...phoneExamples] });
}

export function invalidExtQueryReply(reason: ExtQueryProblem): Reply {
  switch (reason) {
    case 'tooLong':
      return tooLongReply();
    case 'notAPerson':
      return notice('warning', noticeWording.notAPerson.title, noticeWording.notAPerson.body, { examples: [...extExamples] });
    case 'noSearchTerms':
      return notice('warning', noticeWording.noSearchTerms.title, noticeWording.noSearchTerms.body, { examples: [...extExamples] });
  }
}

/** A mentioned chat user whose profile shows no email. */
export function noChatEmailReply(): Reply {
  return notice('info', noticeWording.noChatEmail.title, noticeWording.noChatEmail.body);
}

export function noExtensionForChatUserReply(name: string): Reply {
  return notice('info', noticeWording.noExtensionForChatUser.title(name), noticeWording.noExtensionForChatUser.body);
}

export function tooLongReply(limit = MAX_INPUT_LENGTH): Reply {
  return notice('warning', noticeWording.tooLong.title, noticeWording.tooLong.body(limit));
}

/** The reply for a command text that could not be read (`parseCommand` gave ok: false). */
export function commandProblemReply(problem: Extract<CommandParse, { ok: false }>): Reply {
  if (problem.problem === 'tooLong') return tooLongReply(problem.limit);
  return notice('warning', noticeWording.unknownCommand.title(decodeChatEntities(problem.word)), noticeWording.unknownCommand.body, {
    suggestions: [helpCommand, ext('101'), { name: 'whois', query: '+1 650 331 6252' }, { name: 'myforwarding' }],
  });
}

export function notPermittedReply(): Reply {
  return notice('warning', noticeWording.notPermitted.title, noticeWording.notPermitted.body);
}

/** `/myforwarding` from an extension whose type has no forwarding at all (a fax user): not a missing permission. */
export function noForwardingFeatureReply(): Reply {
  return notice('info', noticeWording.noForwardingFeature.title, noticeWording.noForwardingFeature.body);
}

export function rateLimitedReply(retryAfterSeconds: number): Reply {
  return notice('warning', noticeWording.rateLimited.title, noticeWording.rateLimited.body(retryAfterSeconds));
}

/** Switchboard, not RingCentral, held the user back: said plainly, with RingCentral's real limit for the group. */
export function heldBackReply(budget: { limit: number; windowSeconds: number; retryAfterSeconds: number }): Reply {
  return notice('warning', noticeWording.heldBack.title, noticeWording.heldBack.body(budget));
}

export function unavailableReply(): Reply {
  return notice('error', noticeWording.unavailable.title, noticeWording.unavailable.body);
}

/** Our own database could not answer (not RingCentral): nothing is wrong with the user's link. */
export function storageUnavailableReply(): Reply {
  return notice('error', noticeWording.storageUnavailable.title, noticeWording.storageUnavailable.body);
}

export function unexpectedErrorReply(): Reply {
  return notice('error', noticeWording.unexpected.title, noticeWording.unexpected.body);
}

export interface ErrorReplyOptions {
  /** Where to link again; without it, a must-relink error suggests the link command instead. */
  relinkUrl?: string;
}

/**
 * Any failure → one short reply. RingCentral's kinds each have their own; NotFound here means a record vanished
 * between two calls and reads as a plain "not found"; the database being unavailable has its own. Anything else is
 * "something went wrong", never its message.
 */
export function errorReply(error: unknown, options: ErrorReplyOptions = {}): Reply {
  if (error instanceof DatabaseUnavailable) return storageUnavailableReply();
  if (!(error instanceof RingCentralError)) return unexpectedErrorReply();
  switch (error.kind) {
    case 'needs-link':
      return options.relinkUrl === undefined
        ? notice('warning', noticeWording.notLinked.title, noticeWording.notLinked.body, { suggestions: [linkCommand] })
        : linkPromptReply('relink', options.relinkUrl);
    case 'not-permitted':
      return notPermittedReply();
    case 'not-found':
      return notice('info', noticeWording.notFound.title, noticeWording.notFound.body);
    case 'rate-limited':
      return rateLimitedReply(error instanceof RateLimited ? error.retryAfterSeconds : 60);
    case 'held-back':
      return error instanceof HeldBack ? heldBackReply(error) : rateLimitedReply(60);
    case 'unavailable':
    case 'invalid-response':
      return unavailableReply();
    case 'bad-request':
      return unexpectedErrorReply();
  }
}

function ext(query: string): Command {
  return { name: 'ext', query, page: 1 };
}

function notice(
  tone: NoticeCard['tone'],
  title: string,
  body: string,
  extra: { suggestions?: Command[]; examples?: string[] } = {},
): Reply {
  const card: Card = { kind: 'notice', tone, title, body, ...extra };
  return makeReply(card);
}

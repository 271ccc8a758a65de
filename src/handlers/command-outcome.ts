import { RingCentralError } from '../api/errors.ts';
import { DatabaseUnavailable } from '../store/errors.ts';
import type { Reply } from './cards.ts';
import type { CommandName } from './parse-command.ts';

/**
 * How a command ended, as a small fixed set (a metrics label): what the user was told, not why in detail.
 * - ok: answered (a lookup that found nothing is still an answer)
 * - from-directory: answered with the directory's entry, the user's budget for the minute being spent (no 429)
 * - not-linked: the user has no link yet and was offered one
 * - needs-link: RingCentral no longer accepts their login; they were asked to link again
 * - invalid-input: the text could not be used (not a phone number, too long …)
 * - not-permitted, not-found, rate-limited: RingCentral's answers of those kinds (rate-limited: a real 429 or its penalty)
 * - held-back: Switchboard held the user back to stay under RingCentral's per-minute limit; RingCentral sent no 429
 * - unavailable: RingCentral did not answer, or answered with something unreadable
 * - storage-unavailable: our database could not answer
 * - error: anything else (a bug)
 */
export const COMMAND_OUTCOMES = [
  'ok',
  'from-directory',
  'not-linked',
  'needs-link',
  'invalid-input',
  'not-permitted',
  'not-found',
  'rate-limited',
  'held-back',
  'unavailable',
  'storage-unavailable',
  'error',
] as const;
export type CommandOutcome = (typeof COMMAND_OUTCOMES)[number];

export interface CommandFinished {
  command: CommandName;
  outcome: CommandOutcome;
  durationSeconds: number;
}

/** Where the runner reports each command; the composition root hands in the metrics. */
export interface CommandMetrics {
  commandFinished(event: CommandFinished): void;
}

/**
 * The outcome of a command that returned a reply. Replies that turn down the input are the only warning-tone notices
 * a command returns itself (failures arrive as errors and go through outcomeOfError).
 */
export function outcomeOfReply(reply: Reply): CommandOutcome {
  const { card } = reply;
  if (card.kind === 'linkPrompt' && card.reason === 'not-linked') return 'not-linked';
  if (card.kind === 'notice' && card.tone === 'warning') return 'invalid-input';
  if (card.kind === 'extension' && card.fromDirectory === true) return 'from-directory';
  return 'ok';
}

export function outcomeOfError(error: unknown): CommandOutcome {
  if (error instanceof DatabaseUnavailable) return 'storage-unavailable';
  if (!(error instanceof RingCentralError)) return 'error';
  switch (error.kind) {
    case 'needs-link':
    case 'not-permitted':
    case 'not-found':
    case 'rate-limited':
    case 'held-back':
    case 'unavailable':
      return error.kind;
    case 'invalid-response':
      return 'unavailable';
    case 'bad-request':
      return 'error';
  }
}

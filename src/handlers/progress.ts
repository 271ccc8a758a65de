import type { Reply } from './cards.ts';
import { makeReply } from './make-reply.ts';

/** Shown when RingCentral is slow to answer, and replaced by the answer when it comes. */
export function lookingUpReply(): Reply {
  return makeReply({ kind: 'notice', tone: 'info', title: 'Looking that up in RingCentral…' });
}

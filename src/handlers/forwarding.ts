import { NotPermitted } from '../api/errors.ts';
import { forwardingCard, linkedStatusCard } from './card-builders.ts';
import type { Reply } from './cards.ts';
import { makeReply } from './make-reply.ts';
import { allOrFirstFailure, callsNow, loadCallsNow } from './calls-now.ts';
import type { Directory } from './directory.ts';
import { noForwardingFeatureReply } from './replies.ts';

// RingCentral's 403 for an extension type without the feature ("The feature is not available for this extension
// type"); no administrator can grant it, unlike the other 403s.
const FEATURE_NOT_AVAILABLE = 'CMN-403';

/**
 * `/myforwarding`: where the requester's calls go now (do not disturb, the answering rule in force and what it rings,
 * caller ID), and their forwarding and call-flip numbers in flip order. `now` is the wall clock the business hours
 * are read against (epoch ms).
 */
export async function answerMyForwarding(directory: Directory, now: () => number = Date.now): Promise<Reply> {
  try {
    // Settled together, so no read of this answer is still running once it is given (a refused forwarding list
    // ends the answer, and the calls beside it land in the cache, not after the reply).
    const [records, homeCountry, sources] = await allOrFirstFailure([
      directory.forwardingNumbers(),
      directory.homeCountry(),
      loadCallsNow(directory),
    ] as const);
    const card = forwardingCard(records, { homeCountry });
    return makeReply(sources === undefined ? card : { ...card, now: callsNow({ ...sources, homeCountry }, now()) });
  } catch (error) {
    if (error instanceof NotPermitted && error.errorCode === FEATURE_NOT_AVAILABLE) return noForwardingFeatureReply();
    throw error;
  }
}

/** `status`: who the requester is linked as, read fresh from their own extension. */
export async function answerStatus(directory: Directory): Promise<Reply> {
  return makeReply(linkedStatusCard(await directory.self()));
}

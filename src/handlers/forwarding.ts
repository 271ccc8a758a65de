import { forwardingCard, linkedStatusCard } from './card-builders.ts';
import type { Reply } from './cards.ts';
import { makeReply } from './cards.ts';
import type { Directory } from './directory.ts';

/** `/myforwarding`: the requester's own forwarding and call-flip numbers, in flip order. */
export async function answerMyForwarding(directory: Directory): Promise<Reply> {
  const [records, homeCountry] = await Promise.all([directory.forwardingNumbers(), directory.homeCountry()]);
  return makeReply(forwardingCard(records, { homeCountry }));
}

/** `status`: who the requester is linked as, read fresh from their own extension. */
export async function answerStatus(directory: Directory): Promise<Reply> {
  return makeReply(linkedStatusCard(await directory.self()));
}

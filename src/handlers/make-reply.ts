import { summarizeCard } from './card-outline.ts';
import type { Card, Reply, Visibility } from './cards.ts';

// Apart from cards.ts: the model stays plain data that the outline reads, and only a reply needs the outline's summary.

/** Wraps a card in a reply; replies are private unless the caller chose to share. */
export function makeReply(card: Card, visibility: Visibility = 'private'): Reply {
  return { text: summarizeCard(card), card, visibility };
}

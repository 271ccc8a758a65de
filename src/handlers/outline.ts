import type { ChatUserRef } from './chat-people.ts';
import type { Command } from './parse-command.ts';
import type { PhoneNumberView } from './phone-display.ts';

/*
 * What a renderer draws: facts, items and actions in order, with their labels already worded. card-outline.ts (and
 * company-card.ts for the company card) make outlines; Block Kit, Adaptive Cards and text only draw them.
 */

export type Tone = 'info' | 'success' | 'warning' | 'error';

export type OutlineValue =
  | { kind: 'text'; text: string }
  | { kind: 'phone'; number: PhoneNumberView }
  | { kind: 'email'; address: string }
  | { kind: 'chatUser'; user: ChatUserRef };

export interface OutlineFact {
  label: string;
  value: OutlineValue;
}

export type OutlineAction =
  | { kind: 'call'; label: string; number: PhoneNumberView & { e164: string } }
  | { kind: 'command'; label: string; command: Command }
  | { kind: 'openUrl'; label: string; url: string; primary: boolean };

export interface OutlineItem {
  title: string;
  details: string[];
  action?: OutlineAction;
}

export interface Outline {
  tone: Tone | 'plain';
  title: string;
  subtitle?: string;
  paragraphs: string[];
  facts: OutlineFact[];
  /** A heading over the items, when the card has facts above them (a call queue's members). */
  itemsTitle?: string;
  items: OutlineItem[];
  actions: OutlineAction[];
  /** Commands written as the platform expects them ("/ext smith" or "ext smith"). */
  suggestions: string[];
  examples: string[];
  footnote?: string;
}

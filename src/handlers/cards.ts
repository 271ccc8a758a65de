import type { ChatUserRef } from './chat-people.ts';
import type { CompanyCard } from './company-card.ts';
import type { Tone } from './outline.ts';
import type { Command, CommandName } from './parse-command.ts';
import type { PhoneNumberView } from './phone-display.ts';
import type { SearchedPart } from './wording.ts';

// Defined beside what makes them (a number's display, a chat profile, an outline's tone, a partly read search's
// wording) so those modules need nothing from here; every card uses them.
export type { ChatUserRef, PhoneNumberView, SearchedPart, Tone };

/*
 * The neutral reply model: what a reply says, not how it looks. Plain data with no markup and no platform ids of
 * its own, so Block Kit, Adaptive Cards and plain text all draw the same reply. Enumerations are already in plain
 * words (see wording.ts); phone numbers carry both their display form and E.164 for `tel:` links.
 */

/** Who sees the reply: the asker alone (Slack ephemeral, Teams personal) or everyone in the conversation. */
export type Visibility = 'private' | 'public';

export interface ExtensionRef {
  name: string;
  extensionNumber?: string;
  type: string;
}

export interface ExtensionNumberLine {
  number: PhoneNumberView;
  /** "Direct number", "Main company number" … */
  usage: string;
  label?: string;
}

export interface ContactDetails {
  email?: string;
  jobTitle?: string;
  department?: string;
  company?: string;
  businessPhone?: PhoneNumberView;
  mobilePhone?: PhoneNumberView;
  address?: string;
  site?: string;
}

/** What someone is doing now, in one word: the presence line of a card. */
export type PresenceState = 'available' | 'busy' | 'onCall' | 'doNotDisturb' | 'offline' | 'notShared';

export interface PresenceLine {
  state: PresenceState;
  /** "Available", "On a call", "Do not disturb" … */
  label: string;
  /** A qualifier of the state, such as "takes no department calls". */
  detail?: string;
  /** The status message the person published, as they wrote it. */
  message?: string;
}

export interface QueueMemberItem {
  /** The directory's name; undefined when the directory does not show this member to the caller. */
  name?: string;
  extensionNumber?: string;
  /** Shown only when not Enabled. */
  status?: string;
  presence?: PresenceLine;
  /** The command that shows this member's card. */
  details?: Command;
}

/** One page of a call queue's members. */
export interface QueueMembers {
  items: QueueMemberItem[];
  /** 1-based position of items[0] among all members. */
  firstPosition: number;
  total: number;
  /** The command for the next page, when there is one. */
  more?: Command;
}

export interface ExtensionCard {
  kind: 'extension';
  name: string;
  extensionNumber?: string;
  type: string;
  status: string;
  /** The caller's own extension. */
  isYou: boolean;
  numbers: ExtensionNumberLine[];
  contact: ContactDetails;
  chatUser?: ChatUserRef;
  /** Absent when the card has none: not a person, no ReadPresence, or RingCentral did not answer. */
  presence?: PresenceLine;
  /** What this kind of extension does, for group types (shared lines, paging, park locations …). */
  about?: string;
  /** A Department's (call queue's) members. */
  queue?: QueueMembers;
  note?: string;
  /** Drawn from the directory entry: the requester's budget for the minute could not pay for the full card. */
  fromDirectory?: boolean;
}

export interface ExtensionListItem {
  name: string;
  extensionNumber?: string;
  type: string;
  email?: string;
  /** Shown only when not Enabled. */
  status?: string;
  /** The command that shows this one extension. */
  details?: Command;
}

export interface ExtensionListCard {
  kind: 'extensionList';
  /** What the caller searched for, as they wrote it. */
  query: string;
  items: ExtensionListItem[];
  /** 1-based position of items[0] among all matches. */
  firstPosition: number;
  total?: number;
  /** The command for the next page, when there is one. */
  more?: Command;
  /** Set when the matches come from part of what RingCentral's directory search found: the list says so. */
  searched?: SearchedPart;
}

export interface NumberCard {
  kind: 'number';
  number: PhoneNumberView;
  /** An extension the caller wrote after the number ("x101"). */
  dialledExtension?: string;
  usage: string;
  callType?: string;
  paymentType?: string;
  /** Undefined when RingCentral did not show them to the caller; empty when the number has none. */
  features?: string[];
  label?: string;
  owner?: ExtensionRef & { details?: Command };
}

export interface ForwardingItem {
  label: string;
  number: PhoneNumberView;
  features: string[];
  flipNumber?: string;
  type?: string;
}

/** One step of a rule's ringing: what rings together, for how many rings. */
export interface RingStep {
  /** Devices and numbers, in words with their numbers ("Mobile (650) 555-0111"). */
  targets: string[];
  rings?: number;
  /** Everything in the step rings at once (a rule's "Simultaneously" forwarding). */
  together?: boolean;
}

/** What happens to a call to the requester right now, in words. */
export interface CallsNow {
  /** Undefined when RingCentral did not show the requester their presence. */
  doNotDisturb?: { on: boolean; words: string };
  /** "Business hours" or "After hours". */
  ruleName: string;
  /** Why this rule: "Wednesday 10:00 in US/Pacific", "business hours around the clock", or that it cannot be told. */
  ruleReason: string;
  /** Undefined for business hours around the clock. */
  businessHours?: string;
  /** The rule's action in words ("Rings your phones one after another", "Straight to voicemail" …). */
  handling: string;
  /** In ringing order. */
  steps: RingStep[];
  /** What happens when nothing is answered. */
  then?: string;
  /** Outgoing caller ID in words, grouped by what it is shown for. */
  callerId?: string;
  internalCallerId?: string;
}

export interface ForwardingCard {
  kind: 'forwarding';
  /** Undefined for the caller's own numbers. */
  owner?: string;
  /** In call flip order. */
  items: ForwardingItem[];
  /** Where the requester's calls go now; absent when RingCentral did not show their answering rules. */
  now?: CallsNow;
}

/** `welcome`: the bot introducing itself when it is installed, before anyone asked for anything. */
export type LinkPromptReason = 'not-linked' | 'relink' | 'requested' | 'welcome';

export interface LinkPromptCard {
  kind: 'linkPrompt';
  reason: LinkPromptReason;
  url: string;
}

export interface LinkedStatusCard {
  kind: 'linkedStatus';
  name: string;
  extensionNumber?: string;
  email?: string;
  company?: string;
  role: string;
}

export interface HelpTopic {
  command: CommandName;
  argumentHint: string;
  description: string;
  examples: Command[];
}

export interface HelpCard {
  kind: 'help';
  topics: HelpTopic[];
}

export interface NoticeCard {
  kind: 'notice';
  tone: Tone;
  title: string;
  body?: string;
  /** Commands worth trying next. */
  suggestions?: Command[];
  /** Example inputs worth trying, such as phone number formats. */
  examples?: string[];
}

/** Every phone number found in a piece of text (a message shortcut), each answered as /whois answers it. */
export interface NumberListCard {
  kind: 'numberList';
  /** In the order the numbers appear in the text; a number /whois cannot place is its "not found" notice. */
  answers: Array<NumberCard | ExtensionCard | NoticeCard>;
  /** Numbers found beyond those answered, and how many one list answers. */
  more: number;
  limit: number;
}

export type Card =
  | ExtensionCard
  | NumberListCard
  | ExtensionListCard
  | NumberCard
  | ForwardingCard
  | LinkPromptCard
  | LinkedStatusCard
  | HelpCard
  | NoticeCard
  | CompanyCard;

export type CardKind = Card['kind'];

export interface Reply {
  /** Plain-text summary: notifications, screen readers and clients that cannot draw the card. Always set. */
  text: string;
  card: Card;
  visibility: Visibility;
}

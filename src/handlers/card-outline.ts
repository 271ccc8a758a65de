import type {
  CallsNow,
  Card,
  ExtensionCard,
  ExtensionListCard,
  ForwardingCard,
  HelpCard,
  LinkedStatusCard,
  LinkPromptCard,
  NoticeCard,
  NumberCard,
  NumberListCard,
  PhoneNumberView,
  PresenceLine,
  QueueMembers,
} from './cards.ts';
import { outlineCompany, summarizeCompany } from './company-card.ts';
import type { CommandStyle } from './parse-command.ts';
import { commandHead, formatCommand } from './parse-command.ts';
import type { Outline, OutlineAction, OutlineFact, OutlineItem } from './outline.ts';
import { callsNowWording, fieldLabels, linkPromptWording, phrases } from './wording.ts';

export type { Outline, OutlineAction, OutlineFact, OutlineItem, OutlineValue } from './outline.ts';

/*
 * The one place that decides which facts a card shows, in which order and under which labels. Renderers draw an
 * Outline and decide only how it looks, so Slack, Teams and the text console say exactly the same things.
 */

/** At most this many call buttons on an extension card; every number is still listed with its link. */
const MAX_CALL_ACTIONS = 3;

export function outlineCard(card: Card, style: CommandStyle): Outline {
  switch (card.kind) {
    case 'extension':
      return outlineExtension(card);
    case 'extensionList':
      return outlineExtensionList(card);
    case 'number':
      return outlineNumber(card);
    case 'numberList':
      return outlineNumberList(card);
    case 'forwarding':
      return outlineForwarding(card);
    case 'linkPrompt':
      return outlineLinkPrompt(card, style);
    case 'linkedStatus':
      return outlineLinkedStatus(card, style);
    case 'help':
      return outlineHelp(card, style);
    case 'notice':
      return outlineNotice(card, style);
    case 'company':
      return outlineCompany(card);
  }
}

/** One or two plain lines saying what the card says: the fallback text of every reply. */
export function summarizeCard(card: Card): string {
  switch (card.kind) {
    case 'extension': {
      const parts = [
        card.extensionNumber === undefined ? undefined : phrases.extensionShort(card.extensionNumber),
        card.type,
        card.presence?.label,
      ];
      return `${card.name}${card.isYou ? ` (${phrases.you})` : ''}: ${present(parts).join(', ')}`;
    }
    case 'extensionList': {
      const last = card.firstPosition + card.items.length - 1;
      return `${phrases.listTitle(card.query)}: ${phrases.listRange(card.firstPosition, last, card.total)}`;
    }
    case 'number': {
      const owner = card.owner === undefined ? card.usage : `${fieldLabels.owner} ${ownerText(card.owner)}`;
      return `${card.number.display}: ${owner}`;
    }
    case 'numberList':
      return card.answers.length === 0 ? phrases.noNumbersInText : card.answers.map((answer) => summarizeCard(answer)).join('; ');
    case 'forwarding':
      return card.now === undefined
        ? `${phrases.forwardingTitle(card.owner)}: ${card.items.length}`
        : `${callsNowWording.title}: ${callsNowWording.ruleInForce(card.now.ruleName)}${card.now.doNotDisturb?.on === true ? `. ${callsNowWording.dndOn}` : ''}`;
    case 'linkPrompt':
      return linkPromptWording[card.reason].title;
    case 'linkedStatus':
      return `${phrases.linkedTitle}: ${card.name}${card.extensionNumber === undefined ? '' : ` (${phrases.extensionShort(card.extensionNumber)})`}`;
    case 'help':
      return phrases.helpTitle;
    case 'notice':
      return card.body === undefined ? card.title : `${card.title}. ${card.body}`;
    case 'company':
      return summarizeCompany(card);
  }
}

function outlineExtension(card: ExtensionCard): Outline {
  const facts: OutlineFact[] = [];
  if (card.extensionNumber !== undefined) facts.push(textFact(fieldLabels.extensionNumber, card.extensionNumber));
  facts.push(textFact(fieldLabels.type, card.type), textFact(fieldLabels.status, card.status));
  if (card.presence) facts.push(textFact(fieldLabels.presence, presenceText(card.presence)));
  for (const line of card.numbers) {
    const label = line.label === undefined || line.label === line.usage ? line.usage : `${line.usage} (${line.label})`;
    facts.push({ label, value: { kind: 'phone', number: line.number } });
  }
  const contact = card.contact;
  if (contact.email !== undefined) facts.push({ label: fieldLabels.email, value: { kind: 'email', address: contact.email } });
  pushText(facts, fieldLabels.jobTitle, contact.jobTitle);
  pushText(facts, fieldLabels.department, contact.department);
  pushText(facts, fieldLabels.company, contact.company);
  if (contact.businessPhone) facts.push({ label: fieldLabels.businessPhone, value: { kind: 'phone', number: contact.businessPhone } });
  if (contact.mobilePhone) facts.push({ label: fieldLabels.mobilePhone, value: { kind: 'phone', number: contact.mobilePhone } });
  pushText(facts, fieldLabels.address, contact.address);
  pushText(facts, fieldLabels.site, contact.site);
  if (card.chatUser) facts.push({ label: fieldLabels.chatUser, value: { kind: 'chatUser', user: card.chatUser } });

  const callable = card.numbers.map((line) => line.number).filter(hasE164);
  const actions: OutlineAction[] = callable.slice(0, MAX_CALL_ACTIONS).map(callAction);
  if (card.queue?.more) actions.push({ kind: 'command', label: phrases.showMore, command: card.queue.more });
  return {
    ...emptyOutline('plain', card.isYou ? `${card.name} (${phrases.you})` : card.name),
    paragraphs: present([card.about, card.note]),
    facts,
    ...(card.queue ? queueOutline(card.queue) : {}),
    actions,
  };
}

/** "Busy: takes no department calls · “In a meeting”" — the state, its qualifier, then what the person wrote. */
export function presenceText(presence: PresenceLine): string {
  const head = presence.detail === undefined ? presence.label : `${presence.label}: ${presence.detail}`;
  return presence.message === undefined ? head : `${head} · “${presence.message}”`;
}

function queueOutline(queue: QueueMembers): Pick<Outline, 'itemsTitle' | 'items'> {
  const last = queue.firstPosition + queue.items.length - 1;
  return {
    itemsTitle: phrases.queueMembersTitle(queue.firstPosition, last, queue.total),
    items: queue.items.map((member) => ({
      title: member.name ?? phrases.queueMemberUnnamed,
      details: present([
        member.extensionNumber === undefined ? undefined : phrases.extensionShort(member.extensionNumber),
        member.status,
        member.presence === undefined ? undefined : presenceText(member.presence),
      ]),
      ...(member.details ? { action: { kind: 'command' as const, label: phrases.details, command: member.details } } : {}),
    })),
  };
}

function outlineExtensionList(card: ExtensionListCard): Outline {
  const last = card.firstPosition + card.items.length - 1;
  return {
    ...emptyOutline('plain', phrases.listTitle(card.query)),
    subtitle: phrases.listRange(card.firstPosition, last, card.total),
    paragraphs: card.searched ? [phrases.searchedPart(card.searched)] : [],
    items: card.items.map((item) => ({
      title: item.name,
      details: present([
        item.extensionNumber === undefined ? undefined : phrases.extensionShort(item.extensionNumber),
        item.type,
        item.email,
        item.status,
      ]),
      ...(item.details ? { action: { kind: 'command' as const, label: phrases.details, command: item.details } } : {}),
    })),
    actions: card.more ? [{ kind: 'command', label: phrases.showMore, command: card.more }] : [],
  };
}

function outlineNumber(card: NumberCard): Outline {
  const title = card.dialledExtension === undefined ? card.number.display : `${card.number.display} ext. ${card.dialledExtension}`;
  const facts: OutlineFact[] = [];
  if (card.owner) {
    facts.push(textFact(fieldLabels.owner, card.owner.name));
    pushText(facts, fieldLabels.extensionNumber, card.owner.extensionNumber);
    facts.push(textFact(fieldLabels.ownerType, card.owner.type));
  }
  facts.push(textFact(fieldLabels.usage, card.usage));
  pushText(facts, fieldLabels.callType, card.callType);
  pushText(facts, fieldLabels.paymentType, card.paymentType);
  if (card.features !== undefined) {
    facts.push(textFact(fieldLabels.features, card.features.length === 0 ? phrases.none : card.features.join(', ')));
  }
  pushText(facts, fieldLabels.label, card.label);
  pushText(facts, fieldLabels.dialledExtension, card.dialledExtension);

  const actions: OutlineAction[] = [];
  if (hasE164(card.number)) actions.push(callAction(card.number));
  if (card.owner?.details) actions.push({ kind: 'command', label: phrases.showOwner(card.owner.name), command: card.owner.details });
  return {
    ...emptyOutline('plain', title),
    subtitle: card.owner === undefined ? card.usage : ownerText(card.owner),
    facts,
    actions,
  };
}

function outlineNumberList(card: NumberListCard): Outline {
  return {
    ...emptyOutline('plain', phrases.numbersInTextTitle),
    ...(card.answers.length === 0 ? {} : { subtitle: phrases.numbersInTextSubtitle(card.answers.length) }),
    paragraphs: card.answers.length === 0 ? [phrases.noNumbersInText] : [],
    items: card.answers.map(numberListItem),
    ...(card.more > 0 ? { footnote: phrases.numbersNotLookedUp(card.more, card.limit) } : {}),
  };
}

/** One number of a list, saying what /whois would say of it; a "not found" reads exactly as /whois's title. */
function numberListItem(answer: NumberListCard['answers'][number]): OutlineItem {
  switch (answer.kind) {
    case 'number': {
      const item: OutlineItem = {
        title: answer.dialledExtension === undefined ? answer.number.display : `${answer.number.display} ext. ${answer.dialledExtension}`,
        details: present([answer.owner === undefined ? undefined : ownerText(answer.owner), answer.usage, answer.label]),
      };
      const details = answer.owner?.details;
      return details === undefined ? item : { ...item, action: { kind: 'command', label: phrases.details, command: details } };
    }
    case 'extension':
      return {
        title: answer.name,
        details: present([answer.extensionNumber === undefined ? undefined : phrases.extensionShort(answer.extensionNumber), answer.type]),
      };
    case 'notice':
      return { title: answer.title, details: [] };
  }
}

function outlineForwarding(card: ForwardingCard): Outline {
  if (card.now !== undefined) return outlineCallsNow(card, card.now);
  return {
    ...emptyOutline('plain', phrases.forwardingTitle(card.owner)),
    subtitle: card.items.length === 0 ? undefined : phrases.forwardingSubtitle,
    paragraphs: card.items.length === 0 ? [phrases.forwardingEmpty] : [],
    items: forwardingItems(card),
  };
}

/** Where calls go now, then the forwarding list under its own heading. */
function outlineCallsNow(card: ForwardingCard, now: CallsNow): Outline {
  const words = callsNowWording;
  const labels = words.labels;
  const facts: OutlineFact[] = [];
  if (now.doNotDisturb !== undefined) facts.push(textFact(labels.doNotDisturb, now.doNotDisturb.words));
  pushText(facts, labels.businessHours, now.businessHours);
  facts.push(textFact(labels.handling, now.handling));
  now.steps.forEach((step, index) =>
    facts.push(textFact(words.stepLabel(index + 1, step.rings, step.together === true), step.targets.join(' · '))),
  );
  pushText(facts, labels.then, now.then);
  pushText(facts, labels.callerId, now.callerId);
  pushText(facts, labels.internalCallerId, now.internalCallerId);
  return {
    ...emptyOutline(now.doNotDisturb?.on === true ? 'warning' : 'plain', words.title),
    subtitle: `${words.ruleInForce(now.ruleName)} · ${now.ruleReason}`,
    paragraphs: [...(now.doNotDisturb?.on === true ? [words.dndOn] : []), ...(card.items.length === 0 ? [phrases.forwardingEmpty] : [])],
    facts,
    ...(card.items.length === 0 ? {} : { itemsTitle: words.itemsHeading }),
    items: forwardingItems(card),
  };
}

function forwardingItems(card: ForwardingCard): OutlineItem[] {
  return card.items.map((item) => ({
    title: item.label,
    details: present([
      item.number.display,
      item.features.length === 0 ? undefined : item.features.join(', '),
      item.flipNumber === undefined ? undefined : phrases.flipShortcut(item.flipNumber),
    ]),
  }));
}

function outlineLinkPrompt(card: LinkPromptCard, style: CommandStyle): Outline {
  const wording = linkPromptWording[card.reason];
  return {
    ...emptyOutline(card.reason === 'relink' ? 'warning' : 'info', wording.title),
    paragraphs: [wording.body],
    actions: [{ kind: 'openUrl', label: phrases.connect, url: card.url, primary: true }],
    // A welcome is read when the person gets round to it; by then its Connect button may have expired.
    ...(card.reason === 'welcome' ? { suggestions: [formatCommand({ name: 'link' }, style), formatCommand({ name: 'help' }, style)] } : {}),
  };
}

function outlineLinkedStatus(card: LinkedStatusCard, style: CommandStyle): Outline {
  const facts: OutlineFact[] = [textFact(fieldLabels.name, card.name)];
  pushText(facts, fieldLabels.extensionNumber, card.extensionNumber);
  if (card.email !== undefined) facts.push({ label: fieldLabels.email, value: { kind: 'email', address: card.email } });
  pushText(facts, fieldLabels.company, card.company);
  facts.push(textFact(fieldLabels.role, card.role));
  return {
    ...emptyOutline('success', phrases.linkedTitle),
    facts,
    suggestions: [formatCommand({ name: 'unlink' }, style)],
  };
}

function outlineHelp(card: HelpCard, style: CommandStyle): Outline {
  return {
    ...emptyOutline('plain', phrases.helpTitle),
    paragraphs: [phrases.helpIntro],
    items: card.topics.map((topic) => ({
      title: [commandHead(topic.command, style), topic.argumentHint].filter((part) => part !== '').join(' '),
      details: present([
        topic.description,
        topic.examples.length === 0
          ? undefined
          : `${phrases.examples}: ${topic.examples.map((example) => formatCommand(example, style)).join(' · ')}`,
      ]),
    })),
  };
}

function outlineNotice(card: NoticeCard, style: CommandStyle): Outline {
  return {
    ...emptyOutline(card.tone, card.title),
    paragraphs: card.body === undefined ? [] : [card.body],
    suggestions: (card.suggestions ?? []).map((command) => formatCommand(command, style)),
    examples: card.examples ?? [],
  };
}

function emptyOutline(tone: Outline['tone'], title: string): Outline {
  return { tone, title, paragraphs: [], facts: [], items: [], actions: [], suggestions: [], examples: [] };
}

function ownerText(owner: { name: string; extensionNumber?: string }): string {
  return owner.extensionNumber === undefined ? owner.name : `${owner.name} (${phrases.extensionShort(owner.extensionNumber)})`;
}

function textFact(label: string, text: string): OutlineFact {
  return { label, value: { kind: 'text', text } };
}

function pushText(facts: OutlineFact[], label: string, text: string | undefined): void {
  if (text !== undefined && text !== '') facts.push(textFact(label, text));
}

function callAction(number: PhoneNumberView & { e164: string }): OutlineAction {
  return { kind: 'call', label: phrases.call(number.display), number };
}

function hasE164(number: PhoneNumberView): number is PhoneNumberView & { e164: string } {
  return number.e164 !== undefined;
}

function present(parts: ReadonlyArray<string | undefined>): string[] {
  return parts.filter((part): part is string => part !== undefined && part !== '');
}

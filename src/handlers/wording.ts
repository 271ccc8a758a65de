/*
 * Every word a reply uses, in one place: RingCentral's codes in plain English, field labels, titles and messages.
 * The card builders and the card outline read from here; renderers add no wording of their own.
 */

/** RingCentral adds enumeration values between spec releases; an unknown one reads as its words ("NewThing" → "New thing"). */
export function wordsFor(table: Readonly<Record<string, string>>, code: string): string {
  if (Object.hasOwn(table, code)) return table[code] ?? code;
  const spaced = code.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1).toLowerCase();
}

export const extensionTypeWords: Readonly<Record<string, string>> = {
  User: 'User',
  FaxUser: 'Fax user',
  VirtualUser: 'Virtual user',
  DigitalUser: 'Digital user',
  Department: 'Department (call queue)',
  Announcement: 'Announcement only',
  Voicemail: 'Message only (voicemail)',
  SharedLinesGroup: 'Shared lines group',
  PagingOnly: 'Paging group',
  IvrMenu: 'Auto-receptionist menu (IVR)',
  ApplicationExtension: 'Application',
  ParkLocation: 'Park location',
  Bot: 'Bot',
  Room: 'Room',
  Limited: 'Limited extension',
  Site: 'Site',
  ProxyAdmin: 'Proxy administrator',
  DelegatedLinesGroup: 'Delegated lines group',
  GroupCallPickup: 'Group call pickup',
};

export const extensionStatusWords: Readonly<Record<string, string>> = {
  Enabled: 'Enabled',
  Disabled: 'Disabled',
  Frozen: 'Frozen',
  NotActivated: 'Not activated',
  Unassigned: 'Unassigned',
};

export const usageTypeWords: Readonly<Record<string, string>> = {
  MainCompanyNumber: 'Main company number',
  AdditionalCompanyNumber: 'Additional company number',
  CompanyNumber: 'Company number',
  DirectNumber: 'Direct number',
  CompanyFaxNumber: 'Company fax number',
  ForwardedNumber: 'Forwarded number',
  ForwardedCompanyNumber: 'Forwarded company number',
  ContactCenterNumber: 'Contact center number',
  ConferencingNumber: 'Conferencing number',
  MeetingsNumber: 'Meetings number',
  NumberPool: 'Number pool',
  BusinessMobileNumber: 'Business mobile number',
  ExternalMobileNumber: 'External mobile number',
  IntegrationNumber: 'Integration number',
  // Directory entries use their own usage types.
  MobileNumber: 'Mobile number',
  ContactNumber: 'Contact number',
};

/** The spec says VoiceFax; RingCentral's guide says VoiceAndFax. Both read the same. */
export const callTypeWords: Readonly<Record<string, string>> = {
  VoiceFax: 'Voice and fax',
  VoiceAndFax: 'Voice and fax',
  VoiceOnly: 'Voice only',
  FaxOnly: 'Fax only',
};

export const paymentTypeWords: Readonly<Record<string, string>> = {
  Local: 'Local',
  TollFree: 'Toll-free',
  External: 'External (another carrier)',
  BusinessMobileNumberProvider: 'Business mobile provider',
  ExternalNumberProvider: 'External number provider',
};

export const numberFeatureWords: Readonly<Record<string, string>> = {
  CallerId: 'Caller ID',
  SmsSender: 'SMS sender',
  A2PSmsSender: 'Business SMS sender (A2P)',
  MmsSender: 'MMS sender',
  InternationalSmsSender: 'International SMS sender',
  Delegated: 'Delegated',
};

export const forwardingFeatureWords: Readonly<Record<string, string>> = {
  CallForwarding: 'Call forwarding',
  CallFlip: 'Call flip',
};

export const forwardingTypeWords: Readonly<Record<string, string>> = {
  Home: 'Home',
  Mobile: 'Mobile',
  Work: 'Work',
  PhoneLine: 'Phone line',
  Outage: 'Outage',
  Other: 'Other',
  BusinessMobilePhone: 'Business mobile phone',
  ExternalCarrier: 'External carrier',
};

/** Presence, judged in this order: do-not-disturb, a call in progress, then the aggregated status. */
export const presenceWords = {
  available: 'Available',
  busy: 'Busy',
  doNotDisturb: 'Do not disturb',
  offline: 'Offline',
  notShared: 'Not shared',
  telephony: {
    CallConnected: 'On a call',
    OnHold: 'On a call (on hold)',
    ParkedCall: 'On a call (parked)',
    Ringing: 'Phone ringing',
  } as Readonly<Record<string, string>>,
  dnd: {
    DoNotAcceptDepartmentCalls: 'takes no department calls',
    TakeDepartmentCallsOnly: 'takes department calls only',
  } as Readonly<Record<string, string>>,
} as const;

/** What RingCentral's Account API guide says each kind of group is for, in our words; its card says it. */
export const extensionTypeAbout: Readonly<Record<string, string>> = {
  Department: 'A call queue: calls to it are shared out among its members.',
  SharedLinesGroup: 'Calls to its number ring several phones at once; whoever answers can hand the call on to another phone of the group.',
  PagingOnly: 'A paging group: calling it makes a live announcement on its desk phones and overhead paging devices.',
  ParkLocation: 'A park location: a call parked here can be picked up only by the people given access to it.',
  Announcement: 'Plays a recorded announcement to every caller.',
  Voicemail: 'Takes messages only: every call goes to its voicemail.',
  IvrMenu: 'An auto-receptionist menu: callers hear a greeting and choose where to go.',
};

export const roleWords = { admin: 'Administrator', standard: 'Standard user' } as const;

export const fieldLabels = {
  extensionNumber: 'Extension',
  type: 'Type',
  status: 'Status',
  email: 'Email',
  jobTitle: 'Job title',
  department: 'Department',
  company: 'Company',
  businessPhone: 'Business phone',
  mobilePhone: 'Mobile phone',
  address: 'Address',
  site: 'Site',
  chatUser: 'In chat',
  owner: 'Belongs to',
  ownerType: 'Owner type',
  usage: 'Used as',
  callType: 'Calls',
  paymentType: 'Number type',
  features: 'Features',
  label: 'Label',
  dialledExtension: 'Extension dialled',
  name: 'Name',
  role: 'Role',
  flipNumber: 'Flip shortcut',
  presence: 'Presence',
} as const;

export const phrases = {
  you: 'you',
  none: 'None',
  unnamed: 'Unnamed extension',
  extensionShort: (extensionNumber: string) => `Ext. ${extensionNumber}`,
  call: (display: string) => `Call ${display}`,
  details: 'Details',
  showMore: 'Show more',
  showOwner: (name: string) => `Show ${name}`,
  connect: 'Connect RingCentral',
  listTitle: (query: string) => `Extensions matching “${query}”`,
  listRange: (first: number, last: number, total: number | undefined) =>
    total === undefined ? `Showing ${first}–${last}` : `Showing ${first}–${last} of ${total}`,
  searchedPart: (part: SearchedPart) => `${partOfSearch(part)} These are the matches among them. ${narrowOrWait}`,
  forwardingTitle: (owner: string | undefined) => (owner === undefined ? 'Your forwarding numbers' : `Forwarding numbers of ${owner}`),
  forwardingSubtitle: 'In call flip order',
  forwardingEmpty: 'No forwarding or call flip numbers are set up.',
  flipShortcut: (flipNumber: string) => `Flip shortcut ${flipNumber}`,
  linkedTitle: 'Linked to RingCentral',
  helpTitle: 'Switchboard',
  helpIntro:
    'Switchboard looks things up in your company’s RingCentral directory using your own RingCentral login, so you see what RingCentral lets you see.',
  examples: 'Examples',
  tryThis: 'Try',
  moreNotShown: (count: number) => `…and ${count} more not shown here.`,
  queueMembersTitle: (first: number, last: number, total: number) =>
    total === 0 ? 'Members: none' : `Members ${first}–${last} of ${total}`,
  queueMemberUnnamed: 'Not in the directory',
  numbersInTextTitle: 'Phone numbers in this message',
  numbersInTextSubtitle: (count: number) =>
    count === 1 ? '1 number, as your RingCentral login sees it' : `${count} numbers, as your RingCentral login sees them`,
  noNumbersInText: 'No phone numbers found in this message.',
  directoryCardNote: ({ limit, windowSeconds, retryAfterSeconds }: { limit: number; windowSeconds: number; retryAfterSeconds: number }) =>
    `From the company directory: you've made many lookups in ${describeWindow(windowSeconds)} (RingCentral allows ${limit}), ` +
    `so this is the directory's entry, without presence, and "User" for every kind of user. ` +
    `Ask again in ${describeWait(retryAfterSeconds)} for the full card.`,
  numbersNotLookedUp: (count: number, limit: number) =>
    `…and ${count === 1 ? '1 more number' : `${count} more numbers`}, not looked up: at most ${limit} at a time.`,
} as const;

export const linkPromptWording = {
  'not-linked': {
    title: 'Connect your RingCentral account',
    body: 'Switchboard answers with your own RingCentral login, so it sees only what you may see. Connect once and try again.',
  },
  relink: {
    title: 'Please reconnect RingCentral',
    body: 'Your RingCentral login has expired or was signed out. Connect again and repeat your request.',
  },
  requested: {
    title: 'Connect RingCentral',
    body: 'Open the link below and sign in to RingCentral. The link is yours alone; do not share it.',
  },
  welcome: {
    title: 'Hi, I’m Switchboard',
    body: 'I tell you who is behind a RingCentral extension or phone number, and where your calls forward. I answer with your own RingCentral login, so you see only what RingCentral lets you see. Connect it once to start; the button works for 10 minutes, and link gives you a new one.',
  },
} as const;

export const helpWording = {
  ext: {
    argumentHint: '[number | name | email | @person]',
    description: 'Shows an extension: who it is, its numbers and contact details. With nothing after it, or “me”, shows your own.',
  },
  whois: {
    argumentHint: '<phone number>',
    description: 'Shows who or what in your company owns a phone number, in any common format.',
  },
  myforwarding: {
    argumentHint: '',
    description:
      'Where your calls go now: do not disturb, the answering rule in force and what rings, your caller ID, and your forwarding and call flip numbers.',
  },
  company: {
    argumentHint: '',
    description: 'Shows your company’s main number, service plan and operator; administrators also see counts and unassigned numbers.',
  },
  link: { argumentHint: '', description: 'Connects your RingCentral login.' },
  unlink: { argumentHint: '', description: 'Signs Switchboard out of RingCentral and forgets your login.' },
  status: { argumentHint: '', description: 'Shows who you are linked as.' },
  confirm: {
    argumentHint: '<code>',
    description: 'Finishes a link when the RingCentral sign-in page showed a code. Never give that code to anyone.',
  },
  help: { argumentHint: '', description: 'Shows this help.' },
} as const;

export const noticeWording = {
  noMatch: {
    title: (query: string) => `Nothing found for “${query}”`,
    body: 'No extension in your company directory matches. Check the spelling, try part of the name, the extension number or the email address.',
  },
  // A name search while the directory is indexed, in part of what RingCentral found: not "nothing matches".
  noMatchInPart: {
    title: (query: string) => `Nothing found yet for “${query}”`,
    body: (part: SearchedPart) => `${partOfSearch(part)} None of them matches. ${narrowOrWait}`,
  },
  noExtensionNumber: {
    title: (extensionNumber: string) => `No extension ${extensionNumber}`,
    body: 'Your company directory has no extension with that number. Check the number, or try the person’s name or email address.',
  },
  numberNotFound: {
    title: (display: string) => `${display} is not in your company directory`,
    body: 'It is not one of your company’s numbers, or your RingCentral role cannot see who owns it.',
  },
  numberNotFoundYet: {
    title: (display: string) => `${display} is not in your company directory`,
    body: ({ pagesRead, totalPages, secondsLeft }: { pagesRead: number; totalPages: number; secondsLeft: number }) =>
      `Switchboard is still reading your company’s full number list, for the numbers the directory leaves out ` +
      `(${pagesRead} of ${totalPages} pages; RingCentral allows only a few a minute). ` +
      `Ask again in ${describeWait(secondsLeft)} to check those too.`,
  },
  noChatEmail: {
    title: 'That person has no email in chat',
    body: 'Switchboard finds people by the email of their chat profile, and this profile shows none. Try their name or extension number.',
  },
  noExtensionForChatUser: {
    title: (name: string) => `No extension found for ${name}`,
    body: 'No extension in your company directory has the same email as their chat profile. Try their name or extension number.',
  },
  notAPerson: {
    title: 'That is not one person',
    body: 'Mention one person, or give a name, an extension number or an email address.',
  },
  noSearchTerms: {
    title: 'Nothing to search for',
    body: 'Give a name, an extension number or an email address.',
  },
  tooLong: {
    title: 'That is too long',
    body: (limit: number) => `Keep it under ${limit} characters: a name, a number or an email is enough.`,
  },
  unknownCommand: {
    title: (word: string) => `I don’t know “${word}”`,
    body: 'Here is what I can do.',
  },
  notFound: {
    title: 'Not found',
    body: 'RingCentral has no such record in your company directory, or it is no longer there.',
  },
  notPermitted: {
    title: 'Your RingCentral role cannot see that',
    body: 'RingCentral did not allow your login to read this. An administrator of your RingCentral account can grant the permission.',
  },
  noForwardingFeature: {
    title: 'Your extension has no call forwarding',
    body: 'RingCentral offers forwarding and call flip numbers only to extensions that take calls, and yours does not.',
  },
  // Only for a real 429 (or the penalty one started): RingCentral did ask.
  rateLimited: {
    title: 'RingCentral is busy',
    body: (seconds: number) => `RingCentral asked us to slow down. Please try again in ${describeWait(seconds)}.`,
  },
  // Switchboard's own pacing, with no 429: RingCentral asked nothing, so it is not said to have.
  heldBack: {
    title: 'Too many lookups',
    body: ({ limit, windowSeconds, retryAfterSeconds }: { limit: number; windowSeconds: number; retryAfterSeconds: number }) =>
      `You've made many lookups in ${describeWindow(windowSeconds)}; RingCentral allows ${limit}. ` +
      `Try again in ${Math.max(1, Math.ceil(retryAfterSeconds))} s.`,
  },
  unavailable: {
    title: 'RingCentral is unreachable',
    body: 'RingCentral did not answer in time. Please try again in a minute.',
  },
  storageUnavailable: {
    title: 'Switchboard is briefly unavailable',
    body: 'Switchboard’s storage is briefly unavailable. Please try again in a moment.',
  },
  unexpected: {
    title: 'Something went wrong',
    body: 'Switchboard could not complete that. Please try again; if it keeps happening, tell your Slack or Teams administrator.',
  },
  unlinked: {
    title: 'Disconnected from RingCentral',
    body: 'Switchboard signed out of RingCentral and forgot your login.',
    // The tokens are gone from here either way; only RingCentral's end of the session could not be closed.
    bodyWithoutRevoke:
      'Switchboard forgot your login. RingCentral could not be reached to end the session there; it ends by itself when it expires.',
  },
  notLinked: {
    title: 'You are not linked',
    body: 'Switchboard has no RingCentral login for you.',
  },
  linked: {
    title: 'Connected to RingCentral',
    body: (who: string, unlink: string) => `Linked as ${who}. Not you? ${unlink}`,
  },
  confirmWhichCode: {
    title: 'Which code?',
    body: (example: string) => `Type the six-digit code the RingCentral sign-in page showed, like this: ${example}`,
  },
  confirmNotACode: {
    title: 'That is not a code',
    body: (example: string) => `The code is the six digits the RingCentral sign-in page showed. Type it like this: ${example}`,
  },
  confirmNothingPending: {
    title: 'Nothing to confirm',
    body: (link: string) => `No sign-in is waiting for a code from you. To connect your RingCentral login, type ${link}`,
  },
  confirmWrongCode: {
    title: 'That code is not right',
    body: (triesLeft: number) =>
      `Check the code on the sign-in page and type it again. ${triesLeft === 1 ? 'One more try' : `${triesLeft} more tries`} before the sign-in is discarded.`,
  },
  confirmExpired: {
    title: 'That code has expired',
    body: (link: string) => `A code works for 10 minutes, and that sign-in was discarded. To connect again, type ${link}`,
  },
  confirmTooManyTries: {
    title: 'Too many wrong codes',
    body: (link: string) => `That sign-in was discarded. To connect again, type ${link}`,
  },
  answeredPrivately: {
    title: 'I sent you the answer in a private chat',
    body: 'Switchboard answers with your own RingCentral login, so only you see what it finds.',
  },
  askPrivately: {
    title: 'Ask me in a private chat',
    body: 'Switchboard answers with your own RingCentral login, so only you may see what it finds. Open a chat with Switchboard and ask there.',
  },
  welcomeLinked: {
    title: 'Hi, I’m Switchboard',
    body: (name: string) =>
      `You are already connected to RingCentral as ${name}. Ask me who is behind an extension or a phone number, or where your calls forward.`,
  },
  stillLooking: {
    title: 'Still looking these numbers up',
    body: 'RingCentral is taking longer than Teams waits for an answer. Choose Look up phone numbers on the message again in a few seconds: the answer will be ready then.',
  },
  welcomeShared: {
    title: 'Hi, I’m Switchboard',
    body: 'Mention me with an extension or a phone number (ext 101, whois +1 650 331 6252), or choose “Look up phone numbers” on any message. I answer each person privately, with their own RingCentral login.',
  },
} as const;

export const phoneProblemWording: Readonly<Record<string, { title: string; body: string }>> = {
  empty: { title: 'Which number?', body: 'Give a phone number in any common format.' },
  tooLong: { title: 'That is too long', body: 'Give one phone number.' },
  notANumber: { title: 'That does not look like a phone number', body: 'Give a phone number in any common format.' },
  tooShort: { title: 'That number is too short', body: 'Include the area code, or the country code for numbers abroad.' },
  tooManyDigits: { title: 'That number has too many digits', body: 'Check the number and try again.' },
  needsCountryCode: { title: 'Which country?', body: 'Start the number with + and its country code.' },
  unknownCountryCode: { title: 'Unknown country code', body: 'Check the digits after the +.' },
};

/** Example queries shown with an invalid phone number. */
export const phoneExamples = ['+1 650 331 6252', '(650) 331-6252', '+44 20 7946 0958', '101'] as const;
export const extExamples = ['101', 'john smith', 'john.smith@mycompany.com'] as const;

/**
 * A directory search read in part: the word searched, how many entries were read, and how many hold it. Declared
 * beside the sentences that say it, as the card model (cards.ts, which carries it) depends on this module.
 */
export interface SearchedPart {
  word: string;
  read: number;
  found: number;
}

/** What a name search read while the directory is indexed: said over a list of matches and over "nothing found yet". */
function partOfSearch({ word, read, found }: SearchedPart): string {
  return (
    `Switchboard searched the first ${grouped(read)} of the ${grouped(found)} directory entries holding “${word}”: ` +
    `more than it reads at once while it indexes your company’s directory.`
  );
}

const narrowOrWait = 'Add more of the name to narrow it down, or ask again in a few minutes, once every entry is indexed.';

/** 98,342 rather than 98342. */
function grouped(count: number): string {
  return count.toLocaleString('en-US');
}

function describeWindow(seconds: number): string {
  if (seconds === 60) return 'a minute';
  return seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} seconds`;
}

function describeWait(seconds: number): string {
  const whole = Math.max(1, Math.ceil(seconds));
  if (whole < 60) return whole === 1 ? '1 second' : `${whole} seconds`;
  const minutes = Math.ceil(whole / 60);
  return minutes === 1 ? 'a minute' : `${minutes} minutes`;
}

/** Where calls go now: /myforwarding's answer beyond the forwarding list. */
export const callsNowWording = {
  title: 'Where your calls go now',
  ruleInForce: (ruleName: string) => `${ruleName} rule in force`,
  businessHoursRule: 'Business hours',
  afterHoursRule: 'After hours',
  localTime: (day: string, time: string, timeZone: string) => `${day} ${time} in ${timeZone}`,
  aroundTheClock: 'business hours around the clock',
  unknownTimeZone: (timeZone: string) => `the time in ${timeZone} could not be told, so this shows the business-hours rule`,
  dndOn: 'Do not disturb is on: your phones do not ring and callers go straight to voicemail.',
  itemsHeading: 'Forwarding and call flip numbers, in call flip order',
  labels: {
    doNotDisturb: 'Do not disturb',
    businessHours: 'Business hours',
    handling: 'Calls',
    then: 'Then',
    callerId: 'Caller ID',
    internalCallerId: 'Internal calls show',
  },
  /** "1st · 4 rings", "2nd, all at once · 5 rings". */
  stepLabel: (position: number, rings: number | undefined, together: boolean) => {
    const head = together ? `${ordinal(position)}, all at once` : ordinal(position);
    return rings === undefined ? head : `${head} · ${rings === 1 ? '1 ring' : `${rings} rings`}`;
  },
  softphones: 'RingCentral app and softphones',
  voicemail: 'Voicemail',
  noVoicemail: 'The call ends unanswered',
  forwardedTo: (number: string) => `Forwarded to ${number}, without ringing you`,
  extensionShows: (extensionNumber: string) => `Your extension number (${extensionNumber})`,
  nameShown: 'with your name',
  blocked: 'Blocked',
} as const;

export const dndWords: Readonly<Record<string, string>> = {
  TakeAllCalls: 'Off',
  DoNotAcceptAnyCalls: 'On: no calls ring',
  DoNotAcceptDepartmentCalls: 'Off for your calls; call-queue calls are not sent to you',
  TakeDepartmentCallsOnly: 'On for your own calls; only call-queue calls ring',
};

export const callHandlingWords: Readonly<Record<string, string>> = {
  ForwardCallsSequentially: 'Ring your phones one after another',
  ForwardCallsSimultaneously: 'Ring your forwarding numbers all at once',
  UnconditionalForwarding: 'Forwarded without ringing you',
  TakeMessagesOnly: 'Straight to voicemail',
  PlayAnnouncementOnly: 'Callers hear an announcement, then the call ends',
  TransferToExtension: 'Transferred to another extension',
  AgentQueue: 'Sent to the call queue',
  SharedLines: 'Rings the shared lines',
};

export const callerIdFeatureWords: Readonly<Record<string, string>> = {
  RingOut: 'RingOut',
  RingMe: 'RingMe',
  CallFlip: 'call flip',
  FaxNumber: 'fax',
  AdditionalSoftphone: 'additional softphone',
  Alternate: 'alternate',
  CommonPhone: 'common phone',
  MobileApp: 'RingCentral app',
  Delegated: 'delegated calls',
};

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

import type { ResponseMessage } from '../../src/demo/local-slack.ts';
import type { Seed } from '../../src/sandbox/seed.ts';
import { fieldsOf, titleOf } from '../support/slack-stack.ts';

/** What the production tests need from a generated company: who asks, and whom they can look up. */
export interface Person {
  extensionNumber: string;
  extensionId: string;
  directNumber: string | undefined;
  forwardingNumbers: number;
}

/** Enabled, listed, non-administrator people, in extension-number order: requesters and lookup targets alike. */
export function standardPeople(seed: Seed): Person[] {
  const direct = new Map<string, string>();
  for (const number of seed.phoneNumbers) {
    if (number.usageType === 'DirectNumber' && number.extensionNumber !== undefined) direct.set(number.extensionNumber, number.phoneNumber);
  }
  const forwarding = new Map<string, number>();
  for (const number of seed.forwardingNumbers) {
    forwarding.set(number.extensionNumber, (forwarding.get(number.extensionNumber) ?? 0) + 1);
  }
  return seed.extensions
    .filter((extension) => extension.type === 'User' && extension.status === 'Enabled' && !extension.hidden && !extension.admin)
    .filter((extension) => extension.contact?.email !== undefined)
    .map((extension) => ({
      extensionNumber: extension.extensionNumber,
      extensionId: String(extension.id),
      directNumber: direct.get(extension.extensionNumber),
      forwardingNumbers: forwarding.get(extension.extensionNumber) ?? 0,
    }));
}

/** A Slack user id of the local workspace for an extension ("U1042"). */
export function slackUserOf(person: Person): string {
  return `U${person.extensionNumber}`;
}

/** The one command line and the check that its answer is the lookup it asked for (not a notice, not someone else). */
export interface Lookup {
  line: string;
  answered(message: ResponseMessage): boolean;
}

export function extLookup(target: Person): Lookup {
  return {
    line: `/ext ${target.extensionNumber}`,
    answered: (message) => fieldsOf(message).some(([label, value]) => label === 'Extension' && value === target.extensionNumber),
  };
}

export function whoisLookup(target: Person): Lookup {
  if (target.directNumber === undefined) throw new Error(`ext. ${target.extensionNumber} has no direct number`);
  return {
    line: `/whois ${target.directNumber}`,
    answered: (message) => fieldsOf(message).some(([label, value]) => label === 'Extension' && value === target.extensionNumber),
  };
}

export const myForwarding: Lookup = {
  line: '/myforwarding',
  answered: (message) => titleOf(message) === 'Where your calls go now',
};

/** Summarises answers that are not what was asked, for a failure message. */
export function describeUnanswered(results: { lookup: Lookup; message: ResponseMessage }[]): string[] {
  return results
    .filter(({ lookup, message }) => !lookup.answered(message))
    .map(({ lookup, message }) => `${lookup.line} → ${titleOf(message) || message.text}`);
}

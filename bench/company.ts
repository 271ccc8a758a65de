import type { Seed, SeedExtension } from '../src/sandbox/seed.ts';
import { inDirectory, isAdministrator, signInVerdict } from '../src/sandbox/rules.ts';

/**
 * What the load generator may ask about in a generated company, read from the sandbox's data with the sandbox's own
 * rules: who can sign in (and has a chat user), which extension numbers, names and direct numbers the directory lists.
 */
export interface Person {
  /** RingCentral's id of the extension: the sandbox counts each person's calls under it. */
  extensionId: string;
  extensionNumber: string;
  /** The demo stack's Slack user for this extension. */
  slackUserId: string;
  admin: boolean;
}

export interface Company {
  extensions: number;
  /** People who can sign in, in extension order. */
  people: readonly Person[];
  /** Numbers of extensions the directory lists. */
  extensionNumbers: readonly string[];
  /** "First Last" of a person nobody else in the directory shares the name with: `/ext <name>` finds one card. */
  uniqueNames: readonly string[];
  /** DirectNumbers of extensions the directory lists. */
  directNumbers: readonly string[];
  /** Extension numbers of the enabled call queues (Departments) that have members. */
  queues: readonly string[];
}

export function describeCompany(seed: Seed): Company {
  const listed = seed.extensions.filter(inDirectory);
  const listedNumbers = new Set(listed.map((extension) => extension.extensionNumber));
  const nameCounts = new Map<string, number>();
  for (const extension of listed) {
    const name = fullName(extension);
    if (name !== undefined) nameCounts.set(name, (nameCounts.get(name) ?? 0) + 1);
  }
  return {
    extensions: seed.extensions.length,
    people: seed.extensions
      .filter(
        (extension) =>
          signInVerdict(extension) === 'allowed' && extension.contact?.email !== undefined && extension.extensionNumber !== undefined,
      )
      .map((extension) => ({
        extensionId: String(extension.id),
        extensionNumber: extension.extensionNumber!,
        slackUserId: `U${extension.extensionNumber}`,
        admin: isAdministrator(extension),
      })),
    extensionNumbers: listed.flatMap((extension) => (extension.extensionNumber === undefined ? [] : [extension.extensionNumber])),
    uniqueNames: [...nameCounts].filter(([, count]) => count === 1).map(([name]) => name),
    directNumbers: seed.phoneNumbers
      .filter(
        (number) =>
          number.usageType === 'DirectNumber' && number.extensionNumber !== undefined && listedNumbers.has(number.extensionNumber),
      )
      .map((number) => number.phoneNumber),
    queues: listed
      .filter((extension) => extension.type === 'Department' && extension.status === 'Enabled' && (extension.members?.length ?? 0) > 0)
      .map((extension) => extension.extensionNumber),
  };
}

function fullName(extension: SeedExtension): string | undefined {
  const { firstName, lastName } = extension.contact ?? {};
  return firstName === undefined || lastName === undefined ? undefined : `${firstName} ${lastName}`;
}

/** The i-th item of a list, wrapping around, spread by a stride so neighbours are not asked one after another. */
export function spread<T>(items: readonly T[], index: number, stride = 7919): T {
  if (items.length === 0) throw new Error('nothing to pick from');
  return items[(index * stride) % items.length]!;
}

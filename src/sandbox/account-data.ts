import type { SeedCallHandling } from './call-handling.ts';
import { defaultPresence } from './seed.ts';
import type { Seed, SeedApp, SeedExtension, SeedForwardingNumber, SeedPhoneNumber, SeedPresence, UsageType } from './seed.ts';

/** Company-level numbers a user may use on the company's behalf; RingCentral lists them among a user's numbers. */
const companyUsageTypes: ReadonlySet<UsageType> = new Set([
  'MainCompanyNumber',
  'AdditionalCompanyNumber',
  'CompanyNumber',
  'CompanyFaxNumber',
]);

export const userLikeTypes: ReadonlySet<SeedExtension['type']> = new Set(['User', 'DigitalUser', 'VirtualUser', 'FaxUser']);

/** A seed indexed for lookups, so that no request scans the company where a map will do. */
export class AccountData {
  readonly account: Seed['account'];
  readonly extensions: readonly SeedExtension[];
  readonly phoneNumbers: readonly SeedPhoneNumber[];
  readonly operator: SeedExtension | undefined;
  private readonly byId = new Map<number, SeedExtension>();
  private readonly byNumber = new Map<string, SeedExtension>();
  private readonly byEmail = new Map<string, SeedExtension>();
  private readonly numbersByExtension = new Map<number, SeedPhoneNumber[]>();
  private readonly companyNumbers: SeedPhoneNumber[];
  private readonly forwardingByExtension = new Map<number, SeedForwardingNumber[]>();
  private readonly apps = new Map<string, SeedApp>();
  /** Presence changes while the sandbox runs (the control API); the seed keeps its starting state. */
  private readonly presence = new Map<number, SeedPresence>();
  private readonly callHandlingByExtension = new Map<number, SeedCallHandling>();

  constructor(readonly seed: Seed) {
    this.account = seed.account;
    this.extensions = seed.extensions;
    this.phoneNumbers = seed.phoneNumbers;
    for (const extension of seed.extensions) {
      this.byId.set(extension.id, extension);
      this.byNumber.set(extension.extensionNumber, extension);
      if (extension.contact.email) this.byEmail.set(extension.contact.email.toLowerCase(), extension);
    }
    for (const number of seed.phoneNumbers) {
      const owner = number.extensionNumber === undefined ? undefined : this.byNumber.get(number.extensionNumber);
      if (owner) push(this.numbersByExtension, owner.id, number);
    }
    this.companyNumbers = seed.phoneNumbers.filter((n) => companyUsageTypes.has(n.usageType));
    for (const forwarding of seed.forwardingNumbers) {
      const owner = this.byNumber.get(forwarding.extensionNumber);
      if (owner) push(this.forwardingByExtension, owner.id, forwarding);
    }
    for (const app of seed.apps) this.apps.set(app.clientId, app);
    for (const extension of seed.extensions) if (extension.presence) this.presence.set(extension.id, { ...extension.presence });
    for (const handling of seed.callHandling) {
      const owner = this.byNumber.get(handling.extensionNumber);
      if (owner) this.callHandlingByExtension.set(owner.id, handling);
    }
    // The guide: "the ID of a system extension is always the same as the ID of account itself".
    this.operator = this.byId.get(seed.account.id) ?? seed.extensions.find((e) => e.admin);
  }

  extensionById(id: number): SeedExtension | undefined {
    return this.byId.get(id);
  }

  extensionByNumber(extensionNumber: string): SeedExtension | undefined {
    return this.byNumber.get(extensionNumber);
  }

  extensionByEmail(email: string): SeedExtension | undefined {
    return this.byEmail.get(email.toLowerCase());
  }

  ownerOf(number: SeedPhoneNumber): SeedExtension | undefined {
    return number.extensionNumber === undefined ? undefined : this.byNumber.get(number.extensionNumber);
  }

  /** The extension's own numbers, then (for users) the company numbers it may use, as RingCentral lists them. */
  phoneNumbersOf(extension: SeedExtension): SeedPhoneNumber[] {
    const own = this.numbersByExtension.get(extension.id) ?? [];
    if (!userLikeTypes.has(extension.type)) return own;
    const ownIds = new Set(own.map((n) => n.id));
    return [...this.companyNumbers.filter((n) => !ownIds.has(n.id)), ...own];
  }

  /** Only numbers mapped to the extension itself (no company numbers). */
  mappedNumbersOf(extension: SeedExtension): readonly SeedPhoneNumber[] {
    return this.numbersByExtension.get(extension.id) ?? [];
  }

  forwardingNumbersOf(extension: SeedExtension): readonly SeedForwardingNumber[] {
    return this.forwardingByExtension.get(extension.id) ?? [];
  }

  /** What the seed says of the extension's call handling; undefined means the sandbox's defaults. */
  callHandlingOf(extension: SeedExtension): SeedCallHandling | undefined {
    return this.callHandlingByExtension.get(extension.id);
  }

  phoneNumberByE164(phoneNumber: string): SeedPhoneNumber | undefined {
    return this.phoneNumbers.find((n) => n.phoneNumber === phoneNumber);
  }

  presenceOf(extension: SeedExtension): SeedPresence {
    return this.presence.get(extension.id) ?? defaultPresence;
  }

  setPresence(extension: SeedExtension, change: Partial<SeedPresence>): SeedPresence {
    const next = { ...this.presenceOf(extension), ...change };
    this.presence.set(extension.id, next);
    return next;
  }

  /** A Department's members that still exist, in seed order. */
  queueMembersOf(extension: SeedExtension): SeedExtension[] {
    return (extension.members ?? []).flatMap((number) => listOf(this.byNumber.get(number)));
  }

  app(clientId: string): SeedApp | undefined {
    return this.apps.get(clientId);
  }

  get appList(): readonly SeedApp[] {
    return [...this.apps.values()];
  }

  /** Registers one more app (the CLI's --client-id); replaces an app with the same client id. */
  addApp(app: SeedApp): void {
    this.apps.set(app.clientId, app);
  }
}

function listOf<T>(item: T | undefined): T[] {
  return item === undefined ? [] : [item];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

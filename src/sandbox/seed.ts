import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { SeedCallHandling } from './call-handling.ts';

/**
 * The seed file: everything the sandbox knows about one RingCentral account. Enum values use the spec's names
 * (ringcentral-openapi.json), not the guide's where they differ ("VoiceFax", not "VoiceAndFax"; "Announcement",
 * not "AnnouncementOnly"; "Voicemail" for TakeMessageOnly; "PagingOnly" for PagingOnlyGroup).
 */

export const ExtensionType = z.enum([
  'User',
  'FaxUser',
  'VirtualUser',
  'DigitalUser',
  'Department',
  'Announcement',
  'Voicemail',
  'SharedLinesGroup',
  'PagingOnly',
  'IvrMenu',
  'ApplicationExtension',
  'ParkLocation',
  'Limited',
]);
export type ExtensionType = z.infer<typeof ExtensionType>;

export const ExtensionStatus = z.enum(['Enabled', 'Disabled', 'NotActivated', 'Frozen', 'Unassigned']);
export type ExtensionStatus = z.infer<typeof ExtensionStatus>;

export const PaymentType = z.enum(['External', 'TollFree', 'Local', 'BusinessMobileNumberProvider', 'ExternalNumberProvider']);
export const PhoneNumberType = z.enum(['VoiceFax', 'VoiceOnly', 'FaxOnly']);
export const UsageType = z.enum([
  'MainCompanyNumber',
  'AdditionalCompanyNumber',
  'CompanyNumber',
  'DirectNumber',
  'CompanyFaxNumber',
  'ForwardedNumber',
  'ForwardedCompanyNumber',
  'ContactCenterNumber',
  'ConferencingNumber',
  'MeetingsNumber',
  'NumberPool',
  'BusinessMobileNumber',
  'ExternalMobileNumber',
]);
export type UsageType = z.infer<typeof UsageType>;
export const PhoneNumberFeature = z.enum(['CallerId', 'SmsSender', 'A2PSmsSender', 'MmsSender', 'InternationalSmsSender', 'Delegated']);
export const PhoneNumberStatus = z.enum(['Normal', 'Pending', 'PortedIn', 'Temporary']);

export const ForwardingFeature = z.enum(['CallFlip', 'CallForwarding']);
export const ForwardingType = z.enum(['Home', 'Mobile', 'Work', 'PhoneLine', 'Outage', 'Other', 'BusinessMobilePhone', 'ExternalCarrier']);

/** App permissions as RingCentral names them; only the Account API's chain matters here. */
export const AppPermission = z.enum([
  'ReadAccounts',
  'EditExtensions',
  'EditAccounts',
  'Accounts',
  'ReadPresence',
  'ReadCallLog',
  'SMS',
  'RingOut',
]);
export type AppPermission = z.infer<typeof AppPermission>;

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be E.164 with a leading "+"');
const numericId = z.number().int().positive();

export const SeedAccount = z.object({
  id: numericId,
  companyName: z.string().min(1),
  mainNumber: e164,
  status: z.enum(['Initial', 'Confirmed', 'Unconfirmed', 'Disabled']).default('Confirmed'),
  bsid: z.string().optional(),
  brand: z.object({ id: z.string(), name: z.string() }).default({ id: '1210', name: 'RingCentral Inc.' }),
  servicePlan: z.object({ id: z.string(), name: z.string(), edition: z.string().optional() }).default({ id: '1216', name: 'Professional' }),
  billingPlan: z
    .object({
      id: z.string(),
      name: z.string(),
      durationUnit: z.enum(['Day', 'Month', 'Year']),
      duration: z.number().int(),
      type: z.enum(['Initial', 'Regular', 'Suspended', 'Trial', 'TrialNoCC', 'Free']),
    })
    .optional(),
  homeCountry: z
    .object({ id: z.string(), name: z.string(), isoCode: z.string(), callingCode: z.string() })
    .default({ id: '1', name: 'United States', isoCode: 'US', callingCode: '1' }),
  timezone: z.object({ id: z.string(), name: z.string() }).default({ id: '58', name: 'US/Pacific' }),
  /** readAccountBusinessAddress; the company name there is `companyName`. */
  businessAddress: z
    .object({
      country: z.string().optional(),
      state: z.string().optional(),
      city: z.string().optional(),
      street: z.string().optional(),
      zip: z.string().optional(),
    })
    .optional(),
  email: z.string().optional(),
  /** Features readAccountServiceInfo reports as enabled; any other feature it lists is reported disabled. */
  enabledFeatures: z.array(z.string()).optional(),
});
export type SeedAccount = z.infer<typeof SeedAccount>;

export const SeedContact = z.object({
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  company: z.string().optional(),
  jobTitle: z.string().optional(),
  department: z.string().optional(),
  email: z.string().optional(),
  businessPhone: z.string().optional(),
  mobilePhone: z.string().optional(),
  businessAddress: z
    .object({
      country: z.string().optional(),
      state: z.string().optional(),
      city: z.string().optional(),
      street: z.string().optional(),
      zip: z.string().optional(),
    })
    .optional(),
});
export type SeedContact = z.infer<typeof SeedContact>;

export const UserPresenceStatus = z.enum(['Offline', 'Busy', 'Available']);
export const DndStatus = z.enum(['TakeAllCalls', 'DoNotAcceptAnyCalls', 'DoNotAcceptDepartmentCalls', 'TakeDepartmentCallsOnly']);
export const TelephonyStatus = z.enum(['NoCall', 'CallConnected', 'Ringing', 'OnHold', 'ParkedCall']);

/** What a user has published (userStatus, DND, message) and what their phones are doing; the control API changes it. */
export const SeedPresence = z.object({
  userStatus: UserPresenceStatus.default('Available'),
  dndStatus: DndStatus.default('TakeAllCalls'),
  telephonyStatus: TelephonyStatus.default('NoCall'),
  message: z.string().optional(),
  /** "If 'True' enables other extensions to see the extension presence status". */
  allowSeeMyPresence: z.boolean().default(true),
});
export type SeedPresence = z.infer<typeof SeedPresence>;
export const defaultPresence: SeedPresence = {
  userStatus: 'Available',
  dndStatus: 'TakeAllCalls',
  telephonyStatus: 'NoCall',
  allowSeeMyPresence: true,
};

export const SeedExtension = z.object({
  id: numericId,
  extensionNumber: z.string().regex(/^\d{1,10}$/, 'digits only'),
  type: ExtensionType,
  status: ExtensionStatus.default('Enabled'),
  /** Defaults to "firstName lastName". */
  name: z.string().optional(),
  contact: SeedContact.default({}),
  /** The user's role is Super Admin / administrator (permissions.admin.enabled). */
  admin: z.boolean().default(false),
  /** "Hides extension from showing in company directory". */
  hidden: z.boolean().default(false),
  site: z.object({ id: z.string(), name: z.string(), code: z.string().optional() }).optional(),
  /** People only; others are always Offline. Left out: available, taking all calls, no call. */
  presence: SeedPresence.optional(),
  /** A Department's (call queue's) members, by extension number, in the order RingCentral lists them. */
  members: z.array(z.string()).optional(),
  /** The user's own time zone (regionalSettings.timezone); the account's when left out. `name` is an IANA zone. */
  timezone: z.object({ id: z.string(), name: z.string() }).optional(),
});
export type SeedExtension = z.infer<typeof SeedExtension>;

export const SeedPhoneNumber = z.object({
  id: numericId,
  phoneNumber: e164,
  paymentType: PaymentType,
  /** Omitted for external (forwarded) numbers, as in the guide's example. */
  type: PhoneNumberType.optional(),
  usageType: UsageType,
  features: z.array(PhoneNumberFeature).default([]),
  /** The extension the number is mapped to, by extension number; omitted for numbers mapped to no extension. */
  extensionNumber: z.string().optional(),
  label: z.string().optional(),
  location: z.string().optional(),
  status: PhoneNumberStatus.default('Normal'),
});
export type SeedPhoneNumber = z.infer<typeof SeedPhoneNumber>;

export const SeedForwardingNumber = z.object({
  id: z.string().min(1),
  extensionNumber: z.string(),
  phoneNumber: e164,
  label: z.string(),
  features: z.array(ForwardingFeature).default([]),
  flipNumber: z.string().optional(),
  type: ForwardingType.optional(),
});
export type SeedForwardingNumber = z.infer<typeof SeedForwardingNumber>;

/**
 * A registered OAuth app. A redirect URI may use "*" as its port ("http://127.0.0.1:*\/callback") and "/*" as its
 * whole path ("http://localhost:*\/*"); wildcards are honoured only for loopback hosts.
 */
export const SeedApp = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  name: z.string().default('App'),
  permissions: z.array(AppPermission).default([]),
  redirectUris: z.array(z.string()).default([]),
});
export type SeedApp = z.infer<typeof SeedApp>;

export const Seed = z
  .object({
    account: SeedAccount,
    extensions: z.array(SeedExtension).min(1),
    phoneNumbers: z.array(SeedPhoneNumber).default([]),
    forwardingNumbers: z.array(SeedForwardingNumber).default([]),
    apps: z.array(SeedApp).default([]),
    callHandling: z.array(SeedCallHandling).default([]),
  })
  .superRefine((seed, ctx) => {
    const issue = (message: string, path: (string | number)[]) => ctx.addIssue({ code: 'custom', message, path });
    const unique = <T>(items: readonly T[], key: (item: T) => string | number, collection: string) => {
      const seen = new Set<string | number>();
      items.forEach((item, index) => {
        const value = key(item);
        if (seen.has(value)) issue(`duplicate ${String(value)}`, [collection, index]);
        seen.add(value);
      });
    };
    unique(seed.extensions, (e) => e.id, 'extensions');
    unique(seed.extensions, (e) => e.extensionNumber, 'extensions');
    unique(
      seed.extensions.filter((e) => e.contact.email !== undefined),
      (e) => (e.contact.email ?? '').toLowerCase(),
      'extensions',
    );
    unique(seed.phoneNumbers, (n) => n.id, 'phoneNumbers');
    unique(seed.phoneNumbers, (n) => n.phoneNumber, 'phoneNumbers');
    unique(seed.forwardingNumbers, (n) => n.id, 'forwardingNumbers');
    unique(seed.apps, (a) => a.clientId, 'apps');
    const numbers = new Set(seed.extensions.map((e) => e.extensionNumber));
    seed.phoneNumbers.forEach((n, index) => {
      if (n.extensionNumber !== undefined && !numbers.has(n.extensionNumber)) {
        issue(`unknown extension ${n.extensionNumber}`, ['phoneNumbers', index, 'extensionNumber']);
      }
    });
    seed.extensions.forEach((e, index) => {
      if (e.members === undefined) return;
      if (e.type !== 'Department') issue('only a Department (call queue) has members', ['extensions', index, 'members']);
      e.members.forEach((member, position) => {
        if (!numbers.has(member)) issue(`unknown extension ${member}`, ['extensions', index, 'members', position]);
      });
    });
    seed.forwardingNumbers.forEach((n, index) => {
      if (!numbers.has(n.extensionNumber)) issue(`unknown extension ${n.extensionNumber}`, ['forwardingNumbers', index, 'extensionNumber']);
    });
    unique(seed.callHandling, (c) => c.extensionNumber, 'callHandling');
    const companyNumbers = new Set(seed.phoneNumbers.map((n) => n.phoneNumber));
    seed.callHandling.forEach((handling, index) => {
      if (!numbers.has(handling.extensionNumber))
        issue(`unknown extension ${handling.extensionNumber}`, ['callHandling', index, 'extensionNumber']);
      const own = new Set(seed.forwardingNumbers.filter((f) => f.extensionNumber === handling.extensionNumber).map((f) => f.id));
      for (const which of ['businessHoursRule', 'afterHoursRule'] as const) {
        handling[which]?.steps.forEach((step, stepIndex) => {
          for (const id of step.forwardingNumberIds) {
            if (!own.has(id))
              issue(`forwarding number ${id} is not one of extension ${handling.extensionNumber}'s`, [
                'callHandling',
                index,
                which,
                'steps',
                stepIndex,
              ]);
          }
        });
      }
      const shown = [...Object.values(handling.callerId?.byFeature ?? {}), ...(handling.callerId?.byDevice ?? []).map((d) => d.callerId)];
      for (const number of shown) {
        if (number !== 'Blocked' && !companyNumbers.has(number))
          issue(`caller ID ${number} is not a company number`, ['callHandling', index, 'callerId']);
      }
    });
  });
export type Seed = z.infer<typeof Seed>;
export type SeedInput = z.input<typeof Seed>;

export class SeedError extends Error {
  override readonly name = 'SeedError';
}

export function parseSeed(input: unknown, source = 'seed'): Seed {
  const result = Seed.safeParse(input);
  if (!result.success) {
    const first = result.error.issues[0];
    const where = first ? first.path.join('.') : '';
    throw new SeedError(`${source}: ${where ? `${where}: ` : ''}${first?.message ?? 'invalid'}`);
  }
  return result.data;
}

export async function loadSeedFile(path: string): Promise<Seed> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SeedError(`${path}: not JSON (${(error as Error).message})`);
  }
  return parseSeed(json, path);
}

export const demoSeedPath = new URL('./seed/demo.json', import.meta.url);

export async function loadDemoSeed(): Promise<Seed> {
  return parseSeed(JSON.parse(await readFile(demoSeedPath, 'utf8')), 'seed/demo.json');
}

export function displayName(extension: SeedExtension): string {
  if (extension.name !== undefined) return extension.name;
  const full = [extension.contact.firstName, extension.contact.lastName].filter(Boolean).join(' ');
  return full || `Extension ${extension.extensionNumber}`;
}

import { z } from 'zod';

/*
 * The parts of RingCentral's responses the bot reads, shaped after the OpenAPI spec (v1.0.46).
 * Unknown fields are stripped, so new fields never break a call. Enumerations are "open": RingCentral
 * adds values between spec releases (ExternalMobileNumber, IntegrationNumber …), and one new value must
 * not turn a whole directory page into an InvalidResponse. The known values are listed for readers and
 * for autocompletion; any string is accepted.
 */
function openEnum<const T extends readonly string[]>(_known: T) {
  return z.string() as unknown as z.ZodType<T[number] | (string & {}), string>;
}

const optionalString = z.string().optional();

// --- Paging -------------------------------------------------------------------------------------

export const Paging = z.object({
  page: z.number().int().optional(),
  totalPages: z.number().int().optional(),
  perPage: z.number().int().optional(),
  totalElements: z.number().int().optional(),
  pageStart: z.number().int().optional(),
  pageEnd: z.number().int().optional(),
});
export type Paging = z.infer<typeof Paging>;

export const NavigationLink = z.object({ uri: z.string() });
export type NavigationLink = z.infer<typeof NavigationLink>;

export const Navigation = z.object({
  firstPage: NavigationLink.optional(),
  nextPage: NavigationLink.optional(),
  previousPage: NavigationLink.optional(),
  lastPage: NavigationLink.optional(),
});
export type Navigation = z.infer<typeof Navigation>;

/** The envelope of RingCentral's paged lists: `{uri, records, paging, navigation}`. */
function pageOf<R extends z.ZodType>(record: R) {
  return z.object({
    uri: optionalString,
    records: z.array(record),
    paging: Paging.optional(),
    navigation: Navigation.optional(),
  });
}

// --- Shared pieces --------------------------------------------------------------------------------

export const CountryInfo = z.object({
  id: z.string(),
  uri: optionalString,
  name: optionalString,
  isoCode: optionalString,
  callingCode: optionalString,
});
export type CountryInfo = z.infer<typeof CountryInfo>;

export const EXTENSION_TYPES = [
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
  'Bot',
  'Room',
  'Limited',
  'Site',
  'ProxyAdmin',
  'DelegatedLinesGroup',
  'GroupCallPickup',
] as const;
export const ExtensionType = openEnum(EXTENSION_TYPES);
export type ExtensionType = z.infer<typeof ExtensionType>;

export const EXTENSION_STATUSES = ['Enabled', 'Disabled', 'Frozen', 'NotActivated', 'Unassigned'] as const;
export const ExtensionStatus = openEnum(EXTENSION_STATUSES);
export type ExtensionStatus = z.infer<typeof ExtensionStatus>;

export const PHONE_NUMBER_USAGE_TYPES = [
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
  'IntegrationNumber',
] as const;
export const PhoneNumberUsageType = openEnum(PHONE_NUMBER_USAGE_TYPES);
export type PhoneNumberUsageType = z.infer<typeof PhoneNumberUsageType>;

export const PHONE_NUMBER_PAYMENT_TYPES = [
  'External',
  'TollFree',
  'Local',
  'BusinessMobileNumberProvider',
  'ExternalNumberProvider',
] as const;
export const PHONE_NUMBER_TYPES = ['VoiceFax', 'FaxOnly', 'VoiceOnly'] as const;
export const PHONE_NUMBER_FEATURES = ['CallerId', 'SmsSender', 'A2PSmsSender', 'MmsSender', 'InternationalSmsSender', 'Delegated'] as const;

const Contact = z.object({
  firstName: optionalString,
  lastName: optionalString,
  company: optionalString,
  jobTitle: optionalString,
  email: optionalString,
  businessPhone: optionalString,
  mobilePhone: optionalString,
  department: optionalString,
  businessAddress: z
    .object({ country: optionalString, state: optionalString, city: optionalString, street: optionalString, zip: optionalString })
    .optional(),
});

const Permission = z.object({ enabled: z.boolean().optional() });

const Site = z.object({ id: z.string(), uri: optionalString, name: optionalString, code: optionalString });

// --- readAccountInfo ------------------------------------------------------------------------------

export const AccountInfo = z.object({
  id: z.number().int(),
  uri: optionalString,
  /** E.164 in the spec; the guide's sample omits the "+". */
  mainNumber: optionalString,
  status: openEnum(['Initial', 'Confirmed', 'Unconfirmed', 'Disabled'] as const).optional(),
  operator: z.object({ id: z.number().int(), uri: optionalString, extensionNumber: optionalString }).optional(),
  serviceInfo: z
    .object({
      brand: z.object({ id: z.string(), name: optionalString, homeCountry: CountryInfo.optional() }).optional(),
      servicePlan: z.object({ id: optionalString, name: optionalString, edition: optionalString }).optional(),
      billingPlan: z.object({ id: optionalString, name: optionalString }).optional(),
    })
    .optional(),
  regionalSettings: z
    .object({
      homeCountry: CountryInfo.optional(),
      timezone: z.object({ id: optionalString, name: optionalString, description: optionalString }).optional(),
      formattingLocale: z.object({ id: optionalString, localeCode: optionalString, name: optionalString }).optional(),
    })
    .optional(),
});
export type AccountInfo = z.infer<typeof AccountInfo>;

// --- listExtensions / readExtension ----------------------------------------------------------------

export const ExtensionListRecord = z.object({
  id: z.number().int(),
  uri: optionalString,
  /** Absent for "Unassigned" extensions. */
  extensionNumber: optionalString,
  name: optionalString,
  type: ExtensionType,
  status: ExtensionStatus.optional(),
  contact: Contact.optional(),
  permissions: z.object({ admin: Permission.optional(), internationalCalling: Permission.optional() }).optional(),
  hidden: z.boolean().optional(),
  site: Site.optional(),
});
export type ExtensionListRecord = z.infer<typeof ExtensionListRecord>;

export const ExtensionList = pageOf(ExtensionListRecord);
export type ExtensionList = z.infer<typeof ExtensionList>;

export const ServiceFeature = z.object({ featureName: z.string(), enabled: z.boolean(), reason: optionalString });
export type ServiceFeature = z.infer<typeof ServiceFeature>;

export const Extension = ExtensionListRecord.extend({
  account: z.object({ id: z.string(), uri: optionalString }).optional(),
  departments: z.array(z.object({ id: z.string(), uri: optionalString, extensionNumber: optionalString })).optional(),
  /** Returned only when users read their own extension. */
  serviceFeatures: z.array(ServiceFeature).optional(),
  setupWizardState: optionalString,
  /** Own extension and administrators; the time zone decides which answering rule is in force. */
  regionalSettings: z.object({ timezone: z.object({ id: optionalString, name: optionalString }).optional() }).optional(),
});
export type Extension = z.infer<typeof Extension>;

// --- listExtensionPhoneNumbers -----------------------------------------------------------------------

export const PhoneNumber = z.object({
  id: z.number().int(),
  uri: optionalString,
  phoneNumber: z.string(),
  usageType: PhoneNumberUsageType,
  paymentType: openEnum(PHONE_NUMBER_PAYMENT_TYPES).optional(),
  type: openEnum(PHONE_NUMBER_TYPES).optional(),
  /** Not returned for other extensions' numbers when the caller is not an administrator. */
  features: z.array(openEnum(PHONE_NUMBER_FEATURES)).optional(),
  label: optionalString,
  location: optionalString,
  status: optionalString,
  country: CountryInfo.optional(),
  extension: z
    .object({ id: z.number().int(), uri: optionalString, extensionNumber: optionalString, name: optionalString, type: optionalString })
    .optional(),
});
export type PhoneNumber = z.infer<typeof PhoneNumber>;

export const PhoneNumberList = pageOf(PhoneNumber);
export type PhoneNumberList = z.infer<typeof PhoneNumberList>;

// --- listAccountPhoneNumbers ------------------------------------------------------------------------

export const AccountPhoneNumber = z.object({
  id: z.number().int(),
  uri: optionalString,
  phoneNumber: z.string(),
  usageType: PhoneNumberUsageType,
  paymentType: openEnum(PHONE_NUMBER_PAYMENT_TYPES).optional(),
  type: openEnum(PHONE_NUMBER_TYPES).optional(),
  label: optionalString,
  location: optionalString,
  status: optionalString,
  country: CountryInfo.optional(),
  /** The spec says string, its example shows a number; both are read as a string. */
  extension: z
    .object({
      id: z.union([z.string(), z.number().int()]).transform(String),
      uri: optionalString,
      extensionNumber: optionalString,
    })
    .optional(),
  temporaryNumber: z.object({ id: optionalString, phoneNumber: optionalString }).optional(),
});
export type AccountPhoneNumber = z.infer<typeof AccountPhoneNumber>;

export const AccountPhoneNumberList = pageOf(AccountPhoneNumber);
export type AccountPhoneNumberList = z.infer<typeof AccountPhoneNumberList>;

// --- listForwardingNumbers ------------------------------------------------------------------------

export const ForwardingNumber = z.object({
  id: z.string(),
  uri: optionalString,
  phoneNumber: optionalString,
  label: optionalString,
  features: z.array(openEnum(['CallFlip', 'CallForwarding'] as const)).optional(),
  flipNumber: optionalString,
  type: openEnum(['Home', 'Mobile', 'Work', 'PhoneLine', 'Outage', 'Other', 'BusinessMobilePhone', 'ExternalCarrier'] as const).optional(),
  device: z.object({ id: z.string() }).optional(),
});
export type ForwardingNumber = z.infer<typeof ForwardingNumber>;

export const ForwardingNumberList = pageOf(ForwardingNumber);
export type ForwardingNumberList = z.infer<typeof ForwardingNumberList>;

// --- readUserPresenceStatus ------------------------------------------------------------------------

/**
 * Only presenceStatus is sure to come: for anything but a person, and for a person who publishes no presence,
 * RingCentral leaves out telephonyStatus, userStatus, dndStatus and message.
 */
export const Presence = z.object({
  presenceStatus: openEnum(['Offline', 'Busy', 'Available'] as const).optional(),
  telephonyStatus: openEnum(['NoCall', 'CallConnected', 'Ringing', 'OnHold', 'ParkedCall'] as const).optional(),
  userStatus: openEnum(['Offline', 'Busy', 'Available'] as const).optional(),
  dndStatus: openEnum(['TakeAllCalls', 'DoNotAcceptAnyCalls', 'DoNotAcceptDepartmentCalls', 'TakeDepartmentCallsOnly'] as const).optional(),
  message: optionalString,
  allowSeeMyPresence: z.boolean().optional(),
  extension: z.object({ id: z.number().int().optional(), extensionNumber: optionalString }).optional(),
});
export type Presence = z.infer<typeof Presence>;

// --- listCallQueueMembers ----------------------------------------------------------------------------

export const CallQueueMember = z.object({
  id: z.number().int(),
  uri: optionalString,
  extensionNumber: optionalString,
});
export type CallQueueMember = z.infer<typeof CallQueueMember>;

export const CallQueueMemberList = pageOf(CallQueueMember);
export type CallQueueMemberList = z.infer<typeof CallQueueMemberList>;

// --- Call handling: readAnsweringRule, readUserBusinessHours, readExtensionCallerId -------------------

const TimeRange = z.object({ from: z.string(), to: z.string() });

/** Days RingCentral leaves out have no hours; an empty weeklyRanges is business hours around the clock. */
export const WeeklyRanges = z.object({
  monday: z.array(TimeRange).optional(),
  tuesday: z.array(TimeRange).optional(),
  wednesday: z.array(TimeRange).optional(),
  thursday: z.array(TimeRange).optional(),
  friday: z.array(TimeRange).optional(),
  saturday: z.array(TimeRange).optional(),
  sunday: z.array(TimeRange).optional(),
});
export type WeeklyRanges = z.infer<typeof WeeklyRanges>;

export const BusinessHours = z.object({
  uri: optionalString,
  schedule: z.object({ weeklyRanges: WeeklyRanges.optional() }).optional(),
});
export type BusinessHours = z.infer<typeof BusinessHours>;

export const RuleForwardingNumber = z.object({
  id: optionalString,
  phoneNumber: optionalString,
  label: optionalString,
  type: openEnum(['Home', 'Mobile', 'Work', 'PhoneLine', 'Outage', 'Other', 'BusinessMobilePhone', 'ExternalCarrier'] as const).optional(),
});
export type RuleForwardingNumber = z.infer<typeof RuleForwardingNumber>;

export const AnsweringRule = z.object({
  id: optionalString,
  type: openEnum(['BusinessHours', 'AfterHours', 'Custom'] as const).optional(),
  name: optionalString,
  enabled: z.boolean().optional(),
  callHandlingAction: openEnum([
    'ForwardCalls',
    'UnconditionalForwarding',
    'AgentQueue',
    'TransferToExtension',
    'TakeMessagesOnly',
    'PlayAnnouncementOnly',
    'SharedLines',
  ] as const).optional(),
  forwarding: z
    .object({
      notifyMySoftPhones: z.boolean().optional(),
      softPhonesRingCount: z.number().int().optional(),
      ringingMode: openEnum(['Sequentially', 'Simultaneously'] as const).optional(),
      rules: z
        .array(
          z.object({
            index: z.number().int().optional(),
            ringCount: z.number().int().optional(),
            enabled: z.boolean().optional(),
            forwardingNumbers: z.array(RuleForwardingNumber).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  unconditionalForwarding: z.object({ phoneNumber: optionalString }).optional(),
  transfer: z.object({ extension: z.object({ id: optionalString, extensionNumber: optionalString }).optional() }).optional(),
  voicemail: z.object({ enabled: z.boolean().optional() }).optional(),
});
export type AnsweringRule = z.infer<typeof AnsweringRule>;

const CallerIdValue = z.object({
  type: optionalString,
  phoneInfo: z.object({ id: optionalString, phoneNumber: optionalString }).optional(),
});

export const CallerId = z.object({
  byDevice: z
    .array(z.object({ device: z.object({ id: optionalString, name: optionalString }).optional(), callerId: CallerIdValue.optional() }))
    .optional(),
  byFeature: z.array(z.object({ feature: optionalString, callerId: CallerIdValue.optional() })).optional(),
  extensionNameForOutboundCalls: z.boolean().optional(),
  extensionNumberForInternalCalls: z.boolean().optional(),
});
export type CallerId = z.infer<typeof CallerId>;

// --- Directory ---------------------------------------------------------------------------------------

export const DirectoryPhoneNumber = z.object({
  phoneNumber: z.string(),
  formattedPhoneNumber: optionalString,
  type: optionalString,
  label: optionalString,
  usageType: openEnum(['MobileNumber', 'ContactNumber', 'DirectNumber', 'ForwardedNumber', 'ExternalMobileNumber'] as const).optional(),
});
export type DirectoryPhoneNumber = z.infer<typeof DirectoryPhoneNumber>;

/** Directory ids are strings, unlike the numeric ids of the extension API. */
export const DirectoryEntry = z.object({
  id: z.string(),
  type: optionalString,
  status: optionalString,
  firstName: optionalString,
  lastName: optionalString,
  name: optionalString,
  email: optionalString,
  extensionNumber: optionalString,
  jobTitle: optionalString,
  department: optionalString,
  account: z
    .object({
      id: z.string(),
      companyName: optionalString,
      federatedName: optionalString,
      mainNumber: DirectoryPhoneNumber.partial().optional(),
    })
    .optional(),
  site: z.object({ id: z.string(), name: optionalString, code: optionalString }).optional(),
  phoneNumbers: z.array(DirectoryPhoneNumber).optional(),
});
export type DirectoryEntry = z.infer<typeof DirectoryEntry>;

/** The directory envelope is `{records, paging}` only: no uri, no navigation. */
export const DirectoryList = z.object({
  records: z.array(DirectoryEntry),
  paging: Paging.optional(),
});
export type DirectoryList = z.infer<typeof DirectoryList>;

export const DIRECTORY_SEARCH_FIELDS = [
  'firstName',
  'lastName',
  'extensionNumber',
  'phoneNumber',
  'email',
  'jobTitle',
  'department',
] as const;

// --- OAuth -------------------------------------------------------------------------------------------

export const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((value) => value.toLowerCase() === 'bearer', 'token_type must be bearer'),
  expires_in: z.number().positive(),
  refresh_token: z.string().min(1),
  refresh_token_expires_in: z.number().positive(),
  scope: z.string().default(''),
  owner_id: z.union([z.string(), z.number().int()]).transform(String),
  endpoint_id: z.string().default(''),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

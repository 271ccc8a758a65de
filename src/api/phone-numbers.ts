import { ACCOUNT_PATH, extensionPath } from './paths.ts';
import type { CallOptions, UserRequester } from './requester.ts';
import type { PhoneNumberUsageType } from './schemas.ts';
import { AccountPhoneNumberList, PhoneNumberList } from './schemas.ts';

/**
 * Every usage type listAccountPhoneNumbers can filter by (the spec's enumeration) but DirectNumber: the company's own
 * numbers and the few personal extras (forwarded, contact center, mobile …). Direct numbers are most of a company's
 * numbers, one or more per person, and the directory lists them; these are the rest, a page or two however large the
 * company. NumberPool numbers are never listed, so no filter needs them.
 */
export const NON_DIRECT_USAGE_TYPES = [
  'MainCompanyNumber',
  'AdditionalCompanyNumber',
  'CompanyNumber',
  'CompanyFaxNumber',
  'ForwardedNumber',
  'ForwardedCompanyNumber',
  'ContactCenterNumber',
  'ConferencingNumber',
  'MeetingsNumber',
  'BusinessMobileNumber',
  'ExternalMobileNumber',
] as const satisfies readonly PhoneNumberUsageType[];

export interface ListPhoneNumbersParams {
  usageType?: PhoneNumberUsageType | readonly PhoneNumberUsageType[] | undefined;
  /** Normal | Pending | PortedIn | Temporary */
  status?: string | undefined;
  page?: number | undefined;
  perPage?: number | undefined;
}

/**
 * GET /restapi/v1.0/account/~/extension/{extensionId}/phone-number (Light). For a non-admin asking
 * about someone else, RingCentral returns only DirectNumber records and omits `features`.
 */
export async function listExtensionPhoneNumbers(
  requester: UserRequester,
  extensionId = '~',
  params: ListPhoneNumbersParams = {},
  options?: CallOptions,
): Promise<PhoneNumberList> {
  return requester.fetch(
    {
      operation: 'listExtensionPhoneNumbers',
      method: 'GET',
      path: `${extensionPath(extensionId)}/phone-number`,
      query: { usageType: params.usageType, status: params.status, page: params.page, perPage: params.perPage },
      schema: PhoneNumberList,
    },
    options,
  );
}

/** GET /restapi/v1.0/account/~/phone-number (Heavy: 10 per minute by default; administrators only). */
export async function listAccountPhoneNumbers(
  requester: UserRequester,
  params: ListPhoneNumbersParams = {},
  options?: CallOptions,
): Promise<AccountPhoneNumberList> {
  return requester.fetch(
    {
      operation: 'listAccountPhoneNumbers',
      method: 'GET',
      path: `${ACCOUNT_PATH}/phone-number`,
      query: { usageType: params.usageType, status: params.status, page: params.page, perPage: params.perPage },
      schema: AccountPhoneNumberList,
    },
    options,
  );
}

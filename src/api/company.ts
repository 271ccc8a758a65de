import { z } from 'zod';
import { ACCOUNT_PATH } from './paths.ts';
import type { CallOptions, UserRequester } from './requester.ts';
import { CountryInfo } from './schemas.ts';

/*
 * The account's service info and business address, shaped after the spec (v1.0.46). Unknown fields are stripped, as
 * in schemas.ts. These two live here, beside their calls, because nothing else reads them.
 */

const optionalString = z.string().optional();

export const AccountServiceInfo = z.object({
  uri: optionalString,
  servicePlanName: optionalString,
  brand: z.object({ id: z.string(), name: optionalString, homeCountry: CountryInfo.optional() }).optional(),
  servicePlan: z.object({ id: optionalString, name: optionalString, edition: optionalString }).optional(),
  billingPlan: z.object({ id: optionalString, name: optionalString }).optional(),
  serviceFeatures: z.array(z.object({ featureName: z.string(), enabled: z.boolean() })).optional(),
});
export type AccountServiceInfo = z.infer<typeof AccountServiceInfo>;

export const AccountBusinessAddress = z.object({
  uri: optionalString,
  company: optionalString,
  email: optionalString,
  businessAddress: z
    .object({ country: optionalString, state: optionalString, city: optionalString, street: optionalString, zip: optionalString })
    .optional(),
  mainSiteName: optionalString,
});
export type AccountBusinessAddress = z.infer<typeof AccountBusinessAddress>;

/** GET /restapi/v1.0/account/~/service-info (Light; user permission ReadServicePlanInfo). */
export async function readAccountServiceInfo(requester: UserRequester, options?: CallOptions): Promise<AccountServiceInfo> {
  return requester.fetch(
    { operation: 'readAccountServiceInfo', method: 'GET', path: `${ACCOUNT_PATH}/service-info`, schema: AccountServiceInfo },
    options,
  );
}

/** GET /restapi/v1.0/account/~/business-address (Light; user permission ReadCompanyInfo, which every user holds). */
export async function readAccountBusinessAddress(requester: UserRequester, options?: CallOptions): Promise<AccountBusinessAddress> {
  return requester.fetch(
    { operation: 'readAccountBusinessAddress', method: 'GET', path: `${ACCOUNT_PATH}/business-address`, schema: AccountBusinessAddress },
    options,
  );
}

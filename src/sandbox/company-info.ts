import type { AccountData } from './account-data.ts';
import { accountUri, restBase } from './representations.ts';

/**
 * The account's service info and business address (readAccountServiceInfo, readAccountBusinessAddress), shaped by
 * the spec's response schemas. Who may read them is decided in rules.ts (ReadServicePlanInfo, ReadCompanyInfo).
 */

// A plausible feature list for a phone-system account (names from the spec's featureName enumeration).
const listedFeatures = [
  'CallForwarding',
  'CallPark',
  'Conferencing',
  'DND',
  'Fax',
  'InternationalCalling',
  'Paging',
  'Presence',
  'Reports',
  'RingOut',
  'SharedLines',
  'SMS',
  'VideoConferencing',
  'Voicemail',
  'VoicemailToText',
  'VoipCalling',
] as const;
const enabledByDefault: readonly string[] = listedFeatures.filter((name) => name !== 'InternationalCalling' && name !== 'VoicemailToText');

function homeCountry(url: string, data: AccountData) {
  const home = data.account.homeCountry;
  return {
    id: home.id,
    uri: `${restBase(url)}/dictionary/country/${home.id}`,
    name: home.name,
    isoCode: home.isoCode,
    callingCode: home.callingCode,
  };
}

/** The body of readAccountServiceInfo. */
export function accountServiceInfo(url: string, data: AccountData) {
  const account = data.account;
  const enabled = new Set(account.enabledFeatures ?? enabledByDefault);
  const features = [...new Set([...listedFeatures, ...enabled])].sort();
  return {
    uri: `${accountUri(url, data)}/service-info`,
    servicePlanName: account.servicePlan.name,
    brand: { id: account.brand.id, name: account.brand.name, homeCountry: homeCountry(url, data) },
    contractedCountry: { id: account.homeCountry.id, uri: `${restBase(url)}/dictionary/country/${account.homeCountry.id}` },
    servicePlan: { ...account.servicePlan },
    ...(account.billingPlan ? { billingPlan: { ...account.billingPlan } } : {}),
    serviceFeatures: features.map((featureName) => ({ featureName, enabled: enabled.has(featureName) })),
    limits: { freeSoftPhoneLinesPerExtension: 1, meetingSize: 100, maxMonitoredExtensionsPerUser: 100, maxExtensionNumberLength: 5 },
  };
}

/** The body of readAccountBusinessAddress. */
export function accountBusinessAddress(url: string, data: AccountData) {
  const account = data.account;
  return {
    uri: `${accountUri(url, data)}/business-address`,
    ...(account.businessAddress ? { businessAddress: { ...account.businessAddress } } : {}),
    company: account.companyName,
    ...(account.email === undefined ? {} : { email: account.email }),
  };
}

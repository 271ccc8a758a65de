import type { AccountData } from './account-data.ts';
import { defaultAnsweringRules, weekdays } from './call-handling.ts';
import type { SeedAnsweringRule, SeedCallerId } from './call-handling.ts';
import { accountUri, extensionUri } from './representations.ts';
import { hasForwardingFeature } from './rules.ts';
import type { SeedExtension } from './seed.ts';

/**
 * Call handling → RingCentral JSON, shaped by the spec's readAnsweringRule, readUserBusinessHours and
 * readExtensionCallerId schemas.
 */

export type StandardRuleId = 'business-hours-rule' | 'after-hours-rule';
export const standardRuleIds: readonly StandardRuleId[] = ['business-hours-rule', 'after-hours-rule'];

export function businessHours(url: string, data: AccountData, extension: SeedExtension) {
  const ranges = data.callHandlingOf(extension)?.businessHours ?? {};
  const weeklyRanges: Record<string, { from: string; to: string }[]> = {};
  for (const day of weekdays) {
    const dayRanges = ranges[day];
    if (dayRanges !== undefined && dayRanges.length > 0) weeklyRanges[day] = dayRanges.map((range) => ({ ...range }));
  }
  return { uri: `${extensionUri(url, data, extension)}/business-hours`, schedule: { weeklyRanges } };
}

function seedRule(data: AccountData, extension: SeedExtension, ruleId: StandardRuleId): SeedAnsweringRule {
  const handling = data.callHandlingOf(extension);
  if (!hasForwardingFeature(extension)) return defaultAnsweringRules.withoutCalls;
  if (ruleId === 'business-hours-rule') return handling?.businessHoursRule ?? defaultAnsweringRules.businessHours;
  return handling?.afterHoursRule ?? defaultAnsweringRules.afterHours;
}

export function answeringRule(url: string, data: AccountData, extension: SeedExtension, ruleId: StandardRuleId) {
  const rule = seedRule(data, extension, ruleId);
  const base = extensionUri(url, data, extension);
  const businessHoursRule = ruleId === 'business-hours-rule';
  const forwardingNumbers = new Map(data.forwardingNumbersOf(extension).map((number) => [number.id, number]));
  const body: Record<string, unknown> = {
    uri: `${base}/answering-rule/${ruleId}`,
    id: ruleId,
    type: businessHoursRule ? 'BusinessHours' : 'AfterHours',
    enabled: rule.enabled,
    schedule: { ref: businessHoursRule ? 'BusinessHours' : 'AfterHours' },
    callHandlingAction: rule.callHandlingAction,
  };
  if (rule.callHandlingAction === 'ForwardCalls') {
    body.forwarding = {
      notifyMySoftPhones: rule.notifyMySoftPhones,
      notifyAdminSoftPhones: false,
      softPhonesRingCount: rule.softPhonesRingCount,
      ringingMode: rule.ringingMode,
      rules: rule.steps.map((step, index) => ({
        index: index + 1,
        ringCount: step.ringCount,
        forwardingNumbers: step.forwardingNumberIds.flatMap((id) => {
          const number = forwardingNumbers.get(id);
          if (!number) return [];
          return [
            {
              id: number.id,
              uri: `${base}/forwarding-number/${number.id}`,
              phoneNumber: number.phoneNumber,
              label: number.label,
              ...(number.type === undefined ? {} : { type: number.type }),
            },
          ];
        }),
      })),
      mobileTimeout: false,
    };
  }
  if (rule.callHandlingAction === 'UnconditionalForwarding' && rule.forwardTo !== undefined) {
    body.unconditionalForwarding = { phoneNumber: rule.forwardTo };
  }
  body.voicemail = { enabled: rule.voicemail, recipient: { uri: base, id: extension.id } };
  body.screening = rule.screening;
  return body;
}

const defaultCallerIdFeatures = ['RingOut', 'MobileApp', 'CallFlip', 'RingMe'] as const;

/** The extension's caller ID settings; without seed settings, its direct number (or the main number) everywhere. */
export function callerId(url: string, data: AccountData, extension: SeedExtension) {
  const settings: SeedCallerId = data.callHandlingOf(extension)?.callerId ?? defaultCallerId(data, extension);
  const accountBase = accountUri(url, data);
  const value = (shown: string) => {
    if (shown === 'Blocked') return { type: 'Blocked' };
    const number = data.phoneNumberByE164(shown);
    return {
      type: 'PhoneNumber',
      phoneInfo: { ...(number ? { id: String(number.id), uri: `${accountBase}/phone-number/${number.id}` } : {}), phoneNumber: shown },
    };
  };
  return {
    uri: `${extensionUri(url, data, extension)}/caller-id`,
    byDevice: settings.byDevice.map((device) => ({
      device: { id: device.deviceId, uri: `${accountBase}/device/${device.deviceId}`, name: device.name },
      callerId: value(device.callerId),
    })),
    byFeature: Object.entries(settings.byFeature).map(([feature, shown]) => ({ feature, callerId: value(shown) })),
    extensionNameForOutboundCalls: settings.extensionNameForOutboundCalls,
    extensionNumberForInternalCalls: settings.extensionNumberForInternalCalls,
  };
}

function defaultCallerId(data: AccountData, extension: SeedExtension): SeedCallerId {
  const direct = data.mappedNumbersOf(extension).find((n) => n.usageType === 'DirectNumber')?.phoneNumber ?? data.account.mainNumber;
  return {
    byFeature: Object.fromEntries(defaultCallerIdFeatures.map((feature) => [feature, direct])),
    byDevice: [],
    extensionNameForOutboundCalls: false,
    extensionNumberForInternalCalls: true,
  };
}

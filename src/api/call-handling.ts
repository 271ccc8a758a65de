import { BadRequest } from './errors.ts';
import { extensionPath } from './paths.ts';
import type { CallOptions, UserRequester } from './requester.ts';
import { AnsweringRule, BusinessHours, CallerId } from './schemas.ts';

/** The two rules every user has; custom rules have numeric ids. */
export type StandardAnsweringRuleId = 'business-hours-rule' | 'after-hours-rule';

/**
 * GET …/extension/{extensionId}/answering-rule/{ruleId} (Light; user permission ReadUserAnsweringRules, which a
 * standard user holds for their own extension only).
 */
export async function readAnsweringRule(
  requester: UserRequester,
  extensionId: string,
  ruleId: StandardAnsweringRuleId | string,
  options?: CallOptions,
): Promise<AnsweringRule> {
  // Rule ids are RingCentral's two names or digits; nothing else may reach the path.
  if (!/^(business-hours-rule|after-hours-rule|\d{1,20})$/.test(ruleId))
    throw new BadRequest('answering rule id has an unexpected shape', { status: 400 });
  return requester.fetch(
    {
      operation: 'readAnsweringRule',
      method: 'GET',
      path: `${extensionPath(extensionId)}/answering-rule/${ruleId}`,
      schema: AnsweringRule,
    },
    options,
  );
}

/** GET …/extension/{extensionId}/business-hours (Light; ReadExtensions). */
export async function readBusinessHours(requester: UserRequester, extensionId = '~', options?: CallOptions): Promise<BusinessHours> {
  return requester.fetch(
    { operation: 'readUserBusinessHours', method: 'GET', path: `${extensionPath(extensionId)}/business-hours`, schema: BusinessHours },
    options,
  );
}

/** GET …/extension/{extensionId}/caller-id (Light; ReadCallerIDSettings, own extension for a standard user). */
export async function readCallerId(requester: UserRequester, extensionId = '~', options?: CallOptions): Promise<CallerId> {
  return requester.fetch(
    { operation: 'readExtensionCallerId', method: 'GET', path: `${extensionPath(extensionId)}/caller-id`, schema: CallerId },
    options,
  );
}

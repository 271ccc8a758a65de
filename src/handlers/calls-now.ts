import { RingCentralError } from '../api/errors.ts';
import type { AnsweringRule, BusinessHours, CallerId, Presence } from '../api/schemas.ts';
import { describeWeeklyRanges, ruleInForce } from './business-hours.ts';
import type { CallsNow, RingStep } from './cards.ts';
import type { Directory } from './directory.ts';
import { phoneNumberView } from './phone-display.ts';
import { callerIdFeatureWords, callHandlingWords, callsNowWording, dndWords, forwardingTypeWords, wordsFor } from './wording.ts';

/*
 * Where the requester's own calls go right now: their presence (do not disturb), the answering rule in force (the
 * business-hours rule inside their business hours, read in their own time zone, the after-hours rule outside them)
 * and what it does, and their outgoing caller ID. Everything is their own ('~'), read with their token, in parallel.
 */

export interface CallsNowSources {
  businessHours: BusinessHours;
  businessHoursRule: AnsweringRule;
  afterHoursRule: AnsweringRule;
  /** The user's own time zone (readExtension's regionalSettings), else the account's. */
  timeZone: string | undefined;
  extensionNumber: string | undefined;
  /** Undefined when RingCentral did not show them. */
  callerId: CallerId | undefined;
  presence: Presence | undefined;
  homeCountry: string | undefined;
}

/**
 * Reads what the answer needs, in parallel. Undefined when RingCentral refuses the answering rules to this requester
 * (their forwarding list is then the whole answer); caller ID is left out when refused, presence when it fails at all.
 */
export async function loadCallsNow(directory: Directory): Promise<Omit<CallsNowSources, 'homeCountry'> | undefined> {
  try {
    const [self, account, businessHours, businessHoursRule, afterHoursRule, callerId, presence] = await allOrFirstFailure([
      directory.self(),
      directory.account(),
      directory.businessHours(),
      directory.answeringRule('business-hours-rule'),
      directory.answeringRule('after-hours-rule'),
      unlessRefused(directory.callerId()),
      // As on every card: presence that fails or is refused (an app without ReadPresence) is simply left out.
      directory.presence(directory.requester.extensionId).catch(() => undefined),
    ] as const);
    return {
      businessHours,
      businessHoursRule,
      afterHoursRule,
      timeZone: self.regionalSettings?.timezone?.name ?? account.regionalSettings?.timezone?.name,
      extensionNumber: self.extensionNumber,
      callerId,
      presence,
    };
  } catch (error) {
    if (isRefusal(error)) return undefined;
    throw error;
  }
}

function isRefusal(error: unknown): boolean {
  return error instanceof RingCentralError && error.kind === 'not-permitted';
}

async function unlessRefused<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (isRefusal(error)) return undefined;
    throw error;
  }
}

export function callsNow(sources: CallsNowSources, nowMs: number): CallsNow {
  const words = callsNowWording;
  const ranges = sources.businessHours.schedule?.weeklyRanges;
  const inForce = sources.timeZone === undefined ? undefined : ruleInForce(ranges, sources.timeZone, nowMs);
  const afterHours = inForce?.rule === 'after-hours-rule';
  const rule = afterHours ? sources.afterHoursRule : sources.businessHoursRule;
  let ruleReason: string;
  if (inForce === undefined) ruleReason = words.unknownTimeZone(sources.timeZone ?? '?');
  else if ('aroundTheClock' in inForce) ruleReason = words.aroundTheClock;
  else ruleReason = words.localTime(inForce.localDay, inForce.localTime, inForce.timeZone);

  const view: CallsNow = {
    ruleName: afterHours ? words.afterHoursRule : words.businessHoursRule,
    ruleReason,
    ...describeRule(rule, sources.homeCountry),
  };
  const businessHours = describeWeeklyRanges(ranges);
  if (businessHours !== undefined) view.businessHours = businessHours;
  const dnd = sources.presence?.dndStatus;
  if (dnd !== undefined) view.doNotDisturb = { on: dnd === 'DoNotAcceptAnyCalls', words: wordsFor(dndWords, dnd) };
  if (sources.callerId) {
    const callerId = describeCallerId(sources.callerId, sources.homeCountry);
    if (callerId !== undefined) view.callerId = callerId;
    if (sources.callerId.extensionNumberForInternalCalls === true && sources.extensionNumber !== undefined) {
      view.internalCallerId = words.extensionShows(sources.extensionNumber);
    }
  }
  return view;
}

function describeRule(rule: AnsweringRule, homeCountry: string | undefined): Pick<CallsNow, 'handling' | 'steps' | 'then'> {
  const words = callsNowWording;
  const action = rule.callHandlingAction ?? 'ForwardCalls';
  const display = (raw: string | undefined) => (raw === undefined ? '' : phoneNumberView(raw, homeCountry).display);
  switch (action) {
    case 'ForwardCalls': {
      const forwarding = rule.forwarding;
      const together = forwarding?.ringingMode === 'Simultaneously';
      // The RingCentral app and softphones ring first, before any forwarding number.
      const softphones: RingStep[] =
        forwarding?.notifyMySoftPhones === true ? [withRings({ targets: [words.softphones] }, forwarding.softPhonesRingCount)] : [];
      const steps: RingStep[] = [];
      const rules = [...(forwarding?.rules ?? [])].filter((step) => step.enabled !== false).sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
      for (const step of rules) {
        const targets = (step.forwardingNumbers ?? []).map((number) => {
          const name = number.label?.trim() || (number.type === undefined ? '' : wordsFor(forwardingTypeWords, number.type));
          return [name, display(number.phoneNumber)].filter((part) => part !== '').join(' ');
        });
        if (targets.length > 0) steps.push(withRings({ targets }, step.ringCount));
      }
      const forwarded = together && steps.length > 0 ? [mergeSteps(steps)] : steps;
      return {
        handling: wordsFor(callHandlingWords, together ? 'ForwardCallsSimultaneously' : 'ForwardCallsSequentially'),
        steps: [...softphones, ...forwarded],
        then: rule.voicemail?.enabled === false ? words.noVoicemail : words.voicemail,
      };
    }
    case 'UnconditionalForwarding': {
      const to = rule.unconditionalForwarding?.phoneNumber;
      return { handling: to === undefined ? wordsFor(callHandlingWords, action) : words.forwardedTo(display(to)), steps: [] };
    }
    default:
      return { handling: wordsFor(callHandlingWords, action), steps: [] };
  }
}

function withRings(step: RingStep, rings: number | undefined): RingStep {
  return rings === undefined ? step : { ...step, rings };
}

/** Ringing all at once: one step, as long as the longest. */
function mergeSteps(steps: RingStep[]): RingStep {
  const rings = steps.map((step) => step.rings).filter((n): n is number => n !== undefined);
  return withRings({ targets: steps.flatMap((step) => step.targets), together: true }, rings.length === 0 ? undefined : Math.max(...rings));
}

/** "(650) 555-0101 for RingOut, RingCentral app, John Smith Desk Phone · Blocked for RingMe" */
function describeCallerId(callerId: CallerId, homeCountry: string | undefined): string | undefined {
  const groups = new Map<string, string[]>();
  const add = (
    value: { type?: string | undefined; phoneInfo?: { phoneNumber?: string | undefined } | undefined } | undefined,
    what: string,
  ) => {
    if (value === undefined) return;
    const number = value.phoneInfo?.phoneNumber;
    const shown =
      value.type === 'Blocked' ? callsNowWording.blocked : number === undefined ? value.type : phoneNumberView(number, homeCountry).display;
    if (shown === undefined || shown === '') return;
    groups.set(shown, [...(groups.get(shown) ?? []), what]);
  };
  for (const entry of callerId.byFeature ?? [])
    if (entry.feature !== undefined) add(entry.callerId, wordsFor(callerIdFeatureWords, entry.feature));
  for (const entry of callerId.byDevice ?? []) if (entry.device?.name) add(entry.callerId, entry.device.name);
  if (groups.size === 0) return undefined;
  const text = [...groups].map(([shown, uses]) => `${shown} for ${uses.join(', ')}`).join(' · ');
  return callerId.extensionNameForOutboundCalls === true ? `${text} (${callsNowWording.nameShown})` : text;
}

/**
 * Promise.all that waits for every promise before rejecting with the first failure in argument order, so no read an
 * answer started is still running once the answer is given.
 */
export async function allOrFirstFailure<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

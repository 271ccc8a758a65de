import { z } from 'zod';

/**
 * How one extension's calls are handled, in the seed: business hours, the business-hours and after-hours answering
 * rules, and outgoing caller ID. Field and enum names are the spec's (readAnsweringRule, readUserBusinessHours,
 * readExtensionCallerId); forwarding steps name the extension's own forwarding numbers by id, as RingCentral's
 * rules do.
 */

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be E.164 with a leading "+"');
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be hh:mm');

export const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof weekdays)[number];

const TimeRange = z.object({ from: clockTime, to: clockTime }).refine((range) => range.from < range.to, 'from must be before to');

/** Days left out have no business hours; an empty object means business hours around the clock (RingCentral's 24/7). */
export const WeeklyRanges = z
  .object(
    Object.fromEntries(weekdays.map((day) => [day, z.array(TimeRange).optional()])) as Record<
      Weekday,
      z.ZodOptional<z.ZodArray<typeof TimeRange>>
    >,
  )
  .strict();
export type WeeklyRanges = z.infer<typeof WeeklyRanges>;

export const CallHandlingAction = z.enum(['ForwardCalls', 'UnconditionalForwarding', 'TakeMessagesOnly', 'PlayAnnouncementOnly']);

export const SeedForwardingStep = z.object({
  ringCount: z.number().int().min(1).max(15),
  /** Ids of the extension's forwarding numbers (seed forwardingNumbers[].id) that ring together in this step. */
  forwardingNumberIds: z.array(z.string()).min(1),
});

export const SeedAnsweringRule = z.object({
  enabled: z.boolean().default(true),
  callHandlingAction: CallHandlingAction,
  ringingMode: z.enum(['Sequentially', 'Simultaneously']).default('Sequentially'),
  /** The RingCentral app and softphones ring first, for softPhonesRingCount rings. */
  notifyMySoftPhones: z.boolean().default(true),
  softPhonesRingCount: z.number().int().min(1).max(15).default(3),
  steps: z.array(SeedForwardingStep).default([]),
  /** Unanswered calls go to voicemail (ForwardCalls), or the only thing that happens (TakeMessagesOnly). */
  voicemail: z.boolean().default(true),
  /** UnconditionalForwarding: where every call goes. */
  forwardTo: e164.optional(),
  screening: z.enum(['Off', 'NoCallerId', 'UnknownCallerId', 'Always']).default('Off'),
});
export type SeedAnsweringRule = z.infer<typeof SeedAnsweringRule>;

export const CallerIdFeature = z.enum([
  'RingOut',
  'RingMe',
  'CallFlip',
  'FaxNumber',
  'AdditionalSoftphone',
  'Alternate',
  'CommonPhone',
  'MobileApp',
  'Delegated',
]);
/** A company number (E.164) shown as caller ID, or "Blocked". */
const CallerIdValue = z.union([e164, z.literal('Blocked')]);

export const SeedCallerId = z.object({
  byFeature: z.partialRecord(CallerIdFeature, CallerIdValue).default({}),
  byDevice: z.array(z.object({ deviceId: z.string().min(1), name: z.string().min(1), callerId: CallerIdValue })).default([]),
  extensionNameForOutboundCalls: z.boolean().default(false),
  extensionNumberForInternalCalls: z.boolean().default(true),
});
export type SeedCallerId = z.infer<typeof SeedCallerId>;

export const SeedCallHandling = z.object({
  extensionNumber: z.string(),
  businessHours: WeeklyRanges.default({}),
  businessHoursRule: SeedAnsweringRule.optional(),
  afterHoursRule: SeedAnsweringRule.optional(),
  callerId: SeedCallerId.optional(),
});
export type SeedCallHandling = z.infer<typeof SeedCallHandling>;

/**
 * SANDBOX DECISION — an extension the seed says nothing about: business hours around the clock, a business-hours
 * rule that rings the RingCentral app for 3 rings then takes a voicemail, an after-hours rule that takes messages
 * only, and its direct number (or the main number) as caller ID.
 */
export const defaultAnsweringRules = {
  businessHours: SeedAnsweringRule.parse({ callHandlingAction: 'ForwardCalls' }),
  afterHours: SeedAnsweringRule.parse({ callHandlingAction: 'TakeMessagesOnly' }),
  withoutCalls: SeedAnsweringRule.parse({ callHandlingAction: 'TakeMessagesOnly' }),
};

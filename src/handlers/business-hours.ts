import type { WeeklyRanges } from '../api/schemas.ts';

/*
 * Which of a user's two standard answering rules RingCentral applies at a given instant: the business-hours rule
 * within the user's business hours, read in the user's own time zone, the after-hours rule outside them. An empty
 * schedule is RingCentral's "24/7": the business-hours rule always applies.
 */

const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
type Weekday = (typeof weekdays)[number];
const shortDay: Record<Weekday, string> = {
  monday: 'Mon',
  tuesday: 'Tue',
  wednesday: 'Wed',
  thursday: 'Thu',
  friday: 'Fri',
  saturday: 'Sat',
  sunday: 'Sun',
};

export type InForce =
  | { rule: 'business-hours-rule' | 'after-hours-rule'; localDay: string; localTime: string; timeZone: string }
  | { rule: 'business-hours-rule'; aroundTheClock: true };

/** Undefined when the time zone is not one this runtime knows, so the rule in force cannot be told. */
export function ruleInForce(ranges: WeeklyRanges | undefined, timeZone: string, nowMs: number): InForce | undefined {
  if (isAroundTheClock(ranges)) return { rule: 'business-hours-rule', aroundTheClock: true };
  const local = localTime(timeZone, nowMs);
  if (local === undefined) return undefined;
  const minute = local.hour * 60 + local.minute;
  const within = (ranges?.[local.day] ?? []).some((range) => {
    const from = minutesOf(range.from);
    const to = minutesOf(range.to);
    return from !== undefined && to !== undefined && from <= minute && minute < to;
  });
  return {
    rule: within ? 'business-hours-rule' : 'after-hours-rule',
    localDay: capitalized(local.day),
    localTime: `${pad(local.hour)}:${pad(local.minute)}`,
    timeZone,
  };
}

export function isAroundTheClock(ranges: WeeklyRanges | undefined): boolean {
  return weekdays.every((day) => (ranges?.[day] ?? []).length === 0);
}

/** "Mon–Fri 09:00–18:00", "Mon–Thu 08:30–12:30, 13:30–17:00 · Fri 08:30–13:00"; days with the same hours run together. */
export function describeWeeklyRanges(ranges: WeeklyRanges | undefined): string | undefined {
  if (isAroundTheClock(ranges)) return undefined;
  const runs: { first: Weekday; last: Weekday; hours: string }[] = [];
  for (const day of weekdays) {
    const dayRanges = ranges?.[day] ?? [];
    if (dayRanges.length === 0) continue;
    const hours = dayRanges.map((range) => `${range.from}–${range.to}`).join(', ');
    const previous = runs.at(-1);
    if (previous && previous.hours === hours && weekdays.indexOf(previous.last) === weekdays.indexOf(day) - 1) previous.last = day;
    else runs.push({ first: day, last: day, hours });
  }
  return runs
    .map((run) => `${run.first === run.last ? shortDay[run.first] : `${shortDay[run.first]}–${shortDay[run.last]}`} ${run.hours}`)
    .join(' · ');
}

function localTime(timeZone: string, nowMs: number): { day: Weekday; hour: number; minute: number } | undefined {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'long',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(nowMs);
  } catch {
    return undefined; // RangeError: a time zone this runtime does not know
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const day = part('weekday').toLowerCase() as Weekday;
  if (!weekdays.includes(day)) return undefined;
  return { day, hour: Number(part('hour')) % 24, minute: Number(part('minute')) };
}

function minutesOf(hhmm: string): number | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function capitalized(day: string): string {
  return day.charAt(0).toUpperCase() + day.slice(1);
}

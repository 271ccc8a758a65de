import { describe, expect, it } from 'vitest';
import { describeWeeklyRanges, ruleInForce } from '../../src/handlers/business-hours.ts';

const weekdays = {
  monday: [{ from: '09:00', to: '18:00' }],
  tuesday: [{ from: '09:00', to: '18:00' }],
  wednesday: [{ from: '09:00', to: '18:00' }],
  thursday: [{ from: '09:00', to: '18:00' }],
  friday: [{ from: '09:00', to: '18:00' }],
};
const at = (iso: string) => Date.parse(iso);

describe('ruleInForce', () => {
  it('reads the schedule in the user’s own time zone: the same instant is inside hours in one zone and outside in another', () => {
    const instant = at('2026-12-02T17:30:00Z'); // Wednesday 09:30 in Los Angeles, 12:30 in New York, 17:30 in London
    expect(ruleInForce(weekdays, 'US/Pacific', instant)).toEqual({
      rule: 'business-hours-rule',
      localDay: 'Wednesday',
      localTime: '09:30',
      timeZone: 'US/Pacific',
    });
    expect(ruleInForce({ wednesday: [{ from: '08:00', to: '12:00' }] }, 'America/New_York', instant)?.rule).toBe('after-hours-rule');
    expect(ruleInForce(weekdays, 'Europe/London', instant)?.rule).toBe('business-hours-rule');
    expect(ruleInForce({ wednesday: [{ from: '08:30', to: '17:00' }] }, 'Europe/London', instant)?.rule).toBe('after-hours-rule');
  });

  it('a range includes its start and excludes its end; a day without ranges is after hours; several ranges a day are each honoured', () => {
    expect(ruleInForce(weekdays, 'UTC', at('2026-12-02T09:00:00Z'))?.rule).toBe('business-hours-rule');
    expect(ruleInForce(weekdays, 'UTC', at('2026-12-02T08:59:00Z'))?.rule).toBe('after-hours-rule');
    expect(ruleInForce(weekdays, 'UTC', at('2026-12-02T18:00:00Z'))?.rule).toBe('after-hours-rule');
    expect(ruleInForce(weekdays, 'UTC', at('2026-12-05T10:00:00Z'))).toMatchObject({ rule: 'after-hours-rule', localDay: 'Saturday' });
    const lunch = {
      monday: [
        { from: '08:30', to: '12:30' },
        { from: '13:30', to: '17:00' },
      ],
    };
    expect(ruleInForce(lunch, 'UTC', at('2026-11-30T13:00:00Z'))?.rule).toBe('after-hours-rule');
    expect(ruleInForce(lunch, 'UTC', at('2026-11-30T14:00:00Z'))?.rule).toBe('business-hours-rule');
  });

  it('follows daylight saving time: 09:30 local is inside hours in summer and in winter', () => {
    expect(ruleInForce(weekdays, 'US/Pacific', at('2026-07-01T16:30:00Z'))).toMatchObject({
      rule: 'business-hours-rule',
      localTime: '09:30',
    });
    expect(ruleInForce(weekdays, 'US/Pacific', at('2026-12-02T17:30:00Z'))).toMatchObject({
      rule: 'business-hours-rule',
      localTime: '09:30',
    });
  });

  it('an empty schedule is business hours around the clock; an unknown time zone cannot be told', () => {
    expect(ruleInForce({}, 'US/Pacific', at('2026-12-06T03:00:00Z'))).toEqual({ rule: 'business-hours-rule', aroundTheClock: true });
    expect(ruleInForce(weekdays, 'Mars/Olympus_Mons', Date.now())).toBeUndefined();
  });
});

describe('describeWeeklyRanges', () => {
  it('runs days with the same hours together', () => {
    expect(describeWeeklyRanges(weekdays)).toBe('Mon–Fri 09:00–18:00');
    expect(describeWeeklyRanges({ ...weekdays, wednesday: [{ from: '09:00', to: '12:00' }] })).toBe(
      'Mon–Tue 09:00–18:00 · Wed 09:00–12:00 · Thu–Fri 09:00–18:00',
    );
    expect(describeWeeklyRanges({ monday: [{ from: '08:00', to: '12:00' }], wednesday: [{ from: '08:00', to: '12:00' }] })).toBe(
      'Mon 08:00–12:00 · Wed 08:00–12:00',
    );
    expect(describeWeeklyRanges({})).toBeUndefined();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoSeed, parseSeed } from '../../src/sandbox/seed.ts';
import type { Sandbox } from '../../src/sandbox/server.ts';
import { api, control, loginAs, startTestSandbox } from '../support/sandbox.ts';

/**
 * Answering rules, business hours and caller ID in the sandbox: the demo company's settings, who may read whose,
 * and the company clock tests move people in and out of their business hours with.
 */

const v1 = '/restapi/v1.0/account/~/extension';
const johnId = '401145624008';
const emmaId = '435069008';
const paulId = '435068008';

let sandbox: Sandbox;
let admin: string;
let standard: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  admin = (await loginAs(sandbox, '101')).access_token;
  standard = (await loginAs(sandbox, '103')).access_token;
});
afterAll(() => sandbox.close());

async function json(token: string, path: string) {
  const response = await api(sandbox, token, path);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('answering rules', () => {
  it("John Smith's business-hours rule rings his desk phone and softphone for 4 rings, then his mobile for 3, then voicemail", async () => {
    const { status, body } = await json(admin, `${v1}/~/answering-rule/business-hours-rule`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: 'business-hours-rule',
      type: 'BusinessHours',
      enabled: true,
      schedule: { ref: 'BusinessHours' },
      callHandlingAction: 'ForwardCalls',
    });
    expect(body.forwarding.ringingMode).toBe('Sequentially');
    expect(body.forwarding.rules.map((rule: any) => [rule.index, rule.ringCount, rule.forwardingNumbers.map((n: any) => n.label)])).toEqual(
      [
        [1, 4, ['John Smith Desk Phone', 'Jane Smith Softphone']],
        [2, 3, ['Mobile']],
      ],
    );
    expect(body.voicemail.enabled).toBe(true);
  });

  it('his after-hours rule takes messages only; Emma’s forwards every call to her mobile', async () => {
    expect((await json(admin, `${v1}/~/answering-rule/after-hours-rule`)).body).toMatchObject({
      type: 'AfterHours',
      callHandlingAction: 'TakeMessagesOnly',
    });
    const emma = await json(standard, `${v1}/~/answering-rule/after-hours-rule`);
    expect(emma.body).toMatchObject({
      callHandlingAction: 'UnconditionalForwarding',
      unconditionalForwarding: { phoneNumber: '+14155550143' },
    });
    expect(emma.body.forwarding).toBeUndefined();
  });

  it('a standard user never reads another user’s answering rules or caller ID (403 CMN-419); an administrator reads anyone’s', async () => {
    for (const path of [
      `${v1}/${johnId}/answering-rule/business-hours-rule`,
      `${v1}/${paulId}/answering-rule/after-hours-rule`,
      `${v1}/${johnId}/caller-id`,
    ]) {
      const refused = await json(standard, path);
      expect(refused.status, path).toBe(403);
      expect(refused.body.errors[0]).toMatchObject({ errorCode: 'CMN-419' });
    }
    expect((await json(standard, `${v1}/${emmaId}/answering-rule/business-hours-rule`)).status).toBe(200);
    expect((await json(admin, `${v1}/${emmaId}/answering-rule/business-hours-rule`)).body.forwarding.ringingMode).toBe('Simultaneously');
    expect((await json(admin, `${v1}/${emmaId}/caller-id`)).status).toBe(200);
  });

  it('only the two standard rules exist: any other rule id is 404 CMN-102', async () => {
    const unknown = await json(admin, `${v1}/~/answering-rule/12345`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0]).toMatchObject({ errorCode: 'CMN-102', parameterName: 'ruleId' });
  });
});

describe('business hours, time zones and caller ID', () => {
  it("business hours are each user's own, in their own time zone (readExtension's regionalSettings)", async () => {
    const john = await json(admin, `${v1}/~/business-hours`);
    expect(john.body.schedule.weeklyRanges).toEqual(
      Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((day) => [day, [{ from: '09:00', to: '18:00' }]])),
    );
    expect((await json(admin, `${v1}/~`)).body.regionalSettings.timezone.name).toBe('US/Pacific');
    expect((await json(standard, `${v1}/~`)).body.regionalSettings.timezone.name).toBe('US/Eastern');
    // Business hours need ReadExtensions (the spec): a colleague's schedule is readable, unlike their rules.
    expect((await json(standard, `${v1}/${johnId}/business-hours`)).status).toBe(200);
    // Someone the seed says nothing about has business hours around the clock.
    expect((await json(admin, `${v1}/${paulId}/business-hours`)).body.schedule).toEqual({ weeklyRanges: {} });
  });

  it('caller ID names the number by feature and device', async () => {
    const { body } = await json(admin, `${v1}/~/caller-id`);
    expect(body.byFeature).toContainEqual({ feature: 'RingMe', callerId: { type: 'Blocked' } });
    expect(body.byFeature.find((f: any) => f.feature === 'MobileApp').callerId.phoneInfo.phoneNumber).toBe('+16505550101');
    expect(body.byDevice[0]).toMatchObject({ device: { name: 'John Smith Desk Phone' }, callerId: { type: 'PhoneNumber' } });
  });

  it('the seed refuses a rule step naming someone else’s forwarding number, and a caller ID that is not a company number', async () => {
    const demo = await loadDemoSeed();
    const stealing = structuredClone(demo);
    stealing.callHandling[0]!.businessHoursRule!.steps[0]!.forwardingNumberIds = ['33337001'];
    expect(() => parseSeed(stealing)).toThrow(/33337001 is not one of extension 101's/);
    const foreign = structuredClone(demo);
    foreign.callHandling[0]!.callerId!.byFeature.RingOut = '+12025550199';
    expect(() => parseSeed(foreign)).toThrow(/not a company number/);
  });
});

describe('the company clock', () => {
  it('is set with an ISO date-time and offset, runs on from there, and goes back to real time', async () => {
    const sandboxControl = control(sandbox);
    const set = await sandboxControl.setClock('2026-12-02T10:00:00-08:00');
    expect(set).toBe('2026-12-02T18:00:00.000Z');
    expect(Math.abs(sandbox.clock.now() - Date.parse('2026-12-02T18:00:00Z'))).toBeLessThan(5_000);
    await expect(sandboxControl.setClock('10 pm')).rejects.toThrow(/answered 400/);
    await sandboxControl.resetClock();
    expect(Math.abs(Date.parse(await sandboxControl.clock()) - Date.now())).toBeLessThan(5_000);
  });

  it('moving it expires no session', async () => {
    await control(sandbox).setClock('2031-01-01T00:00:00Z');
    try {
      expect((await json(admin, `${v1}/~`)).status).toBe(200);
    } finally {
      await control(sandbox).resetClock();
    }
  });
});

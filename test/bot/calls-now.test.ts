import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalTeamsUser } from '../../src/demo/local-teams.ts';
import type { DemoStack } from '../../src/demo/demo-stack.ts';
import { callsNowWording } from '../../src/handlers/wording.ts';
import { control } from '../support/sandbox.ts';
import { answer as slackAnswer, fieldsOf, linkUser, readableText as slackText, startSlackTestStack } from '../support/slack-stack.ts';
import {
  answer as teamsAnswer,
  expectEveryPostedMessageValid,
  factsOf,
  linkTeamsUser,
  readableText as teamsText,
  titleOf as teamsTitleOf,
} from '../support/teams-stack.ts';

/*
 * /myforwarding's "where my calls go now", end to end through Slack (signed slash commands) and Teams (activities on
 * /api/messages), for the administrator John Smith (101, US/Pacific, Mon–Fri 09:00–18:00) and the standard user Emma
 * Chen (103, US/Eastern, Mon–Fri 08:00–17:00). The sandbox's company clock is the bot's wall clock: the tests set it
 * to 10:00 on a weekday and to 22:00 in each user's own time zone, and the bot decides which rule is in force.
 */

let stack: DemoStack;
let emmaOnTeams: LocalTeamsUser;
let graceOnTeams: LocalTeamsUser;
let oliviaOnTeams: LocalTeamsUser;

const OLIVIA_ID = '435100008';
// 2 December 2026 is a Wednesday.
const wednesdayAt = (time: string, offset: string) => `2026-12-02T${time}:00${offset}`;

beforeAll(async () => {
  stack = await startSlackTestStack();
  await linkUser(stack, 'U101', '101');
  await linkUser(stack, 'U103', '103');
  await linkUser(stack, 'U104', '104');
  emmaOnTeams = await linkTeamsUser(stack, '103');
  graceOnTeams = await linkTeamsUser(stack, '120');
  oliviaOnTeams = await linkTeamsUser(stack, '104');
});

afterEach(async () => {
  expectEveryPostedMessageValid(stack);
  await control(stack.sandbox).resetClock();
});

afterAll(async () => {
  await stack?.close();
});

const slackSubtitle = (text: string) => text.split('\n').find((line) => line.includes(callsNowWording.ruleInForce('')));
const stepFacts = (facts: Array<[string, string]>) => facts.filter(([label]) => /^\d+(st|nd|rd|th)\b/.test(label));

describe('the administrator, on Slack', () => {
  it('at 10:00 on a weekday in US/Pacific: the business-hours rule rings his desk phone and softphone, then his mobile, then voicemail', async () => {
    await control(stack.sandbox).setClock(wednesdayAt('10:00', '-08:00'));
    const message = await slackAnswer(stack, 'U101', '/myforwarding');
    expect(slackSubtitle(slackText(message))).toBe('Business hours rule in force · Wednesday 10:00 in US/Pacific');
    const facts = fieldsOf(message);
    expect(facts).toContainEqual(['Do not disturb', 'Off']);
    expect(facts).toContainEqual(['Business hours', 'Mon–Fri 09:00–18:00']);
    expect(facts).toContainEqual(['Calls', 'Ring your phones one after another']);
    expect(stepFacts(facts)).toEqual([
      ['1st · 4 rings', 'John Smith Desk Phone (760) 941-0044 · Jane Smith Softphone (480) 396-0003'],
      ['2nd · 3 rings', 'Mobile (650) 555-0111'],
    ]);
    expect(facts).toContainEqual(['Then', 'Voicemail']);
    const callerId = facts.find(([label]) => label === 'Caller ID')?.[1];
    expect(callerId).toContain('(650) 555-0101 for RingOut, RingCentral app, John Smith Desk Phone');
    expect(callerId).toContain('Blocked for RingMe');
    expect(facts).toContainEqual(['Internal calls show', 'Your extension number (101)']);
    // The forwarding list still follows, all five numbers in flip order.
    expect(slackText(message)).toContain(callsNowWording.itemsHeading);
  });

  it('at 22:00 in US/Pacific the after-hours rule is in force: straight to voicemail, nothing rings — decided anew with no RingCentral call', async () => {
    await control(stack.sandbox).setClock(wednesdayAt('10:00', '-08:00'));
    await slackAnswer(stack, 'U101', '/myforwarding');
    await control(stack.sandbox).resetStats();
    await control(stack.sandbox).setClock(wednesdayAt('22:00', '-08:00'));
    const message = await slackAnswer(stack, 'U101', '/myforwarding');
    expect(slackSubtitle(slackText(message))).toBe('After hours rule in force · Wednesday 22:00 in US/Pacific');
    expect(fieldsOf(message)).toContainEqual(['Calls', 'Straight to voicemail']);
    expect(stepFacts(fieldsOf(message))).toEqual([]);
    // Rules and schedule were cached within the TTL (presence too, within 30 s): the clock alone changed the answer.
    expect((await control(stack.sandbox).stats()).total).toBe(0);
  });

  it('the same instant is after hours for a colleague in Europe/London, whose do-not-disturb is on (Teams)', async () => {
    await control(stack.sandbox).setClock(wednesdayAt('10:00', '-08:00')); // 18:00 in London
    const message = await teamsAnswer(stack, graceOnTeams, 'myforwarding');
    expect(teamsTitleOf(message)).toBe(callsNowWording.title);
    const text = teamsText(message);
    expect(text).toContain('After hours rule in force · Wednesday 18:00 in Europe/London');
    expect(text).toContain(callsNowWording.dndOn);
    const facts = factsOf(message);
    expect(facts).toContainEqual(['Do not disturb', 'On: no calls ring']);
    expect(facts).toContainEqual(['Business hours', 'Mon–Thu 08:30–12:30, 13:30–17:00 · Fri 08:30–13:00']);
  });
});

describe('the standard user, on Teams and Slack', () => {
  it('never sees another user’s answering rules: her first answer, asked after the administrator’s, holds none of his', async () => {
    await control(stack.sandbox).setClock(wednesdayAt('10:00', '-08:00'));
    await slackAnswer(stack, 'U101', '/myforwarding');
    await control(stack.sandbox).resetStats();
    const message = await slackAnswer(stack, 'U103', '/myforwarding');
    const text = slackText(message);
    for (const his of ['(760) 941-0044', '(480) 396-0003', '(650) 555-0111', 'Mon–Fri 09:00–18:00', '(650) 555-0101'])
      expect(text).not.toContain(his);
    // …and is her own rule, read fresh (at 13:00 in US/Eastern, within her hours).
    expect(slackSubtitle(text)).toBe('Business hours rule in force · Wednesday 13:00 in US/Eastern');
    expect(stepFacts(fieldsOf(message))).toContainEqual(['2nd, all at once · 5 rings', 'Mobile (415) 555-0143 · Home (415) 555-0163']);
    // Whatever the bot asked RingCentral for her, it asked with her login about her own extension only.
    const stats = await control(stack.sandbox).stats();
    expect(Object.keys(stats.byUser)).toEqual(['435069008']);
    // Cold: six Light calls in parallel beside the account's home country (kept a day); her own extension was read at linking.
    expect(stats.byUser['435069008']).toEqual({
      listForwardingNumbers: 1,
      readAccountInfo: 1,
      readUserBusinessHours: 1,
      readAnsweringRule: 2,
      readExtensionCallerId: 1,
      readUserPresenceStatus: 1,
    });
    // Warm, within presence's 30 s: nothing.
    await control(stack.sandbox).resetStats();
    await slackAnswer(stack, 'U103', '/myforwarding');
    expect((await control(stack.sandbox).stats()).total).toBe(0);
  });

  it('at 10:00 on a weekday in US/Eastern: the app rings first, then mobile and home all at once, then voicemail', async () => {
    await control(stack.sandbox).setClock(wednesdayAt('10:00', '-05:00'));
    const message = await teamsAnswer(stack, emmaOnTeams, 'myforwarding');
    expect(teamsText(message)).toContain('Business hours rule in force · Wednesday 10:00 in US/Eastern');
    const facts = factsOf(message);
    expect(facts).toContainEqual(['Calls', 'Ring your forwarding numbers all at once']);
    expect(stepFacts(facts)).toEqual([
      ['1st · 2 rings', 'RingCentral app and softphones'],
      ['2nd, all at once · 5 rings', 'Mobile (415) 555-0143 · Home (415) 555-0163'],
    ]);
    expect(facts).toContainEqual(['Then', 'Voicemail']);
  });

  it('at 22:00 in US/Eastern every call is forwarded to her mobile (Slack)', async () => {
    await control(stack.sandbox).setClock(wednesdayAt('22:00', '-05:00'));
    const message = await slackAnswer(stack, 'U103', '/myforwarding');
    expect(slackSubtitle(slackText(message))).toBe('After hours rule in force · Wednesday 22:00 in US/Eastern');
    expect(fieldsOf(message)).toContainEqual(['Calls', 'Forwarded to (415) 555-0143, without ringing you']);
  });

  it('do not disturb shows, on Slack and Teams', async () => {
    await control(stack.sandbox).setPresence(OLIVIA_ID, { dndStatus: 'DoNotAcceptAnyCalls' });
    const message = await slackAnswer(stack, 'U104', '/myforwarding');
    expect(fieldsOf(message)).toContainEqual(['Do not disturb', 'On: no calls ring']);
    expect(slackText(message)).toContain(callsNowWording.dndOn);
    // Someone with no schedule of their own has business hours around the clock.
    expect(slackSubtitle(slackText(message))).toBe(`Business hours rule in force · ${callsNowWording.aroundTheClock}`);
    const onTeams = await teamsAnswer(stack, oliviaOnTeams, 'myforwarding');
    expect(factsOf(onTeams)).toContainEqual(['Do not disturb', 'On: no calls ring']);
  });
});

describe('an app without ReadPresence', () => {
  let noPresence: DemoStack;

  beforeAll(async () => {
    noPresence = await startSlackTestStack({
      env: { RINGCENTRAL_CLIENT_ID: 'switchboard-nopresence', RINGCENTRAL_CLIENT_SECRET: 'switchboard-nopresence-secret' },
    });
    await linkUser(noPresence, 'U120', '120');
  });

  afterAll(async () => {
    await noPresence?.close();
  });

  it('still says where calls go, only without do-not-disturb', async () => {
    await control(noPresence.sandbox).setClock(wednesdayAt('10:00', '+00:00'));
    const message = await slackAnswer(noPresence, 'U120', '/myforwarding');
    expect(slackSubtitle(slackText(message))).toBe('Business hours rule in force · Wednesday 10:00 in Europe/London');
    expect(fieldsOf(message).map(([label]) => label)).not.toContain('Do not disturb');
    expect(slackText(message)).not.toContain(callsNowWording.dndOn);
    expect(fieldsOf(message)).toContainEqual(['Calls', 'Ring your phones one after another']);
  });
});

import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalTeamsUser } from '../../../src/demo/local-teams.ts';
import { accountJson, control, loginAs } from '../../support/sandbox.ts';
import {
  answer as slackAnswer,
  fieldsOf as slackFieldsOf,
  linkUser as linkSlackUser,
  titleOf as slackTitleOf,
} from '../../support/slack-stack.ts';
import type { TeamsTestStack } from '../../support/teams-stack.ts';
import {
  answer,
  expectEveryPostedMessageValid,
  factsOf,
  factValue,
  itemTitlesOf,
  linkTeamsUser,
  readableText,
  startTeamsTestStack,
  submitButtons,
  teamsConnectUrlOf,
  telNumbersOf,
  titleOf,
} from '../../support/teams-stack.ts';

/*
 * Every command in a one-to-one Teams chat, asked by the administrator John Smith (101) and by the standard user Emma
 * Chen (103): activities posted to /api/messages as Teams sends them, answers read from the local connector. What each
 * sees is checked against RingCentral (the sandbox, read with a login of the same person) and against the Slack face
 * of the same core.
 */

const PAUL_ID = '435068008';
const COMPANY_WIDE = new Set([
  'MainCompanyNumber',
  'AdditionalCompanyNumber',
  'CompanyNumber',
  'CompanyFaxNumber',
  'ForwardedCompanyNumber',
]);

interface Viewer {
  name: string;
  extensionNumber: string;
  user: LocalTeamsUser;
  accessToken: string;
}

let stack: TeamsTestStack;
const viewers: Record<'admin' | 'standard', Viewer> = {
  admin: { name: 'John Smith', extensionNumber: '101', user: undefined as never, accessToken: '' },
  standard: { name: 'Emma Chen', extensionNumber: '103', user: undefined as never, accessToken: '' },
};

beforeAll(async () => {
  stack = await startTeamsTestStack();
  for (const viewer of Object.values(viewers)) {
    viewer.user = await linkTeamsUser(stack, viewer.extensionNumber);
    viewer.accessToken = (await loginAs(stack.sandbox, viewer.extensionNumber)).access_token;
  }
  await linkSlackUser(stack, 'U103', '103');
});

afterEach(() => {
  expectEveryPostedMessageValid(stack);
});

afterAll(async () => {
  await stack?.close();
});

type Json = Record<string, any>;

const ringCentral = (viewer: Viewer, path: string): Promise<Json> => accountJson(stack.sandbox, viewer.accessToken, path);

const e164 = (raw: string) => parsePhoneNumberFromString(raw, 'US')?.number ?? raw;
const national = (raw: string) => parsePhoneNumberFromString(raw, 'US')?.formatNational() ?? raw;

describe.each(Object.keys(viewers) as Array<keyof typeof viewers>)('in a one-to-one chat, as the %s user', (role) => {
  const viewer = () => viewers[role];

  it('ext 102 shows Paul Rivera with exactly the numbers and contact fields RingCentral shows this viewer', async () => {
    const message = await answer(stack, viewer().user, 'ext 102');
    expect(titleOf(message)).toBe('Paul Rivera');
    const record = await ringCentral(viewer(), `/extension/${PAUL_ID}`);
    const numbers = ((await ringCentral(viewer(), `/extension/${PAUL_ID}/phone-number`)).records as Json[]).filter(
      (number) => !COMPANY_WIDE.has(number.usageType),
    );
    const contact = (record.contact ?? {}) as Json;
    const expected = new Set(numbers.map((number) => e164(number.phoneNumber)));
    if (contact.businessPhone) expected.add(e164(contact.businessPhone));
    if (contact.mobilePhone) expected.add(e164(contact.mobilePhone));
    expect(new Set(telNumbersOf(message)), 'every number RingCentral shows, and no other').toEqual(expected);
    expect(factValue(message, 'Extension')).toBe('102');
    expect(factValue(message, 'Email')).toBe(contact.email);
    expect(factValue(message, 'Job title')).toBe(contact.jobTitle);
    expect(factValue(message, 'Mobile phone')).toBe(contact.mobilePhone && national(contact.mobilePhone));
    // Paul's Teams profile carries the same email: he is shown beside his extension.
    expect(factValue(message, 'In chat')).toBe('Paul Rivera');
  });

  it('a leading slash is accepted: /ext 102 is ext 102', async () => {
    const plain = await answer(stack, viewer().user, 'ext 102');
    const slashed = await answer(stack, viewer().user, '/ext 102');
    expect(slashed.attachments).toEqual(plain.attachments);
  });

  it("whois +16503316252 shows what RingCentral says of Paul's direct number to this viewer: features only to the administrator", async () => {
    const message = await answer(stack, viewer().user, 'whois +16503316252');
    expect(titleOf(message)).toBe('(650) 331-6252');
    expect(factValue(message, 'Belongs to')).toBe('Paul Rivera');
    expect(factValue(message, 'Used as')).toBe('Direct number');
    if (role === 'admin') expect(factValue(message, 'Features')).toBe('Caller ID, SMS sender');
    else expect(factValue(message, 'Features')).toBeUndefined();
    expect(telNumbersOf(message)).toEqual(['+16503316252']);
    expect(submitButtons(message).map((button) => button.data)).toEqual([{ switchboardCommand: 'ext 102' }]);
  });

  it("myforwarding lists the viewer's own forwarding numbers, all of them, in call flip order", async () => {
    const message = await answer(stack, viewer().user, 'myforwarding');
    const records = ((await ringCentral(viewer(), '/extension/~/forwarding-number')).records as Json[]).sort(
      (a, b) => Number(a.flipNumber) - Number(b.flipNumber),
    );
    expect(records.length).toBeGreaterThan(0);
    expect(titleOf(message)).toBe('Where your calls go now');
    expect(itemTitlesOf(message)).toEqual(records.map((record) => record.label));
    for (const record of records) {
      expect(readableText(message)).toContain(national(record.phoneNumber));
      expect(readableText(message)).toContain(`Flip shortcut ${record.flipNumber}`);
    }
  });

  it('help lists every command, written as typed to the bot', async () => {
    const message = await answer(stack, viewer().user, 'help');
    expect(titleOf(message)).toBe('Switchboard');
    expect(itemTitlesOf(message).map((title) => title.split(' ')[0])).toEqual([
      'ext',
      'whois',
      'myforwarding',
      'company',
      'link',
      'unlink',
      'status',
      'confirm',
    ]);
    expect(readableText(message)).not.toMatch(/(^|\s)\/ext/);
  });

  it('status shows whom the viewer is linked as, and their role', async () => {
    const message = await answer(stack, viewer().user, 'status');
    const self = await ringCentral(viewer(), '/extension/~');
    expect(factsOf(message)).toEqual([
      ['Name', self.name],
      ['Extension', self.extensionNumber],
      ['Email', self.contact.email],
      ['Company', self.contact.company],
      ['Role', role === 'admin' ? 'Administrator' : 'Standard user'],
    ]);
  });

  it("link offers a fresh sign-in card with a Connect button to RingCentral's authorize page", async () => {
    const message = await answer(stack, viewer().user, 'link');
    expect(titleOf(message)).toBe('Connect RingCentral');
    const url = new URL(teamsConnectUrlOf(message)!);
    expect(url.origin).toBe(stack.sandbox.url);
    expect(url.searchParams.get('redirect_uri')).toBe(`${stack.bot.publicUrl}/oauth/ringcentral/callback`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('unlink signs out and forgets the login: the next lookup asks to connect again', async () => {
    const message = await answer(stack, viewer().user, 'unlink');
    expect(titleOf(message)).toBe('Disconnected from RingCentral');
    expect(await stack.bot.services.store.getLink(stack.userKey(viewer().user))).toBeUndefined();
    const next = await answer(stack, viewer().user, 'ext 102');
    expect(titleOf(next)).toBe('Connect your RingCentral account');
    viewer().user = await linkTeamsUser(stack, viewer().extensionNumber);
  });
});

describe('one core, two faces', () => {
  it("the administrator sees Paul's forwarded number and mobile; the standard user sees only his direct number", async () => {
    const adminCard = await answer(stack, viewers.admin.user, 'ext 102');
    const standardCard = await answer(stack, viewers.standard.user, 'ext 102');
    expect(factsOf(adminCard)).toContainEqual(['Forwarded number', '(786) 987-6543']);
    expect(factsOf(adminCard)).toContainEqual(['Mobile phone', '(650) 555-0112']);
    expect(telNumbersOf(standardCard)).toEqual(['+16503316252']);
  });

  it.each(['ext 102', 'whois +16503316252', 'ext', 'status'])('"%s" shows the same facts in Teams as in Slack', async (command) => {
    const teams = await answer(stack, viewers.standard.user, command);
    const slack = await slackAnswer(stack, 'U103', `/${command.startsWith('status') ? 'switchboard status' : command}`);
    // The chat user is each platform's own (a Slack mention, a Teams name); everything else is the same core's.
    const withoutChatUser = (facts: Array<[string, string]>) => facts.filter(([label]) => label !== 'In chat');
    expect(withoutChatUser(factsOf(teams))).toEqual(withoutChatUser(slackFieldsOf(slack)));
    expect(titleOf(teams)).toBe(slackTitleOf(slack));
  });
});

describe('held back by Switchboard, not by RingCentral', () => {
  it('says so plainly in Teams too, with the limit RingCentral announced, and sends nothing more', async () => {
    const user = await linkTeamsUser(stack, '109');
    const sandbox = control(stack.sandbox);
    // Medium (listExtensions, one per "ext <email>"): 3 a minute, which the bot learns from the headers. By email, not
    // by number: a standard user's "ext <number>" found in their directory index would be answered from the entry.
    await sandbox.config({ rateLimits: { limits: { Light: 50, Medium: 3, Heavy: 50, Auth: 50 }, penaltySeconds: 60 } });
    try {
      let message: Awaited<ReturnType<typeof answer>> | undefined;
      for (const email of ['grace.mensah', 'aiden.novak', 'priya.singh', 'wei.zhang'].map((name) => `${name}@mycompany.com`)) {
        await sandbox.resetStats();
        message = await answer(stack, user, `ext ${email}`);
        if (factValue(message, 'Extension') === undefined) break;
      }
      expect(titleOf(message!)).toBe('Too many lookups');
      expect(readableText(message!)).toMatch(/You've made many lookups in a minute; RingCentral allows 3\. Try again in \d+ s\./);
      expect(readableText(message!)).not.toMatch(/slow down/i);
      const stats = await sandbox.stats();
      expect(stats.rateLimited).toBe(0);
      expect(stats.total).toBe(0);
    } finally {
      await sandbox.config({ rateLimits: { scale: 100 } });
    }
  });
});

import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseMessage } from '../../../src/demo/local-slack.ts';
import { callsNowWording } from '../../../src/handlers/wording.ts';
import { expectedQueuePage, presenceTextFor } from '../../support/presence-oracle.ts';
import { accountJson, loginAs } from '../../support/sandbox.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import { answer, fieldsOf, linkUser, readableText, startSlackTestStack, telNumbersOf, titleOf } from '../../support/slack-stack.ts';

/*
 * Each command, asked by the administrator John Smith (101) and by the standard user Emma Chen (103), shows each of
 * them exactly what RingCentral shows them. The expectation is read from RingCentral (the sandbox) with a login of
 * that same person, independently of the bot's client.
 */

const PAUL_ID = '435068008';
const AMELIA_ID = '435112008'; // 117, publishes no presence
const SALES_QUEUE_ID = '1201057008'; // 200, a call queue
const COMPANY_WIDE = new Set([
  'MainCompanyNumber',
  'AdditionalCompanyNumber',
  'CompanyNumber',
  'CompanyFaxNumber',
  'ForwardedCompanyNumber',
]);

interface Viewer {
  name: string;
  slackUserId: string;
  extensionNumber: string;
  accessToken: string;
}

let stack: SlackTestStack;
const viewers: Record<'admin' | 'standard', Viewer> = {
  admin: { name: 'John Smith', slackUserId: 'U101', extensionNumber: '101', accessToken: '' },
  standard: { name: 'Emma Chen', slackUserId: 'U103', extensionNumber: '103', accessToken: '' },
};

beforeAll(async () => {
  stack = await startSlackTestStack();
  for (const viewer of Object.values(viewers)) {
    await linkUser(stack, viewer.slackUserId, viewer.extensionNumber);
    // A separate RingCentral login of the same person: what RingCentral shows them, read without the bot.
    viewer.accessToken = (await loginAs(stack.sandbox, viewer.extensionNumber)).access_token;
  }
});

afterAll(async () => {
  await stack?.close();
});

// RingCentral's JSON as the sandbox sends it; the test reads a few fields of it.
type Json = Record<string, any>;

const ringCentral = (viewer: Viewer, path: string): Promise<Json> => accountJson(stack.sandbox, viewer.accessToken, path);

function e164(raw: string): string {
  return parsePhoneNumberFromString(raw, 'US')?.number ?? raw;
}

function national(raw: string): string {
  return parsePhoneNumberFromString(raw, 'US')?.formatNational() ?? raw;
}

function fieldValue(message: ResponseMessage, label: string): string | undefined {
  return fieldsOf(message).find(([name]) => name === label)?.[1];
}

/** An extension card against RingCentral's record and number list of that extension, as this viewer gets them. */
async function expectExtensionCardAsRingCentralShows(message: ResponseMessage, viewer: Viewer, extensionId: string): Promise<void> {
  const record = await ringCentral(viewer, `/extension/${extensionId}`);
  const numbers = (await ringCentral(viewer, `/extension/${extensionId}/phone-number`)).records as Json[];
  const own = numbers.filter((number) => !COMPANY_WIDE.has(number.usageType));
  const contact = (record.contact ?? {}) as Json;

  const shownNumbers = new Set(own.map((number) => e164(number.phoneNumber)));
  if (contact.businessPhone) shownNumbers.add(e164(contact.businessPhone));
  if (contact.mobilePhone) shownNumbers.add(e164(contact.mobilePhone));
  expect(new Set(telNumbersOf(message)), 'every number RingCentral shows, and no other').toEqual(shownNumbers);
  // Each labelled number under the label RingCentral gives it (the card reads "Direct number (Sales line)").
  for (const number of own.filter((candidate) => candidate.label !== undefined)) {
    const field = fieldsOf(message).find(([name]) => name.endsWith(`(${number.label as string})`));
    expect(field?.[1], `the number labelled ${number.label as string}`).toContain(national(number.phoneNumber));
  }

  expect(fieldValue(message, 'Extension')).toBe(record.extensionNumber);
  const optional: Array<[string, string | undefined]> = [
    ['Email', contact.email],
    ['Job title', contact.jobTitle],
    ['Department', contact.department],
    ['Company', contact.company],
    ['Business phone', contact.businessPhone && national(contact.businessPhone)],
    ['Mobile phone', contact.mobilePhone && national(contact.mobilePhone)],
  ];
  for (const [label, value] of optional) expect(fieldValue(message, label), label).toBe(value);
  expect(fieldValue(message, 'Address') !== undefined, 'Address').toBe(contact.businessAddress !== undefined);
  // Presence: what RingCentral shows this viewer of a person now; none for groups or people not Enabled.
  const person = ['User', 'DigitalUser', 'VirtualUser'].includes(record.type) && record.status === 'Enabled';
  expect(fieldValue(message, 'Presence'), 'Presence').toBe(
    person ? await presenceTextFor(stack.sandbox, viewer.accessToken, extensionId) : undefined,
  );
}

describe.each(Object.keys(viewers) as Array<keyof typeof viewers>)('as the %s user', (role) => {
  const viewer = () => viewers[role];

  it('/ext 102 shows Paul Rivera with exactly the numbers and contact fields RingCentral shows this viewer', async () => {
    const message = await answer(stack, viewer().slackUserId, '/ext 102');
    expect(titleOf(message)).toBe('Paul Rivera');
    await expectExtensionCardAsRingCentralShows(message, viewer(), PAUL_ID);
  });

  it('/ext of a person who publishes no presence, and of a call queue, show what RingCentral shows this viewer', async () => {
    await expectExtensionCardAsRingCentralShows(await answer(stack, viewer().slackUserId, '/ext 117'), viewer(), AMELIA_ID);
    const queue = await answer(stack, viewer().slackUserId, '/ext 200');
    await expectExtensionCardAsRingCentralShows(queue, viewer(), SALES_QUEUE_ID);
    const expected = await expectedQueuePage(stack.sandbox, viewer().accessToken, SALES_QUEUE_ID, 1);
    const text = readableText(queue);
    for (const member of expected.members) expect(text).toContain(`*${member.title}*\n${member.details}`);
  });

  it("/ext of a colleague once this viewer's directory index is built shows what RingCentral shows them, labels included; a standard user's numbers come from the directory entry, with no call", async () => {
    const seed = stack.sandbox.seed;
    const viewerId = String(seed.extensions.find((extension) => extension.extensionNumber === viewer().extensionNumber)!.id);
    const supportQueue = String(seed.extensions.find((extension) => extension.extensionNumber === '201')!.id);
    await answer(stack, viewer().slackUserId, '/ext haddad'); // a name search builds this viewer's index
    const numberReads = async () => (await stack.control.stats()).byUser[viewerId]?.['listExtensionPhoneNumbers'] ?? 0;
    const before = await numberReads();
    const message = await answer(stack, viewer().slackUserId, '/ext 201');
    if (role === 'standard') expect(await numberReads()).toBe(before);
    await expectExtensionCardAsRingCentralShows(message, viewer(), supportQueue);
    expect(fieldsOf(message).map(([name]) => name)).toContain('Direct number (Support line)');
  });

  it('/ext by email and by Slack mention find the same person as by number', async () => {
    const byNumber = await answer(stack, viewer().slackUserId, '/ext 102');
    const byEmail = await answer(stack, viewer().slackUserId, '/ext paul.rivera@mycompany.com');
    const byMention = await answer(stack, viewer().slackUserId, '/ext <@U102|paul>');
    expect(byEmail.blocks).toEqual(byNumber.blocks);
    expect(byMention.blocks).toEqual(byNumber.blocks);
  });

  it('/ext with nothing after it shows the viewer themselves, as RingCentral shows them their own extension', async () => {
    const message = await answer(stack, viewer().slackUserId, '/ext');
    expect(titleOf(message)).toBe(`${viewer().name} (you)`);
    const self = await ringCentral(viewer(), '/extension/~');
    await expectExtensionCardAsRingCentralShows(message, viewer(), String(self.id));
    // "me" is what people type for the same card; it is not a name search for "me".
    expect((await answer(stack, viewer().slackUserId, '/ext me')).blocks).toEqual(message.blocks);
  });

  it('/ext with a name shows the one match, or lists the matches of the company directory', async () => {
    const single = await answer(stack, viewer().slackUserId, '/ext rivera');
    expect(titleOf(single)).toBe('Paul Rivera');

    const directory = (await ringCentral(viewer(), '/directory/entries?perPage=2000')).records as Json[];
    const haddads = directory.filter((entry) => entry.lastName === 'Haddad').map((entry) => `${entry.firstName} ${entry.lastName}`);
    expect(haddads.length).toBeGreaterThan(1);
    const list = await answer(stack, viewer().slackUserId, '/ext haddad');
    const titles = (list.blocks as Array<{ type: string; text?: { type: string; text: string } }>)
      .filter((block) => block.type === 'section' && block.text?.type === 'mrkdwn')
      .map((block) => /^\*(.+?)\*/.exec(block.text!.text)?.[1]);
    expect(titles.sort()).toEqual(haddads.sort());
    expect(readableText(list)).toContain(`Showing 1–${haddads.length} of ${haddads.length}`);
  });

  it("/whois of Paul's direct number shows what RingCentral says of it to this viewer: features only to the administrator", async () => {
    const message = await answer(stack, viewer().slackUserId, '/whois +16503316252');
    const record = ((await ringCentral(viewer(), `/extension/${PAUL_ID}/phone-number`)).records as Json[]).find(
      (number) => number.phoneNumber === '+16503316252',
    )!;
    expect(titleOf(message)).toBe('(650) 331-6252');
    expect(fieldValue(message, 'Belongs to')).toBe('Paul Rivera');
    expect(fieldValue(message, 'Used as')).toBe('Direct number');
    expect(fieldValue(message, 'Calls')).toBe(record.type === undefined ? undefined : 'Voice only');
    expect(fieldValue(message, 'Number type')).toBe(record.paymentType === undefined ? undefined : 'Local');
    expect(fieldValue(message, 'Features')).toBe(record.features === undefined ? undefined : 'Caller ID, SMS sender');
    if (role === 'admin') expect(fieldValue(message, 'Features')).toBe('Caller ID, SMS sender');
    else expect(fieldValue(message, 'Features')).toBeUndefined();
  });

  it("/myforwarding lists the viewer's own forwarding numbers, all of them, in call flip order", async () => {
    const message = await answer(stack, viewer().slackUserId, '/myforwarding');
    const records = ((await ringCentral(viewer(), '/extension/~/forwarding-number')).records as Json[]).sort(
      (a, b) => Number(a.flipNumber) - Number(b.flipNumber),
    );
    expect(records.length).toBeGreaterThan(0);
    const sections = (message.blocks as Array<{ type: string; text?: { type: string; text: string } }>).filter(
      (block) => block.type === 'section' && block.text?.type === 'mrkdwn',
    );
    // The list has its heading, below where the calls go now.
    expect(readableText(message)).toContain(callsNowWording.itemsHeading);
    expect(sections).toHaveLength(records.length);
    records.forEach((record, index) => {
      const text = readableText({ text: 'x', blocks: [sections[index]] });
      expect(text).toContain(record.label);
      expect(text).toContain(national(record.phoneNumber));
      expect(text).toContain(`Flip shortcut ${record.flipNumber}`);
    });
  });

  it('/switchboard status shows whom the viewer is linked as, and their role', async () => {
    const message = await answer(stack, viewer().slackUserId, '/switchboard status');
    const self = await ringCentral(viewer(), '/extension/~');
    expect(fieldsOf(message)).toEqual([
      ['Name', self.name],
      ['Extension', self.extensionNumber],
      ['Email', self.contact.email],
      ['Company', self.contact.company],
      ['Role', self.permissions?.admin?.enabled ? 'Administrator' : 'Standard user'],
    ]);
    expect(fieldValue(message, 'Role')).toBe(role === 'admin' ? 'Administrator' : 'Standard user');
  });
});

describe('what only an administrator may see', () => {
  it("the administrator sees Paul's forwarded number on his card and by /whois; the standard user sees neither", async () => {
    const adminCard = await answer(stack, 'U101', '/ext 102');
    const standardCard = await answer(stack, 'U103', '/ext 102');
    expect(fieldsOf(adminCard)).toContainEqual(['Forwarded number', '(786) 987-6543']);
    expect(fieldsOf(adminCard)).toContainEqual(['Mobile phone', '(650) 555-0112']);
    expect(telNumbersOf(standardCard)).toEqual(['+16503316252']);

    const adminWhois = await answer(stack, 'U101', '/whois +17869876543');
    expect(fieldValue(adminWhois, 'Belongs to')).toBe('Paul Rivera');
    expect(fieldValue(adminWhois, 'Used as')).toBe('Forwarded number');
    const standardWhois = await answer(stack, 'U103', '/whois +17869876543');
    expect(titleOf(standardWhois)).toBe('(786) 987-6543 is not in your company directory');
  });

  it("the administrator finds a number listed only in the company's number list; the standard user does not", async () => {
    const adminWhois = await answer(stack, 'U101', '/whois +13125550187');
    expect(fieldValue(adminWhois, 'Used as')).toBe('Forwarded company number');
    expect(fieldValue(adminWhois, 'Label')).toBe('Old Chicago office');
    const standardWhois = await answer(stack, 'U103', '/whois +13125550187');
    expect(titleOf(standardWhois)).toBe('(312) 555-0187 is not in your company directory');
  });

  it("to a standard user, a number only administrators can see reads exactly like a number that is not the company's", async () => {
    const masked = async (number: string) => {
      const message = await answer(stack, 'U103', `/whois ${number}`);
      return JSON.stringify(message).replaceAll(national(number), '#').replaceAll(number, '#');
    };
    const foreign = await masked('+15105550000');
    expect(foreign).toContain('is not in your company directory');
    expect(await masked('+17869876543'), "another extension's forwarded number").toBe(foreign);
    expect(await masked('+13125550187'), 'a number only in the company list').toBe(foreign);
  });
});

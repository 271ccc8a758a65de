import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserApi } from '../../src/api/client.ts';
import type { ForwardingNumber } from '../../src/api/schemas.ts';
import { outlineCard } from '../../src/handlers/card-outline.ts';
import {
  extensionCard,
  extensionCardFromDirectoryEntry,
  extensionListCard,
  extensionListItem,
  forwardingCard,
  linkedStatusCard,
  numberCard,
  presenceLine,
  queueMembers,
} from '../../src/handlers/card-builders.ts';
import type { ExtensionListItem } from '../../src/handlers/cards.ts';
import { phoneNumberView } from '../../src/handlers/phone-display.ts';
import { extensionTypeAbout, extensionTypeWords, wordsFor } from '../../src/handlers/wording.ts';
import type { ApiHarness } from '../api/harness.ts';
import { linkUser, startHarness } from '../api/harness.ts';

/*
 * Builders are fed what the real client returns from the real sandbox (demo seed), as the admin John Smith (101)
 * and the standard user Emma Chen (103), so the cards are checked against RingCentral-shaped records end to end.
 */

let harness: ApiHarness;
let admin: UserApi;
let standard: UserApi;
let homeCountry: string | undefined;
const PAUL_ID = '435068008';

beforeAll(async () => {
  harness = await startHarness();
  await linkUser(harness.client, harness.store, 'test:admin', '101');
  await linkUser(harness.client, harness.store, 'test:standard', '103');
  admin = harness.client.forUser('test:admin');
  standard = harness.client.forUser('test:standard');
  const account = await admin.readAccount();
  homeCountry = account.serviceInfo?.brand?.homeCountry?.isoCode ?? account.regionalSettings?.homeCountry?.isoCode;
});

afterAll(async () => {
  await harness?.close();
});

describe('extensionCard', () => {
  it('shows an extension as an admin sees it: own numbers first, contact fields, address in one line', async () => {
    expect(homeCountry).toBe('US');
    const paul = await admin.readExtension(PAUL_ID);
    const numbers = await admin.listExtensionPhoneNumbers(PAUL_ID);
    const card = extensionCard(paul, { homeCountry, phoneNumbers: numbers.records, chatUser: { id: 'U0PAUL123' } });

    expect(card).toMatchObject({
      kind: 'extension',
      name: 'Paul Rivera',
      extensionNumber: '102',
      type: 'User',
      status: 'Enabled',
      isYou: false,
      chatUser: { id: 'U0PAUL123' },
      contact: {
        email: 'paul.rivera@mycompany.com',
        jobTitle: 'Account Executive',
        department: 'Sales',
        company: 'MyCompany Inc.',
        businessPhone: { display: '(650) 331-6252', e164: '+16503316252' },
        mobilePhone: { display: '(650) 555-0112', e164: '+16505550112' },
        address: '20 Davis Drive, Belmont, CA 94002, USA',
      },
    });
    expect(card.numbers[0]).toEqual({ number: { display: '(650) 331-6252', e164: '+16503316252' }, usage: 'Direct number' });
    expect(card.numbers.map((line) => line.number.e164)).toContain('+17869876543');
    expect(card.numbers.find((line) => line.number.e164 === '+17869876543')?.usage).toBe('Forwarded number');
  });

  it('marks the caller’s own extension', async () => {
    const me = await standard.readExtension();
    const card = extensionCard(me, { homeCountry, isYou: true });
    expect(card.name).toBe('Emma Chen');
    expect(outlineCard(card, 'plain').title).toBe('Emma Chen (you)');
  });

  it('words non-user extension types and keeps only the contact fields the record has', async () => {
    const list = await admin.listExtensions({ extensionNumber: '110' });
    const [record] = list.records;
    expect(record).toBeDefined();
    const card = extensionCard(record!, { homeCountry });
    expect(card).toEqual({
      kind: 'extension',
      name: 'AO Ext',
      extensionNumber: '110',
      type: 'Announcement only',
      status: 'Enabled',
      isYou: false,
      numbers: [],
      contact: { email: 'marie.moon@mycompany.com', company: 'MyCompany', address: 'Washington, USA' },
      about: extensionTypeAbout.Announcement,
    });
  });

  it('builds the same person from a company directory entry', async () => {
    const found = await standard.searchDirectory({ searchString: 'paul.rivera@mycompany.com', searchFields: ['email'] });
    const entry = found.records.find((record) => record.extensionNumber === '102');
    expect(entry).toBeDefined();
    const card = extensionCardFromDirectoryEntry(entry!, { homeCountry });
    expect(card).toMatchObject({
      kind: 'extension',
      name: 'Paul Rivera',
      extensionNumber: '102',
      type: 'User',
      contact: { email: 'paul.rivera@mycompany.com' },
    });
    expect(card.numbers.length).toBeGreaterThan(0);
    for (const line of card.numbers) expect(line.number.e164).toMatch(/^\+1\d{10}$/);
  });
});

describe('numberCard', () => {
  it('describes a direct number with call type, payment type and features in plain words', async () => {
    const numbers = await admin.listExtensionPhoneNumbers(PAUL_ID);
    const direct = numbers.records.find((record) => record.phoneNumber === '+16503316252');
    const paul = await admin.readExtension(PAUL_ID);
    const card = numberCard(direct!, { homeCountry, owner: paul });
    expect(card).toEqual({
      kind: 'number',
      number: { display: '(650) 331-6252', e164: '+16503316252' },
      usage: 'Direct number',
      callType: 'Voice only',
      paymentType: 'Local',
      features: ['Caller ID', 'SMS sender'],
      owner: { name: 'Paul Rivera', extensionNumber: '102', type: 'User', details: { name: 'ext', query: '102', page: 1 } },
    });
  });

  it('describes company numbers from the account list, which carries no features', async () => {
    const all = await admin.listAccountPhoneNumbers();
    const main = all.records.find((record) => record.phoneNumber === '+18555440014');
    const card = numberCard(main!, { homeCountry });
    expect(card).toMatchObject({
      usage: 'Main company number',
      callType: 'Voice and fax',
      paymentType: 'Toll-free',
      number: { display: '(855) 544-0014' },
    });
    expect(card.features).toBeUndefined();
    expect(outlineCard(card, 'plain').facts.map((fact) => fact.label)).not.toContain('Features');
  });

  it('shows no features when RingCentral withholds them from a standard user', async () => {
    const numbers = await standard.listExtensionPhoneNumbers(PAUL_ID);
    // RingCentral: a non-admin sees only other extensions' direct numbers, without features.
    expect(numbers.records.map((record) => record.phoneNumber)).toEqual(['+16503316252']);
    const card = numberCard(numbers.records[0]!, { homeCountry });
    expect(card).toMatchObject({ usage: 'Direct number', callType: 'Voice only', paymentType: 'Local' });
    expect(card.features).toBeUndefined();
    expect(outlineCard(card, 'plain').facts.map((fact) => fact.label)).not.toContain('Features');
  });

  it('keeps the dialled extension the caller wrote after the number', async () => {
    const all = await admin.listAccountPhoneNumbers();
    const main = all.records.find((record) => record.phoneNumber === '+18555440014');
    const card = numberCard(main!, { homeCountry, dialledExtension: '101' });
    expect(card.dialledExtension).toBe('101');
    expect(outlineCard(card, 'plain').title).toBe('(855) 544-0014 ext. 101');
  });
});

describe('forwardingCard', () => {
  it('lists the caller’s forwarding numbers in call flip order with their features', async () => {
    const list = await admin.listForwardingNumbers();
    const card = forwardingCard(list.records, { homeCountry });
    expect(card.items.map((item) => [item.flipNumber, item.label, item.number.e164, item.features])).toEqual([
      ['1', 'John Smith Desk Phone', '+17609410044', ['Call flip']],
      ['2', 'Work', '+18559878944', ['Call forwarding', 'Call flip']],
      ['3', 'Jane Smith Softphone', '+14803960003', ['Call flip']],
      ['4', 'Other', '+12078260027', ['Call forwarding', 'Call flip']],
      ['5', 'Mobile', '+16505550111', ['Call forwarding', 'Call flip']],
    ]);
  });

  it('sorts by flip number whatever order the records come in, numbers without one last', () => {
    const records: ForwardingNumber[] = [
      { id: 'c', phoneNumber: '+12078260027', label: 'Ten', flipNumber: '10', features: ['CallFlip'] },
      { id: 'd', phoneNumber: '+14803960003', label: 'No flip', features: ['CallForwarding'] },
      { id: 'a', phoneNumber: '+17609410044', label: 'Two', flipNumber: '2' },
      { id: 'b', phoneNumber: '+18559878944', type: 'Mobile', flipNumber: '1' },
    ];
    const card = forwardingCard(records, { homeCountry: 'US' });
    // A record without a label reads as its type.
    expect(card.items.map((item) => item.label)).toEqual(['Mobile', 'Two', 'Ten', 'No flip']);
    expect(card.items[3]?.features).toEqual(['Call forwarding']);
  });
});

describe('linkedStatusCard', () => {
  it('says who the caller is linked as and their role', async () => {
    expect(linkedStatusCard(await admin.readExtension())).toEqual({
      kind: 'linkedStatus',
      name: 'John Smith',
      extensionNumber: '101',
      email: 'john.smith@mycompany.com',
      company: 'MyCompany Inc.',
      role: 'Administrator',
    });
    expect(linkedStatusCard(await standard.readExtension())).toMatchObject({ name: 'Emma Chen', role: 'Standard user' });
  });
});

describe('extension lists', () => {
  it('makes list items from extension records and directory entries alike', async () => {
    const records = await admin.listExtensions({ extensionNumber: '102' });
    const fromExtension = extensionListItem(records.records[0]!);
    const found = await standard.searchDirectory({ searchString: 'paul.rivera@mycompany.com', searchFields: ['email'] });
    const fromDirectory = extensionListItem(found.records.find((record) => record.extensionNumber === '102')!);
    const expected: ExtensionListItem = {
      name: 'Paul Rivera',
      extensionNumber: '102',
      type: 'User',
      email: 'paul.rivera@mycompany.com',
      details: { name: 'ext', query: '102', page: 1 },
    };
    expect(fromExtension).toEqual(expected);
    expect(fromDirectory).toEqual(expected);
  });

  const matches: ExtensionListItem[] = Array.from({ length: 23 }, (_, index) => ({
    name: `Smith ${index}`,
    extensionNumber: String(200 + index),
    type: 'User',
  }));

  it('shows one page and offers the next page while more remain', () => {
    const card = extensionListCard({ query: 'smith', matches, toItem: (item) => item, page: 2, pageSize: 10 });
    expect(card.items.map((item) => item.extensionNumber)).toEqual(['210', '211', '212', '213', '214', '215', '216', '217', '218', '219']);
    expect(card.firstPosition).toBe(11);
    expect(card.total).toBe(23);
    expect(card.more).toEqual({ name: 'ext', query: 'smith', page: 3 });
  });

  it('offers no next page on the last page, and keeps an out-of-range page on the last one', () => {
    expect(extensionListCard({ query: 'smith', matches, toItem: (item) => item, page: 3, pageSize: 10 }).more).toBeUndefined();
    const beyond = extensionListCard({ query: 'smith', matches, toItem: (item) => item, page: 99, pageSize: 10 });
    expect(beyond.firstPosition).toBe(21);
    expect(beyond.items).toHaveLength(3);
  });
});

describe('wording and display', () => {
  it('reads unknown RingCentral values as words instead of failing', () => {
    expect(wordsFor(extensionTypeWords, 'IvrMenu')).toBe('Auto-receptionist menu (IVR)');
    expect(wordsFor(extensionTypeWords, 'FlexibleUserPool')).toBe('Flexible user pool');
    expect(wordsFor(extensionTypeWords, 'ABCThing')).toBe('Abc thing');
  });

  it('formats home-country numbers nationally and others internationally, with E.164 for links', () => {
    expect(phoneNumberView('+16503316252', 'US')).toEqual({ display: '(650) 331-6252', e164: '+16503316252' });
    expect(phoneNumberView('+14165550100', 'US')).toEqual({ display: '(416) 555-0100', e164: '+14165550100' });
    expect(phoneNumberView('+442079460958', 'US')).toEqual({ display: '+44 20 7946 0958', e164: '+442079460958' });
    expect(phoneNumberView('+442079460958', 'GB')).toEqual({ display: '020 7946 0958', e164: '+442079460958' });
    expect(phoneNumberView('+16503316252', undefined)).toEqual({ display: '+1 650 331 6252', e164: '+16503316252' });
  });

  it('reads the guide’s E.164 without "+" and keeps free text as text', () => {
    expect(phoneNumberView('18555440014', 'US')).toEqual({ display: '(855) 544-0014', e164: '+18555440014' });
    expect(phoneNumberView('18555440014', undefined)).toEqual({ display: '+1 855 544 0014', e164: '+18555440014' });
    expect(phoneNumberView('ask reception', 'US')).toEqual({ display: 'ask reception' });
  });
});

describe('presenceLine', () => {
  it("reads each demo person's presence as RingCentral shows it to a standard user", async () => {
    const byNumber = async (extensionNumber: string) => {
      const [record] = (await standard.listExtensions({ extensionNumber })).records;
      return presenceLine(await standard.readPresence(String(record!.id)));
    };
    expect(await byNumber('103')).toEqual({ state: 'available', label: 'Available' });
    expect(await byNumber('102')).toEqual({ state: 'busy', label: 'Busy', message: 'Customer visits all afternoon' });
    expect(await byNumber('101')).toEqual({ state: 'onCall', label: 'On a call' });
    expect(await byNumber('108')).toEqual({ state: 'onCall', label: 'On a call (on hold)' });
    expect(await byNumber('106')).toEqual({ state: 'onCall', label: 'Phone ringing' });
    expect(await byNumber('104')).toEqual({ state: 'doNotDisturb', label: 'Do not disturb' });
    expect(await byNumber('120')).toEqual({ state: 'doNotDisturb', label: 'Do not disturb', message: 'Maintenance window' });
    expect(await byNumber('107')).toEqual({ state: 'available', label: 'Available', detail: 'takes no department calls' });
    expect(await byNumber('105')).toEqual({ state: 'offline', label: 'Offline' });
    expect(await byNumber('117')).toEqual({ state: 'notShared', label: 'Not shared' });
  });

  it('do-not-disturb outranks a call, a call outranks Busy, and a presence without a status is no line', () => {
    expect(presenceLine({ presenceStatus: 'Busy', telephonyStatus: 'CallConnected', dndStatus: 'DoNotAcceptAnyCalls' })?.state).toBe(
      'doNotDisturb',
    );
    expect(presenceLine({ presenceStatus: 'Busy', userStatus: 'Busy', telephonyStatus: 'OnHold' })?.state).toBe('onCall');
    expect(presenceLine({ presenceStatus: 'Offline', userStatus: 'Offline', allowSeeMyPresence: false })?.state).toBe('offline');
    expect(presenceLine({})).toBeUndefined();
  });
});

describe('queueMembers', () => {
  it("keeps each member's extension, name, status when not Enabled and presence, with a details command", () => {
    const members = queueMembers({
      members: [
        { extensionNumber: '102', name: 'Paul Rivera', status: 'Enabled', presence: { presenceStatus: 'Busy', userStatus: 'Busy' } },
        { extensionNumber: '133', name: 'Hiroshi Sato', status: 'Disabled' },
        { extensionNumber: '138' },
      ],
      firstPosition: 11,
      total: 13,
      more: { name: 'ext', query: '200', page: 3 },
    });
    expect(members).toEqual({
      items: [
        {
          name: 'Paul Rivera',
          extensionNumber: '102',
          presence: { state: 'busy', label: 'Busy' },
          details: { name: 'ext', query: '102', page: 1 },
        },
        { name: 'Hiroshi Sato', extensionNumber: '133', status: 'Disabled', details: { name: 'ext', query: '133', page: 1 } },
        { extensionNumber: '138', details: { name: 'ext', query: '138', page: 1 } },
      ],
      firstPosition: 11,
      total: 13,
      more: { name: 'ext', query: '200', page: 3 },
    });
  });
});

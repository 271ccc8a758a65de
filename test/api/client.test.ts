import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequest, NotFound, NotPermitted } from '../../src/api/errors.ts';
import type { UserApi } from '../../src/api/client.ts';
import type { ApiHarness } from './harness.ts';
import { linkUser, rejectionOf, startHarness } from './harness.ts';

// The demo company (notes/contracts.md): John Smith (101) is the administrator and the system extension,
// Paul Rivera (102) and Emma Chen (103) are standard users.
const ACCOUNT_ID = 401145624008;

let harness: ApiHarness;
let john: UserApi;
let emma: UserApi;
let paulId: string;

beforeAll(async () => {
  harness = await startHarness();
  await linkUser(harness.client, harness.store, 'slack:T1:john', '101');
  await linkUser(harness.client, harness.store, 'slack:T1:emma', '103');
  john = harness.client.forUser('slack:T1:john');
  emma = harness.client.forUser('slack:T1:emma');
  const paul = await john.listExtensions({ extensionNumber: '102' });
  paulId = String(paul.records[0]?.id);
});

afterAll(async () => {
  await harness?.close();
});

describe('reading the account as a linked user', () => {
  it('returns the account with its main number and brand', async () => {
    const account = await emma.readAccount();
    expect(account.id).toBe(ACCOUNT_ID);
    expect(account.mainNumber).toBe('+18555440014');
    expect(account.serviceInfo?.brand?.id).toBe('1210');
    expect(account.operator?.id).toBe(ACCOUNT_ID);
  });

  it('readExtension("~") is the caller; the token decides who "~" is', async () => {
    const me = await emma.readExtension();
    expect(me.extensionNumber).toBe('103');
    expect(me.permissions?.admin?.enabled).toBe(false);
    const admin = await john.readExtension('~');
    expect(admin.id).toBe(ACCOUNT_ID);
    expect(admin.permissions?.admin?.enabled).toBe(true);
  });

  it('a deadline left over from another budget (fractional milliseconds) is taken as given', async () => {
    const account = await emma.readAccount({ deadlineMs: 2_999.75 });
    expect(account.id).toBe(ACCOUNT_ID);
  });

  it('an unknown extension id is NotFound with RingCentral’s CMN-102', async () => {
    const error = await rejectionOf(john.readExtension('999999999'));
    expect(error).toBeInstanceOf(NotFound);
    expect((error as NotFound).errorCode).toBe('CMN-102');
    expect((error as NotFound).requestId).toBeTruthy();
  });

  it('an id shaped to rewrite the path never reaches RingCentral', async () => {
    const before = (await harness.control.stats()).total;
    await expect(emma.readExtension('../../phone-number')).rejects.toBeInstanceOf(BadRequest);
    await expect(emma.readDirectoryEntry('1/../../x')).rejects.toBeInstanceOf(BadRequest);
    expect((await harness.control.stats()).total).toBe(before);
  });
});

describe('visibility follows the guide, through the client', () => {
  it('an admin sees every number of another extension, with features', async () => {
    const numbers = await john.listExtensionPhoneNumbers(paulId);
    const byNumber = new Map(numbers.records.map((record) => [record.phoneNumber, record]));
    expect(byNumber.get('+16503316252')?.usageType).toBe('DirectNumber');
    expect(byNumber.get('+16503316252')?.features).toEqual(expect.arrayContaining(['CallerId', 'SmsSender']));
    expect(byNumber.get('+17869876543')?.usageType).toBe('ForwardedNumber');
  });

  it('a non-admin sees only DirectNumber records of another extension, without features', async () => {
    const numbers = await emma.listExtensionPhoneNumbers(paulId);
    expect(numbers.records.map((record) => record.phoneNumber)).toEqual(['+16503316252']);
    expect(numbers.records.every((record) => record.usageType === 'DirectNumber' && record.features === undefined)).toBe(true);
  });

  it('only an admin lists the company numbers; a standard user gets NotPermitted CMN-408', async () => {
    const company = await john.listAccountPhoneNumbers({ perPage: 1000 });
    const main = company.records.find((record) => record.phoneNumber === '+18555440014');
    expect(main?.usageType).toBe('MainCompanyNumber');
    const error = await rejectionOf(emma.listAccountPhoneNumbers());
    expect(error).toBeInstanceOf(NotPermitted);
    expect((error as NotPermitted).errorCode).toBe('CMN-408');
  });

  it('forwarding numbers are one’s own: John gets the guide’s four and his mobile, another extension’s are NotPermitted CMN-419', async () => {
    const own = await john.listForwardingNumbers();
    expect(own.records.map((record) => [record.phoneNumber, record.flipNumber])).toEqual([
      ['+17609410044', '1'],
      ['+18559878944', '2'],
      ['+14803960003', '3'],
      ['+12078260027', '4'],
      ['+16505550111', '5'],
    ]);
    expect(own.records.every((record) => typeof record.id === 'string')).toBe(true);
    const error = await rejectionOf(emma.listForwardingNumbers(paulId));
    expect(error).toBeInstanceOf(NotPermitted);
    expect((error as NotPermitted).errorCode).toBe('CMN-419');
  });

  it('an app without ReadAccounts is refused with NotPermitted CMN-401', async () => {
    const noPermission = harness.newClient({ clientId: 'switchboard-noperm', clientSecret: 'switchboard-noperm-secret' });
    await linkUser(noPermission, harness.store, 'slack:T1:john-noperm', '101');
    const error = await rejectionOf(noPermission.forUser('slack:T1:john-noperm').readAccount());
    expect(error).toBeInstanceOf(NotPermitted);
    expect((error as NotPermitted).errorCode).toBe('CMN-401');
  });
});

describe('presence and call queues', () => {
  it("readPresence reads one user's presence; a person who publishes none is Offline with no detail", async () => {
    const paul = await emma.readPresence(paulId);
    expect(paul).toMatchObject({
      presenceStatus: 'Busy',
      userStatus: 'Busy',
      telephonyStatus: 'NoCall',
      dndStatus: 'TakeAllCalls',
      message: 'Customer visits all afternoon',
    });
    expect((await john.readPresence()).telephonyStatus).toBe('CallConnected');
    const amelia = (await john.listExtensions({ extensionNumber: '117' })).records[0]!;
    const hidden = await john.readPresence(String(amelia.id));
    expect(hidden.presenceStatus).toBe('Offline');
    expect(hidden.dndStatus).toBeUndefined();
    expect(hidden.allowSeeMyPresence).toBe(false);
  });

  it('an app without ReadPresence gets NotPermitted CMN-401 for presence, and its other calls still answer', async () => {
    const noPresence = harness.newClient({ clientId: 'switchboard-nopresence', clientSecret: 'switchboard-nopresence-secret' });
    await linkUser(noPresence, harness.store, 'slack:T1:emma-nopresence', '103');
    const api = noPresence.forUser('slack:T1:emma-nopresence');
    const error = await rejectionOf(api.readPresence(paulId));
    expect(error).toBeInstanceOf(NotPermitted);
    expect((error as NotPermitted).errorCode).toBe('CMN-401');
    expect((await api.readExtension(paulId)).extensionNumber).toBe('102');
  });

  it("listCallQueueMembers lists a queue's members with their extension numbers, paged; a non-queue is NotFound", async () => {
    const sales = (await emma.listExtensions({ extensionNumber: '200' })).records[0]!;
    const members = await emma.listCallQueueMembers(String(sales.id), { perPage: 10 });
    expect(members.records.map((member) => member.extensionNumber)).toEqual([
      '102',
      '104',
      '105',
      '106',
      '107',
      '101',
      '117',
      '121',
      '125',
      '134',
    ]);
    expect(members.records[0]?.id).toBe(Number(paulId));
    expect(members.paging?.totalElements).toBe(12);
    await expect(emma.listCallQueueMembers(paulId)).rejects.toBeInstanceOf(NotFound);
    await expect(emma.listCallQueueMembers('../1')).rejects.toBeInstanceOf(BadRequest);
  });
});

describe('extensions, directory and paging', () => {
  it('listExtensions filters by extension number and status', async () => {
    const found = await emma.listExtensions({ extensionNumber: '102' });
    expect(found.records.map((record) => record.name)).toEqual(['Paul Rivera']);
    const enabled = await john.listExtensions({ status: ['Enabled'], perPage: 1000 });
    expect(enabled.records.length).toBeGreaterThan(0);
    expect(enabled.records.every((record) => record.status === 'Enabled')).toBe(true);
  });

  it('allRecords walks every page of extensions exactly once', async () => {
    const firstPage = await john.listExtensions({ perPage: 1000 });
    const total = firstPage.records.length;
    const ids: number[] = [];
    for await (const record of john.allRecords((page) => john.listExtensions({ page, perPage: 7 }))) ids.push(record.id);
    expect(ids.length).toBe(total);
    expect(new Set(ids).size).toBe(total);
    expect(total).toBeGreaterThan(7);
  });

  it('the paging guard stops a walk that would not end', async () => {
    const walk = async () => {
      for await (const page of john.pages((page) => john.listExtensions({ page, perPage: 1 }), { maxPages: 3 })) void page;
    };
    await expect(walk()).rejects.toThrow(/3 pages/);
  });

  it('the directory (no navigation, only paging) is paged to the end', async () => {
    const all = await emma.listDirectoryEntries({ perPage: 2000 });
    if (all.notModified) throw new Error('unexpected 304');
    const ids: string[] = [];
    const fetchPage = async (page: number) => {
      const result = await emma.listDirectoryEntries({ page, perPage: 5 });
      if (result.notModified) throw new Error('unexpected 304');
      return result.data;
    };
    for await (const entry of emma.allRecords(fetchPage)) ids.push(entry.id);
    expect(ids).toEqual(all.data.records.map((entry) => entry.id));
  });

  it('the directory answers 304 to a matching If-None-Match, and the data with its ETag otherwise', async () => {
    const first = await emma.listDirectoryEntries();
    if (first.notModified) throw new Error('unexpected 304');
    expect(first.etag).toBeTruthy();
    expect(first.data.records.every((entry) => typeof entry.id === 'string')).toBe(true);
    const again = await emma.listDirectoryEntries({ ifNoneMatch: first.etag });
    expect(again).toEqual({ notModified: true, etag: expect.anything() });
    const stale = await emma.listDirectoryEntries({ ifNoneMatch: '"stale"' });
    expect(stale.notModified).toBe(false);
  });

  it('searchDirectory (POST) finds a person by direct number; readDirectoryEntry reads the entry', async () => {
    const found = await emma.searchDirectory({ searchString: '6503316252' });
    const paul = found.records.find((entry) => entry.extensionNumber === '102');
    expect(paul?.firstName).toBe('Paul');
    expect(paul?.phoneNumbers?.map((number) => number.phoneNumber)).toContain('+16503316252');
    const entry = await emma.readDirectoryEntry(paul?.id ?? '');
    expect(entry.lastName).toBe('Rivera');
  });
});

describe('call handling', () => {
  it("reads one's own answering rules, business hours and caller ID; another user's rules are NotPermitted CMN-419 for a standard user", async () => {
    const rule = await john.readAnsweringRule('~', 'business-hours-rule');
    expect(rule.forwarding?.ringingMode).toBe('Sequentially');
    expect(rule.forwarding?.rules?.map((step) => step.forwardingNumbers?.map((number) => number.phoneNumber))).toEqual([
      ['+17609410044', '+14803960003'],
      ['+16505550111'],
    ]);
    expect((await emma.readAnsweringRule('~', 'after-hours-rule')).unconditionalForwarding?.phoneNumber).toBe('+14155550143');
    expect((await emma.readBusinessHours()).schedule?.weeklyRanges?.monday).toEqual([{ from: '08:00', to: '17:00' }]);
    expect((await john.readCallerId()).byFeature?.find((entry) => entry.feature === 'RingMe')?.callerId?.type).toBe('Blocked');
    const refused = await rejectionOf(emma.readAnsweringRule(paulId, 'business-hours-rule'));
    expect(refused).toBeInstanceOf(NotPermitted);
    expect((refused as NotPermitted).errorCode).toBe('CMN-419');
    expect((await john.readAnsweringRule(paulId, 'after-hours-rule')).callHandlingAction).toBe('TakeMessagesOnly');
  });

  it('a rule id of another shape never reaches the path', async () => {
    const before = (await harness.control.stats()).total;
    expect(await rejectionOf(john.readAnsweringRule('~', '../../phone-number'))).toBeInstanceOf(BadRequest);
    expect((await harness.control.stats()).total).toBe(before);
  });
});

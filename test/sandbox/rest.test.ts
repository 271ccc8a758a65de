import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.ts';
import { api, company, control, loginAs, startTestSandbox } from '../support/sandbox.ts';

const v1 = '/restapi/v1.0';

let sandbox: Sandbox;
let admin: string;
let standard: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  admin = (await loginAs(sandbox, '101')).access_token;
  standard = (await loginAs(sandbox, '103')).access_token;
});
afterAll(() => sandbox.close());

async function get(token: string, path: string, headers: Record<string, string> = {}) {
  const response = await api(sandbox, token, path, { headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
}

describe('account and extensions', () => {
  it('"~" and the real ids address the same account and extension; uris carry real ids', async () => {
    const byTilde = await get(admin, `${v1}/account/~/extension/~`);
    const byId = await get(admin, `${v1}/account/401145624008/extension/401145624008`);
    expect(byId.body).toEqual(byTilde.body);
    expect(byTilde.body.uri).toBe(`${sandbox.url}/restapi/v1.0/account/401145624008/extension/401145624008`);
    expect(byTilde.body.account).toEqual({ uri: `${sandbox.url}/restapi/v1.0/account/401145624008`, id: '401145624008' });
  });

  it('the guide\'s announcement extension 110 "AO Ext"', async () => {
    const list = await get(admin, `${v1}/account/~/extension?extensionNumber=110`);
    expect(list.body.records).toHaveLength(1);
    expect(list.body.records[0]).toMatchObject({
      extensionNumber: '110',
      name: 'AO Ext',
      type: 'Announcement',
      contact: { company: 'MyCompany', email: 'marie.moon@mycompany.com', businessAddress: { country: 'USA', city: 'Washington' } },
    });
  });

  it('lists page with paging and navigation as the guide shows, filters first and page/perPage last', async () => {
    const page2 = await get(admin, `${v1}/account/~/extension?status=Enabled&perPage=5&page=2`);
    const base = `${sandbox.url}/restapi/v1.0/account/401145624008/extension`;
    expect(page2.body.uri).toBe(`${base}?status=Enabled&page=2&perPage=5`);
    const enabled = sandbox.seed.extensions.filter((e) => e.status === 'Enabled').length;
    const totalPages = Math.ceil(enabled / 5);
    expect(page2.body.paging).toEqual({ page: 2, totalPages, perPage: 5, totalElements: enabled, pageStart: 5, pageEnd: 9 });
    expect(page2.body.navigation).toEqual({
      firstPage: { uri: `${base}?status=Enabled&page=1&perPage=5` },
      nextPage: { uri: `${base}?status=Enabled&page=3&perPage=5` },
      previousPage: { uri: `${base}?status=Enabled&page=1&perPage=5` },
      lastPage: { uri: `${base}?status=Enabled&page=${totalPages}&perPage=5` },
    });
    expect(page2.body.records.every((r: { status: string }) => r.status === 'Enabled')).toBe(true);

    const single = await get(admin, `${v1}/account/~/extension/~/forwarding-number`);
    expect(Object.keys(single.body.navigation)).toEqual(['firstPage', 'lastPage']);
    expect(single.body.paging).toEqual({ page: 1, totalPages: 1, perPage: 100, totalElements: 5, pageStart: 0, pageEnd: 4 });

    const beyond = await get(admin, `${v1}/account/~/extension?perPage=100&page=9`);
    expect(beyond.body.records).toEqual([]);
    expect(beyond.body.paging.pageStart).toBeUndefined();
  });

  it('filters by extensionNumber, email (any case), repeated status and type values', async () => {
    const byEmail = await get(admin, `${v1}/account/~/extension?email=Emma.Chen@MyCompany.com`);
    expect(byEmail.body.records.map((r: { extensionNumber: string }) => r.extensionNumber)).toEqual(['103']);
    const types = await get(admin, `${v1}/account/~/extension?type=IvrMenu&type=ParkLocation&perPage=1000`);
    expect(new Set(types.body.records.map((r: { type: string }) => r.type))).toEqual(new Set(['IvrMenu', 'ParkLocation']));
    const statuses = await get(admin, `${v1}/account/~/extension?status=Disabled&status=NotActivated&perPage=1000`);
    expect(statuses.body.records.length).toBeGreaterThan(1);
    expect(statuses.body.records.every((r: { status: string }) => r.status === 'Disabled' || r.status === 'NotActivated')).toBe(true);
  });

  it('the demo company has every extension type of the guide and the three statuses', async () => {
    const all = await get(admin, `${v1}/account/~/extension?perPage=1000`);
    const types = new Set(all.body.records.map((r: { type: string }) => r.type));
    for (const type of [
      'User',
      'FaxUser',
      'VirtualUser',
      'DigitalUser',
      'Department',
      'Voicemail',
      'Announcement',
      'SharedLinesGroup',
      'PagingOnly',
      'IvrMenu',
      'ParkLocation',
      'ApplicationExtension',
    ]) {
      expect(types, type).toContain(type);
    }
    const statuses = new Set(all.body.records.map((r: { status: string }) => r.status));
    expect(statuses).toEqual(new Set(['Enabled', 'Disabled', 'NotActivated']));
  });

  it('bad parameters answer 400 CMN-101 naming the parameter; perPage above 1000 is cut to 1000', async () => {
    for (const [query, parameter] of [
      ['perPage=abc', 'perPage'],
      ['perPage=0', 'perPage'],
      ['page=-1', 'page'],
      ['status=Sleeping', 'status'],
      ['type=Robot', 'type'],
    ] as const) {
      const response = await get(admin, `${v1}/account/~/extension?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body).toMatchObject({
        errorCode: 'CMN-101',
        message: `Parameter [${parameter}] value is invalid.`,
        errors: [{ errorCode: 'CMN-101', parameterName: parameter }],
      });
    }
    const big = await get(admin, `${v1}/account/~/extension?perPage=5000`);
    expect(big.body.paging.perPage).toBe(1000);
  });

  it('unknown resources answer 404 CMN-102 naming the parameter; unknown paths 404 CMN-120', async () => {
    const unknown = await get(admin, `${v1}/account/~/extension/123456`);
    expect(unknown).toMatchObject({
      status: 404,
      body: {
        errorCode: 'CMN-102',
        message: 'Resource for parameter [extensionId] is not found',
        errors: [{ parameterName: 'extensionId' }],
      },
    });
    expect((await get(admin, `${v1}/account/~/extension/123456/phone-number`)).status).toBe(404);
    const path = await get(admin, `${v1}/account/~/nothing-here`);
    expect(path).toMatchObject({ status: 404, body: { errorCode: 'CMN-120' } });
    expect(path.headers.get('x-rate-limit-group')).toBe('Light');
    expect(path.headers.get('rcrequestid')).toBeTruthy();
  });

  it('a broken percent-escape in a path id is an unknown resource (404 CMN-102), not a server error', async () => {
    const broken = await get(admin, `${v1}/account/~/extension/%E0%A4%A`);
    expect(broken).toMatchObject({ status: 404, body: { errorCode: 'CMN-102', errors: [{ parameterName: 'extensionId' }] } });
  });

  it('forwarding numbers of an extension type without calls answer 403 CMN-403', async () => {
    const ivr = await get(admin, `${v1}/account/~/extension/1201060008/forwarding-number`);
    expect(ivr).toMatchObject({ status: 403, body: { errors: [{ errorCode: 'CMN-403' }] } });
  });
});

describe('phone numbers', () => {
  it('the account list names the extension each number maps to and carries no features', async () => {
    const list = await get(admin, `${v1}/account/~/phone-number?perPage=1000`);
    const main = list.body.records.find((r: { phoneNumber: string }) => r.phoneNumber === '+18555440014');
    expect(main).toMatchObject({
      usageType: 'MainCompanyNumber',
      paymentType: 'TollFree',
      type: 'VoiceFax',
      extension: { id: '401145624008', extensionNumber: '101' },
    });
    expect(list.body.records.every((r: Record<string, unknown>) => !('features' in r))).toBe(true);
    const usageTypes = new Set(list.body.records.map((r: { usageType: string }) => r.usageType));
    for (const usage of [
      'MainCompanyNumber',
      'AdditionalCompanyNumber',
      'CompanyNumber',
      'DirectNumber',
      'CompanyFaxNumber',
      'ForwardedNumber',
    ]) {
      expect(usageTypes, usage).toContain(usage);
    }
    expect(new Set(list.body.records.map((r: { type?: string }) => r.type))).toEqual(
      new Set(['VoiceFax', 'VoiceOnly', 'FaxOnly', undefined]),
    );
  });

  it('usageType filters (repeated) apply to both lists', async () => {
    const account = await get(admin, `${v1}/account/~/phone-number?usageType=CompanyNumber&usageType=CompanyFaxNumber`);
    expect(new Set(account.body.records.map((r: { usageType: string }) => r.usageType))).toEqual(
      new Set(['CompanyNumber', 'CompanyFaxNumber']),
    );
    expect(account.body.uri).toContain('?usageType=CompanyNumber&usageType=CompanyFaxNumber&page=1&perPage=100');
    const own = await get(standard, `${v1}/account/~/extension/~/phone-number?usageType=DirectNumber`);
    expect(own.body.records.map((r: { phoneNumber: string }) => r.phoneNumber)).toEqual(['+16505550103']);
  });
});

describe('company directory', () => {
  it('lists entries with string ids, person types as "User", without ApplicationExtension or hidden extensions', async () => {
    const list = await get(standard, `${v1}/account/~/directory/entries`);
    expect(Object.keys(list.body)).toEqual(['records', 'paging']);
    expect(list.body.paging.perPage).toBe(1000);
    const records = list.body.records as { id: string; type: string; status: string; extensionNumber: string }[];
    expect(records.every((r) => typeof r.id === 'string')).toBe(true);
    const byNumber = Object.fromEntries(records.map((r) => [r.extensionNumber, r]));
    expect(byNumber['115']?.type).toBe('User'); // a DigitalUser
    expect(byNumber['150']?.type).toBe('User'); // a FaxUser
    expect(byNumber['300']?.type).toBe('IvrMenu');
    expect(byNumber['700']).toBeUndefined(); // ApplicationExtension
    expect(byNumber['138']).toBeUndefined(); // hidden
    expect(byNumber['116']?.status).toBe('Disabled');
  });

  it('answers 304 to If-None-Match with the current ETag, and the ETag changes when the data does', async () => {
    const first = await get(admin, `${v1}/account/~/directory/entries`);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^".+"$/);
    const again = await api(sandbox, admin, `${v1}/account/~/directory/entries`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const stale = await api(sandbox, admin, `${v1}/account/~/directory/entries`, { headers: { 'If-None-Match': '"old"' } });
    expect(stale.status).toBe(200);

    const other = await startTestSandbox({
      seed: company().withAdmin({ extensionNumber: '101', firstName: 'Ann', lastName: 'Admin' }).build(),
    });
    try {
      const token = (await loginAs(other, '101')).access_token;
      const before = (await api(other, token, `${v1}/account/~/directory/entries`)).headers.get('etag');
      await control(other).setSeed(
        company()
          .withAdmin({ extensionNumber: '101', firstName: 'Ann', lastName: 'Admin' })
          .withUser({ extensionNumber: '102', firstName: 'Bo' })
          .build(),
      );
      const newToken = (await loginAs(other, '101')).access_token;
      const after = await api(other, newToken, `${v1}/account/~/directory/entries`, { headers: { 'If-None-Match': before ?? '' } });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(before);
    } finally {
      await other.close();
    }
  });

  it('search (POST) matches names, extension numbers and phone-number digits, with ordering and paging', async () => {
    const search = (body: unknown) =>
      api(sandbox, standard, `${v1}/account/~/directory/entries/search`, { body }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as Record<string, any>,
      }));
    const byName = await search({ searchString: 'rivera' });
    expect(byName.body.records.map((r: { extensionNumber: string }) => r.extensionNumber)).toEqual(['102']);
    const byDigits = await search({ searchString: '(650) 331-6252', searchFields: ['phoneNumber'] });
    expect(byDigits.body.records.map((r: { lastName: string }) => r.lastName)).toEqual(['Rivera']);
    const sales = await search({
      searchString: 'Sales',
      searchFields: ['department'],
      orderBy: [{ index: 1, fieldName: 'lastName', direction: 'Desc' }],
      perPage: 2,
    });
    const lastNames = sales.body.records.map((r: { lastName: string }) => r.lastName);
    expect(lastNames).toEqual([...lastNames].sort().reverse());
    expect(sales.body.paging).toMatchObject({ page: 1, perPage: 2 });
    expect(sales.body.paging.totalElements).toBeGreaterThan(2);
    const departments = await search({ extensionType: 'Department' });
    expect(departments.body.records.every((r: { type: string }) => r.type === 'Department')).toBe(true);
    expect((await search({ searchFields: ['nickname'] })).status).toBe(400);
    // Paging is a number or a string; an array or an object is refused, not read through its string form.
    expect((await search({ perPage: [2] })).status).toBe(400);
    expect((await search({ page: { page: 2 } })).status).toBe(400);
  });

  it('reads one entry; an unknown or excluded one answers 404', async () => {
    const entry = await get(standard, `${v1}/account/~/directory/entries/435068008`);
    expect(entry.body).toMatchObject({
      id: '435068008',
      firstName: 'Paul',
      lastName: 'Rivera',
      account: { id: '401145624008', companyName: 'MyCompany Inc.' },
    });
    expect(entry.body.phoneNumbers).toEqual([
      { phoneNumber: '+16503316252', formattedPhoneNumber: '(650) 331-6252', type: 'VoiceOnly', usageType: 'DirectNumber' },
    ]);
    expect((await get(standard, `${v1}/account/~/directory/entries/1`)).status).toBe(404);
    expect((await get(standard, `${v1}/account/~/directory/entries/1201065008`)).status).toBe(404); // ApplicationExtension
  });
});

describe('seed builder', () => {
  it('builds exactly the data a test needs, including awkward names', async () => {
    const seed = company()
      .withAdmin({ extensionNumber: '201', firstName: 'Ada', lastName: 'Admin', email: 'ada@example.com' })
      .withUser({
        extensionNumber: '202',
        name: '<!channel> *bold*',
        firstName: '<!channel>',
        lastName: '*bold*',
        directNumber: '+14155550000',
      })
      .withForwardingNumber({ extensionNumber: '202', phoneNumber: '+14155550001', label: 'Mobile', features: ['CallForwarding'] })
      .build();
    const small = await startTestSandbox({ seed });
    try {
      const user = await loginAs(small, '202');
      const self = (await (await api(small, user.access_token, `${v1}/account/~/extension/~`)).json()) as {
        name: string;
        permissions: unknown;
      };
      expect(self.name).toBe('<!channel> *bold*');
      expect(self.permissions).toEqual({ admin: { enabled: false }, internationalCalling: { enabled: false } });
      const adminTokens = await loginAs(small, '201');
      expect(adminTokens.owner_id).toBe(String(small.seed.account.id));
      const numbers = (await (await api(small, adminTokens.access_token, `${v1}/account/~/phone-number`)).json()) as {
        records: { phoneNumber: string }[];
      };
      expect(numbers.records.map((r) => r.phoneNumber)).toEqual(['+14155550000']);
    } finally {
      await small.close();
    }
  });
});

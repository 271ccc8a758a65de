import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCompany } from '../../src/sandbox/generate.ts';
import { loadDemoSeed, parseSeed, SeedError } from '../../src/sandbox/seed.ts';
import type { Seed } from '../../src/sandbox/seed.ts';
import type { Sandbox } from '../../src/sandbox/server.ts';
import { api, company, loginAs, startTestSandbox } from '../support/sandbox.ts';

describe("demo seed (the contract's demo company)", () => {
  let seed: Seed;
  beforeAll(async () => {
    seed = await loadDemoSeed();
  });
  const ext = (number: string) => {
    const found = seed.extensions.find((e) => e.extensionNumber === number);
    if (!found) throw new Error(`no ext ${number}`);
    return found;
  };

  it('is built around the guide: account 401145624008, John Smith 101 as the system extension and administrator', () => {
    expect(seed.account).toMatchObject({
      id: 401145624008,
      companyName: 'MyCompany Inc.',
      mainNumber: '+18555440014',
      status: 'Confirmed',
    });
    expect(ext('101')).toMatchObject({
      id: 401145624008,
      type: 'User',
      status: 'Enabled',
      admin: true,
      contact: { email: 'john.smith@mycompany.com' },
    });
    expect(ext('102')).toMatchObject({ name: 'Paul Rivera', admin: false, contact: { email: 'paul.rivera@mycompany.com' } });
    expect(ext('103')).toMatchObject({ name: 'Emma Chen', admin: false, contact: { email: 'emma.chen@mycompany.com' } });
    expect(ext('110')).toMatchObject({ name: 'AO Ext', type: 'Announcement' });
  });

  it("has the guide's numbers", () => {
    const number = (n: string) => seed.phoneNumbers.find((p) => p.phoneNumber === n);
    expect(number('+16503316252')).toMatchObject({
      paymentType: 'Local',
      type: 'VoiceOnly',
      usageType: 'DirectNumber',
      features: ['CallerId', 'SmsSender'],
      extensionNumber: '102',
    });
    expect(number('+17869876543')).toMatchObject({
      paymentType: 'External',
      usageType: 'ForwardedNumber',
      features: [],
      extensionNumber: '102',
    });
    expect(number('+18555440014')).toMatchObject({
      paymentType: 'TollFree',
      type: 'VoiceFax',
      usageType: 'MainCompanyNumber',
      extensionNumber: '101',
    });
    expect(number('+18559105564')).toMatchObject({
      paymentType: 'TollFree',
      type: 'VoiceFax',
      usageType: 'CompanyNumber',
      features: ['CallerId'],
    });
    expect(number('+18559105564')?.extensionNumber).toBeUndefined();
    expect(seed.phoneNumbers.some((p) => p.usageType === 'DirectNumber' && p.extensionNumber === '103')).toBe(true);
    expect(seed.forwardingNumbers.filter((f) => f.extensionNumber === '103')).toHaveLength(2);
    expect(seed.forwardingNumbers.filter((f) => f.extensionNumber === '101').map((f) => f.phoneNumber)).toEqual([
      '+17609410044',
      '+18559878944',
      '+14803960003',
      '+12078260027',
      '+16505550111',
    ]);
  });

  it('has 30 to 50 more extensions, the demo apps, and only realistic names', () => {
    const others = seed.extensions.filter((e) => !['101', '102', '103', '110'].includes(e.extensionNumber));
    expect(others.length).toBeGreaterThanOrEqual(30);
    expect(others.length).toBeLessThanOrEqual(50);
    expect(seed.apps.map((a) => [a.clientId, a.clientSecret, a.permissions])).toEqual([
      ['switchboard-demo', 'switchboard-demo-secret', ['ReadAccounts', 'ReadPresence']],
      ['switchboard-nopresence', 'switchboard-nopresence-secret', ['ReadAccounts']],
      ['switchboard-noperm', 'switchboard-noperm-secret', []],
    ]);
    expect(JSON.stringify(seed)).not.toMatch(/<!channel>|\*bold\*/);
  });
});

describe('seed validation', () => {
  const valid = () =>
    company().withAdmin({ extensionNumber: '101', firstName: 'A' }).withUser({ extensionNumber: '102', firstName: 'B' }).build();

  it('accepts a built seed and fills defaults', () => {
    const seed = parseSeed(valid());
    expect(seed.extensions[1]).toMatchObject({ status: 'Enabled', admin: false, hidden: false });
  });

  it('refuses duplicates, dangling references and non-E.164 numbers, naming where', () => {
    const duplicate = valid();
    duplicate.extensions.push({ ...duplicate.extensions[1]!, id: 1 });
    expect(() => parseSeed(duplicate)).toThrow(/extensions\.2: duplicate 102/);

    const dangling = valid();
    dangling.forwardingNumbers = [{ id: 'f1', extensionNumber: '999', phoneNumber: '+14155550000', label: 'Home' }];
    expect(() => parseSeed(dangling)).toThrow(/forwardingNumbers\.0\.extensionNumber: unknown extension 999/);

    const national = valid();
    national.phoneNumbers = [{ id: 1, phoneNumber: '16503316252', paymentType: 'Local', usageType: 'DirectNumber' }];
    expect(() => parseSeed(national)).toThrow(SeedError);
  });

  it('gives members to a Department only, and only members that exist', () => {
    const queue = valid();
    queue.extensions.push({ id: 9, extensionNumber: '200', type: 'Department', members: ['102', '101'] });
    expect(parseSeed(queue).extensions[2]?.members).toEqual(['102', '101']);
    queue.extensions[2]!.members = ['102', '999'];
    expect(() => parseSeed(queue)).toThrow(/extensions\.2\.members\.1: unknown extension 999/);
    const person = valid();
    person.extensions[1]!.members = ['101'];
    expect(() => parseSeed(person)).toThrow(/extensions\.1\.members: only a Department/);
  });
});

describe('generator', () => {
  it('makes 10,000 extensions quickly and deterministically', () => {
    const started = performance.now();
    const big = generateCompany({ extensions: 10_000 });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(big.extensions).toHaveLength(10_000);
    expect(big.extensions[0]).toMatchObject({ id: big.account.id, admin: true, type: 'User', status: 'Enabled' });
    expect(JSON.stringify(generateCompany({ extensions: 300 }))).toBe(JSON.stringify(generateCompany({ extensions: 300 })));
    expect(JSON.stringify(generateCompany({ extensions: 300, seedNumber: 2 }))).not.toBe(
      JSON.stringify(generateCompany({ extensions: 300 })),
    );
    const types = new Set(big.extensions.map((e) => e.type));
    expect(types.size).toBeGreaterThanOrEqual(10);
  });
});

describe('a 10,000-extension company answers in milliseconds', () => {
  let sandbox: Sandbox;
  let token: string;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ generate: 10_000 });
    token = (await loginAs(sandbox, '1000')).access_token;
  });
  afterAll(() => sandbox.close());

  async function fastest(path: string, body?: unknown): Promise<{ ms: number; records: number }> {
    let best = Number.POSITIVE_INFINITY;
    let records = 0;
    for (let i = 0; i < 4; i += 1) {
      const started = performance.now();
      const response = await api(sandbox, token, path, body === undefined ? {} : { body });
      const json = (await response.json()) as { records: unknown[] };
      best = Math.min(best, performance.now() - started);
      records = json.records.length;
    }
    return { ms: best, records };
  }

  it('listExtensions perPage=1000, a filtered lookup, directory perPage=2000 and search', async () => {
    const list = await fastest('/restapi/v1.0/account/~/extension?perPage=1000&page=5');
    expect(list.records).toBe(1000);
    expect(list.ms).toBeLessThan(250);
    const byNumber = await fastest('/restapi/v1.0/account/~/extension?extensionNumber=9876');
    expect(byNumber.records).toBe(1);
    expect(byNumber.ms).toBeLessThan(50);
    const directory = await fastest('/restapi/v1.0/account/~/directory/entries?perPage=2000&page=2');
    expect(directory.records).toBe(2000);
    expect(directory.ms).toBeLessThan(250);
    const search = await fastest('/restapi/v1.0/account/~/directory/entries/search', { searchString: 'nguyen', perPage: 100 });
    expect(search.records).toBeGreaterThan(0);
    expect(search.ms).toBeLessThan(250);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restOperations } from '../../src/sandbox/operations.ts';
import { appHasPermission } from '../../src/sandbox/rules.ts';
import type { Sandbox } from '../../src/sandbox/server.ts';
import { api, loginAs, noPermissionApp, startTestSandbox } from '../support/sandbox.ts';

/**
 * The guide's access rules, each shown over HTTP with an administrator (John Smith, ext. 101) and a standard user
 * (Emma Chen, ext. 103) of the demo company. Paul Rivera (ext. 102) is the "other extension".
 */

const johnId = '401145624008';
const paulId = '435068008';
const accountId = '401145624008';
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

async function json(token: string, path: string, init: Parameters<typeof api>[3] = {}) {
  const response = await api(sandbox, token, path, init);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('access rules (guide: "Common access control rules" and "Phone Numbers → Permissions")', () => {
  it('access is allowed only to the information related to the authenticated account', async () => {
    for (const token of [admin, standard]) {
      const other = await json(token, `${v1}/account/999999999008/extension`);
      expect(other.status).toBe(404);
      expect(other.body.errors[0]).toMatchObject({ errorCode: 'CMN-102', parameterName: 'accountId' });
      expect((await json(token, `${v1}/account/${accountId}`)).status).toBe(200);
    }
  });

  it('any user may access public information about the account; the billing plan is for administrators', async () => {
    const asStandard = await json(standard, `${v1}/account/~`);
    const asAdmin = await json(admin, `${v1}/account/~`);
    expect(asStandard.status).toBe(200);
    for (const body of [asStandard.body, asAdmin.body]) {
      expect(body).toMatchObject({
        id: Number(accountId),
        mainNumber: '+18555440014',
        status: 'Confirmed',
        operator: { id: Number(johnId), extensionNumber: '101' },
      });
      expect(body.serviceInfo.servicePlan.name).toBe('Professional');
    }
    expect(asAdmin.body.serviceInfo.billingPlan).toMatchObject({ id: '159' });
    expect(asStandard.body.serviceInfo.billingPlan).toBeUndefined();
  });

  it('any user may access all the information about their own extension', async () => {
    const own = await json(standard, `${v1}/account/~/extension/~`);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ extensionNumber: '103', name: 'Emma Chen', permissions: { admin: { enabled: false } } });
    expect(own.body.contact.mobilePhone).toBeDefined();
    expect(own.body.contact.businessAddress).toBeDefined();
    expect(own.body.serviceFeatures.length).toBeGreaterThan(0);

    const numbers = await json(standard, `${v1}/account/~/extension/~/phone-number`);
    const usageTypes = numbers.body.records.map((r: { usageType: string }) => r.usageType);
    expect(usageTypes).toEqual(expect.arrayContaining(['DirectNumber', 'MainCompanyNumber', 'CompanyNumber']));
    expect(numbers.body.records.every((r: { features?: unknown }) => Array.isArray(r.features))).toBe(true);

    const forwarding = await json(standard, `${v1}/account/~/extension/~/forwarding-number`);
    expect(forwarding.status).toBe(200);
    expect(forwarding.body.records).toHaveLength(2);
  });

  it('only administrators see all information about other extensions; others see their public information', async () => {
    const asAdmin = await json(admin, `${v1}/account/~/extension/${paulId}`);
    const asStandard = await json(standard, `${v1}/account/~/extension/${paulId}`);
    expect(asAdmin.body.contact).toMatchObject({ mobilePhone: '+16505550112', businessAddress: { city: 'Belmont' } });
    expect(asAdmin.body.permissions).toEqual({ admin: { enabled: false }, internationalCalling: { enabled: false } });
    expect(asStandard.status).toBe(200);
    expect(asStandard.body).toMatchObject({
      id: Number(paulId),
      extensionNumber: '102',
      name: 'Paul Rivera',
      type: 'User',
      status: 'Enabled',
    });
    expect(asStandard.body.contact).toEqual({
      firstName: 'Paul',
      lastName: 'Rivera',
      company: 'MyCompany Inc.',
      jobTitle: 'Account Executive',
      department: 'Sales',
      email: 'paul.rivera@mycompany.com',
    });
    expect(asStandard.body.permissions).toBeUndefined();
    expect(asStandard.body.regionalSettings).toBeUndefined();
  });

  it('service features are returned only when the user requests their own extension', async () => {
    expect((await json(admin, `${v1}/account/~/extension/~`)).body.serviceFeatures).toBeDefined();
    expect((await json(admin, `${v1}/account/~/extension/${paulId}`)).body.serviceFeatures).toBeUndefined();
    expect((await json(standard, `${v1}/account/~/extension/${paulId}`)).body.serviceFeatures).toBeUndefined();
  });

  it('the extension list shows a standard user only public information of others, and all of their own', async () => {
    const asStandard = await json(standard, `${v1}/account/~/extension?perPage=1000`);
    const asAdmin = await json(admin, `${v1}/account/~/extension?perPage=1000`);
    expect(asStandard.body.records).toHaveLength(asAdmin.body.records.length);
    const paulAsStandard = asStandard.body.records.find((r: { id: number }) => r.id === Number(paulId));
    const selfAsStandard = asStandard.body.records.find((r: { extensionNumber: string }) => r.extensionNumber === '103');
    const paulAsAdmin = asAdmin.body.records.find((r: { id: number }) => r.id === Number(paulId));
    expect(paulAsStandard.contact.mobilePhone).toBeUndefined();
    expect(paulAsStandard.permissions).toBeUndefined();
    expect(selfAsStandard.contact.mobilePhone).toBeDefined();
    expect(selfAsStandard.permissions).toEqual({ admin: { enabled: false }, internationalCalling: { enabled: false } });
    expect(paulAsAdmin.contact.mobilePhone).toBe('+16505550112');
  });

  it("a non-administrator gets only DirectNumber records of another extension's numbers, without features", async () => {
    const asStandard = await json(standard, `${v1}/account/~/extension/${paulId}/phone-number`);
    expect(asStandard.status).toBe(200);
    expect(asStandard.body.records).toHaveLength(1);
    expect(asStandard.body.records[0]).toMatchObject({
      phoneNumber: '+16503316252',
      usageType: 'DirectNumber',
      type: 'VoiceOnly',
      paymentType: 'Local',
    });
    expect(asStandard.body.records[0].features).toBeUndefined();
    // "… even if numbers with the other usageType value are requested"
    const forwardedAsked = await json(standard, `${v1}/account/~/extension/${paulId}/phone-number?usageType=ForwardedNumber`);
    expect(forwardedAsked.body.records).toEqual([]);

    const asAdmin = await json(admin, `${v1}/account/~/extension/${paulId}/phone-number`);
    const byNumber = Object.fromEntries(asAdmin.body.records.map((r: { phoneNumber: string }) => [r.phoneNumber, r]));
    expect(byNumber['+16503316252']).toMatchObject({ usageType: 'DirectNumber', features: ['CallerId', 'SmsSender'] });
    expect(byNumber['+17869876543']).toMatchObject({ usageType: 'ForwardedNumber', paymentType: 'External', features: [] });
    expect(byNumber['+18559105564']).toMatchObject({ usageType: 'CompanyNumber', features: ['CallerId'] });
  });

  it('the account-wide phone-number list is for administrators only (403 CMN-408 otherwise)', async () => {
    const asStandard = await json(standard, `${v1}/account/~/phone-number`);
    expect(asStandard.status).toBe(403);
    expect(asStandard.body).toMatchObject({ errorCode: 'InsufficientPermissions', permissionName: 'ReadCompanyPhoneNumbers' });
    expect(asStandard.body.errors[0].errorCode).toBe('CMN-408');

    const asAdmin = await json(admin, `${v1}/account/~/phone-number?perPage=1000`);
    expect(asAdmin.status).toBe(200);
    const direct = asAdmin.body.records.find((r: { phoneNumber: string }) => r.phoneNumber === '+16503316252');
    expect(direct.extension).toMatchObject({ id: paulId, extensionNumber: '102' });
    const company = asAdmin.body.records.find((r: { phoneNumber: string }) => r.phoneNumber === '+18559105564');
    expect(company.extension).toBeUndefined();
  });

  it('service info is for administrators only (403 CMN-408 otherwise); the business address is for everyone', async () => {
    const asStandard = await json(standard, `${v1}/account/~/service-info`);
    expect(asStandard.status).toBe(403);
    expect(asStandard.body).toMatchObject({ errorCode: 'InsufficientPermissions', permissionName: 'ReadServicePlanInfo' });
    expect(asStandard.body.errors[0].errorCode).toBe('CMN-408');

    const asAdmin = await json(admin, `${v1}/account/~/service-info`);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body).toMatchObject({ servicePlanName: 'Professional', brand: { id: '1210' }, billingPlan: { id: '159' } });
    expect(asAdmin.body.serviceFeatures).toContainEqual({ featureName: 'CallForwarding', enabled: true });

    for (const token of [admin, standard]) {
      const address = await json(token, `${v1}/account/${accountId}/business-address`);
      expect(address.status).toBe(200);
      expect(address.body).toMatchObject({ company: 'MyCompany Inc.', businessAddress: { city: 'Belmont' } });
    }
  });

  it("another extension's forwarding numbers are for administrators only (403 CMN-419 otherwise)", async () => {
    const asStandard = await json(standard, `${v1}/account/~/extension/${johnId}/forwarding-number`);
    expect(asStandard.status).toBe(403);
    expect(asStandard.body.errors[0]).toMatchObject({ errorCode: 'CMN-419', permissionName: 'ReadUserForwardingFlipNumbers' });

    const asAdmin = await json(admin, `${v1}/account/~/extension/435069008/forwarding-number`);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.records.map((r: { phoneNumber: string }) => r.phoneNumber)).toEqual(['+14155550143', '+14155550163']);
  });

  it("John Smith's forwarding numbers are the guide's four, then the mobile his business-hours rule rings last", async () => {
    const own = await json(admin, `${v1}/account/~/extension/~/forwarding-number`);
    expect(
      own.body.records.map(({ phoneNumber, label, features, flipNumber }: Record<string, unknown>) => ({
        phoneNumber,
        label,
        features,
        flipNumber,
      })),
    ).toEqual([
      { phoneNumber: '+17609410044', label: 'John Smith Desk Phone', features: ['CallFlip'], flipNumber: '1' },
      { phoneNumber: '+18559878944', label: 'Work', features: ['CallForwarding', 'CallFlip'], flipNumber: '2' },
      { phoneNumber: '+14803960003', label: 'Jane Smith Softphone', features: ['CallFlip'], flipNumber: '3' },
      { phoneNumber: '+12078260027', label: 'Other', features: ['CallForwarding', 'CallFlip'], flipNumber: '4' },
      { phoneNumber: '+16505550111', label: 'Mobile', features: ['CallForwarding', 'CallFlip'], flipNumber: '5' },
    ]);
  });

  it('the company directory shows the same public data to administrators and standard users', async () => {
    const asAdmin = await json(admin, `${v1}/account/~/directory/entries`);
    const asStandard = await json(standard, `${v1}/account/~/directory/entries`);
    expect(asStandard.status).toBe(200);
    expect(asStandard.body).toEqual(asAdmin.body);
    const paul = asStandard.body.records.find((r: { id: string }) => r.id === paulId);
    expect(paul.phoneNumbers.map((n: { phoneNumber: string }) => n.phoneNumber)).toEqual(['+16503316252']);
    expect(JSON.stringify(asStandard.body)).not.toContain('+16505550112'); // Paul's mobile
  });

  it("a directory entry's numbers carry their labels, as the extension's own number list shows them to a standard user", async () => {
    const directory = await json(standard, `${v1}/account/~/directory/entries`);
    const sales = directory.body.records.find((r: { extensionNumber: string }) => r.extensionNumber === '200');
    const numbers = await json(standard, `${v1}/account/~/extension/${sales.id}/phone-number`);
    const labelled = (records: Array<{ phoneNumber: string; label?: string }>) =>
      records.map(({ phoneNumber, label }) => ({ phoneNumber, label }));
    expect(labelled(sales.phoneNumbers)).toEqual([{ phoneNumber: '+14155550200', label: 'Sales line' }]);
    expect(labelled(sales.phoneNumbers)).toEqual(labelled(numbers.body.records));
  });

  it('an app without permissions is refused every operation with 403 CMN-401 naming the one it lacks, even for an administrator', async () => {
    const token = (await loginAs(sandbox, '101', noPermissionApp)).access_token;
    for (const operation of restOperations) {
      const path = operation.path
        .replace('{accountId}', '~')
        .replace('{extensionId}', '~')
        .replace('{entryId}', paulId)
        .replace('{groupId}', '1201057008');
      const response = await json(token, path, operation.method === 'POST' ? { body: {} } : {});
      expect(response.status, operation.id).toBe(403);
      expect(response.body).toMatchObject({ errorCode: 'InsufficientPermissions', permissionName: operation.appPermission });
      expect(response.body.errors[0].errorCode).toBe('CMN-401');
    }
  });

  it('an administrator sees every extension, phone number and forwarding list of the account', async () => {
    const extensions = await json(admin, `${v1}/account/~/extension?perPage=1000`);
    expect(extensions.body.records).toHaveLength(sandbox.seed.extensions.length);
    const numbers = await json(admin, `${v1}/account/~/phone-number?perPage=1000`);
    expect(numbers.body.records).toHaveLength(sandbox.seed.phoneNumbers.length);
    const paulForwarding = await json(admin, `${v1}/account/~/extension/${paulId}/forwarding-number`);
    expect(paulForwarding.body.records.map((r: { phoneNumber: string }) => r.phoneNumber)).toEqual(['+16505550112']);
  });

  it('a broader app permission includes the narrower ones, never the other way round ("everything under ReadAccounts" …)', () => {
    expect(appHasPermission(['ReadAccounts'], 'ReadAccounts')).toBe(true);
    for (const broader of ['EditExtensions', 'EditAccounts', 'Accounts'] as const)
      expect(appHasPermission([broader], 'ReadAccounts'), broader).toBe(true);
    expect(appHasPermission(['EditAccounts'], 'EditExtensions')).toBe(true);
    expect(appHasPermission(['Accounts'], 'EditAccounts')).toBe(true);
    expect(appHasPermission(['ReadAccounts'], 'EditExtensions')).toBe(false);
    expect(appHasPermission(['EditExtensions'], 'EditAccounts')).toBe(false);
    expect(appHasPermission(['EditAccounts'], 'Accounts')).toBe(false);
    expect(appHasPermission([], 'ReadAccounts')).toBe(false);
  });
});

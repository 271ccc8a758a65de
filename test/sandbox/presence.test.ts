import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.ts';
import { api, control, loginAs, noPresenceApp, startTestSandbox } from '../support/sandbox.ts';

/**
 * Presence (readUserPresenceStatus) and call-queue members (listCallQueueMembers) over HTTP, for an administrator
 * (John Smith, 101) and a standard user (Emma Chen, 103) of the demo company, and the control API that changes
 * presence.
 */

const v1 = '/restapi/v1.0/account/~';
const ids = {
  john: '401145624008',
  paul: '435068008',
  emma: '435069008',
  olivia: '435100008',
  liam: '435101008',
  amelia: '435112008',
  james: '435111008',
  sales: '1201057008',
  ivr: '1201060008',
  fax: '435200008',
};

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
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

describe('readUserPresenceStatus', () => {
  it('is in the Light group and answers each demo case to an administrator and a standard user alike', async () => {
    for (const token of [admin, standard]) {
      const paul = await json(token, `${v1}/extension/${ids.paul}/presence`);
      expect(paul.status).toBe(200);
      expect(paul.headers.get('x-rate-limit-group')).toBe('Light');
      expect(paul.body).toMatchObject({
        presenceStatus: 'Busy',
        userStatus: 'Busy',
        telephonyStatus: 'NoCall',
        dndStatus: 'TakeAllCalls',
        message: 'Customer visits all afternoon',
        extension: { id: Number(ids.paul), extensionNumber: '102' },
      });
      expect((await json(token, `${v1}/extension/${ids.john}/presence`)).body).toMatchObject({
        presenceStatus: 'Busy',
        telephonyStatus: 'CallConnected',
      });
      expect((await json(token, `${v1}/extension/${ids.olivia}/presence`)).body).toMatchObject({
        presenceStatus: 'Busy',
        dndStatus: 'DoNotAcceptAnyCalls',
      });
      expect((await json(token, `${v1}/extension/${ids.liam}/presence`)).body).toMatchObject({
        presenceStatus: 'Offline',
        userStatus: 'Offline',
      });
      expect((await json(token, `${v1}/extension/${ids.emma}/presence`)).body).toMatchObject({
        presenceStatus: 'Available',
        telephonyStatus: 'NoCall',
      });
    }
  });

  it('a user who publishes no presence is Offline, with no detail, to everyone else, administrators included; to themselves in full', async () => {
    for (const token of [admin, standard]) {
      const { body } = await json(token, `${v1}/extension/${ids.amelia}/presence`);
      expect(body).toMatchObject({ presenceStatus: 'Offline', allowSeeMyPresence: false });
      for (const field of ['telephonyStatus', 'userStatus', 'dndStatus', 'message']) expect(body[field], field).toBeUndefined();
    }
    const own = (await loginAs(sandbox, '117')).access_token;
    expect((await json(own, `${v1}/extension/~/presence`)).body).toMatchObject({
      presenceStatus: 'Available',
      userStatus: 'Available',
      allowSeeMyPresence: false,
    });
  });

  it('non-person extensions, fax users and disabled users are Offline with no detail, as the spec says', async () => {
    for (const id of [ids.sales, ids.ivr, ids.fax, ids.james]) {
      const { status, body } = await json(standard, `${v1}/extension/${id}/presence`);
      expect(status).toBe(200);
      expect(body.presenceStatus).toBe('Offline');
      expect(body.telephonyStatus).toBeUndefined();
      expect(body.dndStatus).toBeUndefined();
    }
  });

  it('an app without ReadPresence is refused with 403 CMN-401 naming ReadPresence; its other calls still answer', async () => {
    const token = (await loginAs(sandbox, '103', noPresenceApp)).access_token;
    const refused = await json(token, `${v1}/extension/${ids.paul}/presence`);
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0]).toMatchObject({ errorCode: 'CMN-401', permissionName: 'ReadPresence' });
    expect((await json(token, `${v1}/extension/${ids.paul}`)).status).toBe(200);
    expect((await json(token, `${v1}/call-queues/${ids.sales}/members`)).status).toBe(200);
  });

  it('an unknown extension answers 404 CMN-102', async () => {
    const { status, body } = await json(admin, `${v1}/extension/999/presence`);
    expect(status).toBe(404);
    expect(body.errors[0]).toMatchObject({ errorCode: 'CMN-102', parameterName: 'extensionId' });
  });
});

describe('control API: presence', () => {
  it('changes what every caller reads next; fields left out keep their value', async () => {
    const changed = await control(sandbox).setPresence(ids.emma, { dndStatus: 'DoNotAcceptAnyCalls' });
    expect(changed).toMatchObject({ userStatus: 'Available', dndStatus: 'DoNotAcceptAnyCalls' });
    expect((await json(admin, `${v1}/extension/${ids.emma}/presence`)).body).toMatchObject({
      presenceStatus: 'Busy',
      dndStatus: 'DoNotAcceptAnyCalls',
    });
    await control(sandbox).setPresence(ids.emma, { dndStatus: 'TakeAllCalls', telephonyStatus: 'Ringing' });
    expect((await json(standard, `${v1}/extension/~/presence`)).body).toMatchObject({
      presenceStatus: 'Busy',
      dndStatus: 'TakeAllCalls',
      telephonyStatus: 'Ringing',
    });
    await control(sandbox).setPresence(ids.emma, { telephonyStatus: 'NoCall' });
    expect((await json(standard, `${v1}/extension/~/presence`)).body.presenceStatus).toBe('Available');
  });

  it('refuses an unknown extension and an unknown status', async () => {
    await expect(control(sandbox).setPresence('999', { userStatus: 'Busy' })).rejects.toThrow(/404/);
    await expect(control(sandbox).setPresence(ids.emma, { userStatus: 'Away' as never })).rejects.toThrow(/400/);
  });
});

describe('listCallQueueMembers', () => {
  it("lists a Department's members (id, uri, extensionNumber) to an administrator and a standard user, paged, in the Light group", async () => {
    for (const token of [admin, standard]) {
      const all = await json(token, `${v1}/call-queues/${ids.sales}/members`);
      expect(all.status).toBe(200);
      expect(all.headers.get('x-rate-limit-group')).toBe('Light');
      expect(all.body.records.map((r: { extensionNumber: string }) => r.extensionNumber)).toEqual([
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
        '135',
        '133',
      ]);
      expect(all.body.records[0]).toEqual({
        uri: `${sandbox.url}/restapi/v1.0/account/401145624008/extension/${ids.paul}`,
        id: Number(ids.paul),
        extensionNumber: '102',
      });
      const second = await json(token, `${v1}/call-queues/${ids.sales}/members?page=2&perPage=5`);
      expect(second.body.records.map((r: { extensionNumber: string }) => r.extensionNumber)).toEqual(['101', '117', '121', '125', '134']);
      expect(second.body.paging).toMatchObject({ page: 2, perPage: 5, totalElements: 12, totalPages: 3 });
    }
  });

  it('any extension that is not a Department, or no extension, answers 404 CMN-102 [groupId]', async () => {
    for (const id of [ids.ivr, ids.paul, '999', 'abc']) {
      const { status, body } = await json(standard, `${v1}/call-queues/${id}/members`);
      expect(status, id).toBe(404);
      expect(body.errors[0]).toMatchObject({ errorCode: 'CMN-102', parameterName: 'groupId' });
    }
  });
});

import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseMessage } from '../../../src/demo/local-slack.ts';
import { companyWording } from '../../../src/handlers/company-card.ts';
import { accountJson, api, loginAs } from '../../support/sandbox.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import {
  answer,
  commandButtons,
  fieldsOf,
  linkUser,
  nextAnswer,
  readableText,
  startSlackTestStack,
  titleOf,
} from '../../support/slack-stack.ts';
import { UNASSIGNED_NUMBERS, unassignedCompany } from '../../support/unassigned-company.ts';

/*
 * `/switchboard company`, asked through the real Bolt endpoint by the administrator John Smith (101) and the standard
 * user Emma Chen (103). What each is shown is read from RingCentral (the sandbox) with a login of that same person,
 * independently of the bot's client: the standard user sees the public part and nothing their token cannot read.
 */

type Json = Record<string, any>;

interface Viewer {
  slackUserId: string;
  extensionNumber: string;
  accessToken: string;
}

const PUBLIC_LABELS = ['Main number', 'Service plan', 'Brand', 'Home country', 'Account status', 'Operator'];
const ADMIN_LABELS = ['Features enabled', 'Extensions', 'Extension types', 'Phone numbers', 'Numbers mapped to no extension'];

const national = (raw: string) => parsePhoneNumberFromString(raw, 'US')?.formatNational() ?? raw;
const fieldValue = (message: ResponseMessage, label: string) => fieldsOf(message).find(([name]) => name === label)?.[1];

/** The list items: section blocks whose text starts with a bold title. */
function listedTitles(message: ResponseMessage): string[] {
  return (message.blocks as Array<{ type: string; text?: { type: string; text: string } }>)
    .filter((block) => block.type === 'section' && block.text?.type === 'mrkdwn')
    .map((block) => /^\*(.+?)\*/.exec(block.text!.text)?.[1] ?? '');
}

describe('the company card, in the demo company', () => {
  let stack: SlackTestStack;
  const viewers: Record<'admin' | 'standard', Viewer> = {
    admin: { slackUserId: 'U101', extensionNumber: '101', accessToken: '' },
    standard: { slackUserId: 'U103', extensionNumber: '103', accessToken: '' },
  };
  const ringCentral = (viewer: Viewer, path: string): Promise<Json> => accountJson(stack.sandbox, viewer.accessToken, path);

  beforeAll(async () => {
    stack = await startSlackTestStack();
    for (const viewer of Object.values(viewers)) {
      await linkUser(stack, viewer.slackUserId, viewer.extensionNumber);
      viewer.accessToken = (await loginAs(stack.sandbox, viewer.extensionNumber)).access_token;
    }
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** The public part, exactly as RingCentral shows it to this viewer. */
  async function expectPublicPart(message: ResponseMessage, viewer: Viewer): Promise<void> {
    const account = await ringCentral(viewer, '');
    const address = await ringCentral(viewer, '/business-address');
    const operator = await ringCentral(viewer, `/extension/${account.operator.id}`);
    expect(titleOf(message)).toBe(address.company);
    expect(fieldValue(message, 'Main number')).toBe(national(account.mainNumber));
    expect(fieldValue(message, 'Service plan')).toBe(account.serviceInfo.servicePlan.name);
    expect(fieldValue(message, 'Brand')).toBe(account.serviceInfo.brand.name);
    expect(fieldValue(message, 'Home country')).toBe(account.regionalSettings.homeCountry.name);
    expect(fieldValue(message, 'Account status')).toBe(companyWording.accountStatus[account.status]);
    expect(fieldValue(message, 'Operator')).toBe(`${operator.name} (Ext. ${account.operator.extensionNumber})`);
  }

  it('the standard user sees the public part only, from calls their own login may make', async () => {
    const viewer = viewers.standard;
    const emmaId = String(stack.sandbox.seed.extensions.find((extension) => extension.extensionNumber === '103')!.id);
    await stack.control.resetStats();
    const message = await answer(stack, viewer.slackUserId, '/switchboard company');
    // The bot asked RingCentral nothing a standard user may not ask, and nothing about counts.
    const asked = Object.keys((await stack.control.stats()).byUser[emmaId] ?? {});
    expect(asked.length).toBeGreaterThan(0);
    for (const operation of asked) expect(['readAccountInfo', 'readExtension', 'readAccountBusinessAddress']).toContain(operation);

    await expectPublicPart(message, viewer);
    expect(fieldsOf(message).map(([label]) => label)).toEqual(PUBLIC_LABELS);
    // RingCentral refuses this login the service info and the company's number list: none of it may show.
    expect((await api(stack.sandbox, viewer.accessToken, '/restapi/v1.0/account/~/service-info')).status).toBe(403);
    expect((await api(stack.sandbox, viewer.accessToken, '/restapi/v1.0/account/~/phone-number')).status).toBe(403);
    const text = readableText(message);
    for (const number of stack.sandbox.seed.phoneNumbers.filter((n) => n.extensionNumber === undefined)) {
      expect(text).not.toContain(national(number.phoneNumber));
    }
    expect(listedTitles(message)).toEqual([]);
    expect(commandButtons(message).map((button) => button.label)).not.toContain('Show more');
  });

  it('the administrator also sees the features, the counts and the numbers mapped to no extension', async () => {
    const viewer = viewers.admin;
    const message = await answer(stack, viewer.slackUserId, '/switchboard company');
    await expectPublicPart(message, viewer);
    expect(fieldsOf(message).map(([label]) => label)).toEqual([...PUBLIC_LABELS, ...ADMIN_LABELS]);

    const serviceInfo = await ringCentral(viewer, '/service-info');
    const enabled = serviceInfo.serviceFeatures.filter((feature: Json) => feature.enabled);
    expect(fieldValue(message, 'Features enabled')!.split(', ')).toHaveLength(enabled.length);

    const extensions = await ringCentral(viewer, '/extension?perPage=1000');
    const enabledCount = extensions.records.filter((record: Json) => record.status === 'Enabled').length;
    expect(fieldValue(message, 'Extensions')).toMatch(new RegExp(`^${extensions.paging.totalElements}: Enabled ${enabledCount} · `));
    const people = extensions.records.filter((record: Json) =>
      ['User', 'DigitalUser', 'VirtualUser', 'FaxUser'].includes(record.type),
    ).length;
    expect(fieldValue(message, 'Extension types')).toMatch(new RegExp(`^People ${people} · `));

    const numbers = await ringCentral(viewer, '/phone-number?perPage=1000');
    const direct = numbers.records.filter((record: Json) => record.usageType === 'DirectNumber').length;
    expect(fieldValue(message, 'Phone numbers')).toMatch(new RegExp(`^${numbers.paging.totalElements}: Direct number ${direct} · `));
    const unmapped = numbers.records
      .filter((record: Json) => record.extension === undefined)
      .map((record: Json) => national(record.phoneNumber));
    expect(unmapped.length).toBeGreaterThan(0);
    expect(fieldValue(message, 'Numbers mapped to no extension')).toBe(String(unmapped.length));
    expect([...listedTitles(message)].sort()).toEqual([...unmapped].sort());
  });

  it.each([
    ['administrator', 'U101', { readAccountBusinessAddress: 1, readAccountServiceInfo: 1, listExtensions: 1, listAccountPhoneNumbers: 1 }],
    ['standard user', 'U103', { readAccountBusinessAddress: 1, readExtension: 1 }],
  ])('costs the %s only the calls of the cost table cold, and nothing warm', async (_role, slackUserId, expected) => {
    // Fresh requester state: unlink and link again, then one /ext (account info and own extension known, as "cold" means).
    await answer(stack, slackUserId, '/switchboard unlink');
    await linkUser(stack, slackUserId, slackUserId === 'U101' ? '101' : '103');
    await answer(stack, slackUserId, '/ext');
    await stack.control.resetStats();
    await answer(stack, slackUserId, '/switchboard company');
    expect((await stack.control.stats()).byOperation).toEqual(expected);

    await stack.control.resetStats();
    await answer(stack, slackUserId, '/switchboard company');
    expect((await stack.control.stats()).total).toBe(0);
  });
});

describe('"Show more" of the numbers mapped to no extension', () => {
  let stack: SlackTestStack;
  beforeAll(async () => {
    stack = await startSlackTestStack({ sandbox: { seed: unassignedCompany } });
    await linkUser(stack, 'U101', '101');
    await linkUser(stack, 'U102', '102');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const showMoreOf = (message: ResponseMessage) => commandButtons(message).find((button) => button.label === 'Show more');

  async function click(button: { action_id: string; value: string }): Promise<ResponseMessage> {
    const { ack, channel } = await stack.click('U101', button);
    expect(ack.status).toBe(200);
    return nextAnswer(channel);
  }

  it('pages through all 25, ten at a time, in order, and the last page has no "Show more"', async () => {
    const first = await answer(stack, 'U101', '/switchboard company');
    expect(titleOf(first)).toBe('Spare Numbers Ltd.');
    expect(fieldValue(first, 'Numbers mapped to no extension')).toBe('25');
    const more1 = showMoreOf(first);
    expect(more1?.value).toBe('company page:2');

    const second = await click(more1!);
    expect(titleOf(second)).toBe('Spare Numbers Ltd.');
    expect(readableText(second)).toContain('Numbers mapped to no extension: 11–20 of 25');
    expect(fieldsOf(second)).toEqual([]);
    const more2 = showMoreOf(second);
    expect(more2?.value).toBe('company page:3');

    const third = await click(more2!);
    expect(readableText(third)).toContain('Numbers mapped to no extension: 21–25 of 25');
    expect(showMoreOf(third)).toBeUndefined();

    expect([...listedTitles(first), ...listedTitles(second), ...listedTitles(third)]).toEqual(UNASSIGNED_NUMBERS.map(national));
  });

  it('when RingCentral does not answer the number list, the card still shows, says the counts are missing, and a later ask shows them', async () => {
    await answer(stack, 'U101', '/switchboard unlink');
    await linkUser(stack, 'U101', '101');
    // More 503s than the client's attempts: this command's number list gets no answer at all.
    await stack.control.faults({ kind: '503', count: 10, operation: 'listAccountPhoneNumbers' });
    try {
      const degraded = await answer(stack, 'U101', '/switchboard company');
      expect(titleOf(degraded)).toBe('Spare Numbers Ltd.');
      expect(fieldValue(degraded, 'Main number')).toBe(national('+18005550000'));
      expect(fieldValue(degraded, 'Extensions')).toMatch(/^2: /);
      expect(fieldValue(degraded, 'Phone numbers')).toBeUndefined();
      expect(readableText(degraded)).toContain('Some counts could not be read from RingCentral just now');
    } finally {
      await stack.control.clearFaults();
    }
    const recovered = await answer(stack, 'U101', '/switchboard company');
    expect(fieldValue(recovered, 'Numbers mapped to no extension')).toBe('25');
    expect(readableText(recovered)).not.toContain('could not be read');
  });

  it('a page past the end shows the card itself', async () => {
    const message = await answer(stack, 'U101', '/switchboard company page:9');
    expect(fieldValue(message, 'Numbers mapped to no extension')).toBe('25');
  });

  it('the standard user asking for a later page gets the public card, without the numbers', async () => {
    const message = await answer(stack, 'U102', '/switchboard company page:2');
    expect(fieldsOf(message).map(([label]) => label)).toEqual(PUBLIC_LABELS);
    expect(listedTitles(message)).toEqual([]);
    expect(readableText(message)).not.toContain(national(UNASSIGNED_NUMBERS[0]!));
  });
});

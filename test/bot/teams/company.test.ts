import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalTeamsUser, PostedActivity } from '../../../src/demo/local-teams.ts';
import { companyWording } from '../../../src/handlers/company-card.ts';
import { accountJson, loginAs } from '../../support/sandbox.ts';
import type { TeamsTestStack } from '../../support/teams-stack.ts';
import {
  answer,
  expectEveryPostedMessageValid,
  factsOf,
  factValue,
  itemTitlesOf,
  linkTeamsUser,
  nextMessage,
  readableText,
  startTeamsTestStack,
  submitButtons,
  titleOf,
} from '../../support/teams-stack.ts';
import { UNASSIGNED_NUMBERS, unassignedCompany } from '../../support/unassigned-company.ts';

/*
 * `company` typed to the bot through the real /api/messages, by the administrator John Smith (101) and the standard
 * user Emma Chen (103). What each is shown is read from RingCentral (the sandbox) with a login of that same person.
 * Every posted card is checked against the Adaptive Card schema and Teams' 28 KB limit after each test.
 */

type Json = Record<string, any>;

const PUBLIC_LABELS = ['Main number', 'Service plan', 'Brand', 'Home country', 'Account status', 'Operator'];
const ADMIN_LABELS = ['Features enabled', 'Extensions', 'Extension types', 'Phone numbers', 'Numbers mapped to no extension'];

const national = (raw: string) => parsePhoneNumberFromString(raw, 'US')?.formatNational() ?? raw;

describe('the company card, in the demo company', () => {
  let stack: TeamsTestStack;
  const users: Record<string, { user: LocalTeamsUser; accessToken: string }> = {};
  const ringCentral = (extensionNumber: string, path: string): Promise<Json> =>
    accountJson(stack.sandbox, users[extensionNumber]!.accessToken, path);

  beforeAll(async () => {
    stack = await startTeamsTestStack();
    for (const extensionNumber of ['101', '103']) {
      users[extensionNumber] = {
        user: await linkTeamsUser(stack, extensionNumber),
        accessToken: (await loginAs(stack.sandbox, extensionNumber)).access_token,
      };
    }
  });
  afterEach(() => {
    expectEveryPostedMessageValid(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function expectPublicPart(message: PostedActivity, extensionNumber: string): Promise<void> {
    const account = await ringCentral(extensionNumber, '');
    const address = await ringCentral(extensionNumber, '/business-address');
    const operator = await ringCentral(extensionNumber, `/extension/${account.operator.id}`);
    expect(titleOf(message)).toBe(address.company);
    expect(factValue(message, 'Main number')).toBe(national(account.mainNumber));
    expect(factValue(message, 'Service plan')).toBe(account.serviceInfo.servicePlan.name);
    expect(factValue(message, 'Brand')).toBe(account.serviceInfo.brand.name);
    expect(factValue(message, 'Home country')).toBe(account.regionalSettings.homeCountry.name);
    expect(factValue(message, 'Account status')).toBe(companyWording.accountStatus[account.status]);
    expect(factValue(message, 'Operator')).toBe(`${operator.name} (Ext. ${account.operator.extensionNumber})`);
  }

  it('the standard user sees the public part only', async () => {
    const message = await answer(stack, users['103']!.user, 'company');
    await expectPublicPart(message, '103');
    expect(factsOf(message).map(([label]) => label)).toEqual(PUBLIC_LABELS);
    expect(itemTitlesOf(message)).toEqual([]);
    const text = readableText(message);
    for (const number of stack.sandbox.seed.phoneNumbers.filter((n) => n.extensionNumber === undefined)) {
      expect(text).not.toContain(national(number.phoneNumber));
    }
  });

  it('the administrator also sees the counts and the numbers mapped to no extension', async () => {
    const message = await answer(stack, users['101']!.user, '/switchboard company');
    await expectPublicPart(message, '101');
    expect(factsOf(message).map(([label]) => label)).toEqual([...PUBLIC_LABELS, ...ADMIN_LABELS]);
    const extensions = await ringCentral('101', '/extension?perPage=1000');
    expect(factValue(message, 'Extensions')).toMatch(new RegExp(`^${extensions.paging.totalElements}: `));
    const numbers = await ringCentral('101', '/phone-number?perPage=1000');
    expect(factValue(message, 'Phone numbers')).toMatch(new RegExp(`^${numbers.paging.totalElements}: `));
    const unmapped = numbers.records
      .filter((record: Json) => record.extension === undefined)
      .map((record: Json) => national(record.phoneNumber));
    expect([...itemTitlesOf(message)].sort()).toEqual([...unmapped].sort());
  });
});

describe('"Show more" of the numbers mapped to no extension', () => {
  let stack: TeamsTestStack;
  let admin: LocalTeamsUser;
  let standard: LocalTeamsUser;
  beforeAll(async () => {
    stack = await startTeamsTestStack({ sandbox: { seed: unassignedCompany } });
    admin = await linkTeamsUser(stack, '101');
    standard = await linkTeamsUser(stack, '102');
  });
  afterEach(() => {
    expectEveryPostedMessageValid(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const showMoreOf = (message: PostedActivity) => submitButtons(message).find((button) => button.title === 'Show more');

  async function click(data: unknown): Promise<PostedActivity> {
    const { ack, replies } = await stack.clickTeams(admin.aadObjectId, data);
    expect(ack.status).toBe(200);
    return nextMessage(replies);
  }

  it('pages through all 25, ten at a time, in order, and the last page has no "Show more"', async () => {
    const first = await answer(stack, admin, 'company');
    expect(factValue(first, 'Numbers mapped to no extension')).toBe('25');
    const more1 = showMoreOf(first);
    expect(more1?.data).toEqual({ switchboardCommand: 'company page:2' });

    const second = await click(more1!.data);
    expect(readableText(second)).toContain('Numbers mapped to no extension: 11–20 of 25');
    expect(factsOf(second)).toEqual([]);
    const more2 = showMoreOf(second);
    expect(more2?.data).toEqual({ switchboardCommand: 'company page:3' });

    const third = await click(more2!.data);
    expect(readableText(third)).toContain('Numbers mapped to no extension: 21–25 of 25');
    expect(showMoreOf(third)).toBeUndefined();

    expect([...itemTitlesOf(first), ...itemTitlesOf(second), ...itemTitlesOf(third)]).toEqual(UNASSIGNED_NUMBERS.map(national));
  });

  it('the standard user asking for a later page gets the public card, without the numbers', async () => {
    const message = await answer(stack, standard, 'company page:2');
    expect(factsOf(message).map(([label]) => label)).toEqual(PUBLIC_LABELS);
    expect(itemTitlesOf(message)).toEqual([]);
    expect(submitButtons(message).map((button) => button.title)).not.toContain('Show more');
  });
});

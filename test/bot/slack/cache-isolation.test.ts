import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseMessage } from '../../../src/demo/local-slack.ts';
import { callsNowWording } from '../../../src/handlers/wording.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import {
  answer,
  fieldsOf,
  linkUser,
  linkUserByCode,
  readableText,
  startSlackTestStack,
  telNumbersOf,
  titleOf,
} from '../../support/slack-stack.ts';

/*
 * The bot caches what RingCentral showed each requester; an administrator's answer must never reach a standard user
 * who asks the same question right after (or at the same time), nor the other way round. The two views of Paul
 * Rivera differ: the administrator sees his forwarded number, mobile and features; a standard user does not.
 */

const ADMIN_ONLY_NUMBER = '+17869876543';
const PAUL_DIRECT = '+16503316252';

let stack: SlackTestStack;
let emmaExtensionId: string;

beforeAll(async () => {
  stack = await startSlackTestStack();
  await linkUser(stack, 'U101', '101');
  await linkUser(stack, 'U103', '103');
  emmaExtensionId = String(stack.sandbox.seed.extensions.find((extension) => extension.extensionNumber === '103')!.id);
});

afterAll(async () => {
  await stack?.close();
});

function expectStandardView(card: ResponseMessage): void {
  expect(titleOf(card)).toBe('Paul Rivera');
  expect(telNumbersOf(card)).toEqual([PAUL_DIRECT]);
  expect(fieldsOf(card).map(([label]) => label)).not.toContain('Mobile phone');
}

function expectAdminView(card: ResponseMessage): void {
  expect(titleOf(card)).toBe('Paul Rivera');
  expect(telNumbersOf(card)).toContain(ADMIN_ONLY_NUMBER);
  expect(fieldsOf(card)).toContainEqual(['Mobile phone', '(650) 555-0112']);
}

describe("one requester's cached answers never reach another", () => {
  it('the administrator asks /ext 102 first; the standard user asking next gets her own view, fetched with her own login', async () => {
    expectAdminView(await answer(stack, 'U101', '/ext 102'));
    await stack.control.resetStats();
    expectStandardView(await answer(stack, 'U103', '/ext 102'));
    const stats = await stack.control.stats();
    expect(stats.byUser[emmaExtensionId], 'her answer came from RingCentral, as her').toMatchObject({ listExtensionPhoneNumbers: 1 });
  });

  it('the standard user asks first; the administrator asking next still gets the full view', async () => {
    expectStandardView(await answer(stack, 'U103', '/ext paul.rivera@mycompany.com'));
    expectAdminView(await answer(stack, 'U101', '/ext paul.rivera@mycompany.com'));
  });

  it('a number only the administrator can see stays hidden from the standard user after the administrator found it', async () => {
    const adminAnswer = await answer(stack, 'U101', `/whois ${ADMIN_ONLY_NUMBER}`);
    expect(fieldsOf(adminAnswer)).toContainEqual(['Belongs to', 'Paul Rivera']);
    const standardAnswer = await answer(stack, 'U103', `/whois ${ADMIN_ONLY_NUMBER}`);
    expect(titleOf(standardAnswer)).toBe('(786) 987-6543 is not in your company directory');
  });

  it('features of a number the administrator saw are not shown to the standard user', async () => {
    expect(fieldsOf(await answer(stack, 'U101', `/whois ${PAUL_DIRECT}`))).toContainEqual(['Features', 'Caller ID, SMS sender']);
    expect(fieldsOf(await answer(stack, 'U103', `/whois ${PAUL_DIRECT}`)).map(([label]) => label)).not.toContain('Features');
  });

  it("/myforwarding answers each person with their own numbers: the administrator's list, asked first, is not the standard user's", async () => {
    const labelsOf = (extensionNumber: string) =>
      stack.sandbox.seed.forwardingNumbers
        .filter((number) => number.extensionNumber === extensionNumber)
        .map((number) => `*${number.label}*`);
    // The forwarding list: the bold lines under its heading (where calls go now comes first).
    const listed = (card: ResponseMessage) => {
      const lines = readableText(card).split('\n');
      return lines.slice(lines.indexOf(callsNowWording.itemsHeading) + 1).filter((line) => /^\*.+\*$/.test(line));
    };
    expect(labelsOf('103')).not.toEqual(labelsOf('101'));
    expect(listed(await answer(stack, 'U101', '/myforwarding'))).toEqual(labelsOf('101'));
    expect(listed(await answer(stack, 'U103', '/myforwarding'))).toEqual(labelsOf('103'));
  });

  it('asked at the same time, many times over, each gets only their own view', async () => {
    const asks = Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? 'U101' : 'U103'));
    const answers = await Promise.all(asks.map((user) => answer(stack, user, '/ext rivera')));
    answers.forEach((card, index) => (asks[index] === 'U101' ? expectAdminView(card) : expectStandardView(card)));
  });

  it("a Slack user who relinks as someone else sees the new login's view, not the old one's", async () => {
    // Not their own login: it links only through the sign-in page's code, typed by U120.
    await linkUserByCode(stack, 'U120', '103');
    expectStandardView(await answer(stack, 'U120', '/ext 102'));
    await answer(stack, 'U120', '/switchboard unlink');
    await linkUser(stack, 'U120', '120');
    expectAdminView(await answer(stack, 'U120', '/ext 102'));
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalTeamsUser, PostedActivity } from '../../../src/demo/local-teams.ts';
import { elementsOf } from '../../support/adaptive-card.ts';
import { expectedQueuePage, presenceTextFor } from '../../support/presence-oracle.ts';
import { control, loginAs } from '../../support/sandbox.ts';
import type { TeamsTestStack } from '../../support/teams-stack.ts';
import {
  answer,
  cardOf,
  factValue,
  linkTeamsUser,
  nextMessage,
  readableText,
  startTeamsTestStack,
  submitButtons,
  titleOf,
} from '../../support/teams-stack.ts';

/*
 * Presence on a person's card and a call queue's members, end to end through Teams (/api/messages, Adaptive Cards
 * checked against the schema and the size limit on every answer), for the administrator John Smith (101) and the
 * standard user Emma Chen (103). PRESENCE_TTL_SECONDS is 1 here, so a change shows a second later.
 */

const PAUL_ID = '435068008'; // 102
const SALES_QUEUE_ID = '1201057008'; // 200

let stack: TeamsTestStack;
const users: Record<string, LocalTeamsUser> = {};
const tokens: Record<string, string> = {};

beforeAll(async () => {
  stack = await startTeamsTestStack({ env: { PRESENCE_TTL_SECONDS: '1' } });
  for (const extensionNumber of ['101', '103']) {
    users[extensionNumber] = await linkTeamsUser(stack, extensionNumber);
    tokens[extensionNumber] = (await loginAs(stack.sandbox, extensionNumber)).access_token;
  }
});

afterAll(async () => {
  await stack?.close();
});

const afterPresenceTtl = () => new Promise((resolve) => setTimeout(resolve, 1_100));

/** Each list item of the card (a separated container): its title and its details line. */
function itemsOf(message: PostedActivity): Array<[string, string]> {
  return elementsOf<{ separator?: boolean }>(cardOf(message).body, 'Container')
    .filter((container) => container.separator === true)
    .map((container) => {
      const [title = '', details = ''] = elementsOf<{ text: string }>(container, 'TextRun').map((run) => run.text);
      return [title, details];
    });
}

describe.each([
  ['administrator', '101'],
  ['standard user', '103'],
])('as the %s', (_role, extensionNumber) => {
  it("a person's card shows the presence RingCentral shows this viewer, and its change once the presence TTL has passed", async () => {
    const sandbox = control(stack.sandbox);
    const shown: Array<string | undefined> = [];
    for (const state of [
      { userStatus: 'Busy', dndStatus: 'TakeAllCalls', telephonyStatus: 'NoCall' },
      { userStatus: 'Busy', dndStatus: 'TakeAllCalls', telephonyStatus: 'OnHold' },
      { userStatus: 'Available', dndStatus: 'DoNotAcceptAnyCalls', telephonyStatus: 'NoCall' },
    ] as const) {
      await sandbox.setPresence(PAUL_ID, state);
      await afterPresenceTtl();
      const card = await answer(stack, users[extensionNumber]!, 'ext 102');
      expect(titleOf(card)).toBe('Paul Rivera');
      expect(factValue(card, 'Presence')).toBe(await presenceTextFor(stack.sandbox, tokens[extensionNumber]!, PAUL_ID));
      shown.push(factValue(card, 'Presence'));
    }
    expect(shown).toEqual([
      'Busy · “Customer visits all afternoon”',
      'On a call (on hold) · “Customer visits all afternoon”',
      'Do not disturb · “Customer visits all afternoon”',
    ]);
  });

  it('ext of a call queue lists its members with extension numbers and presence, ten at a time, as RingCentral lists them', async () => {
    const first = await answer(stack, users[extensionNumber]!, 'ext 200');
    expect(titleOf(first)).toBe('Sales');
    const expected = await expectedQueuePage(stack.sandbox, tokens[extensionNumber]!, SALES_QUEUE_ID, 1);
    expect(readableText(first)).toContain(`Members 1–10 of ${expected.total}`);
    expect(itemsOf(first)).toEqual(expected.members.map((member) => [member.title, member.details]));

    const more = submitButtons(first).find((button) => button.title === 'Show more');
    expect(more).toBeDefined();
    const { ack, replies } = await stack.clickTeams(users[extensionNumber]!.aadObjectId, more!.data);
    expect(ack.status).toBe(200);
    const second = await nextMessage(replies);
    const expectedSecond = await expectedQueuePage(stack.sandbox, tokens[extensionNumber]!, SALES_QUEUE_ID, 2);
    expect(itemsOf(second)).toEqual(expectedSecond.members.map((member) => [member.title, member.details]));
  });

  it('a list of matches shows no presence', async () => {
    const list = await answer(stack, users[extensionNumber]!, 'ext haddad');
    expect(readableText(list)).not.toMatch(/Available|Busy|On a call|Offline|Do not disturb/);
  });
});

describe('an app without ReadPresence', () => {
  let noPresence: TeamsTestStack;

  beforeAll(async () => {
    noPresence = await startTeamsTestStack({
      env: { RINGCENTRAL_CLIENT_ID: 'switchboard-nopresence', RINGCENTRAL_CLIENT_SECRET: 'switchboard-nopresence-secret' },
    });
  });

  afterAll(async () => {
    await noPresence?.close();
  });

  it('still answers every card, for both roles, without presence', async () => {
    for (const extensionNumber of ['101', '103']) {
      const user = await linkTeamsUser(noPresence, extensionNumber);
      for (const [command, title] of [
        ['ext 102', 'Paul Rivera'],
        ['ext 104', 'Olivia Johnson'],
        ['ext 500', 'Front Desk Lines'],
      ] as const) {
        const card = await answer(noPresence, user, command);
        expect(titleOf(card), command).toBe(title);
        expect(factValue(card, 'Presence'), command).toBeUndefined();
      }
      const queue = await answer(noPresence, user, 'ext 200');
      expect(itemsOf(queue)[0]).toEqual(['Paul Rivera', 'Ext. 102']);
    }
  });
});

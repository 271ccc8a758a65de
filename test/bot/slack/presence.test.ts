import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseMessage } from '../../../src/demo/local-slack.ts';
import { expectedQueuePage, presenceTextFor } from '../../support/presence-oracle.ts';
import { loginAs } from '../../support/sandbox.ts';
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

/*
 * Presence on a person's card and a call queue's members, end to end through Slack, for the administrator John Smith
 * (101) and the standard user Emma Chen (103). What each card must say is read from the sandbox with a login of that
 * same person. Presence is kept for PRESENCE_TTL_SECONDS, here 1, so a change shows a second later.
 */

const OLIVIA_ID = '435100008'; // 104
const SALES_QUEUE_ID = '1201057008'; // 200

let stack: SlackTestStack;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  stack = await startSlackTestStack({ env: { PRESENCE_TTL_SECONDS: '1' } });
  for (const [slackUserId, extensionNumber] of [
    ['U101', '101'],
    ['U103', '103'],
  ] as const) {
    await linkUser(stack, slackUserId, extensionNumber);
    tokens[slackUserId] = (await loginAs(stack.sandbox, extensionNumber)).access_token;
  }
});

afterAll(async () => {
  await stack?.close();
});

const presenceField = (message: ResponseMessage) => fieldsOf(message).find(([label]) => label === 'Presence')?.[1];
const afterPresenceTtl = () => new Promise((resolve) => setTimeout(resolve, 1_100));

/** The item sections (a bold title, then details) of a message, as [title, details]. */
function itemsOf(message: ResponseMessage): Array<[string, string]> {
  return (message.blocks as Array<{ type: string; text?: { type: string; text: string } }>)
    .filter((block) => block.type === 'section' && block.text?.type === 'mrkdwn')
    .map((block) => {
      const text = readableText({ text: 'x', blocks: [{ ...block, accessory: undefined }] });
      const [title = '', ...details] = text.split('\n');
      return [title.replace(/^\*(.*)\*$/, '$1'), details.join('\n')];
    });
}

describe.each([
  ['administrator', 'U101'],
  ['standard user', 'U103'],
])('as the %s', (_role, slackUserId) => {
  it("a person's card shows the presence RingCentral shows this viewer, and its change once the presence TTL has passed", async () => {
    const states = [
      { userStatus: 'Available', dndStatus: 'DoNotAcceptAnyCalls', telephonyStatus: 'NoCall' },
      { userStatus: 'Available', dndStatus: 'TakeAllCalls', telephonyStatus: 'CallConnected' },
      { userStatus: 'Offline', dndStatus: 'TakeAllCalls', telephonyStatus: 'NoCall' },
      { userStatus: 'Available', dndStatus: 'TakeAllCalls', telephonyStatus: 'NoCall' },
    ] as const;
    const shown: Array<string | undefined> = [];
    for (const state of states) {
      await stack.control.setPresence(OLIVIA_ID, state);
      await afterPresenceTtl();
      const card = await answer(stack, slackUserId, '/ext 104');
      expect(titleOf(card)).toBe('Olivia Johnson');
      expect(presenceField(card)).toBe(await presenceTextFor(stack.sandbox, tokens[slackUserId]!, OLIVIA_ID));
      shown.push(presenceField(card));
    }
    expect(shown).toEqual(['Do not disturb', 'On a call', 'Offline', 'Available']);
  });

  it("the demo's people read as RingCentral shows them: busy with a message, on a call, not shared; a group has no presence", async () => {
    expect(presenceField(await answer(stack, slackUserId, '/ext 102'))).toBe('Busy · “Customer visits all afternoon”');
    expect(presenceField(await answer(stack, slackUserId, '/ext 101'))).toBe('On a call');
    expect(presenceField(await answer(stack, slackUserId, '/ext 117'))).toBe('Not shared');
    expect(presenceField(await answer(stack, slackUserId, '/ext 500'))).toBeUndefined();
    expect(readableText(await answer(stack, slackUserId, '/ext 500'))).toContain('Calls to its number ring several phones at once');
  });

  it('/ext of a call queue lists its members with extension numbers and presence, ten at a time, as RingCentral lists them', async () => {
    const first = await answer(stack, slackUserId, '/ext 200');
    expect(titleOf(first)).toBe('Sales');
    const expected = await expectedQueuePage(stack.sandbox, tokens[slackUserId]!, SALES_QUEUE_ID, 1);
    expect(readableText(first)).toContain(`Members 1–10 of ${expected.total}`);
    expect(itemsOf(first)).toEqual(expected.members.map((member) => [member.title, member.details]));

    const more = commandButtons(first).find((button) => button.label === 'Show more');
    expect(more?.value).toBe('ext 200 page:2');
    const { ack, channel } = await stack.click(slackUserId, more!);
    expect(ack.status).toBe(200);
    const second = await nextAnswer(channel);
    const expectedSecond = await expectedQueuePage(stack.sandbox, tokens[slackUserId]!, SALES_QUEUE_ID, 2);
    expect(itemsOf(second)).toEqual(expectedSecond.members.map((member) => [member.title, member.details]));
    expect(commandButtons(second).some((button) => button.label === 'Show more')).toBe(false);
  });

  it('a list of matches shows no presence and costs no presence call', async () => {
    await stack.control.resetStats();
    const list = await answer(stack, slackUserId, '/ext haddad');
    expect(readableText(list)).toContain('Showing 1–');
    expect(readableText(list)).not.toMatch(/Available|Busy|On a call|Offline|Do not disturb/);
    expect((await stack.control.stats()).byOperation['readUserPresenceStatus'] ?? 0).toBe(0);
  });

  it('when RingCentral fails the presence call, the card still answers, without presence', async () => {
    await afterPresenceTtl();
    await stack.control.faults({ kind: '500', operation: 'readUserPresenceStatus', count: 10 });
    try {
      const card = await answer(stack, slackUserId, '/ext 102');
      expect(titleOf(card)).toBe('Paul Rivera');
      expect(fieldsOf(card)).toContainEqual(['Extension', '102']);
      expect(presenceField(card)).toBeUndefined();
    } finally {
      await stack.control.clearFaults();
    }
  });
});

describe('a presence call that never answers', () => {
  it('holds the card for its own short deadline only, then the card shows without presence', async () => {
    await afterPresenceTtl();
    await stack.control.faults({ kind: 'hang', operation: 'readUserPresenceStatus', count: 5 });
    try {
      const started = performance.now();
      const card = await answer(stack, 'U103', '/ext 109');
      const elapsed = performance.now() - started;
      expect(titleOf(card)).toBe('Mateo Rossi');
      expect(presenceField(card)).toBeUndefined();
      expect(elapsed, 'well inside the 10 s a card may take').toBeLessThan(6_000);
    } finally {
      await stack.control.clearFaults();
    }
  });
});

describe('an app without ReadPresence', () => {
  let noPresence: SlackTestStack;

  beforeAll(async () => {
    noPresence = await startSlackTestStack({
      env: { RINGCENTRAL_CLIENT_ID: 'switchboard-nopresence', RINGCENTRAL_CLIENT_SECRET: 'switchboard-nopresence-secret' },
    });
    await linkUser(noPresence, 'U101', '101');
    await linkUser(noPresence, 'U103', '103');
  });

  afterAll(async () => {
    await noPresence?.close();
  });

  it('still answers every card, for both roles, without presence', async () => {
    for (const slackUserId of ['U101', 'U103']) {
      for (const [command, title] of [
        ['/ext 102', 'Paul Rivera'],
        ['/ext 101', 'John Smith'],
        ['/ext 117', 'Amelia Dubois'],
        ['/ext 500', 'Front Desk Lines'],
      ] as const) {
        const card = await answer(noPresence, slackUserId, command);
        expect(titleOf(card).replace(/ \(you\)$/, ''), command).toBe(title);
        expect(presenceField(card), command).toBeUndefined();
      }
      const self = await answer(noPresence, slackUserId, '/ext');
      expect(titleOf(self)).toMatch(/\(you\)$/);
      const queue = await answer(noPresence, slackUserId, '/ext 200');
      expect(itemsOf(queue).slice(0, 2)).toEqual([
        ['Paul Rivera', 'Ext. 102'],
        ['Olivia Johnson', 'Ext. 104'],
      ]);
      expect(titleOf(await answer(noPresence, slackUserId, '/whois +16503316252'))).toBe('(650) 331-6252');
    }
    const refused = (await noPresence.control.stats()).byOperation['readUserPresenceStatus'] ?? 0;
    expect(refused).toBeGreaterThan(0); // it asked, RingCentral refused, and the card went on without it
  });
});

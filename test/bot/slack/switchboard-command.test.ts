import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseMessage } from '../../../src/demo/local-slack.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import {
  answer,
  commandButtons,
  connectUrlOf,
  fieldsOf,
  linkUser,
  nextAnswer,
  readableText,
  startSlackTestStack,
  titleOf,
} from '../../support/slack-stack.ts';

/*
 * `/switchboard help` and `/switchboard status`, for linked and unlinked users, and what an unknown command gets.
 * Help needs no link and no RingCentral call; status reads the linked extension fresh.
 */

let stack: SlackTestStack;

beforeAll(async () => {
  stack = await startSlackTestStack();
  await linkUser(stack, 'U103', '103');
});

afterAll(async () => {
  await stack?.close();
});

function helpTopics(message: ResponseMessage): string[] {
  return (message.blocks as Array<{ type: string; text?: { type: string; text: string } }>)
    .filter((block) => block.type === 'section' && block.text?.type === 'mrkdwn')
    .map((block) => /^\*(.+?)\*/.exec(readableText({ text: '', blocks: [block] }))?.[1] ?? '');
}

describe('/switchboard help', () => {
  it.each(['/switchboard help', '/switchboard', '/switchboard ?'])(
    '%s lists every command with examples, without asking to link',
    async (line) => {
      await stack.control.resetStats();
      const message = await answer(stack, 'U150', line);
      expect(titleOf(message)).toBe('Switchboard');
      expect(helpTopics(message)).toEqual([
        '/ext [number | name | email | @person]',
        '/whois <phone number>',
        '/myforwarding',
        '/switchboard company',
        '/switchboard link',
        '/switchboard unlink',
        '/switchboard status',
        '/switchboard confirm <code>',
      ]);
      expect(readableText(message)).toContain('/whois (650) 331-6252');
      expect(connectUrlOf(message)).toBeUndefined();
      expect((await stack.control.stats()).total).toBe(0);
    },
  );

  it("/ext help and /whois help are the command's own queries, not help", async () => {
    expect(titleOf(await answer(stack, 'U103', '/ext help'))).toBe('Nothing found for “help”');
    expect(titleOf(await answer(stack, 'U103', '/whois help'))).toBe('That does not look like a phone number');
  });

  it('an extension number nobody has gets the same "No extension" answer from /ext and /whois', async () => {
    for (const line of ['/ext 999', '/ext x999', '/whois 999', '/whois ext. 999']) {
      const message = await answer(stack, 'U103', line);
      expect(titleOf(message), line).toBe('No extension 999');
      expect(readableText(message), line).not.toContain('spelling');
    }
  });
});

describe('/switchboard status', () => {
  it('shows a linked user whom they are linked as', async () => {
    const message = await answer(stack, 'U103', '/switchboard status');
    expect(titleOf(message)).toBe('Linked to RingCentral');
    expect(fieldsOf(message)).toEqual([
      ['Name', 'Emma Chen'],
      ['Extension', '103'],
      ['Email', 'emma.chen@mycompany.com'],
      ['Company', 'MyCompany Inc.'],
      ['Role', 'Standard user'],
    ]);
    expect(readableText(message)).toContain('/switchboard unlink');
  });

  it('asks an unlinked user to connect, and answers the status once they have', async () => {
    const { channel } = await stack.ask('U101', '/switchboard status');
    const prompt = await nextAnswer(channel);
    const url = connectUrlOf(prompt);
    expect(url).toBeDefined();
    expect((await stack.signIn(url!, '101')).status).toBe(200);
    expect(titleOf(await nextAnswer(channel))).toBe('Connected to RingCentral');
    const answered = await nextAnswer(channel);
    expect(titleOf(answered)).toBe('Linked to RingCentral');
    expect(fieldsOf(answered)).toContainEqual(['Role', 'Administrator']);
  });
});

describe('unknown commands', () => {
  it.each(['/switchboard frobnicate', '/frobnicate 101'])('%s gets "I don\'t know" with suggestions', async (line) => {
    const message = await answer(stack, 'U103', line);
    expect(titleOf(message)).toMatch(/^I don’t know “\/?frobnicate”$/);
    expect(readableText(message)).toContain('/switchboard help');
    expect(commandButtons(message)).toEqual([]);
  });
});

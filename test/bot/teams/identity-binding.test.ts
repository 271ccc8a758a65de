import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalTeamsUser, PostedActivity } from '../../../src/demo/local-teams.ts';
import { confirmationCodeOf } from '../../../src/demo/demo-stack.ts';
import { pageText } from '../../../src/demo/demo-session.ts';
import { control } from '../../support/sandbox.ts';
import type { TeamsTestStack } from '../../support/teams-stack.ts';
import {
  answer,
  expectEveryPostedMessageValid,
  factValue,
  linkTeamsUser,
  nextMessage,
  readableText,
  startTeamsTestStack,
  teamsConnectUrlOf,
  titleOf,
} from '../../support/teams-stack.ts';

/*
 * A Connect link binds the Teams user who asked for it: real activities to /api/messages, the sandbox's sign-in, and
 * the bot's callback page. A standard user's link signed in by the administrator must not give them the
 * administrator's view; only `confirm <code>` from that same Teams user, in time and within five tries, completes it.
 */

const ADMIN = '101';
const TEN_MINUTES = 10 * 60 * 1000;

let stack: TeamsTestStack;
let storeClockAheadMs = 0;
let emma: LocalTeamsUser;
let adminForwarding: string[];

beforeAll(async () => {
  stack = await startTeamsTestStack({ now: () => Date.now() + storeClockAheadMs });
  emma = stack.teamsUser('103');
  adminForwarding = stack.sandbox.seed.forwardingNumbers
    .filter((number) => number.extensionNumber === ADMIN)
    .map((number) => number.phoneNumber.slice(-7));
  const john = await linkTeamsUser(stack, ADMIN);
  expect(adminNumbersIn(await answer(stack, john, 'myforwarding'))).toEqual(adminForwarding);
});

afterEach(() => {
  expectEveryPostedMessageValid(stack);
});

afterAll(async () => {
  await stack?.close();
});

function adminNumbersIn(message: PostedActivity): string[] {
  const digits = readableText(message).replace(/\D/g, '');
  return adminForwarding.filter((number) => digits.includes(number));
}

async function signInFor(user: LocalTeamsUser, text: string, extensionNumber: string) {
  const { replies } = await stack.askTeams(user.aadObjectId, text);
  const url = teamsConnectUrlOf(await nextMessage(replies));
  expect(url, 'an unlinked user is offered a Connect link').toBeDefined();
  const page = await stack.signIn(url!, extensionNumber);
  return { replies, page, code: confirmationCodeOf(page.body) };
}

async function expectNotLinked(user: LocalTeamsUser): Promise<void> {
  expect(await stack.bot.services.store.get(stack.userKey(user))).toBeUndefined();
  const forwarding = await answer(stack, user, 'myforwarding');
  expect(titleOf(forwarding)).toBe('Connect your RingCentral account');
  expect(adminNumbersIn(forwarding)).toEqual([]);
}

describe('a Connect link forwarded to the administrator, in Teams', () => {
  it('does not link the standard user; the page shows the code, how to confirm in Teams, and the warning', async () => {
    const { replies, page, code } = await signInFor(emma, 'myforwarding', ADMIN);
    expect(page.status).toBe(200);
    expect(code).toMatch(/^\d{6}$/);
    expect(pageText(page.body)).toContain('Teams account Emma Chen (emma.chen@mycompany.com)');
    expect(page.body).toContain(`typing confirm ${code} to Switchboard in Teams`);
    expect(page.body).toContain('Never give this code to anyone');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(replies.messages, 'nothing is answered with the administrator’s login').toHaveLength(1);
    await expectNotLinked(emma);
  });

  it('completes only through `confirm <code>` from the same Teams user', async () => {
    const { code } = await signInFor(emma, 'link', ADMIN);
    const paul = stack.teamsUser('102');
    expect(titleOf(await answer(stack, paul, `confirm ${code}`))).toBe('Nothing to confirm');
    await expectNotLinked(paul);
    await expectNotLinked(emma);

    const confirmed = await answer(stack, emma, `confirm ${code}`);
    expect(titleOf(confirmed)).toBe('Connected to RingCentral');
    expect(readableText(confirmed)).toContain('Linked as John Smith (ext. 101). Not you? unlink');
    expect(factValue(await answer(stack, emma, 'status'), 'Name')).toBe('John Smith');
    await answer(stack, emma, 'unlink');
  });

  it('once confirmed, the command that started the link is answered in the chat, with no second "Linked as"', async () => {
    const { replies, code } = await signInFor(emma, 'myforwarding', ADMIN);
    const { replies: turn } = await stack.askTeams(emma.aadObjectId, `confirm ${code}`);
    // The reply to `confirm` and the answer to myforwarding, in the one-to-one chat, in whichever order they arrive.
    const titles = [titleOf(await nextMessage(turn)), titleOf(await nextMessage(turn))].sort();
    expect(titles).toEqual(['Connected to RingCentral', 'Where your calls go now']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(replies.messages.filter((message) => readableText(message).includes('Linked as'))).toHaveLength(1);
    await answer(stack, emma, 'unlink');
  });

  it('does not complete after ten minutes, nor after five wrong codes', async () => {
    const late = await signInFor(emma, 'myforwarding', ADMIN);
    storeClockAheadMs = TEN_MINUTES + 1000;
    try {
      expect(titleOf(await answer(stack, emma, `confirm ${late.code}`))).toBe('That code has expired');
    } finally {
      storeClockAheadMs = 0;
    }
    await expectNotLinked(emma);

    const { code } = await signInFor(emma, 'myforwarding', ADMIN);
    const wrong = ((Number(code) + 1) % 1_000_000).toString().padStart(6, '0');
    const revokes = async () => (await control(stack.sandbox).stats()).byOperation['revokeToken'] ?? 0;
    const revokesBefore = await revokes();
    for (let attempt = 0; attempt < 4; attempt += 1)
      expect(titleOf(await answer(stack, emma, `confirm ${wrong}`))).toBe('That code is not right');
    expect(titleOf(await answer(stack, emma, `confirm ${wrong}`))).toBe('Too many wrong codes');
    expect(titleOf(await answer(stack, emma, `confirm ${code}`))).toBe('Nothing to confirm');
    await vi.waitFor(async () => expect(await revokes()).toBe(revokesBefore + 1));
    await expectNotLinked(emma);
  });

  it('bad input gets a friendly reply', async () => {
    const olivia = stack.teamsUser('104');
    expect(titleOf(await answer(stack, olivia, 'confirm'))).toBe('Which code?');
    const notACode = await answer(stack, olivia, 'confirm abc');
    expect(titleOf(notACode)).toBe('That is not a code');
    expect(readableText(notACode)).toContain('confirm 123456');
    expect(readableText(notACode)).not.toContain('/switchboard');
    expect(titleOf(await answer(stack, olivia, 'confirm 123456'))).toBe('Nothing to confirm');
  });
});

describe('matching emails in Teams', () => {
  it('link at once, and the page names the Teams account', async () => {
    const { replies, page, code } = await signInFor(stack.teamsUser('120'), 'status', '120');
    expect(code).toBeUndefined();
    expect(pageText(page.body)).toBe(
      'Linked as Grace Mensah (ext. 120) to Teams account Grace Mensah (grace.mensah@mycompany.com). You can close this tab.',
    );
    expect(readableText(await nextMessage(replies))).toContain('Linked as Grace Mensah (ext. 120). Not you? unlink');
    expect(factValue(await nextMessage(replies), 'Name')).toBe('Grace Mensah');
  });
});

describe('LINK_EMAIL_MISMATCH=refuse, in Teams', () => {
  let strict: TeamsTestStack;
  beforeAll(async () => {
    strict = await startTeamsTestStack({ env: { LINK_EMAIL_MISMATCH: 'refuse' } });
  });
  afterAll(async () => {
    await strict?.close();
  });

  it('refuses the administrator’s sign-in for a standard user', async () => {
    const user = strict.teamsUser('103');
    const { replies } = await strict.askTeams(user.aadObjectId, 'myforwarding');
    const page = await strict.signIn(teamsConnectUrlOf(await nextMessage(replies))!, ADMIN);
    expect(page.status).toBe(403);
    expect(confirmationCodeOf(page.body)).toBeUndefined();
    expect(await strict.bot.services.store.get(strict.userKey(user))).toBeUndefined();
    expect(titleOf(await answer(strict, user, 'confirm 000000'))).toBe('Nothing to confirm');
  });
});

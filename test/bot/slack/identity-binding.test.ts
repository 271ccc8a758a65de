import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { confirmationCodeOf } from '../../../src/demo/demo-stack.ts';
import { pageText } from '../../../src/demo/demo-session.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import {
  answer,
  connectUrlOf,
  fieldsOf,
  linkUser,
  nextAnswer,
  readableText,
  startSlackTestStack,
  titleOf,
} from '../../support/slack-stack.ts';

/*
 * A Connect link binds the Slack user who asked for it. A standard user forwards their link to the administrator, who
 * signs in: the sign-in must not hand the administrator's RingCentral view to the standard user. Through the real
 * Bolt endpoint (signed slash commands), the sandbox's sign-in, and the bot's callback page as a browser gets it.
 */

const ADMIN = '101'; // John Smith, the company's administrator
const EMMA = 'U103'; // Emma Chen, a standard user
const PAUL = 'U102';
const TEN_MINUTES = 10 * 60 * 1000;

let stack: SlackTestStack;
let storeClockAheadMs = 0;
/** The administrator's own forwarding numbers, which no one else may be shown. */
let adminForwarding: string[];

beforeAll(async () => {
  stack = await startSlackTestStack({ now: () => Date.now() + storeClockAheadMs });
  await linkUser(stack, 'U101', ADMIN);
  adminForwarding = stack.sandbox.seed.forwardingNumbers
    .filter((number) => number.extensionNumber === ADMIN)
    .map((number) => number.phoneNumber.slice(-7));
  expect(adminForwarding.length).toBeGreaterThan(0);
  // The check below would notice them: the administrator's own answer shows every one.
  expect(adminNumbersIn(await answer(stack, 'U101', '/myforwarding'))).toEqual(adminForwarding);
});

afterAll(async () => {
  await stack?.close();
});

/** `slackUserId` asks a question while unlinked; `extensionNumber` signs in through the Connect link they got. */
async function signInFor(slackUserId: string, line: string, extensionNumber: string) {
  const { channel } = await stack.ask(slackUserId, line);
  const url = connectUrlOf(await nextAnswer(channel));
  expect(url, 'an unlinked user is offered a Connect link').toBeDefined();
  const page = await stack.signIn(url!, extensionNumber);
  return { channel, page, text: pageText(page.body), code: confirmationCodeOf(page.body) };
}

/** The administrator's forwarding numbers (last seven digits) that a message shows. */
function adminNumbersIn(message: Parameters<typeof readableText>[0]): string[] {
  const digits = readableText(message).replace(/\D/g, '');
  return adminForwarding.filter((number) => digits.includes(number));
}

async function revokeCount(): Promise<number> {
  return (await stack.control.stats()).byOperation['revokeToken'] ?? 0;
}

async function expectNotLinked(slackUserId: string): Promise<void> {
  expect(await stack.bot.services.store.getLink(stack.userKey(slackUserId))).toBeUndefined();
  expect(await stack.bot.services.store.get(stack.userKey(slackUserId))).toBeUndefined();
  const forwarding = await answer(stack, slackUserId, '/myforwarding');
  expect(titleOf(forwarding)).toBe('Connect your RingCentral account');
  expect(adminNumbersIn(forwarding)).toEqual([]);
}

describe('a Connect link forwarded to the administrator', () => {
  it('does not link the standard user; the administrator’s page shows the code and the warning', async () => {
    const { channel, page, text, code } = await signInFor(EMMA, '/myforwarding', ADMIN);
    expect(page.status).toBe(200);
    expect(code).toMatch(/^\d{6}$/);
    expect(text).toContain('You signed in to RingCentral as John Smith (ext. 101)');
    expect(text).toContain('Slack account Emma Chen (emma.chen@mycompany.com)');
    expect(page.body).toContain(`/switchboard confirm ${code} in Slack`);
    expect(page.body).toContain('Never give this code to anyone');

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(channel.messages, 'nothing is answered in chat with the administrator’s login').toHaveLength(1);
    await expectNotLinked(EMMA);
  });

  it('completes only through `confirm` from the same Slack user, who is then told whom they are linked as', async () => {
    const { code } = await signInFor(EMMA, '/switchboard link', ADMIN);
    const fromPaul = await answer(stack, PAUL, `/switchboard confirm ${code}`);
    expect(titleOf(fromPaul)).toBe('Nothing to confirm');
    await expectNotLinked(PAUL);
    await expectNotLinked(EMMA);

    const confirmed = await answer(stack, EMMA, `/switchboard confirm ${code}`);
    expect(titleOf(confirmed)).toBe('Connected to RingCentral');
    expect(readableText(confirmed)).toContain('Linked as John Smith (ext. 101). Not you? /switchboard unlink');
    expect(fieldsOf(await answer(stack, EMMA, '/switchboard status'))).toContainEqual(['Name', 'John Smith']);
    expect(titleOf(await answer(stack, EMMA, `/switchboard confirm ${code}`)), 'a code works once').toBe('Nothing to confirm');
    await answer(stack, EMMA, '/switchboard unlink');
  });

  it('once confirmed, the command that started the link is answered where it was asked', async () => {
    const { channel, code } = await signInFor(EMMA, '/myforwarding', ADMIN);
    expect(channel.messages).toHaveLength(1); // the Connect prompt only
    expect(titleOf(await answer(stack, EMMA, `/switchboard confirm ${code}`))).toBe('Connected to RingCentral');
    // On the first command's response_url: the prompt becomes whom they are linked as, then its answer follows.
    expect(readableText(await channel.next())).toContain('Linked as John Smith (ext. 101)');
    let answered = await channel.next();
    while (titleOf(answered) === 'Looking it up…') answered = await channel.next();
    expect(titleOf(answered)).toBe('Where your calls go now');
    await answer(stack, EMMA, '/switchboard unlink');
  });

  it('does not complete after ten minutes', async () => {
    const { code } = await signInFor(EMMA, '/myforwarding', ADMIN);
    storeClockAheadMs = TEN_MINUTES + 1000;
    try {
      const late = await answer(stack, EMMA, `/switchboard confirm ${code}`);
      expect(titleOf(late)).toBe('That code has expired');
    } finally {
      storeClockAheadMs = 0;
    }
    expect(titleOf(await answer(stack, EMMA, `/switchboard confirm ${code}`))).toBe('Nothing to confirm');
    await expectNotLinked(EMMA);
  });

  it('does not complete after five wrong codes, and the administrator’s new session is signed out', async () => {
    const { code } = await signInFor(EMMA, '/myforwarding', ADMIN);
    const wrong = ((Number(code) + 1) % 1_000_000).toString().padStart(6, '0');
    const revokesBefore = await revokeCount();
    for (const left of ['4 more tries', '3 more tries', '2 more tries', 'One more try']) {
      const reply = await answer(stack, EMMA, `/switchboard confirm ${wrong}`);
      expect(titleOf(reply)).toBe('That code is not right');
      expect(readableText(reply)).toContain(left);
    }
    expect(titleOf(await answer(stack, EMMA, `/switchboard confirm ${wrong}`))).toBe('Too many wrong codes');
    expect(titleOf(await answer(stack, EMMA, `/switchboard confirm ${code}`))).toBe('Nothing to confirm');
    await vi.waitFor(async () => expect(await revokeCount()).toBe(revokesBefore + 1));
    await expectNotLinked(EMMA);
  });

  it('re-linking as the administrator keeps the user’s own link working until the code is typed', async () => {
    await linkUser(stack, 'U105', '105');
    const { code } = await signInFor('U105', '/switchboard link', ADMIN).catch(async () => {
      throw new Error('a linked user asking /switchboard link gets a Connect link');
    });
    expect(code).toMatch(/^\d{6}$/);
    expect(fieldsOf(await answer(stack, 'U105', '/switchboard status'))).toContainEqual(['Name', 'Liam Garcia']);
    expect(adminNumbersIn(await answer(stack, 'U105', '/myforwarding'))).toEqual([]);
    await answer(stack, 'U105', `/switchboard confirm ${code}`);
    expect(fieldsOf(await answer(stack, 'U105', '/switchboard status'))).toContainEqual(['Name', 'John Smith']);
  });
});

describe('matching emails', () => {
  it('link at once: the page names the Slack account, the chat says whom, and the command is answered', async () => {
    const { channel, page, text, code } = await signInFor('U120', '/switchboard status', '120');
    expect(page.status).toBe(200);
    expect(code).toBeUndefined();
    expect(text).toBe(
      'Linked as Grace Mensah (ext. 120) to Slack account Grace Mensah (grace.mensah@mycompany.com). You can close this tab.',
    );
    expect(readableText(await nextAnswer(channel))).toContain('Linked as Grace Mensah (ext. 120). Not you? /switchboard unlink');
    expect(fieldsOf(await nextAnswer(channel))).toContainEqual(['Name', 'Grace Mensah']);
  });
});

describe('`confirm` with bad input', () => {
  it.each([
    ['/switchboard confirm', 'Which code?'],
    ['/switchboard confirm abc', 'That is not a code'],
    ['/switchboard confirm 12345', 'That is not a code'],
    ['/switchboard confirm 123456', 'Nothing to confirm'],
  ])('%s gets "%s"', async (line, title) => {
    const reply = await answer(stack, 'U122', line);
    expect(titleOf(reply)).toBe(title);
    expect(readableText(reply)).toContain('/switchboard');
  });
});

describe('LINK_EMAIL_MISMATCH=refuse', () => {
  let strict: SlackTestStack;
  beforeAll(async () => {
    strict = await startSlackTestStack({ env: { LINK_EMAIL_MISMATCH: 'refuse' } });
  });
  afterAll(async () => {
    await strict?.close();
  });

  it('refuses the administrator’s sign-in for a standard user, with no code, and still links matching emails', async () => {
    const { channel } = await strict.ask(EMMA, '/myforwarding');
    const page = await strict.signIn(connectUrlOf(await nextAnswer(channel))!, ADMIN);
    expect(page.status).toBe(403);
    expect(confirmationCodeOf(page.body)).toBeUndefined();
    expect(pageText(page.body)).toContain('nothing was linked');
    expect(await strict.bot.services.store.get(strict.userKey(EMMA))).toBeUndefined();
    expect(titleOf(await answer(strict, EMMA, '/switchboard confirm 000000'))).toBe('Nothing to confirm');
    expect(titleOf(await answer(strict, EMMA, '/myforwarding'))).toBe('Connect your RingCentral account');

    await linkUser(strict, EMMA, '103');
    expect(fieldsOf(await answer(strict, EMMA, '/switchboard status'))).toContainEqual(['Name', 'Emma Chen']);
  });
});

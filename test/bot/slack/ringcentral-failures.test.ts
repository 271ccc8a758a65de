import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseMessage } from '../../../src/demo/local-slack.ts';
import type { FaultKind } from '../../../src/sandbox/faults.ts';
import { api, loginAs } from '../../support/sandbox.ts';
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
 * When RingCentral fails (down, broken answers, rate limits, a session it ended) every command still gets a short,
 * friendly reply on its response_url: never a stack trace or an error's message. Faults come from the sandbox's
 * control API; the bot retries what RingCentral says may be retried, so faults are queued for every attempt.
 */

let stack: SlackTestStack;

beforeAll(async () => {
  stack = await startSlackTestStack();
  for (const [user, extension] of [
    ['U101', '101'],
    ['U103', '103'],
    ['U104', '104'],
    ['U105', '105'],
  ] as const) {
    await linkUser(stack, user, extension);
  }
});

afterEach(async () => {
  await stack.control.clearFaults();
});

afterAll(async () => {
  await stack?.close();
});

function expectNoInternals(message: ResponseMessage): void {
  const everything = `${message.text}\n${readableText(message)}`;
  expect(everything).not.toMatch(/Error:|\n\s*at |undefined|CMN-|OAU-|HTTP \d{3}|stack|\{"/);
}

describe('RingCentral down or answering nonsense', () => {
  // Each case looks up an extension nobody asked for yet, so nothing is answered from the cache.
  it.each<[FaultKind, string]>([
    ['503', '113'],
    ['500', '114'],
    ['reset', '115'],
    ['malformed', '117'],
    ['truncated', '118'],
  ])('a %s from RingCentral → "RingCentral is unreachable", and the next command works again', async (kind, extension) => {
    await stack.control.faults({ kind, count: 20 });
    const failed = await answer(stack, 'U101', `/ext ${extension}`);
    expect(titleOf(failed)).toBe('RingCentral is unreachable');
    expect(failed.text).toMatch(/try again/i);
    expectNoInternals(failed);

    await stack.control.clearFaults();
    const recovered = await answer(stack, 'U101', `/ext ${extension}`);
    expect(fieldsOf(recovered)).toContainEqual(['Extension', extension]);
  });

  it("a failure in the middle of a /whois (the owner's numbers) is also a friendly reply", async () => {
    await stack.control.faults({ kind: '503', count: 20, operation: 'listExtensionPhoneNumbers' });
    const failed = await answer(stack, 'U103', '/whois +16505550108');
    expect(titleOf(failed)).toBe('RingCentral is unreachable');
    expectNoInternals(failed);
  });

  it('RingCentral ending the session mid-command asks the user to link again', async () => {
    await stack.control.faults({ kind: 'revoked', count: 1 });
    const reply = await answer(stack, 'U105', '/ext 102');
    expect(titleOf(reply)).toBe('Please reconnect RingCentral');
    expect(connectUrlOf(reply)).toBeDefined();
    expectNoInternals(reply);
    expect(await stack.bot.services.store.getLink(stack.userKey('U105'))).toBeUndefined();
  });

  it('unlinking while RingCentral is down still forgets the login here', async () => {
    await linkUser(stack, 'U106', '106');
    await stack.control.faults({ kind: '503', count: 20, operation: 'revokeToken' });
    const reply = await answer(stack, 'U106', '/switchboard unlink');
    expect(titleOf(reply)).toBe('Disconnected from RingCentral');
    // It does not claim a sign-out RingCentral never heard of.
    expect(readableText(reply)).toContain('RingCentral could not be reached to end the session there');
    expect(readableText(reply)).not.toContain('signed out');
    expectNoInternals(reply);
    expect(await stack.bot.services.store.getLink(stack.userKey('U106'))).toBeUndefined();
  });

  it("the bot logs the failure with RingCentral's request id but no token", async () => {
    await stack.control.faults({ kind: '503', count: 20 });
    await answer(stack, 'U101', '/ext 107');
    const logged = stack.logs.filter((line) => line.message === 'RingCentral call failed');
    expect(logged.length).toBeGreaterThan(0);
    const tokens = await stack.bot.services.store.get(stack.userKey('U101'));
    const text = JSON.stringify(stack.logs);
    expect(text).not.toContain(tokens!.accessToken);
    expect(text).not.toContain(tokens!.refreshToken);
  });
});

describe('RingCentral going down and coming back in the middle of a burst', () => {
  it('requests that never reached RingCentral spend no budget: no "slow down" without a real 429, and the first command once it is back is answered', async () => {
    await linkUser(stack, 'U108', '108');
    // A budget the outage's retries would spend many times over (each /ext <number> is one Medium request, tried up to
    // three times): 10 a minute, learned from the headers of the first answer below.
    await stack.control.config({ rateLimits: { limits: { Light: 50, Medium: 10, Heavy: 50, Auth: 50 }, penaltySeconds: 60 } });
    const asked = (extension: string) => stack.ask('U108', `/ext ${extension}`).then(({ channel }) => nextAnswer(channel));
    const answered = (reply: ResponseMessage, extension: string) =>
      fieldsOf(reply).some(([label, value]) => label === 'Extension' && value === extension);
    try {
      await stack.control.resetStats();
      expect(answered(await asked('120'), '120')).toBe(true);

      // Slow answers, so the start of the burst is inside RingCentral (not yet counted) when it goes down: those
      // connections drop before any answer, the rest of the burst is refused.
      await stack.control.config({ latencyMs: 1_000 });
      const replies = ['121', '122', '123'].map((extension) => asked(extension).then((reply) => ({ extension, reply })));
      await new Promise((resolve) => setTimeout(resolve, 400));
      await stack.sandbox.stop();
      for (const extension of ['124', '125', '126', '127', '128', '129', '130']) {
        replies.push(asked(extension).then((reply) => ({ extension, reply })));
      }
      const burst = await Promise.all(replies);
      await stack.sandbox.restart();
      await stack.control.config({ latencyMs: 0 });

      // Each command of the burst was answered or met the outage; none was held back by a budget it never spent.
      for (const { extension, reply } of burst) {
        expect(answered(reply, extension) || titleOf(reply) === 'RingCentral is unreachable', readableText(reply)).toBe(true);
        expectNoInternals(reply);
      }
      const unreachable = burst.filter(({ reply }) => titleOf(reply) === 'RingCentral is unreachable');
      expect(unreachable.length, 'the burst met the outage').toBeGreaterThanOrEqual(7);

      const back = await asked('131');
      expect(answered(back, '131'), `${titleOf(back)}: ${readableText(back)}`).toBe(true);

      const sent429s = (await stack.control.stats()).rateLimited;
      const slowDown = [...burst.map(({ reply }) => reply), back].filter((reply) =>
        /slow down/i.test(`${reply.text}\n${readableText(reply)}`),
      );
      expect(slowDown.length === 0 || sent429s > 0, `"slow down" said ${slowDown.length} times; RingCentral sent ${sent429s} 429s`).toBe(
        true,
      );
      expect(sent429s).toBe(0);
    } finally {
      await stack.sandbox.restart();
      await stack.control.config({ latencyMs: 0, rateLimits: { scale: 100 } });
    }
  });
});

describe('RingCentral rate limits', () => {
  it('when another session of the same user has used up the budget, RingCentral\'s 429 becomes "RingCentral is busy"', async () => {
    await stack.control.config({ rateLimits: { limits: { Light: 3, Medium: 3, Heavy: 3, Auth: 50 }, penaltySeconds: 60 } });
    try {
      // The same person signed in to the same app elsewhere: RingCentral counts both against one budget.
      const elsewhere = await loginAs(stack.sandbox, '104');
      for (let call = 0; call < 3; call += 1)
        await api(stack.sandbox, elsewhere.access_token, '/restapi/v1.0/account/~/extension?perPage=1');
      await stack.control.resetStats();

      const reply = await answer(stack, 'U104', '/ext 109');
      expect(titleOf(reply)).toBe('RingCentral is busy');
      expect(reply.text).toMatch(/try again in (a minute|\d+ seconds)/);
      expectNoInternals(reply);
      expect((await stack.control.stats()).rateLimited).toBeGreaterThan(0);
    } finally {
      await stack.control.config({ rateLimits: { scale: 100 } });
    }
  });

  it("once RingCentral's headers say the budget is spent, the bot says so plainly, with RingCentral's limit, without sending more requests", async () => {
    await linkUser(stack, 'U107', '107');
    // Medium (listExtensions, one per /ext <email>): 3 a minute, which the bot learns from the headers. By email, not
    // by number: a standard user's /ext <number> found in their directory index would be answered from the entry.
    await stack.control.config({ rateLimits: { limits: { Light: 50, Medium: 3, Heavy: 50, Auth: 50 }, penaltySeconds: 60 } });
    try {
      let reply: ResponseMessage | undefined;
      for (const email of ['grace.mensah', 'aiden.novak', 'priya.singh', 'wei.zhang'].map((name) => `${name}@mycompany.com`)) {
        await stack.control.resetStats();
        reply = await answer(stack, 'U107', `/ext ${email}`);
        if (!fieldsOf(reply).some(([label]) => label === 'Extension')) break;
      }
      expect(titleOf(reply!)).toBe('Too many lookups');
      const text = readableText(reply!);
      expect(text).toMatch(/You've made many lookups in a minute; RingCentral allows 3\. Try again in \d+ s\./);
      expect(text).not.toMatch(/slow down/i);
      expectNoInternals(reply!);
      const stats = await stack.control.stats();
      expect(stats.rateLimited, 'the bot did not run into a 429').toBe(0);
      expect(stats.total, 'the held-back command sent nothing').toBe(0);
    } finally {
      await stack.control.config({ rateLimits: { scale: 100 } });
    }
  });
});

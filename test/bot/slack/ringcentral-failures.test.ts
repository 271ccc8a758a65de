import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseMessage } from '../../../src/demo/local-slack.ts';
import type { FaultKind } from '../../../src/sandbox/faults.ts';
import { api, loginAs } from '../../support/sandbox.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import { answer, connectUrlOf, fieldsOf, linkUser, readableText, startSlackTestStack, titleOf } from '../../support/slack-stack.ts';

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

  it('a failure in the middle of a /whois (the owner\'s numbers) is also a friendly reply', async () => {
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

  it('the bot logs the failure with RingCentral\'s request id but no token', async () => {
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

describe('RingCentral rate limits', () => {
  it('when another session of the same user has used up the budget, RingCentral\'s 429 becomes "RingCentral is busy"', async () => {
    await stack.control.config({ rateLimits: { limits: { Light: 3, Medium: 3, Heavy: 3, Auth: 50 }, penaltySeconds: 60 } });
    try {
      // The same person signed in to the same app elsewhere: RingCentral counts both against one budget.
      const elsewhere = await loginAs(stack.sandbox, '104');
      for (let call = 0; call < 3; call += 1) await api(stack.sandbox, elsewhere.access_token, '/restapi/v1.0/account/~/extension?perPage=1');
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

  it('once RingCentral\'s headers say the budget is spent, the bot says "busy" without sending more requests', async () => {
    await stack.control.config({ rateLimits: { limits: { Light: 1, Medium: 1, Heavy: 1, Auth: 50 }, penaltySeconds: 60 } });
    try {
      // One Medium and one Light request: the headers now say nothing is left in either group.
      expect(fieldsOf(await answer(stack, 'U103', '/ext 111'))).toContainEqual(['Extension', '111']);
      await stack.control.resetStats();

      const reply = await answer(stack, 'U103', '/ext 112');
      expect(titleOf(reply)).toBe('RingCentral is busy');
      expectNoInternals(reply);
      const stats = await stack.control.stats();
      expect(stats.rateLimited, 'the bot did not run into a 429').toBe(0);
      expect(stats.total).toBe(0);
    } finally {
      await stack.control.config({ rateLimits: { scale: 100 } });
    }
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import { answer, fieldsOf, linkUser, nextPost, startSlackTestStack, titleOf } from '../../support/slack-stack.ts';

/*
 * A Slack command never ends without an answer: a Web API body Slack would not send (users.info without `user`, a
 * user id that is not a string) reads as "unknown", and a command that throws anywhere still gets the person a short
 * apology on its response_url, with the error and its stack in the log. The local Slack is the fake, at the HTTP
 * boundary; the bot is the real one behind /slack/events.
 */

let stack: SlackTestStack;

beforeAll(async () => {
  stack = await startSlackTestStack();
  await linkUser(stack, 'U103', '103');
});

afterEach(() => {
  stack.slack.apiAnswer = undefined;
});

afterAll(async () => {
  await stack?.close();
});

const failures = () => stack.logs.filter((log) => log.level === 'error');

describe('Slack Web API bodies Slack would not send', () => {
  it.each([
    // Each case asks about someone else, so no earlier answer is served from the profile cache.
    ['no user', { ok: true }, 'U101'],
    ['a user that is not an object', { ok: true, user: 'U101' }, 'U102'],
    ['an email that is not text', { ok: true, user: { id: 'U104', profile: { email: 42 } } }, 'U104'],
  ])('users.info with %s: `/ext @someone` says their chat email is unknown', async (_what, body, someone) => {
    const before = failures().length;
    stack.slack.apiAnswer = (method) => (method === 'users.info' ? body : undefined);
    const reply = await answer(stack, 'U103', `/ext <@${someone}>`);
    expect(titleOf(reply)).toMatch(/no email/i);
    expect(failures().length).toBe(before);
  });

  it.each([
    ['no user', { ok: true }, '101'],
    ['a user id that is not text', { ok: true, user: { id: 5, profile: [] } }, '102'],
  ])('users.lookupByEmail with %s: `/ext` is answered, without the Slack name', async (_what, body, extension) => {
    const before = failures().length;
    stack.slack.apiAnswer = (method) => (method === 'users.lookupByEmail' ? body : undefined);
    const reply = await answer(stack, 'U103', `/ext ${extension}`);
    expect(fieldsOf(reply)).toContainEqual(['Extension', extension]);
    expect(stack.slack.apiCalls.at(-1)?.method).toBe('users.lookupByEmail');
    expect(failures().length).toBe(before);
  });
});

describe('a command that throws', () => {
  // No outside server makes the bot's own code throw any more, so a part of the bot (its metrics) is made to.
  async function whileMetricsThrow<T>(work: () => Promise<T>): Promise<T> {
    const metrics = stack.bot.services.metrics;
    stack.bot.services.metrics = {
      commandFinished() {
        throw new Error('metrics broke');
      },
    } as unknown as typeof metrics;
    try {
      return await work();
    } finally {
      stack.bot.services.metrics = metrics;
    }
  }

  function expectStackLogged(message: string): void {
    const logged = failures().at(-1);
    expect(logged?.message).toBe(message);
    expect((logged?.fields['err'] as { stack: string }).stack).toMatch(/metrics broke\n\s+at /);
  }

  it('a slash command: the person gets an apology, the log gets the stack', async () => {
    const reply = await whileMetricsThrow(() => answer(stack, 'U103', '/ext 105'));
    expect(titleOf(reply)).toBe('Something went wrong');
    expectStackLogged('Slack command failed');
  });

  it('a direct message: the apology comes in the DM', async () => {
    const post = await whileMetricsThrow(async () => nextPost(stack, await stack.message('U103', 'ext 105')));
    expect(post).toMatchObject({ method: 'chat.postMessage', channel: stack.dmChannelOf('U103') });
    expect(titleOf(post)).toBe('Something went wrong');
    expectStackLogged('Slack message failed');
  });
});

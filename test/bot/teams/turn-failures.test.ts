import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalTeamsUser } from '../../../src/demo/local-teams.ts';
import { installationUpdateActivity, postActivity } from '../../../src/demo/teams-requests.ts';
import type { TeamsTestStack } from '../../support/teams-stack.ts';
import { factsOf, linkTeamsUser, nextMessage, startTeamsTestStack, titleOf } from '../../support/teams-stack.ts';

/*
 * A Teams turn never ends without an answer: a connector body botbuilder does not check (a member lookup answering
 * `{}`) reads as "unknown", and a turn that throws anywhere (here: the connector refusing the typing indicator) still
 * gets the person a short apology, with the error and its stack in the log. The local connector is the fake, at the
 * HTTP boundary; everything else is the real bot behind /api/messages.
 */

let stack: TeamsTestStack;
let emma: LocalTeamsUser;

beforeAll(async () => {
  stack = await startTeamsTestStack();
  emma = await linkTeamsUser(stack, '103');
});

afterEach(() => {
  stack.teams.intercept = undefined;
});

afterAll(async () => {
  await stack?.close();
});

const turnFailures = () => stack.logs.filter((log) => log.level === 'error' && log.message === 'Teams turn failed');

async function ask(text: string, mentions: LocalTeamsUser[] = []) {
  const { ack, replies } = await stack.askTeams(emma.aadObjectId, text, mentions.length === 0 ? {} : { mentions });
  expect(ack.status).toBe(200);
  return nextMessage(replies);
}

describe('a connector answering member lookups with a body real Teams would not send', () => {
  it.each([
    ['{}', {}],
    ['fields of the wrong type', { id: 42, name: ['x'], email: { at: 'example.com' } }],
  ])('%s: `ext 101` is answered, without the chat name', async (_what, body) => {
    const failuresBefore = turnFailures().length;
    const lookups = () => stack.teams.requests.filter((request) => request.path.includes('/members/')).length;
    const lookupsBefore = lookups();
    stack.teams.intercept = (request) =>
      request.method === 'GET' && request.path.includes('/members/') ? { status: 200, body } : undefined;
    const answer = await ask('ext 101');
    expect(factsOf(answer)).toContainEqual(['Extension', '101']);
    expect(lookups(), 'the card looked the person up, and was not served from a cache').toBeGreaterThan(lookupsBefore);
    expect(turnFailures().length).toBe(failuresBefore);
  });

  it('`ext @someone`: answered from the name in the mention, the email being unknown', async () => {
    const failuresBefore = turnFailures().length;
    stack.teams.intercept = (request) =>
      request.method === 'GET' && request.path.includes('/members/') ? { status: 200, body: {} } : undefined;
    const paul = stack.teamsUser('102');
    const answer = await ask(`ext <at>${paul.name}</at>`, [paul]);
    expect(factsOf(answer)).toContainEqual(['Extension', '102']);
    expect(turnFailures().length).toBe(failuresBefore);
  });
});

describe('a turn that throws', () => {
  it('the connector refusing the typing indicator: the person gets an apology, the log gets the stack', async () => {
    const failuresBefore = turnFailures().length;
    stack.teams.intercept = (request) =>
      request.method === 'POST' && /\/activities(\/|$)/.test(request.path) && JSON.parse(request.body).type === 'typing'
        ? { status: 400, body: { error: { code: 'BadArgument', message: 'refused' } } }
        : undefined;
    const answer = await ask('ext 101');
    expect(titleOf(answer)).toBe('Something went wrong');
    const failures = turnFailures();
    expect(failures.length).toBe(failuresBefore + 1);
    const err = failures.at(-1)?.fields['err'] as { message: string; stack: string };
    expect(err.stack).toMatch(/\n\s+at /);
    // Nothing the person asked, and no token, in what is logged.
    expect(JSON.stringify(failures.at(-1))).not.toMatch(/Bearer|ext 101/);
  });

  it('an install event whose welcome fails: logged with its stack, and no apology (nobody asked anything)', async () => {
    const failuresBefore = turnFailures().length;
    const apologies = () =>
      stack.teams.received.filter((received) => JSON.stringify(received.activity).includes('Something went wrong')).length;
    const apologiesBefore = apologies();
    const paul = stack.teamsUser('102');
    stack.teams.intercept = (request) =>
      request.method === 'POST' && request.body.includes('Hi, I’m Switchboard')
        ? { status: 400, body: { error: { code: 'BadArgument', message: 'refused' } } }
        : undefined;
    const install = { serviceUrl: stack.teams.serviceUrl, tenantId: stack.teams.tenantId, bot: stack.teams.bot, from: paul };
    const conversation = { id: stack.teams.personalConversationId(paul), conversationType: 'personal' } as const;
    expect((await postActivity(stack.teamsTarget, installationUpdateActivity({ ...install, conversation }, 'add'))).status).toBe(200);
    await expect.poll(() => turnFailures().length).toBe(failuresBefore + 1);
    expect((turnFailures().at(-1)?.fields['err'] as { stack: string }).stack).toMatch(/\n\s+at /);
    // A later answer in the same chat comes first: anything the failed turn sent would be before it.
    stack.teams.intercept = undefined;
    const replies = stack.teams.replies(conversation.id);
    const { ack } = await stack.askTeams(paul.aadObjectId, 'help');
    expect(ack.status).toBe(200);
    expect(titleOf(await nextMessage(replies))).toBe('Switchboard');
    expect(apologies()).toBe(apologiesBefore);
  });
});

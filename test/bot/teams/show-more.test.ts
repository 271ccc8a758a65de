import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalTeamsUser, PostedActivity } from '../../../src/demo/local-teams.ts';
import { ALEXES, pagingCompany } from '../../support/paging-company.ts';
import type { TeamsTestStack } from '../../support/teams-stack.ts';
import {
  answer,
  expectEveryPostedMessageValid,
  itemTitlesOf,
  linkTeamsUser,
  nextMessage,
  readableText,
  startTeamsTestStack,
  submitButtons,
  titleOf,
} from '../../support/teams-stack.ts';

/*
 * A long list of matches pages through its "Show more" button: an Action.Submit whose data is the next page's
 * command, which Teams sends back as a message activity carrying it in `value`. 25 people called Alex make three
 * pages of ten.
 */

let stack: TeamsTestStack;
const users: Record<string, LocalTeamsUser> = {};

beforeAll(async () => {
  stack = await startTeamsTestStack({ sandbox: { seed: pagingCompany } });
  users['101'] = await linkTeamsUser(stack, '101');
  users['102'] = await linkTeamsUser(stack, '102');
});

afterEach(() => {
  expectEveryPostedMessageValid(stack);
});

afterAll(async () => {
  await stack?.close();
});

function showMoreOf(message: PostedActivity) {
  return submitButtons(message).find((button) => button.title === 'Show more');
}

async function click(user: LocalTeamsUser, data: unknown): Promise<PostedActivity> {
  const { ack, replies } = await stack.clickTeams(user.aadObjectId, data);
  expect(ack.status).toBe(200);
  return nextMessage(replies);
}

describe.each([
  ['administrator', '101'],
  ['standard user', '102'],
])('"Show more" as an %s', (_role, extensionNumber) => {
  it('pages through all 25 matches, ten at a time, in order, and the last page has no "Show more"', async () => {
    const user = users[extensionNumber]!;
    const first = await answer(stack, user, 'ext alex');
    expect(titleOf(first)).toBe('Extensions matching “alex”');
    expect(readableText(first)).toContain('Showing 1–10 of 25');
    const more1 = showMoreOf(first);
    expect(more1?.data).toEqual({ switchboardCommand: 'ext alex page:2' });

    const second = await click(user, more1!.data);
    expect(readableText(second)).toContain('Showing 11–20 of 25');
    const more2 = showMoreOf(second);
    expect(more2?.data).toEqual({ switchboardCommand: 'ext alex page:3' });

    const third = await click(user, more2!.data);
    expect(readableText(third)).toContain('Showing 21–25 of 25');
    expect(showMoreOf(third)).toBeUndefined();

    expect([...itemTitlesOf(first), ...itemTitlesOf(second), ...itemTitlesOf(third)]).toEqual(ALEXES);
  });

  it('a list item\'s "Details" button shows that person', async () => {
    const user = users[extensionNumber]!;
    const first = await answer(stack, user, 'ext alex');
    const details = submitButtons(first).filter((button) => button.title === 'Details');
    expect(details).toHaveLength(10);
    const card = await click(user, details[2]!.data);
    expect(titleOf(card)).toBe('Alex Carter');
  });
});

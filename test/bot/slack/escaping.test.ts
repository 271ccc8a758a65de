import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseMessage } from '../../../src/demo/local-slack.ts';
import { company } from '../../support/sandbox.ts';
import { slackTexts } from '../../support/slack-limits.ts';
import type { SlackTestStack } from '../../support/slack-stack.ts';
import { answer, fieldsOf, linkUser, readableText, startSlackTestStack, titleOf } from '../../support/slack-stack.ts';

/*
 * RingCentral data and typed queries that look like Slack markup (`<!channel>`, `<@U…>`, links, *bold*) reach Slack
 * as text: no message the bot sends can ping a channel, mention someone, or hide a link. The names come from a seed
 * built for it and are read back through the real path.
 */

const seed = company({ companyName: '<!everyone> & Co' })
  .withAdmin({ extensionNumber: '101', firstName: 'Ann', lastName: 'Admin', email: 'ann.admin@escape.example' })
  .withUser({
    extensionNumber: '102',
    firstName: '<!channel>',
    lastName: 'Tester',
    email: 'channel.tester@escape.example',
    jobTitle: '*Boss* <@U101> ```code```',
    department: '<!here|here> & <#C123|general>',
    directNumber: '+16503316252',
  })
  .withUser({ extensionNumber: '103', firstName: '&lt;!everyone&gt;', lastName: 'Tester &amp; Sons', email: 'amp.tester@escape.example' })
  .withUser({ extensionNumber: '104', firstName: '@channel', lastName: '_Tester_', email: 'at.tester@escape.example' })
  .withUser({
    extensionNumber: '105',
    firstName: '<https://evil.example|click me>',
    lastName: 'Tester',
    email: 'link.tester@escape.example',
  })
  .withUser({ extensionNumber: '106', firstName: '<!subteam^S1|@team>', lastName: 'Tester', email: 'team.tester@escape.example' })
  .build();

let stack: SlackTestStack;

beforeAll(async () => {
  stack = await startSlackTestStack({ sandbox: { seed } });
  await linkUser(stack, 'U101', '101');
});

afterAll(async () => {
  await stack?.close();
});

// The only `<…>` tokens the bot may send: tel: and mailto: links, the unformatted-character date token, and a mention
// of the chat user matched by email.
const ALLOWED_TOKEN = /^<(?:tel:\+\d{3,15}\|[^<>]+|mailto:[^\s|<>]+\|[^<>]+|!date\^0\^\{_\}\|[*_~`]|@U\d+)>$/;

/** Every way a message could ping, mention or link something it should not; empty when it cannot. */
function markupProblems(message: ResponseMessage): string[] {
  const problems: string[] = [];
  for (const seen of slackTexts(message)) {
    if (seen.type === 'plain_text') {
      // Slack does not parse plain_text, but none may look like a token either.
      if (/[<>]/.test(seen.text)) problems.push(`${seen.where}: angle bracket in plain_text: ${seen.text}`);
      continue;
    }
    for (const token of seen.text.match(/<[^<>]*>/g) ?? []) {
      if (!ALLOWED_TOKEN.test(token)) problems.push(`${seen.where}: token ${token}`);
      if (token.startsWith('<@') && !seen.text.startsWith('*In chat*\n')) problems.push(`${seen.where}: mention outside "In chat"`);
    }
    if (/(^|[^\p{L}\p{N}])@(channel|here|everyone)\b/iu.test(seen.text)) problems.push(`${seen.where}: bare @channel/@here/@everyone`);
    const unescaped = seen.text.replace(/<[^<>]*>/g, '').replace(/&(amp|lt|gt);/g, '');
    if (/[<>&]/.test(unescaped)) problems.push(`${seen.where}: raw < > or & outside a token: ${seen.text}`);
  }
  return problems;
}

async function expectSafe(line: string): Promise<ResponseMessage> {
  const message = await answer(stack, 'U101', line);
  expect(markupProblems(message), `${line}\n${JSON.stringify(message, null, 1)}`).toEqual([]);
  return message;
}

describe('Slack markup in RingCentral data is shown as text', () => {
  it('a person named "<!channel> Tester" with markup in every field: the card pings and mentions nobody', async () => {
    const message = await expectSafe('/ext 102');
    expect(titleOf(message)).toBe('‹!channel› Tester');
    expect(fieldsOf(message)).toEqual(
      expect.arrayContaining([
        ['Job title', '*Boss* <@U101> ```code```'],
        ['Department', '<!here|here> & <#C123|general>'],
        ['Company', '<!everyone> & Co'],
        ['In chat', '<@U102>'],
      ]),
    );
    expect(message.text).not.toMatch(/<!/);
  });

  it('every hostile name in a list of matches is escaped', async () => {
    const message = await expectSafe('/ext tester');
    const shown = readableText(message);
    for (const name of [
      '<!channel> Tester',
      '&lt;!everyone&gt; Tester &amp; Sons',
      '@channel _Tester_',
      '<https://evil.example|click me> Tester',
      '<!subteam^S1|@team> Tester',
    ]) {
      expect(shown).toContain(name);
    }
  });

  it.each(['103', '104', '105', '106'])('the card of extension %s is safe', async (extensionNumber) => {
    await expectSafe(`/ext ${extensionNumber}`);
  });

  it('a /whois answer names the owner "<!channel> Tester" safely', async () => {
    const message = await expectSafe('/whois +16503316252');
    expect(fieldsOf(message)).toContainEqual(['Belongs to', '<!channel> Tester']);
  });
});

describe('Slack markup in what people type is shown as text', () => {
  it.each([
    '/ext <!channel>',
    '/ext <!here>',
    '/ext <#C123|general>',
    '/ext &lt;!channel&gt; nobody',
    '/ext *bold* _nobody_',
    '/ext <https://evil.example|click me>',
    '/ext @everyone nobody',
    '/whois <!channel>',
    '/whois &lt;!here&gt;',
    '/whois <@U101>',
    '/nonsense <!channel>',
    '/switchboard <!everyone>',
  ])('%s is answered without markup', async (line) => {
    const message = await expectSafe(line);
    expect(readableText(message)).not.toMatch(/&(amp|lt|gt);/);
  });

  it('a typed "<!channel>" (which Slack sends as &lt;!channel&gt;) is echoed as the person wrote it', async () => {
    const noMatch = await expectSafe('/ext &lt;!channel&gt; nobody');
    expect(titleOf(noMatch)).toBe('Nothing found for “‹!channel› nobody”');
    const list = await expectSafe('/ext tester &amp;');
    expect(titleOf(list)).toBe('Extensions matching “tester &”');
    const unknown = await expectSafe('/switchboard &lt;b&gt;');
    expect(titleOf(unknown)).toBe('I don’t know “‹b›”');
  });
});

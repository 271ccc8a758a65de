import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '../src/config.ts';
import {
  type Doc,
  harnessEnvironmentNames,
  namedCommands,
  namedSettings,
  readDocs,
  servedPaths,
  unknownCommands,
  unknownSettings,
} from './support/doc-references.ts';

/*
 * The documents say what the code does: every setting they name is one src/config.ts reads (or one the test runner
 * reads, in the Tests document), and every command they tell people to type is one the bot answers.
 */

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const docs = readDocs(ROOT);
const harnessNames = harnessEnvironmentNames(ROOT, ['scripts', 'test']);
const knownNames = [...SETTING_NAMES, ...harnessNames];
const routes = servedPaths(ROOT);

const doc = (text: string, path = 'docs/example.md'): Doc => ({ path, text });

describe('documents against the code', () => {
  it('read README.md, every docs/*.md and .env.example', () => {
    const paths = docs.map((entry) => entry.path);
    expect(paths).toEqual(expect.arrayContaining(['README.md', '.env.example', 'docs/configuration.md', 'docs/operations.md']));
  });

  it('name no setting that src/config.ts does not have', () => {
    expect(unknownSettings(docs, knownNames)).toEqual([]);
  });

  it('name every setting of src/config.ts in docs/configuration.md and .env.example', () => {
    for (const path of ['docs/configuration.md', '.env.example']) {
      const named = namedSettings(docs.find((entry) => entry.path === path)!);
      expect(
        SETTING_NAMES.filter((name) => !named.has(name)),
        path,
      ).toEqual([]);
    }
  });

  it('tell people to type only commands the bot answers', () => {
    const commands = docs.map((entry) => namedCommands(entry, routes));
    // The check reads what it should: the README's table and the Teams words, not the HTTP routes.
    expect(commands.flatMap((entry) => entry.slash)).toEqual(
      expect.arrayContaining(['/ext 101', '/whois (650) 331-6252', '/myforwarding', '/switchboard unlink']),
    );
    expect(commands.flatMap((entry) => entry.typed)).toEqual(
      expect.arrayContaining(['ext 101', 'myforwarding', 'company', 'status', '101']),
    );
    expect(commands.flatMap((entry) => entry.slash)).not.toContain('/healthz');
    expect(unknownCommands(docs, routes)).toEqual([]);
  });

  it('link only to files that exist, and the README links to every document in docs/', () => {
    const broken = docs.flatMap((entry) =>
      [...entry.text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
        .map((match) => match[1]!)
        .filter((target) => !/^[a-z]+:/.test(target))
        .filter((target) => !existsSync(resolve(ROOT, dirname(entry.path), target)))
        .map((target) => ({ path: entry.path, target })),
    );
    expect(broken).toEqual([]);
    const readme = docs.find((entry) => entry.path === 'README.md')!.text;
    const unlinked = docs.filter((entry) => entry.path.startsWith('docs/') && !readme.includes(`](${entry.path})`));
    expect(unlinked.map((entry) => entry.path)).toEqual([]);
  });
});

describe('the doc-vs-code check', () => {
  it('fails when a setting is renamed in src/config.ts and the documents keep the old name', () => {
    const renamed = knownNames.map((name) => (name === 'PRESENCE_TTL_SECONDS' ? 'PRESENCE_CACHE_SECONDS' : name));
    const findings = unknownSettings(docs, renamed);
    expect(findings.map((finding) => finding.name)).toContain('PRESENCE_TTL_SECONDS');
    expect(findings.map((finding) => finding.path)).toEqual(expect.arrayContaining(['.env.example', 'docs/configuration.md']));
  });

  it('finds a bogus setting in backticks, in NAME= form and in .env.example comments', () => {
    expect(unknownSettings([doc('Set `RINGCENTRAL_CLIENT_SECRETS` and `HOSTNAME`.')], knownNames)).toEqual([
      { path: 'docs/example.md', name: 'RINGCENTRAL_CLIENT_SECRETS' },
      { path: 'docs/example.md', name: 'HOSTNAME' },
    ]);
    expect(
      unknownSettings([doc('```sh\nMicrosoftAppSecret=x SLACK_TOKEN=y npm start\n```')], knownNames).map((finding) => finding.name),
    ).toEqual(['MicrosoftAppSecret', 'SLACK_TOKEN']);
    expect(unknownSettings([doc('# Needs REDIS_HOST too.\nREDIS_URL=\n', '.env.example')], knownNames)).toEqual([
      { path: '.env.example', name: 'REDIS_HOST' },
    ]);
  });

  it("passes real settings, the runner's variables, and upper-case words that are no setting", () => {
    const text = 'Set `PUBLIC_URL=https://x`, `PORT`, `MicrosoftAppId`; `GET /healthz`, `GET`, `TEST_REDIS_URL`, `X-Frame-Options: DENY`.';
    expect(unknownSettings([doc(text)], knownNames)).toEqual([]);
    expect(harnessNames).toContain('CHROMIUM_PATH');
  });

  it('finds slash commands and typed words the bot does not answer', () => {
    const text = [
      '| Slack | Teams | Answers |',
      '|---|---|---|',
      '| `/ext 101`, `/lookup 101` | `ext 101`, `lookup 101`, `101` | a card |',
      '| `/switchboard help \\| link \\| frobnicate`, `/switchboard` | `help` | help |',
      '',
      "Type `whois +16503316252`, `myforward` to the bot. `/extension 101` is an alias; `/help` is not Slack's; `/healthz` is a route.",
    ].join('\n');
    expect(unknownCommands([doc(text)], routes).map((finding) => finding.name)).toEqual([
      '/lookup 101',
      '/switchboard frobnicate',
      '/extension 101',
      '/help',
      'lookup 101',
      'myforward',
    ]);
  });
});

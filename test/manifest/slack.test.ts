import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SLACK_BOT_SCOPES, SLACK_OAUTH_REDIRECT_PATH } from '../../src/bot/slack/installations.ts';
import { LOOKUP_NUMBERS_CALLBACK_ID } from '../../src/bot/slack/shortcuts.ts';

/*
 * The Slack manifest asks for exactly what the bot uses. No YAML parser is a dependency, so the few lists checked
 * here are read by indentation: the items ("- x") right under a key.
 */

const manifest = readFileSync(new URL('../../manifest/slack.yaml', import.meta.url), 'utf8');

function listUnder(key: string): string[] {
  const lines = manifest.split('\n');
  const start = lines.findIndex((line) => line.trim() === `${key}:`);
  expect(start, `${key} in the manifest`).toBeGreaterThanOrEqual(0);
  const indent = (lines[start] ?? '').search(/\S/);
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (line.search(/\S/) <= indent && !line.trim().startsWith('- ')) break;
    const item = /^\s*- ([^\s#]+)\s*$/.exec(line);
    if (item) items.push(item[1] ?? '');
  }
  return items;
}

describe('manifest/slack.yaml', () => {
  it('asks for exactly the scopes the bot uses', () => {
    expect(listUnder('bot').sort()).toEqual([
      'app_mentions:read',
      'chat:write',
      'commands',
      'im:history',
      'users:read',
      'users:read.email',
    ]);
  });

  it('install mode asks Slack for the same scopes, and its redirect URL is the one listed', () => {
    expect([...SLACK_BOT_SCOPES].sort()).toEqual(listUnder('bot').sort());
    expect(listUnder('redirect_urls')).toEqual([`https://switchboard.example.com${SLACK_OAUTH_REDIRECT_PATH}`]);
    expect(manifest).toMatch(/org_deploy_enabled: true/);
  });

  it('subscribes to exactly the events the bot listens to, at the Bolt endpoint', () => {
    expect(listUnder('bot_events').sort()).toEqual(['app_home_opened', 'app_mention', 'app_uninstalled', 'message.im', 'tokens_revoked']);
    expect(manifest).toMatch(/event_subscriptions:\n\s+request_url: https:\/\/switchboard\.example\.com\/slack\/events/);
  });

  it('enables the Home tab, the Messages tab and the message shortcut the bot answers', () => {
    expect(manifest).toMatch(/home_tab_enabled: true/);
    expect(manifest).toMatch(/messages_tab_enabled: true/);
    expect(manifest).toMatch(/messages_tab_read_only_enabled: false/);
    expect(manifest).toMatch(new RegExp(`type: message\\n\\s+callback_id: ${LOOKUP_NUMBERS_CALLBACK_ID}\\n`));
  });
});

import { describe, expect, it } from 'vitest';
import { withoutBotMention } from '../../../src/bot/slack/messages.ts';

describe('withoutBotMention', () => {
  it("takes out the bot's own mention wherever it is, and no one else's", () => {
    expect(withoutBotMention('<@UBOT> ext 101', 'UBOT')).toBe('ext 101');
    expect(withoutBotMention('hey <@UBOT|switchboard> ext <@U102>', 'UBOT')).toBe('hey   ext <@U102>');
    expect(withoutBotMention('ext <@U102>', 'UBOT')).toBe('ext <@U102>');
  });

  it("without the bot's id, takes a leading mention as the bot's", () => {
    expect(withoutBotMention('<@UBOT> whois 650 331 6252', undefined)).toBe('whois 650 331 6252');
    expect(withoutBotMention('ext <@U102>', undefined)).toBe('ext <@U102>');
  });
});

import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { DemoStack } from '../../../src/demo/demo-stack.ts';
import { connectUrlOf, startDemoStack } from '../../../src/demo/demo-stack.ts';
import { blocksToText } from '../../../src/demo/blocks-to-text.ts';

// Debian's chromium; npm test installs it. The flags keep it off the network this machine does not have.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('linking in a real browser', () => {
  let stack: DemoStack;
  let browser: Browser;

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}; npm test installs Debian's chromium`).toBe(true);
    stack = await startDemoStack();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('a person opens the Connect link, clicks their name on the sign-in page and lands on "Linked as …"', async () => {
    const { channel } = await stack.ask('U103', '/ext 101');
    const prompt = await channel.next();
    const url = connectUrlOf(prompt);
    expect(url, 'the unlinked user is offered a Connect RingCentral button').toBeDefined();

    const page = await browser.newPage();
    await page.goto(url!);
    await page.getByRole('button', { name: /Emma Chen.*103/ }).click();
    await page.waitForURL((location) => location.pathname === '/oauth/ringcentral/callback');

    expect(page.url().startsWith(stack.bot.publicUrl)).toBe(true);
    await expect
      .poll(() => page.textContent('body'))
      .toContain('Linked as Emma Chen (ext. 103) to Slack account Emma Chen (emma.chen@mycompany.com). You can close this tab');

    // Slack says whom she is linked as; then the command that started it is answered, with her own view of 101.
    expect(blocksToText(await channel.next())).toContain('Linked as Emma Chen (ext. 103). Not you? /switchboard unlink');
    const answer = await channel.next();
    const text = blocksToText(answer);
    expect(text).toContain('John Smith');
    expect(text).toContain('101');
    expect(await stack.bot.services.store.getLink('slack:T0DEMO:U103')).toMatchObject({ extensionNumber: '103', name: 'Emma Chen' });
  });

  it('a link forwarded to someone else: they sign in, the page shows a code and a warning, and only the asker’s confirm links', async () => {
    const { channel } = await stack.ask('U102', '/myforwarding');
    const url = connectUrlOf(await channel.next());
    expect(url).toBeDefined();

    // Paul sent his link to John, the administrator, who signs in with his own RingCentral login.
    const page = await browser.newPage();
    await page.goto(url!);
    await page.getByRole('button', { name: /John Smith.*101/ }).click();
    await page.waitForURL((location) => location.pathname === '/oauth/ringcentral/callback');
    const code = (await page.locator('#confirmation-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^\d{6}$/);
    const body = (await page.textContent('body')) ?? '';
    expect(body).toContain(`/switchboard confirm ${code} in Slack`);
    expect(body).toContain('Never give this code to anyone');
    expect(await stack.bot.services.store.getLink('slack:T0DEMO:U102')).toBeUndefined();

    // Someone else typing the code links nothing; Paul typing it links him, and Slack tells him as whom.
    const stranger = await stack.ask('U104', `/switchboard confirm ${code}`);
    expect(blocksToText(await stranger.channel.next())).toContain('Nothing to confirm');
    const confirm = await stack.ask('U102', `/switchboard confirm ${code}`);
    expect(blocksToText(await confirm.channel.next())).toContain('Linked as John Smith (ext. 101). Not you? /switchboard unlink');
    expect(await stack.bot.services.store.getLink('slack:T0DEMO:U102')).toMatchObject({ extensionNumber: '101' });
  });
});

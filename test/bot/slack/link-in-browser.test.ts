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
    await expect.poll(() => page.textContent('body')).toContain('Linked as Emma Chen (ext. 103) — you can close this tab');

    // The command that started it is answered in Slack, with Emma's own view of extension 101.
    const answer = await channel.next();
    const text = blocksToText(answer);
    expect(text).toContain('John Smith');
    expect(text).toContain('101');
    expect(await stack.bot.services.store.getLink('slack:T0DEMO:U103')).toMatchObject({ extensionNumber: '103', name: 'Emma Chen' });
  });
});

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackTestStack } from '../support/slack-stack.ts';
import { connectUrlOf, nextAnswer, startSlackTestStack } from '../support/slack-stack.ts';

/*
 * Every page the bot serves a browser — each outcome of the OAuth callback, and the server's own plain-text answers —
 * carries the same headers: a Content-Security-Policy that allows nothing but the page's own inline style (by hash),
 * no framing, no referrer (the callback URL carries the code and state) and no caching. The hash is checked against
 * the style block the page really sends, and a real Chromium is asked whether it applied that style.
 */

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

let stack: SlackTestStack;
let storeClockAheadMs = 0;

beforeAll(async () => {
  stack = await startSlackTestStack({ now: () => Date.now() + storeClockAheadMs });
});

afterAll(async () => {
  await stack?.close();
});

interface Page {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

async function get(url: string): Promise<Page> {
  const response = await request(url, { method: 'GET' });
  return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
}

function callbackUrl(query: string): string {
  return `${stack.bot.publicUrl}/oauth/ringcentral/callback?${query}`;
}

/** The callback URL RingCentral sends the browser to after `extensionNumber` signs in on a fresh Connect link. */
async function signedInCallback(slackUserId: string, extensionNumber: string): Promise<URL> {
  const { channel } = await stack.ask(slackUserId, '/switchboard status');
  const authorize = new URL(connectUrlOf(await nextAnswer(channel)) ?? 'http://no-connect-button');
  authorize.searchParams.set('login_hint', extensionNumber);
  const response = await request(authorize, { method: 'GET' });
  await response.body.dump();
  expect(response.statusCode).toBe(302);
  return new URL(String(response.headers.location));
}

function policyOf(page: Page): Map<string, string[]> {
  const header = String(page.headers['content-security-policy'] ?? '');
  return new Map(
    header
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter((parts) => parts[0] !== '')
      .map(([name = '', ...values]) => [name, values]),
  );
}

function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

function expectBrowserHeaders(page: Page, contentType: RegExp): void {
  expect(String(page.headers['content-type'])).toMatch(contentType);
  expect(page.headers['x-frame-options']).toBe('DENY');
  expect(page.headers['referrer-policy']).toBe('no-referrer');
  expect(page.headers['cache-control']).toBe('no-store');
  expect(page.headers['x-content-type-options']).toBe('nosniff');
  const policy = policyOf(page);
  for (const directive of ['default-src', 'frame-ancestors', 'base-uri', 'form-action'])
    expect(policy.get(directive), directive).toEqual(["'none'"]);
}

/** The HTML page's headers, and a policy whose style-src is exactly the hashes of the style blocks it sends. */
function expectLinkPage(page: Page, status: number, title: string): void {
  expect(page.status).toBe(status);
  expect(page.body).toContain(`<h1>${title}</h1>`);
  expectBrowserHeaders(page, /^text\/html; charset=utf-8$/);
  const styles = [...page.body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1] ?? '');
  expect(styles).toHaveLength(1);
  expect(policyOf(page).get('style-src')).toEqual(styles.map(sha256Source));
  // Nothing else the policy would have to allow: no script, no style attribute, nothing loaded.
  expect(page.body).not.toMatch(/<script|\sstyle=|<link|<img|<iframe|<form/i);
}

describe('the OAuth callback pages', () => {
  it('"Linked"', async () => {
    expectLinkPage(await get((await signedInCallback('U103', '103')).toString()), 200, 'Linked');
  });

  it('"Link already used" (the same callback again)', async () => {
    const callback = (await signedInCallback('U102', '102')).toString();
    expect((await get(callback)).status).toBe(200);
    expectLinkPage(await get(callback), 400, 'Link already used');
  });

  it('"Link not valid" (a tampered state)', async () => {
    const callback = await signedInCallback('U105', '105');
    const state = callback.searchParams.get('state') ?? '';
    callback.searchParams.set('state', `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`);
    expectLinkPage(await get(callback.toString()), 400, 'Link not valid');
  });

  it('"Link expired"', async () => {
    const callback = await signedInCallback('U104', '104');
    storeClockAheadMs = 11 * 60_000;
    try {
      expectLinkPage(await get(callback.toString()), 400, 'Link expired');
    } finally {
      storeClockAheadMs = 0;
    }
  });

  it('"RingCentral did not accept the sign-in" (a code RingCentral refuses)', async () => {
    const callback = await signedInCallback('U101', '101');
    callback.searchParams.set('code', 'not-a-code-ringcentral-issued');
    expectLinkPage(await get(callback.toString()), 502, 'RingCentral did not accept the sign-in');
  });

  it('"Sign-in cancelled" and "Link not completed"', async () => {
    expectLinkPage(await get(callbackUrl('error=access_denied&state=x')), 400, 'Sign-in cancelled');
    expectLinkPage(await get(callbackUrl('state=x')), 400, 'Link not completed');
  });

  it('Chromium applies the page style under its policy (a hash that did not match would leave the page unstyled)', async () => {
    expect(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}`).toBe(true);
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      const page = await browser.newPage();
      const console: string[] = [];
      page.on('console', (message) => console.push(message.text()));
      await page.goto(callbackUrl('error=access_denied&state=x'));
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(244, 246, 250)');
      expect(console.filter((line) => line.includes('Content Security Policy'))).toEqual([]);
    } finally {
      await browser?.close();
    }
  });
});

describe("the server's own answers", () => {
  it('404 carries the same headers, with a policy that allows nothing', async () => {
    const page = await get(`${stack.bot.url}/no-such-page`);
    expect(page.status).toBe(404);
    expectBrowserHeaders(page, /^text\/plain; charset=utf-8$/);
    expect(policyOf(page).get('style-src')).toEqual(["'none'"]);
  });
});

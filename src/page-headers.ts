import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * The headers of every page the bot serves to a browser: the link pages and the server's own plain-text answers
 * (400, 404, 500, 503). The HTML pages are static text with one inline style block: the policy allows that block (by
 * its hash) and nothing else — no script, image, frame, form or base — so a value that ever slipped past escaping
 * could not run or load anything. The callback URL carries the OAuth code and state, so no referrer leaves the page
 * and no cache keeps it.
 */
export function htmlPageHeaders(inlineStyles: readonly string[]): Record<string, string> {
  return pageHeaders('text/html; charset=utf-8', inlineStyles);
}

/** The same for a plain-text page: the policy allows nothing at all. */
export function textPageHeaders(): Record<string, string> {
  return pageHeaders('text/plain; charset=utf-8', []);
}

function pageHeaders(contentType: string, inlineStyles: readonly string[]): Record<string, string> {
  const styleSources = inlineStyles.map((style) => `'sha256-${createHash('sha256').update(style, 'utf8').digest('base64')}'`);
  const policy = [
    "default-src 'none'",
    `style-src ${styleSources.length === 0 ? "'none'" : styleSources.join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return {
    'content-type': contentType,
    'content-security-policy': policy,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
}

/** An HTML page and the exact text of each of its inline `<style>` blocks (what the policy's hashes cover). */
export interface HtmlPage {
  html: string;
  inlineStyles: readonly string[];
}

export function sendHtmlPage(res: ServerResponse, status: number, page: HtmlPage): void {
  res.writeHead(status, htmlPageHeaders(page.inlineStyles));
  res.end(page.html);
}

/** The small pages a person sees in the browser after signing in to RingCentral. Every value is HTML-escaped. */

import type { HtmlPage } from '../page-headers.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The link pages' one inline style block, exactly as sent: their Content-Security-Policy allows it by its hash. */
export const LINK_PAGE_STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; display: grid; place-items: center; min-height: 100vh; background: #f4f6fa; color: #1d2433; }
  main { background: #fff; padding: 2rem 2.5rem; border-radius: 12px; box-shadow: 0 2px 12px rgba(0,0,0,.08); max-width: 32rem; }
  h1 { font-size: 1.3rem; margin: 0 0 .5rem; }
`;

/** A link page, ready for sendHtmlPage (which sends the headers every page carries). */
export function linkHtmlPage(title: string, message: string): HtmlPage {
  return { html: linkPage(title, message), inlineStyles: [LINK_PAGE_STYLE] };
}

export function linkPage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Switchboard</title>
<style>${LINK_PAGE_STYLE}</style>
</head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body>
</html>`;
}

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
  .code { font: 600 2rem/1.2 ui-monospace, monospace; letter-spacing: .15em; margin: 1rem 0; }
  .warning { font-weight: 600; color: #a4262c; }
`;

/** What a page may show beyond its message: a one-time code, and paragraphs after it (the last one a warning). */
export interface LinkPageDetails {
  code?: string;
  paragraphs?: string[];
  warning?: string;
}

/** A link page, ready for sendHtmlPage (which sends the headers every page carries). */
export function linkHtmlPage(title: string, message: string, details: LinkPageDetails = {}): HtmlPage {
  return { html: linkPage(title, message, details), inlineStyles: [LINK_PAGE_STYLE] };
}

export function linkPage(title: string, message: string, details: LinkPageDetails = {}): string {
  const code = details.code === undefined ? '' : `<p class="code" id="confirmation-code">${escapeHtml(details.code)}</p>`;
  const paragraphs = (details.paragraphs ?? []).map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('');
  const warning = details.warning === undefined ? '' : `<p class="warning">${escapeHtml(details.warning)}</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Switchboard</title>
<style>${LINK_PAGE_STYLE}</style>
</head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${code}${paragraphs}${warning}</main></body>
</html>`;
}

import type { DemoStack } from './demo-stack.ts';
import { connectUrlOf } from './demo-stack.ts';
import type { ResponseMessage } from './local-slack.ts';

/** What the demo prints while a command is answered: the bot's messages and what the demo does on the user's behalf. */
export type DemoEvent =
  | { kind: 'message'; message: ResponseMessage }
  | { kind: 'signingIn'; extensionNumber: string; url: string }
  | { kind: 'signedIn'; page: string }
  | { kind: 'failed'; reason: string };

const LOOKING_UP = /looking that up/i;

/**
 * Runs one slash command as a demo user through the real path (signed request → Bolt → RingCentral sandbox →
 * response_url). When the bot asks the user to connect RingCentral, the demo signs in on the sandbox's page as that
 * user — the real OAuth flow, with the sandbox's login_hint standing in for the person clicking — and then shows the
 * answer the bot posts once linked.
 */
export async function runDemoCommand(
  stack: DemoStack,
  extensionNumber: string,
  line: string,
  onEvent: (event: DemoEvent) => void,
): Promise<void> {
  const { ack, channel } = await stack.ask(stack.slackUserId(extensionNumber), line);
  if (ack.status !== 200) return onEvent({ kind: 'failed', reason: `the bot answered HTTP ${ack.status}` });
  for (;;) {
    const message = await channel.next(20_000);
    onEvent({ kind: 'message', message });
    if (LOOKING_UP.test(message.text ?? '')) continue;
    const url = connectUrlOf(message);
    if (url === undefined) return;
    onEvent({ kind: 'signingIn', extensionNumber, url });
    const page = await stack.signIn(url, extensionNumber);
    if (page.status !== 200) return onEvent({ kind: 'failed', reason: `sign-in ended with HTTP ${page.status}` });
    onEvent({ kind: 'signedIn', page: pageText(page.body) });
    // The bot now answers the command that asked for the link, on the same response_url.
  }
}

/** The visible words of the bot's small HTML page. */
export function pageText(html: string): string {
  const paragraph = /<p>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? html;
  return paragraph
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code)))
    .trim();
}

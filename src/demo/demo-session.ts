import type { TextStyle } from './blocks-to-text.ts';
import { blocksToText } from './blocks-to-text.ts';
import { adaptiveToText } from './adaptive-to-text.ts';
import type { DemoStack } from './demo-stack.ts';
import { connectUrlOf, teamsConnectUrlOf } from './demo-stack.ts';
import { isSlackSurfaceLine, openSlackSurface } from './slack-surfaces-demo.ts';
import { isTeamsSurfaceLine, openTeamsSurface } from './teams-surfaces-demo.ts';
import { parseCommand } from '../handlers/parse-command.ts';

export type DemoPlatform = 'slack' | 'teams';

/** What the demo prints while a command is answered: the bot's messages and what the demo does on the user's behalf. */
export type DemoEvent =
  | {
      kind: 'message';
      /** The message as the chat client would show it, drawn as terminal text. */ render(style?: TextStyle): string;
      raw: unknown;
    }
  | { kind: 'signingIn'; extensionNumber: string; url: string }
  | { kind: 'signedIn'; page: string }
  | { kind: 'failed'; reason: string };

const LOOKING_UP = /looking that up/i;
const ANSWER_TIMEOUT_MS = 20_000;

/** One conversation with the bot on either platform: the next message, and the sign-in link in it if any. */
interface DemoConversation {
  next(): Promise<{ raw: unknown; text: string; render(style?: TextStyle): string; connectUrl: string | undefined }>;
}

async function openConversation(
  stack: DemoStack,
  platform: DemoPlatform,
  extensionNumber: string,
  line: string,
): Promise<DemoConversation | string> {
  if (platform === 'teams' && isTeamsSurfaceLine(line)) return openTeamsSurface(stack, extensionNumber, line);
  if (isSlackSurfaceLine(line)) {
    if (platform === 'slack') return openSlackSurface(stack, extensionNumber, line, ANSWER_TIMEOUT_MS);
    // Teams messages are typed to the bot already; the Home tab and @mentions here are Slack's.
    if (!line.startsWith(':dm ')) return `${line.split(' ')[0]} is for Slack (npm start without --teams)`;
    line = line.slice(':dm '.length);
  }
  if (platform === 'slack') {
    const command = line.startsWith('/') ? line : `/${line}`;
    const { ack, channel } = await stack.ask(stack.slackUserId(extensionNumber), command);
    if (ack.status !== 200) return `the bot answered HTTP ${ack.status}`;
    return {
      async next() {
        const message = await channel.next(ANSWER_TIMEOUT_MS);
        return {
          raw: message,
          text: message.text ?? '',
          render: (style) => blocksToText(message, style),
          connectUrl: connectUrlOf(message),
        };
      },
    };
  }
  const { ack, replies } = await stack.askTeams(stack.teamsUser(extensionNumber).aadObjectId, line);
  if (ack.status !== 200) return `the bot answered HTTP ${ack.status}`;
  return {
    async next() {
      const message = await replies.next(ANSWER_TIMEOUT_MS);
      return {
        raw: message,
        text: message.text ?? '',
        render: (style) => adaptiveToText(message, style),
        connectUrl: teamsConnectUrlOf(message),
      };
    },
  };
}

/**
 * Runs one command as a demo user through the real path (a signed Slack request to /slack/events, or a Bot Framework
 * activity to /api/messages → RingCentral sandbox → the answer posted back). When the bot asks the user to connect
 * RingCentral, the demo signs in on the sandbox's page as that user — the real OAuth flow, with the sandbox's
 * login_hint standing in for the person clicking — and then shows the answer the bot posts once linked.
 */
export async function runDemoCommand(
  stack: DemoStack,
  platform: DemoPlatform,
  extensionNumber: string,
  line: string,
  onEvent: (event: DemoEvent) => void,
): Promise<void> {
  const conversation = await openConversation(stack, platform, extensionNumber, line);
  if (typeof conversation === 'string') return onEvent({ kind: 'failed', reason: conversation });
  // Once linked, the bot first says who the user is now linked as, then answers any command other than `link`.
  const parsed = parseCommand(line);
  let linkedNoticeDue = false;
  for (;;) {
    const message = await conversation.next();
    onEvent({ kind: 'message', render: message.render, raw: message.raw });
    if (LOOKING_UP.test(message.text)) continue;
    if (linkedNoticeDue) {
      linkedNoticeDue = false;
      if (parsed.ok && parsed.command.name !== 'link') continue;
    }
    if (message.connectUrl === undefined) return;
    onEvent({ kind: 'signingIn', extensionNumber, url: message.connectUrl });
    const page = await stack.signIn(message.connectUrl, extensionNumber);
    if (page.status !== 200) return onEvent({ kind: 'failed', reason: `sign-in ended with HTTP ${page.status}` });
    onEvent({ kind: 'signedIn', page: pageText(page.body) });
    linkedNoticeDue = page.body.includes('Linked as');
    // The bot now answers the command that asked for the link, in the same conversation.
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

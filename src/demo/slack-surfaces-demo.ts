import type { TextStyle } from './blocks-to-text.ts';
import { blocksToText } from './blocks-to-text.ts';
import type { DemoStack } from './demo-stack.ts';
import { connectUrlOf } from './demo-stack.ts';
import type { ApiCall } from './local-slack.ts';

/*
 * The demo's way into Slack's surfaces beyond slash commands: a DM or an @mention to the bot, the Home tab and the
 * "Look up phone numbers" shortcut, each sent as Slack sends it (signed events and interactivity payloads) and read
 * back from what the bot posted to local Slack's Web API.
 */

/** The console words for each surface: `:dm ext 101`, `:mention whois …`, `:home`, `:numbers <text>`. */
export const SLACK_SURFACE_HINTS = [
  ':dm ext 101',
  ':mention whois (650) 331-6252',
  ':home',
  ':numbers call Paul on (650) 331-6252 or +1 786 987 6543',
];

const QUIET_MS = 250;

/** Resolves once local Slack has received no Web API call for `ms` (at most two seconds). */
async function quiet(stack: DemoStack, ms: number): Promise<void> {
  const deadline = Date.now() + 2_000;
  for (let seen = -1; seen !== stack.slack.apiCalls.length && Date.now() < deadline;) {
    seen = stack.slack.apiCalls.length;
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

export interface SurfaceMessage {
  raw: unknown;
  text: string;
  render(style?: TextStyle): string;
  connectUrl: string | undefined;
}

/** Whether a console line names one of these surfaces. */
export function isSlackSurfaceLine(line: string): boolean {
  return /^:(dm|mention|home|numbers)(\s|$)/.test(line);
}

/**
 * Sends the line's request as this demo person and returns how to read the bot's answers to it in order (a message,
 * an ephemeral message or a Home tab); a string says why nothing was sent.
 */
export async function openSlackSurface(
  stack: DemoStack,
  extensionNumber: string,
  line: string,
  timeoutMs: number,
): Promise<{ next(): Promise<SurfaceMessage> } | string> {
  const [word = '', ...rest] = line.slice(1).split(' ');
  const text = rest.join(' ').trim();
  const userId = stack.slackUserId(extensionNumber);
  // What the bot still does for the line before (a Home tab drawn again after an unlink) belongs to that line.
  await quiet(stack, QUIET_MS);
  let sent;
  switch (word) {
    case 'dm':
      sent = await stack.message(userId, text);
      break;
    case 'mention':
      sent = await stack.message(userId, text, { where: 'channel' });
      break;
    case 'home':
      sent = await stack.openHome(userId);
      break;
    default:
      if (text === '') return 'type the message after :numbers, e.g. :numbers call me on (650) 331-6252';
      sent = await stack.lookUpNumbers(userId, text);
  }
  if (sent.ack.status !== 200) return `the bot answered HTTP ${sent.ack.status}`;
  let from = sent.from;
  const forThisPerson = (call: ApiCall): boolean =>
    ['chat.postMessage', 'chat.postEphemeral', 'views.publish'].includes(call.method) &&
    (call.params.user === userId ||
      call.params.user_id === userId ||
      call.params.channel === userId ||
      call.params.channel === stack.dmChannelOf(userId));
  return {
    async next() {
      const call = await stack.slack.waitForCall(forThisPerson, { from, timeoutMs });
      from = stack.slack.apiCalls.indexOf(call) + 1;
      return surfaceMessage(call);
    },
  };
}

function surfaceMessage(call: ApiCall): SurfaceMessage {
  const parse = (json: string | undefined): unknown => (json === undefined ? undefined : JSON.parse(json));
  if (call.method === 'views.publish') {
    const view = parse(call.params.view) as { blocks?: unknown[] };
    const message = { text: '', blocks: view.blocks ?? [] };
    return {
      raw: view,
      text: '',
      render: (style) => `${(style?.dim ?? ((s: string) => s))('── Home tab ──')}\n${blocksToText(message, style)}`,
      connectUrl: connectUrlOf(message),
    };
  }
  const message = { text: call.params.text ?? '', blocks: (parse(call.params.blocks) as unknown[] | undefined) ?? [] };
  const where = call.method === 'chat.postEphemeral' ? '── only you can see this ──' : '── in your DM with Switchboard ──';
  return {
    raw: { method: call.method, ...call.params },
    text: message.text,
    render: (style) => `${(style?.dim ?? ((s: string) => s))(where)}\n${blocksToText(message, style)}`,
    connectUrl: connectUrlOf(message),
  };
}

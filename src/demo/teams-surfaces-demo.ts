import { adaptiveToText } from './adaptive-to-text.ts';
import type { DemoStack } from './demo-stack.ts';
import { teamsConnectUrlOf } from './demo-stack.ts';
import type { PostedActivity } from './local-teams.ts';
import type { SurfaceMessage } from './slack-surfaces-demo.ts';

/*
 * The demo's way into Teams beyond typed messages: the "Look up phone numbers" message action, sent as Teams sends it
 * (a composeExtension/fetchTask invoke carrying the message) and read back from the invoke response, the dialog only
 * the invoker sees.
 */

/** The console word for the message action: `:numbers <text>`, as for Slack's shortcut. */
export const TEAMS_SURFACE_HINTS = [':numbers call Paul on (650) 331-6252 or +1 786 987 6543'];

export function isTeamsSurfaceLine(line: string): boolean {
  return /^:numbers(\s|$)/.test(line);
}

/**
 * Runs the message action on a message with the line's text. Each answer read runs it again, as a person would after
 * connecting from the dialog: the dialog is gone once they have signed in.
 */
export function openTeamsSurface(stack: DemoStack, extensionNumber: string, line: string): { next(): Promise<SurfaceMessage> } | string {
  const text = line.slice(':numbers'.length).trim();
  if (text === '') return 'type the message after :numbers, e.g. :numbers call me on (650) 331-6252';
  const user = stack.teamsUser(extensionNumber);
  return {
    async next() {
      const answer = await stack.lookUpNumbersTeams(user.aadObjectId, text);
      const body = answer.body as { task?: { value?: { card?: { contentType: string; content: unknown } } } } | undefined;
      const card = body?.task?.value?.card;
      if (answer.status !== 200 || card === undefined) throw new Error(`the bot answered the message action with HTTP ${answer.status}`);
      const message: PostedActivity = { type: 'message', attachments: [card] };
      return {
        raw: answer.body,
        text: '',
        render: (style) =>
          `${(style?.dim ?? ((s: string) => s))('── dialog, only you can see this ──')}\n${adaptiveToText(message, style)}`,
        connectUrl: teamsConnectUrlOf(message),
      };
    },
  };
}

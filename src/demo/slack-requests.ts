import { request } from 'undici';
import { slackSignatureHeaders } from './slack-signing.ts';

/** Sends what Slack would send to the bot's /slack/events: signed slash commands and button clicks. */
export interface SlackRequestTarget {
  eventsUrl: string;
  signingSecret: string;
}

export interface SlashCommand {
  teamId: string;
  userId: string;
  userName?: string;
  channelId?: string;
  command: string;
  text: string;
  responseUrl: string;
}

export interface SlackAck {
  status: number;
  body: string;
}

export async function postSlashCommand(target: SlackRequestTarget, command: SlashCommand): Promise<SlackAck> {
  const body = new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: command.teamId,
    team_domain: 'demo',
    channel_id: command.channelId ?? 'C0DEMO',
    channel_name: 'directory',
    user_id: command.userId,
    user_name: command.userName ?? command.userId,
    command: command.command,
    text: command.text,
    api_app_id: 'A0SWITCHBOARD',
    response_url: command.responseUrl,
    trigger_id: `${Date.now()}.trigger`,
  }).toString();
  return postSigned(target, body);
}

export interface ButtonClick {
  teamId: string;
  userId: string;
  actionId: string;
  value: string;
  responseUrl: string;
}

export async function postButtonClick(target: SlackRequestTarget, click: ButtonClick): Promise<SlackAck> {
  const payload = {
    type: 'block_actions',
    team: { id: click.teamId, domain: 'demo' },
    user: { id: click.userId, team_id: click.teamId, name: click.userId },
    api_app_id: 'A0SWITCHBOARD',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: '1.1', channel_id: 'C0DEMO', is_ephemeral: true },
    trigger_id: `${Date.now()}.trigger`,
    channel: { id: 'C0DEMO', name: 'directory' },
    response_url: click.responseUrl,
    actions: [
      { type: 'button', action_id: click.actionId, block_id: 'actions', value: click.value, action_ts: `${Date.now() / 1000}` },
    ],
  };
  return postSigned(target, new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
}

export async function postSigned(
  target: SlackRequestTarget,
  body: string,
  headers: Record<string, string> = slackSignatureHeaders(body, target.signingSecret),
): Promise<SlackAck> {
  const response = await request(target.eventsUrl, { method: 'POST', body, headers });
  return { status: response.statusCode, body: await response.body.text() };
}

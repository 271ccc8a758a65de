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
  /** An Enterprise Grid workspace: its org, and whether the app is installed org-wide. */
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
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
    // As Slack sends them: only in a Grid org, the flag as a string.
    ...(command.enterpriseId === undefined
      ? {}
      : { enterprise_id: command.enterpriseId, is_enterprise_install: String(command.isEnterpriseInstall === true) }),
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
    actions: [{ type: 'button', action_id: click.actionId, block_id: 'actions', value: click.value, action_ts: `${Date.now() / 1000}` }],
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

/** The local workspace's bot user, as auth.test names it and as Slack lists it in each event's authorizations. */
export const LOCAL_BOT_USER_ID = 'UBOT';

let eventCounter = 0;

/** Wraps an event as the Events API delivers it (event_callback), for the bot's installation in this workspace. */
export function eventEnvelope(
  teamId: string,
  event: Record<string, unknown>,
  eventId = `Ev${Date.now()}${++eventCounter}`,
  grid?: { enterpriseId: string; isEnterpriseInstall: boolean },
): Record<string, unknown> {
  // An org-wide install's authorization names the org and no team; the envelope still names the event's workspace.
  const authorization =
    grid === undefined
      ? { enterprise_id: null, team_id: teamId, user_id: LOCAL_BOT_USER_ID, is_bot: true, is_enterprise_install: false }
      : {
          enterprise_id: grid.enterpriseId,
          team_id: grid.isEnterpriseInstall ? null : teamId,
          user_id: LOCAL_BOT_USER_ID,
          is_bot: true,
          is_enterprise_install: grid.isEnterpriseInstall,
        };
  return {
    ...(grid === undefined ? {} : { enterprise_id: grid.enterpriseId }),
    token: 'deprecated-verification-token',
    team_id: teamId,
    api_app_id: 'A0SWITCHBOARD',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [authorization],
    is_ext_shared_channel: false,
  };
}

/** Posts an Events API request, signed; its body is JSON, as Slack sends it. */
export async function postEvent(target: SlackRequestTarget, envelope: Record<string, unknown>): Promise<SlackAck> {
  const body = JSON.stringify(envelope);
  return postSigned(target, body, { ...slackSignatureHeaders(body, target.signingSecret), 'content-type': 'application/json' });
}

/** A message event's timestamp, unique enough within a run. */
export function messageTs(): string {
  eventCounter += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(eventCounter).padStart(6, '0')}`;
}

export interface MessageShortcut {
  teamId: string;
  userId: string;
  callbackId: string;
  /** Absent for a message the shortcut was run on outside a channel. */
  channelId?: string;
  message: { user: string; text: string; ts?: string; thread_ts?: string };
  responseUrl: string;
}

/** A message shortcut run on a message (interactivity payload `message_action`). */
export async function postMessageShortcut(target: SlackRequestTarget, shortcut: MessageShortcut): Promise<SlackAck> {
  const ts = shortcut.message.ts ?? messageTs();
  const payload = {
    type: 'message_action',
    token: 'deprecated-verification-token',
    action_ts: `${Date.now() / 1000}`,
    team: { id: shortcut.teamId, domain: 'demo' },
    user: { id: shortcut.userId, name: shortcut.userId, team_id: shortcut.teamId },
    ...(shortcut.channelId === undefined ? {} : { channel: { id: shortcut.channelId, name: 'directory' } }),
    callback_id: shortcut.callbackId,
    trigger_id: `${Date.now()}.trigger`,
    message_ts: ts,
    message: { type: 'message', ...shortcut.message, ts },
    response_url: shortcut.responseUrl,
  };
  return postSigned(target, new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
}

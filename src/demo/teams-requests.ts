import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import type { LocalTeamsUser } from './local-teams.ts';

/** Sends what Teams (through the Bot Framework service) would send to the bot's /api/messages. */
export interface TeamsRequestTarget {
  messagesUrl: string;
}

export interface ActivityAck {
  status: number;
  body: string;
}

/** Posts one activity as JSON. `authorization` is the whole header value ("Bearer …"); none is sent without it. */
export async function postActivity(
  target: TeamsRequestTarget,
  activity: unknown,
  options: { authorization?: string } = {},
): Promise<ActivityAck> {
  const response = await request(target.messagesUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(options.authorization === undefined ? {} : { authorization: options.authorization }),
    },
    body: JSON.stringify(activity),
  });
  return { status: response.statusCode, body: await response.body.text() };
}

export type ConversationType = 'personal' | 'channel' | 'groupChat';

export interface TeamsConversationRef {
  id: string;
  conversationType: ConversationType;
  /** The team a channel belongs to. */
  teamId?: string;
  name?: string;
}

export interface MessageSpec {
  serviceUrl: string;
  tenantId: string;
  bot: { id: string; name: string };
  from: LocalTeamsUser;
  conversation: TeamsConversationRef;
  /** What the person typed, mentions written as Teams writes them: "<at>Switchboard</at> ext 101". */
  text?: string;
  /** Everyone @mentioned in `text`, in order; each appears there as `<at>name</at>`. */
  mentions?: Array<{ id: string; name: string }>;
  /** A card button's data (Action.Submit), sent with no text. */
  value?: unknown;
  replyToId?: string;
}

/**
 * A message activity shaped as Teams sends it: `from.aadObjectId`, `conversation` with its type and tenant,
 * `channelData.tenant` (and team and channel in a channel), one `mention` entity per @mention, the client's
 * `clientInfo` entity, and the HTML copy of the text Teams attaches.
 */
export function messageActivity(spec: MessageSpec): Record<string, unknown> {
  const id = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const { conversation } = spec;
  const shared = conversation.conversationType !== 'personal';
  const inChannel = conversation.conversationType === 'channel';
  const mentions = spec.mentions ?? [];
  const activity: Record<string, unknown> = {
    type: 'message',
    id,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    serviceUrl: spec.serviceUrl,
    channelId: 'msteams',
    from: { id: spec.from.id, name: spec.from.name, aadObjectId: spec.from.aadObjectId },
    conversation: {
      ...(shared ? { isGroup: true } : {}),
      conversationType: conversation.conversationType,
      tenantId: spec.tenantId,
      ...(conversation.name === undefined ? {} : { name: conversation.name }),
      // A channel message starts a thread, which Teams names after the message.
      id: inChannel ? `${conversation.id};messageid=${id}` : conversation.id,
    },
    recipient: { id: spec.bot.id, name: spec.bot.name },
    entities: [
      ...mentions.map((mention) => ({
        type: 'mention',
        text: `<at>${mention.name}</at>`,
        mentioned: { id: mention.id, name: mention.name },
      })),
      { type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'America/Los_Angeles' },
    ],
    channelData: {
      tenant: { id: spec.tenantId },
      ...(inChannel && conversation.teamId !== undefined
        ? {
            teamsChannelId: conversation.id,
            teamsTeamId: conversation.teamId,
            channel: { id: conversation.id },
            team: { id: conversation.teamId },
          }
        : {}),
      ...(spec.value === undefined ? {} : { source: { name: 'message' }, legacy: { replyToId: spec.replyToId ?? '' } }),
    },
    locale: 'en-US',
    localTimezone: 'America/Los_Angeles',
  };
  if (spec.text !== undefined) {
    activity['textFormat'] = 'plain';
    activity['text'] = spec.text;
    activity['attachments'] = [{ contentType: 'text/html', content: `<p>${htmlOf(spec.text, mentions)}</p>` }];
  }
  if (spec.value !== undefined) {
    activity['value'] = spec.value;
    activity['replyToId'] = spec.replyToId ?? randomUUID();
  }
  return activity;
}

/** The `<at>name</at>` text of a mention, as it appears in a message's text. */
export function mentionText(name: string): string {
  return `<at>${name}</at>`;
}

function htmlOf(text: string, mentions: ReadonlyArray<{ name: string }>): string {
  let html = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  mentions.forEach((mention, index) => {
    const escaped = `&lt;at&gt;${mention.name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}&lt;/at&gt;`;
    html = html.replace(escaped, `<span itemscope="" itemtype="http://schema.skype.com/Mention" itemid="${index}">${mention.name}</span>`);
  });
  return html;
}

export interface InstallSpec {
  serviceUrl: string;
  tenantId: string;
  bot: { id: string; name: string };
  /** The person who installed the app. */
  from: LocalTeamsUser;
  conversation: TeamsConversationRef;
}

/**
 * The two activities Teams sends when the app is installed in a conversation, in the order it sends them: an
 * `installationUpdate` (action `add`; `add-upgrade` when a newer version replaces an installed one) and a
 * `conversationUpdate` that lists the bot among `membersAdded`.
 */
export function installationUpdateActivity(spec: InstallSpec, action: 'add' | 'add-upgrade' | 'remove' = 'add'): Record<string, unknown> {
  return { ...eventEnvelope(spec), type: 'installationUpdate', action };
}

export function botAddedActivity(spec: InstallSpec): Record<string, unknown> {
  return { ...eventEnvelope(spec), type: 'conversationUpdate', membersAdded: [{ id: spec.bot.id }] };
}

/** A conversationUpdate that is not an install: someone else joining a team or chat the bot is already in. */
export function memberAddedActivity(spec: InstallSpec, member: LocalTeamsUser): Record<string, unknown> {
  return { ...eventEnvelope(spec), type: 'conversationUpdate', membersAdded: [{ id: member.id, aadObjectId: member.aadObjectId }] };
}

function eventEnvelope(spec: InstallSpec): Record<string, unknown> {
  const { conversation } = spec;
  const shared = conversation.conversationType !== 'personal';
  const inChannel = conversation.conversationType === 'channel';
  return {
    id: `f:${randomUUID()}`,
    timestamp: new Date().toISOString(),
    serviceUrl: spec.serviceUrl,
    channelId: 'msteams',
    from: { id: spec.from.id, aadObjectId: spec.from.aadObjectId },
    conversation: {
      ...(shared ? { isGroup: true } : {}),
      conversationType: conversation.conversationType,
      tenantId: spec.tenantId,
      id: conversation.id,
    },
    recipient: { id: spec.bot.id, name: spec.bot.name },
    channelData: {
      tenant: { id: spec.tenantId },
      ...(inChannel && conversation.teamId !== undefined
        ? {
            team: { id: conversation.teamId, name: conversation.name ?? 'Team' },
            channel: { id: conversation.id },
            source: { name: 'message' },
          }
        : {}),
    },
    locale: 'en-US',
  };
}

export interface MessageActionSpec {
  serviceUrl: string;
  tenantId: string;
  bot: { id: string; name: string };
  /** Who chose the action on the message. */
  from: LocalTeamsUser;
  conversation: TeamsConversationRef;
  commandId: string;
  /** The message the action was chosen on: its text, which Teams sends as HTML. */
  messageText: string;
  messageFrom?: LocalTeamsUser;
  /** For composeExtension/submitAction: what the dialog's card submitted. */
  data?: unknown;
}

/**
 * The invoke Teams sends when someone chooses a message action on a message (`composeExtension/fetchTask`, or with
 * `data`, `composeExtension/submitAction` from the dialog's card): the message itself travels in `messagePayload`.
 */
export function messageActionActivity(spec: MessageActionSpec): Record<string, unknown> {
  const messageId = `${Date.now()}`;
  const html = spec.messageText.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>');
  return {
    ...eventEnvelope(spec),
    id: `f:${randomUUID()}`,
    type: 'invoke',
    name: spec.data === undefined ? 'composeExtension/fetchTask' : 'composeExtension/submitAction',
    from: { id: spec.from.id, name: spec.from.name, aadObjectId: spec.from.aadObjectId },
    value: {
      commandId: spec.commandId,
      commandContext: 'message',
      context: { theme: 'default' },
      ...(spec.data === undefined ? {} : { data: spec.data }),
      messagePayload: {
        id: messageId,
        createdDateTime: new Date().toISOString(),
        importance: 'normal',
        locale: 'en-US',
        messageType: 'message',
        from:
          spec.messageFrom === undefined
            ? null
            : { user: { id: spec.messageFrom.aadObjectId, displayName: spec.messageFrom.name, userIdentityType: 'aadUser' } },
        body: { contentType: 'html', content: `<p>${html}</p>` },
        attachments: [],
        mentions: [],
        reactions: [],
      },
    },
  };
}

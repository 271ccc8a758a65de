import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, replyJson, startLoopbackServer } from './loopback-server.ts';

/**
 * A stand-in for the Bot Framework connector Teams runs at an activity's serviceUrl, for the demo console and the
 * tests: it records every activity the bot posts (per conversation), opens one-to-one chats, and answers member
 * look-ups from its roster. Only loopback; it checks no token, but records the Authorization header it was sent.
 */
export interface LocalTeamsUser {
  /** The Teams user id ("29:…"). */
  id: string;
  /** The Microsoft Entra (AAD) object id. */
  aadObjectId: string;
  name: string;
  email?: string;
}

/** An activity as the bot posted it. */
export interface PostedActivity {
  type: string;
  text?: string;
  summary?: string;
  attachments?: Array<{ contentType: string; content: unknown }>;
  replyToId?: string;
  [key: string]: unknown;
}

export interface ReceivedActivity {
  conversationId: string;
  activity: PostedActivity;
  /** Size of the request body as sent, in bytes (Teams refuses messages above about 28 KB). */
  bytes: number;
  authorization: string | undefined;
}

/** The bot's messages (typing indicators left out) in one conversation, read in order, like a Slack response_url. */
export interface TeamsReplies {
  conversationId: string;
  /** Every message received here since this view was made, in order. */
  readonly messages: PostedActivity[];
  /** Resolves with the next message (or one already received and not yet taken). */
  next(timeoutMs?: number): Promise<PostedActivity>;
}

export interface ConnectorRequest {
  method: string;
  path: string;
  authorization: string | undefined;
}

export interface LocalTeams {
  /** The serviceUrl activities carry; the bot posts its replies under it. */
  serviceUrl: string;
  tenantId: string;
  bot: { id: string; name: string };
  users: LocalTeamsUser[];
  /** Every request the connector received, in order. */
  readonly requests: ConnectorRequest[];
  /** Every activity posted, in order, typing indicators included. */
  readonly received: ReceivedActivity[];
  /** The id of a user's one-to-one chat with the bot (the one the connector opens for them). */
  personalConversationId(user: LocalTeamsUser): string;
  /** A reader of the messages posted to a conversation from now on. */
  replies(conversationId: string): TeamsReplies;
  /**
   * Tests: when set and it returns an answer, the connector sends that status and JSON body instead of its own (the
   * request is still recorded), so a test can see the bot meet a failure or a body real Teams would not send.
   */
  intercept: ((request: ConnectorRequest & { body: string }) => { status: number; body: unknown } | undefined) | undefined;
  close(): Promise<void>;
}

const SERVICE_PATH = 'teams';
const SERVICE_PATH_SEGMENTS = 1;

interface ConversationLog {
  messages: PostedActivity[];
  listeners: Array<(message: PostedActivity) => void>;
}

export async function startLocalTeams(
  options: { users?: LocalTeamsUser[]; tenantId?: string; bot?: { id: string; name: string } } = {},
): Promise<LocalTeams> {
  const users = options.users ?? [];
  const tenantId = options.tenantId ?? '8d1e3b5a-0c2f-4e6a-9b7d-5f4c3a2b1e0d';
  const bot = options.bot ?? { id: '28:switchboard-demo-bot', name: 'Switchboard' };
  const conversations = new Map<string, ConversationLog>();
  const requests: ConnectorRequest[] = [];
  const received: ReceivedActivity[] = [];
  let messageCount = 0;

  const personalConversationId = (user: LocalTeamsUser) => `a:personal-${user.aadObjectId}`;
  const log = (conversationId: string): ConversationLog => {
    // Replies into a channel thread carry ";messageid=…"; the thread belongs to its channel.
    const key = conversationId.split(';')[0] ?? conversationId;
    let found = conversations.get(key);
    if (!found) {
      found = { messages: [], listeners: [] };
      conversations.set(key, found);
    }
    return found;
  };
  const findUser = (idOrEmail: string): LocalTeamsUser | undefined => {
    const wanted = idOrEmail.toLowerCase();
    return users.find((user) => user.id === idOrEmail || user.aadObjectId === idOrEmail || user.email?.toLowerCase() === wanted);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const authorization = req.headers.authorization;
    requests.push({ method: req.method ?? 'GET', path, authorization });
    const intercepted = localTeams.intercept?.({ method: req.method ?? 'GET', path, authorization, body });
    if (intercepted !== undefined) return replyJson(res, intercepted.status, intercepted.body);
    // Like Teams' regional service URLs (https://smba.trafficmanager.net/amer/), ours has a path of its own.
    const parts = path
      .split('/')
      .filter((part) => part !== '')
      .map(decodeURIComponent)
      .slice(SERVICE_PATH_SEGMENTS);
    if (parts[0] !== 'v3' || parts[1] !== 'conversations') return replyJson(res, 404, connectorError('NotFound', 'unknown path'));

    // POST /v3/conversations — open (or find) a one-to-one chat.
    if (req.method === 'POST' && parts.length === 2) {
      const parameters = JSON.parse(body || '{}') as { members?: Array<{ id?: string }> };
      const member = parameters.members?.length === 1 ? findUser(parameters.members[0]?.id ?? '') : undefined;
      // Teams opens a chat only with a user who has the app installed (here: anyone on the roster).
      if (!member) return replyJson(res, 403, connectorError('Forbidden', 'the bot is not installed for this user'));
      return replyJson(res, 201, { id: personalConversationId(member) });
    }
    // POST /v3/conversations/{id}/activities[/{replyToId}] — the bot sends a message or a typing indicator.
    if (req.method === 'POST' && parts[3] === 'activities' && parts[2] !== undefined) {
      const activity = JSON.parse(body) as PostedActivity;
      received.push({ conversationId: parts[2], activity, bytes: Buffer.byteLength(body), authorization });
      if (activity.type === 'message') {
        const conversation = log(parts[2]);
        conversation.messages.push(activity);
        for (const listener of [...conversation.listeners]) listener(activity);
      }
      messageCount += 1;
      return replyJson(res, 201, { id: `1${String(messageCount).padStart(12, '0')}` });
    }
    // GET /v3/conversations/{id}/members/{userId} — one member; Teams takes a user id, AAD object id or UPN.
    if (req.method === 'GET' && parts[3] === 'members' && parts[4] !== undefined) {
      const user = findUser(parts[4]);
      if (!user) return replyJson(res, 404, connectorError('MemberNotFoundInConversation', 'The specified member was not found'));
      const [givenName = '', ...rest] = user.name.split(' ');
      return replyJson(res, 200, {
        id: user.id,
        name: user.name,
        aadObjectId: user.aadObjectId,
        givenName,
        surname: rest.join(' '),
        ...(user.email ? { email: user.email, userPrincipalName: user.email } : {}),
        tenantId,
        userRole: 'user',
      });
    }
    replyJson(res, 404, connectorError('NotFound', 'unknown path'));
  }

  const server = await startLoopbackServer(handle);
  const url = server.url;

  const localTeams: LocalTeams = {
    intercept: undefined,
    serviceUrl: `${url}/${SERVICE_PATH}/`,
    tenantId,
    bot,
    users,
    requests,
    received,
    personalConversationId,
    replies(conversationId) {
      const conversation = log(conversationId);
      let taken = 0;
      const waiters: Array<(message: PostedActivity) => void> = [];
      const messages: PostedActivity[] = [];
      conversation.listeners.push((message) => {
        messages.push(message);
        const waiter = waiters.shift();
        if (waiter) {
          taken += 1;
          waiter(message);
        }
      });
      return {
        conversationId,
        messages,
        next(timeoutMs = 15_000) {
          const ready = messages[taken];
          if (ready) {
            taken += 1;
            return Promise.resolve(ready);
          }
          return new Promise<PostedActivity>((resolve, reject) => {
            const waiter = (message: PostedActivity) => {
              clearTimeout(timer);
              resolve(message);
            };
            const timer = setTimeout(() => {
              waiters.splice(waiters.indexOf(waiter), 1);
              reject(new Error(`no message in conversation ${conversationId} within ${timeoutMs} ms`));
            }, timeoutMs);
            waiters.push(waiter);
          });
        },
      };
    },
    close: () => server.close(),
  };
  return localTeams;
}

function connectorError(code: string, message: string): unknown {
  return { error: { code, message } };
}

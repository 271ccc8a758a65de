import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, replyJson, startLoopbackServer } from './loopback-server.ts';
import { randomUUID } from 'node:crypto';

/**
 * A stand-in for Slack's servers, for the demo console and the tests: it hosts response_url endpoints (recording
 * every message the bot sends to them) and the few Web API methods the bot calls. Only loopback.
 */
export interface LocalSlackUser {
  id: string;
  name: string;
  email?: string;
}

export interface ResponseMessage {
  text?: string;
  blocks?: unknown[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
  delete_original?: boolean;
}

export interface ResponseChannel {
  url: string;
  /** Every message posted to this response_url so far, in order. */
  readonly messages: ResponseMessage[];
  /** Resolves with the next message (or one already received and not yet taken). */
  next(timeoutMs?: number): Promise<ResponseMessage>;
  /** Forgets this response_url and its messages (later posts get 404, as to an expired one), so a long run keeps no garbage. */
  close(): void;
}

/** A Web API call the bot made, its parameters as sent (`blocks` and `view` still JSON text). */
export interface ApiCall {
  method: string;
  params: Record<string, string>;
  /** The token the call carried (Authorization: Bearer, or a `token` parameter), if any. */
  token?: string;
}

/** An installation Slack's authorize page would grant: oauth.v2.access trades its code for this bot token. */
export interface LocalSlackInstallGrant {
  /** The workspace; left out for an Enterprise Grid org-wide install, whose oauth.v2.access answer has team null. */
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
  botToken: string;
  botUserId?: string;
  installerId?: string;
}

/** A message the bot posted through the Web API (chat.postMessage, chat.postEphemeral), blocks parsed. */
export interface PostedMessage extends ResponseMessage {
  method: 'chat.postMessage' | 'chat.postEphemeral';
  channel: string;
  /** chat.postEphemeral: the one user who sees it. */
  user?: string;
  thread_ts?: string;
}

/** A Home tab the bot published (views.publish), for one user. */
export interface PublishedView {
  user_id: string;
  view: { type: string; blocks?: unknown[] };
}

export interface LocalSlack {
  url: string;
  /** Base URL for the bot's Web API client (SLACK_API_URL). */
  apiUrl: string;
  teamId: string;
  users: LocalSlackUser[];
  /** Web API calls received, by method name. */
  readonly apiCalls: ApiCall[];
  /**
   * Tests: when set and it returns a body, the Web API answers that instead (200, JSON), so a test can see the bot
   * meet a body real Slack would not send.
   */
  apiAnswer: ((method: string, params: Record<string, string>) => unknown) | undefined;
  /** Every chat.postMessage and chat.postEphemeral, in order. */
  readonly posted: PostedMessage[];
  /** Every views.publish, in order. */
  readonly published: PublishedView[];
  /**
   * Resolves with the first Web API call at index `from` or later (received already, or still to come) that
   * `matches`; rejects after `timeoutMs`.
   */
  waitForCall(matches: (call: ApiCall) => boolean, options?: { from?: number; timeoutMs?: number }): Promise<ApiCall>;
  /**
   * Tests of "Add to Slack": the code Slack's authorize page would send the browser back with, for this installation.
   * oauth.v2.access trades it once; auth.test with the granted token then answers as that installation's bot.
   */
  grantInstall(grant: LocalSlackInstallGrant): string;
  newResponseChannel(): ResponseChannel;
  close(): Promise<void>;
}

export async function startLocalSlack(options: { users?: LocalSlackUser[]; teamId?: string } = {}): Promise<LocalSlack> {
  const users = options.users ?? [];
  const teamId = options.teamId ?? 'T0DEMO';
  const channels = new Map<string, { messages: ResponseMessage[]; taken: number; waiters: ((m: ResponseMessage) => void)[] }>();
  const apiCalls: ApiCall[] = [];
  const posted: PostedMessage[] = [];
  const published: PublishedView[] = [];
  const callWaiters = new Set<(call: ApiCall) => void>();
  const grantsByCode = new Map<string, LocalSlackInstallGrant>();
  const grantsByToken = new Map<string, LocalSlackInstallGrant>();
  const directory = new UserDirectory(users);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (path.startsWith('/respond/')) {
      const channel = channels.get(path.slice('/respond/'.length));
      if (!channel) return replyJson(res, 404, { ok: false, error: 'expired_url' });
      const message = JSON.parse(body) as ResponseMessage;
      channel.messages.push(message);
      const waiter = channel.waiters.shift();
      if (waiter) {
        channel.taken += 1;
        waiter(message);
      }
      return replyJson(res, 200, { ok: true });
    }
    if (path.startsWith('/api/')) {
      const method = path.slice('/api/'.length);
      const params = parseParams(req.headers['content-type'] ?? '', body);
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const token = bearer ?? params.token;
      const call: ApiCall = { method, params, ...(token === undefined ? {} : { token }) };
      const answer = localSlack.apiAnswer?.(method, params) ?? webApi(method, params, token);
      apiCalls.push(call);
      for (const waiter of [...callWaiters]) waiter(call);
      return replyJson(res, 200, answer);
    }
    replyJson(res, 404, { ok: false, error: 'unknown_method' });
  }

  function webApi(method: string, params: Record<string, string>, token: string | undefined): unknown {
    const asSlackUser = (user: LocalSlackUser) => ({
      id: user.id,
      team_id: teamId,
      name: user.name.toLowerCase().replace(/\s+/g, '.'),
      real_name: user.name,
      profile: { real_name: user.name, display_name: user.name, ...(user.email ? { email: user.email } : {}) },
    });
    switch (method) {
      case 'oauth.v2.access': {
        const grant = grantsByCode.get(params.code ?? '');
        if (grant === undefined || !params.client_id || !params.client_secret) return { ok: false, error: 'invalid_code' };
        grantsByCode.delete(params.code ?? '');
        grantsByToken.set(grant.botToken, grant);
        return {
          ok: true,
          app_id: 'A0SWITCHBOARD',
          authed_user: { id: grant.installerId ?? 'UINSTALLER' },
          scope: 'commands,chat:write,im:history,app_mentions:read,users:read,users:read.email',
          token_type: 'bot',
          access_token: grant.botToken,
          bot_user_id: grant.botUserId ?? 'UBOT',
          team: grant.teamId === undefined ? null : { id: grant.teamId, name: `Workspace ${grant.teamId}` },
          enterprise: grant.enterpriseId === undefined ? null : { id: grant.enterpriseId, name: `Org ${grant.enterpriseId}` },
          is_enterprise_install: grant.isEnterpriseInstall === true,
        };
      }
      case 'auth.test': {
        const grant = token === undefined ? undefined : grantsByToken.get(token);
        if (grant !== undefined) {
          return {
            ok: true,
            url: grant.isEnterpriseInstall === true ? 'https://org.enterprise.slack.local/' : 'https://workspace.slack.local/',
            team_id: grant.teamId ?? grant.enterpriseId,
            user_id: grant.botUserId ?? 'UBOT',
            bot_id: `B${grant.botUserId ?? 'UBOT'}`,
            ...(grant.enterpriseId === undefined ? {} : { enterprise_id: grant.enterpriseId }),
            is_enterprise_install: grant.isEnterpriseInstall === true,
          };
        }
        return {
          ok: true,
          url: 'https://demo.slack.local/',
          team: 'Demo',
          user: 'switchboard',
          team_id: teamId,
          user_id: 'UBOT',
          bot_id: 'BBOT',
        };
      }
      case 'users.info': {
        const user = params.user === undefined ? undefined : directory.byId(params.user);
        return user ? { ok: true, user: asSlackUser(user) } : { ok: false, error: 'user_not_found' };
      }
      case 'users.lookupByEmail': {
        const user = params.email === undefined ? undefined : directory.byEmail(params.email);
        return user ? { ok: true, user: asSlackUser(user) } : { ok: false, error: 'users_not_found' };
      }
      case 'chat.postMessage':
      case 'chat.postEphemeral': {
        // As Slack: a channel, some text or blocks, and for an ephemeral message the user who sees it.
        if (!params.channel) return { ok: false, error: 'channel_not_found' };
        if (method === 'chat.postEphemeral' && !params.user) return { ok: false, error: 'user_not_found' };
        if (!params.text && !params.blocks) return { ok: false, error: 'no_text' };
        const blocks = parseJson(params.blocks);
        if (params.blocks !== undefined && !Array.isArray(blocks)) return { ok: false, error: 'invalid_blocks' };
        const ts = `${Math.floor(Date.now() / 1000)}.${String(posted.length + 1).padStart(6, '0')}`;
        posted.push({
          method,
          channel: params.channel,
          ...(params.user ? { user: params.user } : {}),
          ...(params.thread_ts ? { thread_ts: params.thread_ts } : {}),
          ...(params.text === undefined ? {} : { text: params.text }),
          ...(Array.isArray(blocks) ? { blocks } : {}),
        });
        return method === 'chat.postMessage' ? { ok: true, channel: params.channel, ts } : { ok: true, message_ts: ts };
      }
      case 'views.publish': {
        const view = parseJson(params.view) as PublishedView['view'] | undefined;
        if (!params.user_id) return { ok: false, error: 'user_not_found' };
        if (view?.type !== 'home' || !Array.isArray(view.blocks)) return { ok: false, error: 'invalid_arguments' };
        if (view.blocks.length > 100) return { ok: false, error: 'invalid_blocks' };
        published.push({ user_id: params.user_id, view });
        return { ok: true, view: { id: `V${published.length}`, type: 'home' } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  const server = await startLoopbackServer(handle);
  const url = server.url;

  const localSlack: LocalSlack = {
    apiAnswer: undefined,
    url,
    apiUrl: `${url}/api/`,
    teamId,
    users,
    apiCalls,
    posted,
    published,
    waitForCall(matches, options = {}) {
      const found = apiCalls.slice(options.from ?? 0).find(matches);
      if (found) return Promise.resolve(found);
      const timeoutMs = options.timeoutMs ?? 15_000;
      return new Promise<ApiCall>((resolve, reject) => {
        const waiter = (call: ApiCall) => {
          if (!matches(call)) return;
          callWaiters.delete(waiter);
          clearTimeout(timer);
          resolve(call);
        };
        const timer = setTimeout(() => {
          callWaiters.delete(waiter);
          reject(new Error(`no matching Slack Web API call within ${timeoutMs} ms`));
        }, timeoutMs);
        callWaiters.add(waiter);
      });
    },
    grantInstall(grant) {
      const code = `code-${randomUUID()}`;
      grantsByCode.set(code, grant);
      return code;
    },
    newResponseChannel() {
      const id = randomUUID();
      const channel = { messages: [] as ResponseMessage[], taken: 0, waiters: [] as ((m: ResponseMessage) => void)[] };
      channels.set(id, channel);
      return {
        url: `${url}/respond/${id}`,
        messages: channel.messages,
        next(timeoutMs = 15_000) {
          const ready = channel.messages[channel.taken];
          if (ready) {
            channel.taken += 1;
            return Promise.resolve(ready);
          }
          return new Promise<ResponseMessage>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no message on response_url within ${timeoutMs} ms`)), timeoutMs);
            channel.waiters.push((message) => {
              clearTimeout(timer);
              resolve(message);
            });
          });
        },
        close() {
          channels.delete(id);
        },
      };
    },
    close: () => server.close(),
  };
  return localSlack;
}

function parseParams(contentType: string, body: string): Record<string, string> {
  if (contentType.includes('application/json')) {
    const entries = Object.entries(JSON.parse(body || '{}') as Record<string, unknown>);
    return Object.fromEntries(entries.map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)]));
  }
  return Object.fromEntries(new URLSearchParams(body));
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The workspace's people by id and by email (without regard to case), the first of each as a scan would find it. The
 * benchmark's workspace holds 100,000 people, and a scan per lookup was milliseconds of the process the bot shares with
 * it. Read again whenever people were added (tests add them to `users` as they go).
 */
class UserDirectory {
  readonly #users: readonly LocalSlackUser[];
  readonly #ids = new Map<string, LocalSlackUser>();
  readonly #emails = new Map<string, LocalSlackUser>();
  #indexed = 0;

  constructor(users: readonly LocalSlackUser[]) {
    this.#users = users;
  }

  byId(id: string): LocalSlackUser | undefined {
    this.#catchUp();
    return this.#ids.get(id);
  }

  byEmail(email: string): LocalSlackUser | undefined {
    this.#catchUp();
    return this.#emails.get(email.toLowerCase());
  }

  #catchUp(): void {
    for (; this.#indexed < this.#users.length; this.#indexed += 1) {
      const user = this.#users[this.#indexed]!;
      if (!this.#ids.has(user.id)) this.#ids.set(user.id, user);
      const email = user.email?.toLowerCase();
      if (email !== undefined && !this.#emails.has(email)) this.#emails.set(email, user);
    }
  }
}

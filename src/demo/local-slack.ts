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

export interface LocalSlack {
  url: string;
  /** Base URL for the bot's Web API client (SLACK_API_URL). */
  apiUrl: string;
  teamId: string;
  users: LocalSlackUser[];
  /** Web API calls received, by method name. */
  readonly apiCalls: { method: string; params: Record<string, string> }[];
  /**
   * Tests: when set and it returns a body, the Web API answers that instead (200, JSON), so a test can see the bot
   * meet a body real Slack would not send.
   */
  apiAnswer: ((method: string, params: Record<string, string>) => unknown) | undefined;
  newResponseChannel(): ResponseChannel;
  close(): Promise<void>;
}

export async function startLocalSlack(options: { users?: LocalSlackUser[]; teamId?: string } = {}): Promise<LocalSlack> {
  const users = options.users ?? [];
  const teamId = options.teamId ?? 'T0DEMO';
  const channels = new Map<string, { messages: ResponseMessage[]; taken: number; waiters: ((m: ResponseMessage) => void)[] }>();
  const apiCalls: LocalSlack['apiCalls'] = [];


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
      apiCalls.push({ method, params });
      return replyJson(res, 200, localSlack.apiAnswer?.(method, params) ?? webApi(method, params));
    }
    replyJson(res, 404, { ok: false, error: 'unknown_method' });
  }

  function webApi(method: string, params: Record<string, string>): unknown {
    const asSlackUser = (user: LocalSlackUser) => ({
      id: user.id,
      team_id: teamId,
      name: user.name.toLowerCase().replace(/\s+/g, '.'),
      real_name: user.name,
      profile: { real_name: user.name, display_name: user.name, ...(user.email ? { email: user.email } : {}) },
    });
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://demo.slack.local/', team: 'Demo', user: 'switchboard', team_id: teamId, user_id: 'UBOT', bot_id: 'BBOT' };
      case 'users.info': {
        const user = users.find((candidate) => candidate.id === params.user);
        return user ? { ok: true, user: asSlackUser(user) } : { ok: false, error: 'user_not_found' };
      }
      case 'users.lookupByEmail': {
        const email = params.email?.toLowerCase();
        const user = users.find((candidate) => candidate.email?.toLowerCase() === email);
        return user ? { ok: true, user: asSlackUser(user) } : { ok: false, error: 'users_not_found' };
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
    return Object.fromEntries(Object.entries(JSON.parse(body || '{}') as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }
  return Object.fromEntries(new URLSearchParams(body));
}

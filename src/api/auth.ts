import { createHash, randomBytes } from 'node:crypto';
import type { Deadline } from './deadline.ts';
import { fromResponse, InvalidResponse } from './errors.ts';
import type { HttpResponse, HttpTransport } from './http.ts';
import type { PacingGrant, RateLimitPacer } from './limits.ts';
import { TokenResponse } from './schemas.ts';
import type { StoredTokens } from './tokens.ts';
import { observationFrom } from './rate-headers.ts';

export const OAUTH_PATHS = {
  authorize: '/restapi/oauth/authorize',
  token: '/restapi/oauth/token',
  revoke: '/restapi/oauth/revoke',
} as const;

export interface PkcePair {
  codeVerifier: string;
  codeChallenge: string;
}

/** RFC 7636 S256, as the official SDK does it: 32 random bytes, base64url without padding. */
export function createPkcePair(): PkcePair {
  const codeVerifier = randomBytes(32).toString('base64url');
  return { codeVerifier, codeChallenge: pkceChallenge(codeVerifier) };
}

export function pkceChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier).digest('base64url');
}

export interface AuthorizeUrlParams {
  serverUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  loginHint?: string | undefined;
}

export function buildAuthorizeUrl(params: AuthorizeUrlParams): string {
  const url = new URL(`${params.serverUrl.replace(/\/+$/, '')}${OAUTH_PATHS.authorize}`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', params.clientId);
  url.searchParams.set('redirect_uri', params.redirectUri);
  url.searchParams.set('state', params.state);
  url.searchParams.set('code_challenge', params.codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  if (params.loginHint !== undefined) url.searchParams.set('login_hint', params.loginHint);
  return url.toString();
}

/** Expiries become epoch ms on the caller's clock at the moment the response arrived. */
export function toStoredTokens(response: TokenResponse, receivedAt: number): StoredTokens {
  return {
    accessToken: response.access_token,
    accessTokenExpiresAt: receivedAt + response.expires_in * 1000,
    refreshToken: response.refresh_token,
    refreshTokenExpiresAt: receivedAt + response.refresh_token_expires_in * 1000,
    scope: response.scope,
    ownerId: response.owner_id,
    endpointId: response.endpoint_id,
  };
}

export interface OAuthClientOptions {
  http: HttpTransport;
  clientId: string;
  clientSecret: string;
  pacer: RateLimitPacer;
  now: () => number;
}

/** Token requests to RingCentral: confidential client, HTTP Basic auth, form-encoded bodies. */
export class OAuthClient {
  private readonly options: OAuthClientOptions;
  private readonly basicCredentials: string;

  constructor(options: OAuthClientOptions) {
    this.options = options;
    this.basicCredentials = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');
  }

  async exchangeCode(params: { code: string; codeVerifier: string; redirectUri: string }, deadline: Deadline): Promise<StoredTokens> {
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.code,
      redirect_uri: params.redirectUri,
      code_verifier: params.codeVerifier,
    });
    return this.requestTokens(form, [params.code, params.codeVerifier], undefined, deadline);
  }

  async refresh(tokens: StoredTokens, userKey: string, deadline: Deadline): Promise<StoredTokens> {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken });
    // Keeps the session's endpoint, so RingCentral does not count the refreshed session as a new one.
    if (tokens.endpointId) form.set('endpoint_id', tokens.endpointId);
    return this.requestTokens(form, [tokens.refreshToken, tokens.accessToken], userKey, deadline);
  }

  /** Ends the whole RingCentral session (all its tokens). */
  async revoke(token: string, userKey: string, deadline: Deadline): Promise<void> {
    const response = await this.post(OAUTH_PATHS.revoke, 'revokeToken', new URLSearchParams({ token }), [token], userKey, deadline);
    if (response.status >= 400) {
      throw fromResponse(response.status, response.body, response.headers, {
        endpoint: 'token',
        operation: 'revokeToken',
        secrets: [token],
      });
    }
  }

  private async requestTokens(
    form: URLSearchParams,
    secrets: string[],
    userKey: string | undefined,
    deadline: Deadline,
  ): Promise<StoredTokens> {
    const response = await this.post(OAUTH_PATHS.token, 'getToken', form, secrets, userKey, deadline);
    if (response.status !== 200) {
      throw fromResponse(response.status, response.body, response.headers, { endpoint: 'token', operation: 'getToken', secrets });
    }
    const receivedAt = this.options.now();
    let json: unknown;
    try {
      json = JSON.parse(response.body);
    } catch {
      throw new InvalidResponse('getToken: response is not JSON', {
        status: response.status,
        requestId: response.requestId,
        operation: 'getToken',
      });
    }
    const parsed = TokenResponse.safeParse(json);
    if (!parsed.success) {
      // Issue paths only: the values themselves are tokens.
      const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))].join(', ');
      throw new InvalidResponse(`getToken: unexpected token response (${fields})`, {
        status: response.status,
        requestId: response.requestId,
        operation: 'getToken',
      });
    }
    return toStoredTokens(parsed.data, receivedAt);
  }

  private async post(
    path: string,
    operation: 'getToken' | 'revokeToken',
    form: URLSearchParams,
    secrets: string[],
    userKey: string | undefined,
    deadline: Deadline,
  ): Promise<HttpResponse> {
    const { pacer } = this.options;
    // The code exchange has no user yet; RingCentral counts Auth per user, so only known users are paced.
    const key = userKey === undefined ? undefined : { userKey, group: 'Auth' as const };
    let grant: PacingGrant | undefined;
    return this.options.http.send({
      operation,
      method: 'POST',
      path,
      headers: { authorization: `Basic ${this.basicCredentials}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      deadline,
      // RingCentral: a token request may be retried after 429/503; a revoke's errors are ignored, never retried.
      retry: operation === 'getToken' ? 'token-endpoint' : 'none',
      secrets: [...secrets, this.basicCredentials, this.options.clientSecret],
      ...(key && {
        beforeAttempt: async () => {
          grant = await pacer.acquire(key, deadline);
          grant.sending();
        },
        afterAttempt: (response: HttpResponse) => pacer.observe(key, observationFrom(response)),
        afterUnreached: () => grant?.giveBack(),
      }),
    });
  }
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AccountData } from './account-data.ts';
import { userLikeTypes } from './account-data.ts';
import { OAuthError, oauthErrors, restErrors } from './errors.ts';
import { isRegisteredRedirect } from './redirect-uris.ts';
import { emptyReply, escapeHtml, htmlReply, jsonReply, redirectReply } from './replies.ts';
import type { Reply } from './replies.ts';
import { isAdministrator, signInVerdict } from './rules.ts';
import { displayName } from './seed.ts';
import type { SeedApp, SeedExtension } from './seed.ts';
import type { Session, SessionStore, TokenPair } from './sessions.ts';

/**
 * RingCentral's OAuth endpoints (auth code with PKCE, refresh, revoke), as the docs describe them:
 * /restapi/oauth/authorize answers 302 to `redirect_uri?code=…&state=…&expires_in=60`; /token takes
 * x-www-form-urlencoded bodies with HTTP Basic client authentication; /revoke ends the whole session.
 */

export interface OAuthDeps {
  data: () => AccountData;
  sessions: SessionStore;
  codes: AuthCodeStore;
  authCodeTtlSeconds: () => number;
  now: () => number;
}

interface AuthCode {
  clientId: string;
  redirectUri: string;
  extensionId: number;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  expiresAt: number;
  used: boolean;
  session?: Session;
}

/** Authorization codes: single use, short-lived, bound to client_id, redirect_uri and the PKCE challenge. */
export class AuthCodeStore {
  private readonly codes = new Map<string, AuthCode>();

  issue(code: Omit<AuthCode, 'used'>): string {
    const value = randomBytes(24).toString('base64url');
    this.codes.set(value, { ...code, used: false });
    return value;
  }

  get(value: string): AuthCode | undefined {
    return this.codes.get(value);
  }

  clear(): void {
    this.codes.clear();
  }
}

// ─── authorize ──────────────────────────────────────────────────────────────────────────────────────────────────

interface AuthorizeRequest {
  app: SeedApp;
  redirectUri: string;
  state?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  /** Every original query parameter, carried through the sign-in form. */
  original: URLSearchParams;
}

const authorizeParams = [
  'response_type',
  'client_id',
  'redirect_uri',
  'state',
  'code_challenge',
  'code_challenge_method',
  'brand_id',
  'display',
  'prompt',
  'ui_locales',
  'localeId',
  'ui_options',
  'scope',
];

function errorPage(status: number, code: string, message: string): Reply {
  return htmlReply(
    status,
    page('Sign-in error', `<h1>Sign-in error</h1><p class="error"><strong>${escapeHtml(code)}</strong> ${escapeHtml(message)}</p>`),
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — RingCentral sandbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}
form div{margin:.25rem 0}button{font:inherit;padding:.4rem .8rem;min-width:24rem;text-align:left;cursor:pointer}
.error{color:#a00}.note{color:#555}</style></head>
<body>${body}</body></html>`;
}

/** Validates client_id, response_type and redirect_uri before anything is shown or any redirect is made. */
function validateAuthorize(params: URLSearchParams, data: AccountData): AuthorizeRequest | Reply {
  const clientId = params.get('client_id') ?? '';
  const app = data.app(clientId);
  if (!app) return errorPage(400, 'OAU-120', 'Wrong Application ID');
  const redirectUri = params.get('redirect_uri') ?? '';
  if (app.redirectUris.length === 0) return errorPage(400, 'OAU-113', 'No redirect uri is registered for the client');
  if (!redirectUri || !isRegisteredRedirect(app.redirectUris, redirectUri)) return errorPage(400, 'OAU-109', 'Redirect URIs do not match');
  if (params.get('response_type') !== 'code')
    return errorPage(400, 'OAU-112', `The client is unauthorized for the required grant type: [${params.get('response_type') ?? ''}]`);
  const codeChallenge = params.get('code_challenge') ?? undefined;
  const method = params.get('code_challenge_method') ?? undefined;
  if (method !== undefined && method !== 'S256' && method !== 'plain')
    return errorPage(400, 'CMN-101', 'Parameter [code_challenge_method] value is invalid.');
  if (codeChallenge !== undefined && !/^[A-Za-z0-9\-._~]{43,128}$/.test(codeChallenge)) {
    return errorPage(400, 'CMN-101', 'Parameter [code_challenge] value is invalid.');
  }
  const original = new URLSearchParams();
  for (const name of authorizeParams) {
    const value = params.get(name);
    if (value !== null) original.set(name, value);
  }
  return {
    app,
    redirectUri,
    ...(params.get('state') === null ? {} : { state: params.get('state') ?? '' }),
    ...(codeChallenge === undefined
      ? {}
      : // "if omitted the server assumes plain"
        { codeChallenge, codeChallengeMethod: method === 'S256' ? ('S256' as const) : ('plain' as const) }),
    original,
  };
}

function signInPage(request: AuthorizeRequest, data: AccountData): Reply {
  const people = data.extensions.filter((e) => userLikeTypes.has(e.type));
  const hidden = [...request.original.entries()]
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  // One form: the clicked button submits its own login_hint with the original parameters.
  const buttons = people
    .map((person) => {
      const role = isAdministrator(person) ? 'administrator' : 'standard user';
      const state = person.status === 'Enabled' ? '' : ` (${person.status})`;
      const label = `${displayName(person)} (ext. ${person.extensionNumber}) — ${role}${state}`;
      return `<div><button type="submit" name="login_hint" value="${escapeHtml(person.extensionNumber)}">${escapeHtml(label)}</button></div>`;
    })
    .join('\n');
  return htmlReply(
    200,
    page(
      'Sign in',
      `<h1>Sign in to ${escapeHtml(data.account.companyName)}</h1>
<p class="note">RingCentral sandbox. <strong>${escapeHtml(request.app.name)}</strong> asks to read your account (${escapeHtml(request.app.permissions.join(', ') || 'no permissions')}). Choose who you are:</p>
<form method="post" action="/restapi/oauth/authorize">${hidden}
${buttons}
</form>`,
    ),
  );
}

function signIn(request: AuthorizeRequest, extensionNumber: string, deps: OAuthDeps): Reply {
  const data = deps.data();
  const extension = data.extensionByNumber(extensionNumber);
  if (!extension) return errorPage(401, 'OAU-136', 'Extension not found.');
  const verdict = signInVerdict(extension);
  if (verdict === 'typeNotAllowed') return errorPage(403, 'OAU-105', `Login for ${extension.type} extension is not allowed.`);
  if (verdict === 'stateNotAllowed') return errorPage(401, 'OAU-141', 'Login for extension in current state is not allowed.');
  const ttl = deps.authCodeTtlSeconds();
  const code = deps.codes.issue({
    clientId: request.app.clientId,
    redirectUri: request.redirectUri,
    extensionId: extension.id,
    ...(request.codeChallenge === undefined
      ? {}
      : { codeChallenge: request.codeChallenge, codeChallengeMethod: request.codeChallengeMethod ?? 'plain' }),
    expiresAt: deps.now() + ttl * 1000,
  });
  const target = new URL(request.redirectUri);
  target.searchParams.set('code', code);
  if (request.state !== undefined) target.searchParams.set('state', request.state);
  target.searchParams.set('expires_in', String(ttl));
  return redirectReply(target.toString());
}

/** GET shows the sign-in page (or signs `login_hint` in at once); POST is the page's form. */
export function authorize(params: URLSearchParams, deps: OAuthDeps): Reply {
  const request = validateAuthorize(params, deps.data());
  if ('status' in request) return request;
  const loginHint = params.get('login_hint');
  if (loginHint) return signIn(request, loginHint, deps);
  return signInPage(request, deps.data());
}

/** The extension an authorize request is about to sign in, to count it against that user. */
export function authorizeSubject(params: URLSearchParams, data: AccountData): SeedExtension | undefined {
  const hint = params.get('login_hint');
  return hint ? data.extensionByNumber(hint) : undefined;
}

// ─── token ──────────────────────────────────────────────────────────────────────────────────────────────────────

function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Confidential clients authenticate with HTTP Basic, as RingCentral requires. */
export function authenticateClient(authorization: string | undefined, data: AccountData): SeedApp {
  const credentials = basicCredentials(authorization);
  if (!credentials) throw oauthErrors.clientAuthenticationRequired();
  const app = data.app(credentials.clientId);
  if (!app || !sameSecret(app.clientSecret, credentials.clientSecret)) throw oauthErrors.invalidClient(credentials.clientId);
  return app;
}

export function clientIdOf(authorization: string | undefined): string | undefined {
  return basicCredentials(authorization)?.clientId;
}

function verifierMatches(code: AuthCode, verifier: string | null): boolean {
  if (code.codeChallenge === undefined) return true;
  if (!verifier || !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false;
  const expected = code.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return sameSecret(expected, code.codeChallenge);
}

function tokenResponse(session: Session, pair: TokenPair, now: number) {
  return {
    access_token: pair.accessToken,
    // The docs' prose says "Bearer"; the wire (and every sample) says "bearer".
    token_type: 'bearer',
    expires_in: Math.max(0, Math.round((pair.accessExpiresAt - now) / 1000)),
    refresh_token: pair.refreshToken,
    refresh_token_expires_in: Math.max(0, Math.round((pair.refreshExpiresAt - now) / 1000)),
    scope: session.scope.join(' '),
    owner_id: String(session.extensionId),
    endpoint_id: session.endpointId,
  };
}

const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

export function token(form: URLSearchParams, authorization: string | undefined, deps: OAuthDeps): Reply {
  try {
    const app = authenticateClient(authorization, deps.data());
    const grantType = form.get('grant_type') ?? '';
    if (grantType === 'authorization_code') return jsonReply(200, exchangeCode(form, app, deps), noStore);
    if (grantType === 'refresh_token') return jsonReply(200, refresh(form, app, deps), noStore);
    if (!grantType) throw oauthErrors.missingParameter('grant_type');
    throw oauthErrors.grantNotAllowed();
  } catch (error) {
    if (error instanceof OAuthError) return jsonReply(error.status, error.body(), noStore);
    throw error;
  }
}

function exchangeCode(form: URLSearchParams, app: SeedApp, deps: OAuthDeps) {
  const value = form.get('code');
  if (!value) throw oauthErrors.missingParameter('code');
  const code = deps.codes.get(value);
  if (!code) throw oauthErrors.invalidCode();
  if (code.used) {
    // RFC 6749 §4.1.2: a code used twice should revoke what it was exchanged for.
    if (code.session) deps.sessions.revokeSession(code.session);
    throw oauthErrors.invalidCode();
  }
  code.used = true;
  if (deps.now() >= code.expiresAt) throw oauthErrors.codeExpired();
  if (code.clientId !== app.clientId) throw oauthErrors.codeForOtherApp();
  if (form.get('redirect_uri') !== code.redirectUri) throw oauthErrors.redirectMismatch();
  if (!verifierMatches(code, form.get('code_verifier'))) throw oauthErrors.codeVerifierMismatch();
  const extension = deps.data().extensionById(code.extensionId);
  if (!extension || signInVerdict(extension) !== 'allowed') throw oauthErrors.extensionNotAllowed();
  const endpointId = form.get('endpoint_id');
  const session = deps.sessions.create({
    extensionId: extension.id,
    clientId: app.clientId,
    scope: app.permissions,
    ...(endpointId && /^[a-zA-Z0-9_-]{1,64}$/.test(endpointId) ? { endpointId } : {}),
  });
  code.session = session;
  return tokenResponse(session, session.current, deps.now());
}

function refresh(form: URLSearchParams, app: SeedApp, deps: OAuthDeps) {
  const value = form.get('refresh_token');
  if (!value) throw oauthErrors.missingParameter('refresh_token');
  const result = deps.sessions.refresh(value, app.clientId);
  if ('error' in result) throw result.error;
  const extension = deps.data().extensionById(result.session.extensionId);
  if (!extension || signInVerdict(extension) !== 'allowed') {
    deps.sessions.revokeSession(result.session);
    throw oauthErrors.extensionNotAllowed();
  }
  return tokenResponse(result.session, result.pair, deps.now());
}

/** The extension a token request is about, to count it against that user. */
export function tokenSubject(form: URLSearchParams, deps: OAuthDeps): number | undefined {
  const code = form.get('code');
  if (form.get('grant_type') === 'authorization_code' && code) return deps.codes.get(code)?.extensionId;
  const refreshToken = form.get('refresh_token');
  if (refreshToken) return deps.sessions.sessionOfRefreshToken(refreshToken)?.extensionId;
  return undefined;
}

// ─── revoke ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** "terminates the entire authorization session"; answers 200 with no body, also for unknown tokens (RFC 7009). */
export function revoke(form: URLSearchParams, query: URLSearchParams, authorization: string | undefined, deps: OAuthDeps): Reply {
  try {
    const app = authenticateClient(authorization, deps.data());
    const value = form.get('token') ?? query.get('token');
    if (!value) {
      const error = restErrors.invalidParameter('token');
      return jsonReply(400, error.body());
    }
    deps.sessions.revokeByToken(value, app.clientId);
    return emptyReply(200);
  } catch (error) {
    if (error instanceof OAuthError) return jsonReply(error.status, error.body());
    throw error;
  }
}

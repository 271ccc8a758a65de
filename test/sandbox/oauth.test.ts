import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.ts';
import {
  api,
  authorizationCode,
  authorizeUrl,
  basicAuth,
  control,
  demoApp,
  loginAs,
  pkcePair,
  postToken,
  refreshTokens,
  startTestSandbox,
} from '../support/sandbox.ts';
import type { TokenResponse } from '../support/sandbox.ts';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox.close());

const account = '/restapi/v1.0/account/~';

async function authorize(params: Record<string, string>, init: RequestInit = {}) {
  return fetch(authorizeUrl(sandbox, params), { redirect: 'manual', ...init });
}

const validParams = () => ({
  response_type: 'code',
  client_id: demoApp.clientId,
  redirect_uri: demoApp.redirectUri,
  state: 'st-1',
  code_challenge: pkcePair().challenge,
  code_challenge_method: 'S256',
});

async function errorOf(response: Response) {
  return {
    status: response.status,
    body: (await response.json()) as { error?: string; errorCode?: string; errors: { errorCode: string }[] },
  };
}

describe('authorize', () => {
  it('the sign-in page lists the users as buttons naming them, their extension and role', async () => {
    const response = await authorize(validParams());
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<button');
    expect(html).toContain('John Smith (ext. 101) — administrator');
    expect(html).toContain('Emma Chen (ext. 103) — standard user');
    expect(html).not.toContain('Main Menu'); // IVR menus do not sign in
  });

  it('clicking a user on the sign-in page (the form as a browser submits it) redirects with code and state', async () => {
    const html = await (await authorize(validParams())).text();
    const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
    const fields = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, name, value]) => [
      name ?? '',
      (value ?? '').replace(/&quot;/g, '"').replace(/&amp;/g, '&'),
    ]);
    const button = /<button type="submit" name="(login_hint)" value="([^"]+)">Emma Chen \(ext\. 103\)/.exec(html);
    expect(action).toBe('/restapi/oauth/authorize');
    expect(button?.[2]).toBe('103');
    const form = new URLSearchParams([...fields, [button?.[1] ?? '', button?.[2] ?? '']] as [string, string][]);
    const response = await fetch(`${sandbox.url}${action}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(demoApp.redirectUri);
    expect(location.searchParams.get('state')).toBe('st-1');
    expect(location.searchParams.get('code')).toMatch(/.{20,}/);
  });

  it('refuses an unknown client, an unregistered redirect URI or another response_type with a 400 page, never a redirect', async () => {
    const cases = [
      { ...validParams(), client_id: 'nobody' },
      { ...validParams(), redirect_uri: 'https://evil.example/callback' },
      { ...validParams(), redirect_uri: 'http://127.0.0.1:9999/other/path' },
      { ...validParams(), redirect_uri: 'http://10.0.0.1:9999/oauth/ringcentral/callback' },
      { ...validParams(), response_type: 'token' },
    ];
    for (const params of cases) {
      const response = await authorize({ ...params, login_hint: '101' });
      expect(response.status, JSON.stringify(params)).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('content-type')).toContain('text/html');
    }
  });

  it('accepts any loopback port for the registered callback path', async () => {
    for (const redirectUri of ['http://127.0.0.1:1234/oauth/ringcentral/callback', 'http://localhost:8080/oauth/ringcentral/callback']) {
      const response = await authorize({ ...validParams(), redirect_uri: redirectUri, login_hint: '101' });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toMatch(new RegExp(`^${redirectUri.replace(/[.?]/g, '\\$&')}\\?code=`));
    }
  });

  it('only enabled people may sign in: Disabled, NotActivated and non-person extensions are refused', async () => {
    const disabled = await authorize({ ...validParams(), login_hint: '116' });
    expect(disabled.status).toBe(401);
    expect(await disabled.text()).toContain('OAU-141');
    const notActivated = await authorize({ ...validParams(), login_hint: '111' });
    expect(notActivated.status).toBe(401);
    const ivr = await authorize({ ...validParams(), login_hint: '300' });
    expect(ivr.status).toBe(403);
    expect(await ivr.text()).toContain('OAU-105');
    const unknown = await authorize({ ...validParams(), login_hint: '9999' });
    expect(unknown.status).toBe(401);
  });
});

describe('token: authorization code with PKCE', () => {
  it('answers RingCentral-shaped token JSON', async () => {
    const tokens = await loginAs(sandbox, '103');
    expect(tokens).toMatchObject({
      token_type: 'bearer',
      expires_in: 3600,
      refresh_token_expires_in: 604800,
      scope: 'ReadAccounts ReadPresence',
      owner_id: '435069008',
    });
    expect(tokens.access_token).not.toBe(tokens.refresh_token);
    expect(tokens.endpoint_id).toMatch(/^[\w-]{1,64}$/);
    expect((await api(sandbox, tokens.access_token, `${account}/extension/~`)).status).toBe(200);
  });

  it("refuses a wrong code_verifier (S256 is really verified), and a missing one, with 403 OAU-106 as the docs' error table has it", async () => {
    for (const verifier of [pkcePair().verifier, undefined]) {
      const { code } = await authorizationCode(sandbox, '101');
      const response = await postToken(sandbox, demoApp, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: demoApp.redirectUri,
        ...(verifier ? { code_verifier: verifier } : {}),
      });
      const { status, body } = await errorOf(response);
      expect(status).toBe(403);
      expect(body.error).toBe('invalid_grant');
      expect(body.errors[0]?.errorCode).toBe('OAU-106');
    }
  });

  it('a code works once, for its own client and redirect URI only', async () => {
    const first = await authorizationCode(sandbox, '101');
    const exchange = (code: string, verifier: string, redirectUri = demoApp.redirectUri) =>
      postToken(sandbox, demoApp, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });
    const ok = await exchange(first.code, first.verifier);
    expect(ok.status).toBe(200);
    const tokens = (await ok.json()) as TokenResponse;
    const again = await errorOf(await exchange(first.code, first.verifier));
    expect(again).toMatchObject({ status: 403, body: { error: 'invalid_grant', errors: [{ errorCode: 'OAU-106' }] } });
    // A replayed code also ends the session it produced (RFC 6749 §4.1.2).
    expect((await api(sandbox, tokens.access_token, account)).status).toBe(401);

    const second = await authorizationCode(sandbox, '101');
    const wrongRedirect = await errorOf(await exchange(second.code, second.verifier, 'http://127.0.0.1:1/oauth/ringcentral/callback'));
    expect(wrongRedirect).toMatchObject({ status: 403, body: { errors: [{ errorCode: 'OAU-109' }] } });

    const third = await authorizationCode(sandbox, '101');
    const otherApp = await postToken(
      sandbox,
      { clientId: 'switchboard-noperm', clientSecret: 'switchboard-noperm-secret' },
      {
        grant_type: 'authorization_code',
        code: third.code,
        redirect_uri: demoApp.redirectUri,
        code_verifier: third.verifier,
      },
    );
    expect(await errorOf(otherApp)).toMatchObject({ status: 403, body: { errors: [{ errorCode: 'OAU-110' }] } });
  });

  it('an authorization code expires', async () => {
    const short = await startTestSandbox({ authCodeTtlSeconds: 0.05 });
    try {
      const { code, verifier } = await authorizationCode(short, '101');
      await sleep(100);
      const response = await postToken(short, demoApp, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: demoApp.redirectUri,
        code_verifier: verifier,
      });
      expect(await errorOf(response)).toMatchObject({ status: 403, body: { errors: [{ errorCode: 'OAU-108' }] } });
    } finally {
      await short.close();
    }
  });

  it('client authentication is HTTP Basic: missing → 401 OAU-123, wrong secret → 401 invalid_client', async () => {
    const { code, verifier } = await authorizationCode(sandbox, '101');
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: demoApp.redirectUri,
      code_verifier: verifier,
    });
    const none = await fetch(`${sandbox.url}/restapi/oauth/token`, {
      method: 'POST',
      body: form,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(await errorOf(none)).toMatchObject({ status: 401, body: { error: 'invalid_client', errors: [{ errorCode: 'OAU-123' }] } });
    const wrong = await postToken(sandbox, { clientId: demoApp.clientId, clientSecret: 'wrong' }, Object.fromEntries(form));
    expect(await errorOf(wrong)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('refuses a grant type the app may not use as RingCentral does: 400 unauthorized_client OAU-251', async () => {
    const response = await postToken(sandbox, demoApp, { grant_type: 'password', username: '101', password: 'x' });
    expect(await errorOf(response)).toMatchObject({
      status: 400,
      body: { error: 'unauthorized_client', error_description: 'Unauthorized for this grant type', errors: [{ errorCode: 'OAU-251' }] },
    });
  });
});

describe('token: refresh', () => {
  it('rotates the pair, and the old access token dies at once (401 OAU-213)', async () => {
    const first = await loginAs(sandbox, '101');
    const response = await refreshTokens(sandbox, first.refresh_token);
    expect(response.status).toBe(200);
    const second = (await response.json()) as TokenResponse;
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.owner_id).toBe(first.owner_id);
    const old = await api(sandbox, first.access_token, account);
    expect(old.status).toBe(401);
    expect(((await old.json()) as { errors: { errorCode: string }[] }).errors[0]?.errorCode).toBe('OAU-213');
    expect((await api(sandbox, second.access_token, account)).status).toBe(200);
  });

  it('a refresh token cannot be used twice: within the grace window the same new pair comes back, after it invalid_grant', async () => {
    const grace = await startTestSandbox({ refreshGraceSeconds: 0.3 });
    try {
      const first = await loginAs(grace, '101');
      const second = (await (await refreshTokens(grace, first.refresh_token)).json()) as TokenResponse;
      const repeated = await refreshTokens(grace, first.refresh_token);
      expect(repeated.status).toBe(200);
      const again = (await repeated.json()) as TokenResponse;
      expect(again.access_token).toBe(second.access_token);
      expect(again.refresh_token).toBe(second.refresh_token);
      await sleep(400);
      const late = await errorOf(await refreshTokens(grace, first.refresh_token));
      expect(late).toMatchObject({ status: 400, body: { error: 'invalid_grant', errors: [{ errorCode: 'OAU-213' }] } });
      // The rotated pair is unharmed.
      expect((await api(grace, second.access_token, account)).status).toBe(200);
    } finally {
      await grace.close();
    }
  });

  it('with the grace window set to 0, a second use fails with invalid_grant at once', async () => {
    await control(sandbox).config({ refreshGraceSeconds: 0 });
    try {
      const first = await loginAs(sandbox, '103');
      expect((await refreshTokens(sandbox, first.refresh_token)).status).toBe(200);
      const second = await errorOf(await refreshTokens(sandbox, first.refresh_token));
      expect(second).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    } finally {
      await control(sandbox).config({ refreshGraceSeconds: 10 });
    }
  });

  it('after a second rotation, the grace answer is gone even inside the window', async () => {
    const first = await loginAs(sandbox, '103');
    const second = (await (await refreshTokens(sandbox, first.refresh_token)).json()) as TokenResponse;
    expect((await refreshTokens(sandbox, second.refresh_token)).status).toBe(200);
    expect((await errorOf(await refreshTokens(sandbox, first.refresh_token))).status).toBe(400);
  });

  it('an expired refresh token fails with invalid_grant OAU-210', async () => {
    const short = await startTestSandbox({ refreshTtlSeconds: 0.2 });
    try {
      const tokens = await loginAs(short, '101');
      await sleep(300);
      expect(await errorOf(await refreshTokens(short, tokens.refresh_token))).toMatchObject({
        status: 400,
        body: { error: 'invalid_grant', errors: [{ errorCode: 'OAU-210' }] },
      });
    } finally {
      await short.close();
    }
  });

  it('a refresh token belongs to its app', async () => {
    const tokens = await loginAs(sandbox, '101');
    const response = await postToken(
      sandbox,
      { clientId: 'switchboard-noperm', clientSecret: 'switchboard-noperm-secret' },
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
    );
    expect((await errorOf(response)).body.error).toBe('invalid_grant');
  });
});

describe('token lifetimes and revocation', () => {
  it('an expired access token answers 401 OAU-128, and a refresh brings it back', async () => {
    const short = await startTestSandbox({ accessTtlSeconds: 0.2 });
    try {
      const tokens = await loginAs(short, '103');
      expect(tokens.expires_in).toBe(0);
      await sleep(250);
      const expired = await api(short, tokens.access_token, account);
      expect(expired.status).toBe(401);
      expect(((await expired.json()) as { errors: { errorCode: string }[] }).errors[0]?.errorCode).toBe('OAU-128');
      const renewed = (await (await refreshTokens(short, tokens.refresh_token)).json()) as TokenResponse;
      expect((await api(short, renewed.access_token, account)).status).toBe(200);
    } finally {
      await short.close();
    }
  });

  it("the control API expires one user's access tokens now, keeping refresh tokens valid", async () => {
    const emma = await loginAs(sandbox, '103');
    const john = await loginAs(sandbox, '101');
    await control(sandbox).expireAccessTokens('435069008');
    expect((await api(sandbox, emma.access_token, account)).status).toBe(401);
    expect((await api(sandbox, john.access_token, account)).status).toBe(200);
    expect((await refreshTokens(sandbox, emma.refresh_token)).status).toBe(200);
  });

  it('revoking a token ends the whole session: access and refresh tokens', async () => {
    const tokens = await loginAs(sandbox, '101');
    const response = await fetch(`${sandbox.url}/restapi/oauth/revoke`, {
      method: 'POST',
      headers: { Authorization: basicAuth(demoApp), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.access_token }).toString(),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect((await api(sandbox, tokens.access_token, account)).status).toBe(401);
    expect((await refreshTokens(sandbox, tokens.refresh_token)).status).toBe(400);
  });

  it('revoke-sessions ends every session of a user, as a password change would', async () => {
    const a = await loginAs(sandbox, '102');
    const b = await loginAs(sandbox, '102');
    await control(sandbox).revokeSessions('435068008');
    for (const tokens of [a, b]) {
      expect((await api(sandbox, tokens.access_token, account)).status).toBe(401);
      expect((await refreshTokens(sandbox, tokens.refresh_token)).status).toBe(400);
    }
  });

  it('at most five sessions per user and app: the oldest ends', async () => {
    const sessions: TokenResponse[] = [];
    for (let i = 0; i < 6; i += 1) sessions.push(await loginAs(sandbox, '104'));
    expect((await api(sandbox, sessions[0]?.access_token ?? '', account)).status).toBe(401);
    for (const tokens of sessions.slice(1)) expect((await api(sandbox, tokens.access_token, account)).status).toBe(200);
    // The limit is per user: someone else signing in ends none of these.
    await loginAs(sandbox, '105');
    for (const tokens of sessions.slice(1)) expect((await api(sandbox, tokens.access_token, account)).status).toBe(200);
  });

  it('no header → 401 AGW-401; garbage token → 401 OAU-149', async () => {
    const none = await errorOf(await fetch(`${sandbox.url}${account}`));
    expect(none).toMatchObject({ status: 401, body: { errorCode: 'AGW-401' } });
    const garbage = await errorOf(await api(sandbox, 'not-a-token', account));
    expect(garbage).toMatchObject({ status: 401, body: { errorCode: 'TokenInvalid', errors: [{ errorCode: 'OAU-149' }] } });
  });
});

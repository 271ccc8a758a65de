import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.ts';
import { api, control, loginAs, refreshTokens, startTestSandbox } from '../support/sandbox.ts';

const account = '/restapi/v1.0/account/~';
const extension = '/restapi/v1.0/account/~/extension/~';

let sandbox: Sandbox;
let john: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  john = (await loginAs(sandbox, '101')).access_token;
});
afterAll(() => sandbox.close());

/** A raw GET that reports what arrived, even when the connection is cut. */
function rawGet(path: string, token: string, timeoutMs = 2000): Promise<{ status?: number; body: string; error?: string }> {
  return new Promise((resolve) => {
    let status: number | undefined;
    let body = '';
    const req = httpRequest(`${sandbox.url}${path}`, { headers: { Authorization: `Bearer ${token}` }, timeout: timeoutMs }, (res) => {
      status = res.statusCode;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ ...(status === undefined ? {} : { status }), body }));
      res.on('error', (error) => resolve({ ...(status === undefined ? {} : { status }), body, error: error.message }));
      res.on('aborted', () => resolve({ ...(status === undefined ? {} : { status }), body, error: 'aborted' }));
    });
    req.on('timeout', () => {
      req.destroy(new Error('client timeout'));
    });
    req.on('error', (error) => resolve({ ...(status === undefined ? {} : { status }), body, error: error.message }));
    req.end();
  });
}

describe('injected faults', () => {
  it('"500" and "503" answer RingCentral error bodies for the next N matching requests, then stop', async () => {
    await control(sandbox).faults({ kind: '503', count: 2, operation: 'readAccountInfo' });
    // Other operations are not affected.
    expect((await api(sandbox, john, extension)).status).toBe(200);
    for (let i = 0; i < 2; i += 1) {
      const response = await api(sandbox, john, account);
      expect(response.status).toBe(503);
      expect(((await response.json()) as { errors: { errorCode: string }[] }).errors[0]?.errorCode).toBe('CMN-201');
    }
    expect((await api(sandbox, john, account)).status).toBe(200);

    await control(sandbox).faults({ kind: '500' });
    const failed = await api(sandbox, john, extension);
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as { errorCode: string }).errorCode).toBe('CMN-203');
  });

  it('"hang" never answers, so the client times out', async () => {
    await control(sandbox).faults({ kind: 'hang', operation: 'readExtension' });
    const started = Date.now();
    const result = await rawGet(extension, john, 300);
    expect(result.status).toBeUndefined();
    expect(result.error).toBe('client timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect((await api(sandbox, john, extension)).status).toBe(200);
  });

  it('"malformed" answers 200 with a body that is not JSON', async () => {
    await control(sandbox).faults({ kind: 'malformed' });
    const response = await api(sandbox, john, extension);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    await expect(response.json()).rejects.toThrow();
  });

  it('"truncated" sends 200 and half a JSON body, then cuts the connection', async () => {
    const whole = await (await api(sandbox, john, extension)).text();
    await control(sandbox).faults({ kind: 'truncated' });
    const result = await rawGet(extension, john);
    expect(result.status).toBe(200);
    expect(result.error).toBeDefined();
    expect(result.body.length).toBeGreaterThan(0);
    expect(result.body.length).toBeLessThan(whole.length);
    expect(whole.startsWith(result.body)).toBe(true);
  });

  it('"reset" destroys the socket before any answer', async () => {
    await control(sandbox).faults({ kind: 'reset' });
    const result = await rawGet(extension, john);
    expect(result.status).toBeUndefined();
    expect(result.error).toMatch(/socket hang up|ECONNRESET/);
  });

  it('"forbidden" answers 403 CMN-408 naming the operation\'s user permission, once', async () => {
    await control(sandbox).faults({ kind: 'forbidden', operation: 'readAccountInfo' });
    const refused = await api(sandbox, john, account);
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { errorCode: string; errors: { errorCode: string; permissionName: string }[] };
    expect(body.errorCode).toBe('InsufficientPermissions');
    expect(body.errors[0]).toMatchObject({ errorCode: 'CMN-408', permissionName: 'ReadCompanyInfo' });
    expect((await api(sandbox, john, account)).status).toBe(200);
  });

  it('"revoked" answers 401 OAU-213 and really ends the caller\'s session', async () => {
    const emma = await loginAs(sandbox, '103');
    await control(sandbox).faults({ kind: 'revoked' });
    const response = await api(sandbox, emma.access_token, account);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { errors: { errorCode: string }[] }).errors[0]?.errorCode).toBe('OAU-213');
    expect((await api(sandbox, emma.access_token, account)).status).toBe(401);
    expect((await refreshTokens(sandbox, emma.refresh_token)).status).toBe(400);
  });

  it('faults can target the token endpoint', async () => {
    const tokens = await loginAs(sandbox, '104');
    await control(sandbox).faults({ kind: '503', operation: 'getToken' });
    expect((await refreshTokens(sandbox, tokens.refresh_token)).status).toBe(503);
    expect((await refreshTokens(sandbox, tokens.refresh_token)).status).toBe(200);
  });

  it('a failure rate of 1 fails every request with 503; 0 none', async () => {
    await control(sandbox).config({ failureRate: 1 });
    expect((await api(sandbox, john, account)).status).toBe(503);
    await control(sandbox).config({ failureRate: 0 });
    expect((await api(sandbox, john, account)).status).toBe(200);
  });

  it('added latency delays every answer', async () => {
    await control(sandbox).config({ latencyMs: 150 });
    try {
      const started = Date.now();
      expect((await api(sandbox, john, account)).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      await control(sandbox).config({ latencyMs: 0 });
    }
  });
});

describe('request counts', () => {
  it('counts requests per operation and per user, token requests per grant, and 429s', async () => {
    const ctl = control(sandbox);
    const emma = await loginAs(sandbox, '103');
    await ctl.resetStats();
    await api(sandbox, john, account);
    await api(sandbox, john, extension);
    await api(sandbox, emma.access_token, extension);
    await api(sandbox, emma.access_token, '/restapi/v1.0/account/~/directory/entries/search', { body: { searchString: 'smith' } });
    await refreshTokens(sandbox, emma.refresh_token);
    const stats = await ctl.stats();
    expect(stats.total).toBe(5);
    expect(stats.byOperation).toEqual({ readAccountInfo: 1, readExtension: 2, searchDirectoryEntries: 1, getToken: 1 });
    expect(stats.byUser['401145624008']).toEqual({ readAccountInfo: 1, readExtension: 1 });
    expect(stats.byUser['435069008']).toEqual({ readExtension: 1, searchDirectoryEntries: 1, getToken: 1 });
    expect(stats.tokenRequests).toEqual({ authorization_code: 0, refresh_token: 1 });
    expect(stats.rateLimited).toBe(0);
  });

  it('control requests are not counted and unknown control routes answer 404', async () => {
    const ctl = control(sandbox);
    await ctl.resetStats();
    await ctl.stats();
    expect((await ctl.stats()).total).toBe(0);
    expect((await fetch(`${sandbox.url}/__sandbox/nothing`)).status).toBe(404);
    await expect(ctl.faults({ kind: 'explode' as never })).rejects.toThrow(/400/);
  });
});

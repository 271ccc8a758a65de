import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter, resolveRateLimits } from '../../src/sandbox/limits.ts';
import type { Sandbox } from '../../src/sandbox/server.ts';
import { api, control, loginAs, startTestSandbox } from '../support/sandbox.ts';

const account = '/restapi/v1.0/account/~';

describe('rate limits over HTTP', () => {
  let sandbox: Sandbox;
  let john: string;
  let emma: string;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ rateLimits: 'off' });
    john = (await loginAs(sandbox, '101')).access_token;
    emma = (await loginAs(sandbox, '103')).access_token;
    await control(sandbox).config({ rateLimits: { limits: { Light: 3, Heavy: 2 }, penaltySeconds: 2 } });
  });
  afterAll(() => sandbox.close());

  it('every response carries X-Rate-Limit-Group/-Limit/-Remaining/-Window counting down', async () => {
    await control(sandbox).config({ rateLimits: { limits: { Light: 3, Heavy: 2 }, penaltySeconds: 2 } });
    const first = await api(sandbox, john, account);
    expect(first.headers.get('x-rate-limit-group')).toBe('Light');
    expect(first.headers.get('x-rate-limit-limit')).toBe('3');
    expect(first.headers.get('x-rate-limit-remaining')).toBe('2');
    expect(first.headers.get('x-rate-limit-window')).toBe('60');
    expect(first.headers.get('rcrequestid')).toMatch(/^[0-9a-f-]{36}$/);
    const second = await api(sandbox, john, account);
    expect(second.headers.get('x-rate-limit-remaining')).toBe('1');
    const heavy = await api(sandbox, john, `${account}/phone-number`);
    expect(heavy.headers.get('x-rate-limit-group')).toBe('Heavy');
    expect(heavy.headers.get('x-rate-limit-remaining')).toBe('1');
  });

  it('exceeding a group limit answers 429 CMN-301 with Retry-After, per user: others are not affected', async () => {
    const johnExtensionId = ((await (await api(sandbox, john, `${account}/extension/~`)).json()) as { id: number }).id;
    await control(sandbox).config({ rateLimits: { limits: { Light: 3, Heavy: 2 }, penaltySeconds: 2 } });
    await control(sandbox).resetStats();
    for (let i = 0; i < 3; i += 1) expect((await api(sandbox, john, account)).status).toBe(200);
    const limited = await api(sandbox, john, account);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(limited.headers.get('x-rate-limit-group')).toBe('Light');
    expect(await limited.json()).toEqual({
      errorCode: 'CMN-301',
      message: 'Request rate exceeded',
      errors: [{ errorCode: 'CMN-301', message: 'Request rate exceeded' }],
    });
    // Groups are counted separately, and so are users.
    expect((await api(sandbox, john, `${account}/extension`)).status).toBe(200);
    expect((await api(sandbox, emma, account)).status).toBe(200);
    const stats = await control(sandbox).stats();
    expect(stats.rateLimited).toBe(1);
    // Counted per user too: a benchmark can run several people's bursts at once and tell their 429s apart.
    expect(stats.rateLimitedByUser).toEqual({ [String(johnExtensionId)]: 1 });
  });

  it('a token request counts in the Auth group of the user it is for', async () => {
    await control(sandbox).config({ rateLimits: { limits: { Auth: 2 } } });
    await loginAs(sandbox, '104'); // authorize + token = 2 Auth requests for ext. 104
    await expect(loginAs(sandbox, '104')).rejects.toThrow(/429/);
    await expect(loginAs(sandbox, '105')).resolves.toMatchObject({ token_type: 'bearer' });
  });

  it('limits can be switched off (headers stay) or scaled', async () => {
    await control(sandbox).config({ rateLimits: 'off' });
    for (let i = 0; i < 12; i += 1) expect((await api(sandbox, john, `${account}/phone-number`)).status).toBe(200);
    const off = await api(sandbox, john, account);
    expect(off.headers.get('x-rate-limit-limit')).toBe('50');

    await control(sandbox).config({ rateLimits: { scale: 0.2 } });
    const scaled = await api(sandbox, john, `${account}/phone-number`);
    expect(scaled.headers.get('x-rate-limit-limit')).toBe('2');
    await control(sandbox).config({ rateLimits: 'default' });
    expect((await api(sandbox, john, account)).headers.get('x-rate-limit-limit')).toBe('50');
  });
});

describe('rate limiter (sliding window and penalty)', () => {
  function limiterAt(settings = resolveRateLimits({ limits: { Light: 2 }, windowSeconds: 60, penaltySeconds: 60 })) {
    let now = 1_000_000;
    const limiter = new RateLimiter(
      () => settings,
      () => now,
    );
    return { limiter, advance: (seconds: number) => (now += seconds * 1000) };
  }

  it('counts over a sliding window: a hit frees its slot one window later', () => {
    const { limiter, advance } = limiterAt();
    expect(limiter.take('u', 'Light').allowed).toBe(true);
    advance(30);
    expect(limiter.take('u', 'Light').allowed).toBe(true);
    advance(31); // the first hit has left the window
    expect(limiter.take('u', 'Light').allowed).toBe(true);
    expect(limiter.take('u', 'Light').allowed).toBe(false);
  });

  it('the penalty lasts its interval and each request during it resets the interval', () => {
    const { limiter, advance } = limiterAt();
    limiter.take('u', 'Light');
    limiter.take('u', 'Light');
    expect(limiter.take('u', 'Light')).toMatchObject({ allowed: false, retryAfterSeconds: 60 });
    advance(59);
    expect(limiter.take('u', 'Light').allowed).toBe(false); // resets the penalty to 60 s from now
    advance(59);
    expect(limiter.take('u', 'Light').allowed).toBe(false);
    advance(61);
    expect(limiter.take('u', 'Light').allowed).toBe(true);
  });

  it("RingCentral's defaults: Light 50, Medium 40, Heavy 10, Auth 5 per 60 s, penalty 60 s", () => {
    expect(resolveRateLimits('default')).toEqual({
      enabled: true,
      limits: { Light: 50, Medium: 40, Heavy: 10, Auth: 5 },
      windowSeconds: 60,
      penaltySeconds: 60,
    });
    expect(resolveRateLimits({ scale: 10 }).limits).toEqual({ Light: 500, Medium: 400, Heavy: 100, Auth: 50 });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromResponse, NeedsLink, NotFound, NotPermitted, RateLimited, BadRequest, Unavailable } from '../../src/api/errors.ts';
import { redactSecrets } from '../../src/api/redact.ts';

// Bodies as RingCentral sends them (reference facts §2).
const insufficientPermissions = {
  errorCode: 'InsufficientPermissions',
  message: 'In order to call this API endpoint, user needs to have [ReadCompanyPhoneNumbers] permission for requested resource.',
  errors: [
    {
      errorCode: 'CMN-408',
      message: 'In order to call this API endpoint, user needs to have [ReadCompanyPhoneNumbers] permission for requested resource.',
      permissionName: 'ReadCompanyPhoneNumbers',
    },
  ],
  permissionName: 'ReadCompanyPhoneNumbers',
};

describe('fromResponse', () => {
  it('prefers errors[0].errorCode over the legacy top-level code and keeps the legacy one aside', () => {
    const error = fromResponse(403, JSON.stringify(insufficientPermissions), { rcrequestid: 'req-1' });
    expect(error).toBeInstanceOf(NotPermitted);
    expect(error.kind).toBe('not-permitted');
    expect(error.errorCode).toBe('CMN-408');
    expect(error.legacyErrorCode).toBe('InsufficientPermissions');
    expect(error.requestId).toBe('req-1');
    expect(error.status).toBe(403);
  });

  it('maps each status to its kind', () => {
    const body = (code: string) => ({ errorCode: code, message: 'm', errors: [{ errorCode: code, message: 'm' }] });
    expect(fromResponse(401, body('OAU-213'), {})).toBeInstanceOf(NeedsLink);
    expect(fromResponse(404, body('CMN-102'), {})).toBeInstanceOf(NotFound);
    expect(fromResponse(400, body('CMN-101'), {})).toBeInstanceOf(BadRequest);
    expect(fromResponse(503, body('CMN-201'), {})).toBeInstanceOf(Unavailable);
    expect(fromResponse(500, body('CMN-203'), {})).toBeInstanceOf(Unavailable);
    const limited = fromResponse(429, body('CMN-301'), { 'retry-after': '7' });
    expect(limited).toBeInstanceOf(RateLimited);
    expect((limited as RateLimited).retryAfterSeconds).toBe(7);
    // Reference facts §429 handling: with no Retry-After, retry after 30 s or later.
    expect((fromResponse(429, body('CMN-301'), {}) as RateLimited).retryAfterSeconds).toBeGreaterThanOrEqual(30);
    // A 408 (request timeout) is RingCentral or a proxy giving up, not our request being wrong.
    expect(fromResponse(408, body('CMN-201'), {})).toBeInstanceOf(Unavailable);
  });

  it('a 400 from the token endpoint means the user must link again; a 401 there is our client, not the user', () => {
    const invalidGrant = {
      error: 'invalid_grant',
      error_description: 'Token not found',
      errors: [{ errorCode: 'OAU-213', message: 'Token not found' }],
    };
    const grant = fromResponse(400, invalidGrant, {}, { endpoint: 'token' });
    expect(grant).toBeInstanceOf(NeedsLink);
    expect(grant.errorCode).toBe('OAU-213');
    const client = fromResponse(
      401,
      { error: 'invalid_client', error_description: 'Client authentication is required' },
      {},
      { endpoint: 'token' },
    );
    expect(client).toBeInstanceOf(BadRequest);
    expect(client.errorCode).toBe('invalid_client');
  });

  it("a 403 from the token endpoint (RingCentral's refused code or login: OAU-105, OAU-106, OAU-108 …) means link again", () => {
    for (const [errorCode, message] of [
      ['OAU-106', 'Invalid authorization code'],
      ['OAU-108', 'Authorization code is expired'],
      ['OAU-105', 'Login for FaxUser extension is not allowed.'],
    ]) {
      const body = { error: 'invalid_grant', error_description: message, errors: [{ errorCode, message }] };
      const error = fromResponse(403, body, {}, { endpoint: 'token' });
      expect(error).toBeInstanceOf(NeedsLink);
      expect(error.errorCode).toBe(errorCode);
    }
    // On the REST API a 403 stays a refusal of one request, not of the link.
    expect(fromResponse(403, insufficientPermissions, {})).toBeInstanceOf(NotPermitted);
  });

  it('a body that is not JSON still yields a typed error with the status', () => {
    const error = fromResponse(502, '<html>Bad Gateway</html>', {});
    expect(error).toBeInstanceOf(Unavailable);
    expect(error.message).toContain('HTTP 502');
  });

  it('never repeats a secret RingCentral echoes back, in the message or the JSON form', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{20,60}$/), (token) => {
        const echoed = { errorCode: 'OAU-123', message: `Invalid Authorization header value: Bearer ${token}`, errors: [] };
        const error = fromResponse(401, echoed, {}, { endpoint: 'rest', secrets: [token] });
        expect(error.message).not.toContain(token);
        expect(JSON.stringify(error)).not.toContain(token);
      }),
    );
  });
});

describe('redactSecrets', () => {
  it('removes credential-shaped fragments even when the secret is not known', () => {
    const text = 'refresh_token=SBXRabcdefgh123 and "access_token":"SBXAxyz987654321" and Bearer SBXAqqqqqqqq';
    const clean = redactSecrets(text);
    expect(clean).not.toMatch(/SBX[AR]/);
  });

  it('removes a known secret wherever it stands, even in no credential shape; short values are left alone', () => {
    const token = 'SBXA-known-token-0123456789';
    expect(redactSecrets(`token ${token} is not valid (${token})`, [token])).toBe('token [redacted] is not valid ([redacted])');
    expect(redactSecrets('code abc is wrong', ['abc'])).toBe('code abc is wrong');
  });
});

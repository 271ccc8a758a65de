import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging.ts';

/*
 * The logger's safety net on its own: what reaches the output when a credential slips into a log object or into the
 * text a library logs. (log-redaction.test.ts checks that a whole working session logs no secret in the first place.)
 */

function capture(): { logger: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[]; raw: () => string } {
  const written: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    logger: createLogger('debug', sink),
    raw: () => written.join(''),
    // Each line must stay valid JSON after redaction.
    lines: () =>
      written
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const AUTH_CODE = 'U0pDMTFQMDFQQVMwMHxBQUFYWl9zNEx0Z0hXRkFtM3JjcWhVc0x2T2ZzbHVyZkhB';
const ACCESS_TOKEN = 'U0pDMTFQMDFQQVMwMHxBQUJfaW5EV0hsVm9oTjA4eE1zVHlJX1l5bVpmRGxs';
const RESPONSE_URL = 'https://hooks.slack.com/commands/T0001/5823759823/Kx3nd8VbQ2pLr7Ys';

describe('the logger', () => {
  it('censors credentials by field name, at the top level and one level down', () => {
    const { logger, lines, raw } = capture();
    logger.info(
      {
        userKey: 'slack:T0001:U0101',
        accessToken: ACCESS_TOKEN,
        token: 'verification-token-123',
        state: 'AAAAAAAAAAAAAAAAAAAAAAAA.lx3k2m0.signature',
        response_url: RESPONSE_URL,
        tokens: { refresh_token: 'refresh-123456789', clientSecret: 'client-secret-123' },
        slack: { signingSecret: 'signing-secret-123', botToken: 'bot-token-123' },
        req: { headers: { authorization: 'Bearer abc', 'x-slack-signature': 'v0=abc' } },
      },
      'linked',
    );
    const [line] = lines();
    expect(line).toMatchObject({
      userKey: 'slack:T0001:U0101',
      accessToken: '[redacted]',
      token: '[redacted]',
      state: '[redacted]',
      response_url: '[redacted]',
      tokens: { refresh_token: '[redacted]', clientSecret: '[redacted]' },
      slack: { signingSecret: '[redacted]', botToken: '[redacted]' },
      req: { headers: { authorization: '[redacted]', 'x-slack-signature': '[redacted]' } },
    });
    for (const secret of [ACCESS_TOKEN, 'verification-token-123', 'signing-secret-123', 'client-secret-123', 'Kx3nd8VbQ2pLr7Ys']) {
      expect(raw()).not.toContain(secret);
    }
  });

  it('censors an authorization code but keeps a network error code, which an operator needs', () => {
    const { logger, lines } = capture();
    logger.info({ code: AUTH_CODE }, 'callback');
    logger.warn({ operation: 'listExtensions', attempt: 1, code: 'ECONNRESET', delayMs: 200 }, 'RingCentral request failed; retrying');
    logger.warn(
      { operation: 'listExtensions', attempt: 2, code: 'UND_ERR_CONNECT_TIMEOUT', delayMs: 400 },
      'RingCentral request failed; retrying',
    );
    expect(lines().map((line) => line.code)).toEqual(['[redacted]', 'ECONNRESET', 'UND_ERR_CONNECT_TIMEOUT']);
  });

  it('censors a Socket Mode envelope that Slack’s client logs as text at debug level', () => {
    const { logger, lines, raw } = capture();
    // As @slack/socket-mode writes it: the raw frame, with Slack's escaped slashes, inside a string.
    const frame = JSON.stringify({
      envelope_id: 'e1b2c3',
      payload: { token: 'gIkuvaNzQIHg97ATvDxqgjtO', command: '/ext', text: '101', response_url: RESPONSE_URL },
      type: 'slash_commands',
    }).replaceAll('/', '\\/');
    logger.debug({ source: 'bolt', detail: `Received a message on the WebSocket: ${frame}` }, 'bolt');
    expect(raw()).not.toContain('gIkuvaNzQIHg97ATvDxqgjtO');
    expect(raw()).not.toContain('Kx3nd8VbQ2pLr7Ys');
    expect(raw()).not.toContain('5823759823');
    const detail = String(lines()[0]?.detail);
    expect(detail).toContain('"envelope_id":"e1b2c3"');
    expect(detail).toContain('"command":"\\/ext"');
    expect(detail).toContain('"token":"[redacted]"');
    expect(detail).toContain('"response_url":"[redacted]"');
  });

  it('censors credentials that look like one inside any text', () => {
    const { logger, raw } = capture();
    logger.debug(
      { detail: 'http request headers: {"Authorization":"Bearer xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"}' },
      'bolt',
    );
    logger.debug(
      { detail: 'http request result: {"ok":true,"url":"wss://wss-primary.slack.com/link/?ticket=5f3e2d1c-aaaa-bbbb&app_id=A0123"}' },
      'bolt',
    );
    logger.warn({ detail: 'app token xapp-1-A0123-456789-deadbeefcafe in use' }, 'bolt');
    logger.warn({}, `Unhandled HTTP request (GET) made to /oauth/ringcentral/callback?code=${AUTH_CODE}&state=abc.def.ghi`);
    logger.warn({}, `could not post to ${RESPONSE_URL}: 404`);
    logger.warn({ detail: `Authorization: Basic ${Buffer.from('client-id:client-secret-xyz').toString('base64')}` }, 'token');
    const output = raw();
    for (const secret of [
      'AbCdEfGhIjKlMnOpQrStUvWx',
      '1234567890',
      '5f3e2d1c',
      'deadbeefcafe',
      AUTH_CODE,
      'abc.def.ghi',
      'Kx3nd8VbQ2pLr7Ys',
    ]) {
      expect(output, secret).not.toContain(secret);
    }
    expect(output).not.toMatch(/Basic\s+[A-Za-z0-9+/=]{8}/);
    expect(output).toContain('app_id=A0123');
    expect(output).toContain('hooks.slack.com/[redacted]: 404');
  });

  it('leaves ordinary fields and messages alone', () => {
    const { logger, lines } = capture();
    logger.info({ operation: 'readDirectoryEntry', status: 200, requestId: 'a1b2c3', durationMs: 42 }, 'RingCentral request');
    expect(lines()[0]).toMatchObject({
      operation: 'readDirectoryEntry',
      status: 200,
      requestId: 'a1b2c3',
      durationMs: 42,
      msg: 'RingCentral request',
    });
  });
});

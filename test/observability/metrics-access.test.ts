import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import type { SlackTestStack } from '../support/slack-stack.ts';
import { startSlackTestStack } from '../support/slack-stack.ts';

/*
 * /metrics can be kept from whoever reaches the bot: METRICS_TOKEN makes it require `Authorization: Bearer <token>`,
 * METRICS_PORT serves it on a port of its own (and no longer on PORT). Both through the real bot over HTTP.
 */

const TOKEN = 'b1f0c3d2e5a4978685746352413021fedcba98765';

async function get(url: string, authorization?: string) {
  const response = await request(url, { method: 'GET', headers: authorization === undefined ? {} : { authorization } });
  return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
}

const stacks: SlackTestStack[] = [];
afterEach(async () => {
  for (const stack of stacks.splice(0)) await stack.close();
});

async function bot(env: Record<string, string>): Promise<SlackTestStack> {
  const stack = await startSlackTestStack({ env });
  stacks.push(stack);
  return stack;
}

describe('METRICS_TOKEN', () => {
  it('refuses a scrape without the right bearer token (401), serves one with it', async () => {
    const stack = await bot({ METRICS_TOKEN: TOKEN });
    const metrics = `${stack.bot.url}/metrics`;
    for (const authorization of [
      undefined,
      'Bearer',
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Bearer ${TOKEN}x`,
      `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`,
      TOKEN,
    ]) {
      const refused = await get(metrics, authorization);
      expect(refused.status, String(authorization)).toBe(401);
      expect(refused.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(refused.body).not.toContain('switchboard_');
    }
    for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`]) {
      const served = await get(metrics, authorization);
      expect(served.status).toBe(200);
      expect(served.body).toContain('# TYPE switchboard_commands_total counter');
    }
    // Probes stay open: a kubelet sends no token.
    expect((await get(`${stack.bot.url}/healthz`)).status).toBe(200);
  });

  it('without it, /metrics is open as before', async () => {
    const stack = await bot({});
    expect(stack.bot.metricsUrl).toBe(stack.bot.url);
    expect((await get(`${stack.bot.url}/metrics`)).status).toBe(200);
  });
});

describe('METRICS_PORT', () => {
  it('serves /metrics there only, and nothing else there', async () => {
    const stack = await bot({ METRICS_PORT: '0' });
    expect(stack.bot.metricsUrl).not.toBe(stack.bot.url);
    expect((await get(`${stack.bot.url}/metrics`)).status).toBe(404);
    const served = await get(`${stack.bot.metricsUrl}/metrics`);
    expect(served.status).toBe(200);
    expect(served.body).toContain('# TYPE switchboard_commands_total counter');
    for (const path of ['/healthz', '/readyz', '/api/messages', '/oauth/ringcentral/callback']) {
      expect((await get(`${stack.bot.metricsUrl}${path}`)).status, path).toBe(404);
    }
    expect((await get(`${stack.bot.url}/healthz`)).status).toBe(200);
  });

  it('with METRICS_TOKEN too, the separate port asks for the token', async () => {
    const stack = await bot({ METRICS_PORT: '0', METRICS_TOKEN: TOKEN });
    expect((await get(`${stack.bot.metricsUrl}/metrics`)).status).toBe(401);
    expect((await get(`${stack.bot.metricsUrl}/metrics`, `Bearer ${TOKEN}`)).status).toBe(200);
  });

  it('a METRICS_PORT in use stops start-up with one line naming it', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as AddressInfo).port;
    try {
      const starting = startSlackTestStack({ env: { METRICS_PORT: String(port) } });
      await expect(starting).rejects.toThrow(ConfigError);
      await expect(starting).rejects.toThrow(`Cannot listen: METRICS_PORT ${port} is already in use on 127.0.0.1`);
    } finally {
      taken.close();
    }
  });
});

describe('the settings', () => {
  it('refuse a METRICS_PORT equal to PORT, and a short or header-unsafe METRICS_TOKEN, naming the setting', () => {
    expect(() => loadConfig({ PORT: '3000', METRICS_PORT: '3000' })).toThrow('Invalid setting METRICS_PORT: must differ from PORT');
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow('Invalid setting METRICS_PORT');
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow('Invalid setting METRICS_TOKEN');
    expect(() => loadConfig({ METRICS_TOKEN: 'sixteen chars with spaces' })).toThrow('Invalid setting METRICS_TOKEN');
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_TOKEN: TOKEN })).toMatchObject({ METRICS_PORT: 9464, METRICS_TOKEN: TOKEN });
    const defaults = loadConfig({});
    expect([defaults.METRICS_PORT, defaults.METRICS_TOKEN]).toEqual([undefined, undefined]);
  });
});

import { request } from 'undici';
import type { RuntimeConfigPatch } from '../src/sandbox/control.ts';
import type { StatsSnapshot } from '../src/sandbox/stats.ts';

/** The sandbox's control API (/__sandbox): the benchmark counts calls with it and switches latency and limits. */
export interface SandboxControl {
  stats(): Promise<StatsSnapshot>;
  resetStats(): Promise<void>;
  configure(patch: RuntimeConfigPatch): Promise<void>;
}

export function sandboxControl(sandboxUrl: string): SandboxControl {
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
    const response = await request(`${sandboxUrl}/__sandbox${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new Error(`sandbox control ${method} ${path} answered ${response.statusCode}: ${text}`);
    return text === '' ? undefined : JSON.parse(text);
  };
  return {
    stats: async () => (await call('GET', '/stats')) as StatsSnapshot,
    resetStats: async () => void (await call('POST', '/stats/reset')),
    configure: async (patch) => void (await call('POST', '/config', patch)),
  };
}

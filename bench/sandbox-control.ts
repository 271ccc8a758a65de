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

export interface PersonCalls {
  total: number;
  byOperation: Record<string, number>;
  rateLimited: number;
}

/**
 * What one person's requests cost between two snapshots, counted by the sandbox under their extension id: people
 * asking at the same time (each with their own token and budget, as RingCentral counts them) are told apart.
 */
export function callsBetween(before: StatsSnapshot, after: StatsSnapshot, person: { extensionId: string }): PersonCalls {
  const earlier = before.byUser[person.extensionId] ?? {};
  const byOperation: Record<string, number> = {};
  for (const [operation, count] of Object.entries(after.byUser[person.extensionId] ?? {})) {
    const added = count - (earlier[operation] ?? 0);
    if (added > 0) byOperation[operation] = added;
  }
  return {
    total: Object.values(byOperation).reduce((sum, count) => sum + count, 0),
    byOperation,
    rateLimited: (after.rateLimitedByUser[person.extensionId] ?? 0) - (before.rateLimitedByUser[person.extensionId] ?? 0),
  };
}

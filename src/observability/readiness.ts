/** One dependency the bot needs to answer commands. `check` resolves when it is usable and rejects when not. */
export interface ReadinessCheck {
  /** Shown in /readyz: database, ringcentral, redis. */
  name: string;
  check(): Promise<void>;
  /** false: shown in /readyz, but the bot is ready without it (Redis: pacing falls back to per process). */
  required?: boolean;
}

export type CheckResult = 'ok' | 'failed' | 'timeout';

export interface Readiness {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

/**
 * Runs every check at once, each bounded by `timeoutMs`, so one hung dependency cannot hold the probe past its own
 * timeout. Results are words only: an error's message could name a host, a user or a connection string.
 */
export async function checkReadiness(checks: readonly ReadinessCheck[], timeoutMs = DEFAULT_CHECK_TIMEOUT_MS): Promise<Readiness> {
  const results = await Promise.all(checks.map(async (check) => [check.name, await runCheck(check, timeoutMs)] as const));
  const ready = results.every(([, result], index) => result === 'ok' || checks[index]?.required === false);
  return { ready, checks: Object.fromEntries(results) };
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const checked = Promise.resolve()
    .then(() => check.check())
    .then(
      (): CheckResult => 'ok',
      (): CheckResult => 'failed',
    );
  try {
    return await Promise.race([checked, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

import type { BurstSettings } from './scenarios/burst.ts';
import type { CardBurstSettings } from './scenarios/card-burst.ts';
import type { LatencySettings } from './scenarios/latency.ts';
import type { ThroughputSettings } from './scenarios/throughput.ts';

/** Everything a run's size depends on. `quick` is the same code with small numbers, for CI (under a minute). */
export interface BenchSettings {
  mode: 'full' | 'quick';
  /** The generated company the figures are measured on. */
  extensions: number;
  /** Added by the sandbox to every RingCentral call in measured phases (0 while setting up). */
  latencyMs: number;
  /** Concurrent sign-ins and warm-ups while setting up. */
  setupConcurrency: number;
  latency: LatencySettings;
  throughput: ThroughputSettings;
  burst: BurstSettings;
  /** One person's distinct cards under RingCentral's real windows: more than a minute's budget pays for. */
  cardBurst: CardBurstSettings;
  /**
   * The largest-account scenario's generated company (a directory larger than a minute's Medium budget in full runs),
   * and the distinct cards a standard user new to Switchboard asks for at once there.
   */
  large: { extensions: number; newcomerCards: number };
  memory: {
    linkedUsers: number;
    /** Large enough that `linkedUsers` people can sign in (only enabled users can; about 86 in 100 extensions). */
    companyExtensions: number;
    /** One user in this many also asks /myforwarding and /whois. */
    deepEvery: number;
  };
}

export const FULL: BenchSettings = {
  mode: 'full',
  extensions: 10_000,
  latencyMs: 80,
  setupConcurrency: 32,
  latency: {
    levels: [
      { concurrency: 1, sessions: 5, thinkMs: 0 },
      { concurrency: 20, sessions: 20, thinkMs: 500 },
      { concurrency: 100, sessions: 100, thinkMs: 500 },
    ],
    warmupSessions: 3,
    maxSecondsPerLevel: 60,
  },
  throughput: { users: 200, concurrency: 50, seconds: 8 },
  burst: { equivalentSeconds: 300, windowSeconds: 3, inFlight: 8 },
  cardBurst: { cards: 100, inFlight: 4 },
  large: { extensions: 100_000, newcomerCards: 100 },
  memory: { linkedUsers: 10_000, companyExtensions: 11_700, deepEvery: 10 },
};

export const QUICK: BenchSettings = {
  mode: 'quick',
  extensions: 1_000,
  latencyMs: 80,
  setupConcurrency: 32,
  latency: {
    levels: [
      { concurrency: 1, sessions: 2, thinkMs: 0 },
      // 40, not 100: the full run measures the target at 100; this keeps the quick run under a minute.
      { concurrency: 40, sessions: 40, thinkMs: 100 },
    ],
    // With 1, the 40-user level met a bot that had run 3 sessions, whose first connections and not yet optimised code
    // read as a high p99 ack; 10 (5 at once) bring most runs under the target, and the figure stays noisy
    // (docs/benchmarks.md). The full run's 100-user level follows 28 sessions.
    warmupSessions: 10,
    maxSecondsPerLevel: 15,
  },
  throughput: { users: 50, concurrency: 20, seconds: 2 },
  burst: { equivalentSeconds: 60, windowSeconds: 2, inFlight: 8 },
  // Still more than a minute's Light budget pays for (about 25 full cards).
  cardBurst: { cards: 40, inFlight: 4 },
  // 6 directory pages: more than a first lookup pages through in the foreground, so the background path runs.
  large: { extensions: 12_000, newcomerCards: 20 },
  memory: { linkedUsers: 100, companyExtensions: 1_000, deepEvery: 10 },
};

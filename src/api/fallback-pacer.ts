import type { Deadline } from './deadline.ts';
import type { PacerKey, PacingGrant, RateLimitObservation, RateLimitPacer } from './limits.ts';
import type { Logger } from '../observability/logger.ts';
import { PacingStoreUnavailable } from './redis-pacer.ts';

/** 'shared': every replica paces together through Redis. 'local': Redis is unavailable, each process paces alone. */
export type PacingMode = 'shared' | 'local';

export interface SharedPacer extends RateLimitPacer {
  /** Resolves when the shared store answers again. */
  ping(): Promise<void>;
}

export interface FallbackPacerOptions {
  shared: SharedPacer;
  local: RateLimitPacer;
  logger: Logger;
  /** 'local' when the shared store was unreachable at start. */
  initialMode?: PacingMode | undefined;
  /** While pacing locally, how often to ask the shared store whether it is back. */
  probeIntervalMs?: number | undefined;
}

/**
 * Shared pacing while Redis answers, per-process pacing the moment a Redis command fails or times out, and shared
 * again once a probe gets through: a Redis outage slows nobody's answers, it only loosens pacing across replicas.
 * Each switch is logged once. Every observation also reaches the local pacer, so after a switch it already knows the
 * server's counts, windows and penalties.
 */
export class FallbackPacer implements RateLimitPacer {
  readonly #shared: SharedPacer;
  readonly #local: RateLimitPacer;
  readonly #logger: Logger;
  readonly #probeIntervalMs: number;
  #mode: PacingMode;
  #probe: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: FallbackPacerOptions) {
    this.#shared = options.shared;
    this.#local = options.local;
    this.#logger = options.logger;
    this.#probeIntervalMs = options.probeIntervalMs ?? 1_000;
    this.#mode = options.initialMode ?? 'shared';
    if (this.#mode === 'local') this.#startProbing();
  }

  status(): PacingMode {
    return this.#mode;
  }

  async acquire(key: PacerKey, deadline: Deadline): Promise<PacingGrant> {
    if (this.#mode === 'shared') {
      try {
        return this.#sharedGrant(await this.#shared.acquire(key, deadline));
      } catch (error) {
        if (!(error instanceof PacingStoreUnavailable)) throw error;
        this.#toLocal(error);
      }
    }
    return this.#local.acquire(key, deadline);
  }

  async observe(key: PacerKey, observation: RateLimitObservation): Promise<void> {
    await this.#local.observe(key, observation);
    if (this.#mode !== 'shared') return;
    try {
      await this.#shared.observe(key, observation);
    } catch (error) {
      if (!(error instanceof PacingStoreUnavailable)) throw error;
      this.#toLocal(error);
    }
  }

  /**
   * A shared slot is given back in Redis; if Redis is gone by then, pacing goes local like after any failed command,
   * and the slot ages out of the shared window by itself.
   */
  #sharedGrant(grant: PacingGrant): PacingGrant {
    return {
      sending: () => grant.sending(),
      giveBack: async () => {
        try {
          await grant.giveBack();
        } catch (error) {
          if (!(error instanceof PacingStoreUnavailable)) throw error;
          this.#toLocal(error);
        }
      },
    };
  }

  /** Stops probing; the caller closes the shared store's connection. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#probe);
    this.#probe = undefined;
  }

  #toLocal(error: PacingStoreUnavailable): void {
    if (this.#mode === 'local') return;
    this.#mode = 'local';
    this.#logger.warn({ reason: error.message }, 'Redis unavailable: pacing per process');
    this.#startProbing();
  }

  #startProbing(): void {
    if (this.#probe !== undefined || this.#closed) return;
    let probing = false;
    this.#probe = setInterval(() => {
      if (probing) return;
      probing = true;
      this.#shared
        .ping()
        .then(() => {
          if (this.#closed || this.#mode === 'shared') return;
          this.#mode = 'shared';
          clearInterval(this.#probe);
          this.#probe = undefined;
          this.#logger.info({}, 'Redis back: shared pacing');
        })
        .catch(() => undefined)
        .finally(() => {
          probing = false;
        });
    }, this.#probeIntervalMs);
    this.#probe.unref();
  }
}

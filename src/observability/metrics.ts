import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { RingCentralObserver, RingCentralRequestEvent, TokenRefreshOutcome } from '../api/observer.ts';
import type { CommandFinished, CommandMetrics } from '../handlers/command-outcome.ts';

// Commands wait on RingCentral (often twice) and sometimes on a refresh: seconds, not milliseconds, matter.
const COMMAND_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20];
const REQUEST_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The bot's Prometheus metrics, in a registry of its own (not prom-client's global one), so several bots can run in
 * one process. Labels are operation names, command names, outcomes and statuses: small fixed sets. Never a user, an
 * extension or a number — for cardinality and because metrics are read by people who must not learn who asked what.
 */
export class SwitchboardMetrics implements RingCentralObserver, CommandMetrics {
  readonly registry = new Registry();
  readonly #commands: Counter<'command' | 'outcome'>;
  readonly #commandDuration: Histogram<'command'>;
  readonly #requests: Counter<'operation' | 'status'>;
  readonly #requestDuration: Histogram<'operation'>;
  readonly #rateLimited: Counter<'operation'>;
  readonly #refreshes: Counter<'outcome'>;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#commands = new Counter({
      name: 'switchboard_commands_total',
      help: 'Chat commands answered, by command and outcome.',
      labelNames: ['command', 'outcome'],
      registers,
    });
    this.#commandDuration = new Histogram({
      name: 'switchboard_command_duration_seconds',
      help: 'Time from receiving a command to having its reply, by command.',
      labelNames: ['command'],
      buckets: COMMAND_BUCKETS,
      registers,
    });
    this.#requests = new Counter({
      name: 'switchboard_ringcentral_requests_total',
      help: 'HTTP exchanges with RingCentral (each retry counts), by operation and status (timeout, network-error: no answer).',
      labelNames: ['operation', 'status'],
      registers,
    });
    this.#requestDuration = new Histogram({
      name: 'switchboard_ringcentral_request_duration_seconds',
      help: 'Duration of one HTTP exchange with RingCentral, by operation.',
      labelNames: ['operation'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.#rateLimited = new Counter({
      name: 'switchboard_ringcentral_rate_limited_total',
      help: 'RingCentral answers 429 (rate limit exceeded), by operation.',
      labelNames: ['operation'],
      registers,
    });
    this.#refreshes = new Counter({
      name: 'switchboard_token_refreshes_total',
      help: 'Token refreshes at RingCentral, by outcome (ok, refused: the user must link again, failed: no answer).',
      labelNames: ['outcome'],
      registers,
    });
  }

  commandFinished(event: CommandFinished): void {
    this.#commands.inc({ command: event.command, outcome: event.outcome });
    this.#commandDuration.observe({ command: event.command }, event.durationSeconds);
  }

  request(event: RingCentralRequestEvent): void {
    this.#requests.inc({ operation: event.operation, status: String(event.status) });
    this.#requestDuration.observe({ operation: event.operation }, event.durationMs / 1000);
    if (event.status === 429) this.#rateLimited.inc({ operation: event.operation });
  }

  tokenRefresh(outcome: TokenRefreshOutcome): void {
    this.#refreshes.inc({ outcome });
  }

  /** The Prometheus text exposition and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/**
 * The company's wall clock: the time its business hours are read against. Tests and the demo set it through the
 * control API (POST /__sandbox/clock) to put people inside or outside their business hours; it keeps running from
 * the time it was set to. Tokens, codes and rate limits keep real time, so moving the clock expires no session.
 */
export class CompanyClock {
  #offsetMs = 0;

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  /** From now on the clock reads `epochMs`, and runs on from there. */
  set(epochMs: number): void {
    this.#offsetMs = epochMs - Date.now();
  }

  /** Back to real time. */
  reset(): void {
    this.#offsetMs = 0;
  }
}

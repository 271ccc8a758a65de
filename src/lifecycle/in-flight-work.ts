/**
 * Work that outlives the HTTP request that started it: Slack is acknowledged at once and answered later through the
 * response_url, a completed link answers its pending command after the callback page is sent. Shutdown waits for it.
 */
export class InFlightWork {
  readonly #pending = new Set<Promise<void>>();

  /** Returns `work` unchanged; its failure is still the caller's to handle. */
  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.#pending.add(settled);
    void settled.then(() => this.#pending.delete(settled));
    return work;
  }

  /** Resolves once nothing is in flight, including work tracked while waiting. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}

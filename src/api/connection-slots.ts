/**
 * At most `size` exchanges in flight: one per connection of the pool, so that no request waits in undici's own queue
 * after it was stamped as sent. A request that waited there would reach RingCentral later than its pacing slot says,
 * and RingCentral's window, which counts arrivals, would still hold it after the pacer had freed its slot: the next
 * request would meet a 429. Waiting here instead happens before the stamp.
 */
export class ConnectionSlots {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    this.#free = Math.max(1, size);
  }

  /** Resolves with a release function once a connection is free; rejects when `signal` aborts first. */
  take(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    if (this.#free > 0) {
      this.#free -= 1;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const admit = () => {
        signal.removeEventListener('abort', onAbort);
        resolve(this.#releaser());
      };
      const onAbort = () => {
        const index = this.#waiting.indexOf(admit);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(admit);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The freed connection goes straight to the longest waiter, if any.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free += 1;
    };
  }
}

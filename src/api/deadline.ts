/**
 * The time a whole call may take: token refresh, pacing waits, retries and 429 waits all draw on it.
 * Built on AbortSignal so an in-flight undici request is cancelled the moment it runs out.
 */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Milliseconds left; 0 once expired. */
  remainingMs(): number;
}

// AbortSignal.timeout takes whole milliseconds up to a 32-bit timer's reach and throws a RangeError otherwise.
const MAX_TIMER_MS = 2_147_483_647;

export function deadlineAfter(ms: number, clock: () => number = performance.now.bind(performance)): Deadline {
  const expiresAt = clock() + ms;
  const signal = AbortSignal.timeout(Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(ms))));
  return {
    signal,
    remainingMs: () => (signal.aborted ? 0 : Math.max(0, expiresAt - clock())),
  };
}

/** Injectable so tests can shorten waits; rejects with the signal's reason when aborted. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Waits for `promise` but gives up when the deadline does; the promise itself keeps running. */
export function raceDeadline<T>(promise: Promise<T>, deadline: Deadline, onExpired: () => Error): Promise<T> {
  if (deadline.signal.aborted) {
    // Nobody else may be listening (a shared refresh started by a caller already out of time): a failure of the
    // abandoned promise must not become an unhandled rejection, which ends the process.
    promise.catch(() => undefined);
    return Promise.reject(onExpired());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(onExpired());
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        deadline.signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        deadline.signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

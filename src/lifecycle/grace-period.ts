/** The time shutdown may take in all; each step waits at most for what is left of it. */
export interface GracePeriod {
  remainingMs(): number;
  /** Resolves true when `work` settled in time, false when the grace period ran out first. */
  wait(work: Promise<unknown>): Promise<boolean>;
}

export function gracePeriod(ms: number, clock: () => number = () => performance.now()): GracePeriod {
  const endsAt = clock() + ms;
  const remainingMs = () => Math.max(0, endsAt - clock());
  return {
    remainingMs,
    async wait(work) {
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), remainingMs());
      });
      const done = work.then(
        () => true as const,
        () => true as const,
      );
      try {
        return await Promise.race([done, expired]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

import type { Deadline } from '../../src/api/deadline.ts';

/** A clock the pacer's sleeps advance, so a minute of pacing takes no real time. */
export function virtualTime() {
  let now = 0;
  const slept: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    slept,
    deadline(ms: number): Deadline {
      const expiresAt = now + ms;
      return { signal: new AbortController().signal, remainingMs: () => Math.max(0, expiresAt - now) };
    },
  };
}

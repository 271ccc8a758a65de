/**
 * Teams shows a typing indicator ("…") for a few seconds only. An answer can take far longer (one waiting for the
 * user's RingCentral budget or directory index, up to a couple of minutes), so the indicator is sent again every
 * TYPING_EVERY_MS until the answer is ready. A repeat that fails is let go: the first one already told the person.
 */
const TYPING_EVERY_MS = 2_500;

export interface TypingKept {
  /** Stops repeating, and waits for a repeat still on its way, so the answer never lands before a late "…". */
  stop(): Promise<void>;
}

export function keepTyping(sendTyping: () => Promise<void>): TypingKept {
  let inFlight: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    inFlight = sendTyping().catch(() => undefined);
  }, TYPING_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}

import { describe, expect, it } from 'vitest';
import { linkUser, startSlackTestStack } from '../support/slack-stack.ts';

/*
 * The other side of graceful shutdown (shutdown.test.ts shows answers finishing in time): an answer still waiting on
 * RingCentral when SHUTDOWN_TIMEOUT_SECONDS runs out is abandoned, so a slow RingCentral cannot hold the process
 * past its grace period, and the log says so.
 */

describe('shutdown when the grace period runs out', () => {
  it('close() returns soon after the grace period, abandoning the answer still in flight, and logs that it did', async () => {
    const stack = await startSlackTestStack();
    try {
      await linkUser(stack, 'U101', '101');
      // Every RingCentral call now takes 5 s: the answer to /ext 102 is far beyond the grace period.
      await stack.control.config({ latencyMs: 5_000 });
      const { ack, channel } = await stack.ask('U101', '/ext 102');
      expect(ack.status).toBe(200);

      const started = performance.now();
      await stack.bot.close({ graceMs: 300 });
      const took = performance.now() - started;

      expect(took).toBeGreaterThanOrEqual(290);
      // The grace period, then at most the RingCentral pool's own forced close (1 s).
      expect(took).toBeLessThan(2_500);
      expect(stack.logs.filter((record) => record.level === 'warn').map((record) => record.message)).toContain(
        'shutdown grace period over; abandoning answers still in flight',
      );
      expect(channel.messages.filter((message) => /Paul Rivera/.test(message.text ?? ''))).toEqual([]);
    } finally {
      await stack.control.config({ latencyMs: 0 }).catch(() => undefined);
      await stack.slack.close();
      await stack.teams.close();
      await stack.sandbox.close();
    }
  });
});

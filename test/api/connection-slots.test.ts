import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineAfter } from '../../src/api/deadline.ts';
import { Unavailable } from '../../src/api/errors.ts';
import type { HttpRequest } from '../../src/api/http.ts';
import { HttpTransport } from '../../src/api/http.ts';
import type { Sandbox } from '../../src/sandbox/server.ts';
import { control, startTestSandbox } from '../support/sandbox.ts';

/*
 * A request is stamped as sent (its pacing slot's time) only once a connection is free for it: one that waited in the
 * HTTP pool's queue after the stamp would reach RingCentral later than its slot says, and RingCentral, counting
 * arrivals, would still hold it in its window after the pacer had freed the slot. Against the real sandbox, 300 ms a
 * call, with a pool of one connection.
 */

const LATENCY_MS = 300;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox({ latencyMs: LATENCY_MS });
});

afterAll(async () => {
  await sandbox?.close();
});

function transport(): HttpTransport {
  return new HttpTransport({ serverUrl: sandbox.url, maxConnections: 1, retry: { maxAttempts: 1 } });
}

function request(deadlineMs: number, events: string[], name: string): HttpRequest {
  return {
    operation: 'readAccountInfo',
    method: 'GET' as const,
    path: '/restapi/v1.0/account/~',
    deadline: deadlineAfter(deadlineMs),
    retry: 'none' as const,
    sending: () => void events.push(`${name} sent`),
    afterUnreached: () => void events.push(`${name} given back`),
  };
}

describe('connection slots', () => {
  it('a request waiting for the only connection is stamped as sent when it gets it, not before', async () => {
    const http = transport();
    try {
      const sentAt = new Map<string, number>();
      const record = (name: string): HttpRequest => ({
        ...request(5_000, [], name),
        sending: () => void sentAt.set(name, performance.now()),
      });
      let firstAnsweredAt = 0;
      await Promise.all([http.send(record('first')).then(() => (firstAnsweredAt = performance.now())), http.send(record('second'))]);
      expect(sentAt.get('second')! - sentAt.get('first')!).toBeGreaterThanOrEqual(LATENCY_MS - 20);
      expect(sentAt.get('second')!).toBeGreaterThanOrEqual(firstAnsweredAt - 20);
    } finally {
      await http.close();
    }
  });

  it('a request whose deadline passes while it waits for a connection never goes out and gives its pacing slot back', async () => {
    const http = transport();
    try {
      await control(sandbox).resetStats();
      const events: string[] = [];
      const first = http.send(request(5_000, events, 'first'));
      const second = await http.send(request(100, events, 'second')).then(
        () => undefined,
        (error: unknown) => error,
      );
      await first;
      expect(second).toBeInstanceOf(Unavailable);
      expect(events.filter((event) => event.startsWith('second'))).toEqual(['second given back']);
      expect((await control(sandbox).stats()).total).toBe(1);
    } finally {
      await http.close();
    }
  });
});

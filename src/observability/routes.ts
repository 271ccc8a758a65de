import type { ServerResponse } from 'node:http';
import type { Routes } from '../http-server.ts';
import type { SwitchboardMetrics } from './metrics.ts';
import type { ReadinessCheck } from './readiness.ts';
import { withBearerToken } from './metrics-access.ts';
import { checkReadiness } from './readiness.ts';

export interface ObservabilityRoutesOptions {
  metrics: SwitchboardMetrics;
  /** Read at each probe, so a check added after the routes were made (Redis, say) counts. */
  readinessChecks: readonly ReadinessCheck[];
  checkTimeoutMs?: number | undefined;
}

/**
 * GET /healthz — the process is alive and serving HTTP (no dependency is consulted: a database outage must not get
 * the bot restarted). GET /readyz — every dependency answers: 200 {status:'ready', checks} or 503 naming the failed
 * ones.
 */
export function observabilityRoutes(options: Omit<ObservabilityRoutesOptions, 'metrics'>): Routes {
  return {
    'GET /healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }),
    'GET /readyz': async (_req, res) => {
      const readiness = await checkReadiness(options.readinessChecks, options.checkTimeoutMs);
      sendJson(res, readiness.ready ? 200 : 503, { status: readiness.ready ? 'ready' : 'not-ready', checks: readiness.checks });
    },
  };
}

/**
 * GET /metrics — Prometheus text format; behind `Authorization: Bearer <token>` when a token is given. Served beside
 * the other routes, or on a port of its own (METRICS_PORT) that a Service need not expose.
 */
export function metricsRoutes(options: Pick<ObservabilityRoutesOptions, 'metrics'> & { token: string | undefined }): Routes {
  return {
    'GET /metrics': withBearerToken(options.token, async (_req, res) => {
      const { contentType, body } = await options.metrics.exposition();
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
      res.end(body);
    }),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

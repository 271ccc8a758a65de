import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** "METHOD /path" → handler. Paths match exactly, without the query string. */
export type Routes = Record<string, RouteHandler>;

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * One HTTP server for every platform: Slack's /slack/events, Teams' /api/messages, the OAuth callback and health
 * checks share a port. A handler that throws answers 500 with no detail.
 */
export async function startHttpServer(routes: Routes, port: number, host = '0.0.0.0'): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://bot').pathname;
    const handler = routes[`${req.method ?? 'GET'} ${path}`];
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found');
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Internal error');
      });
  });
  server.listen(port, host);
  await once(server, 'listening');
  const actualPort = (server.address() as AddressInfo).port;
  return {
    server,
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}`,
    async close() {
      server.close();
      server.closeIdleConnections();
      await once(server, 'close');
    },
  };
}

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from './config.ts';
import { textPageHeaders } from './page-headers.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** "METHOD /path" → handler. Paths match exactly, without the query string. */
export type Routes = Record<string, RouteHandler>;

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  /**
   * Stops accepting connections at once and answers any request that still arrives on an open connection with 503;
   * waits for requests in progress to be answered, at most `graceMs` (default: as long as they take).
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * One HTTP server for every platform: Slack's /slack/events, Teams' /api/messages, the OAuth callback and health
 * checks share a port. A handler that throws answers 500 with no detail.
 */
export async function startHttpServer(routes: Routes, port: number, host = '0.0.0.0', portSetting = 'PORT'): Promise<RunningServer> {
  let closing = false;
  const inProgress = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    if (closing) {
      res.writeHead(503, { ...textPageHeaders(), connection: 'close' });
      res.end('Shutting down');
      return;
    }
    inProgress.add(res);
    res.on('close', () => {
      inProgress.delete(res);
      // A keep-alive connection whose last answer was sent during shutdown must not keep the server open.
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    const path = pathOf(req.url);
    if (path === undefined) {
      res.writeHead(400, textPageHeaders());
      res.end('Bad request');
      return;
    }
    const handler = routes[`${req.method ?? 'GET'} ${path}`];
    if (!handler) {
      res.writeHead(404, textPageHeaders());
      res.end('Not found');
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, textPageHeaders());
        res.end('Internal error');
      });
  });
  server.listen(port, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    throw listenError(error, port, host, portSetting);
  }
  const actualPort = (server.address() as AddressInfo).port;
  return {
    server,
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}`,
    async close(options = {}) {
      closing = true;
      const closed = once(server, 'close');
      server.close();
      server.closeIdleConnections();
      for (const res of inProgress) if (!res.headersSent) res.setHeader('connection', 'close');
      if (options.graceMs === undefined) return void (await closed);
      const timer = setTimeout(() => server.closeAllConnections(), options.graceMs);
      try {
        await closed;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** A port in use or an address not on this machine is the operator's to fix: one line naming the setting. */
function listenError(error: unknown, port: number, host: string, portSetting: string): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return new ConfigError(`Cannot listen: ${portSetting} ${port} is already in use on ${host}`);
    case 'EACCES':
      return new ConfigError(`Cannot listen: ${portSetting} ${port} on ${host} needs privileges this process lacks`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConfigError(`Cannot listen: HOST ${host} is not an address of this machine`);
    default:
      return error;
  }
}

/**
 * The path of a request target, or undefined when it cannot be parsed. Node accepts an absolute-form target such as
 * "http://[" that URL rejects; thrown from the request listener, that would end the process.
 */
function pathOf(target: string | undefined): string | undefined {
  try {
    return new URL(target ?? '/', 'http://bot').pathname;
  } catch {
    return undefined;
  }
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { RouteHandler } from '../http-server.ts';
import { textPageHeaders } from '../page-headers.ts';

/**
 * GET /metrics behind an optional bearer token (METRICS_TOKEN). The metrics hold no user data, but they do show how
 * the bot is used and by how many; a Prometheus scrape config sends the token. Without a token the handler is
 * returned as it is.
 */
export function withBearerToken(token: string | undefined, handler: RouteHandler): RouteHandler {
  if (token === undefined) return handler;
  const expected = digest(token);
  return (req, res) => {
    const presented = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];
    // Both sides are hashed to the same length first, so the comparison takes the same time whatever was sent.
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      res.writeHead(401, { ...textPageHeaders(), 'www-authenticate': 'Bearer realm="metrics"' });
      return void res.end('Unauthorized');
    }
    return handler(req, res);
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

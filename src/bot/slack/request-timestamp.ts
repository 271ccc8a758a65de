import type { RequestListener } from 'node:http';

/**
 * Slack's rule for signed requests: ignore any whose X-Slack-Request-Timestamp is more than five minutes from local
 * time, either way. Bolt's receiver refuses only old ones; a request dated ahead would stay replayable for as long as
 * it is ahead. This refuses those before Bolt sees them, with the 401 Bolt gives every other failed check.
 */
const MAX_SKEW_SECONDS = 5 * 60;

export function refuseFutureDatedRequests(listener: RequestListener, now: () => number = Date.now): RequestListener {
  return (req, res) => {
    const header = req.headers['x-slack-request-timestamp'];
    const timestamp = Number(Array.isArray(header) ? header[0] : header);
    if (Number.isFinite(timestamp) && timestamp - now() / 1000 > MAX_SKEW_SECONDS) {
      req.resume();
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
      res.end();
      return;
    }
    listener(req, res);
  };
}

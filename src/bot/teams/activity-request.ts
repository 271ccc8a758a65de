import type { IncomingMessage } from 'node:http';
import type { Activity } from 'botbuilder';
import { z } from 'zod';

/**
 * A Bot Framework activity is a few KB (Teams caps a message at about 28 KB, plus its mention and HTML copies); this
 * bound keeps a stray or hostile upload from being buffered whole.
 */
export const MAX_ACTIVITY_BYTES = 256 * 1024;

export class ActivityRequestError extends Error {
  override name = 'ActivityRequestError';
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

// Only what the adapter reads before botbuilder takes over; the rest passes through untouched.
const ActivityEnvelope = z.looseObject({
  type: z.string().min(1),
  channelId: z.string().optional(),
  serviceUrl: z.string().optional(),
});

/**
 * Bot Framework posts `application/json` (with `charset=utf-8`, or none). Anything else is refused unread: a web page
 * open on a machine that can reach the bot may post text/plain or a form without a CORS preflight, but not JSON.
 */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [mediaType = '', ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  return parameters.every((parameter) => parameter === '' || /^charset\s*=\s*"?utf-8"?$/.test(parameter));
}

/** Reads and parses the body of POST /api/messages. Throws ActivityRequestError (400, 413, 415). */
export async function readActivity(req: IncomingMessage, maxBytes = MAX_ACTIVITY_BYTES): Promise<Activity> {
  if (!isJsonContentType(req.headers['content-type'])) {
    req.resume();
    throw new ActivityRequestError(415, 'not application/json');
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw new ActivityRequestError(413, 'activity too large');
  }
  const body = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      // Stop buffering but let the rest drain, so the 413 can still be answered on this connection.
      req.off('data', onData);
      req.resume();
      reject(new ActivityRequestError(413, 'activity too large'));
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ActivityRequestError(400, 'body is not JSON');
  }
  const parsed = ActivityEnvelope.safeParse(json);
  if (!parsed.success) throw new ActivityRequestError(400, 'body is not an activity');
  return parsed.data as unknown as Activity;
}

import { jsonReply } from './replies.ts';
import type { Reply } from './replies.ts';

/** The REST API version this sandbox models (the spec's info.version). */
const VERSION = { versionString: '1.0.46', uriString: 'v1.0' } as const;

/**
 * `GET /restapi/v1.0` (readAPIVersion): public, no token needed, and in no throttling group (the spec's
 * "NoThrottling"), so health checks may call it as often as they like. Undefined for any other request.
 */
export function apiVersionReply(method: string, pathname: string, origin: string): Reply | undefined {
  if (method !== 'GET' || pathname.replace(/\/+$/, '') !== `/restapi/${VERSION.uriString}`) return undefined;
  return jsonReply(200, { uri: `${origin}/restapi/${VERSION.uriString}`, ...VERSION });
}

import { headerValue, retryAfterSeconds } from './errors.ts';
import type { HttpResponse } from './http.ts';
import type { RateLimitObservation, ThrottlingGroup } from './limits.ts';
import { parseThrottlingGroup } from './limits.ts';

/** Reads RingCentral's X-Rate-Limit-* and Retry-After headers (absent on some responses, e.g. IP-level 429s). */
export function observationFrom(
  response: Pick<HttpResponse, 'status' | 'headers'>,
): RateLimitObservation & { group: ThrottlingGroup | undefined } {
  return {
    status: response.status,
    group: parseThrottlingGroup(headerValue(response.headers, 'x-rate-limit-group')),
    limit: numberHeader(response, 'x-rate-limit-limit'),
    remaining: numberHeader(response, 'x-rate-limit-remaining'),
    windowSeconds: numberHeader(response, 'x-rate-limit-window'),
    retryAfterSeconds: retryAfterSeconds(response.headers),
  };
}

function numberHeader(response: Pick<HttpResponse, 'headers'>, name: string): number | undefined {
  const raw = headerValue(response.headers, name);
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

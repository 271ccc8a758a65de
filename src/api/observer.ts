/**
 * What the client reports about its own traffic, for metrics. Events carry operation names, statuses and durations
 * only: never a user key, an extension or a token, so whatever records them cannot leak who asked what.
 */
export interface RingCentralObserver {
  /** One HTTP exchange with RingCentral; each retry is an exchange of its own. */
  request(event: RingCentralRequestEvent): void;
  /** One refresh of a user's tokens at RingCentral (joined refreshes are not counted again). */
  tokenRefresh(outcome: TokenRefreshOutcome): void;
}

export interface RingCentralRequestEvent {
  /** The spec's operationId (`listExtensions`, `getToken` …), or `ping`. */
  operation: string;
  /** The HTTP status, or why none came: the deadline or a timeout ran out, or the connection failed. */
  status: number | 'timeout' | 'network-error';
  durationMs: number;
}

/** ok: a new pair; refused: RingCentral said the session is over (the user must link again); failed: no answer. */
export type TokenRefreshOutcome = 'ok' | 'refused' | 'failed';

export const silentObserver: RingCentralObserver = {
  request: () => {},
  tokenRefresh: () => {},
};

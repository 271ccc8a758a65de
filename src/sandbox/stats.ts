/** Request counts, so tests and benchmarks can count what the bot costs. Keys are spec operationIds. */
export interface StatsSnapshot {
  total: number;
  byOperation: Record<string, number>;
  byUser: Record<string, Record<string, number>>;
  tokenRequests: Record<string, number>;
  rateLimited: number;
  /** extensionId → their requests answered 429 (people asking at once each have their own budget, and count). */
  rateLimitedByUser: Record<string, number>;
  /** extensionId → conditional requests of theirs answered 304 Not Modified (no body: nothing to read or parse). */
  notModifiedByUser: Record<string, number>;
}

export class Stats {
  private snapshotData: StatsSnapshot = Stats.empty();

  private static empty(): StatsSnapshot {
    return {
      total: 0,
      byOperation: {},
      byUser: {},
      tokenRequests: { authorization_code: 0, refresh_token: 0 },
      rateLimited: 0,
      rateLimitedByUser: {},
      notModifiedByUser: {},
    };
  }

  /** `extensionId` is omitted when the caller could not be identified. */
  count(operationId: string, extensionId?: number): void {
    const data = this.snapshotData;
    data.total += 1;
    increment(data.byOperation, operationId);
    if (extensionId !== undefined) increment((data.byUser[String(extensionId)] ??= {}), operationId);
  }

  countTokenRequest(grantType: string): void {
    increment(this.snapshotData.tokenRequests, grantType);
  }

  countRateLimited(extensionId: number | undefined): void {
    this.snapshotData.rateLimited += 1;
    if (extensionId !== undefined) increment(this.snapshotData.rateLimitedByUser, String(extensionId));
  }

  countNotModified(extensionId: number | undefined): void {
    if (extensionId !== undefined) increment(this.snapshotData.notModifiedByUser, String(extensionId));
  }

  snapshot(): StatsSnapshot {
    return structuredClone(this.snapshotData);
  }

  reset(): void {
    this.snapshotData = Stats.empty();
  }
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

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
    data.byOperation[operationId] = (data.byOperation[operationId] ?? 0) + 1;
    if (extensionId !== undefined) {
      const user = (data.byUser[String(extensionId)] ??= {});
      user[operationId] = (user[operationId] ?? 0) + 1;
    }
  }

  countTokenRequest(grantType: string): void {
    const requests = this.snapshotData.tokenRequests;
    requests[grantType] = (requests[grantType] ?? 0) + 1;
  }

  countRateLimited(extensionId: number | undefined): void {
    this.snapshotData.rateLimited += 1;
    if (extensionId === undefined) return;
    const byUser = this.snapshotData.rateLimitedByUser;
    byUser[String(extensionId)] = (byUser[String(extensionId)] ?? 0) + 1;
  }

  countNotModified(extensionId: number | undefined): void {
    if (extensionId === undefined) return;
    const byUser = this.snapshotData.notModifiedByUser;
    byUser[String(extensionId)] = (byUser[String(extensionId)] ?? 0) + 1;
  }

  snapshot(): StatsSnapshot {
    return structuredClone(this.snapshotData);
  }

  reset(): void {
    this.snapshotData = Stats.empty();
  }
}

import type { Deadline, Sleep } from './deadline.ts';
import { sleep as realSleep } from './deadline.ts';
import { HeldBack, RateLimited } from './errors.ts';

export const THROTTLING_GROUPS = ['Light', 'Medium', 'Heavy', 'Auth'] as const;
export type ThrottlingGroup = (typeof THROTTLING_GROUPS)[number];

/** RingCentral's documented defaults: requests per user per group per 60 s window. */
export const DEFAULT_GROUP_LIMITS: Readonly<Record<ThrottlingGroup, number>> = { Light: 50, Medium: 40, Heavy: 10, Auth: 5 };
export const DEFAULT_WINDOW_SECONDS = 60;

/** Operation → group, from each operation's `x-throttling-group` in the OpenAPI spec (v1.0.46). */
export const OPERATION_GROUPS = {
  readAccountInfo: 'Light',
  readAccountServiceInfo: 'Light',
  readAccountBusinessAddress: 'Light',
  listExtensions: 'Medium',
  readExtension: 'Light',
  listExtensionPhoneNumbers: 'Light',
  listAccountPhoneNumbers: 'Heavy',
  listForwardingNumbers: 'Light',
  listDirectoryEntries: 'Medium',
  searchDirectoryEntries: 'Heavy',
  readDirectoryEntry: 'Medium',
  readUserPresenceStatus: 'Light',
  listCallQueueMembers: 'Light',
  readAnsweringRule: 'Light',
  readUserBusinessHours: 'Light',
  readExtensionCallerId: 'Light',
  getToken: 'Auth',
  revokeToken: 'Auth',
} as const satisfies Record<string, ThrottlingGroup>;
export type OperationId = keyof typeof OPERATION_GROUPS;

export interface PacerKey {
  /**
   * Whose budget: RingCentral counts per login (and app), so this names the RingCentral login a request is made as
   * (budgetKeyOf), whichever chat account, workspace or sign-in in progress asks as it.
   */
  userKey: string;
  group: ThrottlingGroup;
}

/** The pacing key of a RingCentral login; the chat user's key only when the tokens do not say whose they are. */
export function budgetKeyOf(tokens: { ownerId: string }, userKey: string): string {
  return tokens.ownerId === '' ? userKey : `ringcentral:${tokens.ownerId}`;
}

/** What one response said about the budget (X-Rate-Limit-* and Retry-After). */
export interface RateLimitObservation {
  status: number;
  limit?: number | undefined;
  remaining?: number | undefined;
  windowSeconds?: number | undefined;
  retryAfterSeconds?: number | undefined;
}

/**
 * A permission to send one request, holding one slot of the user's budget for the group.
 */
export interface PacingGrant {
  /**
   * Told the moment the request really goes out, so a pacer that counts grants (not sends) can correct a grant used
   * late — the server counts arrivals.
   */
  sending(): void;
  /**
   * The request never reached RingCentral (the transport decides what that means: see HttpRequest.afterUnreached), so
   * RingCentral did not count it and neither should we: the slot is free again. A second call does nothing. Never
   * rejects for the in-process pacer; a shared pacer may reject when its store is gone (FallbackPacer handles that).
   */
  giveBack(): Promise<void> | void;
}

/** A grant with nothing to correct or give back (no pacing). */
export const unpacedGrant: PacingGrant = { sending: () => {}, giveBack: () => {} };

/**
 * Paces requests per (user, throttling group). Behind an interface so a shared (e.g. Redis) pacer can
 * replace the in-process one when several replicas act for the same users.
 */
export interface RateLimitPacer {
  /**
   * Resolves when a request may be sent (and counts it). If that would pass the deadline it throws, sending nothing:
   * RateLimited when a 429's penalty is what holds the request back (RingCentral did ask us to slow down), HeldBack when
   * it is our own count of the group's budget.
   */
  acquire(key: PacerKey, deadline: Deadline): Promise<PacingGrant>;
  observe(key: PacerKey, observation: RateLimitObservation): Promise<void> | void;
  /**
   * How many requests of the group may go out now without waiting, as far as this pacer knows; undefined when it
   * cannot say without a round trip (a shared store). Background work asks before taking a slot, so it leaves the
   * budget to the user's own commands.
   */
  headroom?(key: PacerKey): number | undefined;
}

export interface SlidingWindowPacerOptions {
  limits?: Partial<Record<ThrottlingGroup, number>> | undefined;
  windowSeconds?: number | undefined;
  /** Added to every wait: the server counts arrivals, a little after we count sends. */
  safetyMarginMs?: number | undefined;
  clock?: (() => number) | undefined;
  sleep?: Sleep | undefined;
}

interface GroupState {
  limit: number;
  windowMs: number;
  /** Send times of our own requests still inside the window, oldest first (an answered one's: its answer's time). */
  sent: number[];
  /** Send times of our own requests not yet answered nor given back, oldest first: what an answer re-stamps. */
  unanswered: number[];
  /** Requests the server counted that we did not send (another replica, an earlier process). */
  foreign: { count: number; until: number };
  /** RingCentral's penalty: every request before this instant gets a 429 and restarts the penalty. */
  blockedUntil: number;
  lastActivity: number;
}

const SWEEP_THRESHOLD = 10_000;

/**
 * In-process pacer: a sliding window of the requests we sent, corrected by the server's
 * X-Rate-Limit-Remaining / -Limit / -Window whenever a response carries them, plus a hard stop
 * until Retry-After after a 429 (a request during the penalty would restart it).
 */
export class SlidingWindowPacer implements RateLimitPacer {
  private readonly states = new Map<string, GroupState>();
  private readonly limits: Record<ThrottlingGroup, number>;
  private readonly windowMs: number;
  private readonly marginMs: number;
  private readonly clock: () => number;
  private readonly sleep: Sleep;

  constructor(options: SlidingWindowPacerOptions = {}) {
    this.limits = { ...DEFAULT_GROUP_LIMITS, ...options.limits };
    this.windowMs = (options.windowSeconds ?? DEFAULT_WINDOW_SECONDS) * 1000;
    this.marginMs = options.safetyMarginMs ?? 100;
    this.clock = options.clock ?? performance.now.bind(performance);
    this.sleep = options.sleep ?? realSleep;
  }

  async acquire(key: PacerKey, deadline: Deadline): Promise<PacingGrant> {
    for (;;) {
      const now = this.clock();
      const state = this.state(key, now);
      const readyAt = this.readyAt(state, now);
      if (readyAt <= now) {
        state.sent.push(now);
        state.unanswered.push(now);
        state.lastActivity = now;
        return this.grant(state, now);
      }
      const waitMs = readyAt - now + this.marginMs;
      const held = () =>
        state.blockedUntil > now
          ? penaltyOutlastsDeadline(key, waitMs)
          : budgetOutlastsDeadline(key, waitMs, { limit: state.limit, windowMs: state.windowMs });
      if (waitMs > deadline.remainingMs()) throw held();
      try {
        await this.sleep(waitMs, deadline.signal);
      } catch {
        throw held();
      }
    }
  }

  /**
   * Giving back removes the request's own send time. If an answer to another request has meanwhile re-stamped it
   * (observe re-stamps the oldest unanswered send time), that other request's send time goes instead: the count is
   * what matters, and the answered request still counts from its answer.
   */
  private grant(state: GroupState, sentAt: number): PacingGrant {
    let given = false;
    return {
      sending: () => {},
      giveBack: () => {
        if (given) return;
        given = true;
        const own = state.unanswered.indexOf(sentAt);
        const [dropped] = state.unanswered.splice(own >= 0 ? own : 0, 1);
        if (dropped !== undefined) removeOne(state.sent, dropped);
      },
    };
  }

  observe(key: PacerKey, observation: RateLimitObservation): void {
    const now = this.clock();
    const state = this.state(key, now);
    state.lastActivity = now;
    if (observation.limit !== undefined && observation.limit > 0) state.limit = observation.limit;
    if (observation.windowSeconds !== undefined && observation.windowSeconds > 0) state.windowMs = observation.windowSeconds * 1000;
    // The server counted this request somewhere between our send and this answer. Counting it from the answer keeps a
    // late arrival (a pause in this process, a slow network) from leaving our window before it leaves the server's.
    // Only an unanswered send time is re-stamped: one already answered must leave the window on time.
    const sentAt = state.unanswered.shift();
    if (sentAt !== undefined) {
      removeOne(state.sent, sentAt);
      state.sent.push(now);
    }
    this.prune(state, now);
    // On a 429 the remaining count says nothing (RingCentral answers 0 throughout the penalty); Retry-After governs.
    if (observation.remaining !== undefined && observation.status !== 429) {
      // The server's count is the truth; whatever it counted beyond our own requests ages out within one window.
      const serverUsed = state.limit - observation.remaining;
      const unexplained = serverUsed - state.sent.length;
      // A lower count proves nothing: our own requests still on their way to RingCentral hide foreign ones from this
      // sum. What was learned stays until its window ends, and a higher count replaces it.
      const known = state.foreign.until > now ? state.foreign.count : 0;
      if (unexplained > 0 && unexplained >= known) state.foreign = { count: unexplained, until: now + state.windowMs };
    }
    if (observation.status === 429) {
      const retryAfterMs = (observation.retryAfterSeconds ?? state.windowMs / 1000) * 1000;
      state.blockedUntil = Math.max(state.blockedUntil, now + retryAfterMs);
    }
  }

  headroom(key: PacerKey): number {
    const now = this.clock();
    const state = this.state(key, now);
    this.prune(state, now);
    if (state.blockedUntil > now) return 0;
    const foreign = state.foreign.until > now ? state.foreign.count : 0;
    return Math.max(0, state.limit - state.sent.length - foreign);
  }

  /** The earliest instant a request may go out. */
  private readyAt(state: GroupState, now: number): number {
    this.prune(state, now);
    if (state.blockedUntil > now) return state.blockedUntil;
    const foreign = state.foreign.until > now ? state.foreign.count : 0;
    const limit = Math.max(1, state.limit);
    const excess = state.sent.length + foreign - limit + 1;
    if (excess <= 0) return now;
    // Slots free as our oldest requests leave the window, or all at once when the foreign ones do.
    const ownSlot = state.sent[Math.min(excess, state.sent.length) - 1];
    const candidates = [foreign > 0 ? state.foreign.until : Number.POSITIVE_INFINITY];
    if (ownSlot !== undefined && excess <= state.sent.length) candidates.push(ownSlot + state.windowMs);
    return Math.min(...candidates);
  }

  private prune(state: GroupState, now: number): void {
    const horizon = now - state.windowMs;
    let drop = 0;
    while (drop < state.sent.length && (state.sent[drop] ?? 0) <= horizon) drop += 1;
    if (drop > 0) state.sent.splice(0, drop);
    // A request unanswered for a whole window (it reached RingCentral, but its answer never came) re-stamps nothing.
    while (state.unanswered.length > 0 && state.unanswered[0]! <= horizon) state.unanswered.shift();
  }

  private state(key: PacerKey, now: number): GroupState {
    const id = `${key.group}\u0000${key.userKey}`;
    let state = this.states.get(id);
    if (!state) {
      if (this.states.size >= SWEEP_THRESHOLD) this.sweep(now);
      state = {
        limit: this.limits[key.group],
        windowMs: this.windowMs,
        sent: [],
        unanswered: [],
        foreign: { count: 0, until: 0 },
        blockedUntil: 0,
        lastActivity: now,
      };
      this.states.set(id, state);
    }
    return state;
  }

  /** Forgets users idle for longer than their window and penalty: their state says nothing any more. */
  private sweep(now: number): void {
    for (const [id, state] of this.states) {
      if (now - state.lastActivity > state.windowMs && state.blockedUntil <= now) this.states.delete(id);
    }
  }
}

/** Removes one occurrence of `value` from a list, if there is one (what is left stays in order). */
function removeOne(list: number[], value: number): void {
  const index = list.indexOf(value);
  if (index >= 0) list.splice(index, 1);
}

/** For tests and tools that must reach RingCentral's own limits on purpose. */
export const noPacing: RateLimitPacer = {
  acquire: async () => unpacedGrant,
  observe: () => {},
};

/** A wait for the end of a 429's penalty would pass the caller's deadline: RingCentral did ask us to slow down. */
export function penaltyOutlastsDeadline(key: PacerKey, waitMs: number): RateLimited {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new RateLimited(`${key.group}: RingCentral's rate-limit penalty lasts ${seconds} s more`, {
    status: 0,
    retryAfterSeconds: seconds,
  });
}

/** A wait for the next free slot of the group's budget would pass the caller's deadline: no 429, our own pacing. */
export function budgetOutlastsDeadline(key: PacerKey, waitMs: number, budget: { limit: number; windowMs: number }): HeldBack {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new HeldBack(`${key.group} request budget is spent; retry in ${seconds} s`, {
    status: 0,
    retryAfterSeconds: seconds,
    limit: budget.limit,
    windowSeconds: Math.round(budget.windowMs / 1000),
  });
}

export function parseThrottlingGroup(value: string | undefined): ThrottlingGroup | undefined {
  if (value === undefined) return undefined;
  // The docs' example spells the group in lower case ("light").
  return THROTTLING_GROUPS.find((group) => group.toLowerCase() === value.trim().toLowerCase());
}

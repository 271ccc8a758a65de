import { readAccountInfo } from './account.ts';
import type { AccountBusinessAddress, AccountServiceInfo } from './company.ts';
import { readAccountBusinessAddress, readAccountServiceInfo } from './company.ts';
import { buildAuthorizeUrl, createPkcePair, OAuthClient, pkceChallenge } from './auth.ts';
import type { Sleep } from './deadline.ts';
import { deadlineAfter, sleep as realSleep } from './deadline.ts';
import type { DirectoryListResult, ListDirectoryEntriesParams, SearchDirectoryParams } from './directory.ts';
import { listDirectoryEntries, readDirectoryEntry, searchDirectoryEntries } from './directory.ts';
import type { ListExtensionsParams } from './extensions.ts';
import { listExtensions, readExtension } from './extensions.ts';
import type { ListCallQueueMembersParams } from './call-queues.ts';
import { readAnsweringRule, readBusinessHours, readCallerId } from './call-handling.ts';
import type { StandardAnsweringRuleId } from './call-handling.ts';
import { listCallQueueMembers } from './call-queues.ts';
import type { ListForwardingNumbersParams } from './forwarding.ts';
import { listForwardingNumbers } from './forwarding.ts';
import type { HttpTimeouts, RetryPolicy } from './http.ts';
import { HttpTransport } from './http.ts';
import type { RateLimitPacer, ThrottlingGroup } from './limits.ts';
import { SlidingWindowPacer } from './limits.ts';
import type { Logger } from '../observability/logger.ts';
import { silentLogger } from '../observability/logger.ts';
import type { RingCentralObserver } from './observer.ts';
import { allRecords, pages } from './paging.ts';
import type { ListPhoneNumbersParams } from './phone-numbers.ts';
import { listAccountPhoneNumbers, listExtensionPhoneNumbers } from './phone-numbers.ts';
import { readPresence } from './presence.ts';
import type { CallOptions } from './requester.ts';
import { UserRequester } from './requester.ts';
import type {
  AccountInfo,
  AnsweringRule,
  BusinessHours,
  CallerId,
  AccountPhoneNumberList,
  CallQueueMemberList,
  DirectoryEntry,
  DirectoryList,
  Extension,
  ExtensionList,
  ForwardingNumberList,
  PhoneNumberList,
  Presence,
} from './schemas.ts';
import type { StoredTokens, TokenStore } from './tokens.ts';
import { MemoryTokenStore, TokenSource } from './tokens.ts';
import { randomUUID } from 'node:crypto';

export interface ClientTimeouts extends HttpTimeouts {
  /** A call's deadline when the caller gives none. */
  defaultDeadlineMs: number;
  /** Refresh this long before the access token expires. */
  refreshAheadMs: number;
  /** Deadline of one shared refresh, independent of the callers waiting on it. */
  refreshDeadlineMs: number;
}

export interface ClientLimits {
  /** Replaces the in-process pacer, e.g. with one shared by all replicas. */
  pacer?: RateLimitPacer | undefined;
  /** Per-group budget before RingCentral's headers say otherwise (defaults: RingCentral's documented ones). */
  groupLimits?: Partial<Record<ThrottlingGroup, number>> | undefined;
  windowSeconds?: number | undefined;
  /** 429s one call waits out before giving up; default 2. */
  maxRateLimitRetries?: number | undefined;
}

export interface RingCentralClientOptions {
  /** "https://platform.ringcentral.com", or the sandbox's URL. */
  serverUrl: string;
  clientId: string;
  clientSecret: string;
  tokenStore: TokenStore;
  timeouts?: Partial<ClientTimeouts> | undefined;
  limits?: ClientLimits | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  /** Epoch-ms clock for token expiry; settable in tests. */
  now?: (() => number) | undefined;
  logger?: Logger | undefined;
  /** Sees every exchange and refresh (operation, status, duration), for metrics. */
  observer?: RingCentralObserver | undefined;
  sleep?: Sleep | undefined;
}

export interface RingCentralClient {
  /**
   * Where to send the user to log in; keep `codeVerifier` (server-side, with `state`) for the exchange. A caller that
   * must store the PKCE verifier before it knows the state (the state names the stored record) passes its own verifier
   * from createPkcePair().
   */
  authorizeUrl(params: { redirectUri: string; state: string; loginHint?: string | undefined; codeVerifier?: string | undefined }): {
    url: string;
    codeVerifier: string;
  };
  /** Trades the callback's code for tokens; the caller saves them under its userKey. */
  exchangeCode(params: { code: string; codeVerifier: string; redirectUri: string }, options?: CallOptions): Promise<StoredTokens>;
  forUser(userKey: string): UserApi;
  /**
   * RingCentral as a login that is nobody's link (yet) sees it: the tokens stay in this object's memory, never in the
   * token store, so no chat user's commands can use them. `tokens()` reads the pair as it is now (a 401 may have
   * rotated it); `api.revoke()` ends the session at RingCentral.
   */
  forLogin(tokens: StoredTokens): { api: UserApi; tokens(): Promise<StoredTokens | undefined> };
  /**
   * Resolves when RingCentral answers a bare GET of /restapi/v1.0 with any HTTP status (it needs no token; the
   * sandbox says 404); rejects with Unavailable when the connection fails or nothing answers within `timeoutMs`.
   */
  ping(options?: { timeoutMs?: number }): Promise<void>;
  close(): Promise<void>;
}

/** RingCentral as one linked chat user sees it. Every call accepts `{ deadlineMs }` (default 10 s). */
export interface UserApi {
  readonly userKey: string;
  readAccount(options?: CallOptions): Promise<AccountInfo>;
  readAccountServiceInfo(options?: CallOptions): Promise<AccountServiceInfo>;
  readAccountBusinessAddress(options?: CallOptions): Promise<AccountBusinessAddress>;
  readExtension(extensionId?: string, options?: CallOptions): Promise<Extension>;
  listExtensions(params?: ListExtensionsParams, options?: CallOptions): Promise<ExtensionList>;
  listExtensionPhoneNumbers(extensionId?: string, params?: ListPhoneNumbersParams, options?: CallOptions): Promise<PhoneNumberList>;
  listAccountPhoneNumbers(params?: ListPhoneNumbersParams, options?: CallOptions): Promise<AccountPhoneNumberList>;
  listForwardingNumbers(extensionId?: string, params?: ListForwardingNumbersParams, options?: CallOptions): Promise<ForwardingNumberList>;
  listDirectoryEntries(params?: ListDirectoryEntriesParams, options?: CallOptions): Promise<DirectoryListResult>;
  searchDirectory(params: SearchDirectoryParams, options?: CallOptions): Promise<DirectoryList>;
  readDirectoryEntry(entryId: string, options?: CallOptions): Promise<DirectoryEntry>;
  /** Needs the app permission ReadPresence; without it, NotPermitted. */
  readPresence(extensionId?: string, options?: CallOptions): Promise<Presence>;
  listCallQueueMembers(groupId: string, params?: ListCallQueueMembersParams, options?: CallOptions): Promise<CallQueueMemberList>;
  /** Another extension's rules need ReadUserAnsweringRules for it: a standard user gets NotPermitted (CMN-419). */
  readAnsweringRule(extensionId: string, ruleId: StandardAnsweringRuleId | string, options?: CallOptions): Promise<AnsweringRule>;
  readBusinessHours(extensionId?: string, options?: CallOptions): Promise<BusinessHours>;
  readCallerId(extensionId?: string, options?: CallOptions): Promise<CallerId>;
  /** Requests of `group` this user may send now without waiting, as far as the pacer knows (undefined: it cannot say). */
  headroom(group: ThrottlingGroup): number | undefined;
  /** Ends the session at RingCentral (best effort) and always deletes the stored tokens. */
  revoke(options?: CallOptions): Promise<{ revokedAtRingCentral: boolean }>;
  pages: typeof pages;
  allRecords: typeof allRecords;
}

// The API root: in RingCentral's NoThrottling group, so a readiness probe costs no user any budget.
const PING_PATH = '/restapi/v1.0';
const PING_TIMEOUT_MS = 2_000;

const DEFAULTS = { defaultDeadlineMs: 10_000, refreshAheadMs: 60_000, refreshDeadlineMs: 15_000, maxRateLimitRetries: 2 };

export function createRingCentralClient(options: RingCentralClientOptions): RingCentralClient {
  const logger = options.logger ?? silentLogger;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const timeouts = { ...DEFAULTS, ...options.timeouts };
  const store = options.tokenStore;
  const http = new HttpTransport({
    serverUrl: options.serverUrl,
    timeouts: options.timeouts,
    retry: options.retry,
    logger,
    observer: options.observer,
    sleep,
  });
  const pacer =
    options.limits?.pacer ??
    new SlidingWindowPacer({ limits: options.limits?.groupLimits, windowSeconds: options.limits?.windowSeconds, sleep });
  const oauth = new OAuthClient({ http, clientId: options.clientId, clientSecret: options.clientSecret, pacer, now });
  const tokens = new TokenSource({
    store,
    refresh: (current, userKey, deadline) => oauth.refresh(current, userKey, deadline),
    now,
    refreshAheadMs: timeouts.refreshAheadMs,
    refreshDeadlineMs: timeouts.refreshDeadlineMs,
    logger,
    observer: options.observer,
  });
  const deadline = (callOptions: CallOptions | undefined) => deadlineAfter(callOptions?.deadlineMs ?? timeouts.defaultDeadlineMs);

  function forUser(userKey: string): UserApi {
    return userApi(userKey, store, tokens);
  }

  function forLogin(loginTokens: StoredTokens): { api: UserApi; tokens(): Promise<StoredTokens | undefined> } {
    // A key no chat user has: the login's own pacing budget, and nothing in the shared store to collide with.
    const loginKey = `login:${randomUUID()}`;
    const memory = new MemoryTokenStore();
    // MemoryTokenStore.save stores before its first await, so the tokens are there for the first call.
    void memory.save(loginKey, loginTokens).catch(() => undefined);
    const source = new TokenSource({
      store: memory,
      refresh: (current, userKey, callDeadline) => oauth.refresh(current, userKey, callDeadline),
      now,
      refreshAheadMs: timeouts.refreshAheadMs,
      refreshDeadlineMs: timeouts.refreshDeadlineMs,
      logger,
      observer: options.observer,
    });
    return { api: userApi(loginKey, memory, source), tokens: () => memory.get(loginKey) };
  }

  function userApi(userKey: string, store: TokenStore, tokens: TokenSource): UserApi {
    const requester = new UserRequester({
      userKey,
      http,
      tokens,
      pacer,
      logger,
      sleep,
      defaultDeadlineMs: timeouts.defaultDeadlineMs,
      maxRateLimitRetries: options.limits?.maxRateLimitRetries ?? DEFAULTS.maxRateLimitRetries,
    });
    return {
      userKey,
      readAccount: (callOptions) => readAccountInfo(requester, callOptions),
      readAccountServiceInfo: (callOptions) => readAccountServiceInfo(requester, callOptions),
      readAccountBusinessAddress: (callOptions) => readAccountBusinessAddress(requester, callOptions),
      readExtension: (extensionId, callOptions) => readExtension(requester, extensionId, callOptions),
      listExtensions: (params, callOptions) => listExtensions(requester, params, callOptions),
      listExtensionPhoneNumbers: (extensionId, params, callOptions) =>
        listExtensionPhoneNumbers(requester, extensionId, params, callOptions),
      listAccountPhoneNumbers: (params, callOptions) => listAccountPhoneNumbers(requester, params, callOptions),
      listForwardingNumbers: (extensionId, params, callOptions) => listForwardingNumbers(requester, extensionId, params, callOptions),
      listDirectoryEntries: (params, callOptions) => listDirectoryEntries(requester, params, callOptions),
      searchDirectory: (params, callOptions) => searchDirectoryEntries(requester, params, callOptions),
      readDirectoryEntry: (entryId, callOptions) => readDirectoryEntry(requester, entryId, callOptions),
      readPresence: (extensionId, callOptions) => readPresence(requester, extensionId, callOptions),
      listCallQueueMembers: (groupId, params, callOptions) => listCallQueueMembers(requester, groupId, params, callOptions),
      readAnsweringRule: (extensionId, ruleId, callOptions) => readAnsweringRule(requester, extensionId, ruleId, callOptions),
      readBusinessHours: (extensionId, callOptions) => readBusinessHours(requester, extensionId, callOptions),
      readCallerId: (extensionId, callOptions) => readCallerId(requester, extensionId, callOptions),
      headroom: (group) => requester.headroom(group),
      revoke: (callOptions) =>
        // Under the refresh lock, so a refresh finishing meanwhile cannot save tokens back after the delete.
        store.withRefreshLock(userKey, async () => {
          const current = await store.get(userKey);
          if (!current) return { revokedAtRingCentral: false };
          try {
            await oauth.revoke(current.refreshToken, userKey, deadline(callOptions));
            return { revokedAtRingCentral: true };
          } catch (error) {
            // RingCentral: ignore revoke errors and do not retry. The local unlink still happens.
            logger.warn({ userKey, err: error }, 'RingCentral revoke failed; deleting the tokens anyway');
            return { revokedAtRingCentral: false };
          } finally {
            await store.delete(userKey);
          }
        }),
      pages,
      allRecords,
    };
  }

  return {
    authorizeUrl({ redirectUri, state, loginHint, codeVerifier: given }) {
      const { codeVerifier, codeChallenge } =
        given === undefined ? createPkcePair() : { codeVerifier: given, codeChallenge: pkceChallenge(given) };
      const url = buildAuthorizeUrl({
        serverUrl: options.serverUrl,
        clientId: options.clientId,
        redirectUri,
        state,
        codeChallenge,
        loginHint,
      });
      return { url, codeVerifier };
    },
    exchangeCode: (params, callOptions) => oauth.exchangeCode(params, deadline(callOptions)),
    forUser,
    forLogin,
    async ping(pingOptions) {
      await http.send({
        operation: 'ping',
        method: 'GET',
        path: PING_PATH,
        deadline: deadlineAfter(pingOptions?.timeoutMs ?? PING_TIMEOUT_MS),
        retry: 'none',
      });
    },
    close: () => http.close(),
  };
}

import { randomBytes } from 'node:crypto';
import { oauthErrors } from './errors.ts';
import type { OAuthError } from './errors.ts';

/**
 * OAuth sessions. Tokens are opaque random strings. RingCentral's rules, modelled:
 * - A refresh rotates the pair; the previous access token is invalidated immediately (→ 401 OAU-213).
 * - A refresh token works once. Within a grace window after its use, repeating the refresh with it returns the
 *   SAME new pair (docs: about 10 s when the new access token is used; we model one settable window, 0 = none);
 *   after that it fails with invalid_grant (OAU-213).
 * - Revoking any token of a session ends the whole session ("invalidates ALL active access and refresh tokens").
 * - "only 5 simultaneously active sessions per extension per application … the oldest one is ended".
 */

export interface SessionSettings {
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  refreshGraceSeconds: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: number;
  refreshExpiresAt: number;
}

export interface Session {
  id: string;
  extensionId: number;
  clientId: string;
  scope: readonly string[];
  endpointId: string;
  current: TokenPair;
  revoked: boolean;
  createdAt: number;
}

export type AccessCheck =
  | { state: 'valid'; session: Session }
  | { state: 'expired'; session: Session }
  | { state: 'dead'; session: Session }
  | { state: 'unknown' };

interface RefreshRecord {
  session: Session;
  pair: TokenPair;
  usedAt?: number;
  successor?: TokenPair;
}

const maxSessionsPerExtensionAndApp = 5;

function opaqueToken(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly accessTokens = new Map<string, { session: Session; pair: TokenPair }>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();

  constructor(
    private readonly settings: () => SessionSettings,
    private readonly now: () => number = Date.now,
  ) {}

  create(input: { extensionId: number; clientId: string; scope: readonly string[]; endpointId?: string }): Session {
    const live = [...this.sessions.values()]
      .filter((s) => !s.revoked && s.extensionId === input.extensionId && s.clientId === input.clientId)
      .sort((a, b) => a.createdAt - b.createdAt);
    for (const oldest of live.slice(0, Math.max(0, live.length - maxSessionsPerExtensionAndApp + 1))) oldest.revoked = true;

    const session: Session = {
      id: randomBytes(8).toString('hex'),
      extensionId: input.extensionId,
      clientId: input.clientId,
      scope: input.scope,
      endpointId: input.endpointId ?? randomBytes(12).toString('base64url'),
      current: this.issuePair(),
      revoked: false,
      createdAt: this.now(),
    };
    this.sessions.set(session.id, session);
    this.remember(session, session.current);
    return session;
  }

  checkAccess(token: string): AccessCheck {
    const record = this.accessTokens.get(token);
    if (!record) return { state: 'unknown' };
    const { session, pair } = record;
    if (session.revoked || session.current !== pair) return { state: 'dead', session };
    if (this.now() >= pair.accessExpiresAt) return { state: 'expired', session };
    return { state: 'valid', session };
  }

  /** The session a refresh token belongs to, valid or not (to count the request against its user). */
  sessionOfRefreshToken(token: string): Session | undefined {
    return this.refreshTokens.get(token)?.session;
  }

  sessionOfAnyToken(token: string): Session | undefined {
    return this.accessTokens.get(token)?.session ?? this.refreshTokens.get(token)?.session;
  }

  refresh(token: string, clientId: string): { session: Session; pair: TokenPair } | { error: OAuthError } {
    const record = this.refreshTokens.get(token);
    if (!record || record.session.revoked || record.session.clientId !== clientId) return { error: oauthErrors.refreshTokenInvalid() };
    const { session } = record;
    const now = this.now();
    if (record.usedAt !== undefined) {
      const grace = this.settings().refreshGraceSeconds * 1000;
      const withinGrace = grace > 0 && now - record.usedAt < grace;
      if (withinGrace && record.successor === session.current) return { session, pair: session.current };
      return { error: oauthErrors.refreshTokenInvalid() };
    }
    if (record.pair !== session.current) return { error: oauthErrors.refreshTokenInvalid() };
    if (now >= record.pair.refreshExpiresAt) return { error: oauthErrors.refreshTokenExpired() };
    const next = this.issuePair();
    record.usedAt = now;
    record.successor = next;
    session.current = next;
    this.remember(session, next);
    return { session, pair: next };
  }

  /** Ends the session the token belongs to; unknown tokens are ignored (RFC 7009). */
  revokeByToken(token: string, clientId: string): Session | undefined {
    const session = this.sessionOfAnyToken(token);
    if (!session || session.clientId !== clientId) return undefined;
    session.revoked = true;
    return session;
  }

  revokeSession(session: Session): void {
    session.revoked = true;
  }

  /** As a password change would: every session of the extension ends. Returns how many ended. */
  revokeExtension(extensionId: number): number {
    let count = 0;
    for (const session of this.sessions.values()) {
      if (session.extensionId === extensionId && !session.revoked) {
        session.revoked = true;
        count += 1;
      }
    }
    return count;
  }

  /** Expires current access tokens now (all, or one extension's); refresh tokens stay valid. */
  expireAccessTokens(extensionId?: number): number {
    let count = 0;
    const now = this.now();
    for (const session of this.sessions.values()) {
      if (session.revoked || (extensionId !== undefined && session.extensionId !== extensionId)) continue;
      session.current.accessExpiresAt = Math.min(session.current.accessExpiresAt, now);
      count += 1;
    }
    return count;
  }

  /** Drops every session (a seed replacement invalidates all logins). */
  clear(): void {
    for (const session of this.sessions.values()) session.revoked = true;
  }

  private issuePair(): TokenPair {
    const { accessTtlSeconds, refreshTtlSeconds } = this.settings();
    const now = this.now();
    return {
      accessToken: opaqueToken('SBXA'),
      refreshToken: opaqueToken('SBXR'),
      accessExpiresAt: now + accessTtlSeconds * 1000,
      refreshExpiresAt: now + refreshTtlSeconds * 1000,
    };
  }

  private remember(session: Session, pair: TokenPair): void {
    this.accessTokens.set(pair.accessToken, { session, pair });
    this.refreshTokens.set(pair.refreshToken, { session, pair });
  }
}

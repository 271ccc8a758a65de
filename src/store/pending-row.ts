import type { KeyRing } from './key-ring.ts';
import { NewPendingLink, type PendingLink } from './link-store.ts';
import { newPendingLinkId } from './pending-state.ts';
import { openPendingSecret, sealPendingSecret } from './stored-secrets.ts';

/** A row of the `pending_links` table; both databases use these column names. */
export type PendingRow = {
  id: string;
  user_key: string;
  redirect_uri: string;
  /** The code verifier, the command to resume and the chat account, sealed: none is readable from a database dump. */
  sealed: string;
  created_at: number;
  expires_at: number;
};

/** The row a new OAuth link in progress is stored as, under a fresh id. */
export function newPendingRow(keyRing: KeyRing, pending: NewPendingLink, createdAt: number, ttlMs: number): PendingRow {
  const { userKey, codeVerifier, redirectUri, resume, chatAccount } = NewPendingLink.parse(pending);
  const id = newPendingLinkId();
  return {
    id,
    user_key: userKey,
    redirect_uri: redirectUri,
    sealed: sealPendingSecret(keyRing, id, { codeVerifier, resume, ...(chatAccount === undefined ? {} : { chatAccount }) }),
    created_at: createdAt,
    expires_at: createdAt + ttlMs,
  };
}

export function pendingLinkFromRow(keyRing: KeyRing, row: PendingRow): PendingLink {
  const secret = openPendingSecret(keyRing, row.id, row.sealed);
  return {
    userKey: row.user_key,
    codeVerifier: secret.codeVerifier,
    redirectUri: row.redirect_uri,
    resume: secret.resume,
    ...(secret.chatAccount === undefined ? {} : { chatAccount: secret.chatAccount }),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

import { createPkcePair } from '../api/auth.ts';
import type { RingCentralClient, UserApi } from '../api/client.ts';
import type { Logger } from '../observability/logger.ts';
import { silentLogger } from '../observability/logger.ts';
import type { StoredTokens } from '../api/tokens.ts';
import type { ChatAccount, LinkIdentity, LinkStore, PendingLinkResume } from '../store/link-store.ts';

// Each revoke is the user's own Auth-group call, so several can go at once; a workspace of thousands still ends in minutes.
const UNLINK_CONCURRENCY = 8;

/** Where RingCentral sends the user back after sign-in, under the bot's PUBLIC_URL. */
export const OAUTH_CALLBACK_PATH = '/oauth/ringcentral/callback';

/**
 * What happens when the RingCentral login's email is not the chat account's (or the chat email is unknown): `confirm`
 * holds the link until the chat user types the one-time code the sign-in page showed; `refuse` discards the sign-in.
 */
export type LinkEmailMismatch = 'confirm' | 'refuse';

export interface CompletedLink {
  userKey: string;
  identity: LinkIdentity;
  /** What the platform adapter needs to answer the command that started the link. */
  resume: PendingLinkResume;
  /** The chat account the link was started from, as its platform showed it then. */
  chatAccount?: ChatAccount | undefined;
  /** The chat has already said whom the user is linked as (the reply to `confirm`): the adapter need not say it again. */
  announced?: boolean;
}

/** How a sign-in ended. Only `linked` changed the chat user's link; the others left any earlier link as it was. */
export type LinkCompletion =
  | { kind: 'linked'; link: CompletedLink }
  /** The code, to show once on the sign-in page; only the chat user who started the link can use it. */
  | { kind: 'needs-confirmation'; code: string; expiresAt: number; identity: LinkIdentity; chatAccount?: ChatAccount | undefined }
  | { kind: 'refused'; identity: LinkIdentity; chatAccount?: ChatAccount | undefined };

export type Confirmation =
  | { kind: 'linked'; link: CompletedLink }
  | { kind: 'wrong-code'; triesLeft: number }
  | { kind: 'ended'; reason: 'expired' | 'too-many-tries' }
  | { kind: 'none' };

/**
 * Linking a chat user to their own RingCentral login: OAuth authorization code with PKCE. The state names a stored,
 * signed, single-use pending link bound to the chat user, so a callback can only complete the link it was made for.
 *
 * The state does not say who signed in, though: a Connect link forwarded to someone else (an administrator asked to
 * "click this for me") would hand their RingCentral view to the asker. So the login's own email is compared with the
 * chat account's, and a login that may be someone else's becomes the chat user's link only after that chat user
 * types the one-time code shown to whoever signed in. Until then its tokens are kept apart, unused.
 */
export class Linking {
  readonly #store: LinkStore;
  readonly #client: RingCentralClient;
  readonly #redirectUri: string;
  readonly #emailMismatch: LinkEmailMismatch;
  readonly #logger: Logger;
  #whenConfirmed: ((link: CompletedLink) => void) | undefined;

  constructor(options: {
    store: LinkStore;
    client: RingCentralClient;
    publicUrl: string;
    emailMismatch?: LinkEmailMismatch | undefined;
    logger?: Logger | undefined;
  }) {
    this.#store = options.store;
    this.#client = options.client;
    this.#redirectUri = `${options.publicUrl.replace(/\/+$/, '')}${OAUTH_CALLBACK_PATH}`;
    this.#emailMismatch = options.emailMismatch ?? 'confirm';
    this.#logger = options.logger ?? silentLogger;
  }

  /**
   * The sign-in URL for one chat user; `resume` and `chatAccount` are kept (encrypted) until the callback. The chat
   * account's email is read now, from the chat platform, by the adapter that knows who is asking.
   */
  async start(userKey: string, resume: PendingLinkResume, chatAccount?: ChatAccount): Promise<string> {
    const { codeVerifier } = createPkcePair();
    const state = await this.#store.createPendingLink({
      userKey,
      codeVerifier,
      redirectUri: this.#redirectUri,
      resume,
      ...(chatAccount === undefined ? {} : { chatAccount }),
    });
    return this.#client.authorizeUrl({ redirectUri: this.#redirectUri, state, codeVerifier }).url;
  }

  /**
   * Finishes a sign-in from the callback's code and state. Throws the store's InvalidState / ExpiredState / UsedState
   * for a bad state, and RingCentral errors for a refused code. The new login is read with its own tokens, held in
   * memory: they are written under the chat user's key only once the login is known to be theirs.
   */
  async complete(state: string, code: string): Promise<LinkCompletion> {
    const pending = await this.#store.consumePendingLink(state);
    const exchanged = await this.#client.exchangeCode({ code, codeVerifier: pending.codeVerifier, redirectUri: pending.redirectUri });
    const login = this.#client.forLogin(exchanged);
    let identity: LinkIdentity;
    try {
      identity = await readIdentity(login.api);
    } catch (error) {
      this.#revoke(exchanged);
      throw error;
    }
    // Reading the extension may have rotated the pair (a 401 and a refresh); keep the pair as it is now.
    const tokens = (await login.tokens()) ?? exchanged;
    const chatAccount = pending.chatAccount;

    if (sameEmail(identity.email, chatAccount?.email)) {
      await this.#saveLink(pending.userKey, identity, tokens);
      return { kind: 'linked', link: { userKey: pending.userKey, identity, resume: pending.resume, chatAccount } };
    }
    if (this.#emailMismatch === 'refuse') {
      this.#revoke(tokens);
      return { kind: 'refused', identity, chatAccount };
    }
    const held = await this.#store.holdUnconfirmedLink({
      userKey: pending.userKey,
      identity,
      tokens,
      resume: pending.resume,
      ...(chatAccount === undefined ? {} : { chatAccount }),
    });
    if (held.replaced !== undefined) this.#revoke(held.replaced);
    return { kind: 'needs-confirmation', code: held.code, expiresAt: held.expiresAt, identity, chatAccount };
  }

  /**
   * The chat user typed a code: the right one turns their unconfirmed sign-in into their link (replacing any earlier
   * one); the fifth wrong one, or any after ten minutes, discards it and signs its session out at RingCentral.
   */
  async confirm(userKey: string, code: string): Promise<Confirmation> {
    const result = await this.#store.confirmLink(userKey, code);
    switch (result.outcome) {
      case 'confirmed': {
        const { identity, tokens, resume, chatAccount } = result.link;
        await this.#saveLink(userKey, identity, tokens);
        const link = { userKey, identity, resume, chatAccount };
        this.#whenConfirmed?.({ ...link, announced: true });
        return { kind: 'linked', link };
      }
      case 'ended':
        if (result.tokens !== undefined) this.#revoke(result.tokens);
        return { kind: 'ended', reason: result.reason };
      case 'wrong-code':
        return { kind: 'wrong-code', triesLeft: result.triesLeft };
      case 'none':
        return { kind: 'none' };
    }
  }

  /** Discards unconfirmed sign-ins whose code expired and signs them out at RingCentral; resolves how many. */
  async discardExpired(): Promise<number> {
    const expired = await this.#store.takeExpiredUnconfirmedLinks();
    await Promise.all(expired.map((tokens) => this.#revokeNow(tokens)));
    return expired.length;
  }

  /**
   * Who answers the command that started a link once its code is confirmed: the chat adapters, as after a sign-in that
   * needed no code. Set once the adapters exist.
   */
  whenConfirmed(listener: (link: CompletedLink) => void): void {
    this.#whenConfirmed = listener;
  }

  /**
   * Ends the RingCentral session (best effort) and forgets the link, whether or not RingCentral could be told.
   * Resolves undefined when there was no link.
   */
  async unlink(userKey: string): Promise<{ revokedAtRingCentral: boolean } | undefined> {
    const link = await this.#store.getLink(userKey);
    if (!link) return undefined;
    return this.#signOutAndForget(userKey);
  }

  /**
   * Signs every chat user whose key starts with `prefix` (a workspace's, "slack:T0001:") out of RingCentral, best
   * effort, and forgets their links: a workspace that removed the app keeps no one's RingCentral access here.
   * Resolves how many were forgotten.
   */
  async unlinkEveryone(prefix: string): Promise<number> {
    const userKeys = await this.#store.userKeysStartingWith(prefix);
    let next = 0;
    const worker = async () => {
      while (next < userKeys.length) {
        const userKey = userKeys[next]!;
        next += 1;
        await this.#signOutAndForget(userKey);
      }
    };
    await Promise.all(Array.from({ length: Math.min(UNLINK_CONCURRENCY, userKeys.length) }, worker));
    return userKeys.length;
  }

  /** Ends the user's RingCentral session (best effort: a failure there still forgets them here) and deletes the link. */
  async #signOutAndForget(userKey: string): Promise<{ revokedAtRingCentral: boolean }> {
    const revoked = await this.#client
      .forUser(userKey)
      .revoke()
      .catch(() => ({ revokedAtRingCentral: false }));
    await this.#store.deleteLink(userKey);
    return revoked;
  }

  async #saveLink(userKey: string, identity: LinkIdentity, tokens: StoredTokens): Promise<void> {
    // A refresh of this chat user's earlier login may be in flight; it saves its rotated pair under the refresh lock.
    // Saving under the same lock lets it finish first, so it cannot write the old login over the new one afterwards.
    await this.#store.withRefreshLock(userKey, () => this.#store.saveLink(userKey, identity, tokens));
  }

  /** Best effort, in the background: a discarded login's session should not outlive it at RingCentral. */
  #revoke(tokens: StoredTokens): void {
    void this.#revokeNow(tokens);
  }

  async #revokeNow(tokens: StoredTokens): Promise<void> {
    try {
      await this.#client.forLogin(tokens).api.revoke();
    } catch (error) {
      this.#logger.warn(
        { err: { name: (error as Error).name, message: (error as Error).message } },
        'could not sign a discarded login out of RingCentral',
      );
    }
  }
}

/** Who the login is, read from its own extension. */
async function readIdentity(api: UserApi): Promise<LinkIdentity> {
  const self = await api.readExtension('~');
  const accountId = self.account?.id ?? String((await api.readAccount()).id);
  return {
    accountId,
    extensionId: String(self.id),
    extensionNumber: self.extensionNumber ?? '',
    name: self.name ?? [self.contact?.firstName, self.contact?.lastName].filter(Boolean).join(' '),
    ...(self.contact?.email ? { email: self.contact.email } : {}),
  };
}

/** Emails compare without case or surrounding spaces; an unknown email on either side is never the same person. */
export function sameEmail(a: string | undefined, b: string | undefined): boolean {
  const left = a?.trim().toLowerCase() ?? '';
  const right = b?.trim().toLowerCase() ?? '';
  return left !== '' && left === right;
}

import { createPkcePair } from '../api/auth.ts';
import type { RingCentralClient } from '../api/client.ts';
import type { LinkIdentity, LinkStore, PendingLinkResume } from '../store/link-store.ts';

/** Where RingCentral sends the user back after sign-in, under the bot's PUBLIC_URL. */
export const OAUTH_CALLBACK_PATH = '/oauth/ringcentral/callback';

export interface CompletedLink {
  userKey: string;
  identity: LinkIdentity;
  /** What the platform adapter needs to answer the command that started the link. */
  resume: PendingLinkResume;
}

/**
 * Linking a chat user to their own RingCentral login: OAuth authorization code with PKCE. The state names a stored,
 * signed, single-use pending link bound to the chat user, so a callback can only complete the link it was made for.
 */
export class Linking {
  readonly #store: LinkStore;
  readonly #client: RingCentralClient;
  readonly #redirectUri: string;

  constructor(options: { store: LinkStore; client: RingCentralClient; publicUrl: string }) {
    this.#store = options.store;
    this.#client = options.client;
    this.#redirectUri = `${options.publicUrl.replace(/\/+$/, '')}${OAUTH_CALLBACK_PATH}`;
  }

  /** The sign-in URL for one chat user; `resume` is kept (encrypted) until the callback. */
  async start(userKey: string, resume: PendingLinkResume): Promise<string> {
    const { codeVerifier } = createPkcePair();
    const state = await this.#store.createPendingLink({ userKey, codeVerifier, redirectUri: this.#redirectUri, resume });
    return this.#client.authorizeUrl({ redirectUri: this.#redirectUri, state, codeVerifier }).url;
  }

  /**
   * Finishes a link from the callback's code and state. Throws the store's InvalidState / ExpiredState / UsedState for
   * a bad state, and RingCentral errors for a refused code. The tokens are saved before the first call that uses them.
   */
  async complete(state: string, code: string): Promise<CompletedLink> {
    const pending = await this.#store.consumePendingLink(state);
    const tokens = await this.#client.exchangeCode({ code, codeVerifier: pending.codeVerifier, redirectUri: pending.redirectUri });
    // A refresh of this chat user's earlier login may be in flight; it saves its rotated pair under the refresh lock.
    // Saving under the same lock lets it finish first, so it cannot write the old login over the new one afterwards.
    await this.#store.withRefreshLock(pending.userKey, () => this.#store.save(pending.userKey, tokens));
    const api = this.#client.forUser(pending.userKey);
    const self = await api.readExtension('~');
    const accountId = self.account?.id ?? String((await api.readAccount()).id);
    const identity: LinkIdentity = {
      accountId,
      extensionId: String(self.id),
      extensionNumber: self.extensionNumber ?? '',
      name: self.name ?? [self.contact?.firstName, self.contact?.lastName].filter(Boolean).join(' '),
      ...(self.contact?.email ? { email: self.contact.email } : {}),
    };
    // The token source may have rotated the pair while reading the extension; link with what is stored now.
    const current = (await this.#store.get(pending.userKey)) ?? tokens;
    await this.#store.saveLink(pending.userKey, identity, current);
    return { userKey: pending.userKey, identity, resume: pending.resume };
  }

  /**
   * Ends the RingCentral session (best effort) and forgets the link, whether or not RingCentral could be told.
   * Resolves undefined when there was no link.
   */
  async unlink(userKey: string): Promise<{ revokedAtRingCentral: boolean } | undefined> {
    const link = await this.#store.getLink(userKey);
    if (!link) return undefined;
    const revoked = await this.#client
      .forUser(userKey)
      .revoke()
      .catch(() => ({ revokedAtRingCentral: false }));
    await this.#store.deleteLink(userKey);
    return revoked;
  }
}

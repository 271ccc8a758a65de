import type { App } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { ChatUserRef } from '../../handlers/cards.ts';
import type { ChatPeople } from '../../handlers/chat-people.ts';

// Slack profiles change rarely; a short cache keeps a burst of /ext lookups from spending Slack's Web API limits.
const PROFILE_TTL_MS = 10 * 60 * 1000;

// Slack's bodies as far as they are read. A field of the wrong type reads as absent; a user without an id is no answer.
const optionalText = z.string().min(1).optional().catch(undefined);
const SlackProfile = z.object({ email: optionalText, display_name: optionalText, real_name: optionalText }).optional().catch(undefined);
const UsersInfo = z.object({ user: z.object({ real_name: optionalText, profile: SlackProfile }).optional().catch(undefined) });
const LookupByEmail = z.object({
  user: z.object({ id: z.string().min(1), name: optionalText, real_name: optionalText, profile: SlackProfile }),
});

/** A body Slack would not send: not cached, and read as "unknown". */
class UnexpectedSlackBody extends Error {
  override name = 'UnexpectedSlackBody';
}

/** The workspace has no bot token here (install mode: no installation). */
class NoWorkspaceToken extends Error {
  override name = 'NoWorkspaceToken';
}

type Profile = { email?: string; displayName?: string };

/** Slack's users.info and users.lookupByEmail behind the platform-neutral ChatPeople, per workspace. */
export class SlackPeople {
  readonly #clientFor: (teamId: string) => Promise<App['client'] | undefined>;
  readonly #profiles = new LRUCache<string, { value: Profile | ChatUserRef | null }>({ max: 10_000, ttl: PROFILE_TTL_MS });

  /** `clientFor` gives the workspace's own Web API client (its bot token), or undefined when it has none. */
  constructor(clientFor: (teamId: string) => Promise<App['client'] | undefined>) {
    this.#clientFor = clientFor;
  }

  async #client(teamId: string): Promise<App['client']> {
    const client = await this.#clientFor(teamId);
    // Not an answer, so not cached: the profile reads as unknown.
    if (client === undefined) throw new NoWorkspaceToken(`no Slack token for workspace ${teamId}`);
    return client;
  }

  forTeam(teamId: string): ChatPeople {
    return {
      emailOf: (userId) => this.#emailOf(teamId, userId),
      findByEmail: (email) => this.#findByEmail(teamId, email),
    };
  }

  async #emailOf(teamId: string, userId: string): Promise<Profile | undefined> {
    return this.#remember(`${teamId}:user:${userId}`, async () => {
      const result = UsersInfo.parse(await (await this.#client(teamId)).users.info({ user: userId }));
      const profile = result.user?.profile;
      const displayName = profile?.display_name || profile?.real_name || result.user?.real_name || undefined;
      return { ...(profile?.email ? { email: profile.email } : {}), ...(displayName ? { displayName } : {}) };
    }) as Promise<Profile | undefined>;
  }

  async #findByEmail(teamId: string, email: string): Promise<ChatUserRef | undefined> {
    return this.#remember(`${teamId}:email:${email.toLowerCase()}`, async () => {
      const parsed = LookupByEmail.safeParse(await (await this.#client(teamId)).users.lookupByEmail({ email }));
      if (!parsed.success) throw new UnexpectedSlackBody('users.lookupByEmail answered without a user id');
      const user = parsed.data.user;
      const displayName = user.profile?.display_name || user.real_name || user.name || undefined;
      return { id: user.id, ...(displayName ? { displayName } : {}) };
    }) as Promise<ChatUserRef | undefined>;
  }

  /** Caches answers, including "no such user"; a Slack error is not cached and reads as "unknown". */
  async #remember<T extends object>(key: string, load: () => Promise<T | null>): Promise<T | undefined> {
    const cached = this.#profiles.get(key);
    if (cached) return (cached.value ?? undefined) as T | undefined;
    try {
      const value = await load();
      this.#profiles.set(key, { value });
      return value ?? undefined;
    } catch (error) {
      // users_not_found / user_not_found are answers; anything else (rate limit, network) is not.
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code === 'users_not_found' || code === 'user_not_found') this.#profiles.set(key, { value: null });
      return undefined;
    }
  }
}

import { TeamsInfo } from 'botbuilder';
import type { TurnContext } from 'botbuilder';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { ChatUserRef } from '../../handlers/cards.ts';
import type { ChatPeople } from '../../handlers/chat-people.ts';

// Teams profiles change rarely; a short cache keeps a burst of lookups from spending the connector's limits.
const PROFILE_TTL_MS = 10 * 60 * 1000;

// A field of the wrong type reads as absent; a member without an id is no answer at all.
const optionalText = z.string().min(1).optional().catch(undefined);
const ConnectorMember = z.object({ id: z.string().min(1), name: optionalText, email: optionalText, userPrincipalName: optionalText });

interface Member {
  id: string;
  email?: string;
  displayName?: string;
}

/**
 * The Bot Framework connector's member lookup (TeamsInfo.getMember) behind the platform-neutral ChatPeople. It answers
 * for members of the conversation (or its team) the turn came from; Teams accepts a user id, an AAD object id or a
 * UPN, so one call serves both directions. Best effort: anything the connector will not say reads as "unknown".
 */
export class TeamsPeople {
  readonly #members = new LRUCache<string, { value: Member | null }>({ max: 10_000, ttl: PROFILE_TTL_MS });

  forTurn(context: TurnContext): ChatPeople {
    const scope = `${tenantOf(context)}:${channelDataOf(context).team?.id ?? context.activity.conversation?.id ?? ''}`;
    return {
      emailOf: async (userId) => {
        const member = await this.#member(context, scope, userId);
        if (member === undefined) return undefined;
        return { ...(member.email ? { email: member.email } : {}), ...(member.displayName ? { displayName: member.displayName } : {}) };
      },
      findByEmail: async (email): Promise<ChatUserRef | undefined> => {
        const member = await this.#member(context, scope, email.toLowerCase());
        if (member === undefined) return undefined;
        return { id: member.id, ...(member.displayName ? { displayName: member.displayName } : {}) };
      },
    };
  }

  async #member(context: TurnContext, scope: string, userId: string): Promise<Member | undefined> {
    const key = `${scope}:${userId}`;
    const cached = this.#members.get(key);
    if (cached) return cached.value ?? undefined;
    try {
      // The connector's body is not checked by botbuilder; one without an id (`{}`) must not reach a card.
      const parsed = ConnectorMember.safeParse(await TeamsInfo.getMember(context, userId));
      if (!parsed.success) return undefined;
      const account = parsed.data;
      const email = account.email ?? account.userPrincipalName;
      const member: Member = { id: account.id, ...(email ? { email } : {}), ...(account.name ? { displayName: account.name } : {}) };
      this.#members.set(key, { value: member });
      return member;
    } catch (error) {
      // "Not a member" is an answer worth keeping; a throttled or failed call is not.
      if ((error as { statusCode?: number }).statusCode === 404) this.#members.set(key, { value: null });
      return undefined;
    }
  }
}

export function tenantOf(context: TurnContext): string | undefined {
  return channelDataOf(context).tenant?.id ?? context.activity.conversation?.tenantId;
}

// botbuilder types channelData as any: it is whatever the activity carried. Only string ids are read from it; an id of
// another type reads as absent, rather than an object that every requester key built from it prints as "[object Object]".
const IdOf = z.object({ id: z.string() }).optional().catch(undefined);
const TeamsChannelData = z.object({ tenant: IdOf, team: IdOf }).catch({ tenant: undefined, team: undefined });

function channelDataOf(context: TurnContext): z.infer<typeof TeamsChannelData> {
  return TeamsChannelData.parse(context.activity.channelData ?? {});
}

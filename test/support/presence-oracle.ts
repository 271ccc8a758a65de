import type { Sandbox } from '../../src/sandbox/server.ts';
import { accountJson } from './sandbox.ts';

/*
 * What a card should say of presence and of a call queue's members, worked out from what RingCentral (the sandbox)
 * answers a viewer's own login, independently of the bot: the visibility oracle for the new fields.
 */

type Json = Record<string, any>;

const callWords: Record<string, string> = {
  CallConnected: 'On a call',
  OnHold: 'On a call (on hold)',
  ParkedCall: 'On a call (parked)',
  Ringing: 'Phone ringing',
};
const dndDetail: Record<string, string> = {
  DoNotAcceptDepartmentCalls: 'takes no department calls',
  TakeDepartmentCallsOnly: 'takes department calls only',
};

/** The card's presence text for RingCentral's presence JSON; undefined when the card should show none. */
export function expectedPresenceText(presence: Json): string | undefined {
  if (presence.presenceStatus === undefined) return undefined;
  const message = typeof presence.message === 'string' && presence.message.trim() !== '' ? ` · “${presence.message.trim()}”` : '';
  if (presence.dndStatus === 'DoNotAcceptAnyCalls') return `Do not disturb${message}`;
  if (presence.presenceStatus === 'Offline' && presence.allowSeeMyPresence === false && presence.userStatus === undefined)
    return 'Not shared';
  const label =
    callWords[presence.telephonyStatus] ??
    (presence.presenceStatus === 'Offline' ? 'Offline' : presence.presenceStatus === 'Busy' ? 'Busy' : 'Available');
  const detail = dndDetail[presence.dndStatus];
  return `${detail === undefined ? label : `${label}: ${detail}`}${message}`;
}

/** The presence text a person's card shows this viewer now, read with the viewer's own login. */
export async function presenceTextFor(
  sandbox: Pick<Sandbox, 'url'>,
  accessToken: string,
  extensionId: string,
): Promise<string | undefined> {
  return expectedPresenceText(await accountJson(sandbox, accessToken, `/extension/${extensionId}/presence`));
}

export interface ExpectedMember {
  /** The directory's name, or "Not in the directory". */
  title: string;
  /** "Ext. 102 · Busy · “…”": extension, status when not Enabled, presence. */
  details: string;
}

/** One page (10) of a queue's members as the viewer's card should list them. */
export async function expectedQueuePage(
  sandbox: Pick<Sandbox, 'url'>,
  accessToken: string,
  groupId: string,
  page: number,
): Promise<{ total: number; members: ExpectedMember[] }> {
  const members = (await accountJson(sandbox, accessToken, `/call-queues/${groupId}/members?perPage=1000`)).records as Json[];
  const directory = (await accountJson(sandbox, accessToken, '/directory/entries?perPage=2000')).records as Json[];
  const byId = new Map(directory.map((entry) => [entry.id, entry]));
  const shown = members.slice((page - 1) * 10, page * 10);
  const rows = await Promise.all(
    shown.map(async (member): Promise<ExpectedMember> => {
      const entry = byId.get(String(member.id));
      const title =
        entry === undefined ? 'Not in the directory' : (entry.name ?? [entry.firstName, entry.lastName].filter(Boolean).join(' '));
      const status =
        entry?.status !== undefined && entry.status !== 'Enabled'
          ? entry.status === 'NotActivated'
            ? 'Not activated'
            : entry.status
          : undefined;
      const presence = status === undefined ? await presenceTextFor(sandbox, accessToken, String(member.id)) : undefined;
      return { title, details: [`Ext. ${member.extensionNumber}`, status, presence].filter((part) => part !== undefined).join(' · ') };
    }),
  );
  return { total: members.length, members: rows };
}

import { z } from 'zod';
import { CorruptCiphertext, UnknownEncryptionKey } from './errors.ts';
import type { KeyRing } from './key-ring.ts';
import { open, seal } from './sealed-box.ts';

/*
 * Slack installations made through the "Add to Slack" flow (install mode): one per workspace, or one per Enterprise
 * Grid org for an org-wide install. The whole installation, bot token included, is sealed like RingCentral tokens;
 * only the owner id (a Slack team or enterprise id) and the key id are readable at rest.
 */

const SlackRef = z.object({ id: z.string().min(1), name: z.string().optional() });

/** What @slack/oauth's InstallProvider hands storeInstallation (OAuth v2), as far as Switchboard keeps it. */
export const SlackInstallation = z.object({
  team: SlackRef.optional(),
  enterprise: SlackRef.optional(),
  isEnterpriseInstall: z.boolean().optional(),
  appId: z.string().optional(),
  tokenType: z.literal('bot').optional(),
  authVersion: z.enum(['v1', 'v2']).optional(),
  enterpriseUrl: z.string().optional(),
  bot: z
    .object({
      id: z.string().optional(),
      userId: z.string().min(1),
      token: z.string().min(1),
      scopes: z.array(z.string()),
      // Token rotation, when the app has it on: Bolt refreshes the token and stores the installation again.
      refreshToken: z.string().optional(),
      expiresAt: z.number().optional(),
    })
    .optional(),
  user: z.object({
    id: z.string().min(1),
    token: z.string().optional(),
    scopes: z.array(z.string()).optional(),
    refreshToken: z.string().optional(),
    expiresAt: z.number().optional(),
  }),
});
export type SlackInstallation = z.infer<typeof SlackInstallation>;

/**
 * The id an installation is kept under: its enterprise id for an org-wide install (it serves every workspace of the
 * org, and its events name no single team), else its team id. Slack ids are prefixed (T…, E…), so the two never meet.
 */
export function installationOwnerId(installation: Pick<SlackInstallation, 'team' | 'enterprise' | 'isEnterpriseInstall'>): string {
  if (installation.isEnterpriseInstall === true) {
    if (installation.enterprise === undefined) throw new TypeError('an org-wide Slack installation without an enterprise id');
    return installation.enterprise.id;
  }
  if (installation.team === undefined) throw new TypeError('a Slack installation without a team id');
  return installation.team.id;
}

export interface SlackInstallationStore {
  /** Validates, seals with the current key and keeps it under its owner id; installing again replaces it. */
  saveSlackInstallation(installation: SlackInstallation): Promise<void>;
  getSlackInstallation(ownerId: string): Promise<SlackInstallation | undefined>;
  /** Resolves true when there was one to remove. */
  deleteSlackInstallation(ownerId: string): Promise<boolean>;
}

export type SealedInstallation = { ownerId: string; isEnterpriseInstall: boolean; keyId: string; sealed: string };

export function sealInstallation(keyRing: KeyRing, installation: SlackInstallation): SealedInstallation {
  const parsed = SlackInstallation.parse(installation);
  const ownerId = installationOwnerId(parsed);
  return {
    ownerId,
    isEnterpriseInstall: parsed.isEnterpriseInstall === true,
    keyId: keyRing.current.id,
    sealed: seal(keyRing, JSON.stringify(parsed), installationContext(ownerId)),
  };
}

export function openInstallation(keyRing: KeyRing, ownerId: string, sealed: string): SlackInstallation {
  let value: unknown;
  try {
    value = JSON.parse(open(keyRing, sealed, installationContext(ownerId)));
  } catch (error) {
    if (error instanceof SyntaxError) throw new CorruptCiphertext('decrypted installation is not JSON');
    throw error;
  }
  const parsed = SlackInstallation.safeParse(value);
  if (!parsed.success) throw new CorruptCiphertext('decrypted installation does not match the SlackInstallation schema');
  return parsed.data;
}

/** Throws UnknownEncryptionKey when a stored installation needs a key the ring lacks: fail at start, not at first use. */
export function assertKeysCoverInstallations(keyRing: KeyRing, counts: readonly { keyId: string; count: number }[]): void {
  const missing = counts.filter(({ keyId }) => keyRing.find(keyId) === undefined);
  if (missing.length === 0) return;
  const installations = missing.reduce((sum, { count }) => sum + Number(count), 0);
  throw new UnknownEncryptionKey(
    missing.map(({ keyId }) => keyId),
    ` (bot tokens of ${installations} Slack installation(s))`,
  );
}

/** Associated data binds the ciphertext to its row: an installation copied under another workspace does not open. */
function installationContext(ownerId: string): string {
  return `slack_installations:${ownerId}`;
}

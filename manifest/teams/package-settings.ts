import { z } from 'zod';

/**
 * What `npm run teams:package` needs from the environment. Stricter than src/config.ts, where both are optional (the
 * bot runs in emulator mode without them): a Teams app cannot be built without the bot's id, and Teams reaches bots
 * and their pages over https only.
 */
const notSet = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

export const TeamsPackageSettings = z.object({
  MicrosoftAppId: z.preprocess(
    notSet,
    z
      .string({ error: 'is not set' })
      .trim()
      .pipe(z.guid({ error: 'must be a GUID' })),
  ),
  PUBLIC_URL: z.preprocess(
    notSet,
    z
      .string({ error: 'is not set' })
      .trim()
      .pipe(z.url({ protocol: /^https$/, error: 'must be an https:// URL' })),
  ),
});
export type TeamsPackageSettings = z.infer<typeof TeamsPackageSettings>;

export class TeamsPackageError extends Error {
  override name = 'TeamsPackageError';
}

/** Reads the settings; a missing or bad one fails with one line that names it, e.g. "MicrosoftAppId must be a GUID". */
export function readTeamsPackageSettings(env: NodeJS.ProcessEnv): TeamsPackageSettings {
  const parsed = TeamsPackageSettings.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new TeamsPackageError(`${issue?.path.join('.') ?? 'settings'} ${issue?.message ?? 'are invalid'}`);
}

import type { Seed, SeedExtension } from '../../src/sandbox/seed.ts';
import type { DemoStack } from '../../src/demo/demo-stack.ts';
import { linkUser } from './slack-stack.ts';

/** The local Slack's people are the company's, as "U<extension number>" with the extension's email. */
export const slackIdOf = (extension: SeedExtension): string => `U${extension.extensionNumber}`;

/**
 * An enabled administrator and an enabled, listed standard user of a generated company, picked from its data, each
 * linked through the real flow as their own Slack user.
 */
export async function linkGeneratedRequesters(stack: DemoStack, seed: Seed): Promise<{ admin: SeedExtension; standard: SeedExtension }> {
  const enabledUser = (extension: SeedExtension) => extension.type === 'User' && extension.status === 'Enabled';
  const admin = seed.extensions.find((extension) => extension.admin && enabledUser(extension))!;
  const standard = seed.extensions.find((extension) => !extension.admin && enabledUser(extension) && !extension.hidden)!;
  await linkUser(stack, slackIdOf(admin), admin.extensionNumber);
  await linkUser(stack, slackIdOf(standard), standard.extensionNumber);
  return { admin, standard };
}

import { z } from 'zod';

// Its own module: the welcome and the message action make resumes too, and teams-app.ts imports both of them.

export const ChannelAccount = z.object({ id: z.string(), name: z.string().optional(), aadObjectId: z.string().optional() });

/** What a Teams command needs to be answered after its user links: the one-to-one chat to post in. */
export const TeamsResume = z.object({
  platform: z.literal('teams'),
  command: z.string(),
  reference: z.object({
    channelId: z.string(),
    serviceUrl: z.url(),
    bot: ChannelAccount,
    user: ChannelAccount,
    conversation: z.object({
      id: z.string(),
      conversationType: z.string().optional(),
      tenantId: z.string().optional(),
      isGroup: z.boolean().optional(),
    }),
  }),
});
export type TeamsResume = z.infer<typeof TeamsResume>;

import { z } from 'zod';
import type { CompanyClock } from './clock.ts';
import { FaultRule } from './faults.ts';
import type { FaultQueue } from './faults.ts';
import type { RateLimitsOption } from './limits.ts';
import { emptyReply, jsonReply } from './replies.ts';
import type { Reply } from './replies.ts';
import { DndStatus, TelephonyStatus, UserPresenceStatus } from './seed.ts';
import type { SeedPresence } from './seed.ts';
import type { SessionStore } from './sessions.ts';
import type { Stats } from './stats.ts';

/**
 * The sandbox-only control API, under /__sandbox (a prefix RingCentral never uses). No authentication: the
 * sandbox listens on loopback only.
 */
export const controlPrefix = '/__sandbox';

const RateLimitsSetting = z.union([
  z.literal('default'),
  z.literal('off'),
  z.object({
    scale: z.number().positive().optional(),
    limits: z
      .object({
        Light: z.number().int().positive(),
        Medium: z.number().int().positive(),
        Heavy: z.number().int().positive(),
        Auth: z.number().int().positive(),
      })
      .partial()
      .optional(),
    windowSeconds: z.number().positive().optional(),
    penaltySeconds: z.number().nonnegative().optional(),
  }),
]);

export const RuntimeConfigPatch = z.object({
  latencyMs: z.number().nonnegative().optional(),
  failureRate: z.number().min(0).max(1).optional(),
  rateLimits: RateLimitsSetting.optional(),
  accessTtlSeconds: z.number().positive().optional(),
  refreshTtlSeconds: z.number().positive().optional(),
  refreshGraceSeconds: z.number().nonnegative().optional(),
  authCodeTtlSeconds: z.number().positive().optional(),
});
export type RuntimeConfigPatch = z.infer<typeof RuntimeConfigPatch>;

// An ISO 8601 date-time with its offset ("2026-12-02T10:00:00-08:00"), so the instant is never ambiguous.
const ClockSetting = z.object({ now: z.iso.datetime({ offset: true }) });

const ExtensionSelector = z.object({ extensionId: z.union([z.string().regex(/^\d+$/), z.number().int()]).optional() });

/** A change to one user's presence; fields left out keep their value. */
export const PresenceChange = z
  .object({
    extensionId: z.union([z.string().regex(/^\d+$/), z.number().int()]),
    userStatus: UserPresenceStatus.optional(),
    dndStatus: DndStatus.optional(),
    telephonyStatus: TelephonyStatus.optional(),
    message: z.string().optional(),
    allowSeeMyPresence: z.boolean().optional(),
  })
  .strict();
export type PresenceChange = z.infer<typeof PresenceChange>;

export interface ControlDeps {
  faults: FaultQueue;
  stats: Stats;
  sessions: SessionStore;
  configure: (patch: RuntimeConfigPatch & { rateLimits?: RateLimitsOption }) => unknown;
  replaceSeed: (input: unknown) => void;
  /** The user's presence after the change, or undefined when no extension has that id. */
  setPresence: (extensionId: number, change: Partial<SeedPresence>) => SeedPresence | undefined;
  clock: CompanyClock;
}

function badRequest(message: string): Reply {
  return jsonReply(400, { errorCode: 'SBX-400', message, errors: [{ errorCode: 'SBX-400', message }] });
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T | Reply {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  return badRequest(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
}

function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && 'status' in value && 'headers' in value;
}

export function handleControl(method: string, path: string, body: unknown, deps: ControlDeps): Reply {
  const route = `${method} ${path.slice(controlPrefix.length).replace(/\/$/, '')}`;
  switch (route) {
    case 'POST /faults': {
      const rule = parse(FaultRule, body);
      if (isReply(rule)) return rule;
      deps.faults.add(rule);
      return jsonReply(200, { pending: deps.faults.pending() });
    }
    case 'GET /faults':
      return jsonReply(200, { pending: deps.faults.pending() });
    case 'DELETE /faults':
      deps.faults.clear();
      return emptyReply(204);
    case 'GET /stats':
      return jsonReply(200, deps.stats.snapshot());
    case 'POST /stats/reset':
      deps.stats.reset();
      return emptyReply(204);
    case 'POST /config': {
      const patch = parse(RuntimeConfigPatch, body);
      if (isReply(patch)) return patch;
      return jsonReply(200, deps.configure(patch));
    }
    case 'POST /expire-access-tokens': {
      const selector = parse(ExtensionSelector, body);
      if (isReply(selector)) return selector;
      const expired = deps.sessions.expireAccessTokens(selector.extensionId === undefined ? undefined : Number(selector.extensionId));
      return jsonReply(200, { expired });
    }
    case 'POST /revoke-sessions': {
      const selector = parse(ExtensionSelector, body);
      if (isReply(selector)) return selector;
      if (selector.extensionId === undefined) return badRequest('extensionId: required');
      return jsonReply(200, { revoked: deps.sessions.revokeExtension(Number(selector.extensionId)) });
    }
    case 'POST /presence': {
      const parsed = parse(PresenceChange, body);
      if (isReply(parsed)) return parsed;
      const { extensionId, ...change } = parsed;
      const defined = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)) as Partial<SeedPresence>;
      const presence = deps.setPresence(Number(extensionId), defined);
      if (!presence)
        return jsonReply(404, {
          errorCode: 'SBX-404',
          message: `No extension with id ${extensionId}`,
          errors: [{ errorCode: 'SBX-404', message: `No extension with id ${extensionId}` }],
        });
      return jsonReply(200, presence);
    }
    case 'GET /clock':
      return jsonReply(200, { now: new Date(deps.clock.now()).toISOString() });
    case 'POST /clock': {
      const setting = parse(ClockSetting, body);
      if (isReply(setting)) return setting;
      // The instant it was set to: reading the running clock back could be a millisecond on already.
      const setTo = Date.parse(setting.now);
      deps.clock.set(setTo);
      return jsonReply(200, { now: new Date(setTo).toISOString() });
    }
    case 'DELETE /clock':
      deps.clock.reset();
      return emptyReply(204);
    case 'POST /seed':
      try {
        deps.replaceSeed(body);
        return emptyReply(204);
      } catch (error) {
        return badRequest((error as Error).message);
      }
    default:
      return jsonReply(404, {
        errorCode: 'SBX-404',
        message: `No control route ${route}`,
        errors: [{ errorCode: 'SBX-404', message: `No control route ${route}` }],
      });
  }
}

import type { RingCentralClient, UserApi } from '../api/client.ts';
import { RingCentralError } from '../api/errors.ts';
import type { Logger } from '../api/logger.ts';
import { DatabaseUnavailable } from '../store/errors.ts';
import type { LinkStore, PendingLinkResume } from '../store/link-store.ts';
import type { Reply } from './cards.ts';
import type { ChatPeople } from './chat-people.ts';
import type { CommandMetrics, CommandOutcome } from './command-outcome.ts';
import { outcomeOfError, outcomeOfReply } from './command-outcome.ts';
import { answerCompany, CompanyLookups } from './company.ts';
import type { DirectoryIndexCache } from './directory.ts';
import { Directory } from './directory.ts';
import { answerExt } from './ext.ts';
import type { LookupContext } from './ext.ts';
import { answerMyForwarding, answerStatus } from './forwarding.ts';
import type { Linking } from './linking.ts';
import type { Command, CommandName } from './parse-command.ts';
import { errorReply, helpReply, linkPromptReply, notLinkedReply, unlinkedReply } from './replies.ts';
import type { Requester, RequesterCache } from './requester-cache.ts';
import { answerWhois } from './whois.ts';

/** Everything a command needs, built once at start and shared by the Slack and Teams adapters. */
export interface CommandServices {
  store: LinkStore;
  client: RingCentralClient;
  linking: Linking;
  cache: RequesterCache;
  indexes: DirectoryIndexCache;
  /** How long a requester's directory index is trusted before it is revalidated. */
  directoryFreshMs: number;
  /** How long a requester's view of someone's presence is kept (far shorter than other answers). */
  presenceTtlMs: number;
  logger: Logger;
  /** Counts each command by name and outcome, and times it. */
  metrics?: CommandMetrics | undefined;
  /** The wall clock (epoch ms) business hours are read against; the demo and tests give the sandbox's company clock. */
  clock?: (() => number) | undefined;
}

export interface CommandRequest {
  /** The chat user, e.g. "slack:T123:U456"; their link decides whose RingCentral token answers. */
  userKey: string;
  command: Command;
  people: ChatPeople;
  /** How the adapter answers this command once the user has linked, if it must wait for that. */
  resume: PendingLinkResume;
}

/**
 * Runs one command for one chat user and always resolves with a reply: failures become short notices (errorReply),
 * never a stack trace. A login RingCentral no longer accepts is forgotten and the user is asked to link again.
 */
export async function runCommand(services: CommandServices, request: CommandRequest): Promise<Reply> {
  return runGuarded(services, request, request.command.name, () => answer(services, request));
}

/** A chat user asking for something that is not one typed command (App Home, a message shortcut). */
export type RequesterRequest = Omit<CommandRequest, 'command'>;

/** What a lookup for a linked requester works with: their directory, and /ext and /whois as they would answer. */
export interface RequesterLookups {
  /** The requester's own RingCentral API, and who they are there. */
  api: UserApi;
  requester: Requester;
  directory: Directory;
  context: LookupContext;
  byPhone(text: string): Promise<Reply>;
  byExtensionNumber(extensionNumber: string): Promise<Reply>;
}

/**
 * Runs a lookup the way runCommand runs a command: a chat user with no link is offered one (the prompt keeps
 * `resume`), and every failure becomes a short reply. `countAs` counts it in the command metrics under that command's
 * name (undefined: not counted, for what nobody asked for, such as drawing App Home).
 */
export async function runForRequester(
  services: CommandServices,
  request: RequesterRequest,
  countAs: CommandName | undefined,
  lookup: (lookups: RequesterLookups) => Promise<Reply>,
): Promise<Reply> {
  return runGuarded(services, request, countAs, () => withLink(services, request, lookup));
}

async function runGuarded(
  services: CommandServices,
  request: RequesterRequest,
  name: CommandName | undefined,
  work: () => Promise<Reply>,
): Promise<Reply> {
  const started = performance.now();
  let reply: Reply;
  let outcome: CommandOutcome;
  try {
    reply = await work();
    outcome = outcomeOfReply(reply);
  } catch (error) {
    reply = await failureReply(services, request, name, error);
    outcome = outcomeOfError(error);
  }
  if (name !== undefined) services.metrics?.commandFinished({ command: name, outcome, durationSeconds: (performance.now() - started) / 1000 });
  return reply;
}

async function answer(services: CommandServices, request: CommandRequest): Promise<Reply> {
  const { command, userKey } = request;
  switch (command.name) {
    case 'help':
      return helpReply();
    case 'link':
      return linkPromptReply('requested', await services.linking.start(userKey, request.resume));
    case 'unlink':
      return unlink(services, userKey);
    default:
      return runLinked(services, request);
  }
}

async function runLinked(services: CommandServices, request: CommandRequest): Promise<Reply> {
  const command = request.command;
  return withLink(services, request, ({ context, directory, byPhone, byExtensionNumber, api, requester }) => {
    switch (command.name) {
      case 'ext':
        return answerExt(context, command.query, command.page, byPhone);
      case 'whois':
        return answerWhois(context, command.query, byExtensionNumber);
      case 'myforwarding':
        return answerMyForwarding(directory, services.clock);
      case 'status':
        return answerStatus(directory);
      case 'company':
        return answerCompany(directory, new CompanyLookups(api, requester, services.cache), command.page);
      default:
        return Promise.resolve(helpReply());
    }
  });
}

/** Runs `lookup` as the chat user's linked RingCentral login; without a link, offers one. */
async function withLink(
  services: CommandServices,
  request: RequesterRequest,
  lookup: (lookups: RequesterLookups) => Promise<Reply>,
): Promise<Reply> {
  const link = await services.store.getLink(request.userKey);
  if (!link) return linkPromptReply('not-linked', await services.linking.start(request.userKey, request.resume));

  const requester = { accountId: link.accountId, extensionId: link.extensionId };
  const api = services.client.forUser(request.userKey);
  const directory = new Directory(api, requester, {
    cache: services.cache,
    indexes: services.indexes,
    freshMs: services.directoryFreshMs,
    presenceTtlMs: services.presenceTtlMs,
  });
  const context: LookupContext = { directory, people: request.people };
  const byExtensionNumber = (extensionNumber: string) => answerExt(context, extensionNumber, 1, byPhone);
  const byPhone = (text: string) => answerWhois(context, text, byExtensionNumber);
  return lookup({ directory, context, byPhone, byExtensionNumber, api, requester });
}

async function unlink(services: CommandServices, userKey: string): Promise<Reply> {
  const link = await services.store.getLink(userKey);
  if (!link) return notLinkedReply();
  const unlinked = await services.linking.unlink(userKey);
  forgetRequester(services, { accountId: link.accountId, extensionId: link.extensionId });
  return unlinkedReply({ revokedAtRingCentral: unlinked?.revokedAtRingCentral ?? false });
}

async function failureReply(services: CommandServices, request: RequesterRequest, name: CommandName | undefined, error: unknown): Promise<Reply> {
  if (error instanceof RingCentralError) {
    services.logger.warn(
      { command: name, kind: error.kind, status: error.status, errorCode: error.errorCode, requestId: error.requestId },
      'RingCentral call failed',
    );
  } else if (error instanceof DatabaseUnavailable) {
    services.logger.warn({ command: name, kind: error.kind, err: describe(error) }, 'database unavailable');
  } else {
    services.logger.error({ command: name, err: describe(error) }, 'command failed');
  }
  if (error instanceof RingCentralError && error.kind === 'needs-link') {
    // The client already dropped the dead tokens; drop the link and whatever this requester was shown.
    const link = await services.store.getLink(request.userKey).catch(() => undefined);
    await services.store.deleteLink(request.userKey).catch(() => false);
    if (link) forgetRequester(services, { accountId: link.accountId, extensionId: link.extensionId });
    const relinkUrl = await services.linking.start(request.userKey, request.resume).catch(() => undefined);
    return errorReply(error, relinkUrl === undefined ? {} : { relinkUrl });
  }
  return errorReply(error);
}

function forgetRequester(services: CommandServices, requester: { accountId: string; extensionId: string }): void {
  services.cache.forget(requester);
  services.indexes.forget(requester);
}

/** An error's name and message for the log; RingCentral errors never carry tokens, other errors are ours. */
function describe(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { name: error.name, message: error.message } : { value: String(error) };
}

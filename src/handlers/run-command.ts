import type { RingCentralClient, UserApi } from '../api/client.ts';
import { RingCentralError } from '../api/errors.ts';
import type { Logger } from '../observability/logger.ts';
import { DatabaseUnavailable } from '../store/errors.ts';
import type { ChatAccount, LinkStore, PendingLinkResume } from '../store/link-store.ts';
import type { Reply } from './cards.ts';
import type { ChatPeople } from './chat-people.ts';
import type { CommandMetrics, CommandOutcome } from './command-outcome.ts';
import { outcomeOfError, outcomeOfReply } from './command-outcome.ts';
import { answerCompany, CompanyLookups } from './company.ts';
import type { DirectoryIndexCache } from './directory.ts';
import type { CompanyNumberIndexes } from './company-numbers.ts';
import { Directory } from './directory.ts';
import { answerExt } from './ext.ts';
import type { LookupContext } from './ext.ts';
import { answerMyForwarding, answerStatus } from './forwarding.ts';
import type { Linking } from './linking.ts';
import type { Command, CommandName, CommandStyle } from './parse-command.ts';
import { isConfirmationCodeShape } from '../store/confirmation-code.ts';
import { confirmProblemReply, errorReply, helpReply, linkedReply, linkPromptReply, notLinkedReply, unlinkedReply } from './replies.ts';
import type { Requester, RequesterCache } from './requester-cache.ts';
import { answerWhois } from './whois.ts';

/** Everything a command needs, built once at start and shared by the Slack and Teams adapters. */
export interface CommandServices {
  store: LinkStore;
  client: RingCentralClient;
  linking: Linking;
  cache: RequesterCache;
  indexes: DirectoryIndexCache;
  /** Administrators' copies of the company's number list. */
  companyNumbers: CompanyNumberIndexes;
  /** Administrators' copies of its numbers other than direct ones, for cards while a long list is read. */
  nonDirectNumbers: CompanyNumberIndexes;
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

/** Who is asking, as their chat platform names them. */
export interface ChatUser {
  /** The platform's own id of the asker, as ChatPeople.emailOf takes it (Slack U…, Teams 29:…). */
  id: string;
  /** "Slack", "Teams": named on the sign-in page. */
  platform: string;
  /** How commands are written there, for replies that name one. */
  commandStyle: CommandStyle;
}

export interface CommandRequest {
  /** The chat user, e.g. "slack:T123:U456"; their link decides whose RingCentral token answers. */
  userKey: string;
  chatUser: ChatUser;
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
  if (name !== undefined)
    services.metrics?.commandFinished({ command: name, outcome, durationSeconds: (performance.now() - started) / 1000 });
  return reply;
}

async function answer(services: CommandServices, request: CommandRequest): Promise<Reply> {
  const { command, userKey } = request;
  switch (command.name) {
    case 'help':
      return helpReply();
    case 'link':
      return linkPromptReply('requested', await startLink(services, request));
    case 'unlink':
      return unlink(services, userKey);
    case 'confirm':
      return confirm(services, request, command.code);
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
  if (!link) return linkPromptReply('not-linked', await startLink(services, request));

  const requester = { accountId: link.accountId, extensionId: link.extensionId };
  const api = services.client.forUser(request.userKey);
  const directory = new Directory(api, requester, {
    cache: services.cache,
    indexes: services.indexes,
    companyNumbers: services.companyNumbers,
    nonDirectNumbers: services.nonDirectNumbers,
    freshMs: services.directoryFreshMs,
    presenceTtlMs: services.presenceTtlMs,
  });
  const context: LookupContext = { directory, people: request.people };
  const byExtensionNumber = (extensionNumber: string) => answerExt(context, extensionNumber, 1, byPhone);
  const byPhone = (text: string) => answerWhois(context, text, byExtensionNumber);
  return lookup({ directory, context, byPhone, byExtensionNumber, api, requester });
}

/**
 * Starts a link with the asker's chat email, read now from their platform, so the sign-in can be checked against it.
 * A chat profile that cannot be read leaves the email unknown: the sign-in then needs the one-time code.
 */
export async function startLink(services: Pick<CommandServices, 'linking'>, request: RequesterRequest): Promise<string> {
  const profile = await request.people.emailOf(request.chatUser.id).catch(() => undefined);
  const chatAccount: ChatAccount = {
    platform: request.chatUser.platform,
    commandStyle: request.chatUser.commandStyle,
    ...(profile?.email ? { email: profile.email } : {}),
    ...(profile?.displayName ? { displayName: profile.displayName } : {}),
  };
  return services.linking.start(request.userKey, request.resume, chatAccount);
}

/** `confirm <code>`: only a six-digit code is tried (and counted); anything else is explained. */
async function confirm(services: CommandServices, request: CommandRequest, typed: string): Promise<Reply> {
  const style = request.chatUser.commandStyle;
  const code = typed.replace(/[\s-]/g, '');
  if (code === '') return confirmProblemReply({ kind: 'no-code' }, style);
  if (!isConfirmationCodeShape(code)) return confirmProblemReply({ kind: 'not-a-code' }, style);
  const confirmation = await services.linking.confirm(request.userKey, code);
  if (confirmation.kind !== 'linked') return confirmProblemReply(confirmation, style);
  return linkedReply(confirmation.link.identity, style);
}

async function unlink(services: CommandServices, userKey: string): Promise<Reply> {
  const link = await services.store.getLink(userKey);
  if (!link) return notLinkedReply();
  const unlinked = await services.linking.unlink(userKey);
  forgetRequester(services, { accountId: link.accountId, extensionId: link.extensionId });
  return unlinkedReply({ revokedAtRingCentral: unlinked?.revokedAtRingCentral ?? false });
}

async function failureReply(
  services: CommandServices,
  request: RequesterRequest,
  name: CommandName | undefined,
  error: unknown,
): Promise<Reply> {
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
    const relinkUrl = await startLink(services, request).catch(() => undefined);
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

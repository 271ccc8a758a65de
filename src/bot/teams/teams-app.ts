import type { IncomingMessage, ServerResponse } from 'node:http';
import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext } from 'botbuilder';
import type { Activity, ConversationParameters, ConversationReference, InvokeResponse } from 'botbuilder';
import { z } from 'zod';
import type { Logger } from '../../observability/logger.ts';
import { errorWithStack } from '../../observability/logger.ts';
import type { Config } from '../../config.ts';
import type { Reply } from '../../handlers/cards.ts';
import type { ChatPeople } from '../../handlers/chat-people.ts';
import type { CompletedLink } from '../../handlers/linking.ts';
import { parseCommand } from '../../handlers/parse-command.ts';
import { answeredPrivatelyReply, askPrivatelyReply, linkedReply, unexpectedErrorReply } from '../../handlers/replies.ts';
import { answerTypedMessage } from '../../handlers/typed-message.ts';
import type { ChatUser, CommandServices } from '../../handlers/run-command.ts';
import { runCommand } from '../../handlers/run-command.ts';
import { ActivityRequestError, readActivity } from './activity-request.ts';
import { InFlightWork } from '../../lifecycle/in-flight-work.ts';
import { renderTeams } from './adaptive.ts';
import { commandTextOf, isPersonal } from './command-text.ts';
import { emulatorRefusal } from './emulator-door.ts';
import { keepTyping } from './keep-typing.ts';
import { TeamsPeople, tenantOf } from './people.ts';
import { MessageActions } from './message-action.ts';
import { teamsChatUser } from './chat-user.ts';
import { createWelcome } from './welcome.ts';
import { ChannelAccount, TeamsResume } from './teams-resume.ts';

export { TeamsResume };

type PrivateReference = TeamsResume['reference'];

export interface TeamsAdapterOptions {
  /** Bot Framework settings; without MicrosoftAppId every request is accepted unauthenticated (emulator mode). */
  settings: Pick<Config, 'MicrosoftAppId' | 'MicrosoftAppPassword' | 'MicrosoftAppType' | 'MicrosoftAppTenantId'>;
  services: CommandServices;
  logger: Logger;
  /** How long a message action's dialog waits for its lookup (tests shorten it); see DIALOG_DEADLINE_MS. */
  dialogDeadlineMs?: number | undefined;
}

export interface TeamsAdapter {
  /** Serves POST /api/messages. */
  requestListener(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Answers the command that started a link, in the user's one-to-one chat with the bot. */
  resume(link: CompletedLink): Promise<void>;
  /** Waits for the turns still being answered. */
  stop(): Promise<void>;
}

/** The chat user behind a Teams message: their Microsoft Entra (AAD) object id, within their tenant. */
export function teamsUserKey(tenantId: string, aadObjectId: string): string {
  return `teams:${tenantId}:${aadObjectId}`;
}

// Teams' own channel; with MicrosoftAppId set, nothing else may speak for a Teams user.
const TEAMS_CHANNEL = 'msteams';

/**
 * botbuilder's CloudAdapter wired to the platform-neutral command runner. Each request is authenticated (a Bot
 * Framework token, unless in emulator mode), acknowledged at once, and answered through the connector at the
 * activity's serviceUrl. Answers are private: in a channel or group chat they go to a one-to-one chat with the asker,
 * and the channel is told so, because they show what the asker's own RingCentral login may see.
 */
export function createTeamsAdapter(options: TeamsAdapterOptions): TeamsAdapter {
  const { services, logger, settings } = options;
  const appId = settings.MicrosoftAppId;
  const authentication = new ConfigurationBotFrameworkAuthentication({
    ...(appId === undefined ? {} : { MicrosoftAppId: appId }),
    ...(settings.MicrosoftAppPassword === undefined ? {} : { MicrosoftAppPassword: settings.MicrosoftAppPassword }),
    MicrosoftAppType: settings.MicrosoftAppType,
    ...(settings.MicrosoftAppTenantId === undefined ? {} : { MicrosoftAppTenantId: settings.MicrosoftAppTenantId }),
  });
  const adapter = new InvokingCloudAdapter(authentication);
  // Any turn (a message, a resumed command, a post to a private chat) that throws: the person still gets a short
  // apology where the turn was, and the operator gets the stack.
  adapter.onTurnError = async (context, error) => {
    logger.error({ err: errorWithStack(error) }, 'Teams turn failed');
    // An install or membership event asked nothing: a failed welcome is logged, not apologised for in a channel. An
    // invoke (a message action) is answered in its HTTP response, to the invoker alone, never by a post.
    const type = context.activity.type;
    if (type === ActivityTypes.InstallationUpdate || type === ActivityTypes.ConversationUpdate || type === ActivityTypes.Invoke) return;
    await context.sendActivity(renderTeams(unexpectedErrorReply())).catch((sendError: unknown) => {
      logger.warn({ err: errorWithStack(sendError) }, 'could not send the apology for a failed Teams turn');
    });
  };
  const people = new TeamsPeople();
  const inFlight = new InFlightWork();

  function track(work: Promise<unknown>): void {
    void inFlight.track(work).catch((error: unknown) => {
      logger.error({ err: errorWithStack(error) }, 'Teams turn failed');
    });
  }

  /** Posts into a conversation other than the one the turn came from. */
  async function postTo(reference: PrivateReference, activity: Partial<Activity>): Promise<void> {
    await adapter.continueConversationAsync(appId ?? '', reference as Partial<ConversationReference>, async (context) => {
      await context.sendActivity(activity);
    });
  }

  const userOf = (context: TurnContext) => chatUserOf(context.activity, tenantOf(context), appId === undefined);
  const welcome = createWelcome({ services, logger, people, userOf, privatePlace, postTo });
  const messageActions = new MessageActions({
    services,
    logger,
    people,
    userOf,
    privatePlace,
    track,
    deadlineMs: options.dialogDeadlineMs,
  });

  /** Every activity Teams sends: messages are commands; installs get a welcome. */
  async function onTurn(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (appId !== undefined && activity.channelId !== TEAMS_CHANNEL) return;
    switch (activity.type) {
      case ActivityTypes.Message:
        return onMessage(context);
      case ActivityTypes.InstallationUpdate:
      case ActivityTypes.ConversationUpdate:
        return welcome(context);
      case ActivityTypes.Invoke:
        return messageActions.run(context);
    }
  }

  async function onMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (activity.type !== ActivityTypes.Message) return;
    if (appId !== undefined && activity.channelId !== TEAMS_CHANNEL) return;
    const user = chatUserOf(activity, tenantOf(context), appId === undefined);
    if (user === undefined) {
      logger.warn({ channelId: activity.channelId }, 'Teams message without tenant or AAD object id; not answered');
      return;
    }
    const chatPeople = people.forTurn(context);
    const text = await commandTextOf(activity, chatPeople);
    if (text === undefined) return;

    const place = await privatePlace(context, user.tenantId);
    if (place === undefined) return void (await context.sendActivity(renderTeams(askPrivatelyReply())));
    if (!place.here) await context.sendActivity(renderTeams(answeredPrivatelyReply()));
    const answer = async (message: Partial<Activity>): Promise<void> => {
      if (place.here) await context.sendActivity(message);
      else await postTo(place.reference, message);
    };

    // Teams shows "…" while the bot works, for as long as it works; the answer follows as its own message.
    await answer({ type: ActivityTypes.Typing });
    const typing = keepTyping(() => answer({ type: ActivityTypes.Typing }));
    const reply = await replyTo(text, user.key, teamsChatUser(activity.from.id), place.reference, chatPeople).finally(() => typing.stop());
    const message = renderTeams(reply);
    if (reply.visibility === 'public') await context.sendActivity(message);
    else await answer(message);
  }

  async function replyTo(
    text: string,
    userKey: string,
    chatUser: ChatUser,
    reference: PrivateReference,
    chatPeople: ChatPeople,
  ): Promise<Reply> {
    const resumeFor = (command: string): TeamsResume => ({ platform: 'teams', command, reference });
    return (await answerTypedMessage(services, { userKey, chatUser, text, people: chatPeople }, resumeFor)).reply;
  }

  /**
   * Where the asker alone reads the answer: this conversation when it is one-to-one, otherwise a one-to-one chat the
   * connector opens (or finds) with them. Undefined when Teams will not open one (the app is not installed for them).
   */
  async function privatePlace(context: TurnContext, tenantId: string): Promise<{ here: boolean; reference: PrivateReference } | undefined> {
    const activity = context.activity;
    const reference = {
      channelId: activity.channelId,
      serviceUrl: activity.serviceUrl,
      bot: account(activity.recipient),
      user: account(activity.from),
    };
    if (isPersonal(activity)) {
      return { here: true, reference: TeamsResume.shape.reference.parse({ ...reference, conversation: conversationOf(activity) }) };
    }
    const connector = context.turnState.get(context.adapter.ConnectorClientKey) as ConversationsClient | undefined;
    const parameters: ConversationParameters = {
      isGroup: false,
      bot: activity.recipient,
      members: [activity.from],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    } as ConversationParameters;
    try {
      if (connector === undefined) throw new Error('no connector client on the turn');
      const created = await connector.conversations.createConversation(parameters);
      const conversation = { id: created.id, conversationType: 'personal', tenantId, isGroup: false };
      return { here: false, reference: TeamsResume.shape.reference.parse({ ...reference, conversation }) };
    } catch (error) {
      logger.warn({ err: { name: (error as Error).name, message: (error as Error).message } }, 'could not open a one-to-one Teams chat');
      return undefined;
    }
  }

  return {
    async requestListener(req, res) {
      let activity: Activity;
      try {
        activity = await readActivity(req);
      } catch (error) {
        const status = error instanceof ActivityRequestError ? error.status : 400;
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...(status === 400 ? {} : { connection: 'close' }) });
        return void res.end(REFUSED_BODY[status]);
      }
      const refusal = appId === undefined ? emulatorRefusal(req, activity.serviceUrl) : undefined;
      if (refusal !== undefined) {
        // Without MicrosoftAppId nothing is authenticated, so only the machine itself may speak (the Emulator, the
        // demo, tests): otherwise anyone could pose as any Teams user and send the bot's answers to any serviceUrl.
        logger.warn(
          { reason: refusal },
          'Teams request refused: emulator mode accepts requests from and to this machine only; set MicrosoftAppId',
        );
        res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
        return void res.end('Unauthorized');
      }
      const header = req.headers.authorization ?? '';
      let authenticated: Awaited<ReturnType<typeof authentication.authenticateRequest>>;
      try {
        authenticated = await authentication.authenticateRequest(activity, header);
      } catch (error) {
        // Fail closed: a token that is missing, malformed, expired, for another bot or unverifiable is refused.
        logger.warn(
          { err: { name: (error as Error).name, message: (error as Error).message } },
          'Teams request refused: no valid Bot Framework token',
        );
        res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
        return void res.end('Unauthorized');
      }
      if (activity.type === ActivityTypes.Invoke) {
        // An invoke (a message action) is answered in the HTTP response itself: Teams shows that body to the invoker.
        const response = await inFlight.track(adapter.processInvoke(authenticated, activity, onTurn)).catch((error: unknown) => {
          logger.error({ err: errorWithStack(error) }, 'Teams invoke failed');
          return { status: 500, body: undefined };
        });
        const body: unknown = response?.body;
        res.writeHead(response?.status ?? 200, body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' });
        return void res.end(body === undefined ? undefined : JSON.stringify(body));
      }
      res.writeHead(200);
      res.end();
      track(adapter.processActivityDirect(authenticated, activity, onTurn));
    },

    async resume(link) {
      const parsed = TeamsResume.safeParse(link.resume);
      if (!parsed.success) return;
      const resume = parsed.data;
      const command = parseCommand(resume.command);
      if (!command.ok) return;
      await adapter.continueConversationAsync(appId ?? '', resume.reference as Partial<ConversationReference>, async (context) => {
        // First who the user is now linked as (unless `confirm` just said so); then the answer to any other command.
        if (link.announced !== true) await context.sendActivity(renderTeams(linkedReply(link.identity, 'plain')));
        if (command.command.name === 'link') return;
        const reply = await runCommand(services, {
          userKey: link.userKey,
          chatUser: teamsChatUser(resume.reference.user.id),
          command: command.command,
          people: people.forTurn(context),
          resume,
        });
        await context.sendActivity(renderTeams(reply));
      });
    },

    async stop() {
      await inFlight.settled();
    },
  };
}

/** CloudAdapter, with the invoke response of a turn handed back (processActivityDirect drops it). */
class InvokingCloudAdapter extends CloudAdapter {
  processInvoke(
    authenticated: Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authenticated, activity, logic);
  }
}

const REFUSED_BODY: Record<ActivityRequestError['status'], string> = {
  400: 'Not a Bot Framework activity',
  413: 'Activity too large',
  415: 'Content-Type must be application/json',
};

/** The one call of the connector client this adapter makes itself (botframework-connector's ConnectorClient). */
interface ConversationsClient {
  conversations: { createConversation(parameters: ConversationParameters): Promise<{ id: string }> };
}

/**
 * Teams names every user by tenant and AAD object id. The Bot Framework Emulator sends neither; in emulator mode
 * (no MicrosoftAppId, nothing authenticated anyway) its channel and user id stand in, so local testing works.
 */
function chatUserOf(
  activity: Activity,
  tenantId: string | undefined,
  emulatorMode: boolean,
): { key: string; tenantId: string } | undefined {
  const aadObjectId = activity.from?.aadObjectId;
  if (tenantId !== undefined && aadObjectId !== undefined) return { key: teamsUserKey(tenantId, aadObjectId), tenantId };
  if (!emulatorMode || !activity.from?.id) return undefined;
  const stand = tenantId ?? activity.channelId;
  return { key: teamsUserKey(stand, aadObjectId ?? activity.from.id), tenantId: stand };
}

function account(value: { id: string; name?: string; aadObjectId?: string } | undefined): z.infer<typeof ChannelAccount> {
  return {
    id: value?.id ?? '',
    ...(value?.name === undefined ? {} : { name: value.name }),
    ...(value?.aadObjectId === undefined ? {} : { aadObjectId: value.aadObjectId }),
  };
}

function conversationOf(activity: Activity): PrivateReference['conversation'] {
  const conversation = activity.conversation;
  return {
    id: conversation.id,
    ...(conversation.conversationType === undefined ? {} : { conversationType: conversation.conversationType }),
    ...(conversation.tenantId === undefined ? {} : { tenantId: conversation.tenantId }),
    ...(conversation.isGroup === undefined ? {} : { isGroup: conversation.isGroup }),
  };
}

import { TeamsActivityHandler } from 'botbuilder';
import type { InvokeResponse, MessagingExtensionAction, MessagingExtensionActionResponse, TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Logger } from '../../observability/logger.ts';
import { errorWithStack } from '../../observability/logger.ts';
import type { Reply } from '../../handlers/cards.ts';
import { answerNumbersInText, MAX_SEARCHED_CHARS } from '../../handlers/numbers-in-text.ts';
import { parseCommand } from '../../handlers/parse-command.ts';
import { commandProblemReply, stillLookingReply, unexpectedErrorReply } from '../../handlers/replies.ts';
import type { CommandServices } from '../../handlers/run-command.ts';
import { runCommand, runForRequester } from '../../handlers/run-command.ts';
import type { PendingLinkResume } from '../../store/link-store.ts';
import { ADAPTIVE_CARD_CONTENT_TYPE, renderAdaptiveCard, SUBMIT_COMMAND_KEY } from './adaptive.ts';
import type { TeamsPeople } from './people.ts';
import { teamsChatUser } from './chat-user.ts';
import type { TeamsResume } from './teams-resume.ts';

/** The manifest's id and title of the "Look up phone numbers" message action (manifest/teams/manifest.json). */
export const LOOK_UP_NUMBERS_COMMAND_ID = 'lookUpPhoneNumbers';
export const LOOK_UP_NUMBERS_TITLE = 'Look up phone numbers';

/**
 * Teams waits about 5 s for a message extension's answer, then tells the person the app could not be reached. A
 * lookup still running by this time is answered with "still looking" and goes on, so asking again finds it cached.
 */
export const DIALOG_DEADLINE_MS = 4_000;

export interface MessageActionOptions {
  services: CommandServices;
  logger: Logger;
  people: TeamsPeople;
  userOf(context: TurnContext): { key: string; tenantId: string } | undefined;
  /** The invoker's one-to-one chat with the bot, for saying whom they linked as once they have signed in. */
  privatePlace(context: TurnContext, tenantId: string): Promise<{ here: boolean; reference: TeamsResume['reference'] } | undefined>;
  /** Keeps a lookup that outlasted the dialog's deadline in the adapter's work in flight, for shutdown to wait for. */
  track(work: Promise<unknown>): void;
  /** DIALOG_DEADLINE_MS unless a test sets it. */
  deadlineMs?: number | undefined;
}

/** The part of a message action's payload the lookup reads: the message's body, as Teams sends it. */
const MessagePayload = z.object({
  body: z.object({ contentType: z.string().optional(), content: z.string().optional() }).optional(),
});

/**
 * The "Look up phone numbers" message action (a message extension action command, `context: message`, fetchTask):
 * every phone number in the message's text, each answered as /whois answers the person who chose it (at most 10,
 * counting the rest). The answer is the invoke response, a dialog (task module) only that person sees; nothing is
 * posted in the conversation. A button on the dialog's card (a person's details) comes back as submitAction and is
 * answered in the same dialog. Someone not linked gets the Connect prompt there.
 */
export class MessageActions extends TeamsActivityHandler {
  readonly #options: MessageActionOptions;

  constructor(options: MessageActionOptions) {
    super();
    this.#options = options;
  }

  /** No invoke may end in onTurnError, whose apology would be posted in the conversation for everyone to read. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    try {
      return await super.onInvokeActivity(context);
    } catch (error) {
      this.#options.logger.error({ err: errorWithStack(error) }, 'Teams message action failed');
      return { status: 200, body: dialogOf(unexpectedErrorReply()) };
    }
  }

  protected override async handleTeamsMessagingExtensionFetchTask(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    return dialogOf(await this.#inTime(this.#lookUp(context, action)));
  }

  protected override async handleTeamsMessagingExtensionSubmitAction(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    const data: unknown = action.data;
    const command = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[SUBMIT_COMMAND_KEY] : undefined;
    // Without fetchTask (an older manifest), Teams submits the action itself: the same lookup.
    if (typeof command !== 'string') return dialogOf(await this.#inTime(this.#lookUp(context, action)));
    return dialogOf(await this.#inTime(this.#runButton(context, command)));
  }

  /** The reply, or "still looking" once the deadline has passed; the lookup itself is never cut short. */
  async #inTime(work: Promise<Reply>): Promise<Reply> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Reply>((resolve) => {
      timer = setTimeout(() => resolve(stillLookingReply()), this.#options.deadlineMs ?? DIALOG_DEADLINE_MS);
    });
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
      this.#options.track(work);
    }
  }

  async #lookUp(context: TurnContext, action: MessagingExtensionAction): Promise<Reply> {
    if (action.commandId !== LOOK_UP_NUMBERS_COMMAND_ID) return unexpectedErrorReply();
    const user = this.#options.userOf(context);
    if (user === undefined) return unexpectedErrorReply();
    const text = messageText(action.messagePayload);
    const resume = await this.#resume(context, user.tenantId);
    return runForRequester(
      this.#options.services,
      { userKey: user.key, chatUser: teamsChatUser(context.activity.from.id), people: this.#options.people.forTurn(context), resume },
      'whois',
      async ({ directory, byPhone }) => answerNumbersInText(text, await directory.homeCountry(), byPhone),
    );
  }

  async #runButton(context: TurnContext, commandText: string): Promise<Reply> {
    const user = this.#options.userOf(context);
    if (user === undefined) return unexpectedErrorReply();
    const parsed = parseCommand(commandText);
    if (!parsed.ok) return commandProblemReply(parsed);
    const resume = await this.#resume(context, user.tenantId);
    return runCommand(this.#options.services, {
      userKey: user.key,
      chatUser: teamsChatUser(context.activity.from.id),
      command: parsed.command,
      people: this.#options.people.forTurn(context),
      resume,
    });
  }

  /**
   * What a Connect link started here answers after sign-in: whom they linked as, in their one-to-one chat, since the
   * dialog is gone by then. Someone linked needs none (the connector is not asked for a chat on every lookup); when
   * Teams opens no chat, the resume is one no adapter answers, and the callback page alone says it worked.
   */
  async #resume(context: TurnContext, tenantId: string): Promise<PendingLinkResume> {
    const user = this.#options.userOf(context);
    const linked = user === undefined ? undefined : await this.#options.services.store.getLink(user.key).catch(() => undefined);
    if (linked) return { platform: 'teams-message-action' };
    const place = await this.#options.privatePlace(context, tenantId);
    if (place === undefined) return { platform: 'teams-message-action' };
    const resume: TeamsResume = { platform: 'teams', command: 'link', reference: place.reference };
    return resume;
  }
}

/** The invoke response that opens (or replaces) the dialog with one reply's card. */
export function dialogOf(reply: Reply): MessagingExtensionActionResponse {
  return {
    task: {
      type: 'continue',
      value: {
        title: LOOK_UP_NUMBERS_TITLE,
        height: 'medium',
        width: 'medium',
        card: { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: renderAdaptiveCard(reply) },
      },
    },
  };
}

/**
 * The text of the message the action was chosen on. Teams sends its body as HTML: tags go (a block's end becomes a
 * line break, so numbers in two paragraphs stay apart), entities are read, except `<`, `>` and `&`, which stay
 * entities for the number finder to read after it has set chat tokens aside.
 */
export function messageText(payload: unknown): string {
  const parsed = MessagePayload.safeParse(payload);
  const body = parsed.success ? parsed.data.body : undefined;
  const content = (body?.content ?? '').slice(0, MAX_SEARCHED_CHARS * 4);
  if (body?.contentType?.toLowerCase() !== 'html') return content;
  return content
    .replace(/<br\s*\/?>|<\/(?:p|div|li|tr|td|th|h[1-6]|blockquote|pre)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(nbsp|quot|apos|#39);/gi, (_entity, name: string) =>
      name.toLowerCase() === 'nbsp' ? ' ' : name.toLowerCase() === 'quot' ? '"' : "'",
    )
    .replace(/&#(x[0-9a-f]{1,6}|\d{1,7});/gi, (_entity, code: string) => {
      const point = code.startsWith('x') || code.startsWith('X') ? parseInt(code.slice(1), 16) : parseInt(code, 10);
      if (!Number.isFinite(point) || point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) return ' ';
      const character = String.fromCodePoint(point);
      return character === '<' ? '&lt;' : character === '>' ? '&gt;' : character === '&' ? '&amp;' : character;
    })
    .replace(/\u00a0/g, ' ');
}

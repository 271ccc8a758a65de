import type { IncomingMessage, ServerResponse } from 'node:http';
import { RingCentralError } from '../api/errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { CompletedLink, LinkCompletion, Linking } from '../handlers/linking.ts';
import { commandHead } from '../handlers/parse-command.ts';
import { StoreError } from '../store/errors.ts';
import type { ChatAccount, LinkIdentity } from '../store/link-store.ts';
import { DEFAULT_CONFIRMATION_TTL_MS, DEFAULT_PENDING_LINK_TTL_MS } from '../store/link-store.ts';
import { sendHtmlPage } from '../page-headers.ts';
import type { LinkPageDetails } from './link-page.ts';
import { linkHtmlPage } from './link-page.ts';

export interface OAuthCallbackOptions {
  linking: Linking;
  /** Answers the command that started the link, on the platform it came from. */
  resume: (link: CompletedLink) => Promise<void>;
  logger: Logger;
}

/**
 * GET /oauth/ringcentral/callback?code=…&state=… — where RingCentral sends the user after sign-in. The page tells
 * them whom they linked as and to which chat account, and the pending command is answered in the chat right after;
 * or, when the RingCentral login may not be the chat user's own, it shows the one-time code that chat user must type.
 */
export function createOAuthCallback(options: OAuthCallbackOptions) {
  return async function handleOAuthCallback(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = new URL(req.url ?? '/', 'http://callback').searchParams;
    const state = params.get('state');
    const code = params.get('code');
    if (params.get('error') !== null) {
      return send(res, 400, 'Sign-in cancelled', 'RingCentral did not link your account. Run the command again to start over.');
    }
    if (state === null || code === null) {
      return send(res, 400, 'Link not completed', 'This page needs the code and state RingCentral sends. Start linking from the chat.');
    }
    let completion: LinkCompletion;
    try {
      completion = await options.linking.complete(state, code);
    } catch (error) {
      return failure(res, error, options.logger);
    }
    switch (completion.kind) {
      case 'linked': {
        const { link } = completion;
        send(res, 200, 'Linked', `Linked as ${who(link.identity)} to ${chatAccountName(link.chatAccount)}. You can close this tab.`);
        void options.resume(link).catch((error: unknown) => {
          options.logger.warn({ err: { message: (error as Error).message } }, 'could not answer the command that started the link');
        });
        return;
      }
      case 'needs-confirmation':
        options.logger.info({ chatEmailKnown: completion.chatAccount?.email !== undefined }, 'link held for a confirmation code');
        return send(
          res,
          200,
          'One more step',
          mismatchMessage(completion.identity, completion.chatAccount),
          confirmationDetails(completion.code, completion.chatAccount),
        );
      case 'refused':
        options.logger.info(
          { chatEmailKnown: completion.chatAccount?.email !== undefined },
          'link refused: RingCentral and chat emails differ',
        );
        return send(
          res,
          403,
          'Not linked',
          `${mismatchMessage(completion.identity, completion.chatAccount)} Switchboard here links a chat account only to the RingCentral login with the same email, so nothing was linked. Sign in with your own RingCentral login.`,
        );
    }
  };
}

function who(identity: LinkIdentity): string {
  return identity.extensionNumber === '' ? identity.name : `${identity.name} (ext. ${identity.extensionNumber})`;
}

/** "Slack account Emma Chen (emma.chen@…)", as the chat platform showed it when the link started. */
function chatAccountName(account: ChatAccount | undefined): string {
  if (account === undefined) return 'your chat account';
  const parts = [account.displayName, account.email === undefined ? undefined : `(${account.email})`].filter((part) => part !== undefined);
  return parts.length === 0 ? `your ${account.platform} account` : `${account.platform} account ${parts.join(' ')}`;
}

function mismatchMessage(identity: LinkIdentity, account: ChatAccount | undefined): string {
  const signedIn = `You signed in to RingCentral as ${who(identity)}`;
  if (account?.email === undefined) {
    return `${signedIn}, but Switchboard cannot read the email of the ${chatAccountName(account)} that asked for this link, so it cannot tell that both are you.`;
  }
  return `${signedIn}, whose email is not the one of the ${chatAccountName(account)} that asked for this link.`;
}

function confirmationDetails(code: string, account: ChatAccount | undefined): LinkPageDetails {
  const minutes = DEFAULT_CONFIRMATION_TTL_MS / 60_000;
  const finish =
    account === undefined
      ? `If you asked for this link yourself, finish within ${minutes} minutes by typing ${commandHead('confirm', 'slash')} ${code} in Slack, or ${commandHead('confirm', 'plain')} ${code} to Switchboard in Teams.`
      : `If you asked for this link yourself, finish within ${minutes} minutes by typing ${commandHead('confirm', account.commandStyle)} ${code} ${account.commandStyle === 'slash' ? `in ${account.platform}` : `to Switchboard in ${account.platform}`}.`;
  return {
    code,
    paragraphs: [finish],
    warning:
      'Never give this code to anyone. Whoever types it in chat sees RingCentral as you. If someone else sent you this link, close this page: nothing has been linked.',
  };
}

function failure(res: ServerResponse, error: unknown, logger: Logger): void {
  if (error instanceof StoreError) {
    switch (error.kind) {
      case 'expired-state':
        return send(
          res,
          400,
          'Link expired',
          `This sign-in link is more than ${DEFAULT_PENDING_LINK_TTL_MS / 60_000} minutes old. Run the command again for a new one.`,
        );
      case 'used-state':
        return send(res, 400, 'Link already used', 'This sign-in link was already used. If you are not linked yet, run the command again.');
      case 'invalid-state':
        return send(res, 400, 'Link not valid', 'This sign-in link was not made by Switchboard for you. Start linking from the chat.');
    }
  }
  if (error instanceof RingCentralError) {
    logger.warn(
      { kind: error.kind, status: error.status, errorCode: error.errorCode, requestId: error.requestId },
      'link: RingCentral refused',
    );
    return send(res, 502, 'RingCentral did not accept the sign-in', 'Please run the command again to get a fresh sign-in link.');
  }
  logger.error({ err: { name: (error as Error).name, message: (error as Error).message } }, 'link: unexpected failure');
  send(res, 500, 'Something went wrong', 'Switchboard could not finish linking. Please try again in a moment.');
}

function send(res: ServerResponse, status: number, title: string, message: string, details?: LinkPageDetails): void {
  sendHtmlPage(res, status, linkHtmlPage(title, message, details));
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { RingCentralError } from '../api/errors.ts';
import type { Logger } from '../api/logger.ts';
import type { CompletedLink, Linking } from '../handlers/linking.ts';
import { StoreError } from '../store/errors.ts';
import { DEFAULT_PENDING_LINK_TTL_MS } from '../store/link-store.ts';
import { sendHtmlPage } from '../page-headers.ts';
import { linkHtmlPage } from './link-page.ts';

export interface OAuthCallbackOptions {
  linking: Linking;
  /** Answers the command that started the link, on the platform it came from. */
  resume: (link: CompletedLink) => Promise<void>;
  logger: Logger;
}

/**
 * GET /oauth/ringcentral/callback?code=…&state=… — where RingCentral sends the user after sign-in. The page tells
 * them whom they linked as; the pending command is answered in the chat right after.
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
    let link: CompletedLink;
    try {
      link = await options.linking.complete(state, code);
    } catch (error) {
      return failure(res, error, options.logger);
    }
    const extension = link.identity.extensionNumber === '' ? '' : ` (ext. ${link.identity.extensionNumber})`;
    send(res, 200, 'Linked', `Linked as ${link.identity.name}${extension} — you can close this tab.`);
    void options.resume(link).catch((error: unknown) => {
      options.logger.warn({ err: { message: (error as Error).message } }, 'could not answer the command that started the link');
    });
  };
}

function failure(res: ServerResponse, error: unknown, logger: Logger): void {
  if (error instanceof StoreError) {
    switch (error.kind) {
      case 'expired-state':
        return send(res, 400, 'Link expired', `This sign-in link is more than ${DEFAULT_PENDING_LINK_TTL_MS / 60_000} minutes old. Run the command again for a new one.`);
      case 'used-state':
        return send(res, 400, 'Link already used', 'This sign-in link was already used. If you are not linked yet, run the command again.');
      case 'invalid-state':
        return send(res, 400, 'Link not valid', 'This sign-in link was not made by Switchboard for you. Start linking from the chat.');
    }
  }
  if (error instanceof RingCentralError) {
    logger.warn({ kind: error.kind, status: error.status, errorCode: error.errorCode, requestId: error.requestId }, 'link: RingCentral refused');
    return send(res, 502, 'RingCentral did not accept the sign-in', 'Please run the command again to get a fresh sign-in link.');
  }
  logger.error({ err: { name: (error as Error).name, message: (error as Error).message } }, 'link: unexpected failure');
  send(res, 500, 'Something went wrong', 'Switchboard could not finish linking. Please try again in a moment.');
}

function send(res: ServerResponse, status: number, title: string, message: string): void {
  sendHtmlPage(res, status, linkHtmlPage(title, message));
}

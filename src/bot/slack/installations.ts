import type { App, HTTPReceiverOptions, Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../observability/logger.ts';
import { errorWithStack } from '../../observability/logger.ts';
import { sendHtmlPage } from '../../page-headers.ts';
import type { SlackInstallationStore } from '../../store/slack-installation-store.ts';
import { SlackInstallation } from '../../store/slack-installation-store.ts';
import { linkHtmlPage } from '../link-page.ts';

/*
 * How the bot gets a Slack bot token for a request: one SLACK_BOT_TOKEN for the one workspace it was installed to
 * (single-token mode, as before), or "Add to Slack" (install mode) through Bolt's own installer (@slack/oauth's
 * InstallProvider), each workspace's token kept sealed in the store and handed to Bolt's authorize per request.
 */

/** Exactly the bot scopes manifest/slack.yaml asks for (a test holds the two together). */
export const SLACK_BOT_SCOPES = ['commands', 'chat:write', 'im:history', 'app_mentions:read', 'users:read', 'users:read.email'] as const;

export const SLACK_INSTALL_PATH = '/slack/install';
export const SLACK_OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';

/**
 * The id a Slack workspace goes by here, in link keys (slack:<id>:<user>) and as the installation's key: the team id,
 * or for an Enterprise Grid org-wide install the enterprise id. An org-wide install serves every workspace of the org
 * with one token, and its requests name the workspace they came from (a command's team_id), or none at all (events'
 * authorizations carry team_id null, a button's `team` is null): keyed by team, one person would get a link per
 * workspace they use, or none. Grid user ids are the same in every workspace of the org, so enterprise + user names
 * one person stably. Workspace installs (every single-token install) keep the team id, so existing links stay.
 */
export function slackWorkspaceOf(context: {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean;
}): string | undefined {
  return context.isEnterpriseInstall === true ? context.enterpriseId : context.teamId;
}

/** fetchInstallation found none: the workspace never installed the app here, or uninstalled it. */
export class SlackNotInstalled extends Error {
  override name = 'SlackNotInstalled';
}

/** Bolt's errors wrap the installation store's (`original`, twice over); true when one of them is SlackNotInstalled. */
export function isSlackNotInstalled(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (current instanceof SlackNotInstalled) return true;
    current = (current as { original?: unknown }).original;
  }
  return false;
}

export interface SlackInstallSettings {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** Where Slack sends the browser back: PUBLIC_URL + /slack/oauth_redirect (also listed in the manifest). */
  publicUrl: string;
  store: SlackInstallationStore;
  logger: Logger;
  clientOptions: webApi.WebClientOptions;
}

/** Bolt's InstallationStore on the Switchboard store: Bolt's authorize calls fetchInstallation for every request. */
export function switchboardInstallationStore(store: SlackInstallationStore): InstallationStore {
  return {
    async storeInstallation(installation) {
      await store.saveSlackInstallation(SlackInstallation.parse(installation));
    },
    async fetchInstallation(query) {
      const workspace = workspaceOfQuery(query);
      const installation = workspace === undefined ? undefined : await store.getSlackInstallation(workspace);
      if (installation === undefined) throw new SlackNotInstalled(`no Slack installation for ${workspace ?? 'an unnamed workspace'}`);
      return installation as Installation;
    },
    async deleteInstallation(query) {
      const workspace = workspaceOfQuery(query);
      if (workspace !== undefined) await store.deleteSlackInstallation(workspace);
    },
  };
}

function workspaceOfQuery(query: InstallationQuery<boolean>): string | undefined {
  return slackWorkspaceOf({ teamId: query.teamId, enterpriseId: query.enterpriseId, isEnterpriseInstall: query.isEnterpriseInstall });
}

/**
 * The HTTPReceiver options that turn on Bolt's installer: GET /slack/install redirects to Slack's authorize page with a
 * signed state (and the same state in a cookie, so a link sent to someone else cannot finish the install); GET
 * /slack/oauth_redirect checks both, calls oauth.v2.access and stores the installation. The pages it ends on are
 * Switchboard's own, with the headers every page carries.
 */
export function slackInstallerOptions(settings: SlackInstallSettings): Partial<HTTPReceiverOptions> {
  const { logger } = settings;
  return {
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    stateSecret: settings.stateSecret,
    scopes: [...SLACK_BOT_SCOPES],
    redirectUri: new URL(SLACK_OAUTH_REDIRECT_PATH, settings.publicUrl).toString(),
    installationStore: switchboardInstallationStore(settings.store),
    installerOptions: {
      installPath: SLACK_INSTALL_PATH,
      redirectUriPath: SLACK_OAUTH_REDIRECT_PATH,
      // Straight to Slack's authorize page; Bolt's own landing page has an inline script-free button but no CSP.
      directInstall: true,
      clientOptions: withoutLogger(settings.clientOptions),
      callbackOptions: {
        success(installation, _options, _req, res) {
          const where = installation.isEnterpriseInstall ? installation.enterprise?.name : installation.team?.name;
          logger.info(
            {
              workspace: slackWorkspaceOf({
                teamId: installation.team?.id,
                enterpriseId: installation.enterprise?.id,
                isEnterpriseInstall: installation.isEnterpriseInstall,
              }),
            },
            'Slack app installed',
          );
          sendHtmlPage(
            res,
            200,
            linkHtmlPage(
              'Switchboard is installed',
              `Switchboard now answers in ${where ?? 'your Slack'}. In Slack, type /switchboard help to start.`,
            ),
          );
        },
        failure(error, _options, _req, res) {
          const refused = [
            'slack_oauth_missing_state',
            'slack_oauth_invalid_state',
            'slack_oauth_missing_code',
            'slack_oauth_authorization_error',
          ].includes(error.code);
          if (refused) logger.warn({ code: error.code }, 'Slack install refused');
          else logger.error({ err: { ...errorWithStack(error), code: error.code } }, 'Slack install failed');
          sendHtmlPage(
            res,
            refused ? 400 : 500,
            linkHtmlPage(
              'Switchboard was not installed',
              refused
                ? 'This install link was not started in this browser, has expired or was cancelled. Start again from the install page.'
                : 'Something went wrong while installing. Please try again from the install page.',
            ),
          );
        },
      },
    },
  };
}

/**
 * Uninstalling the app (app_uninstalled) or revoking its bot token (tokens_revoked) removes that workspace's — or
 * org's — installation; its requests are then answered as from a workspace that never installed the app.
 */
export function registerUninstallListeners(
  app: App,
  store: SlackInstallationStore,
  logger: Logger,
  unlinkWorkspace: (workspace: string) => Promise<number>,
): void {
  const remove = async (workspace: string | undefined, reason: string) => {
    if (workspace === undefined) return;
    const removed = await store.deleteSlackInstallation(workspace);
    // Its people's RingCentral links go with it: nothing here may act for them any more.
    const unlinked = await unlinkWorkspace(workspace);
    logger.info({ workspace, reason, removed, unlinked }, 'Slack installation removed');
  };
  app.event('app_uninstalled', async ({ context }) => {
    await remove(slackWorkspaceOf(context), 'app_uninstalled');
  });
  app.event('tokens_revoked', async ({ event, context }) => {
    // Only the bot token is stored; a user token revoked (none is asked for) leaves the installation working.
    if ((event.tokens.bot ?? []).length === 0) return;
    await remove(slackWorkspaceOf(context), 'tokens_revoked');
  });
}

/** Web API clients of install mode, one per bot token, looked up per workspace from the store. */
export function installedClients(
  store: SlackInstallationStore,
  clientOptions: webApi.WebClientOptions,
): (workspace: string) => Promise<webApi.WebClient | undefined> {
  const clients = new LRUCache<string, webApi.WebClient>({ max: 1_000 });
  return async (workspace) => {
    const token = (await store.getSlackInstallation(workspace))?.bot?.token;
    if (token === undefined) return undefined;
    let client = clients.get(token);
    if (client === undefined) {
      client = new webApi.WebClient(token, clientOptions);
      clients.set(token, client);
    }
    return client;
  };
}

/** What a person reads when they use Switchboard in a workspace that has no installation (any more). */
export function notInstalledText(publicUrl: string): string {
  return (
    'Switchboard is not installed in this workspace (it was removed, or its access was revoked). ' +
    `Someone allowed to add apps can install it again: ${new URL(SLACK_INSTALL_PATH, publicUrl).toString()}`
  );
}

/** The installer's Web API client (oauth.v2.access, auth.test) logs through the receiver's logger, not its own. */
function withoutLogger(options: webApi.WebClientOptions): Omit<webApi.WebClientOptions, 'logger' | 'logLevel'> {
  const { logger: _logger, logLevel: _logLevel, ...rest } = options;
  return rest;
}

import { createRingCentralClient } from '../../src/api/client.ts';
import type { RingCentralClient, RingCentralClientOptions } from '../../src/api/client.ts';
import { MemoryTokenStore } from '../../src/api/tokens.ts';
import type { StoredTokens, TokenStore } from '../../src/api/tokens.ts';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/server.ts';
import { control, demoApp, startTestSandbox } from '../support/sandbox.ts';

/**
 * The client's tests talk to the real sandbox over HTTP: one sandbox per file, the client under test,
 * and users linked through the client's own authorize → code → token flow.
 */

/** A real in-memory store that also remembers every token it was ever given, to search errors for them. */
export class RecordingTokenStore extends MemoryTokenStore {
  readonly everyToken = new Set<string>();
  readonly saves: { userKey: string; tokens: StoredTokens }[] = [];

  override async save(userKey: string, tokens: StoredTokens): Promise<void> {
    this.everyToken.add(tokens.accessToken);
    this.everyToken.add(tokens.refreshToken);
    this.saves.push({ userKey, tokens: { ...tokens } });
    await super.save(userKey, tokens);
  }
}

export interface ApiHarness {
  sandbox: Sandbox;
  control: ReturnType<typeof control>;
  store: RecordingTokenStore;
  client: RingCentralClient;
  /** Another client (another "replica") against the same sandbox and store; closed with the harness. */
  newClient(options?: Partial<RingCentralClientOptions>): RingCentralClient;
  close(): Promise<void>;
}

export async function startHarness(
  sandboxOptions: SandboxOptions = {},
  clientOptions: Partial<RingCentralClientOptions> = {},
): Promise<ApiHarness> {
  const sandbox = await startTestSandbox(sandboxOptions);
  const store = new RecordingTokenStore();
  const clients: RingCentralClient[] = [];
  const newClient = (options: Partial<RingCentralClientOptions> = {}) => {
    const client = createRingCentralClient({
      serverUrl: sandbox.url,
      clientId: demoApp.clientId,
      clientSecret: demoApp.clientSecret,
      tokenStore: store,
      ...clientOptions,
      ...options,
    });
    clients.push(client);
    return client;
  };
  const client = newClient();
  return {
    sandbox,
    control: control(sandbox),
    store,
    client,
    newClient,
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await sandbox.close();
    },
  };
}

/** Signs the extension in (login_hint skips the sign-in page), exchanges the code with the client, saves the tokens. */
export async function linkUser(
  client: RingCentralClient,
  store: TokenStore,
  userKey: string,
  extensionNumber: string,
): Promise<StoredTokens> {
  const redirectUri = demoApp.redirectUri;
  const state = `state-${userKey}`;
  const { url, codeVerifier } = client.authorizeUrl({ redirectUri, state, loginHint: extensionNumber });
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) throw new Error(`authorize answered HTTP ${response.status}`);
  const callback = new URL(location);
  if (callback.searchParams.get('state') !== state) throw new Error('authorize did not echo state');
  const tokens = await client.exchangeCode({ code: callback.searchParams.get('code') ?? '', codeVerifier, redirectUri });
  await store.save(userKey, tokens);
  return tokens;
}

/** Resolves with the rejection of `promise` (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { FaultKind } from '../../src/sandbox/faults.ts';
import type { PresenceChange, RuntimeConfigPatch } from '../../src/sandbox/control.ts';
import { switchboardApps } from '../../src/sandbox/generate.ts';
import type { SeedInput } from '../../src/sandbox/seed.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/server.ts';
import type { StatsSnapshot } from '../../src/sandbox/stats.ts';
import type { OperationId } from '../../src/sandbox/operations.ts';

/**
 * Helpers for tests that talk to the real sandbox over HTTP. Each test file starts its own sandbox:
 *   const sandbox = await startTestSandbox();  afterAll(() => sandbox.close());
 */

/**
 * Starts a sandbox on an ephemeral port. Unlike startSandbox, rate limits default to 'off' here (headers are
 * still sent): RingCentral's Auth limit of 5 per minute would otherwise trip any file that signs in a few times.
 * Tests about limits pass `rateLimits` explicitly.
 */
export function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ rateLimits: 'off', ...options });
}

export interface TestApp {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export const demoApp: TestApp = {
  clientId: 'switchboard-demo',
  clientSecret: 'switchboard-demo-secret',
  redirectUri: 'http://127.0.0.1:53682/oauth/ringcentral/callback',
};

/** ReadAccounts without ReadPresence: every card must still answer. */
export const noPresenceApp: TestApp = {
  clientId: 'switchboard-nopresence',
  clientSecret: 'switchboard-nopresence-secret',
  redirectUri: 'http://127.0.0.1:53682/oauth/ringcentral/callback',
};

export const noPermissionApp: TestApp = {
  clientId: 'switchboard-noperm',
  clientSecret: 'switchboard-noperm-secret',
  redirectUri: 'http://127.0.0.1:53682/oauth/ringcentral/callback',
};

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  refresh_token_expires_in: number;
  scope: string;
  owner_id: string;
  endpoint_id: string;
}

export function basicAuth(app: Pick<TestApp, 'clientId' | 'clientSecret'>): string {
  return `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(sandbox: Pick<Sandbox, 'url'>, params: Record<string, string>): string {
  return `${sandbox.url}/restapi/oauth/authorize?${new URLSearchParams(params).toString()}`;
}

/** Signs in to get an authorization code (login_hint, PKCE S256); returns the code and its verifier. */
export async function authorizationCode(
  sandbox: Pick<Sandbox, 'url'>,
  extensionNumber: string,
  app: TestApp = demoApp,
): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(8).toString('hex');
  const response = await fetch(
    authorizeUrl(sandbox, {
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      login_hint: extensionNumber,
    }),
    { redirect: 'manual' },
  );
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) {
    throw new Error(`authorize for ext. ${extensionNumber} answered ${response.status}: ${await response.text()}`);
  }
  const target = new URL(location);
  if (target.searchParams.get('state') !== state) throw new Error('authorize did not echo state');
  return { code: target.searchParams.get('code') ?? '', verifier };
}

export async function postToken(
  sandbox: Pick<Sandbox, 'url'>,
  app: Pick<TestApp, 'clientId' | 'clientSecret'>,
  form: Record<string, string>,
): Promise<Response> {
  return fetch(`${sandbox.url}/restapi/oauth/token`, {
    method: 'POST',
    headers: { Authorization: basicAuth(app), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

/** authorize (login_hint + PKCE S256) + token exchange, with raw fetch; returns RingCentral's token JSON. */
export async function loginAs(sandbox: Pick<Sandbox, 'url'>, extensionNumber: string, app: TestApp = demoApp): Promise<TokenResponse> {
  const { code, verifier } = await authorizationCode(sandbox, extensionNumber, app);
  const response = await postToken(sandbox, app, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: app.redirectUri,
    code_verifier: verifier,
  });
  if (response.status !== 200)
    throw new Error(`token exchange for ext. ${extensionNumber} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as TokenResponse;
}

export async function refreshTokens(sandbox: Pick<Sandbox, 'url'>, refreshToken: string, app: TestApp = demoApp): Promise<Response> {
  return postToken(sandbox, app, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

/** GET (or POST with a JSON body) a REST path such as "/restapi/v1.0/account/~" with a bearer token. */
export async function api(
  sandbox: Pick<Sandbox, 'url'>,
  accessToken: string,
  path: string,
  init: { method?: 'GET' | 'POST'; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(`${sandbox.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      Authorization: `Bearer ${accessToken}`,
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

/** RingCentral's JSON for `path` under the caller's own account, as the sandbox shows it to that token (200 expected). */
export async function accountJson(sandbox: Pick<Sandbox, 'url'>, accessToken: string, path: string): Promise<Record<string, any>> {
  const response = await api(sandbox, accessToken, `/restapi/v1.0/account/~${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, any>;
}

/**
 * Every number an administrator's card of `extensionId` should show, as RingCentral shows them to that administrator's
 * token: the extension's own number list less the company's shared numbers (which /whois answers for, not a person's
 * card), and its record's mobile and business phones.
 */
export async function numbersOnAdministratorsCard(
  sandbox: Pick<Sandbox, 'url'>,
  accessToken: string,
  extensionId: number | string,
): Promise<Set<string>> {
  const record = await accountJson(sandbox, accessToken, `/extension/${extensionId}`);
  const listed = (await accountJson(sandbox, accessToken, `/extension/${extensionId}/phone-number`)).records as Array<{
    phoneNumber: string;
    usageType: string;
  }>;
  const contact = record.contact as { mobilePhone?: string; businessPhone?: string };
  return new Set([
    ...listed.filter((number) => !/Company/.test(number.usageType)).map((number) => number.phoneNumber),
    ...[contact.mobilePhone, contact.businessPhone].filter((number) => number !== undefined),
  ]);
}

export interface FaultRequest {
  kind: FaultKind;
  count?: number;
  operation?: OperationId;
}

/** A typed wrapper over the /__sandbox control API. */
export function control(sandbox: Pick<Sandbox, 'url'>) {
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${sandbox.url}/__sandbox${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`control ${method} ${path} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    faults: (fault: FaultRequest) => call('POST', '/faults', fault),
    clearFaults: () => call('DELETE', '/faults'),
    stats: async () => (await call('GET', '/stats')) as StatsSnapshot,
    resetStats: () => call('POST', '/stats/reset'),
    config: (patch: RuntimeConfigPatch) => call('POST', '/config', patch),
    expireAccessTokens: (extensionId?: string | number) =>
      call('POST', '/expire-access-tokens', extensionId === undefined ? {} : { extensionId: String(extensionId) }),
    revokeSessions: (extensionId: string | number) => call('POST', '/revoke-sessions', { extensionId: String(extensionId) }),
    setSeed: (seed: SeedInput) => call('POST', '/seed', seed),
    /** Changes one user's presence (fields left out keep their value); answers the new presence. */
    setPresence: (extensionId: string | number, change: Omit<PresenceChange, 'extensionId'>) =>
      call('POST', '/presence', { ...change, extensionId: String(extensionId) }),
    /** Sets the company's wall clock to an ISO date-time with its offset ("2026-12-02T10:00:00-08:00"). */
    setClock: async (isoDateTime: string) => ((await call('POST', '/clock', { now: isoDateTime })) as { now: string }).now,
    clock: async () => ((await call('GET', '/clock')) as { now: string }).now,
    resetClock: () => call('DELETE', '/clock'),
  };
}

// ─── seed builder ───────────────────────────────────────────────────────────────────────────────────────────────

type ExtensionInput = SeedInput['extensions'][number];
type PhoneNumberInput = NonNullable<SeedInput['phoneNumbers']>[number];
type ForwardingNumberInput = NonNullable<SeedInput['forwardingNumbers']>[number];
type AppInput = NonNullable<SeedInput['apps']>[number];

export interface PersonInput {
  extensionNumber: string;
  firstName?: string;
  lastName?: string;
  /** Overrides "firstName lastName" as the extension's name. */
  name?: string;
  email?: string;
  type?: ExtensionInput['type'];
  status?: ExtensionInput['status'];
  hidden?: boolean;
  jobTitle?: string;
  department?: string;
  /** Adds a DirectNumber (Local, VoiceFax, CallerId + SmsSender) mapped to this extension. */
  directNumber?: string;
  id?: number;
}

/**
 * Builds exactly the seed a test needs:
 *   company().withAdmin({ extensionNumber: '101', firstName: 'Ann', lastName: 'Admin' })
 *            .withUser({ extensionNumber: '102', name: '<!channel> *bold*' }).build()
 * The account id is also the first extension's id (the system extension). Apps default to the demo's two.
 */
export function company(options: { accountId?: number; companyName?: string; mainNumber?: string } = {}) {
  const accountId = options.accountId ?? 700_000_000_008;
  const extensions: ExtensionInput[] = [];
  const phoneNumbers: PhoneNumberInput[] = [];
  const forwardingNumbers: ForwardingNumberInput[] = [];
  let apps: AppInput[] = [...switchboardApps];
  let nextPhoneId = 800_000_001;

  const addPerson = (person: PersonInput, admin: boolean) => {
    const id = person.id ?? (extensions.length === 0 ? accountId : accountId + (extensions.length + 1) * 1000);
    extensions.push({
      id,
      extensionNumber: person.extensionNumber,
      type: person.type ?? 'User',
      status: person.status ?? 'Enabled',
      ...(person.name === undefined ? {} : { name: person.name }),
      contact: {
        ...(person.firstName === undefined ? {} : { firstName: person.firstName }),
        ...(person.lastName === undefined ? {} : { lastName: person.lastName }),
        ...(person.email === undefined ? {} : { email: person.email }),
        ...(person.jobTitle === undefined ? {} : { jobTitle: person.jobTitle }),
        ...(person.department === undefined ? {} : { department: person.department }),
        company: options.companyName ?? 'Test Company',
      },
      admin,
      hidden: person.hidden ?? false,
    });
    if (person.directNumber) {
      phoneNumbers.push({
        id: nextPhoneId++,
        phoneNumber: person.directNumber,
        paymentType: 'Local',
        type: 'VoiceFax',
        usageType: 'DirectNumber',
        features: ['CallerId', 'SmsSender'],
        extensionNumber: person.extensionNumber,
      });
    }
  };

  const builder = {
    withAdmin(person: PersonInput) {
      addPerson(person, true);
      return builder;
    },
    withUser(person: PersonInput) {
      addPerson(person, false);
      return builder;
    },
    /** Any extension, as the seed schema describes it (ids are yours to choose). */
    withExtension(extension: ExtensionInput) {
      extensions.push(extension);
      return builder;
    },
    withPhoneNumber(number: Omit<PhoneNumberInput, 'id'> & { id?: number }) {
      phoneNumbers.push({ ...number, id: number.id ?? nextPhoneId++ });
      return builder;
    },
    withForwardingNumber(number: Omit<ForwardingNumberInput, 'id'> & { id?: string }) {
      forwardingNumbers.push({ ...number, id: number.id ?? String(forwardingNumbers.length + 1) });
      return builder;
    },
    withApp(app: AppInput) {
      apps = [...apps.filter((a) => a.clientId !== app.clientId), app];
      return builder;
    },
    build(): SeedInput {
      return {
        account: { id: accountId, companyName: options.companyName ?? 'Test Company', mainNumber: options.mainNumber ?? '+18005550000' },
        extensions: [...extensions],
        phoneNumbers: [...phoneNumbers],
        forwardingNumbers: [...forwardingNumbers],
        apps: [...apps],
      };
    },
  };
  return builder;
}

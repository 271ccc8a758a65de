import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restOperations } from '../../src/sandbox/operations.ts';
import type { RestOperationId } from '../../src/sandbox/operations.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import type { Sandbox } from '../../src/sandbox/server.ts';
import { api, loginAs, startTestSandbox } from '../support/sandbox.ts';

/**
 * Every implemented operation's responses, as admin and as a standard user, validated against the official
 * spec's response schema (read from ../shared/reference at test time, never copied into the project).
 * The spec's schemas allow any extra property; we also close every object schema (additionalProperties: false)
 * so that the sandbox cannot invent a field RingCentral does not document.
 */

const projectRoot = path.resolve(import.meta.dirname, '../..');
const specPath = path.resolve(projectRoot, '../shared/reference/ringcentral-openapi.json');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaObject = { [key: string]: Json };

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function resolvePointer(root: SchemaObject, ref: string): Json {
  if (!ref.startsWith('#/')) throw new Error(`external $ref not supported: ${ref}`);
  let node: Json = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || Array.isArray(node)) throw new Error(`bad $ref ${ref}`);
    node = (node as SchemaObject)[key] ?? null;
  }
  return node;
}

/** Inlines $ref (to components), turns OpenAPI `nullable` into a JSON-schema type union, and closes objects. */
function toJsonSchema(root: SchemaObject, node: Json, seen: readonly string[] = []): Json {
  if (Array.isArray(node)) return node.map((item) => toJsonSchema(root, item, seen));
  if (node === null || typeof node !== 'object') return node;
  const ref = node.$ref;
  if (typeof ref === 'string') {
    if (seen.includes(ref)) return {};
    return toJsonSchema(root, resolvePointer(root, ref), [...seen, ref]);
  }
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples' || key === 'xml') continue;
    out[key] =
      key === 'properties' && value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, toJsonSchema(root, schema, seen)]))
        : toJsonSchema(root, value, seen);
  }
  if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  delete out.nullable;
  if (out.properties !== undefined && out.additionalProperties === undefined && out.allOf === undefined) out.additionalProperties = false;
  return out;
}

interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  schema: Json;
}

function specOperations(): Map<string, SpecOperation> {
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as SchemaObject;
  const found = new Map<string, SpecOperation>();
  for (const [specPath_, item] of Object.entries(spec.paths as SchemaObject)) {
    for (const [method, raw] of Object.entries(item as SchemaObject)) {
      const operation = raw as SchemaObject;
      if (typeof operation !== 'object' || operation === null || typeof operation.operationId !== 'string') continue;
      const responses = operation.responses as SchemaObject;
      const success = (responses['200'] ?? responses.default) as SchemaObject | undefined;
      const content = success?.content as SchemaObject | undefined;
      const schema = (content?.['application/json'] as SchemaObject | undefined)?.schema;
      if (schema === undefined) continue;
      found.set(operation.operationId, {
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path: specPath_,
        schema: toJsonSchema(spec, schema),
      });
    }
  }
  return found;
}

let sandbox: Sandbox;
let admin: string;
let standard: string;
const validators = new Map<string, ValidateFunction>();
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
const spec = specOperations();

beforeAll(async () => {
  sandbox = await startTestSandbox();
  admin = (await loginAs(sandbox, '101')).access_token;
  standard = (await loginAs(sandbox, '103')).access_token;
  for (const operation of restOperations) {
    const found = spec.get(operation.id);
    if (found) validators.set(operation.id, ajv.compile(found.schema as object));
  }
});
afterAll(() => sandbox.close());

const paul = '435068008';
const department = '1201057008';
const announcement = '1201056008';
const presenceHidden = '435112008'; // 117 Amelia Dubois, who publishes no presence

/** Per operation: the calls whose bodies must match the schema (list, single, admin's and a standard user's view). */
const cases: Record<RestOperationId, { who: 'admin' | 'standard'; path: string; body?: unknown }[]> = {
  readAccountInfo: [
    { who: 'admin', path: '/restapi/v1.0/account/~' },
    { who: 'standard', path: '/restapi/v1.0/account/401145624008' },
  ],
  // Administrators only (ReadServicePlanInfo; see rules.ts).
  readAccountServiceInfo: [{ who: 'admin', path: '/restapi/v1.0/account/~/service-info' }],
  readAccountBusinessAddress: [
    { who: 'admin', path: '/restapi/v1.0/account/~/business-address' },
    { who: 'standard', path: '/restapi/v1.0/account/401145624008/business-address' },
  ],
  listExtensions: [
    { who: 'admin', path: '/restapi/v1.0/account/~/extension' },
    { who: 'admin', path: '/restapi/v1.0/account/~/extension?page=2&perPage=10&status=Enabled' },
    { who: 'standard', path: '/restapi/v1.0/account/~/extension?perPage=1000' },
  ],
  readExtension: [
    { who: 'admin', path: '/restapi/v1.0/account/~/extension/~' },
    { who: 'admin', path: `/restapi/v1.0/account/~/extension/${announcement}` },
    { who: 'admin', path: `/restapi/v1.0/account/~/extension/${paul}` },
    { who: 'standard', path: '/restapi/v1.0/account/~/extension/~' },
    { who: 'standard', path: `/restapi/v1.0/account/~/extension/${paul}` },
  ],
  listExtensionPhoneNumbers: [
    { who: 'admin', path: `/restapi/v1.0/account/~/extension/${paul}/phone-number` },
    { who: 'standard', path: '/restapi/v1.0/account/~/extension/~/phone-number' },
    { who: 'standard', path: `/restapi/v1.0/account/~/extension/${paul}/phone-number` },
  ],
  listAccountPhoneNumbers: [
    { who: 'admin', path: '/restapi/v1.0/account/~/phone-number' },
    { who: 'admin', path: '/restapi/v1.0/account/~/phone-number?page=2&perPage=5' },
  ],
  listForwardingNumbers: [
    { who: 'admin', path: '/restapi/v1.0/account/~/extension/~/forwarding-number' },
    { who: 'admin', path: `/restapi/v1.0/account/~/extension/${paul}/forwarding-number` },
    { who: 'standard', path: '/restapi/v1.0/account/~/extension/~/forwarding-number' },
  ],
  listDirectoryEntries: [
    { who: 'admin', path: '/restapi/v1.0/account/~/directory/entries' },
    { who: 'standard', path: '/restapi/v1.0/account/~/directory/entries?page=2&perPage=10' },
  ],
  searchDirectoryEntries: [
    { who: 'admin', path: '/restapi/v1.0/account/~/directory/entries/search', body: { searchString: 'sales' } },
    {
      who: 'standard',
      path: '/restapi/v1.0/account/~/directory/entries/search',
      body: { searchString: '650', searchFields: ['phoneNumber'], orderBy: [{ index: 1, fieldName: 'lastName', direction: 'Asc' }] },
    },
  ],
  readDirectoryEntry: [
    { who: 'admin', path: `/restapi/v1.0/account/~/directory/entries/${paul}` },
    { who: 'standard', path: `/restapi/v1.0/account/~/directory/entries/${department}` },
  ],
  readUserPresenceStatus: [
    { who: 'admin', path: '/restapi/v1.0/account/~/extension/~/presence' },
    { who: 'admin', path: `/restapi/v1.0/account/~/extension/${paul}/presence` },
    { who: 'standard', path: '/restapi/v1.0/account/~/extension/~/presence' },
    { who: 'standard', path: `/restapi/v1.0/account/~/extension/${paul}/presence` },
    { who: 'standard', path: `/restapi/v1.0/account/~/extension/${presenceHidden}/presence` },
    { who: 'standard', path: `/restapi/v1.0/account/~/extension/${department}/presence` },
  ],
  listCallQueueMembers: [
    { who: 'admin', path: `/restapi/v1.0/account/~/call-queues/${department}/members` },
    { who: 'standard', path: `/restapi/v1.0/account/~/call-queues/${department}/members?page=2&perPage=5` },
  ],
  readAnsweringRule: [
    { who: 'admin', path: '/restapi/v1.0/account/~/extension/~/answering-rule/business-hours-rule' },
    { who: 'admin', path: '/restapi/v1.0/account/~/extension/~/answering-rule/after-hours-rule' },
    { who: 'admin', path: `/restapi/v1.0/account/~/extension/${paul}/answering-rule/business-hours-rule` },
    { who: 'admin', path: `/restapi/v1.0/account/~/extension/${department}/answering-rule/after-hours-rule` },
    { who: 'standard', path: '/restapi/v1.0/account/~/extension/~/answering-rule/business-hours-rule' },
    { who: 'standard', path: '/restapi/v1.0/account/~/extension/~/answering-rule/after-hours-rule' },
  ],
  readUserBusinessHours: [
    { who: 'admin', path: '/restapi/v1.0/account/~/extension/~/business-hours' },
    { who: 'admin', path: `/restapi/v1.0/account/~/extension/${paul}/business-hours` },
    { who: 'standard', path: '/restapi/v1.0/account/~/extension/~/business-hours' },
  ],
  readExtensionCallerId: [
    { who: 'admin', path: '/restapi/v1.0/account/~/extension/~/caller-id' },
    { who: 'admin', path: `/restapi/v1.0/account/~/extension/${paul}/caller-id` },
    { who: 'standard', path: '/restapi/v1.0/account/~/extension/~/caller-id' },
  ],
};

/** Operations a standard user is refused (403 CMN-408), so only an administrator's answer can be validated. */
const adminOnly: ReadonlySet<RestOperationId> = new Set(['listAccountPhoneNumbers', 'readAccountServiceInfo']);

describe('responses match the official spec', () => {
  it('the spec holds a success schema for every operation the sandbox implements, at the same method and path', () => {
    for (const operation of restOperations) {
      const found = spec.get(operation.id);
      expect(found, operation.id).toBeDefined();
      expect(found?.method).toBe(operation.method);
      expect(found?.path).toBe(operation.path);
    }
  });

  it.each(restOperations.map((operation) => operation.id))(
    '%s responses validate against the spec schema and add no field',
    async (operationId) => {
      const validate = validators.get(operationId);
      expect(validate).toBeDefined();
      const calls = cases[operationId];
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.some((call) => call.who === 'standard') || adminOnly.has(operationId)).toBe(true);
      for (const call of calls) {
        const response = await api(
          sandbox,
          call.who === 'admin' ? admin : standard,
          call.path,
          call.body === undefined ? {} : { body: call.body },
        );
        expect(response.status, `${call.who} ${call.path}`).toBe(200);
        const body: unknown = await response.json();
        const valid = validate?.(body);
        expect(valid, `${call.who} ${call.path}: ${ajv.errorsText(validate?.errors)}`).toBe(true);
        const records = (body as { records?: unknown[] }).records;
        if (records) expect(records.length, `${call.path} returned no records to validate`).toBeGreaterThan(0);
      }
    },
  );

  it('GET /restapi/v1.0 (readAPIVersion) answers without a token, matches the spec, and is never throttled', async () => {
    const found = spec.get('readAPIVersion');
    expect(found?.path).toBe('/restapi/{apiVersion}');
    const validate = ajv.compile(found?.schema as object);
    // RingCentral's own limits, unlike this file's sandbox: far more than the Light group's 50 a minute from one
    // address must pass, since a readiness probe may ask this all day.
    const limited = await startSandbox();
    try {
      const responses = await Promise.all(Array.from({ length: 80 }, () => fetch(`${limited.url}/restapi/v1.0`)));
      expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
      const body: unknown = await responses[0]!.json();
      expect(validate(body), ajv.errorsText(validate.errors)).toBe(true);
      expect(body).toMatchObject({ uriString: 'v1.0', uri: `${limited.url}/restapi/v1.0` });
      expect(responses[0]!.headers.get('x-rate-limit-group')).toBeNull();
    } finally {
      await limited.close();
    }
  });

  it('the closed schemas refuse a field the spec lacks and a wrong type (the check has teeth)', async () => {
    const validate = validators.get('readExtension');
    const body = (await (await api(sandbox, admin, '/restapi/v1.0/account/~/extension/~')).json()) as Record<string, unknown>;
    expect(validate?.(body)).toBe(true);
    expect(validate?.({ ...body, isAdmin: true })).toBe(false);
    expect(validate?.({ ...body, id: String(body.id) })).toBe(false);
    expect(validate?.({ ...body, contact: { ...(body.contact as object), nickname: 'J' } })).toBe(false);
  });

  it('error bodies carry the spec ErrorResponse errors[] (plus the legacy top-level code)', async () => {
    const errorSchema = {
      type: 'object',
      required: ['errors', 'errorCode', 'message'],
      properties: {
        errors: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['errorCode', 'message'],
            properties: { errorCode: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    };
    const validate = ajv.compile(errorSchema);
    for (const [token, path] of [
      [standard, '/restapi/v1.0/account/~/phone-number'],
      [standard, '/restapi/v1.0/account/~/service-info'],
      [admin, '/restapi/v1.0/account/~/extension/999'],
      [admin, '/restapi/v1.0/account/~/extension?perPage=abc'],
      ['garbage', '/restapi/v1.0/account/~'],
    ] as const) {
      const response = await api(sandbox, token, path);
      expect(response.status).toBeGreaterThanOrEqual(400);
      const body: unknown = await response.json();
      expect(validate(body), `${path}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });
});

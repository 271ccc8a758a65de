import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NON_DIRECT_USAGE_TYPES } from '../../src/api/phone-numbers.ts';

/*
 * An administrator's card and company census ask RingCentral for every number but direct ones by naming each other
 * usage type. A type the filter may not name would be refused; one left out would be missing from both. The official
 * spec (read from ../shared at test time) says which the filter takes.
 */

interface Parameter {
  name: string;
  in: string;
  schema?: { items?: { enum?: string[] } };
}

function usageFilterOfListAccountPhoneNumbers(): string[] {
  const spec = JSON.parse(readFileSync(new URL('../../../shared/reference/ringcentral-openapi.json', import.meta.url), 'utf8')) as {
    paths: Record<string, Record<string, { operationId?: string; parameters?: Array<Parameter | { $ref: string }> }>>;
    components: { parameters: Record<string, Parameter> };
  };
  const operation = spec.paths['/restapi/v1.0/account/{accountId}/phone-number']?.['get'];
  expect(operation?.operationId).toBe('listAccountPhoneNumbers');
  const parameters = (operation?.parameters ?? []).map((parameter) =>
    '$ref' in parameter ? spec.components.parameters[parameter.$ref.split('/').at(-1)!]! : parameter,
  );
  const usageType = parameters.find((parameter) => parameter.name === 'usageType' && parameter.in === 'query');
  return usageType?.schema?.items?.enum ?? [];
}

describe('the usage types of every number but direct ones', () => {
  it("are exactly the spec's usageType filter of listAccountPhoneNumbers, less DirectNumber", () => {
    const filter = usageFilterOfListAccountPhoneNumbers();
    expect(filter).toContain('DirectNumber');
    expect([...NON_DIRECT_USAGE_TYPES].sort()).toEqual(filter.filter((usage) => usage !== 'DirectNumber').sort());
  });
});

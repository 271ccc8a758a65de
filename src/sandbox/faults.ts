import { z } from 'zod';

/**
 * Injected failures. A fault rule makes the next `count` matching requests (any operation, or one operationId)
 * fail one way:
 * - "500" / "503": RingCentral's CMN-203 / CMN-201 error bodies;
 * - "hang": never answer; the socket stays open until the client gives up (or the sandbox closes);
 * - "malformed": 200 with a body that is not JSON;
 * - "truncated": 200 whose body stops mid-JSON: Content-Length announces the full body, half is sent, and the
 *   connection is cut, as a dropped connection would look;
 * - "revoked": 401 OAU-213 and the caller's session is really ended;
 * - "reset": the socket is destroyed before any answer;
 * - "forbidden": 403 CMN-408 naming the operation's user permission, as RingCentral answers a user whose role (a
 *   custom one, say) lacks it.
 */
export const FaultKind = z.enum(['500', '503', 'hang', 'malformed', 'truncated', 'revoked', 'reset', 'forbidden']);
export type FaultKind = z.infer<typeof FaultKind>;

export const FaultRule = z.object({
  kind: FaultKind,
  count: z.number().int().positive().default(1),
  operation: z.string().optional(),
});
export type FaultRule = z.infer<typeof FaultRule>;

export class FaultQueue {
  private rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule });
  }

  /** The fault for this request, if any rule matches; consumes one of that rule's count. */
  take(operationId: string): FaultKind | undefined {
    const rule = this.rules.find((r) => r.operation === undefined || r.operation === operationId);
    if (!rule) return undefined;
    rule.count -= 1;
    if (rule.count <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule.kind;
  }

  pending(): readonly FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  clear(): void {
    this.rules = [];
  }
}

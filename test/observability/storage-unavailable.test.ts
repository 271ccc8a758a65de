import { afterEach, describe, expect, it } from 'vitest';
import { Unavailable } from '../../src/api/errors.ts';
import { errorReply } from '../../src/handlers/replies.ts';
import { DatabaseUnavailable } from '../../src/store/errors.ts';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from '../store/postgres-test-database.ts';
import type { SlackTestStack } from '../support/slack-stack.ts';
import { answer, readableText, startSlackTestStack, titleOf } from '../support/slack-stack.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { scrape, total } from './prometheus-text.ts';

const JOHN = 'U101';
const EMMA = 'U103';

describe('the database unavailable during a command', () => {
  it('reads as storage briefly unavailable, neither RingCentral trouble nor a generic error, and never shows the cause', () => {
    const reply = errorReply(new DatabaseUnavailable('connect ECONNREFUSED 10.0.0.5:5432 (postgres://bot:hunter2@db/prod)'));
    expect(reply.card).toMatchObject({ kind: 'notice', tone: 'error', title: 'Switchboard is briefly unavailable' });
    expect(reply.text).toContain('storage is briefly unavailable');
    expect(reply.text).toContain('try again in a moment');
    for (const leak of ['ECONNREFUSED', '10.0.0.5', 'hunter2', 'postgres']) expect(JSON.stringify(reply)).not.toContain(leak);
    expect(errorReply(new Unavailable('x', { status: 0 })).card).not.toMatchObject({ title: 'Switchboard is briefly unavailable' });
  });

  describe('end to end on PostgreSQL', () => {
    let schema: TestSchema | undefined;
    let proxy: TcpProxy | undefined;
    let stack: SlackTestStack | undefined;
    afterEach(async () => {
      await stack?.close();
      await proxy?.close();
      await schema?.drop();
      [stack, proxy, schema] = [undefined, undefined, undefined];
    });

    it('linked and unlinked users get the storage notice while PostgreSQL is unreachable, and answers once it is back', async () => {
      schema = await createTestSchema();
      const direct = new URL(TEST_DATABASE_URL);
      proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
      const viaProxy = new URL(schema.url());
      viaProxy.port = String(proxy.port);
      stack = await startSlackTestStack({ env: { DATABASE_URL: viaProxy.toString() } });
      await stack.link(JOHN, '101');

      await proxy.stop();
      for (const user of [JOHN, EMMA]) {
        const reply = await answer(stack, user, '/ext 102');
        expect(titleOf(reply)).toBe('Switchboard is briefly unavailable');
        expect(readableText(reply)).toContain('try again in a moment');
      }
      const { samples } = await scrape(stack.bot.url);
      expect(total(samples, 'switchboard_commands_total', { command: 'ext', outcome: 'storage-unavailable' })).toBe(2);
      expect(stack.logs.filter((line) => line.level === 'error')).toEqual([]);

      await proxy.start();
      expect(readableText(await answer(stack, JOHN, '/ext 102'))).toContain('Paul Rivera');
    });
  });
});

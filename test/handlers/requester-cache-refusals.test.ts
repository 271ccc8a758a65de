import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotPermitted, Unavailable } from '../../src/api/errors.ts';
import { RequesterCache } from '../../src/handlers/requester-cache.ts';
import { noticeWording } from '../../src/handlers/wording.ts';
import type { SlackTestStack } from '../support/slack-stack.ts';
import { answer, linkUser, readableText, startSlackTestStack, titleOf } from '../support/slack-stack.ts';

/*
 * RingCentral's refusal to show a requester something (403) is an answer about that requester, kept like any other
 * for the cache's TTL: asking again costs no call. A failure (RingCentral down, busy) is not an answer and is retried.
 */

const requester = { accountId: '1', extensionId: '2' };

describe('refusals in the requester cache', () => {
  it('a 403 is kept: the second ask gets the same refusal without loading', async () => {
    const cache = new RequesterCache({ ttlMs: 60_000, maxEntries: 100 });
    let loads = 0;
    const load = async () => {
      loads += 1;
      throw new NotPermitted('forwarding numbers: feature not available', { status: 403, errorCode: 'CMN-403' });
    };
    await expect(cache.get(requester, 'forwarding', load)).rejects.toBeInstanceOf(NotPermitted);
    await expect(cache.get(requester, 'forwarding', load)).rejects.toBeInstanceOf(NotPermitted);
    expect(loads).toBe(1);
  });

  it("a refusal kept for one requester is not another requester's answer", async () => {
    const cache = new RequesterCache({ ttlMs: 60_000, maxEntries: 100 });
    await expect(cache.get(requester, 'k', async () => Promise.reject(new NotPermitted('no', { status: 403 })))).rejects.toThrow();
    expect(await cache.get({ accountId: '1', extensionId: '3' }, 'k', async () => 'shown')).toBe('shown');
  });

  it('RingCentral being unavailable is not kept: the next ask loads again', async () => {
    const cache = new RequesterCache({ ttlMs: 60_000, maxEntries: 100 });
    let loads = 0;
    const load = async () => {
      loads += 1;
      if (loads === 1) throw new Unavailable('503', { status: 503 });
      return 'answer';
    };
    await expect(cache.get(requester, 'k', load)).rejects.toBeInstanceOf(Unavailable);
    expect(await cache.get(requester, 'k', load)).toBe('answer');
  });
});

describe('a fax user asking /myforwarding twice', () => {
  let stack: SlackTestStack;
  beforeAll(async () => {
    stack = await startSlackTestStack();
    await linkUser(stack, 'U150', '150');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is told their extension type has no forwarding (not that an administrator could grant it)', async () => {
    const reply = await answer(stack, 'U150', '/myforwarding');
    expect(titleOf(reply)).toBe('Your extension has no call forwarding');
    expect(readableText(reply)).not.toContain('administrator');
  });

  it('is refused by RingCentral once, and the repeat costs no call', async () => {
    await stack.control.resetStats();
    const first = await answer(stack, 'U150', '/myforwarding');
    expect(titleOf(first)).toBe(noticeWording.noForwardingFeature.title);
    // Every read made beside the refused forwarding list has finished by the time the answer is given, so none lands late.
    await stack.control.resetStats();
    const again = await answer(stack, 'U150', '/myforwarding');
    expect(titleOf(again)).toBe(titleOf(first));
    expect((await stack.control.stats()).total).toBe(0);
  });
});

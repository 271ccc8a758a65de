import { describe, expect, it } from 'vitest';
import { RequesterCache } from '../../src/handlers/requester-cache.ts';

const admin = { accountId: '1', extensionId: '101' };
const standard = { accountId: '1', extensionId: '103' };

describe('RequesterCache', () => {
  it('never serves one requester an entry loaded for another', async () => {
    const cache = new RequesterCache({ ttlMs: 60_000, maxEntries: 100 });
    await cache.get(admin, 'ext:101', async () => 'admin view');
    const seen = await cache.get(standard, 'ext:101', async () => 'standard view');
    expect(seen).toBe('standard view');
    expect(await cache.get(admin, 'ext:101', async () => 'reloaded')).toBe('admin view');
  });

  it('shares one load among concurrent misses for the same key', async () => {
    const cache = new RequesterCache({ ttlMs: 60_000, maxEntries: 100 });
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return loads;
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.get(admin, 'k', load)));
    expect(loads).toBe(1);
    expect(new Set(results)).toEqual(new Set([1]));
  });

  it('does not keep a failed load', async () => {
    const cache = new RequesterCache({ ttlMs: 60_000, maxEntries: 100 });
    await expect(cache.get(admin, 'k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get(admin, 'k', async () => 'ok')).toBe('ok');
  });

  it('expires entries after the TTL', async () => {
    const cache = new RequesterCache({ ttlMs: 30, maxEntries: 100 });
    await cache.get(admin, 'k', async () => 'old');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await cache.get(admin, 'k', async () => 'new')).toBe('new');
  });

  it('keeps an entry given its own, longer TTL past the default one (the account info is kept a day)', async () => {
    const cache = new RequesterCache({ ttlMs: 30, maxEntries: 100 });
    await cache.get(admin, 'account', async () => 'kept', 60_000);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await cache.get(admin, 'account', async () => 'reloaded', 60_000)).toBe('kept');
  });

  it('stays within its bound and forgets one requester without touching another', async () => {
    const cache = new RequesterCache({ ttlMs: 60_000, maxEntries: 10 });
    for (let i = 0; i < 50; i += 1) await cache.get(admin, `k${i}`, async () => i);
    expect(cache.size).toBe(10);
    await cache.get(standard, 'mine', async () => 'kept');
    cache.forget(admin);
    expect(cache.size).toBe(1);
    expect(await cache.get(standard, 'mine', async () => 'reloaded')).toBe('kept');
  });
});

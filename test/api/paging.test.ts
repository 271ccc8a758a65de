import { describe, expect, it } from 'vitest';
import { hasNextPage } from '../../src/api/paging.ts';

/*
 * Whether another page follows, from each kind of answer RingCentral gives. The sandbox always sends navigation or
 * totals, so the walks in client.test.ts cannot tell these rules apart; each is checked here on its own.
 */

const two = ['a', 'b'];
const next = { uri: 'https://platform.ringcentral.com/restapi/v1.0/account/~/extension?page=2' };

describe('hasNextPage', () => {
  it('follows navigation.nextPage when the answer has navigation', () => {
    expect(hasNextPage({ records: two, navigation: { nextPage: next } }, 1)).toBe(true);
    expect(hasNextPage({ records: two, navigation: {}, paging: { page: 1, totalPages: 9 } }, 1)).toBe(false);
  });

  it('without navigation, compares the page with totalPages', () => {
    expect(hasNextPage({ records: two, paging: { page: 1, totalPages: 2 } }, 1)).toBe(true);
    expect(hasNextPage({ records: two, paging: { page: 2, totalPages: 2 } }, 2)).toBe(false);
    // No page number in the answer: the page asked for.
    expect(hasNextPage({ records: two, paging: { totalPages: 3 } }, 2)).toBe(true);
    expect(hasNextPage({ records: two, paging: { totalPages: 3 } }, 3)).toBe(false);
  });

  it('without totalPages, compares pageEnd with totalElements', () => {
    expect(hasNextPage({ records: two, paging: { pageEnd: 1, totalElements: 5 } }, 1)).toBe(true);
    expect(hasNextPage({ records: two, paging: { pageEnd: 4, totalElements: 5 } }, 3)).toBe(false);
  });

  it('without totals ("may be omitted for performance reasons"), a full page means there may be more', () => {
    expect(hasNextPage({ records: two, paging: { page: 1, perPage: 2 } }, 1)).toBe(true);
    expect(hasNextPage({ records: two, paging: { page: 1, perPage: 3 } }, 1)).toBe(false);
    expect(hasNextPage({ records: two, paging: { page: 1 } }, 1)).toBe(false);
  });

  it('an empty page or an answer with neither navigation nor paging ends the walk', () => {
    expect(hasNextPage({ records: [], navigation: { nextPage: next } }, 1)).toBe(false);
    expect(hasNextPage({ records: [], paging: { page: 1, totalPages: 5 } }, 1)).toBe(false);
    expect(hasNextPage({ records: two }, 1)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { DirectoryEntry } from '../../src/api/schemas.ts';
import { searchByName } from '../../src/handlers/name-search.ts';
import { parseExtQuery } from '../../src/handlers/parse-ext-query.ts';

let nextId = 1;
function person(firstName: string, lastName: string, email: string): DirectoryEntry {
  nextId += 1;
  return { id: String(nextId), type: 'User', firstName, lastName, name: `${firstName} ${lastName}`, email };
}

const directory = [
  person('John', 'Smith', 'jsmith@example.com'),
  person('Olivia', 'Johnson', 'olivia.johnson@example.com'),
  person('James', "O'Brien", 'james.ob@example.com'),
  person('Mary-Jane', 'Watson', 'mj@example.com'),
  person('José', 'Müller', 'jose.mueller@example.com'),
];

/** The names /ext finds for what the person typed, as the handler reads it. */
function namesFor(typed: string): string[] {
  const query = parseExtQuery(typed);
  if (query.kind !== 'name') throw new Error(`"${typed}" is not a name query but ${query.kind}`);
  return searchByName(directory, query.terms).map((entry) => entry.name ?? '');
}

describe('searchByName', () => {
  it('finds a name by the start of any of its words, in any order', () => {
    expect(namesFor('smith j')).toEqual(['John Smith']);
    expect(namesFor('Smith, John')).toEqual(['John Smith']);
  });

  it('lists whole-word matches before prefixes ("john" shows John before Johnson)', () => {
    expect(namesFor('john')).toEqual(['John Smith', 'Olivia Johnson']);
  });

  it('ignores accents and case', () => {
    expect(namesFor('jose muller')).toEqual(['José Müller']);
  });

  it.each([["o'brien"], ['O’Brien'], ["james o'brien"], ['obrien'], ['OBrien']])(
    'finds a name written with an apostrophe however it is typed: %s',
    (typed) => {
      expect(namesFor(typed)).toEqual(["James O'Brien"]);
    },
  );

  it.each([['mary-jane'], ['maryjane'], ['mary jane'], ['Mary-Jane Watson']])(
    'finds a hyphenated name however it is typed: %s',
    (typed) => {
      expect(namesFor(typed)).toEqual(['Mary-Jane Watson']);
    },
  );

  it('reads a dotted name as its words, so "john.smith" finds John Smith whatever his email', () => {
    expect(namesFor('john.smith')).toEqual(['John Smith']);
    expect(namesFor('j.smith')).toEqual(['John Smith']);
  });

  it('finds nobody when a term starts no word', () => {
    expect(namesFor('john xavier')).toEqual([]);
  });
});

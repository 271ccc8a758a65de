import { isDeepStrictEqual } from 'node:util';
import type { DirectoryEntry } from '../api/schemas.ts';

type Part = { id: string };

/**
 * Every directory entry carries its account, and many a site: the same few objects again and again. Held as parsed,
 * a copy per entry, they were a third of a 100,000-entry index's heap (69 MB; 45 MB with each held once), and more
 * for the collector to walk. An entry's part is swapped for an equal one already held, so readers see the same values.
 */
export class SharedEntryParts {
  readonly #accounts = new Map<string, NonNullable<DirectoryEntry['account']>>();
  readonly #sites = new Map<string, NonNullable<DirectoryEntry['site']>>();

  /** Gives `entry` the account and site objects already held when they are equal to its own. */
  share(entry: DirectoryEntry): void {
    if (entry.account !== undefined) entry.account = heldOnce(this.#accounts, entry.account);
    if (entry.site !== undefined) entry.site = heldOnce(this.#sites, entry.site);
  }
}

/** The first of its id is kept; a later part that differs from it (an account renamed mid-build) stays its own. */
function heldOnce<T extends Part>(held: Map<string, T>, part: T): T {
  const known = held.get(part.id);
  if (known === undefined) {
    held.set(part.id, part);
    return part;
  }
  return isDeepStrictEqual(known, part) ? known : part;
}

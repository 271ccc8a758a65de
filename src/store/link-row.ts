import type { Link } from './link-store.ts';

/** A row of the `links` table; both databases use these column names. */
export type LinkRow = {
  user_key: string;
  account_id: string;
  extension_id: string;
  extension_number: string;
  name: string;
  email: string | null;
  linked_at: number;
};

export function linkFromRow(row: LinkRow): Link {
  return {
    userKey: row.user_key,
    accountId: row.account_id,
    extensionId: row.extension_id,
    extensionNumber: row.extension_number,
    name: row.name,
    ...(row.email === null ? {} : { email: row.email }),
    linkedAt: row.linked_at,
  };
}

import { InvalidSetting } from './errors.ts';

export const DATABASE_URL_SETTING = 'DATABASE_URL';
export const DEFAULT_SQLITE_FILE = './data/switchboard.db';

export type DatabaseTarget = { kind: 'sqlite'; filename: string /* a path, or ":memory:" */ } | { kind: 'postgres'; url: string };

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]+):/;

/**
 * Reads DATABASE_URL. SQLite: unset, a plain path, `sqlite:PATH`, `sqlite:///abs/path`, `file:PATH`,
 * `sqlite::memory:` or `:memory:`. PostgreSQL: `postgres://` / `postgresql://`.
 */
export function parseDatabaseUrl(value: string | undefined): DatabaseTarget {
  const url = value?.trim() ?? '';
  if (url === '') return { kind: 'sqlite', filename: DEFAULT_SQLITE_FILE };
  if (url === ':memory:') return { kind: 'sqlite', filename: ':memory:' };
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'sqlite', filename: url };
  if (scheme === 'postgres' || scheme === 'postgresql') return { kind: 'postgres', url };
  if (scheme === 'sqlite' || scheme === 'file') {
    // "sqlite:///abs" → "/abs"; "sqlite://rel" → "rel"; "sqlite:rel" → "rel".
    const filename = url.slice(scheme.length + 1).replace(/^\/\//, '');
    if (filename === '') throw new InvalidSetting(DATABASE_URL_SETTING, `has no file path after "${scheme}:"`);
    return { kind: 'sqlite', filename };
  }
  // Only the scheme is echoed: the rest of a URL may hold a password.
  throw new InvalidSetting(DATABASE_URL_SETTING, `has unsupported scheme "${scheme}:"; use a file path, sqlite:PATH or postgres://…`);
}

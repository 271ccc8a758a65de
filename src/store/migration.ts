/** One schema change. Append only: a released migration never changes, a change is a new version. */
export type Migration = { version: number; name: string; sql: string };

export function latestVersion(migrations: readonly Migration[]): number {
  return Math.max(0, ...migrations.map((migration) => migration.version));
}

export function inVersionOrder(migrations: readonly Migration[]): Migration[] {
  return [...migrations].sort((a, b) => a.version - b.version);
}

/**
 * A versioned schema change. Each adapter keeps its own list in its own SQL dialect; the lists
 * must stay in step (same versions, same names), which test/store/migrations.test.ts checks.
 */
export interface Migration {
  version: number;
  name: string;
  /** Statements run in order inside one transaction. */
  statements: readonly string[];
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

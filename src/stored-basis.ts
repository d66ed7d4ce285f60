/**
 * Values derived from the register and kept beside it (the stored lex Sarah clocks, the casework
 * review ranks) hold only for the basis they were computed under: the settings, the holiday tables
 * and the code. The basis is kept in the state store; another one forgets every stored value once.
 * Two instances on different bases must not leave values of the old one marked current: the new
 * basis is written between two invalidations (wiping what an old instance stored before it), and a
 * refresh that stored something and then finds the basis moved invalidates again.
 */
import { createRequire } from 'node:module';
import { version as holidaysVersion } from 'date-holidays/package.json';
import type { Logger } from './log/logger';
import type { StateStore } from './store/store';

/** The holiday tables and their engine, a package of its own (date-holidays' dependency, found from there). */
export const HOLIDAY_VERSIONS = {
  holidays: holidaysVersion,
  holidaysParser: ((): string => {
    try {
      return (createRequire(require.resolve('date-holidays'))('date-holidays-parser/package.json') as { version: string }).version;
    } catch {
      return 'unknown';
    }
  })(),
};

/**
 * Between two batches of a refresh: lets the turns and timers waiting meanwhile run. The SQLite
 * store answers synchronously, so a refresh is otherwise one unbroken task however many batches it
 * takes: after an upgrade the weekly sweep ranks every open casework item of the municipality (a
 * million in the bench: about half a minute), and no turn would be answered until it is done.
 */
export function betweenBatches(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Rows computed per batch of a refresh. On SQLite a batch is one unbroken task (about 15 ms on the
 * development machine), the longest a turn waits behind a refresh; SQL Server's calls yield anyway,
 * and each of its batches costs round trips, so it takes larger ones.
 */
export function refreshBatchSize(store: { kind: 'sqlite' | 'mssql' }): number {
  return store.kind === 'sqlite' ? 500 : 2000;
}

export interface StoredBasis {
  state: Pick<StateStore, 'read' | 'write'>;
  /** The state key the basis is kept under. */
  key: string;
  basis: string;
  /** Marks every stored value stale; returns how many. */
  invalidate: () => Promise<number>;
  logger?: Logger;
  /** The log events' prefix, e.g. 'stored-clocks', and what the invalidation's count counts ('cases'). */
  event: string;
  counted: string;
  /** What the log says on the first start, on a changed basis, and when the basis moved during a refresh. */
  say: { first: string; changed: string; moved: string };
}

/**
 * Whether the values stored under `key` were computed under `basis`: what a reader checks before
 * it trusts counts of them without refreshing (a refresh reads every stale row; this, one state key).
 */
export async function basisHolds(state: Pick<StateStore, 'read'>, key: string, basis: string): Promise<boolean> {
  return (await state.read([key])).get(key)?.value === basis;
}

/**
 * Runs `refresh` (which computes and stores the stale values, returning how many it stored) under
 * the basis `b`: invalidating first when the stored basis differs, and again after the refresh when
 * it stored something and the basis moved meanwhile. Returns what `refresh` returned.
 */
export async function refreshUnderBasis(b: StoredBasis, refresh: () => Promise<number>): Promise<number> {
  const stored = async () => (await b.state.read([b.key])).get(b.key)?.value;
  const before = await stored();
  if (before !== b.basis) {
    const n = await b.invalidate();
    await b.state.write([{ key: b.key, value: b.basis }]);
    await b.invalidate();
    const fields = { event: `${b.event}-invalidated`, [b.counted]: n, first: before === undefined };
    if (before === undefined) b.logger?.info(fields, b.say.first);
    else b.logger?.warn(fields, b.say.changed);
  }
  const n = await refresh();
  // Nothing stored, nothing computed under a basis that moved.
  if (n > 0 && (await stored()) !== b.basis) {
    await b.invalidate();
    b.logger?.warn({ event: `${b.event}-basis-moved`, stored: n }, b.say.moved);
  }
  return n;
}

/** The status summary's counts on SQLite: one indexed aggregate per figure. */
import type Database from 'better-sqlite3';
import type { CaseworkClockCount, DeliveryFailure, StateCount, StatusCounts, StatusCountsQuery, StatusStore, UnitCount, UnreachablePerson } from '../status';

type Db = Database.Database;

/**
 * Open casework items due up to @until, and of the urgent types (never "i tid") due any day after
 * it, whose clock has not stopped by @today, per unit and type. Disjoint ranges, not one OR: that
 * OR read every open item of the scope (700,000 in the bench municipality). The known types
 * (@types, StatusCountsQuery.itemTypes) are counted by type, unit and day in
 * ix_casework_open_type_due (migration 19): overdue, and approaching, each one range. Any other
 * type (none, unless a type was renamed in the code and not in the data) is found in the same
 * index through the gaps between the known types (@gaps: [lo, hi] pairs, null for unbounded, in
 * the index's byte order), so that it is counted, never left out, at the cost of a seek per gap
 * when there is none. The first gap (below the least known type, @firstHi) is its own range from
 * '' itself, the least text (a numeric sentinel would become text under the column's affinity:
 * '-1', above '' and ' x'); the others (@gaps) start strictly after a known type, so no range walks
 * a known type's rows. Every text sorts below a blob (x'ff'). The urgent types due after @until are one more range.
 */
export const SQLITE_CASEWORK_COUNTS_SQL = `SELECT unitId, type, SUM(overdue) AS overdue, SUM(approaching) AS approaching FROM (
    SELECT unit_id AS unitId, item_type AS type, COUNT(*) AS overdue, 0 AS approaching
    FROM casework_items INDEXED BY ix_casework_open_type_due
    WHERE status = 'oppen' AND item_type IN (SELECT value FROM json_each(@types)) AND unit_id IN (SELECT value FROM json_each(@units))
      AND due_on < @today AND (stops_on IS NULL OR stops_on > @today)
    GROUP BY item_type, unit_id
    UNION ALL
    SELECT unit_id AS unitId, item_type AS type, 0 AS overdue, COUNT(*) AS approaching
    FROM casework_items INDEXED BY ix_casework_open_type_due
    WHERE status = 'oppen' AND item_type IN (SELECT value FROM json_each(@types)) AND unit_id IN (SELECT value FROM json_each(@units))
      AND due_on >= @today AND due_on <= @until AND (stops_on IS NULL OR stops_on > @today)
    GROUP BY item_type, unit_id
    UNION ALL
    SELECT c.unit_id AS unitId, c.item_type AS type,
           SUM(CASE WHEN c.due_on < @today THEN 1 ELSE 0 END) AS overdue,
           SUM(CASE WHEN c.due_on >= @today THEN 1 ELSE 0 END) AS approaching
    FROM casework_items AS c INDEXED BY ix_casework_open_type_due
    WHERE c.status = 'oppen' AND c.item_type >= '' AND c.item_type < COALESCE(@firstHi, x'ff')
      AND c.unit_id IN (SELECT value FROM json_each(@units)) AND c.due_on <= @until AND (c.stops_on IS NULL OR c.stops_on > @today)
    GROUP BY c.unit_id, c.item_type
    UNION ALL
    SELECT c.unit_id AS unitId, c.item_type AS type,
           SUM(CASE WHEN c.due_on < @today THEN 1 ELSE 0 END) AS overdue,
           SUM(CASE WHEN c.due_on >= @today THEN 1 ELSE 0 END) AS approaching
    FROM json_each(@gaps) AS g
    CROSS JOIN casework_items AS c INDEXED BY ix_casework_open_type_due
    WHERE c.status = 'oppen'
      AND c.item_type > json_extract(g.value, '$[0]') AND c.item_type < COALESCE(json_extract(g.value, '$[1]'), x'ff')
      AND c.unit_id IN (SELECT value FROM json_each(@units)) AND c.due_on <= @until AND (c.stops_on IS NULL OR c.stops_on > @today)
    GROUP BY c.unit_id, c.item_type
    UNION ALL
    SELECT unit_id AS unitId, item_type AS type, 0 AS overdue, COUNT(*) AS approaching
    FROM casework_items INDEXED BY ix_casework_open_type_due
    WHERE status = 'oppen' AND item_type IN (SELECT value FROM json_each(@urgent)) AND unit_id IN (SELECT value FROM json_each(@units))
      AND due_on > @until AND (stops_on IS NULL OR stops_on > @today)
    GROUP BY item_type, unit_id
  ) GROUP BY unitId, type`;

/**
 * The gaps between the known types, as SQLite orders text (bytes of UTF-8, which JavaScript's
 * string order is not beyond the BMP): [lo, hi] with null for unbounded; every type that is not
 * one of them lies strictly inside one gap. No types: one gap, everything.
 */
export function typeGaps(types: readonly string[]): (string | null)[][] {
  const known = [...new Set(types)].sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  const bounds: (string | null)[] = [null, ...known, null];
  return bounds.slice(1).map((hi, i) => [bounds[i]!, hi]);
}

/** The first gap's upper end, and the other gaps (their lower ends are known types, never null). */
function gapParams(gaps: (string | null)[][]): { firstHi: string | null; gaps: string } {
  const [first, ...rest] = gaps;
  return { firstHi: first?.[1] ?? null, gaps: JSON.stringify(rest) };
}

export class SqliteStatusStore implements StatusStore {
  constructor(private readonly db: Db) {}

  async counts(q: StatusCountsQuery): Promise<StatusCounts> {
    const units = JSON.stringify(q.unitIds);
    const db = this.db;
    // One read transaction: the figures on a card come from the same snapshot.
    return db.transaction(() => {
      const newReports = db
        .prepare(
          `SELECT unit_id AS unitId, COUNT(*) AS count FROM reports
           WHERE unit_id IN (SELECT value FROM json_each(?)) AND created_at >= ? AND created_at < ?
           GROUP BY unit_id`,
        )
        .all(units, q.from.toISOString(), q.to.toISOString()) as UnitCount[];
      const openByState = db
        .prepare(
          `SELECT unit_id AS unitId, state, COUNT(*) AS count FROM reports
           WHERE state IN ('rapporterad', 'under-utredning', 'bedomd', 'anmald') AND unit_id IN (SELECT value FROM json_each(?))
           GROUP BY unit_id, state`,
        )
        .all(units) as StateCount[];
      const filings = db
        .prepare(
          `SELECT r.unit_id AS unitId, COUNT(*) AS count FROM case_filings f JOIN reports r ON r.id = f.report_id
           WHERE f.filed_on >= ? AND f.filed_on < ? AND r.unit_id IN (SELECT value FROM json_each(?))
           GROUP BY r.unit_id`,
        )
        .all(q.fromDay, q.toDay, units) as UnitCount[];
      const casework = db
        .prepare(SQLITE_CASEWORK_COUNTS_SQL)
        .all({
          units, today: q.today, until: q.approachingUntil, urgent: JSON.stringify(q.urgentTypes ?? []),
          types: JSON.stringify(q.itemTypes ?? []), ...gapParams(typeGaps(q.itemTypes ?? [])),
        }) as CaseworkClockCount[];
      // Open items whose deadline could not be computed (none stored): counted as such, never left
      // out, so a chef sees that something cannot be judged instead of fewer late items.
      const caseworkUnjudgeable = db
        .prepare(
          `SELECT unit_id AS unitId, COUNT(*) AS count FROM casework_items
           WHERE status = 'oppen' AND unit_id IN (SELECT value FROM json_each(?)) AND due_on IS NULL
           GROUP BY unit_id`,
        )
        .all(units) as UnitCount[];
      return { newReports, openByState, filings, casework, caseworkUnjudgeable };
    })();
  }

  async recordDeliveryFailure(f: DeliveryFailure): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO delivery_failures (at, recipient_entra_id, recipient_name, unit_id, committee_id, purpose, entity_ref, status, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(f.at.toISOString(), f.recipientEntraId.toLowerCase(), f.recipientName, f.unitId, f.committeeId, f.purpose, f.entityRef, f.status, f.error ?? null);
  }

  async unreachable(q: { unitIds: readonly string[]; from: Date; to: Date; limit: number }): Promise<{ people: UnreachablePerson[]; total: number }> {
    const args = [JSON.stringify(q.unitIds), q.from.toISOString(), q.to.toISOString()];
    const where = `unit_id IN (SELECT value FROM json_each(?)) AND at >= ? AND at < ?`;
    const db = this.db;
    return db.transaction(() => {
      // One pass: the window counts the people (one grouped row each) before the LIMIT cuts the list.
      const rows = db
        .prepare(
          `SELECT f.recipient_entra_id AS entraId, f.recipient_name AS name, g.failures, f.at AS lastAt, f.status AS lastStatus, COUNT(*) OVER () AS total
           FROM (SELECT recipient_entra_id, COUNT(*) AS failures, MAX(id) AS last_id FROM delivery_failures WHERE ${where} GROUP BY recipient_entra_id) g
           JOIN delivery_failures f ON f.id = g.last_id
           ORDER BY f.at DESC, f.recipient_entra_id
           LIMIT ?`,
        )
        .all(...args, Math.max(1, q.limit)) as { entraId: string; name: string; failures: number; lastAt: string; lastStatus: UnreachablePerson['lastStatus']; total: number }[];
      const total = rows[0]?.total ?? 0;
      return { people: rows.slice(0, Math.max(0, q.limit)).map(({ total: _, ...r }) => ({ ...r, lastAt: new Date(r.lastAt) })), total };
    })();
  }
}

/** The status summary's counts on SQLite: one indexed aggregate per figure. */
import type Database from 'better-sqlite3';
import type { CaseworkClockCount, DeliveryFailure, StateCount, StatusCounts, StatusCountsQuery, StatusStore, UnitCount, UnreachablePerson } from '../status';

type Db = Database.Database;

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
        .prepare(
          `SELECT unit_id AS unitId, item_type AS type,
                  SUM(CASE WHEN due_on < @today THEN 1 ELSE 0 END) AS overdue,
                  SUM(CASE WHEN due_on >= @today THEN 1 ELSE 0 END) AS approaching
           FROM casework_items
           WHERE status = 'oppen' AND unit_id IN (SELECT value FROM json_each(@units))
             AND (due_on <= @until OR (due_on IS NOT NULL AND item_type IN (SELECT value FROM json_each(@urgent))))
             AND (stops_on IS NULL OR stops_on > @today)
           GROUP BY unit_id, item_type`,
        )
        .all({ units, today: q.today, until: q.approachingUntil, urgent: JSON.stringify(q.urgentTypes ?? []) }) as CaseworkClockCount[];
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
      const rows = db
        .prepare(
          `SELECT f.recipient_entra_id AS entraId, f.recipient_name AS name, g.failures, f.at AS lastAt, f.status AS lastStatus
           FROM (SELECT recipient_entra_id, COUNT(*) AS failures, MAX(id) AS last_id FROM delivery_failures WHERE ${where} GROUP BY recipient_entra_id) g
           JOIN delivery_failures f ON f.id = g.last_id
           ORDER BY f.at DESC, f.recipient_entra_id
           LIMIT ?`,
        )
        .all(...args, q.limit) as { entraId: string; name: string; failures: number; lastAt: string; lastStatus: UnreachablePerson['lastStatus'] }[];
      const total = (db.prepare(`SELECT COUNT(DISTINCT recipient_entra_id) AS n FROM delivery_failures WHERE ${where}`).get(...args) as { n: number }).n;
      return { people: rows.map((r) => ({ ...r, lastAt: new Date(r.lastAt) })), total };
    })();
  }
}

/**
 * The status summary's counts on SQL Server: one indexed aggregate per figure, and the log of
 * deliveries that failed. Behaviour mirrors ../sqlite/sqlite-status.ts, which is the reference;
 * both must pass test/store/contract.ts. Every SQL text here is in MSSQL_STATUS_SQL, which
 * test/store/mssql-sql.test.ts parse-checks.
 *
 * The figures of one card come from one snapshot, as SQLite's read transaction gives them, where
 * the database allows it: counts() and unreachable() run their statements in one SNAPSHOT
 * transaction (row versions, no locks: they neither block nor are blocked by report creates,
 * state changes and imports, and cannot deadlock with them). migrate() learns whether
 * ALLOW_SNAPSHOT_ISOLATION is on; when it is off, the statements are plain READ COMMITTED reads
 * (READ_COMMITTED_SNAPSHOT, which migrate() requires, makes each one a consistent statement-level
 * snapshot without locks), and figures of one card may then straddle a concurrent write. No
 * statement takes range locks (no SERIALIZABLE or HOLDLOCK hints): on a busy register they would
 * block writers for the length of the counts, escalate to table locks and deadlock with writers.
 *
 * Units travel as a JSON array in @unitIds, read with OPENJSON (database compatibility level 130
 * or higher) WITH a column of the compared key's exact type and collation (unit_id is
 * NVARCHAR(200) COLLATE Latin1_General_100_BIN2): OPENJSON's own `value` is NVARCHAR(MAX) in the
 * database collation, which conflicts with a binary-collated key (error 468) unless converted, and
 * an NVARCHAR(MAX) operand rules out a seek on the key. ISO calendar days are bound as 'YYYY-MM-DD' text and converted with
 * CONVERT(DATE, …, 23). Every count is COUNT(*) or SUM over 0/1, both INT, which the driver
 * returns as a JavaScript number (BIGINT would come back as a string).
 */
import * as sql from 'mssql';
import type { CaseworkClockCount, DeliveryFailure, StateCount, StatusCounts, StatusCountsQuery, StatusStore, UnitCount, UnreachablePerson } from '../status';
import { asDate, type DbDate } from '../report-rows';
import { fits, need, needIsoDate, topOf, type Db } from './mssql-db';

/** Every SQL text of the status store. Parameters are @named and bound with explicit types. */
export const MSSQL_STATUS_SQL = {
  // --- counts (one transaction, every table read) ------------------------------
  /** Reports created in [@fromAt, @toAt), per unit: a range of ix_reports_unit (unit_id, created_at) per unit. */
  countNewReports: `SELECT unit_id AS unitId, COUNT(*) AS count
    FROM reports
    WHERE unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))
      AND created_at >= @fromAt AND created_at < @toAt
    GROUP BY unit_id`,
  /** Reports not closed, per unit and state: seeks in ix_reports_state_unit (state, unit_id). */
  countOpenByState: `SELECT unit_id AS unitId, state, COUNT(*) AS count
    FROM reports
    WHERE state IN (N'rapporterad', N'under-utredning', N'bedomd', N'anmald')
      AND unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))
    GROUP BY unit_id, state`,
  /** Anmälningar filed on a day in [@fromDay, @toDay), per unit: a range of ix_case_filings_filed_on. */
  countFilings: `SELECT r.unit_id AS unitId, COUNT(*) AS count
    FROM case_filings AS f
    INNER JOIN reports AS r ON r.id = f.report_id
    WHERE f.filed_on >= CONVERT(DATE, @fromDay, 23) AND f.filed_on < CONVERT(DATE, @toDay, 23)
      AND r.unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))
    GROUP BY r.unit_id`,
  /**
   * Open casework items due up to @until (any day for the types in @urgentTypes, never "i tid")
   * whose clock has not stopped by @today, per unit and type: overdue before @today, approaching
   * from it. Two disjoint ranges as in SQLite (SQLITE_CASEWORK_COUNTS_SQL): ix_casework_open_due
   * up to @until, ix_casework_open_type_due (migration 19) for the urgent types after it.
   */
  countCasework: `SELECT c.unitId, c.type, SUM(c.overdue) AS overdue, SUM(c.approaching) AS approaching FROM (
      SELECT unit_id AS unitId, item_type AS type,
        SUM(CASE WHEN due_on < CONVERT(DATE, @today, 23) THEN 1 ELSE 0 END) AS overdue,
        SUM(CASE WHEN due_on >= CONVERT(DATE, @today, 23) THEN 1 ELSE 0 END) AS approaching
      FROM casework_items
      WHERE status = N'oppen'
        AND unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))
        AND due_on <= CONVERT(DATE, @until, 23)
        AND (stops_on IS NULL OR stops_on > CONVERT(DATE, @today, 23))
      GROUP BY unit_id, item_type
      UNION ALL
      SELECT unit_id AS unitId, item_type AS type, 0 AS overdue, COUNT(*) AS approaching
      FROM casework_items
      WHERE status = N'oppen'
        AND item_type IN (SELECT v FROM OPENJSON(@urgentTypes) WITH (v NVARCHAR(100) COLLATE Latin1_General_100_BIN2 '$'))
        AND unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))
        AND due_on > CONVERT(DATE, @until, 23)
        AND (stops_on IS NULL OR stops_on > CONVERT(DATE, @today, 23))
      GROUP BY unit_id, item_type
    ) AS c
    GROUP BY c.unitId, c.type`,
  /**
   * Open items with no stored deadline (it could not be computed), per unit: counted as "cannot be
   * judged" rather than left out. A seek in ix_casework_open_due (status, unit_id, due_on).
   */
  countCaseworkUnjudgeable: `SELECT unit_id AS unitId, COUNT(*) AS count
    FROM casework_items
    WHERE status = N'oppen'
      AND unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))
      AND due_on IS NULL
    GROUP BY unit_id`,

  // --- delivery failures ----------------------------------------------------------------------------
  deliveryFailureInsert: `INSERT INTO delivery_failures (at, recipient_entra_id, recipient_name, unit_id, committee_id, purpose, entity_ref, status, error)
    VALUES (@at, @recipientEntraId, @recipientName, @unitId, @committeeId, @purpose, @entityRef, @status, @error)`,
  /**
   * One row per person whose deliveries about the units failed in [@fromAt, @toAt): how many, and the
   * latest failure (the highest id, as in SQLite), latest first; at most @limit (one transaction
   * with unreachableTotal, both reading).
   */
  unreachableList: `SELECT TOP (@limit) f.recipient_entra_id AS entraId, f.recipient_name AS name, g.failures, f.at AS lastAt, f.status AS lastStatus
    FROM (
      SELECT recipient_entra_id, COUNT(*) AS failures, MAX(id) AS last_id
      FROM delivery_failures
      WHERE unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$')) AND at >= @fromAt AND at < @toAt
      GROUP BY recipient_entra_id
    ) AS g
    INNER JOIN delivery_failures AS f ON f.id = g.last_id
    ORDER BY f.at DESC, f.recipient_entra_id`,
  /** How many people unreachableList would list without its limit. */
  unreachableTotal: `SELECT COUNT(DISTINCT recipient_entra_id) AS n
    FROM delivery_failures
    WHERE unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$')) AND at >= @fromAt AND at < @toAt`,
} as const;

/**
 * Column lengths (UTF-16 code units) of delivery_failures as migration 8 in ./migrations.ts
 * declares them. Values that do not fit are refused with a clear message, never cut; the
 * person's name (display text) and the error (diagnostic text) are cut.
 */
export const MSSQL_STATUS_LIMITS = {
  entraId: 100,
  /** casework_items.item_type (migration 4), for @urgentTypes. */
  itemType: 100,
  /** Display text: cut to fit rather than refused. */
  personName: 400,
  /** delivery_failures.unit_id and committee_id, as units.id and committees.id. */
  orgId: 200,
  purpose: 40,
  entityRef: 200,
  status: 20,
  /** Diagnostic text: cut to fit rather than refused. */
  error: 1000,
} as const;

const L = MSSQL_STATUS_LIMITS;

const T = {
  text: (len: number) => sql.NVarChar(len),
  max: () => sql.NVarChar(sql.MAX),
  at: () => sql.DateTime2(3),
  day: () => sql.NVarChar(10),
};

/** @unitIds for OPENJSON; a unit id longer than the column cannot have been stored. */
function unitList(unitIds: readonly string[]): string | undefined {
  const wanted = unitIds.filter((u) => fits(u, L.orgId));
  return wanted.length === 0 ? undefined : JSON.stringify(wanted);
}

export class MssqlStatusStore implements StatusStore {
  constructor(private readonly db: Db) {}

  async counts(q: StatusCountsQuery): Promise<StatusCounts> {
    needIsoDate(q.fromDay, 'first day of the period');
    needIsoDate(q.toDay, 'day after the period');
    needIsoDate(q.today, 'day of today');
    needIsoDate(q.approachingUntil, 'last approaching day');
    const units = unitList(q.unitIds);
    if (units === undefined) return { newReports: [], openByState: [], filings: [], casework: [], caseworkUnjudgeable: [] };
    const S = MSSQL_STATUS_SQL;
    return this.db.inTransaction(
      async (tx) => {
        const req = () => new sql.Request(tx).input('unitIds', T.max(), units);
        const newReports = await req().input('fromAt', T.at(), q.from).input('toAt', T.at(), q.to).query<UnitCount>(S.countNewReports);
        const openByState = await req().query<StateCount>(S.countOpenByState);
        const filings = await req().input('fromDay', T.day(), q.fromDay).input('toDay', T.day(), q.toDay).query<UnitCount>(S.countFilings);
        const casework = await req()
          .input('today', T.day(), q.today)
          .input('until', T.day(), q.approachingUntil)
          // A type longer than the column cannot have been stored (and OPENJSON would cut it to fit).
          .input('urgentTypes', T.max(), JSON.stringify((q.urgentTypes ?? []).filter((t) => fits(t, L.itemType))))
          .query<CaseworkClockCount>(S.countCasework);
        const unjudgeable = await req().query<UnitCount>(S.countCaseworkUnjudgeable);
        return {
          newReports: newReports.recordset.map((r) => ({ unitId: r.unitId, count: Number(r.count) })),
          openByState: openByState.recordset.map((r) => ({ unitId: r.unitId, state: r.state, count: Number(r.count) })),
          filings: filings.recordset.map((r) => ({ unitId: r.unitId, count: Number(r.count) })),
          casework: casework.recordset.map((r) => ({ unitId: r.unitId, type: r.type, overdue: Number(r.overdue), approaching: Number(r.approaching) })),
          caseworkUnjudgeable: unjudgeable.recordset.map((r) => ({ unitId: r.unitId, count: Number(r.count) })),
        };
      },
      { retryDeadlocks: true, ...(this.db.snapshotAllowed ? { isolation: 'snapshot' as const } : {}) },
    );
  }

  async recordDeliveryFailure(f: DeliveryFailure): Promise<void> {
    const entraId = f.recipientEntraId.toLowerCase();
    need(entraId, L.entraId, "recipient's Entra id");
    need(f.unitId, L.orgId, 'unit id');
    need(f.committeeId, L.orgId, 'committee id');
    need(f.purpose, L.purpose, 'delivery purpose');
    need(f.entityRef, L.entityRef, 'delivery reference');
    need(f.status, L.status, 'delivery status');
    await this.db.pool
      .request()
      .input('at', T.at(), f.at)
      .input('recipientEntraId', T.text(L.entraId), entraId)
      .input('recipientName', T.text(L.personName), f.recipientName.slice(0, L.personName))
      .input('unitId', T.text(L.orgId), f.unitId)
      .input('committeeId', T.text(L.orgId), f.committeeId)
      .input('purpose', T.text(L.purpose), f.purpose)
      .input('entityRef', T.text(L.entityRef), f.entityRef)
      .input('status', T.text(L.status), f.status)
      .input('error', T.text(L.error), f.error === undefined ? null : f.error.slice(0, L.error))
      .query(MSSQL_STATUS_SQL.deliveryFailureInsert);
  }

  async unreachable(q: { unitIds: readonly string[]; from: Date; to: Date; limit: number }): Promise<{ people: UnreachablePerson[]; total: number }> {
    const units = unitList(q.unitIds);
    if (units === undefined) return { people: [], total: 0 };
    const S = MSSQL_STATUS_SQL;
    return this.db.inTransaction(
      async (tx) => {
        const req = () => new sql.Request(tx).input('unitIds', T.max(), units).input('fromAt', T.at(), q.from).input('toAt', T.at(), q.to);
        const rows = await req()
          .input('limit', sql.Int, topOf(q.limit))
          .query<{ entraId: string; name: string; failures: number; lastAt: DbDate; lastStatus: UnreachablePerson['lastStatus'] }>(S.unreachableList);
        const total = await req().query<{ n: number }>(S.unreachableTotal);
        return {
          people: rows.recordset.map((r) => ({ entraId: r.entraId, name: r.name, failures: Number(r.failures), lastAt: asDate(r.lastAt), lastStatus: r.lastStatus })),
          total: Number(total.recordset[0]?.n ?? 0),
        };
      },
      { retryDeadlocks: true, ...(this.db.snapshotAllowed ? { isolation: 'snapshot' as const } : {}) },
    );
  }
}

/**
 * The sammanställning's figures on SQL Server. Mirrors ../sqlite/sqlite-compilation.ts (the
 * reference; both pass test/store/compilation-contract.ts). Every text is in MSSQL_COMPILATION_SQL,
 * parse-checked by test/store/mssql-sql.test.ts. One SNAPSHOT transaction (read committed where the
 * database does not allow it), so the figures on one card come from one moment.
 *
 * Durations: whole hours as DATEDIFF(second, …) / 3600 (integer division truncates, as SQLite's
 * does; DATEDIFF(hour, …) would count hour boundaries instead), whole days between calendar dates.
 */
import * as sql from 'mssql';
import type { CompilationQuery, CompilationRecord, CompilationStore, HistogramBin } from '../compilation';
import type { Db } from './mssql-db';

const UNITS = `(SELECT v FROM OPENJSON(@units) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))`;
const COHORT = `SELECT id FROM reports WHERE committee_id = @committee AND created_at >= @fromAt AND created_at < @toAt`;

export const MSSQL_COMPILATION_SQL = {
  reports: `SELECT unit_id AS unitId, category, COUNT(*) AS count, SUM(CAST(urgent AS INT)) AS urgent FROM reports
    WHERE committee_id = @committee AND created_at >= @fromAt AND created_at < @toAt
    GROUP BY unit_id, category ORDER BY unit_id, category`,
  decisions: `SELECT d.decided_outcome AS decidedOutcome, d.recommended_outcome AS recommendedOutcome, d.requires_anmalan AS requiresAnmalan, COUNT(*) AS count
    FROM case_decisions d
    JOIN (SELECT report_id, MAX(id) AS id FROM case_decisions WHERE report_id IN (${COHORT}) GROUP BY report_id) l ON l.id = d.id
    GROUP BY d.decided_outcome, d.recommended_outcome, d.requires_anmalan
    ORDER BY d.decided_outcome, d.recommended_outcome, d.requires_anmalan`,
  filings: `SELECT r.unit_id AS unitId, COUNT(*) AS count FROM case_filings f JOIN reports r ON r.id = f.report_id
    WHERE f.report_id IN (${COHORT}) GROUP BY r.unit_id ORDER BY r.unit_id`,
  toDecisionHours: `SELECT h AS amount, COUNT(*) AS count FROM (
      SELECT DATEDIFF(second, r.created_at, MIN(d.decided_at)) / 3600 AS h
      FROM reports r JOIN case_decisions d ON d.report_id = r.id
      WHERE r.id IN (${COHORT}) GROUP BY r.id, r.created_at) x
    GROUP BY h ORDER BY h`,
  anmalanRuns: `SELECT CONVERT(NVARCHAR(10), f.filed_on, 23) AS filedOn, MIN(d.decided_at) AS runStart
    FROM case_filings f JOIN case_decisions d ON d.report_id = f.report_id AND d.requires_anmalan = 1
    WHERE f.report_id IN (${COHORT})
      AND NOT EXISTS (SELECT 1 FROM case_decisions n WHERE n.report_id = d.report_id AND n.requires_anmalan = 0 AND n.id > d.id AND n.decided_at <= f.recorded_at)
    GROUP BY f.report_id, f.filed_on ORDER BY f.report_id`,
  toInvestigationDays: `SELECT n AS amount, COUNT(*) AS count FROM (
      SELECT CASE WHEN investigation_attached = 1 THEN 0 ELSE DATEDIFF(day, filed_on, investigation_sent_on) END AS n
      FROM case_filings WHERE report_id IN (${COHORT}) AND (investigation_attached = 1 OR investigation_sent_on IS NOT NULL)) x
    GROUP BY n ORDER BY n`,
  actions: `SELECT COALESCE(SUM(CASE WHEN done_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS done,
      COALESCE(SUM(CASE WHEN done_at IS NULL THEN 1 ELSE 0 END), 0) AS [open],
      COALESCE(SUM(CASE WHEN done_at IS NULL AND due_on < @today THEN 1 ELSE 0 END), 0) AS openOverdue
    FROM case_actions WHERE report_id IN (${COHORT})`,
  reviews: `SELECT unit_id AS unitId, week_key AS weekKey FROM review_records
    WHERE unit_id IN ${UNITS} AND week_key >= @fromWeek AND week_key <= @toWeek
    ORDER BY unit_id, week_key`,
  casework: `SELECT item_type AS type, COUNT(*) AS [open],
      SUM(CASE WHEN due_on < @today AND (stops_on IS NULL OR stops_on > @today) THEN 1 ELSE 0 END) AS overdue
    FROM casework_items WHERE status = N'oppen' AND unit_id IN ${UNITS}
    GROUP BY item_type ORDER BY item_type`,
} as const;
const S = MSSQL_COMPILATION_SQL;

export class MssqlCompilationStore implements CompilationStore {
  constructor(private readonly db: Db) {}

  async compile(q: CompilationQuery): Promise<CompilationRecord> {
    return this.db.inTransaction(
      async (tx) => {
        const req = () =>
          new sql.Request(tx)
            .input('committee', sql.NVarChar(200), q.committeeId)
            .input('units', sql.NVarChar(sql.MAX), JSON.stringify(q.unitIds))
            .input('fromAt', sql.DateTime2(3), q.from)
            .input('toAt', sql.DateTime2(3), q.to)
            .input('today', sql.Date, q.today)
            .input('fromWeek', sql.NVarChar(10), q.fromWeek)
            .input('toWeek', sql.NVarChar(10), q.toWeek);
        const rows = async <T>(text: string) => (await req().query<T>(text)).recordset;
        // `amount`, not `value`: a column named value reads like OPENJSON's own (the parse check looks for it).
        const bins = async (text: string): Promise<HistogramBin[]> => (await rows<{ amount: number; count: number }>(text)).map((b) => ({ value: b.amount, count: b.count }));
        const reports = await rows<{ unitId: string; category: string; count: number; urgent: number }>(S.reports);
        const decisions = (await rows<{ decidedOutcome: string; recommendedOutcome: string; requiresAnmalan: boolean; count: number }>(S.decisions)).map((d) => ({ ...d, requiresAnmalan: !!d.requiresAnmalan }));
        const filings = await rows<{ unitId: string; count: number }>(S.filings);
        const toDecisionHours = await bins(S.toDecisionHours);
        const anmalanRuns = await rows<{ filedOn: string; runStart: Date }>(S.anmalanRuns);
        const toInvestigationDays = await bins(S.toInvestigationDays);
        const actions = (await rows<CompilationRecord['actions']>(S.actions))[0] ?? { done: 0, open: 0, openOverdue: 0 };
        const reviews = await rows<{ unitId: string; weekKey: string }>(S.reviews);
        const casework = await rows<{ type: string; open: number; overdue: number }>(S.casework);
        return { reports, decisions, filings, toDecisionHours, anmalanRuns, toInvestigationDays, actions, reviews, casework };
      },
      { isolation: 'snapshot', retryDeadlocks: true },
    );
  }
}

/** The sammanställning's figures on SQLite: one aggregate per figure, in one read transaction. */
import type Database from 'better-sqlite3';
import type { CompilationQuery, CompilationRecord, CompilationStore, HistogramBin } from '../compilation';

type Db = Database.Database;

/** The rapporter of the period: the cohort every figure but the reviews and the casework counts. */
const COHORT = `SELECT id FROM reports WHERE committee_id = @committee AND created_at >= @from AND created_at < @to`;
const SECONDS = (col: string) => `CAST(strftime('%s', ${col}) AS INTEGER)`;

/**
 * The units' open casework by type, with a seek per unit on ix_casework_open_due (status, unit_id,
 * …): left to itself the planner walks every open item of the municipality through
 * ix_casework_open_type_due (a million in the bench: 62 against 17 ms a nämnd).
 */
export const SQLITE_COMPILATION_CASEWORK_SQL = `SELECT item_type AS type, COUNT(*) AS open,
    SUM(CASE WHEN due_on < @today AND (stops_on IS NULL OR stops_on > @today) THEN 1 ELSE 0 END) AS overdue
  FROM casework_items INDEXED BY ix_casework_open_due WHERE status = 'oppen' AND unit_id IN (SELECT value FROM json_each(@units))
  GROUP BY item_type ORDER BY item_type`;

export class SqliteCompilationStore implements CompilationStore {
  constructor(private readonly db: Db) {}

  async compile(q: CompilationQuery): Promise<CompilationRecord> {
    const db = this.db;
    const p = { committee: q.committeeId, units: JSON.stringify(q.unitIds), from: q.from.toISOString(), to: q.to.toISOString(), today: q.today, fromWeek: q.fromWeek, toWeek: q.toWeek };
    const bins = (sql: string): HistogramBin[] => (db.prepare(sql).all(p) as { amount: number; count: number }[]).map((b) => ({ value: b.amount, count: b.count }));
    return db.transaction((): CompilationRecord => {
      const reports = (
        db
          .prepare(
            `SELECT unit_id AS unitId, category, COUNT(*) AS count, SUM(urgent) AS urgent FROM reports
             WHERE committee_id = @committee AND created_at >= @from AND created_at < @to
             GROUP BY unit_id, category ORDER BY unit_id, category`,
          )
          .all(p) as { unitId: string; category: string; count: number; urgent: number }[]
      );
      const decisions = (
        db
          .prepare(
            `SELECT d.decided_outcome AS decidedOutcome, d.recommended_outcome AS recommendedOutcome, d.requires_anmalan AS requiresAnmalan, COUNT(*) AS count
             FROM case_decisions d
             JOIN (SELECT report_id, MAX(id) AS id FROM case_decisions WHERE report_id IN (${COHORT}) GROUP BY report_id) l ON l.id = d.id
             GROUP BY d.decided_outcome, d.recommended_outcome, d.requires_anmalan
             ORDER BY d.decided_outcome, d.recommended_outcome, d.requires_anmalan`,
          )
          .all(p) as { decidedOutcome: string; recommendedOutcome: string; requiresAnmalan: number; count: number }[]
      ).map((d) => ({ ...d, requiresAnmalan: d.requiresAnmalan === 1 }));
      const filings = db
        .prepare(
          `SELECT r.unit_id AS unitId, COUNT(*) AS count FROM case_filings f JOIN reports r ON r.id = f.report_id
           WHERE f.report_id IN (${COHORT}) GROUP BY r.unit_id ORDER BY r.unit_id`,
        )
        .all(p) as { unitId: string; count: number }[];
      const toDecisionHours = bins(
        `SELECT h AS amount, COUNT(*) AS count FROM (
           SELECT (${SECONDS('MIN(d.decided_at)')} - ${SECONDS('r.created_at')}) / 3600 AS h
           FROM reports r JOIN case_decisions d ON d.report_id = r.id
           WHERE r.id IN (${COHORT}) GROUP BY r.id, r.created_at)
         GROUP BY h ORDER BY h`,
      );
      // The run of serious decisions the anmälan answered: those with no decision requiring none
      // after them, up to when the filing was recorded (src/cases/clocks.ts anmalanRunStart).
      const anmalanRuns = (
        db
          .prepare(
            `SELECT f.filed_on AS filedOn, MIN(d.decided_at) AS runStart
             FROM case_filings f JOIN case_decisions d ON d.report_id = f.report_id AND d.requires_anmalan = 1
             WHERE f.report_id IN (${COHORT})
               AND NOT EXISTS (SELECT 1 FROM case_decisions n WHERE n.report_id = d.report_id AND n.requires_anmalan = 0 AND n.id > d.id AND n.decided_at <= f.recorded_at)
             GROUP BY f.report_id, f.filed_on ORDER BY f.report_id`,
          )
          .all(p) as { filedOn: string; runStart: string }[]
      ).map((x) => ({ filedOn: x.filedOn, runStart: new Date(x.runStart) }));
      const toInvestigationDays = bins(
        `SELECT n AS amount, COUNT(*) AS count FROM (
           SELECT CASE WHEN investigation_attached = 1 THEN 0 ELSE CAST(julianday(investigation_sent_on) - julianday(filed_on) AS INTEGER) END AS n
           FROM case_filings WHERE report_id IN (${COHORT}) AND (investigation_attached = 1 OR investigation_sent_on IS NOT NULL))
         GROUP BY n ORDER BY n`,
      );
      const actions = db
        .prepare(
          `SELECT COALESCE(SUM(CASE WHEN done_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS done,
                  COALESCE(SUM(CASE WHEN done_at IS NULL THEN 1 ELSE 0 END), 0) AS open,
                  COALESCE(SUM(CASE WHEN done_at IS NULL AND due_on < @today THEN 1 ELSE 0 END), 0) AS openOverdue
           FROM case_actions WHERE report_id IN (${COHORT})`,
        )
        .get(p) as CompilationRecord['actions'];
      const reviews = db
        .prepare(
          `SELECT unit_id AS unitId, week_key AS weekKey FROM review_records
           WHERE unit_id IN (SELECT value FROM json_each(@units)) AND week_key >= @fromWeek AND week_key <= @toWeek
           ORDER BY unit_id, week_key`,
        )
        .all(p) as { unitId: string; weekKey: string }[];
      const casework = db.prepare(SQLITE_COMPILATION_CASEWORK_SQL).all(p) as { type: string; open: number; overdue: number }[];
      return { reports, decisions, filings, toDecisionHours, anmalanRuns, toInvestigationDays, actions, reviews, casework };
    })();
  }
}

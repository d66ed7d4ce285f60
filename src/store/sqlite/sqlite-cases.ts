/** The lex Sarah case after the report, on SQLite. */
import type Database from 'better-sqlite3';
import {
  STORED_CLOCK_KINDS,
  type ActionDoneResult, type CaseActionRecord, type CaseDetailsRecord, type CaseStore, type ClockCaseRecord, type ClockCountQuery, type ClockCountRow, type ClosingRecord, type DecisionRecord, type FilingRecord, type Guard,
  type InvestigationEntryRecord, type LateClockRow, type OpenCaseRecord, type PersonRecord, type ReviewRecord, type ReviewSnooze, type StaleClockCase, type StoredClock,
} from '../cases';
import { CLOCK_WEIGHTS, clockRankCounts, clockRankOn, kindRangesOfRanks, NO_CLOCK_RANK, untilOf, type KindCount } from '../clock-ranks';
import type { ReportStateCode } from '../report-records';
import { caseDetailsFromRows, person, type CaseRows } from '../case-rows';
import { groupRows, rankRows } from '../rank-rows';
import { insertAudit } from './sqlite-audit';

type Db = Database.Database;
const iso = (d: Date) => d.toISOString();

/**
 * When the clock of the decision in force counts from, for the report `r` whose newest decision is
 * `d`. Requiring an anmälan: the first decision of the unbroken run of serious decisions that ends
 * with it (after the newest one requiring none), when "snarast" counts from; a re-assessment that
 * keeps it serious does not restart it, taking it back ends the run. Requiring none: the case's
 * earliest decision requiring none, whatever came between, when the closing clock counts from (a
 * flip to serious and back buys no time). As anmalanRunStart and noAnmalanRunStart in
 * src/cases/clocks.ts (the contract test holds them equal); instants are ISO text, so MIN is the
 * earliest. NULL when there is no decision.
 */
const DECISION_RUN_FROM = `(SELECT MIN(s.decided_at) FROM case_decisions s
           WHERE s.report_id = r.id AND s.requires_anmalan = d.requires_anmalan
             AND (d.requires_anmalan = 0
               OR s.id > COALESCE((SELECT MAX(n.id) FROM case_decisions n WHERE n.report_id = r.id AND n.requires_anmalan <> d.requires_anmalan), 0)))`;

/**
 * The open cases of the units in ? (a JSON array), oldest first, with the facts their clocks read.
 * Bound to the partial index of open cases (migration 17): a municipality's units hold a million
 * rapporter, of which a few per cent are open.
 */
export const SQLITE_OPEN_CASES_SQL = `SELECT r.id, r.reference, r.unit_id, r.committee_id, r.state, r.urgent, r.created_at,
         d.requires_anmalan, ${DECISION_RUN_FROM} AS run_from, f.filed_on, f.investigation_attached, f.investigation_sent_on
  FROM reports r INDEXED BY ix_reports_open_unit
  LEFT JOIN case_decisions d ON d.id = (SELECT MAX(id) FROM case_decisions WHERE report_id = r.id)
  LEFT JOIN case_filings f ON f.report_id = r.id
  WHERE r.state <> 'avslutad' AND r.unit_id IN (SELECT value FROM json_each(?))
  ORDER BY r.created_at, r.id`;

/** The cases whose stored clock is stale (migration 18), with the facts of SQLITE_OPEN_CASES_SQL; open or closed. */
const staleClockCasesSql = (forUnits: boolean) => `SELECT r.id, r.reference, r.unit_id, r.committee_id, r.state, r.urgent, r.created_at, r.facts_version,
         d.requires_anmalan, ${DECISION_RUN_FROM} AS run_from, f.filed_on, f.investigation_attached, f.investigation_sent_on
  FROM reports r INDEXED BY ix_reports_clock_stale
  LEFT JOIN case_decisions d ON d.id = (SELECT MAX(id) FROM case_decisions WHERE report_id = r.id)
  LEFT JOIN case_filings f ON f.report_id = r.id
  WHERE r.clock_stale = 1 ${forUnits ? 'AND r.unit_id IN (SELECT value FROM json_each(@units))' : ''}
  ORDER BY r.id LIMIT @limit`;

/** A stored clock's last approaching day: each kind's own parameter (STORED_CLOCK_KINDS; NULL: never approaching). */
const UNTIL_OF_KIND = `CASE r.clock_kind WHEN 'bedomning' THEN @untilBedomning WHEN 'anmalan' THEN @untilAnmalan WHEN 'utredning' THEN @untilUtredning WHEN 'avslut' THEN @untilAvslut END`;

/** The open cases' stored clocks per unit and kind, from the partial index that holds them (migrations 18 and 19), alone. */
export const SQLITE_CLOCK_COUNTS_SQL = `SELECT r.unit_id AS unitId, r.clock_kind AS kind,
         SUM(CASE WHEN r.clock_due_on < @today THEN 1 ELSE 0 END) AS overdue,
         SUM(CASE WHEN r.clock_due_on >= @today AND r.clock_due_on <= ${UNTIL_OF_KIND} THEN 1 ELSE 0 END) AS approaching,
         COUNT(*) AS total
  FROM reports r INDEXED BY ix_reports_open_clock
  WHERE r.state <> 'avslutad' AND r.unit_id IN (SELECT value FROM json_each(@units)) AND r.clock_kind IS NOT NULL
  GROUP BY r.unit_id, r.clock_kind`;

/** The late ones among them, most pressing first (CaseStore.lateClocks; the order of src/cases/deadline-rank.ts). */
export const SQLITE_LATE_CLOCKS_SQL = `SELECT r.reference, r.unit_id AS unitId, r.clock_kind AS kind, r.clock_due_on AS dueOn, r.clock_weight AS weight,
         CASE WHEN r.clock_due_on < @today THEN 1 ELSE 0 END AS overdue
  FROM reports r INDEXED BY ix_reports_open_clock
  WHERE r.state <> 'avslutad' AND r.unit_id IN (SELECT value FROM json_each(@units)) AND r.clock_kind IS NOT NULL
    AND (CASE WHEN r.clock_kind = 'avslut' THEN 1 ELSE 0 END) = @closing
    AND (r.clock_due_on < @today OR r.clock_due_on <= ${UNTIL_OF_KIND})
  ORDER BY CASE WHEN r.clock_due_on < @today THEN (CASE WHEN r.clock_weight = 'local-policy' THEN 3 ELSE 1 END) ELSE 4 END, r.clock_due_on, r.reference
  LIMIT @limit`;

/**
 * Per clock kind (@kinds: { kind, until }) and weight (@weights), the unit's open cases by due day
 * against @today and the kind's last approaching day: index range counts only (migration 23).
 */
const SQLITE_CLOCK_KIND_COUNTS_SQL = `WITH k AS MATERIALIZED (
    SELECT json_extract(a.value, '$.kind') AS kind, json_extract(a.value, '$.until') AS until, w.value AS weight
    FROM json_each(@kinds) AS a CROSS JOIN json_each(@weights) AS w
  )
  SELECT k.kind AS kind, k.weight AS weight,
    (SELECT COUNT(*) FROM reports INDEXED BY ix_reports_review_clock WHERE state <> 'avslutad' AND unit_id = @unit
      AND clock_kind = k.kind AND clock_weight = k.weight AND clock_due_on < @today) AS overdue,
    (SELECT COUNT(*) FROM reports INDEXED BY ix_reports_review_clock WHERE state <> 'avslutad' AND unit_id = @unit
      AND clock_kind = k.kind AND clock_weight = k.weight AND clock_due_on >= @today AND clock_due_on <= k.until) AS near,
    (SELECT COUNT(*) FROM reports INDEXED BY ix_reports_review_clock WHERE state <> 'avslutad' AND unit_id = @unit
      AND clock_kind = k.kind AND clock_weight = k.weight AND clock_due_on >= @today AND clock_due_on > k.until) AS later,
    (SELECT COUNT(*) FROM reports INDEXED BY ix_reports_review_clock WHERE state <> 'avslutad' AND unit_id = @unit
      AND clock_kind = k.kind AND clock_weight = k.weight AND clock_due_on IS NULL) AS undated
  FROM k`;

/** The unit's open cases without a clock, with one (of any kind), and the stale ones (from their own index). */
const SQLITE_CLOCK_TOTALS_SQL = `SELECT
    (SELECT COUNT(*) FROM reports INDEXED BY ix_reports_open_clock WHERE state <> 'avslutad' AND unit_id = @unit AND clock_kind IS NULL) AS noClock,
    (SELECT COUNT(*) FROM reports INDEXED BY ix_reports_open_clock WHERE state <> 'avslutad' AND unit_id = @unit AND clock_kind IS NOT NULL) AS withClock,
    (SELECT COUNT(*) FROM reports INDEXED BY ix_reports_clock_stale WHERE clock_stale = 1 AND unit_id = @unit AND state <> 'avslutad') AS stale`;

/**
 * The unit's open cases per (kind, weight, due day) within each of @ranges (KindRange: days
 * inclusive). The ranges are read into columns once (MATERIALIZED; a JSON read per row cost more
 * than the rows) and are the outer loop (CROSS JOIN), as SQLITE_CLASS_DUES_SQL.
 */
const SQLITE_CLOCK_DUES_SQL = `WITH k AS MATERIALIZED (
    SELECT key AS n, json_extract(value, '$.kind') AS kind, json_extract(value, '$.weight') AS weight,
      json_extract(value, '$.from') AS day_from, json_extract(value, '$.to') AS day_to
    FROM json_each(@ranges)
  )
  SELECT k.kind AS kind, r.clock_due_on AS due, k.weight AS weight, COUNT(*) AS n
  FROM k CROSS JOIN reports AS r INDEXED BY ix_reports_review_clock
  WHERE r.state <> 'avslutad' AND r.unit_id = @unit AND r.clock_kind = k.kind AND r.clock_weight = k.weight
    AND r.clock_due_on >= k.day_from AND r.clock_due_on <= k.day_to
  GROUP BY k.n, r.clock_due_on`;

/** The unit's open cases with a stored due day among @dues, with the facts of SQLITE_OPEN_CASES_SQL, oldest first. */
const SQLITE_OPEN_CASES_BY_DUE_SQL = `SELECT r.id, r.reference, r.unit_id, r.committee_id, r.state, r.urgent, r.created_at,
         d.requires_anmalan, ${DECISION_RUN_FROM} AS run_from, f.filed_on, f.investigation_attached, f.investigation_sent_on
  FROM reports r INDEXED BY ix_reports_open_clock
  LEFT JOIN case_decisions d ON d.id = (SELECT MAX(id) FROM case_decisions WHERE report_id = r.id)
  LEFT JOIN case_filings f ON f.report_id = r.id
  WHERE r.state <> 'avslutad' AND r.unit_id = @unit AND COALESCE(r.clock_due_on, '') IN (SELECT value FROM json_each(@dues))
  ORDER BY r.created_at, r.id`;

/** The parameters of a ClockCountQuery. */
const clockParams = (q: ClockCountQuery) => ({
  units: JSON.stringify(q.unitIds),
  today: q.today,
  untilBedomning: q.approachingUntil.bedomning ?? null,
  untilAnmalan: q.approachingUntil.anmalan ?? null,
  untilUtredning: q.approachingUntil.utredning ?? null,
  untilAvslut: q.approachingUntil.avslut ?? null,
});

/** The clock facts of a listed row: the decision in force's run start under the name its clock reads. */
function decisionRun(requiresAnmalan: number | null, runFrom: string | null): Pick<ClockCaseRecord, 'anmalanDecidedAt' | 'noAnmalanDecidedAt'> {
  if (requiresAnmalan === null || runFrom === null) return {};
  return requiresAnmalan === 1 ? { anmalanDecidedAt: new Date(runFrom) } : { noAnmalanDecidedAt: new Date(runFrom) };
}

type OpenCaseRow = {
  id: number; reference: string; unit_id: string; committee_id: string; state: ReportStateCode; urgent: number; created_at: string;
  requires_anmalan: number | null; run_from: string | null; filed_on: string | null; investigation_attached: number | null; investigation_sent_on: string | null;
};

function openCaseFromRow(r: OpenCaseRow): OpenCaseRecord {
  return {
    reportId: r.id,
    reference: r.reference,
    unitId: r.unit_id,
    committeeId: r.committee_id,
    state: r.state,
    urgent: r.urgent === 1,
    createdAt: new Date(r.created_at),
    ...decisionRun(r.requires_anmalan, r.run_from),
    ...(r.filed_on !== null ? { filedOn: r.filed_on, investigationAttached: r.investigation_attached === 1 } : {}),
    ...(r.investigation_sent_on !== null ? { investigationSentOn: r.investigation_sent_on } : {}),
  };
}

type ReviewRow = { unit_id: string; week_key: string; done_by_entra_id: string; done_by_name: string; done_at: string; comment: string | null };

function reviewFromRow(row: ReviewRow): ReviewRecord {
  return {
    unitId: row.unit_id,
    weekKey: row.week_key,
    doneBy: person(row.done_by_entra_id, row.done_by_name),
    doneAt: new Date(row.done_at),
    ...(row.comment !== null ? { comment: row.comment } : {}),
  };
}

export class SqliteCaseStore implements CaseStore {
  constructor(private readonly db: Db) {}

  /**
   * Moves the report from g.from to g.to, runs `write`, and records the event and the audit entry,
   * all in one transaction. Returns false (writing nothing) when the state was not g.from, or the
   * decision in force was not g.decisionInForce (when given).
   */
  private guarded(g: Guard, event: string, detail: string | undefined, write: () => void): boolean {
    const db = this.db;
    return db
      .transaction(() => {
        // Read before anything is written (so nothing needs undoing): the transaction is IMMEDIATE,
        // so no other connection can add a decision until it ends.
        if (g.decisionInForce !== undefined) {
          const newest = (db.prepare('SELECT MAX(id) AS id FROM case_decisions WHERE report_id = ?').get(g.reportId) as { id: number | null }).id;
          if (newest !== g.decisionInForce) return false;
        }
        // Every guarded change may change the facts a clock reads: a new version, and the stored clock stale (migration 18).
        const moved = db
          .prepare('UPDATE reports SET state = ?, updated_at = ?, facts_version = facts_version + 1, clock_stale = 1 WHERE id = ? AND state = ?')
          .run(g.to, iso(g.at), g.reportId, g.from).changes;
        if (moved !== 1) return false;
        write();
        db.prepare(
          `INSERT INTO case_events (report_id, event, from_state, to_state, actor_entra_id, actor_name, at, detail)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(g.reportId, event, g.from, g.to, g.actor.entraId.toLowerCase(), g.actor.name, iso(g.at), detail ?? null);
        insertAudit(db, { at: g.at, actorEntraId: g.actor.entraId, action: `case.${event}`, entityType: 'report', entityRef: g.reference, detail: `${g.from}->${g.to}${detail ? ` ${detail}` : ''}` });
        return true;
      })
      .immediate();
  }

  async startInvestigation(g: Guard, utredare: PersonRecord): Promise<boolean> {
    return this.guarded(g, 'start-investigation', undefined, () => {
      this.db
        .prepare(
          `INSERT INTO case_investigations (report_id, utredare_entra_id, utredare_name, started_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (report_id) DO UPDATE SET utredare_entra_id = excluded.utredare_entra_id, utredare_name = excluded.utredare_name`,
        )
        .run(g.reportId, utredare.entraId.toLowerCase(), utredare.name, iso(g.at));
    });
  }

  async recordDecision(g: Guard, d: Omit<DecisionRecord, 'id' | 'decidedBy' | 'decidedAt'>): Promise<boolean> {
    return this.guarded(g, 'record-decision', `outcome=${d.decidedOutcome}`, () => {
      this.db
        .prepare(
          `INSERT INTO case_decisions (report_id, answers_json, recommended_outcome, recommendation_json, decided_outcome,
             requires_anmalan, motivation, decided_by_entra_id, decided_by_name, decided_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          g.reportId, d.answersJson, d.recommendedOutcome, d.recommendationJson, d.decidedOutcome, d.requiresAnmalan ? 1 : 0,
          d.motivation ?? null, g.actor.entraId.toLowerCase(), g.actor.name, iso(g.at),
        );
    });
  }

  async recordFiling(g: Guard, f: Omit<FilingRecord, 'recordedBy' | 'recordedAt' | 'investigationSentOn'>): Promise<boolean> {
    return this.guarded(g, 'record-filing', `dnr=${f.ivoDiarienummer}`, () => {
      this.db
        .prepare(
          `INSERT INTO case_filings (report_id, filed_on, ivo_diarienummer, investigation_attached, investigation_sent_on,
             recorded_by_entra_id, recorded_by_name, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(g.reportId, f.filedOn, f.ivoDiarienummer, f.investigationAttached ? 1 : 0, f.investigationAttached ? f.filedOn : null, g.actor.entraId.toLowerCase(), g.actor.name, iso(g.at));
    });
  }

  async markInvestigationSent(g: Guard, sentOn: string): Promise<boolean> {
    return this.guarded(g, 'send-investigation', `sent=${sentOn}`, () => {
      const n = this.db.prepare('UPDATE case_filings SET investigation_sent_on = ? WHERE report_id = ? AND investigation_sent_on IS NULL').run(sentOn, g.reportId).changes;
      if (n !== 1) throw new Error('no filing without a sent investigation for this report');
    });
  }

  async close(g: Guard, c: Omit<ClosingRecord, 'closedBy' | 'closedAt'>): Promise<boolean> {
    return this.guarded(g, 'close', undefined, () => {
      this.db
        .prepare(
          `INSERT INTO case_closings (report_id, decision_text, motivation, closed_by_entra_id, closed_by_name, closed_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(g.reportId, c.decisionText, c.motivation ?? null, g.actor.entraId.toLowerCase(), g.actor.name, iso(g.at));
    });
  }

  /** The row a step form already stored in `table` (the transaction is IMMEDIATE, so none can appear meanwhile). */
  private formRow(table: 'case_entries' | 'case_actions', reportId: number, formId: string | undefined): number | undefined {
    if (formId === undefined) return undefined;
    const sql = table === 'case_entries' ? 'SELECT id FROM case_entries WHERE report_id = ? AND form_id = ?' : 'SELECT id FROM case_actions WHERE report_id = ? AND form_id = ?';
    return (this.db.prepare(sql).get(reportId, formId) as { id: number } | undefined)?.id;
  }

  async addEntry(reportId: number, reference: string, e: Omit<InvestigationEntryRecord, 'id'>, formId?: string): Promise<number> {
    const db = this.db;
    return db
      .transaction(() => {
        const existing = this.formRow('case_entries', reportId, formId);
        if (existing !== undefined) return existing;
        const id = db
          .prepare(
            `INSERT INTO case_entries (report_id, item, entry_text, kind, source, author_entra_id, author_name, documented_at, form_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(reportId, e.item, e.text, e.kind, e.source, e.author.entraId.toLowerCase(), e.author.name, iso(e.documentedAt), formId ?? null).lastInsertRowid;
        insertAudit(db, { at: e.documentedAt, actorEntraId: e.author.entraId, action: 'case.document', entityType: 'report', entityRef: reference, detail: `item=${e.item} kind=${e.kind}` });
        return Number(id);
      })
      .immediate();
  }

  async addAction(reportId: number, reference: string, a: Omit<CaseActionRecord, 'id' | 'doneAt' | 'doneBy'>, by: PersonRecord, formId?: string): Promise<number> {
    const db = this.db;
    return db
      .transaction(() => {
        const existing = this.formRow('case_actions', reportId, formId);
        if (existing !== undefined) return existing;
        const id = db
          .prepare(
            `INSERT INTO case_actions (report_id, action_text, owner_entra_id, owner_name, due_on, created_by_entra_id, created_at, form_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(reportId, a.text, a.owner.entraId.toLowerCase(), a.owner.name, a.dueOn, by.entraId.toLowerCase(), iso(a.createdAt), formId ?? null).lastInsertRowid;
        insertAudit(db, { at: a.createdAt, actorEntraId: by.entraId, action: 'case.add-action', entityType: 'report', entityRef: reference, detail: `due=${a.dueOn}` });
        return Number(id);
      })
      .immediate();
  }

  async markActionDone(reportId: number, reference: string, actionId: number, by: PersonRecord, at: Date): Promise<ActionDoneResult> {
    const db = this.db;
    return db
      .transaction((): ActionDoneResult => {
        const row = db.prepare('SELECT done_at FROM case_actions WHERE id = ? AND report_id = ?').get(actionId, reportId) as { done_at: string | null } | undefined;
        if (!row) return 'not-found';
        if (row.done_at !== null) return 'already-done';
        db.prepare('UPDATE case_actions SET done_at = ?, done_by_entra_id = ?, done_by_name = ? WHERE id = ? AND report_id = ? AND done_at IS NULL').run(iso(at), by.entraId.toLowerCase(), by.name, actionId, reportId);
        insertAudit(db, { at, actorEntraId: by.entraId, action: 'case.action-done', entityType: 'report', entityRef: reference, detail: `action=${actionId}` });
        return 'done';
      })
      .immediate();
  }

  async get(reportId: number): Promise<CaseDetailsRecord> {
    const one = <R>(sql: string) => this.db.prepare(sql).get(reportId) as R | undefined;
    const all = <R>(sql: string) => this.db.prepare(sql).all(reportId) as R[];
    const investigation = one<NonNullable<CaseRows['investigation']>>('SELECT * FROM case_investigations WHERE report_id = ?');
    const filing = one<NonNullable<CaseRows['filing']>>('SELECT * FROM case_filings WHERE report_id = ?');
    const closing = one<NonNullable<CaseRows['closing']>>('SELECT * FROM case_closings WHERE report_id = ?');
    return caseDetailsFromRows(reportId, {
      ...(investigation ? { investigation } : {}),
      decisions: all('SELECT * FROM case_decisions WHERE report_id = ? ORDER BY id'),
      ...(filing ? { filing } : {}),
      ...(closing ? { closing } : {}),
      entries: all('SELECT * FROM case_entries WHERE report_id = ? ORDER BY id'),
      actions: all('SELECT * FROM case_actions WHERE report_id = ? ORDER BY id'),
      events: all('SELECT * FROM case_events WHERE report_id = ? ORDER BY id'),
    });
  }

  async listUnassessedCases(unitIds?: readonly string[]): Promise<OpenCaseRecord[]> {
    // No decision yet, so nothing to join: the (state, unit_id) index finds these among a million
    // closed reports. The states are those of UNASSESSED_STATES in src/cases/clocks.ts (the
    // contract test holds them equal; the store imports no capability code).
    const rows = this.db
      .prepare(
        `SELECT r.id, r.reference, r.unit_id, r.committee_id, r.state, r.urgent, r.created_at
         FROM reports r
         WHERE r.state IN ('rapporterad', 'under-utredning')
           ${unitIds ? 'AND r.unit_id IN (SELECT value FROM json_each(?))' : ''}
         ORDER BY r.id`,
      )
      .all(...(unitIds ? [JSON.stringify(unitIds)] : [])) as {
      id: number; reference: string; unit_id: string; committee_id: string; state: ReportStateCode; urgent: number; created_at: string;
    }[];
    return rows.map((r) => ({
      reportId: r.id,
      reference: r.reference,
      unitId: r.unit_id,
      committeeId: r.committee_id,
      state: r.state,
      urgent: r.urgent === 1,
      createdAt: new Date(r.created_at),
    }));
  }

  async listOpenCases(unitIds: readonly string[]): Promise<OpenCaseRecord[]> {
    const rows = this.db.prepare(SQLITE_OPEN_CASES_SQL).all(JSON.stringify(unitIds)) as OpenCaseRow[];
    return rows.map(openCaseFromRow);
  }

  async staleClockCases(unitIds: readonly string[] | undefined, limit: number): Promise<StaleClockCase[]> {
    const rows = this.db
      .prepare(staleClockCasesSql(unitIds !== undefined))
      .all({ limit, ...(unitIds !== undefined ? { units: JSON.stringify(unitIds) } : {}) }) as (OpenCaseRow & { facts_version: number })[];
    return rows.map((r) => ({ ...openCaseFromRow(r), factsVersion: r.facts_version }));
  }

  async storeClocks(rows: readonly { reportId: number; factsVersion: number; clock: StoredClock }[]): Promise<number> {
    const db = this.db;
    const store = db.prepare('UPDATE reports SET clock_kind = ?, clock_due_on = ?, clock_weight = ?, clock_stale = 0 WHERE id = ? AND facts_version = ?');
    return db.transaction(() => rows.reduce((n, r) => n + store.run(r.clock.kind, r.clock.dueOn, r.clock.weight, r.reportId, r.factsVersion).changes, 0))();
  }

  async invalidateClocks(): Promise<number> {
    return this.db.prepare("UPDATE reports SET clock_stale = 1, facts_version = facts_version + 1 WHERE state <> 'avslutad'").run().changes;
  }

  async clockRankCounts(unitId: string, q: Omit<ClockCountQuery, 'unitIds'>): Promise<{ rank: number; due: string; n: number }[]> {
    const kinds = JSON.stringify(STORED_CLOCK_KINDS.map((kind) => ({ kind, until: untilOf(q, kind) })));
    // One read transaction: the stale count and the clock counts see the same rows.
    const { counts, totals } = this.db.transaction(() => ({
      counts: this.db.prepare(SQLITE_CLOCK_KIND_COUNTS_SQL).all({ unit: unitId, today: q.today, kinds, weights: JSON.stringify(CLOCK_WEIGHTS) }) as KindCount[],
      totals: this.db.prepare(SQLITE_CLOCK_TOTALS_SQL).get({ unit: unitId }) as { noClock: number; withClock: number; stale: number },
    }))();
    return rankRows(clockRankCounts(counts, totals.noClock, totals.withClock), totals.stale);
  }

  async clockGroups(unitId: string, q: Omit<ClockCountQuery, 'unitIds'>, ranks: readonly number[]): Promise<{ rank: number; due: string; n: number }[]> {
    const ranges = kindRangesOfRanks(ranks, q);
    const rows = ranges.length ? (this.db.prepare(SQLITE_CLOCK_DUES_SQL).all({ unit: unitId, ranges: JSON.stringify(ranges) }) as { kind: string; due: string; weight: string | null; n: number }[]) : [];
    const groups = rows.map((r) => ({ rank: clockRankOn(r.kind, r.due, r.weight, q), due: r.due, n: r.n }));
    if (ranks.includes(NO_CLOCK_RANK)) groups.push({ rank: NO_CLOCK_RANK, due: '', n: (this.db.prepare(SQLITE_CLOCK_TOTALS_SQL).get({ unit: unitId }) as { noClock: number }).noClock });
    return groupRows(groups, ranks);
  }

  async openCasesByClockDue(unitId: string, dues: readonly string[]): Promise<OpenCaseRecord[]> {
    if (dues.length === 0) return [];
    const rows = this.db.prepare(SQLITE_OPEN_CASES_BY_DUE_SQL).all({ unit: unitId, dues: JSON.stringify(dues) }) as OpenCaseRow[];
    return rows.map(openCaseFromRow);
  }

  async clockCounts(q: ClockCountQuery): Promise<ClockCountRow[]> {
    return this.db.prepare(SQLITE_CLOCK_COUNTS_SQL).all(clockParams(q)) as ClockCountRow[];
  }

  async lateClocks(q: ClockCountQuery & { closing: boolean; limit: number }): Promise<LateClockRow[]> {
    const rows = this.db
      .prepare(SQLITE_LATE_CLOCKS_SQL)
      .all({ ...clockParams(q), closing: q.closing ? 1 : 0, limit: q.limit }) as (Omit<LateClockRow, 'overdue'> & { overdue: number })[];
    return rows.map((r) => ({ ...r, overdue: r.overdue === 1 }));
  }

  async recordReview(r: ReviewRecord): Promise<{ record: ReviewRecord; created: boolean }> {
    const db = this.db;
    return db
      .transaction(() => {
        const inserted = db
          .prepare(
            `INSERT INTO review_records (unit_id, week_key, done_by_entra_id, done_by_name, done_at, comment) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (unit_id, week_key) DO NOTHING`,
          )
          .run(r.unitId, r.weekKey, r.doneBy.entraId.toLowerCase(), r.doneBy.name, iso(r.doneAt), r.comment ?? null).changes === 1;
        if (inserted) {
          insertAudit(db, { at: r.doneAt, actorEntraId: r.doneBy.entraId, action: 'review.done', entityType: 'unit', entityRef: r.unitId, detail: `week=${r.weekKey}` });
        }
        return { record: this.reviewSync(r.unitId, r.weekKey)!, created: inserted };
      })
      .immediate();
  }

  private reviewSync(unitId: string, weekKey: string): ReviewRecord | undefined {
    const row = this.db.prepare('SELECT * FROM review_records WHERE unit_id = ? AND week_key = ?').get(unitId, weekKey) as ReviewRow | undefined;
    return row ? reviewFromRow(row) : undefined;
  }

  async getReview(unitId: string, weekKey: string): Promise<ReviewRecord | undefined> {
    return this.reviewSync(unitId, weekKey);
  }

  async listReviews(unitIds: readonly string[], weekKeys: readonly string[]): Promise<ReviewRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM review_records
         WHERE unit_id IN (SELECT value FROM json_each(?)) AND week_key IN (SELECT value FROM json_each(?))
         ORDER BY unit_id, week_key`,
      )
      .all(JSON.stringify(unitIds), JSON.stringify(weekKeys)) as ReviewRow[];
    return rows.map(reviewFromRow);
  }

  async snoozeReview(z: ReviewSnooze): Promise<void> {
    this.db
      .prepare('INSERT INTO review_snoozes (unit_id, week_key, entra_id, until_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(z.unitId, z.weekKey, z.entraId.toLowerCase(), iso(z.until));
  }

  async dueSnoozes(now: Date): Promise<ReviewSnooze[]> {
    const rows = this.db
      .prepare('SELECT unit_id, week_key, entra_id, until_at FROM review_snoozes WHERE sent_at IS NULL AND until_at <= ? ORDER BY until_at')
      .all(iso(now)) as { unit_id: string; week_key: string; entra_id: string; until_at: string }[];
    return rows.map((r) => ({ unitId: r.unit_id, weekKey: r.week_key, entraId: r.entra_id, until: new Date(r.until_at) }));
  }

  async markSnoozeSent(z: ReviewSnooze, at: Date): Promise<void> {
    this.db
      .prepare('UPDATE review_snoozes SET sent_at = ? WHERE unit_id = ? AND week_key = ? AND entra_id = ? AND until_at = ?')
      .run(iso(at), z.unitId, z.weekKey, z.entraId.toLowerCase(), iso(z.until));
  }

  async listClockCases(unitIds?: readonly string[]): Promise<ClockCaseRecord[]> {
    // After a decision (bedomd) or a filing (anmald) a clock always runs: the anmälan, the
    // investigation at IVO or the closing. The state list lets the (state, unit_id) index find
    // them among a million closed reports.
    const rows = this.db
      .prepare(
        `SELECT r.id, r.reference, r.unit_id, r.committee_id, r.state,
                d.requires_anmalan, ${DECISION_RUN_FROM} AS run_from, f.filed_on, f.investigation_attached, f.investigation_sent_on,
                i.utredare_entra_id, i.utredare_name
         FROM reports r
         JOIN case_decisions d ON d.id = (SELECT MAX(id) FROM case_decisions WHERE report_id = r.id)
         LEFT JOIN case_filings f ON f.report_id = r.id
         LEFT JOIN case_investigations i ON i.report_id = r.id
         WHERE r.state IN ('bedomd', 'anmald')
           ${unitIds ? 'AND r.unit_id IN (SELECT value FROM json_each(?))' : ''}
         ORDER BY r.id`,
      )
      .all(...(unitIds ? [JSON.stringify(unitIds)] : [])) as {
      id: number; reference: string; unit_id: string; committee_id: string; state: ReportStateCode; requires_anmalan: number; run_from: string | null;
      filed_on: string | null; investigation_attached: number | null; investigation_sent_on: string | null;
      utredare_entra_id: string | null; utredare_name: string | null;
    }[];
    return rows.map((r) => ({
      reportId: r.id,
      reference: r.reference,
      unitId: r.unit_id,
      committeeId: r.committee_id,
      state: r.state,
      ...decisionRun(r.requires_anmalan, r.run_from),
      ...(r.filed_on !== null ? { filedOn: r.filed_on, investigationAttached: r.investigation_attached === 1 } : {}),
      ...(r.investigation_sent_on !== null ? { investigationSentOn: r.investigation_sent_on } : {}),
      ...(r.utredare_entra_id !== null ? { utredare: person(r.utredare_entra_id, r.utredare_name ?? '') } : {}),
    }));
  }
}

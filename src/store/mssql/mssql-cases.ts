/**
 * The lex Sarah case after the report, on SQL Server. Behaviour mirrors ../sqlite/sqlite-cases.ts,
 * which is the reference; both must pass test/store/contract.ts. Every SQL text here is in
 * MSSQL_CASE_SQL, which test/store/mssql-sql.test.ts parse-checks.
 *
 * Guarded state changes, each in one transaction:
 * 1. `UPDATE reports SET state = @toState … WHERE id = @reportId AND state = @fromState`. Unless
 *    exactly one row changed, the transaction is rolled back and the change answers false.
 *    When the guard names the decision in force (Guard.decisionInForce), the newest decision is
 *    read next (decisionInForce) and any other one rolls the transaction back the same way.
 * 2. The change's own write (investigation, decision, filing, sent investigation, closing).
 * 3. The case_events row and the audit_log row.
 * The UPDATE leaves an exclusive lock on the report row until commit. A concurrent change of the
 * same report waits on that row (an UPDATE reads the rows it qualifies with update locks, also when
 * READ_COMMITTED_SNAPSHOT is on), then re-evaluates `state = @fromState` against the committed row,
 * finds it changed and updates nothing: of two changes from the same state exactly one wins. The
 * same lock serialises the writes of step 2 per report, so the investigation upsert needs no
 * further locking. A deadlock victim is retried (the server has rolled it back entirely).
 *
 * recordReview() is one transaction too: the INSERT … SELECT … WHERE NOT EXISTS reads the key
 * (unit_id, week_key) WITH (UPDLOCK, HOLDLOCK), which takes a key-range update lock even when no
 * row exists yet and holds it until commit. A second record of the same week waits on it, then
 * finds the first one's row and inserts nothing: the first record wins, and only it is audited.
 * Should a primary key violation come through anyway, it is treated the same way (the transaction
 * is rolled back and the stored record read back with created: false).
 *
 * snoozeReview() inserts the same way (INSERT … SELECT … WHERE NOT EXISTS … WITH (UPDLOCK, HOLDLOCK)
 * on the whole key), so a repeated snooze is ignored, as SQLite's ON CONFLICT DO NOTHING does; a
 * primary key violation that comes through anyway counts as done too. Instants are DATETIME2(3)
 * (a JavaScript Date exactly), so markSnoozeSent() finds the row by the until_at dueSnoozes() read.
 *
 * ISO calendar dates are DATE columns: bound as 'YYYY-MM-DD' text (unambiguous for DATE whatever
 * the session's DATEFORMAT or language) and read back with CONVERT(NVARCHAR(10), …, 23), which
 * yields 'YYYY-MM-DD' again, independent of the driver's time-zone handling.
 */
import * as sql from 'mssql';
import type {
  ActionDoneResult, CaseActionRecord, CaseDetailsRecord, CaseStore, ClockCaseRecord, ClockCountQuery, ClockCountRow, ClosingRecord, DecisionRecord, FilingRecord, Guard, InvestigationEntryRecord,
  LateClockRow, OpenCaseRecord, PersonRecord, ReviewRecord, ReviewSnooze, StaleClockCase, StoredClock, StoredClockKind,
} from '../cases';
import { caseDetailsFromRows, person, type CaseRows } from '../case-rows';
import { groupRows, rankRows } from '../rank-rows';
import { clockRankCounts, clockRankOn, inKindRange, kindRangesOfRanks, NO_CLOCK_RANK, type KindCount } from '../clock-ranks';
import { asDate, asFlag, type DbDate, type DbFlag } from '../report-rows';
import type { ReportStateCode } from '../report-records';
import { bindDueDays, bulkLoad, fits, isUniqueViolation, need, needIsoDate, rowsChanged, type BulkColumn, type BulkValue, type Db } from './mssql-db';
import { MSSQL_REPORT_SQL, bindAudit, checkAudit } from './mssql-report-sql';

/** Every SQL text of the case store. Parameters are @named and bound with explicit types. */
export const MSSQL_CASE_SQL = {
  // --- guarded change (one transaction) ---------------------------------------------------------
  /** The guard: changes one row only while the report is still in @fromState; locks it until commit. */
  reportMove: `UPDATE reports SET state = @toState, updated_at = @at, facts_version = facts_version + 1, clock_stale = 1
    WHERE id = @reportId AND state = @fromState;
    SELECT @@ROWCOUNT AS n`,
  /**
   * The decision in force (the newest), for a guard that names it. Read after reportMove, which
   * holds the report row: a concurrent decision updates that row first, so it has committed before
   * this runs or cannot commit until this transaction ends. No hint needed with
   * READ_COMMITTED_SNAPSHOT on either: a statement's versions are those committed when it starts,
   * which is after that wait.
   */
  decisionInForce: `SELECT MAX(id) AS id FROM case_decisions WHERE report_id = @reportId`,
  eventInsert: `INSERT INTO case_events (report_id, event, from_state, to_state, actor_entra_id, actor_name, at, detail)
    VALUES (@reportId, @event, @fromState, @toState, @actorEntraId, @actorName, @at, @detail)`,

  // --- the changes' own writes ------------------------------------------------------------------
  /** Upsert, as SQLite's ON CONFLICT: a new utredare replaces the old one, started_at stays. */
  investigationUpdate: `UPDATE case_investigations SET utredare_entra_id = @utredareEntraId, utredare_name = @utredareName
    WHERE report_id = @reportId;
    SELECT @@ROWCOUNT AS n`,
  investigationInsert: `INSERT INTO case_investigations (report_id, utredare_entra_id, utredare_name, started_at)
    VALUES (@reportId, @utredareEntraId, @utredareName, @at)`,
  decisionInsert: `INSERT INTO case_decisions (report_id, answers_json, recommended_outcome, recommendation_json, decided_outcome,
      requires_anmalan, motivation, decided_by_entra_id, decided_by_name, decided_at)
    VALUES (@reportId, @answersJson, @recommendedOutcome, @recommendationJson, @decidedOutcome,
      @requiresAnmalan, @motivation, @actorEntraId, @actorName, @at)`,
  filingInsert: `INSERT INTO case_filings (report_id, filed_on, ivo_diarienummer, investigation_attached, investigation_sent_on,
      recorded_by_entra_id, recorded_by_name, recorded_at)
    VALUES (@reportId, @filedOn, @ivoDiarienummer, @investigationAttached, @investigationSentOn,
      @actorEntraId, @actorName, @at)`,
  filingMarkSent: `UPDATE case_filings SET investigation_sent_on = @sentOn
    WHERE report_id = @reportId AND investigation_sent_on IS NULL;
    SELECT @@ROWCOUNT AS n`,
  closingInsert: `INSERT INTO case_closings (report_id, decision_text, motivation, closed_by_entra_id, closed_by_name, closed_at)
    VALUES (@reportId, @decisionText, @motivation, @actorEntraId, @actorName, @at)`,

  // --- unguarded additions (one transaction each, with their audit entry) -------------------------
  /** One batch, so that SCOPE_IDENTITY() sees the insert's scope. */
  entryInsert: `INSERT INTO case_entries (report_id, item, entry_text, kind, source, author_entra_id, author_name, documented_at, form_id)
    VALUES (@reportId, @item, @entryText, @kind, @source, @authorEntraId, @authorName, @documentedAt, @formId);
    SELECT CAST(SCOPE_IDENTITY() AS INT) AS id`,
  /**
   * The entry a step form already stored. UPDLOCK + HOLDLOCK on uq_case_entries_form takes a
   * key-range lock while there is none, so a concurrent submit of the same form waits, then finds it.
   */
  entryByForm: `SELECT id FROM case_entries WITH (UPDLOCK, HOLDLOCK) WHERE report_id = @reportId AND form_id = @formId`,
  /** As entryByForm, for åtgärder. */
  actionByForm: `SELECT id FROM case_actions WITH (UPDLOCK, HOLDLOCK) WHERE report_id = @reportId AND form_id = @formId`,
  /** The åtgärd of the case, held (UPDLOCK) until it is marked: two clicks at once mark and audit it once. */
  actionHoldForDone: `SELECT done_at FROM case_actions WITH (UPDLOCK, HOLDLOCK) WHERE id = @actionId AND report_id = @reportId`,
  actionMarkDone: `UPDATE case_actions SET done_at = @doneAt, done_by_entra_id = @doneByEntraId, done_by_name = @doneByName
    WHERE id = @actionId AND report_id = @reportId AND done_at IS NULL`,
  /** One batch, so that SCOPE_IDENTITY() sees the insert's scope. */
  actionInsert: `INSERT INTO case_actions (report_id, action_text, owner_entra_id, owner_name, due_on, created_by_entra_id, created_at, form_id)
    VALUES (@reportId, @actionText, @ownerEntraId, @ownerName, @dueOn, @createdByEntraId, @createdAt, @formId);
    SELECT CAST(SCOPE_IDENTITY() AS INT) AS id`,

  // --- reads ------------------------------------------------------------------------------------
  /**
   * Held by get() to its end when SNAPSHOT is not allowed: a guarded state change cannot commit
   * between its reads. An equality seek on the primary key: HOLDLOCK takes a shared lock on that
   * one key (a range only when the report does not exist).
   */
  reportHoldForRead: `SELECT id FROM reports WITH (ROWLOCK, HOLDLOCK) WHERE id = @reportId`,
  investigationGet: `SELECT utredare_entra_id, utredare_name, started_at FROM case_investigations WHERE report_id = @reportId`,
  decisionList: `SELECT id, answers_json, recommended_outcome, recommendation_json, decided_outcome, requires_anmalan, motivation,
      decided_by_entra_id, decided_by_name, decided_at
    FROM case_decisions WHERE report_id = @reportId ORDER BY id`,
  filingGet: `SELECT CONVERT(NVARCHAR(10), filed_on, 23) AS filed_on, ivo_diarienummer, investigation_attached,
      CONVERT(NVARCHAR(10), investigation_sent_on, 23) AS investigation_sent_on, recorded_by_entra_id, recorded_by_name, recorded_at
    FROM case_filings WHERE report_id = @reportId`,
  closingGet: `SELECT decision_text, motivation, closed_by_entra_id, closed_by_name, closed_at FROM case_closings WHERE report_id = @reportId`,
  entryList: `SELECT id, item, entry_text, kind, source, author_entra_id, author_name, documented_at
    FROM case_entries WHERE report_id = @reportId ORDER BY id`,
  actionList: `SELECT id, action_text, owner_entra_id, owner_name, CONVERT(NVARCHAR(10), due_on, 23) AS due_on, done_at, done_by_entra_id, done_by_name, created_at
    FROM case_actions WHERE report_id = @reportId ORDER BY id`,
  eventList: `SELECT event, from_state, to_state, actor_entra_id, actor_name, at, detail
    FROM case_events WHERE report_id = @reportId ORDER BY id`,
  /**
   * Open cases decided or filed (bedomd, anmald): every one runs a clock (the anmälan, the
   * investigation due at IVO, or the closing), and the state list lets ix_reports_state_unit find
   * them among a million closed reports. run_from: requiring an anmälan, the first decision of the
   * unbroken run of serious decisions that ends with the newest (after the newest one requiring
   * none); requiring none, the case's earliest decision requiring none (the closing clock: a flip
   * to serious and back buys no time); as DECISION_RUN_FROM in ../sqlite/sqlite-cases.ts.
   */
  clockCaseList: `SELECT r.id, r.reference, r.unit_id, r.committee_id, r.state, d.requires_anmalan,
      (SELECT MIN(s.decided_at) FROM case_decisions AS s
        WHERE s.report_id = r.id AND s.requires_anmalan = d.requires_anmalan
          AND (d.requires_anmalan = 0
            OR s.id > COALESCE((SELECT MAX(n.id) FROM case_decisions AS n WHERE n.report_id = r.id AND n.requires_anmalan <> d.requires_anmalan), 0))) AS run_from,
      CONVERT(NVARCHAR(10), f.filed_on, 23) AS filed_on, f.investigation_attached,
      CONVERT(NVARCHAR(10), f.investigation_sent_on, 23) AS investigation_sent_on,
      i.utredare_entra_id, i.utredare_name
    FROM reports AS r
    INNER JOIN case_decisions AS d ON d.id = (SELECT MAX(id) FROM case_decisions WHERE report_id = r.id)
    LEFT JOIN case_filings AS f ON f.report_id = r.id
    LEFT JOIN case_investigations AS i ON i.report_id = r.id
    WHERE r.state IN (N'bedomd', N'anmald')
    ORDER BY r.id`,
  /** The same, for the units in @unitIds (a JSON array of strings, read into a typed binary-collated column as in openCaseList). */
  clockCaseListForUnits: `SELECT r.id, r.reference, r.unit_id, r.committee_id, r.state, d.requires_anmalan,
      (SELECT MIN(s.decided_at) FROM case_decisions AS s
        WHERE s.report_id = r.id AND s.requires_anmalan = d.requires_anmalan
          AND (d.requires_anmalan = 0
            OR s.id > COALESCE((SELECT MAX(n.id) FROM case_decisions AS n WHERE n.report_id = r.id AND n.requires_anmalan <> d.requires_anmalan), 0))) AS run_from,
      CONVERT(NVARCHAR(10), f.filed_on, 23) AS filed_on, f.investigation_attached,
      CONVERT(NVARCHAR(10), f.investigation_sent_on, 23) AS investigation_sent_on,
      i.utredare_entra_id, i.utredare_name
    FROM reports AS r
    INNER JOIN case_decisions AS d ON d.id = (SELECT MAX(id) FROM case_decisions WHERE report_id = r.id)
    LEFT JOIN case_filings AS f ON f.report_id = r.id
    LEFT JOIN case_investigations AS i ON i.report_id = r.id
    WHERE r.state IN (N'bedomd', N'anmald')
      AND r.unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))
    ORDER BY r.id`,
  /**
   * Open reports without a decision yet (the assessment clock runs from receipt), by id. The states
   * are UNASSESSED_STATES of src/cases/clocks.ts (test/store/mssql-sql.test.ts holds them equal);
   * nothing to join, so ix_reports_state_unit (state, unit_id) finds them, with a key lookup each.
   */
  unassessedCaseList: `SELECT r.id, r.reference, r.unit_id, r.committee_id, r.state, r.urgent, r.created_at
    FROM reports AS r
    WHERE r.state IN (N'rapporterad', N'under-utredning')
    ORDER BY r.id`,
  /** The same, for the units in @unitIds (a JSON array of strings, read into a typed binary-collated column as in openCaseList). */
  unassessedCaseListForUnits: `SELECT r.id, r.reference, r.unit_id, r.committee_id, r.state, r.urgent, r.created_at
    FROM reports AS r
    WHERE r.state IN (N'rapporterad', N'under-utredning')
      AND r.unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))
    ORDER BY r.id`,
  /**
   * Every case not closed in the units of @unitIds (a JSON array of strings), oldest first, with the
   * decision in force (the newest) if any, and its run_from as in clockCaseList. OPENJSON needs database compatibility level 130 (SQL
   * Server 2016) or higher; its values carry the database collation, hence the explicit COLLATE.
   */
  openCaseList: `SELECT r.id, r.reference, r.unit_id, r.committee_id, r.state, r.urgent, r.created_at,
      d.requires_anmalan,
      (SELECT MIN(s.decided_at) FROM case_decisions AS s
        WHERE s.report_id = r.id AND s.requires_anmalan = d.requires_anmalan
          AND (d.requires_anmalan = 0
            OR s.id > COALESCE((SELECT MAX(n.id) FROM case_decisions AS n WHERE n.report_id = r.id AND n.requires_anmalan <> d.requires_anmalan), 0))) AS run_from,
      CONVERT(NVARCHAR(10), f.filed_on, 23) AS filed_on, f.investigation_attached,
      CONVERT(NVARCHAR(10), f.investigation_sent_on, 23) AS investigation_sent_on
    FROM reports AS r
    LEFT JOIN case_decisions AS d ON d.id = (SELECT MAX(id) FROM case_decisions WHERE report_id = r.id)
    LEFT JOIN case_filings AS f ON f.report_id = r.id
    WHERE r.state <> N'avslutad' AND r.unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))
    ORDER BY r.created_at, r.id`,

  // --- stored clocks (migration 18; as ../sqlite/sqlite-cases.ts) -------------------------------
  /** Cases whose stored clock is stale, open or closed, by id, with the facts of openCaseList: ix_reports_clock_stale holds only them. */
  staleClockCaseList: `SELECT TOP (@limit) r.id, r.reference, r.unit_id, r.committee_id, r.state, r.urgent, r.created_at, r.facts_version,
      d.requires_anmalan,
      (SELECT MIN(s.decided_at) FROM case_decisions AS s
        WHERE s.report_id = r.id AND s.requires_anmalan = d.requires_anmalan
          AND (d.requires_anmalan = 0
            OR s.id > COALESCE((SELECT MAX(n.id) FROM case_decisions AS n WHERE n.report_id = r.id AND n.requires_anmalan <> d.requires_anmalan), 0))) AS run_from,
      CONVERT(NVARCHAR(10), f.filed_on, 23) AS filed_on, f.investigation_attached,
      CONVERT(NVARCHAR(10), f.investigation_sent_on, 23) AS investigation_sent_on
    FROM reports AS r
    LEFT JOIN case_decisions AS d ON d.id = (SELECT MAX(id) FROM case_decisions WHERE report_id = r.id)
    LEFT JOIN case_filings AS f ON f.report_id = r.id
    WHERE r.clock_stale = 1
    ORDER BY r.id`,
  /** The same, for the units in @unitIds (a JSON array of strings, read as in openCaseList). */
  staleClockCaseListForUnits: `SELECT TOP (@limit) r.id, r.reference, r.unit_id, r.committee_id, r.state, r.urgent, r.created_at, r.facts_version,
      d.requires_anmalan,
      (SELECT MIN(s.decided_at) FROM case_decisions AS s
        WHERE s.report_id = r.id AND s.requires_anmalan = d.requires_anmalan
          AND (d.requires_anmalan = 0
            OR s.id > COALESCE((SELECT MAX(n.id) FROM case_decisions AS n WHERE n.report_id = r.id AND n.requires_anmalan <> d.requires_anmalan), 0))) AS run_from,
      CONVERT(NVARCHAR(10), f.filed_on, 23) AS filed_on, f.investigation_attached,
      CONVERT(NVARCHAR(10), f.investigation_sent_on, 23) AS investigation_sent_on
    FROM reports AS r
    LEFT JOIN case_decisions AS d ON d.id = (SELECT MAX(id) FROM case_decisions WHERE report_id = r.id)
    LEFT JOIN case_filings AS f ON f.report_id = r.id
    WHERE r.clock_stale = 1 AND r.unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))
    ORDER BY r.id`,
  /** Run as a plain batch, like the casework temp tables. One row per report id. */
  clocksCreateTempTable: `CREATE TABLE #case_clocks (
      id INT NOT NULL,
      facts_version INT NOT NULL,
      clock_kind NVARCHAR(20) NULL,
      clock_due_on NVARCHAR(10) NULL,
      clock_weight NVARCHAR(20) NULL,
      PRIMARY KEY (id)
    )`,
  /** Stores the clocks computed for a facts version; a case whose facts_version moved on meanwhile does not match and stays stale. */
  clocksUpdate: `UPDATE r SET clock_kind = c.clock_kind, clock_due_on = CONVERT(DATE, c.clock_due_on, 23), clock_weight = c.clock_weight, clock_stale = 0
    FROM reports AS r
    INNER JOIN #case_clocks AS c ON c.id = r.id AND c.facts_version = r.facts_version;
    SELECT @@ROWCOUNT AS n`,
  clocksDropTempTable: `DROP TABLE #case_clocks`,
  clockInvalidate: `UPDATE reports SET clock_stale = 1, facts_version = facts_version + 1 WHERE state <> N'avslutad';
    SELECT @@ROWCOUNT AS n`,
  /**
   * Per unit and kind. Each kind's last approaching day is its own parameter (the four kinds of
   * src/cases/clocks.ts; a kind without one is never approaching), as ClockCountQuery.approachingUntil.
   */
  clockCounts: `SELECT r.unit_id, r.clock_kind AS kind,
      SUM(CASE WHEN r.clock_due_on < @today THEN 1 ELSE 0 END) AS overdue,
      SUM(CASE WHEN r.clock_due_on >= @today AND r.clock_due_on <= CASE r.clock_kind WHEN N'bedomning' THEN @untilBedomning WHEN N'anmalan' THEN @untilAnmalan WHEN N'utredning' THEN @untilUtredning WHEN N'avslut' THEN @untilAvslut END THEN 1 ELSE 0 END) AS approaching,
      COUNT(*) AS total
    FROM reports AS r
    WHERE r.state <> N'avslutad' AND r.clock_kind IS NOT NULL
      AND r.unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))
    GROUP BY r.unit_id, r.clock_kind`,
  /**
   * As SQLite's: per known clock kind and weight, the unit's open cases by due day against @today
   * and the kind's last approaching day (none: never approaching); from one seek of migration 23's
   * index (the checked grammar reads no OPENJSON rowset with columns).
   */
  clockKindCounts: `SELECT r.clock_kind AS kind, r.clock_weight AS weight,
      SUM(CASE WHEN r.clock_due_on < @today THEN 1 ELSE 0 END) AS overdue,
      SUM(CASE WHEN r.clock_due_on >= @today AND r.clock_due_on <= u.until_day THEN 1 ELSE 0 END) AS near,
      SUM(CASE WHEN r.clock_due_on >= @today AND (u.until_day IS NULL OR r.clock_due_on > u.until_day) THEN 1 ELSE 0 END) AS later,
      SUM(CASE WHEN r.clock_due_on IS NULL THEN 1 ELSE 0 END) AS undated
    FROM reports AS r WITH (INDEX (ix_reports_review_clock))
    CROSS APPLY (SELECT CASE r.clock_kind WHEN N'bedomning' THEN @untilBedomning WHEN N'anmalan' THEN @untilAnmalan WHEN N'utredning' THEN @untilUtredning WHEN N'avslut' THEN @untilAvslut END AS until_day) AS u
    WHERE r.state <> N'avslutad' AND r.unit_id = @unitId AND r.clock_kind IN (N'bedomning', N'anmalan', N'utredning', N'avslut')
    GROUP BY r.clock_kind, r.clock_weight`,
  /** The unit's open cases without a clock, with one, and the stale ones. */
  clockTotals: `SELECT
      (SELECT COUNT(*) FROM reports WHERE state <> N'avslutad' AND unit_id = @unitId AND clock_kind IS NULL) AS noClock,
      (SELECT COUNT(*) FROM reports WHERE state <> N'avslutad' AND unit_id = @unitId AND clock_kind IS NOT NULL) AS withClock,
      (SELECT COUNT(*) FROM reports WHERE clock_stale = 1 AND unit_id = @unitId AND state <> N'avslutad') AS stale`,
  /** The unit's open cases due from @dayFrom to @dayTo per (kind, due day, weight): clockGroups() keeps those within each kind's own range. */
  clockDues: `SELECT r.clock_kind AS kind, CONVERT(NVARCHAR(10), r.clock_due_on, 23) AS due, r.clock_weight AS weight, COUNT(*) AS n
    FROM reports AS r WITH (INDEX (ix_reports_review_clock))
    WHERE r.state <> N'avslutad' AND r.unit_id = @unitId AND r.clock_kind IS NOT NULL AND r.clock_due_on >= @dayFrom AND r.clock_due_on <= @dayTo
    GROUP BY r.clock_kind, r.clock_due_on, r.clock_weight`,
  /** The unit's open cases with a stored due day among @dues (or none, with @withNone), with the facts of openCaseList, oldest first. */
  openCaseListByClockDue: `SELECT r.id, r.reference, r.unit_id, r.committee_id, r.state, r.urgent, r.created_at,
      d.requires_anmalan,
      (SELECT MIN(s.decided_at) FROM case_decisions AS s
        WHERE s.report_id = r.id AND s.requires_anmalan = d.requires_anmalan
          AND (d.requires_anmalan = 0
            OR s.id > COALESCE((SELECT MAX(n.id) FROM case_decisions AS n WHERE n.report_id = r.id AND n.requires_anmalan <> d.requires_anmalan), 0))) AS run_from,
      CONVERT(NVARCHAR(10), f.filed_on, 23) AS filed_on, f.investigation_attached,
      CONVERT(NVARCHAR(10), f.investigation_sent_on, 23) AS investigation_sent_on
    FROM reports AS r
    LEFT JOIN case_decisions AS d ON d.id = (SELECT MAX(id) FROM case_decisions WHERE report_id = r.id)
    LEFT JOIN case_filings AS f ON f.report_id = r.id
    WHERE r.state <> N'avslutad' AND r.unit_id = @unitId
      AND (r.clock_due_on IN (SELECT v FROM OPENJSON(@dues) WITH (v DATE '$')) OR (@withNone = 1 AND r.clock_due_on IS NULL))
    ORDER BY r.created_at, r.id`,
  /** The late ones, most pressing first (CaseStore.lateClocks); @closing 1 for the closing clocks only, 0 for the rest. */
  lateClocks: `SELECT TOP (@limit) r.reference, r.unit_id, r.clock_kind AS kind, CONVERT(NVARCHAR(10), r.clock_due_on, 23) AS due_on, r.clock_weight AS weight,
      CASE WHEN r.clock_due_on < @today THEN 1 ELSE 0 END AS overdue
    FROM reports AS r
    WHERE r.state <> N'avslutad' AND r.clock_kind IS NOT NULL
      AND r.unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))
      AND (CASE WHEN r.clock_kind = N'avslut' THEN 1 ELSE 0 END) = @closing
      AND (r.clock_due_on < @today OR r.clock_due_on <= CASE r.clock_kind WHEN N'bedomning' THEN @untilBedomning WHEN N'anmalan' THEN @untilAnmalan WHEN N'utredning' THEN @untilUtredning WHEN N'avslut' THEN @untilAvslut END)
    ORDER BY CASE WHEN r.clock_due_on < @today THEN (CASE WHEN r.clock_weight = N'local-policy' THEN 3 ELSE 1 END) ELSE 4 END, r.clock_due_on, r.reference`,

  // --- weekly reviews (recordReview: one transaction) ----------------------------------------------
  /**
   * Inserts only when the week has no record yet; the count is 1 when this call created it. The
   * key-range update lock (UPDLOCK, HOLDLOCK) on (@unitId, @weekKey) is held until commit, so two
   * concurrent records of the same week run one after the other.
   */
  reviewInsert: `INSERT INTO review_records (unit_id, week_key, done_by_entra_id, done_by_name, done_at, comment)
    SELECT @unitId, @weekKey, @doneByEntraId, @doneByName, @doneAt, @comment
    WHERE NOT EXISTS (SELECT 1 FROM review_records WITH (UPDLOCK, HOLDLOCK) WHERE unit_id = @unitId AND week_key = @weekKey);
    SELECT @@ROWCOUNT AS n`,
  reviewGet: `SELECT unit_id, week_key, done_by_entra_id, done_by_name, done_at, comment
    FROM review_records WHERE unit_id = @unitId AND week_key = @weekKey`,
  /**
   * The records of the units in @unitIds and the weeks in @weekKeys (JSON arrays of strings;
   * OPENJSON and COLLATE as in openCaseList), by unit then week in code-point order, as SQLite sorts.
   */
  reviewList: `SELECT unit_id, week_key, done_by_entra_id, done_by_name, done_at, comment
    FROM review_records
    WHERE unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))
      AND week_key IN (SELECT v FROM OPENJSON(@weekKeys) WITH (v NVARCHAR(20) COLLATE Latin1_General_100_BIN2 '$'))
    ORDER BY unit_id, week_key`,

  // --- review snoozes ("Påminn mig senare") -----------------------------------------------------
  /**
   * Inserts only when the snooze (its whole key) is not stored yet; a repeat is ignored. The
   * key-range update lock (UPDLOCK, HOLDLOCK) is held until the statement's transaction commits, so
   * two identical snoozes run one after the other and the second inserts nothing.
   */
  snoozeInsert: `INSERT INTO review_snoozes (unit_id, week_key, entra_id, until_at)
    SELECT @unitId, @weekKey, @entraId, @until
    WHERE NOT EXISTS (SELECT 1 FROM review_snoozes WITH (UPDLOCK, HOLDLOCK)
      WHERE unit_id = @unitId AND week_key = @weekKey AND entra_id = @entraId AND until_at = @until)`,
  /** Unsent snoozes whose time has come, earliest first (the key breaks ties, so the order is stable). */
  snoozeDueList: `SELECT unit_id, week_key, entra_id, until_at FROM review_snoozes
    WHERE sent_at IS NULL AND until_at <= @now
    ORDER BY until_at, unit_id, week_key, entra_id`,
  snoozeMarkSent: `UPDATE review_snoozes SET sent_at = @sentAt
    WHERE unit_id = @unitId AND week_key = @weekKey AND entra_id = @entraId AND until_at = @until`,
} as const;

/**
 * Column lengths (UTF-16 code units) as migration 3 in ./migrations.ts declares them. Values that
 * do not fit are refused with a clear message, never cut; person names (display text) are cut.
 */
export const MSSQL_CASE_LIMITS = {
  entraId: 100,
  /** Display text: cut to fit rather than refused. */
  personName: 400,
  outcome: 100,
  ivoDiarienummer: 100,
  item: 50,
  kind: 20,
  source: 1000,
  actionText: 4000,
  event: 50,
  state: 40,
  eventDetail: 1000,
  /** 'YYYY-MM-DD'. */
  isoDate: 10,
  /** A step form's id (case_entries.form_id, case_actions.form_id). */
  formId: 100,
  /** reports.unit_id and review_records.unit_id, as units.id. */
  unitId: 200,
  /** ISO week, '2026-W48' (review_records and review_snoozes). */
  weekKey: 20,
  reviewComment: 1000,
  /** reports.clock_kind and clock_weight (migration 18). */
  clockKind: 20,
} as const;

const L = MSSQL_CASE_LIMITS;

const T = {
  text: (len: number) => sql.NVarChar(len),
  max: () => sql.NVarChar(sql.MAX),
  at: () => sql.DateTime2(3),
  date: () => sql.NVarChar(L.isoDate),
};

const name = (p: PersonRecord) => p.name.slice(0, L.personName);
const entra = (p: PersonRecord) => p.entraId.toLowerCase();

/** Thrown inside the transaction when the guard found the report in another state: rolls it back. */
class GuardMissed extends Error {
  constructor() {
    super('the report is no longer in the expected state');
  }
}

/** The session temp table storeClocks() bulk-loads; created by MSSQL_CASE_SQL.clocksCreateTempTable. */
export const MSSQL_CASE_CLOCKS_TEMP_TABLE = '#case_clocks';

/** The columns of #case_clocks, in the order storeClocks() gives them. */
export function caseClockColumns(): BulkColumn[] {
  return [
    ['id', sql.Int(), false],
    ['facts_version', sql.Int(), false],
    ['clock_kind', T.text(L.clockKind), true],
    ['clock_due_on', T.text(L.isoDate), true],
    ['clock_weight', T.text(L.clockKind), true],
  ];
}

type OpenCaseRow = {
  id: number; reference: string; unit_id: string; committee_id: string; state: ReportStateCode; urgent: DbFlag; created_at: DbDate;
  requires_anmalan: DbFlag | null; run_from: DbDate | null; filed_on: string | null; investigation_attached: DbFlag | null;
  investigation_sent_on: string | null;
};

function openCaseFromRow(row: OpenCaseRow): OpenCaseRecord {
  return {
    reportId: row.id,
    reference: row.reference,
    unitId: row.unit_id,
    committeeId: row.committee_id,
    state: row.state,
    urgent: asFlag(row.urgent),
    createdAt: asDate(row.created_at),
    ...decisionRun(row.requires_anmalan, row.run_from),
    ...(row.filed_on !== null ? { filedOn: row.filed_on, investigationAttached: row.investigation_attached !== null && asFlag(row.investigation_attached) } : {}),
    ...(row.investigation_sent_on !== null ? { investigationSentOn: row.investigation_sent_on } : {}),
  };
}

/** The clock facts of a listed row: the decision in force's run start under the name its clock reads (as in SQLite). */
function decisionRun(requiresAnmalan: DbFlag | null, runFrom: DbDate | null): Pick<ClockCaseRecord, 'anmalanDecidedAt' | 'noAnmalanDecidedAt'> {
  if (requiresAnmalan === null || runFrom === null) return {};
  return asFlag(requiresAnmalan) ? { anmalanDecidedAt: asDate(runFrom) } : { noAnmalanDecidedAt: asDate(runFrom) };
}

function auditDetail(g: Guard, detail: string | undefined): string {
  return `${g.from}->${g.to}${detail ? ` ${detail}` : ''}`;
}

function checkGuard(g: Guard, event: string, detail: string | undefined): void {
  need(entra(g.actor), L.entraId, "actor's Entra id");
  need(g.from, L.state, 'state');
  need(g.to, L.state, 'state');
  need(event, L.event, 'case event');
  if (detail !== undefined) need(detail, L.eventDetail, 'case event detail');
  checkAudit({
    actorEntraId: g.actor.entraId,
    action: `case.${event}`,
    entityType: 'report',
    entityRef: g.reference,
    detail: auditDetail(g, detail),
  });
}

export class MssqlCaseStore implements CaseStore {
  constructor(private readonly db: Db) {}

  /**
   * Moves the report from g.from to g.to, runs `write`, and records the event and the audit entry,
   * all in one transaction. Returns false (writing nothing) when the state was not g.from, or the
   * decision in force was not g.decisionInForce (when given).
   */
  private async guarded(g: Guard, event: string, detail: string | undefined, write: (tx: sql.Transaction) => Promise<void>): Promise<boolean> {
    checkGuard(g, event, detail);
    const S = MSSQL_CASE_SQL;
    try {
      return await this.db.inTransaction(
        async (tx) => {
          const moved = await rowsChanged(
            new sql.Request(tx)
              .input('toState', T.text(L.state), g.to)
              .input('at', T.at(), g.at)
              .input('reportId', sql.Int, g.reportId)
              .input('fromState', T.text(L.state), g.from),
            MSSQL_CASE_SQL.reportMove,
          );
          if (moved !== 1) throw new GuardMissed();
          if (g.decisionInForce !== undefined) {
            const [newest] = (await new sql.Request(tx).input('reportId', sql.Int, g.reportId).query<{ id: number | null }>(S.decisionInForce)).recordset;
            if ((newest?.id ?? null) !== g.decisionInForce) throw new GuardMissed();
          }
          await write(tx);
          await new sql.Request(tx)
            .input('reportId', sql.Int, g.reportId)
            .input('event', T.text(L.event), event)
            .input('fromState', T.text(L.state), g.from)
            .input('toState', T.text(L.state), g.to)
            .input('actorEntraId', T.text(L.entraId), entra(g.actor))
            .input('actorName', T.text(L.personName), name(g.actor))
            .input('at', T.at(), g.at)
            .input('detail', T.text(L.eventDetail), detail ?? null)
            .query(S.eventInsert);
          await bindAudit(new sql.Request(tx), {
            at: g.at,
            actorEntraId: g.actor.entraId,
            action: `case.${event}`,
            entityType: 'report',
            entityRef: g.reference,
            detail: auditDetail(g, detail),
          }).query(MSSQL_REPORT_SQL.auditInsert);
          return true;
        },
        { retryDeadlocks: true },
      );
    } catch (err) {
      if (err instanceof GuardMissed) return false;
      throw err;
    }
  }

  /** The actor's columns every change's own write shares. */
  private static actor(req: sql.Request, g: Guard): sql.Request {
    return req
      .input('reportId', sql.Int, g.reportId)
      .input('actorEntraId', T.text(L.entraId), entra(g.actor))
      .input('actorName', T.text(L.personName), name(g.actor))
      .input('at', T.at(), g.at);
  }

  async startInvestigation(g: Guard, utredare: PersonRecord): Promise<boolean> {
    need(entra(utredare), L.entraId, "utredare's Entra id");
    return this.guarded(g, 'start-investigation', undefined, async (tx) => {
      const bind = (req: sql.Request) =>
        req
          .input('reportId', sql.Int, g.reportId)
          .input('utredareEntraId', T.text(L.entraId), entra(utredare))
          .input('utredareName', T.text(L.personName), name(utredare))
          .input('at', T.at(), g.at);
      const updated = await rowsChanged(bind(new sql.Request(tx)), MSSQL_CASE_SQL.investigationUpdate);
      if (updated === 0) await bind(new sql.Request(tx)).query(MSSQL_CASE_SQL.investigationInsert);
    });
  }

  async recordDecision(g: Guard, d: Omit<DecisionRecord, 'id' | 'decidedBy' | 'decidedAt'>): Promise<boolean> {
    need(d.recommendedOutcome, L.outcome, 'recommended outcome');
    need(d.decidedOutcome, L.outcome, 'decided outcome');
    return this.guarded(g, 'record-decision', `outcome=${d.decidedOutcome}`, async (tx) => {
      await MssqlCaseStore.actor(new sql.Request(tx), g)
        .input('answersJson', T.max(), d.answersJson)
        .input('recommendedOutcome', T.text(L.outcome), d.recommendedOutcome)
        .input('recommendationJson', T.max(), d.recommendationJson)
        .input('decidedOutcome', T.text(L.outcome), d.decidedOutcome)
        .input('requiresAnmalan', sql.Bit, d.requiresAnmalan)
        .input('motivation', T.max(), d.motivation ?? null)
        .query(MSSQL_CASE_SQL.decisionInsert);
    });
  }

  async recordFiling(g: Guard, f: Omit<FilingRecord, 'recordedBy' | 'recordedAt' | 'investigationSentOn'>): Promise<boolean> {
    needIsoDate(f.filedOn, 'filing date');
    need(f.ivoDiarienummer, L.ivoDiarienummer, 'IVO diarienummer');
    return this.guarded(g, 'record-filing', `dnr=${f.ivoDiarienummer}`, async (tx) => {
      await MssqlCaseStore.actor(new sql.Request(tx), g)
        .input('filedOn', T.date(), f.filedOn)
        .input('ivoDiarienummer', T.text(L.ivoDiarienummer), f.ivoDiarienummer)
        .input('investigationAttached', sql.Bit, f.investigationAttached)
        .input('investigationSentOn', T.date(), f.investigationAttached ? f.filedOn : null)
        .query(MSSQL_CASE_SQL.filingInsert);
    });
  }

  async markInvestigationSent(g: Guard, sentOn: string): Promise<boolean> {
    needIsoDate(sentOn, 'date the investigation was sent');
    return this.guarded(g, 'send-investigation', `sent=${sentOn}`, async (tx) => {
      const marked = await rowsChanged(new sql.Request(tx).input('sentOn', T.date(), sentOn).input('reportId', sql.Int, g.reportId), MSSQL_CASE_SQL.filingMarkSent);
      if (marked !== 1) throw new Error('no filing without a sent investigation for this report');
    });
  }

  async close(g: Guard, c: Omit<ClosingRecord, 'closedBy' | 'closedAt'>): Promise<boolean> {
    return this.guarded(g, 'close', undefined, async (tx) => {
      await MssqlCaseStore.actor(new sql.Request(tx), g)
        .input('decisionText', T.max(), c.decisionText)
        .input('motivation', T.max(), c.motivation ?? null)
        .query(MSSQL_CASE_SQL.closingInsert);
    });
  }

  /** Runs an idempotent insert: the row stored under (report, form id) if any, else `insert`; a lost race reads the winner back. */
  private async once(
    byForm: string,
    reportId: number,
    formId: string | undefined,
    insert: (tx: sql.Transaction) => Promise<number>,
  ): Promise<number> {
    if (formId !== undefined) need(formId, L.formId, 'form id');
    const find = async (req: sql.Request) =>
      (await req.input('reportId', sql.Int, reportId).input('formId', T.text(L.formId), formId ?? null).query<{ id: number }>(byForm)).recordset[0]?.id;
    try {
      return await this.db.inTransaction(
        async (tx) => {
          const existing = formId === undefined ? undefined : await find(new sql.Request(tx));
          return existing ?? (await insert(tx));
        },
        { retryDeadlocks: true },
      );
    } catch (err) {
      const winner = formId !== undefined && isUniqueViolation(err) ? await find(this.db.pool.request()) : undefined;
      if (winner === undefined) throw err;
      return winner;
    }
  }

  async addEntry(reportId: number, reference: string, e: Omit<InvestigationEntryRecord, 'id'>, formId?: string): Promise<number> {
    need(e.item, L.item, 'investigation item');
    need(e.kind, L.kind, 'kind of entry');
    need(e.source, L.source, 'source of the entry');
    need(entra(e.author), L.entraId, "author's Entra id");
    const audit = {
      at: e.documentedAt,
      actorEntraId: e.author.entraId,
      action: 'case.document',
      entityType: 'report',
      entityRef: reference,
      detail: `item=${e.item} kind=${e.kind}`,
    };
    checkAudit(audit);
    return this.once(MSSQL_CASE_SQL.entryByForm, reportId, formId, async (tx) => {
        const r = await new sql.Request(tx)
          .input('reportId', sql.Int, reportId)
          .input('formId', T.text(L.formId), formId ?? null)
          .input('item', T.text(L.item), e.item)
          .input('entryText', T.max(), e.text)
          .input('kind', T.text(L.kind), e.kind)
          .input('source', T.text(L.source), e.source)
          .input('authorEntraId', T.text(L.entraId), entra(e.author))
          .input('authorName', T.text(L.personName), name(e.author))
          .input('documentedAt', T.at(), e.documentedAt)
          .query<{ id: number }>(MSSQL_CASE_SQL.entryInsert);
        await bindAudit(new sql.Request(tx), audit).query(MSSQL_REPORT_SQL.auditInsert);
        return insertedId(r, 'investigation entry');
    });
  }

  async addAction(reportId: number, reference: string, a: Omit<CaseActionRecord, 'id' | 'doneAt' | 'doneBy'>, by: PersonRecord, formId?: string): Promise<number> {
    need(a.text, L.actionText, 'åtgärd text');
    need(entra(a.owner), L.entraId, "åtgärd owner's Entra id");
    need(entra(by), L.entraId, "actor's Entra id");
    needIsoDate(a.dueOn, 'due date of the åtgärd');
    const audit = {
      at: a.createdAt,
      actorEntraId: by.entraId,
      action: 'case.add-action',
      entityType: 'report',
      entityRef: reference,
      detail: `due=${a.dueOn}`,
    };
    checkAudit(audit);
    return this.once(MSSQL_CASE_SQL.actionByForm, reportId, formId, async (tx) => {
        const r = await new sql.Request(tx)
          .input('reportId', sql.Int, reportId)
          .input('formId', T.text(L.formId), formId ?? null)
          .input('actionText', T.text(L.actionText), a.text)
          .input('ownerEntraId', T.text(L.entraId), entra(a.owner))
          .input('ownerName', T.text(L.personName), name(a.owner))
          .input('dueOn', T.date(), a.dueOn)
          .input('createdByEntraId', T.text(L.entraId), entra(by))
          .input('createdAt', T.at(), a.createdAt)
          .query<{ id: number }>(MSSQL_CASE_SQL.actionInsert);
        await bindAudit(new sql.Request(tx), audit).query(MSSQL_REPORT_SQL.auditInsert);
        return insertedId(r, 'åtgärd');
    });
  }

  async markActionDone(reportId: number, reference: string, actionId: number, by: PersonRecord, at: Date): Promise<ActionDoneResult> {
    need(entra(by), L.entraId, "actor's Entra id");
    if (!Number.isSafeInteger(actionId) || actionId < 1 || actionId > 2_147_483_647) return 'not-found';
    const audit = { at, actorEntraId: by.entraId, action: 'case.action-done', entityType: 'report', entityRef: reference, detail: `action=${actionId}` };
    checkAudit(audit);
    return this.db.inTransaction(
      async (tx): Promise<ActionDoneResult> => {
        const ids = () => new sql.Request(tx).input('actionId', sql.Int, actionId).input('reportId', sql.Int, reportId);
        const [row] = (await ids().query<{ done_at: Date | null }>(MSSQL_CASE_SQL.actionHoldForDone)).recordset;
        if (!row) return 'not-found';
        if (row.done_at !== null) return 'already-done';
        await ids().input('doneAt', T.at(), at).input('doneByEntraId', T.text(L.entraId), entra(by)).input('doneByName', T.text(L.personName), name(by)).query(MSSQL_CASE_SQL.actionMarkDone);
        await bindAudit(new sql.Request(tx), audit).query(MSSQL_REPORT_SQL.auditInsert);
        return 'done';
      },
      { retryDeadlocks: true },
    );
  }

  async get(reportId: number): Promise<CaseDetailsRecord> {
    const S = MSSQL_CASE_SQL;
    // Seven reads that must agree: one SNAPSHOT transaction where the database allows it; else a
    // READ COMMITTED one whose first read holds a shared lock on the report row to the end, which
    // keeps a guarded state change (it updates that row first) from committing in between. The
    // isolation is the one the transaction got (read committed when the server refused SNAPSHOT).
    const rows = await this.db.inTransaction(
      async (tx, isolation) => {
        const read = <R>(text: string) =>
          new sql.Request(tx)
            .input('reportId', sql.Int, reportId)
            .query<R>(text)
            .then((r) => r.recordset);
        if (isolation !== 'snapshot') await read(S.reportHoldForRead);
        const [investigation] = await read<NonNullable<CaseRows['investigation']>>(S.investigationGet);
        const decisions = await read<CaseRows['decisions'][number]>(S.decisionList);
        const [filing] = await read<NonNullable<CaseRows['filing']>>(S.filingGet);
        const [closing] = await read<NonNullable<CaseRows['closing']>>(S.closingGet);
        const entries = await read<CaseRows['entries'][number]>(S.entryList);
        const actions = await read<CaseRows['actions'][number]>(S.actionList);
        const events = await read<CaseRows['events'][number]>(S.eventList);
        return { investigation, decisions, filing, closing, entries, actions, events };
      },
      { retryDeadlocks: true, ...(this.db.snapshotAllowed ? { isolation: 'snapshot' as const } : {}) },
    );
    const { investigation, decisions, filing, closing, entries, actions, events } = rows;
    return caseDetailsFromRows(reportId, {
      ...(investigation ? { investigation } : {}),
      decisions,
      ...(filing ? { filing } : {}),
      ...(closing ? { closing } : {}),
      entries,
      actions,
      events,
    });
  }

  async listClockCases(unitIds?: readonly string[]): Promise<ClockCaseRecord[]> {
    type Row = {
      id: number; reference: string; unit_id: string; committee_id: string; state: ReportStateCode; requires_anmalan: DbFlag; run_from: DbDate | null;
      filed_on: string | null; investigation_attached: DbFlag | null; investigation_sent_on: string | null;
      utredare_entra_id: string | null; utredare_name: string | null;
    };
    let rows: Row[];
    if (unitIds === undefined) {
      rows = (await this.db.pool.request().query<Row>(MSSQL_CASE_SQL.clockCaseList)).recordset;
    } else {
      // A unit id longer than the column cannot have been stored.
      const wanted = unitIds.filter((u) => fits(u, L.unitId));
      if (wanted.length === 0) return [];
      rows = (await this.db.pool.request().input('unitIds', T.max(), JSON.stringify(wanted)).query<Row>(MSSQL_CASE_SQL.clockCaseListForUnits)).recordset;
    }
    return rows.map((row) => ({
      reportId: row.id,
      reference: row.reference,
      unitId: row.unit_id,
      committeeId: row.committee_id,
      state: row.state,
      ...decisionRun(row.requires_anmalan, row.run_from),
      ...(row.filed_on !== null ? { filedOn: row.filed_on, investigationAttached: row.investigation_attached !== null && asFlag(row.investigation_attached) } : {}),
      ...(row.investigation_sent_on !== null ? { investigationSentOn: row.investigation_sent_on } : {}),
      ...(row.utredare_entra_id !== null ? { utredare: person(row.utredare_entra_id, row.utredare_name ?? '') } : {}),
    }));
  }

  async listUnassessedCases(unitIds?: readonly string[]): Promise<OpenCaseRecord[]> {
    type Row = { id: number; reference: string; unit_id: string; committee_id: string; state: ReportStateCode; urgent: DbFlag; created_at: DbDate };
    let rows: Row[];
    if (unitIds === undefined) {
      rows = (await this.db.pool.request().query<Row>(MSSQL_CASE_SQL.unassessedCaseList)).recordset;
    } else {
      // A unit id longer than the column cannot have been stored.
      const wanted = unitIds.filter((u) => fits(u, L.unitId));
      if (wanted.length === 0) return [];
      rows = (await this.db.pool.request().input('unitIds', T.max(), JSON.stringify(wanted)).query<Row>(MSSQL_CASE_SQL.unassessedCaseListForUnits)).recordset;
    }
    return rows.map((row) => ({
      reportId: row.id,
      reference: row.reference,
      unitId: row.unit_id,
      committeeId: row.committee_id,
      state: row.state,
      urgent: asFlag(row.urgent),
      createdAt: asDate(row.created_at),
    }));
  }

  async listOpenCases(unitIds: readonly string[]): Promise<OpenCaseRecord[]> {
    // A unit id longer than the column cannot have been stored.
    const wanted = unitIds.filter((u) => fits(u, L.unitId));
    if (wanted.length === 0) return [];
    const r = await this.db.pool.request().input('unitIds', T.max(), JSON.stringify(wanted)).query<OpenCaseRow>(MSSQL_CASE_SQL.openCaseList);
    return r.recordset.map(openCaseFromRow);
  }

  async staleClockCases(unitIds: readonly string[] | undefined, limit: number): Promise<StaleClockCase[]> {
    const wanted = unitIds?.filter((u) => fits(u, L.unitId));
    if (wanted && wanted.length === 0) return [];
    const req = this.db.pool.request().input('limit', sql.Int, Math.max(0, Math.floor(limit)));
    if (wanted) req.input('unitIds', T.max(), JSON.stringify(wanted));
    const r = await req.query<OpenCaseRow & { facts_version: number }>(wanted ? MSSQL_CASE_SQL.staleClockCaseListForUnits : MSSQL_CASE_SQL.staleClockCaseList);
    return r.recordset.map((row) => ({ ...openCaseFromRow(row), factsVersion: row.facts_version }));
  }

  async storeClocks(rows: readonly { reportId: number; factsVersion: number; clock: StoredClock }[]): Promise<number> {
    for (const r of rows) {
      if (r.clock.kind !== null) need(r.clock.kind, L.clockKind, 'clock kind');
      if (r.clock.weight !== null) need(r.clock.weight, L.clockKind, 'clock weight');
      if (r.clock.dueOn !== null) needIsoDate(r.clock.dueOn, 'clock due day');
    }
    // The temp table's key takes each report once: the last row given for it, as SQLite's one-by-one updates leave it.
    const last = new Map(rows.map((r) => [r.reportId, r]));
    if (last.size === 0) return 0;
    const bulk = [...last.values()].map((r): BulkValue[] => [r.reportId, r.factsVersion, r.clock.kind, r.clock.dueOn, r.clock.weight]);
    const S = MSSQL_CASE_SQL;
    return this.db.inTransaction(
      async (tx) => {
        await new sql.Request(tx).batch(S.clocksCreateTempTable);
        await bulkLoad(tx, MSSQL_CASE_CLOCKS_TEMP_TABLE, caseClockColumns(), bulk);
        const n = await rowsChanged(new sql.Request(tx), MSSQL_CASE_SQL.clocksUpdate);
        await new sql.Request(tx).batch(S.clocksDropTempTable);
        return n;
      },
      { retryDeadlocks: true },
    );
  }

  async clockRankCounts(unitId: string, q: Omit<ClockCountQuery, 'unitIds'>): Promise<{ rank: number; due: string; n: number }[]> {
    if (!fits(unitId, L.unitId)) return [];
    // One snapshot for the stale count and the clock counts, as SQLite's read transaction.
    const read = await this.db.inTransaction(
      async (tx) => {
        const at = () => this.clockRequest({ ...q, unitIds: [unitId] }, new sql.Request(tx))!.input('unitId', T.text(L.unitId), unitId);
        const kinds = (await at().query<KindCount>(MSSQL_CASE_SQL.clockKindCounts)).recordset;
        const totals = (await at().query<{ noClock: number; withClock: number; stale: number }>(MSSQL_CASE_SQL.clockTotals)).recordset[0];
        return { kinds, totals: { noClock: Number(totals?.noClock ?? 0), withClock: Number(totals?.withClock ?? 0), stale: Number(totals?.stale ?? 0) } };
      },
      { isolation: 'snapshot' },
    );
    const kinds = read.kinds.map((k) => ({ kind: k.kind, weight: k.weight, overdue: Number(k.overdue), near: Number(k.near), later: Number(k.later), undated: Number(k.undated) }));
    return rankRows(clockRankCounts(kinds, read.totals.noClock, read.totals.withClock), read.totals.stale);
  }

  async clockGroups(unitId: string, q: Omit<ClockCountQuery, 'unitIds'>, ranks: readonly number[]): Promise<{ rank: number; due: string; n: number }[]> {
    const ranges = kindRangesOfRanks(ranks, q);
    const req = () => this.clockRequest({ ...q, unitIds: [unitId] })?.input('unitId', T.text(L.unitId), unitId);
    if (!req()) return [];
    const rows = ranges.length
      ? (
          await req()!
            .input('dayFrom', T.date(), ranges.reduce((d, r) => (r.from < d ? r.from : d), ranges[0]!.from))
            .input('dayTo', T.date(), ranges.reduce((d, r) => (r.to > d ? r.to : d), ranges[0]!.to))
            .query<{ kind: string; due: string; weight: string | null; n: number }>(MSSQL_CASE_SQL.clockDues)
        ).recordset.filter((r) => ranges.some((g) => inKindRange(g, r.kind, r.due, r.weight)))
      : [];
    const groups = rows.map((r) => ({ rank: clockRankOn(r.kind, r.due, r.weight, q), due: r.due, n: Number(r.n) }));
    if (ranks.includes(NO_CLOCK_RANK)) groups.push({ rank: NO_CLOCK_RANK, due: '', n: Number((await req()!.query<{ noClock: number }>(MSSQL_CASE_SQL.clockTotals)).recordset[0]?.noClock ?? 0) });
    return groupRows(groups, ranks);
  }

  async openCasesByClockDue(unitId: string, dues: readonly string[]): Promise<OpenCaseRecord[]> {
    if (dues.length === 0 || !fits(unitId, L.unitId)) return [];
    const r = await bindDueDays(this.db.pool.request().input('unitId', T.text(L.unitId), unitId), dues, 'clock due day').query<OpenCaseRow>(MSSQL_CASE_SQL.openCaseListByClockDue);
    return r.recordset.map(openCaseFromRow);
  }

  async invalidateClocks(): Promise<number> {
    return rowsChanged(this.db.pool.request(), MSSQL_CASE_SQL.clockInvalidate);
  }

  private clockRequest(q: ClockCountQuery, request: sql.Request = this.db.pool.request()): sql.Request | undefined {
    const wanted = q.unitIds.filter((u) => fits(u, L.unitId));
    if (wanted.length === 0) return undefined;
    needIsoDate(q.today, 'today');
    for (const until of Object.values(q.approachingUntil)) needIsoDate(until, 'approaching until');
    const until = (kind: StoredClockKind) => q.approachingUntil[kind] ?? null;
    return request
      .input('unitIds', T.max(), JSON.stringify(wanted))
      .input('today', T.date(), q.today)
      .input('untilBedomning', T.date(), until('bedomning'))
      .input('untilAnmalan', T.date(), until('anmalan'))
      .input('untilUtredning', T.date(), until('utredning'))
      .input('untilAvslut', T.date(), until('avslut'));
  }

  async clockCounts(q: ClockCountQuery): Promise<ClockCountRow[]> {
    const req = this.clockRequest(q);
    if (!req) return [];
    const r = await req.query<{ unit_id: string; kind: string; overdue: number; approaching: number; total: number }>(MSSQL_CASE_SQL.clockCounts);
    return r.recordset.map((row) => ({ unitId: row.unit_id, kind: row.kind, overdue: row.overdue, approaching: row.approaching, total: row.total }));
  }

  async lateClocks(q: ClockCountQuery & { closing: boolean; limit: number }): Promise<LateClockRow[]> {
    const req = this.clockRequest(q);
    if (!req) return [];
    const r = await req
      .input('closing', sql.Int, q.closing ? 1 : 0)
      .input('limit', sql.Int, Math.max(0, Math.floor(q.limit)))
      .query<{ reference: string; unit_id: string; kind: string; due_on: string; weight: string; overdue: number }>(MSSQL_CASE_SQL.lateClocks);
    return r.recordset.map((row) => ({ reference: row.reference, unitId: row.unit_id, kind: row.kind, dueOn: row.due_on, weight: row.weight, overdue: row.overdue === 1 }));
  }

  async recordReview(r: ReviewRecord): Promise<{ record: ReviewRecord; created: boolean }> {
    need(r.unitId, L.unitId, 'unit id');
    need(r.weekKey, L.weekKey, 'week');
    need(entra(r.doneBy), L.entraId, "reviewer's Entra id");
    if (r.comment !== undefined) need(r.comment, L.reviewComment, 'review comment');
    const audit = {
      at: r.doneAt,
      actorEntraId: r.doneBy.entraId,
      action: 'review.done',
      entityType: 'unit',
      entityRef: r.unitId,
      detail: `week=${r.weekKey}`,
    };
    checkAudit(audit);
    try {
      return await this.db.inTransaction(
        async (tx) => {
          const inserted = await rowsChanged(
            new sql.Request(tx)
              .input('unitId', T.text(L.unitId), r.unitId)
              .input('weekKey', T.text(L.weekKey), r.weekKey)
              .input('doneByEntraId', T.text(L.entraId), entra(r.doneBy))
              .input('doneByName', T.text(L.personName), name(r.doneBy))
              .input('doneAt', T.at(), r.doneAt)
              .input('comment', T.text(L.reviewComment), r.comment ?? null),
            MSSQL_CASE_SQL.reviewInsert,
          );
          const created = inserted === 1;
          if (created) await bindAudit(new sql.Request(tx), audit).query(MSSQL_REPORT_SQL.auditInsert);
          const record = await readReview(new sql.Request(tx), r.unitId, r.weekKey);
          if (!record) throw new Error('The weekly review could not be read back after it was recorded.');
          return { record, created };
        },
        { retryDeadlocks: true },
      );
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Another record of the same week won the race: this transaction was rolled back, nothing written.
      const existing = await this.getReview(r.unitId, r.weekKey);
      if (!existing) throw err;
      return { record: existing, created: false };
    }
  }

  async getReview(unitId: string, weekKey: string): Promise<ReviewRecord | undefined> {
    // A key longer than its column cannot have been stored.
    if (!fits(unitId, L.unitId) || !fits(weekKey, L.weekKey)) return undefined;
    return readReview(this.db.pool.request(), unitId, weekKey);
  }

  async listReviews(unitIds: readonly string[], weekKeys: readonly string[]): Promise<ReviewRecord[]> {
    // A key longer than its column cannot have been stored.
    const units = unitIds.filter((u) => fits(u, L.unitId));
    const weeks = weekKeys.filter((w) => fits(w, L.weekKey));
    if (units.length === 0 || weeks.length === 0) return [];
    const r = await this.db.pool
      .request()
      .input('unitIds', T.max(), JSON.stringify(units))
      .input('weekKeys', T.max(), JSON.stringify(weeks))
      .query<ReviewRow>(MSSQL_CASE_SQL.reviewList);
    return r.recordset.map(fromReviewRow);
  }

  async snoozeReview(z: ReviewSnooze): Promise<void> {
    need(z.unitId, L.unitId, 'unit id');
    need(z.weekKey, L.weekKey, 'week');
    need(z.entraId, L.entraId, 'Entra id of the snoozing person');
    try {
      await this.db.inTransaction(
        async (tx) => {
          await bindSnooze(new sql.Request(tx), z).query(MSSQL_CASE_SQL.snoozeInsert);
        },
        { retryDeadlocks: true },
      );
    } catch (err) {
      // The same snooze stored concurrently: already there, which is all a snooze asks for.
      if (!isUniqueViolation(err)) throw err;
    }
  }

  async dueSnoozes(now: Date): Promise<ReviewSnooze[]> {
    const r = await this.db.pool
      .request()
      .input('now', T.at(), now)
      .query<{ unit_id: string; week_key: string; entra_id: string; until_at: DbDate }>(MSSQL_CASE_SQL.snoozeDueList);
    return r.recordset.map((row) => ({ unitId: row.unit_id, weekKey: row.week_key, entraId: row.entra_id, until: asDate(row.until_at) }));
  }

  async markSnoozeSent(z: ReviewSnooze, at: Date): Promise<void> {
    // A key longer than its column cannot have been stored: nothing to mark.
    if (!fits(z.unitId, L.unitId) || !fits(z.weekKey, L.weekKey) || !fits(z.entraId, L.entraId)) return;
    await bindSnooze(this.db.pool.request(), z).input('sentAt', T.at(), at).query(MSSQL_CASE_SQL.snoozeMarkSent);
  }
}

/** Binds a snooze's key: @unitId, @weekKey, @entraId (lower-cased, as stored) and @until. */
function bindSnooze(req: sql.Request, z: ReviewSnooze): sql.Request {
  return req
    .input('unitId', T.text(L.unitId), z.unitId)
    .input('weekKey', T.text(L.weekKey), z.weekKey)
    .input('entraId', T.text(L.entraId), z.entraId.toLowerCase())
    .input('until', T.at(), z.until);
}

type ReviewRow = {
  unit_id: string; week_key: string; done_by_entra_id: string; done_by_name: string; done_at: DbDate; comment: string | null;
};

function fromReviewRow(row: ReviewRow): ReviewRecord {
  return {
    unitId: row.unit_id,
    weekKey: row.week_key,
    doneBy: person(row.done_by_entra_id, row.done_by_name),
    doneAt: asDate(row.done_at),
    ...(row.comment !== null ? { comment: row.comment } : {}),
  };
}

async function readReview(req: sql.Request, unitId: string, weekKey: string): Promise<ReviewRecord | undefined> {
  const r = await req
    .input('unitId', T.text(L.unitId), unitId)
    .input('weekKey', T.text(L.weekKey), weekKey)
    .query<ReviewRow>(MSSQL_CASE_SQL.reviewGet);
  const row = r.recordset[0];
  return row ? fromReviewRow(row) : undefined;
}

/** The id the batch's closing SELECT CAST(SCOPE_IDENTITY() AS INT) returned (its last result set). */
function insertedId(r: sql.IResult<{ id: number }>, what: string): number {
  const sets = r.recordsets as unknown as { id: number }[][];
  const id = sets[sets.length - 1]?.[0]?.id;
  if (typeof id !== 'number') throw new Error(`The new ${what} could not be read back after it was inserted.`);
  return id;
}

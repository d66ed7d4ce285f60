import type { Migration } from '../migration';

/** SQLite schema. Timestamps are ISO-8601 UTC text; booleans are 0/1. Keep in step with ../mssql/migrations.ts. */
export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'foundation',
    statements: [
      `CREATE TABLE bot_state (
        state_key TEXT NOT NULL PRIMARY KEY,
        value TEXT NOT NULL,
        etag TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE TABLE conversation_refs (
        tenant_id TEXT NOT NULL,
        aad_object_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        service_url TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        bot_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        user_name TEXT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        inactive_reason TEXT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, aad_object_id, scope)
      )`,
      `CREATE INDEX ix_conversation_refs_conversation ON conversation_refs (tenant_id, conversation_id)`,
      `CREATE INDEX ix_conversation_refs_user ON conversation_refs (aad_object_id)`,
      `CREATE TABLE org_meta (
        id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
        municipality TEXT NOT NULL,
        synced_at TEXT NOT NULL
      )`,
      `CREATE TABLE committees (
        id TEXT NOT NULL PRIMARY KEY,
        name TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL
      )`,
      `CREATE TABLE units (
        id TEXT NOT NULL PRIMARY KEY,
        committee_id TEXT NOT NULL REFERENCES committees (id),
        name TEXT NOT NULL,
        area TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL
      )`,
      `CREATE INDEX ix_units_committee ON units (committee_id)`,
      `CREATE TABLE people (
        entra_id TEXT NOT NULL PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT NULL,
        ordinal INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL
      )`,
      `CREATE TABLE role_assignments (
        entra_id TEXT NOT NULL REFERENCES people (entra_id),
        role TEXT NOT NULL,
        scope_id TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        PRIMARY KEY (entra_id, role, scope_id)
      )`,
      `CREATE INDEX ix_role_assignments_scope ON role_assignments (role, scope_id)`,
    ],
  },
  {
    version: 2,
    name: 'reports-audit-markers',
    statements: [
      `CREATE TABLE reference_counters (
        prefix TEXT NOT NULL,
        year INTEGER NOT NULL,
        last_seq INTEGER NOT NULL,
        PRIMARY KEY (prefix, year)
      )`,
      `CREATE TABLE reports (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        reference TEXT NOT NULL UNIQUE,
        year INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        form_id TEXT NOT NULL UNIQUE,
        unit_id TEXT NOT NULL REFERENCES units (id),
        committee_id TEXT NOT NULL REFERENCES committees (id),
        reporter_entra_id TEXT NOT NULL,
        reporter_name TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        occurred_time_known INTEGER NOT NULL,
        noticed_at TEXT NOT NULL,
        noticed_time_known INTEGER NOT NULL,
        location TEXT NOT NULL,
        category TEXT NOT NULL,
        what_happened TEXT NOT NULL,
        consequences TEXT NOT NULL,
        immediate_actions TEXT NOT NULL,
        informed TEXT NOT NULL,
        risk_hurt TEXT NOT NULL,
        risk_ongoing TEXT NOT NULL,
        risk_vulnerable TEXT NOT NULL,
        risk_crime TEXT NOT NULL,
        risk_before TEXT NOT NULL,
        case_reference TEXT NULL,
        urgent INTEGER NOT NULL,
        state TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (year, seq)
      )`,
      `CREATE INDEX ix_reports_reporter ON reports (reporter_entra_id, created_at)`,
      `CREATE INDEX ix_reports_unit ON reports (unit_id, created_at)`,
      `CREATE INDEX ix_reports_committee_state ON reports (committee_id, state)`,
      `CREATE TABLE report_notifications (
        report_id INTEGER NOT NULL REFERENCES reports (id),
        recipient_entra_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        recipient_name TEXT NOT NULL,
        status TEXT NOT NULL,
        error TEXT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (report_id, recipient_entra_id, kind)
      )`,
      `CREATE TABLE audit_log (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor_entra_id TEXT NOT NULL,
        action TEXT NOT NULL,
        entity_type TEXT NOT NULL,
        entity_ref TEXT NOT NULL,
        detail TEXT NULL
      )`,
      `CREATE INDEX ix_audit_entity ON audit_log (entity_ref, at)`,
      `CREATE INDEX ix_audit_actor ON audit_log (actor_entra_id, at)`,
      `CREATE TABLE once_markers (
        marker_key TEXT NOT NULL PRIMARY KEY,
        claimed_at TEXT NOT NULL
      )`,
    ],
  },
  {
    version: 3,
    name: 'lex-sarah-cases',
    statements: [
      `CREATE TABLE case_investigations (
        report_id INTEGER NOT NULL PRIMARY KEY REFERENCES reports (id),
        utredare_entra_id TEXT NOT NULL,
        utredare_name TEXT NOT NULL,
        started_at TEXT NOT NULL
      )`,
      `CREATE TABLE case_decisions (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        report_id INTEGER NOT NULL REFERENCES reports (id),
        answers_json TEXT NOT NULL,
        recommended_outcome TEXT NOT NULL,
        recommendation_json TEXT NOT NULL,
        decided_outcome TEXT NOT NULL,
        requires_anmalan INTEGER NOT NULL,
        motivation TEXT NULL,
        decided_by_entra_id TEXT NOT NULL,
        decided_by_name TEXT NOT NULL,
        decided_at TEXT NOT NULL
      )`,
      `CREATE INDEX ix_case_decisions_report ON case_decisions (report_id, id)`,
      `CREATE TABLE case_filings (
        report_id INTEGER NOT NULL PRIMARY KEY REFERENCES reports (id),
        filed_on TEXT NOT NULL,
        ivo_diarienummer TEXT NOT NULL,
        investigation_attached INTEGER NOT NULL,
        investigation_sent_on TEXT NULL,
        recorded_by_entra_id TEXT NOT NULL,
        recorded_by_name TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      )`,
      `CREATE TABLE case_closings (
        report_id INTEGER NOT NULL PRIMARY KEY REFERENCES reports (id),
        decision_text TEXT NOT NULL,
        motivation TEXT NULL,
        closed_by_entra_id TEXT NOT NULL,
        closed_by_name TEXT NOT NULL,
        closed_at TEXT NOT NULL
      )`,
      `CREATE TABLE case_entries (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        report_id INTEGER NOT NULL REFERENCES reports (id),
        item TEXT NOT NULL,
        entry_text TEXT NOT NULL,
        kind TEXT NOT NULL,
        source TEXT NOT NULL,
        author_entra_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        documented_at TEXT NOT NULL
      )`,
      `CREATE INDEX ix_case_entries_report ON case_entries (report_id, id)`,
      `CREATE TABLE case_actions (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        report_id INTEGER NOT NULL REFERENCES reports (id),
        action_text TEXT NOT NULL,
        owner_entra_id TEXT NOT NULL,
        owner_name TEXT NOT NULL,
        due_on TEXT NOT NULL,
        done_at TEXT NULL,
        created_by_entra_id TEXT NOT NULL,
        created_at TEXT NOT NULL
      )`,
      `CREATE INDEX ix_case_actions_report ON case_actions (report_id, id)`,
      `CREATE TABLE case_events (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        report_id INTEGER NOT NULL REFERENCES reports (id),
        event TEXT NOT NULL,
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        actor_entra_id TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        at TEXT NOT NULL,
        detail TEXT NULL
      )`,
      `CREATE INDEX ix_case_events_report ON case_events (report_id, id)`,
    ],
  },
  {
    version: 4,
    name: 'casework-register',
    statements: [
      `CREATE TABLE casework_items (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL,
        case_reference TEXT NOT NULL,
        item_type TEXT NOT NULL,
        unit_id TEXT NOT NULL,
        handlaggare TEXT NULL,
        status TEXT NOT NULL,
        orosanmalan_mottagen TEXT NULL,
        utredning_inledd TEXT NULL,
        forlangning_beslutad TEXT NULL,
        forlangd_till TEXT NULL,
        placering_start TEXT NULL,
        senaste_overvagande TEXT NULL,
        lvu_beslut TEXT NULL,
        senaste_omprovning TEXT NULL,
        beslutsdatum TEXT NULL,
        verkstallt_datum TEXT NULL,
        updated_at TEXT NOT NULL,
        closed_at TEXT NULL,
        UNIQUE (source, case_reference)
      )`,
      `CREATE INDEX ix_casework_unit_status ON casework_items (status, unit_id)`,
      `CREATE TABLE casework_imports (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        full_import INTEGER NOT NULL,
        rows_in_file INTEGER NOT NULL,
        inserted INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        unchanged INTEGER NOT NULL,
        closed INTEGER NOT NULL
      )`,
    ],
  },
  {
    version: 5,
    name: 'weekly-reviews',
    statements: [
      `CREATE TABLE review_records (
        unit_id TEXT NOT NULL,
        week_key TEXT NOT NULL,
        done_by_entra_id TEXT NOT NULL,
        done_by_name TEXT NOT NULL,
        done_at TEXT NOT NULL,
        comment TEXT NULL,
        PRIMARY KEY (unit_id, week_key)
      )`,
    ],
  },
  {
    version: 6,
    name: 'review-snoozes',
    statements: [
      `CREATE TABLE review_snoozes (
        unit_id TEXT NOT NULL,
        week_key TEXT NOT NULL,
        entra_id TEXT NOT NULL,
        until_at TEXT NOT NULL,
        sent_at TEXT NULL,
        PRIMARY KEY (unit_id, week_key, entra_id, until_at)
      )`,
      `CREATE INDEX ix_review_snoozes_due ON review_snoozes (sent_at, until_at)`,
    ],
  },
  {
    version: 7,
    name: 'work-leases',
    statements: [
      `CREATE TABLE work_leases (
        work_key TEXT NOT NULL PRIMARY KEY,
        lease_until TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        done_at TEXT NULL
      )`,
    ],
  },
  {
    version: 8,
    name: 'status-summaries',
    statements: [
      // The casework clock's last day and stop day, computed by the rules when an item is written,
      // so that a summary counts overdue/approaching items from the index alone.
      `ALTER TABLE casework_items ADD COLUMN due_on TEXT NULL`,
      `ALTER TABLE casework_items ADD COLUMN stops_on TEXT NULL`,
      `DROP INDEX ix_casework_unit_status`,
      `CREATE INDEX ix_casework_open_due ON casework_items (status, unit_id, due_on, item_type, stops_on)`,
      `CREATE INDEX ix_reports_state_unit ON reports (state, unit_id)`,
      `CREATE INDEX ix_case_filings_filed_on ON case_filings (filed_on, report_id)`,
      `CREATE TABLE delivery_failures (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        recipient_entra_id TEXT NOT NULL,
        recipient_name TEXT NOT NULL,
        unit_id TEXT NOT NULL,
        committee_id TEXT NOT NULL,
        purpose TEXT NOT NULL,
        entity_ref TEXT NOT NULL,
        status TEXT NOT NULL,
        error TEXT NULL
      )`,
      `CREATE INDEX ix_delivery_failures_unit ON delivery_failures (unit_id, at)`,
    ],
  },
  {
    version: 9,
    name: 'issued-forms',
    statements: [
      // A report form id is issued to one person in one conversation: a submit by anyone else, or
      // from elsewhere, never files under it (nor returns the receipt of what was filed under it).
      `CREATE TABLE report_forms (
        form_id TEXT NOT NULL PRIMARY KEY,
        reporter_entra_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        issued_at TEXT NOT NULL
      )`,
      // A case step form's id makes its submit idempotent: a double click stores one entry.
      `ALTER TABLE case_entries ADD COLUMN form_id TEXT NULL`,
      `CREATE UNIQUE INDEX uq_case_entries_form ON case_entries (report_id, form_id) WHERE form_id IS NOT NULL`,
      `ALTER TABLE case_actions ADD COLUMN form_id TEXT NULL`,
      `CREATE UNIQUE INDEX uq_case_actions_form ON case_actions (report_id, form_id) WHERE form_id IS NOT NULL`,
    ],
  },
  {
    version: 10,
    name: 'outbox',
    statements: [
      // Every proactive card, written in the transaction of the change that causes it (../outbox.ts).
      // priority: 0 interactive, 1 bulk. on_undeliverable: JSON list of messages enqueued when the
      // row ends failed or no-reference. A row is due when pending, not_before and next_attempt_at
      // have passed and its lease (if any) has run out.
      `CREATE TABLE outbox (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        message_key TEXT NOT NULL,
        recipient_entra_id TEXT NOT NULL,
        recipient_name TEXT NOT NULL,
        purpose TEXT NOT NULL,
        entity_ref TEXT NOT NULL,
        unit_id TEXT NULL,
        committee_id TEXT NULL,
        card_json TEXT NOT NULL,
        priority INTEGER NOT NULL,
        not_before TEXT NOT NULL,
        created_at TEXT NOT NULL,
        replaces_activity_id TEXT NULL,
        on_undeliverable TEXT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at TEXT NOT NULL,
        lease_owner TEXT NULL,
        lease_until TEXT NULL,
        last_error TEXT NULL,
        activity_id TEXT NULL,
        finished_at TEXT NULL
      )`,
      `CREATE UNIQUE INDEX uq_outbox_key ON outbox (message_key)`,
      // The claim: state = 'pending', in priority then due order.
      `CREATE INDEX ix_outbox_due ON outbox (state, priority, next_attempt_at)`,
      `CREATE INDEX ix_outbox_entity ON outbox (entity_ref, purpose)`,
      // One token bucket per key (a tenant), shared by every instance.
      `CREATE TABLE rate_limits (
        bucket_key TEXT NOT NULL PRIMARY KEY,
        tokens REAL NOT NULL,
        updated_at TEXT NOT NULL
      )`,
    ],
  },
  {
    version: 11,
    name: 'outbox-settled-index',
    statements: [
      // The receipt sweep looks for routing finished recently (OutboxStore.settledWithoutFollowUp).
      `CREATE INDEX ix_outbox_finished ON outbox (purpose, finished_at)`,
    ],
  },
  {
    version: 12,
    name: 'casework-history',
    statements: [
      // Every opening of an investigation is kept under one reference (a reopened investigation must
      // not overwrite the first, lex-sarah.md "Important readings"), and one reference may carry one
      // clock per type: the key becomes (source, case_reference, item_type, opening_key). SQLite cannot
      // drop a table's UNIQUE constraint, so the table is rebuilt under its own name; ids are kept.
      `DROP INDEX ix_casework_open_due`,
      `ALTER TABLE casework_items RENAME TO casework_items_v11`,
      `CREATE TABLE casework_items (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL,
        case_reference TEXT NOT NULL,
        item_type TEXT NOT NULL,
        unit_id TEXT NOT NULL,
        handlaggare TEXT NULL,
        status TEXT NOT NULL,
        orosanmalan_mottagen TEXT NULL,
        utredning_inledd TEXT NULL,
        forlangning_beslutad TEXT NULL,
        forlangd_till TEXT NULL,
        placering_start TEXT NULL,
        senaste_overvagande TEXT NULL,
        lvu_beslut TEXT NULL,
        senaste_omprovning TEXT NULL,
        beslutsdatum TEXT NULL,
        verkstallt_datum TEXT NULL,
        updated_at TEXT NOT NULL,
        closed_at TEXT NULL,
        due_on TEXT NULL,
        stops_on TEXT NULL,
        understallt_datum TEXT NULL,
        omhandertagande_verkstallt TEXT NULL,
        ansokan_inlamnad TEXT NULL,
        laga_kraft TEXT NULL,
        vard_paborjad TEXT NULL,
        rapporterad_ivo TEXT NULL,
        avbrott_datum TEXT NULL,
        forsta_inledd TEXT NULL,
        judgment INTEGER NOT NULL DEFAULT 0,
        new_investigation INTEGER NOT NULL DEFAULT 0,
        reopened INTEGER NOT NULL DEFAULT 0,
        opening_key TEXT NOT NULL DEFAULT '',
        UNIQUE (source, case_reference, item_type, opening_key)
      )`,
      // A barnavårdsutredning's opening key is its opening day, as the adapter writes it.
      `INSERT INTO casework_items (id, source, case_reference, item_type, unit_id, handlaggare, status,
          orosanmalan_mottagen, utredning_inledd, forlangning_beslutad, forlangd_till, placering_start,
          senaste_overvagande, lvu_beslut, senaste_omprovning, beslutsdatum, verkstallt_datum,
          updated_at, closed_at, due_on, stops_on, opening_key)
        SELECT id, source, case_reference, item_type, unit_id, handlaggare, status,
          orosanmalan_mottagen, utredning_inledd, forlangning_beslutad, forlangd_till, placering_start,
          senaste_overvagande, lvu_beslut, senaste_omprovning, beslutsdatum, verkstallt_datum,
          updated_at, closed_at, due_on, stops_on,
          CASE WHEN item_type = 'barnavardsutredning' THEN COALESCE(utredning_inledd, '') ELSE '' END
        FROM casework_items_v11`,
      `DROP TABLE casework_items_v11`,
      // Named by INDEXED BY in sqlite-compilation.ts (SQLITE_COMPILATION_CASEWORK_SQL): a rebuild of
      // the table must create it again (test/store/query-plans.test.ts fails otherwise).
      `CREATE INDEX ix_casework_open_due ON casework_items (status, unit_id, due_on, item_type, stops_on)`,
      // The stored deadlines were computed by the rules before this version (no holiday shift, no
      // timely-extension check): cleared, so that the start-up backfill computes them again.
      `UPDATE casework_items SET due_on = NULL, stops_on = NULL WHERE status = 'oppen'`,
    ],
  },
  {
    version: 13,
    name: 'casework-lock-escalation',
    // SQL Server's migration 13 turns lock escalation off on casework_items. SQLite locks the whole
    // database for a write transaction and has nothing to escalate: recorded so the versions stay in step.
    statements: [],
  },
  {
    version: 14,
    name: 'casework-decisions-and-notices',
    statements: [
      // Dates the rules already read: the end of the extension before the latest one (a chain of
      // extensions), the LVU 8 § request for more time and the day the court granted, and the day
      // IVO was told a reported decision was carried out (LSS 28 g §).
      `ALTER TABLE casework_items ADD COLUMN tidigare_forlangd_till TEXT NULL`,
      `ALTER TABLE casework_items ADD COLUMN forlangning_begard TEXT NULL`,
      `ALTER TABLE casework_items ADD COLUMN ansokan_forlangd_till TEXT NULL`,
      `ALTER TABLE casework_items ADD COLUMN verkstallt_anmalt_ivo TEXT NULL`,
      `ALTER TABLE casework_items ADD COLUMN no_earlier_extension INTEGER NOT NULL DEFAULT 0`,
      `ALTER TABLE casework_items ADD COLUMN insats TEXT NULL`,
      // One reference may carry several ej verkställda beslut (two insatser): such an item is keyed
      // on its decision day from now on (and its insats, when the export gives one), as the import writes it.
      `UPDATE casework_items SET opening_key = COALESCE(beslutsdatum, '') WHERE item_type = 'ej-verkstallt-beslut' AND opening_key = ''`,
      // A reportable decision carried out is done only once IVO was told: the stored deadlines of
      // open ej verkställda beslut are cleared, so that the start-up backfill computes them again.
      `UPDATE casework_items SET due_on = NULL, stops_on = NULL WHERE status = 'oppen' AND item_type = 'ej-verkstallt-beslut'`,
    ],
  },
  {
    version: 15,
    name: 'pattern-alerts',
    // One row per (rule, scope, period) with its decision: the unique key makes an alert fire once.
    statements: [
      `CREATE TABLE pattern_alerts (
        id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        rule TEXT NOT NULL,
        scope_key TEXT NOT NULL,
        period TEXT NOT NULL,
        committee_id TEXT NOT NULL,
        unit_id TEXT NULL,
        category TEXT NULL,
        hits INTEGER NOT NULL,
        refs TEXT NOT NULL,
        fired_at TEXT NOT NULL,
        decision TEXT NULL,
        motivation TEXT NULL,
        decided_by_entra_id TEXT NULL,
        decided_by_name TEXT NULL,
        decided_at TEXT NULL,
        UNIQUE (rule, scope_key, period)
      )`,
      `CREATE INDEX ix_pattern_alerts_committee ON pattern_alerts (committee_id, fired_at)`,
      // The pattern rules read a nämnd's recent rapporter by receipt.
      `CREATE INDEX ix_reports_committee_created ON reports (committee_id, created_at)`,
    ],
  },
  {
    version: 16,
    name: 'casework-corrections-and-chains',
    statements: [
      // The day the extension before the latest one was decided: a chain of extensions rescues an
      // utredning only when its first link was decided within the four months.
      `ALTER TABLE casework_items ADD COLUMN tidigare_forlangning_beslutad TEXT NULL`,
      // The opening day a correction replaced: when an investigation was opened is what IVO and JO
      // ask, and the register must not erase it.
      `ALTER TABLE casework_items ADD COLUMN rattad_fran TEXT NULL`,
      // When the register first imported the row: only a recent one may have its opening day
      // corrected by the heuristic. Unknown (NULL) for rows imported before, which is never recent.
      `ALTER TABLE casework_items ADD COLUMN first_imported_at TEXT NULL`,
      // An open chain of extensions was rescued without its first decision's day: computed again
      // by the start-up backfill under the stricter rule.
      `UPDATE casework_items SET due_on = NULL, stops_on = NULL WHERE status = 'oppen' AND tidigare_forlangd_till IS NOT NULL`,
    ],
  },
  {
    version: 17,
    name: 'open-scope-indexes',
    // Issue #14, profiled on the bench municipality (1 M rapporter, 1 M casework items): the
    // municipality's status summary counted reopened items through every open item's row, and
    // read the open cases through every rapport of the units (`state <> 'avslutad'` seeks
    // nothing). Reopened items are few, so an index led by the flag finds them; the open cases
    // get a partial index holding only them, which listOpenCases names (INDEXED BY): without
    // statistics the planner prefers ix_reports_unit (test/store/query-plans.test.ts).
    statements: [
      `CREATE INDEX ix_casework_reopened ON casework_items (reopened, status, unit_id)`,
      `CREATE INDEX ix_reports_open_unit ON reports (unit_id, created_at, id) WHERE state <> 'avslutad'`,
    ],
  },
  {
    version: 18,
    name: 'stored-case-clocks',
    // Issue #14: the status summary computed every open case's clock (31,000 in the bench
    // municipality) to count them. Each case now keeps its running clock (kind, last day, weight),
    // computed by the cases capability from the facts and counted with an index. facts_version
    // grows with every change of the facts a clock reads (the guarded case changes), and
    // clock_stale marks a case whose stored clock is not yet computed for them: set on every new
    // report and every change, cleared only by a store of the same version (a change in between
    // keeps it stale). A row is stale by default: one inserted by a writer that does not know
    // these columns (an older instance in a rolling upgrade) is then computed, not left out of
    // every count. Closed cases run no clock, so they start fresh; the open ones are stale now,
    // and the first summary computes them.
    statements: [
      `ALTER TABLE reports ADD COLUMN facts_version INTEGER NOT NULL DEFAULT 0`,
      `ALTER TABLE reports ADD COLUMN clock_stale INTEGER NOT NULL DEFAULT 1`,
      `ALTER TABLE reports ADD COLUMN clock_kind TEXT`,
      `ALTER TABLE reports ADD COLUMN clock_due_on TEXT`,
      `ALTER TABLE reports ADD COLUMN clock_weight TEXT`,
      `UPDATE reports SET clock_stale = 0 WHERE state = 'avslutad'`,
      `CREATE INDEX ix_reports_clock_stale ON reports (unit_id) WHERE clock_stale = 1`,
      `CREATE INDEX ix_reports_open_clock ON reports (unit_id, clock_kind, clock_due_on, clock_weight) WHERE state <> 'avslutad'`,
    ],
  },
  {
    version: 19,
    name: 'casework-urgent-index',
    // Issue #14: the summary's casework count read every open item of the scope (700,000 in the
    // bench municipality), because the urgent types count whatever their due day and that OR
    // defeats the due-day range of ix_casework_open_due. The count is now two ranges, and the
    // urgent types' part (due after the approaching window) seeks by type first here.
    // The open cases' clock index gets the reference and the state too: the late list and the
    // counts then read it alone, not a table row per open case.
    statements: [
      `CREATE INDEX ix_casework_open_type_due ON casework_items (status, item_type, unit_id, due_on, stops_on)`,
      `DROP INDEX ix_reports_open_clock`,
      `CREATE INDEX ix_reports_open_clock ON reports (unit_id, clock_kind, clock_due_on, clock_weight, reference, state) WHERE state <> 'avslutad'`,
    ],
  },
  {
    version: 20,
    name: 'casework-review-ranks',
    // Issue #14: the weekly review computed every open casework item's clock (5,000 in a large
    // unit) to show 12. Each item now keeps its clock as the review ranks it (src/casework/review-rank.ts):
    // the kind, the due day, the weight, whether it is never "i tid", and the days over which that
    // holds; review_of is the updated_at it was computed from, so a row written since (by any
    // writer, an older instance included) is computed again. The review sorts, counts and pages
    // with the index; nothing is computed here: every rank starts unknown (NULL).
    statements: [
      `ALTER TABLE casework_items ADD COLUMN review_kind TEXT`,
      `ALTER TABLE casework_items ADD COLUMN review_due_on TEXT`,
      `ALTER TABLE casework_items ADD COLUMN review_weight TEXT`,
      `ALTER TABLE casework_items ADD COLUMN review_from_start INTEGER NOT NULL DEFAULT 0`,
      `ALTER TABLE casework_items ADD COLUMN review_valid_from TEXT`,
      `ALTER TABLE casework_items ADD COLUMN review_valid_until TEXT`,
      `ALTER TABLE casework_items ADD COLUMN review_of TEXT`,
      `CREATE INDEX ix_casework_review ON casework_items (unit_id, status, review_due_on, review_kind, review_weight, review_from_start, review_valid_from, review_valid_until, review_of, updated_at)`,
    ],
  },
  {
    version: 21,
    name: 'casework-review-classes',
    // Issue #14: ranking each of a unit's 5,000 rows in the count (a CASE and a freshness test per
    // row) cost more than the rest of the review's turn. Each ranked row now also keeps its class
    // (src/store/review-classes.ts), indexed before the due day, so that a rank is a few index range
    // counts; the rows whose rank does not hold are found from three small indexes of their own
    // (never ranked or written since; out of their days). Rows ranked under migration 20 have no
    // class yet: they are stale, and ranked again when their unit is next reviewed.
    statements: [
      `ALTER TABLE casework_items ADD COLUMN review_class INTEGER`,
      `DROP INDEX ix_casework_review`,
      `CREATE INDEX ix_casework_review_rank ON casework_items (unit_id, review_class, review_due_on) WHERE status = 'oppen'`,
      `CREATE INDEX ix_casework_review_stale ON casework_items (unit_id) WHERE status = 'oppen' AND (review_class IS NULL OR review_kind IS NULL OR review_valid_from IS NULL OR review_of IS NULL OR review_of <> updated_at)`,
      `CREATE INDEX ix_casework_review_until ON casework_items (unit_id, review_valid_until) WHERE status = 'oppen' AND review_valid_until IS NOT NULL`,
      `CREATE INDEX ix_casework_review_from ON casework_items (unit_id, review_valid_from) WHERE status = 'oppen'`,
    ],
  },
  {
    version: 22,
    name: 'case-actions-done-by',
    // Issue #16: an åtgärd can be marked genomförd (done_at has been there since migration 3, but
    // nothing set it, so the nämnd's sammanställning counted none done); the case card says by whom.
    statements: [`ALTER TABLE case_actions ADD COLUMN done_by_entra_id TEXT NULL`, `ALTER TABLE case_actions ADD COLUMN done_by_name TEXT NULL`],
  },
  {
    version: 23,
    name: 'reports-review-clock-index',
    // Issue #14: the review counts a unit's open cases per rank, and an overdue case's rank is its
    // weight: with the weight before the due day every rank is a range count (migration 18's index
    // has the due day first, for the status summary, so the weight was tested per overdue row).
    statements: [`CREATE INDEX ix_reports_review_clock ON reports (unit_id, clock_kind, clock_weight, clock_due_on, state) WHERE state <> 'avslutad'`],
  },
];

import type { Migration } from '../migration';

/**
 * SQL Server schema (T-SQL). Keep in step with ../sqlite/migrations.ts: same versions, same names,
 * same tables, columns, keys and indexes. Each statement is sent as its own batch (no GO).
 *
 * Conventions:
 * - Timestamps are DATETIME2(3), written and read as UTC by the adapter; booleans are BIT.
 * - Identifier columns (keys, ids, scopes) use the binary collation Latin1_General_100_BIN2 so that
 *   they compare case-sensitively, like SQLite's TEXT does. Under the usual case-insensitive database
 *   collation two state keys or conversation ids differing only in case would collide. Columns that
 *   join or reference each other share that collation (a foreign key requires it).
 * - Lengths keep every index key within SQL Server's limits (900 bytes clustered, 1700 bytes
 *   nonclustered; NVARCHAR takes 2 bytes a character). Entra object ids and tenant ids are GUIDs
 *   (36 characters), hence NVARCHAR(100); directory ids are at most 63 characters, hence
 *   NVARCHAR(200). The adapter checks lengths before writing, so an over-long value fails with a
 *   clear message instead of a truncation error. If you change a length here, change MSSQL_LIMITS in
 *   mssql-store.ts or MSSQL_REPORT_LIMITS in mssql-report-sql.ts too.
 * - Constraints are named, so that later migrations can drop or alter them by name. Defaults are
 *   added with ALTER TABLE … ADD CONSTRAINT … DEFAULT … FOR …, and foreign keys with ALTER TABLE …
 *   ADD CONSTRAINT … FOREIGN KEY, in separate statements (see test/store/mssql-sql.test.ts for why).
 */
export const mssqlMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'foundation',
    statements: [
      `CREATE TABLE bot_state (
        state_key NVARCHAR(400) COLLATE Latin1_General_100_BIN2 NOT NULL,
        value NVARCHAR(MAX) NOT NULL,
        etag NVARCHAR(100) NOT NULL,
        updated_at DATETIME2(3) NOT NULL,
        CONSTRAINT pk_bot_state PRIMARY KEY (state_key)
      )`,
      `CREATE TABLE conversation_refs (
        tenant_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        aad_object_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        scope NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL,
        conversation_id NVARCHAR(400) COLLATE Latin1_General_100_BIN2 NOT NULL,
        service_url NVARCHAR(1000) NOT NULL,
        channel_id NVARCHAR(100) NOT NULL,
        bot_id NVARCHAR(400) NOT NULL,
        user_id NVARCHAR(400) NOT NULL,
        user_name NVARCHAR(400) NULL,
        active BIT NOT NULL,
        inactive_reason NVARCHAR(1000) NULL,
        updated_at DATETIME2(3) NOT NULL,
        CONSTRAINT pk_conversation_refs PRIMARY KEY (tenant_id, aad_object_id, scope)
      )`,
      `ALTER TABLE conversation_refs ADD CONSTRAINT df_conversation_refs_active DEFAULT 1 FOR active`,
      `CREATE INDEX ix_conversation_refs_conversation ON conversation_refs (tenant_id, conversation_id)`,
      `CREATE INDEX ix_conversation_refs_user ON conversation_refs (aad_object_id)`,
      `CREATE TABLE org_meta (
        id INT NOT NULL,
        municipality NVARCHAR(400) NOT NULL,
        synced_at DATETIME2(3) NOT NULL,
        CONSTRAINT pk_org_meta PRIMARY KEY (id),
        CONSTRAINT ck_org_meta_single_row CHECK (id = 1)
      )`,
      `CREATE TABLE committees (
        id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
        name NVARCHAR(400) NOT NULL,
        ordinal INT NOT NULL,
        active BIT NOT NULL,
        updated_at DATETIME2(3) NOT NULL,
        CONSTRAINT pk_committees PRIMARY KEY (id)
      )`,
      `ALTER TABLE committees ADD CONSTRAINT df_committees_active DEFAULT 1 FOR active`,
      `CREATE TABLE units (
        id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
        committee_id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
        name NVARCHAR(400) NOT NULL,
        area NVARCHAR(50) NOT NULL,
        ordinal INT NOT NULL,
        active BIT NOT NULL,
        updated_at DATETIME2(3) NOT NULL,
        CONSTRAINT pk_units PRIMARY KEY (id)
      )`,
      `ALTER TABLE units ADD CONSTRAINT df_units_active DEFAULT 1 FOR active`,
      `ALTER TABLE units ADD CONSTRAINT fk_units_committee FOREIGN KEY (committee_id) REFERENCES committees (id)`,
      `CREATE INDEX ix_units_committee ON units (committee_id)`,
      `CREATE TABLE people (
        entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        name NVARCHAR(400) NOT NULL,
        email NVARCHAR(320) NULL,
        ordinal INT NOT NULL,
        active BIT NOT NULL,
        updated_at DATETIME2(3) NOT NULL,
        CONSTRAINT pk_people PRIMARY KEY (entra_id)
      )`,
      `ALTER TABLE people ADD CONSTRAINT df_people_active DEFAULT 1 FOR active`,
      `CREATE TABLE role_assignments (
        entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        role NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL,
        scope_id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
        ordinal INT NOT NULL,
        CONSTRAINT pk_role_assignments PRIMARY KEY (entra_id, role, scope_id)
      )`,
      `ALTER TABLE role_assignments ADD CONSTRAINT fk_role_assignments_person FOREIGN KEY (entra_id) REFERENCES people (entra_id)`,
      `CREATE INDEX ix_role_assignments_scope ON role_assignments (role, scope_id)`,
    ],
  },
  {
    version: 2,
    name: 'reports-audit-markers',
    // Lengths of the report texts follow src/reports/form.ts LIMITS; keep MSSQL_REPORT_LIMITS in
    // mssql-reports.ts in step. Ids are INT/BIGINT IDENTITY: the mssql driver returns BIGINT as a
    // string, so reports.id (returned to callers as a number) is INT; audit_log.id is never read.
    statements: [
      `CREATE TABLE reference_counters (
        prefix NVARCHAR(10) COLLATE Latin1_General_100_BIN2 NOT NULL,
        year INT NOT NULL,
        last_seq INT NOT NULL,
        CONSTRAINT pk_reference_counters PRIMARY KEY (prefix, year)
      )`,
      `CREATE TABLE reports (
        id INT IDENTITY(1, 1) NOT NULL,
        reference NVARCHAR(40) COLLATE Latin1_General_100_BIN2 NOT NULL,
        year INT NOT NULL,
        seq INT NOT NULL,
        form_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        unit_id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
        committee_id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
        reporter_entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        reporter_name NVARCHAR(400) NOT NULL,
        occurred_at DATETIME2(3) NOT NULL,
        occurred_time_known BIT NOT NULL,
        noticed_at DATETIME2(3) NOT NULL,
        noticed_time_known BIT NOT NULL,
        location NVARCHAR(200) NOT NULL,
        category NVARCHAR(50) COLLATE Latin1_General_100_BIN2 NOT NULL,
        what_happened NVARCHAR(4000) NOT NULL,
        consequences NVARCHAR(4000) NOT NULL,
        immediate_actions NVARCHAR(4000) NOT NULL,
        informed NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL,
        risk_hurt NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL,
        risk_ongoing NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL,
        risk_vulnerable NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL,
        risk_crime NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL,
        risk_before NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL,
        case_reference NVARCHAR(40) NULL,
        urgent BIT NOT NULL,
        state NVARCHAR(40) COLLATE Latin1_General_100_BIN2 NOT NULL,
        created_at DATETIME2(3) NOT NULL,
        updated_at DATETIME2(3) NOT NULL,
        CONSTRAINT pk_reports PRIMARY KEY (id),
        CONSTRAINT uq_reports_reference UNIQUE (reference),
        CONSTRAINT uq_reports_form_id UNIQUE (form_id),
        CONSTRAINT uq_reports_year_seq UNIQUE (year, seq)
      )`,
      `ALTER TABLE reports ADD CONSTRAINT fk_reports_unit FOREIGN KEY (unit_id) REFERENCES units (id)`,
      `ALTER TABLE reports ADD CONSTRAINT fk_reports_committee FOREIGN KEY (committee_id) REFERENCES committees (id)`,
      `CREATE INDEX ix_reports_reporter ON reports (reporter_entra_id, created_at)`,
      `CREATE INDEX ix_reports_unit ON reports (unit_id, created_at)`,
      `CREATE INDEX ix_reports_committee_state ON reports (committee_id, state)`,
      `CREATE TABLE report_notifications (
        report_id INT NOT NULL,
        recipient_entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        kind NVARCHAR(40) COLLATE Latin1_General_100_BIN2 NOT NULL,
        recipient_name NVARCHAR(400) NOT NULL,
        status NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL,
        error NVARCHAR(1000) NULL,
        at DATETIME2(3) NOT NULL,
        CONSTRAINT pk_report_notifications PRIMARY KEY (report_id, recipient_entra_id, kind)
      )`,
      `ALTER TABLE report_notifications ADD CONSTRAINT fk_report_notifications_report FOREIGN KEY (report_id) REFERENCES reports (id)`,
      `CREATE TABLE audit_log (
        id BIGINT IDENTITY(1, 1) NOT NULL,
        at DATETIME2(3) NOT NULL,
        actor_entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        action NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        entity_type NVARCHAR(50) COLLATE Latin1_General_100_BIN2 NOT NULL,
        entity_ref NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
        detail NVARCHAR(1000) NULL,
        CONSTRAINT pk_audit_log PRIMARY KEY (id)
      )`,
      `CREATE INDEX ix_audit_entity ON audit_log (entity_ref, at)`,
      `CREATE INDEX ix_audit_actor ON audit_log (actor_entra_id, at)`,
      `CREATE TABLE once_markers (
        marker_key NVARCHAR(400) COLLATE Latin1_General_100_BIN2 NOT NULL,
        claimed_at DATETIME2(3) NOT NULL,
        CONSTRAINT pk_once_markers PRIMARY KEY (marker_key)
      )`,
    ],
  },
  {
    version: 3,
    name: 'lex-sarah-cases',
    // Keep MSSQL_CASE_LIMITS in mssql-cases.ts in step with the NVARCHAR lengths here. Free texts
    // (entries, motivations, decision texts) and the JSON of the decision are NVARCHAR(MAX): no
    // form limits them yet, and a long investigation note must not be refused. ISO calendar dates
    // (filed_on, investigation_sent_on, due_on) are DATE: the adapter binds them as 'YYYY-MM-DD'
    // text (unambiguous for DATE whatever the session's DATEFORMAT or language) and reads them back
    // with CONVERT(NVARCHAR(10), …, 23), which gives 'YYYY-MM-DD' again. Ids that the adapter
    // returns are INT IDENTITY (BIGINT would come back as a string).
    statements: [
      `CREATE TABLE case_investigations (
        report_id INT NOT NULL,
        utredare_entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        utredare_name NVARCHAR(400) NOT NULL,
        started_at DATETIME2(3) NOT NULL,
        CONSTRAINT pk_case_investigations PRIMARY KEY (report_id)
      )`,
      `ALTER TABLE case_investigations ADD CONSTRAINT fk_case_investigations_report FOREIGN KEY (report_id) REFERENCES reports (id)`,
      `CREATE TABLE case_decisions (
        id INT IDENTITY(1, 1) NOT NULL,
        report_id INT NOT NULL,
        answers_json NVARCHAR(MAX) NOT NULL,
        recommended_outcome NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        recommendation_json NVARCHAR(MAX) NOT NULL,
        decided_outcome NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        requires_anmalan BIT NOT NULL,
        motivation NVARCHAR(MAX) NULL,
        decided_by_entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        decided_by_name NVARCHAR(400) NOT NULL,
        decided_at DATETIME2(3) NOT NULL,
        CONSTRAINT pk_case_decisions PRIMARY KEY (id)
      )`,
      `ALTER TABLE case_decisions ADD CONSTRAINT fk_case_decisions_report FOREIGN KEY (report_id) REFERENCES reports (id)`,
      `CREATE INDEX ix_case_decisions_report ON case_decisions (report_id, id)`,
      `CREATE TABLE case_filings (
        report_id INT NOT NULL,
        filed_on DATE NOT NULL,
        ivo_diarienummer NVARCHAR(100) NOT NULL,
        investigation_attached BIT NOT NULL,
        investigation_sent_on DATE NULL,
        recorded_by_entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        recorded_by_name NVARCHAR(400) NOT NULL,
        recorded_at DATETIME2(3) NOT NULL,
        CONSTRAINT pk_case_filings PRIMARY KEY (report_id)
      )`,
      `ALTER TABLE case_filings ADD CONSTRAINT fk_case_filings_report FOREIGN KEY (report_id) REFERENCES reports (id)`,
      `CREATE TABLE case_closings (
        report_id INT NOT NULL,
        decision_text NVARCHAR(MAX) NOT NULL,
        motivation NVARCHAR(MAX) NULL,
        closed_by_entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        closed_by_name NVARCHAR(400) NOT NULL,
        closed_at DATETIME2(3) NOT NULL,
        CONSTRAINT pk_case_closings PRIMARY KEY (report_id)
      )`,
      `ALTER TABLE case_closings ADD CONSTRAINT fk_case_closings_report FOREIGN KEY (report_id) REFERENCES reports (id)`,
      `CREATE TABLE case_entries (
        id INT IDENTITY(1, 1) NOT NULL,
        report_id INT NOT NULL,
        item NVARCHAR(50) COLLATE Latin1_General_100_BIN2 NOT NULL,
        entry_text NVARCHAR(MAX) NOT NULL,
        kind NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL,
        source NVARCHAR(1000) NOT NULL,
        author_entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        author_name NVARCHAR(400) NOT NULL,
        documented_at DATETIME2(3) NOT NULL,
        CONSTRAINT pk_case_entries PRIMARY KEY (id)
      )`,
      `ALTER TABLE case_entries ADD CONSTRAINT fk_case_entries_report FOREIGN KEY (report_id) REFERENCES reports (id)`,
      `CREATE INDEX ix_case_entries_report ON case_entries (report_id, id)`,
      `CREATE TABLE case_actions (
        id INT IDENTITY(1, 1) NOT NULL,
        report_id INT NOT NULL,
        action_text NVARCHAR(4000) NOT NULL,
        owner_entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        owner_name NVARCHAR(400) NOT NULL,
        due_on DATE NOT NULL,
        done_at DATETIME2(3) NULL,
        created_by_entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        created_at DATETIME2(3) NOT NULL,
        CONSTRAINT pk_case_actions PRIMARY KEY (id)
      )`,
      `ALTER TABLE case_actions ADD CONSTRAINT fk_case_actions_report FOREIGN KEY (report_id) REFERENCES reports (id)`,
      `CREATE INDEX ix_case_actions_report ON case_actions (report_id, id)`,
      `CREATE TABLE case_events (
        id INT IDENTITY(1, 1) NOT NULL,
        report_id INT NOT NULL,
        event NVARCHAR(50) COLLATE Latin1_General_100_BIN2 NOT NULL,
        from_state NVARCHAR(40) COLLATE Latin1_General_100_BIN2 NOT NULL,
        to_state NVARCHAR(40) COLLATE Latin1_General_100_BIN2 NOT NULL,
        actor_entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        actor_name NVARCHAR(400) NOT NULL,
        at DATETIME2(3) NOT NULL,
        detail NVARCHAR(1000) NULL,
        CONSTRAINT pk_case_events PRIMARY KEY (id)
      )`,
      `ALTER TABLE case_events ADD CONSTRAINT fk_case_events_report FOREIGN KEY (report_id) REFERENCES reports (id)`,
      `CREATE INDEX ix_case_events_report ON case_events (report_id, id)`,
    ],
  },
  {
    version: 4,
    name: 'casework-register',
    // Keep MSSQL_CASEWORK_LIMITS in mssql-casework.ts in step with the NVARCHAR lengths here. The
    // text columns are binary-collated, so that the upsert key (source, case_reference) and the
    // change detection compare case-sensitively, as SQLite does, and listOpen() sorts like SQLite.
    // The unique key is 2 × (100 + 200) = 600 bytes, within the 1,700-byte nonclustered limit. The
    // ISO calendar dates are DATE, bound as 'YYYY-MM-DD' text and read back with
    // CONVERT(NVARCHAR(10), …, 23), as in migration 3. casework_items.id is returned to callers,
    // hence INT IDENTITY; casework_imports is a log that is never read back.
    statements: [
      `CREATE TABLE casework_items (
        id INT IDENTITY(1, 1) NOT NULL,
        source NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        case_reference NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
        item_type NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        unit_id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
        handlaggare NVARCHAR(320) COLLATE Latin1_General_100_BIN2 NULL,
        status NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL,
        orosanmalan_mottagen DATE NULL,
        utredning_inledd DATE NULL,
        forlangning_beslutad DATE NULL,
        forlangd_till DATE NULL,
        placering_start DATE NULL,
        senaste_overvagande DATE NULL,
        lvu_beslut DATE NULL,
        senaste_omprovning DATE NULL,
        beslutsdatum DATE NULL,
        verkstallt_datum DATE NULL,
        updated_at DATETIME2(3) NOT NULL,
        closed_at DATETIME2(3) NULL,
        CONSTRAINT pk_casework_items PRIMARY KEY (id),
        CONSTRAINT uq_casework_items_source_reference UNIQUE (source, case_reference)
      )`,
      `CREATE INDEX ix_casework_unit_status ON casework_items (status, unit_id)`,
      `CREATE TABLE casework_imports (
        id INT IDENTITY(1, 1) NOT NULL,
        source NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        at DATETIME2(3) NOT NULL,
        actor NVARCHAR(400) NOT NULL,
        full_import BIT NOT NULL,
        rows_in_file INT NOT NULL,
        inserted INT NOT NULL,
        updated INT NOT NULL,
        unchanged INT NOT NULL,
        closed INT NOT NULL,
        CONSTRAINT pk_casework_imports PRIMARY KEY (id)
      )`,
    ],
  },
  {
    version: 5,
    name: 'weekly-reviews',
    // Keep the review lengths in MSSQL_CASE_LIMITS in mssql-cases.ts in step. unit_id is sized and
    // collated as units.id and reports.unit_id; week_key ('2026-W48') is binary-collated too, so the
    // key compares exactly as SQLite's does. The primary key is 2 × (200 + 20) = 440 bytes, within
    // the 900-byte clustered limit. As in SQLite there is no foreign key to units (units are only
    // ever archived, and the store keeps the record whatever the directory says). comment holds
    // what the review card accepts (src/review/service.ts cuts it to 1,000 characters).
    statements: [
      `CREATE TABLE review_records (
        unit_id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
        week_key NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL,
        done_by_entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        done_by_name NVARCHAR(400) NOT NULL,
        done_at DATETIME2(3) NOT NULL,
        comment NVARCHAR(1000) NULL,
        CONSTRAINT pk_review_records PRIMARY KEY (unit_id, week_key)
      )`,
    ],
  },
  {
    version: 6,
    name: 'review-snoozes',
    // "Påminn mig senare" on the weekly review card. Keep the lengths in MSSQL_CASE_LIMITS in
    // mssql-cases.ts in step. unit_id and week_key are sized and collated as in review_records,
    // entra_id as every other Entra id; all three are binary-collated, so the key compares exactly
    // as SQLite's does. until_at is part of the key; DATETIME2(3) holds a JavaScript Date exactly
    // (millisecond precision), so markSnoozeSent() finds the row by the value dueSnoozes() read.
    // The primary key is 2 × (200 + 20 + 100) + 7 = 647 bytes, within the 900-byte clustered
    // limit. As in SQLite there is no foreign key to units.
    statements: [
      `CREATE TABLE review_snoozes (
        unit_id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
        week_key NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL,
        entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        until_at DATETIME2(3) NOT NULL,
        sent_at DATETIME2(3) NULL,
        CONSTRAINT pk_review_snoozes PRIMARY KEY (unit_id, week_key, entra_id, until_at)
      )`,
      `CREATE INDEX ix_review_snoozes_due ON review_snoozes (sent_at, until_at)`,
    ],
  },
  {
    version: 7,
    name: 'work-leases',
    // StateStore.claimLease()/completeLease(): one row per piece of work, held by one instance
    // until lease_until; done_at is set once the work is done. work_key is sized and collated like
    // once_markers.marker_key (keep MSSQL_LIMITS.workKey in mssql-store.ts in step); the primary key
    // is 2 × 400 = 800 bytes, within the 900-byte clustered limit.
    statements: [
      `CREATE TABLE work_leases (
        work_key NVARCHAR(400) COLLATE Latin1_General_100_BIN2 NOT NULL,
        lease_until DATETIME2(3) NOT NULL,
        attempts INT NOT NULL,
        done_at DATETIME2(3) NULL,
        CONSTRAINT pk_work_leases PRIMARY KEY (work_key)
      )`,
    ],
  },
  {
    version: 8,
    name: 'status-summaries',
    // The managers' status summary counts with indexed aggregates (see ../status.ts).
    // casework_items.due_on and stops_on are the clock's last day and stop day, computed by the
    // casework rules when an item is written; DATE like the item's other ISO dates (migration 4).
    // ix_casework_open_due starts with (status, unit_id), so it replaces ix_casework_unit_status;
    // its key is 2 × (20 + 200 + 100) + 2 × 3 = 646 bytes. ix_reports_state_unit is
    // 2 × (40 + 200) = 480 bytes. delivery_failures is a log the adapter never returns ids of,
    // hence BIGINT IDENTITY as audit_log; its columns are sized and collated as those of
    // report_notifications and audit_log (keep MSSQL_STATUS_LIMITS in mssql-status.ts in step).
    // purpose is 'new-report', 'case-reminder' or 'review-reminder'.
    statements: [
      `ALTER TABLE casework_items ADD due_on DATE NULL`,
      `ALTER TABLE casework_items ADD stops_on DATE NULL`,
      `DROP INDEX ix_casework_unit_status ON casework_items`,
      `CREATE INDEX ix_casework_open_due ON casework_items (status, unit_id, due_on, item_type, stops_on)`,
      `CREATE INDEX ix_reports_state_unit ON reports (state, unit_id)`,
      `CREATE INDEX ix_case_filings_filed_on ON case_filings (filed_on, report_id)`,
      `CREATE TABLE delivery_failures (
        id BIGINT IDENTITY(1, 1) NOT NULL,
        at DATETIME2(3) NOT NULL,
        recipient_entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        recipient_name NVARCHAR(400) NOT NULL,
        unit_id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
        committee_id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
        purpose NVARCHAR(40) COLLATE Latin1_General_100_BIN2 NOT NULL,
        entity_ref NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
        status NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL,
        error NVARCHAR(1000) NULL,
        CONSTRAINT pk_delivery_failures PRIMARY KEY (id)
      )`,
      `CREATE INDEX ix_delivery_failures_unit ON delivery_failures (unit_id, at)`,
    ],
  },
  {
    version: 9,
    name: 'issued-forms',
    // report_forms: which person, in which conversation, a report form id was issued to. Sized and
    // collated as reports.form_id, people.entra_id and conversation_refs.conversation_id (keep
    // MSSQL_REPORT_LIMITS in step). The step-form ids of case_entries and case_actions are unique
    // per report where given (filtered unique indexes: older rows have none), so a double submit
    // of one form stores one row; the key is 4 + 2 × 100 = 204 bytes.
    statements: [
      `CREATE TABLE report_forms (
        form_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        reporter_entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        conversation_id NVARCHAR(400) COLLATE Latin1_General_100_BIN2 NOT NULL,
        issued_at DATETIME2(3) NOT NULL,
        CONSTRAINT pk_report_forms PRIMARY KEY (form_id)
      )`,
      `ALTER TABLE case_entries ADD form_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NULL`,
      `CREATE UNIQUE INDEX uq_case_entries_form ON case_entries (report_id, form_id) WHERE form_id IS NOT NULL`,
      `ALTER TABLE case_actions ADD form_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NULL`,
      `CREATE UNIQUE INDEX uq_case_actions_form ON case_actions (report_id, form_id) WHERE form_id IS NOT NULL`,
    ],
  },
  {
    version: 10,
    name: 'outbox',
    // The outbox (../outbox.ts) and the shared rate limit. Keep the lengths in MSSQL_OUTBOX_LIMITS
    // in mssql-outbox.ts in step. Ids, keys, purposes and states are binary-collated like the rest;
    // recipient_entra_id, unit_id, committee_id and entity_ref are sized as in delivery_failures.
    // id is INT (the driver returns BIGINT as text). priority is TINYINT: 0 interactive, 1 bulk.
    // uq_outbox_key is 2 × 400 = 800 bytes (nonclustered limit 1700); ix_outbox_due serves the
    // claim's seek on state = 'pending' in (priority, next_attempt_at) order, 2 × 20 + 1 + 8 bytes;
    // ix_outbox_entity is 2 × (200 + 40) = 480 bytes. No foreign keys: a message may be about a
    // report, a case or a unit's week. rate_limits.tokens is FLOAT (53 bits, as SQLite's REAL).
    statements: [
      `CREATE TABLE outbox (
        id INT IDENTITY(1, 1) NOT NULL,
        message_key NVARCHAR(400) COLLATE Latin1_General_100_BIN2 NOT NULL,
        recipient_entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        recipient_name NVARCHAR(400) NOT NULL,
        purpose NVARCHAR(40) COLLATE Latin1_General_100_BIN2 NOT NULL,
        entity_ref NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
        unit_id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NULL,
        committee_id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NULL,
        card_json NVARCHAR(MAX) NOT NULL,
        priority TINYINT NOT NULL,
        not_before DATETIME2(3) NOT NULL,
        created_at DATETIME2(3) NOT NULL,
        replaces_activity_id NVARCHAR(400) COLLATE Latin1_General_100_BIN2 NULL,
        on_undeliverable NVARCHAR(MAX) NULL,
        state NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL,
        attempts INT NOT NULL,
        next_attempt_at DATETIME2(3) NOT NULL,
        lease_owner NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NULL,
        lease_until DATETIME2(3) NULL,
        last_error NVARCHAR(1000) NULL,
        activity_id NVARCHAR(400) COLLATE Latin1_General_100_BIN2 NULL,
        finished_at DATETIME2(3) NULL,
        CONSTRAINT pk_outbox PRIMARY KEY (id)
      )`,
      `CREATE UNIQUE INDEX uq_outbox_key ON outbox (message_key)`,
      `CREATE INDEX ix_outbox_due ON outbox (state, priority, next_attempt_at)`,
      `CREATE INDEX ix_outbox_entity ON outbox (entity_ref, purpose)`,
      `CREATE TABLE rate_limits (
        bucket_key NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
        tokens FLOAT NOT NULL,
        updated_at DATETIME2(3) NOT NULL,
        CONSTRAINT pk_rate_limits PRIMARY KEY (bucket_key)
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
    // See SQLite's migration 12: every opening of an investigation is kept, one clock per type and
    // reference. The new key is 2 × (100 + 200 + 100 + 10) = 820 bytes, within the nonclustered limit.
    statements: [
      `ALTER TABLE casework_items ADD understallt_datum DATE NULL`,
      `ALTER TABLE casework_items ADD omhandertagande_verkstallt DATE NULL`,
      `ALTER TABLE casework_items ADD ansokan_inlamnad DATE NULL`,
      `ALTER TABLE casework_items ADD laga_kraft DATE NULL`,
      `ALTER TABLE casework_items ADD vard_paborjad DATE NULL`,
      `ALTER TABLE casework_items ADD rapporterad_ivo DATE NULL`,
      `ALTER TABLE casework_items ADD avbrott_datum DATE NULL`,
      `ALTER TABLE casework_items ADD forsta_inledd DATE NULL`,
      `ALTER TABLE casework_items ADD judgment BIT NULL`,
      `ALTER TABLE casework_items ADD new_investigation BIT NULL`,
      `ALTER TABLE casework_items ADD reopened BIT NULL`,
      `ALTER TABLE casework_items ADD opening_key NVARCHAR(10) COLLATE Latin1_General_100_BIN2 NULL`,
      `UPDATE casework_items SET judgment = 0, new_investigation = 0, reopened = 0,
        opening_key = CASE WHEN item_type = N'barnavardsutredning' AND utredning_inledd IS NOT NULL
          THEN CONVERT(NVARCHAR(10), utredning_inledd, 23) ELSE N'' END`,
      `ALTER TABLE casework_items ALTER COLUMN judgment BIT NOT NULL`,
      `ALTER TABLE casework_items ALTER COLUMN new_investigation BIT NOT NULL`,
      `ALTER TABLE casework_items ALTER COLUMN reopened BIT NOT NULL`,
      `ALTER TABLE casework_items ALTER COLUMN opening_key NVARCHAR(10) COLLATE Latin1_General_100_BIN2 NOT NULL`,
      `ALTER TABLE casework_items ADD CONSTRAINT df_casework_items_judgment DEFAULT 0 FOR judgment`,
      `ALTER TABLE casework_items ADD CONSTRAINT df_casework_items_new_investigation DEFAULT 0 FOR new_investigation`,
      `ALTER TABLE casework_items ADD CONSTRAINT df_casework_items_reopened DEFAULT 0 FOR reopened`,
      `ALTER TABLE casework_items ADD CONSTRAINT df_casework_items_opening_key DEFAULT N'' FOR opening_key`,
      `ALTER TABLE casework_items DROP CONSTRAINT uq_casework_items_source_reference`,
      `ALTER TABLE casework_items ADD CONSTRAINT uq_casework_items_opening UNIQUE (source, case_reference, item_type, opening_key)`,
      // As SQLite's: deadlines stored by the earlier rules are cleared for the start-up backfill.
      `UPDATE casework_items SET due_on = NULL, stops_on = NULL WHERE status = N'oppen'`,
    ],
  },
  {
    version: 13,
    name: 'casework-lock-escalation',
    // An import writes a source's rows set-based in one transaction (all or nothing, as the
    // contract requires); a statement that locks 5,000 rows of one index is escalated to an X lock
    // on the whole table, which then blocks every other writer of casework_items (imports of other
    // sources, setDeadlines) until the import commits, whatever the per-source applock allows.
    // Disabled instead of batching the statements: inside the one transaction the batches would
    // hold the same row locks to the end, and would stay under the threshold only while each
    // plan's locks did. The cost is lock memory, about 128 bytes per row and index written: some
    // 40 MB for the first load of a 100,000-row export, far less for a nightly one (mostly
    // unchanged rows, which are not written). A later migration that rewrites the whole table holds
    // a lock per row too; batch it, or set LOCK_ESCALATION = TABLE for its length. Readers are not
    // affected either way (READ_COMMITTED_SNAPSHOT and SNAPSHOT read row versions). SQLite has no
    // row locks: its migration 13 is empty, recorded so that the versions stay in step.
    statements: [`ALTER TABLE casework_items SET (LOCK_ESCALATION = DISABLE)`],
  },
  {
    version: 14,
    name: 'casework-decisions-and-notices',
    // See SQLite's migration 14. The flag is added NOT NULL with its default in one statement (a
    // metadata change where the edition allows it, rather than an UPDATE of every row holding a
    // lock per row, see migration 13), naming the default constraint so that a later migration can
    // drop it by name (a server-named one differs per database). Named here, in 14 itself: it has
    // run on no live server.
    // The opening key grows to 80 characters for an ej verkställt beslut's decision day and insats:
    // lengthening a variable-length column is allowed under its unique constraint, and the key,
    // 2 × (100 + 200 + 100 + 80) = 960 bytes, stays within the nonclustered limit (1,700).
    // Only ej verkställda beslut are rewritten, so the row locks stay few.
    statements: [
      `ALTER TABLE casework_items ADD tidigare_forlangd_till DATE NULL`,
      `ALTER TABLE casework_items ADD forlangning_begard DATE NULL`,
      `ALTER TABLE casework_items ADD ansokan_forlangd_till DATE NULL`,
      `ALTER TABLE casework_items ADD verkstallt_anmalt_ivo DATE NULL`,
      `ALTER TABLE casework_items ADD no_earlier_extension BIT NOT NULL CONSTRAINT df_casework_items_no_earlier_extension DEFAULT 0`,
      `ALTER TABLE casework_items ADD insats NVARCHAR(60) COLLATE Latin1_General_100_BIN2 NULL`,
      `ALTER TABLE casework_items ALTER COLUMN opening_key NVARCHAR(80) COLLATE Latin1_General_100_BIN2 NOT NULL`,
      `UPDATE casework_items SET opening_key = CONVERT(NVARCHAR(10), beslutsdatum, 23)
        WHERE item_type = N'ej-verkstallt-beslut' AND opening_key = N'' AND beslutsdatum IS NOT NULL`,
      `UPDATE casework_items SET due_on = NULL, stops_on = NULL WHERE status = N'oppen' AND item_type = N'ej-verkstallt-beslut'`,
    ],
  },
  {
    version: 15,
    name: 'pattern-alerts',
    // One row per (rule, scope, period) with its decision: the unique key is what makes an alert
    // fire once (mssql-patterns.ts takes its key-range lock). INT ids, as the other tables read by
    // id (BIGINT would come back as a string). As SQLite's 15, with the reports index the rules read.
    statements: [
      `CREATE TABLE pattern_alerts (
        id INT IDENTITY(1, 1) NOT NULL,
        rule NVARCHAR(40) COLLATE Latin1_General_100_BIN2 NOT NULL,
        scope_key NVARCHAR(500) COLLATE Latin1_General_100_BIN2 NOT NULL,
        period NVARCHAR(10) COLLATE Latin1_General_100_BIN2 NOT NULL,
        committee_id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
        unit_id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NULL,
        category NVARCHAR(50) COLLATE Latin1_General_100_BIN2 NULL,
        hits INT NOT NULL,
        refs NVARCHAR(MAX) NOT NULL,
        fired_at DATETIME2(3) NOT NULL,
        decision NVARCHAR(40) NULL,
        motivation NVARCHAR(2000) NULL,
        decided_by_entra_id NVARCHAR(100) NULL,
        decided_by_name NVARCHAR(256) NULL,
        decided_at DATETIME2(3) NULL,
        CONSTRAINT pk_pattern_alerts PRIMARY KEY (id),
        CONSTRAINT uq_pattern_alerts UNIQUE (rule, scope_key, period)
      )`,
      `CREATE INDEX ix_pattern_alerts_committee ON pattern_alerts (committee_id, fired_at)`,
      `CREATE INDEX ix_reports_committee_created ON reports (committee_id, created_at)`,
    ],
  },
  {
    version: 16,
    name: 'casework-corrections-and-chains',
    // See SQLite's migration 16. Nullable columns without defaults: metadata changes, no row is
    // rewritten. The UPDATE touches only open items with an extension chain, so its row locks stay few.
    statements: [
      `ALTER TABLE casework_items ADD tidigare_forlangning_beslutad DATE NULL`,
      `ALTER TABLE casework_items ADD rattad_fran DATE NULL`,
      `ALTER TABLE casework_items ADD first_imported_at DATETIME2(3) NULL`,
      `UPDATE casework_items SET due_on = NULL, stops_on = NULL WHERE status = N'oppen' AND tidigare_forlangd_till IS NOT NULL`,
    ],
  },
  {
    version: 17,
    name: 'open-scope-indexes',
    // See SQLite's migration 17. The open cases' index is filtered; listOpenCases names the same
    // literal (state <> N'avslutad'), so the optimizer can match it. Not verified on a live server.
    statements: [
      `CREATE INDEX ix_casework_reopened ON casework_items (reopened, status, unit_id)`,
      `CREATE INDEX ix_reports_open_unit ON reports (unit_id, created_at, id) WHERE state <> N'avslutad'`,
    ],
  },
  {
    version: 18,
    name: 'stored-case-clocks',
    // See SQLite's migration 18. NOT NULL columns with a constant default are metadata-only on SQL
    // Server 2012 and later (no row is rewritten); the UPDATE touches the closed cases only. The
    // filtered indexes use the same literals as the queries that read them. Not verified on a live server.
    statements: [
      `ALTER TABLE reports ADD facts_version INT NOT NULL CONSTRAINT df_reports_facts_version DEFAULT 0`,
      `ALTER TABLE reports ADD clock_stale BIT NOT NULL CONSTRAINT df_reports_clock_stale DEFAULT 1`,
      `ALTER TABLE reports ADD clock_kind NVARCHAR(20) NULL`,
      `ALTER TABLE reports ADD clock_due_on DATE NULL`,
      `ALTER TABLE reports ADD clock_weight NVARCHAR(20) NULL`,
      `UPDATE reports SET clock_stale = 0 WHERE state = N'avslutad'`,
      `CREATE INDEX ix_reports_clock_stale ON reports (unit_id) WHERE clock_stale = 1`,
      `CREATE INDEX ix_reports_open_clock ON reports (unit_id, clock_kind, clock_due_on) INCLUDE (clock_weight, reference) WHERE state <> N'avslutad'`,
    ],
  },
  {
    version: 19,
    name: 'casework-urgent-index',
    // See SQLite's migration 19; the clock index includes the state its filter names. Not verified on a live server.
    statements: [
      `CREATE INDEX ix_casework_open_type_due ON casework_items (status, item_type, unit_id, due_on, stops_on)`,
      `DROP INDEX ix_reports_open_clock ON reports`,
      `CREATE INDEX ix_reports_open_clock ON reports (unit_id, clock_kind, clock_due_on) INCLUDE (clock_weight, reference, state) WHERE state <> N'avslutad'`,
    ],
  },
  {
    version: 20,
    name: 'casework-review-ranks',
    // See SQLite's migration 20. Not verified on a live server.
    statements: [
      `ALTER TABLE casework_items ADD review_kind NVARCHAR(20) NULL`,
      `ALTER TABLE casework_items ADD review_due_on DATE NULL`,
      `ALTER TABLE casework_items ADD review_weight NVARCHAR(20) NULL`,
      `ALTER TABLE casework_items ADD review_from_start BIT NOT NULL CONSTRAINT df_casework_items_review_from_start DEFAULT 0`,
      `ALTER TABLE casework_items ADD review_valid_from DATE NULL`,
      `ALTER TABLE casework_items ADD review_valid_until DATE NULL`,
      `ALTER TABLE casework_items ADD review_of DATETIME2(3) NULL`,
      `CREATE INDEX ix_casework_review ON casework_items (unit_id, status, review_due_on)
        INCLUDE (review_kind, review_weight, review_from_start, review_valid_from, review_valid_until, review_of, updated_at)`,
    ],
  },
  {
    version: 21,
    name: 'casework-review-classes',
    // See SQLite's migration 21. A filtered index cannot compare two columns nor use OR, so the
    // "never ranked or written since" test is a persisted computed column, indexed. Not verified on
    // a live server.
    statements: [
      `ALTER TABLE casework_items ADD review_class INT NULL`,
      `ALTER TABLE casework_items ADD review_stale AS CAST(CASE WHEN review_class IS NULL OR review_kind IS NULL OR review_valid_from IS NULL OR review_of IS NULL OR review_of <> updated_at THEN 1 ELSE 0 END AS BIT) PERSISTED`,
      `DROP INDEX ix_casework_review ON casework_items`,
      `CREATE INDEX ix_casework_review_rank ON casework_items (unit_id, review_class, review_due_on) WHERE status = N'oppen'`,
      `CREATE INDEX ix_casework_review_stale ON casework_items (unit_id, review_stale) WHERE status = N'oppen'`,
      `CREATE INDEX ix_casework_review_until ON casework_items (unit_id, review_valid_until) WHERE status = N'oppen' AND review_valid_until IS NOT NULL`,
      `CREATE INDEX ix_casework_review_from ON casework_items (unit_id, review_valid_from) WHERE status = N'oppen'`,
    ],
  },
  {
    version: 22,
    name: 'case-actions-done-by',
    // See SQLite's migration 22. Not verified on a live server.
    statements: [
      `ALTER TABLE case_actions ADD done_by_entra_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NULL`,
      `ALTER TABLE case_actions ADD done_by_name NVARCHAR(400) NULL`,
    ],
  },
  {
    version: 23,
    name: 'reports-review-clock-index',
    // See SQLite's migration 23. Not verified on a live server.
    statements: [`CREATE INDEX ix_reports_review_clock ON reports (unit_id, clock_kind, clock_weight, clock_due_on) INCLUDE (state) WHERE state <> N'avslutad'`],
  },
];

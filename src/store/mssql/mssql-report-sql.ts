/**
 * The SQL texts and column limits of the report and audit stores on SQL Server, and the audit
 * entry's checks and bindings. Apart from ./mssql-reports.ts so that the case and outbox stores,
 * which write audit entries in their own transactions, need not import the report store (which
 * itself imports the outbox to enqueue a report's routing): no import cycle.
 */
import * as sql from 'mssql';
import type { AuditEntry } from '../audit';
import { need } from './mssql-db';

/** Every SQL text of the report and audit stores. Parameters are @named and bound with explicit types. */
export const MSSQL_REPORT_SQL = {
  // --- create (one transaction) ---------------------------------------------------------------
  /**
   * Locks the form's key (or the key range where it would be) in uq_reports_form_id until the
   * transaction ends. The index covers the query (id is its row locator), so this is a seek that
   * locks one key range, not the table.
   */
  reportLockForm: `SELECT id FROM reports WITH (UPDLOCK, HOLDLOCK) WHERE form_id = @formId`,
  /** An issued form id; issued once (the key-range lock makes a concurrent second issue wait, then insert nothing). */
  formIssue: `INSERT INTO report_forms (form_id, reporter_entra_id, conversation_id, issued_at)
    SELECT @formId, @reporterEntraId, @conversationId, @issuedAt
    WHERE NOT EXISTS (SELECT 1 FROM report_forms WITH (UPDLOCK, HOLDLOCK) WHERE form_id = @formId)`,
  formGet: `SELECT form_id, reporter_entra_id, conversation_id, issued_at FROM report_forms WHERE form_id = @formId`,
  /** Locks the year's counter row (or its key range when there is none yet) until the transaction ends. */
  counterIncrement: `UPDATE reference_counters WITH (UPDLOCK, HOLDLOCK) SET last_seq = last_seq + 1
    WHERE prefix = N'LS' AND year = @year;
    SELECT @@ROWCOUNT AS n`,
  counterInsert: `INSERT INTO reference_counters (prefix, year, last_seq) VALUES (N'LS', @year, 1)`,
  counterRead: `SELECT last_seq FROM reference_counters WHERE prefix = N'LS' AND year = @year`,
  reportInsert: `INSERT INTO reports (reference, year, seq, form_id, unit_id, committee_id, reporter_entra_id, reporter_name,
      occurred_at, occurred_time_known, noticed_at, noticed_time_known, location, category, what_happened,
      consequences, immediate_actions, informed, risk_hurt, risk_ongoing, risk_vulnerable, risk_crime, risk_before,
      case_reference, urgent, state, created_at, updated_at, clock_stale)
    VALUES (@reference, @year, @seq, @formId, @unitId, @committeeId, @reporterEntraId, @reporterName,
      @occurredAt, @occurredTimeKnown, @noticedAt, @noticedTimeKnown, @location, @category, @whatHappened,
      @consequences, @immediateActions, @informed, @riskHurt, @riskOngoing, @riskVulnerable, @riskCrime, @riskBefore,
      @caseReference, @urgent, N'rapporterad', @createdAt, @createdAt, 1)`,

  // --- reads ------------------------------------------------------------------------------------
  reportByFormId: `SELECT id, reference, year, seq, form_id, unit_id, committee_id, reporter_entra_id, reporter_name,
      occurred_at, occurred_time_known, noticed_at, noticed_time_known, location, category, what_happened,
      consequences, immediate_actions, informed, risk_hurt, risk_ongoing, risk_vulnerable, risk_crime, risk_before,
      case_reference, urgent, state, created_at, updated_at
    FROM reports WHERE form_id = @formId`,
  reportByReference: `SELECT id, reference, year, seq, form_id, unit_id, committee_id, reporter_entra_id, reporter_name,
      occurred_at, occurred_time_known, noticed_at, noticed_time_known, location, category, what_happened,
      consequences, immediate_actions, informed, risk_hurt, risk_ongoing, risk_vulnerable, risk_crime, risk_before,
      case_reference, urgent, state, created_at, updated_at
    FROM reports WHERE reference = @reference`,
  reportListByReporter: `SELECT TOP (@limit) id, reference, unit_id, category, state, urgent, created_at FROM reports
    WHERE reporter_entra_id = @reporterEntraId ORDER BY created_at DESC, id DESC`,

  // --- notifications (upsert: UPDATE, then INSERT when no row was updated, in one transaction) ---
  notificationUpdate: `UPDATE report_notifications WITH (UPDLOCK, SERIALIZABLE)
    SET recipient_name = @recipientName, status = @status, error = @error, at = @at
    WHERE report_id = @reportId AND recipient_entra_id = @recipientEntraId AND kind = @kind;
    SELECT @@ROWCOUNT AS n`,
  notificationInsert: `INSERT INTO report_notifications (report_id, recipient_entra_id, kind, recipient_name, status, error, at)
    VALUES (@reportId, @recipientEntraId, @kind, @recipientName, @status, @error, @at)`,
  notificationList: `SELECT report_id, recipient_entra_id, kind, recipient_name, status, error, at FROM report_notifications
    WHERE report_id = @reportId ORDER BY recipient_name COLLATE Latin1_General_100_BIN2, recipient_entra_id`,

  // --- audit log ---------------------------------------------------------------------------------
  auditInsert: `INSERT INTO audit_log (at, actor_entra_id, action, entity_type, entity_ref, detail)
    VALUES (@at, @actorEntraId, @action, @entityType, @entityRef, @detail)`,
  /** One text per filter combination (rather than "@x IS NULL OR …"), so that each gets an index-friendly plan. */
  auditList: `SELECT TOP (@limit) at, actor_entra_id, action, entity_type, entity_ref, detail FROM audit_log ORDER BY id`,
  auditListByEntity: `SELECT TOP (@limit) at, actor_entra_id, action, entity_type, entity_ref, detail FROM audit_log
    WHERE entity_ref = @entityRef ORDER BY id`,
  auditListByActor: `SELECT TOP (@limit) at, actor_entra_id, action, entity_type, entity_ref, detail FROM audit_log
    WHERE actor_entra_id = @actorEntraId ORDER BY id`,
  auditListByEntityAndActor: `SELECT TOP (@limit) at, actor_entra_id, action, entity_type, entity_ref, detail FROM audit_log
    WHERE entity_ref = @entityRef AND actor_entra_id = @actorEntraId ORDER BY id`,
} as const;

/**
 * Column lengths (UTF-16 code units, as NVARCHAR(n) counts them and as JavaScript's length does)
 * as migration 2 in ./migrations.ts declares them. The report texts follow src/reports/form.ts
 * LIMITS. Report content that does not fit is refused with a clear message, never cut.
 */
export const MSSQL_REPORT_LIMITS = {
  reference: 40,
  formId: 100,
  /** As conversation_refs.conversation_id (MSSQL_LIMITS.conversationId). */
  conversationId: 400,
  orgId: 200,
  entraId: 100,
  /** Display text: cut to fit rather than refused. */
  personName: 400,
  location: 200,
  category: 50,
  whatHappened: 4000,
  consequences: 4000,
  immediateActions: 4000,
  answer: 20,
  caseReference: 40,
  kind: 40,
  status: 20,
  /** Diagnostic text: cut to fit rather than refused. */
  notificationError: 1000,
  action: 100,
  entityType: 50,
  entityRef: 200,
  detail: 1000,
} as const;

const L = MSSQL_REPORT_LIMITS;
const T = {
  text: (len: number) => sql.NVarChar(len),
  at: () => sql.DateTime2(3),
};

export function checkAudit(e: Omit<AuditEntry, 'at'>): void {
  need(e.actorEntraId, L.entraId, "audit actor's Entra id");
  need(e.action, L.action, 'audit action');
  need(e.entityType, L.entityType, 'audit entity type');
  need(e.entityRef, L.entityRef, 'audit entity reference');
  if (e.detail !== undefined) need(e.detail, L.detail, 'audit detail');
}

export function bindAudit(req: sql.Request, e: AuditEntry): sql.Request {
  return req
    .input('at', T.at(), e.at)
    .input('actorEntraId', T.text(L.entraId), e.actorEntraId.toLowerCase())
    .input('action', T.text(L.action), e.action)
    .input('entityType', T.text(L.entityType), e.entityType)
    .input('entityRef', T.text(L.entityRef), e.entityRef)
    .input('detail', T.text(L.detail), e.detail ?? null);
}

/**
 * Lex Sarah reports, their notifications and the audit log, on SQL Server. Behaviour mirrors
 * ../sqlite/sqlite-reports.ts, which is the reference; both must pass test/store/contract.ts.
 * Every SQL text here is in MSSQL_REPORT_SQL (./mssql-report-sql.ts), which
 * test/store/mssql-sql.test.ts parse-checks.
 *
 * Concurrency of create(), in one transaction:
 * 1. The form's key in the unique index on reports.form_id is locked with UPDLOCK + HOLDLOCK (a
 *    key-range lock while no such report exists). A concurrent submit of the same form waits
 *    there, then finds the committed report and returns it (created: false).
 * 2. The year's counter row is incremented with UPDATE … WITH (UPDLOCK, HOLDLOCK) (inserted with
 *    last_seq 1 when the update found no row; the range lock makes a concurrent first-of-the-year
 *    submit wait) and read back. The row stays locked until commit, so numbers are unique, and a
 *    rolled-back submit rolls the counter back too, so they are gap-free.
 * 3. The report and its audit entry are inserted, and the routing's outbox messages enqueued
 *    (./mssql-outbox.ts).
 * Locks are always taken in that order (form, counter), so submits cannot deadlock each other on
 * them; a deadlock victim is retried anyway. Should a unique-key violation still occur (e.g. on
 * form_id), the transaction is rolled back and the report that won is returned (created: false).
 */
import * as sql from 'mssql';
import type { AuditEntry, AuditStore } from '../audit';
import type { IssuedFormRecord, NewReportRecord, NotificationRecord, NotificationStatusCode, ReportRecord, ReportSummaryRecord } from '../report-records';
import { formatReference } from '../report-reference';
import type { ReportStore } from '../store';
import { fits, isUniqueViolation, need, rowsChanged, topOf, type Db } from './mssql-db';
import { asDate, reportFromRow, type ReportRow } from '../report-rows';
import type { OutboxMessage } from '../outbox';
import { enqueueInTx } from './mssql-outbox';
import { bindAudit, checkAudit, MSSQL_REPORT_LIMITS, MSSQL_REPORT_SQL } from './mssql-report-sql';
import { hasTrailingWhitespace, needTrimmedKey } from '../keys';

const L = MSSQL_REPORT_LIMITS;
const DEFAULT_AUDIT_LIMIT = 1000;
/** Attempts of create() when a unique-key violation names no existing report of the form. */
const CREATE_ATTEMPTS = 3;

const T = {
  text: (len: number) => sql.NVarChar(len),
  at: () => sql.DateTime2(3),
};


function checkNewReport(r: NewReportRecord): void {
  if (!Number.isInteger(r.year) || r.year < 1 || r.year > 9999) {
    throw new Error(`The report year ${String(r.year)} is not a calendar year.`);
  }
  need(r.formId, L.formId, 'form id');
  needTrimmedKey(r.formId, 'form id');
  need(r.unitId, L.orgId, 'unit id');
  need(r.committeeId, L.orgId, 'nämnd id');
  need(r.reporterEntraId, L.entraId, "reporter's Entra id");
  need(r.location, L.location, 'location');
  need(r.category, L.category, 'category');
  need(r.whatHappened, L.whatHappened, '"what happened" text');
  need(r.consequences, L.consequences, '"consequences" text');
  need(r.immediateActions, L.immediateActions, '"immediate actions" text');
  need(r.informed, L.answer, '"informed" answer');
  for (const [q, a] of Object.entries(r.risks)) need(a, L.answer, `answer to risk question "${q}"`);
  if (r.caseReference !== undefined) need(r.caseReference, L.caseReference, 'case reference');
}

export class MssqlReportStore implements ReportStore {
  constructor(private readonly db: Db) {}

  async create(
    r: NewReportRecord,
    audit: Omit<AuditEntry, 'entityRef' | 'at'>,
    routing?: (report: ReportRecord) => OutboxMessage[],
  ): Promise<{ report: ReportRecord; created: boolean }> {
    checkNewReport(r);
    // The reference is not known yet; a reference-sized placeholder stands in for the length check.
    checkAudit({ ...audit, entityRef: formatReference(r.year, 1) });
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.inTransaction((tx) => this.createIn(tx, r, audit, routing), { retryDeadlocks: true });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        // Another submit of the same form won the race: the transaction was rolled back, nothing written.
        const existing = await this.byFormId(this.db.pool.request(), r.formId);
        if (existing) return { report: existing, created: false };
        if (attempt >= CREATE_ATTEMPTS) throw err;
      }
    }
  }

  private async createIn(
    tx: sql.Transaction,
    r: NewReportRecord,
    audit: Omit<AuditEntry, 'entityRef' | 'at'>,
    routing: ((report: ReportRecord) => OutboxMessage[]) | undefined,
  ): Promise<{ report: ReportRecord; created: boolean }> {
    const S = MSSQL_REPORT_SQL;
    const locked = await new sql.Request(tx).input('formId', T.text(L.formId), r.formId).query<{ id: number }>(S.reportLockForm);
    if (locked.recordset.length > 0) {
      const existing = await this.byFormId(new sql.Request(tx), r.formId);
      if (existing) return { report: existing, created: false };
    }

    const incremented = await rowsChanged(new sql.Request(tx).input('year', sql.Int, r.year), MSSQL_REPORT_SQL.counterIncrement);
    if (incremented === 0) await new sql.Request(tx).input('year', sql.Int, r.year).query(S.counterInsert);
    const counter = await new sql.Request(tx).input('year', sql.Int, r.year).query<{ last_seq: number }>(S.counterRead);
    const seq = counter.recordset[0]?.last_seq;
    if (typeof seq !== 'number') throw new Error(`The reference counter for ${r.year} could not be read back.`);
    const reference = formatReference(r.year, seq);
    need(reference, L.reference, 'report reference');

    await new sql.Request(tx)
      .input('reference', T.text(L.reference), reference)
      .input('year', sql.Int, r.year)
      .input('seq', sql.Int, seq)
      .input('formId', T.text(L.formId), r.formId)
      .input('unitId', T.text(L.orgId), r.unitId)
      .input('committeeId', T.text(L.orgId), r.committeeId)
      .input('reporterEntraId', T.text(L.entraId), r.reporterEntraId.toLowerCase())
      .input('reporterName', T.text(L.personName), r.reporterName.slice(0, L.personName))
      .input('occurredAt', T.at(), r.occurredAt)
      .input('occurredTimeKnown', sql.Bit, r.occurredTimeKnown)
      .input('noticedAt', T.at(), r.noticedAt)
      .input('noticedTimeKnown', sql.Bit, r.noticedTimeKnown)
      .input('location', T.text(L.location), r.location)
      .input('category', T.text(L.category), r.category)
      .input('whatHappened', T.text(L.whatHappened), r.whatHappened)
      .input('consequences', T.text(L.consequences), r.consequences)
      .input('immediateActions', T.text(L.immediateActions), r.immediateActions)
      .input('informed', T.text(L.answer), r.informed)
      .input('riskHurt', T.text(L.answer), r.risks.hurt)
      .input('riskOngoing', T.text(L.answer), r.risks.ongoing)
      .input('riskVulnerable', T.text(L.answer), r.risks.vulnerable)
      .input('riskCrime', T.text(L.answer), r.risks.crime)
      .input('riskBefore', T.text(L.answer), r.risks.before)
      .input('caseReference', T.text(L.caseReference), r.caseReference ?? null)
      .input('urgent', sql.Bit, r.urgent)
      .input('createdAt', T.at(), r.createdAt)
      .query(S.reportInsert);
    await bindAudit(new sql.Request(tx), { ...audit, at: r.createdAt, entityRef: reference }).query(S.auditInsert);

    const report = await this.byFormId(new sql.Request(tx), r.formId);
    if (!report) throw new Error(`ReportRecord ${reference} could not be read back after it was inserted.`);
    if (routing) await enqueueInTx(tx, routing(report));
    return { report, created: true };
  }

  private async byFormId(req: sql.Request, formId: string): Promise<ReportRecord | undefined> {
    const r = await req.input('formId', T.text(L.formId), formId).query<ReportRow>(MSSQL_REPORT_SQL.reportByFormId);
    const row = r.recordset[0];
    return row ? reportFromRow(row) : undefined;
  }

  async issueForm(f: IssuedFormRecord): Promise<void> {
    need(f.formId, L.formId, 'form id');
    needTrimmedKey(f.formId, 'form id');
    need(f.reporterEntraId, L.entraId, "reporter's Entra id");
    need(f.conversationId, L.conversationId, 'conversation id');
    try {
      await this.db.inTransaction(
        async (tx) => {
          await new sql.Request(tx)
            .input('formId', T.text(L.formId), f.formId)
            .input('reporterEntraId', T.text(L.entraId), f.reporterEntraId.toLowerCase())
            .input('conversationId', T.text(L.conversationId), f.conversationId)
            .input('issuedAt', T.at(), f.issuedAt)
            .query(MSSQL_REPORT_SQL.formIssue);
        },
        { retryDeadlocks: true },
      );
    } catch (err) {
      // Issued concurrently under the same id: the first issue stands, as SQLite's DO NOTHING.
      if (!isUniqueViolation(err)) throw err;
    }
  }

  async getForm(formId: string): Promise<IssuedFormRecord | undefined> {
    // Longer than the column, or ending in whitespace (= would match the id without it): never stored.
    if (!fits(formId, L.formId) || hasTrailingWhitespace(formId)) return undefined;
    const r = await this.db.pool
      .request()
      .input('formId', T.text(L.formId), formId)
      .query<{ form_id: string; reporter_entra_id: string; conversation_id: string; issued_at: Date }>(MSSQL_REPORT_SQL.formGet);
    const row = r.recordset[0];
    return row ? { formId: row.form_id, reporterEntraId: row.reporter_entra_id, conversationId: row.conversation_id, issuedAt: asDate(row.issued_at) } : undefined;
  }

  async getByReference(reference: string): Promise<ReportRecord | undefined> {
    const wanted = reference.toUpperCase();
    if (!fits(wanted, L.reference)) return undefined;
    const r = await this.db.pool
      .request()
      .input('reference', T.text(L.reference), wanted)
      .query<ReportRow>(MSSQL_REPORT_SQL.reportByReference);
    const row = r.recordset[0];
    return row ? reportFromRow(row) : undefined;
  }

  async listByReporter(reporterEntraId: string, limit: number): Promise<ReportSummaryRecord[]> {
    const reporter = reporterEntraId.toLowerCase();
    if (!fits(reporter, L.entraId)) return [];
    const r = await this.db.pool
      .request()
      .input('limit', sql.Int, topOf(limit))
      .input('reporterEntraId', T.text(L.entraId), reporter)
      .query<Pick<ReportRow, 'id' | 'reference' | 'unit_id' | 'category' | 'state' | 'urgent' | 'created_at'>>(
        MSSQL_REPORT_SQL.reportListByReporter,
      );
    return r.recordset.map((row) => ({
      id: row.id,
      reference: row.reference,
      unitId: row.unit_id,
      category: row.category,
      state: row.state,
      urgent: row.urgent === true,
      createdAt: asDate(row.created_at),
    }));
  }

  async recordNotification(n: NotificationRecord): Promise<void> {
    const recipient = n.recipientEntraId.toLowerCase();
    need(recipient, L.entraId, "notification recipient's Entra id");
    need(n.kind, L.kind, 'notification kind');
    need(n.status, L.status, 'notification status');
    const bind = (req: sql.Request) =>
      req
        .input('reportId', sql.Int, n.reportId)
        .input('recipientEntraId', T.text(L.entraId), recipient)
        .input('kind', T.text(L.kind), n.kind)
        .input('recipientName', T.text(L.personName), n.recipientName.slice(0, L.personName))
        .input('status', T.text(L.status), n.status)
        .input('error', T.text(L.notificationError), n.error === undefined ? null : n.error.slice(0, L.notificationError))
        .input('at', T.at(), n.at);
    await this.db.inTransaction(
      async (tx) => {
        const updated = await rowsChanged(bind(new sql.Request(tx)), MSSQL_REPORT_SQL.notificationUpdate);
        if (updated === 0) await bind(new sql.Request(tx)).query(MSSQL_REPORT_SQL.notificationInsert);
      },
      { retryDeadlocks: true },
    );
  }

  async listNotifications(reportId: number): Promise<NotificationRecord[]> {
    const r = await this.db.pool.request().input('reportId', sql.Int, reportId).query<{
      report_id: number;
      recipient_entra_id: string;
      kind: 'new-report';
      recipient_name: string;
      status: NotificationStatusCode;
      error: string | null;
      at: Date;
    }>(MSSQL_REPORT_SQL.notificationList);
    return r.recordset.map((row) => ({
      reportId: row.report_id,
      recipientEntraId: row.recipient_entra_id,
      recipientName: row.recipient_name,
      kind: row.kind,
      status: row.status,
      ...(row.error !== null ? { error: row.error } : {}),
      at: asDate(row.at),
    }));
  }
}

export class MssqlAuditStore implements AuditStore {
  constructor(private readonly db: Db) {}

  async append(entry: AuditEntry): Promise<void> {
    checkAudit(entry);
    await bindAudit(this.db.pool.request(), entry).query(MSSQL_REPORT_SQL.auditInsert);
  }

  async list(filter: { entityRef?: string; actorEntraId?: string; limit?: number }): Promise<AuditEntry[]> {
    const S = MSSQL_REPORT_SQL;
    const entityRef = filter.entityRef;
    const actor = filter.actorEntraId?.toLowerCase();
    // A value longer than its column cannot have been stored.
    if ((entityRef !== undefined && !fits(entityRef, L.entityRef)) || (actor !== undefined && !fits(actor, L.entraId))) return [];
    const req = this.db.pool.request().input('limit', sql.Int, topOf(filter.limit ?? DEFAULT_AUDIT_LIMIT));
    if (entityRef !== undefined) req.input('entityRef', T.text(L.entityRef), entityRef);
    if (actor !== undefined) req.input('actorEntraId', T.text(L.entraId), actor);
    const text =
      entityRef !== undefined && actor !== undefined
        ? S.auditListByEntityAndActor
        : entityRef !== undefined
          ? S.auditListByEntity
          : actor !== undefined
            ? S.auditListByActor
            : S.auditList;
    const r = await req.query<{
      at: Date;
      actor_entra_id: string;
      action: string;
      entity_type: string;
      entity_ref: string;
      detail: string | null;
    }>(text);
    return r.recordset.map((row) => ({
      at: asDate(row.at),
      actorEntraId: row.actor_entra_id,
      action: row.action,
      entityType: row.entity_type,
      entityRef: row.entity_ref,
      ...(row.detail !== null ? { detail: row.detail } : {}),
    }));
  }
}

/** Lex Sarah reports and their notifications, on SQLite (the audit log is in ./sqlite-audit.ts). */
import type Database from 'better-sqlite3';
import type { AuditEntry } from '../audit';
import type { IssuedFormRecord, NewReportRecord, NotificationRecord, NotificationStatusCode, ReportRecord, ReportSummaryRecord } from '../report-records';
import { formatReference } from '../report-reference';
import { reportFromRow, type ReportRow } from '../report-rows';
import type { ReportStore } from '../store';
import { insertAudit } from './sqlite-audit';
import type { OutboxMessage } from '../outbox';
import { enqueueIn } from './sqlite-outbox';
import { needTrimmedKey } from '../keys';

type Db = Database.Database;


export class SqliteReportStore implements ReportStore {
  constructor(private readonly db: Db) {}

  async create(
    r: NewReportRecord,
    audit: Omit<AuditEntry, 'entityRef' | 'at'>,
    routing?: (report: ReportRecord) => OutboxMessage[],
  ): Promise<{ report: ReportRecord; created: boolean }> {
    needTrimmedKey(r.formId, 'form id');
    const db = this.db;
    return db
      .transaction(() => {
        const existing = db.prepare('SELECT * FROM reports WHERE form_id = ?').get(r.formId) as ReportRow | undefined;
        if (existing) return { report: reportFromRow(existing), created: false };

        db.prepare(
          `INSERT INTO reference_counters (prefix, year, last_seq) VALUES ('LS', ?, 1)
           ON CONFLICT (prefix, year) DO UPDATE SET last_seq = last_seq + 1`,
        ).run(r.year);
        const { last_seq: seq } = db.prepare("SELECT last_seq FROM reference_counters WHERE prefix = 'LS' AND year = ?").get(r.year) as {
          last_seq: number;
        };
        const reference = formatReference(r.year, seq);
        const at = r.createdAt.toISOString();
        const info = db
          .prepare(
            `INSERT INTO reports (reference, year, seq, form_id, unit_id, committee_id, reporter_entra_id, reporter_name,
               occurred_at, occurred_time_known, noticed_at, noticed_time_known, location, category, what_happened,
               consequences, immediate_actions, informed, risk_hurt, risk_ongoing, risk_vulnerable, risk_crime, risk_before,
               case_reference, urgent, state, created_at, updated_at, clock_stale)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'rapporterad', ?, ?, 1)`,
          )
          .run(
            reference, r.year, seq, r.formId, r.unitId, r.committeeId, r.reporterEntraId.toLowerCase(), r.reporterName,
            r.occurredAt.toISOString(), r.occurredTimeKnown ? 1 : 0, r.noticedAt.toISOString(), r.noticedTimeKnown ? 1 : 0,
            r.location, r.category, r.whatHappened, r.consequences, r.immediateActions, r.informed,
            r.risks.hurt, r.risks.ongoing, r.risks.vulnerable, r.risks.crime, r.risks.before,
            r.caseReference ?? null, r.urgent ? 1 : 0, at, at,
          );
        insertAudit(db, { ...audit, at: r.createdAt, entityRef: reference });
        const row = db.prepare('SELECT * FROM reports WHERE id = ?').get(info.lastInsertRowid) as ReportRow;
        const report = reportFromRow(row);
        if (routing) enqueueIn(db, routing(report));
        return { report, created: true };
      })
      .immediate();
  }

  async issueForm(f: IssuedFormRecord): Promise<void> {
    needTrimmedKey(f.formId, 'form id');
    this.db
      .prepare(
        `INSERT INTO report_forms (form_id, reporter_entra_id, conversation_id, issued_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (form_id) DO NOTHING`,
      )
      .run(f.formId, f.reporterEntraId.toLowerCase(), f.conversationId, f.issuedAt.toISOString());
  }

  async getForm(formId: string): Promise<IssuedFormRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM report_forms WHERE form_id = ?').get(formId) as
      | { form_id: string; reporter_entra_id: string; conversation_id: string; issued_at: string }
      | undefined;
    return row ? { formId: row.form_id, reporterEntraId: row.reporter_entra_id, conversationId: row.conversation_id, issuedAt: new Date(row.issued_at) } : undefined;
  }

  async getByReference(reference: string): Promise<ReportRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM reports WHERE reference = ?').get(reference.toUpperCase()) as ReportRow | undefined;
    return row ? reportFromRow(row) : undefined;
  }

  async listByReporter(reporterEntraId: string, limit: number): Promise<ReportSummaryRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT id, reference, unit_id, category, state, urgent, created_at FROM reports
         WHERE reporter_entra_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
      )
      .all(reporterEntraId.toLowerCase(), limit) as Pick<ReportRow, 'id' | 'reference' | 'unit_id' | 'category' | 'state' | 'urgent' | 'created_at'>[];
    return rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      unitId: r.unit_id,
      category: r.category,
      state: r.state,
      urgent: r.urgent === 1,
      createdAt: new Date(r.created_at),
    }));
  }

  async recordNotification(n: NotificationRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO report_notifications (report_id, recipient_entra_id, kind, recipient_name, status, error, at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (report_id, recipient_entra_id, kind) DO UPDATE SET
           recipient_name = excluded.recipient_name, status = excluded.status, error = excluded.error, at = excluded.at`,
      )
      .run(n.reportId, n.recipientEntraId.toLowerCase(), n.kind, n.recipientName, n.status, n.error ?? null, n.at.toISOString());
  }

  async listNotifications(reportId: number): Promise<NotificationRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM report_notifications WHERE report_id = ? ORDER BY recipient_name, recipient_entra_id')
      .all(reportId) as {
      report_id: number;
      recipient_entra_id: string;
      kind: 'new-report';
      recipient_name: string;
      status: NotificationStatusCode;
      error: string | null;
      at: string;
    }[];
    return rows.map((r) => ({
      reportId: r.report_id,
      recipientEntraId: r.recipient_entra_id,
      recipientName: r.recipient_name,
      kind: r.kind,
      status: r.status,
      ...(r.error !== null ? { error: r.error } : {}),
      at: new Date(r.at),
    }));
  }
}

/** Pattern alerts on SQLite (migration 15): one row per (rule, scope, period), with its decision. */
import type Database from 'better-sqlite3';
import type { AuditEntry } from '../audit';
import { needTrimmedKey } from '../keys';
import type { OutboxMessage } from '../outbox';
import type {
  PatternCountQuery,
  NewPatternAlertRecord, PatternAlertRecord, PatternDecideResult, PatternDecisionRecord, PatternReportFactRecord, PatternStore,
} from '../patterns';
import { patternEntityRef } from '../patterns';
import { alertFromRow, type PatternAlertRow } from '../pattern-rows';
import { insertAudit } from './sqlite-audit';
import { enqueueIn } from './sqlite-outbox';

type Db = Database.Database;


export class SqlitePatternStore implements PatternStore {
  constructor(private readonly db: Db) {}

  async fire(
    a: NewPatternAlertRecord,
    sincePeriod: string,
    messages: (alert: PatternAlertRecord) => OutboxMessage[],
    audit: Omit<AuditEntry, 'entityRef' | 'at'>,
  ): Promise<PatternAlertRecord | undefined> {
    needTrimmedKey(a.rule, 'pattern rule');
    needTrimmedKey(a.scopeKey, 'pattern scope');
    needTrimmedKey(a.period, 'pattern period');
    const db = this.db;
    return db
      .transaction(() => {
        // IMMEDIATE: the check and the insert see the same table, whoever else fires at once.
        const told = db.prepare('SELECT 1 FROM pattern_alerts WHERE rule = ? AND scope_key = ? AND period >= ? LIMIT 1').get(a.rule, a.scopeKey, sincePeriod);
        if (told) return undefined;
        const info = db
          .prepare(
            `INSERT INTO pattern_alerts (rule, scope_key, period, committee_id, unit_id, category, hits, refs, fired_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (rule, scope_key, period) DO NOTHING`,
          )
          .run(a.rule, a.scopeKey, a.period, a.committeeId, a.unitId ?? null, a.category ?? null, a.count, JSON.stringify(a.references), a.firedAt.toISOString());
        if (info.changes === 0) return undefined;
        const alert = alertFromRow(db.prepare('SELECT * FROM pattern_alerts WHERE id = ?').get(info.lastInsertRowid) as PatternAlertRow);
        insertAudit(db, { ...audit, at: a.firedAt, entityRef: patternEntityRef(alert.id) });
        enqueueIn(db, messages(alert));
        return alert;
      })
      .immediate();
  }

  async lastFired(rule: string, scopeKey: string): Promise<string | undefined> {
    const row = this.db.prepare('SELECT MAX(period) AS p FROM pattern_alerts WHERE rule = ? AND scope_key = ?').get(rule, scopeKey) as { p: string | null };
    return row.p ?? undefined;
  }

  async get(id: number): Promise<PatternAlertRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM pattern_alerts WHERE id = ?').get(id) as PatternAlertRow | undefined;
    return row ? alertFromRow(row) : undefined;
  }

  async decide(id: number, d: PatternDecisionRecord, audit: Omit<AuditEntry, 'entityRef' | 'at'>): Promise<PatternDecideResult> {
    const db = this.db;
    return db
      .transaction((): PatternDecideResult => {
        const changed = db
          .prepare(
            `UPDATE pattern_alerts SET decision = ?, motivation = ?, decided_by_entra_id = ?, decided_by_name = ?, decided_at = ?
             WHERE id = ? AND decision IS NULL`,
          )
          .run(d.outcome, d.motivation, d.decidedByEntraId.toLowerCase(), d.decidedByName, d.decidedAt.toISOString(), id).changes;
        const row = db.prepare('SELECT * FROM pattern_alerts WHERE id = ?').get(id) as PatternAlertRow | undefined;
        if (!row) return { kind: 'not-found' };
        if (changed === 0) return { kind: 'already-decided', alert: alertFromRow(row) };
        insertAudit(db, { ...audit, at: d.decidedAt, entityRef: patternEntityRef(id) });
        return { kind: 'ok', alert: alertFromRow(row) };
      })
      .immediate();
  }

  async list(committeeIds: readonly string[], from: Date, to: Date, limit: number): Promise<PatternAlertRecord[]> {
    if (committeeIds.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT * FROM pattern_alerts WHERE committee_id IN (SELECT value FROM json_each(?)) AND fired_at >= ? AND fired_at < ?
         ORDER BY fired_at, id LIMIT ?`,
      )
      .all(JSON.stringify(committeeIds), from.toISOString(), to.toISOString(), limit) as PatternAlertRow[];
    return rows.map(alertFromRow);
  }

  async counts(q: PatternCountQuery): Promise<{ inPeriod: number; undecided: number }> {
    const row = this.db
      .prepare(
        `SELECT COUNT(CASE WHEN fired_at >= @from THEN 1 END) AS inPeriod, COUNT(CASE WHEN decision IS NULL THEN 1 END) AS undecided
         FROM pattern_alerts
         WHERE fired_at < @to
           AND (unit_id IN (SELECT value FROM json_each(@units)) OR (unit_id IS NULL AND committee_id IN (SELECT value FROM json_each(@whole))))`,
      )
      .get({ from: q.from.toISOString(), to: q.to.toISOString(), units: JSON.stringify(q.unitIds), whole: JSON.stringify(q.wholeCommitteeIds) }) as { inPeriod: number; undecided: number };
    return { inPeriod: row.inPeriod, undecided: row.undecided };
  }

  async reportFacts(committeeId: string, from: Date, to: Date): Promise<PatternReportFactRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT reference, unit_id, committee_id, category, created_at, risk_before FROM reports
         WHERE committee_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at, id`,
      )
      .all(committeeId, from.toISOString(), to.toISOString()) as { reference: string; unit_id: string; committee_id: string; category: string; created_at: string; risk_before: string }[];
    return rows.map((r) => ({ reference: r.reference, unitId: r.unit_id, committeeId: r.committee_id, category: r.category, createdAt: new Date(r.created_at), before: r.risk_before }));
  }
}

/**
 * Pattern alerts on SQL Server (migration 15). Behaviour mirrors ../sqlite/sqlite-patterns.ts,
 * the reference; both pass the shared contract. Every SQL text is in MSSQL_PATTERN_SQL, which
 * test/store/mssql-sql.test.ts parse-checks.
 *
 * fire(): the check "has this rule fired for this scope since …" and the insert run in one
 * transaction, the check under UPDLOCK + HOLDLOCK on the unique index (rule, scope_key, period):
 * a key-range lock over every later period, so a second instance firing the same pattern at the
 * same moment waits, then sees the first one's row and stores nothing.
 */
import * as sql from 'mssql';
import type { AuditEntry } from '../audit';
import { needTrimmedKey } from '../keys';
import type { OutboxMessage } from '../outbox';
import type {
  PatternCountQuery,
  NewPatternAlertRecord, PatternAlertRecord, PatternDecideResult, PatternDecisionRecord, PatternReportFactRecord, PatternStore,
} from '../patterns';
import { patternEntityRef } from '../patterns';
import { alertFromRow, type PatternAlertRow } from '../pattern-rows';
import { fits, isUniqueViolation, need, rowsChanged, ROWCOUNT_TAIL, topOf, type Db } from './mssql-db';
import { enqueueInTx } from './mssql-outbox';
import { bindAudit, MSSQL_REPORT_LIMITS, MSSQL_REPORT_SQL } from './mssql-report-sql';

export const MSSQL_PATTERN_LIMITS = {
  rule: 40,
  scopeKey: 500,
  period: 10,
  orgId: MSSQL_REPORT_LIMITS.orgId,
  category: MSSQL_REPORT_LIMITS.category,
  decision: 40,
  motivation: 2000,
  entraId: MSSQL_REPORT_LIMITS.entraId,
  personName: MSSQL_REPORT_LIMITS.personName,
} as const;
const L = MSSQL_PATTERN_LIMITS;

const ALERT_COLUMNS = `id, rule, scope_key, period, committee_id, unit_id, category, hits, refs, fired_at,
  decision, motivation, decided_by_entra_id, decided_by_name, decided_at`;

export const MSSQL_PATTERN_SQL = {
  toldSince: `SELECT TOP (1) id FROM pattern_alerts WITH (UPDLOCK, HOLDLOCK)
    WHERE rule = @rule AND scope_key = @scopeKey AND period >= @since`,
  insert: `INSERT INTO pattern_alerts (rule, scope_key, period, committee_id, unit_id, category, hits, refs, fired_at)
    VALUES (@rule, @scopeKey, @period, @committeeId, @unitId, @category, @hits, @refs, @firedAt)`,
  byKey: `SELECT ${ALERT_COLUMNS} FROM pattern_alerts WHERE rule = @rule AND scope_key = @scopeKey AND period = @period`,
  byId: `SELECT ${ALERT_COLUMNS} FROM pattern_alerts WHERE id = @id`,
  lastFired: `SELECT MAX(period) AS p FROM pattern_alerts WHERE rule = @rule AND scope_key = @scopeKey`,
  decide: `UPDATE pattern_alerts SET decision = @decision, motivation = @motivation, decided_by_entra_id = @decidedBy,
    decided_by_name = @decidedByName, decided_at = @decidedAt
    WHERE id = @id AND decision IS NULL; ${ROWCOUNT_TAIL}`,
  list: `SELECT TOP (@limit) ${ALERT_COLUMNS} FROM pattern_alerts
    WHERE committee_id IN (SELECT v FROM OPENJSON(@committeeIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))
      AND fired_at >= @fromAt AND fired_at < @toAt
    ORDER BY fired_at, id`,
  counts: `SELECT COUNT(CASE WHEN fired_at >= @fromAt THEN 1 END) AS inPeriod, COUNT(CASE WHEN decision IS NULL THEN 1 END) AS undecided
    FROM pattern_alerts
    WHERE fired_at < @toAt
      AND (unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))
        OR (unit_id IS NULL AND committee_id IN (SELECT v FROM OPENJSON(@committeeIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))))`,
  reportFacts: `SELECT reference, unit_id, committee_id, category, created_at, risk_before FROM reports
    WHERE committee_id = @committeeId AND created_at >= @fromAt AND created_at < @toAt ORDER BY created_at, id`,
} as const;
const S = MSSQL_PATTERN_SQL;


const keyInputs = (req: sql.Request, rule: string, scopeKey: string) =>
  req.input('rule', sql.NVarChar(L.rule), rule).input('scopeKey', sql.NVarChar(L.scopeKey), scopeKey);

export class MssqlPatternStore implements PatternStore {
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
    need(a.rule, L.rule, 'pattern rule');
    need(a.scopeKey, L.scopeKey, 'pattern scope');
    need(a.period, L.period, 'pattern period');
    need(a.committeeId, L.orgId, 'nämnd id');
    try {
      return await this.db.inTransaction(
        async (tx) => {
          const told = await keyInputs(new sql.Request(tx), a.rule, a.scopeKey).input('since', sql.NVarChar(L.period), sincePeriod).query(S.toldSince);
          if (told.recordset.length > 0) return undefined;
          await keyInputs(new sql.Request(tx), a.rule, a.scopeKey)
            .input('period', sql.NVarChar(L.period), a.period)
            .input('committeeId', sql.NVarChar(L.orgId), a.committeeId)
            .input('unitId', sql.NVarChar(L.orgId), a.unitId ?? null)
            .input('category', sql.NVarChar(L.category), a.category ?? null)
            .input('hits', sql.Int, a.count)
            .input('refs', sql.NVarChar(sql.MAX), JSON.stringify(a.references))
            .input('firedAt', sql.DateTime2(3), a.firedAt)
            .query(S.insert);
          const row = (await keyInputs(new sql.Request(tx), a.rule, a.scopeKey).input('period', sql.NVarChar(L.period), a.period).query<PatternAlertRow>(S.byKey)).recordset[0];
          if (!row) throw new Error(`The pattern alert ${a.rule} ${a.scopeKey} ${a.period} could not be read back after it was inserted.`);
          const alert = alertFromRow(row);
          await bindAudit(new sql.Request(tx), { ...audit, at: a.firedAt, entityRef: patternEntityRef(alert.id) }).query(MSSQL_REPORT_SQL.auditInsert);
          await enqueueInTx(tx, messages(alert));
          return alert;
        },
        { retryDeadlocks: true },
      );
    } catch (err) {
      // The same period inserted by another instance between our check and insert: already told.
      if (isUniqueViolation(err)) return undefined;
      throw err;
    }
  }

  async lastFired(rule: string, scopeKey: string): Promise<string | undefined> {
    if (!fits(rule, L.rule) || !fits(scopeKey, L.scopeKey)) return undefined;
    const r = await keyInputs(this.db.pool.request(), rule, scopeKey).query<{ p: string | null }>(S.lastFired);
    return r.recordset[0]?.p ?? undefined;
  }

  async get(id: number): Promise<PatternAlertRecord | undefined> {
    if (!Number.isInteger(id) || id < 1 || id > 2_147_483_647) return undefined;
    const r = await this.db.pool.request().input('id', sql.Int, id).query<PatternAlertRow>(S.byId);
    const row = r.recordset[0];
    return row ? alertFromRow(row) : undefined;
  }

  async decide(id: number, d: PatternDecisionRecord, audit: Omit<AuditEntry, 'entityRef' | 'at'>): Promise<PatternDecideResult> {
    if (!Number.isInteger(id) || id < 1 || id > 2_147_483_647) return { kind: 'not-found' };
    need(d.outcome, L.decision, 'pattern decision');
    need(d.motivation, L.motivation, 'motivation');
    need(d.decidedByEntraId, L.entraId, "decider's Entra id");
    return this.db.inTransaction(
      async (tx): Promise<PatternDecideResult> => {
        const changed = await rowsChanged(
          new sql.Request(tx)
            .input('id', sql.Int, id)
            .input('decision', sql.NVarChar(L.decision), d.outcome)
            .input('motivation', sql.NVarChar(L.motivation), d.motivation)
            .input('decidedBy', sql.NVarChar(L.entraId), d.decidedByEntraId.toLowerCase())
            .input('decidedByName', sql.NVarChar(L.personName), d.decidedByName.slice(0, L.personName))
            .input('decidedAt', sql.DateTime2(3), d.decidedAt),
          MSSQL_PATTERN_SQL.decide,
        );
        const row = (await new sql.Request(tx).input('id', sql.Int, id).query<PatternAlertRow>(S.byId)).recordset[0];
        if (!row) return { kind: 'not-found' };
        if (changed === 0) return { kind: 'already-decided', alert: alertFromRow(row) };
        await bindAudit(new sql.Request(tx), { ...audit, at: d.decidedAt, entityRef: patternEntityRef(id) }).query(MSSQL_REPORT_SQL.auditInsert);
        return { kind: 'ok', alert: alertFromRow(row) };
      },
      { retryDeadlocks: true },
    );
  }

  async list(committeeIds: readonly string[], from: Date, to: Date, limit: number): Promise<PatternAlertRecord[]> {
    if (committeeIds.length === 0) return [];
    const r = await this.db.pool
      .request()
      .input('committeeIds', sql.NVarChar(sql.MAX), JSON.stringify(committeeIds))
      .input('fromAt', sql.DateTime2(3), from)
      .input('toAt', sql.DateTime2(3), to)
      .input('limit', sql.Int, topOf(limit))
      .query<PatternAlertRow>(S.list);
    return r.recordset.map(alertFromRow);
  }

  async counts(q: PatternCountQuery): Promise<{ inPeriod: number; undecided: number }> {
    const r = await this.db.pool
      .request()
      .input('unitIds', sql.NVarChar(sql.MAX), JSON.stringify(q.unitIds))
      .input('committeeIds', sql.NVarChar(sql.MAX), JSON.stringify(q.wholeCommitteeIds))
      .input('fromAt', sql.DateTime2(3), q.from)
      .input('toAt', sql.DateTime2(3), q.to)
      .query<{ inPeriod: number; undecided: number }>(S.counts);
    const row = r.recordset[0];
    return { inPeriod: row?.inPeriod ?? 0, undecided: row?.undecided ?? 0 };
  }

  async reportFacts(committeeId: string, from: Date, to: Date): Promise<PatternReportFactRecord[]> {
    if (!fits(committeeId, L.orgId)) return [];
    const r = await this.db.pool
      .request()
      .input('committeeId', sql.NVarChar(L.orgId), committeeId)
      .input('fromAt', sql.DateTime2(3), from)
      .input('toAt', sql.DateTime2(3), to)
      .query<{ reference: string; unit_id: string; committee_id: string; category: string; created_at: Date; risk_before: string }>(S.reportFacts);
    return r.recordset.map((x) => ({ reference: x.reference, unitId: x.unit_id, committeeId: x.committee_id, category: x.category, createdAt: x.created_at, before: x.risk_before }));
  }
}

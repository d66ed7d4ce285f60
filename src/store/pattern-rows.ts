/** A pattern_alerts row as either adapter reads it (dates as SQLite's text or SQL Server's Date), and its record. */
import type { PatternAlertRecord, PatternDecisionCode } from './patterns';
import { asDate, type DbDate } from './report-rows';

export interface PatternAlertRow {
  id: number;
  rule: string;
  scope_key: string;
  period: string;
  committee_id: string;
  unit_id: string | null;
  category: string | null;
  hits: number;
  refs: string;
  fired_at: DbDate;
  decision: string | null;
  motivation: string | null;
  decided_by_entra_id: string | null;
  decided_by_name: string | null;
  decided_at: DbDate | null;
}

export function alertFromRow(r: PatternAlertRow): PatternAlertRecord {
  return {
    id: r.id,
    rule: r.rule,
    scopeKey: r.scope_key,
    period: r.period,
    committeeId: r.committee_id,
    ...(r.unit_id !== null ? { unitId: r.unit_id } : {}),
    ...(r.category !== null ? { category: r.category } : {}),
    count: r.hits,
    references: JSON.parse(r.refs) as string[],
    firedAt: asDate(r.fired_at),
    ...(r.decision !== null
      ? {
          decision: {
            outcome: r.decision as PatternDecisionCode,
            motivation: r.motivation ?? '',
            decidedByEntraId: r.decided_by_entra_id ?? '',
            decidedByName: r.decided_by_name ?? '',
            decidedAt: asDate(r.decided_at ?? r.fired_at),
          },
        }
      : {}),
  };
}

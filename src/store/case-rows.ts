/**
 * The case tables' row shapes and their mapping to CaseDetails, shared by both adapters (they
 * differ only in how drivers return timestamps and flags; see report-rows).
 */
import type { CaseActionRecord, CaseDetailsRecord, CaseEventRecord, DecisionRecord, InvestigationEntryRecord, PersonRecord } from './cases';
import { asDate, asFlag, type DbDate, type DbFlag } from './report-rows';
import type { ReportStateCode } from './report-records';

export const person = (entraId: string, name: string): PersonRecord => ({ entraId, name });

export interface CaseRows {
  investigation?: { utredare_entra_id: string; utredare_name: string; started_at: DbDate };
  decisions: {
    id: number; answers_json: string; recommended_outcome: string; recommendation_json: string; decided_outcome: string;
    requires_anmalan: DbFlag; motivation: string | null; decided_by_entra_id: string; decided_by_name: string; decided_at: DbDate;
  }[];
  filing?: {
    filed_on: string; ivo_diarienummer: string; investigation_attached: DbFlag; investigation_sent_on: string | null;
    recorded_by_entra_id: string; recorded_by_name: string; recorded_at: DbDate;
  };
  closing?: { decision_text: string; motivation: string | null; closed_by_entra_id: string; closed_by_name: string; closed_at: DbDate };
  entries: {
    id: number; item: InvestigationEntryRecord['item']; entry_text: string; kind: InvestigationEntryRecord['kind']; source: string;
    author_entra_id: string; author_name: string; documented_at: DbDate;
  }[];
  actions: { id: number; action_text: string; owner_entra_id: string; owner_name: string; due_on: string; done_at: DbDate | null; done_by_entra_id?: string | null; done_by_name?: string | null; created_at: DbDate }[];
  events: { event: string; from_state: ReportStateCode; to_state: ReportStateCode; actor_entra_id: string; actor_name: string; at: DbDate; detail: string | null }[];
}

export function caseDetailsFromRows(reportId: number, rows: CaseRows): CaseDetailsRecord {
  const { investigation: inv, filing: f, closing: c } = rows;
  return {
    reportId,
    ...(inv ? { utredare: person(inv.utredare_entra_id, inv.utredare_name), investigationStartedAt: asDate(inv.started_at) } : {}),
    decisions: rows.decisions.map(
      (r): DecisionRecord => ({
        id: r.id,
        answersJson: r.answers_json,
        recommendedOutcome: r.recommended_outcome,
        recommendationJson: r.recommendation_json,
        decidedOutcome: r.decided_outcome,
        requiresAnmalan: asFlag(r.requires_anmalan),
        ...(r.motivation !== null ? { motivation: r.motivation } : {}),
        decidedBy: person(r.decided_by_entra_id, r.decided_by_name),
        decidedAt: asDate(r.decided_at),
      }),
    ),
    ...(f
      ? {
          filing: {
            filedOn: f.filed_on,
            ivoDiarienummer: f.ivo_diarienummer,
            investigationAttached: asFlag(f.investigation_attached),
            ...(f.investigation_sent_on !== null ? { investigationSentOn: f.investigation_sent_on } : {}),
            recordedBy: person(f.recorded_by_entra_id, f.recorded_by_name),
            recordedAt: asDate(f.recorded_at),
          },
        }
      : {}),
    ...(c
      ? {
          closing: {
            decisionText: c.decision_text,
            ...(c.motivation !== null ? { motivation: c.motivation } : {}),
            closedBy: person(c.closed_by_entra_id, c.closed_by_name),
            closedAt: asDate(c.closed_at),
          },
        }
      : {}),
    entries: rows.entries.map(
      (r): InvestigationEntryRecord => ({
        id: r.id,
        item: r.item,
        text: r.entry_text,
        kind: r.kind,
        source: r.source,
        author: person(r.author_entra_id, r.author_name),
        documentedAt: asDate(r.documented_at),
      }),
    ),
    actions: rows.actions.map(
      (r): CaseActionRecord => ({
        id: r.id,
        text: r.action_text,
        owner: person(r.owner_entra_id, r.owner_name),
        dueOn: r.due_on,
        ...(r.done_at !== null ? { doneAt: asDate(r.done_at) } : {}),
        ...(r.done_by_entra_id && r.done_by_name ? { doneBy: person(r.done_by_entra_id, r.done_by_name) } : {}),
        createdAt: asDate(r.created_at),
      }),
    ),
    events: rows.events.map(
      (r): CaseEventRecord => ({
        event: r.event,
        fromState: r.from_state,
        toState: r.to_state,
        actor: person(r.actor_entra_id, r.actor_name),
        at: asDate(r.at),
        ...(r.detail !== null ? { detail: r.detail } : {}),
      }),
    ),
  };
}

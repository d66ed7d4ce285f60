/**
 * The reports table's row shape and its mapping to a ReportRecord, shared by both adapters. Drivers
 * differ only in how they return timestamps (ISO text or Date) and flags (0/1 or boolean).
 */
import type { AnswerCode, CategoryCode, InformedCode, ReportRecord, ReportStateCode } from './report-records';

export type DbDate = Date | string;
export type DbFlag = boolean | number;

export interface ReportRow {
  id: number;
  reference: string;
  year: number;
  seq: number;
  form_id: string;
  unit_id: string;
  committee_id: string;
  reporter_entra_id: string;
  reporter_name: string;
  occurred_at: DbDate;
  occurred_time_known: DbFlag;
  noticed_at: DbDate;
  noticed_time_known: DbFlag;
  location: string;
  category: CategoryCode;
  what_happened: string;
  consequences: string;
  immediate_actions: string;
  informed: InformedCode;
  risk_hurt: AnswerCode;
  risk_ongoing: AnswerCode;
  risk_vulnerable: AnswerCode;
  risk_crime: AnswerCode;
  risk_before: AnswerCode;
  case_reference: string | null;
  urgent: DbFlag;
  state: ReportStateCode;
  created_at: DbDate;
  updated_at: DbDate;
}

export const asDate = (v: DbDate): Date => (v instanceof Date ? v : new Date(v));
export const asFlag = (v: DbFlag): boolean => v === true || v === 1;

export function reportFromRow(r: ReportRow): ReportRecord {
  return {
    id: r.id,
    reference: r.reference,
    year: r.year,
    seq: r.seq,
    formId: r.form_id,
    unitId: r.unit_id,
    committeeId: r.committee_id,
    reporterEntraId: r.reporter_entra_id,
    reporterName: r.reporter_name,
    occurredAt: asDate(r.occurred_at),
    occurredTimeKnown: asFlag(r.occurred_time_known),
    noticedAt: asDate(r.noticed_at),
    noticedTimeKnown: asFlag(r.noticed_time_known),
    location: r.location,
    category: r.category,
    whatHappened: r.what_happened,
    consequences: r.consequences,
    immediateActions: r.immediate_actions,
    informed: r.informed,
    risks: { hurt: r.risk_hurt, ongoing: r.risk_ongoing, vulnerable: r.risk_vulnerable, crime: r.risk_crime, before: r.risk_before },
    ...(r.case_reference !== null ? { caseReference: r.case_reference } : {}),
    urgent: asFlag(r.urgent),
    state: r.state,
    createdAt: asDate(r.created_at),
    updatedAt: asDate(r.updated_at),
  };
}

/**
 * The report as the store persists it. The store owns these plain shapes so that it depends on no
 * capability; src/reports/report.ts gives them their business names and proves at compile time that
 * the code lists below still equal the ones the reports capability defines.
 */

/** Persisted report states (see src/cases/state-machine.ts for the transitions). */
export type ReportStateCode = 'rapporterad' | 'under-utredning' | 'bedomd' | 'anmald' | 'avslutad';

/** Keys of src/reports/categories.ts CATEGORIES, as stored in reports.category. */
export type CategoryCode = 'fysiska' | 'sexuella' | 'psykiska' | 'ekonomiska' | 'bemotande' | 'rattssakerhet' | 'insatser' | 'miljo' | 'annat';
/** Keys of ANSWERS (src/reports/categories.ts). */
export type AnswerCode = 'ja' | 'nej' | 'vet-ej';
/** Keys of INFORMED (src/reports/categories.ts). */
export type InformedCode = 'ja' | 'nej' | 'inte-annu';
/** Keys of RISK_QUESTIONS (src/reports/categories.ts); each has its own column. */
export type RiskQuestionCode = 'hurt' | 'ongoing' | 'vulnerable' | 'crime' | 'before';

/** The reporter's validated form, as stored (src/reports/form.ts ReportDraft). */
export interface ReportDraftRecord {
  formId: string;
  unitId: string;
  occurredAt: Date;
  /** False when only the date was given. */
  occurredTimeKnown: boolean;
  noticedAt: Date;
  noticedTimeKnown: boolean;
  location: string;
  category: CategoryCode;
  whatHappened: string;
  consequences: string;
  immediateActions: string;
  informed: InformedCode;
  risks: Record<RiskQuestionCode, AnswerCode>;
  caseReference?: string;
}

/** A validated form plus what the service adds: who reported, where it belongs, and when. */
export interface NewReportRecord extends ReportDraftRecord {
  /** Reference year (Europe/Stockholm calendar year of submission). */
  year: number;
  committeeId: string;
  reporterEntraId: string;
  reporterName: string;
  urgent: boolean;
  createdAt: Date;
}

export interface ReportRecord extends NewReportRecord {
  id: number;
  /** LS-<year>-<number>, e.g. LS-2026-0042. */
  reference: string;
  seq: number;
  state: ReportStateCode;
  updatedAt: Date;
}

export type ReportSummaryRecord = Pick<ReportRecord, 'id' | 'reference' | 'unitId' | 'category' | 'state' | 'urgent' | 'createdAt'>;

export type NotificationStatusCode = 'sent' | 'failed' | 'no-reference';

export interface NotificationRecord {
  reportId: number;
  recipientEntraId: string;
  recipientName: string;
  kind: 'new-report';
  status: NotificationStatusCode;
  /** Operator-facing reason when not sent (an error code, never report text). */
  error?: string;
  at: Date;
}

/** A report form as it was issued: only this person, in this conversation, may file under its id. */
export interface IssuedFormRecord {
  formId: string;
  reporterEntraId: string;
  conversationId: string;
  issuedAt: Date;
}

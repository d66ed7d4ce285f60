/**
 * The lex Sarah report as the capabilities use it. The store persists it in its own plain records
 * (src/store/report-records.ts) so that it imports no capability code; this module names them for
 * the rest of the app and proves at compile time that the store's code lists are still the ones
 * src/reports/categories.ts and src/reports/form.ts define: a change on one side fails `tsc` here.
 */
import type {
  AnswerCode,
  CategoryCode,
  InformedCode,
  IssuedFormRecord,
  NewReportRecord,
  NotificationStatusCode,
  ReportDraftRecord,
  ReportRecord,
  ReportStateCode,
  ReportSummaryRecord,
  RiskQuestionCode,
} from '../store/report-records';
import type { Answer, Category, Informed, RiskQuestion } from './categories';
import type { ReportDraft } from './form';

export type ReportState = ReportStateCode;
/** A validated form plus what the service adds: who reported, where it belongs, and when. */
export type NewReport = NewReportRecord;
export type Report = ReportRecord;
export type ReportSummary = ReportSummaryRecord;
export type NotificationStatus = NotificationStatusCode;
export type { NotificationRecord } from '../store/report-records';
/** A report form as it was issued: only this person, in this conversation, may file under its id. */
export type IssuedReportForm = IssuedFormRecord;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
/** Never used at run time: it fails to compile when a stored shape and its capability drift apart. */
export type StoredReportShapesAgree = [
  Assert<Same<Category, CategoryCode>>,
  Assert<Same<Answer, AnswerCode>>,
  Assert<Same<Informed, InformedCode>>,
  Assert<Same<RiskQuestion, RiskQuestionCode>>,
  Assert<Same<ReportDraft, ReportDraftRecord>>,
];

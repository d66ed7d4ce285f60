/**
 * The lex Sarah case after the report, as the capabilities use it: the people on it, the
 * investigation items, the decision, the IVO filing, åtgärder, the closing and the weekly review.
 * The store persists these as its own plain records (src/store/cases.ts) so that it imports no
 * capability code; this module gives them their business names.
 */
import type {
  CaseActionRecord,
  CaseDetailsRecord,
  CaseEventRecord,
  ClockCaseRecord,
  ClosingRecord,
  DecisionRecord,
  FilingRecord,
  InvestigationEntryRecord,
  OpenCaseRecord,
  PersonRecord,
  SosfsItemCode,
  CaseEntryItemCode,
} from '../store/cases';

/** Someone named on a case (utredare, decider, author, owner), as the case records them. */
export type Person = PersonRecord;
/** The items of an investigation SOSFS 2011:5 asks for. */
export type SosfsItem = SosfsItemCode;
/** What a case entry is about: an investigation item or the informing step (./informing.ts). */
export type CaseEntryItem = CaseEntryItemCode;
export type InvestigationEntry = InvestigationEntryRecord;
export type CaseAction = CaseActionRecord;
export type Decision = DecisionRecord;
export type Filing = FilingRecord;
export type Closing = ClosingRecord;
export type CaseEvent = CaseEventRecord;
export type CaseDetails = CaseDetailsRecord;
/** What the reminder job needs about open cases with a running clock. */
export type ClockCase = ClockCaseRecord;
/** An open case as the weekly review lists it. */
export type OpenCase = OpenCaseRecord;
export type { ReviewRecord } from '../store/cases';

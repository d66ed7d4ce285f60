/**
 * The nämnd's lex Sarah sammanställning as stored figures (issue #16): counts and histograms only,
 * never report text. One aggregate per figure over the rapporter received in [from, to) of the
 * given units; durations come as histograms (whole hours or days → how many), so a year of a
 * large municipality is a few hundred rows, and the median and the worst are exact
 * (src/compilation/figures.ts). Both adapters compute the same numbers (test/store/compilation-contract.ts).
 */

export interface CompilationQuery {
  unitIds: readonly string[];
  /** Rapporter received in [from, to). */
  from: Date;
  to: Date;
  /** Today (YYYY-MM-DD, Europe/Stockholm): open casework items past their due day are overdue. */
  today: string;
  /** Review weeks in the period: [fromWeek, toWeek] ('YYYY-Www'). */
  fromWeek: string;
  toWeek: string;
}

/** `count` cases took `value` (hours or days). */
export interface HistogramBin {
  value: number;
  count: number;
}

export interface CompilationRecord {
  /** Rapporter by unit and category. */
  reports: { unitId: string; category: string; count: number; urgent: number }[];
  /** The decision in force (each rapport's latest) by outcome, and how many departed from the recommendation. */
  decisions: { decidedOutcome: string; recommendedOutcome: string; requiresAnmalan: boolean; count: number }[];
  /** Rapporter with an anmälan to IVO, by unit. */
  filings: { unitId: string; count: number }[];
  /** Rapport → first decision, in whole hours. */
  toDecisionHours: HistogramBin[];
  /** First decision requiring an anmälan → the anmälan, in whole days (the decision's UTC date). */
  toAnmalanDays: HistogramBin[];
  /** Anmälan → the investigation at IVO, in whole days (0 when attached to the anmälan). */
  toInvestigationDays: HistogramBin[];
  /** Åtgärder decided for these rapporter: done, open, open past their day. */
  actions: { done: number; open: number; openOverdue: number };
  /** Weekly reviews recorded per unit within the weeks. */
  reviews: { unitId: string; done: number }[];
  /** Open casework items by type now: how many, how many past their due day. */
  casework: { type: string; open: number; overdue: number }[];
}

export interface CompilationStore {
  compile(q: CompilationQuery): Promise<CompilationRecord>;
}

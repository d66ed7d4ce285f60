/**
 * The nämnd's lex Sarah sammanställning as stored figures (issue #16): counts and histograms only,
 * never report text. One aggregate per figure over the rapporter received in [from, to) of the
 * given units; durations come as histograms (whole hours or days → how many), so a year of a
 * large municipality is a few hundred rows, and the median and the worst are exact
 * (src/compilation/figures.ts). Both adapters compute the same numbers (test/store/compilation-contract.ts).
 */

export interface CompilationQuery {
  /** The nämnd whose rapporter are counted: by the nämnd each rapport was filed under, not the units it has today. */
  committeeId: string;
  /** Its units today: for the weekly reviews and the casework register, which belong to units. */
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
  /**
   * Each anmälan of the period's rapporter with the start of its run of serious decisions (as the
   * anmälan clock counts: after the last decision that required none): the days are counted in
   * the caller's zone. One row per anmälan; a nämnd files a few dozen a year.
   */
  anmalanRuns: { filedOn: string; runStart: Date }[];
  /** Anmälan → the investigation at IVO, in whole days (0 when attached to the anmälan). */
  toInvestigationDays: HistogramBin[];
  /** Åtgärder decided for these rapporter: done, open, open past their day. */
  actions: { done: number; open: number; openOverdue: number };
  /** The weekly reviews recorded for these units within the weeks: which unit, which week. */
  reviews: { unitId: string; weekKey: string }[];
  /** Open casework items by type now: how many, how many past their due day. */
  casework: { type: string; open: number; overdue: number }[];
}

export interface CompilationStore {
  compile(q: CompilationQuery): Promise<CompilationRecord>;
}

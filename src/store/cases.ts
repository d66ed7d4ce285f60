/**
 * Storage for the lex Sarah case after the report: the investigation, the assessment and
 * decision, the IVO filing, åtgärder and the closing. Every state change is a guarded write
 * (it succeeds only from the state the caller saw), recorded as a case event and audited in the
 * same transaction.
 */
import type { ReportStateCode } from './report-records';

// The business names of these records (Person, CaseDetails, …) are in src/cases/case.ts.

export interface PersonRecord {
  entraId: string;
  name: string;
}

export type SosfsItemCode =
  | 'vad-och-konsekvenser'
  | 'nar-och-hur-uppmarksammat'
  | 'nar-det-hande'
  | 'orsaker'
  | 'hant-tidigare'
  | 'risk-for-upprepning'
  | 'atgarder'
  | 'ovrigt'
  | 'beslut';

/**
 * What a case entry is about: an investigation item, or 'information' (whether the individual or
 * vårdnadshavare was told, its text a JSON record read by src/cases/informing.ts).
 */
export type CaseEntryItemCode = SosfsItemCode | 'information';

export interface InvestigationEntryRecord {
  id: number;
  item: CaseEntryItemCode;
  text: string;
  kind: 'fakta' | 'bedomning';
  source: string;
  author: PersonRecord;
  documentedAt: Date;
}

export interface CaseActionRecord {
  id: number;
  text: string;
  owner: PersonRecord;
  /** ISO calendar date (Stockholm). */
  dueOn: string;
  /** When it was marked genomförd, and by whom (migration 22; unknown for one marked before). */
  doneAt?: Date;
  doneBy?: PersonRecord;
  createdAt: Date;
}

/** What marking an åtgärd genomförd came to: a second click finds it done already. */
export type ActionDoneResult = 'done' | 'already-done' | 'not-found';

export interface DecisionRecord {
  id: number;
  /** The answers as given, JSON text (the rules engine's input). */
  answersJson: string;
  recommendedOutcome: string;
  /** Plain-Swedish reasons and references shown with the recommendation, JSON text. */
  recommendationJson: string;
  decidedOutcome: string;
  requiresAnmalan: boolean;
  /** Required when decidedOutcome differs from recommendedOutcome. */
  motivation?: string;
  decidedBy: PersonRecord;
  decidedAt: Date;
}

export interface FilingRecord {
  /** ISO calendar date the anmälan was filed with IVO. */
  filedOn: string;
  ivoDiarienummer: string;
  investigationAttached: boolean;
  /** ISO date the investigation was sent, when not attached. */
  investigationSentOn?: string;
  recordedBy: PersonRecord;
  recordedAt: Date;
}

export interface ClosingRecord {
  decisionText: string;
  motivation?: string;
  closedBy: PersonRecord;
  closedAt: Date;
}

export interface CaseEventRecord {
  event: string;
  fromState: ReportStateCode;
  toState: ReportStateCode;
  actor: PersonRecord;
  at: Date;
  detail?: string;
}

export interface CaseDetailsRecord {
  reportId: number;
  utredare?: PersonRecord;
  investigationStartedAt?: Date;
  /** Newest last; the last one is in force. */
  decisions: DecisionRecord[];
  filing?: FilingRecord;
  closing?: ClosingRecord;
  entries: InvestigationEntryRecord[];
  actions: CaseActionRecord[];
  events: CaseEventRecord[];
}

/** What the reminder job needs about open cases with a running clock. */
export interface ClockCaseRecord {
  reportId: number;
  reference: string;
  unitId: string;
  committeeId: string;
  state: ReportStateCode;
  /** Set when the decision in force requires an anmälan: the first decision of that unbroken run. */
  anmalanDecidedAt?: Date;
  /**
   * Set when the decision in force requires no anmälan: the case's earliest decision requiring none,
   * whatever came between (the closing clock counts from it: a flip to serious and back buys no time).
   */
  noAnmalanDecidedAt?: Date;
  filedOn?: string;
  investigationAttached?: boolean;
  investigationSentOn?: string;
  /** The appointed utredare, when there is one (listClockCases only: the closing reminders go to them too). */
  utredare?: PersonRecord;
}

/** An open case as the weekly review lists it (and the assessment reminders, before any decision). */
export interface OpenCaseRecord extends ClockCaseRecord {
  urgent: boolean;
  createdAt: Date;
}

/**
 * A case's running clock as the store keeps it (migration 18): computed by the cases capability
 * from the case's facts (src/cases/stored-clocks.ts), stored beside them, counted with an index.
 * The store never computes one; it only knows when the facts changed since.
 */
export interface StoredClock {
  /** The clock that runs ('bedomning', 'anmalan', 'utredning', 'avslut'); null when none runs. */
  kind: string | null;
  /** Its last day (ISO), with kind. */
  dueOn: string | null;
  /** What hangs on it when it is overdue ('statutory', 'local-policy'), with kind. */
  weight: string | null;
}

/** A case whose stored clock was not computed for its current facts, with those facts. */
export interface StaleClockCase extends OpenCaseRecord {
  /** The facts' version: a clock stored for it is kept only if the facts are still the same. */
  factsVersion: number;
}

/**
 * The clock kinds the adapters count (each its own parameter in their SQL): ClockKind of
 * src/cases/clocks.ts, which test/status/stored-clocks.test.ts holds equal.
 */
export const STORED_CLOCK_KINDS = ['bedomning', 'anmalan', 'utredning', 'avslut'] as const;
export type StoredClockKind = (typeof STORED_CLOCK_KINDS)[number];

/**
 * What the stored clocks are counted against: today, and per clock kind the last day that counts
 * as approaching (today + the kind's warning days). A clock due before today is overdue; due from
 * today to its kind's day, approaching; later, in time. A kind not listed is never approaching.
 */
export interface ClockCountQuery {
  unitIds: readonly string[];
  today: string;
  approachingUntil: Readonly<Partial<Record<StoredClockKind, string>>>;
}

/** The open cases of one unit whose stored clock is of one kind. */
export interface ClockCountRow {
  unitId: string;
  kind: string;
  overdue: number;
  approaching: number;
  total: number;
}

/** An open case past or near its stored clock's day. */
export interface LateClockRow {
  reference: string;
  unitId: string;
  kind: string;
  dueOn: string;
  weight: string;
  overdue: boolean;
}

/** A unit's weekly review, recorded as done. */
export interface ReviewRecord {
  unitId: string;
  /** ISO week, e.g. '2026-W48'. */
  weekKey: string;
  doneBy: PersonRecord;
  doneAt: Date;
  comment?: string;
}

/** Every guarded write: applies only if the report is still in `from`; false when it was not. */
export interface Guard {
  reportId: number;
  reference: string;
  from: ReportStateCode;
  to: ReportStateCode;
  actor: PersonRecord;
  at: Date;
  /**
   * When given, the write also applies only if the decision in force (the newest) is still this
   * one (its id; null: no decision yet), checked in the same transaction as the state: a new
   * decision keeps the state ("bedomd" → "bedomd"), so the state alone cannot tell that the case
   * was re-assessed between the form and its submit.
   */
  decisionInForce?: number | null;
}

export interface CaseStore {
  get(reportId: number): Promise<CaseDetailsRecord>;
  startInvestigation(g: Guard, utredare: PersonRecord): Promise<boolean>;
  recordDecision(g: Guard, d: Omit<DecisionRecord, 'id' | 'decidedBy' | 'decidedAt'>): Promise<boolean>;
  recordFiling(g: Guard, f: Omit<FilingRecord, 'recordedBy' | 'recordedAt' | 'investigationSentOn'>): Promise<boolean>;
  markInvestigationSent(g: Guard, sentOn: string): Promise<boolean>;
  close(g: Guard, c: Omit<ClosingRecord, 'closedBy' | 'closedAt'>): Promise<boolean>;
  /**
   * Adds an entry, audited. With `formId` (the step form's id) the write is idempotent: a second
   * call with the same report and form id stores and audits nothing and returns the first entry's id.
   */
  addEntry(reportId: number, reference: string, e: Omit<InvestigationEntryRecord, 'id'>, formId?: string): Promise<number>;
  /** Adds an åtgärd, audited; idempotent per (report, formId) like addEntry. */
  addAction(reportId: number, reference: string, a: Omit<CaseActionRecord, 'id' | 'doneAt' | 'doneBy'>, by: PersonRecord, formId?: string): Promise<number>;
  /** Marks the case's åtgärd genomförd at `at` by `by`, audited, once: one already done, or of another case, is left as it is. */
  markActionDone(reportId: number, reference: string, actionId: number, by: PersonRecord, at: Date): Promise<ActionDoneResult>;
  /**
   * Cases decided or filed and not closed (bedomd, anmald), every one of which runs a clock: the
   * anmälan, the investigation due at IVO, or the closing (after a decision needing no anmälan, or
   * once the investigation is at IVO); only those of `unitIds` when given.
   */
  listClockCases(unitIds?: readonly string[]): Promise<ClockCaseRecord[]>;
  /**
   * Open reports without a decision yet (rapporterad, under-utredning: the assessment clock runs
   * from receipt), with their receipt time (createdAt) and urgency, by id; only those of `unitIds`
   * when given. Found from the (state, unit_id) index, among however many closed reports.
   */
  listUnassessedCases(unitIds?: readonly string[]): Promise<OpenCaseRecord[]>;
  /** Every case not closed in the given units, oldest first. */
  listOpenCases(unitIds: readonly string[]): Promise<OpenCaseRecord[]>;
  /**
   * Cases of these units (every unit when undefined) whose stored clock is stale, open or closed,
   * at most `limit`, by id: found from a partial index holding only them.
   */
  staleClockCases(unitIds: readonly string[] | undefined, limit: number): Promise<StaleClockCase[]>;
  /**
   * Stores each case's clock, computed for `factsVersion`. A case whose facts changed since (another
   * version) keeps its stale mark and is not written. Returns how many were stored.
   */
  storeClocks(rows: readonly { reportId: number; factsVersion: number; clock: StoredClock }[]): Promise<number>;
  /**
   * Marks every open case's stored clock stale (the rules it was computed by changed) and moves its
   * facts version on, so a refresh that read a case before this cannot store its clock as fresh.
   * Returns how many.
   */
  invalidateClocks(): Promise<number>;
  /**
   * The weekly review's lex Sarah rows (issue #14): the unit's open cases counted per rank of their
   * stored clock (due ''), from index range counts; rank as src/cases/deadline-rank.ts numbers it
   * (0 overdue with a consequence, 1 by law, 3 by local policy, 4 approaching by the kind's own last
   * day, 5 in time, 6 no clock). When some case's stored clock is stale (or the counts do not add
   * up), a row of rank -1 (casework.ts STALE_RANK) says so: the rest is then not to be paged by.
   */
  clockRankCounts(unitId: string, q: Omit<ClockCountQuery, 'unitIds'>): Promise<{ rank: number; due: string; n: number }[]>;
  /** The unit's open cases of `ranks` per (rank, due day) of their stored clock, as they stand (trust them as far as clockRankCounts does); due '' for none. */
  clockGroups(unitId: string, q: Omit<ClockCountQuery, 'unitIds'>, ranks: readonly number[]): Promise<{ rank: number; due: string; n: number }[]>;
  /** The unit's open cases whose stored clock's due day ('' for none) is one of `dues`, as listOpenCases gives them (oldest first). */
  openCasesByClockDue(unitId: string, dues: readonly string[]): Promise<OpenCaseRecord[]>;
  /** The open cases with a stored clock, counted per unit and kind against `q` (stale ones as stored). */
  clockCounts(q: ClockCountQuery): Promise<ClockCountRow[]>;
  /**
   * The open cases overdue or approaching by their stored clock, most pressing first: overdue with
   * weight 'statutory' (or any weight but 'local-policy'), overdue 'local-policy', then approaching;
   * each by due day, then reference. `closing` true: only kind 'avslut'; false: every other kind.
   * At most `limit`.
   */
  lateClocks(q: ClockCountQuery & { closing: boolean; limit: number }): Promise<LateClockRow[]>;
  /**
   * Records the unit's review of a week as done. The first record wins (a second click, or a
   * second chef, gets the existing one back with created: false). Audited.
   */
  recordReview(r: ReviewRecord): Promise<{ record: ReviewRecord; created: boolean }>;
  getReview(unitId: string, weekKey: string): Promise<ReviewRecord | undefined>;
  /** The reviews recorded for these units and ISO weeks, by unit then week. */
  listReviews(unitIds: readonly string[], weekKeys: readonly string[]): Promise<ReviewRecord[]>;
  /** "Påminn mig senare": remember to send the review card to the person again at `until`. */
  snoozeReview(s: ReviewSnooze): Promise<void>;
  /** Snoozes whose time has come (until ≤ now) and that were not sent yet. */
  dueSnoozes(now: Date): Promise<ReviewSnooze[]>;
  markSnoozeSent(s: ReviewSnooze, at: Date): Promise<void>;
}

export interface ReviewSnooze {
  unitId: string;
  weekKey: string;
  entraId: string;
  until: Date;
}

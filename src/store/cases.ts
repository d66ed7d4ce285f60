/**
 * Storage for the lex Sarah case after the report: the investigation, the assessment and
 * decision, the IVO filing, åtgärder and the closing. Every state change is a guarded write
 * (it succeeds only from the state the caller saw), recorded as a case event and audited in the
 * same transaction.
 */
import type { ReportState } from './store';

export interface Person {
  entraId: string;
  name: string;
}

export type SosfsItem =
  | 'vad-och-konsekvenser'
  | 'nar-och-hur-uppmarksammat'
  | 'nar-det-hande'
  | 'orsaker'
  | 'hant-tidigare'
  | 'risk-for-upprepning'
  | 'atgarder'
  | 'ovrigt'
  | 'beslut';

export interface InvestigationEntry {
  id: number;
  item: SosfsItem;
  text: string;
  kind: 'fakta' | 'bedomning';
  source: string;
  author: Person;
  documentedAt: Date;
}

export interface CaseAction {
  id: number;
  text: string;
  owner: Person;
  /** ISO calendar date (Stockholm). */
  dueOn: string;
  doneAt?: Date;
  createdAt: Date;
}

export interface Decision {
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
  decidedBy: Person;
  decidedAt: Date;
}

export interface Filing {
  /** ISO calendar date the anmälan was filed with IVO. */
  filedOn: string;
  ivoDiarienummer: string;
  investigationAttached: boolean;
  /** ISO date the investigation was sent, when not attached. */
  investigationSentOn?: string;
  recordedBy: Person;
  recordedAt: Date;
}

export interface Closing {
  decisionText: string;
  motivation?: string;
  closedBy: Person;
  closedAt: Date;
}

export interface CaseEvent {
  event: string;
  fromState: ReportState;
  toState: ReportState;
  actor: Person;
  at: Date;
  detail?: string;
}

export interface CaseDetails {
  reportId: number;
  utredare?: Person;
  investigationStartedAt?: Date;
  /** Newest last; the last one is in force. */
  decisions: Decision[];
  filing?: Filing;
  closing?: Closing;
  entries: InvestigationEntry[];
  actions: CaseAction[];
  events: CaseEvent[];
}

/** What the reminder job needs about open cases with a running clock. */
export interface ClockCase {
  reportId: number;
  reference: string;
  unitId: string;
  committeeId: string;
  state: ReportState;
  /** Set when the decision in force requires an anmälan. */
  anmalanDecidedAt?: Date;
  filedOn?: string;
  investigationAttached?: boolean;
  investigationSentOn?: string;
}

/** An open case as the weekly review lists it. */
export interface OpenCase extends ClockCase {
  urgent: boolean;
  createdAt: Date;
}

/** A unit's weekly review, recorded as done. */
export interface ReviewRecord {
  unitId: string;
  /** ISO week, e.g. '2026-W48'. */
  weekKey: string;
  doneBy: Person;
  doneAt: Date;
  comment?: string;
}

/** Every guarded write: applies only if the report is still in `from`; false when it was not. */
export interface Guard {
  reportId: number;
  reference: string;
  from: ReportState;
  to: ReportState;
  actor: Person;
  at: Date;
}

export interface CaseStore {
  get(reportId: number): Promise<CaseDetails>;
  startInvestigation(g: Guard, utredare: Person): Promise<boolean>;
  recordDecision(g: Guard, d: Omit<Decision, 'id' | 'decidedBy' | 'decidedAt'>): Promise<boolean>;
  recordFiling(g: Guard, f: Omit<Filing, 'recordedBy' | 'recordedAt' | 'investigationSentOn'>): Promise<boolean>;
  markInvestigationSent(g: Guard, sentOn: string): Promise<boolean>;
  close(g: Guard, c: Omit<Closing, 'closedBy' | 'closedAt'>): Promise<boolean>;
  /**
   * Adds an entry, audited. With `formId` (the step form's id) the write is idempotent: a second
   * call with the same report and form id stores and audits nothing and returns the first entry's id.
   */
  addEntry(reportId: number, reference: string, e: Omit<InvestigationEntry, 'id'>, formId?: string): Promise<number>;
  /** Adds an åtgärd, audited; idempotent per (report, formId) like addEntry. */
  addAction(reportId: number, reference: string, a: Omit<CaseAction, 'id' | 'doneAt'>, by: Person, formId?: string): Promise<number>;
  /**
   * Cases not closed whose decision requires an anmälan, or whose investigation is still due at
   * IVO; only those of `unitIds` when given.
   */
  listClockCases(unitIds?: readonly string[]): Promise<ClockCase[]>;
  /** Every case not closed in the given units, oldest first. */
  listOpenCases(unitIds: readonly string[]): Promise<OpenCase[]>;
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

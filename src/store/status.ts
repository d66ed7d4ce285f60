/**
 * The counts behind the managers' status summary, and the log of people the bot could not reach.
 * Every query is an indexed aggregate: a summary over a nämnd with a million reports and a million
 * casework items must not read the rows one by one (see bench/run.ts).
 *
 * Counts and ids only: nothing here returns free text from a report.
 */
import type { ReportStateCode } from './report-records';

export interface StatusCountsQuery {
  unitIds: readonly string[];
  /** The period [from, to): reports created in it are "new". */
  from: Date;
  to: Date;
  /** The period's calendar days [fromDay, toDay) (ISO, local zone): filings are dated by day. */
  fromDay: string;
  toDay: string;
  /** Today's calendar day (ISO, local zone). */
  today: string;
  /** The last day a casework deadline counts as approaching (today + warn days). */
  approachingUntil: string;
  /**
   * Casework types that are never "i tid" while open (e.g. ej verkställt beslut: verkställ snarast
   * from day one): their open, running items count as approaching whatever their due day.
   */
  urgentTypes?: readonly string[];
  /**
   * The casework types there are (the capability's list): only a hint for the plan. The counts
   * are the same with any list, or none; items of a type not listed are counted the slower way.
   */
  itemTypes?: readonly string[];
}

export interface UnitCount {
  unitId: string;
  count: number;
}

export interface StateCount extends UnitCount {
  state: Exclude<ReportStateCode, 'avslutad'>;
}

export interface CaseworkClockCount {
  unitId: string;
  type: string;
  /** Open items whose due day is before today and whose clock has not stopped. */
  overdue: number;
  /** Open items due today … approachingUntil (any day from today for urgentTypes) whose clock has not stopped. */
  approaching: number;
}

export interface StatusCounts {
  /** Reports created in the period, per unit (units with none are absent). */
  newReports: UnitCount[];
  /** Reports not closed, per unit and state, now. */
  openByState: StateCount[];
  /** Anmälningar to IVO filed on a day of the period, per unit. */
  filings: UnitCount[];
  casework: CaseworkClockCount[];
  /** Open casework items without a computable deadline (no stored due day), per unit: shown as "kan inte bedömas", never left out. */
  caseworkUnjudgeable: UnitCount[];
}

export type DeliveryPurpose = 'new-report' | 'case-reminder' | 'review-reminder';

/** A card the bot could not deliver. Ids and codes only. */
export interface DeliveryFailure {
  at: Date;
  recipientEntraId: string;
  recipientName: string;
  unitId: string;
  committeeId: string;
  purpose: DeliveryPurpose;
  /** What it was about: a report reference, or the unit and week of a review. */
  entityRef: string;
  status: 'failed' | 'no-reference';
  /** Operator-facing code (e.g. "403", "timeout"), never card text. */
  error?: string;
}

/** The people a summary lists as unreachable: one row per person. */
export interface UnreachablePerson {
  entraId: string;
  name: string;
  failures: number;
  lastAt: Date;
  /** The status of the latest failure. */
  lastStatus: 'failed' | 'no-reference';
}

export interface StatusStore {
  counts(q: StatusCountsQuery): Promise<StatusCounts>;
  recordDeliveryFailure(f: DeliveryFailure): Promise<void>;
  /** People whose deliveries about these units failed in [from, to), latest failure first, at most `limit`. */
  unreachable(q: { unitIds: readonly string[]; from: Date; to: Date; limit: number }): Promise<{ people: UnreachablePerson[]; total: number }>;
}

/**
 * Pattern alerts as stored: which rule fired for which scope and period, the references it saw,
 * and what the samordnare or chef decided. Plain records only (src/patterns names them for the
 * rest of the app): the store imports no capability code.
 */
import type { AuditEntry } from './audit';
import type { OutboxMessage } from './outbox';

/** The audit entity of an alert: its id, never its content. */
export const patternEntityRef = (id: number): string => `monster/${id}`;

/** The decision on an alert; the codes are stored, never rename one. */
export type PatternDecisionCode = 'analys-paborjad' | 'bedoms-inte-behovas';

export interface PatternDecisionRecord {
  outcome: PatternDecisionCode;
  /** Checked by the identity-number guard before it gets here. */
  motivation: string;
  decidedByEntraId: string;
  decidedByName: string;
  decidedAt: Date;
}

export interface NewPatternAlertRecord {
  /** The rule's code (src/patterns/rules.ts PatternRuleId). */
  rule: string;
  /** Where: `enhet:<unit>` or `kategori:<nämnd>:<category>`. */
  scopeKey: string;
  /** The day (YYYY-MM-DD) or week (YYYY-Www) the pattern belongs to. */
  period: string;
  committeeId: string;
  unitId?: string;
  category?: string;
  count: number;
  /** Report references or week keys: never text. */
  references: string[];
  firedAt: Date;
}

export interface PatternAlertRecord extends NewPatternAlertRecord {
  id: number;
  decision?: PatternDecisionRecord;
}

/** A report as the pattern rules read it: where, what, when, and the "hänt förut" answer. */
export interface PatternReportFactRecord {
  reference: string;
  unitId: string;
  committeeId: string;
  category: string;
  createdAt: Date;
  /** The answer to "Har det hänt förut?" as stored ('ja', 'nej', 'vet-ej'). */
  before: string;
}

export interface PatternCountQuery {
  unitIds: readonly string[];
  wholeCommitteeIds: readonly string[];
  from: Date;
  to: Date;
}

export type PatternDecideResult = { kind: 'ok'; alert: PatternAlertRecord } | { kind: 'not-found' } | { kind: 'already-decided'; alert: PatternAlertRecord };

export interface PatternStore {
  /**
   * Records the alert and enqueues its cards (`messages` gets the stored alert) in one
   * transaction, unless the same rule already fired for the same scope in a period `>= sincePeriod`
   * (the rule's window: the same pattern, already told). Returns the alert, or undefined when it
   * was already told. Two instances firing the same alert at once store and send it once.
   */
  fire(
    alert: NewPatternAlertRecord,
    sincePeriod: string,
    messages: (alert: PatternAlertRecord) => OutboxMessage[],
    audit: Omit<AuditEntry, 'entityRef' | 'at'>,
  ): Promise<PatternAlertRecord | undefined>;
  /** The latest period this rule fired for this scope. */
  lastFired(rule: string, scopeKey: string): Promise<string | undefined>;
  get(id: number): Promise<PatternAlertRecord | undefined>;
  /** Records the decision once (a second one is refused: it is a record, not a setting), audited in the same transaction. */
  decide(id: number, decision: PatternDecisionRecord, audit: Omit<AuditEntry, 'entityRef' | 'at'>): Promise<PatternDecideResult>;
  /** Alerts of these nämnder fired in [from, to), oldest first, at most `limit`. */
  list(committeeIds: readonly string[], from: Date, to: Date, limit: number): Promise<PatternAlertRecord[]>;
  /**
   * The status summary's figures: alerts of these units, and the category alerts of the nämnder in
   * `wholeCommitteeIds` (those a scope covers whole), fired in [from, to); and of those fired before
   * `to`, how many have no decision yet (whenever they fired: an alert waits until someone decides).
   */
  counts(q: PatternCountQuery): Promise<{ inPeriod: number; undecided: number }>;
  /** Reports of a nämnd received in [from, to), oldest first: what the report rules count. */
  reportFacts(committeeId: string, from: Date, to: Date): Promise<PatternReportFactRecord[]>;
}

/**
 * The one storage interface every capability talks to. Two adapters implement it
 * (SQLite by default, SQL Server in production) and both must pass test/store/contract.ts.
 *
 * Nothing here may import botbuilder: the transport layer adapts these plain records. Nor anything
 * from a capability folder (test/architecture/imports.test.ts): the store persists its own plain
 * record types, and the capabilities name them (src/reports/report.ts, src/cases/case.ts).
 */
import type { AuditEntry, AuditStore } from './audit';
import type { CaseStore } from './cases';
import type { CaseworkStore } from './casework';
import type { OutboxMessage, OutboxStore, RateLimitStore } from './outbox';
import type { OrganisationRecord } from './org-records';
import type { IssuedFormRecord, NewReportRecord, NotificationRecord, ReportRecord, ReportSummaryRecord } from './report-records';
import type { CompilationStore } from './compilation';
import type { PatternStore } from './patterns';
import type { StatusStore } from './status';

export type { AuditEntry, AuditStore } from './audit';

/** A stored value with its optimistic-concurrency tag. */
export interface StateRecord {
  /** Opaque JSON text as the caller wrote it. */
  value: string;
  etag: string;
}

export interface StateWrite {
  key: string;
  /** Opaque JSON text. */
  value: string;
  /**
   * Concurrency check: undefined or '*' overwrites unconditionally; any other value must equal the
   * stored etag, or the write fails with EtagConflictError. A tag given for a key that no longer
   * exists is treated like botbuilder's MemoryStorage does: the write goes through.
   */
  expectedEtag?: string;
}

/** Key/value storage for per-conversation and per-user turn state. */
export interface StateStore {
  read(keys: readonly string[]): Promise<Map<string, StateRecord>>;
  /** All writes in one transaction: a conflict on any key leaves every key unchanged. Returns the new etags. */
  write(items: readonly StateWrite[]): Promise<Map<string, string>>;
  delete(keys: readonly string[]): Promise<void>;
  /**
   * Atomically records that `key` happened. Returns true for exactly one caller per key, across
   * processes sharing the database (e.g. "the welcome card was sent in this conversation").
   */
  claimOnce(key: string, at: Date): Promise<boolean>;
  /**
   * Claims a unit of work for `leaseMs`: true when nobody has done it and nobody holds a live
   * lease on it. The holder calls `completeLease` after the work; if it dies first, the lease runs
   * out and another instance can take the work over (at least once, never twice while alive).
   */
  claimLease(key: string, now: Date, leaseMs: number): Promise<boolean>;
  /** Marks the leased work done: it is never claimed again. */
  completeLease(key: string, at: Date): Promise<void>;
  /**
   * Which of these keys were leased and completed. Reminders sent before the outbox existed were
   * recorded this way; their producers now enqueue under the same keys and must skip these.
   */
  completedLeases(keys: readonly string[]): Promise<Set<string>>;
}

export class EtagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'EtagConflictError';
  }
}

/** Where a proactive message to one user (or one channel) can be sent. */
export type ConversationScope = 'personal' | 'groupChat' | 'channel';

export interface ConversationRef {
  tenantId: string;
  /** Entra (AAD) object id of the user the reference belongs to. */
  aadObjectId: string;
  scope: ConversationScope;
  conversationId: string;
  serviceUrl: string;
  channelId: string;
  /** The bot's id as the channel knows it (e.g. "28:…"). */
  botId: string;
  /** The user's channel account id (e.g. "29:…"). */
  userId: string;
  /** Display name; shown to operators when a user cannot be reached. */
  userName?: string;
  active: boolean;
  /** Why it became inactive: 'uninstalled', 'ConversationNotFound', … */
  inactiveReason?: string;
  updatedAt: Date;
}

export type ConversationRefUpsert = Omit<ConversationRef, 'active' | 'inactiveReason' | 'updatedAt'>;

export interface ConversationRefStore {
  /** Inserts or refreshes the reference and marks it active again. */
  upsert(ref: ConversationRefUpsert, at: Date): Promise<void>;
  /** Marks every reference of a conversation inactive; returns how many were changed. */
  markConversationInactive(tenantId: string, conversationId: string, reason: string, at: Date): Promise<number>;
  /** Marks one user's reference in a scope inactive. */
  markUserInactive(tenantId: string, aadObjectId: string, scope: ConversationScope, reason: string, at: Date): Promise<number>;
  get(tenantId: string, aadObjectId: string, scope: ConversationScope): Promise<ConversationRef | undefined>;
  listForUser(aadObjectId: string): Promise<ConversationRef[]>;
}

export interface OrganisationStore {
  /**
   * Makes the stored directory equal to `org` in one transaction. Nämnder, units and people that
   * are no longer in `org` are archived (kept, flagged inactive), never deleted: reports refer to them.
   */
  sync(org: OrganisationRecord, at: Date): Promise<OrganisationSyncResult>;
  /** The active directory, or undefined when nothing was ever synced. */
  load(): Promise<OrganisationRecord | undefined>;
}

export interface OrganisationSyncResult {
  committees: number;
  units: number;
  people: number;
  archived: number;
}

export interface ReportStore {
  /** Records that a form id was issued; an id is issued once (a second issue of the same id is ignored). */
  issueForm(form: IssuedFormRecord): Promise<void>;
  getForm(formId: string): Promise<IssuedFormRecord | undefined>;
  /**
   * Creates the report with the next LS-<year>-<number>, in one transaction with its audit entry.
   * If a report from the same formId exists, returns it (created: false) and writes nothing.
   *
   * `routing` gives the outbox messages about the new report (its reference is known only inside
   * the transaction); they are enqueued in the same transaction, so a committed report is always
   * routed. It is called only when the report is created, must be synchronous and pure, and a throw
   * rolls the whole create back.
   */
  create(
    report: NewReportRecord,
    audit: Omit<AuditEntry, 'entityRef' | 'at'>,
    routing?: (report: ReportRecord) => OutboxMessage[],
  ): Promise<{ report: ReportRecord; created: boolean }>;
  getByReference(reference: string): Promise<ReportRecord | undefined>;
  /** Newest first. */
  listByReporter(reporterEntraId: string, limit: number): Promise<ReportSummaryRecord[]>;
  /** One row per (report, recipient, kind): a later attempt replaces the earlier outcome. */
  recordNotification(n: NotificationRecord): Promise<void>;
  listNotifications(reportId: number): Promise<NotificationRecord[]>;
}

export interface StoreHealth {
  reachable: boolean;
  /** Highest migration applied, 0 when none. */
  schemaVersion: number;
  /** Highest migration this build knows. */
  expectedVersion: number;
  /** Operator-facing reason when not reachable. */
  error?: string;
}

export interface Store {
  readonly kind: 'sqlite' | 'mssql';
  readonly state: StateStore;
  readonly conversations: ConversationRefStore;
  readonly organisation: OrganisationStore;
  readonly reports: ReportStore;
  readonly audit: AuditStore;
  readonly cases: CaseStore;
  readonly casework: CaseworkStore;
  readonly status: StatusStore;
  readonly outbox: OutboxStore;
  readonly rateLimits: RateLimitStore;
  readonly patterns: PatternStore;
  readonly compilation: CompilationStore;
  /** Applies pending migrations in order, each in its own transaction. Returns the versions applied. */
  migrate(): Promise<number[]>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

/** The audit log: who did what to which entity, written in the same transaction as the change. */

export interface AuditEntry {
  at: Date;
  actorEntraId: string;
  /** e.g. report.create, report.read, report.list, report.read-denied */
  action: string;
  entityType: string;
  /** e.g. the report reference; never free text. */
  entityRef: string;
  /** Short structured detail (ids, counts), never free text from reports. */
  detail?: string;
}

export interface AuditStore {
  append(entry: AuditEntry): Promise<void>;
  list(filter: { entityRef?: string; actorEntraId?: string; limit?: number }): Promise<AuditEntry[]>;
}

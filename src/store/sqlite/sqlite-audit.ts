/**
 * The audit log on SQLite. Its own module because every store writes audit entries in its own
 * transactions (reports, cases, outbox): they all import it and it imports none of them.
 */
import type Database from 'better-sqlite3';
import type { AuditEntry, AuditStore } from '../audit';

type Db = Database.Database;

/** Appends an audit entry on the caller's connection (inside its transaction when it has one). */
export function insertAudit(db: Db, e: AuditEntry): void {
  db.prepare('INSERT INTO audit_log (at, actor_entra_id, action, entity_type, entity_ref, detail) VALUES (?, ?, ?, ?, ?, ?)').run(
    e.at.toISOString(),
    e.actorEntraId.toLowerCase(),
    e.action,
    e.entityType,
    e.entityRef,
    e.detail ?? null,
  );
}

export class SqliteAuditStore implements AuditStore {
  constructor(private readonly db: Db) {}

  async append(entry: AuditEntry): Promise<void> {
    insertAudit(this.db, entry);
  }

  async list(filter: { entityRef?: string; actorEntraId?: string; limit?: number }): Promise<AuditEntry[]> {
    const rows = this.db
      .prepare(
        `SELECT at, actor_entra_id, action, entity_type, entity_ref, detail FROM audit_log
         WHERE (? IS NULL OR entity_ref = ?) AND (? IS NULL OR actor_entra_id = ?)
         ORDER BY id LIMIT ?`,
      )
      .all(
        filter.entityRef ?? null,
        filter.entityRef ?? null,
        filter.actorEntraId?.toLowerCase() ?? null,
        filter.actorEntraId?.toLowerCase() ?? null,
        filter.limit ?? 1000,
      ) as { at: string; actor_entra_id: string; action: string; entity_type: string; entity_ref: string; detail: string | null }[];
    return rows.map((r) => ({
      at: new Date(r.at),
      actorEntraId: r.actor_entra_id,
      action: r.action,
      entityType: r.entity_type,
      entityRef: r.entity_ref,
      ...(r.detail !== null ? { detail: r.detail } : {}),
    }));
  }
}

/** The casework deadline register on SQLite. */
import type Database from 'better-sqlite3';
import { CASEWORK_DATE_KEYS, type CaseworkDates, type CaseworkImportResult, type CaseworkRecord, type CaseworkStore, type StoredCaseworkItem } from '../casework';
import { CASEWORK_DATE_COLUMNS } from '../casework-rows';

type Db = Database.Database;
type Row = Record<string, string | number | null>;

const FIELDS = ['item_type', 'unit_id', 'handlaggare', 'status', ...CASEWORK_DATE_KEYS.map((k) => CASEWORK_DATE_COLUMNS[k]), 'due_on', 'stops_on'] as const;

function values(r: CaseworkRecord): (string | null)[] {
  return [r.type, r.unitId, r.handlaggare ?? null, r.status, ...CASEWORK_DATE_KEYS.map((k) => r.dates[k] ?? null), r.dueOn ?? null, r.stopsOn ?? null];
}

function fromRow(r: Row): StoredCaseworkItem {
  const dates: CaseworkDates = {};
  for (const k of CASEWORK_DATE_KEYS) {
    const v = r[CASEWORK_DATE_COLUMNS[k]];
    if (typeof v === 'string') dates[k] = v;
  }
  return {
    id: Number(r.id),
    source: String(r.source),
    caseReference: String(r.case_reference),
    type: String(r.item_type),
    unitId: String(r.unit_id),
    ...(r.handlaggare !== null ? { handlaggare: String(r.handlaggare) } : {}),
    status: r.status as StoredCaseworkItem['status'],
    dates,
    ...(typeof r.due_on === 'string' ? { dueOn: r.due_on } : {}),
    ...(typeof r.stops_on === 'string' ? { stopsOn: r.stops_on } : {}),
    updatedAt: new Date(String(r.updated_at)),
    ...(r.closed_at !== null ? { closedAt: new Date(String(r.closed_at)) } : {}),
  };
}

export class SqliteCaseworkStore implements CaseworkStore {
  constructor(private readonly db: Db) {}

  async importItems(source: string, records: readonly CaseworkRecord[], opts: { closeMissing: boolean; at: Date; actor: string }): Promise<CaseworkImportResult> {
    const db = this.db;
    const at = opts.at.toISOString();
    const select = db.prepare(`SELECT ${FIELDS.join(', ')} FROM casework_items WHERE source = ? AND case_reference = ?`);
    const insert = db.prepare(
      `INSERT INTO casework_items (source, case_reference, ${FIELDS.join(', ')}, updated_at, closed_at)
       VALUES (?, ?, ${FIELDS.map(() => '?').join(', ')}, ?, ?)`,
    );
    const update = db.prepare(
      `UPDATE casework_items SET ${FIELDS.map((f) => `${f} = ?`).join(', ')}, updated_at = ?, closed_at = ?
       WHERE source = ? AND case_reference = ?`,
    );
    return db
      .transaction(() => {
        const result: CaseworkImportResult = { inserted: 0, updated: 0, unchanged: 0, closed: 0 };
        for (const r of records) {
          const v = values(r);
          const closedAt = r.status === 'avslutad' ? at : null;
          const existing = select.get(source, r.caseReference) as Row | undefined;
          if (!existing) {
            insert.run(source, r.caseReference, ...v, at, closedAt);
            result.inserted++;
          } else if (FIELDS.some((f, i) => existing[f] !== v[i])) {
            update.run(...v, at, closedAt, source, r.caseReference);
            result.updated++;
          } else {
            result.unchanged++;
          }
        }
        if (opts.closeMissing) {
          db.exec('CREATE TEMP TABLE IF NOT EXISTS import_refs (ref TEXT PRIMARY KEY)');
          db.exec('DELETE FROM import_refs');
          const keep = db.prepare('INSERT OR IGNORE INTO import_refs (ref) VALUES (?)');
          for (const r of records) keep.run(r.caseReference);
          result.closed = db
            .prepare(
              `UPDATE casework_items SET status = 'avslutad', closed_at = ?, updated_at = ?
               WHERE source = ? AND status = 'oppen' AND case_reference NOT IN (SELECT ref FROM import_refs)`,
            )
            .run(at, at, source).changes;
        }
        db.prepare(
          `INSERT INTO casework_imports (source, at, actor, full_import, rows_in_file, inserted, updated, unchanged, closed)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(source, at, opts.actor, opts.closeMissing ? 1 : 0, records.length, result.inserted, result.updated, result.unchanged, result.closed);
        return result;
      })
      .immediate();
  }

  async listOpen(unitIds?: readonly string[]): Promise<StoredCaseworkItem[]> {
    const rows = unitIds
      ? (this.db
          .prepare(`SELECT * FROM casework_items WHERE status = 'oppen' AND unit_id IN (SELECT value FROM json_each(?)) ORDER BY unit_id, case_reference`)
          .all(JSON.stringify(unitIds)) as Row[])
      : (this.db.prepare(`SELECT * FROM casework_items WHERE status = 'oppen' ORDER BY unit_id, case_reference`).all() as Row[]);
    return rows.map(fromRow);
  }

  async count(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM casework_items').get() as { n: number }).n;
  }

  async openWithoutDeadline(limit: number): Promise<StoredCaseworkItem[]> {
    const rows = this.db.prepare(`SELECT * FROM casework_items WHERE status = 'oppen' AND due_on IS NULL ORDER BY id LIMIT ?`).all(limit) as Row[];
    return rows.map(fromRow);
  }

  async setDeadlines(items: readonly { id: number; dueOn: string; stopsOn?: string }[]): Promise<void> {
    const update = this.db.prepare('UPDATE casework_items SET due_on = ?, stops_on = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const i of items) update.run(i.dueOn, i.stopsOn ?? null, i.id);
    })();
  }
}

/** The casework deadline register on SQLite. */
import type Database from 'better-sqlite3';
import { CASEWORK_DATE_KEYS, caseReferenceKey, type CaseworkDates, type CaseworkImportResult, type CaseworkRecord, type CaseworkStore, type InvestigationOpening, type StoredCaseworkItem } from '../casework';
import { CASEWORK_DATE_COLUMNS } from '../casework-rows';

type Db = Database.Database;
type Row = Record<string, string | number | null>;

const FIELDS = [
  'unit_id',
  'handlaggare',
  'status',
  ...CASEWORK_DATE_KEYS.map((k) => CASEWORK_DATE_COLUMNS[k]),
  'due_on',
  'stops_on',
  'judgment',
  'new_investigation',
  'reopened',
] as const;

function values(r: CaseworkRecord): (string | number | null)[] {
  return [
    r.unitId,
    r.handlaggare ?? null,
    r.status,
    ...CASEWORK_DATE_KEYS.map((k) => r.dates[k] ?? null),
    r.dueOn ?? null,
    r.stopsOn ?? null,
    r.judgment ? 1 : 0,
    r.newInvestigation ? 1 : 0,
    r.reopened ? 1 : 0,
  ];
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
    ...(Number(r.judgment) ? { judgment: true } : {}),
    ...(Number(r.new_investigation) ? { newInvestigation: true } : {}),
    ...(Number(r.reopened) ? { reopened: true } : {}),
    openingKey: String(r.opening_key ?? ''),
    ...(typeof r.due_on === 'string' ? { dueOn: r.due_on } : {}),
    ...(typeof r.stops_on === 'string' ? { stopsOn: r.stops_on } : {}),
    updatedAt: new Date(String(r.updated_at)),
    ...(r.closed_at !== null ? { closedAt: new Date(String(r.closed_at)) } : {}),
  };
}

const KEY = 'source = ? AND case_reference = ? AND item_type = ? AND opening_key = ?';

export class SqliteCaseworkStore implements CaseworkStore {
  constructor(private readonly db: Db) {}

  async importItems(source: string, records: readonly CaseworkRecord[], opts: { closeMissing: boolean; at: Date; actor: string }): Promise<CaseworkImportResult> {
    const db = this.db;
    const at = opts.at.toISOString();
    const select = db.prepare(`SELECT ${FIELDS.join(', ')} FROM casework_items WHERE ${KEY}`);
    const insert = db.prepare(
      `INSERT INTO casework_items (source, case_reference, item_type, opening_key, ${FIELDS.join(', ')}, updated_at, closed_at)
       VALUES (?, ?, ?, ?, ${FIELDS.map(() => '?').join(', ')}, ?, ?)`,
    );
    const update = db.prepare(`UPDATE casework_items SET ${FIELDS.map((f) => `${f} = ?`).join(', ')}, updated_at = ?, closed_at = ? WHERE ${KEY}`);
    return db
      .transaction(() => {
        const result: CaseworkImportResult = { inserted: 0, updated: 0, unchanged: 0, closed: 0 };
        for (const r of records) {
          const v = values(r);
          const key = [source, r.caseReference, r.type, r.openingKey ?? ''] as const;
          const closedAt = r.status === 'avslutad' ? at : null;
          const existing = select.get(...key) as Row | undefined;
          if (!existing) {
            insert.run(...key, ...v, at, closedAt);
            result.inserted++;
          } else if (FIELDS.some((f, i) => existing[f] !== v[i])) {
            update.run(...v, at, closedAt, ...key);
            result.updated++;
          } else {
            result.unchanged++;
          }
        }
        if (opts.closeMissing) {
          db.exec('CREATE TEMP TABLE IF NOT EXISTS import_keys (ref TEXT NOT NULL, item_type TEXT NOT NULL, opening_key TEXT NOT NULL, PRIMARY KEY (ref, item_type, opening_key))');
          db.exec('DELETE FROM import_keys');
          const keep = db.prepare('INSERT OR IGNORE INTO import_keys (ref, item_type, opening_key) VALUES (?, ?, ?)');
          for (const r of records) keep.run(r.caseReference, r.type, r.openingKey ?? '');
          result.closed = db
            .prepare(
              `UPDATE casework_items SET status = 'avslutad', closed_at = ?, updated_at = ?
               WHERE source = ? AND status = 'oppen' AND NOT EXISTS (
                 SELECT 1 FROM import_keys AS k
                 WHERE k.ref = casework_items.case_reference AND k.item_type = casework_items.item_type AND k.opening_key = casework_items.opening_key)`,
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
    const order = 'ORDER BY unit_id, case_reference, item_type, opening_key';
    const rows = unitIds
      ? (this.db
          .prepare(`SELECT * FROM casework_items WHERE status = 'oppen' AND unit_id IN (SELECT value FROM json_each(?)) ${order}`)
          .all(JSON.stringify(unitIds)) as Row[])
      : (this.db.prepare(`SELECT * FROM casework_items WHERE status = 'oppen' ${order}`).all() as Row[]);
    return rows.map(fromRow);
  }

  async count(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM casework_items').get() as { n: number }).n;
  }

  async firstOpenings(source: string, references: readonly string[]): Promise<Map<string, InvestigationOpening[]>> {
    // SQLite's lower() folds ASCII only, so the reference key is compared here (the source's
    // investigations are read from the unique index's leading column; SQLite serves small registers).
    const wanted = new Set(references.map(caseReferenceKey));
    const rows = this.db
      .prepare(
        `SELECT case_reference AS ref, utredning_inledd AS opened, new_investigation AS ny FROM casework_items
         WHERE source = ? AND item_type = 'barnavardsutredning' AND utredning_inledd IS NOT NULL`,
      )
      .all(source) as { ref: string; opened: string; ny: number }[];
    const out = new Map<string, InvestigationOpening[]>();
    for (const r of rows) {
      const key = caseReferenceKey(r.ref);
      if (!wanted.has(key)) continue;
      out.set(key, [...(out.get(key) ?? []), { opened: r.opened, newInvestigation: Boolean(r.ny) }]);
    }
    return out;
  }

  async reopenedOpenCounts(unitIds: readonly string[]): Promise<{ unitId: string; count: number }[]> {
    const rows = this.db
      .prepare(
        `SELECT unit_id AS unitId, COUNT(*) AS count FROM casework_items
         WHERE status = 'oppen' AND reopened = 1 AND unit_id IN (SELECT value FROM json_each(?))
         GROUP BY unit_id ORDER BY unit_id`,
      )
      .all(JSON.stringify(unitIds)) as { unitId: string; count: number }[];
    return rows.map((r) => ({ unitId: r.unitId, count: Number(r.count) }));
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

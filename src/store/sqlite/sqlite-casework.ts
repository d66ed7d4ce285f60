/** The casework deadline register on SQLite. */
import type Database from 'better-sqlite3';
import {
  byReferenceKey, CASEWORK_DATE_KEYS, caseworkCorrections, isCaseworkImportPlan, type CaseworkDateKey, type CaseworkDates, type CaseworkImportHistory, type CaseworkImportPlan,
  type CaseworkImportResult, type CaseworkRankRecord, type CaseworkRecord, type CaseworkStore, type InvestigationOpening, type OpenDecision, type OpenInvestigation, type ReviewGroupRow, type StaleRankItem, type StoredCaseworkItem,
} from '../casework';
import { CASEWORK_DATE_COLUMNS } from '../casework-rows';
import { groupRows, rankRows } from '../rank-rows';
import { classesOfRanks, COUNTED_CLASSES, rangesOfRanks, rankCounts, rankOfClassOn, reviewClassOf, UNJUDGEABLE_CLASS, type ClassCount } from '../review-classes';
import { needTrimmedCaseworkKeys, needTrimmedKey } from '../keys';
import { allArrays } from './statement-cache';

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
  'no_earlier_extension',
  'insats',
] as const;

/** Each stored value of a record, in FIELDS order, as it is bound. */
const VALUE_OF: readonly ((r: CaseworkRecord) => string | number | null)[] = [
  (r) => r.unitId,
  (r) => r.handlaggare ?? null,
  (r) => r.status,
  ...CASEWORK_DATE_KEYS.map((k) => (r: CaseworkRecord) => r.dates[k] ?? null),
  (r) => r.dueOn ?? null,
  (r) => r.stopsOn ?? null,
  (r) => (r.judgment ? 1 : 0),
  (r) => (r.newInvestigation ? 1 : 0),
  (r) => (r.reopened ? 1 : 0),
  (r) => (r.noEarlierExtension ? 1 : 0),
  (r) => r.insats ?? null,
];

function values(r: CaseworkRecord): (string | number | null)[] {
  return VALUE_OF.map((of) => of(r));
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
    ...(Number(r.no_earlier_extension) ? { noEarlierExtension: true } : {}),
    ...(typeof r.insats === 'string' ? { insats: r.insats } : {}),
    openingKey: String(r.opening_key ?? ''),
    ...(typeof r.due_on === 'string' ? { dueOn: r.due_on } : {}),
    ...(typeof r.stops_on === 'string' ? { stopsOn: r.stops_on } : {}),
    updatedAt: new Date(String(r.updated_at)),
    ...(r.closed_at !== null ? { closedAt: new Date(String(r.closed_at)) } : {}),
  };
}

const KEY = 'source = ? AND case_reference = ? AND item_type = ? AND opening_key = ?';

/** Stored rows read per page by importItems. */
const SCAN_PAGE = 1000;

/** Open reopened investigations per unit in ? (a JSON array): a seek on ix_casework_reopened (migration 17). */
export const SQLITE_REOPENED_OPEN_COUNTS_SQL = `SELECT unit_id AS unitId, COUNT(*) AS count FROM casework_items
  WHERE reopened = 1 AND status = 'oppen' AND unit_id IN (SELECT value FROM json_each(?))
  GROUP BY unit_id ORDER BY unit_id`;

/**
 * A row of importItems' scan, as an array (allArrays): id, reference, type, opening key, status,
 * whether the file's constant columns match (1 or 0), then the other columns' values.
 */
type StoredRow = [id: number, ref: string, type: string, opening: string, status: string, same: number, ...values: (string | number | null)[]];
/** Where the values begin in a StoredRow. */
const VALUES_AT = 6;

/** The date key of each FIELDS index that holds a date (undefined for the other columns). */
const DATE_KEY_AT: readonly (CaseworkDateKey | undefined)[] = FIELDS.map((f) => CASEWORK_DATE_KEYS.find((k) => CASEWORK_DATE_COLUMNS[k] === f));

/**
 * Where each key (reference, type, opening) stands in the file, compared as SQLite's BINARY
 * collation does: exact strings. Looked up by the reference first, so that no key string is
 * built per row (a reference mostly carries one item).
 */
class FilePositions {
  private readonly byReference = new Map<string, number | number[]>();
  /** Some key occurs more than once. */
  readonly repeated: boolean = false;

  constructor(private readonly records: readonly CaseworkRecord[]) {
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const there = this.byReference.get(r.caseReference);
      if (there === undefined) {
        this.byReference.set(r.caseReference, i);
        continue;
      }
      if (this.of(r.caseReference, r.type, r.openingKey ?? '') !== undefined) {
        this.repeated = true;
        return;
      }
      if (typeof there === 'number') this.byReference.set(r.caseReference, [there, i]);
      else there.push(i);
    }
  }

  /** The file's index of the key, if the file holds it. */
  of(reference: string, type: string, openingKey: string): number | undefined {
    const there = this.byReference.get(reference);
    if (there === undefined) return undefined;
    if (typeof there === 'number') return this.is(there, type, openingKey) ? there : undefined;
    return there.find((i) => this.is(i, type, openingKey));
  }

  private is(index: number, type: string, openingKey: string): boolean {
    const r = this.records[index]!;
    return r.type === type && (r.openingKey ?? '') === openingKey;
  }
}

/** Refused before anything is written: SQL Server's = ignores trailing whitespace, SQLite's does not. */
function checkRecords(records: readonly CaseworkRecord[]): void {
  for (const r of records) {
    needTrimmedCaseworkKeys(r);
    if (r.replacesOpeningKey !== undefined) needTrimmedKey(r.replacesOpeningKey, `replaced opening key of case "${r.caseReference}"`);
  }
}

export class SqliteCaseworkStore implements CaseworkStore {
  constructor(private readonly db: Db) {}

  /**
   * Nearly every row of a nightly export is unchanged, so what the source has stored is read once
   * (one indexed scan, on the unique key's leading column) and compared in memory with the file,
   * value by value as a row-by-row SELECT would: only new and changed rows are written. New rows
   * are inserted, changed and missing ones updated by id, all in the one transaction. A file that names a key twice (the CSV import refuses that; other callers may
   * not) is applied row by row, where each later occurrence sees the one before it.
   */
  async importItems(source: string, input: readonly CaseworkRecord[] | CaseworkImportPlan, opts: { closeMissing: boolean; at: Date; actor: string }): Promise<CaseworkImportResult> {
    needTrimmedKey(source, 'casework source');
    const plan = isCaseworkImportPlan(input) ? input : undefined;
    if (!plan) checkRecords(input as readonly CaseworkRecord[]);
    const db = this.db;
    const at = opts.at.toISOString();
    return db
      .transaction(() => {
        // A plan's history is read inside the write transaction (BEGIN IMMEDIATE: no other writer
        // between the read and the write), and its records built from it, synchronously.
        const records = plan ? plan.build(this.historyOf(source, plan.references)) : (input as readonly CaseworkRecord[]);
        if (plan) checkRecords(records);
        const position = new FilePositions(records);
        const repeated = position.repeated;
        this.applyCorrections(source, records);
        const result = repeated ? this.applyOneByOne(source, records, at) : this.applyCompared(source, records, position, at, opts.closeMissing);
        if (repeated && opts.closeMissing) result.closed = this.closeMissingByKeys(source, records, at);
        db.prepare(
          `INSERT INTO casework_imports (source, at, actor, full_import, rows_in_file, inserted, updated, unchanged, closed)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(source, at, opts.actor, opts.closeMissing ? 1 : 0, records.length, result.inserted, result.updated, result.unchanged, result.closed);
        return result;
      })
      .immediate();
  }

  /**
   * Corrected openings (CaseworkRecord.replacesOpeningKey): the stored open row takes the record's
   * key, so that the compare below finds it there and updates it. Runs first, inside the import's
   * transaction; a key that is stored already, or a closed or missing row, changes nothing here
   * (nor do the corrections caseworkCorrections leaves out).
   */
  private applyCorrections(source: string, records: readonly CaseworkRecord[]): void {
    const corrections = caseworkCorrections(records);
    if (corrections.length === 0) return;
    const rename = this.db.prepare(
      `UPDATE casework_items SET opening_key = ?
       WHERE source = ? AND case_reference = ? AND item_type = ? AND opening_key = ? AND status = 'oppen'
         AND NOT EXISTS (SELECT 1 FROM casework_items AS o WHERE o.source = ? AND o.case_reference = ? AND o.item_type = ? AND o.opening_key = ?)`,
    );
    for (const r of corrections) {
      const key = r.openingKey ?? '';
      rename.run(key, source, r.caseReference, r.type, r.replacesOpeningKey, source, r.caseReference, r.type, key);
    }
  }

  /** The history an import plan is built on (CaseworkImportHistory); inside the import's transaction. */
  private historyOf(source: string, references: readonly string[]): CaseworkImportHistory {
    if (references.length === 0) return { openings: new Map(), openInvestigations: new Map(), openDecisions: new Map() };
    return {
      openings: this.openingsOf(source, references),
      openInvestigations: this.openInvestigationsOf(source, references),
      openDecisions: byReferenceKey(
        this.db
          .prepare(`SELECT case_reference AS ref, opening_key AS opening FROM casework_items WHERE source = ? AND item_type = 'ej-verkstallt-beslut' AND status = 'oppen'`)
          .all(source) as { ref: string; opening: string }[],
        references,
        (r): OpenDecision => ({ caseReference: r.ref, openingKey: r.opening }),
      ),
    };
  }

  /** The import of a file whose keys are distinct (see importItems). Runs inside its transaction. */
  private applyCompared(source: string, records: readonly CaseworkRecord[], position: FilePositions, at: string, closeMissing: boolean): CaseworkImportResult {
    const db = this.db;
    const result: CaseworkImportResult = { inserted: 0, updated: 0, unchanged: 0, closed: 0 };
    const found = new Uint8Array(records.length);
    const changed: { id: number; index: number }[] = [];
    const missingOpen: number[] = [];
    // A column that holds one value in the whole file (most of the date columns are empty in
    // every row) is not read: one predicate says whether the stored row holds it too. `IS`
    // compares as the JavaScript `===` below does here: NULL only with NULL, text as exact
    // text in these TEXT columns, the 0/1 flags as integers in their INTEGER columns.
    const read: number[] = [];
    const fixed: number[] = [];
    const first = records[0];
    const datesUsed = new Set<string>();
    for (const r of records) for (const k in r.dates) if (r.dates[k as CaseworkDateKey] !== undefined) datesUsed.add(k);
    VALUE_OF.forEach((of, f) => {
      const date = DATE_KEY_AT[f];
      // A date column is fixed when it is empty in every row (the usual case), read otherwise.
      const isFixed = date !== undefined ? !datesUsed.has(date) : first !== undefined && records.every((r) => of(r) === of(first));
      (first !== undefined && isFixed ? fixed : read).push(f);
    });
    const sameFixed = fixed.length === 0 ? '1' : fixed.map((f) => `${FIELDS[f]} IS ?`).join(' AND ');
    const readOf = read.map((f) => VALUE_OF[f]!);
    const fixedValues = fixed.map((f) => VALUE_OF[f]!(first!));
    // Read in pages along the unique key (source, case_reference, item_type, opening_key), as
    // arrays (allArrays): prepared statements are cached per connection, so none may be left
    // iterating or in another mode (test/store/statement-cache.test.ts).
    const columns = `id, case_reference, item_type, opening_key, status, (${sameFixed})${read.map((f) => `, ${FIELDS[f]}`).join('')}`;
    const order = 'ORDER BY case_reference, item_type, opening_key LIMIT ?';
    const firstPage = db.prepare(`SELECT ${columns} FROM casework_items WHERE source = ? ${order}`);
    const nextPage = db.prepare(`SELECT ${columns} FROM casework_items WHERE source = ? AND (case_reference, item_type, opening_key) > (?, ?, ?) ${order}`);
    let page = allArrays<StoredRow>(firstPage, ...fixedValues, source, SCAN_PAGE);
    while (page.length > 0) {
      for (const row of page) {
        const index = position.of(row[1], row[2], row[3]);
        if (index === undefined) {
          if (closeMissing && row[4] === 'oppen') missingOpen.push(row[0]);
          continue;
        }
        found[index] = 1;
        const r = records[index]!;
        let same = row[5] === 1;
        for (let k = 0; k < readOf.length && same; k++) same = row[VALUES_AT + k] === readOf[k]!(r);
        if (same) result.unchanged++;
        else changed.push({ id: row[0], index });
      }
      if (page.length < SCAN_PAGE) break;
      const last = page[page.length - 1]!;
      page = allArrays<StoredRow>(nextPage, ...fixedValues, source, last[1], last[2], last[3], SCAN_PAGE);
    }

    const update = db.prepare(`UPDATE casework_items SET ${FIELDS.map((f) => `${f} = ?`).join(', ')}, updated_at = ?, closed_at = ? WHERE id = ?`);
    for (const { id, index } of changed) {
      const r = records[index]!;
      update.run(...values(r), at, r.status === 'avslutad' ? at : null, id);
    }
    result.updated = changed.length;

    // New rows in file order, so ids follow the file. One prepared INSERT per row: in-process,
    // within the transaction, that is faster than multi-row VALUES or a JSON batch (measured:
    // 100,000 rows in 470 ms against 630 and 670 ms), so the batch is the transaction itself.
    const insert = db.prepare(
      `INSERT INTO casework_items (source, case_reference, item_type, opening_key, ${FIELDS.join(', ')}, updated_at, closed_at, first_imported_at)
       VALUES (?, ?, ?, ?, ${FIELDS.map(() => '?').join(', ')}, ?, ?, ?)`,
    );
    for (let i = 0; i < records.length; i++) {
      if (found[i]) continue;
      const r = records[i]!;
      insert.run(source, r.caseReference, r.type, r.openingKey ?? '', ...values(r), at, r.status === 'avslutad' ? at : null, at);
      result.inserted++;
    }

    // A full export closes the source's open items it no longer holds; they are never deleted.
    const close = db.prepare(`UPDATE casework_items SET status = 'avslutad', closed_at = ?, updated_at = ? WHERE id = ? AND status = 'oppen'`);
    for (const id of missingOpen) result.closed += close.run(at, at, id).changes;
    return result;
  }

  /** Row by row: each record is compared with what is stored at that moment, earlier rows of the file included. */
  private applyOneByOne(source: string, records: readonly CaseworkRecord[], at: string): CaseworkImportResult {
    const db = this.db;
    const select = db.prepare(`SELECT ${FIELDS.join(', ')} FROM casework_items WHERE ${KEY}`);
    const insert = db.prepare(
      `INSERT INTO casework_items (source, case_reference, item_type, opening_key, ${FIELDS.join(', ')}, updated_at, closed_at, first_imported_at)
       VALUES (?, ?, ?, ?, ${FIELDS.map(() => '?').join(', ')}, ?, ?, ?)`,
    );
    const update = db.prepare(`UPDATE casework_items SET ${FIELDS.map((f) => `${f} = ?`).join(', ')}, updated_at = ?, closed_at = ? WHERE ${KEY}`);
    const result: CaseworkImportResult = { inserted: 0, updated: 0, unchanged: 0, closed: 0 };
    for (const r of records) {
      const v = values(r);
      const key = [source, r.caseReference, r.type, r.openingKey ?? ''] as const;
      const closedAt = r.status === 'avslutad' ? at : null;
      const existing = select.get(...key) as Row | undefined;
      if (!existing) {
        insert.run(...key, ...v, at, closedAt, at);
        result.inserted++;
      } else if (FIELDS.some((f, i) => existing[f] !== v[i])) {
        update.run(...v, at, closedAt, ...key);
        result.updated++;
      } else {
        result.unchanged++;
      }
    }
    return result;
  }

  /** Closes the source's open items whose key is not among the records (after applyOneByOne). */
  private closeMissingByKeys(source: string, records: readonly CaseworkRecord[], at: string): number {
    const db = this.db;
    db.exec('CREATE TEMP TABLE IF NOT EXISTS import_keys (ref TEXT NOT NULL, item_type TEXT NOT NULL, opening_key TEXT NOT NULL, PRIMARY KEY (ref, item_type, opening_key))');
    db.exec('DELETE FROM import_keys');
    const keep = db.prepare('INSERT OR IGNORE INTO import_keys (ref, item_type, opening_key) VALUES (?, ?, ?)');
    for (const r of records) keep.run(r.caseReference, r.type, r.openingKey ?? '');
    return db
      .prepare(
        `UPDATE casework_items SET status = 'avslutad', closed_at = ?, updated_at = ?
         WHERE source = ? AND status = 'oppen' AND NOT EXISTS (
           SELECT 1 FROM import_keys AS k
           WHERE k.ref = casework_items.case_reference AND k.item_type = casework_items.item_type AND k.opening_key = casework_items.opening_key)`,
      )
      .run(at, at, source).changes;
  }

  async listOpen(unitIds?: readonly string[]): Promise<StoredCaseworkItem[]> {
    // source and id last: two sources may share a key, and the review's pages must agree on their order.
    const order = 'ORDER BY unit_id, case_reference, item_type, opening_key, source, id';
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
    return this.openingsOf(source, references);
  }

  async openInvestigations(source: string, references: readonly string[]): Promise<Map<string, OpenInvestigation[]>> {
    return this.openInvestigationsOf(source, references);
  }

  private openingsOf(source: string, references: readonly string[]): Map<string, InvestigationOpening[]> {
    // SQLite's lower() folds ASCII only, so the reference key is compared here (the source's
    // investigations are read from the unique index's leading column; SQLite serves small registers).
    const rows = this.db
      .prepare(
        `SELECT case_reference AS ref, utredning_inledd AS opened, new_investigation AS ny, rattad_fran AS corrected FROM casework_items
         WHERE source = ? AND item_type = 'barnavardsutredning' AND utredning_inledd IS NOT NULL`,
      )
      .all(source) as { ref: string; opened: string; ny: number; corrected: string | null }[];
    return byReferenceKey(rows, references, (r): InvestigationOpening => ({
      opened: r.opened,
      newInvestigation: Boolean(r.ny),
      ...(r.corrected !== null ? { correctedFrom: r.corrected } : {}),
    }));
  }

  private openInvestigationsOf(source: string, references: readonly string[]): Map<string, OpenInvestigation[]> {
    const rows = this.db
      .prepare(
        `SELECT case_reference AS ref, opening_key AS opened, due_on AS due, first_imported_at AS first FROM casework_items
         WHERE source = ? AND item_type = 'barnavardsutredning' AND status = 'oppen' AND opening_key <> ''`,
      )
      .all(source) as { ref: string; opened: string; due: string | null; first: string | null }[];
    return byReferenceKey(rows, references, (r): OpenInvestigation => ({
      caseReference: r.ref,
      opened: r.opened,
      ...(r.due !== null ? { dueOn: r.due } : {}),
      ...(r.first !== null ? { firstImportedAt: new Date(r.first) } : {}),
    }));
  }

  async reopenedOpenCounts(unitIds: readonly string[]): Promise<{ unitId: string; count: number }[]> {
    const rows = this.db
      .prepare(SQLITE_REOPENED_OPEN_COUNTS_SQL)
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

  async staleReviewRanks(unitIds: readonly string[], today: string, limit: number): Promise<StaleRankItem[]> {
    const rows = this.db.prepare(SQLITE_STALE_RANKS_SQL).all({ units: JSON.stringify(unitIds), today, limit }) as Row[];
    return rows.map((r) => ({ ...fromRow(r), version: String(r.updated_at) }));
  }

  async storeReviewRanks(rows: readonly { id: number; version: string; rank: CaseworkRankRecord }[]): Promise<number> {
    const update = this.db.prepare(
      `UPDATE casework_items SET review_kind = @kind, review_due_on = @dueOn, review_weight = @weight, review_from_start = @fromStart,
         review_class = @cls, review_valid_from = @validFrom, review_valid_until = @validUntil, review_of = updated_at
       WHERE id = @id AND updated_at = @version`,
    );
    return this.db.transaction(() => {
      let n = 0;
      for (const { id, version, rank } of rows) {
        n += update.run({ id, version, kind: rank.kind, dueOn: rank.dueOn, weight: rank.weight, fromStart: rank.fromStart ? 1 : 0, cls: reviewClassOf(rank), validFrom: rank.validFrom, validUntil: rank.validUntil }).changes;
      }
      return n;
    })();
  }

  async invalidateReviewRanks(): Promise<number> {
    return this.db.prepare("UPDATE casework_items SET review_of = NULL WHERE status = 'oppen' AND review_of IS NOT NULL").run().changes;
  }

  async reviewRankCounts(unitId: string, today: string, warnUntil: string): Promise<ReviewGroupRow[]> {
    // One read transaction: the stale count and the class counts see the same rows.
    const read = this.db.transaction(() => ({
      stale: Number((this.db.prepare(SQLITE_STALE_RANK_COUNT_SQL).get({ unit: unitId, today }) as { n: number }).n),
      counts: this.db.prepare(SQLITE_CLASS_COUNTS_SQL).all({ unit: unitId, today, warnUntil, classes: JSON.stringify(COUNTED_CLASSES) }) as ClassCount[],
    }));
    const { stale, counts } = read();
    return rankRows(rankCounts(counts), stale);
  }

  async reviewGroups(unitId: string, today: string, warnUntil: string, ranks: readonly number[]): Promise<ReviewGroupRow[]> {
    const ranges = rangesOfRanks(ranks, today, warnUntil);
    const rows = ranges.length ? (this.db.prepare(SQLITE_CLASS_DUES_SQL).all({ unit: unitId, ranges: JSON.stringify(ranges) }) as { cls: number; due: string; n: number }[]) : [];
    const groups = rows.map((r) => ({ rank: rankOfClassOn(r.cls, r.due, today, warnUntil), due: r.due, n: r.n }));
    if (ranks.includes(2)) groups.push({ rank: 2, due: '', n: Number((this.db.prepare(SQLITE_UNJUDGEABLE_COUNT_SQL).get({ unit: unitId, cls: UNJUDGEABLE_CLASS }) as { n: number }).n) });
    return groupRows(groups, ranks);
  }

  async openByReviewDue(unitId: string, groups: readonly { rank: number; due: string }[]): Promise<StoredCaseworkItem[]> {
    const dated = groups.filter((g) => g.rank !== 2);
    const params = {
      unit: unitId,
      classes: JSON.stringify(classesOfRanks(dated.map((g) => g.rank))),
      dues: JSON.stringify([...new Set(dated.map((g) => g.due))]),
      unjudgeable: groups.some((g) => g.rank === 2) ? 1 : 0,
      unjudgeableClass: UNJUDGEABLE_CLASS,
    };
    if (!dated.length && !params.unjudgeable) return [];
    return (this.db.prepare(SQLITE_BY_REVIEW_DUE_SQL).all(params) as Row[]).map(fromRow);
  }
}

/** The unit's open rows whose stored rank does not hold on @today: never ranked or written since, or out of their days (may count a row twice). */
const SQLITE_STALE_RANK_COUNT_SQL = `SELECT
    (SELECT COUNT(*) FROM casework_items INDEXED BY ix_casework_review_stale
      WHERE unit_id = @unit AND status = 'oppen' AND (review_class IS NULL OR review_kind IS NULL OR review_valid_from IS NULL OR review_of IS NULL OR review_of <> updated_at))
  + (SELECT COUNT(*) FROM casework_items INDEXED BY ix_casework_review_until
      WHERE unit_id = @unit AND status = 'oppen' AND review_valid_until IS NOT NULL AND review_valid_until <= @today)
  + (SELECT COUNT(*) FROM casework_items INDEXED BY ix_casework_review_from
      WHERE unit_id = @unit AND status = 'oppen' AND review_valid_from > @today) AS n`;

/** Per stored class (@classes), the unit's open rows by their due day against @today and @warnUntil: index range counts only. */
const SQLITE_CLASS_COUNTS_SQL = `SELECT c.value AS cls,
    (SELECT COUNT(*) FROM casework_items INDEXED BY ix_casework_review_rank
      WHERE unit_id = @unit AND status = 'oppen' AND review_class = c.value AND review_due_on < @today) AS overdue,
    (SELECT COUNT(*) FROM casework_items INDEXED BY ix_casework_review_rank
      WHERE unit_id = @unit AND status = 'oppen' AND review_class = c.value AND review_due_on >= @today AND review_due_on <= @warnUntil) AS near,
    (SELECT COUNT(*) FROM casework_items INDEXED BY ix_casework_review_rank
      WHERE unit_id = @unit AND status = 'oppen' AND review_class = c.value AND review_due_on > @warnUntil) AS later,
    (SELECT COUNT(*) FROM casework_items INDEXED BY ix_casework_review_rank
      WHERE unit_id = @unit AND status = 'oppen' AND review_class = c.value AND review_due_on IS NULL) AS undated
  FROM json_each(@classes) AS c`;

/**
 * The unit's open rows per (class, due day) within each of @ranges ({ cls, from, to }, days
 * inclusive). CROSS JOIN keeps the ranges the outer loop: SQLite otherwise chose to scan the unit's
 * whole index once per range (3 ms against 0.05); they are read into columns once (MATERIALIZED).
 */
const SQLITE_CLASS_DUES_SQL = `WITH r AS MATERIALIZED (
    SELECT key AS n, json_extract(value, '$.cls') AS cls, json_extract(value, '$.from') AS day_from, json_extract(value, '$.to') AS day_to FROM json_each(@ranges)
  )
  SELECT r.cls AS cls, i.review_due_on AS due, COUNT(*) AS n
  FROM r CROSS JOIN casework_items AS i INDEXED BY ix_casework_review_rank
  WHERE i.unit_id = @unit AND i.status = 'oppen' AND i.review_class = r.cls AND i.review_due_on >= r.day_from AND i.review_due_on <= r.day_to
  GROUP BY r.n, i.review_due_on`;

const SQLITE_UNJUDGEABLE_COUNT_SQL = `SELECT COUNT(*) AS n FROM casework_items INDEXED BY ix_casework_review_rank WHERE unit_id = @unit AND status = 'oppen' AND review_class = @cls`;

/** The unit's open rows of @classes due on one of @dues, and (@unjudgeable) the unjudgeable ones, in listOpen's order. */
const SQLITE_BY_REVIEW_DUE_SQL = `SELECT * FROM casework_items INDEXED BY ix_casework_review_rank
    WHERE unit_id = @unit AND status = 'oppen' AND review_class IN (SELECT value FROM json_each(@classes)) AND review_due_on IN (SELECT value FROM json_each(@dues))
  UNION ALL
  SELECT * FROM casework_items INDEXED BY ix_casework_review_rank
    WHERE unit_id = @unit AND status = 'oppen' AND review_class = @unjudgeableClass AND @unjudgeable = 1
  ORDER BY unit_id, case_reference, item_type, opening_key, source, id`;

/** Open items of the units whose stored rank does not hold on @today (CaseworkStore.staleReviewRanks), from the indexes of migration 21. */
const SQLITE_STALE_RANKS_SQL = `SELECT * FROM casework_items WHERE id IN (
    SELECT id FROM casework_items INDEXED BY ix_casework_review_stale
      WHERE unit_id IN (SELECT value FROM json_each(@units)) AND status = 'oppen' AND (review_class IS NULL OR review_kind IS NULL OR review_valid_from IS NULL OR review_of IS NULL OR review_of <> updated_at)
    UNION
    SELECT id FROM casework_items INDEXED BY ix_casework_review_until
      WHERE unit_id IN (SELECT value FROM json_each(@units)) AND status = 'oppen' AND review_valid_until IS NOT NULL AND review_valid_until <= @today
    UNION
    SELECT id FROM casework_items INDEXED BY ix_casework_review_from
      WHERE unit_id IN (SELECT value FROM json_each(@units)) AND status = 'oppen' AND review_valid_from > @today
  )
  ORDER BY id LIMIT @limit`;



/**
 * The casework deadline register on SQL Server. Behaviour mirrors ../sqlite/sqlite-casework.ts,
 * which is the reference; both must pass test/store/contract.ts. Every SQL text here is in
 * MSSQL_CASEWORK_SQL, which test/store/mssql-sql.test.ts parse-checks.
 *
 * importItems() is one transaction and a fixed number of round trips, whatever the file's size
 * (the nightly export may hold 100,000 rows):
 * 1. The source's key range in uq_casework_items_source_reference is locked (UPDLOCK, HOLDLOCK)
 *    until commit, so that two imports of the same source run one after the other and the
 *    INSERT … WHERE NOT EXISTS below cannot race another import into a duplicate key.
 * 2. The file is bulk-loaded into the session temp table #casework_import (one TDS bulk load, no
 *    2,100-parameter limit).
 * 3. Set-based statements: UPDATE of the rows whose values differ (the WHERE clause compares every
 *    column NULL-safely and, through DATALENGTH, also trailing spaces, which `=` ignores), so its
 *    row count is the number updated; INSERT of the references not stored yet; the rest of the
 *    file is unchanged. With closeMissing, one UPDATE closes the source's open items that are not
 *    in the temp table. Then the import is logged and the temp table dropped.
 *
 * A reference that occurs more than once in the file behaves as in SQLite, which applies the rows
 * one by one: the first occurrence is compared with the stored row (pass 1); each later occurrence
 * is compared with the one before it, in memory, and counts as updated when it differs, unchanged
 * when not; when any did differ, the last that differed is written unconditionally (pass 2).
 * References are grouped as SQL Server compares them: trailing spaces do not count ("A" and "A "
 * are one item, where SQLite would keep two).
 *
 * ISO calendar dates travel as 'YYYY-MM-DD' text (checked here first, so that a bad date fails with
 * a clear message), are converted with CONVERT(DATE, …, 23) and read back with
 * CONVERT(NVARCHAR(10), …, 23), as in ./mssql-cases.ts. The stored deadline (due_on, stops_on,
 * migration 8) is written and compared like the other dates: a changed deadline alone is an update.
 *
 * setDeadlines() is one transaction of a fixed number of round trips too: the deadlines are
 * bulk-loaded into #casework_deadlines and written with one UPDATE … FROM.
 */
import * as sql from 'mssql';
import { CASEWORK_DATE_KEYS, type CaseworkDates, type CaseworkImportResult, type CaseworkRecord, type CaseworkStore, type StoredCaseworkItem } from '../casework';
import { CASEWORK_DATE_COLUMNS } from '../casework-rows';
import { bulkLoad, fits, need, needIsoDate, topOf, type BulkColumn, type BulkValue, type Db } from './mssql-db';

/** The session temp table importItems() bulk-loads; created by MSSQL_CASEWORK_SQL.importCreateTempTable. */
export const MSSQL_CASEWORK_TEMP_TABLE = '#casework_import';
/** The session temp table setDeadlines() bulk-loads; created by MSSQL_CASEWORK_SQL.deadlinesCreateTempTable. */
export const MSSQL_CASEWORK_DEADLINES_TEMP_TABLE = '#casework_deadlines';

/** Every SQL text of the casework register. Parameters are @named and bound with explicit types. */
export const MSSQL_CASEWORK_SQL = {
  // --- import (one transaction) -----------------------------------------------------------------
  /**
   * Taken first: update locks on the source's rows and key range (new references included) until
   * commit. A large source escalates to a table lock, which is acceptable for a nightly import.
   */
  importLockSource: `SELECT COUNT(*) AS n FROM casework_items WITH (UPDLOCK, HOLDLOCK) WHERE source = @source`,
  /**
   * Run as a plain batch: a temp table created inside sp_executesql would vanish when it returns.
   * pass_no 1 holds every reference of the file once (its first occurrence); pass_no 2 the last
   * differing later occurrence, if any. Dates are text here and converted where they are used.
   */
  importCreateTempTable: `CREATE TABLE #casework_import (
      case_reference NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
      pass_no TINYINT NOT NULL,
      item_type NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
      unit_id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
      handlaggare NVARCHAR(320) COLLATE Latin1_General_100_BIN2 NULL,
      status NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL,
      orosanmalan_mottagen NVARCHAR(10) NULL,
      utredning_inledd NVARCHAR(10) NULL,
      forlangning_beslutad NVARCHAR(10) NULL,
      forlangd_till NVARCHAR(10) NULL,
      placering_start NVARCHAR(10) NULL,
      senaste_overvagande NVARCHAR(10) NULL,
      lvu_beslut NVARCHAR(10) NULL,
      senaste_omprovning NVARCHAR(10) NULL,
      beslutsdatum NVARCHAR(10) NULL,
      verkstallt_datum NVARCHAR(10) NULL,
      due_on NVARCHAR(10) NULL,
      stops_on NVARCHAR(10) NULL,
      PRIMARY KEY (case_reference, pass_no)
    )`,
  /**
   * Pass 1, stored rows whose values differ from the file's; rowsAffected is the number updated.
   * Text columns differ when `<>` says so or their byte lengths do (trailing spaces); a nullable
   * column also when exactly one side is NULL. closed_at is set anew, as SQLite's update does.
   */
  importUpdateChanged: `UPDATE i SET item_type = s.item_type, unit_id = s.unit_id, handlaggare = s.handlaggare, status = s.status,
      orosanmalan_mottagen = CONVERT(DATE, s.orosanmalan_mottagen, 23),
      utredning_inledd = CONVERT(DATE, s.utredning_inledd, 23),
      forlangning_beslutad = CONVERT(DATE, s.forlangning_beslutad, 23),
      forlangd_till = CONVERT(DATE, s.forlangd_till, 23),
      placering_start = CONVERT(DATE, s.placering_start, 23),
      senaste_overvagande = CONVERT(DATE, s.senaste_overvagande, 23),
      lvu_beslut = CONVERT(DATE, s.lvu_beslut, 23),
      senaste_omprovning = CONVERT(DATE, s.senaste_omprovning, 23),
      beslutsdatum = CONVERT(DATE, s.beslutsdatum, 23),
      verkstallt_datum = CONVERT(DATE, s.verkstallt_datum, 23),
      due_on = CONVERT(DATE, s.due_on, 23),
      stops_on = CONVERT(DATE, s.stops_on, 23),
      updated_at = @at,
      closed_at = CASE WHEN s.status = N'avslutad' THEN @at ELSE NULL END
    FROM casework_items AS i
    INNER JOIN #casework_import AS s ON s.case_reference = i.case_reference
    WHERE i.source = @source AND s.pass_no = 1 AND (
      i.item_type <> s.item_type OR DATALENGTH(i.item_type) <> DATALENGTH(s.item_type)
      OR i.unit_id <> s.unit_id OR DATALENGTH(i.unit_id) <> DATALENGTH(s.unit_id)
      OR i.status <> s.status OR DATALENGTH(i.status) <> DATALENGTH(s.status)
      OR i.handlaggare <> s.handlaggare OR DATALENGTH(i.handlaggare) <> DATALENGTH(s.handlaggare)
      OR (i.handlaggare IS NULL AND s.handlaggare IS NOT NULL) OR (i.handlaggare IS NOT NULL AND s.handlaggare IS NULL)
      OR i.orosanmalan_mottagen <> CONVERT(DATE, s.orosanmalan_mottagen, 23)
      OR (i.orosanmalan_mottagen IS NULL AND s.orosanmalan_mottagen IS NOT NULL) OR (i.orosanmalan_mottagen IS NOT NULL AND s.orosanmalan_mottagen IS NULL)
      OR i.utredning_inledd <> CONVERT(DATE, s.utredning_inledd, 23)
      OR (i.utredning_inledd IS NULL AND s.utredning_inledd IS NOT NULL) OR (i.utredning_inledd IS NOT NULL AND s.utredning_inledd IS NULL)
      OR i.forlangning_beslutad <> CONVERT(DATE, s.forlangning_beslutad, 23)
      OR (i.forlangning_beslutad IS NULL AND s.forlangning_beslutad IS NOT NULL) OR (i.forlangning_beslutad IS NOT NULL AND s.forlangning_beslutad IS NULL)
      OR i.forlangd_till <> CONVERT(DATE, s.forlangd_till, 23)
      OR (i.forlangd_till IS NULL AND s.forlangd_till IS NOT NULL) OR (i.forlangd_till IS NOT NULL AND s.forlangd_till IS NULL)
      OR i.placering_start <> CONVERT(DATE, s.placering_start, 23)
      OR (i.placering_start IS NULL AND s.placering_start IS NOT NULL) OR (i.placering_start IS NOT NULL AND s.placering_start IS NULL)
      OR i.senaste_overvagande <> CONVERT(DATE, s.senaste_overvagande, 23)
      OR (i.senaste_overvagande IS NULL AND s.senaste_overvagande IS NOT NULL) OR (i.senaste_overvagande IS NOT NULL AND s.senaste_overvagande IS NULL)
      OR i.lvu_beslut <> CONVERT(DATE, s.lvu_beslut, 23)
      OR (i.lvu_beslut IS NULL AND s.lvu_beslut IS NOT NULL) OR (i.lvu_beslut IS NOT NULL AND s.lvu_beslut IS NULL)
      OR i.senaste_omprovning <> CONVERT(DATE, s.senaste_omprovning, 23)
      OR (i.senaste_omprovning IS NULL AND s.senaste_omprovning IS NOT NULL) OR (i.senaste_omprovning IS NOT NULL AND s.senaste_omprovning IS NULL)
      OR i.beslutsdatum <> CONVERT(DATE, s.beslutsdatum, 23)
      OR (i.beslutsdatum IS NULL AND s.beslutsdatum IS NOT NULL) OR (i.beslutsdatum IS NOT NULL AND s.beslutsdatum IS NULL)
      OR i.verkstallt_datum <> CONVERT(DATE, s.verkstallt_datum, 23)
      OR (i.verkstallt_datum IS NULL AND s.verkstallt_datum IS NOT NULL) OR (i.verkstallt_datum IS NOT NULL AND s.verkstallt_datum IS NULL)
      OR i.due_on <> CONVERT(DATE, s.due_on, 23)
      OR (i.due_on IS NULL AND s.due_on IS NOT NULL) OR (i.due_on IS NOT NULL AND s.due_on IS NULL)
      OR i.stops_on <> CONVERT(DATE, s.stops_on, 23)
      OR (i.stops_on IS NULL AND s.stops_on IS NOT NULL) OR (i.stops_on IS NOT NULL AND s.stops_on IS NULL)
    )`,
  /** Pass 1, references not stored yet; rowsAffected is the number inserted. Runs after the update. */
  importInsertNew: `INSERT INTO casework_items (source, case_reference, item_type, unit_id, handlaggare, status,
      orosanmalan_mottagen, utredning_inledd, forlangning_beslutad, forlangd_till, placering_start,
      senaste_overvagande, lvu_beslut, senaste_omprovning, beslutsdatum, verkstallt_datum, updated_at, closed_at,
      due_on, stops_on)
    SELECT @source, s.case_reference, s.item_type, s.unit_id, s.handlaggare, s.status,
      CONVERT(DATE, s.orosanmalan_mottagen, 23), CONVERT(DATE, s.utredning_inledd, 23),
      CONVERT(DATE, s.forlangning_beslutad, 23), CONVERT(DATE, s.forlangd_till, 23),
      CONVERT(DATE, s.placering_start, 23), CONVERT(DATE, s.senaste_overvagande, 23),
      CONVERT(DATE, s.lvu_beslut, 23), CONVERT(DATE, s.senaste_omprovning, 23),
      CONVERT(DATE, s.beslutsdatum, 23), CONVERT(DATE, s.verkstallt_datum, 23),
      @at, CASE WHEN s.status = N'avslutad' THEN @at ELSE NULL END,
      CONVERT(DATE, s.due_on, 23), CONVERT(DATE, s.stops_on, 23)
    FROM #casework_import AS s
    WHERE s.pass_no = 1
      AND NOT EXISTS (SELECT 1 FROM casework_items AS i WHERE i.source = @source AND i.case_reference = s.case_reference)`,
  /** Pass 2, only when a reference occurred again with other values: the last such occurrence, unconditionally. */
  importUpdateRepeated: `UPDATE i SET item_type = s.item_type, unit_id = s.unit_id, handlaggare = s.handlaggare, status = s.status,
      orosanmalan_mottagen = CONVERT(DATE, s.orosanmalan_mottagen, 23),
      utredning_inledd = CONVERT(DATE, s.utredning_inledd, 23),
      forlangning_beslutad = CONVERT(DATE, s.forlangning_beslutad, 23),
      forlangd_till = CONVERT(DATE, s.forlangd_till, 23),
      placering_start = CONVERT(DATE, s.placering_start, 23),
      senaste_overvagande = CONVERT(DATE, s.senaste_overvagande, 23),
      lvu_beslut = CONVERT(DATE, s.lvu_beslut, 23),
      senaste_omprovning = CONVERT(DATE, s.senaste_omprovning, 23),
      beslutsdatum = CONVERT(DATE, s.beslutsdatum, 23),
      verkstallt_datum = CONVERT(DATE, s.verkstallt_datum, 23),
      due_on = CONVERT(DATE, s.due_on, 23),
      stops_on = CONVERT(DATE, s.stops_on, 23),
      updated_at = @at,
      closed_at = CASE WHEN s.status = N'avslutad' THEN @at ELSE NULL END
    FROM casework_items AS i
    INNER JOIN #casework_import AS s ON s.case_reference = i.case_reference
    WHERE i.source = @source AND s.pass_no = 2`,
  /** A full import: open items of the source that the file does not contain are closed, never deleted. */
  importCloseMissing: `UPDATE casework_items SET status = N'avslutad', closed_at = @at, updated_at = @at
    WHERE source = @source AND status = N'oppen'
      AND NOT EXISTS (SELECT 1 FROM #casework_import AS s WHERE s.case_reference = casework_items.case_reference)`,
  importLog: `INSERT INTO casework_imports (source, at, actor, full_import, rows_in_file, inserted, updated, unchanged, closed)
    VALUES (@source, @at, @actor, @fullImport, @rowsInFile, @inserted, @updated, @unchanged, @closed)`,
  importDropTempTable: `DROP TABLE #casework_import`,

  // --- reads ------------------------------------------------------------------------------------
  /** Binary collation: ordered by code point, as SQLite orders TEXT. */
  listOpen: `SELECT id, source, case_reference, item_type, unit_id, handlaggare, status,
      CONVERT(NVARCHAR(10), orosanmalan_mottagen, 23) AS orosanmalan_mottagen,
      CONVERT(NVARCHAR(10), utredning_inledd, 23) AS utredning_inledd,
      CONVERT(NVARCHAR(10), forlangning_beslutad, 23) AS forlangning_beslutad,
      CONVERT(NVARCHAR(10), forlangd_till, 23) AS forlangd_till,
      CONVERT(NVARCHAR(10), placering_start, 23) AS placering_start,
      CONVERT(NVARCHAR(10), senaste_overvagande, 23) AS senaste_overvagande,
      CONVERT(NVARCHAR(10), lvu_beslut, 23) AS lvu_beslut,
      CONVERT(NVARCHAR(10), senaste_omprovning, 23) AS senaste_omprovning,
      CONVERT(NVARCHAR(10), beslutsdatum, 23) AS beslutsdatum,
      CONVERT(NVARCHAR(10), verkstallt_datum, 23) AS verkstallt_datum,
      CONVERT(NVARCHAR(10), due_on, 23) AS due_on,
      CONVERT(NVARCHAR(10), stops_on, 23) AS stops_on,
      updated_at, closed_at
    FROM casework_items WHERE status = N'oppen' ORDER BY unit_id, case_reference`,
  /**
   * The same, for the units in @unitIds (a JSON array of strings). OPENJSON needs database
   * compatibility level 130 (SQL Server 2016) or higher; its values carry the database collation,
   * hence the explicit COLLATE.
   */
  listOpenForUnits: `SELECT id, source, case_reference, item_type, unit_id, handlaggare, status,
      CONVERT(NVARCHAR(10), orosanmalan_mottagen, 23) AS orosanmalan_mottagen,
      CONVERT(NVARCHAR(10), utredning_inledd, 23) AS utredning_inledd,
      CONVERT(NVARCHAR(10), forlangning_beslutad, 23) AS forlangning_beslutad,
      CONVERT(NVARCHAR(10), forlangd_till, 23) AS forlangd_till,
      CONVERT(NVARCHAR(10), placering_start, 23) AS placering_start,
      CONVERT(NVARCHAR(10), senaste_overvagande, 23) AS senaste_overvagande,
      CONVERT(NVARCHAR(10), lvu_beslut, 23) AS lvu_beslut,
      CONVERT(NVARCHAR(10), senaste_omprovning, 23) AS senaste_omprovning,
      CONVERT(NVARCHAR(10), beslutsdatum, 23) AS beslutsdatum,
      CONVERT(NVARCHAR(10), verkstallt_datum, 23) AS verkstallt_datum,
      CONVERT(NVARCHAR(10), due_on, 23) AS due_on,
      CONVERT(NVARCHAR(10), stops_on, 23) AS stops_on,
      updated_at, closed_at
    FROM casework_items
    WHERE status = N'oppen' AND unit_id IN (SELECT value COLLATE Latin1_General_100_BIN2 FROM OPENJSON(@unitIds))
    ORDER BY unit_id, case_reference`,
  count: `SELECT COUNT(*) AS n FROM casework_items`,
  /** Open items written before deadlines were kept (migration 8), at most @limit, by id. */
  openWithoutDeadline: `SELECT TOP (@limit) id, source, case_reference, item_type, unit_id, handlaggare, status,
      CONVERT(NVARCHAR(10), orosanmalan_mottagen, 23) AS orosanmalan_mottagen,
      CONVERT(NVARCHAR(10), utredning_inledd, 23) AS utredning_inledd,
      CONVERT(NVARCHAR(10), forlangning_beslutad, 23) AS forlangning_beslutad,
      CONVERT(NVARCHAR(10), forlangd_till, 23) AS forlangd_till,
      CONVERT(NVARCHAR(10), placering_start, 23) AS placering_start,
      CONVERT(NVARCHAR(10), senaste_overvagande, 23) AS senaste_overvagande,
      CONVERT(NVARCHAR(10), lvu_beslut, 23) AS lvu_beslut,
      CONVERT(NVARCHAR(10), senaste_omprovning, 23) AS senaste_omprovning,
      CONVERT(NVARCHAR(10), beslutsdatum, 23) AS beslutsdatum,
      CONVERT(NVARCHAR(10), verkstallt_datum, 23) AS verkstallt_datum,
      CONVERT(NVARCHAR(10), due_on, 23) AS due_on,
      CONVERT(NVARCHAR(10), stops_on, 23) AS stops_on,
      updated_at, closed_at
    FROM casework_items WHERE status = N'oppen' AND due_on IS NULL ORDER BY id`,

  // --- setDeadlines (one transaction) -------------------------------------------------------------
  /** Run as a plain batch, like importCreateTempTable. One row per item id; dates are text here. */
  deadlinesCreateTempTable: `CREATE TABLE #casework_deadlines (
      id INT NOT NULL,
      due_on NVARCHAR(10) NOT NULL,
      stops_on NVARCHAR(10) NULL,
      PRIMARY KEY (id)
    )`,
  /** Only the deadline columns: setting a deadline is not a change of the item (updated_at stays). */
  deadlinesUpdate: `UPDATE i SET due_on = CONVERT(DATE, s.due_on, 23), stops_on = CONVERT(DATE, s.stops_on, 23)
    FROM casework_items AS i
    INNER JOIN #casework_deadlines AS s ON s.id = i.id`,
  deadlinesDropTempTable: `DROP TABLE #casework_deadlines`,
} as const;

/**
 * Column lengths (UTF-16 code units) as migration 4 in ./migrations.ts declares them. Values that
 * do not fit are refused with a clear message, never cut.
 */
export const MSSQL_CASEWORK_LIMITS = {
  source: 100,
  caseReference: 200,
  type: 100,
  unitId: 200,
  handlaggare: 320,
  status: 20,
  actor: 400,
  /** 'YYYY-MM-DD'. */
  isoDate: 10,
} as const;

const L = MSSQL_CASEWORK_LIMITS;

const T = {
  text: (len: number) => sql.NVarChar(len),
  max: () => sql.NVarChar(sql.MAX),
  at: () => sql.DateTime2(3),
};

/**
 * The temp table's columns in the order rowValues() gives them; bulk loading matches them by name.
 * Fresh objects on every call: mssql's Table writes into the type objects it is given.
 */
export function caseworkImportColumns(): BulkColumn[] {
  return [
    ['case_reference', T.text(L.caseReference), false],
    ['pass_no', sql.TinyInt(), false],
    ['item_type', T.text(L.type), false],
    ['unit_id', T.text(L.unitId), false],
    ['handlaggare', T.text(L.handlaggare), true],
    ['status', T.text(L.status), false],
    ...CASEWORK_DATE_KEYS.map((k): BulkColumn => [CASEWORK_DATE_COLUMNS[k], T.text(L.isoDate), true]),
    ['due_on', T.text(L.isoDate), true],
    ['stops_on', T.text(L.isoDate), true],
  ];
}

/** The columns of #casework_deadlines, in the order setDeadlines() gives them (fresh objects, as above). */
export function caseworkDeadlineColumns(): BulkColumn[] {
  return [
    ['id', sql.Int(), false],
    ['due_on', T.text(L.isoDate), false],
    ['stops_on', T.text(L.isoDate), true],
  ];
}

/** The compared values of a record, as SQLite's adapter compares them (type, unit, handläggare, status, dates, deadline). */
function values(r: CaseworkRecord): (string | null)[] {
  return [r.type, r.unitId, r.handlaggare ?? null, r.status, ...CASEWORK_DATE_KEYS.map((k) => r.dates[k] ?? null), r.dueOn ?? null, r.stopsOn ?? null];
}

function sameValues(a: readonly (string | null)[], b: readonly (string | null)[]): boolean {
  return a.every((v, i) => v === b[i]);
}

function rowValues(r: CaseworkRecord, pass: 1 | 2): BulkValue[] {
  return [
    r.caseReference, pass, r.type, r.unitId, r.handlaggare ?? null, r.status,
    ...CASEWORK_DATE_KEYS.map((k) => r.dates[k] ?? null), r.dueOn ?? null, r.stopsOn ?? null,
  ];
}

function checkRecord(r: CaseworkRecord): void {
  need(r.caseReference, L.caseReference, 'case reference');
  const of = `of case "${r.caseReference}"`;
  need(r.type, L.type, `type ${of}`);
  need(r.unitId, L.unitId, `unit id ${of}`);
  if (r.handlaggare !== undefined) need(r.handlaggare, L.handlaggare, `handläggare ${of}`);
  need(r.status, L.status, `status ${of}`);
  for (const k of CASEWORK_DATE_KEYS) {
    const d = r.dates[k];
    if (d !== undefined) needIsoDate(d, `${k} ${of}`);
  }
  if (r.dueOn !== undefined) needIsoDate(r.dueOn, `due day ${of}`);
  if (r.stopsOn !== undefined) needIsoDate(r.stopsOn, `stop day ${of}`);
}

/** SQL Server's string equality ignores trailing spaces; references are grouped the same way. */
const referenceKey = (ref: string) => ref.replace(/ +$/, '');

interface Plan {
  /** Rows for the temp table: every reference's first occurrence (pass 1), plus pass-2 rows. */
  rows: BulkValue[][];
  references: number;
  /** Counts from later occurrences of a reference, compared with the occurrence before them. */
  repeatedUpdated: number;
  repeatedUnchanged: number;
  hasPass2: boolean;
}

/** Splits the file into what SQL compares with the stored rows and what only needs counting (see the header). */
function plan(records: readonly CaseworkRecord[]): Plan {
  const groups = new Map<string, { first: CaseworkRecord; last: readonly (string | null)[]; lastChanged?: CaseworkRecord }>();
  let repeatedUpdated = 0;
  let repeatedUnchanged = 0;
  for (const r of records) {
    const key = referenceKey(r.caseReference);
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { first: r, last: values(r) });
      continue;
    }
    const v = values(r);
    if (sameValues(v, g.last)) {
      repeatedUnchanged++;
    } else {
      repeatedUpdated++;
      g.last = v;
      g.lastChanged = r;
    }
  }
  const rows: BulkValue[][] = [];
  let hasPass2 = false;
  for (const g of groups.values()) {
    rows.push(rowValues(g.first, 1));
    if (g.lastChanged) {
      // The pass-2 row carries the first occurrence's reference, the temp table's key for the group.
      rows.push(rowValues({ ...g.lastChanged, caseReference: g.first.caseReference }, 2));
      hasPass2 = true;
    }
  }
  return { rows, references: groups.size, repeatedUpdated, repeatedUnchanged, hasPass2 };
}

interface ItemRow {
  id: number;
  source: string;
  case_reference: string;
  item_type: string;
  unit_id: string;
  handlaggare: string | null;
  status: string;
  due_on: string | null;
  stops_on: string | null;
  updated_at: Date;
  closed_at: Date | null;
  [dateColumn: string]: string | number | Date | null;
}

function fromRow(r: ItemRow): StoredCaseworkItem {
  const dates: CaseworkDates = {};
  for (const k of CASEWORK_DATE_KEYS) {
    const v = r[CASEWORK_DATE_COLUMNS[k]];
    if (typeof v === 'string') dates[k] = v;
  }
  return {
    id: r.id,
    source: r.source,
    caseReference: r.case_reference,
    type: r.item_type,
    unitId: r.unit_id,
    ...(r.handlaggare !== null ? { handlaggare: r.handlaggare } : {}),
    status: r.status as StoredCaseworkItem['status'],
    dates,
    ...(r.due_on !== null ? { dueOn: r.due_on } : {}),
    ...(r.stops_on !== null ? { stopsOn: r.stops_on } : {}),
    updatedAt: r.updated_at,
    ...(r.closed_at !== null ? { closedAt: r.closed_at } : {}),
  };
}

export class MssqlCaseworkStore implements CaseworkStore {
  constructor(private readonly db: Db) {}

  async importItems(source: string, records: readonly CaseworkRecord[], opts: { closeMissing: boolean; at: Date; actor: string }): Promise<CaseworkImportResult> {
    need(source, L.source, 'casework source');
    need(opts.actor, L.actor, 'import actor');
    for (const r of records) checkRecord(r);
    const p = plan(records);
    const S = MSSQL_CASEWORK_SQL;
    return this.db.inTransaction(
      async (tx) => {
        const run = async (text: string) =>
          (await new sql.Request(tx).input('source', T.text(L.source), source).input('at', T.at(), opts.at).query(text)).rowsAffected[0] ?? 0;

        await new sql.Request(tx).input('source', T.text(L.source), source).query(S.importLockSource);
        await new sql.Request(tx).batch(S.importCreateTempTable);
        await bulkLoad(tx, MSSQL_CASEWORK_TEMP_TABLE, caseworkImportColumns(), p.rows);

        const updated = await run(S.importUpdateChanged);
        const inserted = await run(S.importInsertNew);
        if (p.hasPass2) await run(S.importUpdateRepeated);
        const closed = opts.closeMissing ? await run(S.importCloseMissing) : 0;
        const result: CaseworkImportResult = {
          inserted,
          updated: updated + p.repeatedUpdated,
          unchanged: p.references - inserted - updated + p.repeatedUnchanged,
          closed,
        };

        await new sql.Request(tx)
          .input('source', T.text(L.source), source)
          .input('at', T.at(), opts.at)
          .input('actor', T.text(L.actor), opts.actor)
          .input('fullImport', sql.Bit, opts.closeMissing)
          .input('rowsInFile', sql.Int, records.length)
          .input('inserted', sql.Int, result.inserted)
          .input('updated', sql.Int, result.updated)
          .input('unchanged', sql.Int, result.unchanged)
          .input('closed', sql.Int, result.closed)
          .query(S.importLog);
        await new sql.Request(tx).batch(S.importDropTempTable);
        return result;
      },
      { retryDeadlocks: true },
    );
  }

  async listOpen(unitIds?: readonly string[]): Promise<StoredCaseworkItem[]> {
    if (unitIds === undefined) {
      const r = await this.db.pool.request().query<ItemRow>(MSSQL_CASEWORK_SQL.listOpen);
      return r.recordset.map(fromRow);
    }
    // A unit id longer than the column cannot have been stored.
    const wanted = unitIds.filter((u) => fits(u, L.unitId));
    if (wanted.length === 0) return [];
    const r = await this.db.pool
      .request()
      .input('unitIds', T.max(), JSON.stringify(wanted))
      .query<ItemRow>(MSSQL_CASEWORK_SQL.listOpenForUnits);
    return r.recordset.map(fromRow);
  }

  async count(): Promise<number> {
    const r = await this.db.pool.request().query<{ n: number }>(MSSQL_CASEWORK_SQL.count);
    return r.recordset[0]?.n ?? 0;
  }

  async openWithoutDeadline(limit: number): Promise<StoredCaseworkItem[]> {
    const r = await this.db.pool.request().input('limit', sql.Int, topOf(limit)).query<ItemRow>(MSSQL_CASEWORK_SQL.openWithoutDeadline);
    return r.recordset.map(fromRow);
  }

  async setDeadlines(items: readonly { id: number; dueOn: string; stopsOn?: string }[]): Promise<void> {
    for (const i of items) {
      needIsoDate(i.dueOn, `due day of casework item ${i.id}`);
      if (i.stopsOn !== undefined) needIsoDate(i.stopsOn, `stop day of casework item ${i.id}`);
    }
    // SQLite applies them one by one, so a repeated id ends with its last deadline; the temp
    // table's key takes each id once.
    const last = new Map(items.map((i) => [i.id, i]));
    if (last.size === 0) return;
    const rows = [...last.values()].map((i): BulkValue[] => [i.id, i.dueOn, i.stopsOn ?? null]);
    const S = MSSQL_CASEWORK_SQL;
    await this.db.inTransaction(
      async (tx) => {
        await new sql.Request(tx).batch(S.deadlinesCreateTempTable);
        await bulkLoad(tx, MSSQL_CASEWORK_DEADLINES_TEMP_TABLE, caseworkDeadlineColumns(), rows);
        await new sql.Request(tx).query(S.deadlinesUpdate);
        await new sql.Request(tx).batch(S.deadlinesDropTempTable);
      },
      { retryDeadlocks: true },
    );
  }
}

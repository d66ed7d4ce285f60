/**
 * The casework deadline register on SQL Server. Behaviour mirrors ../sqlite/sqlite-casework.ts,
 * which is the reference; both must pass test/store/contract.ts. Every SQL text here is in
 * MSSQL_CASEWORK_SQL, which test/store/mssql-sql.test.ts parse-checks.
 *
 * importItems() is one transaction and a fixed number of round trips, whatever the file's size
 * (the nightly export may hold 100,000 rows):
 * 1. An application lock per import source (sp_getapplock, owned by the transaction) is taken
 *    first, so that two imports of the same source run one after the other and the INSERT … WHERE
 *    NOT EXISTS below cannot race another import into a duplicate key. Its return code decides:
 *    -3 (chosen as deadlock victim) is retried like error 1205, a timeout fails with a message.
 *    Imports of other sources take only row locks on their own rows, so they run side by side:
 *    lock escalation is disabled on casework_items (migration 13), since a statement writing
 *    5,000 rows would otherwise escalate to an X lock on the whole table and block every other
 *    writer until commit. Readers are never blocked: READ_COMMITTED_SNAPSHOT, which migrate()
 *    requires, and SNAPSHOT read row versions.
 * 2. Given a plan (CaseworkImportPlan), the source's history under its references is read under
 *    that lock (firstOpenings, openInvestigations, openDecisions) and the records are built from it,
 *    so that two imports of one source never decide on history the other is changing. The file is
 *    then bulk-loaded into the session temp table #casework_import (one TDS bulk load, no
 *    2,100-parameter limit).
 * 3. Set-based statements: first, when the file corrects an opening day, the stored open row is
 *    moved to the file's key (importRenameCorrected, as SQLite's applyCorrections); then UPDATE of the rows whose values differ (the WHERE clause compares every
 *    column NULL-safely and, through DATALENGTH, also trailing spaces, which `=` ignores), so its
 *    row count is the number updated; INSERT of the references not stored yet (first_imported_at is
 *    the import's time, migration 16, and is never written again); the rest of the
 *    file is unchanged. With closeMissing, one UPDATE closes the source's open items that are not
 *    in the temp table. Then the import is logged and the temp table dropped. Each count is read
 *    from SELECT @@ROWCOUNT after its statement (rowsChanged), so NOCOUNT cannot zero them.
 *
 * A reference that occurs more than once in the file behaves as in SQLite, which applies the rows
 * one by one: the first occurrence is compared with the stored row (pass 1); each later occurrence
 * is compared with the one before it, in memory, and counts as updated when it differs, unchanged
 * when not; when any did differ, the last that differed is written unconditionally (pass 2).
 * Keys (source, reference, type, opening) that end in whitespace are refused, in both adapters
 * (../keys.ts): SQL Server's = ignores trailing spaces, SQLite's does not.
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
import {
  byReferenceKey, CASEWORK_DATE_KEYS, caseworkCorrections, isCaseworkImportPlan, type CaseworkDates, type CaseworkImportHistory, type CaseworkImportPlan,
  type CaseworkImportResult, type CaseworkRankRecord, type CaseworkRecord, type CaseworkStore, type InvestigationOpening, type OpenDecision, type OpenInvestigation, type ReviewGroupRow, type StaleRankItem, type StoredCaseworkItem,
} from '../casework';
import { CASEWORK_DATE_COLUMNS } from '../casework-rows';
import { groupRows, rankRows } from '../rank-rows';
import { classesOfRanks, COUNTED_CLASSES, rangesOfRanks, rankCounts, rankOfClassOn, reviewClassOf, UNJUDGEABLE_CLASS, type ClassCount } from '../review-classes';
import { bulkLoad, fits, need, needApplock, needIsoDate, rowsChanged, topOf, type BulkColumn, type BulkValue, type Db } from './mssql-db';
import { hasTrailingWhitespace, needTrimmedCaseworkKeys, needTrimmedKey } from '../keys';

/** The stored date columns (ISO dates as DATE), in CASEWORK_DATE_KEYS order, then the deadline. */
const DATE_COLUMNS = [...CASEWORK_DATE_KEYS.map((k) => CASEWORK_DATE_COLUMNS[k]), 'due_on', 'stops_on'];
const FLAG_COLUMNS = ['judgment', 'new_investigation', 'reopened', 'no_earlier_extension'];

/** The session temp table importItems() bulk-loads; created by MSSQL_CASEWORK_SQL.importCreateTempTable. */
export const MSSQL_CASEWORK_TEMP_TABLE = '#casework_import';
/** The session temp table storeReviewRanks() bulk-loads; created by MSSQL_CASEWORK_RANK_SQL.ranksCreateTempTable. */
export const MSSQL_CASEWORK_RANKS_TEMP_TABLE = '#casework_ranks';
/** The session temp table setDeadlines() bulk-loads; created by MSSQL_CASEWORK_SQL.deadlinesCreateTempTable. */
export const MSSQL_CASEWORK_DEADLINES_TEMP_TABLE = '#casework_deadlines';

/** Every SQL text of the casework register. Parameters are @named and bound with explicit types. */
export const MSSQL_CASEWORK_SQL = {
  // --- import (one transaction) -----------------------------------------------------------------
  /**
   * Taken first: an exclusive application lock on the source, released at commit or rollback.
   * sp_getapplock answers through its return code only (0 or 1 granted, -1 timed out, -3 chosen
   * as deadlock victim), hence the SELECT; the adapter goes on only with the lock.
   */
  importLockSource: `DECLARE @result INT;
    EXEC @result = sys.sp_getapplock @Resource = @resource, @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = @timeoutMs;
    SELECT @result AS result`,
  /**
   * Run as a plain batch: a temp table created inside sp_executesql would vanish when it returns.
   * pass_no 1 holds every key of the file once (its first occurrence); pass_no 2 the last
   * differing later occurrence, if any. Dates are text here and converted where they are used.
   */
  importCreateTempTable: `CREATE TABLE #casework_import (
      case_reference NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
      item_type NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
      opening_key NVARCHAR(80) COLLATE Latin1_General_100_BIN2 NOT NULL,
      pass_no TINYINT NOT NULL,
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
      understallt_datum NVARCHAR(10) NULL,
      omhandertagande_verkstallt NVARCHAR(10) NULL,
      ansokan_inlamnad NVARCHAR(10) NULL,
      laga_kraft NVARCHAR(10) NULL,
      vard_paborjad NVARCHAR(10) NULL,
      rapporterad_ivo NVARCHAR(10) NULL,
      avbrott_datum NVARCHAR(10) NULL,
      forsta_inledd NVARCHAR(10) NULL,
      tidigare_forlangd_till NVARCHAR(10) NULL,
      forlangning_begard NVARCHAR(10) NULL,
      ansokan_forlangd_till NVARCHAR(10) NULL,
      verkstallt_anmalt_ivo NVARCHAR(10) NULL,
      tidigare_forlangning_beslutad NVARCHAR(10) NULL,
      rattad_fran NVARCHAR(10) NULL,
      due_on NVARCHAR(10) NULL,
      stops_on NVARCHAR(10) NULL,
      judgment BIT NOT NULL,
      new_investigation BIT NOT NULL,
      reopened BIT NOT NULL,
      no_earlier_extension BIT NOT NULL,
      insats NVARCHAR(60) COLLATE Latin1_General_100_BIN2 NULL,
      replaces_opening_key NVARCHAR(80) COLLATE Latin1_General_100_BIN2 NULL,
      PRIMARY KEY (case_reference, item_type, opening_key, pass_no)
    )`,
  /**
   * Runs first: a corrected opening (replaces_opening_key, see CaseworkRecord.replacesOpeningKey)
   * moves the stored open row to the file's key, so that the statements below find it there. Only
   * when no row has that key yet; the adapter passes at most one record per stored key
   * (caseworkCorrections), so the join finds at most one file row per stored row.
   */
  importRenameCorrected: `UPDATE i SET opening_key = s.opening_key
    FROM casework_items AS i
    INNER JOIN #casework_import AS s ON s.case_reference = i.case_reference AND s.item_type = i.item_type AND s.replaces_opening_key = i.opening_key
    WHERE i.source = @source AND s.pass_no = 1 AND i.status = N'oppen'
      AND NOT EXISTS (SELECT 1 FROM casework_items AS o WHERE o.source = @source AND o.case_reference = s.case_reference AND o.item_type = s.item_type AND o.opening_key = s.opening_key)`,
  /**
   * Pass 1, stored rows whose values differ from the file's; the count after it is the number updated.
   * Text columns differ when `<>` says so or their byte lengths do (trailing spaces); a nullable
   * column also when exactly one side is NULL. closed_at is set anew, as SQLite's update does.
   */
  importUpdateChanged: `UPDATE i SET unit_id = s.unit_id,
      handlaggare = s.handlaggare,
      status = s.status,
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
      understallt_datum = CONVERT(DATE, s.understallt_datum, 23),
      omhandertagande_verkstallt = CONVERT(DATE, s.omhandertagande_verkstallt, 23),
      ansokan_inlamnad = CONVERT(DATE, s.ansokan_inlamnad, 23),
      laga_kraft = CONVERT(DATE, s.laga_kraft, 23),
      vard_paborjad = CONVERT(DATE, s.vard_paborjad, 23),
      rapporterad_ivo = CONVERT(DATE, s.rapporterad_ivo, 23),
      avbrott_datum = CONVERT(DATE, s.avbrott_datum, 23),
      forsta_inledd = CONVERT(DATE, s.forsta_inledd, 23),
      tidigare_forlangd_till = CONVERT(DATE, s.tidigare_forlangd_till, 23),
      forlangning_begard = CONVERT(DATE, s.forlangning_begard, 23),
      ansokan_forlangd_till = CONVERT(DATE, s.ansokan_forlangd_till, 23),
      verkstallt_anmalt_ivo = CONVERT(DATE, s.verkstallt_anmalt_ivo, 23),
      tidigare_forlangning_beslutad = CONVERT(DATE, s.tidigare_forlangning_beslutad, 23),
      rattad_fran = CONVERT(DATE, s.rattad_fran, 23),
      due_on = CONVERT(DATE, s.due_on, 23),
      stops_on = CONVERT(DATE, s.stops_on, 23),
      judgment = s.judgment,
      new_investigation = s.new_investigation,
      reopened = s.reopened,
      no_earlier_extension = s.no_earlier_extension,
      insats = s.insats,
      updated_at = @at,
      closed_at = CASE WHEN s.status = N'avslutad' THEN @at ELSE NULL END
    FROM casework_items AS i
    INNER JOIN #casework_import AS s ON s.case_reference = i.case_reference AND s.item_type = i.item_type AND s.opening_key = i.opening_key
    WHERE i.source = @source AND s.pass_no = 1 AND (
      i.unit_id <> s.unit_id OR DATALENGTH(i.unit_id) <> DATALENGTH(s.unit_id)
      OR i.handlaggare <> s.handlaggare OR DATALENGTH(i.handlaggare) <> DATALENGTH(s.handlaggare)
      OR (i.handlaggare IS NULL AND s.handlaggare IS NOT NULL) OR (i.handlaggare IS NOT NULL AND s.handlaggare IS NULL)
      OR i.status <> s.status OR DATALENGTH(i.status) <> DATALENGTH(s.status)
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
      OR i.understallt_datum <> CONVERT(DATE, s.understallt_datum, 23)
      OR (i.understallt_datum IS NULL AND s.understallt_datum IS NOT NULL) OR (i.understallt_datum IS NOT NULL AND s.understallt_datum IS NULL)
      OR i.omhandertagande_verkstallt <> CONVERT(DATE, s.omhandertagande_verkstallt, 23)
      OR (i.omhandertagande_verkstallt IS NULL AND s.omhandertagande_verkstallt IS NOT NULL) OR (i.omhandertagande_verkstallt IS NOT NULL AND s.omhandertagande_verkstallt IS NULL)
      OR i.ansokan_inlamnad <> CONVERT(DATE, s.ansokan_inlamnad, 23)
      OR (i.ansokan_inlamnad IS NULL AND s.ansokan_inlamnad IS NOT NULL) OR (i.ansokan_inlamnad IS NOT NULL AND s.ansokan_inlamnad IS NULL)
      OR i.laga_kraft <> CONVERT(DATE, s.laga_kraft, 23)
      OR (i.laga_kraft IS NULL AND s.laga_kraft IS NOT NULL) OR (i.laga_kraft IS NOT NULL AND s.laga_kraft IS NULL)
      OR i.vard_paborjad <> CONVERT(DATE, s.vard_paborjad, 23)
      OR (i.vard_paborjad IS NULL AND s.vard_paborjad IS NOT NULL) OR (i.vard_paborjad IS NOT NULL AND s.vard_paborjad IS NULL)
      OR i.rapporterad_ivo <> CONVERT(DATE, s.rapporterad_ivo, 23)
      OR (i.rapporterad_ivo IS NULL AND s.rapporterad_ivo IS NOT NULL) OR (i.rapporterad_ivo IS NOT NULL AND s.rapporterad_ivo IS NULL)
      OR i.avbrott_datum <> CONVERT(DATE, s.avbrott_datum, 23)
      OR (i.avbrott_datum IS NULL AND s.avbrott_datum IS NOT NULL) OR (i.avbrott_datum IS NOT NULL AND s.avbrott_datum IS NULL)
      OR i.forsta_inledd <> CONVERT(DATE, s.forsta_inledd, 23)
      OR (i.forsta_inledd IS NULL AND s.forsta_inledd IS NOT NULL) OR (i.forsta_inledd IS NOT NULL AND s.forsta_inledd IS NULL)
      OR i.tidigare_forlangd_till <> CONVERT(DATE, s.tidigare_forlangd_till, 23)
      OR (i.tidigare_forlangd_till IS NULL AND s.tidigare_forlangd_till IS NOT NULL) OR (i.tidigare_forlangd_till IS NOT NULL AND s.tidigare_forlangd_till IS NULL)
      OR i.forlangning_begard <> CONVERT(DATE, s.forlangning_begard, 23)
      OR (i.forlangning_begard IS NULL AND s.forlangning_begard IS NOT NULL) OR (i.forlangning_begard IS NOT NULL AND s.forlangning_begard IS NULL)
      OR i.ansokan_forlangd_till <> CONVERT(DATE, s.ansokan_forlangd_till, 23)
      OR (i.ansokan_forlangd_till IS NULL AND s.ansokan_forlangd_till IS NOT NULL) OR (i.ansokan_forlangd_till IS NOT NULL AND s.ansokan_forlangd_till IS NULL)
      OR i.verkstallt_anmalt_ivo <> CONVERT(DATE, s.verkstallt_anmalt_ivo, 23)
      OR (i.verkstallt_anmalt_ivo IS NULL AND s.verkstallt_anmalt_ivo IS NOT NULL) OR (i.verkstallt_anmalt_ivo IS NOT NULL AND s.verkstallt_anmalt_ivo IS NULL)
      OR i.tidigare_forlangning_beslutad <> CONVERT(DATE, s.tidigare_forlangning_beslutad, 23)
      OR (i.tidigare_forlangning_beslutad IS NULL AND s.tidigare_forlangning_beslutad IS NOT NULL) OR (i.tidigare_forlangning_beslutad IS NOT NULL AND s.tidigare_forlangning_beslutad IS NULL)
      OR i.rattad_fran <> CONVERT(DATE, s.rattad_fran, 23)
      OR (i.rattad_fran IS NULL AND s.rattad_fran IS NOT NULL) OR (i.rattad_fran IS NOT NULL AND s.rattad_fran IS NULL)
      OR i.due_on <> CONVERT(DATE, s.due_on, 23)
      OR (i.due_on IS NULL AND s.due_on IS NOT NULL) OR (i.due_on IS NOT NULL AND s.due_on IS NULL)
      OR i.stops_on <> CONVERT(DATE, s.stops_on, 23)
      OR (i.stops_on IS NULL AND s.stops_on IS NOT NULL) OR (i.stops_on IS NOT NULL AND s.stops_on IS NULL)
      OR i.judgment <> s.judgment
      OR i.new_investigation <> s.new_investigation
      OR i.reopened <> s.reopened
      OR i.no_earlier_extension <> s.no_earlier_extension
      OR i.insats <> s.insats OR DATALENGTH(i.insats) <> DATALENGTH(s.insats)
      OR (i.insats IS NULL AND s.insats IS NOT NULL) OR (i.insats IS NOT NULL AND s.insats IS NULL)
    );
    SELECT @@ROWCOUNT AS n`,
  /** Pass 1, keys not stored yet; the count after it is the number inserted. Runs after the update. */
  importInsertNew: `INSERT INTO casework_items (source, case_reference, item_type, unit_id, handlaggare, status,
      orosanmalan_mottagen, utredning_inledd, forlangning_beslutad, forlangd_till, placering_start, senaste_overvagande, lvu_beslut, senaste_omprovning, beslutsdatum, verkstallt_datum,
      updated_at, closed_at, due_on, stops_on,
      understallt_datum, omhandertagande_verkstallt, ansokan_inlamnad, laga_kraft, vard_paborjad, rapporterad_ivo, avbrott_datum, forsta_inledd,
      judgment, new_investigation, reopened, opening_key,
      tidigare_forlangd_till, forlangning_begard, ansokan_forlangd_till, verkstallt_anmalt_ivo, no_earlier_extension, insats,
      tidigare_forlangning_beslutad, rattad_fran, first_imported_at)
    SELECT @source, s.case_reference, s.item_type, s.unit_id, s.handlaggare, s.status,
      CONVERT(DATE, s.orosanmalan_mottagen, 23), CONVERT(DATE, s.utredning_inledd, 23), CONVERT(DATE, s.forlangning_beslutad, 23), CONVERT(DATE, s.forlangd_till, 23), CONVERT(DATE, s.placering_start, 23), CONVERT(DATE, s.senaste_overvagande, 23), CONVERT(DATE, s.lvu_beslut, 23), CONVERT(DATE, s.senaste_omprovning, 23), CONVERT(DATE, s.beslutsdatum, 23), CONVERT(DATE, s.verkstallt_datum, 23),
      @at, CASE WHEN s.status = N'avslutad' THEN @at ELSE NULL END, CONVERT(DATE, s.due_on, 23), CONVERT(DATE, s.stops_on, 23),
      CONVERT(DATE, s.understallt_datum, 23), CONVERT(DATE, s.omhandertagande_verkstallt, 23), CONVERT(DATE, s.ansokan_inlamnad, 23), CONVERT(DATE, s.laga_kraft, 23), CONVERT(DATE, s.vard_paborjad, 23), CONVERT(DATE, s.rapporterad_ivo, 23), CONVERT(DATE, s.avbrott_datum, 23), CONVERT(DATE, s.forsta_inledd, 23),
      s.judgment, s.new_investigation, s.reopened, s.opening_key,
      CONVERT(DATE, s.tidigare_forlangd_till, 23), CONVERT(DATE, s.forlangning_begard, 23), CONVERT(DATE, s.ansokan_forlangd_till, 23), CONVERT(DATE, s.verkstallt_anmalt_ivo, 23), s.no_earlier_extension, s.insats,
      CONVERT(DATE, s.tidigare_forlangning_beslutad, 23), CONVERT(DATE, s.rattad_fran, 23), @at
    FROM #casework_import AS s
    WHERE s.pass_no = 1
      AND NOT EXISTS (SELECT 1 FROM casework_items AS i WHERE i.source = @source AND s.case_reference = i.case_reference AND s.item_type = i.item_type AND s.opening_key = i.opening_key);
    SELECT @@ROWCOUNT AS n`,
  /** Pass 2, only when a key occurred again with other values: the last such occurrence, unconditionally. */
  importUpdateRepeated: `UPDATE i SET unit_id = s.unit_id,
      handlaggare = s.handlaggare,
      status = s.status,
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
      understallt_datum = CONVERT(DATE, s.understallt_datum, 23),
      omhandertagande_verkstallt = CONVERT(DATE, s.omhandertagande_verkstallt, 23),
      ansokan_inlamnad = CONVERT(DATE, s.ansokan_inlamnad, 23),
      laga_kraft = CONVERT(DATE, s.laga_kraft, 23),
      vard_paborjad = CONVERT(DATE, s.vard_paborjad, 23),
      rapporterad_ivo = CONVERT(DATE, s.rapporterad_ivo, 23),
      avbrott_datum = CONVERT(DATE, s.avbrott_datum, 23),
      forsta_inledd = CONVERT(DATE, s.forsta_inledd, 23),
      tidigare_forlangd_till = CONVERT(DATE, s.tidigare_forlangd_till, 23),
      forlangning_begard = CONVERT(DATE, s.forlangning_begard, 23),
      ansokan_forlangd_till = CONVERT(DATE, s.ansokan_forlangd_till, 23),
      verkstallt_anmalt_ivo = CONVERT(DATE, s.verkstallt_anmalt_ivo, 23),
      tidigare_forlangning_beslutad = CONVERT(DATE, s.tidigare_forlangning_beslutad, 23),
      rattad_fran = CONVERT(DATE, s.rattad_fran, 23),
      due_on = CONVERT(DATE, s.due_on, 23),
      stops_on = CONVERT(DATE, s.stops_on, 23),
      judgment = s.judgment,
      new_investigation = s.new_investigation,
      reopened = s.reopened,
      no_earlier_extension = s.no_earlier_extension,
      insats = s.insats,
      updated_at = @at,
      closed_at = CASE WHEN s.status = N'avslutad' THEN @at ELSE NULL END
    FROM casework_items AS i
    INNER JOIN #casework_import AS s ON s.case_reference = i.case_reference AND s.item_type = i.item_type AND s.opening_key = i.opening_key
    WHERE i.source = @source AND s.pass_no = 2`,
  /** A full import: open items of the source that the file does not contain are closed, never deleted; the count after it is the number closed. */
  importCloseMissing: `UPDATE i SET status = N'avslutad', closed_at = @at, updated_at = @at
    FROM casework_items AS i
    WHERE i.source = @source AND i.status = N'oppen'
      AND NOT EXISTS (SELECT 1 FROM #casework_import AS s WHERE s.case_reference = i.case_reference AND s.item_type = i.item_type AND s.opening_key = i.opening_key);
    SELECT @@ROWCOUNT AS n`,
  importLog: `INSERT INTO casework_imports (source, at, actor, full_import, rows_in_file, inserted, updated, unchanged, closed)
    VALUES (@source, @at, @actor, @fullImport, @rowsInFile, @inserted, @updated, @unchanged, @closed)`,
  importDropTempTable: `DROP TABLE #casework_import`,

  // --- reads ------------------------------------------------------------------------------------
  /** Binary collation: ordered by code point, as SQLite orders TEXT. */
  listOpen: `SELECT id, source, case_reference, item_type, opening_key, unit_id, handlaggare, status,
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
      CONVERT(NVARCHAR(10), understallt_datum, 23) AS understallt_datum,
      CONVERT(NVARCHAR(10), omhandertagande_verkstallt, 23) AS omhandertagande_verkstallt,
      CONVERT(NVARCHAR(10), ansokan_inlamnad, 23) AS ansokan_inlamnad,
      CONVERT(NVARCHAR(10), laga_kraft, 23) AS laga_kraft,
      CONVERT(NVARCHAR(10), vard_paborjad, 23) AS vard_paborjad,
      CONVERT(NVARCHAR(10), rapporterad_ivo, 23) AS rapporterad_ivo,
      CONVERT(NVARCHAR(10), avbrott_datum, 23) AS avbrott_datum,
      CONVERT(NVARCHAR(10), forsta_inledd, 23) AS forsta_inledd,
      CONVERT(NVARCHAR(10), tidigare_forlangd_till, 23) AS tidigare_forlangd_till,
      CONVERT(NVARCHAR(10), forlangning_begard, 23) AS forlangning_begard,
      CONVERT(NVARCHAR(10), ansokan_forlangd_till, 23) AS ansokan_forlangd_till,
      CONVERT(NVARCHAR(10), verkstallt_anmalt_ivo, 23) AS verkstallt_anmalt_ivo,
      CONVERT(NVARCHAR(10), tidigare_forlangning_beslutad, 23) AS tidigare_forlangning_beslutad,
      CONVERT(NVARCHAR(10), rattad_fran, 23) AS rattad_fran,
      CONVERT(NVARCHAR(10), due_on, 23) AS due_on,
      CONVERT(NVARCHAR(10), stops_on, 23) AS stops_on,
      judgment,
      new_investigation,
      reopened,
      no_earlier_extension,
      insats,
      updated_at, closed_at
    FROM casework_items WHERE status = N'oppen' ORDER BY unit_id, case_reference COLLATE Latin1_General_100_BIN2, item_type, opening_key, source COLLATE Latin1_General_100_BIN2, id`,
  /**
   * The same, for the units in @unitIds (a JSON array of strings). OPENJSON needs database
   * compatibility level 130 (SQL Server 2016) or higher; its WITH column has unit_id's exact type
   * and collation, so the comparison needs no conversion and can seek (OPENJSON's own `value` is
   * NVARCHAR(MAX) in the database collation).
   */
  listOpenForUnits: `SELECT id, source, case_reference, item_type, opening_key, unit_id, handlaggare, status,
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
      CONVERT(NVARCHAR(10), understallt_datum, 23) AS understallt_datum,
      CONVERT(NVARCHAR(10), omhandertagande_verkstallt, 23) AS omhandertagande_verkstallt,
      CONVERT(NVARCHAR(10), ansokan_inlamnad, 23) AS ansokan_inlamnad,
      CONVERT(NVARCHAR(10), laga_kraft, 23) AS laga_kraft,
      CONVERT(NVARCHAR(10), vard_paborjad, 23) AS vard_paborjad,
      CONVERT(NVARCHAR(10), rapporterad_ivo, 23) AS rapporterad_ivo,
      CONVERT(NVARCHAR(10), avbrott_datum, 23) AS avbrott_datum,
      CONVERT(NVARCHAR(10), forsta_inledd, 23) AS forsta_inledd,
      CONVERT(NVARCHAR(10), tidigare_forlangd_till, 23) AS tidigare_forlangd_till,
      CONVERT(NVARCHAR(10), forlangning_begard, 23) AS forlangning_begard,
      CONVERT(NVARCHAR(10), ansokan_forlangd_till, 23) AS ansokan_forlangd_till,
      CONVERT(NVARCHAR(10), verkstallt_anmalt_ivo, 23) AS verkstallt_anmalt_ivo,
      CONVERT(NVARCHAR(10), tidigare_forlangning_beslutad, 23) AS tidigare_forlangning_beslutad,
      CONVERT(NVARCHAR(10), rattad_fran, 23) AS rattad_fran,
      CONVERT(NVARCHAR(10), due_on, 23) AS due_on,
      CONVERT(NVARCHAR(10), stops_on, 23) AS stops_on,
      judgment,
      new_investigation,
      reopened,
      no_earlier_extension,
      insats,
      updated_at, closed_at
    FROM casework_items
    WHERE status = N'oppen' AND unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))
    ORDER BY unit_id, case_reference COLLATE Latin1_General_100_BIN2, item_type, opening_key, source COLLATE Latin1_General_100_BIN2, id`,
  count: `SELECT COUNT(*) AS n FROM casework_items`,
  /**
   * Every opening of a barnavårdsutredning (open or closed) of the source: a seek on the leading
   * column of uq_casework_items_opening. The adapter keeps the rows whose caseReferenceKey (NFC,
   * single spaces, Swedish lower case) is asked for, as SQLite's does: no collation compares as
   * that key does (a case-insensitive one ignores case but not spacing, and folds other
   * characters than toLocaleLowerCase), and a COLLATE on the column would rule out any seek on it.
   * Read once per import; the source's investigations are about as many as the file's.
   */
  firstOpenings: `SELECT case_reference AS ref, CONVERT(NVARCHAR(10), utredning_inledd, 23) AS opened, new_investigation AS ny, CONVERT(NVARCHAR(10), rattad_fran, 23) AS corrected
    FROM casework_items
    WHERE source = @source AND item_type = N'barnavardsutredning' AND utredning_inledd IS NOT NULL`,
  /**
   * The source's open barnavårdsutredningar, for corrections of an opening day (the same seek as
   * firstOpenings): the deadline and the first import decide whether a later day may be one.
   */
  openInvestigations: `SELECT case_reference AS ref, opening_key AS opened, CONVERT(NVARCHAR(10), due_on, 23) AS due, first_imported_at AS firstImportedAt
    FROM casework_items
    WHERE source = @source AND item_type = N'barnavardsutredning' AND status = N'oppen' AND opening_key <> N''`,
  /** The source's open ej verkställda beslut, matched on their decision day by the import (the same seek). */
  openDecisions: `SELECT case_reference AS ref, opening_key AS opening
    FROM casework_items
    WHERE source = @source AND item_type = N'ej-verkstallt-beslut' AND status = N'oppen'`,
  /** Open reopened investigations per unit in @unitIds (a JSON array). */
  reopenedOpenCounts: `SELECT unit_id AS unitId, COUNT(*) AS n
    FROM casework_items
    WHERE status = N'oppen' AND reopened = 1 AND unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$'))
    GROUP BY unit_id ORDER BY unit_id`,
  /** Open items written before deadlines were kept (migration 8), at most @limit, by id. */
  openWithoutDeadline: `SELECT TOP (@limit) id, source, case_reference, item_type, opening_key, unit_id, handlaggare, status,
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
      CONVERT(NVARCHAR(10), understallt_datum, 23) AS understallt_datum,
      CONVERT(NVARCHAR(10), omhandertagande_verkstallt, 23) AS omhandertagande_verkstallt,
      CONVERT(NVARCHAR(10), ansokan_inlamnad, 23) AS ansokan_inlamnad,
      CONVERT(NVARCHAR(10), laga_kraft, 23) AS laga_kraft,
      CONVERT(NVARCHAR(10), vard_paborjad, 23) AS vard_paborjad,
      CONVERT(NVARCHAR(10), rapporterad_ivo, 23) AS rapporterad_ivo,
      CONVERT(NVARCHAR(10), avbrott_datum, 23) AS avbrott_datum,
      CONVERT(NVARCHAR(10), forsta_inledd, 23) AS forsta_inledd,
      CONVERT(NVARCHAR(10), tidigare_forlangd_till, 23) AS tidigare_forlangd_till,
      CONVERT(NVARCHAR(10), forlangning_begard, 23) AS forlangning_begard,
      CONVERT(NVARCHAR(10), ansokan_forlangd_till, 23) AS ansokan_forlangd_till,
      CONVERT(NVARCHAR(10), verkstallt_anmalt_ivo, 23) AS verkstallt_anmalt_ivo,
      CONVERT(NVARCHAR(10), tidigare_forlangning_beslutad, 23) AS tidigare_forlangning_beslutad,
      CONVERT(NVARCHAR(10), rattad_fran, 23) AS rattad_fran,
      CONVERT(NVARCHAR(10), due_on, 23) AS due_on,
      CONVERT(NVARCHAR(10), stops_on, 23) AS stops_on,
      judgment,
      new_investigation,
      reopened,
      no_earlier_extension,
      insats,
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

/** The weekly review's ranks (migration 20): see CaseworkStore. As SQLite's, with the same rank numbers; the item columns as listOpenForUnits reads them. */
export const MSSQL_CASEWORK_RANK_SQL = {
  staleRanks: `SELECT TOP (@limit) id, source, case_reference, item_type, opening_key, unit_id, handlaggare, status,
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
      CONVERT(NVARCHAR(10), understallt_datum, 23) AS understallt_datum,
      CONVERT(NVARCHAR(10), omhandertagande_verkstallt, 23) AS omhandertagande_verkstallt,
      CONVERT(NVARCHAR(10), ansokan_inlamnad, 23) AS ansokan_inlamnad,
      CONVERT(NVARCHAR(10), laga_kraft, 23) AS laga_kraft,
      CONVERT(NVARCHAR(10), vard_paborjad, 23) AS vard_paborjad,
      CONVERT(NVARCHAR(10), rapporterad_ivo, 23) AS rapporterad_ivo,
      CONVERT(NVARCHAR(10), avbrott_datum, 23) AS avbrott_datum,
      CONVERT(NVARCHAR(10), forsta_inledd, 23) AS forsta_inledd,
      CONVERT(NVARCHAR(10), tidigare_forlangd_till, 23) AS tidigare_forlangd_till,
      CONVERT(NVARCHAR(10), forlangning_begard, 23) AS forlangning_begard,
      CONVERT(NVARCHAR(10), ansokan_forlangd_till, 23) AS ansokan_forlangd_till,
      CONVERT(NVARCHAR(10), verkstallt_anmalt_ivo, 23) AS verkstallt_anmalt_ivo,
      CONVERT(NVARCHAR(10), tidigare_forlangning_beslutad, 23) AS tidigare_forlangning_beslutad,
      CONVERT(NVARCHAR(10), rattad_fran, 23) AS rattad_fran,
      CONVERT(NVARCHAR(10), due_on, 23) AS due_on,
      CONVERT(NVARCHAR(10), stops_on, 23) AS stops_on,
      judgment,
      new_investigation,
      reopened,
      no_earlier_extension,
      insats,
      updated_at, closed_at, updated_at AS row_version
    FROM casework_items
    WHERE id IN (
        SELECT id FROM casework_items WITH (INDEX (ix_casework_review_stale))
          WHERE unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$')) AND status = N'oppen' AND review_stale = 1
        UNION
        SELECT id FROM casework_items WITH (INDEX (ix_casework_review_until))
          WHERE unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$')) AND status = N'oppen'
            AND review_valid_until IS NOT NULL AND review_valid_until <= @today
        UNION
        SELECT id FROM casework_items WITH (INDEX (ix_casework_review_from))
          WHERE unit_id IN (SELECT v FROM OPENJSON(@unitIds) WITH (v NVARCHAR(200) COLLATE Latin1_General_100_BIN2 '$')) AND status = N'oppen' AND review_valid_from > @today
      )
    ORDER BY id`,
  /** Run as a plain batch, like the other temp tables. One row per item id. */
  ranksCreateTempTable: `CREATE TABLE #casework_ranks (
      id INT NOT NULL,
      row_version DATETIME2(3) NOT NULL,
      review_kind NVARCHAR(20) NOT NULL,
      review_due_on NVARCHAR(10) NULL,
      review_weight NVARCHAR(20) NULL,
      review_from_start BIT NOT NULL,
      review_class INT NOT NULL,
      review_valid_from NVARCHAR(10) NOT NULL,
      review_valid_until NVARCHAR(10) NULL,
      PRIMARY KEY (id)
    )`,
  /** A row written since it was read (updated_at moved on) does not match and keeps its stale rank. */
  ranksUpdate: `UPDATE i SET review_kind = s.review_kind, review_due_on = CONVERT(DATE, s.review_due_on, 23), review_weight = s.review_weight,
      review_from_start = s.review_from_start, review_class = s.review_class, review_valid_from = CONVERT(DATE, s.review_valid_from, 23),
      review_valid_until = CONVERT(DATE, s.review_valid_until, 23), review_of = i.updated_at
    FROM casework_items AS i
    INNER JOIN #casework_ranks AS s ON s.id = i.id AND s.row_version = i.updated_at;
    SELECT @@ROWCOUNT AS n`,
  ranksDropTempTable: `DROP TABLE #casework_ranks`,
  ranksInvalidate: `UPDATE casework_items SET review_of = NULL WHERE status = N'oppen' AND review_of IS NOT NULL;
    SELECT @@ROWCOUNT AS n`,
  /** As SQLite's: the unit's open rows whose stored rank does not hold on @today (may count a row twice). */
  staleRankCount: `SELECT
      (SELECT COUNT(*) FROM casework_items WITH (INDEX (ix_casework_review_stale))
        WHERE unit_id = @unitId AND status = N'oppen' AND review_stale = 1)
    + (SELECT COUNT(*) FROM casework_items WITH (INDEX (ix_casework_review_until))
        WHERE unit_id = @unitId AND status = N'oppen' AND review_valid_until IS NOT NULL AND review_valid_until <= @today)
    + (SELECT COUNT(*) FROM casework_items WITH (INDEX (ix_casework_review_from))
        WHERE unit_id = @unitId AND status = N'oppen' AND review_valid_from > @today) AS n`,
  /**
   * As SQLite's, per stored class (@classes): the unit's open rows by due day against @today and
   * @warnUntil, from one seek of the class index (the grammar the texts are checked with reads no
   * OPENJSON rowset with columns, so not one range count per class).
   */
  classCounts: `SELECT review_class AS cls,
      SUM(CASE WHEN review_due_on < @today THEN 1 ELSE 0 END) AS overdue,
      SUM(CASE WHEN review_due_on >= @today AND review_due_on <= @warnUntil THEN 1 ELSE 0 END) AS near,
      SUM(CASE WHEN review_due_on > @warnUntil THEN 1 ELSE 0 END) AS later,
      SUM(CASE WHEN review_due_on IS NULL THEN 1 ELSE 0 END) AS undated
    FROM casework_items WITH (INDEX (ix_casework_review_rank))
    WHERE unit_id = @unitId AND status = N'oppen' AND review_class IN (SELECT v FROM OPENJSON(@classes) WITH (v INT '$'))
    GROUP BY review_class`,
  /** The unit's open rows of @classes due from @dayFrom to @dayTo, per (class, due day): reviewGroups() keeps those within each class's own range. */
  classDues: `SELECT review_class AS cls, CONVERT(NVARCHAR(10), review_due_on, 23) AS due, COUNT(*) AS n
    FROM casework_items WITH (INDEX (ix_casework_review_rank))
    WHERE unit_id = @unitId AND status = N'oppen' AND review_class IN (SELECT v FROM OPENJSON(@classes) WITH (v INT '$'))
      AND review_due_on >= @dayFrom AND review_due_on <= @dayTo
    GROUP BY review_class, review_due_on`,
  unjudgeableCount: `SELECT COUNT(*) AS n FROM casework_items WITH (INDEX (ix_casework_review_rank))
    WHERE unit_id = @unitId AND status = N'oppen' AND review_class = @cls`,
  byReviewDue: `SELECT id, source, case_reference, item_type, opening_key, unit_id, handlaggare, status,
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
      CONVERT(NVARCHAR(10), understallt_datum, 23) AS understallt_datum,
      CONVERT(NVARCHAR(10), omhandertagande_verkstallt, 23) AS omhandertagande_verkstallt,
      CONVERT(NVARCHAR(10), ansokan_inlamnad, 23) AS ansokan_inlamnad,
      CONVERT(NVARCHAR(10), laga_kraft, 23) AS laga_kraft,
      CONVERT(NVARCHAR(10), vard_paborjad, 23) AS vard_paborjad,
      CONVERT(NVARCHAR(10), rapporterad_ivo, 23) AS rapporterad_ivo,
      CONVERT(NVARCHAR(10), avbrott_datum, 23) AS avbrott_datum,
      CONVERT(NVARCHAR(10), forsta_inledd, 23) AS forsta_inledd,
      CONVERT(NVARCHAR(10), tidigare_forlangd_till, 23) AS tidigare_forlangd_till,
      CONVERT(NVARCHAR(10), forlangning_begard, 23) AS forlangning_begard,
      CONVERT(NVARCHAR(10), ansokan_forlangd_till, 23) AS ansokan_forlangd_till,
      CONVERT(NVARCHAR(10), verkstallt_anmalt_ivo, 23) AS verkstallt_anmalt_ivo,
      CONVERT(NVARCHAR(10), tidigare_forlangning_beslutad, 23) AS tidigare_forlangning_beslutad,
      CONVERT(NVARCHAR(10), rattad_fran, 23) AS rattad_fran,
      CONVERT(NVARCHAR(10), due_on, 23) AS due_on,
      CONVERT(NVARCHAR(10), stops_on, 23) AS stops_on,
      judgment,
      new_investigation,
      reopened,
      no_earlier_extension,
      insats,
      updated_at, closed_at
    FROM casework_items WITH (INDEX (ix_casework_review_rank))
    WHERE unit_id = @unitId AND status = N'oppen'
      AND ((review_class IN (SELECT v FROM OPENJSON(@classes) WITH (v INT '$')) AND review_due_on IN (SELECT v FROM OPENJSON(@dues) WITH (v DATE '$')))
        OR (@unjudgeable = 1 AND review_class = @unjudgeableClass))
    ORDER BY unit_id, case_reference COLLATE Latin1_General_100_BIN2, item_type, opening_key, source COLLATE Latin1_General_100_BIN2, id`,
} as const;

/** The columns of #casework_ranks, in the order storeReviewRanks() gives them (fresh objects, as above). */
export function caseworkRankColumns(): BulkColumn[] {
  return [
    ['id', sql.Int(), false],
    ['row_version', T.at(), false],
    ['review_kind', T.text(20), false],
    ['review_due_on', T.text(10), true],
    ['review_weight', T.text(20), true],
    ['review_from_start', sql.Bit(), false],
    ['review_class', sql.Int(), false],
    ['review_valid_from', T.text(10), false],
    ['review_valid_until', T.text(10), true],
  ];
}

/**
 * Column lengths (UTF-16 code units) as migrations 4 and 14 in ./migrations.ts declare them. Values that
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
  /** Migration 14: an ej verkställt beslut's decision day and insats. */
  openingKey: 80,
  insats: 60,
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
    ['item_type', T.text(L.type), false],
    ['opening_key', T.text(L.openingKey), false],
    ['pass_no', sql.TinyInt(), false],
    ['unit_id', T.text(L.unitId), false],
    ['handlaggare', T.text(L.handlaggare), true],
    ['status', T.text(L.status), false],
    ...DATE_COLUMNS.map((c): BulkColumn => [c, T.text(L.isoDate), true]),
    ...FLAG_COLUMNS.map((c): BulkColumn => [c, sql.Bit(), false]),
    ['insats', T.text(L.insats), true],
    ['replaces_opening_key', T.text(L.openingKey), true],
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

/** The compared values of a record, as SQLite's adapter compares them. */
function values(r: CaseworkRecord): (string | boolean | null)[] {
  return [
    r.unitId, r.handlaggare ?? null, r.status,
    ...CASEWORK_DATE_KEYS.map((k) => r.dates[k] ?? null), r.dueOn ?? null, r.stopsOn ?? null,
    Boolean(r.judgment), Boolean(r.newInvestigation), Boolean(r.reopened), Boolean(r.noEarlierExtension),
    r.insats ?? null,
  ];
}

function sameValues(a: readonly (string | boolean | null)[], b: readonly (string | boolean | null)[]): boolean {
  return a.every((v, i) => v === b[i]);
}

function rowValues(r: CaseworkRecord, pass: 1 | 2, replaces: string | null = null): BulkValue[] {
  // BIT columns travel as 0/1.
  return [r.caseReference, r.type, r.openingKey ?? '', pass, ...values(r).map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)), replaces];
}

function checkRecord(r: CaseworkRecord): void {
  need(r.caseReference, L.caseReference, 'case reference');
  needTrimmedCaseworkKeys(r);
  const of = `of case "${r.caseReference}"`;
  need(r.type, L.type, `type ${of}`);
  need(r.unitId, L.unitId, `unit id ${of}`);
  if (r.handlaggare !== undefined) need(r.handlaggare, L.handlaggare, `handläggare ${of}`);
  need(r.status, L.status, `status ${of}`);
  need(r.openingKey ?? '', L.openingKey, `opening key ${of}`);
  if (r.replacesOpeningKey !== undefined) {
    need(r.replacesOpeningKey, L.openingKey, `replaced opening key ${of}`);
    needTrimmedKey(r.replacesOpeningKey, `replaced opening key ${of}`);
  }
  if (r.insats !== undefined) need(r.insats, L.insats, `insats ${of}`);
  for (const k of CASEWORK_DATE_KEYS) {
    const d = r.dates[k];
    if (d !== undefined) needIsoDate(d, `${k} ${of}`);
  }
  if (r.dueOn !== undefined) needIsoDate(r.dueOn, `due day ${of}`);
  if (r.stopsOn !== undefined) needIsoDate(r.stopsOn, `stop day ${of}`);
}

/** A record's key, compared exactly: keys ending in whitespace (which SQL Server's = would ignore) are refused before this. */
const itemKey = (r: CaseworkRecord) => JSON.stringify([r.caseReference, r.type, r.openingKey ?? '']);

interface Plan {
  /** Rows for the temp table: every key's first occurrence (pass 1), plus pass-2 rows. */
  rows: BulkValue[][];
  references: number;
  /** Counts from later occurrences of a key, compared with the occurrence before them. */
  repeatedUpdated: number;
  repeatedUnchanged: number;
  hasPass2: boolean;
  /** Some pass-1 row corrects a stored opening (importRenameCorrected runs). */
  hasCorrections: boolean;
}

/** Splits the file into what SQL compares with the stored rows and what only needs counting (see the header). */
function plan(records: readonly CaseworkRecord[]): Plan {
  const groups = new Map<string, { first: CaseworkRecord; last: readonly (string | boolean | null)[]; lastChanged?: CaseworkRecord }>();
  let repeatedUpdated = 0;
  let repeatedUnchanged = 0;
  for (const r of records) {
    const key = itemKey(r);
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
  const corrections = new Set(caseworkCorrections(records));
  const rows: BulkValue[][] = [];
  let hasPass2 = false;
  for (const g of groups.values()) {
    rows.push(rowValues(g.first, 1, corrections.has(g.first) ? g.first.replacesOpeningKey! : null));
    if (g.lastChanged) {
      // The pass-2 row carries the first occurrence's key, the temp table's key for the group.
      rows.push(rowValues({ ...g.lastChanged, caseReference: g.first.caseReference, type: g.first.type, openingKey: g.first.openingKey ?? '' }, 2));
      hasPass2 = true;
    }
  }
  return { rows, references: groups.size, repeatedUpdated, repeatedUnchanged, hasPass2, hasCorrections: corrections.size > 0 };
}

interface ItemRow {
  id: number;
  source: string;
  case_reference: string;
  item_type: string;
  unit_id: string;
  handlaggare: string | null;
  status: string;
  opening_key: string;
  judgment: boolean;
  new_investigation: boolean;
  reopened: boolean;
  no_earlier_extension: boolean;
  insats: string | null;
  due_on: string | null;
  stops_on: string | null;
  updated_at: Date;
  closed_at: Date | null;
  [dateColumn: string]: string | number | boolean | Date | null;
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
    ...(r.judgment ? { judgment: true } : {}),
    ...(r.new_investigation ? { newInvestigation: true } : {}),
    ...(r.reopened ? { reopened: true } : {}),
    ...(r.no_earlier_extension ? { noEarlierExtension: true } : {}),
    ...(r.insats !== null ? { insats: r.insats } : {}),
    openingKey: r.opening_key,
    ...(r.due_on !== null ? { dueOn: r.due_on } : {}),
    ...(r.stops_on !== null ? { stopsOn: r.stops_on } : {}),
    updatedAt: r.updated_at,
    ...(r.closed_at !== null ? { closedAt: r.closed_at } : {}),
  };
}

/**
 * Whether history can be stored for the source and any of the references: a source longer than
 * the column, or ending in whitespace (which = would ignore), cannot have been stored.
 */
function readable(source: string, references: readonly string[]): boolean {
  return fits(source, L.source) && !hasTrailingWhitespace(source) && references.length > 0;
}

export class MssqlCaseworkStore implements CaseworkStore {
  constructor(private readonly db: Db) {}

  async importItems(source: string, input: readonly CaseworkRecord[] | CaseworkImportPlan, opts: { closeMissing: boolean; at: Date; actor: string }): Promise<CaseworkImportResult> {
    need(source, L.source, 'casework source');
    needTrimmedKey(source, 'casework source');
    need(opts.actor, L.actor, 'import actor');
    const importPlan = isCaseworkImportPlan(input) ? input : undefined;
    const given = importPlan ? undefined : (input as readonly CaseworkRecord[]);
    if (given) for (const r of given) checkRecord(r);
    const planned = given ? plan(given) : undefined;
    const S = MSSQL_CASEWORK_SQL;
    return this.db.inTransaction(
      async (tx) => {
        const bound = () => new sql.Request(tx).input('source', T.text(L.source), source).input('at', T.at(), opts.at);

        const resource = `lex-sarah:casework-import:${source}`;
        const lock = await new sql.Request(tx)
          .input('resource', T.text(255), resource)
          .input('timeoutMs', sql.Int, this.db.timeouts.lockMs)
          .query<{ result: number }>(S.importLockSource);
        // -3 (deadlock victim) throws an error carrying 1205: the import runs again (retryDeadlocks).
        needApplock(lock.recordset[0]?.result, resource, (code) =>
          code === -1
            ? new Error(`casework import: another import of source "${source}" held its lock for more than ${Math.round(this.db.timeouts.lockMs / 1000)} s; nothing was changed, try again later`)
            : new Error(`casework import: the lock on source "${source}" was refused (sp_getapplock returned ${String(code)}); nothing was changed`),
        );
        // A plan's history is read under the lock, in this transaction (read committed: each read
        // sees what an import that held the lock before committed), and its records built from it.
        let records = given;
        if (importPlan) {
          records = importPlan.build(await this.historyOf(() => new sql.Request(tx), source, importPlan.references));
          for (const r of records) checkRecord(r);
        }
        const p = planned ?? plan(records!);
        await new sql.Request(tx).batch(S.importCreateTempTable);
        await bulkLoad(tx, MSSQL_CASEWORK_TEMP_TABLE, caseworkImportColumns(), p.rows);

        // The counts come from SELECT @@ROWCOUNT after each statement (rowsChanged), not from DONE
        // tokens, which SET NOCOUNT ON removes and a trigger without it adds to.
        if (p.hasCorrections) await bound().query(S.importRenameCorrected);
        const updated = await rowsChanged(bound(), MSSQL_CASEWORK_SQL.importUpdateChanged);
        const inserted = await rowsChanged(bound(), MSSQL_CASEWORK_SQL.importInsertNew);
        if (p.hasPass2) await bound().query(S.importUpdateRepeated);
        const closed = opts.closeMissing ? await rowsChanged(bound(), MSSQL_CASEWORK_SQL.importCloseMissing) : 0;
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
          .input('rowsInFile', sql.Int, records!.length)
          .input('inserted', sql.Int, result.inserted)
          .input('updated', sql.Int, result.updated)
          .input('unchanged', sql.Int, result.unchanged)
          .input('closed', sql.Int, result.closed)
          .query(S.importLog);
        await new sql.Request(tx).batch(S.importDropTempTable);
        return result;
      },
      { retryDeadlocks: true, long: true },
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

  async firstOpenings(source: string, references: readonly string[]): Promise<Map<string, InvestigationOpening[]>> {
    return this.openingsOf(() => this.db.pool.request(), source, references);
  }

  async openInvestigations(source: string, references: readonly string[]): Promise<Map<string, OpenInvestigation[]>> {
    return this.openInvestigationsOf(() => this.db.pool.request(), source, references);
  }

  /** The history an import plan is built on (CaseworkImportHistory), read through `request` (the import's transaction). */
  private async historyOf(request: () => sql.Request, source: string, references: readonly string[]): Promise<CaseworkImportHistory> {
    if (!readable(source, references)) return { openings: new Map(), openInvestigations: new Map(), openDecisions: new Map() };
    const openings = await this.openingsOf(request, source, references);
    const openInvestigations = await this.openInvestigationsOf(request, source, references);
    const r = await request().input('source', T.text(L.source), source).query<{ ref: string; opening: string }>(MSSQL_CASEWORK_SQL.openDecisions);
    const openDecisions = byReferenceKey(r.recordset, references, (x): OpenDecision => ({ caseReference: x.ref, openingKey: x.opening }));
    return { openings, openInvestigations, openDecisions };
  }

  private async openingsOf(request: () => sql.Request, source: string, references: readonly string[]): Promise<Map<string, InvestigationOpening[]>> {
    if (!readable(source, references)) return new Map();
    const r = await request()
      .input('source', T.text(L.source), source)
      .query<{ ref: string; opened: string; ny: boolean; corrected: string | null }>(MSSQL_CASEWORK_SQL.firstOpenings);
    return byReferenceKey(r.recordset, references, (x): InvestigationOpening => ({
      opened: x.opened,
      newInvestigation: Boolean(x.ny),
      ...(x.corrected !== null ? { correctedFrom: x.corrected } : {}),
    }));
  }

  private async openInvestigationsOf(request: () => sql.Request, source: string, references: readonly string[]): Promise<Map<string, OpenInvestigation[]>> {
    if (!readable(source, references)) return new Map();
    const r = await request()
      .input('source', T.text(L.source), source)
      .query<{ ref: string; opened: string; due: string | null; firstImportedAt: Date | null }>(MSSQL_CASEWORK_SQL.openInvestigations);
    return byReferenceKey(r.recordset, references, (x): OpenInvestigation => ({
      caseReference: x.ref,
      opened: x.opened,
      ...(x.due !== null ? { dueOn: x.due } : {}),
      ...(x.firstImportedAt !== null ? { firstImportedAt: x.firstImportedAt } : {}),
    }));
  }

  async reopenedOpenCounts(unitIds: readonly string[]): Promise<{ unitId: string; count: number }[]> {
    const wanted = unitIds.filter((u) => fits(u, L.unitId));
    if (wanted.length === 0) return [];
    const r = await this.db.pool.request().input('unitIds', T.max(), JSON.stringify(wanted)).query<{ unitId: string; n: number }>(MSSQL_CASEWORK_SQL.reopenedOpenCounts);
    return r.recordset.map((x) => ({ unitId: x.unitId, count: Number(x.n) }));
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
      { retryDeadlocks: true, long: true },
    );
  }

  async staleReviewRanks(unitIds: readonly string[], today: string, limit: number): Promise<StaleRankItem[]> {
    const wanted = unitIds.filter((u) => fits(u, L.unitId));
    if (wanted.length === 0) return [];
    needIsoDate(today, 'today');
    const r = await this.db.pool
      .request()
      .input('unitIds', T.max(), JSON.stringify(wanted))
      .input('today', sql.Date(), today)
      .input('limit', sql.Int, topOf(limit))
      .query<ItemRow & { row_version: Date }>(MSSQL_CASEWORK_RANK_SQL.staleRanks);
    return r.recordset.map((row) => ({ ...fromRow(row), version: row.row_version.toISOString() }));
  }

  async storeReviewRanks(rows: readonly { id: number; version: string; rank: CaseworkRankRecord }[]): Promise<number> {
    for (const { id, version, rank } of rows) {
      if (Number.isNaN(new Date(version).getTime())) throw new RangeError(`casework item ${id}: row version is not an instant (${version})`);
      need(rank.kind, 20, 'rank kind');
      if (rank.weight !== null) need(rank.weight, 20, 'rank weight');
      for (const d of [rank.dueOn, rank.validFrom, rank.validUntil]) if (d !== null) needIsoDate(d, `rank day of casework item ${id}`);
    }
    // The temp table's key takes each id once: the last row given for it, as SQLite's one-by-one updates leave it.
    const last = new Map(rows.map((r) => [r.id, r]));
    if (last.size === 0) return 0;
    // The row version as the instant it was read (DATETIME2(3)), not its text: compared with updated_at as it is stored.
    const bulk = [...last.values()].map(({ id, version, rank }): BulkValue[] => [id, new Date(version), rank.kind, rank.dueOn, rank.weight, rank.fromStart ? 1 : 0, reviewClassOf(rank), rank.validFrom, rank.validUntil]);
    const S = MSSQL_CASEWORK_RANK_SQL;
    return this.db.inTransaction(
      async (tx) => {
        await new sql.Request(tx).batch(S.ranksCreateTempTable);
        await bulkLoad(tx, MSSQL_CASEWORK_RANKS_TEMP_TABLE, caseworkRankColumns(), bulk);
        const n = await rowsChanged(new sql.Request(tx), MSSQL_CASEWORK_RANK_SQL.ranksUpdate);
        await new sql.Request(tx).batch(S.ranksDropTempTable);
        return n;
      },
      { retryDeadlocks: true },
    );
  }

  async invalidateReviewRanks(): Promise<number> {
    return rowsChanged(this.db.pool.request(), MSSQL_CASEWORK_RANK_SQL.ranksInvalidate);
  }

  async reviewRankCounts(unitId: string, today: string, warnUntil: string): Promise<ReviewGroupRow[]> {
    if (!fits(unitId, L.unitId)) return [];
    needIsoDate(today, 'today');
    needIsoDate(warnUntil, 'warn until');
    const S = MSSQL_CASEWORK_RANK_SQL;
    // One snapshot for the stale count and the class counts, as SQLite's read transaction.
    const { stale, counts } = await this.db.inTransaction(async (tx) => {
      const at = () => new sql.Request(tx).input('unitId', T.text(L.unitId), unitId).input('today', sql.Date(), today);
      const n = (await at().query<{ n: number }>(S.staleRankCount)).recordset[0]?.n ?? 0;
      const c = await at().input('warnUntil', sql.Date(), warnUntil).input('classes', T.max(), JSON.stringify(COUNTED_CLASSES)).query<ClassCount>(S.classCounts);
      return { stale: Number(n), counts: c.recordset.map((r) => ({ cls: Number(r.cls), overdue: Number(r.overdue), near: Number(r.near), later: Number(r.later), undated: Number(r.undated) })) };
    }, { isolation: 'snapshot' });
    return rankRows(rankCounts(counts), stale);
  }

  async reviewGroups(unitId: string, today: string, warnUntil: string, ranks: readonly number[]): Promise<ReviewGroupRow[]> {
    if (!fits(unitId, L.unitId)) return [];
    needIsoDate(today, 'today');
    needIsoDate(warnUntil, 'warn until');
    const S = MSSQL_CASEWORK_RANK_SQL;
    const ranges = rangesOfRanks(ranks, today, warnUntil);
    const rows = ranges.length
      ? (
          await this.db.pool
            .request()
            .input('unitId', T.text(L.unitId), unitId)
            .input('classes', T.max(), JSON.stringify([...new Set(ranges.map((r) => r.cls))]))
            .input('dayFrom', sql.Date(), ranges.reduce((d, r) => (r.from < d ? r.from : d), ranges[0]!.from))
            .input('dayTo', sql.Date(), ranges.reduce((d, r) => (r.to > d ? r.to : d), ranges[0]!.to))
            .query<{ cls: number; due: string; n: number }>(S.classDues)
        ).recordset.filter((r) => ranges.some((g) => g.cls === Number(r.cls) && g.from <= r.due && r.due <= g.to))
      : [];
    const groups = rows.map((r) => ({ rank: rankOfClassOn(Number(r.cls), r.due, today, warnUntil), due: r.due, n: Number(r.n) }));
    if (ranks.includes(2)) {
      const r = await this.db.pool.request().input('unitId', T.text(L.unitId), unitId).input('cls', sql.Int(), UNJUDGEABLE_CLASS).query<{ n: number }>(S.unjudgeableCount);
      groups.push({ rank: 2, due: '', n: Number(r.recordset[0]?.n ?? 0) });
    }
    return groupRows(groups, ranks);
  }

  async openByReviewDue(unitId: string, groups: readonly { rank: number; due: string }[]): Promise<StoredCaseworkItem[]> {
    if (groups.length === 0 || !fits(unitId, L.unitId)) return [];
    const dated = groups.filter((g) => g.rank !== 2);
    const dues = [...new Set(dated.map((g) => g.due))];
    for (const d of dues) needIsoDate(d, 'review due day');
    const r = await this.db.pool
      .request()
      .input('unitId', T.text(L.unitId), unitId)
      .input('classes', T.max(), JSON.stringify(classesOfRanks(dated.map((g) => g.rank))))
      .input('dues', T.max(), JSON.stringify(dues))
      .input('unjudgeable', sql.Bit(), groups.some((g) => g.rank === 2) ? 1 : 0)
      .input('unjudgeableClass', sql.Int(), UNJUDGEABLE_CLASS)
      .query<ItemRow>(MSSQL_CASEWORK_RANK_SQL.byReviewDue);
    return r.recordset.map(fromRow);
  }
}

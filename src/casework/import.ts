/**
 * Importing the case system's export into the casework register: parse and validate the whole
 * file, then write it in one transaction, or write nothing and report every problem with its
 * line and column (never a cell's value). Each distinct deadline is computed once per import
 * (recordBuilder); the store writes only new and changed rows (CaseworkStore.importItems).
 */
import { DateTime } from 'luxon';
import { containsIdentityNumber } from '../privacy/identity-numbers';
import type { Logger } from '../log/logger';
import { CASEWORK_DATE_KEYS, caseReferenceKey, type CaseworkImportResult, type CaseworkRecord, type CaseworkStore, type InvestigationOpening, type OpenInvestigation } from '../store/casework';
import { WorkingCalendar } from '../review/calendar';
import { caseworkOpeningKey, parseCaseworkCsv, type CaseworkItemInput, type CsvImportError } from './csv';
import { caseworkDeadline, isIsoDate, statutoryCalendar, type CaseworkDeadline, type CaseworkItem, type DeadlineOptions } from './rules';

export interface ImportRequest {
  source: string;
  csv: string | Uint8Array;
  /** A full export: open items of the source missing from it are closed (when closeMissing allows). */
  full: boolean;
  actor: string;
}

export interface ImportDeps {
  store: { casework: CaseworkStore };
  unitIds: () => Iterable<string>;
  now: () => Date;
  timeZone: string;
  /** Local setting: whether full imports close what they no longer contain. */
  closeMissing: boolean;
  /** Local policy: days to carry out a court judgment (default 14). */
  judgmentDays?: number;
  logger: Logger;
}

export type ImportOutcome =
  | { ok: true; rows: number; closedMissing: boolean; result: CaseworkImportResult }
  | { ok: false; errors: CsvImportError[] };

const SOURCE = /^[a-z0-9][a-z0-9._-]{0,99}$/i;

/** The stored record, with its deadline computed by the rules (validated open items always have one). */
export function toRecord(item: CaseworkItemInput, timeZone: string, opts: DeadlineOptions = {}): CaseworkRecord {
  return recordOf(item, datesOf(item), deadlineOf(item, timeZone, opts));
}

function datesOf(item: CaseworkItemInput): CaseworkRecord['dates'] {
  const dates: CaseworkRecord['dates'] = {};
  for (const k of CASEWORK_DATE_KEYS) if (item[k]) dates[k] = item[k];
  return dates;
}

function recordOf(item: CaseworkItemInput, dates: CaseworkRecord['dates'], deadline: Deadline | undefined): CaseworkRecord {
  const { source, caseReference, type, unitId, handlaggare, status } = item;
  const record: CaseworkRecord = handlaggare ? { source, caseReference, type, unitId, handlaggare, status, dates } : { source, caseReference, type, unitId, status, dates };
  if (item.domstol) record.judgment = true;
  if (item.nyUtredning) record.newInvestigation = true;
  if (item.aterOppnad) record.reopened = true;
  if (item.ingenTidigareForlangning) record.noEarlierExtension = true;
  if (item.insats !== undefined) record.insats = item.insats;
  record.openingKey = caseworkOpeningKey(item.type, item);
  if (item.correctsOpening !== undefined) record.replacesOpeningKey = item.correctsOpening;
  if (deadline) record.dueOn = deadline.due;
  if (deadline?.stopsOn) record.stopsOn = deadline.stopsOn;
  return record;
}

/** What the store keeps of a deadline. */
type Deadline = Pick<CaseworkDeadline, 'due' | 'stopsOn'>;

/** An open item always has a deadline (validated); a closed one only when a rule covers its dates. */
function deadlineOf(item: CaseworkItemInput, timeZone: string, opts: DeadlineOptions): Deadline | undefined {
  if (item.status !== 'avslutad') return caseworkDeadline(item, { ...opts, timeZone });
  try {
    return caseworkDeadline(item, { ...opts, timeZone });
  } catch (err) {
    if (err instanceof RangeError) return undefined;
    throw err;
  }
}

/**
 * The statutory calendar, with the one question a deadline asks of it answered once per day: an
 * export of 100,000 items asks about a few thousand days, and each answer costs the calendar a
 * few date parses. The walk to the next working day is plain UTC date arithmetic (calendar dates
 * have no zone); whether a day is a working day is still the calendar's own answer.
 */
class DayCachedCalendar extends WorkingCalendar {
  private readonly nextDays = new Map<string, string>();
  private readonly workingDays = new Map<string, boolean>();

  constructor(base: WorkingCalendar) {
    super({ timeZone: base.timeZone, deFactoHolidays: base.deFactoHolidays });
  }

  override isWorkingDay(isoDate: string): boolean {
    let working = this.workingDays.get(isoDate);
    if (working === undefined) {
      working = super.isWorkingDay(isoDate);
      this.workingDays.set(isoDate, working);
    }
    return working;
  }

  override nextWorkingDay(isoDate: string): string {
    let day = this.nextDays.get(isoDate);
    if (day === undefined) {
      day = this.walk(isoDate) ?? super.nextWorkingDay(isoDate);
      this.nextDays.set(isoDate, day);
    }
    return day;
  }

  /** The first working day from `isoDate` on, or undefined where the calendar itself must answer (or refuse). */
  private walk(isoDate: string): string | undefined {
    if (!isIsoDate(isoDate)) return undefined;
    const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
    const at = new Date(0);
    at.setUTCFullYear(y, m - 1, d);
    for (let step = 0; step <= 366; step++) {
      const iso = at.toISOString().slice(0, 10);
      if (at.getUTCFullYear() > 9999) return undefined;
      if (this.isWorkingDay(iso)) return iso;
      at.setUTCDate(at.getUTCDate() + 1);
    }
    return undefined;
  }
}

/**
 * toRecord for every item of one import. A deadline depends only on the item's type, flags and
 * dates (caseworkDeadline reads nothing else), which many items share, so each is computed once.
 * A failure is not kept: its message names the item's reference.
 */
function recordBuilder(timeZone: string, opts: DeadlineOptions): (item: CaseworkItemInput) => CaseworkRecord {
  const known = new Map<string, Deadline | undefined>();
  return (item) => {
    // The dates and the memo key in one pass (CASEWORK_DATE_KEYS is DATE_FIELDS: ./persisted.ts).
    const dates: CaseworkRecord['dates'] = {};
    let key = `${item.type}|${item.domstol ? 1 : 0}${item.nyUtredning ? 1 : 0}${item.ingenTidigareForlangning ? 1 : 0}${item.status === 'avslutad' ? 1 : 0}`;
    for (let f = 0; f < CASEWORK_DATE_KEYS.length; f++) {
      const k = CASEWORK_DATE_KEYS[f]!;
      const d = item[k];
      if (d) {
        dates[k] = d;
        key += `|${f}=${d}`;
      }
    }
    let deadline = known.get(key);
    if (deadline === undefined && !known.has(key)) {
      deadline = deadlineOf(item, timeZone, opts);
      if (known.size < 100_000) known.set(key, deadline);
    }
    return recordOf(item, dates, deadline);
  };
}

/**
 * Computes the stored deadline of open items written before deadlines were kept (database
 * migration 8). Items whose clock cannot be computed are logged and left out of the counts.
 */
export async function backfillCaseworkDeadlines(deps: Pick<ImportDeps, 'store' | 'timeZone' | 'logger' | 'judgmentDays'>, batch = 5000): Promise<number> {
  const calendar = statutoryCalendar(deps.timeZone);
  let done = 0;
  let lastFailed = new Set<number>();
  for (;;) {
    const items = (await deps.store.casework.openWithoutDeadline(batch + lastFailed.size)).filter((i) => !lastFailed.has(i.id));
    if (!items.length) return done;
    const failed = new Set(lastFailed);
    const updates: { id: number; dueOn: string; stopsOn?: string }[] = [];
    for (const i of items) {
      try {
        const item = {
          caseReference: i.caseReference, type: i.type, unitId: i.unitId, status: i.status, ...i.dates,
          domstol: Boolean(i.judgment), nyUtredning: Boolean(i.newInvestigation), aterOppnad: Boolean(i.reopened), ingenTidigareForlangning: Boolean(i.noEarlierExtension),
        } as CaseworkItem;
        const d = caseworkDeadline(item, { timeZone: deps.timeZone, calendar, ...(deps.judgmentDays !== undefined ? { judgmentDays: deps.judgmentDays } : {}) });
        updates.push({ id: i.id, dueOn: d.due, ...(d.stopsOn ? { stopsOn: d.stopsOn } : {}) });
      } catch (err) {
        failed.add(i.id);
        deps.logger.warn({ event: 'casework-deadline-failed', source: i.source, id: i.id, reason: (err as Error).message }, 'a casework item has no computable deadline');
      }
    }
    await deps.store.casework.setDeadlines(updates);
    done += updates.length;
    if (!updates.length) return done;
    lastFailed = failed;
  }
}

export async function importCasework(deps: ImportDeps, req: ImportRequest): Promise<ImportOutcome> {
  // The source is stored on every item and logged: free text like any other, so the guard applies.
  if (!SOURCE.test(req.source) || containsIdentityNumber(req.source)) {
    return { ok: false, errors: [{ line: 0, message: 'Ange källan (source) med bokstäver, siffror, punkt, bindestreck eller understreck, t.ex. "procapita-bou".' }] };
  }
  const today = DateTime.fromJSDate(deps.now(), { zone: deps.timeZone }).toISODate()!;
  const parsed = parseCaseworkCsv(req.csv, { source: req.source, unitIds: deps.unitIds(), today });
  if (!parsed.ok) {
    deps.logger.warn({ event: 'casework-import-refused', source: req.source, errors: parsed.errors.length }, 'casework import refused; nothing changed');
    return { ok: false, errors: parsed.errors };
  }
  const closeMissing = req.full && deps.closeMissing;
  let items: CaseworkItemInput[] = await withHistory(deps, req.source, parsed.items);
  const rows = parsed.items.length;
  const calendar = new DayCachedCalendar(statutoryCalendar(deps.timeZone));
  const opts: DeadlineOptions = { calendar, ...(deps.judgmentDays !== undefined ? { judgmentDays: deps.judgmentDays } : {}) };
  const toStored = recordBuilder(deps.timeZone, opts);
  const records = items.map(toStored);
  // The items are not needed once they are records: 100,000 of them need not live on.
  items = [];
  parsed.items.length = 0;
  // Corrections of an opening day move a clock's start: counted in the log, for whoever reviews how clocks were changed.
  let corrected = 0;
  for (const r of records) if (r.replacesOpeningKey !== undefined) corrected++;
  const result = await deps.store.casework.importItems(req.source, records, { closeMissing, at: deps.now(), actor: req.actor });
  deps.logger.info({ event: 'casework-imported', source: req.source, rows, closeMissing, corrected, ...result }, 'casework imported');
  return { ok: true, rows, closedMissing: closeMissing, result };
}

/**
 * Investigations under the same reference (matched whatever its case, as the file's duplicate
 * check does): an opening counts from the latest opening at or before it that a new orosanmälan
 * started (a genuinely new utredning), else from the first opening (stored or in this file); a
 * later opening counted that way is "återöppnad". A new utredning itself is never reopened.
 * Closing and reopening to restart the clock is what JO and IVO criticise.
 *
 * A mistyped opening day put right by a later export is no reopening (correctionsOf): the row
 * replaces the stored opening (`correctsOpening`) and that opening leaves the history.
 */
export async function withHistory(deps: Pick<ImportDeps, 'store'>, source: string, items: readonly CaseworkItemInput[]): Promise<CaseworkItemInput[]> {
  const investigations = items.filter((i) => i.type === 'barnavardsutredning' && i.utredningInledd);
  if (investigations.length === 0) return [...items];
  const references = [...new Set(investigations.map((i) => i.caseReference))];
  const stored = await deps.store.casework.firstOpenings(source, references);
  // Nothing stored under these references (a first import, mostly): nothing to correct either.
  const open = stored.size === 0 ? new Map<string, OpenInvestigation[]>() : await deps.store.casework.openInvestigations(source, references);
  const keys = investigations.map((i) => caseReferenceKey(i.caseReference));
  const corrections = correctionsOf(investigations, keys, stored, open);
  // Per reference key: opening day → started by a new orosanmälan; the file overrides the register.
  const history = new Map<string, Map<string, boolean>>();
  for (const [key, openings] of stored) history.set(key, new Map(openings.map((o) => [o.opened, o.newInvestigation])));
  for (const [n, replaced] of corrections) history.get(keys[n]!)?.delete(replaced);
  investigations.forEach((i, n) => {
    const key = keys[n]!;
    const h = history.get(key) ?? new Map<string, boolean>();
    h.set(i.utredningInledd!, Boolean(i.nyUtredning));
    history.set(key, h);
  });
  // The investigations in file order, as filtered above: the n-th is keys[n].
  let n = 0;
  return items.map((item) => {
    if (item.type !== 'barnavardsutredning' || !item.utredningInledd) return item;
    const at = n++;
    const key = keys[at]!;
    const replaced = corrections.get(at);
    const i = replaced === undefined ? item : { ...item, correctsOpening: replaced };
    if (i.nyUtredning) return i;
    const opened = i.utredningInledd!;
    const known = history.get(key)!;
    // Its own opening only (the usual case): nothing earlier to count from.
    if (known.size === 1) return i;
    const days = [...known].filter(([day]) => day <= opened).sort(([a], [b]) => a.localeCompare(b));
    const newest = days.filter(([, ny]) => ny).pop();
    const firstOpening = newest ? newest[0] : days[0]![0];
    if (firstOpening >= opened) return i;
    return { ...i, aterOppnad: true, forstaInledd: firstOpening };
  });
}

/**
 * Rows of the file that correct a stored opening day rather than open an investigation again, by
 * their index among `investigations`, with the day they replace. The register holds one open
 * investigation under the reference that the file no longer lists (neither open nor closed), and
 * the file holds exactly one opening the register does not know, not started by a new orosanmälan:
 * the same investigation, still open, with another day. Had it been closed, the register would
 * hold it closed, or the file would list it (the export that holds the closed and the reopened
 * rows); an export that drops a closed investigation and reopens it the same night looks the same,
 * and is taken for a correction (the log counts them: `corrected`).
 */
function correctionsOf(
  investigations: readonly CaseworkItemInput[],
  keys: readonly string[],
  stored: ReadonlyMap<string, readonly InvestigationOpening[]>,
  open: ReadonlyMap<string, readonly OpenInvestigation[]>,
): Map<number, string> {
  const out = new Map<number, string>();
  if (open.size === 0) return out;
  const byKey = new Map<string, number[]>();
  keys.forEach((key, n) => {
    if (!open.has(key)) return;
    const own = byKey.get(key);
    if (own) own.push(n);
    else byKey.set(key, [n]);
  });
  for (const [key, rows] of byKey) {
    const inFile = new Set(rows.map((n) => investigations[n]!.utredningInledd!));
    const storedDays = new Set((stored.get(key) ?? []).map((o) => o.opened));
    const absent = open.get(key)!.filter((o) => !inFile.has(o.opened));
    const fresh = rows.filter((n) => !storedDays.has(investigations[n]!.utredningInledd!) && !investigations[n]!.nyUtredning);
    if (absent.length !== 1 || fresh.length !== 1) continue;
    const n = fresh[0]!;
    // The store matches the reference exactly: a row whose spelling changed too is a new one there.
    if (absent[0]!.caseReference !== investigations[n]!.caseReference) continue;
    out.set(n, absent[0]!.opened);
  }
  return out;
}

/** Plain-text report of the errors for the command line and the HTTP answer. */
export function formatImportErrors(errors: readonly CsvImportError[]): string[] {
  return errors.map((e) => `${e.line > 0 ? `rad ${e.line}` : 'filen'}${e.column ? `, kolumn ${e.column}` : ''}: ${e.message}`);
}

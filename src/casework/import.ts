/**
 * Importing the case system's export into the casework register: parse and validate the whole
 * file, then write it in one transaction, or write nothing and report every problem with its
 * line and column (never a cell's value). Each distinct deadline is computed once per import
 * (recordBuilder); the store writes only new and changed rows (CaseworkStore.importItems).
 */
import { DateTime } from 'luxon';
import { containsIdentityNumber } from '../privacy/identity-numbers';
import type { Logger } from '../log/logger';
import {
  CASEWORK_DATE_KEYS, caseReferenceKey, type CaseworkImportHistory, type CaseworkImportPlan, type CaseworkImportResult, type CaseworkRecord, type CaseworkStore,
  type InvestigationOpening, type OpenInvestigation,
} from '../store/casework';
import { WorkingCalendar } from '../review/calendar';
import { caseworkOpeningKey, DEFAULT_CORRECTION_DAYS, insatsKey, parseCaseworkCsv, type CaseworkItemInput, type CsvImportError } from './csv';
import {
  CASEWORK_TIME_ZONE, calendarDayOf, caseworkDeadline, daysBetween, isIsoDate, statutoryCalendar, type CaseworkDeadline, type CaseworkItem, type DeadlineOptions,
} from './rules';

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
  /**
   * Days within which a changed utredning_inledd may be a correction of a mistyped day rather than
   * a reopening (DEFAULT_CORRECTION_DAYS; see correctionsOf).
   */
  correctionDays?: number;
  logger: Logger;
}

export { DEFAULT_CORRECTION_DAYS };

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
  // Read once: an imported binding is a getter call under tsx (see compileRowCheck).
  const dateKeys = CASEWORK_DATE_KEYS;
  return (item) => {
    // The dates and the memo key in one pass (CASEWORK_DATE_KEYS is DATE_FIELDS: ./persisted.ts).
    const dates: CaseworkRecord['dates'] = {};
    let key = `${item.type}|${item.domstol ? 1 : 0}${item.nyUtredning ? 1 : 0}${item.ingenTidigareForlangning ? 1 : 0}${item.status === 'avslutad' ? 1 : 0}`;
    for (let f = 0; f < dateKeys.length; f++) {
      const k = dateKeys[f]!;
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
  const rows = parsed.items.length;
  const calendar = new DayCachedCalendar(statutoryCalendar(deps.timeZone));
  const opts: DeadlineOptions = { calendar, ...(deps.judgmentDays !== undefined ? { judgmentDays: deps.judgmentDays } : {}) };
  const toStored = recordBuilder(deps.timeZone, opts);
  const at = deps.now();
  const ctx = historyContext({ ...deps, now: () => at }, opts);
  // Corrections of an opening day move a clock's start: counted in the log, for whoever reviews how
  // clocks were changed; so are decisions matched to a stored one under another key.
  let corrected = 0;
  let rekeyed = 0;
  // The history is read, and the records built from it, inside the store's import transaction
  // (after SQL Server's per-source lock): two imports of one source never decide on stale history.
  const plan: CaseworkImportPlan = {
    references: historyReferences(parsed.items),
    build: (history) => {
      const records = applyHistory(parsed.items, history, ctx).map(toStored);
      corrected = 0;
      rekeyed = 0;
      for (const r of records) {
        if (r.replacesOpeningKey === undefined) continue;
        if (r.type === 'barnavardsutredning') corrected++;
        else rekeyed++;
      }
      return records;
    },
  };
  const result = await deps.store.casework.importItems(req.source, plan, { closeMissing, at, actor: req.actor });
  // The items are not needed once written: 100,000 of them need not live on.
  parsed.items.length = 0;
  deps.logger.info({ event: 'casework-imported', source: req.source, rows, closeMissing, corrected, rekeyed, ...result }, 'casework imported');
  return { ok: true, rows, closedMissing: closeMissing, result };
}

/** What the history rules need besides the history: today, the correction window, and a deadline. */
export interface HistoryContext {
  today: string;
  correctionDays: number;
  timeZone: string;
  /** The item's due day as stored, or undefined when no rule covers it. */
  dueOf: (item: CaseworkItem) => string | undefined;
}

function historyContext(deps: Partial<Pick<ImportDeps, 'now' | 'timeZone' | 'correctionDays'>>, opts: DeadlineOptions = {}): HistoryContext {
  const timeZone = deps.timeZone ?? CASEWORK_TIME_ZONE;
  const correctionDays = deps.correctionDays ?? DEFAULT_CORRECTION_DAYS;
  if (!Number.isInteger(correctionDays) || correctionDays < 0) throw new RangeError(`casework import: correctionDays must be a whole number ≥ 0 (${correctionDays})`);
  return {
    today: calendarDayOf(deps.now?.() ?? new Date(), timeZone),
    correctionDays,
    timeZone,
    dueOf: (item) => {
      try {
        return caseworkDeadline(item, { ...opts, timeZone }).due;
      } catch (err) {
        if (err instanceof RangeError) return undefined;
        throw err;
      }
    },
  };
}

const isInvestigation = (i: CaseworkItemInput) => i.type === 'barnavardsutredning' && Boolean(i.utredningInledd);
const isDecision = (i: CaseworkItemInput) => i.type === 'ej-verkstallt-beslut' && Boolean(i.beslutsdatum);

/** The references whose history the import reads: its investigations' and its ej verkställda beslut's. */
function historyReferences(items: readonly CaseworkItemInput[]): string[] {
  const refs = new Set<string>();
  for (const i of items) if (isInvestigation(i) || isDecision(i)) refs.add(i.caseReference);
  return [...refs];
}

/** The items as the register's history makes them (investigationHistory, then decisionKeys); pure. */
export function applyHistory(items: readonly CaseworkItemInput[], history: CaseworkImportHistory, ctx: HistoryContext): CaseworkItemInput[] {
  return decisionKeys(investigationHistory(items, history, ctx), history);
}

/**
 * investigationHistory with the history read from the store, outside any import: for previews and
 * tests. An import reads it inside its transaction instead (importCasework). Rows imported before
 * migration 16 have no first-import time, so a later day is never taken for their correction.
 */
export async function withHistory(
  deps: Pick<ImportDeps, 'store'> & Partial<Pick<ImportDeps, 'now' | 'timeZone' | 'correctionDays'>>,
  source: string,
  items: readonly CaseworkItemInput[],
): Promise<CaseworkItemInput[]> {
  const investigations = items.filter(isInvestigation);
  if (investigations.length === 0) return [...items];
  const references = [...new Set(investigations.map((i) => i.caseReference))];
  const openings = await deps.store.casework.firstOpenings(source, references);
  // Nothing stored under these references (a first import, mostly): nothing to correct either.
  const open = openings.size === 0 ? new Map<string, OpenInvestigation[]>() : await deps.store.casework.openInvestigations(source, references);
  return investigationHistory(items, { openings, openInvestigations: open, openDecisions: new Map() }, historyContext(deps));
}

/**
 * Investigations under the same reference (matched whatever its case, as the file's duplicate
 * check does): an opening counts from the latest opening at or before it that a new orosanmälan
 * started (a genuinely new utredning), else from the first opening (stored or in this file); a
 * later opening counted that way is "återöppnad". A new utredning itself is never reopened.
 * Closing and reopening to restart the clock is what JO and IVO criticise.
 *
 * A mistyped opening day put right by a later export is no reopening (correctionsOf): the row
 * replaces the stored opening (`correctsOpening`), which leaves the history, and keeps the day it
 * replaced (`rattadFran`, the first such day when corrected again), which later imports carry on.
 */
function investigationHistory(items: readonly CaseworkItemInput[], history: CaseworkImportHistory, ctx: HistoryContext): CaseworkItemInput[] {
  const investigations = items.filter(isInvestigation);
  if (investigations.length === 0) return [...items];
  const stored = history.openings;
  const keys = investigations.map((i) => caseReferenceKey(i.caseReference));
  // Per reference key: opening day → started by a new orosanmälan; the file overrides the register.
  const known = new Map<string, Map<string, boolean>>();
  // Per reference key: opening day → the day a correction replaced.
  const correctedFrom = new Map<string, Map<string, string>>();
  for (const [key, openings] of stored) {
    known.set(key, new Map(openings.map((o) => [o.opened, o.newInvestigation])));
    // Few openings were ever corrected: no map for the others (an import reads thousands).
    if (openings.some((o) => o.correctedFrom !== undefined)) {
      correctedFrom.set(key, new Map(openings.flatMap((o) => (o.correctedFrom !== undefined ? [[o.opened, o.correctedFrom] as const] : []))));
    }
  }
  investigations.forEach((i, n) => {
    const key = keys[n]!;
    const h = known.get(key) ?? new Map<string, boolean>();
    h.set(i.utredningInledd!, Boolean(i.nyUtredning));
    known.set(key, h);
  });
  // A correction is judged on the clock the row would have: counted from the first opening that
  // stays in the history once the replaced day leaves it.
  const countedAs = (n: number, replaced: string): CaseworkItemInput => {
    const row = investigations[n]!;
    const h = new Map(known.get(keys[n]!)!);
    h.delete(replaced);
    const first = row.nyUtredning ? undefined : firstOpeningBefore(h, row.utredningInledd!);
    return first === undefined ? row : { ...row, aterOppnad: true, forstaInledd: first };
  };
  const corrections = correctionsOf(investigations, keys, stored, history.openInvestigations, ctx, countedAs);
  for (const [n, replaced] of corrections) known.get(keys[n]!)!.delete(replaced);
  // The investigations in file order, as filtered above: the n-th is keys[n].
  let n = 0;
  return items.map((item) => {
    if (!isInvestigation(item)) return item;
    const at = n++;
    const key = keys[at]!;
    const opened = item.utredningInledd!;
    const replaced = corrections.get(at);
    // The day first replaced is the one kept: it is what the register first said of the opening.
    const from = replaced === undefined ? correctedFrom.get(key)?.get(opened) : (correctedFrom.get(key)?.get(replaced) ?? replaced);
    let i: CaseworkItemInput = item;
    if (replaced !== undefined) i = { ...i, correctsOpening: replaced };
    if (from !== undefined && from !== opened) i = { ...i, rattadFran: from };
    if (i.nyUtredning) return i;
    const firstOpening = firstOpeningBefore(known.get(key)!, opened);
    return firstOpening === undefined ? i : { ...i, aterOppnad: true, forstaInledd: firstOpening };
  });
}

/**
 * The opening an investigation opened on `opened` counts from, when earlier than it: the latest
 * opening at or before it that a new orosanmälan started, else the first. `openings`: day → started
 * by a new orosanmälan.
 */
function firstOpeningBefore(openings: ReadonlyMap<string, boolean>, opened: string): string | undefined {
  // Its own opening only (the usual case): nothing earlier to count from.
  if (openings.size <= 1) return undefined;
  const days = [...openings].filter(([day]) => day <= opened).sort(([a], [b]) => a.localeCompare(b));
  if (days.length === 0) return undefined;
  const newest = days.filter(([, ny]) => ny).pop();
  const first = newest ? newest[0] : days[0]![0];
  return first < opened ? first : undefined;
}

/**
 * Rows of the file that correct a stored opening day rather than open an investigation again, by
 * their index among `investigations`, with the day they replace. The register holds one open
 * investigation under the reference that the file no longer lists (neither open nor closed), and
 * the file holds exactly one opening the register does not know, not started by a new orosanmälan.
 *
 * That is also what a reopening looks like in an export of open items only, or in a delta export
 * that leaves the closed row out; and an overdue investigation given a later day would start its
 * four months again. So the cautious reading: a later day is a correction only when the export
 * says so (`rättelse` ja), or when the stored opening is new to the register (mayCorrectLater).
 * An earlier day moves no deadline later, and is a correction whenever the shape fits. `rättelse`
 * nej is never one. The log counts corrections (`corrected`); the row keeps the day it replaced.
 */
function correctionsOf(
  investigations: readonly CaseworkItemInput[],
  keys: readonly string[],
  stored: ReadonlyMap<string, readonly InvestigationOpening[]>,
  open: ReadonlyMap<string, readonly OpenInvestigation[]>,
  ctx: HistoryContext,
  countedAs: (n: number, replaced: string) => CaseworkItemInput,
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
    const row = investigations[n]!;
    const was = absent[0]!;
    // The store matches the reference exactly: a row whose spelling changed too is a new one there.
    if (was.caseReference !== row.caseReference) continue;
    if (row.rattelse === false) continue;
    if (row.rattelse !== true && row.utredningInledd! > was.opened && !mayCorrectLater(was, countedAs(n, was.opened), ctx)) continue;
    out.set(n, was.opened);
  }
  return out;
}

/**
 * A later opening day may correct the stored one: the register first imported it at most
 * correctionDays ago, it had been opened at most correctionDays before that (an investigation the
 * register met long after its opening may have been closed and reopened unseen), and the change
 * does not turn an overdue investigation into one in time.
 */
function mayCorrectLater(was: OpenInvestigation, row: CaseworkItem, ctx: HistoryContext): boolean {
  if (was.firstImportedAt === undefined) return false;
  const firstDay = calendarDayOf(was.firstImportedAt, ctx.timeZone);
  if (daysBetween(firstDay, ctx.today) > ctx.correctionDays) return false;
  if (daysBetween(was.opened, firstDay) > ctx.correctionDays) return false;
  const storedDue = was.dueOn ?? ctx.dueOf({ ...row, utredningInledd: was.opened });
  if (storedDue !== undefined && storedDue < ctx.today) {
    const due = ctx.dueOf(row);
    if (due === undefined || due >= ctx.today) return false;
  }
  return true;
}

/**
 * Ej verkställda beslut are matched on their decision day first: the insats only tells several
 * decisions of one day apart. A row whose key (day and folded insats) is not stored takes over the
 * stored open decision of the same reference and day that the file no longer names
 * (`correctsOpening`, renamed by the store as corrections are): the one whose folded insats is the
 * row's (a key folded the old way, before migration 16), else the only one left when one row is
 * left. An export that adds the insats later, or respells it, thus keeps one item that closes.
 */
function decisionKeys(items: CaseworkItemInput[], history: CaseworkImportHistory): CaseworkItemInput[] {
  if (history.openDecisions.size === 0) return items;
  const keyOf = (i: CaseworkItemInput) => caseworkOpeningKey(i.type, i);
  // A row whose key is stored, open, under its exact reference is never fresh below; when that holds
  // for every row (an unchanged export), no group has a fresh row and nothing is matched.
  // The stored decision is also one of the row's day as the groups below read it (its key's first ten characters).
  const storedOpen = (i: CaseworkItemInput) => {
    const key = keyOf(i);
    return (history.openDecisions.get(caseReferenceKey(i.caseReference)) ?? []).some(
      (d) => d.caseReference === i.caseReference && d.openingKey === key && d.openingKey.slice(0, 10) === i.beslutsdatum,
    );
  };
  if (items.every((i) => !isDecision(i) || storedOpen(i))) return items;
  const fileKeys = new Set<string>();
  const groups = new Map<string, number[]>();
  items.forEach((i, n) => {
    if (!isDecision(i)) return;
    fileKeys.add(JSON.stringify([i.caseReference, keyOf(i)]));
    const g = JSON.stringify([i.caseReference, i.beslutsdatum]);
    const own = groups.get(g);
    if (own) own.push(n);
    else groups.set(g, [n]);
  });
  const foldOf = (key: string) => insatsKey(key.slice(11));
  let out = items;
  for (const rows of groups.values()) {
    const first = items[rows[0]!]!;
    const day = first.beslutsdatum!;
    const stored = (history.openDecisions.get(caseReferenceKey(first.caseReference)) ?? []).filter((d) => d.caseReference === first.caseReference && d.openingKey.slice(0, 10) === day);
    if (stored.length === 0) continue;
    const storedKeys = new Set(stored.map((d) => d.openingKey));
    const left = new Set(stored.map((d) => d.openingKey).filter((k) => !fileKeys.has(JSON.stringify([first.caseReference, k]))));
    const fresh = rows.filter((n) => !storedKeys.has(keyOf(items[n]!)));
    if (left.size === 0 || fresh.length === 0) continue;
    const pairs = new Map<number, string>();
    for (const n of fresh) {
      const fold = foldOf(keyOf(items[n]!));
      const same = [...left].filter((k) => foldOf(k) === fold);
      const rivals = fresh.filter((m) => foldOf(keyOf(items[m]!)) === fold);
      if (same.length === 1 && rivals.length === 1) {
        pairs.set(n, same[0]!);
        left.delete(same[0]!);
      }
    }
    const freshLeft = fresh.filter((n) => !pairs.has(n));
    if (left.size === 1 && freshLeft.length === 1) pairs.set(freshLeft[0]!, [...left][0]!);
    if (pairs.size === 0) continue;
    if (out === items) out = [...items];
    for (const [n, key] of pairs) out[n] = { ...out[n]!, correctsOpening: key };
  }
  return out;
}

/** Plain-text report of the errors for the command line and the HTTP answer. */
export function formatImportErrors(errors: readonly CsvImportError[]): string[] {
  return errors.map((e) => `${e.line > 0 ? `rad ${e.line}` : 'filen'}${e.column ? `, kolumn ${e.column}` : ''}: ${e.message}`);
}

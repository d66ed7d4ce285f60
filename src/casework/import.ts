/**
 * Importing the case system's export into the casework register: parse and validate the whole
 * file, then write it in one transaction, or write nothing and report every problem with its
 * line and column (never a cell's value).
 */
import { DateTime } from 'luxon';
import { containsIdentityNumber } from '../privacy/identity-numbers';
import type { Logger } from '../log/logger';
import { CASEWORK_DATE_KEYS, caseReferenceKey, type CaseworkImportResult, type CaseworkRecord, type CaseworkStore } from '../store/casework';
import { parseCaseworkCsv, type CaseworkItemInput, type CsvImportError } from './csv';
import { caseworkDeadline, statutoryCalendar, type CaseworkItem, type DeadlineOptions } from './rules';

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
  const dates: CaseworkRecord['dates'] = {};
  for (const k of CASEWORK_DATE_KEYS) if (item[k]) dates[k] = item[k];
  const deadline = deadlineOf(item, timeZone, opts);
  return {
    source: item.source,
    caseReference: item.caseReference,
    type: item.type,
    unitId: item.unitId,
    ...(item.handlaggare ? { handlaggare: item.handlaggare } : {}),
    status: item.status,
    dates,
    ...(item.domstol ? { judgment: true } : {}),
    ...(item.nyUtredning ? { newInvestigation: true } : {}),
    ...(item.aterOppnad ? { reopened: true } : {}),
    openingKey: item.type === 'barnavardsutredning' ? (item.utredningInledd ?? '') : '',
    ...(deadline ? { dueOn: deadline.due } : {}),
    ...(deadline?.stopsOn ? { stopsOn: deadline.stopsOn } : {}),
  };
}

/** An open item always has a deadline (validated); a closed one only when a rule covers its dates. */
function deadlineOf(item: CaseworkItemInput, timeZone: string, opts: DeadlineOptions) {
  if (item.status !== 'avslutad') return caseworkDeadline(item, { ...opts, timeZone });
  try {
    return caseworkDeadline(item, { ...opts, timeZone });
  } catch (err) {
    if (err instanceof RangeError) return undefined;
    throw err;
  }
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
        const item = { caseReference: i.caseReference, type: i.type, unitId: i.unitId, status: i.status, ...i.dates, domstol: Boolean(i.judgment), nyUtredning: Boolean(i.newInvestigation), aterOppnad: Boolean(i.reopened) } as CaseworkItem;
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
  const items = await withHistory(deps, req.source, parsed.items);
  const calendar = statutoryCalendar(deps.timeZone);
  const opts: DeadlineOptions = { calendar, ...(deps.judgmentDays !== undefined ? { judgmentDays: deps.judgmentDays } : {}) };
  const result = await deps.store.casework.importItems(req.source, items.map((i) => toRecord(i, deps.timeZone, opts)), { closeMissing, at: deps.now(), actor: req.actor });
  deps.logger.info({ event: 'casework-imported', source: req.source, rows: parsed.items.length, closeMissing, ...result }, 'casework imported');
  return { ok: true, rows: parsed.items.length, closedMissing: closeMissing, result };
}

/**
 * Investigations under the same reference (matched whatever its case, as the file's duplicate
 * check does): an opening counts from the latest opening at or before it that a new orosanmälan
 * started (a genuinely new utredning), else from the first opening (stored or in this file); a
 * later opening counted that way is "återöppnad". A new utredning itself is never reopened.
 * Closing and reopening to restart the clock is what JO and IVO criticise.
 */
export async function withHistory(deps: Pick<ImportDeps, 'store'>, source: string, items: readonly CaseworkItemInput[]): Promise<CaseworkItemInput[]> {
  const investigations = items.filter((i) => i.type === 'barnavardsutredning' && i.utredningInledd);
  if (investigations.length === 0) return [...items];
  const stored = await deps.store.casework.firstOpenings(source, [...new Set(investigations.map((i) => i.caseReference))]);
  // Per reference key: opening day → started by a new orosanmälan; the file overrides the register.
  const history = new Map<string, Map<string, boolean>>();
  for (const [key, openings] of stored) history.set(key, new Map(openings.map((o) => [o.opened, o.newInvestigation])));
  for (const i of investigations) {
    const key = caseReferenceKey(i.caseReference);
    const h = history.get(key) ?? new Map<string, boolean>();
    h.set(i.utredningInledd!, Boolean(i.nyUtredning));
    history.set(key, h);
  }
  return items.map((i) => {
    if (i.type !== 'barnavardsutredning' || !i.utredningInledd || i.nyUtredning) return i;
    const opened = i.utredningInledd;
    const days = [...history.get(caseReferenceKey(i.caseReference))!].filter(([day]) => day <= opened).sort(([a], [b]) => a.localeCompare(b));
    const newest = days.filter(([, ny]) => ny).pop();
    const firstOpening = newest ? newest[0] : days[0]![0];
    if (firstOpening >= opened) return i;
    return { ...i, aterOppnad: true, forstaInledd: firstOpening };
  });
}

/** Plain-text report of the errors for the command line and the HTTP answer. */
export function formatImportErrors(errors: readonly CsvImportError[]): string[] {
  return errors.map((e) => `${e.line > 0 ? `rad ${e.line}` : 'filen'}${e.column ? `, kolumn ${e.column}` : ''}: ${e.message}`);
}

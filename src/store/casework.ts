/**
 * Storage for the casework deadline register: just enough of each case system item to watch its
 * statutory clock. A pseudonymous case reference only; never a personnummer or a name.
 */

/**
 * The date fields of a casework item (src/casework/rules.ts DATE_FIELDS, same order), each stored
 * in its own column; src/casework/persisted.ts proves at compile time that the two lists agree.
 */
export const CASEWORK_DATE_KEYS = [
  'orosanmalanMottagen',
  'utredningInledd',
  'forlangningBeslutad',
  'forlangdTill',
  'placeringStart',
  'senasteOvervagande',
  'lvuBeslut',
  'senasteOmprovning',
  'beslutsdatum',
  'verkstalltDatum',
  'understalltDatum',
  'omhandertagandeVerkstallt',
  'ansokanInlamnad',
  'lagaKraft',
  'vardPaborjad',
  'rapporteradIvo',
  'avbrottDatum',
  'forstaInledd',
  'tidigareForlangdTill',
  'forlangningBegard',
  'ansokanForlangdTill',
  'verkstalltAnmaltIvo',
  'tidigareForlangningBeslutad',
  'rattadFran',
] as const;
export type CaseworkDateKey = (typeof CASEWORK_DATE_KEYS)[number];

export interface CaseworkRecord {
  /** Which export it came from (e.g. "procapita-bou"); items upsert on (source, caseReference). */
  source: string;
  caseReference: string;
  type: string;
  unitId: string;
  /** Entra object id or e-mail of the responsible handläggare. */
  handlaggare?: string;
  status: 'oppen' | 'avslutad';
  /** ISO calendar dates ('YYYY-MM-DD'); which are set depends on the type. */
  dates: CaseworkDates;
  /** Ej verkställt: the decision is a court judgment (dom). */
  judgment?: boolean;
  /** Barnavårdsutredning: a new orosanmälan started a genuinely new utredning. */
  newInvestigation?: boolean;
  /** Barnavårdsutredning: an earlier opening under the same (source, reference) exists. */
  reopened?: boolean;
  /** The export says the latest extension is the first one (an extension decided late is then known to be late). */
  noEarlierExtension?: boolean;
  /** Ej verkställt: the insats the decision grants, as the case system names it (not a key by itself). */
  insats?: string;
  /**
   * Which opening of the (source, reference, type) this row is: the investigation's opening day for
   * a barnavårdsutredning; for an ej verkställt beslut its decision day, and its insats when given
   * (one reference may carry several decisions); '' for other types. Items upsert on (source,
   * reference, type, opening), so every opening of an investigation is kept (a reopened one never
   * overwrites the first). Absent means ''. At most 80 characters.
   */
  openingKey?: string;
  /**
   * This record is a stored opening of the same (source, reference, type) under another key: a
   * mistyped opening day put right by the next export, or an ej verkställt beslut whose insats the
   * export now gives or spells otherwise. When the row with this opening key is stored and open, and
   * the record's own key is not stored, that row takes the record's key and values (it keeps its id,
   * and its first import's time; counted as updated when a value changed) instead of a second opening
   * being inserted. Otherwise the record is imported as any other. Only the first record of a file
   * naming a stored key counts.
   */
  replacesOpeningKey?: string;
  /**
   * The clock's last day, computed from `dates` by the casework rules when the item is written
   * (see caseworkDeadline). Kept so that overdue/approaching items are counted with an index.
   */
  dueOn?: string;
  /** The clock stops from this day on (e.g. verkställt), when recorded. */
  stopsOn?: string;
}

/** The dates each clock needs, as the casework rules define them: ISO calendar dates. */
export type CaseworkDates = Partial<Record<CaseworkDateKey, string>>;

/** One stored opening of an investigation: its day, and whether a new orosanmälan started it. */
export interface InvestigationOpening {
  opened: string;
  newInvestigation: boolean;
  /** The opening day a correction replaced (dates.rattadFran), when one did. */
  correctedFrom?: string;
}

/** A stored open barnavårdsutredning: its reference as stored, and its opening day (its opening key). */
export interface OpenInvestigation {
  caseReference: string;
  opened: string;
  /** Its stored deadline, when one is stored. */
  dueOn?: string;
  /** When the register first imported it (migration 16); absent for rows imported before, whose age is unknown. */
  firstImportedAt?: Date;
}

/** A stored open ej verkställt beslut: its reference as stored and its opening key (decision day, insats). */
export interface OpenDecision {
  caseReference: string;
  openingKey: string;
}

/**
 * What an import decides against, read inside its transaction (after SQL Server's per-source
 * lock), each keyed by caseReferenceKey and limited to the references asked for: two imports of one
 * source then never decide on history the other is about to change.
 */
export interface CaseworkImportHistory {
  /** As firstOpenings. */
  openings: Map<string, InvestigationOpening[]>;
  /** As openInvestigations. */
  openInvestigations: Map<string, OpenInvestigation[]>;
  /** The source's open ej verkställda beslut. */
  openDecisions: Map<string, OpenDecision[]>;
}

/**
 * An import whose records depend on the stored history: `build` is called inside the import's
 * transaction with the history under `references`, and returns the records to write. It must be
 * synchronous and pure (SQLite runs it inside a synchronous transaction; SQL Server may run it again
 * when the transaction is retried after a deadlock).
 */
export interface CaseworkImportPlan {
  references: readonly string[];
  build(history: CaseworkImportHistory): readonly CaseworkRecord[];
}

/** The records of an import given as records or as a plan. */
export function isCaseworkImportPlan(input: readonly CaseworkRecord[] | CaseworkImportPlan): input is CaseworkImportPlan {
  return typeof (input as CaseworkImportPlan).build === 'function';
}

/** Groups rows by the reference key, keeping only the wanted keys (the adapters' history reads share it). */
export function byReferenceKey<R extends { ref: string }, T>(rows: readonly R[], references: readonly string[], of: (row: R) => T): Map<string, T[]> {
  const wanted = new Set(references.map(caseReferenceKey));
  const out = new Map<string, T[]>();
  if (wanted.size === 0) return out;
  for (const r of rows) {
    const key = caseReferenceKey(r.ref);
    if (!wanted.has(key)) continue;
    const known = out.get(key);
    if (known) known.push(of(r));
    else out.set(key, [of(r)]);
  }
  return out;
}

/**
 * A case reference as compared: "BoU 1" and "BOU  1" are the same case in a case system export,
 * so history is looked up on this key (and a file may not hold both).
 */
export function caseReferenceKey(reference: string): string {
  // ASCII is its own NFC, and Swedish lower-cases it as every locale but Turkish and Azeri does:
  // the plain path gives the same key without the locale-aware work, which an import does per row.
  // Printable ASCII in words one space apart (nearly every reference) has nothing to fold but case.
  if (PLAIN_ASCII.test(reference)) return reference.toLowerCase();
  if (ASCII.test(reference)) return reference.replace(/\s+/g, ' ').trim().toLowerCase();
  return reference.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('sv-SE');
}

const ASCII = /^[\x00-\x7f]*$/;
const PLAIN_ASCII = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;

/**
 * The records whose correction (replacesOpeningKey) the adapters apply, the same in both: the first
 * record naming a stored key, when that key is not the key of any record in the file (a file that
 * still lists the old opening is not correcting it) and differs from the record's own.
 */
export function caseworkCorrections(records: readonly CaseworkRecord[]): CaseworkRecord[] {
  const keyOf = (r: CaseworkRecord, opening: string) => JSON.stringify([r.caseReference, r.type, opening]);
  let inFile: Set<string> | undefined;
  const named = new Set<string>();
  const out: CaseworkRecord[] = [];
  for (const r of records) {
    const old = r.replacesOpeningKey;
    if (old === undefined || old === (r.openingKey ?? '')) continue;
    inFile ??= new Set(records.map((x) => keyOf(x, x.openingKey ?? '')));
    const key = keyOf(r, old);
    if (inFile.has(key) || named.has(key)) continue;
    named.add(key);
    out.push(r);
  }
  return out;
}

export interface StoredCaseworkItem extends CaseworkRecord {
  id: number;
  updatedAt: Date;
  closedAt?: Date;
}

export interface CaseworkImportResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Open items of the source that a full import did not contain, now closed. */
  closed: number;
}

export interface CaseworkStore {
  /**
   * Upserts every record on (source, caseReference, type, openingKey) in one transaction; all or
   * nothing. Given a plan, its records are built inside that transaction from the history it reads
   * there (CaseworkImportPlan), after SQL Server's per-source lock. A new row records the import's
   * time as its first import (never changed afterwards). With `closeMissing`, open items of the same source that are not in `records` are
   * closed (a full export); they are never deleted. A record whose every value equals the stored
   * row's is counted unchanged and not written (its updated_at stays); the nightly export is
   * mostly such rows, so adapters compare before they write (issue #14).
   */
  importItems(source: string, records: readonly CaseworkRecord[] | CaseworkImportPlan, opts: { closeMissing: boolean; at: Date; actor: string }): Promise<CaseworkImportResult>;
  /** Open items, optionally only for some units, ordered by unit then reference. */
  listOpen(unitIds?: readonly string[]): Promise<StoredCaseworkItem[]>;
  count(): Promise<number>;
  /**
   * Every stored opening of a barnavårdsutredning (open or closed) of the source under the given
   * references, keyed by caseReferenceKey: a reference matches whatever its case and spacing, as
   * the file's duplicate check does (references with none are absent).
   */
  firstOpenings(source: string, references: readonly string[]): Promise<Map<string, InvestigationOpening[]>>;
  /**
   * The open barnavårdsutredningar of the source under the given references (matched by
   * caseReferenceKey, as firstOpenings), keyed by that key: what a correction of an opening day may
   * replace (CaseworkRecord.replacesOpeningKey).
   */
  openInvestigations(source: string, references: readonly string[]): Promise<Map<string, OpenInvestigation[]>>;
  /** Open reopened items (återöppnade investigations) per unit, for the status summary. */
  reopenedOpenCounts(unitIds: readonly string[]): Promise<{ unitId: string; count: number }[]>;
  /** Open items without a stored deadline (written before deadlines were kept), at most `limit`. */
  openWithoutDeadline(limit: number): Promise<StoredCaseworkItem[]>;
  /** Stores computed deadlines by item id, in one transaction. */
  setDeadlines(items: readonly { id: number; dueOn: string; stopsOn?: string }[]): Promise<void>;

  // The weekly review's ranks (migration 20, issue #14): computed by src/casework/review-rank.ts,
  // kept beside each item, and counted and paged by the review with an index.
  /**
   * Open items of the units whose stored rank does not hold on `today`: never computed, the row
   * written since (its updated_at moved on), or its days ran out. Oldest id first, at most `limit`.
   */
  staleReviewRanks(unitIds: readonly string[], today: string, limit: number): Promise<StaleRankItem[]>;
  /** Stores each rank for the row as read (`version`); a row written since keeps its old, stale one. Returns how many were stored. */
  storeReviewRanks(rows: readonly { id: number; version: string; rank: CaseworkRankRecord }[]): Promise<number>;
  /** Marks every stored rank stale (the rules or calendar they were computed by changed): still counted, as stale, until computed again. Returns how many. */
  invalidateReviewRanks(): Promise<number>;
  /**
   * The unit's open ranked items on `today`, counted per rank (due ''), with index range counts
   * only: rank as src/cases/deadline-rank.ts deadlineRank numbers it (0 overdue with a consequence,
   * 1 overdue by law, 2 cannot be judged, 3 overdue by local policy, 4 approaching: due by
   * `warnUntil` or never "i tid", 5 in time). Items that run no clock are left out. When some open
   * item's rank does not hold on `today` (never computed, written since, forgotten, or out of its
   * days), a row of rank STALE_RANK says so (n ≥ 1, not necessarily how many): the other counts are
   * then not to be trusted, and the caller must not page by them.
   */
  reviewRankCounts(unitId: string, today: string, warnUntil: string): Promise<ReviewGroupRow[]>;
  /**
   * The unit's open items of `ranks`, per (rank, due day), by their stored ranks as they stand
   * (trust them only as far as reviewRankCounts does); due '' for none (rank 2). In rank, then due order.
   */
  reviewGroups(unitId: string, today: string, warnUntil: string, ranks: readonly number[]): Promise<ReviewGroupRow[]>;
  /**
   * The unit's open ranked items of the given (rank, due day) groups, in listOpen's order: at least
   * those (a row of another rank due the same day may come too; the caller keeps what it asked for).
   */
  openByReviewDue(unitId: string, groups: readonly { rank: number; due: string }[]): Promise<StoredCaseworkItem[]>;
}

/** A casework item's clock as the weekly review ranks it, as stored (src/casework/review-rank.ts computes it). */
export interface CaseworkRankRecord {
  kind: 'running' | 'none' | 'unjudgeable';
  dueOn: string | null;
  weight: string | null;
  fromStart: boolean;
  validFrom: string;
  validUntil: string | null;
}

/** An item whose rank is to be computed, with its row version (updated_at as stored). */
export interface StaleRankItem extends StoredCaseworkItem {
  version: string;
}

/** The rank of the rows whose stored rank or clock does not hold (CaseworkStore.reviewGroups, CaseStore.clockGroups). */
export const STALE_RANK = -1;

/** How many of a unit's items share a rank and a due day. */
export interface ReviewGroupRow {
  rank: number;
  due: string;
  n: number;
}

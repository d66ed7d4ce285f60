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
   * This record corrects a stored opening of the same (source, reference, type): a mistyped
   * opening day put right by the next export. When the row with this opening key is stored and
   * open, and the record's own key is not stored, that row takes the record's key and values (it
   * keeps its id and is counted as updated) instead of a second opening being inserted. Otherwise
   * the record is imported as any other. Only the first record of a file naming a stored key counts.
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
}

/** A stored open barnavårdsutredning: its reference as stored, and its opening day (its opening key). */
export interface OpenInvestigation {
  caseReference: string;
  opened: string;
}

/**
 * A case reference as compared: "BoU 1" and "BOU  1" are the same case in a case system export,
 * so history is looked up on this key (and a file may not hold both).
 */
export function caseReferenceKey(reference: string): string {
  // ASCII is its own NFC, and Swedish lower-cases it as every locale but Turkish and Azeri does:
  // the plain path gives the same key without the locale-aware work, which an import does per row.
  if (ASCII.test(reference)) return reference.replace(/\s+/g, ' ').trim().toLowerCase();
  return reference.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('sv-SE');
}

const ASCII = /^[\x00-\x7f]*$/;

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
   * nothing. With `closeMissing`, open items of the same source that are not in `records` are
   * closed (a full export); they are never deleted. A record whose every value equals the stored
   * row's is counted unchanged and not written (its updated_at stays); the nightly export is
   * mostly such rows, so adapters compare before they write (issue #14).
   */
  importItems(source: string, records: readonly CaseworkRecord[], opts: { closeMissing: boolean; at: Date; actor: string }): Promise<CaseworkImportResult>;
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
}

/**
 * Import of the casework register from the case system's CSV export.
 *
 * The file: UTF-8 (a BOM is fine), delimiter ";" or "," (taken from the header line: the one that
 * occurs more often outside quotes, ";" on a tie), quoted fields per RFC 4180 (a field in "…" may
 * hold the delimiter, line breaks and "" for a quote). Empty lines and lines of only delimiters
 * are skipped. Parsing is done by `csv-parse`; this module validates.
 *
 * The header line names the columns (case-insensitive, surrounding spaces ignored, a space may be
 * written for "_", with or without å/ä/ö). Unknown columns are ignored and listed in `ignoredColumns`.
 *
 *   Kolumn                 Krävs   Betydelse
 *   ärendereferens         ja      Pseudonym ärendereferens, t.ex. "BoU 2026/123" (aldrig personnummer eller namn)
 *   typ                    ja      Bevakningens typ: nyckel (t.ex. barnavardsutredning) eller svensk benämning
 *   enhet                  ja      Enhetens id i organisationsfilen, t.ex. bou-mottagning
 *   handläggare            nej     Ansvarig handläggare: Entra objekt-id (GUID) eller e-postadress
 *   status                 nej     öppen (standard) eller avslutad
 *   orosanmälan_mottagen   *       Dag då orosanmälan kom in (skyddsbedömning, förhandsbedömning)
 *   utredning_inledd       *       Dag då utredningen inleddes (barnavårdsutredning)
 *   förlängning_beslutad   nej     Dag för beslut om förlängd utredning; kräver förlängd_till
 *   förlängd_till          nej     Sista dag för den förlängda utredningen; kräver förlängning_beslutad
 *   tidigare_förlängd_till nej     Vid flera förlängningar: sista dag för den förra (och tidigare_förlängning_beslutad,
 *                                   dagen den beslutades); ingen_tidigare_förlängning: ja/nej
 *   placering_start        *       Dag då placeringen verkställdes (övervägande, vårdplan, vårdnadsöverflyttning)
 *   senaste_övervägande    nej     Dag för senaste övervägande
 *   lvu_beslut             *       Dag för beslut enligt LVU 3 § (vård) eller 6 § (omedelbart omhändertagande)
 *   senaste_omprövning     nej     Dag för senaste omprövning (LVU 3 §)
 *   beslutsdatum           *       Dag för det gynnande beslutet (ej verkställt beslut); för jourhem och
 *                                   uppföljning dagen då utredningen avslutades (placeringen upphörde)
 *   verkställt_datum       nej     Dag då beslutet verkställdes; klockan stannar
 *   insats                 nej     Den insats beslutet gäller (skiljer flera ej verkställda beslut samma dag åt)
 *   domstol … rättelse              Ej verkställt (dom, rapport, avbrott, anmält verkställt), LVU (underställt,
 *                                   verkställt, ansökan, förlängning begärd/medgiven, laga kraft, vård påbörjad),
 *                                   a new utredning and a corrected opening day: see CSV_COLUMNS
 *   (* = krävs för vissa typer; the same data is exported as CSV_COLUMNS, with the full meanings.)
 *
 * Validation collects every error with the physical line of the file (header = 1; a row with a
 * quoted multi-line field is reported at the line where it starts) and the column. Records are
 * validated one by one as csv-parse reads them (none is kept). The rules are the zod row schema;
 * a compiled check of the same rules (compileRowCheck) passes the valid rows without zod, and only
 * a row it does not pass goes to the schema, whose issues are the messages. A 100,000-row export
 * is checked in well under a second (issue #14).
 * Nothing is imported unless the whole file is valid. Error messages are Swedish and NEVER repeat
 * a cell's value (a misplaced name must not end up in a chat or a log).
 *
 * Identity numbers: a personnummer or samordningsnummer anywhere (any cell, the header included:
 * to the guard every column is free text) rejects the whole file; the error names the line and
 * column and does not echo the number. Only those errors are returned then, since the file must
 * not be used at all. The detector is the shared one in src/privacy/guard.ts, so numbers with
 * invisible characters, Unicode dashes or digits, or in the form YYYY-MM-DD-NNNN are caught too.
 *
 * Pure: no I/O, no logging.
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { findIdentityNumbers, mayHoldIdentityNumber, type IdentityNumberHit } from '../privacy/guard';
import { caseReferenceKey } from '../store/casework';
import {
  CASEWORK_RULES,
  DATE_FIELDS,
  ITEM_TYPE_TITLES,
  ITEM_TYPES,
  findRule,
  isCaseworkItemType,
  requiredStartFields,
  isIsoDate,
  type CaseworkItem,
  type CaseworkItemType,
  type CaseworkRule,
  type DateField,
} from './rules';

// --- Columns -------------------------------------------------------------------------------

export interface CsvColumn {
  /** The header name, as written in the file. */
  name: string;
  /** The CaseworkItem field it fills. */
  field: keyof CaseworkItem;
  /** The column must be in the header and filled on every row. */
  required: boolean;
  /** Types whose clock starts from this column (one of the listed start columns must be filled). */
  startsClockFor: readonly CaseworkItemType[];
  /** Swedish meaning, for the README table. */
  meaning: string;
}

/**
 * A new opening day replaces a stored one (a correction, not a reopening) only when the register
 * met that investigation at most this many days ago, and it had been opened at most this many days
 * before: a mistyped day is put right soon after it was entered. Otherwise it is a reopening
 * counted from the first opening, unless the export says `rättelse` (src/casework/import.ts).
 */
export const DEFAULT_CORRECTION_DAYS = 14;

/** The types whose clock can start from `field`. */
function startsClockFor(field: DateField): CaseworkItemType[] {
  return ITEM_TYPES.filter((t) => CASEWORK_RULES.some((r) => r.type === t && r.from.includes(field)));
}

function column(name: string, field: keyof CaseworkItem, required: boolean, meaning: string): CsvColumn {
  const date = DATE_FIELDS.find((f) => f === field);
  return { name, field, required, startsClockFor: date ? startsClockFor(date) : [], meaning };
}

export const CSV_COLUMNS: readonly CsvColumn[] = [
  column('ärendereferens', 'caseReference', true, 'Pseudonym ärendereferens från verksamhetssystemet, t.ex. "BoU 2026/123": 1–40 tecken (bokstäver, siffror 0–9, mellanslag och - / . :). Aldrig personnummer eller namn. Samma referens får finnas en gång per typ; för en barnavårdsutredning en gång per utredning_inledd (avslutad och återöppnad utredning på var sin rad), för ett ej verkställt beslut en gång per beslutsdatum och insats (insatsen jämförs utan versaler, mellanslag och skiljetecken).'),
  column('typ', 'type', true, `Bevakningens typ: ${ITEM_TYPES.join(', ')} – eller typens svenska benämning, t.ex. "Barnavårdsutredning".`),
  column('enhet', 'unitId', true, 'Enhetens id i organisationsfilen, t.ex. bou-mottagning.'),
  column('handläggare', 'handlaggare', false, 'Ansvarig handläggare: Entra objekt-id (GUID) eller e-postadress.'),
  column('status', 'status', false, 'öppen eller avslutad; tom betyder öppen. En avslutad bevakning har ingen klocka.'),
  column('orosanmälan_mottagen', 'orosanmalanMottagen', false, 'Dag då orosanmälan kom in till nämnden. Krävs för skyddsbedömning (genast: samma dag, också en helgdag) och förhandsbedömning (14 dagar).'),
  column('utredning_inledd', 'utredningInledd', false, 'Dag då utredningen inleddes. Krävs för barnavårdsutredning (4 månader).'),
  column('förlängning_beslutad', 'forlangningBeslutad', false, 'Dag för beslutet att förlänga utredningen (särskilda skäl), eller för jourhem beslutet om längre vård i jourhemmet (särskilda skäl). Räknas bara om det fattades senast den dag fristen gick ut. Vid flera förlängningar: det senaste beslutet, som jämförs med den frist det förlängde (den ursprungliga, eller tidigare_förlängd_till). Kräver förlängd_till; inte före utredning_inledd.'),
  column('förlängd_till', 'forlangdTill', false, 'Sista dag för den förlängda utredningen (eller jourhemsplaceringen); ersätter fristen. Kräver förlängning_beslutad; efter utredning_inledd och förlängning_beslutad.'),
  column('tidigare_förlängd_till', 'tidigareForlangdTill', false, 'Vid flera förlängningar: sista dag för förlängningen före den senaste. Den senaste förlängningen räknas då om den beslutades senast den dagen och den förra beslutades inom den ursprungliga fristen (tidigare_förlängning_beslutad): en kedja av förlängningar, var och en beslutad i tid. Kräver förlängning_beslutad; efter utredning_inledd och före förlängd_till; kan inte kombineras med ingen_tidigare_förlängning.'),
  column('tidigare_förlängning_beslutad', 'tidigareForlangningBeslutad', false, 'Vid flera förlängningar: dag för beslutet om förlängningen före den senaste. Beslutades den efter den ursprungliga fristen räddar kedjan inte utredningen; saknas dagen när den senaste förlängningen beslutades efter fristen kan kedjan inte bedömas ("kan inte bedömas", fristen står kvar). Kräver tidigare_förlängd_till; inte före utredning_inledd, inte efter förlängning_beslutad, före tidigare_förlängd_till; kan inte kombineras med ingen_tidigare_förlängning.'),
  column('ingen_tidigare_förlängning', 'ingenTidigareForlangning', false, 'ja om den senaste förlängningen är den första: en förlängning som beslutades efter fristen är då för sen (i stället för "kan inte bedömas"). Tom eller nej: det är inte känt, eller det fanns en tidigare förlängning (ange då tidigare_förlängd_till).'),
  column('placering_start', 'placeringStart', false, 'Dag då placeringen verkställdes. Övervägande (SoL, LVU 2 §) var sjätte månad räknas härifrån tills ett övervägande är gjort; detta eller senaste_övervägande krävs. Första revidering av vårdplan: senast två år härifrån. Vårdnadsöverflyttning: dag då placeringen i det nuvarande familjehemmet verkställdes (två år).'),
  column('senaste_övervägande', 'senasteOvervagande', false, 'Dag för det senaste övervägandet; nästa ska göras inom sex månader. För vårdnadsöverflyttning: det senaste övervägandet om vårdnadsöverflyttning; nästa inom ett år (det första räknas först när barnet varit placerat i två år). Inte före placering_start.'),
  column('lvu_beslut', 'lvuBeslut', false, 'Dag för beslutet enligt LVU: vård enligt 3 § (omprövning inom sex månader) eller omedelbart omhändertagande enligt 6 § (till förvaltningsrätten inom en vecka). Krävs för omedelbart omhändertagande; för omprövning krävs detta eller senaste_omprövning.'),
  column('senaste_omprövning', 'senasteOmprovning', false, 'Dag för den senaste omprövningen enligt LVU 3 §; nästa ska göras inom sex månader. Inte före lvu_beslut.'),
  column('beslutsdatum', 'beslutsdatum', false, 'Dag för det gynnande beslutet (bistånd enligt SoL eller insats enligt LSS). Krävs för ej verkställt beslut (tre månader). För jourhem och uppföljning: dag då utredningen avslutades (eller, för uppföljning, placeringen upphörde); jourhem högst två månader härifrån, uppföljning högst sex.'),
  column('insats', 'insats', false, 'Den insats beslutet gäller, som verksamhetssystemet skriver den, t.ex. "LSS 9 § 2" eller "hemtjänst": högst 60 tecken (bokstäver, siffror 0–9, mellanslag och - / . : § ( ) ,). Aldrig namn. Ett ej verkställt beslut är en bevakning per ärendereferens och beslutsdatum; insatsen skiljer bara flera beslut samma dag åt (versaler, mellanslag och skiljetecken räknas inte: "LSS 9 § 2" och "LSS 9§2" är samma beslut). Två beslut under samma referens samma dag är två rader med var sin insats. Anger exporten insatsen först senare, eller stavar den om, är det samma bevakning.'),
  column('verkställt_datum', 'verkstalltDatum', false, 'Dag då beslutet verkställdes; klockan för ej verkställt beslut stannar (om inte verkställigheten avbrutits senare). Inte före beslutsdatum.'),
  column('domstol', 'domstol', false, 'ja om beslutet är en dom (domstolen har beviljat insatsen): den ska verkställas omedelbart och är försenad efter det antal dagar lokal rutin anger (CASEWORK_JUDGMENT_DAYS, standard 14). Tom eller nej: nämndens eget beslut, som ska verkställas snarast och rapporteras till IVO inom tre månader.'),
  column('rapporterad_ivo', 'rapporteradIvo', false, 'Dag då beslutet senast rapporterades till IVO som ej verkställt; nästa rapport inom tre månader.'),
  column('avbrott', 'avbrottDatum', false, 'Dag då verkställigheten avbröts; en ny tremånadersfrist för rapport till IVO löper.'),
  column('verkställt_anmält_ivo', 'verkstalltAnmaltIvo', false, 'Dag då IVO fick veta att beslutet verkställts (med dagen för verkställigheten). Ett beslut som rapporterats till IVO som ej verkställt, eller som verkställts först efter tre månader, är klart först när IVO fått veta det; dessförinnan visas "Anmäl till IVO att beslutet har verkställts". Kräver verkställt_datum.'),
  column('underställt', 'understalltDatum', false, 'Dag då beslutet om omedelbart omhändertagande underställdes förvaltningsrätten (LVU 7 §); veckofristen stannar.'),
  column('omhändertagande_verkställt', 'omhandertagandeVerkstallt', false, 'Dag då det omedelbara omhändertagandet verkställdes; ansökan om vård ska in inom fyra veckor (LVU 8 §). Tom: fyra veckor från lvu_beslut.'),
  column('ansökan_inlämnad', 'ansokanInlamnad', false, 'Dag då ansökan om vård kom in till förvaltningsrätten; fyraveckorsfristen stannar.'),
  column('förlängning_begärd', 'forlangningBegard', false, 'Dag då nämnden (senast) begärde att förvaltningsrätten förlänger tiden för ansökan om vård (LVU 8 § 2 st.). Begärd senast sista dagen upphör omhändertagandet inte (LVU 9 § 1) medan rätten prövar begäran. Inte före lvu_beslut.'),
  column('ansökan_förlängd_till', 'ansokanForlangdTill', false, 'Sista dag för ansökan om vård som förvaltningsrätten medgett (LVU 8 § 2 st.); ersätter de fyra veckorna och flyttas inte till nästa vardag. Efter lvu_beslut.'),
  column('laga_kraft', 'lagaKraft', false, 'Dag då beslutet om vård enligt LVU vann laga kraft. Krävs för typen vard-lvu-verkstallighet (vården ska påbörjas inom fyra veckor, LVU 5 §).'),
  column('vård_påbörjad', 'vardPaborjad', false, 'Dag då vården enligt LVU påbörjades; klockan stannar. Får ligga före laga_kraft (vården har påbörjats när barnet placerats utanför hemmet, också genom ett omedelbart omhändertagande, LVU 10 §).'),
  column('ny_orosanmälan', 'nyUtredning', false, 'ja om en ny orosanmälan inledde en helt ny utredning under samma ärendereferens: fyra månader räknas då från den här utredningens start. Annars räknas de från den första öppningen.'),
  column('rättelse', 'rattelse', false, `Barnavårdsutredning: ja om raden rättar en felskriven utredning_inledd (samma utredning, ny dag), nej om den aldrig är en rättelse. Tom: en ny dag räknas som rättelse bara när registret fick utredningen nyligen (inom ${DEFAULT_CORRECTION_DAYS} dagar, och den inleddes högst ${DEFAULT_CORRECTION_DAYS} dagar innan) och den inte flyttar en försenad utredning till i tid; annars är den en återöppning som räknas från den första öppningen. Den ersatta dagen sparas och visas ("startdag rättad från …"). Kan inte kombineras med ny_orosanmälan.`),
];

/** The README table (Markdown) generated from CSV_COLUMNS. */
export function csvColumnsMarkdownTable(): string {
  const rows = CSV_COLUMNS.map((c) => `| \`${c.name}\` | ${c.required ? 'ja' : 'nej'} | ${c.meaning.replace(/\|/g, '\\|')} |`);
  return ['| Kolumn | Krävs | Betydelse |', '|---|---|---|', ...rows].join('\n');
}

// --- Result --------------------------------------------------------------------------------

export interface CaseworkItemInput extends CaseworkItem {
  /** The import source (case system / export); the register upserts on (source, caseReference, type, opening). */
  source: string;
  /** The physical line of the file the row starts on. */
  line: number;
  /**
   * Set by the import (applyHistory): the opening key of the stored open item this row is, under
   * another key: a corrected opening day, or an ej verkställt beslut whose insats is new or respelled.
   */
  correctsOpening?: string;
}

/**
 * Which opening of a (source, reference, type) an item is, as the register keys it
 * (CaseworkRecord.openingKey): a barnavårdsutredning's opening day; an ej verkställt beslut's
 * decision day, and its insats when given (folded: insatsKey), since one person may have several
 * decisions not carried out; '' for other types. The import matches decisions on the day first
 * (src/casework/import.ts), so that an insats added or respelled later is the same decision.
 */
export function caseworkOpeningKey(type: string, cells: { utredningInledd?: string; beslutsdatum?: string; insats?: string }): string {
  if (type === 'barnavardsutredning') return cells.utredningInledd ?? '';
  if (type === 'ej-verkstallt-beslut') {
    const day = cells.beslutsdatum ?? '';
    const insats = cells.insats === undefined ? '' : insatsKey(cells.insats);
    return insats === '' ? day : `${day} ${insats}`;
  }
  return '';
}

/**
 * An insats as compared: Swedish lower case, letters and digits only. Case systems respell an
 * insats ("LSS 9 § 2", "LSS 9§2", "lss 9 §2") without it becoming another decision.
 */
export function insatsKey(insats: string): string {
  return insats.normalize('NFC').toLocaleLowerCase('sv-SE').replace(/[^\p{L}\p{N}]+/gu, '');
}

export interface CsvImportError {
  /** Physical line in the file: the header is line 1. */
  line: number;
  /** The column's header name (or "kolumn N" when the header cannot be named). */
  column?: string;
  /** Swedish, never containing a cell's value. */
  message: string;
}

export type CaseworkCsvResult =
  | { ok: true; items: CaseworkItemInput[]; ignoredColumns: string[] }
  | { ok: false; errors: CsvImportError[] };

export interface CaseworkCsvOptions {
  /** The import source, copied to every item. */
  source: string;
  /** The unit ids of the organisation; `enhet` must be one of them. */
  unitIds: Iterable<string>;
  /** When given, dates of past events (not förlängd_till) must not be after this day. */
  today?: string;
  /** At most this many errors are listed, then "… och N fel till". Default 100. */
  maxErrors?: number;
  /** For tests; default CASEWORK_RULES. */
  rules?: readonly CaseworkRule[];
}

export const DEFAULT_MAX_ERRORS = 100;

// --- Parsing -------------------------------------------------------------------------------

/** Lower-case, trimmed, runs of spaces as "_", without diacritics: "Förlängning begärd" and "forlangning_begard" are one column. */
function normalizeHeader(name: string): string {
  return name.normalize('NFC').trim().toLocaleLowerCase('sv-SE').replace(/\s+/g, '_').normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

const COLUMN_BY_HEADER = new Map(CSV_COLUMNS.map((c) => [normalizeHeader(c.name), c]));

/** Line-break positions: CRLF, LF and CR each end one line. */
function lineStarts(buf: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b === 0x0a) starts.push(i + 1);
    else if (b === 0x0d) {
      if (buf[i + 1] === 0x0a) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** 1-based line of the byte at `offset`. */
function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Line breaks (CRLF counted once) in `text` before index `end`. */
function breaksIn(text: string, end: number = text.length): number {
  let n = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) n++;
    else if (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a) n++;
  }
  return n;
}

/** First byte at or after `offset` that is not a line break, space or tab (a record starts on its line). */
function skipBreaks(buf: Uint8Array, offset: number): number {
  let i = offset;
  while (i < buf.length && (buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x20 || buf[i] === 0x09)) i++;
  return i;
}

/** The delimiter of the header line: ";" or ",", whichever occurs more often outside quotes. */
function detectDelimiter(text: string): ';' | ',' {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const ch of text.trimStart()) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ';') semicolons++;
    else if (!quoted && ch === ',') commas++;
  }
  return commas > semicolons ? ',' : ';';
}

type ReadOutcome = { ok: true } | { ok: false; line: number; code: string };

/**
 * Hands each record to `onRecord` as csv-parse produces it, with the line it starts on, and keeps
 * none: a 100,000-row export is never held as a second copy of records. An exception thrown by
 * `onRecord` is not a CSV error: it is rethrown as it is once csv-parse has stopped.
 */
function readRecords(buf: Uint8Array, delimiter: string, starts: readonly number[], onRecord: (cells: string[], line: number) => void): ReadOutcome {
  let previousEnd = 0;
  let thrown: { err: unknown } | undefined;
  try {
    parse(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength), {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      on_record: (record: string[], context) => {
        const line = lineAt(starts, skipBreaks(buf, previousEnd));
        previousEnd = context.bytes;
        if (thrown) return null;
        try {
          onRecord(record, line);
        } catch (err) {
          thrown = { err };
        }
        return null;
      },
    });
  } catch (err) {
    if (thrown) throw thrown.err;
    const code = err && typeof err === 'object' && 'code' in err ? String(err.code) : 'UNKNOWN';
    return { ok: false, line: lineAt(starts, skipBreaks(buf, previousEnd)), code };
  }
  if (thrown) throw thrown.err;
  return { ok: true };
}

const PARSE_MESSAGES: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'Ett citattecken (") öppnas på den här raden men stängs aldrig.',
  CSV_INVALID_CLOSING_QUOTE: 'Efter ett avslutande citattecken (") måste skiljetecknet eller radslut följa.',
  INVALID_OPENING_QUOTE: 'Ett citattecken (") står mitt i ett fält. Sätt hela fältet inom citattecken och skriv citattecken i fältet dubbelt ("").',
};

// --- Identity numbers ----------------------------------------------------------------------

const IDENTITY_MESSAGE =
  'Filen avvisas i sin helhet: fältet ser ut att innehålla ett personnummer eller samordningsnummer. ' +
  'Ta bort numret ur exporten (använd bara den pseudonyma ärendereferensen) och importera filen igen.';

const NO_HITS: readonly IdentityNumberHit[] = [];

/** The detector's hits, skipping it where no number can be. */
function identityHits(text: string): readonly IdentityNumberHit[] {
  return mayHoldIdentityNumber(text) ? findIdentityNumbers(text) : NO_HITS;
}

/**
 * Collects the identity numbers of an export record by record (line and column, never the
 * value), then those in physical lines the records do not explain (`finish`).
 */
class IdentityScan {
  readonly errors: CsvImportError[] = [];
  private readonly flaggedLines = new Set<number>();
  private header: readonly string[] = [];
  private headerHasNumber: boolean[] = [];

  /** The first record is the header. */
  record(cells: readonly string[], line: number, isHeader: boolean): void {
    if (isHeader) {
      this.header = cells;
      this.headerHasNumber = cells.map((h) => identityHits(h).length > 0);
    }
    for (let index = 0; index < cells.length; index++) {
      const cell = cells[index]!;
      const hits = identityHits(cell);
      if (hits.length === 0) continue;
      // The line a cell starts on: the record's, plus the line breaks of the cells before it.
      let start = line;
      for (let k = 0; k < index; k++) start += breaksIn(cells[k]!);
      for (const hit of hits) {
        const at = start + breaksIn(cell, hit.start);
        this.flaggedLines.add(at);
        this.errors.push({ line: at, column: this.columnLabel(index, isHeader), message: IDENTITY_MESSAGE });
      }
    }
  }

  /**
   * Only a recognised column is named: an unknown header cell may itself be data (an export
   * without a header row makes its first row the header), and errors never carry values.
   */
  private columnLabel(index: number, isHeader: boolean): string {
    const name = this.header[index];
    const known = isHeader || name === undefined || this.headerHasNumber[index] ? undefined : COLUMN_BY_HEADER.get(normalizeHeader(name));
    return known?.name ?? `kolumn ${index + 1}`;
  }

  /**
   * Physical lines: catches what the records do not (or all of it when parsing failed, when
   * `recordsCount` is false and what the records found is dropped). CRLF, LF and CR each end a line.
   */
  finish(text: string, recordsCount: boolean): CsvImportError[] {
    const errors = recordsCount ? this.errors : [];
    const flagged = recordsCount ? this.flaggedLines : new Set<number>();
    let line = 1;
    let start = 0;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : -1;
      if (c !== 0x0a && c !== 0x0d && c !== -1) continue;
      if (!flagged.has(line) && mayHoldIdentityNumber(text, start, i) && findIdentityNumbers(text.slice(start, i)).length > 0) {
        errors.push({ line, message: IDENTITY_MESSAGE });
      }
      if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
      line++;
      start = i + 1;
    }
    return errors;
  }
}

// --- Row validation (zod) ------------------------------------------------------------------

/**
 * Letters, the digits 0–9, space and - / . : — 1 to 40 characters. That it is not an identity
 * number is ensured for the whole file before any row is validated. Only ASCII digits: other
 * digits (fullwidth, Arabic-Indic, …; \p{N} would also let in ², Ⅻ, ½) are never what a case
 * system exports, and "BoU ２０２６/1" would pass as a different reference than "BoU 2026/1".
 */
const CASE_REFERENCE = /^[\p{L}0-9 \-/.:]{1,40}$/u;
const OTHER_DECIMAL_DIGIT = /(?![0-9])\p{Nd}/u;
/** An insats as the case system names it: letters, the digits 0–9, space and - / . : § ( ) , — at most 60 characters. */
const INSATS = /^[\p{L}0-9 \-/.:§(),]{1,60}$/u;
/** What the register's key makes of an insats must fit the key column (80 with the decision day). */
const INSATS_KEY_MAX = 69;

/** Why an insats (spaces already collapsed) is refused, or undefined. */
function insatsProblem(v: string): string | undefined {
  if (v.length > 60 || insatsKey(v).length > INSATS_KEY_MAX) return 'Insatsen får vara högst 60 tecken.';
  if (OTHER_DECIMAL_DIGIT.test(v)) return 'Insatsen får bara innehålla siffrorna 0–9, inte siffror från andra skriftsystem eller i full bredd.';
  if (!INSATS.test(v)) return 'Insatsen får bara innehålla bokstäver, siffror, mellanslag och - / . : § ( ) ,';
  return undefined;
}
/** Entra object id; the Playground's mock ids have 13 digits in the last group (as in org/schema.ts). */
const ENTRA_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/i;

function normalizeTitle(s: string): string {
  return s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('sv-SE');
}
/**
 * Type names as people and case systems write them: without å/ä/ö, with "-", "_" or spaces, and
 * the usual short names. A name that fits more than one clock is refused with the names that tell
 * them apart (AMBIGUOUS_TYPE_NAMES), never guessed: a bare "Övervägande" may be the SoL
 * övervägande of a placed child (22 kap. 13 §) or the LVU 13 § övervägande of care under 2 §.
 */
function typeKey(s: string): string {
  return normalizeTitle(s)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9§]+/g, ' ')
    .trim();
}
const TYPE_SYNONYMS: readonly [string, CaseworkItemType][] = [
  ['skyddsbedömning', 'skyddsbedomning'],
  ['omedelbar skyddsbedömning', 'skyddsbedomning'],
  ['skyddsbedömning efter orosanmälan', 'skyddsbedomning'],
  ['förhandsbedömning', 'forhandsbedomning'],
  ['utredning', 'barnavardsutredning'],
  ['barnutredning', 'barnavardsutredning'],
  ['utredning barn', 'barnavardsutredning'],
  ['övervägande sol', 'overvagande-sol'],
  ['övervägande lvu', 'overvagande-lvu2'],
  ['övervägande lvu 2 §', 'overvagande-lvu2'],
  ['omprövning lvu 3 §', 'omprovning-lvu3'],
  ['omprövning lvu 3', 'omprovning-lvu3'],
  ['prövning av flyttningsförbud', 'flyttningsforbud'],
  ['lvu 6 §', 'omedelbart-omhandertagande'],
  ['omedelbart omhändertagande', 'omedelbart-omhandertagande'],
  ['ej verkställt', 'ej-verkstallt-beslut'],
  ['ej verkställt beslut', 'ej-verkstallt-beslut'],
  ['ej verkställd dom', 'ej-verkstallt-beslut'],
  ['flyttningsförbud', 'flyttningsforbud'],
  ['jourhem', 'jourhem'],
  ['jourhemsplacering', 'jourhem'],
  ['placering i jourhem', 'jourhem'],
  ['uppföljning', 'uppfoljning'],
  ['uppföljning efter utredning', 'uppfoljning'],
  ['uppföljning efter avslutad utredning', 'uppfoljning'],
  ['uppföljning efter placering', 'uppfoljning'],
  ['uppföljning av barnets situation', 'uppfoljning'],
  ['vårdplan', 'vardplan-revidering'],
  ['revidering av vårdplan', 'vardplan-revidering'],
  ['revidering av vårdplanen', 'vardplan-revidering'],
  ['vårdplansrevidering', 'vardplan-revidering'],
  ['första revidering av vårdplanen', 'vardplan-revidering'],
  ['vårdnadsöverflyttning', 'vardnadsoverflyttning'],
  ['övervägande vårdnadsöverflyttning', 'vardnadsoverflyttning'],
  ['överväga vårdnadsöverflyttning', 'vardnadsoverflyttning'],
  ['överflyttning av vårdnaden', 'vardnadsoverflyttning'],
];
/** Names that fit more than one type, with the message that lists the names to write instead. */
const AMBIGUOUS_TYPE_NAMES: ReadonlyMap<string, string> = new Map(
  [
    [
      'övervägande',
      'Typen "Övervägande" kan gälla både ett placerat barn enligt SoL och vård enligt LVU 2 §. Skriv "Övervägande SoL" (overvagande-sol), "Övervägande LVU" (overvagande-lvu2) eller "Övervägande vårdnadsöverflyttning" (vardnadsoverflyttning).',
    ],
    // A flyttningsförbud is "prövat" every three months (LVU 26 §), vård under 3 § every six (13 §):
    // a case system may export either as an omprövning, and guessing six months would hide a late one.
    ...['omprövning', 'omprövning lvu'].map((name) => [
      name,
      'Typen "Omprövning" kan gälla både vård enligt LVU 3 § (omprövning var sjätte månad) och ett flyttningsförbud (prövning var tredje månad, LVU 26 §). Skriv "Omprövning LVU 3 §" (omprovning-lvu3) eller "Flyttningsförbud" (flyttningsforbud).',
    ]),
  ].map(([name, message]) => [typeKey(name!), message!] as const),
);

/** Type names that say the decision is a court's: the row is a judgment ("ska verkställas omedelbart") even with domstol empty. */
const JUDGMENT_TYPE_NAMES: ReadonlySet<string> = new Set(['ej verkställd dom'].map((n) => typeKey(n)));

const TYPE_BY_NAME = new Map<string, CaseworkItemType>();
for (const [name, t] of [
  ...ITEM_TYPES.map((t): [string, CaseworkItemType] => [t, t]),
  ...ITEM_TYPES.map((t): [string, CaseworkItemType] => [ITEM_TYPE_TITLES[t], t]),
  ...TYPE_SYNONYMS,
]) {
  // A spelling that named two types would silently import rows as the wrong clock.
  const key = typeKey(name);
  if (AMBIGUOUS_TYPE_NAMES.has(key)) throw new Error(`casework csv: the type name "${name}" is listed as ambiguous`);
  const other = TYPE_BY_NAME.get(key);
  if (other !== undefined && other !== t) throw new Error(`casework csv: the type name "${name}" means both ${other} and ${t}`);
  TYPE_BY_NAME.set(key, t);
}

const YES_NO = new Map<string, boolean>([
  ['ja', true], ['j', true], ['1', true], ['x', true], ['sant', true], ['true', true], ['yes', true],
  ['nej', false], ['n', false], ['0', false], ['falskt', false], ['false', false], ['no', false],
]);

/** A ja/nej column whose empty cell means "not said" (undefined), not nej. */
function optionalFlagSchema(message: string) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const b = YES_NO.get(normalizeTitle(v));
      if (b === undefined) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return b;
    });
}

const RATTELSE_AND_NEW = 'rättelse och ny_orosanmälan är båda ja: en rad kan inte både rätta startdagen och vara en ny utredning. Ändra den ena.';
const RATTELSE_TYPE = 'rättelse gäller bara en barnavårdsutredning (dess utredning_inledd). Lämna kolumnen tom för andra typer.';
const VERKSTALLT_NOTICE_ORDER =
  'verkställt_anmält_ivo måste vara samma dag som eller efter verkställt_datum: IVO kan inte ha fått veta att beslutet verkställts innan det verkställdes. Bara när verkställigheten avbrutits (avbrott) kan anmälan gälla en tidigare verkställighet och ligga före.';

/**
 * IVO told of a verkställighet before the one the row records: possible only for an earlier
 * verkställighet, which an interruption (avbrott) ended; otherwise a typo the rule would silently ignore.
 */
function noticeBeforeVerkstallighet(told: string, done: string, avbrott: string | undefined): boolean {
  return told < done && avbrott === undefined;
}

function flagSchema(message: string) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return false;
      const b = YES_NO.get(normalizeTitle(v));
      if (b === undefined) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return b;
    });
}

const STATUS_BY_NAME = new Map<string, CaseworkItem['status']>([
  ['öppen', 'oppen'],
  ['oppen', 'oppen'],
  ['avslutad', 'avslutad'],
]);

function dateSchema() {
  return z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      if (v === undefined) return;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) ctx.addIssue({ code: 'custom', message: 'Datumet ska skrivas ÅÅÅÅ-MM-DD.' });
      else if (!isIsoDate(v)) ctx.addIssue({ code: 'custom', message: 'Datumet finns inte i kalendern.' });
    });
}

const COLUMN_NAME = new Map<string, string>(CSV_COLUMNS.map((c) => [c.field, c.name]));

const DUPLICATE_MESSAGE = (earlier: number) =>
  `Samma bevakning (ärendereferens, typ och, för en utredning, utredning_inledd, för ett ej verkställt beslut, beslutsdatum och insats) finns redan på rad ${earlier}; varje bevakning får bara finnas en gång i filen.`;
const colName = (field: keyof CaseworkItem) => COLUMN_NAME.get(field) ?? field;

/** Dates of things that have happened: not after `today`. The ends of extensions are days set in a decision, and may lie ahead. */
const NOT_EVENTS: ReadonlySet<DateField> = new Set(['forlangdTill', 'tidigareForlangdTill', 'ansokanForlangdTill', 'forstaInledd', 'rattadFran']);
const PAST_EVENT_FIELDS: readonly DateField[] = DATE_FIELDS.filter((f) => !NOT_EVENTS.has(f));

/** Pairs (earlier, later) that must be in order when both are filled. */
const ORDER: readonly { earlier: DateField; later: DateField; strict: boolean }[] = [
  { earlier: 'utredningInledd', later: 'forlangningBeslutad', strict: false },
  { earlier: 'utredningInledd', later: 'forlangdTill', strict: true },
  { earlier: 'forlangningBeslutad', later: 'forlangdTill', strict: true },
  { earlier: 'placeringStart', later: 'senasteOvervagande', strict: false },
  { earlier: 'lvuBeslut', later: 'senasteOmprovning', strict: false },
  { earlier: 'beslutsdatum', later: 'verkstalltDatum', strict: false },
  { earlier: 'beslutsdatum', later: 'rapporteradIvo', strict: false },
  { earlier: 'beslutsdatum', later: 'avbrottDatum', strict: false },
  { earlier: 'lvuBeslut', later: 'understalltDatum', strict: false },
  { earlier: 'lvuBeslut', later: 'omhandertagandeVerkstallt', strict: false },
  { earlier: 'lvuBeslut', later: 'ansokanInlamnad', strict: false },
  { earlier: 'lvuBeslut', later: 'forlangningBegard', strict: false },
  { earlier: 'lvuBeslut', later: 'ansokanForlangdTill', strict: true },
  { earlier: 'utredningInledd', later: 'tidigareForlangdTill', strict: true },
  { earlier: 'tidigareForlangdTill', later: 'forlangdTill', strict: true },
  { earlier: 'beslutsdatum', later: 'verkstalltAnmaltIvo', strict: false },
  { earlier: 'utredningInledd', later: 'tidigareForlangningBeslutad', strict: false },
  { earlier: 'tidigareForlangningBeslutad', later: 'forlangningBeslutad', strict: false },
  { earlier: 'tidigareForlangningBeslutad', later: 'tidigareForlangdTill', strict: true },
  // Not laga_kraft before vård_påbörjad: the vård has begun when the child was placed outside the
  // home under the vård decision or an omedelbart omhändertagande (LVU 10 §), often before laga kraft.
];

function rowSchema(units: ReadonlySet<string>, rules: readonly CaseworkRule[], today: string | undefined) {
  const dates = Object.fromEntries(DATE_FIELDS.map((f) => [f, dateSchema()])) as Record<DateField, ReturnType<typeof dateSchema>>;
  return z
    .object({
      caseReference: z
        .string({ required_error: 'Ärendereferensen saknas.' })
        .transform((s) => s.replace(/[ \t]+/g, ' '))
        .superRefine((v, ctx) => {
          if (v.length > 40) ctx.addIssue({ code: 'custom', message: 'Ärendereferensen får vara högst 40 tecken.' });
          else if (OTHER_DECIMAL_DIGIT.test(v)) {
            ctx.addIssue({
              code: 'custom',
              message: 'Ärendereferensen får bara innehålla siffrorna 0–9, inte siffror från andra skriftsystem eller i full bredd. Skriv om siffrorna och importera filen igen.',
            });
          } else if (!CASE_REFERENCE.test(v)) {
            ctx.addIssue({ code: 'custom', message: 'Ärendereferensen får bara innehålla bokstäver, siffror, mellanslag och - / . :' });
          }
        }),
      type: z.string({ required_error: 'Typ saknas.' }).transform((v, ctx) => {
        const type = TYPE_BY_NAME.get(typeKey(v));
        if (!type) {
          const ambiguous = AMBIGUOUS_TYPE_NAMES.get(typeKey(v));
          ctx.addIssue({ code: 'custom', message: ambiguous ?? `Okänd typ. Använd någon av: ${ITEM_TYPES.join(', ')} (eller typens svenska benämning).` });
          return z.NEVER;
        }
        return type;
      }),
      unitId: z.string({ required_error: 'Enhet saknas.' }).refine((v) => units.has(v), {
        message: 'Enheten finns inte bland organisationens enheter. Använd enhetens id från organisationsfilen.',
      }),
      handlaggare: z
        .string()
        .optional()
        .superRefine((v, ctx) => {
          if (v !== undefined && !ENTRA_ID.test(v) && !z.string().email().safeParse(v).success) {
            ctx.addIssue({ code: 'custom', message: 'Handläggare ska vara ett Entra objekt-id (GUID) eller en e-postadress.' });
          }
        })
        .transform((v) => v?.toLowerCase()),
      status: z
        .string()
        .optional()
        .transform((v, ctx) => {
          if (v === undefined) return 'oppen' as const;
          const status = STATUS_BY_NAME.get(normalizeTitle(v));
          if (!status) {
            ctx.addIssue({ code: 'custom', message: 'Status ska vara öppen eller avslutad.' });
            return z.NEVER;
          }
          return status;
        }),
      domstol: flagSchema('domstol ska vara ja eller nej (tom betyder nej).'),
      nyUtredning: flagSchema('ny_orosanmälan ska vara ja eller nej (tom betyder nej).'),
      ingenTidigareForlangning: flagSchema('ingen_tidigare_förlängning ska vara ja eller nej (tom betyder att det inte är känt).'),
      rattelse: optionalFlagSchema('rättelse ska vara ja eller nej (tom betyder att importen själv bedömer om raden rättar startdagen).'),
      insats: z
        .string()
        .optional()
        .transform((v) => v?.replace(/[ \t]+/g, ' '))
        .superRefine((v, ctx) => {
          if (v === undefined) return;
          const problem = insatsProblem(v);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
      ...dates,
    })
    .superRefine((item, ctx) => {
      if (!isCaseworkItemType(item.type)) return;
      const validDate = (f: DateField) => (item[f] !== undefined && isIsoDate(item[f]) ? item[f] : undefined);
      const issue = (field: DateField, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });

      // The clock's start date, and a rule for that day. A closed row has no clock: history from
      // before a rule took effect (or without the start date) must not refuse the whole export.
      const startFields = item.status === 'avslutad' ? [] : requiredStartFields(item.type, rules);
      const title = ITEM_TYPE_TITLES[item.type];
      const first = startFields[0];
      if (first && !startFields.some((f) => item[f] !== undefined)) {
        issue(first, `${startFields.map((f) => colName(f)).join(' eller ')} måste vara ifyllt för typen ${title}.`);
      } else if (first && startFields.every((f) => item[f] === undefined || validDate(f))) {
        if (!findRule({ ...item, type: item.type }, rules)) {
          const field = startFields.find((f) => item[f] !== undefined) ?? first;
          issue(field, `Det finns ingen regel för ${title} som gällde det datumet; kontrollera datumet.`);
        }
      }

      // Extension: both or neither (for viss tid), and in order.
      if (item.forlangdTill !== undefined && item.forlangningBeslutad === undefined) {
        issue('forlangningBeslutad', `${colName('forlangningBeslutad')} måste vara ifyllt när ${colName('forlangdTill')} är ifyllt.`);
      }
      if (item.forlangningBeslutad !== undefined && item.forlangdTill === undefined) {
        issue('forlangdTill', `${colName('forlangdTill')} måste vara ifyllt när ${colName('forlangningBeslutad')} är ifyllt (förlängning för viss tid).`);
      }
      // The earlier extension of a chain means something only beside the latest one.
      if (item.tidigareForlangdTill !== undefined && item.forlangningBeslutad === undefined) {
        issue('tidigareForlangdTill', `${colName('forlangningBeslutad')} och ${colName('forlangdTill')} måste vara ifyllda när ${colName('tidigareForlangdTill')} är ifyllt (den senaste förlängningen).`);
      }
      if (item.tidigareForlangdTill !== undefined && item.ingenTidigareForlangning) {
        issue('tidigareForlangdTill', `${colName('tidigareForlangdTill')} är ifyllt men ${colName('ingenTidigareForlangning')} säger att det inte fanns någon tidigare förlängning. Ändra den ena så att de stämmer.`);
      }
      // IVO is told a decision was carried out, with its day: the day must be in the file too.
      if (item.verkstalltAnmaltIvo !== undefined && item.verkstalltDatum === undefined) {
        issue('verkstalltAnmaltIvo', `${colName('verkstalltDatum')} måste vara ifyllt när ${colName('verkstalltAnmaltIvo')} är ifyllt.`);
      }
      const told = validDate('verkstalltAnmaltIvo');
      const done = validDate('verkstalltDatum');
      // (A notice before the decision itself is named once, by the order below.)
      const decided = validDate('beslutsdatum');
      if (told && done && !(decided && told < decided) && noticeBeforeVerkstallighet(told, done, item.avbrottDatum)) issue('verkstalltAnmaltIvo', VERKSTALLT_NOTICE_ORDER);
      // The earlier extension's decision belongs to an earlier extension, for a set time.
      if (item.tidigareForlangningBeslutad !== undefined && item.ingenTidigareForlangning) {
        issue('tidigareForlangningBeslutad', `${colName('tidigareForlangningBeslutad')} är ifyllt men ${colName('ingenTidigareForlangning')} säger att det inte fanns någon tidigare förlängning. Ändra den ena så att de stämmer.`);
      } else if (item.tidigareForlangningBeslutad !== undefined && item.tidigareForlangdTill === undefined) {
        issue('tidigareForlangningBeslutad', `${colName('tidigareForlangdTill')} måste vara ifyllt när ${colName('tidigareForlangningBeslutad')} är ifyllt (den förra förlängningen gällde viss tid).`);
      }
      if (item.rattelse === true && item.nyUtredning) {
        ctx.addIssue({ code: 'custom', path: ['rattelse'], message: RATTELSE_AND_NEW });
      } else if (item.rattelse === true && item.type !== 'barnavardsutredning') {
        ctx.addIssue({ code: 'custom', path: ['rattelse'], message: RATTELSE_TYPE });
      }

      for (const { earlier, later, strict } of ORDER) {
        const a = validDate(earlier);
        const b = validDate(later);
        if (a && b && (strict ? b <= a : b < a)) {
          issue(later, `${colName(later)} måste vara ${strict ? 'efter' : 'samma dag som eller efter'} ${colName(earlier)}.`);
        }
      }
      if (today) {
        for (const f of PAST_EVENT_FIELDS) {
          const d = validDate(f);
          if (d && d > today) issue(f, 'Datumet ligger i framtiden.');
        }
      }
    });
}

// --- Row validation (compiled) ----------------------------------------------------------

/** `fn` memoised per input for one file; past `limit` distinct inputs it is only computed. */
function memo<T>(fn: (s: string) => T, limit = 4096): (s: string) => T {
  const seen = new Map<string, T>();
  return (s) => {
    const hit = seen.get(s);
    if (hit !== undefined || seen.has(s)) return hit as T;
    const v = fn(s);
    if (seen.size < limit) seen.set(s, v);
    return v;
  };
}

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
const PAST_EVENT: ReadonlySet<DateField> = new Set(PAST_EVENT_FIELDS);
const EMAIL = z.string().email();

/** A row's cells by field: only the filled ones, trimmed. */
export type RawRow = Partial<Record<keyof CaseworkItem, string>>;

/** What the row schema gives for a valid row. */
export type RowValue = z.output<ReturnType<typeof rowSchema>>;

/** The two checks of a row: a compiled one for valid rows, and zod's, which words every problem. */
export interface RowCheck {
  /**
   * The row's value when the row is valid, exactly as `schema` gives it; undefined when it is not
   * (or might not be): the caller then asks `schema`, whose issues are the row's messages.
   */
  fast(raw: RawRow): RowValue | undefined;
  schema: ReturnType<typeof rowSchema>;
}

/**
 * The row schema's rules as plain code, for the valid rows that are nearly all of a nightly
 * export: no zod objects, no issue lists, the repeated cells (type, status, flags, handläggare,
 * dates) read once per file. It must never accept a row the schema refuses nor give another value
 * (test/casework/fast-paths.test.ts compares the two on generated rows); where it is unsure it
 * says no, and the schema decides.
 */
export function compileRowCheck(units: ReadonlySet<string>, rules: readonly CaseworkRule[], today: string | undefined): RowCheck {
  const schema = rowSchema(units, rules, today);
  const typeOf = memo((v) => TYPE_BY_NAME.get(typeKey(v)));
  const statusOf = memo((v) => STATUS_BY_NAME.get(normalizeTitle(v)));
  const flagOf = memo((v) => YES_NO.get(normalizeTitle(v)));
  // Each returns the valid value as the first row that had it wrote it, or undefined: the
  // 100,000 items then share a few thousand strings instead of holding a copy each.
  const handlaggareOf = memo((v) => (ENTRA_ID.test(v) || EMAIL.safeParse(v).success ? v.toLowerCase() : undefined));
  const dateOf = memo((v) => (DATE_SHAPE.test(v) && isIsoDate(v) ? v : undefined), 20_000);
  const unitOf = memo((v) => (units.has(v) ? v : undefined));
  const insatsOf = memo((v) => {
    const insats = v.replace(/[ \t]+/g, ' ');
    return insatsProblem(insats) === undefined ? insats : undefined;
  });
  const startFieldsOf = new Map(ITEM_TYPES.map((t) => [t, requiredStartFields(t, rules)]));
  // Read once: under tsx (how the bot and `npm run import` run) every use of an imported binding
  // is a getter call, which this per-row loop would make 2,000,000 times in a 100,000-row file.
  const dateFields = DATE_FIELDS;
  const ruleFound = new Map<string, boolean>();

  function fast(raw: RawRow): RowValue | undefined {
    const reference = raw.caseReference;
    const typeName = raw.type;
    const unitId = raw.unitId;
    if (reference === undefined || typeName === undefined || unitId === undefined) return undefined;
    const caseReference = reference.includes('\t') || reference.includes('  ') ? reference.replace(/[ \t]+/g, ' ') : reference;
    if (!(caseReference.length <= 40 && !OTHER_DECIMAL_DIGIT.test(caseReference) && CASE_REFERENCE.test(caseReference))) return undefined;
    const type = typeOf(typeName);
    const unit = unitOf(unitId);
    if (type === undefined || unit === undefined) return undefined;
    const status = raw.status === undefined ? 'oppen' : statusOf(raw.status);
    if (status === undefined) return undefined;
    const domstol = raw.domstol === undefined ? false : flagOf(raw.domstol);
    const nyUtredning = raw.nyUtredning === undefined ? false : flagOf(raw.nyUtredning);
    const ingenTidigareForlangning = raw.ingenTidigareForlangning === undefined ? false : flagOf(raw.ingenTidigareForlangning);
    if (domstol === undefined || nyUtredning === undefined || ingenTidigareForlangning === undefined) return undefined;
    const value = { caseReference, type, unitId: unit, status, domstol, nyUtredning, ingenTidigareForlangning } as RowValue;
    if (raw.rattelse !== undefined) {
      const rattelse = flagOf(raw.rattelse);
      if (rattelse === undefined) return undefined;
      if (rattelse && (nyUtredning || type !== 'barnavardsutredning')) return undefined;
      value.rattelse = rattelse;
    }
    if (raw.insats !== undefined) {
      const insats = insatsOf(raw.insats);
      if (insats === undefined) return undefined;
      value.insats = insats;
    }
    if (raw.handlaggare !== undefined) {
      const handlaggare = handlaggareOf(raw.handlaggare);
      if (handlaggare === undefined) return undefined;
      value.handlaggare = handlaggare;
    }
    // The memo key of the rule lookup: everything findRule reads.
    let key = `${type}|${domstol ? 1 : 0}${nyUtredning ? 1 : 0}`;
    for (let k = 0; k < dateFields.length; k++) {
      const f = dateFields[k]!;
      const cell = raw[f];
      if (cell === undefined) continue;
      const d = dateOf(cell);
      if (d === undefined) return undefined;
      if (today !== undefined && d > today && PAST_EVENT.has(f)) return undefined;
      value[f] = d;
      key += `|${k}=${d}`;
    }
    if ((value.forlangdTill === undefined) !== (value.forlangningBeslutad === undefined)) return undefined;
    if (value.tidigareForlangdTill !== undefined && (value.forlangningBeslutad === undefined || ingenTidigareForlangning)) return undefined;
    if (value.verkstalltAnmaltIvo !== undefined && value.verkstalltDatum === undefined) return undefined;
    if (value.verkstalltAnmaltIvo !== undefined && noticeBeforeVerkstallighet(value.verkstalltAnmaltIvo, value.verkstalltDatum!, value.avbrottDatum)) return undefined;
    if (value.tidigareForlangningBeslutad !== undefined && (value.tidigareForlangdTill === undefined || ingenTidigareForlangning)) return undefined;
    for (const { earlier, later, strict } of ORDER) {
      const a = value[earlier];
      const b = value[later];
      if (a !== undefined && b !== undefined && (strict ? b <= a : b < a)) return undefined;
    }
    const startFields = status === 'avslutad' ? [] : startFieldsOf.get(type)!;
    if (startFields.length > 0) {
      if (!startFields.some((f) => value[f] !== undefined)) return undefined;
      let found = ruleFound.get(key);
      if (found === undefined) {
        found = findRule({ ...value, type }, rules) !== undefined;
        if (ruleFound.size < 50_000) ruleFound.set(key, found);
      }
      if (!found) return undefined;
    }
    return value;
  }
  return { fast, schema };
}

// --- The import ----------------------------------------------------------------------------

/**
 * Parses and validates a casework export. `input` is the file's text or its bytes (UTF-8).
 * Returns every item, or every error (capped at `maxErrors`); never a partial import.
 */
export function parseCaseworkCsv(input: string | Uint8Array, opts: CaseworkCsvOptions): CaseworkCsvResult {
  const maxErrors = opts.maxErrors ?? DEFAULT_MAX_ERRORS;
  const rules = opts.rules ?? CASEWORK_RULES;
  if (!Number.isInteger(maxErrors) || maxErrors < 1) throw new RangeError(`casework csv: maxErrors must be a whole number ≥ 1 (${maxErrors})`);
  if (opts.today !== undefined && !isIsoDate(opts.today)) throw new RangeError(`casework csv: today must be YYYY-MM-DD (${opts.today})`);

  // Bytes → text; invalid UTF-8 is named by its line.
  let bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  let text: string;
  try {
    text = typeof input === 'string' ? textOf(input) ?? decodeUtf8(bytes) : decodeUtf8(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const bad = lossy.indexOf('\uFFFD');
    return fail([{ line: breaksIn(lossy, Math.max(bad, 0)) + 1, message: 'Filen är inte sparad som UTF-8. Spara exporten som "CSV UTF-8" och försök igen.' }], maxErrors);
  }
  if (!text.trim()) return fail([{ line: 1, message: 'Filen är tom.' }], maxErrors);

  const starts = lineStarts(bytes);
  const identity = new IdentityScan();
  const errors: CsvImportError[] = [];
  const items: CaseworkItemInput[] = [];
  const ignoredColumns: string[] = [];
  let header: string[] | undefined;
  let headerOk = false;
  const columns: (CsvColumn | undefined)[] = [];
  let width = 0;
  const check = compileRowCheck(new Set(opts.unitIds), rules, opts.today);
  const typeKeyOf = memo(typeKey);
  const firstLineOf = new Map<string, number>();

  // Header.
  const readHeader = (cells: string[], line: number) => {
    header = cells;
    const seen = new Set<string>();
    header.forEach((name, index) => {
      const col = COLUMN_BY_HEADER.get(normalizeHeader(name));
      if (!col) {
        if (name.trim()) ignoredColumns.push(name.trim());
      } else if (seen.has(col.name)) {
        errors.push({ line, column: col.name, message: 'Kolumnen finns mer än en gång i rubrikraden.' });
      } else {
        seen.add(col.name);
        columns[index] = col;
      }
    });
    for (const col of CSV_COLUMNS) {
      if (col.required && !seen.has(col.name)) errors.push({ line, column: col.name, message: 'Kolumnen saknas i rubrikraden.' });
    }
    headerOk = errors.length === 0;
    width = header.length;
    while (width > 0 && !header[width - 1]?.trim()) width--;
  };

  // Rows, one at a time as the parser reads them.
  const readRow = (cells: string[], line: number, headerLength: number) => {
    for (let k = 0; k < cells.length; k++) cells[k] = cells[k]!.trim();
    if (cells.every((c) => c === '')) return;
    let extra = false;
    for (let k = headerLength; k < cells.length; k++) if (cells[k] !== '') extra = true;
    if (extra || cells.length < width) {
      errors.push({ line, message: `Raden har ${cells.length} fält men rubrikraden har ${headerLength} fält. Kontrollera skiljetecken och citattecken.` });
      return;
    }
    const raw: RawRow = {};
    for (let index = 0; index < columns.length; index++) {
      const col = columns[index];
      const value = cells[index];
      if (col && value) raw[col.field] = value;
    }
    // A repeated reference is an error on its second occurrence, whatever else is wrong.
    // One clock per type under a reference; every opening of an investigation is its own row.
    const reference = raw.caseReference;
    const typeWritten = raw.type === undefined ? undefined : typeKeyOf(raw.type);
    const typeName = typeWritten === undefined ? '' : (TYPE_BY_NAME.get(typeWritten) ?? typeWritten);
    const opening = caseworkOpeningKey(typeName, raw);
    const key = reference === undefined ? undefined : `${referenceKey(reference)}\u0000${typeName}\u0000${opening}`;
    const earlier = key === undefined ? undefined : firstLineOf.get(key);
    if (earlier !== undefined) {
      const decision = typeName === 'ej-verkstallt-beslut' ? ' Gäller raderna olika beslut, ange insats (eller rätt beslutsdatum) så att de skiljs åt.' : '';
      errors.push({ line, column: colName('caseReference'), message: `${DUPLICATE_MESSAGE(earlier)}${decision}` });
    } else if (key !== undefined) {
      firstLineOf.set(key, line);
    }
    // "Ej verkställd dom" in the type column is a judgment: never the nämnd's three months "i tid".
    if (typeWritten !== undefined && JUDGMENT_TYPE_NAMES.has(typeWritten)) {
      if (raw.domstol !== undefined && YES_NO.get(normalizeTitle(raw.domstol)) === false) {
        errors.push({ line, column: colName('domstol'), message: 'Typen säger att beslutet är en dom, men domstol är nej. Ändra den ena så att de stämmer och importera filen igen.' });
        return;
      }
      raw.domstol = 'ja';
    }
    // The compiled check passes the valid rows; zod words the problems of the others.
    let value = check.fast(raw);
    if (value === undefined) {
      const result = check.schema.safeParse(raw);
      if (!result.success) {
        const order = (field: unknown) => CSV_COLUMNS.findIndex((c) => c.field === field);
        const issues = [...result.error.issues].sort((a, b) => order(a.path[0]) - order(b.path[0]));
        for (const issue of issues) {
          const field = issue.path[0];
          errors.push({ line, column: typeof field === 'string' ? colName(field as keyof CaseworkItem) : undefined, message: swedishIssue(issue) });
        }
        return;
      }
      value = result.data;
    }
    if (earlier !== undefined) return;
    items.push(toItem(value, opts.source, line));
  };

  const read = readRecords(bytes, detectDelimiter(text), starts, (cells, line) => {
    const isHeader = header === undefined;
    identity.record(cells, line, isHeader);
    if (isHeader) readHeader(cells, line);
    // Rows are not read once the file is refused for what the header says, or for an identity
    // number (only those errors are reported then).
    else if (headerOk && identity.errors.length === 0) readRow(cells, line, header!.length);
  });

  // Identity numbers first: the whole file is refused and nothing else is reported.
  const idErrors = identity.finish(text, read.ok);
  if (idErrors.length > 0) return fail(idErrors, maxErrors);

  if (!read.ok) {
    return fail([{ line: read.line, message: PARSE_MESSAGES[read.code] ?? 'Filen kunde inte läsas som CSV från den här raden.' }], maxErrors);
  }
  if (!header) return fail([{ line: 1, message: 'Filen är tom.' }], maxErrors);
  if (errors.length > 0) return fail(errors, maxErrors);
  return { ok: true, items, ignoredColumns };
}

const decodeUtf8 = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);

/**
 * The text decodeUtf8 would give for the UTF-8 of `input`, without making it again (a second copy
 * of a whole export): well-formed text is its own decoding, less the BOM that the bytes drop and
 * the one the decoder drops after it. Undefined for text with lone surrogates, which encoding replaces.
 */
function textOf(input: string): string | undefined {
  if (!(input as string & { isWellFormed(): boolean }).isWellFormed()) return undefined;
  let text = input;
  for (let k = 0; k < 2 && text.charCodeAt(0) === 0xfeff; k++) text = text.slice(1);
  return text;
}

/** Case references are compared ignoring case and repeated spaces. */
/** History in the register is looked up on the same key (../store/casework.ts). */
function referenceKey(reference: string): string {
  return caseReferenceKey(reference);
}

/** zod's own messages are English and may quote input: replace them. */
function swedishIssue(issue: z.ZodIssue): string {
  if (issue.code === 'custom') return issue.message;
  if (issue.code === 'invalid_type' && issue.received === 'undefined') return issue.message === 'Required' ? 'Värde saknas.' : issue.message;
  return 'Ogiltigt värde.';
}

function toItem(v: RowValue, source: string, line: number): CaseworkItemInput {
  const item: CaseworkItemInput = {
    source,
    line,
    caseReference: v.caseReference,
    type: v.type,
    unitId: v.unitId,
    status: v.status,
  };
  if (v.handlaggare !== undefined) item.handlaggare = v.handlaggare;
  if (v.domstol) item.domstol = true;
  if (v.nyUtredning) item.nyUtredning = true;
  if (v.ingenTidigareForlangning) item.ingenTidigareForlangning = true;
  if (v.rattelse !== undefined) item.rattelse = v.rattelse;
  if (v.insats !== undefined) item.insats = v.insats;
  for (const f of DATE_FIELDS) {
    const d = v[f];
    if (d !== undefined) item[f] = d;
  }
  return item;
}

function fail(all: CsvImportError[], maxErrors: number): CaseworkCsvResult {
  const errors = [...all].sort((a, b) => a.line - b.line);
  if (errors.length <= maxErrors) return { ok: false, errors };
  const rest = errors.length - maxErrors;
  return {
    ok: false,
    errors: [...errors.slice(0, maxErrors), { line: errors[maxErrors]!.line, message: `… och ${rest} fel till.` }],
  };
}

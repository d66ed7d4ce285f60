/**
 * Child-welfare casework deadlines ("bevakningar"): the clocks the weekly review of open
 * investigations watches, as effective-dated rule data and pure calendar arithmetic. See
 * lex-sarah.md, "Child-welfare casework deadlines".
 *
 * - Every number and every law reference lives in `CASEWORK_RULES`, never as a literal in callers.
 *   Laws change (SoL 2001:453 was replaced by SoL 2025:400 on 1 July 2025): add an entry, never
 *   edit an old one.
 * - The rule in force is chosen by the day the clock STARTS (the orosanmälan, the opening of the
 *   investigation, the last övervägande …), not by today: an utredning opened on 30 June 2025 runs
 *   under the old law to the end.
 * - Dates are calendar days, 'YYYY-MM-DD'. A due day counts as "i tid" until the end of that day
 *   in Europe/Stockholm; arithmetic is on calendar days, so DST changes nothing.
 * - Months are calendar months (luxon `plus({ months })`): a day the target month lacks falls back
 *   to its last day (31 Jan + 4 months = 31 May; 31 Oct + 4 months = 28/29 Feb; 30 Aug + 6 months =
 *   28 Feb, or 29 Feb in a leap year).
 *
 * `verified: true` means the section number and the period were checked against the statute text
 * (`source`); the UI should show unverified references with "(kontrollera hänvisningen)".
 *
 * Pure: no I/O, no logging.
 */
import { DateTime, IANAZone } from 'luxon';

/** Calendar days and "end of the due day" are Stockholm's. */
export const CASEWORK_TIME_ZONE = 'Europe/Stockholm';

/** "närmar sig" this many calendar days before the due day (the due day itself included). */
export const DEFAULT_WARN_DAYS = 7;

export const ITEM_TYPES = [
  'forhandsbedomning',
  'barnavardsutredning',
  'overvagande-sol',
  'overvagande-lvu2',
  'omprovning-lvu3',
  'omedelbart-omhandertagande',
  'ej-verkstallt-beslut',
] as const;
export type CaseworkItemType = (typeof ITEM_TYPES)[number];

/** Swedish titles shown to users (and accepted in the CSV import's `typ` column). */
export const ITEM_TYPE_TITLES: Readonly<Record<CaseworkItemType, string>> = {
  forhandsbedomning: 'Förhandsbedömning efter orosanmälan',
  barnavardsutredning: 'Barnavårdsutredning',
  'overvagande-sol': 'Övervägande, placerat barn (SoL)',
  'overvagande-lvu2': 'Övervägande, LVU 2 §',
  'omprovning-lvu3': 'Omprövning, LVU 3 §',
  'omedelbart-omhandertagande': 'Omedelbart omhändertagande, LVU 6 §',
  'ej-verkstallt-beslut': 'Ej verkställt beslut',
};

export function isCaseworkItemType(value: string): value is CaseworkItemType {
  return (ITEM_TYPES as readonly string[]).includes(value);
}

/** The date fields of an item (CSV column in brackets). */
export const DATE_FIELDS = [
  'orosanmalanMottagen', // orosanmälan_mottagen
  'utredningInledd', // utredning_inledd
  'forlangningBeslutad', // förlängning_beslutad
  'forlangdTill', // förlängd_till
  'placeringStart', // placering_start
  'senasteOvervagande', // senaste_övervägande
  'lvuBeslut', // lvu_beslut
  'senasteOmprovning', // senaste_omprövning
  'beslutsdatum', // beslutsdatum
  'verkstalltDatum', // verkställt_datum
] as const;
export type DateField = (typeof DATE_FIELDS)[number];

export type CaseworkStatus = 'oppen' | 'avslutad';

/**
 * One open casework item ("bevakning") in the register. Identified by a pseudonymous case
 * reference only: never a personnummer or a name. Dates 'YYYY-MM-DD'; each type needs only some.
 */
export interface CaseworkItem {
  /** Pseudonymous reference from the case system, e.g. "BoU 2026/123". */
  caseReference: string;
  type: CaseworkItemType;
  /** Unit id from the organisation file, e.g. "bou-mottagning". */
  unitId: string;
  /** Responsible handläggare: Entra object id (GUID) or e-mail, lower-case. */
  handlaggare?: string;
  status: CaseworkStatus;
  /** The orosanmälan came in (förhandsbedömning). */
  orosanmalanMottagen?: string;
  /** The decision to open the investigation (barnavårdsutredning). */
  utredningInledd?: string;
  /** The decision to extend the investigation (särskilda skäl). */
  forlangningBeslutad?: string;
  /** Last day of the extended investigation. */
  forlangdTill?: string;
  /** The placement started (verkställdes). */
  placeringStart?: string;
  senasteOvervagande?: string;
  /** LVU decision: vård (3 §) or omedelbart omhändertagande (6 §). */
  lvuBeslut?: string;
  senasteOmprovning?: string;
  /** The favourable decision (bistånd enligt SoL / insats enligt LSS) not yet carried out. */
  beslutsdatum?: string;
  /** The decision was carried out: the ej-verkställt clock stops. */
  verkstalltDatum?: string;
}

export interface CaseworkRule {
  type: CaseworkItemType;
  /** First day (Stockholm) a clock may START under this rule, 'YYYY-MM-DD'. */
  validFrom: string;
  /** Last day, inclusive; absent = still in force. */
  validTo?: string;
  /** Length of the clock. Exactly one unit per rule. */
  amount: { days?: number; weeks?: number; months?: number };
  /**
   * The date fields that start the clock, in order of preference: the first one recorded is the
   * start (e.g. the last övervägande, else the placement start).
   */
  from: readonly DateField[];
  /** When recorded, this date replaces the computed due day (a decided extension). */
  extendedUntil?: DateField;
  /** When recorded on or before today, the clock has stopped (e.g. the decision was carried out). */
  stopsWhen?: DateField;
  /** Swedish text shown to the user. */
  lawRef: string;
  verified: boolean;
  note?: string;
  /** Where it was checked. */
  source?: string;
}

const SOL_2001_LAST_DAY = '2025-06-30';
const SOL_2025_FIRST_DAY = '2025-07-01';
/** SoL (2001:453) took effect. */
const SOL_2001_FIRST_DAY = '2002-01-01';
/** The 14-day limit for the förhandsbedömning took effect (11 kap. 1 a § SoL, SFS 2012:776). */
const FORHANDSBEDOMNING_FIRST_DAY = '2013-01-01';
/** IVO took over from Socialstyrelsen (reports of ej verkställda beslut go to IVO). */
const IVO_FIRST_DAY = '2013-06-01';
/** LVU (1990:52) took effect. */
const LVU_FIRST_DAY = '1990-07-01';

const SRC = {
  sol2025: 'SFS 2025:400, konsoliderad t.o.m. SFS 2025:1501 (Regeringskansliets rättsdatabaser, via github.com/se-lex/sfs-processor data/testdocs/rkrattsbaser/sfs-2025-400.json)',
  lvu: 'SFS 1990:52, konsoliderad t.o.m. SFS 2025:1290 (Regeringskansliets rättsdatabaser, via github.com/se-lex/sfs-processor data/sfs_json/sfs-1990-52.json)',
  lss: 'SFS 1993:387, konsoliderad t.o.m. SFS 2025:1494 (via github.com/se-lex/sfs-processor data/sfs_json/sfs-1993-387.json)',
  sol2001Kap11: 'Lagtexten i 11 kap. 1 a och 2 §§ SoL (2001:453) återgiven i kommunala rutiner, t.ex. http://spotidoc.com/doc/4082443/rutin-utredning-11-1-barn',
  sol2001Kap6: 'SFS 2022:665 (ändring i 6 kap. 8 § SoL 2001:453), https://lagar.nj.se/socialratt/SFS2022-0665',
  sol2001Kap16: 'JO dnr 2299-2017 (16 kap. 6 f § SoL), https://lagen.nu/avg/jo/2299-2017 ; https://www.ivo.se/anmala-och-rapportera/anmala-och-rapportera-som-yrkesverksam/ej-verkstallda-beslut-enligt-sol-och-lss/',
} as const;

/**
 * The rules over time. Per type the periods must not overlap or leave gaps after the first
 * `validFrom` (the tests check every day). `from`/`extendedUntil`/`stopsWhen` must be the same in
 * every entry of a type: the rule is chosen by the start date, which these fields define.
 */
export const CASEWORK_RULES: readonly CaseworkRule[] = [
  // --- Förhandsbedömning: 14 days from the orosanmälan -------------------------------------
  {
    type: 'forhandsbedomning',
    validFrom: FORHANDSBEDOMNING_FIRST_DAY,
    validTo: SOL_2001_LAST_DAY,
    amount: { days: 14 },
    from: ['orosanmalanMottagen'],
    lawRef: '11 kap. 1 a § socialtjänstlagen (2001:453) – beslut om att inleda eller inte inleda utredning inom fjorton dagar efter att anmälan kom in, om det inte finns synnerliga skäl',
    verified: true,
    note: 'Fristen infördes den 1 januari 2013 (SFS 2012:776).',
    source: SRC.sol2001Kap11,
  },
  {
    type: 'forhandsbedomning',
    validFrom: SOL_2025_FIRST_DAY,
    amount: { days: 14 },
    from: ['orosanmalanMottagen'],
    lawRef: '20 kap. 2 § socialtjänstlagen (2025:400) – förhandsbedömning: beslut om att inleda eller inte inleda utredning inom fjorton dagar efter att anmälan kom in; längre tid endast vid synnerliga skäl',
    verified: true,
    note: 'Lagtexten kontrollerad (20 kap. 2 §). Ändringar efter SFS 2025:1501 är inte kontrollerade.',
    source: SRC.sol2025,
  },
  // --- Barnavårdsutredning: 4 months from opening, or a decided extension --------------------
  {
    type: 'barnavardsutredning',
    validFrom: SOL_2001_FIRST_DAY,
    validTo: SOL_2001_LAST_DAY,
    amount: { months: 4 },
    from: ['utredningInledd'],
    extendedUntil: 'forlangdTill',
    lawRef: '11 kap. 2 § socialtjänstlagen (2001:453) – utredningen ska bedrivas skyndsamt och vara slutförd senast inom fyra månader; förlängning för viss tid vid särskilda skäl',
    verified: true,
    note: 'Att avsluta och öppna en ny utredning för att börja om tiden har kritiserats av JO.',
    source: SRC.sol2001Kap11,
  },
  {
    type: 'barnavardsutredning',
    validFrom: SOL_2025_FIRST_DAY,
    amount: { months: 4 },
    from: ['utredningInledd'],
    extendedUntil: 'forlangdTill',
    lawRef: '20 kap. 3 § socialtjänstlagen (2025:400) – utredningen ska bedrivas skyndsamt och vara slutförd inom fyra månader från det att den inleddes; förlängning för viss tid vid särskilda skäl',
    verified: true,
    note: 'Lagtexten kontrollerad (20 kap. 3 §). Ändringar efter SFS 2025:1501 är inte kontrollerade.',
    source: SRC.sol2025,
  },
  // --- Övervägande, placerat barn (SoL): every 6 months ---------------------------------------
  {
    type: 'overvagande-sol',
    validFrom: SOL_2001_FIRST_DAY,
    validTo: SOL_2001_LAST_DAY,
    amount: { months: 6 },
    from: ['senasteOvervagande', 'placeringStart'],
    lawRef: '6 kap. 8 § socialtjänstlagen (2001:453) – när ett barn vårdas i ett annat hem än det egna ska nämnden minst en gång var sjätte månad överväga om vården fortfarande behövs',
    verified: true,
    source: SRC.sol2001Kap6,
  },
  {
    type: 'overvagande-sol',
    validFrom: SOL_2025_FIRST_DAY,
    amount: { months: 6 },
    from: ['senasteOvervagande', 'placeringStart'],
    lawRef: '22 kap. 13 § socialtjänstlagen (2025:400) – när ett barn vårdas i ett annat hem än det egna ska nämnden minst en gång var sjätte månad överväga om vården fortfarande behövs',
    verified: true,
    note: 'Lagtexten kontrollerad (22 kap. 13 §). Ändringar efter SFS 2025:1501 är inte kontrollerade.',
    source: SRC.sol2025,
  },
  // --- LVU: unchanged by the new socialtjänstlag ------------------------------------------
  {
    type: 'overvagande-lvu2',
    validFrom: LVU_FIRST_DAY,
    amount: { months: 6 },
    from: ['senasteOvervagande', 'placeringStart'],
    lawRef: '13 § första stycket lagen (1990:52) med särskilda bestämmelser om vård av unga (LVU) – vid vård enligt 2 § ska nämnden minst en gång var sjätte månad överväga om vården fortfarande behövs',
    verified: true,
    note: 'Lagtexten kontrollerad (13 § i lydelse SFS 2022:664).',
    source: SRC.lvu,
  },
  {
    type: 'omprovning-lvu3',
    validFrom: LVU_FIRST_DAY,
    amount: { months: 6 },
    from: ['senasteOmprovning', 'lvuBeslut'],
    lawRef: '13 § andra stycket LVU (1990:52) – vid vård enligt 3 § ska nämnden inom sex månader pröva om vården ska upphöra, och därefter fortlöpande inom sex månader från senaste prövningen',
    verified: true,
    note:
      'Lagen räknar den första prövningen från dagen för verkställighet av vårdbeslutet; registret räknar från beslutsdagen (lvu_beslut), ' +
      'som ligger samma dag eller tidigare. Den beräknade dagen kan alltså bli tidigare än den lagliga, aldrig senare.',
    source: SRC.lvu,
  },
  {
    type: 'omedelbart-omhandertagande',
    validFrom: LVU_FIRST_DAY,
    amount: { weeks: 1 },
    from: ['lvuBeslut'],
    lawRef: '7 § LVU (1990:52) – beslut om omedelbart omhändertagande enligt 6 § ska underställas förvaltningsrätten inom en vecka från den dag då beslutet fattades',
    verified: true,
    source: SRC.lvu,
  },
  // --- Ej verkställt beslut: report to IVO after 3 months ----------------------------------
  {
    type: 'ej-verkstallt-beslut',
    validFrom: IVO_FIRST_DAY,
    validTo: SOL_2001_LAST_DAY,
    amount: { months: 3 },
    from: ['beslutsdatum'],
    stopsWhen: 'verkstalltDatum',
    lawRef: '16 kap. 6 f § socialtjänstlagen (2001:453) och 28 f § LSS – gynnande beslut som inte har verkställts inom tre månader från dagen för beslutet ska rapporteras till IVO (kvartalsvis)',
    verified: true,
    note: 'Före den 1 juni 2013 gick rapporten till Socialstyrelsen; sådana beslut har ingen regel här.',
    source: `${SRC.sol2001Kap16} ; ${SRC.lss}`,
  },
  {
    type: 'ej-verkstallt-beslut',
    validFrom: SOL_2025_FIRST_DAY,
    amount: { months: 3 },
    from: ['beslutsdatum'],
    stopsWhen: 'verkstalltDatum',
    lawRef: '34 kap. 1 § socialtjänstlagen (2025:400) och 28 f § LSS – gynnande beslut som inte har verkställts inom tre månader från dagen för beslutet ska rapporteras till IVO (kvartalsvis)',
    verified: true,
    note: 'Lagtexten kontrollerad (34 kap. 1 §, LSS 28 f §). Ändringar efter SFS 2025:1501 respektive 2025:1494 är inte kontrollerade.',
    source: `${SRC.sol2025} ; ${SRC.lss}`,
  },
];

// --- Calendar days -------------------------------------------------------------------------

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written 'YYYY-MM-DD' (2026-02-30 is not). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Plain Date arithmetic: this runs for every date of every imported row, and luxon is slow here.
  const dt = new Date(0);
  dt.setUTCFullYear(y, mo - 1, d);
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** Start of the calendar day `day` ('YYYY-MM-DD') in `tz`. */
function dayStart(day: string, tz: string): DateTime {
  if (!isIsoDate(day)) throw new RangeError(`casework: not a date (YYYY-MM-DD): ${day}`);
  const dt = DateTime.fromISO(day, { zone: tz });
  if (!dt.isValid) throw new RangeError(`casework: invalid time zone ${tz}: ${dt.invalidExplanation ?? dt.invalidReason}`);
  return dt.startOf('day');
}

/** The calendar day ('YYYY-MM-DD') of a moment or an ISO date in `tz`. */
export function calendarDayOf(input: string | Date, tz: string = CASEWORK_TIME_ZONE): string {
  if (typeof input === 'string') return dayStart(input, tz).toISODate()!;
  const dt = DateTime.fromJSDate(input, { zone: tz });
  if (!dt.isValid) throw new RangeError(`casework: invalid moment or time zone (${tz}): ${dt.invalidExplanation ?? dt.invalidReason}`);
  return dt.toISODate()!;
}

/**
 * `start` + `amount` as calendar arithmetic ('YYYY-MM-DD'): months first (a day the target month
 * lacks becomes its last day, as luxon does: 31 Jan + 1 month = 28/29 Feb), then weeks and days.
 * Calendar dates do not depend on the zone (`tz` is only checked), so plain UTC date arithmetic is
 * exact here; it runs for every row of an import, where luxon was the bottleneck.
 */
export function addAmount(start: string, amount: CaseworkRule['amount'], tz: string = CASEWORK_TIME_ZONE): string {
  if (!isIsoDate(start)) throw new RangeError(`casework: not a date (YYYY-MM-DD): ${start}`);
  // IANAZone.create caches per zone name, so this check is cheap in a loop over a whole import.
  if (!IANAZone.create(tz).isValid) throw new RangeError(`casework: invalid time zone ${tz}`);
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const months = m - 1 + (amount.months ?? 0);
  const year = y + Math.floor(months / 12);
  const month = ((months % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const dt = new Date(0);
  dt.setUTCFullYear(year, month, Math.min(d, lastDay) + (amount.weeks ?? 0) * 7 + (amount.days ?? 0));
  return dt.toISOString().slice(0, 10);
}


/** Calendar days from `from` to `to` (negative when `to` is earlier). Both 'YYYY-MM-DD'. */
export function daysBetween(from: string, to: string): number {
  const utc = (d: string) => {
    if (!isIsoDate(d)) throw new RangeError(`casework: not a date (YYYY-MM-DD): ${d}`);
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, day);
  };
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

// --- Rule lookup ---------------------------------------------------------------------------

function inForce(rule: CaseworkRule, day: string): boolean {
  return rule.validFrom <= day && (rule.validTo === undefined || day <= rule.validTo);
}

/** Problems in a rule list (empty when usable): periods, amounts, consistent start fields. */
export function caseworkRulesProblems(rules: readonly CaseworkRule[] = CASEWORK_RULES): string[] {
  const problems: string[] = [];
  for (const r of rules) {
    const name = `${r.type} from ${r.validFrom}`;
    if (!isIsoDate(r.validFrom)) problems.push(`${name}: validFrom is not a date`);
    if (r.validTo !== undefined && (!isIsoDate(r.validTo) || r.validTo < r.validFrom)) problems.push(`${name}: bad validTo`);
    const units = Object.values(r.amount).filter((n) => n !== undefined);
    if (units.length !== 1 || !units.every((n) => Number.isInteger(n) && n > 0)) problems.push(`${name}: amount must be one whole number > 0 of days, weeks or months`);
    if (r.from.length === 0) problems.push(`${name}: no start field`);
    if (!r.lawRef.trim()) problems.push(`${name}: no lawRef`);
  }
  for (const type of ITEM_TYPES) {
    const own = rules.filter((r) => r.type === type).sort((a, b) => a.validFrom.localeCompare(b.validFrom));
    if (own.length === 0) problems.push(`${type}: no rule`);
    for (let i = 1; i < own.length; i++) {
      const prev = own[i - 1]!;
      const cur = own[i]!;
      if (prev.validTo === undefined || prev.validTo >= cur.validFrom) problems.push(`${type}: ${prev.validFrom} overlaps ${cur.validFrom}`);
      else if (DateTime.fromISO(prev.validTo, { zone: 'utc' }).plus({ days: 1 }).toISODate() !== cur.validFrom) {
        problems.push(`${type}: gap between ${prev.validTo} and ${cur.validFrom}`);
      }
      const shape = (r: CaseworkRule) => JSON.stringify([r.from, r.extendedUntil ?? null, r.stopsWhen ?? null]);
      if (shape(prev) !== shape(cur)) problems.push(`${type}: start/extension/stop fields differ between ${prev.validFrom} and ${cur.validFrom}`);
    }
  }
  return problems;
}

/**
 * The rules in force on the calendar day (in `tz`) of `date`, at most one per type (a type whose
 * first rule starts later is absent). Throws when two rules of a type overlap on that day.
 */
export function rulesAt(
  date: string | Date,
  rules: readonly CaseworkRule[] = CASEWORK_RULES,
  tz: string = CASEWORK_TIME_ZONE,
): CaseworkRule[] {
  const day = calendarDayOf(date, tz);
  const result: CaseworkRule[] = [];
  for (const type of ITEM_TYPES) {
    const hits = rules.filter((r) => r.type === type && inForce(r, day));
    if (hits.length > 1) throw new RangeError(`casework rules: ${hits.length} rules for ${type} on ${day}`);
    if (hits[0]) result.push(hits[0]);
  }
  return result;
}

/** The field and date that start an item's clock under `rule` (the first recorded of `rule.from`). */
export function clockStart(item: CaseworkItem, rule: CaseworkRule): { field: DateField; date: string } | undefined {
  for (const field of rule.from) {
    const date = item[field];
    if (date) return { field, date };
  }
  return undefined;
}

export interface RuleMatch {
  rule: CaseworkRule;
  start: { field: DateField; date: string };
}

/**
 * The rule for an item: the one of its type in force on the day its clock started. Undefined when
 * the item lacks a start date or no rule covers that day.
 */
export function findRule(item: CaseworkItem, rules: readonly CaseworkRule[] = CASEWORK_RULES): RuleMatch | undefined {
  for (const rule of rules) {
    if (rule.type !== item.type) continue;
    const start = clockStart(item, rule);
    if (start && inForce(rule, start.date)) return { rule, start };
  }
  return undefined;
}

// --- The clock -----------------------------------------------------------------------------

export type CaseworkClockState = 'i-tid' | 'narmar-sig' | 'forsenad';

export interface CaseworkClockOptions {
  /** Today: a calendar day 'YYYY-MM-DD', or a moment (its calendar day in `timeZone`). */
  today: string | Date;
  /** "närmar sig" when daysLeft <= warnDays. Default 7. */
  warnDays?: number;
  /** Default Europe/Stockholm. */
  timeZone?: string;
  /** For tests; default CASEWORK_RULES. */
  rules?: readonly CaseworkRule[];
}

export interface CaseworkClock {
  /** The last day to act, 'YYYY-MM-DD' ("i tid" through the end of that day). */
  due: string;
  state: CaseworkClockState;
  /** Calendar days from today to the due day: 0 on the due day, negative when overdue. */
  daysLeft: number;
  lawRef: string;
  /** False: show the reference with "(kontrollera hänvisningen)". */
  lawRefVerified: boolean;
  /** What started the clock. */
  start: { field: DateField; date: string };
  /** True when the due day is a decided extension's end date. */
  extended: boolean;
}

/**
 * Where an item's clock stands today, or undefined when it is not running: the item is closed
 * (status avslutad) or its stop date (e.g. verkställt) is recorded on or before today.
 *
 * Throws a RangeError when the item has no start date for its type or no rule covers the start
 * date: the import validates both (see csv.ts), so this signals data that bypassed validation.
 */
export function computeClock(item: CaseworkItem, opts: CaseworkClockOptions): CaseworkClock | undefined {
  const tz = opts.timeZone ?? CASEWORK_TIME_ZONE;
  const warnDays = opts.warnDays ?? DEFAULT_WARN_DAYS;
  if (!Number.isInteger(warnDays) || warnDays < 0) throw new RangeError(`casework: warnDays must be a whole number ≥ 0 (${warnDays})`);
  const today = calendarDayOf(opts.today, tz);
  if (item.status === 'avslutad') return undefined;

  const d = caseworkDeadline(item, opts.rules ?? CASEWORK_RULES, tz);
  if (d.stopsOn && d.stopsOn <= today) return undefined;

  const daysLeft = daysBetween(today, d.due);
  const state: CaseworkClockState = daysLeft < 0 ? 'forsenad' : daysLeft <= warnDays ? 'narmar-sig' : 'i-tid';
  return { due: d.due, state, daysLeft, lawRef: d.rule.lawRef, lawRefVerified: d.rule.verified, start: d.start, extended: d.extended };
}

export interface CaseworkDeadline {
  /** The last day to act, 'YYYY-MM-DD'. */
  due: string;
  /** The clock stops from this day on (e.g. the decision was carried out), when recorded. */
  stopsOn?: string;
  extended: boolean;
  rule: CaseworkRule;
  start: { field: DateField; date: string };
}

/**
 * The item's deadline, independent of today: what the store keeps (due_on, stops_on) so that
 * overdue and approaching items can be counted with an index instead of computed row by row.
 * `computeClock` is this plus today; the two must never disagree (tested).
 *
 * Throws a RangeError like computeClock when there is no start date or no rule for it.
 */
export function caseworkDeadline(item: CaseworkItem, rules: readonly CaseworkRule[] = CASEWORK_RULES, tz: string = CASEWORK_TIME_ZONE): CaseworkDeadline {
  const match = findRule(item, rules);
  if (!match) throw new RangeError(`casework: no start date or no rule for ${item.type} (${item.caseReference})`);
  const { rule, start } = match;
  const stopsOn = rule.stopsWhen ? item[rule.stopsWhen] : undefined;
  const extendedTo = rule.extendedUntil ? item[rule.extendedUntil] : undefined;
  const due = extendedTo ? calendarDayOf(extendedTo, tz) : addAmount(start.date, rule.amount, tz);
  return { due, ...(stopsOn ? { stopsOn } : {}), extended: Boolean(extendedTo), rule, start };
}

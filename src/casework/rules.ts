/**
 * Child-welfare and ej-verkställt casework deadlines ("bevakningar"): the clocks the weekly review
 * of open investigations watches, as effective-dated rule data and pure calendar arithmetic. See
 * lex-sarah.md, "Casework deadlines" and "Important readings".
 *
 * - Every number and every law reference lives in `CASEWORK_RULES`, never as a literal in callers.
 *   Laws change (SoL 2001:453 was replaced by SoL 2025:400 on 1 July 2025): add an entry, never
 *   edit an old one.
 * - An item type may carry more than one obligation (an LVU 6 § omhändertagande must be underställt
 *   within a week AND the ansökan om vård made within four weeks of verkställigheten). Each
 *   obligation is its own effective-dated rule; the item's clock is its most urgent running one.
 * - The period is chosen by the day the clock STARTS (the orosanmälan, the opening of the
 *   investigation …), but the legal basis shown is the rule in force on the day the clock is
 *   EVALUATED: an utredning opened on 30 June 2025 and reviewed in August is governed by
 *   SoL 2025:400 now, and citing the repealed law would send people to the wrong text.
 *   Clocks of years (`lawAtDue`: the vårdnadsöverflyttning, the first vårdplan revision) instead
 *   take the rule in force on the day the duty falls due: the law that shortened three years to
 *   two applied to children already placed, and a duty that did not exist when the child was
 *   placed applies from the day it took effect.
 * - Lagen (1930:173) om beräkning av lagstadgad tid, 2 §: a last day that falls on a Saturday,
 *   Sunday, public holiday, midsommarafton, julafton or nyårsafton moves to the next weekday. The
 *   act names those three eves itself, so this calendar counts them whatever DEFACTO_HOLIDAYS says.
 *   It concerns time set by law ("enligt lag eller annan författning") within which an act is to
 *   be done. It does not move "genast" (no period at all), a limit on how long a state may last (a
 *   child in a jourhem, an uppföljning without consent), or a number the municipality chose (the
 *   days for a judgment): `noWeekdayShift`. Nor does it move a day someone SETS in a decision (the
 *   end of an extension the nämnd decides or the förvaltningsrätt grants): that day is the decision's.
 * - Some delays end a state by law (LVU 5 §, 7 § 3 st., 9 § 1): such a rule carries a `lapse`, the
 *   consequence names it in red, and an act recorded after the due day does not make the item "done".
 * - Dates are calendar days, 'YYYY-MM-DD'. A due day counts as "i tid" until the end of that day
 *   in Europe/Stockholm; arithmetic is on calendar days, so DST changes nothing.
 * - Months are calendar months: a day the target month lacks falls back to its last day (31 Jan +
 *   4 months = 31 May; 31 Oct + 4 months = 28/29 Feb), as 1930:173 1 § reads.
 *
 * `verified: true` means the section number and the period were checked against the statute text
 * (`source`); the UI shows unverified references with "(kontrollera hänvisningen)". `localPolicy`
 * marks a number that is the municipality's own rule, not law; the UI says so.
 *
 * Pure apart from the holiday calendar's per-instance cache: no I/O, no logging.
 */
import { DateTime, IANAZone } from 'luxon';
import { WorkingCalendar } from '../review/calendar';

/** Calendar days and "end of the due day" are Stockholm's. */
export const CASEWORK_TIME_ZONE = 'Europe/Stockholm';

/** "närmar sig" this many calendar days before the due day (the due day itself included). */
export const DEFAULT_WARN_DAYS = 7;

/**
 * Local policy, not law: days within which a court judgment (dom) granting an insats should be
 * carried out. The law says a judgment applies at once and sanctions delay beyond "skälig tid".
 */
export const DEFAULT_JUDGMENT_DAYS = 14;

export const ITEM_TYPES = [
  'skyddsbedomning',
  'forhandsbedomning',
  'barnavardsutredning',
  'jourhem',
  'uppfoljning',
  'overvagande-sol',
  'vardplan-revidering',
  'vardnadsoverflyttning',
  'overvagande-lvu2',
  'omprovning-lvu3',
  'omedelbart-omhandertagande',
  'ej-verkstallt-beslut',
  'vard-lvu-verkstallighet',
  'flyttningsforbud',
] as const;
export type CaseworkItemType = (typeof ITEM_TYPES)[number];

/** Swedish titles shown to users (and accepted in the CSV import's `typ` column). */
export const ITEM_TYPE_TITLES: Readonly<Record<CaseworkItemType, string>> = {
  skyddsbedomning: 'Omedelbar skyddsbedömning efter orosanmälan',
  forhandsbedomning: 'Förhandsbedömning efter orosanmälan',
  barnavardsutredning: 'Barnavårdsutredning',
  jourhem: 'Jourhemsplacering efter avslutad utredning',
  uppfoljning: 'Uppföljning efter avslutad utredning eller placering',
  'overvagande-sol': 'Övervägande, placerat barn (SoL)',
  'vardplan-revidering': 'Första revidering av vårdplan',
  vardnadsoverflyttning: 'Övervägande om vårdnadsöverflyttning',
  'overvagande-lvu2': 'Övervägande, LVU 2 §',
  'omprovning-lvu3': 'Omprövning, LVU 3 §',
  'omedelbart-omhandertagande': 'Omedelbart omhändertagande, LVU 6 §',
  'ej-verkstallt-beslut': 'Ej verkställt beslut',
  'vard-lvu-verkstallighet': 'Vård enligt LVU ska påbörjas',
  flyttningsforbud: 'Flyttningsförbud, LVU 24 §',
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
  'understalltDatum', // underställt
  'omhandertagandeVerkstallt', // omhändertagande_verkställt
  'ansokanInlamnad', // ansökan_inlämnad
  'lagaKraft', // laga_kraft
  'vardPaborjad', // vård_påbörjad
  'rapporteradIvo', // rapporterad_ivo
  'avbrottDatum', // avbrott
  'forstaInledd', // (no column: the first opening under the same reference, from the register's history)
  'tidigareForlangdTill', // tidigare_förlängd_till
  'forlangningBegard', // förlängning_begärd
  'ansokanForlangdTill', // ansökan_förlängd_till
  'verkstalltAnmaltIvo', // verkställt_anmält_ivo
  'tidigareForlangningBeslutad', // tidigare_förlängning_beslutad
  'rattadFran', // (no column: the opening day a correction replaced, from the register's history)
] as const;
export type DateField = (typeof DATE_FIELDS)[number];

/** Any date field a rule may name (every one is imported and stored). */
export type RuleDateField = DateField;

export type CaseworkStatus = 'oppen' | 'avslutad';

/**
 * One casework item ("bevakning") in the register. Identified by a pseudonymous case reference
 * only: never a personnummer or a name. Dates 'YYYY-MM-DD'; each type needs only some.
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
  /** The orosanmälan came in (skyddsbedömning, förhandsbedömning). */
  orosanmalanMottagen?: string;
  /** The decision to open this investigation (barnavårdsutredning). */
  utredningInledd?: string;
  /** The decision to extend the investigation (särskilda skäl), or a jourhem stay beyond two months. */
  forlangningBeslutad?: string;
  /** Last day of the extended investigation (or jourhem stay). A day the nämnd sets: lagen (1930:173) does not move it. */
  forlangdTill?: string;
  /**
   * The last day of the extension before the latest one (`forlangningBeslutad`/`forlangdTill`): a chain of extensions is lawful when each was decided
   * before the running one ran out, and an export that holds only the latest cannot show that.
   */
  tidigareForlangdTill?: string;
  /**
   * The day the extension before the latest one was decided (with `tidigareForlangdTill`): a chain
   * rescues the item only when its first link was decided within the statutory time, which the
   * latest decision and the previous end alone cannot show.
   */
  tidigareForlangningBeslutad?: string;
  /**
   * The export states that the latest extension is the first one (no `tidigareForlangdTill` to look for), so an extension decided after the statutory time is known to be late.
   */
  ingenTidigareForlangning?: boolean;
  /**
   * The placement started (verkställdes). For a vårdnadsöverflyttning: in the current familjehem
   * (22 kap. 14 § counts two years "i samma familjehem"); for the vårdplan: the placement as a whole.
   */
  placeringStart?: string;
  /** The latest övervägande; on a vårdnadsöverflyttning item, the latest consideration of it. */
  senasteOvervagande?: string;
  /** LVU decision: vård (3 §), omedelbart omhändertagande (6 §) or flyttningsförbud (24 §). */
  lvuBeslut?: string;
  senasteOmprovning?: string;
  /**
   * The favourable decision or the court's judgment (bistånd enligt SoL / insats enligt LSS); on a
   * jourhem or uppföljning item, the decision that closed the utredning (or ended the placement).
   */
  beslutsdatum?: string;
  /** The decision was carried out: the ej-verkställt clock stops (unless interrupted later). */
  verkstalltDatum?: string;
  /** LVU 6 §: the decision was sent to the förvaltningsrätt (underställning). */
  understalltDatum?: string;
  /** LVU 6 §: the day the omhändertagande was carried out; the four weeks for the ansökan run from it. */
  omhandertagandeVerkstallt?: string;
  /** LVU 6 §: the ansökan om vård reached the förvaltningsrätt. */
  ansokanInlamnad?: string;
  /**
   * LVU 8 § 2 st.: the day the nämnd asked the förvaltningsrätt to extend the four weeks for the ansökan; asked in time, the omhändertagande
   * does not lapse (9 § 1).
   */
  forlangningBegard?: string;
  /** LVU 8 § 2 st.: the last day for the ansökan as the förvaltningsrätt extended it (the court's day). */
  ansokanForlangdTill?: string;
  /** LVU: the vård decision became final (laga kraft). */
  lagaKraft?: string;
  /** LVU: the vård started. */
  vardPaborjad?: string;
  /** Ej verkställt: the latest report of the decision to IVO. */
  rapporteradIvo?: string;
  /** Ej verkställt: verkställigheten was interrupted on this day; a new three months runs. */
  avbrottDatum?: string;
  /**
   * Ej verkställt: the day IVO was told that the decision had been carried out (LSS 28 g §; SoL
   * 34 kap., as the rule's lawRef reads it). Owed for a decision reported as not carried out, or
   * carried out only after the three months: until then the item is not done.
   */
  verkstalltAnmaltIvo?: string;
  /**
   * Ej verkställt: the insats the decision grants, as the case system names it (e.g. "LSS 9 § 2
   * personlig assistans"). Two decisions under one reference (two insatser, or decided the same
   * day) are two items: the decision day and this tell them apart.
   */
  insats?: string;
  /**
   * Barnavårdsutredning: the first opening of an investigation under the same reference (from the
   * register's history). The four months count from it unless `nyUtredning`.
   */
  forstaInledd?: string;
  /** Ej verkställt: the decision is a court judgment (dom), not the nämnd's own. */
  domstol?: boolean;
  /** Barnavårdsutredning: a new orosanmälan started a genuinely new utredning (own four months). */
  nyUtredning?: boolean;
  /** Barnavårdsutredning: an earlier investigation under the same reference was closed and this one reopened. */
  aterOppnad?: boolean;
  /**
   * Barnavårdsutredning: the opening day this row's utredning_inledd replaced, when an import took the
   * new day for a correction of a mistyped one (from the register). It moves no clock; the row names it,
   * since when an investigation was opened is what IVO and JO ask (and an allmän handling keeps).
   */
  rattadFran?: string;
  /**
   * Barnavårdsutredning: the export says this row corrects the opening day (true) or is never a
   * correction (false); absent, the import judges (src/casework/import.ts).
   */
  rattelse?: boolean;
}

export interface CaseworkRule {
  type: CaseworkItemType;
  /** The obligation within the type; a type's obligations are evaluated side by side. */
  obligation: string;
  /** First day (Stockholm) a clock may START under this rule, 'YYYY-MM-DD'. */
  validFrom: string;
  /** Last day, inclusive; absent = still in force. */
  validTo?: string;
  /** Length of the clock. Exactly one unit per rule; `{ days: 0 }` is "genast" (due the day it starts). */
  amount: { days?: number; weeks?: number; months?: number };
  /**
   * The rule is chosen by the day the duty falls due, not the day the clock starts: the earliest
   * rule of the obligation still in force on its own due day (start + its amount); a due day before
   * that rule took effect becomes its first day. For clocks of years, whose law changed meanwhile.
   */
  lawAtDue?: boolean;
  /**
   * Lagen (1930:173) 2 § does not apply: "genast" (no period), a limit on how long a state may last
   * (a jourhem stay, an uppföljning), or a number that is not time set by law (`localPolicy`).
   */
  noWeekdayShift?: boolean;
  /**
   * A stop date before the (nominal) due day does not fulfil the obligation: the law ties the act
   * to that day (a consideration before the child has been placed two years is not the one asked for).
   */
  ignoreEarlyStop?: boolean;
  /**
   * The date fields that start the clock, in order of preference: the first one recorded is the
   * start (e.g. the last övervägande, else the placement start) — or the latest recorded one, with
   * `startFromLatest` (a report to IVO or an interruption restarts the three months).
   */
  from: readonly DateField[];
  startFromLatest?: boolean;
  /** The columns of which one must be filled for this type (default `from`). */
  requires?: readonly DateField[];
  /** The rule applies only when the item's flag has this value (a court judgment or not). */
  when?: { flag: 'domstol'; value: boolean };
  /**
   * An extension the nämnd decides: `until` replaces the due day when the decision (`decided`) was
   * made on or before the deadline it extends — the statutory one, or the previous extension's end
   * (`previousUntil`) in a chain. A later decision does not rescue the item (lex-sarah.md); `refused`
   * says so on the row (Swedish). When the decision came after the statutory time and the export
   * says nothing of an earlier extension, the register cannot know: the item stays late and
   * `unknown` asks for the earlier one, rather than calling a possibly lawful chain too late.
   * `until` and `previousUntil` are days the nämnd sets, not time set by law: never moved to a weekday.
   */
  extension?: {
    decided: RuleDateField;
    until: RuleDateField;
    previousUntil: RuleDateField;
    /**
     * The day the previous extension was decided: a latest decision made after the statutory time
     * counts only through a chain whose first link was decided within it (`previousRefused` when it
     * was not, `previousUnknown` when the export does not say: the item stays on the statutory day).
     */
    previousDecided: RuleDateField;
    refused: string;
    unknown: string;
    previousRefused: string;
    previousUnknown: string;
  };
  /**
   * An extension the court grants on the nämnd's request (LVU 8 § 2 st.): a request made on or
   * before the running deadline keeps the `lapse` from happening (LVU 9 § 1) until the court sets a
   * new day (`until`, the court's day: not moved to a weekday); `pending` replaces the consequence meanwhile.
   */
  courtExtension?: { requested: RuleDateField; until: RuleDateField; pending: string };
  /**
   * The consequence is a lapse: when the due day passes, the state ends by law (an omhändertagande,
   * a vård decision). An act recorded after the due day does not undo it: the item stays overdue,
   * showing `lateAct`, until the case system closes it.
   */
  lapse?: { lateAct: string };
  /** When recorded on or before today, the obligation is fulfilled (e.g. the decision was carried out). */
  stopsWhen?: DateField;
  /** A recorded stop no longer counts when this date is later (verkställigheten was interrupted). */
  restartsWhen?: DateField;
  /**
   * After the stop a notice may still be owed: IVO is to be told when a decision that was reported
   * as not carried out was carried out, with its day (LSS 28 g §; SoL 34 kap.). It is owed when the
   * latest report (`reported`, since the latest interruption) came before the stop, or the stop came
   * after the (nominal) due day, so that the decision was reportable; then the obligation is
   * fulfilled only on the day `field` records, on or after the stop, and meanwhile the row asks for
   * the notice (`action`, `dueLabel`) by the same due day: the next quarterly report.
   */
  notice?: { field: DateField; reported: DateField; action: string; dueLabel: string };
  /** Short citation shown on every row, e.g. "SoL 20 kap. 3 §". */
  basis: string;
  /** Swedish text of the full reference (what the law says). */
  lawRef: string;
  /** What must be done, in Swedish, shown on the review row. */
  action: string;
  /** How the due day is introduced on the row: "senast", "rapporteras till IVO senast" … */
  dueLabel: string;
  /** Never "i tid": the duty applies from day one (a judgment applies at once). */
  urgentFromStart?: boolean;
  /** Shown in red when the obligation is overdue (and as a warning before): what the law makes of the delay. */
  consequence?: string;
  /** The amount is the municipality's own policy (overridable), not law. */
  localPolicy?: boolean;
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
/** The three-year vårdnadsöverflyttning consideration took effect (prop. 2002/03:53; the day is not checked against SFS). */
const VARDNAD_THREE_YEARS_FIRST_DAY = '2003-07-01';
/** SFS 2020:1260: the yearly vårdnadsöverflyttning consideration and the vårdplan revision at two years. */
const SFS_2020_1260_FIRST_DAY = '2021-03-01';
/** SFS 2022:665 (prop. 2021/22:178): two years instead of three. */
const SFS_2022_665_FIRST_DAY = '2022-07-01';
const SFS_2022_665_DAY_BEFORE = '2022-06-30';
/**
 * The jourhem limit and the uppföljning under SoL (2001:453): taken as SFS 2012:776's day, not
 * checked against the statute text (the rules say so); they exist so that open items from before
 * 1 July 2025 are not refused.
 */
const SOL_2001_CHILD_RULES_FIRST_DAY = FORHANDSBEDOMNING_FIRST_DAY;

const SRC = {
  sol2025: 'SFS 2025:400, konsoliderad t.o.m. SFS 2025:1501 (Regeringskansliets rättsdatabaser, via github.com/se-lex/sfs-processor data/testdocs/rkrattsbaser/sfs-2025-400.json)',
  lvu: 'SFS 1990:52, konsoliderad t.o.m. SFS 2025:1290 (Regeringskansliets rättsdatabaser, via github.com/se-lex/sfs-processor data/sfs_json/sfs-1990-52.json)',
  lss: 'SFS 1993:387, konsoliderad t.o.m. SFS 2025:1494 (via github.com/se-lex/sfs-processor data/sfs_json/sfs-1993-387.json)',
  sol2001Kap11: 'Lagtexten i 11 kap. 1 a och 2 §§ SoL (2001:453) återgiven i kommunala rutiner, t.ex. http://spotidoc.com/doc/4082443/rutin-utredning-11-1-barn',
  sol2001Kap6: 'SFS 2022:665 (ändring i 6 kap. 8 § SoL 2001:453), https://lagar.nj.se/socialratt/SFS2022-0665',
  sol2001Kap16: 'JO dnr 2299-2017 (16 kap. 6 f § SoL), https://lagen.nu/avg/jo/2299-2017 ; https://www.ivo.se/anmala-och-rapportera/anmala-och-rapportera-som-yrkesverksam/ej-verkstallda-beslut-enligt-sol-och-lss/',
  reference: 'lex-sarah.md, "Casework deadlines" (kontrollerat mot konsoliderade texter av SoL 2025:400, LVU och LSS)',
  sfs2020_1260: 'SFS 2020:1260 (6 kap. 8 § och 11 kap. 3 § SoL 2001:453), https://open.karnovgroup.se/socialratt/SFS2020-1260 ; i kraft 1 mars 2021 enligt bet. 2020/21:SoU5, https://data.riksdagen.se/dokument/H801SoU5.html',
  vardnadThreeYears: 'Tre år i 6 kap. 8 § andra stycket SoL (2001:453) och 13 § tredje stycket LVU enligt https://socfamratt.se/aemnen/vardnadsoeverflyttning/727-regelbundet-overvagande-om-vardnadsoverflyttning och SFS 2020:1260',
  paragraph8b: '6 kap. 8 b § SoL (2001:453) enligt https://socfamratt.se/aemnen/vardnadsoeverflyttning/938-overvagande-av-vardnadsoverflyttning (SOU 2022:71); lagtexten i SFS 2022:665, https://lagar.nj.se/socialratt/SFS2022-0665',
} as const;

// IVO does not impose the särskild avgift itself: it applies to the förvaltningsrätt, which decides
// (SoL 34 kap. 8 §; LSS 28 c §). It applies to the nämnd's own decisions
// and to judgments alike, and again when an interrupted verkställighet is not resumed (SoL 34 kap.
// 5 §; LSS 28 a §, first and second paragraphs).
const SARSKILD_AVGIFT_DOM = 'Verkställs domen inte inom skälig tid, eller inte på nytt efter ett avbrott, kan IVO ansöka hos förvaltningsrätten om särskild avgift.';
const SARSKILD_AVGIFT_BESLUT = 'Verkställs beslutet inte inom skälig tid, eller inte på nytt efter ett avbrott, kan IVO ansöka hos förvaltningsrätten om särskild avgift.';
const UTREDNING_EXTENSION_REFUSED = 'Förlängningen beslutades först efter att fristen hade gått ut och räddar inte utredningen (förlängning får bara beslutas för viss tid innan fristen löpt ut).';
const UTREDNING_EXTENSION = {
  decided: 'forlangningBeslutad',
  until: 'forlangdTill',
  previousUntil: 'tidigareForlangdTill',
  previousDecided: 'tidigareForlangningBeslutad',
  refused: UTREDNING_EXTENSION_REFUSED,
  unknown: 'Kan inte bedömas: förlängningen beslutades efter de fyra månaderna. Ange när den förra förlängningen löpte ut (tidigare_förlängd_till).',
  previousRefused: 'Den förra förlängningen beslutades först efter att de fyra månaderna hade gått ut, så kedjan av förlängningar räddar inte utredningen (förlängning får bara beslutas innan fristen löpt ut).',
  previousUnknown: 'Kan inte bedömas: förlängningen beslutades efter de fyra månaderna, under den förra förlängningen, men det framgår inte att den förra beslutades i tid. Ange när den förra förlängningen beslutades (tidigare_förlängning_beslutad).',
} as const;
const JOURHEM_EXTENSION = {
  decided: 'forlangningBeslutad',
  until: 'forlangdTill',
  previousUntil: 'tidigareForlangdTill',
  previousDecided: 'tidigareForlangningBeslutad',
  refused: 'Beslutet om längre vård i jourhemmet fattades först efter att de två månaderna hade gått ut och gör inte placeringen laglig i efterhand.',
  unknown: 'Kan inte bedömas: längre vård i jourhemmet beslutades efter två månader. Ange när det förra beslutet löpte ut (tidigare_förlängd_till).',
  previousRefused: 'Det förra beslutet om längre vård i jourhemmet fattades först efter att de två månaderna hade gått ut; de senare besluten gör inte placeringen laglig i efterhand.',
  previousUnknown: 'Kan inte bedömas: längre vård i jourhemmet beslutades efter två månader, under det förra beslutets tid, men det framgår inte att det förra fattades i tid. Ange när det förra beslutet fattades (tidigare_förlängning_beslutad).',
} as const;
const NOT_CHECKED_AFTER_1501 = 'Ändringar efter SFS 2025:1501 är inte kontrollerade.';
/** The judgment clock's shape, the same under both laws (the rule data checks it). */
const JUDGMENT_CLOCK = {
  from: ['avbrottDatum', 'beslutsdatum'],
  startFromLatest: true,
  requires: ['beslutsdatum'],
  stopsWhen: 'verkstalltDatum',
  restartsWhen: 'avbrottDatum',
  noWeekdayShift: true,
} as const satisfies Partial<CaseworkRule>;
const REPORT_ACTION = 'Verkställ snarast';
/**
 * Once a reportable decision is carried out, IVO is told so, with the day (LSS 28 g §: "anmäla när
 * nämnden har verkställt ett gynnande beslut som enligt 28 f § har rapporterats som ej verkställt.
 * Datum för verkställigheten ska då anges"). No period of its own: it goes with the next quarterly report.
 */
const VERKSTALLT_NOTICE = {
  field: 'verkstalltAnmaltIvo',
  reported: 'rapporteradIvo',
  action: 'Anmäl till IVO att beslutet har verkställts (med dagen för verkställigheten)',
  dueLabel: 'anmäls till IVO senast',
} as const;

/**
 * The rules over time. Per (type, obligation) the periods must not overlap or leave gaps after the
 * first `validFrom` (the tests check every day). The start, extension and stop fields must be the
 * same in every entry of an obligation: the rule is chosen by the start date (or the due day,
 * `lawAtDue`), which they define.
 */
export const CASEWORK_RULES: readonly CaseworkRule[] = [
  // --- Omedelbar skyddsbedömning: "genast" after an orosanmälan --------------------------
  // Due the day the orosanmälan came in, late the next day. "Genast" is no period counted in days,
  // so lagen (1930:173) moves nothing; and whether a child needs immediate protection cannot wait
  // for Monday (socialjouren answers at weekends). Never "i tid": the duty applies at once.
  {
    type: 'skyddsbedomning',
    obligation: 'skyddsbedomning',
    validFrom: FORHANDSBEDOMNING_FIRST_DAY,
    validTo: SOL_2001_LAST_DAY,
    amount: { days: 0 },
    from: ['orosanmalanMottagen'],
    noWeekdayShift: true,
    basis: 'SoL (2001:453) 11 kap. 1 a §',
    lawRef: '11 kap. 1 a § första stycket socialtjänstlagen (2001:453) – om en anmälan gäller ett barn ska nämnden genast bedöma om barnet är i behov av omedelbart skydd; bedömningen ska dokumenteras',
    action: 'Bedöm om barnet behöver omedelbart skydd',
    dueLabel: 'genast – senast',
    urgentFromStart: true,
    verified: false,
    note: 'Infördes med fjortondagarsfristen (SFS 2012:776) i samma paragraf; stycket om skyddsbedömning är inte kontrollerat mot lagtexten här.',
    source: SRC.sol2001Kap11,
  },
  {
    type: 'skyddsbedomning',
    obligation: 'skyddsbedomning',
    validFrom: SOL_2025_FIRST_DAY,
    amount: { days: 0 },
    from: ['orosanmalanMottagen'],
    noWeekdayShift: true,
    basis: 'SoL 20 kap. 1 §',
    lawRef: '20 kap. 1 § socialtjänstlagen (2025:400) – om en anmälan gäller barn eller unga ska socialnämnden genast bedöma om barnet eller den unge behöver omedelbart skydd (omedelbar skyddsbedömning); bedömningen ska dokumenteras',
    action: 'Bedöm om barnet behöver omedelbart skydd',
    dueLabel: 'genast – senast',
    urgentFromStart: true,
    verified: true,
    note: `Lagtexten kontrollerad (20 kap. 1 §). "Genast": samma dag som anmälan kom in, också en lördag eller helgdag. ${NOT_CHECKED_AFTER_1501}`,
    source: SRC.sol2025,
  },
  // --- Förhandsbedömning: 14 days from the orosanmälan -------------------------------------
  {
    type: 'forhandsbedomning',
    obligation: 'forhandsbedomning',
    validFrom: FORHANDSBEDOMNING_FIRST_DAY,
    validTo: SOL_2001_LAST_DAY,
    amount: { days: 14 },
    from: ['orosanmalanMottagen'],
    basis: 'SoL (2001:453) 11 kap. 1 a §',
    lawRef: '11 kap. 1 a § socialtjänstlagen (2001:453) – beslut om att inleda eller inte inleda utredning inom fjorton dagar efter att anmälan kom in, om det inte finns synnerliga skäl',
    action: 'Förhandsbedömning',
    dueLabel: 'senast',
    verified: true,
    note: 'Fristen infördes den 1 januari 2013 (SFS 2012:776).',
    source: SRC.sol2001Kap11,
  },
  {
    type: 'forhandsbedomning',
    obligation: 'forhandsbedomning',
    validFrom: SOL_2025_FIRST_DAY,
    amount: { days: 14 },
    from: ['orosanmalanMottagen'],
    basis: 'SoL 20 kap. 2 §',
    lawRef: '20 kap. 2 § socialtjänstlagen (2025:400) – förhandsbedömning: beslut om att inleda eller inte inleda utredning inom fjorton dagar efter att anmälan kom in; längre tid endast vid synnerliga skäl',
    action: 'Förhandsbedömning',
    dueLabel: 'senast',
    verified: true,
    note: 'Lagtexten kontrollerad (20 kap. 2 §). Ändringar efter SFS 2025:1501 är inte kontrollerade.',
    source: SRC.sol2025,
  },
  // --- Barnavårdsutredning: 4 months from the first opening, or a timely decided extension ---
  {
    type: 'barnavardsutredning',
    obligation: 'utredning',
    validFrom: SOL_2001_FIRST_DAY,
    validTo: SOL_2001_LAST_DAY,
    amount: { months: 4 },
    from: ['forstaInledd', 'utredningInledd'],
    requires: ['utredningInledd'],
    extension: UTREDNING_EXTENSION,
    basis: 'SoL (2001:453) 11 kap. 2 §',
    lawRef: '11 kap. 2 § socialtjänstlagen (2001:453) – utredningen ska bedrivas skyndsamt och vara slutförd senast inom fyra månader; förlängning för viss tid vid särskilda skäl',
    action: 'Utredningen ska vara slutförd',
    dueLabel: 'senast',
    verified: true,
    note: 'Att avsluta och öppna en ny utredning för att börja om tiden har kritiserats av JO.',
    source: SRC.sol2001Kap11,
  },
  {
    type: 'barnavardsutredning',
    obligation: 'utredning',
    validFrom: SOL_2025_FIRST_DAY,
    amount: { months: 4 },
    from: ['forstaInledd', 'utredningInledd'],
    requires: ['utredningInledd'],
    extension: UTREDNING_EXTENSION,
    basis: 'SoL 20 kap. 3 §',
    lawRef: '20 kap. 3 § socialtjänstlagen (2025:400) – utredningen ska bedrivas skyndsamt och vara slutförd inom fyra månader från det att den inleddes; förlängning för viss tid vid särskilda skäl',
    action: 'Utredningen ska vara slutförd',
    dueLabel: 'senast',
    verified: true,
    note: 'Lagtexten kontrollerad (20 kap. 3 §). Ändringar efter SFS 2025:1501 är inte kontrollerade.',
    source: SRC.sol2025,
  },
  // --- Jourhem: at most two months after the utredning ended --------------------------------
  // A limit on how long the child may stay, not a period for an act: lagen (1930:173) does not
  // extend it. Longer only for särskilda skäl, recorded like an utredning's extension (decided
  // before the two months ran out, until a set day).
  {
    type: 'jourhem',
    obligation: 'jourhem',
    validFrom: SOL_2001_CHILD_RULES_FIRST_DAY,
    validTo: SOL_2001_LAST_DAY,
    amount: { months: 2 },
    from: ['beslutsdatum'],
    extension: JOURHEM_EXTENSION,
    noWeekdayShift: true,
    basis: 'SoL (2001:453) 6 kap. 6 §',
    lawRef: '6 kap. 6 § socialtjänstlagen (2001:453) – ett barn får vårdas i ett jourhem under högst två månader efter det att utredningen om barnets behov av skydd eller stöd avslutats, om det inte finns särskilda skäl',
    action: 'Placeringen i jourhemmet ska avslutas',
    dueLabel: 'senast',
    consequence: 'Efter två månader får barnet bara vårdas kvar i jourhemmet om det finns särskilda skäl.',
    verified: false,
    note: 'Paragrafen och dagen regeln infördes (SFS 2012:776, 1 januari 2013) är inte kontrollerade mot lagtexten.',
    source: SRC.reference,
  },
  {
    type: 'jourhem',
    obligation: 'jourhem',
    validFrom: SOL_2025_FIRST_DAY,
    amount: { months: 2 },
    from: ['beslutsdatum'],
    extension: JOURHEM_EXTENSION,
    noWeekdayShift: true,
    basis: 'SoL 22 kap. 4 §',
    lawRef: '22 kap. 4 § andra stycket socialtjänstlagen (2025:400) – ett barn får vårdas i ett jourhem i högst två månader efter det att socialnämnden har avslutat en utredning av om nämnden behöver ingripa till barnets skydd eller stöd; längre bara om det finns särskilda skäl',
    action: 'Placeringen i jourhemmet ska avslutas',
    dueLabel: 'senast',
    consequence: 'Efter två månader får barnet bara vårdas kvar i jourhemmet om det finns särskilda skäl.',
    verified: true,
    note: `Lagtexten kontrollerad (22 kap. 4 §). En gräns för hur länge barnet får vårdas i jourhemmet, inte en frist för en åtgärd: den flyttas inte till nästa vardag. ${NOT_CHECKED_AFTER_1501}`,
    source: SRC.sol2025,
  },
  // --- Uppföljning after a closed utredning or an ended placement: ends within six months ----
  // Read like the jourhem: lagen (1930:173) gives more time for an act to be done within a period
  // ("inom vilken en åtgärd skall vidtagas"); 23 kap. 5 § ("Tidsgräns för uppföljningen") instead
  // bounds how long an intervention may last, one the nämnd may decide without consent (1–2 §§).
  // Moving the sixth month to Monday would lengthen the intrusion, not give anyone time to act.
  {
    type: 'uppfoljning',
    obligation: 'uppfoljning',
    validFrom: SOL_2001_CHILD_RULES_FIRST_DAY,
    validTo: SOL_2001_LAST_DAY,
    amount: { months: 6 },
    from: ['beslutsdatum'],
    noWeekdayShift: true,
    basis: 'SoL (2001:453) 11 kap. 4 c §',
    lawRef: '11 kap. 4 a–4 c §§ socialtjänstlagen (2001:453) – uppföljning av barnets situation efter en avslutad utredning eller en upphörd placering, med en tidsgräns för när den ska avslutas',
    action: 'Uppföljningen ska avslutas',
    dueLabel: 'senast',
    consequence: 'Efter sex månader har uppföljningen inget stöd i lag: avsluta den, eller inled en utredning om barnet behöver det.',
    verified: false,
    note: 'Tidsgränsen i den upphävda lagen och dagen den infördes är inte kontrollerade mot lagtexten; sex månader som i 23 kap. 5 § SoL (2025:400).',
    source: SRC.reference,
  },
  {
    type: 'uppfoljning',
    obligation: 'uppfoljning',
    validFrom: SOL_2025_FIRST_DAY,
    amount: { months: 6 },
    from: ['beslutsdatum'],
    noWeekdayShift: true,
    basis: 'SoL 23 kap. 5 §',
    lawRef: '23 kap. 5 § socialtjänstlagen (2025:400) – en uppföljning efter en avslutad utredning (1 §) eller en upphörd placering (2 §) ska avslutas senast sex månader från det att utredningen avslutades eller placeringen upphörde, eller när nämnden dessförinnan inleder en utredning',
    action: 'Uppföljningen ska avslutas',
    dueLabel: 'senast',
    consequence: 'Efter sex månader har uppföljningen inget stöd i lag: avsluta den, eller inled en utredning om barnet behöver det.',
    verified: true,
    note: `Lagtexten kontrollerad (23 kap. 5 §). En gräns för hur länge uppföljningen får pågå, som jourhemmets två månader: den flyttas inte till nästa vardag. ${NOT_CHECKED_AFTER_1501}`,
    source: SRC.sol2025,
  },
  // --- Övervägande, placerat barn (SoL): every 6 months ---------------------------------------
  {
    type: 'overvagande-sol',
    obligation: 'overvagande',
    validFrom: SOL_2001_FIRST_DAY,
    validTo: SOL_2001_LAST_DAY,
    amount: { months: 6 },
    from: ['senasteOvervagande', 'placeringStart'],
    basis: 'SoL (2001:453) 6 kap. 8 §',
    lawRef: '6 kap. 8 § socialtjänstlagen (2001:453) – när ett barn vårdas i ett annat hem än det egna ska nämnden minst en gång var sjätte månad överväga om vården fortfarande behövs',
    action: 'Övervägande',
    dueLabel: 'senast',
    verified: true,
    source: SRC.sol2001Kap6,
  },
  {
    type: 'overvagande-sol',
    obligation: 'overvagande',
    validFrom: SOL_2025_FIRST_DAY,
    amount: { months: 6 },
    from: ['senasteOvervagande', 'placeringStart'],
    basis: 'SoL 22 kap. 13 §',
    lawRef: '22 kap. 13 § socialtjänstlagen (2025:400) – när ett barn vårdas i ett annat hem än det egna ska nämnden minst en gång var sjätte månad överväga om vården fortfarande behövs',
    action: 'Övervägande',
    dueLabel: 'senast',
    verified: true,
    note: 'Lagtexten kontrollerad (22 kap. 13 §). Ändringar efter SFS 2025:1501 är inte kontrollerade.',
    source: SRC.sol2025,
  },
  // --- Första revidering av vårdplanen: at the latest after two years of placement -----------
  // "Placerat i två år": the placement as a whole. A duty from 1 March 2021 (SFS 2020:1260), so the
  // rule is chosen by the due day: a child placed before 1 March 2019 was due that day.
  {
    type: 'vardplan-revidering',
    obligation: 'revidering',
    validFrom: SFS_2020_1260_FIRST_DAY,
    validTo: SOL_2001_LAST_DAY,
    amount: { months: 24 },
    from: ['placeringStart'],
    lawAtDue: true,
    basis: 'SoL (2001:453) 11 kap. 3 § 2 st.',
    lawRef: '11 kap. 3 § andra stycket socialtjänstlagen (2001:453) – en vårdplan som gäller ett barn ska revideras senast när barnet har varit placerat i två år; vårdplanen ska då särskilt avse barnets långsiktiga boende',
    action: 'Första revidering av vårdplanen (barnets långsiktiga boende)',
    dueLabel: 'senast',
    verified: true,
    note: 'Kontrollerad mot ändringslagen SFS 2020:1260 (i kraft 1 mars 2021); senare ändringar före 1 juli 2025 är inte kontrollerade.',
    source: SRC.sfs2020_1260,
  },
  {
    type: 'vardplan-revidering',
    obligation: 'revidering',
    validFrom: SOL_2025_FIRST_DAY,
    amount: { months: 24 },
    from: ['placeringStart'],
    lawAtDue: true,
    basis: 'SoL 9 kap. 13 §',
    lawRef: '9 kap. 13 § andra stycket socialtjänstlagen (2025:400) – den första revideringen av en vårdplan som gäller ett barn ska ske senast när barnet har varit placerat i två år; vårdplanen ska då, om det inte finns särskilda skäl mot det, särskilt ta upp frågan om barnets långsiktiga boende',
    action: 'Första revidering av vårdplanen (barnets långsiktiga boende)',
    dueLabel: 'senast',
    verified: true,
    note: `Lagtexten kontrollerad (9 kap. 13 §). Bevakningen avslutas när revideringen är gjord (status avslutad). ${NOT_CHECKED_AFTER_1501}`,
    source: SRC.sol2025,
  },
  // --- Vårdnadsöverflyttning: after two years in the same familjehem, then yearly -------------
  // SoL and LVU alike (SoL 22 kap. 14 §; LVU 13 c §). Three years until 30 June 2022; the yearly
  // consideration from 1 March 2021. Chosen by the due day, as the shorter period applied to
  // children already placed. The latest consideration (senaste_övervägande) fulfils the first one
  // only when made once the child has been placed two years, and starts the yearly clock.
  {
    type: 'vardnadsoverflyttning',
    obligation: 'forsta',
    validFrom: VARDNAD_THREE_YEARS_FIRST_DAY,
    validTo: SFS_2022_665_DAY_BEFORE,
    amount: { months: 36 },
    from: ['placeringStart'],
    requires: ['placeringStart', 'senasteOvervagande'],
    lawAtDue: true,
    stopsWhen: 'senasteOvervagande',
    ignoreEarlyStop: true,
    basis: 'SoL (2001:453) 6 kap. 8 § 2 st.',
    lawRef: '6 kap. 8 § andra stycket socialtjänstlagen (2001:453) – när barnet har varit placerat i samma familjehem under tre år från det att placeringen verkställdes ska nämnden särskilt överväga om det finns skäl att ansöka om överflyttning av vårdnaden (vid vård enligt LVU: 13 § LVU)',
    action: 'Första övervägandet (två år i samma familjehem)',
    dueLabel: 'senast',
    verified: false,
    note: 'Dagen regeln infördes (1 juli 2003, prop. 2002/03:53) och LVU-paragrafen är inte kontrollerade mot lagtexten.',
    source: SRC.vardnadThreeYears,
  },
  {
    type: 'vardnadsoverflyttning',
    obligation: 'forsta',
    validFrom: SFS_2022_665_FIRST_DAY,
    validTo: SOL_2001_LAST_DAY,
    amount: { months: 24 },
    from: ['placeringStart'],
    requires: ['placeringStart', 'senasteOvervagande'],
    lawAtDue: true,
    stopsWhen: 'senasteOvervagande',
    ignoreEarlyStop: true,
    basis: 'SoL (2001:453) 6 kap. 8 b §',
    lawRef: '6 kap. 8 b § socialtjänstlagen (2001:453) – när barnet har varit placerat i samma familjehem under två år från det att placeringen verkställdes ska nämnden särskilt överväga om det finns skäl att ansöka om överflyttning av vårdnaden; därefter årligen (vid vård enligt LVU: motsvarande paragraf i LVU)',
    action: 'Första övervägandet (två år i samma familjehem)',
    dueLabel: 'senast',
    verified: false,
    note: 'Lagtexten i SFS 2022:665 är läst; paragrafnumret kommer ur en sekundärkälla och dagen den trädde i kraft (1 juli 2022) är inte kontrollerad.',
    source: SRC.paragraph8b,
  },
  {
    type: 'vardnadsoverflyttning',
    obligation: 'forsta',
    validFrom: SOL_2025_FIRST_DAY,
    amount: { months: 24 },
    from: ['placeringStart'],
    requires: ['placeringStart', 'senasteOvervagande'],
    lawAtDue: true,
    stopsWhen: 'senasteOvervagande',
    ignoreEarlyStop: true,
    basis: 'SoL 22 kap. 14 §; LVU 13 c §',
    lawRef: '22 kap. 14 § socialtjänstlagen (2025:400) och 13 c § LVU (1990:52) – när barnet har varit placerat i samma familjehem under två år från det att placeringen verkställdes ska nämnden särskilt överväga om det finns skäl att ansöka om överflyttning av vårdnaden (6 kap. 8 § föräldrabalken); därefter årligen',
    action: 'Första övervägandet (två år i samma familjehem)',
    dueLabel: 'senast',
    verified: true,
    note: `Lagtexten kontrollerad (SoL 22 kap. 14 §, LVU 13 c §). Ett övervägande innan barnet varit placerat i två år är inte det paragrafen kräver och stoppar inte klockan. ${NOT_CHECKED_AFTER_1501}`,
    source: `${SRC.sol2025} ; ${SRC.lvu}`,
  },
  {
    type: 'vardnadsoverflyttning',
    obligation: 'arlig',
    validFrom: SFS_2020_1260_FIRST_DAY,
    validTo: SFS_2022_665_DAY_BEFORE,
    amount: { months: 12 },
    from: ['senasteOvervagande'],
    lawAtDue: true,
    basis: 'SoL (2001:453) 6 kap. 8 § 2 st.',
    lawRef: '6 kap. 8 § andra stycket socialtjänstlagen (2001:453) – efter övervägandet om vårdnadsöverflyttning ska frågan övervägas årligen',
    action: 'Årligt övervägande',
    dueLabel: 'senast',
    verified: true,
    note: 'Kontrollerad mot ändringslagen SFS 2020:1260 (i kraft 1 mars 2021); LVU-motsvarigheten är inte kontrollerad.',
    source: SRC.sfs2020_1260,
  },
  {
    type: 'vardnadsoverflyttning',
    obligation: 'arlig',
    validFrom: SFS_2022_665_FIRST_DAY,
    validTo: SOL_2001_LAST_DAY,
    amount: { months: 12 },
    from: ['senasteOvervagande'],
    lawAtDue: true,
    basis: 'SoL (2001:453) 6 kap. 8 b §',
    lawRef: '6 kap. 8 b § socialtjänstlagen (2001:453) – efter övervägandet när barnet varit placerat i samma familjehem under två år ska frågan om vårdnadsöverflyttning övervägas årligen',
    action: 'Årligt övervägande',
    dueLabel: 'senast',
    verified: false,
    note: 'Paragrafnumret kommer ur en sekundärkälla.',
    source: SRC.paragraph8b,
  },
  {
    type: 'vardnadsoverflyttning',
    obligation: 'arlig',
    validFrom: SOL_2025_FIRST_DAY,
    amount: { months: 12 },
    from: ['senasteOvervagande'],
    lawAtDue: true,
    basis: 'SoL 22 kap. 14 §; LVU 13 c §',
    lawRef: '22 kap. 14 § socialtjänstlagen (2025:400) och 13 c § LVU (1990:52) – efter övervägandet när barnet varit placerat i samma familjehem under två år ska frågan om vårdnadsöverflyttning övervägas årligen',
    action: 'Årligt övervägande',
    dueLabel: 'senast',
    verified: true,
    note: `Lagtexten kontrollerad (SoL 22 kap. 14 §, LVU 13 c §). ${NOT_CHECKED_AFTER_1501}`,
    source: `${SRC.sol2025} ; ${SRC.lvu}`,
  },
  // --- LVU: unchanged by the new socialtjänstlag ------------------------------------------
  {
    type: 'overvagande-lvu2',
    obligation: 'overvagande',
    validFrom: LVU_FIRST_DAY,
    amount: { months: 6 },
    from: ['senasteOvervagande', 'placeringStart'],
    basis: 'LVU 13 § 1 st.',
    lawRef: '13 § första stycket lagen (1990:52) med särskilda bestämmelser om vård av unga (LVU) – vid vård enligt 2 § ska nämnden minst en gång var sjätte månad överväga om vården fortfarande behövs',
    action: 'Övervägande',
    dueLabel: 'senast',
    verified: true,
    note: 'Lagtexten kontrollerad (13 § i lydelse SFS 2022:664).',
    source: SRC.lvu,
  },
  {
    type: 'omprovning-lvu3',
    obligation: 'omprovning',
    validFrom: LVU_FIRST_DAY,
    amount: { months: 6 },
    from: ['senasteOmprovning', 'lvuBeslut'],
    basis: 'LVU 13 § 2 st.',
    lawRef: '13 § andra stycket LVU (1990:52) – vid vård enligt 3 § ska nämnden inom sex månader pröva om vården ska upphöra, och därefter fortlöpande inom sex månader från senaste prövningen',
    action: 'Omprövning',
    dueLabel: 'senast',
    verified: true,
    note:
      'Lagen räknar den första prövningen från dagen för verkställighet av vårdbeslutet; registret räknar från beslutsdagen (lvu_beslut), ' +
      'som ligger samma dag eller tidigare. Den beräknade dagen kan alltså bli tidigare än den lagliga, aldrig senare.',
    source: SRC.lvu,
  },
  {
    type: 'omedelbart-omhandertagande',
    obligation: 'understallning',
    validFrom: LVU_FIRST_DAY,
    amount: { weeks: 1 },
    from: ['lvuBeslut'],
    stopsWhen: 'understalltDatum',
    lapse: { lateAct: 'Beslutet underställdes först efter en vecka: omhändertagandet upphörde då (LVU 7 § 3 st.) och barnet saknar det skyddet.' },
    basis: 'LVU 7 §',
    lawRef: '7 § LVU (1990:52) – beslut om omedelbart omhändertagande enligt 6 § ska underställas förvaltningsrätten inom en vecka från den dag då beslutet fattades; om beslutet inte har underställts inom föreskriven tid, upphör omhändertagandet (tredje stycket)',
    action: 'Underställ förvaltningsrätten',
    dueLabel: 'senast',
    consequence: 'Underställs beslutet inte förvaltningsrätten inom en vecka upphör omhändertagandet (LVU 7 § 3 st.): barnet förlorar skyddet.',
    verified: true,
    note: 'Lagtexten kontrollerad (7 §). Tiden kan inte förlängas. En underställning efter veckan gör inte omhändertagandet giltigt igen.',
    source: SRC.lvu,
  },
  {
    type: 'omedelbart-omhandertagande',
    obligation: 'ansokan',
    validFrom: LVU_FIRST_DAY,
    amount: { weeks: 4 },
    // Without the day of verkställighet, the decision day (never later) keeps the clock on the safe side.
    from: ['omhandertagandeVerkstallt', 'lvuBeslut'],
    requires: ['lvuBeslut'],
    stopsWhen: 'ansokanInlamnad',
    lapse: { lateAct: 'Ansökan om vård kom in först efter fristen: omhändertagandet upphörde då (LVU 9 § 1) och barnet saknar det skyddet.' },
    courtExtension: {
      requested: 'forlangningBegard',
      until: 'ansokanForlangdTill',
      pending: 'Förlängning begärd i tid (LVU 8 § 2 st.): omhändertagandet upphör inte. Ange förvaltningsrättens nya sista dag (ansökan_förlängd_till).',
    },
    basis: 'LVU 8–9 §§',
    lawRef: '8 § LVU (1990:52) – ansökan om vård ska göras hos förvaltningsrätten inom fyra veckor från den dag då omhändertagandet verkställdes; förvaltningsrätten får medge förlängning av tiden; 9 § 1: omhändertagandet upphör om ansökan inte har gjorts inom tiden och förlängning inte heller har begärts',
    action: 'Ansökan om vård till förvaltningsrätten',
    dueLabel: 'senast',
    consequence: 'Omhändertagandet upphör om varken ansökan om vård eller begäran om förlängning har kommit in i tid (LVU 9 § 1): barnet förlorar skyddet.',
    verified: true,
    note:
      'Lagtexten kontrollerad (8–9 §§). Utan dag för verkställigheten räknas fyra veckor från beslutsdagen, som aldrig ligger senare. ' +
      'En förlängning som begärts i tid hindrar att omhändertagandet upphör; den dag rätten medger gäller som ny sista dag.',
    source: SRC.lvu,
  },
  {
    type: 'vard-lvu-verkstallighet',
    obligation: 'vard',
    validFrom: LVU_FIRST_DAY,
    amount: { weeks: 4 },
    from: ['lagaKraft'],
    stopsWhen: 'vardPaborjad',
    lapse: { lateAct: 'Vården påbörjades först efter fyra veckor: rättens beslut om vård hade då upphört att gälla (LVU 5 §).' },
    basis: 'LVU 5 §',
    lawRef: '5 § LVU (1990:52) – rättens beslut om vård upphör att gälla, om vården inte har påbörjats inom fyra veckor från den dag då beslutet vann laga kraft',
    action: 'Vården ska påbörjas',
    dueLabel: 'senast',
    consequence: 'Rättens beslut om vård upphör att gälla om vården inte har påbörjats inom fyra veckor från laga kraft (LVU 5 §).',
    verified: true,
    note:
      'Lagtexten kontrollerad (5 §). Tiden kan inte förlängas. Vården anses påbörjad när barnet på grund av beslutet om vård ' +
      'eller ett omedelbart omhändertagande har placerats utanför sitt eget hem (10 §): vård_påbörjad kan då ligga före laga kraft.',
    source: SRC.lvu,
  },
  {
    type: 'flyttningsforbud',
    obligation: 'provning',
    validFrom: LVU_FIRST_DAY,
    amount: { months: 3 },
    from: ['senasteOmprovning', 'lvuBeslut'],
    basis: 'LVU 26 §',
    lawRef: '26 § LVU (1990:52) – nämnden ska minst en gång var tredje månad pröva om ett flyttningsförbud fortfarande behövs',
    action: 'Prövning av flyttningsförbudet',
    dueLabel: 'senast',
    verified: true,
    source: SRC.reference,
  },
  // --- Ej verkställt beslut: the nämnd's decision -------------------------------------------
  // Three months is the limit for REPORTING to IVO, not for carrying the decision out: that is
  // due "snarast" from day one (IVO: "Tre månader är bara en tidsgräns för rapporteringen").
  {
    type: 'ej-verkstallt-beslut',
    obligation: 'rapport',
    when: { flag: 'domstol', value: false },
    validFrom: IVO_FIRST_DAY,
    validTo: SOL_2001_LAST_DAY,
    amount: { months: 3 },
    from: ['rapporteradIvo', 'avbrottDatum', 'beslutsdatum'],
    startFromLatest: true,
    requires: ['beslutsdatum'],
    stopsWhen: 'verkstalltDatum',
    restartsWhen: 'avbrottDatum',
    notice: VERKSTALLT_NOTICE,
    basis: 'SoL (2001:453) 16 kap. 6 f §; LSS 28 f §',
    lawRef: '16 kap. 6 f § socialtjänstlagen (2001:453) och 28 f § LSS – gynnande beslut som inte har verkställts inom tre månader från dagen för beslutet ska rapporteras till IVO (kvartalsvis)',
    action: REPORT_ACTION,
    dueLabel: 'rapporteras till IVO senast',
    // The decision is due "snarast" from day one; three months only bounds the report.
    urgentFromStart: true,
    consequence: SARSKILD_AVGIFT_BESLUT,
    verified: true,
    note:
      'Före den 1 juni 2013 gick rapporten till Socialstyrelsen; sådana beslut har ingen regel här. ' +
      'Särskild avgift: 28 a § LSS och 16 kap. 6 a § SoL (2001:453); SoL-paragrafen är inte kontrollerad här.',
    source: `${SRC.sol2001Kap16} ; ${SRC.lss}`,
  },
  {
    type: 'ej-verkstallt-beslut',
    obligation: 'rapport',
    when: { flag: 'domstol', value: false },
    validFrom: SOL_2025_FIRST_DAY,
    amount: { months: 3 },
    from: ['rapporteradIvo', 'avbrottDatum', 'beslutsdatum'],
    startFromLatest: true,
    requires: ['beslutsdatum'],
    stopsWhen: 'verkstalltDatum',
    restartsWhen: 'avbrottDatum',
    notice: VERKSTALLT_NOTICE,
    basis: 'SoL 34 kap. 1–2 §§; LSS 28 f–g §§',
    lawRef:
      '34 kap. 1–2 §§ socialtjänstlagen (2025:400) och 28 f–g §§ LSS – gynnande beslut som inte har verkställts inom tre månader från dagen för beslutet, eller vars verkställighet avbrutits i tre månader, ska rapporteras till IVO (kvartalsvis); IVO underrättas när beslutet verkställts. ' +
      '34 kap. 5 § 1 st. SoL och 28 a § 1 st. LSS – den som inte inom skälig tid verkställer beslutet, eller på nytt efter ett avbrott, ska betala särskild avgift; avgiften prövas av förvaltningsrätten efter ansökan av IVO (34 kap. 8 § SoL, 28 c § LSS)',
    action: REPORT_ACTION,
    dueLabel: 'rapporteras till IVO senast',
    // The decision is due "snarast" from day one; three months only bounds the report.
    urgentFromStart: true,
    consequence: SARSKILD_AVGIFT_BESLUT,
    verified: true,
    note: 'Lagtexten kontrollerad (34 kap. 1, 2, 5 och 8 §§; LSS 28 a, c, f och g §§). Ändringar efter SFS 2025:1501 respektive 2025:1494 är inte kontrollerade.',
    source: `${SRC.sol2025} ; ${SRC.lss}`,
  },
  // --- Ej verkställt: a court judgment applies at once ------------------------------------
  // The local number of days runs from the judgment, and again from an interruption of its
  // verkställighet (SoL 34 kap. 5 § 2 st.; LSS 28 a § 2 st.: "på nytt tillhandahåller"). Not time set
  // by law, so lagen (1930:173) does not move it.
  {
    type: 'ej-verkstallt-beslut',
    obligation: 'dom',
    when: { flag: 'domstol', value: true },
    validFrom: IVO_FIRST_DAY,
    validTo: SOL_2001_LAST_DAY,
    amount: { days: DEFAULT_JUDGMENT_DAYS },
    ...JUDGMENT_CLOCK,
    basis: 'SoL (2001:453) 16 kap. 6 a §; LSS 28 a §',
    lawRef: '16 kap. 6 a § socialtjänstlagen (2001:453) och 28 a § LSS – en dom som ger rätt till bistånd eller insats gäller omedelbart; dröjsmål utöver skälig tid, också med att på nytt verkställa efter ett avbrott, kan leda till särskild avgift',
    action: 'Ska verkställas omedelbart (dom)',
    dueLabel: 'enligt lokal rutin senast',
    urgentFromStart: true,
    consequence: SARSKILD_AVGIFT_DOM,
    localPolicy: true,
    verified: false,
    source: SRC.reference,
  },
  {
    type: 'ej-verkstallt-beslut',
    obligation: 'dom',
    when: { flag: 'domstol', value: true },
    validFrom: SOL_2025_FIRST_DAY,
    amount: { days: DEFAULT_JUDGMENT_DAYS },
    ...JUDGMENT_CLOCK,
    basis: 'SoL 35 kap. 5 §, 34 kap. 5 §; LSS 27 §, 28 a §',
    lawRef:
      '35 kap. 5 § socialtjänstlagen (2025:400) och 27 § LSS – en dom gäller omedelbart om inte domstolen beslutat annat; ' +
      '34 kap. 5 § 2 st. SoL och 28 a § 2 st. LSS: den som inte inom skälig tid verkställer domen, eller på nytt efter ett avbrott, ska betala särskild avgift; avgiften prövas av förvaltningsrätten efter ansökan av IVO (34 kap. 8 § SoL, 28 c § LSS)',
    action: 'Ska verkställas omedelbart (dom)',
    dueLabel: 'enligt lokal rutin senast',
    urgentFromStart: true,
    consequence: SARSKILD_AVGIFT_DOM,
    localPolicy: true,
    verified: true,
    note:
      'Antalet dagar är lokal rutin (CASEWORK_JUDGMENT_DAYS), inte lag: lagen säger att domen gäller omedelbart. Som lokal rutin flyttas dagen inte till nästa vardag. ' +
      'Efter ett avbrott räknas dagarna från avbrottet.',
    source: SRC.reference,
  },
];

/**
 * The deadline calendar of lagen (1930:173) 2 §: weekends, public holidays and the three eves the
 * act names. Build one per import or per review and pass it on: it caches the holidays per year.
 */
export function statutoryCalendar(tz: string = CASEWORK_TIME_ZONE): WorkingCalendar {
  return new WorkingCalendar({ timeZone: tz, deFactoHolidays: true });
}

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

/** The calendar day ('YYYY-MM-DD') of a moment or an ISO date in `tz`. */
export function calendarDayOf(input: string | Date, tz: string = CASEWORK_TIME_ZONE): string {
  if (typeof input === 'string') {
    // A calendar date is its own day in every zone (only checked): the review asks this for each
    // of a unit's thousands of items, where luxon's zone work was a sixth of the card's time.
    if (!isIsoDate(input)) throw new RangeError(`casework: not a date (YYYY-MM-DD): ${input}`);
    if (!IANAZone.create(tz).isValid) throw new RangeError(`casework: invalid time zone ${tz}`);
    return input;
  }
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

const ruleKey = (r: CaseworkRule) => `${r.type}/${r.obligation}`;

/** Problems in a rule list (empty when usable): periods, amounts, consistent start fields. */
export function caseworkRulesProblems(rules: readonly CaseworkRule[] = CASEWORK_RULES): string[] {
  const problems: string[] = [];
  for (const r of rules) {
    const name = `${ruleKey(r)} from ${r.validFrom}`;
    if (!isIsoDate(r.validFrom)) problems.push(`${name}: validFrom is not a date`);
    if (r.validTo !== undefined && (!isIsoDate(r.validTo) || r.validTo < r.validFrom)) problems.push(`${name}: bad validTo`);
    const units = Object.entries(r.amount).filter(([, n]) => n !== undefined);
    // Zero days is "genast" (due the day the clock starts); zero weeks or months is a slip.
    const whole = ([unit, n]: [string, number | undefined]) => Number.isInteger(n) && (n! > 0 || (unit === 'days' && n === 0));
    if (units.length !== 1 || !units.every(whole)) problems.push(`${name}: amount must be one whole number of days (≥ 0), weeks or months (> 0)`);
    if (r.from.length === 0) problems.push(`${name}: no start field`);
    if (!r.lawRef.trim()) problems.push(`${name}: no lawRef`);
    if (!r.basis.trim()) problems.push(`${name}: no basis`);
    if (r.localPolicy && !r.noWeekdayShift) problems.push(`${name}: a local policy number is not time set by law; lagen (1930:173) must not move it (noWeekdayShift)`);
    if ((r.lapse || r.courtExtension) && !r.consequence) problems.push(`${name}: a lapse needs the consequence that names it`);
  }
  for (const type of ITEM_TYPES) {
    if (!rules.some((r) => r.type === type)) problems.push(`${type}: no rule`);
  }
  for (const key of new Set(rules.map(ruleKey))) {
    const own = rules.filter((r) => ruleKey(r) === key).sort((a, b) => a.validFrom.localeCompare(b.validFrom));
    for (let i = 1; i < own.length; i++) {
      const prev = own[i - 1]!;
      const cur = own[i]!;
      if (prev.validTo === undefined || prev.validTo >= cur.validFrom) problems.push(`${key}: ${prev.validFrom} overlaps ${cur.validFrom}`);
      else if (DateTime.fromISO(prev.validTo, { zone: 'utc' }).plus({ days: 1 }).toISODate() !== cur.validFrom) {
        problems.push(`${key}: gap between ${prev.validTo} and ${cur.validFrom}`);
      }
      const shape = (r: CaseworkRule) =>
        JSON.stringify([
          r.from, r.startFromLatest ?? false, r.requires ?? null, r.when ?? null, r.extension ?? null, r.stopsWhen ?? null, r.restartsWhen ?? null,
          r.lawAtDue ?? false, r.noWeekdayShift ?? false, r.ignoreEarlyStop ?? false, Boolean(r.lapse),
          r.courtExtension ? [r.courtExtension.requested, r.courtExtension.until] : null,
          r.notice ? [r.notice.field, r.notice.reported] : null,
        ]);
      if (shape(prev) !== shape(cur)) problems.push(`${key}: start/extension/stop fields differ between ${prev.validFrom} and ${cur.validFrom}`);
    }
  }
  return problems;
}

/**
 * The rules in force on the calendar day (in `tz`) of `date`, at most one per type and obligation
 * (an obligation whose first rule starts later is absent). Throws when two rules overlap that day.
 */
export function rulesAt(
  date: string | Date,
  rules: readonly CaseworkRule[] = CASEWORK_RULES,
  tz: string = CASEWORK_TIME_ZONE,
): CaseworkRule[] {
  const day = calendarDayOf(date, tz);
  const result: CaseworkRule[] = [];
  for (const key of new Set(rules.map(ruleKey))) {
    const hits = rules.filter((r) => ruleKey(r) === key && inForce(r, day));
    if (hits.length > 1) throw new RangeError(`casework rules: ${hits.length} rules for ${key} on ${day}`);
    if (hits[0]) result.push(hits[0]);
  }
  return result;
}

/** The field and date that start an item's clock under `rule`. */
export function clockStart(item: CaseworkItem, rule: CaseworkRule): { field: DateField; date: string } | undefined {
  let best: { field: DateField; date: string } | undefined;
  for (const field of rule.from) {
    const date = item[field];
    if (!date) continue;
    // A later forstaInledd than the item's own opening is not a first opening.
    if (field === 'forstaInledd' && (item.nyUtredning || (item.utredningInledd && item.utredningInledd < date))) continue;
    if (!rule.startFromLatest) return { field, date };
    if (!best || date > best.date) best = { field, date };
  }
  return best;
}

/** The start fields of which one must be filled for the type (the import checks this). */
export function requiredStartFields(type: CaseworkItemType, rules: readonly CaseworkRule[] = CASEWORK_RULES): readonly DateField[] {
  const first = rules.find((r) => r.type === type);
  return first ? (first.requires ?? first.from) : [];
}

export interface RuleMatch {
  rule: CaseworkRule;
  start: { field: DateField; date: string };
}

function applies(item: CaseworkItem, rule: CaseworkRule): boolean {
  return rule.type === item.type && (!rule.when || Boolean(item[rule.when.flag]) === rule.when.value);
}

/**
 * Types whose every rule is urgent from the start (never "i tid" while open): the status summary
 * counts their open items as approaching from day one, as computeClock shows them.
 */
export function caseworkUrgentTypes(rules: readonly CaseworkRule[] = CASEWORK_RULES): CaseworkItemType[] {
  return ITEM_TYPES.filter((t) => {
    const of = rules.filter((r) => r.type === t);
    return of.length > 0 && of.every((r) => r.urgentFromStart);
  });
}

/**
 * The rules for an item, one per obligation: each the one in force on the day its clock started
 * (or, with `lawAtDue`, on the day it falls due). An obligation whose start date is missing or not
 * covered by a rule is left out.
 */
export function findRules(item: CaseworkItem, rules: readonly CaseworkRule[] = CASEWORK_RULES): RuleMatch[] {
  const byObligation = new Map<string, CaseworkRule[]>();
  for (const rule of rules) {
    if (!applies(item, rule)) continue;
    const own = byObligation.get(rule.obligation);
    if (own) own.push(rule);
    else byObligation.set(rule.obligation, [rule]);
  }
  const matches: RuleMatch[] = [];
  for (const own of byObligation.values()) {
    const m = own[0]!.lawAtDue ? matchByDueDay(item, own) : matchByStartDay(item, own);
    if (m) matches.push(m);
  }
  return matches;
}

/** The rule in force on the day the clock started. */
function matchByStartDay(item: CaseworkItem, own: readonly CaseworkRule[]): RuleMatch | undefined {
  for (const rule of own) {
    const start = clockStart(item, rule);
    if (start && inForce(rule, start.date)) return { rule, start };
  }
  return undefined;
}

/**
 * The earliest rule still in force on its own due day (`lawAtDue`): three years from a placement of
 * January 2021 would end after the three-year rule was replaced, so the two years then in force
 * apply. A due day before the chosen rule took effect is clamped to its first day (obligationDeadline).
 */
function matchByDueDay(item: CaseworkItem, own: readonly CaseworkRule[]): RuleMatch | undefined {
  for (const rule of [...own].sort((a, b) => a.validFrom.localeCompare(b.validFrom))) {
    const start = clockStart(item, rule);
    if (start && (rule.validTo === undefined || addAmount(start.date, rule.amount) <= rule.validTo)) return { rule, start };
  }
  return undefined;
}

/** The item's first obligation's rule (kept for callers that name one rule per item). */
export function findRule(item: CaseworkItem, rules: readonly CaseworkRule[] = CASEWORK_RULES): RuleMatch | undefined {
  return findRules(item, rules)[0];
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
  /** Lagen (1930:173) calendar; pass one per import or review (it caches). Default: a new one. */
  calendar?: WorkingCalendar;
  /** Local policy for court judgments (default 14 days). */
  judgmentDays?: number;
}

export type DeadlineOptions = Pick<CaseworkClockOptions, 'rules' | 'calendar' | 'judgmentDays' | 'timeZone'>;

/** One obligation's deadline, independent of today. */
export interface ObligationDeadline {
  obligation: string;
  /** The last day to act, 'YYYY-MM-DD', moved to a weekday by lagen (1930:173). */
  due: string;
  /** The last day before the move to a weekday (equal to `due` when none was needed). */
  nominalDue: string;
  /** The obligation is fulfilled from this day on, when recorded. */
  stopsOn?: string;
  /** True when the due day is a timely decided (or court-granted) extension's end date. */
  extended: boolean;
  /** Why a recorded extension does not count (Swedish), when it does not. */
  extensionRefused?: string;
  /** Why a recorded extension could not be judged (Swedish): the item stays on the statutory day. */
  extensionUnknown?: string;
  /**
   * What the law makes of the delay, for this item (Swedish): the rule's consequence, its
   * `lapse.lateAct` when the act came too late, or the `courtExtension.pending` text.
   */
  consequence?: string;
  /** The obligation ends a state by law when missed, and no timely request for more time prevents it. */
  lapses: boolean;
  /** What must be done now, when not the rule's own action: a notice the rule owes after its stop (`CaseworkRule.notice`). */
  action?: string;
  /** How the due day is introduced, when not the rule's own (with `action`). */
  dueLabel?: string;
  rule: CaseworkRule;
  start: { field: DateField; date: string };
}

export interface CaseworkDeadline extends ObligationDeadline {
  /** Every obligation of the item (the fields above are the stored one's: see caseworkDeadline). */
  obligations: ObligationDeadline[];
}

function obligationDeadline(item: CaseworkItem, m: RuleMatch, opts: DeadlineOptions, calendar: WorkingCalendar): ObligationDeadline {
  const tz = opts.timeZone ?? CASEWORK_TIME_ZONE;
  const { rule, start } = m;
  const amount = rule.localPolicy && opts.judgmentDays !== undefined ? { days: opts.judgmentDays } : rule.amount;
  let nominal = addAmount(start.date, amount, tz);
  // Chosen by its due day, a duty that fell due before its rule existed is due when the rule took effect.
  if (rule.lawAtDue && nominal < rule.validFrom) nominal = rule.validFrom;
  // Only time set by law moves to a weekday (lagen 1930:173); a day set in a decision is kept as set.
  const statutory = rule.noWeekdayShift ? nominal : calendar.nextWorkingDay(nominal);
  let due = statutory;
  let nominalDue = nominal;
  let extended = false;
  let extensionRefused: string | undefined;
  let extensionUnknown: string | undefined;
  let consequence = rule.consequence;
  let lapses = Boolean(rule.lapse);

  const ext = rule.extension;
  const decided = ext ? item[ext.decided] : undefined;
  const until = ext ? item[ext.until] : undefined;
  if (ext && decided && until) {
    // The deadline the latest extension had to be decided by: the statutory one, or the end of the
    // extension before it when that ran longer (a chain, each link decided in time).
    const previous = item[ext.previousUntil];
    const running = previous && previous > statutory ? previous : statutory;
    // Decided after the statutory time, within the previous extension: the chain holds only when
    // its first link was decided within the statutory time (a late first extension rescues nothing,
    // and neither does a timely second one). The export's previous link is taken as the first.
    const previousDecided = item[ext.previousDecided];
    const throughChain = decided > statutory && decided <= running;
    if (throughChain && previousDecided === undefined) {
      extensionUnknown = ext.previousUnknown;
    } else if (throughChain && previousDecided! > statutory) {
      extensionRefused = ext.previousRefused;
    } else if (decided <= running) {
      if (until > statutory) {
        nominalDue = until;
        due = until;
        extended = true;
      }
    } else if (previous || item.ingenTidigareForlangning) {
      extensionRefused = ext.refused;
    } else {
      // Decided after the statutory time, and the export shows no earlier extension either way:
      // a lawful chain and a late decision look the same here. The item stays on the statutory day
      // (no unproven extension rescues it) but is not called "decided too late".
      extensionUnknown = ext.unknown;
    }
  }

  const court = rule.courtExtension;
  if (court) {
    const granted = item[court.until];
    const requested = item[court.requested];
    if (granted && granted > statutory) {
      nominalDue = granted;
      due = granted;
      extended = true;
    }
    // A request made in time, and not the one the court already answered, keeps the state from
    // lapsing (LVU 9 § 1) until the court sets the new day.
    if (requested && requested <= due && (!extended || requested > statutory)) {
      consequence = court.pending;
      lapses = false;
    }
  }

  let stopsOn = rule.stopsWhen ? item[rule.stopsWhen] : undefined;
  const restart = rule.restartsWhen ? item[rule.restartsWhen] : undefined;
  if (stopsOn && restart && restart > stopsOn) stopsOn = undefined;
  if (stopsOn && rule.ignoreEarlyStop && stopsOn < nominal) stopsOn = undefined;
  // The state ended on the due day; doing the act afterwards does not bring it back.
  if (stopsOn && lapses && stopsOn > due) {
    stopsOn = undefined;
    consequence = rule.lapse!.lateAct;
  }
  let action: string | undefined;
  let dueLabel: string | undefined;
  const notice = rule.notice;
  if (notice && stopsOn) {
    // A report made before the latest interruption concerned the earlier verkställighet.
    const reported = item[notice.reported];
    const reportedNow = reported !== undefined && !(restart !== undefined && reported < restart) ? reported : undefined;
    if ((reportedNow !== undefined && stopsOn > reportedNow) || stopsOn > nominal) {
      // A notice from before this verkställighet was about an earlier one.
      const told = item[notice.field];
      stopsOn = told !== undefined && told >= stopsOn ? told : undefined;
      action = notice.action;
      dueLabel = notice.dueLabel;
      // Carried out: the särskild avgift is no longer the risk; what is missing is the notice.
      consequence = undefined;
    }
  }
  return {
    obligation: rule.obligation,
    due,
    nominalDue,
    ...(stopsOn ? { stopsOn } : {}),
    extended,
    ...(extensionRefused ? { extensionRefused } : {}),
    ...(extensionUnknown ? { extensionUnknown } : {}),
    ...(consequence ? { consequence } : {}),
    lapses,
    ...(action ? { action } : {}),
    ...(dueLabel ? { dueLabel } : {}),
    rule,
    start,
  };
}

/**
 * The item's deadlines, independent of today: what the store keeps (due_on, stops_on) so that
 * overdue and approaching items can be counted with an index instead of computed row by row.
 * The stored one is the earliest obligation not yet fulfilled; when all have a stop date, the one
 * that stops last. `computeClock` is this plus today; the two agree whenever the stop dates are
 * not in the future (the import refuses future dates of past events).
 *
 * Throws a RangeError when the item has no start date or no rule for it.
 */
export function caseworkDeadline(item: CaseworkItem, opts: DeadlineOptions = {}): CaseworkDeadline {
  const calendar = opts.calendar ?? statutoryCalendar(opts.timeZone ?? CASEWORK_TIME_ZONE);
  const matches = findRules(item, opts.rules ?? CASEWORK_RULES);
  if (matches.length === 0) throw new RangeError(`casework: no start date or no rule for ${item.type} (${item.caseReference})`);
  const obligations = matches.map((m) => obligationDeadline(item, m, opts, calendar));
  const open = obligations.filter((o) => !o.stopsOn).sort((a, b) => a.due.localeCompare(b.due));
  const stored = open[0] ?? [...obligations].sort((a, b) => (b.stopsOn ?? '').localeCompare(a.stopsOn ?? ''))[0]!;
  return { ...stored, obligations };
}

export interface CaseworkClock {
  /** The last day to act, 'YYYY-MM-DD' ("i tid" through the end of that day). */
  due: string;
  /** The day the law's arithmetic gives, before lagen (1930:173) moved it to a weekday. */
  nominalDue: string;
  state: CaseworkClockState;
  /** Calendar days from today to the due day: 0 on the due day, negative when overdue. */
  daysLeft: number;
  /** Short citation in force on the day evaluated, e.g. "SoL 20 kap. 3 §". */
  basis: string;
  /** The full reference in force on the day evaluated. */
  lawRef: string;
  /** False: show the reference with "(kontrollera hänvisningen)". */
  lawRefVerified: boolean;
  /** What must be done (Swedish). */
  action: string;
  /** How the due day is introduced: "senast", "rapporteras till IVO senast" … */
  dueLabel: string;
  /** The period is the municipality's own rule, not law. */
  localPolicy: boolean;
  /** Shown in red (overdue) or as a warning: what the law makes of the delay. */
  consequence?: string;
  /** Why a recorded extension does not count. */
  extensionRefused?: string;
  /**
   * Why a recorded extension could not be judged (an earlier extension the export does not show):
   * the clock stays on the statutory day; the row should show this instead of a refusal.
   */
  extensionUnknown?: string;
  /** The obligation ends a state by law (an omhändertagande, a vård decision) when missed. */
  lapses: boolean;
  obligation: string;
  /** What started the clock. */
  start: { field: DateField; date: string };
  /** True when the due day is a decided extension's end date. */
  extended: boolean;
  /** A reopened investigation (counts from the first opening). */
  reopened: boolean;
  /** The opening day a correction replaced (the register keeps it); the action names it too. */
  startCorrectedFrom?: string;
  /** The item's other overdue obligations, earliest first (the clock shows the worst one). */
  alsoOverdue?: { obligation: string; action: string; due: string }[];
}

/**
 * Where an item's clock stands today, or undefined when it is not running: the item is closed
 * (status avslutad) or every obligation's stop date (e.g. verkställt) is on or before today. A stop
 * after the due day of an obligation that lapses (LVU) is no stop: the state had already ended. The
 * most urgent running obligation is the item's clock.
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

  const rules = opts.rules ?? CASEWORK_RULES;
  const d = caseworkDeadline(item, { ...opts, timeZone: tz, rules });
  const running = d.obligations.filter((o) => !(o.stopsOn && o.stopsOn <= today)).sort((a, b) => a.due.localeCompare(b.due));
  // Among overdue obligations the earliest with a legal consequence wins, so that a lapse is never
  // hidden behind an overdue duty without one. Both LVU 6 § obligations lapse (7 § 3 st., 9 § 1):
  // an underställning missed after a week already ended the omhändertagande, so it stays the row's
  // clock and the later ansökan is listed as also overdue.
  const o = running.find((r) => r.due < today && r.consequence) ?? running[0];
  if (!o) return undefined;
  const alsoOverdue = running.filter((r) => r !== o && r.due < today).map((r) => ({ obligation: r.obligation, action: r.action ?? r.rule.action, due: r.due }));

  const daysLeft = daysBetween(today, o.due);
  let state: CaseworkClockState = daysLeft < 0 ? 'forsenad' : daysLeft <= warnDays ? 'narmar-sig' : 'i-tid';
  if (state === 'i-tid' && o.rule.urgentFromStart) state = 'narmar-sig';
  // The law in force today, for the same obligation: a clock started under SoL 2001:453 is now read under SoL 2025:400.
  const current = rules.find((r) => ruleKey(r) === ruleKey(o.rule) && inForce(r, today)) ?? o.rule;
  return {
    due: o.due,
    nominalDue: o.nominalDue,
    state,
    daysLeft,
    basis: current.basis,
    lawRef: current.lawRef,
    lawRefVerified: current.verified,
    // The review row shows the action: a corrected start day is said there, whatever card shows it.
    action: item.rattadFran ? `${o.action ?? o.rule.action} (${startCorrectedText(item.rattadFran)})` : (o.action ?? o.rule.action),
    dueLabel: o.dueLabel ?? o.rule.dueLabel,
    localPolicy: Boolean(o.rule.localPolicy),
    ...(o.consequence ? { consequence: o.consequence } : {}),
    ...(o.extensionRefused ? { extensionRefused: o.extensionRefused } : {}),
    ...(o.extensionUnknown ? { extensionUnknown: o.extensionUnknown } : {}),
    lapses: o.lapses,
    obligation: o.obligation,
    start: o.start,
    extended: o.extended,
    reopened: Boolean(item.aterOppnad),
    ...(item.rattadFran ? { startCorrectedFrom: item.rattadFran } : {}),
    ...(alsoOverdue.length ? { alsoOverdue } : {}),
  };
}

/** How a row says its start day was corrected (Swedish): the day replaced, as the register keeps it. */
export function startCorrectedText(replaced: string): string {
  return `startdag rättad från ${replaced}`;
}

/**
 * The status cards, and the only place they are built: the summary card (adaptive-cards/status.json)
 * with its Swedish wording, per-unit bars and drill-down buttons, and the "which did you mean"
 * card for a question that was not understood. The status service returns results with view
 * models (src/status/service.ts); the bot layer turns them into cards here. Numbers become strings
 * because TextBlock text must be a string.
 */
import { DateTime } from 'luxon';
import type { StatusResult, StatusView } from '../status/service';
import type { LateCase, StatusSummary, UnitStatus } from '../status/summary';
import { plural, pluralWord } from './plural';
import type { AdaptiveCard, CardRenderer } from './render';
import type { StatusTemplate } from './templates';

/** More units than this and the card shows the most urgent ones: a card gets 26 KB (MAX_CARD_BYTES). */
export const UNITS_SHOWN = 12;
/** Lex Sarah references listed as late, most urgent first. */
export const LATE_CASES_SHOWN = 8;

/**
 * The late cases the card lists, and how many it leaves out: the closing clock (local policy,
 * counted on its own row "Att avsluta") is listed after every other clock, so however many old
 * closings are late, an overdue anmälan or a BRÅDSKANDE assessment is never behind "… och N till".
 * Within each part, the summary's order (src/cases/deadline-rank.ts).
 */
export function lateCasesShown(
  late: readonly LateCase[],
  limit = LATE_CASES_SHOWN,
  count: { all: number; closing: number } = { all: late.length, closing: late.filter((c) => c.clock === 'avslut').length },
): { shown: LateCase[]; more: number; moreClosing: number } {
  // `late` may be a cut list (StatusSummary.lateCases): what is left out is counted from `count`.
  const ordered = [...late.filter((c) => c.clock !== 'avslut'), ...late.filter((c) => c.clock === 'avslut')];
  const shown = ordered.slice(0, limit);
  const shownClosing = shown.filter((c) => c.clock === 'avslut').length;
  return { shown, more: Math.max(0, count.all - shown.length), moreClosing: Math.max(0, count.closing - shownClosing) };
}

/** "… och 5 till.", or "… och 5 till, varav 3 att avsluta." */
function lateMoreText(more: number, moreClosing: number): string {
  if (more <= 0) return '';
  if (moreClosing === 0) return `… och ${more} till.`;
  return moreClosing === more ? `… och ${more} till att avsluta.` : `… och ${more} till, varav ${moreClosing} att avsluta.`;
}

/** Units most in need of attention first: overdue, then those with deadlines nobody can compute (they may be overdue), then approaching. */
export function unitsByAttention(units: readonly UnitStatus[]): UnitStatus[] {
  return [...units].sort((a, b) => b.overdue - a.overdue || b.caseworkUnjudgeable - a.caseworkUnjudgeable || b.approaching - a.approaching);
}

export interface StatusCardInput extends StatusView {
  /** At most this many units (default UNITS_SHOWN); fewer when long names would make the card too big. */
  unitsShown?: number;
}

export interface BarSegment {
  /** Relative column width (the bar's columns add up to 100). */
  weight: string;
  style: 'attention' | 'warning' | 'default';
  label: string;
}

const n = (x: number) => String(x);
const weekNo = (key: string) => Number(key.slice(-2));

/**
 * A unit's bar: overdue (red) and approaching (yellow) as shares of the largest unit's total, the
 * rest empty. Every non-zero part gets at least 1 so that it stays visible.
 */
export function unitBar(u: Pick<UnitStatus, 'overdue' | 'approaching'>, max: number): BarSegment[] {
  if (max <= 0 || u.overdue + u.approaching === 0) return [];
  const share = (x: number) => (x > 0 ? Math.max(1, Math.round((x / max) * 100)) : 0);
  let overdue = share(u.overdue);
  let approaching = share(u.approaching);
  // Rounding up small parts can push the sum past 100: take it back from the larger part.
  const excess = overdue + approaching - 100;
  if (excess > 0) {
    if (overdue >= approaching) overdue -= excess;
    else approaching -= excess;
  }
  const bar: BarSegment[] = [];
  if (overdue > 0) bar.push({ weight: n(overdue), style: 'attention', label: n(u.overdue) });
  if (approaching > 0) bar.push({ weight: n(approaching), style: 'warning', label: n(u.approaching) });
  const rest = 100 - overdue - approaching;
  if (rest > 0) bar.push({ weight: n(rest), style: 'default', label: ' ' });
  return bar;
}

/** What a late case's clock is about, in a few words. */
const LATE_WHAT: Record<LateCase['clock'], string> = {
  bedomning: 'bedömningen (lokal rutin)',
  anmalan: 'anmälan till IVO',
  utredning: 'utredningen till IVO',
  avslut: 'avslutet (lokal rutin)',
};

function lateText(c: LateCase): string {
  const what = LATE_WHAT[c.clock];
  const when = c.state === 'forsenad' ? `${plural(-c.daysLeft, 'dag', 'dagar')} sedan` : c.daysLeft === 0 ? 'senast i dag' : `om ${plural(c.daysLeft, 'dag', 'dagar')}`;
  return `${c.reference} – ${what}, ${when}`;
}

const REVIEW_TEXT = {
  klar: { text: 'klar', color: 'Good' },
  'ej-klar': { text: 'inte klar', color: 'Attention' },
  'ej-aktuell': { text: 'inte dags än', color: 'Default' },
  'ej-startad': { text: 'före starten', color: 'Default' },
} as const;

/** Said once on the card when any week was left out for being before a unit's start. */
const BEFORE_START_NOTE = 'Veckor innan påminnelserna började och innan enhetens första genomgång räknas inte.';

/** "v.46–47", or "v.47" for one week; `weeks` most recent first, as the summary lists them. */
function weekSpan(weeks: readonly string[]): string {
  if (!weeks.length) return '';
  const oldest = weekNo(weeks[weeks.length - 1]!);
  const newest = weekNo(weeks[0]!);
  return weeks.length === 1 ? `v.${newest}` : `v.${oldest}–${newest}`;
}

/** A unit's earlier weeks: "v.44–47: 3/4", or only those since its start, or nothing before it. */
function earlierWeeksText(u: UnitStatus, before: readonly string[]): string {
  const counted = u.review.countedBefore;
  if (counted <= 0) return '';
  if (counted >= before.length) return ` · ${weekSpan(before)}: ${u.review.doneBefore}/${before.length}`;
  return ` · ${weekSpan(before.slice(0, counted))}: ${u.review.doneBefore} av ${plural(counted, 'vecka', 'veckor')} sedan starten`;
}

/** The nämnd's earlier weeks: every unit-week counted, only those since the units' start, or none. */
function earlierWeeksTotal(t: StatusSummary['totals'], unitCount: number, weeks: number): string {
  if (t.reviewsCountedBefore <= 0) return 'inga veckor sedan starten';
  if (t.reviewsCountedBefore >= unitCount * weeks) return `${t.reviewsDoneBefore} av ${t.reviewsCountedBefore} gjorda`;
  return `${t.reviewsDoneBefore} av ${t.reviewsCountedBefore} gjorda (veckor före starten räknas inte)`;
}

export function statusCardData(input: StatusCardInput): StatusTemplate {
  const { scope, period, summary: s, timeZone } = input;
  const local = (d: Date) => DateTime.fromJSDate(d, { zone: timeZone }).setLocale('sv');
  const t = s.totals;
  const lastInstant = new Date(period.to.getTime() - 1);
  const range = `${local(period.from).toFormat('d LLL yyyy')} – ${local(lastInstant).toFormat('d LLL yyyy')}`;
  const cur = weekNo(s.reviewWeeks.current);
  const before = s.reviewWeeks.before;
  const beforeSpan = weekSpan(before);
  const leftOut = t.reviewsBeforeStart > 0 || t.reviewsCountedBefore < s.units.length * before.length;

  const max = Math.max(0, ...s.units.map((u) => u.overdue + u.approaching));
  const limit = input.unitsShown ?? UNITS_SHOWN;
  const ordered = s.units.length > limit ? unitsByAttention(s.units).slice(0, limit) : s.units;
  const late = lateCasesShown(s.lateCases, LATE_CASES_SHOWN, s.lateCount);
  const drill = scope.units.length > 1;
  const periodData: Pick<StatusTemplate['units'][number]['drillData'], 'from' | 'to' | 'label' | 'live'> = { from: period.from.toISOString(), to: period.to.toISOString(), label: period.label, live: input.live };

  return {
    title: `Lägesbild – ${scope.title}`,
    period: `${period.label[0]!.toUpperCase()}${period.label.slice(1)} (${range})`,
    asOf: `Läget ${local(input.now).toFormat('d LLL yyyy HH:mm')}. Öppna ärenden och tidsfrister gäller nu; nya rapporter och anmälningar gäller perioden.`,
    overdue: n(t.overdue),
    approaching: n(t.approaching),
    newReports: n(t.newReports),
    newReportsLabel: pluralWord(t.newReports, 'ny rapport', 'nya rapporter'),
    openTotal: n(t.openTotal),
    lexSarah: [
      { title: 'Nya rapporter under perioden', value: n(t.newReports) },
      {
        title: 'Öppna ärenden',
        value: `${t.openTotal} (rapporterade ${t.byState.rapporterad}, under utredning ${t.byState['under-utredning']}, bedömda ${t.byState.bedomd}, anmälda ${t.byState.anmald})`,
      },
      { title: 'Väntar på bedömning', value: `${t.assessmentsPending}, varav ${t.assessmentsOverdue} efter den lokala fristen` },
      { title: 'Anmälan till IVO att göra', value: `${t.anmalanDue + t.anmalanOverdue}, varav ${plural(t.anmalanOverdue, 'försenad', 'försenade')}` },
      { title: 'Anmälda till IVO under perioden', value: n(t.filed) },
      {
        title: 'Utredningen till IVO efter anmälan',
        // The months are a setting (INVESTIGATION_TO_IVO_MONTHS): the card names no number.
        value: `${t.investigationsDue + t.investigationsOverdue} väntar, varav ${t.investigationsOverdue} efter den lokala fristen (praxis, ej lag)`,
      },
      {
        // Decided without an anmälan, or the investigation at IVO, and still open. The days are a setting (closingDays): the card names no number.
        // Also the cases whose investigation is already at IVO: "utreda klart" would not be true of them.
        title: 'Att avsluta',
        value: `${t.closingDue + t.closingOverdue}, varav ${t.closingOverdue} efter den lokala fristen (lokal rutin, ej lag)`,
      },
      // Only when there is one: most periods have none, and the line would only say so.
      ...(s.patternAlerts && (s.patternAlerts.inPeriod || s.patternAlerts.undecided)
        ? [{ title: 'Signaler om mönster', value: `${s.patternAlerts.inPeriod} under perioden; ${s.patternAlerts.undecided} väntar på ställningstagande` }]
        : []),
    ],
    lateCases: late.shown.map((c) => ({ text: lateText(c), color: c.state === 'forsenad' ? 'Attention' : 'Warning', command: `öppna ${c.reference}` })),
    lateMore: lateMoreText(late.more, late.moreClosing),
    casework: s.caseworkByType.map((c) => ({ title: c.basis ? `${c.title} (${c.basis})` : c.title, value: `${plural(c.overdue, 'försenad', 'försenade')}, ${c.approaching} närmar sig` })),
    caseworkTotal: `${plural(t.caseworkOverdue, 'försenad', 'försenade')}, ${t.caseworkApproaching} närmar sig${t.caseworkUnjudgeable ? `, ${t.caseworkUnjudgeable} kan inte bedömas (datum saknas eller är fel i exporten)` : ''}${s.caseworkReopened ? `, ${plural(s.caseworkReopened, 'återöppnad utredning', 'återöppnade utredningar')}` : ''}`,
    reviewTitle: `Veckogenomgångar v.${cur}`,
    reviews: [
      {
        title: `v.${cur}`,
        value: `klar ${t.reviewsDone}, inte klar ${t.reviewsNotDone}, inte dags än ${t.reviewsNotYetDue}${t.reviewsBeforeStart ? `, före starten ${t.reviewsBeforeStart}` : ''} (av ${plural(s.units.length, 'enhet', 'enheter')})`,
      },
      ...(beforeSpan ? [{ title: beforeSpan, value: earlierWeeksTotal(t, s.units.length, before.length) }] : []),
      ...(leftOut ? [{ title: 'Före starten', value: BEFORE_START_NOTE }] : []),
    ],
    units: ordered.map((u) => ({
      unitId: u.unitId,
      unitName: u.unitName,
      review: `v.${cur}: ${REVIEW_TEXT[u.review.thisWeek].text}${earlierWeeksText(u, before)}`,
      reviewColor: REVIEW_TEXT[u.review.thisWeek].color,
      bar: unitBar(u, max),
      line: `Försenat ${u.overdue} · närmar sig ${u.approaching} · öppna lex Sarah ${u.openTotal} · nya ${u.newReports}${u.assessmentsOverdue ? ` · ${plural(u.assessmentsOverdue, 'obedömd rapport', 'obedömda rapporter')} efter fristen` : ''}${u.caseworkUnjudgeable ? ` · ${plural(u.caseworkUnjudgeable, 'bevakning', 'bevakningar')} kan inte bedömas` : ''}`,
      drill,
      drillData: { ...periodData, kind: 'unit' as const, id: u.unitId, back: { kind: scope.kind, id: scope.id } },
    })),
    unitsMore: s.units.length > ordered.length ? `${plural(s.units.length - ordered.length, 'enhet', 'enheter')} till visas inte (de med minst försenat). Fråga om en enhet för att se den.` : '',
    hasBack: !!input.back,
    backData: input.back ? { ...periodData, kind: input.back.kind, id: input.back.id } : {},
    unreachable: s.unreachable.people.map((p) => ({
      text: `${p.name}: ${plural(p.failures, 'utskick', 'utskick')} nådde inte fram, senast ${local(p.lastAt).toFormat('d LLL HH:mm')} (${p.lastStatus === 'no-reference' ? 'har inte appen' : 'Teams nekade'})`,
    })),
    unreachableMore: s.unreachable.total > s.unreachable.people.length ? `… och ${plural(s.unreachable.total - s.unreachable.people.length, 'person', 'personer')} till.` : '',
  };
}

/** Unit counts tried in turn: long unit names can push a big nämnd's card past Teams' size limit. */
const UNITS_TRIED = [UNITS_SHOWN, 8, 4];

/** The summary card with as many units as fit (UNITS_SHOWN, then 8, then 4, else none). */
export function statusCard(r: CardRenderer, view: StatusView): AdaptiveCard {
  for (const unitsShown of UNITS_TRIED) {
    const { card, bytes } = r.measure('status', statusCardData({ ...view, unitsShown }));
    if (bytes <= r.maxBytes) return card;
  }
  return r.render('status', statusCardData({ ...view, unitsShown: 0 }));
}

/** A question that was not understood: what was wrong, and suggestions as buttons that send them. */
export function statusQuestionCard(r: CardRenderer, message: string, suggestions: string[]): AdaptiveCard {
  return r.render('status-question', { message, suggestions: suggestions.map((s) => ({ title: s, command: s })) });
}

/** The answer to `status …` or a status button: a card, or the refusal as a message. */
export function statusAnswer(r: CardRenderer, result: StatusResult): AdaptiveCard | string {
  switch (result.kind) {
    case 'summary':
      return statusCard(r, result.view);
    case 'question':
      return statusQuestionCard(r, result.message, result.suggestions);
    case 'refused':
      return result.reason;
  }
}

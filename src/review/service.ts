/**
 * The weekly review of a unit's open investigations and decided interventions: the unit's open
 * lex Sarah cases and casework items, most urgent first, a page at a time, and "Genomgång klar",
 * which records who reviewed and when. A casework item whose deadline cannot be computed is shown
 * and counted as "kan inte bedömas" with its reason (./unjudgeable.ts), never left out. Returns
 * view models (ReviewView); the card is built from them in src/cards/review-cards.ts only.
 */
import { DateTime } from 'luxon';
import { plural } from '../cards/plural';
import { calendarDayIn, dayClockStatus, DEFAULT_CLOCK_RULES, runningClock, runningClockDueDay, type ClockRules, type RunningClock } from '../cases/clocks';
import { STATE_LABELS } from '../cases/case-service';
import { caseworkWeight, compareDeadlines, deadlineRank, lexSarahWeight, type DeadlineUrgency, type DeadlineWeight } from '../cases/deadline-rank';
import { approachingUntil, refreshStoredClocks, StoredClockFailure, storedClocksCurrent } from '../cases/stored-clocks';
import { refreshReviewRanks, reviewRanksCurrent } from '../casework/stored-ranks';
import { caseworkItemOf } from '../casework/persisted';
import { addAmount, computeClock, daysBetween, ITEM_TYPE_TITLES, statutoryCalendar } from '../casework/rules';
import type { Logger } from '../log/logger';
import type { Directory, UnitInfo } from '../org/directory';
import { guardText } from '../privacy/guard';
import { containsIdentityNumber } from '../privacy/identity-numbers';
import type { Actor } from '../reports/service';
import type { OpenCaseRecord } from '../store/cases';
import { STALE_RANK, type StoredCaseworkItem } from '../store/casework';
import type { Store } from '../store/store';
import type { WorkingCalendar } from './calendar';
import { parseWeekKey, reviewTitle, reviewWeekOf } from './schedule';
import { unjudgeableReason } from './unjudgeable';

/**
 * Items per review page: a worst-case page of 12 (each row with its legal basis and a warning)
 * fits a 26 KB card with room for long Teams user ids in `refresh`; 15 no longer did once every
 * row named its basis (test/cards/templates.test.ts measures it).
 */
export const REVIEW_PAGE_SIZE = 12;

export interface ReviewServiceDeps {
  store: Store;
  directory: () => Directory;
  logger: Logger;
  timeZone: string;
  now: () => Date;
  warnDays: number;
  calendar: WorkingCalendar;
  clockRules?: ClockRules;
  /** Local policy: days to carry out a court judgment (casework; default 14). */
  judgmentDays?: number;
}

/** How many weeks back a review can still be recorded: the reminders and the status summary look no further. */
export const REVIEW_WEEKS_BACK = 4;
const COMMENT_MAX = 1000;

/** Why a review of `weekKey` cannot be recorded now, or undefined: it must be a real ISO week, this one or a recent one. */
export function reviewWeekRefusal(weekKey: string, now: Date, timeZone: string): string | undefined {
  try {
    parseWeekKey(weekKey);
  } catch {
    return 'Veckan på knappen finns inte. Skriv "genomgång" för att börja om.';
  }
  // The current week may be reviewed early (a chef may sit down on Monday at 08:00, and the card
  // already offers the button); only a later week would silence reminders that have not come yet.
  const current = reviewWeekOf(now, timeZone).key;
  if (weekKey > current) {
    return `${reviewTitle(weekKey)} är inte aktuell än, så den kan inte markeras som klar. Skriv "genomgång" för veckans genomgång.`;
  }
  const oldest = reviewWeekOf(DateTime.fromJSDate(now, { zone: timeZone }).minus({ weeks: REVIEW_WEEKS_BACK }).toJSDate(), timeZone).key;
  if (weekKey < oldest) return `${reviewTitle(weekKey)} ligger för långt tillbaka för att markeras som klar nu.`;
  return undefined;
}

/**
 * How an item stands. 'kan-inte-bedomas': a casework item whose deadline the rules could not
 * compute from its dates; shown with the reason (never left out, or the chef sees fewer late
 * items instead of a problem), after the overdue ones the law sets and before those of local
 * policy: it may well be overdue, or lapsing (src/cases/deadline-rank.ts).
 */
export type ReviewUrgency = DeadlineUrgency;
export const REVIEW_URGENCIES: readonly ReviewUrgency[] = ['forsenad', 'kan-inte-bedomas', 'narmar-sig', 'i-tid', 'ingen-frist'];

export interface ReviewItem {
  kind: 'lex-sarah' | 'casework';
  reference: string;
  what: string;
  urgency: ReviewUrgency;
  /** ISO day the next deadline falls on, when there is one. */
  due?: string;
  daysLeft?: number;
  /** Lex Sarah: days since the report. */
  daysOpen?: number;
  /** Casework: the legal basis in force today, e.g. "SoL 20 kap. 3 §" (or "lokal rutin: …"). */
  basis?: string;
  /** Casework: how the due day reads, e.g. "rapporteras till IVO senast". Default "senast". */
  dueLabel?: string;
  /** Casework: what the law makes of the delay, why an extension does not count, or why the deadline cannot be judged (shown in red). */
  warning?: string;
  /** Who answers for it: the handläggare of a casework row, the utredare of a lex Sarah case (none when nobody is expected yet). */
  responsible?: ReviewResponsible;
  /** Lex Sarah: the report, to look its utredare up for the page shown. */
  reportId?: number;
  /** What hangs on the deadline: an overdue row is ranked by it (src/cases/deadline-rank.ts). */
  weight?: DeadlineWeight;
}

/** Who answers for an item, as far as the organisation file tells. */
export type ReviewResponsible =
  /** By the name in the organisation file (an utredare no longer in it: as recorded when appointed). */
  | { role: 'handlaggare' | 'utredare'; kind: 'named'; name: string }
  /**
   * The export names someone the organisation file does not have: their e-mail when that is what
   * the export gave (a work address, useful to the chef), never a bare Entra id.
   */
  | { role: 'handlaggare'; kind: 'unlisted'; email?: string }
  /** No handläggare in the export; no utredare appointed yet. */
  | { role: 'handlaggare' | 'utredare'; kind: 'none' };

/** People by lower-case e-mail, per directory (the directory is replaced, never changed, when the file is reloaded). */
const byEmail = new WeakMap<Directory, Map<string, string>>();

/** The handläggare of a casework row (an Entra id or an e-mail, lower-cased by the import), by their name in the organisation file. */
export function handlaggareOf(dir: Directory, handlaggare: string | undefined): ReviewResponsible {
  const who = handlaggare?.trim().toLowerCase();
  if (!who) return { role: 'handlaggare', kind: 'none' };
  let emails = byEmail.get(dir);
  if (!emails) {
    emails = new Map(dir.organisation.people.filter((p) => p.email).map((p) => [p.email!.toLowerCase(), p.name]));
    byEmail.set(dir, emails);
  }
  const name = dir.person(who)?.name ?? emails.get(who);
  if (name) return { role: 'handlaggare', kind: 'named', name };
  // Stored data is echoed only if the guard passes it: the CSV checks are not the last word on what is in the database.
  const email = who.includes('@') && !containsIdentityNumber(who) ? who : undefined;
  return { role: 'handlaggare', kind: 'unlisted', ...(email ? { email } : {}) };
}

/**
 * Most pressing first (compareDeadlines): overdue with a named legal consequence, overdue by law,
 * those that cannot be judged, overdue by local policy, approaching, in time (each by due day),
 * then the rest oldest first.
 */
export function sortReviewItems(items: ReviewItem[]): ReviewItem[] {
  return [...items].sort(
    (a, b) =>
      compareDeadlines(a, b) ||
      (b.daysOpen ?? 0) - (a.daysOpen ?? 0) ||
      a.reference.localeCompare(b.reference, 'sv'),
  );
}

/** One page of a unit's review for one week: what the review card shows. */
export interface ReviewView {
  unit: { id: string; name: string };
  weekKey: string;
  /** This page's items, most urgent first. */
  items: ReviewItem[];
  /** Over all pages. */
  counts: Record<ReviewUrgency, number>;
  /** The first page (from 0) holding a row that cannot be judged, when there is one: the header points to it. */
  unjudgeablePage?: number;
  lexSarahOpen: number;
  total: number;
  /** From 0, within the pages there are. */
  page: number;
  pageSize: number;
  /** The recorded review, when the week is done. */
  done?: { by: string; at: Date; comment: string };
  notice: string;
  /** Teams user ids whose copies refresh (a shared card); empty for a card for the clicker only. */
  refreshUserIds: string[];
  timeZone: string;
}

/** The answer to a review button: the card to show, or why not. */
export type ReviewResult = { kind: 'review'; view: ReviewView } | { kind: 'refused'; reason: string };

/** The answer to "genomgång": a review per unit the person leads, or why not. */
export type ReviewsResult = { kind: 'reviews'; views: ReviewView[] } | { kind: 'refused'; reason: string };

const refused = (reason: string) => ({ kind: 'refused' as const, reason });

export function isoWeekKey(at: Date, tz: string): { key: string; week: number } {
  const d = DateTime.fromJSDate(at, { zone: tz });
  return { key: `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`, week: d.weekNumber };
}

/** What a lex Sarah row says runs: the clock, and that its number of days is local policy. */
function lexSarahWhat(run: RunningClock, stateLabel: string, rules: ClockRules): string {
  switch (run.clock) {
    case 'bedomning':
      return `${stateLabel}; bedömning${run.urgent ? ' (brådskande)' : ''} enligt lokal rutin`;
    case 'anmalan':
      return 'Anmälan till IVO snarast (lokal rutin)';
    case 'utredning':
      return `Utredningen till IVO (lokal rutin/praxis: ${plural(rules.investigationToIvoMonths, 'månad', 'månader')} efter anmälan)`;
    case 'avslut': {
      const since = run.since === 'beslut' ? 'beslutet att ingen anmälan behövs' : 'att utredningen kom till IVO';
      return `Ärendet ska avslutas (lokal rutin: inom ${plural(rules.closingDays, 'dag', 'dagar')} efter ${since})`;
    }
  }
}

/** What every row of one review is computed with. */
interface ItemContext {
  today: string;
  rules: ClockRules;
  dayOf: (at: Date) => string;
  calendar: WorkingCalendar;
  dir: Directory;
}

/** The unit's rows sharing a rank (src/cases/deadline-rank.ts) and a due day, of each kind. */
interface RankGroup {
  rank: number;
  due: string;
  n: number;
  lexSarah: number;
  casework: number;
}

/** One page of a unit's review, with the counts over all pages. */
export interface RankedPage {
  items: ReviewItem[];
  counts: Record<ReviewUrgency, number>;
  total: number;
  lexSarahOpen: number;
  page: number;
  unjudgeablePage?: number;
}

/** What each rank the store counts by means on the card (deadlineRank's numbers). */
const URGENCY_OF_RANK: Readonly<Record<number, ReviewUrgency>> = { 0: 'forsenad', 1: 'forsenad', 2: 'kan-inte-bedomas', 3: 'forsenad', 4: 'narmar-sig', 5: 'i-tid', 6: 'ingen-frist' };

export class ReviewService {
  /** Lagen (1930:173)'s calendar for the casework clocks: one per service, so its memo of working days lasts (a new one per turn cost more than the page). */
  private readonly statutory: WorkingCalendar;

  /** The calendar day of an instant in the service's zone: one per service, as its Intl formatter costs more to make than a page's rows to compute. */
  private readonly dayOf: (at: Date) => string;

  constructor(private readonly deps: ReviewServiceDeps) {
    this.statutory = statutoryCalendar(deps.timeZone);
    this.dayOf = calendarDayIn(deps.timeZone);
  }

  /** What every item of one review is computed with. */
  private context(): ItemContext {
    return {
      today: this.dayOf(this.deps.now()),
      rules: this.deps.clockRules ?? DEFAULT_CLOCK_RULES,
      // By calendar day: the same due day and status as runningClockDue + clockStatus
      // (test/cases/clocks.test.ts), without a luxon instant per case: a unit may hold a thousand.
      dayOf: this.dayOf,
      calendar: this.statutory,
      dir: this.deps.directory(),
    };
  }

  /** One open lex Sarah case as a review row. */
  private lexSarahItem(c: OpenCaseRecord, ctx: ItemContext): ReviewItem {
    const { today, rules, dayOf } = ctx;
    const daysOpen = daysBetween(dayOf(c.createdAt), today);
    // An unassessed report runs the assessment clock from receipt, and a decided or filed one the
    // anmälan, the investigation or the closing: an open case is never "no deadline".
    const run = runningClock(c);
    const dueDay = run ? runningClockDueDay(run, this.deps.calendar, dayOf, rules) : undefined;
    const what = run ? lexSarahWhat(run, STATE_LABELS[c.state], rules) : STATE_LABELS[c.state];
    const st = run && dueDay ? dayClockStatus(dueDay, today, rules, run.clock) : undefined;
    return {
      kind: 'lex-sarah',
      reference: c.reference,
      what: `Lex Sarah: ${what}`,
      urgency: st ? st.state : 'ingen-frist',
      ...(dueDay ? { due: dueDay, daysLeft: st!.daysLeft } : {}),
      daysOpen,
      reportId: c.reportId,
      ...(run ? { weight: lexSarahWeight(run) } : {}),
      // Before an investigation, nobody is appointed yet: said so (the page's utredare are looked up in view()).
      ...(c.state === 'rapporterad' ? { responsible: { role: 'utredare' as const, kind: 'none' as const } } : {}),
    };
  }

  /** One open casework item as a review row; undefined when it runs no clock. */
  private caseworkItem(w: StoredCaseworkItem, ctx: ItemContext): ReviewItem | undefined {
    const { today, calendar, dir } = ctx;
    const item = caseworkItemOf(w);
    // A known type's title; never the raw code of one the rules do not know (item values stay off the card).
    const title = ITEM_TYPE_TITLES[item.type] ?? 'Okänd ärendetyp';
    let clock;
    try {
      clock = computeClock(item, { today, warnDays: this.deps.warnDays, timeZone: this.deps.timeZone, calendar, ...(this.deps.judgmentDays !== undefined ? { judgmentDays: this.deps.judgmentDays } : {}) });
    } catch (err) {
      this.deps.logger.warn({ event: 'casework-clock-failed', source: w.source, id: w.id, reason: (err as Error).message }, 'a casework item has no computable clock');
      // Shown and counted, with what to correct: a row left out would read as one fewer late item.
      return {
        kind: 'casework',
        reference: w.caseReference,
        what: `${title}: tidsfristen kan inte bedömas`,
        urgency: 'kan-inte-bedomas',
        warning: unjudgeableReason(item),
        responsible: handlaggareOf(dir, w.handlaggare),
      };
    }
    if (!clock) return undefined;
    const warning = clock.extensionRefused ?? clock.extensionUnknown ?? (clock.state !== 'i-tid' ? clock.consequence : undefined);
    return {
      kind: 'casework',
      reference: w.caseReference,
      what: `${title}${clock.reopened ? ' (återöppnad)' : ''}${clock.extended ? ' (förlängd)' : ''}: ${clock.action}${clock.alsoOverdue ? `; även försenat: ${clock.alsoOverdue.map((a) => a.action).join(', ')}` : ''}`,
      urgency: clock.state,
      due: clock.due,
      daysLeft: clock.daysLeft,
      basis: `${clock.basis}${clock.lawRefVerified ? '' : ' (kontrollera hänvisningen)'}${clock.localPolicy ? '; antalet dagar är lokal rutin, inte lag' : ''}`,
      dueLabel: clock.dueLabel,
      ...(warning ? { warning } : {}),
      responsible: handlaggareOf(dir, w.handlaggare),
      weight: caseworkWeight(clock),
    };
  }

  /**
   * The unit's open items with their clocks, sorted: every one computed. The reference the paged
   * review (reviewPage()) is held equal to, and what it falls back on.
   */
  async items(unitId: string): Promise<ReviewItem[]> {
    const ctx = this.context();
    const items: ReviewItem[] = (await this.deps.store.cases.listOpenCases([unitId])).map((c) => this.lexSarahItem(c, ctx));
    for (const w of await this.deps.store.casework.listOpen([unitId])) {
      const item = this.caseworkItem(w, ctx);
      if (item) items.push(item);
    }
    return sortReviewItems(items);
  }

  /**
   * One page of the unit's review and the counts over all, as items() sorted and cut would give
   * them, from the stored clocks and ranks (issue #14): the store counts the unit's rows per (rank,
   * due day); only the rows of the groups the page falls in are read and computed, then sorted as
   * items() sorts. Should the rows read not match the counts (a change in between, or a rank that
   * is wrong), the page is computed the full way and that is logged.
   */
  async reviewPage(unitId: string, page: number): Promise<RankedPage> {
    const { store } = this.deps;
    const ctx = this.context();
    const { today, rules } = ctx;
    const warnUntil = addAmount(today, { days: this.deps.warnDays });
    const clockQuery = { today, approachingUntil: approachingUntil(today, rules) };
    const count = () => Promise.all([store.cases.clockRankCounts(unitId, clockQuery), store.casework.reviewRankCounts(unitId, today, warnUntil)]);
    // Counted first: a refresh reads the stale rows, and after a unit's first review of the day there are none.
    let counted = (await this.storedCurrent()) ? await count() : undefined;
    if (!counted || counted.some((c) => c.some((g) => g.rank === STALE_RANK))) {
      try {
        await refreshStoredClocks({ store, calendar: this.deps.calendar, rules, logger: this.deps.logger }, [unitId]);
      } catch (err) {
        // A case whose clock cannot be computed: the full way shows what it can (as before the stored clocks).
        if (!(err instanceof StoredClockFailure)) throw err;
        return this.reviewPageComputed(unitId, page);
      }
      await this.refreshRanks(unitId, today);
      counted = await count();
    }
    const [cases, caseworkRanks] = counted;
    // Rows whose stored rank or clock does not hold (written or forgotten since the refresh, by
    // another instance or an import): their place is not known, so this page is computed in full.
    if ([...cases, ...caseworkRanks].some((g) => g.rank === STALE_RANK)) {
      this.deps.logger.info({ event: 'review-ranks-stale', unitId }, 'stored ranks or clocks did not hold when counted (rows changed meanwhile, or counts the store cannot place): the page is computed in full');
      return this.reviewPageComputed(unitId, page);
    }
    const perRank = new Map<number, { n: number; lexSarah: number }>();
    for (const [g, lexSarah] of [...cases.map((g) => [g, g.n] as const), ...caseworkRanks.map((g) => [g, 0] as const)]) {
      const r = perRank.get(g.rank) ?? perRank.set(g.rank, { n: 0, lexSarah: 0 }).get(g.rank)!;
      r.n += g.n;
      r.lexSarah += lexSarah;
    }
    const ranks = [...perRank.keys()].sort((a, b) => a - b);
    const total = ranks.reduce((n, r) => n + perRank.get(r)!.n, 0);
    const counts = Object.fromEntries(REVIEW_URGENCIES.map((u) => [u, 0])) as Record<ReviewUrgency, number>;
    for (const r of ranks) counts[URGENCY_OF_RANK[r] ?? 'ingen-frist'] += perRank.get(r)!.n;
    const lexSarahOpen = ranks.reduce((n, r) => n + perRank.get(r)!.lexSarah, 0);
    const unjudgeableAt = perRank.has(2) ? ranks.filter((r) => r < 2).reduce((n, r) => n + perRank.get(r)!.n, 0) : undefined;
    const p = Math.min(Math.max(0, page), Math.max(0, Math.ceil(total / REVIEW_PAGE_SIZE) - 1));
    const start = p * REVIEW_PAGE_SIZE;
    const end = start + REVIEW_PAGE_SIZE;
    // The ranks the page falls in, and where the first of them starts; only their groups per due day are read.
    const pageRanks: number[] = [];
    let first = 0;
    for (let pos = 0, i = 0; i < ranks.length && pos < end; pos += perRank.get(ranks[i]!)!.n, i++) {
      if (pos + perRank.get(ranks[i]!)!.n <= start) continue;
      if (!pageRanks.length) first = pos;
      pageRanks.push(ranks[i]!);
    }
    const [caseGroups, caseworkGroups] = pageRanks.length
      ? await Promise.all([store.cases.clockGroups(unitId, clockQuery, pageRanks), store.casework.reviewGroups(unitId, today, warnUntil, pageRanks)])
      : [[], []];
    const byKey = new Map<string, RankGroup>();
    for (const [g, kind] of [...caseGroups.map((g) => [g, 'lexSarah'] as const), ...caseworkGroups.map((g) => [g, 'casework'] as const)]) {
      const key = `${g.rank}|${g.due}`;
      const group = byKey.get(key) ?? byKey.set(key, { rank: g.rank, due: g.due, n: 0, lexSarah: 0, casework: 0 }).get(key)!;
      group.n += g.n;
      group[kind] += g.n;
    }
    const groups = [...byKey.values()].sort((a, b) => a.rank - b.rank || (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
    // The per-day groups must add up to the ranks' counts (a change in between would not).
    const groupSum = (r: number) => groups.filter((g) => g.rank === r).reduce((n, g) => n + g.n, 0);
    const off = pageRanks.find((r) => groupSum(r) !== perRank.get(r)!.n);
    if (off !== undefined) {
      this.deps.logger.warn({ event: 'review-rank-mismatch', unitId, rank: off, counted: perRank.get(off)!.n, grouped: groupSum(off) }, "the unit's rank counts and groups did not agree (changed meanwhile?): the page is computed in full");
      return this.reviewPageComputed(unitId, page);
    }
    // The groups the page falls in.
    const wanted: RankGroup[] = [];
    for (let pos = first, i = 0; i < groups.length && pos < end; pos += groups[i]!.n, i++) {
      if (pos + groups[i]!.n <= start) continue;
      if (!wanted.length) first = pos;
      wanted.push(groups[i]!);
    }
    const of = (kind: 'lexSarah' | 'casework') => wanted.filter((g) => g[kind] > 0);
    const [caseRows, caseworkRows] = await Promise.all([
      store.cases.openCasesByClockDue(unitId, [...new Set(of('lexSarah').map((g) => g.due))]),
      store.casework.openByReviewDue(unitId, of('casework').map(({ rank, due }) => ({ rank, due }))),
    ]);
    const groupOf = (i: ReviewItem) => `${deadlineRank(i)}|${i.due ?? ''}`;
    const wantedKeys = new Map(wanted.map((g) => [`${g.rank}|${g.due}`, g.n]));
    const rows: ReviewItem[] = [];
    const found = new Map<string, number>();
    for (const item of [...caseRows.map((c) => this.lexSarahItem(c, ctx)), ...caseworkRows.map((w) => this.caseworkItem(w, ctx))]) {
      if (!item || !wantedKeys.has(groupOf(item))) continue;
      rows.push(item);
      found.set(groupOf(item), (found.get(groupOf(item)) ?? 0) + 1);
    }
    const mismatch = [...wantedKeys].find(([k, n]) => found.get(k) !== n);
    if (mismatch) {
      this.deps.logger.warn({ event: 'review-rank-mismatch', unitId, group: mismatch[0], counted: mismatch[1], found: found.get(mismatch[0]) ?? 0 }, "the stored ranks did not match the unit's rows (changed meanwhile?): the page is computed in full");
      return this.reviewPageComputed(unitId, page);
    }
    // Another instance on other settings may have re-ranked the unit between the check and the
    // count (its own basis then stands): what was counted is not this service's ranking.
    if (!(await this.storedCurrent())) {
      this.deps.logger.info({ event: 'review-ranks-stale', unitId }, 'the stored ranks or clocks were recomputed under other settings while the review was read: the page is computed in full');
      return this.reviewPageComputed(unitId, page);
    }
    const sorted = sortReviewItems(rows);
    return { items: sorted.slice(start - first, end - first), counts, total, lexSarahOpen, page: p, ...(unjudgeableAt !== undefined ? { unjudgeablePage: Math.floor(unjudgeableAt / REVIEW_PAGE_SIZE) } : {}) };
  }

  /** Whether both the stored clocks and the stored ranks were computed under this service's settings. */
  private async storedCurrent(): Promise<boolean> {
    const { store, calendar, clockRules, timeZone, judgmentDays } = this.deps;
    const [clocks, ranks] = await Promise.all([
      storedClocksCurrent({ store, calendar, ...(clockRules ? { rules: clockRules } : {}) }),
      reviewRanksCurrent({ store, timeZone, ...(judgmentDays !== undefined ? { judgmentDays } : {}) }),
    ]);
    return clocks && ranks;
  }

  /** The unit's casework ranks that do not hold on `today`, computed and stored. */
  private refreshRanks(unitId: string, today: string): Promise<number> {
    const { store, timeZone, logger, judgmentDays } = this.deps;
    return refreshReviewRanks({ store, timeZone, calendar: this.statutory, logger, ...(judgmentDays !== undefined ? { judgmentDays } : {}) }, [unitId], today);
  }

  /** The page the full way: every item computed, sorted and cut (items()). */
  async reviewPageComputed(unitId: string, page: number): Promise<RankedPage> {
    const all = await this.items(unitId);
    const p = Math.min(Math.max(0, page), Math.max(0, Math.ceil(all.length / REVIEW_PAGE_SIZE) - 1));
    const counts = Object.fromEntries(REVIEW_URGENCIES.map((u) => [u, all.filter((i) => i.urgency === u).length])) as Record<ReviewUrgency, number>;
    const firstUnjudgeable = all.findIndex((i) => i.urgency === 'kan-inte-bedomas');
    return {
      items: all.slice(p * REVIEW_PAGE_SIZE, (p + 1) * REVIEW_PAGE_SIZE),
      counts,
      total: all.length,
      lexSarahOpen: all.filter((i) => i.kind === 'lex-sarah').length,
      page: p,
      ...(firstUnjudgeable >= 0 ? { unjudgeablePage: Math.floor(firstUnjudgeable / REVIEW_PAGE_SIZE) } : {}),
    };
  }

  /** The unit's open casework items as the review lists them, and how many are overdue: what the weekly overdue-share rule keeps for the week. */
  async caseworkNow(unitId: string): Promise<{ items: number; overdue: number }> {
    const { today } = this.context();
    const warnUntil = addAmount(today, { days: this.deps.warnDays });
    const stale = (ranks: { rank: number }[]) => ranks.some((g) => g.rank === STALE_RANK);
    let ranks = (await this.storedCurrent()) ? await this.deps.store.casework.reviewRankCounts(unitId, today, warnUntil) : undefined;
    if (!ranks || stale(ranks)) {
      await this.refreshRanks(unitId, today);
      ranks = await this.deps.store.casework.reviewRankCounts(unitId, today, warnUntil);
    }
    if (stale(ranks)) {
      // Rows changed meanwhile: counted the full way, never as missing.
      const casework = (await this.items(unitId)).filter((i) => i.kind === 'casework');
      return { items: casework.length, overdue: casework.filter((i) => i.urgency === 'forsenad').length };
    }
    return { items: ranks.reduce((n, g) => n + g.n, 0), overdue: ranks.filter((g) => URGENCY_OF_RANK[g.rank] === 'forsenad').reduce((n, g) => n + g.n, 0) };
  }

  /**
   * The utredare of the page's lex Sarah cases, by their name in the organisation file (else as
   * recorded). Only for the page shown: the open-case list does not carry them (one read per case).
   */
  private async withUtredare(items: ReviewItem[]): Promise<ReviewItem[]> {
    const dir = this.deps.directory();
    return Promise.all(
      items.map(async (i) => {
        if (i.kind !== 'lex-sarah' || i.reportId === undefined || i.responsible) return i;
        const utredare = (await this.deps.store.cases.get(i.reportId)).utredare;
        if (!utredare) return i;
        return { ...i, responsible: { role: 'utredare' as const, kind: 'named' as const, name: dir.person(utredare.entraId)?.name ?? utredare.name } };
      }),
    );
  }

  /** Teams ids of the unit's chefs: their copies of the card refresh to the current state when opened. */
  private async refreshUserIds(unit: UnitInfo): Promise<string[]> {
    const ids: string[] = [];
    for (const chef of this.deps.directory().unitChefs(unit.id)) {
      const ref = (await this.deps.store.conversations.listForUser(chef.entraId)).find((r) => r.active && r.scope === 'personal');
      if (ref) ids.push(ref.userId);
    }
    return ids.slice(0, 60); // Teams' limit for refresh.userIds
  }

  /**
   * One page of the review. `shared` views (the reminder, the recorded review) refresh for every
   * chef of the unit and replace the message for all; a page or a personal notice is for the clicker only.
   */
  async view(unit: UnitInfo, weekKey: string, page = 0, notice = '', shared = true): Promise<ReviewView> {
    const ranked = await this.reviewPage(unit.id, page);
    const done = await this.deps.store.cases.getReview(unit.id, weekKey);
    return {
      unit: { id: unit.id, name: unit.name },
      weekKey,
      items: await this.withUtredare(ranked.items),
      counts: ranked.counts,
      ...(ranked.unjudgeablePage !== undefined ? { unjudgeablePage: ranked.unjudgeablePage } : {}),
      lexSarahOpen: ranked.lexSarahOpen,
      total: ranked.total,
      page: ranked.page,
      pageSize: REVIEW_PAGE_SIZE,
      ...(done ? { done: { by: done.doneBy.name, at: done.doneAt, comment: done.comment ?? '' } } : {}),
      notice,
      refreshUserIds: shared ? await this.refreshUserIds(unit) : [],
      timeZone: this.deps.timeZone,
    };
  }

  /** `genomgång`: a review per unit the person leads, or a polite answer saying what they can do instead. */
  async onDemand(actor: Actor): Promise<ReviewsResult> {
    const units = this.deps.directory().unitsLedBy(actor.entraId);
    const { key } = isoWeekKey(this.deps.now(), this.deps.timeZone);
    if (!units.length) {
      await this.audit(actor, 'review.denied', 'none', `week=${key} reason=not-enhetschef`);
      return refused('Veckogenomgången görs av enhetschefer för sina enheter. Du kan skriva "rapportera" för att lämna en lex Sarah-rapport eller "mina rapporter" för att se dina egna.');
    }
    const views: ReviewView[] = [];
    for (const u of units) {
      views.push(await this.view(u, key));
      await this.audit(actor, 'review.read', u.id, `week=${key}`);
    }
    return { kind: 'reviews', views };
  }

  /** The review card lists case references: every read and every refusal is audited (ids only). */
  private async audit(actor: Actor, action: string, unitId: string, detail: string): Promise<void> {
    await this.deps.store.audit.append({ at: this.deps.now(), actorEntraId: actor.entraId, action, entityType: 'unit', entityRef: unitId.slice(0, 200) || 'none', detail });
  }

  /** The unit the person leads named on the card, or a refusal (audited). */
  private async unitOrRefusal(actor: Actor, data: Record<string, unknown>, what: string, refusal: string): Promise<UnitInfo | string> {
    const unitId = typeof data.unitId === 'string' ? data.unitId : '';
    const unit = this.deps.directory().unitsLedBy(actor.entraId).find((u) => u.id === unitId);
    if (unit) return unit;
    await this.audit(actor, 'review.denied', this.deps.directory().unit(unitId)?.id ?? 'unknown', `action=${what} reason=not-enhetschef`);
    return refusal;
  }

  /** The week on the card, when it is a real ISO week; otherwise undefined. */
  private static week(data: Record<string, unknown>): string | undefined {
    const weekKey = typeof data.week === 'string' ? data.week : '';
    try {
      return parseWeekKey(weekKey).key;
    } catch {
      return undefined;
    }
  }

  async page(actor: Actor, data: Record<string, unknown>): Promise<ReviewResult> {
    const unit = await this.unitOrRefusal(actor, data, 'page', 'Du kan bara se veckogenomgången för enheter där du är enhetschef.');
    if (typeof unit === 'string') return refused(unit);
    const weekKey = ReviewService.week(data);
    if (!weekKey) return refused('Veckan på knappen finns inte. Skriv "genomgång" för att börja om.');
    const page = Number.isSafeInteger(Number(data.page)) ? Number(data.page) : 0;
    const view = await this.view(unit, weekKey, page, '', false);
    await this.audit(actor, 'review.read', unit.id, `week=${weekKey} page=${Math.max(0, page)}`);
    return { kind: 'review', view };
  }

  /** "Påminn mig senare": in two hours, or at 08:00 on the next working day. */
  async snooze(actor: Actor, data: Record<string, unknown>): Promise<ReviewResult> {
    const unit = await this.unitOrRefusal(actor, data, 'snooze', 'Du kan bara få påminnelser om veckogenomgången för enheter där du är enhetschef.');
    if (typeof unit === 'string') return refused(unit);
    const weekKey = ReviewService.week(data);
    if (!weekKey) return refused('Veckan på knappen finns inte. Skriv "genomgång" för att börja om.');
    const now = DateTime.fromJSDate(this.deps.now(), { zone: this.deps.timeZone });
    const until =
      data.when === 'morning'
        ? DateTime.fromISO(`${this.deps.calendar.addWorkingDays(now.toISODate()!, 1)}T08:00`, { zone: this.deps.timeZone })
        : now.plus({ hours: 2 });
    await this.deps.store.cases.snoozeReview({ unitId: unit.id, weekKey, entraId: actor.entraId, until: until.toJSDate() });
    return { kind: 'review', view: await this.view(unit, weekKey, 0, `Jag påminner dig ${until.setLocale('sv').toFormat('cccc d LLL HH:mm')}.`, false) };
  }

  /** "Genomgång klar": records who and when (the first record wins) and shows the updated card. */
  async done(actor: Actor, data: Record<string, unknown>): Promise<ReviewResult> {
    const unit = await this.unitOrRefusal(actor, data, 'done', 'Bara enhetens enhetschef kan markera veckogenomgången som klar.');
    if (typeof unit === 'string') return refused(unit);
    // Only a week that is due: a future or made-up week marked done would silence its reminders.
    const weekText = typeof data.week === 'string' ? data.week : '';
    const refusal = reviewWeekRefusal(weekText, this.deps.now(), this.deps.timeZone);
    if (refusal) {
      await this.audit(actor, 'review.denied', unit.id, `action=done reason=week-not-due`);
      return refused(refusal);
    }
    const weekKey = weekText;
    const comment = typeof data.comment === 'string' ? data.comment.trim() : '';
    // A message rather than a new card: Teams keeps the typed comment in the card for the fix.
    const guarded = guardText(comment, 'Kommentar');
    if (!guarded.ok) return refused(guarded.message);
    // Refused, never cut: a cut after the identity check could make a number at the end.
    if (comment.length > COMMENT_MAX) return refused(`Kommentaren får vara högst ${COMMENT_MAX} tecken. Korta ned den och tryck Genomgång klar igen.`);
    const name = this.deps.directory().person(actor.entraId)?.name ?? actor.name;
    const { created } = await this.deps.store.cases.recordReview({
      unitId: unit.id,
      weekKey,
      doneBy: { entraId: actor.entraId, name },
      doneAt: this.deps.now(),
      ...(comment ? { comment } : {}),
    });
    this.deps.logger.info({ event: created ? 'review-done' : 'review-already-done', unit: unit.id, week: weekKey }, 'weekly review recorded');
    return { kind: 'review', view: await this.view(unit, weekKey) };
  }
}

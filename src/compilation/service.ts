/**
 * The nämnd's lex Sarah sammanställning (issue #16): "sammanställning 2026", "sammanställning i år"
 * (the status question's periods), for a nämnd's chef or lex Sarah-samordnare, one view per nämnd.
 * Counts, names from the organisation file and references only: never report text. The figures
 * come from one stored aggregate per figure (store.compilation) and src/compilation/figures.ts;
 * the card (src/cards/compilation-cards.ts) and the XLSX file (./xlsx.ts) render the same view.
 */
import { DateTime } from 'luxon';
import { OUTCOMES, type Outcome } from '../assessment/rules';
import { ITEM_TYPE_TITLES, type CaseworkItemType } from '../casework/rules';
import type { Logger } from '../log/logger';
import type { Directory } from '../org/directory';
import type { Committee } from '../org/schema';
import { PATTERN_DECISIONS } from '../patterns/view';
import type { PatternRuleId } from '../patterns/rules';
import { CATEGORIES, type Category } from '../reports/categories';
import type { Actor } from '../reports/service';
import type { WorkingCalendar } from '../review/calendar';
import { reviewRemindersStartedAt, unitsSeenFrom } from '../review/epoch';
import { DEFAULT_REVIEW_SCHEDULE, reviewDueMemo, type ReviewSchedule } from '../review/schedule';
import { isoWeekKey } from '../review/service';
import { parseStatusQuestion, type StatusPeriod } from '../status/question';
import { calendarDayIn } from '../cases/clocks';
import type { Store } from '../store/store';
import { compilationFigures, type CompilationFigures } from './figures';

export interface CompilationDeps {
  store: Store;
  directory: () => Directory;
  logger: Logger;
  timeZone: string;
  now: () => Date;
  calendar: WorkingCalendar;
  scheduleFor?: (unitId: string) => ReviewSchedule | undefined;
}

/** The longest question kept for the file's button. */
export const QUESTION_MAX = 200;

/** The most pattern alerts a sammanställning lists (the card names fewer; the file all of these). */
export const ALERTS_LISTED = 10_000;

/** One nämnd's sammanställning, as the card and the file show it. */
export interface CompilationView {
  committeeId: string;
  committeeName: string;
  municipality: string;
  period: StatusPeriod;
  /** What was asked after the command ("2026", "första halvåret"): the file's button asks it again. */
  question: string;
  generatedAt: Date;
  timeZone: string;
  figures: CompilationFigures;
  /** Names for the ids and codes in the figures. */
  unitNames: Map<string, string>;
  categoryLabel: (code: string) => string;
  outcomeLabel: (code: string) => string;
  caseworkLabel: (code: string) => string;
  alerts: {
    total: number;
    byRule: Map<PatternRuleId, number>;
    decided: Map<string, number>;
    undecided: number;
    /** Up to ALERTS_LISTED, oldest first: rule, scope name, period, decision label. */
    listed: { id: number; rule: PatternRuleId; scopeName: string; period: string; decision: string }[];
  };
}

export type CompilationResult =
  | { kind: 'compilations'; views: CompilationView[] }
  | { kind: 'question'; message: string; suggestions: string[] }
  | { kind: 'refused'; reason: string };

export const NO_COMPILATION_ACCESS =
  'Sammanställningen är för nämndens chef och lex Sarah-samordnare. Du kan skriva "status" för en lägesbild, om du är enhetschef, eller "mina rapporter".';

/** Review due moments remembered by a service (a few schedules × the weeks of the periods asked about). */
const DUE_MEMO_MAX = 20_000;

export class CompilationService {
  /** A week's review due moment under a schedule: the same few schedules over the same weeks for every nämnd and every question. */
  private readonly dueAt: (schedule: ReviewSchedule, weekKey: string) => Date;

  constructor(private readonly deps: CompilationDeps) {
    this.dueAt = reviewDueMemo(deps.calendar, deps.timeZone, DUE_MEMO_MAX);
  }

  /** The nämnder the person may compile: where they are chef or samordnare. */
  committeesOf(actor: Actor): Committee[] {
    const dir = this.deps.directory();
    return [...new Map([...dir.committeesWhere(actor.entraId, 'chef'), ...dir.committeesWhere(actor.entraId, 'samordnare')].map((c) => [c.id, c])).values()];
  }

  /** "sammanställning <period>" (or a nämnd's name and a period); no period means this year so far. */
  async ask(actor: Actor, args: string): Promise<CompilationResult> {
    const committees = this.committeesOf(actor);
    if (!committees.length) return { kind: 'refused', reason: NO_COMPILATION_ACCESS };
    const now = this.deps.now();
    const question = args.trim().slice(0, QUESTION_MAX);
    const parsed = this.parse(question, committees, now);
    if (!parsed.ok) return { kind: 'question', message: parsed.message, suggestions: parsed.suggestions.map((s) => s.replace(/^status\b/, 'sammanställning')) };
    const chosen = parsed.scope ? committees.filter((c) => c.id === parsed.scope!.id) : committees;
    const views: CompilationView[] = [];
    for (const c of chosen) views.push(await this.compile(c, parsed.period, question, now));
    return { kind: 'compilations', views };
  }

  private parse(question: string, committees: readonly Committee[], now: Date) {
    return parseStatusQuestion(question || 'i år', { now, timeZone: this.deps.timeZone, scopes: committees.map((c) => ({ kind: 'committee' as const, id: c.id, name: c.name })) });
  }

  /**
   * The view for one nämnd and the question as the card carries it, if the person may see it (the
   * file's link uses this): the period is the parser's again, never one a forged button names.
   */
  async forCommittee(actor: Actor, committeeId: string, question: string): Promise<CompilationView | undefined> {
    const c = this.committeesOf(actor).find((x) => x.id === committeeId);
    if (!c) return undefined;
    const now = this.deps.now();
    const parsed = this.parse(question.trim().slice(0, QUESTION_MAX), [c], now);
    return parsed.ok ? this.compile(c, parsed.period, question.trim().slice(0, QUESTION_MAX), now) : undefined;
  }

  private async compile(c: Committee, period: StatusPeriod, question: string, now: Date): Promise<CompilationView> {
    const dir = this.deps.directory();
    const tz = this.deps.timeZone;
    const units = dir.allUnits().filter((u) => u.committeeId === c.id);
    const unitIds = units.map((u) => u.id);
    const end = new Date(Math.min(period.to.getTime(), now.getTime()));
    // A week's review belongs to the period its due moment falls in: week 1 of 2026 is due on
    // 29 December 2025 and counts in 2025, never in both years.
    const fromWeek = isoWeekKey(DateTime.fromJSDate(period.from, { zone: tz }).minus({ weeks: 1 }).toJSDate(), tz).key;
    const toWeek = isoWeekKey(end, tz).key;
    const today = DateTime.fromJSDate(now, { zone: tz }).toISODate()!;
    const [record, alerts, started, seen] = await Promise.all([
      this.deps.store.compilation.compile({ committeeId: c.id, unitIds, from: period.from, to: period.to, today, fromWeek, toWeek }),
      this.deps.store.patterns.list([c.id], period.from, period.to, ALERTS_LISTED),
      reviewRemindersStartedAt(this.deps.store.state),
      unitsSeenFrom(this.deps.store.state, unitIds),
    ]);
    const weeks = weeksBetween(DateTime.fromJSDate(period.from, { zone: tz }).minus({ weeks: 1 }).toJSDate(), end, tz);
    // Units share a handful of schedules: each week's due moment once per schedule, not per unit.
    const dueBySchedule = new Map<string, { week: string; due: Date }[]>();
    const dueOf = (schedule: ReviewSchedule) => {
      const key = JSON.stringify(schedule);
      let list = dueBySchedule.get(key);
      if (!list) dueBySchedule.set(key, (list = weeks.map((week) => ({ week, due: this.dueAt(schedule, week) }))));
      return list;
    };
    const dueWeeks = (unitId: string): ReadonlySet<string> => {
      const since = seen.get(unitId);
      return new Set(
        dueOf(this.deps.scheduleFor?.(unitId) ?? DEFAULT_REVIEW_SCHEDULE)
          .filter(({ due }) => due >= period.from && due < end && due <= now && started !== undefined && due >= started && (since === undefined || due >= since))
          .map(({ week }) => week),
      );
    };
    const byRule = new Map<PatternRuleId, number>();
    const decided = new Map<string, number>();
    let undecided = 0;
    for (const a of alerts) {
      byRule.set(a.rule as PatternRuleId, (byRule.get(a.rule as PatternRuleId) ?? 0) + 1);
      if (a.decision) decided.set(PATTERN_DECISIONS[a.decision.outcome], (decided.get(PATTERN_DECISIONS[a.decision.outcome]) ?? 0) + 1);
      else undecided++;
    }
    this.deps.logger.info({ event: 'compilation', committeeId: c.id, reports: record.reports.length }, 'sammanställning compiled');
    return {
      committeeId: c.id,
      committeeName: c.name,
      municipality: dir.municipality,
      period,
      question,
      generatedAt: now,
      timeZone: tz,
      figures: compilationFigures(record, unitIds, dueWeeks, calendarDayIn(tz)),
      // Every unit of the organisation: a rapport filed under this nämnd may be of a unit moved since.
      unitNames: new Map(dir.allUnits().map((u) => [u.id, u.name])),
      categoryLabel: (code) => CATEGORIES[code as Category] ?? code,
      outcomeLabel: (code) => OUTCOMES[code as Outcome] ?? code,
      caseworkLabel: (code) => ITEM_TYPE_TITLES[code as CaseworkItemType] ?? code,
      alerts: {
        total: alerts.length,
        byRule,
        decided,
        undecided,
        listed: alerts.slice(0, ALERTS_LISTED).map((a) => ({
          id: a.id,
          rule: a.rule as PatternRuleId,
          scopeName: a.unitId ? (dir.unit(a.unitId)?.name ?? a.unitId) : (CATEGORIES[a.category as Category] ?? a.category ?? ''),
          period: a.period,
          decision: a.decision ? PATTERN_DECISIONS[a.decision.outcome] : 'Inget ställningstagande ännu',
        })),
      },
    };
  }
}

/** The ISO week keys from `from`'s week to `to`'s week, both included. */
export function weeksBetween(from: Date, to: Date, tz: string): string[] {
  const out: string[] = [];
  let d = DateTime.fromJSDate(from, { zone: tz }).startOf('week');
  const end = DateTime.fromJSDate(to, { zone: tz });
  while (d <= end) {
    out.push(`${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`);
    d = d.plus({ weeks: 1 });
  }
  return out;
}

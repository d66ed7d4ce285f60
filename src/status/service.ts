/**
 * `status`: a manager asks how things stand and gets one summary for their scope and period. The
 * use case behind the chat command and the card's drill-down button; no botbuilder here. Returns
 * results with view models; the card is built from them in src/cards/status-cards.ts only.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { plural } from '../cards/plural';
import { containsIdentityNumber } from '../privacy/identity-numbers';
import type { ClockRules } from '../cases/clocks';
import { StoredClockFailure } from '../cases/stored-clocks';
import { caseworkUrgentTypes, ITEM_TYPES } from '../casework/rules';
import type { Logger } from '../log/logger';
import type { Directory } from '../org/directory';
import type { Actor } from '../reports/service';
import type { WorkingCalendar } from '../review/calendar';
import { reviewRemindersStartedAt, unitsSeenFrom } from '../review/epoch';
import { DEFAULT_REVIEW_SCHEDULE, reviewDueMemo, reviewWeekOf, type ReviewSchedule } from '../review/schedule';
import type { Store } from '../store/store';
import { allScopes, NO_STATUS_ACCESS, notYourScope, scopeFor, statusAccess, type SummaryScope } from './access';
import { storedClockTally } from './clock-tally';
import { parseStatusQuestion, type StatusPeriod } from './question';
import { summarise, type StatusSummary } from './summary';

export interface StatusServiceDeps {
  store: Store;
  directory: () => Directory;
  logger: Logger;
  timeZone: string;
  now: () => Date;
  /** "närmar sig" for casework deadlines: this many calendar days ahead. */
  warnDays: number;
  calendar: WorkingCalendar;
  clockRules?: ClockRules;
  scheduleFor?: (unitId: string) => ReviewSchedule | undefined;
}

/** How many people the card names as unreachable; the rest are counted. */
export const UNREACHABLE_SHOWN = 5;
/** Earlier weeks whose reviews are counted besides the reference week. */
export const REVIEW_WEEKS_BEFORE = 4;

/** The data of the drill-down and back buttons: validated, never trusted. */
const scopeRef = z.object({ kind: z.enum(['committee', 'unit', 'mine']), id: z.string().max(63) });
const showSchema = scopeRef.extend({
  from: z.string().datetime(),
  to: z.string().datetime(),
  label: z.string().min(1).max(60),
  /** The period ran up to the moment it was asked: a later click counts up to the click. */
  live: z.boolean(),
  /** Where "Tillbaka" leads: the summary the unit was opened from. */
  back: scopeRef.optional(),
});
export type ShowData = z.infer<typeof showSchema>;

/** A summary to show: what the status card is built from. */
export interface StatusView {
  scope: SummaryScope;
  period: StatusPeriod;
  /** The period ran up to the moment it was asked. */
  live: boolean;
  summary: StatusSummary;
  now: Date;
  timeZone: string;
  /** The summary this one was opened from (shows "Tillbaka"). */
  back?: { kind: SummaryScope['kind']; id: string };
}

export type StatusResult =
  | { kind: 'summary'; view: StatusView }
  /** The question was not understood: what was wrong, and questions that would be (each parses again). */
  | { kind: 'question'; message: string; suggestions: string[] }
  | { kind: 'refused'; reason: string };

const refused = (reason: string) => ({ kind: 'refused' as const, reason });
const BAD_BUTTON = 'Knappen saknar uppgifter. Skriv "status" för att få en ny lägesbild.';

export class StatusService {
  constructor(private readonly deps: StatusServiceDeps) {}

  /** `status …`: the rest of the message after the command word. */
  async ask(actor: Actor, args: string): Promise<StatusResult> {
    const dir = this.deps.directory();
    const access = statusAccess(dir, actor.entraId);
    if (!access.defaultScope) {
      await this.refusal(actor, 'none', 'no-status-role');
      return refused(NO_STATUS_ACCESS);
    }
    const now = this.deps.now();
    // Parse against every nämnd and unit, so a name outside the person's scope is recognised and refused politely.
    const q = parseStatusQuestion(args, { now, timeZone: this.deps.timeZone, scopes: allScopes(dir) });
    if (!q.ok) return { kind: 'question', message: q.message, suggestions: q.suggestions };
    let scope: SummaryScope | undefined = access.defaultScope;
    if (q.scope) {
      scope = scopeFor(dir, access, q.scope.kind, q.scope.id);
      if (!scope) {
        await this.audit(actor, 'status.view-denied', q.scope.id, q.period);
        return refused(notYourScope(q.scope.name, access));
      }
    }
    const live = q.period.to.getTime() >= now.getTime();
    return this.view(actor, scope, q.period, live);
  }

  /** The drill-down and back buttons: the same period for another scope the person may see. */
  async show(actor: Actor, data: unknown): Promise<StatusResult> {
    const parsed = showSchema.safeParse(data);
    if (!parsed.success) return refused(BAD_BUTTON);
    const d = parsed.data;
    // The label is shown on the card: button data is the user's to forge, so it gets the guard too.
    if (containsIdentityNumber(d.label)) return refused(BAD_BUTTON);
    const dir = this.deps.directory();
    const access = statusAccess(dir, actor.entraId);
    // The id on the button is the user's to forge: only a known nämnd or unit id goes into the audit row.
    const knownId = (d.kind === 'committee' ? dir.committee(d.id)?.id : d.kind === 'unit' ? dir.unit(d.id)?.id : 'mine') ?? 'unknown';
    if (!access.defaultScope) {
      await this.refusal(actor, knownId, 'no-status-role');
      return refused(NO_STATUS_ACCESS);
    }
    const scope = d.kind === 'mine' ? access.defaultScope : scopeFor(dir, access, d.kind, d.id);
    if (!scope) {
      await this.refusal(actor, knownId, 'not-in-scope');
      return refused('Du kan inte se lägesbilden för den enheten eller nämnden.');
    }
    const now = this.deps.now();
    const from = new Date(d.from);
    const to = d.live ? now : new Date(Math.min(new Date(d.to).getTime(), now.getTime()));
    if (!(from < to)) return refused('Perioden på knappen gäller inte längre. Skriv "status" för att få en ny lägesbild.');
    return this.view(actor, scope, { from, to, label: d.label }, d.live, d.back);
  }

  /** The numbers behind a summary. */
  async summary(scope: SummaryScope, period: StatusPeriod): Promise<StatusSummary> {
    const { store, timeZone } = this.deps;
    const now = this.deps.now();
    const unitIds = scope.units.map((u) => u.id);
    const local = (d: Date) => DateTime.fromJSDate(d, { zone: timeZone });
    const today = local(now).toISODate()!;
    // Filings are dated by day: the period's days are those it touches, `to` being exclusive.
    const fromDay = local(period.from).toISODate()!;
    const toDay = local(new Date(period.to.getTime() - 1)).plus({ days: 1 }).toISODate()!;
    const approachingUntil = local(now).plus({ days: this.deps.warnDays }).toISODate()!;

    // The reviews of the week the period ends in (this week for "denna vecka"), and the weeks before it.
    const refInstant = new Date(Math.min(period.to.getTime() - 1, now.getTime()));
    const current = reviewWeekOf(refInstant, timeZone).key;
    const before = Array.from({ length: REVIEW_WEEKS_BEFORE }, (_, i) => reviewWeekOf(local(refInstant).minus({ weeks: i + 1 }).toJSDate(), timeZone).key);

    // A nämnd's category alerts belong to a scope that covers the whole nämnd; a unit's own alerts to any scope with the unit.
    const inScope = new Set(unitIds);
    const wholeCommitteeIds = this.deps.directory().organisation.committees.filter((c) => c.units.length > 0 && c.units.every((u) => inScope.has(u.id))).map((c) => c.id);
    const [counts, clockTally, reviews, unreachable, reopened, remindersStartedAt, seen, patternAlerts] = await Promise.all([
      store.status.counts({ unitIds, from: period.from, to: period.to, fromDay, toDay, today, approachingUntil, urgentTypes: caseworkUrgentTypes(), itemTypes: ITEM_TYPES }),
      // Every open case's clock (an unassessed one runs the assessment clock from receipt), as stored, refreshed first.
      storedClockTally({ store, calendar: this.deps.calendar, logger: this.deps.logger, ...(this.deps.clockRules ? { rules: this.deps.clockRules } : {}) }, unitIds, today),
      store.cases.listReviews(unitIds, [current, ...before]),
      store.status.unreachable({ unitIds, from: period.from, to: period.to, limit: UNREACHABLE_SHOWN }),
      store.casework.reopenedOpenCounts(unitIds),
      // Weeks before the reminders started count only from a unit's first review: not "0 av 4" on a new installation.
      reviewRemindersStartedAt(store.state),
      unitsSeenFrom(store.state, unitIds),
      store.patterns.counts({ unitIds, wholeCommitteeIds, from: period.from, to: period.to }),
    ]);
    const dueAt = reviewDueMemo(this.deps.calendar, timeZone);
    const summary = summarise({
      units: scope.units,
      counts,
      clockTally,
      reviews,
      reviewWeeks: { current, before },
      calendar: this.deps.calendar,
      reviewDueAt: (unitId, weekKey) => dueAt(this.deps.scheduleFor?.(unitId) ?? DEFAULT_REVIEW_SCHEDULE, weekKey),
      remindersStartedAt,
      unitsSeenFrom: seen,
      unreachable,
      reopened,
      caseworkUnjudgeable: counts.caseworkUnjudgeable,
      now,
      timeZone,
      ...(this.deps.clockRules ? { clockRules: this.deps.clockRules } : {}),
    });
    return { ...summary, patternAlerts };
  }

  private async view(actor: Actor, scope: SummaryScope, period: StatusPeriod, live: boolean, back?: { kind: SummaryScope['kind']; id: string }): Promise<StatusResult> {
    let summary: StatusSummary;
    try {
      summary = await this.summary(scope, period);
    } catch (err) {
      // Counts that leave a case out would read as one overdue case fewer: no card rather than a wrong one.
      if (!(err instanceof StoredClockFailure)) throw err;
      return refused(`Lägesbilden kan inte visas just nu: tidsfristerna för ${plural(err.reportIds.length, 'lex Sarah-ärende', 'lex Sarah-ärenden')} kan inte beräknas från det som finns sparat, och utan dem blir siffrorna fel. Felet står i loggen (stored-clock-failed); kontakta den som förvaltar boten.`);
    }
    await this.audit(actor, 'status.view', scope.id || 'mine', period);
    this.deps.logger.info({ event: 'status-summary', scope: scope.kind, units: scope.units.length }, 'status summary shown');
    return { kind: 'summary', view: { scope, period, live, summary, now: this.deps.now(), timeZone: this.deps.timeZone, ...(back ? { back } : {}) } };
  }

  /** A refusal with no period to name (the person may see no summary, or the button named another scope). */
  private async refusal(actor: Actor, scopeRef: string, reason: string): Promise<void> {
    await this.deps.store.audit.append({ at: this.deps.now(), actorEntraId: actor.entraId, action: 'status.view-denied', entityType: 'status', entityRef: scopeRef, detail: `reason=${reason}` });
  }

  private async audit(actor: Actor, action: string, scopeRef: string, period: StatusPeriod): Promise<void> {
    await this.deps.store.audit.append({
      at: this.deps.now(),
      actorEntraId: actor.entraId,
      action,
      entityType: 'status',
      entityRef: scopeRef,
      detail: `from=${period.from.toISOString()} to=${period.to.toISOString()}`,
    });
  }
}

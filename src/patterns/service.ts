/**
 * Pattern alerts (issue #16): after a rapport is filed, the report rules (./rules.ts) look at the
 * nämnd's recent rapporter; a rule that fires becomes one stored alert and one card per lex
 * Sarah-samordnare and chef of the nämnd, written in one transaction (store.patterns.fire), so an
 * alert is told once and never half. A periodic sweep evaluates the last days' rapporter again:
 * a process that died between a rapport's commit and its evaluation loses no alert, and a repeat
 * finds the alert already stored.
 *
 * The person who gets the card records what was decided (analys påbörjad / bedöms inte behövas,
 * with a motivation), once, audited. Cards carry references and counts only, never report text.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { patternAlertCard } from '../cards/pattern-cards';
import type { CardRenderer } from '../cards/render';
import { calendarDayIn, reminderSendFrom, type WorkingDays } from '../cases/clocks';
import type { Logger } from '../log/logger';
import type { Directory } from '../org/directory';
import { guardText } from '../privacy/guard';
import { isWrittenMotivation } from '../assessment/rules';
import { addAmount } from '../casework/rules';
import { CATEGORIES, type Category } from '../reports/categories';
import type { Actor } from '../reports/service';
import type { OutboxMessage } from '../store/outbox';
import type { PatternAlertRecord, PatternDecisionCode } from '../store/patterns';
import type { Store } from '../store/store';
import { PATTERN_DECISIONS, type PatternAlertView, type PatternResult } from './view';

export type { PatternResult } from './view';
import { DEFAULT_PATTERN_RULES, isWeeklyRule, reportPatterns, scopeKey, windowStart, type PatternFinding, type PatternRules, type PatternRuleId, type ReportFact } from './rules';

export const PATTERN_ALERT = 'pattern-alert';
export const PATTERN_MOTIVATION_MAX = 2000;

export interface PatternDeps {
  store: Store;
  directory: () => Directory;
  cards: CardRenderer;
  logger: Logger;
  timeZone: string;
  calendar: WorkingDays;
  rules?: PatternRules;
  /** Real time for outbox rows; default the system clock. */
  realNow?: () => Date;
  onEnqueued?: () => void;
}

const decideSchema = z.object({
  alertId: z.coerce.number().int().positive().max(2_147_483_647),
  outcome: z.string().max(40).optional(),
  // Any length here: a long one is refused below with its own message, and the card keeps it.
  motivation: z.string().optional(),
});

/** How long one evaluation may hold a rapport before another instance may take it up. */
const EVALUATION_LEASE_MS = 60_000;
const evaluatedKey = (reference: string) => `pattern-evaluated/${reference}`;

// One answer for "no such alert" and "not yours": a forged id must not tell which ids exist.
const REFUSED = {
  notFound: 'Jag hittar ingen signal om mönster som du kan ta ställning till. Bara nämndens lex Sarah-samordnare och chefer kan göra det.',
};

export class PatternAlerts {
  private readonly rules: PatternRules;
  private readonly dayStarts = new Map<string, number>();

  constructor(private readonly deps: PatternDeps) {
    this.rules = deps.rules ?? DEFAULT_PATTERN_RULES;
  }

  private get longestWindow(): number {
    const r = this.rules;
    return Math.max(r.unitReports.windowDays, r.categoryReports.windowDays, r.repeatedBefore.windowDays);
  }

  /**
   * Evaluates the report rules for one filed rapport (its reference) and fires what they find.
   * Under a short lease, marked done when it got through: an instance's sweep and the request
   * that filed the rapport do not both evaluate it, and a failed evaluation is taken up again.
   */
  async afterReport(reference: string): Promise<PatternAlertRecord[]> {
    const key = evaluatedKey(reference);
    const state = this.deps.store.state;
    if (!(await state.claimLease(key, this.realNow(), EVALUATION_LEASE_MS))) return [];
    const fired = await this.evaluate(reference);
    await state.completeLease(key, this.realNow());
    return fired;
  }

  private realNow(): Date {
    return this.deps.realNow?.() ?? new Date();
  }

  /** The start of a calendar day in the time zone, as an instant: luxon costs more than a whole evaluation's rules, and a burst asks for the same two days. */
  private startOfDay(day: string): Date {
    let ms = this.dayStarts.get(day);
    if (ms === undefined) {
      ms = DateTime.fromISO(day, { zone: this.deps.timeZone }).startOf('day').toMillis();
      if (this.dayStarts.size >= 1000) this.dayStarts.clear();
      this.dayStarts.set(day, ms);
    }
    return new Date(ms);
  }

  private async evaluate(reference: string): Promise<PatternAlertRecord[]> {
    const report = await this.deps.store.reports.getByReference(reference);
    if (!report) return [];
    const dayOf = calendarDayIn(this.deps.timeZone);
    const today = dayOf(report.createdAt);
    const from = this.startOfDay(windowStart(today, this.longestWindow));
    const to = this.startOfDay(addAmount(today, { days: 1 }));
    const facts = (await this.deps.store.patterns.reportFacts(report.committeeId, from, to)).map((f): ReportFact => ({
      reference: f.reference, unitId: f.unitId, committeeId: f.committeeId, category: f.category, receivedOn: dayOf(f.createdAt), happenedBefore: f.before === 'ja',
    }));
    const self = facts.find((f) => f.reference === report.reference);
    if (!self) return [];
    const keys = [
      ['enhet-rapporter', { kind: 'enhet', unitId: self.unitId }],
      ['hant-forut', { kind: 'enhet', unitId: self.unitId }],
      ['kategori-rapporter', { kind: 'kategori', committeeId: self.committeeId, category: self.category }],
    ] as const;
    const last = new Map<string, string | undefined>();
    for (const [rule, scope] of keys) last.set(`${rule}|${scopeKey(scope)}`, await this.deps.store.patterns.lastFired(rule, scopeKey(scope)));
    const findings = reportPatterns(self, facts, (rule, scope) => last.get(`${rule}|${scopeKey(scope)}`), this.rules);
    const fired: PatternAlertRecord[] = [];
    for (const f of findings) {
      const alert = await this.fire(f, report.committeeId, self.unitId, self.category);
      if (alert) fired.push(alert);
    }
    return fired;
  }

  /** Evaluates every rapport received since `since` that was not evaluated yet (oldest first): the catch-up after a crash. */
  async sweep(since: Date, now: Date): Promise<number> {
    let fired = 0;
    for (const c of this.deps.directory().organisation.committees) {
      const facts = await this.deps.store.patterns.reportFacts(c.id, since, now);
      const done = await this.deps.store.state.completedLeases(facts.map((f) => evaluatedKey(f.reference)));
      for (const f of facts) {
        if (done.has(evaluatedKey(f.reference))) continue;
        // One rapport that cannot be evaluated must not stop the others (nor other nämnder): its
        // lease runs out and the next sweep tries it again.
        try {
          fired += (await this.afterReport(f.reference)).length;
        } catch (err) {
          this.deps.logger.error({ err, event: 'pattern-evaluation-failed', reference: f.reference }, 'pattern rules could not be evaluated for a rapport; retried on the next sweep');
        }
      }
    }
    return fired;
  }

  private windowOf(rule: PatternRuleId): number {
    const r = this.rules;
    return rule === 'enhet-rapporter' ? r.unitReports.windowDays : rule === 'kategori-rapporter' ? r.categoryReports.windowDays : r.repeatedBefore.windowDays;
  }

  /** A weekly rule's finding for a unit (./weekly.ts): stored and told once per rule, unit and week. */
  async fireWeekly(f: PatternFinding, unit: { id: string; committeeId: string }): Promise<PatternAlertRecord | undefined> {
    if (!isWeeklyRule(f.rule) || f.scope.kind !== 'enhet' || f.scope.unitId !== unit.id) throw new Error(`pattern alerts: ${f.rule} for ${unit.id} is not a weekly finding of that unit`);
    return this.fire(f, unit.committeeId, unit.id, '');
  }

  private async fire(f: PatternFinding, committeeId: string, unitId: string, category: string): Promise<PatternAlertRecord | undefined> {
    const at = this.realNow();
    const recipients = this.recipients(committeeId);
    const refreshUserIds = await this.refreshUserIds(committeeId);
    const alert = await this.deps.store.patterns.fire(
      {
        rule: f.rule,
        scopeKey: scopeKey(f.scope),
        period: f.period,
        committeeId,
        ...(f.scope.kind === 'enhet' ? { unitId } : { category }),
        count: f.count,
        references: f.references,
        firedAt: at,
      },
      // A weekly rule: once per run of weeks (./rules.ts weeklyPatterns).
      isWeeklyRule(f.rule) ? (f.toldSince ?? f.period) : windowStart(f.period, this.windowOf(f.rule)),
      (stored) => {
        const cardJson = JSON.stringify(patternAlertCard(this.deps.cards, this.view(stored, refreshUserIds)));
        const notBefore = reminderSendFrom(at, this.deps.calendar, this.deps.timeZone);
        return recipients.map((p): OutboxMessage => ({
          key: `${PATTERN_ALERT}/${stored.id}/${p.entraId}`,
          recipientEntraId: p.entraId,
          recipientName: p.name,
          purpose: PATTERN_ALERT,
          entityRef: `monster/${stored.id}`,
          ...(stored.unitId ? { unitId: stored.unitId } : {}),
          committeeId,
          cardJson,
          priority: 'bulk',
          notBefore,
          createdAt: at,
        }));
      },
      { actorEntraId: 'system', action: 'pattern.fire', entityType: 'pattern-alert', detail: `${f.rule} ${f.count}` },
    );
    if (alert && !recipients.length) {
      this.deps.logger.warn({ event: 'pattern-alert-unaddressed', rule: f.rule, alertId: alert.id, committeeId }, 'a pattern alert fired for a nämnd with no samordnare or chef in the organisation file: nobody was told; add one');
    }
    if (alert) {
      this.deps.logger.info({ event: 'pattern-alert', rule: f.rule, alertId: alert.id, recipients: recipients.length }, 'pattern alert fired');
      this.deps.onEnqueued?.();
    }
    return alert;
  }

  /** The nämnd's samordnare and chefer, each once. */
  private recipients(committeeId: string): { entraId: string; name: string }[] {
    const dir = this.deps.directory();
    const seen = new Map<string, { entraId: string; name: string }>();
    for (const p of [...dir.committeePeople(committeeId, 'samordnare'), ...dir.committeePeople(committeeId, 'chef')]) {
      if (!seen.has(p.entraId.toLowerCase())) seen.set(p.entraId.toLowerCase(), { entraId: p.entraId, name: p.name });
    }
    return [...seen.values()];
  }

  /**
   * Teams ids of the nämnd's samordnare and chefer (at most Teams' 60): each one's copy of an alert
   * refreshes to the alert as it now stands when it is opened, so a decision one of them recorded
   * shows on the others' cards too instead of a form asking them to decide again.
   */
  private async refreshUserIds(committeeId: string): Promise<string[]> {
    const ids: string[] = [];
    for (const p of this.recipients(committeeId)) {
      const ref = (await this.deps.store.conversations.listForUser(p.entraId)).find((r) => r.active && r.scope === 'personal');
      if (ref) ids.push(ref.userId);
    }
    return ids.slice(0, 60);
  }

  /** The alert as it now stands, for a samordnare or chef of its nämnd: what an opened copy refreshes to. */
  async show(actor: Actor, data: unknown): Promise<PatternResult> {
    const parsed = decideSchema.pick({ alertId: true }).safeParse(data);
    if (!parsed.success) return { kind: 'refused', reason: REFUSED.notFound };
    const alert = await this.deps.store.patterns.get(parsed.data.alertId);
    if (!alert || !this.mayDecide(actor, alert.committeeId)) return { kind: 'refused', reason: REFUSED.notFound };
    return { kind: 'ok', view: this.view(alert, await this.refreshUserIds(alert.committeeId)) };
  }

  private mayDecide(actor: Actor, committeeId: string): boolean {
    const dir = this.deps.directory();
    return [...dir.committeesWhere(actor.entraId, 'samordnare'), ...dir.committeesWhere(actor.entraId, 'chef')].some((c) => c.id === committeeId);
  }

  /** Records what was decided on an alert: the card's button. */
  async decide(actor: Actor, data: unknown, now: Date): Promise<PatternResult> {
    const parsed = decideSchema.safeParse(data);
    if (!parsed.success) return { kind: 'refused', reason: REFUSED.notFound };
    const alert = await this.deps.store.patterns.get(parsed.data.alertId);
    if (!alert) return { kind: 'refused', reason: REFUSED.notFound };
    if (!this.mayDecide(actor, alert.committeeId)) return { kind: 'refused', reason: REFUSED.notFound };
    const outcome = parsed.data.outcome ?? '';
    // Kept for the card at most a little past the limit: a 10 MB paste is not echoed back whole.
    const motivation = (parsed.data.motivation ?? '').trim().slice(0, PATTERN_MOTIVATION_MAX + 1);
    const refresh = await this.refreshUserIds(alert.committeeId);
    const invalid = (error: string, values = { outcome, motivation }) => ({ kind: 'invalid' as const, view: { ...this.view(alert, refresh), error, values } });
    if (alert.decision) return { kind: 'ok', view: { ...this.view(alert, refresh), error: 'Ställningstagandet är redan registrerat och kan inte ändras.' } };
    if (!Object.prototype.hasOwnProperty.call(PATTERN_DECISIONS, outcome)) return invalid('Välj vad som har beslutats.');
    const guarded = guardText(motivation, 'Motivering');
    // Never echo a number back into the card: the masked text stays in the field.
    if (!guarded.ok) return invalid(guarded.message, { outcome, motivation: guarded.masked });
    if (motivation.length > PATTERN_MOTIVATION_MAX) return invalid(`Motiveringen får vara högst ${PATTERN_MOTIVATION_MAX} tecken.`);
    if (!isWrittenMotivation(motivation)) return invalid('Skriv en motivering: vad beslutades och varför.');
    const name = this.deps.directory().person(actor.entraId)?.name ?? actor.name;
    const result = await this.deps.store.patterns.decide(
      alert.id,
      { outcome: outcome as PatternDecisionCode, motivation, decidedByEntraId: actor.entraId, decidedByName: name, decidedAt: now },
      { actorEntraId: actor.entraId, action: 'pattern.decide', entityType: 'pattern-alert', detail: outcome },
    );
    if (result.kind === 'not-found') return { kind: 'refused', reason: REFUSED.notFound };
    if (result.kind === 'already-decided') return { kind: 'ok', view: { ...this.view(result.alert, refresh), error: 'Någon annan hann registrera ett ställningstagande först. Det visas här.' } };
    return { kind: 'ok', view: this.view(result.alert, refresh) };
  }

  /** The view of a stored alert, with names from the organisation file as it is now. */
  view(a: PatternAlertRecord, refreshUserIds: string[] = []): PatternAlertView {
    const dir = this.deps.directory();
    const r = this.rules;
    const rule = a.rule as PatternRuleId;
    const threshold =
      rule === 'enhet-rapporter' ? r.unitReports : rule === 'kategori-rapporter' ? r.categoryReports : rule === 'hant-forut' ? r.repeatedBefore
      : rule === 'forsenade-andel' ? { count: r.overdueShare.weeks, weeks: r.overdueShare.weeks, share: r.overdueShare.share } : { count: r.missedReviews.weeks, weeks: r.missedReviews.weeks };
    return {
      id: a.id,
      rule,
      threshold,
      count: a.count,
      scopeName: a.unitId ? (dir.unit(a.unitId)?.name ?? a.unitId) : (dir.committee(a.committeeId)?.name ?? a.committeeId),
      committeeName: dir.committee(a.committeeId)?.name ?? a.committeeId,
      categoryLabel: a.category ? (CATEGORIES[a.category as Category] ?? a.category) : '',
      references: a.references,
      firedAt: a.firedAt,
      ...(a.decision ? { decision: { outcome: a.decision.outcome, motivation: a.decision.motivation, by: a.decision.decidedByName, at: a.decision.decidedAt } } : {}),
      error: '',
      values: { outcome: '', motivation: '' },
      timeZone: this.deps.timeZone,
      refreshUserIds,
    };
  }
}

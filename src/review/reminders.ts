/**
 * Proactive weekly review reminders for enhetschefer: the review card when it is due, a second
 * reminder when it was not done by the end of the next working day, and an escalation to the
 * nämnd's chefer after N working days. A chef who cannot be reached is reported to the nämnd's
 * chefer too, so that a review never silently fails to happen.
 *
 * Once per (unit, week, recipient, kind): each reminder is an outbox row under a key that never
 * changes, so repeated runs, restarts (missed reminders are enqueued at the next run) and several
 * bot instances sharing the database enqueue it once. The delivery worker sends it (at least once,
 * a duplicate only if an instance dies between a send and its record). The notice to the nämnd's
 * chefer about an unreachable chef is the reminder row's follow-up, written with its final outcome.
 */
import { DateTime } from 'luxon';
import type { AdaptiveCard, CardRenderer } from '../cards/render';
import { reviewCard, reviewEscalationCard, reviewUnreachableCard } from '../cards/review-cards';
import type { Logger } from '../log/logger';
import type { Directory, UnitInfo } from '../org/directory';
import type { OutboxMessage } from '../store/outbox';
import type { AuditEntry, Store } from '../store/store';
import type { WorkingCalendar } from './calendar';
import { ensureReviewEpoch } from './epoch';
import { DEFAULT_REVIEW_SCHEDULE, reviewStage, reviewTimeline, reviewWeekOf, type ReviewSchedule, type ReviewStage } from './schedule';
import type { ReviewService } from './service';

export interface ReviewReminderDeps {
  store: Store;
  directory: () => Directory;
  /** The cards are rendered when their outbox row is written (by the builders in src/cards/review-cards.ts). */
  cards: CardRenderer;
  reviews: ReviewService;
  calendar: WorkingCalendar;
  logger: Logger;
  timeZone: string;
  /** Per-unit schedule overrides from the organisation file. */
  scheduleFor?: (unitId: string) => ReviewSchedule | undefined;
  escalationWorkingDays: number;
  /** Real time for the rows (due as soon as written, whatever clock the tick runs on); default the system clock. */
  realNow?: () => Date;
  /** Wakes the delivery worker after rows were enqueued. */
  onEnqueued?: () => void;
}

export type ReviewReminderKind = 'first' | 'second' | 'escalation' | 'unreachable' | 'snoozed';

export interface ReviewReminderSent {
  unitId: string;
  weekKey: string;
  kind: ReviewReminderKind;
  recipient: string;
  /** 'enqueued': the outbox has the card; the delivery worker records how it went. */
  status: 'enqueued';
}

interface Due {
  message: OutboxMessage;
  sent: ReviewReminderSent;
}

const KIND_OF_STAGE: Record<Exclude<ReviewStage, 'not-yet'>, ReviewReminderKind> = {
  due: 'first',
  'second-reminder': 'second',
  escalate: 'escalation',
};

export class ReviewReminders {
  constructor(private readonly deps: ReviewReminderDeps) {}

  /** The weeks still worth reminding about: this one and the previous (a review left undone escalates into the next week). */
  private weeks(now: Date): string[] {
    const prev = DateTime.fromJSDate(now, { zone: this.deps.timeZone }).minus({ weeks: 1 }).toJSDate();
    return [reviewWeekOf(prev, this.deps.timeZone).key, reviewWeekOf(now, this.deps.timeZone).key];
  }

  /**
   * When reminders started for this database: weeks due before it are never reminded about, so a
   * fresh installation does not open with escalations for reviews nobody was asked to do (and the
   * status summary does not count them as missed: src/review/epoch.ts).
   */
  private async epoch(now: Date): Promise<Date> {
    return ensureReviewEpoch(this.deps.store.state, now);
  }

  /**
   * One pass: enqueues every reminder due at `now` and not enqueued before, each with its audit
   * entry, in one transaction. Returns what this pass enqueued (for tests and logs).
   */
  async tick(now: Date): Promise<ReviewReminderSent[]> {
    const dir = this.deps.directory();
    const due: Due[] = [];
    const at = this.deps.realNow?.() ?? new Date();
    const since = await this.epoch(now);
    for (const unit of dir.allUnits()) {
      const chefs = dir.unitChefs(unit.id);
      if (!chefs.length) continue;
      const schedule = this.deps.scheduleFor?.(unit.id) ?? DEFAULT_REVIEW_SCHEDULE;
      for (const weekKey of this.weeks(now)) {
        const timing = { escalationWorkingDays: this.deps.escalationWorkingDays, timeZone: this.deps.timeZone };
        if (reviewTimeline(weekKey, schedule, this.deps.calendar, timing).dueAt < since) continue;
        const stage = reviewStage(weekKey, now, schedule, this.deps.calendar, timing);
        if (stage === 'not-yet') continue;
        if (await this.deps.store.cases.getReview(unit.id, weekKey)) continue;
        const kind = KIND_OF_STAGE[stage];
        if (kind === 'escalation') {
          const card = this.escalationCard(unit, weekKey, schedule);
          for (const manager of dir.committeePeople(unit.committeeId, 'chef')) due.push(this.row(unit, weekKey, kind, manager, card, at));
          continue;
        }
        // Only the latest reminder reached: after downtime the chef gets one card, not a backlog.
        const card = reviewCard(
          this.deps.cards,
          await this.deps.reviews.view(unit, weekKey, 0, kind === 'second' ? 'Påminnelse: veckogenomgången är inte markerad som klar. Gör den i dag.' : ''),
        );
        for (const chef of chefs) {
          const r = this.row(unit, weekKey, kind, chef, card, at);
          // If the chef cannot be reached, the nämnd's chefer are told: a review never silently fails to happen.
          const notices = dir
            .committeePeople(unit.committeeId, 'chef')
            .filter((m) => m.entraId !== chef.entraId)
            .map((m) => this.row(unit, weekKey, 'unreachable', m, this.unreachableCard(unit, weekKey, chef.name), at, chef.entraId).message);
          if (notices.length) r.message.onUndeliverable = notices;
          due.push(r);
        }
      }
    }
    const enqueued = await this.enqueue(due, now);
    return [...enqueued, ...(await this.snoozed(now, at))];
  }

  /** "Påminn mig senare" that has come due: the card again, once, unless the review is done. */
  private async snoozed(now: Date, at: Date): Promise<ReviewReminderSent[]> {
    const dir = this.deps.directory();
    const out: ReviewReminderSent[] = [];
    for (const z of await this.deps.store.cases.dueSnoozes(now)) {
      const unit = dir.unit(z.unitId);
      if (unit && !(await this.deps.store.cases.getReview(z.unitId, z.weekKey))) {
        const card = reviewCard(this.deps.cards, await this.deps.reviews.view(unit, z.weekKey, 0, 'Du bad om en påminnelse om veckogenomgången.'));
        const person = dir.person(z.entraId) ?? { entraId: z.entraId, name: z.entraId };
        // Enqueued before the snooze is marked: a crash in between enqueues the same key again, which is ignored.
        out.push(...(await this.enqueue([this.row(unit, z.weekKey, 'snoozed', person, card, at, z.until.toISOString())], now)));
      }
      await this.deps.store.cases.markSnoozeSent(z, now);
    }
    return out;
  }

  /** The outbox row for (unit, week, kind, recipient), under the key the lease used before the outbox. */
  private row(
    unit: UnitInfo,
    weekKey: string,
    kind: ReviewReminderKind,
    recipient: { entraId: string; name: string },
    card: AdaptiveCard,
    at: Date,
    about = '',
  ): Due {
    return {
      sent: { unitId: unit.id, weekKey, kind, recipient: recipient.entraId, status: 'enqueued' },
      message: {
        key: `review/${unit.id}/${weekKey}/${kind}/${recipient.entraId}${about ? `/${about}` : ''}`,
        recipientEntraId: recipient.entraId,
        recipientName: recipient.name,
        purpose: `review-${kind}`,
        entityRef: `${unit.id}/${weekKey}`,
        unitId: unit.id,
        committeeId: unit.committeeId,
        cardJson: JSON.stringify(card),
        priority: 'bulk',
        notBefore: at,
        createdAt: at,
      },
    };
  }

  /** Enqueues the rows whose keys are new, each with its audit entry, in one transaction; returns those. */
  private async enqueue(due: Due[], now: Date): Promise<ReviewReminderSent[]> {
    if (!due.length) return [];
    const byKey = new Map(due.map((d) => [d.message.key, d]));
    // Sent before the outbox existed (a lease completed under the same key): never again.
    for (const key of await this.deps.store.state.completedLeases([...byKey.keys()])) byKey.delete(key);
    if (!byKey.size) return [];
    const audit = (m: OutboxMessage): AuditEntry => {
      const { sent } = byKey.get(m.key)!;
      return {
        at: now,
        actorEntraId: 'system',
        action: `review.${sent.kind}`,
        entityType: 'unit',
        entityRef: sent.unitId,
        detail: `week=${sent.weekKey} to=${sent.recipient} status=enqueued`,
      };
    };
    const inserted = await this.deps.store.outbox.enqueue([...byKey.values()].map((d) => d.message), audit);
    if (inserted.length) {
      this.deps.logger.info({ event: 'review-reminders-enqueued', count: inserted.length }, 'review reminders enqueued');
      this.deps.onEnqueued?.();
    }
    return inserted.map((k) => byKey.get(k)!.sent);
  }

  private escalationCard(unit: UnitInfo, weekKey: string, schedule: ReviewSchedule): AdaptiveCard {
    const t = reviewTimeline(weekKey, schedule, this.deps.calendar, { escalationWorkingDays: this.deps.escalationWorkingDays, timeZone: this.deps.timeZone });
    return reviewEscalationCard(this.deps.cards, {
      unitName: unit.name,
      weekKey,
      chefNames: this.deps.directory().unitChefs(unit.id).map((p) => p.name),
      workingDays: this.deps.escalationWorkingDays,
      dueAt: t.dueAt,
      timeZone: this.deps.timeZone,
    });
  }

  private unreachableCard(unit: UnitInfo, weekKey: string, chefName: string): AdaptiveCard {
    return reviewUnreachableCard(this.deps.cards, { unitName: unit.name, weekKey, chefName });
  }
}

/**
 * Proactive weekly review reminders for enhetschefer: the review card when it is due, a second
 * reminder when it was not done by the end of the next working day, and an escalation to the
 * nämnd's chefer after N working days. A chef who cannot be reached is reported to the nämnd's
 * chefer too, so that a review never silently fails to happen.
 *
 * Exactly once per (unit, week, recipient, kind): each send is leased atomically in the database
 * first and marked done after, which holds across restarts (missed reminders go out at the next
 * run) and across several bot instances sharing the database. An instance that dies mid-send
 * leaves a lease that runs out, so the reminder is not lost.
 */
import { DateTime } from 'luxon';
import type { CardRenderer } from '../cards/render';
import type { Logger } from '../log/logger';
import { DELIVERY_LEASE_MS, type Notifier } from '../notify/notifier';
import type { Directory, UnitInfo } from '../org/directory';
import type { Store } from '../store/store';
import type { WorkingCalendar } from './calendar';
import { DEFAULT_REVIEW_SCHEDULE, reviewStage, reviewTimeline, reviewWeekOf, type ReviewSchedule, type ReviewStage } from './schedule';
import type { ReviewService } from './service';

export interface ReviewReminderDeps {
  store: Store;
  directory: () => Directory;
  cards: CardRenderer;
  notifier: Notifier;
  reviews: ReviewService;
  calendar: WorkingCalendar;
  logger: Logger;
  timeZone: string;
  /** Per-unit schedule overrides from the organisation file. */
  scheduleFor?: (unitId: string) => ReviewSchedule | undefined;
  escalationWorkingDays: number;
}

export type ReviewReminderKind = 'first' | 'second' | 'escalation' | 'unreachable' | 'snoozed';

export interface ReviewReminderSent {
  unitId: string;
  weekKey: string;
  kind: ReviewReminderKind;
  recipient: string;
  status: string;
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
   * fresh installation does not open with escalations for reviews nobody was asked to do.
   */
  private async epoch(now: Date): Promise<Date> {
    const key = 'review-reminders/epoch';
    const stored = (await this.deps.store.state.read([key])).get(key);
    if (stored) return new Date(JSON.parse(stored.value) as string);
    // The first instance to get here sets it; any other uses its own clock for this one run.
    if (await this.deps.store.state.claimOnce(key, now)) await this.deps.store.state.write([{ key, value: JSON.stringify(now.toISOString()) }]);
    return now;
  }

  async tick(now: Date): Promise<ReviewReminderSent[]> {
    const dir = this.deps.directory();
    const sent: ReviewReminderSent[] = [];
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
          for (const manager of dir.committeePeople(unit.committeeId, 'chef')) {
            await this.send(sent, unit, weekKey, kind, manager.entraId, now, () => this.escalationCard(unit, weekKey, schedule));
          }
          continue;
        }
        // Only the latest reminder reached: after downtime the chef gets one card, not a backlog.
        const card = await this.deps.reviews.card(
          unit,
          weekKey,
          0,
          kind === 'second' ? 'Påminnelse: veckogenomgången är inte markerad som klar. Gör den i dag.' : '',
        );
        for (const chef of chefs) {
          const outcome = await this.send(sent, unit, weekKey, kind, chef.entraId, now, () => card);
          if (outcome && outcome !== 'sent') {
            for (const manager of dir.committeePeople(unit.committeeId, 'chef')) {
              if (manager.entraId === chef.entraId) continue;
              await this.send(sent, unit, weekKey, 'unreachable', manager.entraId, now, () => this.unreachableCard(unit, weekKey, chef.name), chef.entraId);
            }
          }
        }
      }
    }
    await this.snoozed(now, sent);
    return sent;
  }

  /** "Påminn mig senare" that has come due: the card again, once, unless the review is done. */
  private async snoozed(now: Date, sent: ReviewReminderSent[]): Promise<void> {
    const dir = this.deps.directory();
    for (const z of await this.deps.store.cases.dueSnoozes(now)) {
      const unit = dir.unit(z.unitId);
      if (unit && !(await this.deps.store.cases.getReview(z.unitId, z.weekKey))) {
        const card = await this.deps.reviews.card(unit, z.weekKey, 0, 'Du bad om en påminnelse om veckogenomgången.');
        await this.send(sent, unit, z.weekKey, 'snoozed', z.entraId, now, () => card, z.until.toISOString());
      }
      await this.deps.store.cases.markSnoozeSent(z, now);
    }
  }

  /** Claims (unit, week, kind, recipient) and sends; returns the outcome, or undefined when already claimed. */
  private async send(
    sent: ReviewReminderSent[],
    unit: UnitInfo,
    weekKey: string,
    kind: ReviewReminderKind,
    recipient: string,
    now: Date,
    card: () => ReturnType<CardRenderer['render']>,
    about = '',
  ): Promise<string | undefined> {
    const key = `review/${unit.id}/${weekKey}/${kind}/${recipient}${about ? `/${about}` : ''}`;
    if (!(await this.deps.store.state.claimLease(key, now, DELIVERY_LEASE_MS))) return undefined;
    const outcome = await this.deps.notifier.sendCard(recipient, card());
    // A transient failure keeps the lease: when it runs out, a later run tries again.
    if (outcome.status !== 'failed') await this.deps.store.state.completeLease(key, now);
    sent.push({ unitId: unit.id, weekKey, kind, recipient, status: outcome.status });
    await this.deps.store.audit.append({
      at: now,
      actorEntraId: 'system',
      action: `review.${kind}`,
      entityType: 'unit',
      entityRef: unit.id,
      detail: `week=${weekKey} to=${recipient} status=${outcome.status}${outcome.status === 'failed' ? ` error=${outcome.error}` : ''}`,
    });
    if (outcome.status !== 'sent') {
      await this.deps.store.status.recordDeliveryFailure({
        at: now,
        recipientEntraId: recipient,
        recipientName: this.deps.directory().person(recipient)?.name ?? recipient,
        unitId: unit.id,
        committeeId: unit.committeeId,
        purpose: 'review-reminder',
        entityRef: `${unit.id}/${weekKey}`,
        status: outcome.status,
        ...(outcome.status === 'failed' ? { error: outcome.error } : {}),
      });
      this.deps.logger.warn({ event: 'review-reminder-failed', unit: unit.id, week: weekKey, kind, recipient, status: outcome.status }, 'a review reminder could not be delivered');
    }
    return outcome.status;
  }

  private dayText(d: Date): string {
    return DateTime.fromJSDate(d, { zone: this.deps.timeZone }).setLocale('sv').toFormat('cccc d LLL HH:mm');
  }

  private escalationCard(unit: UnitInfo, weekKey: string, schedule: ReviewSchedule) {
    const t = reviewTimeline(weekKey, schedule, this.deps.calendar, { escalationWorkingDays: this.deps.escalationWorkingDays, timeZone: this.deps.timeZone });
    const chefs = this.deps.directory().unitChefs(unit.id).map((p) => p.name).join(', ');
    return this.deps.cards.render('review-escalation', {
      label: 'ESKALERING',
      title: `Veckogenomgången är inte gjord – ${unit.name}`,
      text: `Veckogenomgången v.${Number(weekKey.slice(-2))} av öppna utredningar och beslutade insatser har inte markerats som klar, ${this.deps.escalationWorkingDays} arbetsdagar efter att den skulle göras. Kontakta enhetschefen.`,
      facts: [
        { title: 'Enhet', value: unit.name },
        { title: 'Enhetschef', value: chefs || '–' },
        { title: 'Skulle göras', value: this.dayText(t.dueAt) },
      ],
    });
  }

  private unreachableCard(unit: UnitInfo, weekKey: string, chefName: string) {
    return this.deps.cards.render('review-escalation', {
      label: 'KAN INTE NÅS',
      title: `${chefName} kan inte nås i Teams`,
      text: `Påminnelsen om veckogenomgången v.${Number(weekKey.slice(-2))} för ${unit.name} kunde inte levereras: appen är inte installerad, eller Teams nekade. Se till att appen installeras för enhetschefen (t.ex. med en policy för appinstallation) och påminn hen på annat sätt.`,
      facts: [
        { title: 'Enhet', value: unit.name },
        { title: 'Enhetschef', value: chefName },
      ],
    });
  }
}

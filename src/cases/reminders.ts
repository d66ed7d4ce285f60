/**
 * Reminders for the legal clocks of lex Sarah cases: the anmälan to IVO ("snarast", local SLA)
 * and the investigation due at IVO two months after the anmälan. Each (case, clock, kind) is sent
 * once, claimed atomically in the database, so restarts and parallel instances do not repeat it.
 * When the anmälan deadline passes, the nämnd's chefer are told as well (escalation).
 */
import { DateTime } from 'luxon';
import type { CardRenderer } from '../cards/render';
import type { Logger } from '../log/logger';
import { DELIVERY_LEASE_MS, type Notifier } from '../notify/notifier';
import type { Directory } from '../org/directory';
import type { ClockCase } from '../store/cases';
import type { Store } from '../store/store';
import { anmalanDue, DEFAULT_CLOCK_RULES, investigationDue, remindersDue, runningClock, type ClockRules, type ReminderKind } from './clocks';

export interface ReminderDeps {
  store: Store;
  directory: () => Directory;
  cards: CardRenderer;
  notifier: Notifier;
  logger: Logger;
  timeZone: string;
  clockRules?: ClockRules;
}

export interface ReminderSent {
  reference: string;
  clock: 'anmalan' | 'utredning';
  kind: ReminderKind;
  recipient: string;
  escalation: boolean;
  status: string;
}

type Clock = { clock: 'anmalan' | 'utredning'; due: Date };

export class CaseReminders {
  constructor(private readonly deps: ReminderDeps) {}

  private clocksOf(c: ClockCase, rules: ClockRules): Clock[] {
    const run = runningClock(c);
    if (!run) return [];
    const tz = this.deps.timeZone;
    return [{ clock: run.clock, due: run.clock === 'anmalan' ? anmalanDue(run.decidedAt, rules, tz) : investigationDue(run.filedOn, rules, tz) }];
  }

  /** One pass: sends whatever is due at `now` and not sent before. Returns what was sent (for tests and logs). */
  async tick(now: Date): Promise<ReminderSent[]> {
    const { store, notifier, cards, logger } = this.deps;
    const rules = this.deps.clockRules ?? DEFAULT_CLOCK_RULES;
    const dir = this.deps.directory();
    const sent: ReminderSent[] = [];
    for (const c of await store.cases.listClockCases()) {
      for (const { clock, due } of this.clocksOf(c, rules)) {
        for (const kind of remindersDue(due, now, rules, this.deps.timeZone)) {
          const escalate = kind === 'overdue' && clock === 'anmalan';
          // One card per person: a samordnare who is also chef gets the escalation, not both.
          const recipients = new Map<string, { p: { entraId: string }; escalation: boolean }>();
          dir.committeePeople(c.committeeId, 'samordnare').forEach((p) => recipients.set(p.entraId, { p, escalation: false }));
          if (escalate) dir.committeePeople(c.committeeId, 'chef').forEach((p) => recipients.set(p.entraId, { p, escalation: true }));
          for (const { p, escalation } of recipients.values()) {
            // Leased, then marked done: never twice, and not lost if this instance dies mid-send.
            const key = `case-reminder/${c.reference}/${clock}/${kind}/${p.entraId}`;
            if (!(await store.state.claimLease(key, now, DELIVERY_LEASE_MS))) continue;
            const card = cards.render('case-reminder', this.cardData(c, clock, kind, due, escalation));
            const outcome = await notifier.sendCard(p.entraId, card);
            if (outcome.status !== 'failed') await store.state.completeLease(key, now);
            sent.push({ reference: c.reference, clock, kind, recipient: p.entraId, escalation, status: outcome.status });
            await store.audit.append({
              at: now,
              actorEntraId: 'system',
              action: escalation ? 'case.escalation' : 'case.reminder',
              entityType: 'report',
              entityRef: c.reference,
              detail: `clock=${clock} kind=${kind} to=${p.entraId} status=${outcome.status}`,
            });
            if (outcome.status !== 'sent') {
              await store.status.recordDeliveryFailure({
                at: now,
                recipientEntraId: p.entraId,
                recipientName: dir.person(p.entraId)?.name ?? p.entraId,
                unitId: c.unitId,
                committeeId: c.committeeId,
                purpose: 'case-reminder',
                entityRef: c.reference,
                status: outcome.status,
                ...(outcome.status === 'failed' ? { error: outcome.error } : {}),
              });
            }
            if (outcome.status !== 'sent') logger.warn({ event: 'reminder-failed', reference: c.reference, clock, kind, recipient: p.entraId, status: outcome.status }, 'a case reminder could not be delivered');
          }
        }
      }
    }
    return sent;
  }

  private cardData(c: ClockCase, clock: Clock['clock'], kind: ReminderKind, due: Date, escalation: boolean) {
    const dueText = DateTime.fromJSDate(due, { zone: this.deps.timeZone }).setLocale('sv').toFormat('d LLL yyyy');
    const unit = this.deps.directory().unit(c.unitId)?.name ?? c.unitId;
    const overdue = kind === 'overdue';
    const what = clock === 'anmalan' ? 'Anmälan till IVO' : 'Utredningen till IVO';
    return {
      reference: c.reference,
      label: escalation ? 'ESKALERING' : overdue ? 'FÖRSENAD' : 'PÅMINNELSE',
      title: `${what} – ${c.reference}`,
      text:
        clock === 'anmalan'
          ? overdue
            ? `Ärendet är bedömt som allvarligt men ingen anmälan till IVO är registrerad. Den lokala fristen för "snarast" gick ut ${dueText}.${escalation ? ' Du får detta som chef för nämnden.' : ''}`
            : `Ärendet är bedömt som allvarligt. Anmälan till IVO ska göras snarast – enligt lokal rutin senast ${dueText}.`
          : overdue
            ? `Utredningen skulle ha skickats till IVO senast ${dueText} (två månader efter anmälan, SOSFS 2011:5).`
            : `Utredningen ska skickas till IVO senast ${dueText} (två månader efter anmälan, SOSFS 2011:5).`,
      facts: [
        { title: 'Enhet', value: unit },
        { title: 'Senast', value: dueText },
      ],
    };
  }
}

/**
 * Reminders for the legal clocks of lex Sarah cases: the anmälan to IVO ("snarast", local SLA)
 * and the investigation due at IVO two months after the anmälan. Each (case, clock, deadline,
 * kind, person) becomes one outbox row under a key that never changes, so repeated ticks, restarts
 * and parallel instances enqueue it once; the delivery worker sends it. The deadline is in the key
 * so that a new decision (a new deadline) gets its own reminders. After downtime only the most
 * urgent kind due is sent: one card per person and case, not one per missed reminder. When the
 * anmälan deadline passes, the nämnd's chefer are told as well (escalation).
 */
import { swedishDate } from '../cards/swedish-dates';
import type { CardRenderer } from '../cards/render';
import type { Logger } from '../log/logger';
import type { Directory } from '../org/directory';
import type { ClockCase } from './case';
import type { OutboxMessage } from '../store/outbox';
import type { Store } from '../store/store';
import { anmalanDue, calendarDayIn, DEFAULT_CLOCK_RULES, investigationClockNote, investigationDue, remindersDue, runningClock, type ClockRules, type ReminderKind } from './clocks';

export interface ReminderDeps {
  store: Store;
  directory: () => Directory;
  cards: CardRenderer;
  logger: Logger;
  timeZone: string;
  clockRules?: ClockRules;
  /** Real time for the rows (due as soon as written, whatever clock the tick runs on); default the system clock. */
  realNow?: () => Date;
  /** Wakes the delivery worker after rows were enqueued. */
  onEnqueued?: () => void;
}

export interface ReminderSent {
  reference: string;
  clock: 'anmalan' | 'utredning';
  kind: ReminderKind;
  recipient: string;
  escalation: boolean;
  /** 'enqueued': the outbox has the card; the delivery worker records how it went. */
  status: 'enqueued';
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

  /**
   * One pass: enqueues whatever is due at `now` and was not enqueued before, with its audit entry,
   * in one transaction. Returns what this pass enqueued (for tests and logs).
   */
  async tick(now: Date): Promise<ReminderSent[]> {
    const { store, cards, logger } = this.deps;
    const rules = this.deps.clockRules ?? DEFAULT_CLOCK_RULES;
    const dir = this.deps.directory();
    const at = this.deps.realNow?.() ?? new Date();
    const due = new Map<string, { message: OutboxMessage; sent: ReminderSent; clock: Clock['clock']; legacyKey: string }>();
    const dayOf = calendarDayIn(this.deps.timeZone);
    for (const c of await store.cases.listClockCases()) {
      for (const { clock, due: dueAt } of this.clocksOf(c, rules)) {
        // Most urgent last: the earlier kinds missed while nobody ran are not sent any more.
        const kind = remindersDue(dueAt, now, rules, this.deps.timeZone).at(-1);
        if (kind) {
          const escalate = kind === 'overdue' && clock === 'anmalan';
          // One card per person: a samordnare who is also chef gets the escalation, not both.
          const recipients = new Map<string, { p: { entraId: string; name: string }; escalation: boolean }>();
          dir.committeePeople(c.committeeId, 'samordnare').forEach((p) => recipients.set(p.entraId, { p, escalation: false }));
          if (escalate) dir.committeePeople(c.committeeId, 'chef').forEach((p) => recipients.set(p.entraId, { p, escalation: true }));
          for (const { p, escalation } of recipients.values()) {
            // The key before deadlines were in it (the leases before the outbox, and the first outbox rows).
            const legacyKey = `case-reminder/${c.reference}/${clock}/${kind}/${p.entraId}`;
            const key = `case-reminder/${c.reference}/${clock}/${dayOf(dueAt)}/${kind}/${p.entraId}`;
            due.set(key, {
              clock,
              legacyKey,
              sent: { reference: c.reference, clock, kind, recipient: p.entraId, escalation, status: 'enqueued' },
              message: {
                key,
                recipientEntraId: p.entraId,
                recipientName: p.name,
                purpose: escalation ? 'case-escalation' : 'case-reminder',
                entityRef: c.reference,
                unitId: c.unitId,
                committeeId: c.committeeId,
                cardJson: JSON.stringify(cards.render('case-reminder', this.cardData(c, clock, kind, dueAt, escalation))),
                priority: 'bulk',
                notBefore: at,
                createdAt: at,
              },
            });
          }
        }
      }
    }
    // Sent by an earlier version, under the key without the deadline (a completed lease before the
    // outbox, an outbox row after it): never again. The deadline cannot be told from those keys;
    // after a new decision that only means the one reminder already sent is not repeated.
    const legacy = new Map([...due].map(([key, d]) => [d.legacyKey, key]));
    for (const old of await store.state.completedLeases([...legacy.keys()])) due.delete(legacy.get(old)!);
    for (const [old, key] of legacy) if (due.has(key) && (await store.outbox.get(old))) due.delete(key);
    if (!due.size) return [];
    const inserted = await store.outbox.enqueue([...due.values()].map((d) => d.message), (m) => {
      const { sent } = due.get(m.key)!;
      return {
        at: now,
        actorEntraId: 'system',
        action: sent.escalation ? 'case.escalation' : 'case.reminder',
        entityType: 'report',
        entityRef: sent.reference,
        detail: `clock=${sent.clock} kind=${sent.kind} to=${sent.recipient} status=enqueued`,
      };
    });
    if (inserted.length) {
      logger.info({ event: 'case-reminders-enqueued', count: inserted.length }, 'case reminders enqueued');
      this.deps.onEnqueued?.();
    }
    return inserted.map((k) => due.get(k)!.sent);
  }

  private cardData(c: ClockCase, clock: Clock['clock'], kind: ReminderKind, due: Date, escalation: boolean) {
    const dueText = swedishDate(due, this.deps.timeZone);
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
            ? `Utredningen skulle ha skickats till IVO senast ${dueText}. ${investigationClockNote(this.deps.clockRules ?? DEFAULT_CLOCK_RULES)}`
            : `Utredningen ska skickas till IVO senast ${dueText}. ${investigationClockNote(this.deps.clockRules ?? DEFAULT_CLOCK_RULES)}`,
      facts: [
        { title: 'Enhet', value: unit },
        { title: 'Senast', value: dueText },
      ],
    };
  }
}

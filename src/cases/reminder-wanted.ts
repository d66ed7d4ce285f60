/**
 * "Still wanted?" for case reminders and escalations, asked by the delivery worker just before a
 * row is sent (src/notify/delivery-worker.ts StillWanted; the app passes this in, so neither
 * module imports the other). A row waits in the outbox for the next working morning, or retries
 * for hours; meanwhile the case may have been decided, filed or closed. A row is wanted only while
 * the clock it was enqueued for still runs with the same deadline: the clock and the due day are
 * in its key (./reminders.ts), and the case is read through the same rule the case card uses.
 */
import { caseDigestCard } from '../cards/case-reminder-cards';
import { CardRenderer } from '../cards/render';
import type { OutboxRow } from '../store/outbox';
import type { Store } from '../store/store';
import { WorkingCalendar } from '../review/calendar';
import { isDigestKey, readDigestRecord, type CoveredLine } from './reminder-digests';
import { calendarDayIn, caseRunningClock, DEFAULT_CLOCK_RULES, runningClockDue, type ClockKind, type ClockRules, type WorkingDays } from './clocks';

export interface ReminderWantedDeps {
  store: Pick<Store, 'reports' | 'cases' | 'state'>;
  /** Renders a digest again with the cases still late (default: the card templates of the project). */
  cards?: CardRenderer;
  timeZone: string;
  /** The same rules and calendar as the reminder job's (CaseReminders), or a deadline reads as changed. */
  clockRules?: ClockRules;
  calendar?: WorkingDays;
}

/** A card to send instead of the row's own (structurally the delivery worker's RevisedCard). */
export interface RevisedCard {
  cardJson: string;
}

/** The shape the delivery worker asks (structurally its StillWanted). */
export interface CaseReminderCheck {
  wanted(row: Pick<OutboxRow, 'key'>, now: Date): Promise<boolean | RevisedCard>;
  entityType: 'report';
  droppedAction: 'case.reminder-dropped';
}

/** The purposes case reminders are enqueued under (./reminders.ts). */
export const CASE_REMINDER_PURPOSES = ['case-reminder', 'case-escalation'] as const;

/**
 * `case-reminder/<reference>/<clock>/<due day>/<kind>/<entra id>`, or the key before deadlines
 * were in it (no due day). Undefined for any other key.
 */
export function parseCaseReminderKey(key: string): { reference: string; clock: ClockKind; dueDay?: string } | undefined {
  const m = /^case-reminder\/([^/]+)\/(bedomning|anmalan|utredning|avslut)\/(?:(\d{4}-\d{2}-\d{2})\/)?(?:before-\d+|overdue)\/[^/]+$/.exec(key);
  if (!m) return undefined;
  return { reference: m[1]!, clock: m[2] as ClockKind, ...(m[3] ? { dueDay: m[3] } : {}) };
}

/**
 * The checks for both case reminder purposes, by purpose (for the delivery worker's stillWanted.byPurpose).
 * A digest (./reminder-digests.ts) is asked case by case: dropped when none is late any more, sent
 * as it is when all are, and otherwise sent as a new digest of those still late (`cards` renders it).
 */
export function caseReminderChecks(deps: ReminderWantedDeps): Record<(typeof CASE_REMINDER_PURPOSES)[number], CaseReminderCheck> {
  const rules = deps.clockRules ?? DEFAULT_CLOCK_RULES;
  const calendar = deps.calendar ?? new WorkingCalendar({ timeZone: deps.timeZone });
  const dayOf = calendarDayIn(deps.timeZone);
  const cards = deps.cards ?? new CardRenderer();
  /** Whether one case reminder key is still due: its clock runs, with the deadline in its key. */
  const stillDue = async (rowKey: string): Promise<boolean> => {
    const key = parseCaseReminderKey(rowKey);
    // Not a key this module wrote: not ours to judge.
    if (!key) return true;
    const report = await deps.store.reports.getByReference(key.reference);
    if (!report) return false;
    const run = caseRunningClock(report, await deps.store.cases.get(report.id));
    if (!run || run.clock !== key.clock) return false;
    // A key without its deadline (an earlier version's): the clock still running is all it can tell.
    return key.dueDay === undefined || dayOf(runningClockDue(run, calendar, rules, deps.timeZone)) === key.dueDay;
  };
  const check: CaseReminderCheck = {
    entityType: 'report',
    droppedAction: 'case.reminder-dropped',
    async wanted(row) {
      if (!isDigestKey(row.key)) return stillDue(row.key);
      const record = await readDigestRecord(deps.store.state, row.key);
      if (!record) return true;
      const still: CoveredLine[] = [];
      for (const line of record.lines) if (await stillDue(line.key)) still.push(line);
      if (still.length === 0) return false;
      if (still.length === record.lines.length) return true;
      return { cardJson: JSON.stringify(caseDigestCard(cards, still, deps.timeZone, record.escalation)) };
    },
  };
  return { 'case-reminder': check, 'case-escalation': check };
}

/**
 * "Still wanted?" for case reminders and escalations, asked by the delivery worker just before a
 * row is sent (src/notify/delivery-worker.ts StillWanted; the app passes this in, so neither
 * module imports the other). A row waits in the outbox for the next working morning, or retries
 * for hours; meanwhile the case may have been decided, filed or closed. A row is wanted only while
 * the clock it was enqueued for still runs with the same deadline: the clock and the due day are
 * in its key (./reminders.ts), and the case is read through the same rule the case card uses.
 */
import type { OutboxRow } from '../store/outbox';
import type { Store } from '../store/store';
import { WorkingCalendar } from '../review/calendar';
import { calendarDayIn, caseRunningClock, DEFAULT_CLOCK_RULES, runningClockDue, type ClockKind, type ClockRules, type WorkingDays } from './clocks';

export interface ReminderWantedDeps {
  store: Pick<Store, 'reports' | 'cases'>;
  timeZone: string;
  /** The same rules and calendar as the reminder job's (CaseReminders), or a deadline reads as changed. */
  clockRules?: ClockRules;
  calendar?: WorkingDays;
}

/** The shape the delivery worker asks (structurally its StillWanted). */
export interface CaseReminderCheck {
  wanted(row: Pick<OutboxRow, 'key'>, now: Date): Promise<boolean>;
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

/** The checks for both case reminder purposes, by purpose (for the delivery worker's stillWanted.byPurpose). */
export function caseReminderChecks(deps: ReminderWantedDeps): Record<(typeof CASE_REMINDER_PURPOSES)[number], CaseReminderCheck> {
  const rules = deps.clockRules ?? DEFAULT_CLOCK_RULES;
  const calendar = deps.calendar ?? new WorkingCalendar({ timeZone: deps.timeZone });
  const dayOf = calendarDayIn(deps.timeZone);
  const check: CaseReminderCheck = {
    entityType: 'report',
    droppedAction: 'case.reminder-dropped',
    async wanted(row) {
      const key = parseCaseReminderKey(row.key);
      // Not a key this module wrote: not ours to judge.
      if (!key) return true;
      const report = await deps.store.reports.getByReference(key.reference);
      if (!report) return false;
      const run = caseRunningClock(report, await deps.store.cases.get(report.id));
      if (!run || run.clock !== key.clock) return false;
      // A key without its deadline (an earlier version's): the clock still running is all it can tell.
      return key.dueDay === undefined || dayOf(runningClockDue(run, calendar, rules, deps.timeZone)) === key.dueDay;
    },
  };
  return { 'case-reminder': check, 'case-escalation': check };
}

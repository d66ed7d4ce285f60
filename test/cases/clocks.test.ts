import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import {
  CLOCK_RULES_HISTORY,
  DEFAULT_CLOCK_RULES,
  anmalanDue,
  anmalanDueDay,
  calendarDayIn,
  dayClockStatus,
  investigationDueDay,
  calendarDaysLeft,
  clockRulesAt,
  clockRulesProblems,
  clockStatus,
  investigationDue,
  remindersDue,
  type ClockRules,
  type ClockState,
  type EffectiveClockRules,
  type ReminderKind,
  assessmentDue,
  assessmentDueDay,
  assessmentRemindersDue,
  clockLabel,
  runningClock,
  runningClockDue,
  runningClockDueDay,
  anmalanRunStart,
  noAnmalanRunStart,
  reminderSendFrom,
  closingDue,
  closingDueDay,
  closingStartDay,
  CLOSING_CLOCK_FROM,
  caseRunningClock,
  type RunningClock,
} from '../../src/cases/clocks';
import { legalEvents, transition, type CaseContext } from '../../src/cases/state-machine';
import type { ReportState } from '../../src/reports/report';
import { WorkingCalendar } from '../../src/review/calendar';

const TZ = 'Europe/Stockholm';
/** A Stockholm wall-clock time, e.g. at('2026-03-20T10:15'). */
const at = (local: string) => DateTime.fromISO(local, { zone: TZ }).toJSDate();
const iso = (d: Date) => d.toISOString();
const RULES: ClockRules = { assessmentWorkingDays: 3, assessmentWorkingDaysUrgent: 1, anmalanSlaDays: 14, investigationToIvoMonths: 2, closingDays: 30, remindBeforeDays: [7, 2] };
const CALENDAR = new WorkingCalendar({ timeZone: TZ });

describe('lex Sarah clocks', () => {
  describe('rules', () => {
    it('the defaults: 14 days (local policy), 2 months (praxis), 30 days to close (local policy), reminders 7 and 2 days before', () => {
      // The closing clock came in on 2 December 2026 (re-review #13): it counts from that day at the earliest.
      assert.deepEqual(DEFAULT_CLOCK_RULES, { ...RULES, closingClockFrom: '2026-12-02' });
      assert.equal(CLOSING_CLOCK_FROM, '2026-12-02');
      assert.deepEqual(clockRulesProblems(DEFAULT_CLOCK_RULES), []);
    });

    const history: EffectiveClockRules[] = [
      // Deliberately out of order: the lookup must not depend on it.
      { validFrom: '2027-01-01', rules: { ...RULES, anmalanSlaDays: 10 }, source: 'ny lokal rutin' },
      { validFrom: '2011-07-01', rules: RULES, source: 'SOSFS 2011:5' },
    ];
    const table: [string, Date, number][] = [
      ['well before the change', at('2026-06-01T12:00'), 14],
      ['the last minute before the change (Stockholm)', at('2026-12-31T23:59'), 14],
      // 2026-12-31T23:30Z is already 1 January in Stockholm.
      ['the first minute of the change (Stockholm), still 31 Dec in UTC', new Date('2026-12-31T23:30:00Z'), 10],
      ['after the change', at('2027-06-01T12:00'), 10],
    ];
    for (const [what, date, days] of table) {
      it(`clockRulesAt: ${what} → ${days} days`, () => {
        assert.equal(clockRulesAt(date, history).anmalanSlaDays, days);
      });
    }
    it('clockRulesAt with the built-in history gives today\'s rules', () => {
      assert.deepEqual(clockRulesAt(at('2026-03-20T09:00')), DEFAULT_CLOCK_RULES);
      assert.ok(CLOCK_RULES_HISTORY.length >= 1);
      assert.ok(CLOCK_RULES_HISTORY.every((e) => e.source.trim() !== ''));
    });
    it('clockRulesAt before the first entry throws', () => {
      assert.throws(() => clockRulesAt(at('2011-06-30T12:00')), RangeError);
    });
    it('clockRulesAt refuses an unusable entry', () => {
      const bad: EffectiveClockRules[] = [{ validFrom: '2020-01-01', rules: { ...RULES, anmalanSlaDays: -1 }, source: 'x' }];
      assert.throws(() => clockRulesAt(at('2026-01-01T12:00'), bad), /anmalanSlaDays/);
    });
    it('clockRulesProblems names each problem', () => {
      assert.equal(clockRulesProblems({ ...RULES, anmalanSlaDays: 1.5, investigationToIvoMonths: 0, remindBeforeDays: [7, -2] }).length, 3);
    });
    const closing: [number, boolean][] = [[30, true], [0, true], [365, true], [-1, false], [1.5, false], [Number.NaN, false]];
    for (const [days, ok] of closing) {
      it(`clockRulesProblems: closingDays ${days} is ${ok ? 'usable' : 'refused'}`, () => {
        const problems = clockRulesProblems({ ...RULES, closingDays: days });
        assert.deepEqual(problems.filter((p) => /closingDays/.test(p)).length, ok ? 0 : 1, problems.join('; '));
      });
    }
    it('clockRulesAt refuses an entry with an unusable closingDays', () => {
      assert.throws(() => clockRulesAt(at('2026-01-01T12:00'), [{ validFrom: '2020-01-01', rules: { ...RULES, closingDays: -3 }, source: 'x' }]), /closingDays/);
    });
  });

  describe('anmalanDue: the local "snarast" SLA, end of the Stockholm day', () => {
    const table: [string, Date, string][] = [
      ['across the DST change (CET → CEST)', at('2026-03-20T10:00'), '2026-04-03T21:59:59.999Z'],
      ['late evening counts as that Stockholm day', at('2026-03-20T23:30'), '2026-04-03T21:59:59.999Z'],
      ['just after midnight Stockholm (still the day before in UTC)', new Date('2026-03-19T23:30:00Z'), '2026-04-03T21:59:59.999Z'],
      ['across a month end, winter time', at('2026-01-25T08:00'), '2026-02-08T22:59:59.999Z'],
      ['across the DST change back (CEST → CET)', at('2026-10-20T14:00'), '2026-11-03T22:59:59.999Z'],
      ['across the year end', at('2026-12-25T12:00'), '2027-01-08T22:59:59.999Z'],
      ['into a leap day', at('2028-02-15T12:00'), '2028-02-29T22:59:59.999Z'],
    ];
    for (const [what, decidedAt, want] of table) {
      it(`${what}: ${iso(decidedAt)} → ${want}`, () => {
        assert.equal(iso(anmalanDue(decidedAt, RULES, TZ)), want);
      });
    }
    it('due 2026-04-03 is 23:59:59.999 on the Stockholm wall clock', () => {
      const due = DateTime.fromJSDate(anmalanDue(at('2026-03-20T10:00'), RULES, TZ), { zone: TZ });
      assert.equal(due.toISO(), '2026-04-03T23:59:59.999+02:00');
    });
    it('follows the policy number (0 days = the same day)', () => {
      assert.equal(iso(anmalanDue(at('2026-03-20T10:00'), { ...RULES, anmalanSlaDays: 0 }, TZ)), '2026-03-20T22:59:59.999Z');
    });
    it('accepts an ISO calendar date', () => {
      assert.equal(iso(anmalanDue('2026-03-20', RULES, TZ)), '2026-04-03T21:59:59.999Z');
    });
    it('an invalid time zone throws', () => {
      assert.throws(() => anmalanDue(at('2026-03-20T10:00'), RULES, 'Europe/Nowhere'), RangeError);
    });
  });

  describe('investigationDue: two calendar months after the anmälan (SOSFS 2011:5)', () => {
    const table: [string, string, string][] = [
      // [filed (Stockholm date), due day (Stockholm), due instant]
      ['month end into a leap February', '2027-12-31', '2028-02-29T22:59:59.999Z'],
      ['month end into a common February', '2026-12-31', '2027-02-28T22:59:59.999Z'],
      ['31 Jan → 31 Mar (across DST: CEST on 31 Mar)', '2026-01-31', '2026-03-31T21:59:59.999Z'],
      ['30 Nov → 30 Jan', '2026-11-30', '2027-01-30T22:59:59.999Z'],
      ['31 Aug → 31 Oct (CET again on 31 Oct 2026)', '2026-08-31', '2026-10-31T22:59:59.999Z'],
      ['29 Dec → 29 Feb in a leap year', '2027-12-29', '2028-02-29T22:59:59.999Z'],
      ['30 Dec → 28 Feb in a common year', '2026-12-30', '2027-02-28T22:59:59.999Z'],
      ['an ordinary day', '2026-04-01', '2026-06-01T21:59:59.999Z'],
    ];
    for (const [what, filed, want] of table) {
      it(`${what}: ${filed} → ${want}`, () => {
        assert.equal(iso(investigationDue(at(`${filed}T15:00`), RULES, TZ)), want);
        assert.equal(iso(investigationDue(filed, RULES, TZ)), want, 'as an ISO date');
      });
    }
    it('filed just after midnight Stockholm on 1 Jan counts as 1 Jan, not 31 Dec', () => {
      assert.equal(iso(investigationDue(new Date('2026-12-31T23:10:00Z'), RULES, TZ)), '2027-03-01T22:59:59.999Z');
    });
  });

  describe('clockStatus at the boundaries (due 2026-04-03, reminders 7 and 2 days before)', () => {
    const due = anmalanDue(at('2026-03-20T10:00'), RULES, TZ);
    const table: [string, Date, ClockState, number][] = [
      ['the decision day', at('2026-03-20T10:00'), 'i-tid', 14],
      ['8 days before, last minute', at('2026-03-26T23:59'), 'i-tid', 8],
      ['7 days before, first minute', at('2026-03-27T00:00'), 'narmar-sig', 7],
      ['the day before the DST change', at('2026-03-28T12:00'), 'narmar-sig', 6],
      ['the DST day itself (23 hours long)', at('2026-03-29T12:00'), 'narmar-sig', 5],
      ['the due day, morning', at('2026-04-03T08:00'), 'narmar-sig', 0],
      ['the due day, last millisecond', new Date('2026-04-03T21:59:59.999Z'), 'narmar-sig', 0],
      ['the day after, first millisecond', new Date('2026-04-03T22:00:00.000Z'), 'forsenad', -1],
      ['ten days late', at('2026-04-13T12:00'), 'forsenad', -10],
    ];
    for (const [what, now, state, daysLeft] of table) {
      it(`${what} → ${state}, ${daysLeft} days left`, () => {
        assert.deepEqual(clockStatus(due, now, RULES, TZ), { state, daysLeft });
      });
    }
    it('without reminders, only the due day itself is "närmar sig"', () => {
      const none = { ...RULES, remindBeforeDays: [] };
      assert.equal(clockStatus(due, at('2026-04-02T12:00'), none, TZ).state, 'i-tid');
      assert.equal(clockStatus(due, at('2026-04-03T12:00'), none, TZ).state, 'narmar-sig');
    });
    it('days left are calendar days across the DST change back (a 25-hour day)', () => {
      const autumn = anmalanDue(at('2026-10-20T10:00'), RULES, TZ); // 2026-11-03
      assert.equal(calendarDaysLeft(autumn, at('2026-10-24T23:30'), TZ), 10);
      assert.equal(calendarDaysLeft(autumn, at('2026-10-25T23:30'), TZ), 9);
    });
  });

  describe('remindersDue at the boundaries (due 2026-04-03)', () => {
    const due = anmalanDue(at('2026-03-20T10:00'), RULES, TZ);
    const table: [string, Date, ReminderKind[]][] = [
      ['8 days before', at('2026-03-26T23:59'), []],
      ['7 days before, first minute', at('2026-03-27T00:00'), ['before-7']],
      ['3 days before', at('2026-03-31T23:59'), ['before-7']],
      ['2 days before, first minute', at('2026-04-01T00:00'), ['before-7', 'before-2']],
      ['the due day, last millisecond', new Date('2026-04-03T21:59:59.999Z'), ['before-7', 'before-2']],
      ['the day after, first millisecond', new Date('2026-04-03T22:00:00.000Z'), ['overdue']],
      ['a month late', at('2026-05-03T12:00'), ['overdue']],
    ];
    for (const [what, now, want] of table) {
      it(`${what} → ${want.join(', ') || 'none'}`, () => {
        assert.deepEqual(remindersDue(due, now, RULES, TZ), want);
      });
    }
    it('order of remindBeforeDays does not matter, duplicates count once', () => {
      assert.deepEqual(remindersDue(due, at('2026-04-02T12:00'), { ...RULES, remindBeforeDays: [2, 7, 2] }, TZ), ['before-7', 'before-2']);
    });
    it('a reminder on the due day itself (0 days before)', () => {
      const rules = { ...RULES, remindBeforeDays: [0] };
      assert.deepEqual(remindersDue(due, at('2026-04-02T23:59'), rules, TZ), []);
      assert.deepEqual(remindersDue(due, at('2026-04-03T00:00'), rules, TZ), ['before-0']);
    });
    it('the two-month clock: reminders a week before 28 Feb 2027', () => {
      const inv = investigationDue('2026-12-31', RULES, TZ);
      assert.deepEqual(remindersDue(inv, at('2027-02-20T23:59'), RULES, TZ), []);
      assert.deepEqual(remindersDue(inv, at('2027-02-21T00:00'), RULES, TZ), ['before-7']);
      assert.deepEqual(remindersDue(inv, at('2027-03-01T00:00'), RULES, TZ), ['overdue']);
    });
  });

  describe('by calendar day (the fast path of the status summary)', () => {
    it('calendarDayIn gives Intl\'s day for every instant, in zones with half- and quarter-hour offsets and DST, reused across days', () => {
      // Its memo holds one day per UTC quarter hour: a zone whose midnight fell inside one would fail here.
      const zones = ['Europe/Stockholm', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham', 'Asia/Kolkata', 'UTC'];
      let checked = 0;
      for (const zone of zones) {
        const dayOf = calendarDayIn(zone);
        const intl = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
        // Every 7 minutes over two years: each quarter hour seen more than once, every DST change crossed.
        for (let t = Date.parse('2025-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 7 * 60_000 + 13_000) {
          const at = new Date(t);
          assert.equal(dayOf(at), intl.format(at), `${zone} ${at.toISOString()}`);
          checked++;
        }
      }
      assert.ok(checked > 1_000_000);
      assert.throws(() => calendarDayIn(TZ)(new Date(Number.NaN)), RangeError);
    });

    // [zone, an instant seen first in its quarter hour, an instant after midnight in the same quarter]:
    // St John's changed at 00:01 local until 2010; Stockholm's mean time before 1900 was +0:53:28.
    const offQuarter: [string, string, string][] = [
      ['America/St_Johns', '2010-11-07T02:30:00Z', '2010-11-07T02:31:00Z'],
      ['America/St_Johns', '2010-11-07T02:31:00Z', '2010-11-07T02:30:00Z'],
      ['Europe/Stockholm', '1870-01-01T23:00:00Z', '1870-01-01T23:10:00Z'],
      ['Africa/Monrovia', '1970-06-01T00:30:00Z', '1970-06-01T00:44:59Z'],
    ];
    for (const [zone, first, then] of offQuarter) {
      it(`calendarDayIn stays right where a day changes inside a UTC quarter hour: ${zone} ${first} then ${then}`, () => {
        const dayOf = calendarDayIn(zone);
        const intl = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
        for (const t of [first, then, first]) assert.equal(dayOf(new Date(t)), intl.format(new Date(t)), `${zone} ${t}`);
        assert.notEqual(intl.format(new Date(first)), intl.format(new Date(then)), 'the two instants must lie on two days, or the case tests nothing');
      });
    }

    it('gives the same deadline and status as the instant-based clocks, every 13 hours over 2025–2027 (DST included)', () => {
      const dayOf = calendarDayIn(TZ);
      const rules: ClockRules[] = [
        RULES,
        { ...RULES, anmalanSlaDays: 0, investigationToIvoMonths: 1, closingDays: 0, remindBeforeDays: [] },
        { ...RULES, anmalanSlaDays: 30, investigationToIvoMonths: 3, closingDays: 90, remindBeforeDays: [14, 1] },
      ];
      let checked = 0;
      for (let t = Date.parse('2025-01-01T00:00:00Z'); t < Date.parse('2027-12-31T00:00:00Z'); t += 13 * 3_600_000) {
        const decided = new Date(t);
        const day = dayOf(decided);
        assert.equal(day, DateTime.fromJSDate(decided, { zone: TZ }).toISODate());
        for (const r of rules) {
          const due = anmalanDue(decided, r, TZ);
          const dueDay = anmalanDueDay(day, r);
          assert.equal(dueDay, DateTime.fromJSDate(due, { zone: TZ }).toISODate(), `anmälan after ${decided.toISOString()}`);
          assert.equal(investigationDueDay(day, r), DateTime.fromJSDate(investigationDue(day, r, TZ), { zone: TZ }).toISODate(), `investigation from ${day}`);
          const closeBy = closingDue(decided, r, TZ);
          const closeDay = closingDueDay(day, r);
          assert.equal(closeDay, DateTime.fromJSDate(closeBy, { zone: TZ }).toISODate(), `closing after ${decided.toISOString()}`);
          assert.equal(closeDay, DateTime.fromJSDate(closingDue(day, r, TZ), { zone: TZ }).toISODate(), `closing from the IVO day ${day}`);
          for (const now of [new Date(closeBy.getTime() - 1), new Date(closeBy.getTime() + 1), new Date(closeBy.getTime() - 7 * 86_400_000)]) {
            assert.deepEqual(dayClockStatus(closeDay, dayOf(now), r, 'avslut'), clockStatus(closeBy, now, r, TZ, 'avslut'), `closing ${closeDay} at ${now.toISOString()}`);
          }
          // "now" just before and after the end of the due day, and a week before.
          for (const now of [new Date(due.getTime() - 1), new Date(due.getTime() + 1), new Date(due.getTime() - 7 * 86_400_000)]) {
            assert.deepEqual(dayClockStatus(dueDay, dayOf(now), r), clockStatus(due, now, r, TZ), `${dueDay} at ${now.toISOString()}`);
          }
          checked++;
        }
      }
      assert.ok(checked > 5_000);
    });
  });

  describe('the assessment clock from receipt (local policy, working days)', () => {
    it('the default rules are labelled local policy and give an urgent report fewer working days', () => {
      assert.ok(DEFAULT_CLOCK_RULES.assessmentWorkingDaysUrgent < DEFAULT_CLOCK_RULES.assessmentWorkingDays);
      assert.match(CLOCK_RULES_HISTORY.at(-1)!.source, /Lokal rutin: bedömning inom/);
      assert.match(clockRulesProblems({ ...RULES, assessmentWorkingDaysUrgent: 5 }).join(), /must not exceed/);
    });

    // [received (Stockholm), urgent, due day]: working days skip weekends and Swedish public holidays.
    const cases: [string, boolean, string][] = [
      ['2026-11-23T08:00', false, '2026-11-26'], // Monday → Thursday
      ['2026-11-23T08:00', true, '2026-11-24'], // urgent: the next working day
      ['2026-11-27T16:00', true, '2026-11-30'], // Friday, urgent → Monday
      ['2026-11-28T12:00', false, '2026-12-02'], // Saturday: Mon, Tue, Wed
      ['2026-04-02T10:00', true, '2026-04-07'], // skärtorsdagen → past Easter (långfredag, annandag påsk)
      ['2026-12-23T10:00', false, '2026-12-30'], // julafton, juldagen, annandag jul are not working days
      ['2026-06-18T10:00', true, '2026-06-22'], // the day before midsommarafton → Monday
    ];
    for (const [received, urgent, due] of cases) {
      it(`received ${received}${urgent ? ' (brådskande)' : ''} → due ${due}`, () => {
        assert.equal(assessmentDueDay(received.slice(0, 10), urgent, CALENDAR, RULES), due);
        assert.equal(DateTime.fromJSDate(assessmentDue(at(received), urgent, CALENDAR, RULES, TZ), { zone: TZ }).toFormat("yyyy-MM-dd'T'HH:mm"), `${due}T23:59`);
      });
    }

    it('an unassessed report has a running clock (never "no clock"); a decision stops it', () => {
      const createdAt = at('2026-11-23T08:00');
      assert.deepEqual(runningClock({ state: 'rapporterad', createdAt, urgent: true }), { clock: 'bedomning', receivedAt: createdAt, urgent: true });
      assert.deepEqual(runningClock({ state: 'under-utredning', createdAt, urgent: false }), { clock: 'bedomning', receivedAt: createdAt, urgent: false });
      assert.equal(runningClock({ state: 'bedomd', createdAt, urgent: true }), undefined);
      const decidedAt = at('2026-11-24T10:00');
      assert.deepEqual(runningClock({ state: 'bedomd', createdAt, anmalanDecidedAt: decidedAt }), { clock: 'anmalan', decidedAt });
    });

    it('an unassessed BRÅDSKANDE report turns red after its local deadline: approaching on the due day, overdue the day after', () => {
      const run = runningClock({ state: 'rapporterad', createdAt: at('2026-11-27T16:00'), urgent: true })!; // Friday
      const due = runningClockDue(run, CALENDAR, RULES, TZ);
      const dayOf = calendarDayIn(TZ);
      const dueDay = runningClockDueDay(run, CALENDAR, dayOf, RULES);
      assert.equal(dueDay, '2026-11-30');
      const expected: [string, ClockState][] = [['2026-11-27T17:00', 'i-tid'], ['2026-11-29T12:00', 'narmar-sig'], ['2026-11-30T23:59', 'narmar-sig'], ['2026-12-01T00:01', 'forsenad']];
      for (const [now, state] of expected) {
        assert.equal(clockStatus(due, at(now), RULES, TZ, 'bedomning').state, state, now);
        assert.deepEqual(dayClockStatus(dueDay, dayOf(at(now)), RULES, 'bedomning'), clockStatus(due, at(now), RULES, TZ, 'bedomning'), now);
      }
    });

    // [received (Stockholm), urgent, now (Stockholm), reminders due]. One reminder, on the last
    // working day before the due day; when that day is the day of receipt (the report's own routing
    // card told them that day: a BRÅDSKANDE report), on the morning of the due day instead, so that
    // the first signal after the routing card is never already the escalation (review #13).
    const reminderTable: [string, boolean, string, ReminderKind[]][] = [
      ['2026-11-23T08:00', false, '2026-11-24T23:59', []], // Monday → due Thursday 26th
      ['2026-11-23T08:00', false, '2026-11-25T00:00', ['before-1']], // Wednesday, the working day before
      ['2026-11-23T08:00', false, '2026-11-26T23:59', ['before-1']],
      ['2026-11-23T08:00', false, '2026-11-27T00:00', ['overdue']],
      ['2026-11-27T10:00', false, '2026-11-30T23:59', []], // Friday → due Wednesday 2 Dec: the weekend does not count
      ['2026-11-27T10:00', false, '2026-12-01T00:00', ['before-1']],
      ['2026-11-27T16:00', true, '2026-11-28T12:00', []], // Friday, urgent → due Monday; the working day before is the day of receipt
      ['2026-11-27T16:00', true, '2026-11-29T23:59', []],
      ['2026-11-27T16:00', true, '2026-11-30T00:00', ['before-0']], // so the due day's morning (sent from 08:00: reminderSendFrom)
      ['2026-11-27T16:00', true, '2026-11-30T23:59', ['before-0']],
      ['2026-11-27T16:00', true, '2026-12-01T00:00', ['overdue']],
      ['2026-11-23T08:00', true, '2026-11-23T23:59', []], // Monday, urgent → due Tuesday
      ['2026-11-23T08:00', true, '2026-11-24T00:00', ['before-0']],
      ['2026-11-23T08:00', true, '2026-11-25T00:00', ['overdue']],
      ['2026-11-28T12:00', true, '2026-11-29T12:00', []], // Saturday, urgent → due Monday; Friday was before the report
      ['2026-11-28T12:00', true, '2026-11-30T08:00', ['before-0']],
      ['2026-12-23T10:00', false, '2026-12-28T12:00', []], // due 30 Dec over jul: the reminder on Tuesday 29th
      ['2026-12-23T10:00', false, '2026-12-29T00:00', ['before-1']],
      ['2026-04-02T10:00', true, '2026-04-06T12:00', []], // skärtorsdagen → due Tuesday after Easter; no working day in between
      ['2026-04-02T10:00', true, '2026-04-07T00:00', ['before-0']], // the due day's morning, before anyone is escalated to
      ['2026-04-02T10:00', true, '2026-04-08T00:00', ['overdue']],
    ];
    for (const [received, urgent, now, want] of reminderTable) {
      it(`reminders: received ${received}${urgent ? ' (brådskande)' : ''}, at ${now} → ${want.join(', ') || 'none'}`, () => {
        const due = assessmentDue(at(received), urgent, CALENDAR, RULES, TZ);
        assert.deepEqual(assessmentRemindersDue(at(received), due, at(now), CALENDAR, TZ), want);
      });
    }

    it('reminders: a local policy of 0 working days is due the day of receipt and only escalates', () => {
      const rules = { ...RULES, assessmentWorkingDaysUrgent: 0 };
      const received = at('2026-11-24T10:00'); // Tuesday
      const due = assessmentDue(received, true, CALENDAR, rules, TZ);
      assert.deepEqual(assessmentRemindersDue(received, due, at('2026-11-24T23:59'), CALENDAR, TZ), []);
      assert.deepEqual(assessmentRemindersDue(received, due, at('2026-11-25T00:00'), CALENDAR, TZ), ['overdue']);
    });

    it('labels every clock as local policy where the law gives no number', () => {
      assert.match(clockLabel({ clock: 'bedomning', receivedAt: new Date(), urgent: true }, RULES).note, /^Lokal rutin: bedömning inom 1 arbetsdag /);
      assert.match(clockLabel({ clock: 'bedomning', receivedAt: new Date(), urgent: false }, RULES).note, /inom 3 arbetsdagar/);
      assert.match(clockLabel({ clock: 'anmalan', decidedAt: new Date() }, RULES).note, /^Lokal rutin: inom 14 dagar/);
      // A setting of 1 reads as Swedish, never "1 dagar".
      assert.match(clockLabel({ clock: 'anmalan', decidedAt: new Date() }, { ...RULES, anmalanSlaDays: 1 }).note, /^Lokal rutin: inom 1 dag \(/);
    });
  });

  // Review #13: "Ny bedömning" with the same serious outcome does not restart "snarast".
  describe('anmalanRunStart: the anmälan counts from the first decision of the unbroken serious run', () => {
    const d = (day: string, requiresAnmalan: boolean) => ({ decidedAt: at(`${day}T10:00`), requiresAnmalan });
    // [decisions oldest first (day, requires an anmälan), the day "snarast" counts from]
    const table: [string, [string, boolean][], string | undefined][] = [
      ['no decision', [], undefined],
      ['one serious decision', [['2026-11-20', true]], '2026-11-20'],
      ['re-assessed, still serious', [['2026-11-20', true], ['2026-12-15', true]], '2026-11-20'],
      ['serious, then not serious (taken back)', [['2026-11-20', true], ['2026-12-01', false]], undefined],
      ['not serious, then serious', [['2026-11-20', false], ['2026-12-01', true]], '2026-12-01'],
      ['a broken run starts again', [['2026-11-20', true], ['2026-11-25', false], ['2026-12-01', true], ['2026-12-09', true]], '2026-12-01'],
    ];
    for (const [what, decisions, want] of table) {
      it(`${what} → ${want ?? 'no anmälan clock'}`, () => {
        const from = anmalanRunStart(decisions.map(([day, serious]) => d(day, serious)));
        assert.equal(from && DateTime.fromJSDate(from, { zone: TZ }).toISODate(), want);
      });
    }
  });

  // Review #13: a reminder enqueued at night or on a weekend waits for the next working morning.
  describe('reminderSendFrom: reminders go out in working hours (07–18 on working days), else at 08:00 the next working day', () => {
    // [enqueued (Stockholm), sent from (Stockholm)]
    const table: [string, string, string][] = [
      ['a working morning', '2026-11-25T09:30', '2026-11-25T09:30'],
      ['the start of working hours', '2026-11-25T07:00', '2026-11-25T07:00'],
      ['a working day before 07:00', '2026-11-25T06:59', '2026-11-25T08:00'],
      ['just after midnight on a working day', '2026-11-25T00:00', '2026-11-25T08:00'],
      ['the last minute of working hours', '2026-11-25T17:59', '2026-11-25T17:59'],
      ['a working evening', '2026-11-25T18:00', '2026-11-26T08:00'],
      ['Friday evening', '2026-11-27T20:00', '2026-11-30T08:00'],
      ['Saturday midnight (a Friday decision escalating)', '2026-12-12T00:00', '2026-12-14T08:00'],
      ['Sunday noon', '2026-11-29T12:00', '2026-11-30T08:00'],
      ['långfredagen', '2026-04-03T10:00', '2026-04-07T08:00'],
      ['skärtorsdagen evening, Easter ahead', '2026-04-02T19:00', '2026-04-07T08:00'],
      ['julafton', '2026-12-24T09:00', '2026-12-28T08:00'],
      ['the night the clocks go forward', '2026-03-29T02:30', '2026-03-30T08:00'],
    ];
    for (const [what, enqueued, want] of table) {
      it(`${what}: ${enqueued} → ${want}`, () => {
        const from = reminderSendFrom(at(enqueued), CALENDAR, TZ);
        assert.equal(DateTime.fromJSDate(from, { zone: TZ }).toFormat("yyyy-MM-dd'T'HH:mm"), want);
        assert.ok(from.getTime() >= at(enqueued).getTime(), 'never earlier than enqueued');
      });
    }
  });

  describe('the two-month clock for the investigation is local policy / praxis, not law', () => {
    it('its label says local policy and never presents SOSFS 2011:5 as its source', () => {
      const { label, note } = clockLabel({ clock: 'utredning', filedOn: '2026-11-20' }, RULES);
      assert.equal(label, 'Utredningen till IVO');
      assert.match(note, /^Lokal rutin\/praxis: inom två månader efter anmälan/);
      assert.ok(!/SOSFS/.test(note), note);
      assert.match(clockLabel({ clock: 'utredning', filedOn: '2026-11-20' }, { ...RULES, investigationToIvoMonths: 3 }).note, /inom 3 månader/);
      assert.match(clockLabel({ clock: 'utredning', filedOn: '2026-11-20' }, { ...RULES, investigationToIvoMonths: 1 }).note, /inom 1 månad efter/);
      assert.ok(!/SOSFS 2011:5 \(utredningen till IVO\)/.test(CLOCK_RULES_HISTORY.at(-1)!.source));
    });
  });

  // The Båstad pattern: a case judged "ej allvarligt", or whose investigation is at IVO, sat open
  // with no clock at all. SoL 27 kap. 5 § says "genast" and gives no number: 'avslut' is local policy.
  describe('the closing clock (avslut): local policy, from the decision needing no anmälan or the investigation at IVO', () => {
    it('its default is 30 calendar days, labelled local policy in the rules source', () => {
      assert.equal(DEFAULT_CLOCK_RULES.closingDays, 30);
      assert.match(CLOCK_RULES_HISTORY.at(-1)!.source, /avslut inom 30 dagar/);
    });

    // [what, from (Stockholm wall clock, or an ISO day), due instant]
    const dueTable: [string, Date | string, string][] = [
      ['an ordinary decision, across the DST change (CET → CEST)', at('2026-03-20T10:00'), '2026-04-19T21:59:59.999Z'],
      ['just after midnight Stockholm (still the day before in UTC)', new Date('2026-03-19T23:30:00Z'), '2026-04-19T21:59:59.999Z'],
      ['late evening counts as that Stockholm day', at('2026-03-20T23:59'), '2026-04-19T21:59:59.999Z'],
      ['across the DST change back (CEST → CET)', at('2026-10-10T12:00'), '2026-11-09T22:59:59.999Z'],
      ['across the year end', at('2026-12-15T09:00'), '2027-01-14T22:59:59.999Z'],
      ['through a leap February', at('2028-02-01T09:00'), '2028-03-02T22:59:59.999Z'],
      ['through a common February', at('2027-02-01T09:00'), '2027-03-03T22:59:59.999Z'],
      ['the day the investigation reached IVO (an ISO day)', '2026-11-20', '2026-12-20T22:59:59.999Z'],
      ['an IVO day at a month end', '2026-01-31', '2026-03-02T22:59:59.999Z'],
    ];
    for (const [what, from, want] of dueTable) {
      it(`closingDue: ${what} → ${want}`, () => {
        assert.equal(iso(closingDue(from, RULES, TZ)), want);
        const day = typeof from === 'string' ? from : DateTime.fromJSDate(from, { zone: TZ }).toISODate()!;
        assert.equal(closingDueDay(day, RULES), DateTime.fromJSDate(closingDue(from, RULES, TZ), { zone: TZ }).toISODate(), 'the day path agrees');
      });
    }
    it('follows the policy number (0 days = the same day)', () => {
      assert.equal(iso(closingDue(at('2026-03-20T10:00'), { ...RULES, closingDays: 0 }, TZ)), '2026-03-20T22:59:59.999Z');
      assert.equal(closingDueDay('2026-03-20', { ...RULES, closingDays: 45 }), '2026-05-04');
    });

    // Every boundary day, by both paths: due 2026-04-19 (decided 20 March), warning from max(remindBeforeDays) = 7 days before.
    const run: RunningClock = { clock: 'avslut', since: 'beslut', decidedAt: at('2026-03-20T10:00') };
    const statusTable: [string, Date, ClockState, number, ReminderKind[]][] = [
      ['the decision day', at('2026-03-20T10:00'), 'i-tid', 30, []],
      ['8 days before, last minute', at('2026-04-11T23:59'), 'i-tid', 8, []],
      ['7 days before, first minute', at('2026-04-12T00:00'), 'narmar-sig', 7, ['before-7']],
      ['3 days before', at('2026-04-16T12:00'), 'narmar-sig', 3, ['before-7']],
      ['2 days before, first minute', at('2026-04-17T00:00'), 'narmar-sig', 2, ['before-7', 'before-2']],
      ['the due day, morning', at('2026-04-19T08:00'), 'narmar-sig', 0, ['before-7', 'before-2']],
      ['the due day, last millisecond', new Date('2026-04-19T21:59:59.999Z'), 'narmar-sig', 0, ['before-7', 'before-2']],
      ['the day after, first millisecond', new Date('2026-04-19T22:00:00.000Z'), 'forsenad', -1, ['overdue']],
      ['a year later, still open', at('2027-04-19T12:00'), 'forsenad', -365, ['overdue']],
    ];
    for (const [what, now, state, daysLeft, reminders] of statusTable) {
      it(`${what} → ${state}, ${daysLeft} days left, reminders ${reminders.join(', ') || 'none'}`, () => {
        const due = runningClockDue(run, CALENDAR, RULES, TZ);
        assert.deepEqual(clockStatus(due, now, RULES, TZ, 'avslut'), { state, daysLeft });
        const dayOf = calendarDayIn(TZ);
        const dueDay = runningClockDueDay(run, CALENDAR, dayOf, RULES);
        assert.equal(dueDay, '2026-04-19');
        assert.deepEqual(dayClockStatus(dueDay, dayOf(now), RULES, 'avslut'), { state, daysLeft }, 'the day path agrees');
        assert.deepEqual(remindersDue(due, now, RULES, TZ), reminders);
      });
    }
    it('from the IVO day: the same instant and day by both paths', () => {
      const ivo: RunningClock = { clock: 'avslut', since: 'utredning-hos-ivo', atIvoOn: '2026-12-31' };
      assert.equal(iso(runningClockDue(ivo, CALENDAR, RULES, TZ)), '2027-01-30T22:59:59.999Z');
      assert.equal(runningClockDueDay(ivo, CALENDAR, calendarDayIn(TZ), RULES), '2027-01-30');
    });

    const decided = at('2026-11-24T10:00');
    const created = at('2026-11-20T09:00');
    // [what, the facts the store lists, the clock that runs]
    const runTable: [string, Parameters<typeof runningClock>[0], RunningClock | undefined][] = [
      ['bedömd, the decision needs no anmälan', { state: 'bedomd', createdAt: created, noAnmalanDecidedAt: decided }, { clock: 'avslut', since: 'beslut', decidedAt: decided }],
      ['the same from the clock list (no receipt)', { noAnmalanDecidedAt: decided }, { clock: 'avslut', since: 'beslut', decidedAt: decided }],
      ['bedömd as serious: the anmälan, not the closing', { state: 'bedomd', createdAt: created, anmalanDecidedAt: decided }, { clock: 'anmalan', decidedAt: decided }],
      ['anmäld, the investigation attached', { state: 'anmald', createdAt: created, anmalanDecidedAt: decided, filedOn: '2026-11-30', investigationAttached: true }, { clock: 'avslut', since: 'utredning-hos-ivo', atIvoOn: '2026-11-30' }],
      ['anmäld, attached, the store also giving it as sent that day', { state: 'anmald', filedOn: '2026-11-30', investigationAttached: true, investigationSentOn: '2026-11-30' }, { clock: 'avslut', since: 'utredning-hos-ivo', atIvoOn: '2026-11-30' }],
      ['anmäld, the investigation still to be sent', { state: 'anmald', filedOn: '2026-11-30', investigationAttached: false }, { clock: 'utredning', filedOn: '2026-11-30' }],
      ['anmäld, the investigation sent later', { state: 'anmald', filedOn: '2026-11-30', investigationAttached: false, investigationSentOn: '2027-01-12' }, { clock: 'avslut', since: 'utredning-hos-ivo', atIvoOn: '2027-01-12' }],
      ['avslutad: nothing runs, whatever else is known', { state: 'avslutad', createdAt: created, noAnmalanDecidedAt: decided, filedOn: '2026-11-30', investigationAttached: true }, undefined],
      ['under utredning: the assessment, never the closing', { state: 'under-utredning', createdAt: created }, { clock: 'bedomning', receivedAt: created, urgent: false }],
    ];
    for (const [what, facts, want] of runTable) {
      it(`runningClock: ${what} → ${want ? `${want.clock}${want.clock === 'avslut' ? ` (${want.since})` : ''}` : 'none'}`, () => {
        assert.deepEqual(runningClock(facts), want);
      });
    }

    // [what, decisions oldest first (day, requires an anmälan), the day the closing counts from]
    const runStart: [string, [string, boolean][], string | undefined][] = [
      ['no decision', [], undefined],
      ['one decision needing no anmälan', [['2026-11-20', false]], '2026-11-20'],
      ['re-assessed, still no anmälan: the run goes on (a new decision buys no time)', [['2026-11-20', false], ['2026-12-15', false]], '2026-11-20'],
      ['serious, then taken back: from the decision taking it back', [['2026-11-20', true], ['2026-12-01', false]], '2026-12-01'],
      ['not serious, then serious: no closing clock (the anmälan runs)', [['2026-11-20', false], ['2026-12-01', true]], undefined],
      // Re-review #13: the duty to investigate to the end runs from the first time the case needed no anmälan.
      ['not serious, serious, not serious again: from the first (a flip buys no time)', [['2026-11-20', false], ['2026-11-25', true], ['2026-12-01', false], ['2026-12-09', false]], '2026-11-20'],
      ['ej allvarligt 2 Nov, allvarligt and back an hour apart on 30 Nov: from 2 Nov', [['2026-11-02', false], ['2026-11-30', true], ['2026-11-30', false]], '2026-11-02'],
      ['serious, taken back, serious, taken back: from the first taking back', [['2026-11-20', true], ['2026-11-25', false], ['2026-12-01', true], ['2026-12-09', false]], '2026-11-25'],
    ];
    for (const [what, decisions, want] of runStart) {
      it(`noAnmalanRunStart: ${what} → ${want ?? 'none'}`, () => {
        const from = noAnmalanRunStart(decisions.map(([day, requiresAnmalan]) => ({ decidedAt: at(`${day}T10:00`), requiresAnmalan })));
        assert.equal(from && DateTime.fromJSDate(from, { zone: TZ }).toISODate(), want);
      });
    }

    it('a flip to serious and back keeps the due day: 2 Nov + 30 days, not 30 days from the flip back', () => {
      const decisions = [
        { requiresAnmalan: false, decidedAt: at('2026-11-02T10:00') },
        { requiresAnmalan: true, decidedAt: at('2026-11-30T10:00') },
        { requiresAnmalan: false, decidedAt: at('2026-11-30T11:00') },
      ];
      const run = caseRunningClock({ state: 'bedomd', createdAt: at('2026-11-01T09:00'), urgent: false }, { decisions })!;
      assert.equal(runningClockDueDay(run, CALENDAR, calendarDayIn(TZ), RULES), '2026-12-02');
    });

    it('caseRunningClock: the case as loaded gives the same clock as the store lists (closed: none)', () => {
      const report = (state: string) => ({ state, createdAt: created, urgent: false });
      const d = (day: string, requiresAnmalan: boolean) => ({ decidedAt: at(`${day}T10:00`), requiresAnmalan });
      const filing = (over: { investigationAttached: boolean; investigationSentOn?: string }) => ({ filedOn: '2026-12-02', ...over });
      assert.deepEqual(caseRunningClock(report('bedomd'), { decisions: [d('2026-11-24', false), d('2026-12-01', false)] }), { clock: 'avslut', since: 'beslut', decidedAt: at('2026-11-24T10:00') });
      assert.deepEqual(caseRunningClock(report('bedomd'), { decisions: [d('2026-11-20', false), d('2026-11-24', true), d('2026-12-01', false)] }), { clock: 'avslut', since: 'beslut', decidedAt: at('2026-11-20T10:00') });
      assert.deepEqual(caseRunningClock(report('bedomd'), { decisions: [d('2026-11-24', true), d('2026-12-01', false)] }), { clock: 'avslut', since: 'beslut', decidedAt: at('2026-12-01T10:00') });
      assert.deepEqual(caseRunningClock(report('anmald'), { decisions: [d('2026-11-24', true)], filing: filing({ investigationAttached: true }) }), { clock: 'avslut', since: 'utredning-hos-ivo', atIvoOn: '2026-12-02' });
      assert.deepEqual(caseRunningClock(report('anmald'), { decisions: [d('2026-11-24', true)], filing: filing({ investigationAttached: false, investigationSentOn: '2027-01-20' }) }), { clock: 'avslut', since: 'utredning-hos-ivo', atIvoOn: '2027-01-20' });
      assert.equal(caseRunningClock(report('avslutad'), { decisions: [d('2026-11-24', false)] }), undefined);
    });

    it('its label says local policy, names the number and what it counts from, and never presents it as law', () => {
      const afterDecision = clockLabel({ clock: 'avslut', since: 'beslut', decidedAt: new Date() }, RULES);
      // A statement of what is due, not a second "Avsluta ärendet" beside the button of that name.
      assert.equal(afterDecision.label, 'Ärendet ska avslutas');
      assert.match(afterDecision.note, /^Lokal rutin: utredningen klar och ärendet avslutat inom 30 dagar efter beslutet att ingen anmälan behövs/);
      assert.match(afterDecision.note, /anger inget antal dagar/);
      const afterIvo = clockLabel({ clock: 'avslut', since: 'utredning-hos-ivo', atIvoOn: '2026-11-20' }, RULES);
      assert.match(afterIvo.note, /^Lokal rutin: ärendet avslutat inom 30 dagar efter att utredningen kom till IVO/);
      assert.match(clockLabel({ clock: 'avslut', since: 'beslut', decidedAt: new Date() }, { ...RULES, closingDays: 1 }).note, /inom 1 dag efter/);
      for (const { note } of [afterDecision, afterIvo]) assert.ok(!/enligt (lag|SoL)|SOSFS/.test(note), note);
    });
  });

  // Re-review #13: the closing clock came in with the version of 2 December 2026. Counting an old
  // "ej allvarligt" case from its decision made it red, and escalated it, on the first tick after
  // the upgrade; it counts from the day the clock came into force instead.
  describe('the closing clock counts from the day it came into force at the earliest (closingClockFrom)', () => {
    const rules = DEFAULT_CLOCK_RULES;
    const dayOf = calendarDayIn(TZ);
    // [what, the day the clock would count from (a decision instant or the IVO day), the day it counts from, the due day]
    const table: [string, Date | string, string, string][] = [
      ['decided in January 2026, still open', at('2026-01-06T10:00'), '2026-12-02', '2027-01-01'],
      ['decided the day before it came in, late evening', at('2026-12-01T23:59'), '2026-12-02', '2027-01-01'],
      ['decided the day it came in', at('2026-12-02T00:00'), '2026-12-02', '2027-01-01'],
      ['decided the day after', at('2026-12-03T09:00'), '2026-12-03', '2027-01-02'],
      ['the investigation at IVO since October', '2026-10-24', '2026-12-02', '2027-01-01'],
      ['the investigation at IVO since 5 December', '2026-12-05', '2026-12-05', '2027-01-04'],
    ];
    for (const [what, from, start, dueDay] of table) {
      it(`${what}: counts from ${start}, due ${dueDay} (both paths)`, () => {
        const fromDay = typeof from === 'string' ? from : dayOf(from);
        assert.equal(closingStartDay(fromDay, rules), start);
        assert.equal(closingDueDay(fromDay, rules), dueDay);
        assert.equal(dayOf(closingDue(from, rules, TZ)), dueDay);
        const run: RunningClock = typeof from === 'string' ? { clock: 'avslut', since: 'utredning-hos-ivo', atIvoOn: from } : { clock: 'avslut', since: 'beslut', decidedAt: from };
        assert.equal(dayOf(runningClockDue(run, CALENDAR, rules, TZ)), dueDay);
        assert.equal(runningClockDueDay(run, CALENDAR, dayOf, rules), dueDay);
        // Never red, and no reminder, on the first day after the upgrade.
        assert.equal(clockStatus(runningClockDue(run, CALENDAR, rules, TZ), at('2026-12-03T10:00'), rules, TZ, 'avslut').state, 'i-tid');
        assert.deepEqual(remindersDue(runningClockDue(run, CALENDAR, rules, TZ), at('2026-12-03T10:00'), rules, TZ, 'avslut'), []);
      });
    }
    it('only the closing clock: an anmälan decided in January is as late as it was', () => {
      assert.equal(anmalanDueDay('2026-01-06', rules), '2026-01-20');
      assert.equal(runningClockDueDay({ clock: 'utredning', filedOn: '2026-01-06' }, CALENDAR, dayOf, rules), '2026-03-06');
    });
    it('the note says from when it counts, when that is the day it came in', () => {
      const old = clockLabel({ clock: 'avslut', since: 'beslut', decidedAt: at('2026-01-06T10:00') }, rules).note;
      assert.match(old, /Fristen räknas från 2 december 2026, då den infördes\.$/);
      const recent = clockLabel({ clock: 'avslut', since: 'beslut', decidedAt: at('2026-12-05T10:00') }, rules).note;
      assert.ok(!/infördes/.test(recent), recent);
      assert.ok(!/infördes/.test(clockLabel({ clock: 'avslut', since: 'beslut', decidedAt: at('2026-01-06T10:00') }, RULES).note), 'no such day in the rules: nothing said');
    });
    it('an unusable day is refused with the rules', () => {
      for (const bad of ['2026-13-01', '2 dec 2026', '']) assert.deepEqual(clockRulesProblems({ ...rules, closingClockFrom: bad }), ['closingClockFrom must be an ISO calendar day (YYYY-MM-DD)'], bad);
      assert.deepEqual(clockRulesProblems({ ...rules, closingClockFrom: undefined }), []);
    });
  });

  // Re-review #13: random walks through the state machine, recording what the case service records
  // (flips between serious and not included): every open case runs exactly one clock, a closed one none.
  it('every reachable open case runs exactly one clock (5000 random walks)', () => {
    let seed = 13;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const dayOf = calendarDayIn(TZ);
    const seen = new Set<string>();
    for (let w = 0; w < 5000; w++) {
      let state: ReportState = 'rapporterad';
      const decisions: { requiresAnmalan: boolean; decidedAt: Date; outcome: string }[] = [];
      let filing: { filedOn: string; investigationAttached: boolean; investigationSentOn?: string } | undefined;
      let hasUtredare = false;
      let t = at('2026-01-05T09:00').getTime();
      for (let step = 0; step < 12 && state !== 'avslutad'; step++) {
        t += Math.floor(rnd() * 20) * 86_400_000 + 3_600_000;
        const today = dayOf(new Date(t));
        const ctx: CaseContext = {
          decisionRequiresAnmalan: !!decisions.at(-1)?.requiresAnmalan,
          investigationSentToIvo: !!filing && (filing.investigationAttached || !!filing.investigationSentOn),
          hasUtredare, closingMotivation: 'Motivering med riktiga ord.', ...(decisions.at(-1) ? { decidedOutcome: decisions.at(-1)!.outcome } : {}),
          documentedItems: rnd() < 0.5 ? ['vad-och-konsekvenser', 'nar-och-hur-uppmarksammat', 'nar-det-hande', 'orsaker', 'hant-tidigare', 'risk-for-upprepning', 'atgarder'] : [], today,
        };
        const events = legalEvents(state, ctx);
        const type = events[Math.floor(rnd() * events.length)];
        if (!type) break;
        const serious = rnd() < 0.5;
        const cmd =
          type === 'start-investigation' ? ({ type, utredareEntraId: 'u' } as const)
          : type === 'record-decision' ? ({ type, requiresAnmalan: serious } as const)
          : type === 'record-filing' ? ({ type, filedOn: today, ivoDiarienummer: 'd', investigationAttached: rnd() < 0.5 } as const)
          : type === 'send-investigation' ? ({ type, sentOn: today } as const)
          : ({ type } as const);
        const r = transition(state, cmd, ctx);
        if (!r.ok) continue;
        if (cmd.type === 'start-investigation') hasUtredare = true;
        if (cmd.type === 'record-decision') decisions.push({ requiresAnmalan: serious, decidedAt: new Date(t), outcome: serious ? 'allvarligt-missforhallande' : rnd() < 0.3 ? 'inte-missforhallande' : 'missforhallande-ej-allvarligt' });
        if (cmd.type === 'record-filing') filing = { filedOn: today, investigationAttached: cmd.investigationAttached, ...(cmd.investigationAttached ? { investigationSentOn: today } : {}) };
        if (cmd.type === 'send-investigation') filing = { ...filing!, investigationSentOn: today };
        state = r.next;
        const run = caseRunningClock({ state, createdAt: at('2026-01-05T09:00'), urgent: false }, { decisions, ...(filing ? { filing } : {}) });
        seen.add(`${state}:${run?.clock ?? 'none'}`);
        if (state === 'avslutad') assert.equal(run, undefined);
        else assert.ok(run, `no clock in ${state} ${JSON.stringify({ decisions, filing })}`);
      }
    }
    for (const k of ['under-utredning:bedomning', 'bedomd:anmalan', 'bedomd:avslut', 'anmald:utredning', 'anmald:avslut', 'avslutad:none']) assert.ok(seen.has(k), `${k} in ${[...seen].join(', ')}`);
  });

  // Re-review #13: the instant and the day paths agree for the closing clock at DST, year and month
  // ends, a leap day and the day the clock came in, from a decision and from an IVO day.
  describe('the closing clock by both paths at boundary days (default rules)', () => {
    const dayOf = calendarDayIn(TZ);
    for (const b of ['2026-03-29T00:30', '2026-03-29T03:30', '2026-10-25T02:30', '2026-10-25T23:59', '2026-12-31T23:59', '2027-01-31T00:00', '2024-02-29T12:00', '2026-12-02T00:00', '2027-03-28T02:30']) {
      it(`decided ${b}`, () => {
        const runs: RunningClock[] = [{ clock: 'avslut', since: 'beslut', decidedAt: at(b) }, { clock: 'avslut', since: 'utredning-hos-ivo', atIvoOn: b.slice(0, 10) }];
        for (const run of runs) {
          const due = runningClockDue(run, CALENDAR, DEFAULT_CLOCK_RULES, TZ);
          const dueDay = runningClockDueDay(run, CALENDAR, dayOf, DEFAULT_CLOCK_RULES);
          assert.equal(dayOf(due), dueDay);
          assert.equal(DateTime.fromJSDate(due, { zone: TZ }).toFormat('HH:mm:ss.SSS'), '23:59:59.999');
          for (const h of [-1, 0, 1]) {
            const now = new Date(due.getTime() + h * 3_600_000);
            assert.deepEqual(dayClockStatus(dueDay, dayOf(now), DEFAULT_CLOCK_RULES, 'avslut'), clockStatus(due, now, DEFAULT_CLOCK_RULES, TZ, 'avslut'), `${b} ${h}h`);
          }
        }
      });
    }
  });

  // Re-review #13: CASE_CLOSING_DAYS (and ANMALAN_SLA_DAYS) of a week or less reminded at the
  // moment of deciding and showed yellow from the start. The warning is at most a day less than the clock.
  describe('a short local policy: the warning window is at most the clock\'s days less one', () => {
    const decided = at('2026-11-02T10:00');
    const nextDay = at('2026-11-03T10:00');
    // [clock, days, on the decision day: state, reminders; the next day: state, reminders]
    const table: ['avslut' | 'anmalan', number, ClockState, ReminderKind[], ClockState, ReminderKind[]][] = [
      ['avslut', 1, 'i-tid', [], 'narmar-sig', []],
      ['avslut', 2, 'i-tid', [], 'narmar-sig', []],
      ['avslut', 5, 'i-tid', [], 'narmar-sig', []],
      ['avslut', 7, 'i-tid', [], 'narmar-sig', []],
      ['avslut', 8, 'i-tid', [], 'narmar-sig', ['before-7']],
      ['avslut', 30, 'i-tid', [], 'i-tid', []],
      ['anmalan', 1, 'i-tid', [], 'narmar-sig', []],
      ['anmalan', 7, 'i-tid', [], 'narmar-sig', []],
      ['anmalan', 14, 'i-tid', [], 'i-tid', []],
    ];
    for (const [clock, days, s0, r0, s1, r1] of table) {
      it(`${clock}, ${days} days: the decision day ${s0} ${r0.join(',') || 'no reminder'}; the next day ${s1} ${r1.join(',') || 'no reminder'}`, () => {
        const r: ClockRules = clock === 'avslut' ? { ...RULES, closingDays: days } : { ...RULES, anmalanSlaDays: days };
        const due = clock === 'avslut' ? closingDue(decided, r, TZ) : anmalanDue(decided, r, TZ);
        assert.equal(clockStatus(due, decided, r, TZ, clock).state, s0);
        assert.deepEqual(remindersDue(due, decided, r, TZ, clock), r0);
        assert.equal(clockStatus(due, nextDay, r, TZ, clock).state, s1);
        assert.deepEqual(remindersDue(due, nextDay, r, TZ, clock), r1);
        const dueDay = calendarDayIn(TZ)(due);
        assert.deepEqual(dayClockStatus(dueDay, '2026-11-02', r, clock), clockStatus(due, decided, r, TZ, clock), 'the day path agrees');
      });
    }
    it('with 5 days the reminder two days before still comes', () => {
      const r = { ...RULES, closingDays: 5 };
      const due = closingDue(decided, r, TZ);
      assert.deepEqual(remindersDue(due, at('2026-11-05T10:00'), r, TZ, 'avslut'), ['before-2']);
    });
  });
});

import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { WorkingCalendar } from '../../src/review/calendar';
import {
  DEFAULT_ESCALATION_WORKING_DAYS,
  DEFAULT_REVIEW_SCHEDULE,
  escalationAt,
  parseWeekKey,
  resolveReviewSchedule,
  reviewDueAt,
  reviewScheduleOverrideSchema,
  reviewStage,
  reviewTimeline,
  reviewTitle,
  reviewWeekOf,
  secondReminderAt,
  type IsoWeekday,
  type ReviewSchedule,
  type ReviewStage,
} from '../../src/review/schedule';

const calendar = new WorkingCalendar();
const legal = new WorkingCalendar({ deFactoHolidays: false });
const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
const on = (weekday: IsoWeekday, time = '09:00'): ReviewSchedule => ({ weekday, time });
const MON = on(1);
const THU = on(4);
const FRI = on(5);

describe('weekly review schedule', () => {
  describe('schedule and override schema', () => {
    it('the default is Monday 09:00, escalation after 3 working days', () => {
      assert.deepEqual(DEFAULT_REVIEW_SCHEDULE, { weekday: 1, time: '09:00' });
      assert.equal(DEFAULT_ESCALATION_WORKING_DAYS, 3);
    });

    const weekdays: [unknown, number][] = [
      ['måndag', 1],
      ['Tisdag', 2],
      [' onsdag ', 3],
      ['TORSDAG', 4],
      ['fredag', 5],
      ['lördag', 6],
      ['lordag', 6],
      ['söndag', 7],
      ['sondag', 7],
      [3, 3],
      ['3', 3],
      [7, 7],
    ];
    for (const [input, weekday] of weekdays) {
      it(`weekday ${JSON.stringify(input)} → ${weekday}`, () => {
        assert.deepEqual(reviewScheduleOverrideSchema.parse({ weekday: input }), { weekday });
      });
    }
    for (const input of [0, 8, 2.5, 'funday', 'mon', 'monday', '', null]) {
      it(`weekday ${JSON.stringify(input)} is refused`, () => {
        const result = reviewScheduleOverrideSchema.safeParse({ weekday: input });
        assert.equal(result.success, false);
        assert.match(result.error?.issues[0]?.message ?? '', /weekday/);
      });
    }

    const times: [string, string][] = [
      ['09:00', '09:00'],
      ['9:00', '09:00'],
      ['13:30', '13:30'],
      ['00:00', '00:00'],
      ['23:59', '23:59'],
    ];
    for (const [input, time] of times) {
      it(`time "${input}" → "${time}"`, () => {
        assert.deepEqual(reviewScheduleOverrideSchema.parse({ time: input }), { time });
      });
    }
    for (const input of ['24:00', '09:60', '9', '0900', '9.00', 540]) {
      it(`time ${JSON.stringify(input)} is refused`, () => {
        assert.equal(reviewScheduleOverrideSchema.safeParse({ time: input }).success, false);
      });
    }

    it('refuses unknown keys', () => {
      assert.equal(reviewScheduleOverrideSchema.safeParse({ weekday: 1, day: 2 }).success, false);
    });

    it('reads an override written in YAML', () => {
      const parsed = reviewScheduleOverrideSchema.parse(parseYaml('weekday: tisdag\ntime: 13:30\n'));
      assert.deepEqual(resolveReviewSchedule(parsed), { weekday: 2, time: '13:30' });
    });

    it('fills what the override leaves out from the default', () => {
      assert.deepEqual(resolveReviewSchedule(undefined), { weekday: 1, time: '09:00' });
      assert.deepEqual(resolveReviewSchedule({}), { weekday: 1, time: '09:00' });
      assert.deepEqual(resolveReviewSchedule({ time: '13:00' }), { weekday: 1, time: '13:00' });
      assert.deepEqual(resolveReviewSchedule({ weekday: 5 }), { weekday: 5, time: '09:00' });
      assert.deepEqual(resolveReviewSchedule({ weekday: 3 }, { weekday: 2, time: '10:15' }), { weekday: 3, time: '10:15' });
    });
  });

  describe('ISO weeks (Stockholm local time)', () => {
    const table: [string, string, string][] = [
      ['2026-11-23T08:00:00Z', '2026-W48', 'an ordinary Monday'],
      ['2026-12-31T22:59:59Z', '2026-W53', 'nyårsafton 23:59 (2026 has 53 ISO weeks)'],
      ['2026-12-31T23:30:00Z', '2026-W53', 'nyårsdagen 00:30 local, still week 53'],
      ['2027-01-03T22:59:59Z', '2026-W53', 'Sunday 3 January 23:59:59 local'],
      ['2027-01-03T23:00:00Z', '2027-W01', 'Monday 4 January 00:00 local'],
      ['2025-12-28T22:59:00Z', '2025-W52', 'Sunday 28 December 2025 23:59 local'],
      ['2025-12-29T00:00:00Z', '2026-W01', 'Monday 29 December 2025: week 1 of 2026'],
      ['2026-03-29T21:59:59Z', '2026-W13', 'Sunday 29 March 23:59:59 CEST'],
      ['2026-03-29T22:30:00Z', '2026-W14', 'Monday 00:30 CEST while UTC is still Sunday'],
      ['2026-10-25T22:59:59Z', '2026-W43', 'Sunday 25 October 23:59:59 CET'],
      ['2026-10-25T23:00:00Z', '2026-W44', 'Monday 26 October 00:00 CET'],
      ['2021-01-03T12:00:00Z', '2020-W53', '2020 had 53 weeks too'],
    ];
    for (const [instant, key, what] of table) {
      it(`${instant} → ${key} (${what})`, () => {
        const week = reviewWeekOf(new Date(instant));
        assert.equal(week.key, key);
        assert.deepEqual(week, parseWeekKey(key));
      });
    }

    it('gives week-year and week number apart', () => {
      assert.deepEqual(reviewWeekOf(new Date('2027-01-01T12:00:00Z')), { weekYear: 2026, week: 53, key: '2026-W53' });
      assert.deepEqual(reviewWeekOf(new Date('2027-01-05T12:00:00Z')), { weekYear: 2027, week: 1, key: '2027-W01' });
    });

    it('uses the zone it is given', () => {
      assert.equal(reviewWeekOf(new Date('2026-03-29T22:30:00Z'), 'UTC').key, '2026-W13');
      assert.throws(() => reviewWeekOf(new Date('2026-03-29T22:30:00Z'), 'Mars/Olympus'), RangeError);
      assert.throws(() => reviewWeekOf(new Date(Number.NaN)), RangeError);
    });

    for (const bad of ['2027-W53', '2026-W00', '2026-W54', '2026-W5', '2026W48', '2026-w48', '']) {
      it(`refuses the week key "${bad}"`, () => assert.throws(() => parseWeekKey(bad), RangeError));
    }

    it('titles: "Veckogenomgång v.<week>"', () => {
      assert.equal(reviewTitle('2026-W48'), 'Veckogenomgång v.48');
      assert.equal(reviewTitle('2026-W53'), 'Veckogenomgång v.53');
      assert.equal(reviewTitle('2027-W01'), 'Veckogenomgång v.1');
    });
  });

  describe('reviewDueAt', () => {
    // [week, schedule, due (default calendar), due without de facto holidays, what]
    const table: [string, ReviewSchedule, string, string, string][] = [
      // DST: 09:00 local is 08:00Z in winter (CET) and 07:00Z in summer (CEST).
      ['2026-W13', MON, '2026-03-23T08:00:00Z', '2026-03-23T08:00:00Z', 'the Monday before the last Sunday of March (CET)'],
      ['2026-W14', MON, '2026-03-30T07:00:00Z', '2026-03-30T07:00:00Z', 'the Monday after the last Sunday of March (CEST)'],
      ['2026-W43', MON, '2026-10-19T07:00:00Z', '2026-10-19T07:00:00Z', 'the Monday before the last Sunday of October (CEST)'],
      ['2026-W44', MON, '2026-10-26T08:00:00Z', '2026-10-26T08:00:00Z', 'the Monday after the last Sunday of October (CET)'],
      ['2026-W48', MON, '2026-11-23T08:00:00Z', '2026-11-23T08:00:00Z', 'an ordinary Monday'],
      ['2026-W48', on(2, '13:30'), '2026-11-24T12:30:00Z', '2026-11-24T12:30:00Z', 'Tuesday 13:30'],
      // Public holidays move the review to the next working day, same local time.
      ['2026-W15', MON, '2026-04-07T07:00:00Z', '2026-04-07T07:00:00Z', 'annandag påsk 2026-04-06 → Tuesday'],
      ['2027-W13', MON, '2027-03-30T07:00:00Z', '2027-03-30T07:00:00Z', 'annandag påsk 2027-03-29 → Tuesday (day after DST began)'],
      ['2027-W12', FRI, '2027-03-30T07:00:00Z', '2027-03-30T07:00:00Z', 'långfredagen 2027 (CET) → Tuesday after Easter (CEST)'],
      ['2026-W14', THU, '2026-04-02T07:00:00Z', '2026-04-02T07:00:00Z', 'skärtorsdagen is a working day'],
      ['2026-W22', MON, '2026-05-25T07:00:00Z', '2026-05-25T07:00:00Z', 'annandag pingst is a working day'],
      ['2026-W18', FRI, '2026-05-04T07:00:00Z', '2026-05-04T07:00:00Z', 'första maj (Friday) → Monday'],
      ['2026-W20', THU, '2026-05-15T07:00:00Z', '2026-05-15T07:00:00Z', 'Kristi himmelsfärdsdag (Thursday) → Friday'],
      ['2025-W23', FRI, '2025-06-09T07:00:00Z', '2025-06-09T07:00:00Z', 'nationaldagen (Friday) → Monday (annandag pingst, working)'],
      ['2028-W23', on(2, '13:30'), '2028-06-07T11:30:00Z', '2028-06-07T11:30:00Z', 'nationaldagen (Tuesday) → Wednesday 13:30'],
      ['2026-W02', MON, '2026-01-05T08:00:00Z', '2026-01-05T08:00:00Z', 'trettondagsafton is a working day'],
      ['2026-W02', on(2), '2026-01-07T08:00:00Z', '2026-01-07T08:00:00Z', 'trettondedag jul (Tuesday) → Wednesday'],
      // De facto holidays (configurable).
      ['2026-W25', FRI, '2026-06-22T07:00:00Z', '2026-06-19T07:00:00Z', 'midsommarafton (Friday 19 June) → Monday'],
      ['2026-W25', THU, '2026-06-18T07:00:00Z', '2026-06-18T07:00:00Z', 'the Thursday before midsommar'],
      ['2026-W52', THU, '2026-12-28T08:00:00Z', '2026-12-24T08:00:00Z', 'julafton (Thu), juldagen (Fri), annandag jul (Sat) → Monday'],
      ['2026-W52', MON, '2026-12-21T08:00:00Z', '2026-12-21T08:00:00Z', 'the Monday before Christmas'],
      ['2026-W53', THU, '2027-01-04T08:00:00Z', '2026-12-31T08:00:00Z', 'nyårsafton (Thu), nyårsdagen (Fri) → Monday of 2027-W01'],
      // Weeks 52/53 and the new year.
      ['2026-W53', MON, '2026-12-28T08:00:00Z', '2026-12-28T08:00:00Z', 'week 53 of 2026 is Monday 28 December'],
      ['2026-W53', on(3), '2026-12-30T08:00:00Z', '2026-12-30T08:00:00Z', 'Wednesday of week 53'],
      ['2027-W01', MON, '2027-01-04T08:00:00Z', '2027-01-04T08:00:00Z', '2027-W01 starts on Monday 4 January'],
      ['2027-W01', on(3), '2027-01-07T08:00:00Z', '2027-01-07T08:00:00Z', 'trettondedag jul 2027 (Wednesday) → Thursday'],
      ['2026-W01', MON, '2025-12-29T08:00:00Z', '2025-12-29T08:00:00Z', '2026-W01 starts on Monday 29 December 2025'],
      ['2025-W52', MON, '2025-12-22T08:00:00Z', '2025-12-22T08:00:00Z', '2025 has 52 weeks'],
      // A weekend schedule moves to Monday of the next ISO week.
      ['2026-W48', on(6), '2026-11-30T08:00:00Z', '2026-11-30T08:00:00Z', 'Saturday → Monday'],
      ['2026-W48', on(7, '08:00'), '2026-11-30T07:00:00Z', '2026-11-30T07:00:00Z', 'Sunday 08:00 → Monday 08:00'],
    ];
    for (const [week, schedule, due, dueLegal, what] of table) {
      it(`${week} ${schedule.weekday}@${schedule.time}: ${what} → ${due}${due === dueLegal ? '' : ` (legal: ${dueLegal})`}`, () => {
        assert.equal(iso(reviewDueAt(week, schedule, calendar)), due);
        assert.equal(iso(reviewDueAt(week, schedule, legal)), dueLegal);
        assert.equal(iso(reviewDueAt(week, schedule, calendar, 'Europe/Stockholm')), due);
      });
    }

    it('the local time is kept in another zone (Helsinki, one hour ahead)', () => {
      assert.equal(iso(reviewDueAt('2026-W48', MON, calendar, 'Europe/Helsinki')), '2026-11-23T07:00:00Z');
      const helsinki = new WorkingCalendar({ timeZone: 'Europe/Helsinki' });
      assert.equal(iso(reviewDueAt('2026-W14', MON, helsinki)), '2026-03-30T06:00:00Z');
    });

    it('the due date is given as a local date too', () => {
      assert.equal(reviewTimeline('2026-W52', THU, calendar).dueDate, '2026-12-28');
      assert.equal(reviewTimeline('2026-W52', THU, legal).dueDate, '2026-12-24');
    });

    const badSchedules: [string, ReviewSchedule][] = [
      ['weekday 0', { weekday: 0 as IsoWeekday, time: '09:00' }],
      ['weekday 8', { weekday: 8 as IsoWeekday, time: '09:00' }],
      ['time 9:00 (not normalised)', { weekday: 1, time: '9:00' }],
      ['time 24:00', { weekday: 1, time: '24:00' }],
    ];
    for (const [what, schedule] of badSchedules) {
      it(`refuses a schedule with ${what}`, () => assert.throws(() => reviewDueAt('2026-W48', schedule, calendar), RangeError));
    }
    it('refuses a week that does not exist', () => {
      assert.throws(() => reviewDueAt('2027-W53', MON, calendar), RangeError);
    });
  });

  describe('second reminder and escalation', () => {
    // Second reminder: schedule time of the 2nd working day after the due day.
    // Escalation (N = 3): schedule time of the 4th working day after the due day.
    // [week, schedule, calendar, second reminder, escalation, what]
    const table: [string, ReviewSchedule, WorkingCalendar, string, string, string][] = [
      ['2026-W48', MON, calendar, '2026-11-25T08:00:00Z', '2026-11-27T08:00:00Z', 'Monday: Wednesday, then Friday'],
      ['2026-W48', THU, calendar, '2026-11-30T08:00:00Z', '2026-12-02T08:00:00Z', 'Thursday: over the weekend'],
      ['2026-W48', FRI, calendar, '2026-12-01T08:00:00Z', '2026-12-03T08:00:00Z', 'Friday: over the weekend'],
      ['2026-W14', THU, calendar, '2026-04-08T07:00:00Z', '2026-04-10T07:00:00Z', 'skärtorsdagen: over Easter'],
      ['2026-W20', on(3), calendar, '2026-05-18T07:00:00Z', '2026-05-20T07:00:00Z', 'the Wednesday before Ascension'],
      ['2026-W25', THU, calendar, '2026-06-23T07:00:00Z', '2026-06-25T07:00:00Z', 'the Thursday before midsommar'],
      ['2026-W25', THU, legal, '2026-06-22T07:00:00Z', '2026-06-24T07:00:00Z', 'the same, midsommarafton working'],
      ['2026-W52', MON, calendar, '2026-12-23T08:00:00Z', '2026-12-29T08:00:00Z', 'Monday before Christmas'],
      ['2026-W52', MON, legal, '2026-12-23T08:00:00Z', '2026-12-28T08:00:00Z', 'the same, julafton working'],
      ['2026-W53', MON, calendar, '2026-12-30T08:00:00Z', '2027-01-05T08:00:00Z', 'week 53: over the new year'],
      ['2026-W53', MON, legal, '2026-12-30T08:00:00Z', '2027-01-04T08:00:00Z', 'the same, nyårsafton working'],
      ['2026-W52', THU, calendar, '2026-12-30T08:00:00Z', '2027-01-05T08:00:00Z', 'moved from julafton to 28 December'],
      // DST between the due day and the reminders: the local time stays 09:00.
      ['2026-W13', FRI, calendar, '2026-03-31T07:00:00Z', '2026-04-02T07:00:00Z', 'Friday 27 March (CET) → CEST'],
      ['2026-W43', FRI, calendar, '2026-10-27T08:00:00Z', '2026-10-29T08:00:00Z', 'Friday 23 October (CEST) → CET'],
    ];
    for (const [week, schedule, cal, second, escalation, what] of table) {
      const label = cal === legal ? ' (no de facto holidays)' : '';
      it(`${week} ${schedule.weekday}@${schedule.time}${label}: ${what} → ${second}, ${escalation}`, () => {
        assert.equal(iso(secondReminderAt(week, schedule, cal)), second);
        assert.equal(iso(escalationAt(week, schedule, cal)), escalation);
        assert.equal(iso(escalationAt(week, schedule, cal, 3)), escalation);
        const timeline = reviewTimeline(week, schedule, cal);
        assert.equal(iso(timeline.secondReminderAt), second);
        assert.equal(iso(timeline.escalationAt), escalation);
      });
    }

    const byDays: [number, string][] = [
      [1, '2026-11-25T08:00:00Z'], // the same instant as the second reminder
      [2, '2026-11-26T08:00:00Z'],
      [3, '2026-11-27T08:00:00Z'],
      [5, '2026-12-01T08:00:00Z'],
      [10, '2026-12-08T08:00:00Z'],
    ];
    for (const [days, expected] of byDays) {
      it(`escalation after ${days} working day(s) for 2026-W48 → ${expected}`, () => {
        assert.equal(iso(escalationAt('2026-W48', MON, calendar, days)), expected);
      });
    }

    for (const days of [0, -1, 1.5, Number.NaN]) {
      it(`refuses escalation after ${days} working days`, () => {
        assert.throws(() => escalationAt('2026-W48', MON, calendar, days), RangeError);
      });
    }

    it('keeps the schedule time for the reminders (Tuesday 13:30)', () => {
      assert.equal(iso(secondReminderAt('2026-W48', on(2, '13:30'), calendar)), '2026-11-26T12:30:00Z');
      assert.equal(iso(escalationAt('2026-W48', on(2, '13:30'), calendar)), '2026-11-30T12:30:00Z');
    });
  });

  describe('reviewStage', () => {
    // 2026-W48, Monday 09:00: due 23 Nov 08:00Z, second 25 Nov 08:00Z, escalation 27 Nov 08:00Z.
    const table: [string, ReviewStage][] = [
      ['2026-11-20T12:00:00Z', 'not-yet'],
      ['2026-11-23T07:59:59.999Z', 'not-yet'],
      ['2026-11-23T08:00:00Z', 'due'],
      ['2026-11-24T22:59:59Z', 'due'], // end of the next working day
      ['2026-11-25T07:59:59.999Z', 'due'],
      ['2026-11-25T08:00:00Z', 'second-reminder'],
      ['2026-11-27T07:59:59.999Z', 'second-reminder'],
      ['2026-11-27T08:00:00Z', 'escalate'],
      ['2027-06-01T08:00:00Z', 'escalate'],
    ];
    for (const [now, stage] of table) {
      it(`2026-W48 at ${now} → ${stage}`, () => {
        assert.equal(reviewStage('2026-W48', new Date(now), MON, calendar), stage);
        assert.equal(reviewStage('2026-W48', new Date(now), MON, calendar, { escalationWorkingDays: 3 }), stage);
      });
    }

    it('escalation after 1 working day overtakes the second reminder', () => {
      assert.equal(reviewStage('2026-W48', new Date('2026-11-25T08:00:00Z'), MON, calendar, { escalationWorkingDays: 1 }), 'escalate');
      assert.equal(reviewStage('2026-W48', new Date('2026-11-25T07:59:00Z'), MON, calendar, { escalationWorkingDays: 1 }), 'due');
    });

    it('escalation after 5 working days waits past the weekend', () => {
      const opts = { escalationWorkingDays: 5 };
      assert.equal(reviewStage('2026-W48', new Date('2026-11-27T08:00:00Z'), MON, calendar, opts), 'second-reminder');
      assert.equal(reviewStage('2026-W48', new Date('2026-11-30T23:00:00Z'), MON, calendar, opts), 'second-reminder');
      assert.equal(reviewStage('2026-W48', new Date('2026-12-01T08:00:00Z'), MON, calendar, opts), 'escalate');
    });

    it('Christmas: nothing is due on julafton unless de facto holidays are off', () => {
      const now = new Date('2026-12-24T10:00:00Z');
      assert.equal(reviewStage('2026-W52', now, THU, calendar), 'not-yet');
      assert.equal(reviewStage('2026-W52', now, THU, legal), 'due');
      assert.equal(reviewStage('2026-W52', new Date('2026-12-28T08:00:00Z'), THU, calendar), 'due');
    });

    it('across DST: the Friday review of 2026-W43 reaches its second reminder at 09:00 CET', () => {
      assert.equal(reviewStage('2026-W43', new Date('2026-10-27T07:59:59Z'), FRI, calendar), 'due');
      assert.equal(reviewStage('2026-W43', new Date('2026-10-27T08:00:00Z'), FRI, calendar), 'second-reminder');
    });

    it('refuses an invalid instant', () => {
      assert.throws(() => reviewStage('2026-W48', new Date(Number.NaN), MON, calendar), RangeError);
    });
  });
});

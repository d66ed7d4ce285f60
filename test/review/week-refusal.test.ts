/** Which weeks a review can be recorded for: a real ISO week, this one or one of the last few, never a later one. */
import assert from 'node:assert/strict';
import { REVIEW_WEEKS_BACK, reviewWeekRefusal } from '../../src/review/service';

const tz = 'Europe/Stockholm';

describe('reviewWeekRefusal', () => {
  // 2026-12-01 is a Tuesday in 2026-W49.
  const cases: [label: string, week: string, now: string, refused: RegExp | undefined][] = [
    ['this week, due Monday 09:00, asked Tuesday', '2026-W49', '2026-12-01T10:00:00Z', undefined],
    ['this week at the very due instant', '2026-W49', '2026-11-30T08:00:00Z', undefined],
    // Early in the week the review may be done ahead of its due time: the card offers the button.
    ['this week one minute before it is due', '2026-W49', '2026-11-30T07:59:00Z', undefined],
    ['this week, asked early on Tuesday', '2026-W49', '2026-12-01T09:00:00Z', undefined],
    ['next week, asked Sunday evening', '2026-W50', '2026-12-06T20:00:00Z', /v\.50 är inte aktuell än/],
    ['last week (overdue)', '2026-W48', '2026-12-01T10:00:00Z', undefined],
    [`${REVIEW_WEEKS_BACK} weeks back`, '2026-W45', '2026-12-01T10:00:00Z', undefined],
    [`${REVIEW_WEEKS_BACK + 1} weeks back`, '2026-W44', '2026-12-01T10:00:00Z', /för långt tillbaka/],
    ['next week', '2026-W50', '2026-12-01T10:00:00Z', /inte aktuell än/],
    ['a week years ahead', '2030-W01', '2026-12-01T10:00:00Z', /inte aktuell än/],
    ['a week that does not exist', '2026-W99', '2026-12-01T10:00:00Z', /Veckan på knappen finns inte/],
    ['week 53 of a year with 52', '2027-W53', '2028-01-05T10:00:00Z', /finns inte/],
    ['no week at all', '', '2026-12-01T10:00:00Z', /finns inte/],
    ['free text', 'DROP TABLE', '2026-12-01T10:00:00Z', /finns inte/],
  ];
  for (const [label, week, now, refused] of cases) {
    it(`${label}: ${refused ? 'refused' : 'accepted'}`, () => {
      const r = reviewWeekRefusal(week, new Date(now), tz);
      if (refused) assert.match(r ?? '', refused);
      else assert.equal(r, undefined);
    });
  }
});

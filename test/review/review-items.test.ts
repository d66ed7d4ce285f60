import assert from 'node:assert/strict';
import { isoWeekKey, sortReviewItems, type ReviewItem } from '../../src/review/service';

describe('weekly review: ordering and weeks', () => {
  const item = (reference: string, urgency: ReviewItem['urgency'], due?: string, daysOpen?: number): ReviewItem => ({
    kind: 'casework', reference, what: 'x', urgency, ...(due ? { due, daysLeft: 0 } : {}), ...(daysOpen !== undefined ? { daysOpen } : {}),
  });

  it('puts overdue first, then approaching, then in time (each by due day), then the rest oldest first', () => {
    const sorted = sortReviewItems([
      item('i-tid-late', 'i-tid', '2026-12-20'),
      item('open-new', 'ingen-frist', undefined, 1),
      item('overdue-late', 'forsenad', '2026-11-20'),
      item('approaching', 'narmar-sig', '2026-11-25'),
      item('overdue-early', 'forsenad', '2026-11-01'),
      item('open-old', 'ingen-frist', undefined, 30),
      item('i-tid-early', 'i-tid', '2026-12-01'),
    ]);
    assert.deepEqual(sorted.map((i) => i.reference), ['overdue-early', 'overdue-late', 'approaching', 'i-tid-early', 'i-tid-late', 'open-old', 'open-new']);
  });

  const weeks: [string, string, number][] = [
    ['2026-11-22T12:00:00Z', '2026-W47', 47],
    ['2026-11-23T08:00:00Z', '2026-W48', 48],
    ['2026-12-31T12:00:00Z', '2026-W53', 53],
    ['2027-01-03T22:30:00Z', '2026-W53', 53], // still Sunday 23:30 in Stockholm
    ['2027-01-03T23:30:00Z', '2027-W01', 1], // Monday 00:30 in Stockholm
  ];
  for (const [at, key, week] of weeks) {
    it(`${at} is ISO week ${key} in Stockholm`, () => {
      assert.deepEqual(isoWeekKey(new Date(at), 'Europe/Stockholm'), { key, week });
    });
  }
});

/** The status card renders to a valid Adaptive Card within Teams' size limit, however many units. */
import assert from 'node:assert/strict';
import { CardRenderer, CardTooLargeError, MAX_CARD_BYTES } from '../../src/cards/render';
import type { UnitInfo } from '../../src/org/directory';
import { statusAnswer, statusCard, statusCardData, unitsByAttention, UNITS_SHOWN, type StatusCardInput } from '../../src/cards/status-cards';
import { WorkingCalendar } from '../../src/review/calendar';
import { summarise } from '../../src/status/summary';
import { parseProblems } from '../support/card-parser';

const NOW = new Date('2026-11-25T10:00:00.000Z');
let nameOf = (i: number) => `Enheten med ett ganska långt namn nummer ${i}`;
const unit = (i: number): UnitInfo => ({ id: `enhet-${i}`, name: nameOf(i), area: 'annat', committeeId: 'sn', committeeName: 'Socialnämnden' });

function input(unitCount: number, people: number, unitsShown?: number): StatusCardInput {
  const units = Array.from({ length: unitCount }, (_, i) => unit(i));
  const summary = summarise({
    units,
    counts: {
      newReports: units.map((u, i) => ({ unitId: u.id, count: i })),
      openByState: units.map((u, i) => ({ unitId: u.id, state: 'rapporterad' as const, count: i + 1 })),
      filings: [],
      casework: units.map((u, i) => ({ unitId: u.id, type: 'forhandsbedomning', overdue: i % 5, approaching: i % 3 })),
      caseworkUnjudgeable: units.map((u, i) => ({ unitId: u.id, count: i % 4 })),
    },
    clockCases: Array.from({ length: 30 }, (_, i) => ({ reportId: i, reference: `LS-2026-${String(i).padStart(4, '0')}`, unitId: units[i % unitCount]!.id, committeeId: 'sn', state: 'bedomd' as const, anmalanDecidedAt: new Date('2026-11-01T10:00:00Z') })),
    reviews: [],
    reviewWeeks: { current: '2026-W48', before: ['2026-W47', '2026-W46', '2026-W45', '2026-W44'] },
    calendar: new WorkingCalendar(),
    reviewDueAt: () => new Date('2026-11-23T08:00:00Z'),
    remindersStartedAt: new Date('2026-01-01T00:00:00Z'),
    unreachable: { people: Array.from({ length: people }, (_, i) => ({ entraId: `p${i}`, name: `Person ${i}`, failures: 2, lastAt: NOW, lastStatus: 'failed' as const })), total: people + 3 },
    now: NOW,
    timeZone: 'Europe/Stockholm',
  });
  const scope = { kind: 'committee' as const, id: 'sn', title: 'Socialnämnden', units };
  const period = { from: new Date('2026-11-22T23:00:00Z'), to: NOW, label: 'denna vecka' };
  return { scope, period, live: true, summary, now: NOW, timeZone: 'Europe/Stockholm', ...(unitsShown !== undefined ? { unitsShown } : {}) };
}
const render = (unitCount: number, people: number, unitsShown?: number) => new CardRenderer().render('status', statusCardData(input(unitCount, people, unitsShown)));
const drills = (card: unknown) => (JSON.stringify(card).match(/"verb":"status.show"/g) ?? []).length;

describe('status card', () => {
  for (const [units, people] of [[1, 0], [4, 5], [UNITS_SHOWN, 5], [60, 5]] as const) {
    it(`${units} units, ${people} unreachable: valid 1.5, no unbound text, under ${MAX_CARD_BYTES} bytes`, () => {
      const card = render(units, people);
      assert.deepEqual(parseProblems(card), []);
      const json = JSON.stringify(card);
      assert.ok(!json.includes('${'), 'a ${…} binding was left unexpanded');
      assert.ok(Buffer.byteLength(json) < MAX_CARD_BYTES);
      const shown = (json.match(/"verb":"status.show"/g) ?? []).length;
      assert.equal(shown, units > 1 ? Math.min(units, UNITS_SHOWN) : 0, 'one drill-down per unit shown; none for a single unit');
      if (units > UNITS_SHOWN) assert.match(json, new RegExp(`${units - UNITS_SHOWN} enheter till visas inte`));
    });
  }

  it('with 200-character unit names the full card is too big, and fewer units fit (statusCard then shows fewer)', () => {
    const saved = nameOf;
    nameOf = (i) => `${'Mycket långt enhetsnamn '.repeat(8).slice(0, 190)} ${i}`;
    try {
      assert.throws(() => render(20, 5), CardTooLargeError);
      const card = render(20, 5, 4);
      assert.match(JSON.stringify(card), /16 enheter till visas inte/);
    } finally {
      nameOf = saved;
    }
  });

  it('statusCard shows as many units as fit: 12, else 8, else 4, else none', () => {
    const r = new CardRenderer();
    assert.equal(drills(statusCard(r, input(20, 5))), UNITS_SHOWN, 'ordinary names: all it may show');
    const saved = nameOf;
    nameOf = (i) => `${'Mycket långt enhetsnamn '.repeat(8).slice(0, 190)} ${i}`;
    try {
      const card = statusCard(r, input(20, 5));
      assert.ok(Buffer.byteLength(JSON.stringify(card)) <= MAX_CARD_BYTES);
      const shown = drills(card);
      assert.ok(shown === 8 || shown === 4, `${shown} units`);
      if (shown === 4) assert.ok(!r.fits('status', statusCardData(input(20, 5, 8))), 'shows 4 only when 8 do not fit');
      // A renderer with a smaller limit gets fewer, down to none.
      const tiny = new CardRenderer(undefined, Buffer.byteLength(JSON.stringify(render(20, 5, 0))));
      assert.equal(drills(statusCard(tiny, input(20, 5))), 0);
    } finally {
      nameOf = saved;
    }
  });

  it('statusAnswer: a summary or a question as a card, a refusal as the message', () => {
    const r = new CardRenderer();
    assert.equal(statusAnswer(r, { kind: 'refused', reason: 'Nej.' }), 'Nej.');
    const q = statusAnswer(r, { kind: 'question', message: 'Vilken vecka menar du?', suggestions: ['status vecka 47', 'status förra veckan'] });
    assert.notEqual(typeof q, 'string');
    assert.deepEqual((q as unknown as { actions: { title: string; data: { command: string } }[] }).actions.map((a) => [a.title, a.data.command]), [['status vecka 47', 'status vecka 47'], ['status förra veckan', 'status förra veckan']]);
    assert.equal(drills(statusAnswer(r, { kind: 'summary', view: input(4, 0) })), 4);
  });

  // Re-review #13: a unit whose deadlines cannot be computed may be the one with a lapse.
  it('orders the units by overdue, then the deadlines that cannot be judged, then approaching: such a unit is not cut', () => {
    const u = (unitId: string, overdue: number, caseworkUnjudgeable: number, approaching: number) => ({ unitId, overdue, caseworkUnjudgeable, approaching }) as Parameters<typeof unitsByAttention>[0][number];
    const ordered = unitsByAttention([u('a', 0, 0, 9), u('b', 1, 0, 0), u('c', 0, 5, 0), u('d', 1, 2, 0), u('e', 0, 0, 0)]);
    assert.deepEqual(ordered.map((x) => x.unitId), ['d', 'b', 'c', 'a', 'e']);
    // On the card: thirteen units with approaching deadlines, one with none of those but items that cannot be judged.
    const data = input(UNITS_SHOWN + 1, 0);
    const units = data.summary.units.map((x, i) => ({ ...x, overdue: 0, approaching: 3, caseworkUnjudgeable: 0, ...(i === UNITS_SHOWN ? { approaching: 0, caseworkUnjudgeable: 2 } : {}) }));
    const shown = statusCardData({ ...data, summary: { ...data.summary, units } }).units.map((x) => x.unitId);
    assert.ok(shown.includes(`enhet-${UNITS_SHOWN}`), JSON.stringify(shown));
  });
});

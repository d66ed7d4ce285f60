/** The sammanställning card: what it says, and under Teams' limit with the worst case (src/cards/compilation-cards.ts). */
import assert from 'node:assert/strict';
import { OUTCOMES } from '../../src/assessment/rules';
import { ITEM_TYPES } from '../../src/casework/rules';
import { ALERTS_SHOWN, compilationCard, timeText, UNITS_SHOWN } from '../../src/cards/compilation-cards';
import { cardBytes, CardRenderer, MAX_CARD_BYTES } from '../../src/cards/render';
import { compilationFigures } from '../../src/compilation/figures';
import type { CompilationView } from '../../src/compilation/service';
import { CATEGORIES } from '../../src/reports/categories';
import type { CompilationRecord } from '../../src/store/compilation';

const TZ = 'Europe/Stockholm';
const texts = (card: unknown) => {
  const out: string[] = [];
  JSON.stringify(card, (k, v) => {
    if ((k === 'text' || k === 'title' || k === 'value') && typeof v === 'string') out.push(v);
    return v;
  });
  return out.join('\n');
};

function view(record: CompilationRecord, unitIds: string[], name = (id: string) => `Enhet ${id}`, alerts = 0): CompilationView {
  return {
    committeeId: 'sn',
    committeeName: 'Socialnämnden',
    municipality: 'Exempelby kommun',
    period: { from: new Date('2026-01-01T00:00:00+01:00'), to: new Date('2026-07-01T00:00:00+02:00'), label: 'första halvåret 2026' },
    generatedAt: new Date('2026-07-02T08:00:00.000Z'),
    timeZone: TZ,
    figures: compilationFigures(record, unitIds, () => new Set(Array.from({ length: 26 }, (_, i) => `2026-W${String(i + 1).padStart(2, '0')}`)), (d) => d.toISOString().slice(0, 10)),
    question: 'första halvåret',
    unitNames: new Map(unitIds.map((u) => [u, name(u)])),
    categoryLabel: (c) => CATEGORIES[c as keyof typeof CATEGORIES] ?? c,
    outcomeLabel: (o) => OUTCOMES[o as keyof typeof OUTCOMES] ?? o,
    caseworkLabel: (t) => t,
    alerts: {
      total: alerts,
      byRule: new Map([['enhet-rapporter', alerts]]),
      decided: new Map([['Analys påbörjad', Math.floor(alerts / 2)]]),
      undecided: alerts - Math.floor(alerts / 2),
      listed: Array.from({ length: Math.min(alerts, 50) }, (_, i) => ({ id: i + 1, rule: 'enhet-rapporter' as const, scopeName: name(`u${i}`), period: '2026-03-01', decision: 'Analys påbörjad' })),
    },
  };
}

const empty: CompilationRecord = { reports: [], decisions: [], filings: [], toDecisionHours: [], anmalanRuns: [], toInvestigationDays: [], actions: { done: 0, open: 0, openOverdue: 0 }, reviews: [], casework: [] };

describe('sammanställning card', () => {
  const r = new CardRenderer();

  it('says what the figures are, in Swedish, with the decisions departing from the recommendation', () => {
    const card = compilationCard(
      r,
      view(
        {
          ...empty,
          reports: [{ unitId: 'a', category: 'fysiska', count: 4, urgent: 1 }],
          decisions: [
            { decidedOutcome: 'allvarligt-missforhallande', recommendedOutcome: 'allvarligt-missforhallande', requiresAnmalan: true, count: 2 },
            { decidedOutcome: 'missforhallande-ej-allvarligt', recommendedOutcome: 'allvarligt-missforhallande', requiresAnmalan: false, count: 1 },
          ],
          filings: [{ unitId: 'a', count: 2 }],
          toDecisionHours: [{ value: 6, count: 2 }, { value: 60, count: 1 }],
          reviews: Array.from({ length: 20 }, (_, i) => ({ unitId: 'a', weekKey: `2026-W${String(i + 1).padStart(2, '0')}` })),
        },
        ['a'],
      ),
    );
    const t = texts(card);
    assert.match(t, /Sammanställning lex Sarah – Socialnämnden/);
    assert.match(t, /första halvåret 2026/);
    assert.match(t, /Rapporter: 4/);
    assert.match(t, /Varav 1 brådskande/);
    assert.match(t, /Beslutet avvek från rekommendationen i 1 av 3\. 1 rapport väntar på bedömning/);
    assert.match(t, /Anmälningar till IVO av periodens rapporter: 2/);
    assert.match(t, /median 6 timmar, längst 2,5 dagar \(3 ärenden\)/);
    assert.match(t, /20 av 26/);
    assert.match(t, /aldrig rapporternas text/);
  });

  const table: [Parameters<typeof timeText>, string][] = [
    [[undefined, 'days'], 'inga ärenden ännu'],
    [[{ n: 1, median: 0, max: 0 }, 'days'], 'median 0 dagar, längst 0 dagar (1 ärende)'],
    [[{ n: 2, median: 1, max: 1 }, 'days'], 'median 1 dag, längst 1 dag (2 ärenden)'],
    [[{ n: 2, median: 1.5, max: 3 }, 'days'], 'median 1,5 dagar, längst 3 dagar (2 ärenden)'],
    [[{ n: 3, median: 1, max: 23 }, 'hours'], 'median 1 timme, längst 23 timmar (3 ärenden)'],
    [[{ n: 3, median: 24, max: 36 }, 'hours'], 'median 1 dag, längst 1,5 dagar (3 ärenden)'],
  ];
  for (const [args, expected] of table) it(`time: ${expected}`, () => assert.equal(timeText(...args), expected));

  it('stays under Teams\' limit with 300 units of 200-character names, every category, outcome and type, and 5,000 alerts', () => {
    const units = Array.from({ length: 300 }, (_, i) => `u${i}`);
    const long = (id: string) => `${id} ${'Å'.repeat(196)}`;
    const outcomes = Object.keys(OUTCOMES);
    const record: CompilationRecord = {
      ...empty,
      reports: units.flatMap((u) => Object.keys(CATEGORIES).map((c) => ({ unitId: u, category: c, count: 99_999, urgent: 99_999 }))),
      decisions: outcomes.flatMap((d) => outcomes.map((rec) => ({ decidedOutcome: d, recommendedOutcome: rec, requiresAnmalan: true, count: 99_999 }))),
      toDecisionHours: [{ value: 99_999, count: 99_999 }],
      anmalanRuns: [{ filedOn: '2026-06-01', runStart: new Date('2026-01-02T08:00:00Z') }],
      toInvestigationDays: [{ value: 9_999, count: 99_999 }],
      actions: { done: 99_999, open: 99_999, openOverdue: 99_999 },
      reviews: units.map((u) => ({ unitId: u, weekKey: '2026-W10' })),
      casework: ITEM_TYPES.map((t) => ({ type: `${t}${'x'.repeat(150)}`, open: 99_999, overdue: 99_999 })),
    };
    const card = compilationCard(r, view(record, units, long, 5_000), `https://lexsarah.example.se/api/exports/${'a'.repeat(64)}`);
    assert.ok(cardBytes(card) < MAX_CARD_BYTES, `${cardBytes(card)} bytes`);
    const t = texts(card);
    // Fewer named than the most, every one of the rest counted.
    const named = Number(/och (\d+) enheter till/.exec(t)?.[1]);
    assert.ok(300 - named > 0 && 300 - named < UNITS_SHOWN, `${300 - named} named`);
    const alerts = Number(/(\d+) signaler till finns i Excel-filen/.exec(t)?.[1]);
    assert.ok(5_000 - alerts > 0 && 5_000 - alerts <= ALERTS_SHOWN, `${5_000 - alerts} alerts named`);
  });
});

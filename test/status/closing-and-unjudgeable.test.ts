/**
 * The status summary, for the two gaps a hostile reviewer found (the Båstad pattern): cases judged
 * to need no anmälan, or whose investigation is at IVO, run the closing clock (local policy) and
 * count as late once it passes; casework items whose deadline cannot be computed are counted as
 * "kan inte bedömas" instead of vanishing. Pure aggregation first, then through the service on a
 * real SQLite file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CardRenderer, type AdaptiveCard } from '../../src/cards/render';
import { statusCard } from '../../src/cards/status-cards';
import { DEFAULT_CLOCK_RULES, type ClockFacts } from '../../src/cases/clocks';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import type { UnitInfo } from '../../src/org/directory';
import { WorkingCalendar } from '../../src/review/calendar';
import { statusAccess } from '../../src/status/access';
import { StatusService } from '../../src/status/service';
import { summarise, type SummaryInput } from '../../src/status/summary';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const TZ = 'Europe/Stockholm';
/** Wednesday 25 Nov 2026, 11:00 in Stockholm. */
const NOW = new Date('2026-11-25T10:00:00.000Z');
const unit = (id: string): UnitInfo => ({ id, name: `Enhet ${id}`, area: 'annat', committeeId: 'sn', committeeName: 'Socialnämnden' });
const UNITS = [unit('u1'), unit('u2')];
/** The cases here are of autumn 2026: the closing clock is taken to be in force then (by default it counts from 2 Dec 2026 at the earliest). */
const RULES = { ...DEFAULT_CLOCK_RULES, closingClockFrom: '2026-01-01' };
/** 10:00 Stockholm on a day. */
const at = (day: string) => new Date(`${day}T09:00:00.000Z`);

type Case = ClockFacts & { reference: string; unitId: string };

function input(clockCases: Case[], over: Partial<SummaryInput> = {}): SummaryInput {
  return {
    units: UNITS,
    counts: { newReports: [], openByState: [], filings: [], casework: [], caseworkUnjudgeable: [] },
    clockCases,
    calendar: new WorkingCalendar(),
    reviews: [],
    reviewWeeks: { current: '2026-W48', before: [] },
    reviewDueAt: () => new Date('2026-11-23T08:00:00Z'),
    remindersStartedAt: undefined,
    unreachable: { people: [], total: 0 },
    now: NOW,
    timeZone: TZ,
    clockRules: RULES,
    ...over,
  };
}

/** TextBlock texts and facts ("title: value"), in card order. */
function lines(card: AdaptiveCard): string[] {
  const out: string[] = [];
  const walk = (el: unknown): void => {
    if (Array.isArray(el)) return el.forEach(walk);
    if (!el || typeof el !== 'object') return;
    const o = el as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
    if (o.type === 'FactSet') for (const f of o.facts as { title: string; value: string }[]) out.push(`${f.title}: ${f.value}`);
    for (const [k, v] of Object.entries(o)) if (k !== 'facts') walk(v);
  };
  walk(card.body);
  return out;
}

describe('status summary: the closing clock and items that cannot be judged', () => {
  // [the decision needing no anmälan (day, Stockholm), how it counts on 25 Nov (30 days, warning from 7 days before)]
  const boundary: [string, 'closingOverdue' | 'closingDue', 'forsenad' | 'narmar-sig' | 'i-tid', number, string][] = [
    ['2026-10-25', 'closingOverdue', 'forsenad', -1, '2026-11-24'],
    ['2026-10-26', 'closingDue', 'narmar-sig', 0, '2026-11-25'], // due today
    ['2026-11-02', 'closingDue', 'narmar-sig', 7, '2026-12-02'], // the first day of the warning
    ['2026-11-03', 'closingDue', 'i-tid', 8, '2026-12-03'],
  ];
  for (const [day, counted, state, daysLeft, due] of boundary) {
    it(`decided ${day} without an anmälan: ${counted}, ${state}, ${daysLeft} days left`, () => {
      const s = summarise(input([{ reference: 'LS-1', unitId: 'u1', state: 'bedomd', noAnmalanDecidedAt: at(day) }]));
      const u = s.units[0]!;
      assert.equal(u[counted], 1);
      assert.equal(u.closingDue + u.closingOverdue, 1);
      assert.equal(u.overdue, state === 'forsenad' ? 1 : 0);
      assert.equal(u.approaching, state === 'narmar-sig' ? 1 : 0);
      assert.deepEqual(s.lateCases, state === 'i-tid' ? [] : [{ reference: 'LS-1', unitId: 'u1', clock: 'avslut', state, daysLeft, due, weight: 'local-policy' }]);
    });
  }

  it('counts both ways in: the decision needing no anmälan, and the investigation at IVO (attached or sent later)', () => {
    const s = summarise(
      input(
        [
          { reference: 'A', unitId: 'u1', state: 'bedomd', noAnmalanDecidedAt: at('2026-10-20') }, // due 19 Nov: overdue
          { reference: 'B', unitId: 'u1', state: 'bedomd', noAnmalanDecidedAt: at('2026-10-26') }, // due today
          { reference: 'C', unitId: 'u2', state: 'anmald', filedOn: '2026-11-01', investigationAttached: true }, // due 1 Dec: approaching
          { reference: 'D', unitId: 'u2', state: 'anmald', filedOn: '2026-10-20', investigationAttached: false, investigationSentOn: '2026-11-20' }, // due 20 Dec
          { reference: 'E', unitId: 'u2', state: 'anmald', filedOn: '2026-10-01', investigationAttached: false }, // the investigation is still due: not closing
          { reference: 'F', unitId: 'u1', state: 'avslutad', noAnmalanDecidedAt: at('2026-01-01') }, // closed: nothing runs
        ],
        { caseworkUnjudgeable: [{ unitId: 'u1', count: 2 }, { unitId: 'u2', count: 1 }, { unitId: 'elsewhere', count: 5 }] },
      ),
    );
    const [u1, u2] = s.units;
    assert.deepEqual([u1!.closingOverdue, u1!.closingDue, u2!.closingOverdue, u2!.closingDue], [1, 1, 0, 2]);
    assert.equal(u2!.investigationsDue, 1);
    assert.deepEqual([s.totals.closingOverdue, s.totals.closingDue], [1, 3]);
    assert.equal(s.totals.overdue, 1, 'the overdue closing counts as late');
    assert.deepEqual([u1!.caseworkUnjudgeable, u2!.caseworkUnjudgeable, s.totals.caseworkUnjudgeable], [2, 1, 3], 'a unit out of scope is not counted');
    assert.equal(s.totals.caseworkOverdue + s.totals.caseworkApproaching, 0, 'never counted as late or near: nobody knows');
    assert.deepEqual(s.lateCases.map((c) => `${c.reference} ${c.clock} ${c.state} ${c.daysLeft}`), ['A avslut forsenad -6', 'B avslut narmar-sig 0', 'C avslut narmar-sig 6', 'E utredning narmar-sig 6']);

    const card = lines(statusCard(new CardRenderer(), { scope: { kind: 'committee', id: 'sn', title: 'Socialnämnden', units: UNITS }, period: { from: new Date('2026-11-22T23:00:00Z'), to: NOW, label: 'denna vecka' }, live: true, summary: s, now: NOW, timeZone: TZ }));
    assert.ok(card.includes('Att avsluta: 4, varav 1 efter den lokala fristen (lokal rutin, ej lag)'), card.join('\n'));
    assert.ok(card.includes('A – avslutet (lokal rutin), 6 dagar sedan'));
    assert.ok(card.includes('B – avslutet (lokal rutin), senast i dag'));
    assert.ok(card.includes('0 försenade, 0 närmar sig, 3 kan inte bedömas (datum saknas eller är fel i exporten)'));
    assert.ok(card.some((l) => l.endsWith(' · 2 bevakningar kan inte bedömas')), 'per unit');
    assert.ok(card.some((l) => l.endsWith(' · 1 bevakning kan inte bedömas')), 'singular');
  });

  it('with none of either, the card says "0, varav 0" and no "kan inte bedömas"', () => {
    const card = lines(statusCard(new CardRenderer(), { scope: { kind: 'committee', id: 'sn', title: 'Socialnämnden', units: UNITS }, period: { from: new Date('2026-11-22T23:00:00Z'), to: NOW, label: 'denna vecka' }, live: true, summary: summarise(input([])), now: NOW, timeZone: TZ }));
    assert.ok(card.includes('Att avsluta: 0, varav 0 efter den lokala fristen (lokal rutin, ej lag)'));
    assert.ok(!card.some((l) => l.includes('kan inte bedömas')));
  });

  describe('through the service (real SQLite)', function () {
    this.timeout(20_000);
    const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
    const ALEX = { entraId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
    let dir: string;
    let store: SqliteStore;
    let service: StatusService;
    const directory = new Directory(ORG);

    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-status-closing-'));
      store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
      await store.migrate();
      await store.organisation.sync(ORG, new Date('2026-09-01T00:00:00Z'));
      let seq = 0;
      const report = async (unitId: string, createdAt: string) =>
        (
          await store.reports.create(
            {
              formId: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`, year: 2026, unitId, committeeId: 'socialnamnden',
              reporterEntraId: ALEX.entraId, reporterName: ALEX.name, occurredAt: new Date(createdAt), occurredTimeKnown: false, noticedAt: new Date(createdAt), noticedTimeKnown: false,
              location: 'x', category: 'insatser', whatHappened: 'x', consequences: 'x', immediateActions: '', informed: 'ja',
              risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'nej', crime: 'nej', before: 'nej' }, urgent: false, createdAt: new Date(createdAt),
            },
            { actorEntraId: ALEX.entraId, action: 'report.create', entityType: 'report' },
          )
        ).report;
      const decide = (r: { id: number; reference: string }, when: string) =>
        store.cases.recordDecision(
          { reportId: r.id, reference: r.reference, from: 'rapporterad', to: 'bedomd', actor: ALEX, at: new Date(when) },
          { answersJson: '{}', recommendedOutcome: 'x', recommendationJson: '{}', decidedOutcome: 'x', requiresAnmalan: false },
        );
      await decide(await report('bou-mottagning', '2026-10-01T08:00:00.000Z'), '2026-10-02T09:00:00.000Z'); // due 1 Nov: overdue
      await decide(await report('vuxenenheten', '2026-11-10T08:00:00.000Z'), '2026-11-10T09:00:00.000Z'); // due 10 Dec: in time
      await store.casework.importItems(
        'procapita',
        [
          { source: 'procapita', caseReference: 'BoU 2026/1', type: 'forhandsbedomning', unitId: 'bou-mottagning', status: 'oppen', dates: {} },
          { source: 'procapita', caseReference: 'BoU 2026/2', type: 'forhandsbedomning', unitId: 'bou-mottagning', status: 'oppen', dates: { orosanmalanMottagen: '2026-02-30' } },
        ],
        { closeMissing: false, at: NOW, actor: 'test' },
      );
      service = new StatusService({ store, directory: () => directory, logger: createLogger('silent'), timeZone: TZ, now: () => NOW, warnDays: 7, calendar: new WorkingCalendar(), clockRules: RULES });
    });
    after(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('counts the open cases to close, the late one as overdue, and the casework items that cannot be judged', async () => {
      const scope = statusAccess(directory, ALEX.entraId).defaultScope!;
      const s = await service.summary(scope, { from: new Date('2026-11-22T23:00:00Z'), to: NOW, label: 'denna vecka' });
      assert.deepEqual([s.totals.closingOverdue, s.totals.closingDue], [1, 1]);
      assert.equal(s.totals.overdue, 1);
      assert.equal(s.totals.caseworkUnjudgeable, 2);
      assert.equal(s.units.find((u) => u.unitId === 'bou-mottagning')!.caseworkUnjudgeable, 2);
      assert.deepEqual(s.lateCases.map((c) => [c.reference, c.clock, c.state]), [['LS-2026-0001', 'avslut', 'forsenad']]);
    });
  });
});

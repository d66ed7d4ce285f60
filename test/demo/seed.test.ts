/**
 * The demo history on a real SQLite file: seeded through the store paths real use takes, it gives
 * the demo chef's weekly review and the nämnd's status summary non-zero overdue, approaching and
 * in-time figures; every expected figure is worked out here from the history's own description
 * (its dates and steps, with the domain rules), never typed in. A second seed writes nothing, an
 * interrupted one resumes without duplicates, no proactive card goes out about the seeded past,
 * and every seeded text passes the identity-number guard.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { CardRenderer } from '../../src/cards/render';
import { closingDueDay, DEFAULT_CLOCK_RULES, type ClockKind, type ClockState } from '../../src/cases/clocks';
import { CaseReminders } from '../../src/cases/reminders';
import { ITEM_TYPES } from '../../src/casework/rules';
import { caseworkIntentNow, DEMO_LABEL, plannedClock, type DemoHistory, type DemoReport } from '../../src/demo/history';
import { assertNoIdentityNumbers, DEMO_HISTORY_NOT_SENT, DEMO_SEED_KEY, DemoSeedError, demoRequiresAnmalan, historyFor, seedDemoHistory, type DemoSeedDeps } from '../../src/demo/seed';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { containsIdentityNumber } from '../../src/privacy/identity-numbers';
import { validateReportForm } from '../../src/reports/form';
import { ReviewReminders } from '../../src/review/reminders';
import { ReviewService, type ReviewItem } from '../../src/review/service';
import { statusAccess } from '../../src/status/access';
import { StatusService } from '../../src/status/service';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { ALEX, ALEX_UNIT, calendar, directory, expectedCasework, expectedReport, JUDGMENT_DAYS, NOW, ORG, scheduleFor, settings, statutory, tally, TZ, unitsOf, WARN_DAYS } from './expected';

/**
 * Whether any case can show the closing clock in `status` at `now`: it counts from the day it came
 * into force (closingClockFrom, 2 Dec 2026) at the earliest, so no closing is late before its first
 * possible due day has passed, nor near before that day is within the warning (re-review #13).
 */
function closingCanBe(status: ClockState, now: Date): boolean {
  const rules = settings.clockRules;
  const today = DateTime.fromJSDate(now, { zone: TZ }).toISODate()!;
  const first = rules.closingClockFrom ? closingDueDay(rules.closingClockFrom, rules) : '0000-01-01';
  if (status === 'forsenad') return first < today;
  if (status === 'narmar-sig') return DateTime.fromISO(first).diff(DateTime.fromISO(today), 'days').days <= Math.max(...rules.remindBeforeDays);
  return true;
}

// --- The description itself, over a year of start days ----------------------------------------

describe('demo history (pure, from "now")', function () {
  this.timeout(60_000);
  const days = Array.from({ length: 366 }, (_, i) => DateTime.fromISO('2026-01-01T08:00', { zone: TZ }).plus({ days: i }).toJSDate());
  // After the closing clock's first deadline could pass (2 Jan 2027): every fifth day of 2027, so its late and near cases are checked too.
  const later = Array.from({ length: 73 }, (_, i) => DateTime.fromISO('2027-01-03T08:00', { zone: TZ }).plus({ days: 5 * i }).toJSDate());
  // Early morning, late evening, DST changes, Christmas, midsummer and a new year.
  const edges = ['2026-03-29T00:30:00Z', '2026-10-25T01:30:00Z', '2026-12-24T23:30:00Z', '2026-06-19T05:00:00Z', '2027-01-01T00:05:00Z', '2026-11-29T21:45:00Z'].map((s) => new Date(s));
  let histories: { now: Date; h: DemoHistory }[];
  before(() => {
    histories = [...days, ...later, ...edges].map((now) => ({ now, h: historyFor(settings, now) }));
  });

  it('is valid input to the form, in order, and never after now, whatever day the demo starts', () => {
    for (const { now, h } of histories) {
      let prev = 0;
      for (const r of h.reports) {
        assert.ok(r.createdAt.getTime() >= prev, `${r.key} out of order at ${now.toISOString()}`);
        prev = r.createdAt.getTime();
        const unitIds = directory.unitsOf(r.reporter).map((u) => u.id);
        const v = validateReportForm({ ...r.form, formId: '6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab' }, { now: r.createdAt, timeZone: TZ, unitIds });
        assert.ok(v.ok, `${r.key} at ${now.toISOString()}: ${JSON.stringify(!v.ok && v.errors)}`);
        let t = r.createdAt.getTime();
        for (const s of r.steps) {
          assert.ok(s.at.getTime() > t && s.at <= now, `${r.key}: a step at ${s.at.toISOString()} (now ${now.toISOString()})`);
          t = s.at.getTime();
        }
      }
      for (const rv of h.reviews) assert.ok(rv.doneAt < now);
    }
  });

  it('gives the demo chef overdue, approaching and in-time items, and every clock type both sides of its deadline, every day', () => {
    for (const { now, h } of histories) {
      const lex = h.reports.filter((r) => r.unitId === ALEX_UNIT).map((r) => expectedReport(r, now).status).filter(Boolean) as string[];
      const casework = expectedCasework(h, now);
      const mine = tally([...lex, ...casework.filter((c) => c.item.unitId === ALEX_UNIT).map((c) => c.state)], (s) => s);
      for (const s of ['forsenad', 'narmar-sig', 'i-tid']) assert.ok((mine[s] ?? 0) > 0, `${now.toISOString()}: no ${s} item for ${ALEX_UNIT}: ${JSON.stringify(mine)}`);
      for (const type of ITEM_TYPES) {
        const states = new Set(casework.filter((c) => c.item.type === type).map((c) => c.state));
        assert.ok(states.has('forsenad') && (states.has('narmar-sig') || states.has('i-tid')), `${now.toISOString()}: ${type} has ${[...states].join(', ')}`);
      }
      // The anmälan clocks: overdue, approaching and in time; one anmäld waiting for its investigation.
      const all = h.reports.map((r) => expectedReport(r, now));
      for (const s of ['forsenad', 'narmar-sig', 'i-tid']) assert.ok(all.some((e) => e.clock === 'anmalan' && e.status === s), `${now.toISOString()}: no anmälan ${s}`);
      assert.ok(all.some((e) => e.state === 'anmald' && e.clock === 'utredning'));
      assert.ok(all.some((e) => e.clock === 'bedomning' && e.status === 'forsenad'), 'an unassessed report past the local deadline');
      // The closing clock (local policy) in each state, both ways in: decided without an anmälan, and at IVO
      // (late or near only once the clock, in force from 2 Dec 2026, can be).
      for (const s of ['forsenad', 'narmar-sig', 'i-tid'] as const) {
        if (closingCanBe(s, now)) assert.ok(all.some((e) => e.clock === 'avslut' && e.status === s), `${now.toISOString()}: no closing ${s}`);
      }
      assert.ok(all.some((e) => e.clock === 'avslut' && e.state === 'anmald') && all.some((e) => e.clock === 'avslut' && e.state === 'bedomd'));
      for (const s of ['rapporterad', 'under-utredning', 'bedomd', 'anmald', 'avslutad']) assert.ok(all.some((e) => e.state === s), `no report ${s}`);
    }
  });

  it('meets the intended state of every clock, except where the calendar makes it impossible', () => {
    const misses: string[] = [];
    for (const { now, h } of histories) {
      for (const r of h.reports) {
        assert.equal(expectedReport(r, now).state, r.intent.state, r.key);
        if (!r.intent.clock) continue;
        const got = plannedClock(r, { now, ...settings }, demoRequiresAnmalan);
        assert.equal(got?.clock, r.intent.clock, r.key);
        if (got.status === r.intent.status) continue;
        // A BRÅDSKANDE report is due the next working day. "Närmar sig" is the due day or the day
        // before: on a day that is not a working day, and neither is the next (a Saturday), that
        // cannot be: whatever day it came in, it is overdue or two or more days from its due day.
        const day = DateTime.fromJSDate(now, { zone: TZ }).toISODate()!;
        const next = DateTime.fromISO(day).plus({ days: 1 }).toISODate()!;
        const impossible =
          (r.intent.clock === 'bedomning' && r.intent.status === 'narmar-sig' && !calendar.isWorkingDay(day) && !calendar.isWorkingDay(next)) ||
          (r.intent.clock === 'avslut' && !closingCanBe(r.intent.status!, now));
        if (!impossible) misses.push(`${r.key} on ${day}: ${got.status}, meant ${r.intent.status}`);
      }
      for (const w of h.casework) {
        const got = caseworkIntentNow(w.item, { now, ...settings }, statutory);
        if (got !== w.intent) misses.push(`${w.item.caseReference} on ${now.toISOString()}: ${got}, meant ${w.intent}`);
      }
    }
    assert.deepEqual(misses, []);
  });

  it('labels every report and note as demo data, and passes every text through the identity-number guard', () => {
    const h = historyFor(settings, NOW);
    for (const r of h.reports) assert.ok(r.form.whatHappened!.startsWith(DEMO_LABEL), r.key);
    // Every free text of the form, not only "what happened": whatever a card or the case shows is labelled.
    for (const r of h.reports) for (const f of ['location', 'consequences', 'immediateActions'] as const) if (r.form[f]) assert.ok(r.form[f]!.startsWith(DEMO_LABEL), `${r.key}.${f}`);
    for (const w of h.casework) assert.match(w.item.caseReference, /^DEMO-/);
    for (const r of h.reports) for (const s of r.steps) if (s.kind === 'entry' || s.kind === 'close') assert.ok((s.kind === 'entry' ? s.text : s.decisionText).startsWith(DEMO_LABEL));
    assert.doesNotThrow(() => assertNoIdentityNumbers([{ where: 'x', text: h.reports[0]!.form.whatHappened! }]));
    // The check can fail: a planted personnummer is refused, naming where, never the number.
    assert.throws(
      () => assertNoIdentityNumbers([{ where: 'planted', text: `${DEMO_LABEL} Barnet, 121212-1212, kom inte hem.` }]),
      (e: unknown) => e instanceof DemoSeedError && /planted/.test(e.message) && !/1212/.test(e.message),
    );
  });
});

// --- Seeded into a real SQLite file -------------------------------------------------------------

/** Free-text columns of what the seed writes: every value must pass the guard. */
const FREE_TEXT: Record<string, string[]> = {
  reports: ['location', 'what_happened', 'consequences', 'immediate_actions', 'case_reference'],
  case_decisions: ['motivation'],
  case_filings: ['ivo_diarienummer'],
  case_closings: ['decision_text', 'motivation'],
  case_entries: ['entry_text', 'source'],
  case_actions: ['action_text'],
  review_records: ['comment'],
  casework_items: ['case_reference'],
};

describe('demo seed (real SQLite)', function () {
  this.timeout(30_000);
  let dir: string;
  let file: string;
  let store: SqliteStore;
  let deps: DemoSeedDeps;
  let history: DemoHistory;
  const logger = createLogger('silent');
  const cards = new CardRenderer();

  /** Row counts of every table. */
  function counts(): Record<string, number> {
    const db = new Database(file, { readonly: true });
    try {
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
      return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n]));
    } finally {
      db.close();
    }
  }

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-demo-'));
    file = path.join(dir, 'db.sqlite');
    store = SqliteStore.open({ filename: file });
    await store.migrate();
    await store.organisation.sync(ORG, NOW);
    deps = { store, directory: () => directory, cards, logger, now: () => NOW, ...settings };
    history = historyFor(deps, NOW);
    const out = await seedDemoHistory(deps);
    assert.equal(out.seeded, true);
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores every report in the state its steps lead to, numbered in the order they came in', async () => {
    const year = (r: DemoReport) => DateTime.fromJSDate(r.createdAt, { zone: TZ }).year;
    const seqByYear = new Map<number, number>();
    for (const r of history.reports) {
      const seq = (seqByYear.get(year(r)) ?? 0) + 1;
      seqByYear.set(year(r), seq);
      const stored = await store.reports.getByReference(`LS-${year(r)}-${String(seq).padStart(4, '0')}`);
      assert.ok(stored, r.key);
      assert.equal(stored.whatHappened, r.form.whatHappened);
      assert.equal(stored.createdAt.getTime(), r.createdAt.getTime());
      assert.equal(stored.state, expectedReport(r, NOW).state, r.key);
      const details = await store.cases.get(stored.id);
      assert.equal(details.filing?.filedOn, expectedReport(r, NOW).filedOn);
    }
  });

  it("the demo chef's weekly review: overdue, approaching and in-time items as the history describes them", async () => {
    const reviews = new ReviewService({ store, directory: () => directory, logger, timeZone: TZ, now: () => NOW, warnDays: WARN_DAYS, judgmentDays: JUDGMENT_DAYS, calendar });
    const items = await reviews.items(ALEX_UNIT);
    const lex = history.reports.filter((r) => r.unitId === ALEX_UNIT).map((r) => expectedReport(r, NOW)).filter((e) => e.state !== 'avslutad');
    const casework = expectedCasework(history, NOW).filter((c) => c.item.unitId === ALEX_UNIT);
    const expected = tally([...lex.map((e) => e.status ?? 'ingen-frist'), ...casework.map((c) => c.state)], (s) => s);
    assert.deepEqual(tally(items, (i: ReviewItem) => i.urgency), expected);
    for (const s of ['forsenad', 'narmar-sig', 'i-tid']) assert.ok((expected[s] ?? 0) > 0, `expected some ${s}`);
    assert.equal(items.filter((i) => i.kind === 'lex-sarah').length, lex.length);
  });

  it("the nämnd's status summary matches the history: every clock, the casework, the reviews", async () => {
    const status = new StatusService({ store, directory: () => directory, logger, timeZone: TZ, now: () => NOW, warnDays: WARN_DAYS, calendar, scheduleFor });
    const scope = statusAccess(directory, ALEX).defaultScope!;
    assert.deepEqual(scope.units.map((u) => u.id).sort(), unitsOf('socialnamnden').sort());
    const from = DateTime.fromJSDate(NOW, { zone: TZ }).startOf('week').toJSDate();
    const summary = await status.summary(scope, { from, to: NOW, label: 'denna vecka' });
    const inScope = new Set(scope.units.map((u) => u.id));

    const reports = history.reports.filter((r) => inScope.has(r.unitId)).map((r) => ({ r, e: expectedReport(r, NOW) }));
    const lex = (clock: ClockKind, st?: ClockState) => reports.filter(({ e }) => e.clock === clock && (st === undefined || e.status === st)).length;
    const casework = expectedCasework(history, NOW).filter((c) => inScope.has(c.item.unitId));
    const cw = (st: ClockState) => casework.filter((c) => c.state === st).length;
    const lexApproaching = reports.filter(({ e }) => e.status === 'narmar-sig').length;
    const t = summary.totals;

    assert.deepEqual(t.byState, { rapporterad: 0, 'under-utredning': 0, bedomd: 0, anmald: 0, ...tally(reports.filter(({ e }) => e.state !== 'avslutad'), ({ e }) => e.state) });
    assert.equal(t.newReports, reports.filter(({ r }) => r.createdAt >= from && r.createdAt < NOW).length);
    assert.equal(t.assessmentsOverdue, lex('bedomning', 'forsenad'));
    assert.equal(t.anmalanOverdue, lex('anmalan', 'forsenad'));
    assert.equal(t.anmalanDue, lex('anmalan') - lex('anmalan', 'forsenad'));
    assert.equal(t.investigationsDue, lex('utredning') - lex('utredning', 'forsenad'));
    assert.equal(t.closingOverdue, lex('avslut', 'forsenad'));
    assert.equal(t.closingDue, lex('avslut') - lex('avslut', 'forsenad'));
    assert.ok(t.closingDue > 0, 'a case to close in Socialnämnden');
    assert.equal(t.lexSarahApproaching, lexApproaching);
    assert.equal(t.caseworkOverdue, cw('forsenad'));
    assert.equal(t.caseworkApproaching, cw('narmar-sig'));
    assert.equal(summary.caseworkReopened, casework.filter((c) => c.reopened).length);
    const overdue = reports.filter(({ e }) => e.status === 'forsenad').length + cw('forsenad');
    const approaching = lexApproaching + cw('narmar-sig');
    const inTime = reports.filter(({ e }) => e.status === 'i-tid').length + cw('i-tid');
    assert.equal(t.overdue, overdue);
    assert.equal(t.approaching, approaching);
    assert.ok(overdue > 0 && approaching > 0 && inTime > 0, JSON.stringify({ overdue, approaching, inTime }));
    // In time: the anmälningar not yet near their deadline are counted as due, not late or near.
    assert.ok(t.anmalanDue - lex('anmalan', 'narmar-sig') > 0);

    // Last weeks' reviews: done and missed, per unit, as seeded; this week's is left to the user.
    for (const u of summary.units) {
      const done = history.reviews.filter((r) => r.unitId === u.unitId).length;
      assert.equal(u.review.doneBefore, done, u.unitId);
      assert.notEqual(u.review.thisWeek, 'klar');
    }
    assert.ok(t.reviewsDoneBefore > 0 && history.missedReviews.some((m) => inScope.has(m.unitId)));
    // Nobody is listed as unreachable: no card about the past was sent, or failed.
    assert.equal(summary.unreachable.total, 0);
  });

  it('sends no proactive card about the seeded past; reminders the clocks reach later still come', async () => {
    assert.equal(await store.outbox.pendingCount(), 0, 'nothing waits to be sent');
    assert.ok((counts().outbox ?? 0) > 0, 'the reminders the history had already reached are settled in the outbox');
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT state, last_error AS error FROM outbox').all() as { state: string; error: string }[];
    db.close();
    assert.ok(rows.every((r) => r.state === 'failed' && r.error === DEMO_HISTORY_NOT_SENT));
    assert.equal(counts().delivery_failures, 0);

    const reminders = new CaseReminders({ store, directory: () => directory, cards, logger, timeZone: TZ, clockRules: DEFAULT_CLOCK_RULES, calendar });
    assert.deepEqual(await reminders.tick(NOW), []);
    const reviewService = new ReviewService({ store, directory: () => directory, logger, timeZone: TZ, now: () => NOW, warnDays: WARN_DAYS, calendar });
    const reviewReminders = new ReviewReminders({ store, directory: () => directory, cards, reviews: reviewService, calendar, logger, timeZone: TZ, scheduleFor, escalationWorkingDays: 3 });
    assert.deepEqual(await reviewReminders.tick(NOW), []);
    // A week on, the anmälan now approaching is overdue: that reminder is new and goes out.
    const later = await reminders.tick(DateTime.fromJSDate(NOW).plus({ days: 8 }).toJSDate());
    assert.ok(later.some((s) => s.kind === 'overdue'), JSON.stringify(later));
  });

  it('every seeded free text passes the identity-number guard', () => {
    const db = new Database(file, { readonly: true });
    try {
      let checked = 0;
      for (const [table, columns] of Object.entries(FREE_TEXT)) {
        for (const row of db.prepare(`SELECT ${columns.join(', ')} FROM ${table}`).all() as Record<string, string | null>[]) {
          for (const c of columns) {
            const v = row[c];
            if (v === null || v === undefined || v === '') continue;
            checked++;
            assert.equal(containsIdentityNumber(v), false, `${table}.${c}`);
          }
        }
      }
      assert.ok(checked > 100, `only ${checked} texts checked`);
    } finally {
      db.close();
    }
  });

  it('a second seed writes nothing', async () => {
    const before = counts();
    assert.deepEqual(await seedDemoHistory({ ...deps, now: () => new Date(NOW.getTime() + 86_400_000) }), { seeded: false, reason: 'already-seeded' });
    assert.deepEqual(counts(), before);
  });

  it('a seed interrupted before its marker was completed resumes without a duplicate', async () => {
    const before = counts();
    // As if the first start had died just before completing the marker (and its lease ran out).
    const db = new Database(file);
    db.prepare('DELETE FROM work_leases WHERE work_key = ?').run(DEMO_SEED_KEY);
    db.close();
    // A later start: the stored "now" of the first attempt is used, so the dates fit.
    const out = await seedDemoHistory({ ...deps, now: () => new Date(NOW.getTime() + 3 * 86_400_000) });
    assert.equal(out.seeded, true);
    const after = counts();
    // Only the seed's own audit entry is new; every report, step, item, review and card is there once.
    assert.deepEqual({ ...after, audit_log: after.audit_log! - 1 }, before);
  });

  it('seeds nothing into an organisation that is not the demo one', async () => {
    const other = mkdtempSync(path.join(tmpdir(), 'lexsarah-demo-other-'));
    const s = SqliteStore.open({ filename: path.join(other, 'db.sqlite') });
    try {
      await s.migrate();
      const org = { ...ORG, committees: ORG.committees.map((c) => ({ ...c, units: c.units.filter((u) => u.id !== 'gruppbostad-eken') })) };
      await s.organisation.sync(org, NOW);
      const out = await seedDemoHistory({ ...deps, store: s, directory: () => new Directory(org) });
      assert.equal(out.seeded, false);
      assert.equal(out.seeded === false && out.reason, 'not-demo-organisation');
      assert.equal(await s.casework.count(), 0);
    } finally {
      await s.close();
      rmSync(other, { recursive: true, force: true });
    }
  });
});

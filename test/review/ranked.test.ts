/**
 * The weekly review's pages from the stored clocks and ranks (ReviewService.reviewPage, issue #14)
 * against the full computation they stand in for (reviewPageComputed: every item computed, sorted,
 * cut): on a real SQLite file with generated lex Sarah histories and casework items of every type,
 * every page, its rows in order, the counts, the totals and the page of the first row that cannot be
 * judged are the same; on several days, after further case changes and a changed export, and
 * without reading the unit's whole register (nor falling back to the full way).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCaseworkCsv } from '../../src/casework/csv';
import { toRecord } from '../../src/casework/import';
import { addAmount, DATE_FIELDS } from '../../src/casework/rules';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { WorkingCalendar } from '../../src/review/calendar';
import { REVIEW_PAGE_SIZE, ReviewService } from '../../src/review/service';
import type { CaseworkRecord } from '../../src/store/casework';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { newReport, sampleOrg } from '../store/contract';
import { prng, step, type Case } from '../support/case-histories';

const TZ = 'Europe/Stockholm';
const SAMPLE = readFileSync(path.join(__dirname, '..', 'fixtures', 'casework-sample.csv'), 'utf8');
const SAMPLE_UNITS = ['bou-mottagning', 'bou-familjehem', 'vuxenenheten', 'ekonomiskt-bistand', 'solgarden', 'hemtjanst-norr', 'gruppbostad-eken'];
const anna = { entraId: 'aaaaaaaa-0000-0000-0000-000000000001', name: 'Anna Chef' };

/** The store with `before` run ahead of each casework rank count: what another instance or an import may do in between. */
function beforeEachCount(store: SqliteStore, before: () => Promise<void>): SqliteStore {
  const casework = new Proxy(store.casework, {
    get(target, prop) {
      const original = Reflect.get(target, prop, target) as (...a: unknown[]) => Promise<unknown>;
      if (typeof original !== 'function') return original;
      if (prop !== 'reviewRankCounts') return original.bind(target);
      return async (...a: unknown[]) => {
        await before();
        return original.apply(target, a);
      };
    },
  });
  return { ...store, cases: store.cases, casework, state: store.state, reports: store.reports, audit: store.audit } as unknown as SqliteStore;
}

describe('weekly review pages from the stored ranks, against the full computation', function () {
  this.timeout(120_000);
  let dir: string;
  let store: SqliteStore;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-ranked-'));
    store = SqliteStore.open({ filename: path.join(dir, 'r.db') });
    await store.migrate();
    await store.organisation.sync(sampleOrg(), new Date('2026-01-01T00:00:00Z'));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const parsed = parseCaseworkCsv(SAMPLE, { source: 's', unitIds: SAMPLE_UNITS });
  assert.ok(parsed.ok);
  const templates = parsed.items.map((i) => toRecord(i, TZ));

  /** n casework records of the unit from the sample's rows, their dates moved (some left out), some references shared by two types. */
  function casework(n: number, rnd: () => number, tag: string): CaseworkRecord[] {
    const out: CaseworkRecord[] = [];
    for (let i = 0; i < n; i++) {
      const t = templates[i % templates.length]!;
      const shift = Math.floor(rnd() * 400) - 330;
      const dates: Record<string, string> = {};
      for (const f of DATE_FIELDS) {
        const v = (t.dates as Record<string, string | undefined>)[f];
        if (v && rnd() >= 0.1) dates[f] = addAmount(v, { days: shift });
      }
      // Every 7th shares the reference of the one before (another type): ties on the reference.
      const reference = i % 7 === 6 ? `BoU ${tag}/${i - 1}` : `BoU ${tag}/${i}`;
      const { dueOn: _d, stopsOn: _s, ...rest } = t;
      out.push({ ...rest, source: 'gen', caseReference: reference, unitId: 'bou', dates, ...(rnd() < 0.5 ? { handlaggare: `h${i % 9}@kommun.example` } : {}) } as CaseworkRecord);
    }
    // One record per (reference, type, opening): the last wins, as an export's would.
    return [...new Map(out.map((r) => [`${r.caseReference}|${r.type}|${r.openingKey ?? ''}`, r])).values()];
  }

  it('gives the same pages, counts and totals on every page, on several days and after changes', async () => {
    const rnd = prng(48);
    const cases: Case[] = [];
    for (let i = 0; i < 200; i++) {
      const createdAt = new Date(Date.parse('2026-06-01T06:00:00Z') + Math.floor(rnd() * 170 * 86_400_000));
      const { report } = await store.reports.create(newReport({ unitId: 'bou', committeeId: 'sn', urgent: rnd() < 0.3, createdAt }), { actorEntraId: anna.entraId, action: 'report.create', entityType: 'report' });
      const c: Case = { id: report.id, reference: report.reference, state: 'rapporterad', at: createdAt.getTime() };
      for (let s = Math.floor(rnd() * 5); s > 0; s--) await step(store, c, rnd);
      cases.push(c);
    }
    const first = casework(800, rnd, 'A');
    await store.casework.importItems('gen', first, { closeMissing: false, at: new Date('2026-11-20T02:00:00Z'), actor: 'test' });

    const lines: { event?: string }[] = [];
    const logger = createLogger('warn', { write: (l: string) => void lines.push(JSON.parse(l)) });
    let listOpenCalls = 0;
    const listOpen = store.casework.listOpen.bind(store.casework);
    store.casework.listOpen = async (...a) => (listOpenCalls++, listOpen(...a));
    const service = (now: Date) =>
      new ReviewService({ store, directory: () => new Directory(sampleOrg()), logger, timeZone: TZ, now: () => now, warnDays: 7, calendar: new WorkingCalendar({ timeZone: TZ }) });

    const seen = { pages: 0, urgencies: new Set<string>() };
    /** Every page (`every`), or the first five, every seventh and the last ones. */
    const compare = async (now: Date, label: string, every = false) => {
      const s = service(now);
      const reference = await s.reviewPageComputed('bou', 0);
      const pages = Math.ceil(reference.total / REVIEW_PAGE_SIZE);
      assert.ok(pages > 50, `${label}: ${reference.total} items`);
      const all = Array.from({ length: pages }, (_, i) => i);
      for (const p of [...(every ? all : all.filter((i) => i < 5 || i % 7 === 0 || i >= pages - 2)), pages, pages + 5, -1]) {
        const calls = listOpenCalls;
        const got = await s.reviewPage('bou', p);
        assert.equal(listOpenCalls, calls, `${label} page ${p}: the paged review read the whole register`);
        assert.deepEqual(got, await s.reviewPageComputed('bou', p), `${label} page ${p}`);
        seen.pages++;
        for (const i of got.items) seen.urgencies.add(i.urgency);
      }
    };
    await compare(new Date('2026-11-25T10:00:00Z'), 'first day', true);
    // More case changes, a changed export (some items moved, some new, some closed), and other days.
    for (const c of cases.filter((_, i) => i % 3 === 0)) await step(store, c, rnd);
    const second = casework(800, rnd, 'A').slice(0, 700).concat(casework(60, rnd, 'B'));
    await store.casework.importItems('gen', second, { closeMissing: true, at: new Date('2026-11-27T02:00:00Z'), actor: 'test' });
    for (const day of ['2026-11-27T06:00:00Z', '2026-12-24T22:30:00Z', '2027-03-01T12:00:00Z', '2026-11-26T08:00:00Z']) await compare(new Date(day), day);
    assert.deepEqual(lines.filter((l) => l.event === 'review-rank-mismatch'), [], 'never fell back to the full way');
    assert.deepEqual([...seen.urgencies].sort(), ['forsenad', 'i-tid', 'kan-inte-bedomas', 'narmar-sig'], 'the pages hold every kind of row');
  });
  it('rows forgotten or written between the refresh and the count are never left out: the page and the weekly counts are computed in full', async () => {
    const lines: { event?: string }[] = [];
    const logger = createLogger('info', { write: (l: string) => void lines.push(JSON.parse(l)) });
    const now = new Date('2026-12-01T10:00:00Z');
    // Another instance's basis (or an import) between this review's refresh and its count.
    let meddle = true;
    const meddled = beforeEachCount(store, async () => {
      if (meddle) await store.casework.invalidateReviewRanks();
    });
    const make = (st: SqliteStore) => new ReviewService({ store: st, directory: () => new Directory(sampleOrg()), logger, timeZone: TZ, now: () => now, warnDays: 7, calendar: new WorkingCalendar({ timeZone: TZ }) });
    const full = await make(store).reviewPageComputed('bou', 3);
    assert.ok(full.total > 100);
    assert.deepEqual(await make(meddled).reviewPage('bou', 3), full);
    assert.ok(lines.some((l) => l.event === 'review-ranks-stale'), 'said so in the log');
    const counts = await make(meddled).caseworkNow('bou');
    meddle = false;
    assert.deepEqual(await make(store).caseworkNow('bou'), counts);
    assert.ok(counts.items > 100 && counts.overdue > 0, JSON.stringify(counts));
  });
  it('another instance on other settings re-ranking the unit between the check and the count: the page is computed in full, never from its ranks', async () => {
    const lines: { event?: string }[] = [];
    const logger = createLogger('info', { write: (l: string) => void lines.push(JSON.parse(l)) });
    const now = new Date('2026-12-02T10:00:00Z');
    const make = (st: SqliteStore, judgmentDays?: number) =>
      new ReviewService({ store: st, directory: () => new Directory(sampleOrg()), logger, timeZone: TZ, now: () => now, warnDays: 7, calendar: new WorkingCalendar({ timeZone: TZ }), ...(judgmentDays !== undefined ? { judgmentDays } : {}) });
    const full = await make(store).reviewPageComputed('bou', 0);
    let meddle = false;
    const meddled = beforeEachCount(store, async () => {
      if (!meddle) return;
      meddle = false;
      // The other instance: 60 days for court judgments, its basis written, the unit re-ranked.
      await make(store, 60).caseworkNow('bou');
    });
    // Every page: the other instance's ranks differ from this one's on some of them only.
    const pages = Math.ceil(full.total / REVIEW_PAGE_SIZE);
    for (let p = 0; p < pages; p++) {
      await make(store).reviewPage('bou', 0); // this instance's ranks again
      meddle = true;
      assert.deepEqual(await make(meddled).reviewPage('bou', p), await make(store).reviewPageComputed('bou', p), `page ${p}`);
    }
    assert.ok(lines.some((l) => l.event === 'review-ranks-stale'), 'said so in the log');
  });
});

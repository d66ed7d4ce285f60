import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { backfillCaseworkDeadlines, importCasework, type ImportDeps } from '../../src/casework/import';
import { caseworkDeadline, type CaseworkItem } from '../../src/casework/rules';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { WorkingCalendar } from '../../src/review/calendar';
import { ReviewService } from '../../src/review/service';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const SAMPLE = readFileSync(path.join(__dirname, '..', 'fixtures', 'casework-sample.csv'), 'utf8');
const UNITS = ['bou-mottagning', 'bou-familjehem', 'vuxenenheten', 'ekonomiskt-bistand', 'solgarden', 'hemtjanst-norr', 'gruppbostad-eken'];

describe('casework import (file → register)', () => {
  let store: SqliteStore;
  let deps: ImportDeps;
  beforeEach(async () => {
    store = SqliteStore.open({ filename: ':memory:' });
    await store.migrate();
    deps = { store, unitIds: () => UNITS, now: () => new Date('2026-11-22T10:00:00Z'), timeZone: 'Europe/Stockholm', closeMissing: true, logger: createLogger('silent') };
  });
  afterEach(() => store.close());

  const lines = SAMPLE.trimEnd().split(/\r?\n/);

  it('imports the sample export', async () => {
    const out = await importCasework(deps, { source: 'procapita', csv: SAMPLE, full: true, actor: 'test' });
    assert.ok(out.ok);
    assert.equal(out.rows, lines.length - 1);
    assert.equal(out.result.inserted, lines.length - 1);
    assert.equal(await store.casework.count(), lines.length - 1);
  });

  it('refuses a source that holds an identity number: it would be stored on every item and logged', async () => {
    const out = await importCasework(deps, { source: 'pnr-850709-9805', csv: SAMPLE, full: true, actor: 'test' });
    assert.equal(out.ok, false);
    assert.equal(await store.casework.count(), 0);
  });

  it('stores each open item\'s deadline as the rules compute it', async () => {
    await importCasework(deps, { source: 'procapita', csv: SAMPLE, full: true, actor: 'test' });
    const open = await store.casework.listOpen();
    assert.ok(open.length > 5);
    for (const i of open) {
      const d = caseworkDeadline({ caseReference: i.caseReference, type: i.type, unitId: i.unitId, status: i.status, ...i.dates, domstol: Boolean(i.judgment) } as CaseworkItem, { timeZone: 'Europe/Stockholm' });
      assert.deepEqual([i.dueOn, i.stopsOn], [d.due, d.stopsOn], i.caseReference);
    }
  });

  it('backfills the deadlines of items stored before deadlines were kept, and leaves an uncomputable one out', async () => {
    await importCasework(deps, { source: 'procapita', csv: SAMPLE, full: true, actor: 'test' });
    const expected = (await store.casework.listOpen()).map((i) => [i.caseReference, i.dueOn, i.stopsOn]);
    // As after migration 8 on an older database: no stored deadlines, plus a row that bypassed validation.
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    db.exec('UPDATE casework_items SET due_on = NULL, stops_on = NULL');
    db.exec(`INSERT INTO casework_items (source, case_reference, item_type, unit_id, status, updated_at) VALUES ('old', 'X 1', 'forhandsbedomning', 'bou-mottagning', 'oppen', '2026-01-01T00:00:00Z')`);
    const warnings: string[] = [];
    const logger = createLogger('silent');
    logger.warn = ((obj: { event?: string }) => void warnings.push(String(obj.event))) as typeof logger.warn;
    const done = await backfillCaseworkDeadlines({ store, timeZone: 'Europe/Stockholm', logger }, 2);
    assert.equal(done, expected.length);
    assert.deepEqual((await store.casework.listOpen()).filter((i) => i.source === 'procapita').map((i) => [i.caseReference, i.dueOn, i.stopsOn]), expected);
    assert.deepEqual(warnings, ['casework-deadline-failed']);
    assert.deepEqual((await store.casework.openWithoutDeadline(10)).map((i) => i.caseReference), ['X 1']);
    assert.equal(await backfillCaseworkDeadlines({ store, timeZone: 'Europe/Stockholm', logger }), 0, 'nothing left to do');
  });

  it('one bad row changes nothing and names the row and the column', async () => {
    await importCasework(deps, { source: 'procapita', csv: SAMPLE, full: true, actor: 'test' });
    const before = JSON.stringify(await store.casework.listOpen());
    const header = lines[0]!.split(';');
    const enhet = header.indexOf('enhet');
    const broken = [...lines];
    const cells = broken[5]!.split(';');
    cells[enhet] = 'finns-inte';
    broken[5] = cells.join(';');
    broken.push(broken[1]!.replace(/^[^;]+/, 'Ny 2026/999'));
    const out = await importCasework(deps, { source: 'procapita', csv: broken.join('\n'), full: true, actor: 'test' });
    assert.ok(!out.ok);
    assert.deepEqual(out.errors.map((e) => [e.line, e.column]), [[6, 'enhet']]);
    assert.equal(JSON.stringify(await store.casework.listOpen()), before, 'nothing changed');
  });

  it('a personnummer anywhere rejects the whole file without repeating it', async () => {
    const withPnr = SAMPLE.replace(/BoU 2026\/\d+/, '19850709-9805');
    const out = await importCasework(deps, { source: 'procapita', csv: withPnr, full: true, actor: 'test' });
    assert.ok(!out.ok);
    assert.ok(!JSON.stringify(out.errors).includes('9805'));
    assert.equal(await store.casework.count(), 0);
  });

  it('a full import closes what is missing; a partial one does not; the setting can turn it off', async () => {
    await importCasework(deps, { source: 'procapita', csv: SAMPLE, full: true, actor: 'test' });
    const fewer = lines.slice(0, 4).join('\n');
    const partial = await importCasework(deps, { source: 'procapita', csv: fewer, full: false, actor: 'test' });
    assert.ok(partial.ok && partial.result.closed === 0);
    const off = await importCasework({ ...deps, closeMissing: false }, { source: 'procapita', csv: fewer, full: true, actor: 'test' });
    assert.ok(off.ok && off.result.closed === 0 && !off.closedMissing);
    const full = await importCasework(deps, { source: 'procapita', csv: fewer, full: true, actor: 'test' });
    assert.ok(full.ok);
    assert.ok(full.result.closed > 0);
    assert.equal((await store.casework.listOpen()).length, 3 - lines.slice(1, 4).filter((l) => /;avslutad;/.test(l)).length);
  });

  it('refuses a source name that is not a plain identifier', async () => {
    const out = await importCasework(deps, { source: '../x', csv: SAMPLE, full: true, actor: 'test' });
    assert.ok(!out.ok);
    assert.match(out.errors[0]!.message, /källan/);
  });
});

/** A stored opening: [opened, reopened, first opening counted from] and, when corrected, the day it replaced. */
type Opening = [string, boolean, string | null] | [string, boolean, string | null, string];

describe('casework import: investigation history (#17 review)', () => {
  let store: SqliteStore;
  let deps: ImportDeps;
  beforeEach(async () => {
    store = SqliteStore.open({ filename: ':memory:' });
    await store.migrate();
    deps = { store, unitIds: () => ['u1'], now: () => new Date('2026-11-22T10:00:00Z'), timeZone: 'Europe/Stockholm', closeMissing: true, logger: createLogger('silent') };
  });
  afterEach(() => store.close());

  const H = 'ärendereferens;typ;enhet;status;utredning_inledd;ny_orosanmälan\n';
  const imp = async (rows: string, full = false) => {
    const out = await importCasework(deps, { source: 'pc', csv: H + rows, full, actor: 't' });
    assert.ok(out.ok, JSON.stringify(!out.ok && out.errors));
  };
  /** Every stored investigation opening: [opened, reopened, first opening counted from, and the replaced day when corrected]. */
  const openings = async () => {
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    return (db.prepare(`SELECT utredning_inledd AS o, reopened AS r, forsta_inledd AS f, rattad_fran AS c FROM casework_items WHERE item_type = 'barnavardsutredning' ORDER BY utredning_inledd`).all() as { o: string; r: number; f: string | null; c: string | null }[])
      .map((x) => (x.c === null ? [x.o, Boolean(x.r), x.f] : [x.o, Boolean(x.r), x.f, x.c]));
  };

  // [what, imports (each a file), expected openings]
  const table: [string, string[], Opening[]][] = [
    ['a plain reopening counts from the first opening', ['BoU 1;barnavardsutredning;u1;avslutad;2025-01-10;\nBoU 1;barnavardsutredning;u1;öppen;2026-10-01;\n'],
      [['2025-01-10', false, null], ['2026-10-01', true, '2025-01-10']]],
    ['a new orosanmälan starts a new utredning: not reopened', ['BoU 1;barnavardsutredning;u1;avslutad;2025-01-10;\nBoU 1;barnavardsutredning;u1;öppen;2026-09-01;ja\n'],
      [['2025-01-10', false, null], ['2026-09-01', false, null]]],
    ['a reopening after a new utredning counts from the new one', ['BoU 1;barnavardsutredning;u1;avslutad;2025-01-10;\nBoU 1;barnavardsutredning;u1;avslutad;2026-09-01;ja\nBoU 1;barnavardsutredning;u1;öppen;2026-10-01;\n'],
      [['2025-01-10', false, null], ['2026-09-01', false, null], ['2026-10-01', true, '2026-09-01']]],
    ['the same across imports (history from the register)', ['BoU 1;barnavardsutredning;u1;avslutad;2025-01-10;\n', 'BoU 1;barnavardsutredning;u1;avslutad;2026-09-01;ja\n', 'BoU 1;barnavardsutredning;u1;öppen;2026-10-01;\n'],
      [['2025-01-10', false, null], ['2026-09-01', false, null], ['2026-10-01', true, '2026-09-01']]],
    ['a reopening before the new utredning still counts from the first opening', ['BoU 1;barnavardsutredning;u1;avslutad;2025-01-10;\nBoU 1;barnavardsutredning;u1;avslutad;2025-06-01;\nBoU 1;barnavardsutredning;u1;öppen;2026-09-01;ja\n'],
      [['2025-01-10', false, null], ['2025-06-01', true, '2025-01-10'], ['2026-09-01', false, null]]],
    ['the reference is matched whatever its case, as the file\'s duplicate check does', ['BoU 1;barnavardsutredning;u1;avslutad;2026-01-10;\n', 'BOU 1;barnavardsutredning;u1;öppen;2026-10-01;\n'],
      [['2026-01-10', false, null], ['2026-10-01', true, '2026-01-10']]],
  ];
  for (const [what, files, expected] of table) {
    it(what, async () => {
      for (const f of files) await imp(f);
      assert.deepEqual(await openings(), expected);
    });
  }

  // A mistyped utredning_inledd put right by the next export is the same investigation, not a reopening (#17):
  // every opening here is new to the register (first imported within the correction window, and opened
  // shortly before), as a mistyped day is put right soon after it was entered.
  // [what, imports (each a file), expected openings]
  const corrections: [string, string[], Opening[]][] = [
    ['a corrected opening day replaces the stored one, and keeps the day it replaced', ['BoU 1;barnavardsutredning;u1;öppen;2026-11-10;\n', 'BoU 1;barnavardsutredning;u1;öppen;2026-11-19;\n'],
      [['2026-11-19', false, null, '2026-11-10']]],
    ['corrected to an earlier day, too', ['BoU 1;barnavardsutredning;u1;öppen;2026-11-19;\n', 'BoU 1;barnavardsutredning;u1;öppen;2026-11-10;\n'],
      [['2026-11-10', false, null, '2026-11-19']]],
    ['corrected and closed the same night', ['BoU 1;barnavardsutredning;u1;öppen;2026-11-10;\n', 'BoU 1;barnavardsutredning;u1;avslutad;2026-11-19;\n'],
      [['2026-11-19', false, null, '2026-11-10']]],
    ['the opening day of a reopened investigation corrected: still reopened, from the first opening', ['BoU 1;barnavardsutredning;u1;avslutad;2025-01-10;\nBoU 1;barnavardsutredning;u1;öppen;2026-11-10;\n', 'BoU 1;barnavardsutredning;u1;avslutad;2025-01-10;\nBoU 1;barnavardsutredning;u1;öppen;2026-11-12;\n'],
      [['2025-01-10', false, null], ['2026-11-12', true, '2025-01-10', '2026-11-10']]],
    ['closed in the register, then a new opening: a reopening', ['BoU 1;barnavardsutredning;u1;öppen;2026-11-10;\n', 'BoU 1;barnavardsutredning;u1;avslutad;2026-11-10;\n', 'BoU 1;barnavardsutredning;u1;öppen;2026-11-19;\n'],
      [['2026-11-10', false, null], ['2026-11-19', true, '2026-11-10']]],
    ['the export lists the closed and the new opening: a reopening', ['BoU 1;barnavardsutredning;u1;öppen;2026-11-10;\n', 'BoU 1;barnavardsutredning;u1;avslutad;2026-11-10;\nBoU 1;barnavardsutredning;u1;öppen;2026-11-19;\n'],
      [['2026-11-10', false, null], ['2026-11-19', true, '2026-11-10']]],
    ['a new orosanmälan started a new utredning: no correction, no reopening', ['BoU 1;barnavardsutredning;u1;öppen;2026-11-10;\n', 'BoU 1;barnavardsutredning;u1;öppen;2026-11-19;ja\n'],
      [['2026-11-10', false, null], ['2026-11-19', false, null]]],
    ['two stored open investigations and one new day: not guessed, a reopening', ['BoU 1;barnavardsutredning;u1;öppen;2026-11-05;ja\nBoU 1;barnavardsutredning;u1;öppen;2026-11-10;ja\n', 'BoU 1;barnavardsutredning;u1;öppen;2026-11-19;\n'],
      [['2026-11-05', false, null], ['2026-11-10', false, null], ['2026-11-19', true, '2026-11-10']]],
    ['one stored open investigation and two new days: not guessed', ['BoU 1;barnavardsutredning;u1;öppen;2026-11-10;\n', 'BoU 1;barnavardsutredning;u1;öppen;2026-11-19;\nBoU 1;barnavardsutredning;u1;öppen;2026-11-20;\n'],
      [['2026-11-10', false, null], ['2026-11-19', true, '2026-11-10'], ['2026-11-20', true, '2026-11-10']]],
  ];
  for (const full of [false, true]) {
    for (const [what, files, expected] of corrections) {
      it(`${what} (${full ? 'full' : 'partial'} imports)`, async () => {
        for (const f of files) await imp(f, full);
        // A full import closes what it no longer holds; the openings stay either way.
        assert.deepEqual(await openings(), expected);
      });
    }
  }

  it('a correction updates the stored row in place (same id, counted as updated) and the log counts it', async () => {
    await imp('BoU 1;barnavardsutredning;u1;öppen;2026-11-10;\n');
    const [before] = await store.casework.listOpen();
    const events: Record<string, unknown>[] = [];
    const logger = createLogger('silent');
    logger.info = ((obj: Record<string, unknown>) => void events.push(obj)) as typeof logger.info;
    const out = await importCasework({ ...deps, logger }, { source: 'pc', csv: `${H}BoU 1;barnavardsutredning;u1;öppen;2026-11-19;\n`, full: true, actor: 't' });
    assert.ok(out.ok);
    assert.deepEqual(out.result, { inserted: 0, updated: 1, unchanged: 0, closed: 0 });
    const after = await store.casework.listOpen();
    assert.deepEqual(after.map((i) => [i.id, i.openingKey, i.dates.utredningInledd, i.dates.rattadFran, i.reopened ?? false]), [[before!.id, '2026-11-19', '2026-11-19', '2026-11-10', false]]);
    assert.equal(events.find((e) => e.event === 'casework-imported')?.corrected, 1);
  });

  it('the replaced day stays with the row: the next nights change nothing, and a second correction keeps the first day', async () => {
    await imp('BoU 1;barnavardsutredning;u1;öppen;2026-11-10;\n');
    await imp('BoU 1;barnavardsutredning;u1;öppen;2026-11-19;\n');
    const again = await importCasework(deps, { source: 'pc', csv: `${H}BoU 1;barnavardsutredning;u1;öppen;2026-11-19;\n`, full: true, actor: 't' });
    assert.ok(again.ok);
    assert.deepEqual(again.result, { inserted: 0, updated: 0, unchanged: 1, closed: 0 });
    await imp('BoU 1;barnavardsutredning;u1;öppen;2026-11-20;\n', true);
    assert.deepEqual(await openings(), [['2026-11-20', false, null, '2026-11-10']]);
    // Closed the next night: the closed row keeps it too (it is what IVO and JO ask about).
    await imp('BoU 1;barnavardsutredning;u1;avslutad;2026-11-20;\n', true);
    assert.deepEqual(await openings(), [['2026-11-20', false, null, '2026-11-10']]);
  });
});

describe('casework import: a correction or a reopening (review of #17)', () => {
  const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
  const TZ = 'Europe/Stockholm';
  const H = 'ärendereferens;typ;enhet;status;utredning_inledd;ny_orosanmälan;rättelse\n';
  const directory = new Directory(ORG);
  const logger = createLogger('silent');
  let store: SqliteStore;
  beforeEach(async () => {
    store = SqliteStore.open({ filename: ':memory:' });
    await store.migrate();
  });
  afterEach(() => store.close());

  const deps = (now: string, over: Partial<ImportDeps> = {}): ImportDeps => ({
    store, unitIds: () => directory.allUnits().map((u) => u.id), now: () => new Date(now), timeZone: TZ, closeMissing: true, logger, ...over,
  });
  const night = async (now: string, rows: string, full: boolean, over: Partial<ImportDeps> = {}) => {
    const out = await importCasework(deps(now, over), { source: 'pc', csv: H + rows, full, actor: 't' });
    assert.ok(out.ok, JSON.stringify(!out.ok && out.errors));
    return out.result;
  };
  /** The review's casework rows for the unit, as the enhetschef sees them. */
  const review = async (now: string) => {
    const svc = new ReviewService({ store, directory: () => directory, logger, timeZone: TZ, now: () => new Date(now), warnDays: 7, calendar: new WorkingCalendar() });
    return (await svc.items('bou-mottagning')).filter((i) => i.kind === 'casework');
  };
  /** Every stored opening: [opened, status, reopened, counted from, replaced day]. */
  const register = () => {
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    return db.prepare(`SELECT utredning_inledd AS o, status AS s, reopened AS r, forsta_inledd AS f, rattad_fran AS c FROM casework_items ORDER BY utredning_inledd`).all()
      .map((x) => { const r = x as { o: string; s: string; r: number; f: string | null; c: string | null }; return [r.o, r.s, Boolean(r.r), r.f, r.c]; });
  };

  it('the Älmhult pattern: opened 2 March, closed and reopened 1 July, an export of open items only: återöppnad and late, from the first opening', async () => {
    await night('2026-06-30T02:00:00Z', 'BoU 7;Utredning;bou-mottagning;öppen;2026-03-02;;\n', true);
    await night('2026-07-02T02:00:00Z', 'BoU 7;Utredning;bou-mottagning;öppen;2026-07-01;;\n', true);
    assert.deepEqual(register(), [['2026-03-02', 'avslutad', false, null, null], ['2026-07-01', 'oppen', true, '2026-03-02', null]]);
    const [row] = await review('2026-07-20T08:00:00Z');
    assert.match(row!.what, /återöppnad/);
    assert.deepEqual([row!.urgency, row!.due], ['forsenad', '2026-07-02']);
  });

  it('a delta export months later whose closed row the export leaves out: a reopening', async () => {
    await night('2026-03-05T02:00:00Z', 'BoU 8;Utredning;bou-mottagning;öppen;2026-03-02;;\n', false);
    await night('2026-09-02T02:00:00Z', 'BoU 8;Utredning;bou-mottagning;öppen;2026-09-01;;\n', false);
    const rows = await review('2026-09-10T08:00:00Z');
    const reopened = rows.find((r) => /återöppnad/.test(r.what));
    assert.ok(reopened, JSON.stringify(rows.map((r) => r.what)));
    assert.equal(reopened.urgency, 'forsenad');
  });

  it('closeMissing off (local setting): a reopening months later is a reopening', async () => {
    await night('2026-03-05T02:00:00Z', 'BoU 9;Utredning;bou-mottagning;öppen;2026-03-02;;\n', true, { closeMissing: false });
    await night('2026-09-02T02:00:00Z', 'BoU 9;Utredning;bou-mottagning;öppen;2026-09-01;;\n', true, { closeMissing: false });
    assert.ok((await review('2026-09-10T08:00:00Z')).some((r) => /återöppnad/.test(r.what) && r.urgency === 'forsenad'));
  });

  it('an overdue opening given a later day does not restart the clock: it is a reopening, and the first day stays in the register', async () => {
    await night('2026-03-05T02:00:00Z', 'BoU 10;Utredning;bou-mottagning;öppen;2026-03-02;;\n', true);
    await night('2026-07-20T02:00:00Z', 'BoU 10;Utredning;bou-mottagning;öppen;2026-07-15;;\n', true);
    assert.deepEqual(register(), [['2026-03-02', 'avslutad', false, null, null], ['2026-07-15', 'oppen', true, '2026-03-02', null]]);
    const [row] = await review('2026-07-20T08:00:00Z');
    assert.deepEqual([row!.urgency, row!.due], ['forsenad', '2026-07-02']);
  });

  it('the window is data: with a longer one, a correction still may not turn an overdue item into one in time (an earlier or still-late day may)', async () => {
    const wide = { correctionDays: 200 };
    await night('2026-03-05T02:00:00Z', 'BoU 11;Utredning;bou-mottagning;öppen;2026-03-02;;\n', true, wide);
    await night('2026-07-20T02:00:00Z', 'BoU 11;Utredning;bou-mottagning;öppen;2026-07-15;;\n', true, wide);
    assert.deepEqual(register(), [['2026-03-02', 'avslutad', false, null, null], ['2026-07-15', 'oppen', true, '2026-03-02', null]]);
    await night('2026-03-05T02:00:00Z', 'BoU 12;Utredning;bou-mottagning;öppen;2026-03-02;;\n', false, wide);
    await night('2026-07-20T02:00:00Z', 'BoU 12;Utredning;bou-mottagning;öppen;2026-03-10;;\n', false, wide);
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    assert.deepEqual(db.prepare(`SELECT utredning_inledd AS o, status AS s, rattad_fran AS c FROM casework_items WHERE case_reference = 'BoU 12'`).all(), [{ o: '2026-03-10', s: 'oppen', c: '2026-03-02' }]);
  });

  it('and a short window: a day changed after it has run out is a reopening, even for a fresh investigation', async () => {
    await night('2026-11-19T02:00:00Z', 'BoU 13;Utredning;bou-mottagning;öppen;2026-11-18;;\n', false, { correctionDays: 2 });
    await night('2026-11-22T02:00:00Z', 'BoU 13;Utredning;bou-mottagning;öppen;2026-11-20;;\n', false, { correctionDays: 2 });
    assert.deepEqual(register(), [['2026-11-18', 'oppen', false, null, null], ['2026-11-20', 'oppen', true, '2026-11-18', null]]);
  });

  it('a correction within the window: one row, the review says which day it replaced', async () => {
    await night('2026-11-12T02:00:00Z', 'BoU 14;Utredning;bou-mottagning;öppen;2026-11-10;;\n', true);
    await night('2026-11-13T02:00:00Z', 'BoU 14;Utredning;bou-mottagning;öppen;2026-11-11;;\n', true);
    assert.deepEqual(register(), [['2026-11-11', 'oppen', false, null, '2026-11-10']]);
    const [row] = await review('2026-11-13T08:00:00Z');
    assert.match(row!.what, /startdag rättad från 2026-11-10/);
    assert.doesNotMatch(row!.what, /återöppnad/);
  });

  it('rättelse=ja: the export says the row corrects the opening day, whenever it comes (and the review says so)', async () => {
    await night('2026-03-05T02:00:00Z', 'BoU 15;Utredning;bou-mottagning;öppen;2025-03-02;;\n', true);
    await night('2026-03-06T02:00:00Z', 'BoU 15;Utredning;bou-mottagning;öppen;2026-03-02;;ja\n', true);
    assert.deepEqual(register(), [['2026-03-02', 'oppen', false, null, '2025-03-02']]);
    const [row] = await review('2026-03-06T08:00:00Z');
    assert.match(row!.what, /startdag rättad från 2025-03-02/);
    assert.equal(row!.due, '2026-07-02');
  });

  it('rättelse=nej: never a correction, even within the window', async () => {
    await night('2026-11-12T02:00:00Z', 'BoU 16;Utredning;bou-mottagning;öppen;2026-11-10;;\n', false);
    await night('2026-11-13T02:00:00Z', 'BoU 16;Utredning;bou-mottagning;öppen;2026-11-11;;nej\n', false);
    assert.deepEqual(register(), [['2026-11-10', 'oppen', false, null, null], ['2026-11-11', 'oppen', true, '2026-11-10', null]]);
  });

  it('two imports of one source at once decide on the history the first one wrote (read inside the import\'s transaction)', async () => {
    const a = importCasework(deps('2026-07-02T02:00:00Z'), { source: 'pc', csv: `${H}BoU 17;Utredning;bou-mottagning;öppen;2026-03-02;;\n`, full: false, actor: 'a' });
    const b = importCasework(deps('2026-07-02T02:00:00Z'), { source: 'pc', csv: `${H}BoU 17;Utredning;bou-mottagning;öppen;2026-07-01;;\n`, full: false, actor: 'b' });
    const [ra, rb] = await Promise.all([a, b]);
    assert.ok(ra.ok && rb.ok);
    assert.deepEqual(register(), [['2026-03-02', 'oppen', false, null, null], ['2026-07-01', 'oppen', true, '2026-03-02', null]]);
  });
});

describe('casework import: ej verkställda beslut and the notice to IVO (#17)', () => {
  let store: SqliteStore;
  let deps: ImportDeps;
  beforeEach(async () => {
    store = SqliteStore.open({ filename: ':memory:' });
    await store.migrate();
    deps = { store, unitIds: () => ['u1'], now: () => new Date('2026-11-22T10:00:00Z'), timeZone: 'Europe/Stockholm', closeMissing: true, logger: createLogger('silent') };
  });
  afterEach(() => store.close());

  const H = 'ärendereferens;typ;enhet;beslutsdatum;insats;rapporterad_ivo;verkställt_datum;verkställt_anmält_ivo\n';
  const imp = async (rows: string) => {
    const out = await importCasework(deps, { source: 'pc', csv: H + rows, full: true, actor: 't' });
    assert.ok(out.ok, JSON.stringify(!out.ok && out.errors));
    return out.result;
  };
  const stored = async () => (await store.casework.listOpen()).map((i) => [i.openingKey, i.insats, i.dueOn, i.stopsOn]);

  it('two decisions under one reference are two items, each kept by its decision day and insats', async () => {
    assert.deepEqual(await imp('VE 1;ej-verkstallt-beslut;u1;2026-07-01;Kontaktperson;;;\nVE 1;ej-verkstallt-beslut;u1;2026-07-01;korttidsvistelse;;;\nVE 1;ej-verkstallt-beslut;u1;2026-09-01;;;;\n'), { inserted: 3, updated: 0, unchanged: 0, closed: 0 });
    assert.deepEqual(await stored(), [
      ['2026-07-01 kontaktperson', 'Kontaktperson', '2026-10-01', undefined],
      ['2026-07-01 korttidsvistelse', 'korttidsvistelse', '2026-10-01', undefined],
      ['2026-09-01', undefined, '2026-12-01', undefined],
    ]);
    // The next night one of them is carried out within the three months: only that row changes.
    assert.deepEqual(await imp('VE 1;ej-verkstallt-beslut;u1;2026-07-01;Kontaktperson;;;\nVE 1;ej-verkstallt-beslut;u1;2026-07-01;korttidsvistelse;;2026-09-20;\nVE 1;ej-verkstallt-beslut;u1;2026-09-01;;;;\n'), { inserted: 0, updated: 1, unchanged: 2, closed: 0 });
    assert.equal((await stored())[1]![3], '2026-09-20');
  });

  // Review of #17: the decision day is the key; the insats only tells decisions of one day apart.
  const run = async (rows: string, full: boolean, closeMissing = true) => {
    const out = await importCasework({ ...deps, closeMissing }, { source: 'pc', csv: H + rows, full, actor: 't' });
    assert.ok(out.ok, JSON.stringify(!out.ok && out.errors));
    return out.result;
  };
  // [what, first file, second file, full, closeMissing, open rows after: [key, insats]]
  const rekeyed: [string, string, string, boolean, boolean, [string, string | undefined][]][] = [
    ['its insats first missing, then given (a partial import): one open item, renamed', 'VE 1;ej-verkstallt-beslut;u1;2026-07-01;;;;\n', 'VE 1;ej-verkstallt-beslut;u1;2026-07-01;Kontaktperson;;2026-08-01;\n', false, true,
      [['2026-07-01 kontaktperson', 'Kontaktperson']]],
    ['…and in a full import: renamed, not closed and inserted anew', 'VE 1;ej-verkstallt-beslut;u1;2026-07-01;;;;\n', 'VE 1;ej-verkstallt-beslut;u1;2026-07-01;Kontaktperson;;2026-08-01;\n', true, true,
      [['2026-07-01 kontaktperson', 'Kontaktperson']]],
    ['its insats respelled by the case system ("LSS 9 § 2" → "LSS 9§2", closeMissing off)', 'VE 2;ej-verkstallt-beslut;u1;2026-07-01;LSS 9 § 2;;;\n', 'VE 2;ej-verkstallt-beslut;u1;2026-07-01;LSS 9§2;;2026-08-01;\n', true, false,
      [['2026-07-01 lss92', 'LSS 9§2']]],
    ['its insats no longer exported: one item, keyed on its day', 'VE 3;ej-verkstallt-beslut;u1;2026-07-01;hemtjänst;;;\n', 'VE 3;ej-verkstallt-beslut;u1;2026-07-01;;;;\n', false, true,
      [['2026-07-01', undefined]]],
    ['two decisions of one day, one now respelled: each keeps its row', 'VE 4;ej-verkstallt-beslut;u1;2026-07-01;hemtjänst;;;\nVE 4;ej-verkstallt-beslut;u1;2026-07-01;ledsagning;;;\n', 'VE 4;ej-verkstallt-beslut;u1;2026-07-01;Hemtjänst (SoL);;;\nVE 4;ej-verkstallt-beslut;u1;2026-07-01;ledsagning;;;\n', false, true,
      [['2026-07-01 hemtjänstsol', 'Hemtjänst (SoL)'], ['2026-07-01 ledsagning', 'ledsagning']]],
    ['every row of the file stored, another of that day no longer listed: nothing renamed, the other closed', 'VE 7;ej-verkstallt-beslut;u1;2026-07-01;hemtjänst;;;\nVE 7;ej-verkstallt-beslut;u1;2026-07-01;ledsagning;;;\n', 'VE 7;ej-verkstallt-beslut;u1;2026-07-01;hemtjänst;;;\n', true, true,
      [['2026-07-01 hemtjänst', 'hemtjänst']]],
    ['a decision of another day is another decision', 'VE 5;ej-verkstallt-beslut;u1;2026-07-01;;;;\n', 'VE 5;ej-verkstallt-beslut;u1;2026-07-02;Kontaktperson;;;\n', false, true,
      [['2026-07-01', undefined], ['2026-07-02 kontaktperson', 'Kontaktperson']]],
  ];
  for (const [what, first, second, full, closeMissing, expected] of rekeyed) {
    it(`the same decision, ${what}`, async () => {
      await run(first, full, closeMissing);
      const [before] = await store.casework.listOpen();
      await run(second, full, closeMissing);
      const open = await store.casework.listOpen();
      assert.deepEqual(open.map((i) => [i.openingKey, i.insats]), expected);
      if (expected.length === 1) assert.equal(open[0]!.id, before!.id, 'the stored row is kept (renamed), not replaced');
    });
  }

  it('after migration 14: decisions stored under the earlier key (day, insats in lower case) are matched by their day and folded insats', async () => {
    const rec = (insats: string, key: string) => ({ source: 'pc', caseReference: 'VE 6', type: 'ej-verkstallt-beslut', unitId: 'u1', status: 'oppen' as const, dates: { beslutsdatum: '2026-07-01' }, insats, openingKey: key, dueOn: '2026-10-01' });
    await store.casework.importItems('pc', [rec('LSS 9 § 2', '2026-07-01 lss 9 § 2'), rec('ledsagning', '2026-07-01 ledsagning')], { closeMissing: false, at: new Date('2026-08-01T00:00:00Z'), actor: 't' });
    // Only the key's spelling changes: nothing of the item does (the same id, no value written, nothing closed or inserted).
    assert.deepEqual(await run('VE 6;ej-verkstallt-beslut;u1;2026-07-01;LSS 9 § 2;;;\nVE 6;ej-verkstallt-beslut;u1;2026-07-01;ledsagning;;;\n', true), { inserted: 0, updated: 0, unchanged: 2, closed: 0 });
    assert.deepEqual((await store.casework.listOpen()).map((i) => i.openingKey), ['2026-07-01 ledsagning', '2026-07-01 lss92']);
  });

  it('reported, then carried out: still owed until IVO is told; the notice day stops the clock', async () => {
    await imp('VE 2;ej-verkstallt-beslut;u1;2026-06-10;;2026-09-10;2026-10-30;\n');
    assert.deepEqual(await stored(), [['2026-06-10', undefined, '2026-12-10', undefined]]);
    assert.deepEqual(await imp('VE 2;ej-verkstallt-beslut;u1;2026-06-10;;2026-09-10;2026-10-30;2026-11-05\n'), { inserted: 0, updated: 1, unchanged: 0, closed: 0 });
    assert.deepEqual(await stored(), [['2026-06-10', undefined, '2026-12-10', '2026-11-05']]);
    assert.equal((await store.casework.listOpen())[0]!.dates.verkstalltAnmaltIvo, '2026-11-05');
  });
});

describe('casework import: closed historic rows have no clock (#17 review)', () => {
  let store: SqliteStore;
  let deps: ImportDeps;
  beforeEach(async () => {
    store = SqliteStore.open({ filename: ':memory:' });
    await store.migrate();
    deps = { store, unitIds: () => ['u1'], now: () => new Date('2026-11-22T10:00:00Z'), timeZone: 'Europe/Stockholm', closeMissing: true, logger: createLogger('silent') };
  });
  afterEach(() => store.close());

  const H = 'ärendereferens;typ;enhet;status;beslutsdatum;verkställt_datum;orosanmälan_mottagen\n';
  // [what, row, imports when avslutad, imports when öppen]
  const table: [string, string, boolean, boolean][] = [
    ['ej verkställt beslut the day before IVO took over (no rule)', 'LSS 1;ej-verkstallt-beslut;u1;{s};2013-05-31;2013-09-01;', true, false],
    ['ej verkställt beslut the day IVO took over', 'LSS 1;ej-verkstallt-beslut;u1;{s};2013-06-01;2013-09-01;', true, true],
    ['förhandsbedömning the day before the 14-day rule (no rule)', 'BoU 9;forhandsbedomning;u1;{s};;;2012-12-31', true, false],
    ['förhandsbedömning without its start date', 'BoU 9;forhandsbedomning;u1;{s};;;', true, false],
  ];
  for (const [what, row, closedOk, openOk] of table) {
    it(what, async () => {
      for (const [status, ok] of [['avslutad', closedOk], ['öppen', openOk]] as const) {
        const out = await importCasework(deps, { source: 'pc', csv: `${H}${row.replace('{s}', status)}\nBoU 2;forhandsbedomning;u1;öppen;;;2026-11-20\n`, full: true, actor: 't' });
        assert.equal(out.ok, ok, `${status}: ${JSON.stringify(!out.ok && out.errors)}`);
        if (!out.ok) assert.match(out.errors[0]!.message, /ingen regel|måste vara ifyllt/);
      }
    });
  }
});

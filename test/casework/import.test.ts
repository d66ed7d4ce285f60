import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { backfillCaseworkDeadlines, importCasework, type ImportDeps } from '../../src/casework/import';
import { caseworkDeadline, type CaseworkItem } from '../../src/casework/rules';
import { createLogger } from '../../src/log/logger';
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

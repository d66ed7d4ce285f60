import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { importCasework, type ImportDeps } from '../../src/casework/import';
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

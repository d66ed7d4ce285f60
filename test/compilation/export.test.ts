/**
 * The sammanställning's file through a one-time link (src/compilation/export.ts), on a real SQLite
 * file: the link works once, for minutes, only for a person who may still see the nämnd; the file
 * opens in exceljs with the figures of the card and no report text.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { CompilationExports, EXPORT_TTL_MS, exportFilename } from '../../src/compilation/export';
import { CompilationService } from '../../src/compilation/service';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import type { Organisation } from '../../src/org/schema';
import { WorkingCalendar } from '../../src/review/calendar';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { newReport } from '../store/contract';

const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
const TZ = 'Europe/Stockholm';
const LEE = { entraId: '00000000-0000-0000-0000-0000000000023', name: 'Lee Gu' };
const MEGAN = { entraId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const NOW = new Date('2026-12-01T09:00:00.000Z');

describe('sammanställning: the Excel file through a one-time link', () => {
  let dir: string;
  let store: SqliteStore;
  let org: Organisation;
  let realNow: Date;
  let exports: CompilationExports;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-export-'));
    store = SqliteStore.open({ filename: path.join(dir, 'e.db') });
    await store.migrate();
    await store.organisation.sync(ORG, NOW);
    org = ORG;
    realNow = NOW;
    const compilation = new CompilationService({ store, directory: () => new Directory(org), logger: createLogger('silent'), timeZone: TZ, now: () => NOW, calendar: new WorkingCalendar({ timeZone: TZ }) });
    exports = new CompilationExports({ state: store.state, compilation, baseUrl: () => 'https://lexsarah.example.se/', realNow: () => realNow });
    for (const [at, category, unitId] of [['2026-03-01T09:00:00.000Z', 'fysiska', 'bou-mottagning'], ['2026-04-01T09:00:00.000Z', 'fysiska', 'vuxenenheten'], ['2026-05-01T09:00:00.000Z', 'bemotande', 'bou-mottagning']] as const) {
      await store.reports.create(newReport({ createdAt: new Date(at), category, unitId, committeeId: 'socialnamnden', whatHappened: 'HEMLIG TEXT som aldrig får stå i filen' }), { actorEntraId: 'x', action: 'report.create', entityType: 'report' });
    }
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const year = { committeeId: 'socialnamnden', question: 'i år' };
  const tokenOf = (url: string) => url.split('/api/exports/')[1]!;

  it('gives a link once asked; the file opens with the figures and never the report text; a second download is refused', async () => {
    const asked = await exports.request(LEE, year);
    assert.equal(asked.kind, 'export');
    if (asked.kind !== 'export') return;
    assert.match(asked.url, /^https:\/\/lexsarah\.example\.se\/api\/exports\/[A-Za-z0-9_-]{43}$/);
    const got = await exports.download(tokenOf(asked.url));
    assert.equal(got.status, 200);
    if (got.status !== 200) return;
    assert.equal(got.filename, 'sammanstallning-socialnamnden-i-ar.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(got.bytes as unknown as ExcelJS.Buffer);
    assert.deepEqual(wb.worksheets.map((w) => w.name), ['Översikt', 'Rapporter', 'Bedömningar', 'Tider', 'Veckogenomgångar', 'Ärenden i registret', 'Mönster']);
    const overview = new Map<string, unknown>();
    wb.getWorksheet('Översikt')!.eachRow((row) => overview.set(String(row.getCell(1).value), row.getCell(2).value));
    assert.equal(overview.get('Nämnd'), 'Socialnämnden');
    assert.equal(overview.get('Rapporter'), 3);
    const byCategory = new Map<string, unknown>();
    wb.getWorksheet('Rapporter')!.eachRow((row) => {
      if (row.getCell(1).value === 'Alla') byCategory.set(String(row.getCell(2).value), row.getCell(3).value);
    });
    assert.equal(byCategory.get('Fysiska övergrepp'), 2);
    assert.ok(!got.bytes.includes(Buffer.from('HEMLIG')), 'no report text in the file');
    // Unzipped too: the sheets are compressed, so look inside them.
    let all = '';
    wb.eachSheet((ws) => ws.eachRow((row) => (all += JSON.stringify(row.values))));
    assert.ok(!all.includes('HEMLIG'));

    const again = await exports.download(tokenOf(asked.url));
    assert.equal(again.status, 410);
  });

  it('a link past its minutes is refused; an unknown or malformed token is not found', async () => {
    const asked = await exports.request(LEE, year);
    assert.equal(asked.kind, 'export');
    if (asked.kind !== 'export') return;
    realNow = new Date(NOW.getTime() + EXPORT_TTL_MS);
    assert.equal((await exports.download(tokenOf(asked.url))).status, 410);
    assert.equal((await exports.download('A'.repeat(43))).status, 404);
    assert.equal((await exports.download('../../etc/passwd')).status, 404);
  });

  it('only for a chef or samordnare of the nämnd, and only while they still are', async () => {
    assert.equal((await exports.request(MEGAN, year)).kind, 'refused');
    assert.equal((await exports.request(LEE, { ...year, committeeId: 'nonexistent' })).kind, 'refused');
    // The period is the parser's again: a forged button cannot ask for a century, nor relabel one.
    const old = await exports.request(LEE, { ...year, question: '1926' });
    assert.equal(old.kind === 'export' && old.view.period.label, '1926', 'a year is a year, with its own label');
    assert.equal((await exports.request(LEE, { ...year, question: 'x'.repeat(500) })).kind, 'refused');
    assert.equal((await exports.request(LEE, { committeeId: 'socialnamnden', from: '1926-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z', label: '2026' })).kind, 'refused');
    const asked = await exports.request(LEE, year);
    if (asked.kind !== 'export') throw new Error('expected a link');
    // Lee loses the samordnare role before opening the link.
    org = { ...ORG, people: ORG.people.map((p) => (p.entraId === LEE.entraId ? { ...p, roles: [] } : p)) };
    assert.equal((await exports.download(tokenOf(asked.url))).status, 403);
  });

  it('the token is never stored, only its hash', async () => {
    const asked = await exports.request(LEE, year);
    if (asked.kind !== 'export') throw new Error('expected a link');
    await store.close();
    const { readFileSync } = await import('node:fs');
    const bytes = Buffer.concat([readFileSync(path.join(dir, 'e.db')), ...['-wal'].map((s) => { try { return readFileSync(path.join(dir, `e.db${s}`)); } catch { return Buffer.alloc(0); } })]);
    assert.ok(!bytes.includes(Buffer.from(tokenOf(asked.url))), 'the token is not in the database file');
    store = SqliteStore.open({ filename: path.join(dir, 'e.db') });
  });

  it('file names are ASCII', () => {
    assert.equal(exportFilename({ committeeId: 'vård-och-omsorg', period: { label: 'första halvåret 2026' } } as never), 'sammanstallning-vard-och-omsorg-forsta-halvaret-2026.xlsx');
  });
});

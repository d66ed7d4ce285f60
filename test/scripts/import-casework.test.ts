/**
 * `npm run import` runs on the bot's clock (issue #15): with TEST_CLOCK_START it imports as if it
 * were that moment, as `npm run dev` does, so a demo or a test can import rows dated around the
 * bot's day. Run in-process through the script's runImport (real time injected, so the dates are
 * fixed), and once as the real command, as npm runs it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { runImport, type ImportIo } from '../../scripts/import-casework';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const ROOT = path.resolve(__dirname, '..', '..');
const TZ = 'Europe/Stockholm';
const HEADER = 'ärendereferens;typ;enhet;handläggare;status;orosanmälan_mottagen';
const csv = (received: string) => `${HEADER}\nBoU 2026/901;forhandsbedomning;bou-mottagning;meganb@exempelby.example;öppen;${received}\n`;

describe('npm run import: on the bot\'s clock (TEST_CLOCK_START)', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-import-clock-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The open items of bou-mottagning in the database file, through the store's own API. */
  async function stored(db: string) {
    const store = SqliteStore.open({ filename: db });
    try {
      return await store.casework.listOpen(['bou-mottagning']);
    } finally {
      await store.close();
    }
  }

  function io(env: Record<string, string>, realNow?: () => number): ImportIo & { out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    return { env: { TEAMSFX_ENV: 'test-none', ...env }, stdout: (t) => out.push(t), stderr: (t) => err.push(t), ...(realNow ? { realNow } : {}), out, err };
  }

  it('imports rows dated on the test clock\'s day, and stamps the import with it; on real time they are in the future', async () => {
    const file = path.join(dir, 'dated.csv');
    // Received on the test clock's Friday: in the future for the real clock below (1 June 2026).
    writeFileSync(file, csv('2026-11-20'));
    const realNow = () => Date.parse('2026-06-01T08:00:00.000Z');

    const onRealTime = io({ SQLITE_PATH: path.join(dir, 'real.sqlite') }, realNow);
    assert.equal(await runImport([file, '--source', 'demo'], onRealTime), 1);
    assert.match(onRealTime.err.join(''), /Datumet ligger i framtiden/);
    assert.deepEqual(await stored(path.join(dir, 'real.sqlite')), [], 'nothing imported');

    const db = path.join(dir, 'test-clock.sqlite');
    const onTestClock = io({ SQLITE_PATH: db, TEST_CLOCK_START: '2026-11-25T10:00:00.000Z' }, realNow);
    assert.equal(await runImport([file, '--source', 'demo'], onTestClock), 0, onTestClock.err.join(''));
    assert.match(onTestClock.out.join(''), /^Importerat 1 rad från "demo": 1 nya/);
    assert.match(onTestClock.err.join(''), /Testklocka \(TEST_CLOCK_START\): importen görs som om klockan vore 2026-11-25T10:00:00.000Z/);
    const items = await stored(db);
    assert.deepEqual(items.map((i) => [i.caseReference, i.dates.orosanmalanMottagen, i.updatedAt.toISOString()]), [['BoU 2026/901', '2026-11-20', '2026-11-25T10:00:00.000Z']]);
  });

  it('the test clock runs on from its start, as the bot\'s does', async () => {
    const file = path.join(dir, 'runs-on.csv');
    writeFileSync(file, csv('2026-11-20'));
    let real = Date.parse('2026-06-01T08:00:00.000Z');
    // Each reading of real time is 90 s later: the import happens after the clock was set.
    const ticking = () => (real += 90_000);
    const db = path.join(dir, 'runs-on.sqlite');
    assert.equal(await runImport([file], io({ SQLITE_PATH: db, TEST_CLOCK_START: '2026-11-25T10:00:00.000Z' }, ticking)), 0);
    const [item] = await stored(db);
    assert.ok(item && item.updatedAt.getTime() > Date.parse('2026-11-25T10:00:00.000Z') && item.updatedAt.getTime() < Date.parse('2026-11-25T11:00:00.000Z'), item?.updatedAt.toISOString());
  });

  it('as the real command: TEST_CLOCK_START from the environment lets a row dated after today in', () => {
    // A test clock a month ahead of real time, and a row received between real today and it.
    const start = DateTime.now().plus({ days: 30 }).toUTC();
    const received = DateTime.now().setZone(TZ).plus({ days: 10 }).toISODate()!;
    const file = path.join(dir, 'ahead.csv');
    writeFileSync(file, csv(received));
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'scripts/import-casework.ts', file, '--source', 'demo'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TEAMSFX_ENV: 'test-none', SQLITE_PATH: path.join(dir, 'spawned.sqlite'), ...env },
        encoding: 'utf8',
      });
    const refused = run({});
    assert.equal(refused.status, 1, refused.stdout);
    assert.match(refused.stderr, /Datumet ligger i framtiden/);
    const ok = run({ TEST_CLOCK_START: start.toISO()! });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^Importerat 1 rad från/);
    // NODE_ENV=production refuses a test clock, as it does for the bot.
    const prod = run({ TEST_CLOCK_START: start.toISO()!, NODE_ENV: 'production' });
    assert.notEqual(prod.status, 0);
    assert.match(prod.stderr, /TEST_CLOCK_START/);
  });
});

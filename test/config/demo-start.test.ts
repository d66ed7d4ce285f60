/**
 * A start with the demo allowed by the environment, on real SQLite files: the demo history goes
 * only into a database that is new to the demo (src/app.ts demoSeedGate), a start that finds
 * another start seeding waits for it before its reminder jobs run, and the seed is logged once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { startApp, type RunningApp } from '../../src/app';
import { CardRenderer } from '../../src/cards/render';
import { parseConfig } from '../../src/config/config';
import { DEMO_HISTORY_NOT_SENT, DEMO_SEED_KEY, historyFor, seedDemoHistory, type DemoSeedDeps } from '../../src/demo/seed';
import { createLogger } from '../../src/log/logger';
import type { Store } from '../../src/store/store';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { directory, NOW, ORG, settings } from '../demo/expected';

const REAL_PERSON = 'Riktig Person';
const REAL_ORG = `municipality: Riktiga kommun
committees:
  - id: sn
    name: Socialnämnden Riktiga
    units:
      - id: real-unit
        name: Riktiga enheten
        area: annat
people:
  - entraId: 11111111-0000-0000-0000-000000000001
    name: ${REAL_PERSON}
    roles:
      - { role: medarbetare, unit: real-unit }
`;
// A real organisation with the natural ids the demo uses too (socialnamnden, vuxenenheten, bou-mottagning).
const REAL_ORG_SAME_IDS = `municipality: Riktiga kommun
committees:
  - id: socialnamnden
    name: Socialnämnden
    units:
      - id: vuxenenheten
        name: Vuxenenheten
        area: vuxen
      - id: bou-mottagning
        name: Barn och unga
        area: barn-och-unga
people:
  - entraId: 11111111-0000-0000-0000-000000000002
    name: Riktig Enhetschef
    roles:
      - { role: enhetschef, unit: bou-mottagning }
      - { role: samordnare, committee: socialnamnden }
`;

interface Logged {
  event?: string;
  reason?: string;
  msg?: string;
}

describe('a demo start on a database that is not new to the demo', function () {
  this.timeout(60_000);
  let dir: string;
  let logs: string[];
  const logger = () => createLogger('info', new Writable({ write: (c, _e, cb) => (logs.push(...String(c).split('\n').filter(Boolean)), cb()) }));
  const events = (name: string): Logged[] => logs.map((l) => JSON.parse(l) as Logged).filter((l) => l.event === name);
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-demo-start-'));
    logs = [];
    writeFileSync(path.join(dir, 'org.yaml'), REAL_ORG);
    writeFileSync(path.join(dir, 'org-same-ids.yaml'), REAL_ORG_SAME_IDS);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const db = () => path.join(dir, 'lex-sarah.db');
  const env = (over: Record<string, string> = {}) => ({ PORT: '0', SQLITE_PATH: db(), NODE_ENV: 'development', REMINDER_INTERVAL_MS: '0', ...over });
  const start = async (over: Record<string, string> = {}, opts: { now?: () => Date; demoSeedWait?: { timeoutMs: number; pollMs: number } } = {}): Promise<RunningApp> =>
    startApp({ config: parseConfig(env(over)), logger: logger(), host: '127.0.0.1', ...opts });
  const once = async (over: Record<string, string> = {}) => (await start(over)).stop();
  const count = (sql: string, ...args: unknown[]): number => {
    const conn = new Database(db(), { readonly: true });
    try {
      return (conn.prepare(sql).get(...args) as { n: number }).n;
    } finally {
      conn.close();
    }
  };
  const demoReports = () => count("SELECT COUNT(*) AS n FROM reports WHERE what_happened LIKE '[Demo]%'");

  async function fileReport(app: RunningApp, unitId: string, committeeId: string): Promise<void> {
    const now = new Date();
    await app.store.reports.create(
      {
        formId: '6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab', unitId, occurredAt: now, occurredTimeKnown: false, noticedAt: now, noticedTimeKnown: false,
        location: 'Korridoren', category: 'miljo', whatHappened: 'En verklig händelse.', consequences: '', immediateActions: '', informed: 'inte-annu',
        risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'nej', crime: 'nej', before: 'nej' },
        year: now.getFullYear(), committeeId, reporterEntraId: '11111111-0000-0000-0000-000000000001', reporterName: REAL_PERSON, urgent: false, createdAt: now,
      },
      { actorEntraId: '11111111-0000-0000-0000-000000000001', action: 'report.create', entityType: 'report', detail: `unit=${unitId}` },
    );
  }

  it('a real organisation\'s database started once without ORG_FILE gets no demo history, and the log says why', async () => {
    const real = await start({ ORG_FILE: path.join(dir, 'org.yaml') });
    await fileReport(real, 'real-unit', 'sn');
    await real.stop();
    await once();
    assert.equal(demoReports(), 0, 'fictional reports beside the real one');
    assert.equal(count('SELECT COUNT(*) AS n FROM reports'), 1);
    const refused = events('demo-seed-refused');
    assert.equal(refused.length, 1);
    assert.equal(refused[0]!.reason, 'another-organisation');
    assert.match(refused[0]!.msg!, /ORG_FILE.*SQLITE_PATH/);
    assert.ok(!logs.some((l) => l.includes(REAL_PERSON)), 'no personal data in the log');
    assert.equal(events('demo-seeded').length, 0);
  });

  it('a real organisation with the demo\'s unit ids and no data yet: two starts without ORG_FILE, then back on it, and its units hold nothing of the demo', async () => {
    const orgFile = path.join(dir, 'org-same-ids.yaml');
    await once({ ORG_FILE: orgFile });
    // The first demo start replaces the stored organisation with the demo's; the second must still refuse.
    await once();
    await once();
    const real = await start({ ORG_FILE: orgFile });
    try {
      assert.deepEqual(await real.store.cases.listOpenCases(['bou-mottagning', 'vuxenenheten']), []);
      assert.deepEqual(await real.store.casework.listOpen(['bou-mottagning', 'vuxenenheten']), []);
    } finally {
      await real.stop();
    }
    assert.equal(count('SELECT COUNT(*) AS n FROM reports'), 0);
    assert.deepEqual(events('demo-seed-refused').map((e) => e.reason), ['another-organisation', 'another-organisation']);
  });

  it('the demo organisation with a report filed while DEMO_DATA was off: no history seeded beside it', async () => {
    const off = await start({ DEMO_DATA: 'off' });
    await fileReport(off, 'vuxenenheten', 'socialnamnden');
    await off.stop();
    await once();
    assert.equal(demoReports(), 0);
    assert.deepEqual(events('demo-seed-refused').map((e) => e.reason), ['data-not-from-demo']);
  });

  it('a new database: seeded once, logged once; a second start adds nothing and logs no seed', async () => {
    await once();
    const seeded = demoReports();
    assert.ok(seeded > 0);
    assert.equal(events('demo-seeded').length, 1, logs.filter((l) => l.includes('seeded')).join('\n'));
    await once();
    assert.equal(demoReports(), seeded);
    assert.equal(events('demo-seeded').length, 1);
    assert.equal(events('demo-seed-refused').length, 0);
  });

  it('a seed that died half-way (its lease run out) is resumed by the next start, not taken for foreign data', async () => {
    const store = SqliteStore.open({ filename: db() });
    await store.migrate();
    await store.organisation.sync(ORG, NOW);
    let decisions = 0;
    const crashing = new Proxy(store, {
      get(target, prop) {
        if (prop !== 'cases') return Reflect.get(target, prop, target) as unknown;
        return new Proxy(target.cases, {
          get(cases, p) {
            const v = Reflect.get(cases, p, cases) as unknown;
            if (typeof v !== 'function') return v;
            if (p === 'recordDecision') return async (...a: unknown[]) => { if (++decisions > 2) throw new Error('crash'); return (v as (...x: unknown[]) => unknown).apply(cases, a); };
            return (v as (...x: unknown[]) => unknown).bind(cases);
          },
        });
      },
    }) as Store;
    // Its lease was claimed ten minutes ago: run out by now.
    const tenMinutesAgo = () => new Date(Date.now() - 10 * 60_000);
    await assert.rejects(seedDemoHistory({ store: crashing, directory: () => directory, cards: new CardRenderer(), logger: createLogger('silent'), now: () => NOW, realNow: tenMinutesAgo, ...settings }), /crash/);
    await store.close();
    assert.ok(demoReports() > 0, 'the crashed seed wrote some reports');
    await (await start({}, { now: () => NOW })).stop();
    assert.equal(events('demo-seed-refused').length, 0);
    assert.equal(events('demo-seeded').length, 1);
    assert.equal(demoReports(), historyFor(settings, NOW).reports.length);
  });

  it('another start is seeding: the reminder jobs wait for it, so no reminder about the seeded past is left to send', async () => {
    const file = db();
    const a = SqliteStore.open({ filename: file });
    await a.migrate();
    await a.organisation.sync(ORG, NOW);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const atGate = new Promise<void>((r) => (reached = r));
    // Instance A pauses after its reports, before the casework and the settling of due reminders.
    const slow = new Proxy(a, {
      get(target, prop) {
        if (prop !== 'casework') return Reflect.get(target, prop, target) as unknown;
        return new Proxy(target.casework, {
          get(cw, p) {
            const v = Reflect.get(cw, p, cw) as unknown;
            if (typeof v !== 'function') return v;
            return async (...args: unknown[]) => {
              reached();
              await gate;
              return (v as (...x: unknown[]) => unknown).apply(cw, args);
            };
          },
        });
      },
    }) as Store;
    const deps: DemoSeedDeps = { store: slow, directory: () => directory, cards: new CardRenderer(), logger: createLogger('silent'), now: () => NOW, ...settings };
    const seeding = seedDemoHistory(deps);
    await atGate;
    // Instance B: the reminder jobs would tick at once.
    const b = await start({ REMINDER_INTERVAL_MS: '3600000' }, { now: () => NOW, demoSeedWait: { timeoutMs: 30_000, pollMs: 50 } });
    try {
      // Long enough for a first tick that did not wait.
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(events('demo-seed-waiting').length, 1);
      release();
      assert.equal((await seeding).seeded, true);
      await b.ready;
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      release();
      await b.stop();
      await a.close();
    }
    const reminders = "purpose IN ('case-reminder', 'case-escalation')";
    assert.ok(count(`SELECT COUNT(*) AS n FROM outbox WHERE ${reminders}`) > 0, 'the history reached some reminders: settled by the seed');
    assert.equal(count(`SELECT COUNT(*) AS n FROM outbox WHERE ${reminders} AND NOT (state = 'failed' AND last_error = ?)`, DEMO_HISTORY_NOT_SENT), 0, 'reminders about the seeded past will be sent');
    assert.equal(events('demo-seed-wait-timeout').length, 0);
    assert.equal(events('demo-seeded').length, 0, 'B seeded nothing itself');
  });

  it('a seed that does not finish within the wait: the jobs start anyway, with a warning', async () => {
    const other = SqliteStore.open({ filename: db() });
    await other.migrate();
    await other.organisation.sync(ORG, NOW);
    // Another start holds the seed (alive: its lease runs for two minutes) and writes nothing yet.
    assert.equal(await other.state.claimLease(DEMO_SEED_KEY, new Date(), 2 * 60_000), true);
    const b = await start({ REMINDER_INTERVAL_MS: '3600000' }, { now: () => NOW, demoSeedWait: { timeoutMs: 200, pollMs: 50 } });
    await b.ready;
    await b.stop();
    await other.close();
    assert.equal(events('demo-seed-wait-timeout').length, 1);
    assert.match(events('demo-seed-wait-timeout')[0]!.msg!, /restart/);
    assert.equal(demoReports(), 0);
  });
});

/**
 * What `npm run dev` starts the bot with and says about it (scripts/dev-settings.ts): the same
 * decision as the bot's configuration, never its own guess, and a database of its own for the
 * demo. And what an unknown `--as` answers (scripts/playground.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_DB, demoDataLine, devSettings, EMPTY_DB } from '../../scripts/dev-settings';
import { PLAYGROUND_CONFIG_FILE, UnknownPlaygroundUserError, writePlaygroundConfig } from '../../scripts/playground';
import { DEFAULT_SQLITE_PATH } from '../../src/config/config';

const PROD = { NODE_ENV: 'production', BOT_ID: '00000000-0000-0000-0000-000000000001', SECRET_BOT_PASSWORD: 'x'.repeat(40), ALLOWED_TENANT_IDS: '00000000-0000-0000-0000-000000000002' };

describe('npm run dev: the bot\'s database and what the runner says about the demo history', () => {
  let envDir: string;
  before(() => {
    envDir = mkdtempSync(path.join(tmpdir(), 'lexsarah-dev-env-'));
    // As the committed env/.env.local: the default file named.
    writeFileSync(path.join(envDir, '.env.local'), `SQLITE_PATH=${DEFAULT_SQLITE_PATH}\nPORT=3978\n`);
  });
  after(() => rmSync(envDir, { recursive: true, force: true }));

  // [what, environment, --empty, the database, the line says (part), the bot seeds]
  const table: [string, Record<string, string>, boolean, string | undefined, RegExp, boolean | undefined][] = [
    ['the default: the demo with its history, in its own database', {}, false, DEMO_DB, /fiktiv historik.*lex-sarah-demo\.db/s, true],
    ['--empty: no history, in the empty demo\'s database', {}, true, EMPTY_DB, /av \/ off \(DEMO_DATA=off.*lex-sarah-empty\.db/, false],
    ['DEMO_DATA=off: the same', { DEMO_DATA: 'off' }, false, EMPTY_DB, /av \/ off \(DEMO_DATA=off/, false],
    ['a real ORG_FILE: the default database, no history', { ORG_FILE: 'env/organisation.demo.yaml' }, false, DEFAULT_SQLITE_PATH, /av, ORG_FILE är satt/, false],
    ['NODE_ENV=test: no history (as the config decides), not promised', { NODE_ENV: 'test' }, false, EMPTY_DB, /av, NODE_ENV=test \(DEMO_DATA=on/, false],
    ['NODE_ENV=test with DEMO_DATA=on: seeded', { NODE_ENV: 'test', DEMO_DATA: 'on' }, false, DEMO_DB, /fiktiv historik/, true],
    ['NODE_ENV=production without ORG_FILE: the bot refuses to start, nothing promised', { ...PROD }, false, undefined, /kan inte starta/, undefined],
    ['NODE_ENV=production with ORG_FILE: no history', { ...PROD, ORG_FILE: 'x.yaml' }, false, DEFAULT_SQLITE_PATH, /av, ORG_FILE är satt/, false],
    ['a chosen SQLITE_PATH is kept', { SQLITE_PATH: '/tmp/mine.db' }, false, '/tmp/mine.db', /fiktiv historik.*\/tmp\/mine\.db/s, true],
  ];
  for (const [what, env, empty, database, says, seeds] of table) {
    it(what, () => {
      const s = devSettings({ empty, port: '3978' }, env, envDir);
      assert.equal(s.config?.demoData, seeds);
      if (database) assert.equal(s.config?.store.kind === 'sqlite' && s.config.store.path, database);
      // The bot gets the database the runner reports (or none set, and reads the files itself).
      if (database && database !== DEFAULT_SQLITE_PATH) assert.equal(s.env.SQLITE_PATH, database);
      if (database === DEFAULT_SQLITE_PATH) assert.equal(s.env.SQLITE_PATH, undefined);
      assert.equal(s.env.PORT, '3978');
      assert.match(demoDataLine(s), says);
      if (seeds === false) assert.doesNotMatch(demoDataLine(s), /läggs in|is seeded/);
    });
  }

  it('a SQLITE_PATH from env/.env.local.user is kept as chosen', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-dev-env-'));
    try {
      writeFileSync(path.join(dir, '.env.local'), `SQLITE_PATH=${DEFAULT_SQLITE_PATH}\n`);
      writeFileSync(path.join(dir, '.env.local.user'), 'SQLITE_PATH=./data/my-own.db\n');
      const s = devSettings({ empty: false, port: '3978' }, {}, dir);
      assert.equal(s.env.SQLITE_PATH, undefined);
      assert.equal(s.config?.store.kind === 'sqlite' && s.config.store.path, './data/my-own.db');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run dev -- --as <unknown>', () => {
  it('says so in Swedish and English and lists every name that works', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'lexsarah-pg-')), 'pg.yml');
    try {
      assert.throws(() => writePlaygroundConfig('Bob Nobody', out), (err: unknown) => {
        assert.ok(err instanceof UnknownPlaygroundUserError);
        assert.match(err.message, /Ingen Playground-användare heter "Bob Nobody" \/ No Playground user "Bob Nobody"/);
        for (const name of ['Alex Wilber', 'Megan Bowen', 'Adele Vance', 'Lee Gu', 'Nestor Wilke', 'Lynne Robbins']) assert.ok(err.message.includes(`"${name}"`), name);
        assert.deepEqual(err.known.map((u) => u.name).sort(), ['Adele Vance', 'Alex Wilber', 'Lee Gu', 'Lynne Robbins', 'Megan Bowen', 'Nestor Wilke']);
        assert.ok(!err.message.includes(PLAYGROUND_CONFIG_FILE), 'no absolute path');
        return true;
      });
    } finally {
      rmSync(path.dirname(out), { recursive: true, force: true });
    }
  });
});

/**
 * The two gates between the demo history (src/demo/seed.ts) and real data: the environment
 * (config.demoData: the embedded demo organisation, never production, never a real ORG_FILE) and
 * the database (src/app.ts demoSeedGate: only one that is new to the demo). What a start does with
 * them on real SQLite files is in ./demo-start.test.ts.
 */
import assert from 'node:assert/strict';
import { demoSeedGate, type DemoDatabaseFacts, type DemoSeedGate } from '../../src/app';
import { ConfigError, parseConfig } from '../../src/config/config';

const PROD = { NODE_ENV: 'production', BOT_ID: '00000000-0000-0000-0000-000000000001', SECRET_BOT_PASSWORD: 'x'.repeat(40), ALLOWED_TENANT_IDS: '00000000-0000-0000-0000-000000000002' };

describe('when the environment allows the demo history (config.demoData)', () => {
  const table: [string, Record<string, string>, boolean | 'refused'][] = [
    ['development, no ORG_FILE', { NODE_ENV: 'development' }, true],
    ['NODE_ENV unset (= development)', {}, true],
    ['development, ORG_FILE set', { NODE_ENV: 'development', ORG_FILE: 'env/organisation.demo.yaml' }, false],
    ['development, ORG_FILE blank (= unset)', { NODE_ENV: 'development', ORG_FILE: '  ' }, true],
    ['development, DEMO_DATA=off', { NODE_ENV: 'development', DEMO_DATA: 'off' }, false],
    ['development, DEMO_DATA=on', { NODE_ENV: 'development', DEMO_DATA: 'on' }, true],
    ['test, default', { NODE_ENV: 'test' }, false],
    ['test, DEMO_DATA=on', { NODE_ENV: 'test', DEMO_DATA: 'on' }, true],
    ['DEMO_DATA=on with ORG_FILE', { NODE_ENV: 'development', ORG_FILE: 'x.yaml', DEMO_DATA: 'on' }, 'refused'],
    ['production, DEMO_DATA=on', { ...PROD, ORG_FILE: 'x.yaml', DEMO_DATA: 'on' }, 'refused'],
    ['production, default', { ...PROD, ORG_FILE: 'x.yaml' }, false],
    ['production, DEMO_DATA=off', { ...PROD, ORG_FILE: 'x.yaml', DEMO_DATA: 'off' }, false],
    // The store kind does not matter here: the database gate below decides on what it holds.
    ['development, STORE=mssql, no ORG_FILE', { NODE_ENV: 'development', STORE: 'mssql', MSSQL_CONNECTION_STRING: 'Server=x;Database=y;User Id=u;Password=p' }, true],
  ];
  for (const [what, env, expected] of table) {
    it(`${what}: ${String(expected)}`, () => {
      if (expected === 'refused') {
        assert.throws(() => parseConfig(env), (e: unknown) => e instanceof ConfigError && /DEMO_DATA/.test(e.message));
        return;
      }
      assert.equal(parseConfig(env).demoData, expected);
    });
  }

  // Why it is off, as the dev runner says it (scripts/dev.ts reads it, it does not work it out).
  const why: [string, Record<string, string>, string | undefined][] = [
    ['development', { NODE_ENV: 'development' }, undefined],
    ['ORG_FILE set', { NODE_ENV: 'development', ORG_FILE: 'x.yaml' }, 'org-file'],
    ['production', { ...PROD, ORG_FILE: 'x.yaml' }, 'org-file'],
    ['DEMO_DATA=off', { NODE_ENV: 'development', DEMO_DATA: 'off' }, 'demo-data-off'],
    ['NODE_ENV=test', { NODE_ENV: 'test' }, 'off-outside-development'],
  ];
  for (const [what, env, because] of why) {
    it(`says why: ${what} → ${because ?? 'on'}`, () => {
      const d = parseConfig(env).demoDataDecision;
      assert.deepEqual(d, because ? { on: false, because } : { on: true });
      assert.equal(parseConfig(env).demoData, d.on);
    });
  }
});

describe('when the database may get the demo history (demoSeedGate)', () => {
  const DEMO = 'Exempelby kommun';
  const facts = (over: Partial<DemoDatabaseFacts>): DemoDatabaseFacts => ({ hasData: false, seedBegun: false, ...over });
  const table: [string, DemoDatabaseFacts, DemoSeedGate][] = [
    ['a new database (no organisation stored)', facts({}), { seed: true }],
    ['no organisation stored, but casework imported (`npm run import` before the first start)', facts({ hasData: true }), { seed: false, reason: 'data-not-from-demo' }],
    ['the demo organisation, nothing stored yet (a start before with DEMO_DATA=off)', facts({ storedMunicipality: DEMO }), { seed: true }],
    ['the demo organisation, data from a seed that began (resumed, or another start seeding)', facts({ storedMunicipality: DEMO, hasData: true, seedBegun: true }), { seed: true }],
    ['the demo organisation with reports or casework the seed did not write', facts({ storedMunicipality: DEMO, hasData: true }), { seed: false, reason: 'data-not-from-demo' }],
    ['another organisation, no data', facts({ storedMunicipality: 'Riktiga kommun' }), { seed: false, reason: 'another-organisation' }],
    ['another organisation with data', facts({ storedMunicipality: 'Riktiga kommun', hasData: true }), { seed: false, reason: 'another-organisation' }],
    ['another organisation, even with a seed anchor', facts({ storedMunicipality: 'Riktiga kommun', hasData: true, seedBegun: true }), { seed: false, reason: 'another-organisation' }],
    ['refused before, now holding the demo organisation (a start without ORG_FILE synced it)', facts({ storedMunicipality: DEMO, refusedBefore: 'another-organisation' }), { seed: false, reason: 'another-organisation' }],
    ['refused before for its data, nothing else known', facts({ refusedBefore: 'data-not-from-demo' }), { seed: false, reason: 'data-not-from-demo' }],
  ];
  for (const [what, f, expected] of table) {
    it(`${what}: ${expected.seed ? 'seeded' : `not seeded (${expected.reason})`}`, () => {
      assert.deepEqual(demoSeedGate(DEMO, f), expected);
    });
  }
});

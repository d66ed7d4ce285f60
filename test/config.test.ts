import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, DEMO_ORG_FILE, parseConfig, resolveConfigPaths } from '../src/config/config';
import { loadEnvFiles } from '../src/config/env-files';
import { DEFAULT_PATTERN_RULES, patternRulesProblems } from '../src/patterns/rules';
import { HISTORY_WEEKS } from '../src/patterns/weekly';

const GUID = '11111111-2222-3333-4444-555555555555';

describe('configuration', () => {
  it('has working defaults for a newcomer (embedded database, demo organisation, Stockholm time)', () => {
    const c = parseConfig({});
    assert.equal(c.port, 3978);
    assert.deepEqual(c.store, { kind: 'sqlite', path: './data/lex-sarah.db', cacheMb: 64 });
    assert.equal(c.timeZone, 'Europe/Stockholm');
    assert.equal(c.orgFile, DEMO_ORG_FILE);
    assert.equal(c.bot, undefined);
    assert.deepEqual(c.allowedTenantIds, []);
    assert.equal(c.shutdownTimeoutMs, 10_000);
  });

  it('reads a full production configuration', () => {
    const c = parseConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      BOT_ID: GUID,
      SECRET_BOT_PASSWORD: 's3cret',
      BOT_TYPE: 'SingleTenant',
      BOT_TENANT_ID: GUID,
      ALLOWED_TENANT_IDS: ` ${GUID.toUpperCase()} , ${GUID.replace('1111', 'aaaa')} `,
      STORE: 'mssql',
      MSSQL_CONNECTION_STRING: 'Server=db;Database=lexsarah;User Id=u;Password=p;Encrypt=true',
      TIME_ZONE: 'Europe/Helsinki',
      LOG_LEVEL: 'warn',
      ORG_FILE: '/etc/lexsarah/org.yaml',
    });
    assert.equal(c.port, 8080);
    assert.deepEqual(c.bot, { appId: GUID, password: 's3cret', type: 'SingleTenant', tenantId: GUID });
    assert.deepEqual(c.allowedTenantIds, [GUID, GUID.replace('1111', 'aaaa')]);
    assert.equal(c.store.kind, 'mssql');
    assert.equal(c.timeZone, 'Europe/Helsinki');
    assert.equal(c.orgFile, '/etc/lexsarah/org.yaml');
  });

  // Each bad setting must be named in the message so an operator knows what to fix.
  const bad: [string, Record<string, string>, RegExp][] = [
    ['port not a number', { PORT: 'abc' }, /PORT: must be a number/],
    ['port out of range', { PORT: '70000' }, /PORT/],
    ['bot id not a GUID', { BOT_ID: 'my-bot' }, /BOT_ID: must be the bot's Microsoft App ID/],
    ['bot id without secret', { BOT_ID: GUID }, /SECRET_BOT_PASSWORD: must be set/],
    ['single tenant without tenant', { BOT_ID: GUID, SECRET_BOT_PASSWORD: 'x', BOT_TYPE: 'SingleTenant' }, /BOT_TENANT_ID: must be set/],
    ['unknown bot type', { BOT_TYPE: 'Tenantless' }, /BOT_TYPE/],
    ['bad tenant list', { ALLOWED_TENANT_IDS: 'contoso' }, /ALLOWED_TENANT_IDS: must be a comma-separated list/],
    ['unknown store', { STORE: 'postgres' }, /STORE/],
    ['mssql without connection string', { STORE: 'mssql' }, /MSSQL_CONNECTION_STRING: must be set when STORE=mssql/],
    ['bad time zone', { TIME_ZONE: 'Europe/Stokholm' }, /TIME_ZONE: must be an IANA time zone/],
    ['bad log level', { LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    ['production without bot id', { NODE_ENV: 'production', ORG_FILE: 'org.yaml' }, /BOT_ID: must be set when NODE_ENV=production/],
    ['a test clock in production', { NODE_ENV: 'production', BOT_ID: GUID, SECRET_BOT_PASSWORD: 'x', ORG_FILE: 'o.yaml', TEST_CLOCK_START: '2026-11-23T08:00:00Z' }, /TEST_CLOCK_START: must not be set when NODE_ENV=production/],
    ['a test clock that is not an instant', { TEST_CLOCK_START: 'monday' }, /TEST_CLOCK_START: must be an ISO instant/],
    ['production without org file', { NODE_ENV: 'production', BOT_ID: GUID, SECRET_BOT_PASSWORD: 'x' }, /ORG_FILE: must be set when NODE_ENV=production/],
    ['production without a tenant allow-list', { NODE_ENV: 'production', BOT_ID: GUID, SECRET_BOT_PASSWORD: 'x', ORG_FILE: 'o.yaml' }, /ALLOWED_TENANT_IDS: must be set when NODE_ENV=production/],
  ];
  for (const [name, env, expected] of bad) {
    it(`refuses ${name}, naming the variable`, () => {
      assert.throws(() => parseConfig(env), (err: unknown) => err instanceof ConfigError && expected.test(err.message));
    });
  }

  describe('the lex Sarah clocks (local policy, not law)', () => {
    it('defaults: assessment within 3 working days, 1 when urgent; the investigation to IVO within 2 months', () => {
      const c = parseConfig({});
      assert.deepEqual([c.assessmentWorkingDays, c.assessmentWorkingDaysUrgent, c.investigationToIvoMonths, c.anmalanSlaDays], [3, 1, 2, 14]);
    });
    it('reads the settings', () => {
      const c = parseConfig({ ASSESSMENT_WORKING_DAYS: '5', ASSESSMENT_WORKING_DAYS_URGENT: '0', INVESTIGATION_TO_IVO_MONTHS: '3' });
      assert.deepEqual([c.assessmentWorkingDays, c.assessmentWorkingDaysUrgent, c.investigationToIvoMonths], [5, 0, 3]);
    });
    it('refuses an urgent deadline longer than the ordinary one, naming the variable', () => {
      assert.throws(
        () => parseConfig({ ASSESSMENT_WORKING_DAYS: '2', ASSESSMENT_WORKING_DAYS_URGENT: '4' }),
        (err: unknown) => err instanceof ConfigError && /ASSESSMENT_WORKING_DAYS_URGENT: must not be more than ASSESSMENT_WORKING_DAYS/.test(err.message),
      );
      assert.throws(() => parseConfig({ INVESTIGATION_TO_IVO_MONTHS: '0' }), (err: unknown) => err instanceof ConfigError && /INVESTIGATION_TO_IVO_MONTHS/.test(err.message));
    });
  });

  describe('MSSQL_LONG_POOL_MAX (connections for long work: organisation sync, casework import, deadlines)', () => {
    const mssql = { STORE: 'mssql', MSSQL_CONNECTION_STRING: 'Server=db;Database=lexsarah;User Id=u;Password=p;Encrypt=true' };
    const longPoolMax = (env: Record<string, string>) => {
      const c = parseConfig({ ...mssql, ...env });
      assert.equal(c.store.kind, 'mssql');
      return c.store.kind === 'mssql' ? c.store.longPoolMax : undefined;
    };
    it('is unset by default, so the adapter keeps its own default (2)', () => assert.equal(longPoolMax({}), undefined));
    it('empty means the default', () => assert.equal(longPoolMax({ MSSQL_LONG_POOL_MAX: ' ' }), undefined));
    it('reads a number of connections', () => {
      assert.equal(longPoolMax({ MSSQL_LONG_POOL_MAX: '1' }), 1);
      assert.equal(longPoolMax({ MSSQL_LONG_POOL_MAX: '5' }), 5);
      assert.equal(longPoolMax({ MSSQL_LONG_POOL_MAX: '50' }), 50);
    });
    for (const bad of ['0', '-1', '1.5', 'två', '51']) {
      it(`refuses ${JSON.stringify(bad)}, naming MSSQL_LONG_POOL_MAX and what it takes`, () => {
        assert.throws(
          () => parseConfig({ ...mssql, MSSQL_LONG_POOL_MAX: bad }),
          (err: unknown) => err instanceof ConfigError && /MSSQL_LONG_POOL_MAX: must be a whole number of connections from 1 to 50/.test(err.message),
        );
      });
    }
  });

  it('the pattern alerts\' thresholds are settings whose defaults are the rules\' own, each a usable rule (#16)', () => {
    assert.deepEqual(parseConfig({}).patternRules, DEFAULT_PATTERN_RULES);
    const c = parseConfig({
      PATTERN_UNIT_REPORTS_COUNT: '4', PATTERN_UNIT_REPORTS_DAYS: '14', PATTERN_CATEGORY_REPORTS_COUNT: '5', PATTERN_CATEGORY_REPORTS_DAYS: '60',
      PATTERN_REPEATED_COUNT: '3', PATTERN_REPEATED_DAYS: '180', PATTERN_OVERDUE_SHARE: ' .25 ', PATTERN_OVERDUE_MIN_ITEMS: '10', PATTERN_OVERDUE_WEEKS: '3', PATTERN_MISSED_REVIEWS_WEEKS: '1',
    });
    assert.deepEqual(c.patternRules, {
      unitReports: { count: 4, windowDays: 14 }, categoryReports: { count: 5, windowDays: 60 }, repeatedBefore: { count: 3, windowDays: 180 },
      overdueShare: { share: 0.25, minItems: 10, weeks: 3 }, missedReviews: { weeks: 1 },
    });
    assert.deepEqual(patternRulesProblems(c.patternRules), []);
    // What the rules refuse, the settings refuse first, naming the variable.
    const bad: [string, string, RegExp][] = [
      ['PATTERN_UNIT_REPORTS_COUNT', '1', /PATTERN_UNIT_REPORTS_COUNT: must be at least 2/],
      ['PATTERN_CATEGORY_REPORTS_DAYS', '0', /PATTERN_CATEGORY_REPORTS_DAYS: must be at least 1/],
      ['PATTERN_REPEATED_COUNT', '2.5', /PATTERN_REPEATED_COUNT: must be written as a whole number \(a number of rapporter\)/],
      ['PATTERN_OVERDUE_SHARE', '1', /PATTERN_OVERDUE_SHARE: must be a fraction from 0 up to \(not including\) 1/],
      ['PATTERN_OVERDUE_SHARE', '20%', /PATTERN_OVERDUE_SHARE: must be a fraction such as 0\.2/],
      ['PATTERN_OVERDUE_WEEKS', '26', /PATTERN_OVERDUE_WEEKS: must be at most 25/],
      ['PATTERN_UNIT_REPORTS_DAYS', '3e1', /PATTERN_UNIT_REPORTS_DAYS: must be written as a whole number \(a number of days\)/],
      ['PATTERN_UNIT_REPORTS_COUNT', '0x3', /PATTERN_UNIT_REPORTS_COUNT: must be written as a whole number/],
      ['PATTERN_OVERDUE_SHARE', '1e-1', /PATTERN_OVERDUE_SHARE: must be a fraction such as 0\.2/],
      ['PATTERN_MISSED_REVIEWS_WEEKS', 'två', /PATTERN_MISSED_REVIEWS_WEEKS: must be written as a whole number \(a number of weeks\)/],
    ];
    // Runs shorter than the history the weekly rules read, or a run could never be told from the one before it.
    for (const name of ['PATTERN_OVERDUE_WEEKS', 'PATTERN_MISSED_REVIEWS_WEEKS']) {
      assert.doesNotThrow(() => parseConfig({ [name]: String(HISTORY_WEEKS - 1) }));
      assert.throws(() => parseConfig({ [name]: String(HISTORY_WEEKS) }), ConfigError);
    }
    for (const [name, value, message] of bad) assert.throws(() => parseConfig({ [name]: value }), (e: Error) => e instanceof ConfigError && message.test(e.message), `${name}=${value}`);
  });

  it('lists every problem at once', () => {
    assert.throws(
      () => parseConfig({ PORT: 'x', LOG_LEVEL: 'loud' }),
      (err: unknown) => err instanceof ConfigError && err.problems.length === 2,
    );
  });

  describe('HOST (the address to listen on)', () => {
    const prod = { NODE_ENV: 'production', BOT_ID: GUID, SECRET_BOT_PASSWORD: 'x', ORG_FILE: 'o.yaml', ALLOWED_TENANT_IDS: GUID };
    const cases: [string, Record<string, string>, string][] = [
      ['loopback by default in development', {}, '127.0.0.1'],
      ['loopback by default under test', { NODE_ENV: 'test' }, '127.0.0.1'],
      ['every interface by default in production', prod, '0.0.0.0'],
      ['empty means the default', { HOST: ' ' }, '127.0.0.1'],
      ['an explicit address in development', { HOST: '0.0.0.0' }, '0.0.0.0'],
      ['an explicit loopback in production', { ...prod, HOST: '127.0.0.1' }, '127.0.0.1'],
      ['an IPv6 address', { HOST: '::1' }, '::1'],
      ['a host name', { HOST: 'localhost' }, 'localhost'],
    ];
    for (const [name, env, host] of cases) {
      it(name, () => assert.equal(parseConfig(env).host, host));
    }
    for (const bad of ['http://0.0.0.0', '0.0.0.0:3978', 'bad host', '[::1]']) {
      it(`refuses ${JSON.stringify(bad)}, naming HOST`, () => {
        assert.throws(() => parseConfig({ HOST: bad }), (err: unknown) => err instanceof ConfigError && /HOST: must be an IP address or host name/.test(err.message));
      });
    }
  });

  it('treats empty values as unset (as Teams Toolkit env files write them)', () => {
    assert.equal(parseConfig({ BOT_ID: '', PORT: '', ALLOWED_TENANT_IDS: '' }).bot, undefined);
  });

  describe('env files', () => {
    it('reads .env.<name> then .env.<name>.user; the process environment wins', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-env-'));
      writeFileSync(path.join(dir, '.env.dev'), 'PORT=1000\nLOG_LEVEL=debug\n# comment\nTIME_ZONE=Europe/Oslo\n');
      writeFileSync(path.join(dir, '.env.dev.user'), 'SECRET_BOT_PASSWORD="from user file"\nLOG_LEVEL=warn\n');
      const env = loadEnvFiles('dev', dir, { PORT: '2000' });
      assert.equal(env.PORT, '2000');
      assert.equal(env.LOG_LEVEL, 'warn');
      assert.equal(env.TIME_ZONE, 'Europe/Oslo');
      assert.equal(env.SECRET_BOT_PASSWORD, 'from user file');
    });

    it('refuses an environment name that could escape the env folder', () => {
      assert.throws(() => loadEnvFiles('../etc', '/tmp', {}), /TEAMSFX_ENV/);
    });
  });
});

describe('configuration: the SQLite page cache', () => {
  const table: [string, number | undefined][] = [['64', 64], ['2', 2], ['4096', 4096], ['1', undefined], ['4097', undefined], ['8.5', undefined], ['mycket', undefined]];
  for (const [value, cacheMb] of table) {
    it(`SQLITE_CACHE_MB=${value}: ${cacheMb === undefined ? 'refused' : `${cacheMb} MB`}`, () => {
      if (cacheMb === undefined) {
        assert.throws(() => parseConfig({ SQLITE_CACHE_MB: value }), (err: unknown) => err instanceof ConfigError && /SQLITE_CACHE_MB/.test(err.message));
      } else {
        assert.deepEqual(parseConfig({ SQLITE_CACHE_MB: value }).store, { kind: 'sqlite', path: './data/lex-sarah.db', cacheMb });
      }
    });
  }
});

describe('configuration paths', () => {
  it('resolves relative file paths against the project folder and leaves absolute ones', () => {
    const c = resolveConfigPaths(parseConfig({ SQLITE_PATH: 'data/x.db', ORG_FILE: '/etc/org.yaml' }), '/srv/app');
    assert.deepEqual(c.store, { kind: 'sqlite', path: '/srv/app/data/x.db', cacheMb: 64 });
    assert.equal(c.orgFile, '/etc/org.yaml');
  });
});

describe('test clock', () => {
  it('starts at TEST_CLOCK_START and runs on with real time', async () => {
    const { clockFor } = await import('../src/config/config.js');
    let real = 1_000_000;
    const clock = clockFor({ testClockStart: new Date('2026-11-23T07:59:30Z') }, () => real);
    assert.equal(clock().toISOString(), '2026-11-23T07:59:30.000Z');
    real += 45_000;
    assert.equal(clock().toISOString(), '2026-11-23T08:00:15.000Z');
    assert.equal(clockFor({}, () => 42)().getTime(), 42);
  });
});

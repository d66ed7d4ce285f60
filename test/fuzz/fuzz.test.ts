/**
 * Fuzz suite (part of `npm test`, not @e2e): thousands of generated activities, card payloads and
 * raw bodies against the real HTTP endpoints of the real process (src/main.ts as a child), so a
 * crash shows as an exit and everything the process prints is judged.
 *
 * Deterministic: FUZZ_SEED (default fixed; "random" for a new one) and FUZZ_COUNT (how many
 * requests in all, default 10 000) reproduce a run. A failure prints each distinct problem once,
 * with the smallest request that shows it (shrunk), and the seed.
 *
 *   FUZZ_SEED=123 FUZZ_COUNT=2000 npx mocha test/fuzz/fuzz.test.ts
 *   npx mocha test/fuzz/fuzz.test.ts test/fuzz/machinery.test.ts   (all of it; titles carry @fuzz for --grep)
 *   FUZZ_SHRINK_SECONDS=300 npx mocha test/fuzz/fuzz.test.ts   (smaller reproducers)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';
import { Campaign, jsonRequest, outputProblems, report as reportFor, shrinkFailures, times, type Failure } from './campaign';
import { startChildBot } from './child-bot';
import { activity as genActivity, caseworkBody, PEOPLE, rawBody, validReportForm, BOT, TENANT, nextActivityId, type GenContext } from './generators';
import { countFromEnv, Rng, seedFromEnv } from './prng';
import { sendRaw } from './raw-http';

const SEED = seedFromEnv(20261201);
const TOTAL = countFromEnv(10_000);
/** Share of the requests per part. */
const COUNTS = {
  activities: Math.round(TOTAL * 0.7),
  rawBodies: Math.round(TOTAL * 0.15),
  casework: Math.round(TOTAL * 0.1),
  auth: Math.max(1, Math.round(TOTAL * 0.05)),
};
const AUTH_MAX_REQUEST_MS = 12_000;
const MAX_BODY_BYTES = 256 * 1024;
const IMPORT_KEY = 'fuzz-'.repeat(8);
const MAX_RSS_KB = 1024 * 1024;
const SHRINK_BUDGET_PER_FAILURE = 120;
/** Time for shrinking all failures of the activity part (only spent when there are failures); FUZZ_SHRINK_SECONDS to change. */
const SHRINK_SECONDS = Number(process.env.FUZZ_SHRINK_SECONDS ?? 20);
const report = (title: string, failures: Map<string, Failure>) => reportFor(title, failures, { seed: SEED, total: TOTAL });
const SAMPLE_CSV = readFileSync(path.join(__dirname, '..', 'fixtures', 'casework-sample.csv'), 'utf8');

describe('@fuzz hostile and careless input against the real HTTP endpoints (part of npm test, not @e2e)', function () {
  this.timeout(120_000);
  let connector: FakeConnector;
  let campaign: Campaign;
  const rng = new Rng(SEED);
  const references: string[] = [];
  const alexFormIds: string[] = [];
  const ctx: GenContext = { now: new Date(), references, alexFormIds, serviceUrl: '' };
  const env = { SECRET_IMPORT_API_KEY: IMPORT_KEY, IMPORT_MAX_BYTES: String(1024 * 1024), MAX_BODY_BYTES: String(MAX_BODY_BYTES) };
  const startedAt = Date.now();

  before(async function () {
    this.timeout(90_000);
    process.stdout.write(`      fuzz seed ${SEED}, ${TOTAL} requests (FUZZ_SEED / FUZZ_COUNT to change)\n`);
    connector = await startFakeConnector();
    ctx.serviceUrl = connector.url.endsWith('/') ? connector.url : `${connector.url}/`;
    const bot = await startChildBot(env);
    campaign = new Campaign(bot, (dataDir) => startChildBot(env, { dataDir }), ctx.serviceUrl, MAX_BODY_BYTES);
    ctx.now = new Date();
    // Every person says hello (conversation references, so filing a report notifies someone), a
    // few valid reports are filed so case verbs reach real cases, and Alex is issued forms.
    const agent = new http.Agent({ keepAlive: true });
    const personal = (p: (typeof PEOPLE)[number]) => ({
      channelId: 'msteams',
      serviceUrl: ctx.serviceUrl,
      deliveryMode: 'expectReplies',
      from: { id: `29:${p.name}`, ...p },
      recipient: BOT,
      conversation: { id: `a:personal-${p.aadObjectId.slice(-2)}`, tenantId: TENANT, conversationType: 'personal' },
      channelData: { tenant: { id: TENANT } },
    });
    const say = (p: (typeof PEOPLE)[number], text: string) => sendRaw(bot.baseUrl, jsonRequest({ ...personal(p), type: 'message', id: nextActivityId(), text }), agent, 10_000);
    for (const p of PEOPLE) await say(p, 'hjälp');
    const issueForm = async (p: (typeof PEOPLE)[number]) => /"formId":"([0-9a-f-]{36})"/.exec((await say(p, 'rapportera')).body)?.[1];
    for (let i = 0; i < 8; i++) {
      const p = PEOPLE[i % 2]!;
      const formId = await issueForm(p);
      const data = { ...validReportForm(rng, ctx.now), ...(formId ? { formId } : {}) };
      const act = { ...personal(p), type: 'invoke', name: 'adaptiveCard/action', id: nextActivityId(), value: { action: { type: 'Action.Execute', verb: 'report.submit', data }, trigger: 'manual' } };
      const res = await sendRaw(bot.baseUrl, jsonRequest(act), agent, 10_000);
      for (const m of res.body.matchAll(/LS-\d{4}-\d{4,}/g)) if (!references.includes(m[0])) references.push(m[0]);
    }
    for (let i = 0; i < 40; i++) {
      const formId = await issueForm(PEOPLE[0]);
      if (formId) alexFormIds.push(formId);
    }
    agent.destroy();
  });

  after(async function () {
    this.timeout(30_000);
    campaign?.close();
    await campaign?.bot.stop();
    await connector?.close();
    const statuses = JSON.stringify(Object.fromEntries([...(campaign?.statuses ?? [])].sort(([a], [b]) => a - b)));
    process.stdout.write(`      fuzz: ${campaign?.sent ?? 0} requests, slowest ${Math.round(campaign?.slowest ?? 0)} ms, statuses ${statuses}, ${campaign?.crashed.length ?? 0} crash(es), ${((Date.now() - startedAt) / 1000).toFixed(1)} s in all\n`);
    if (process.env.FUZZ_VERBOSE && campaign?.slowestCase) process.stdout.write(`      slowest: ${campaign.slowestCase.request.body.toString('utf8').slice(0, 3000)}\n`);
  });

  it(`/api/messages: ${COUNTS.activities} generated activities and card payloads get an allowed answer, in time, without a failed turn`, async function () {
    this.timeout(90_000 + SHRINK_SECONDS * 1000);
    assert.ok(references.length > 0, `setting up: no valid report could be filed, so case verbs would not reach real cases (bot log: ${campaign.bot.logs.slice(-5).map((l) => l.msg).join(' | ')})`);
    const failuresBefore = new Set(campaign.failures.keys());
    await campaign.run(
      times(COUNTS.activities, () => {
        const { kind, activity } = genActivity(rng, ctx);
        return { part: 'activity', kind, activity, request: jsonRequest(activity) };
      }),
    );
    campaign.collectTurnFailures();
    const mine = new Map([...campaign.failures].filter(([k]) => !failuresBefore.has(k)));
    await shrinkFailures(campaign.bot, mine, (c, r) => campaign.judge(c, r), Date.now() + SHRINK_SECONDS * 1000, SHRINK_BUDGET_PER_FAILURE);
    assert.equal(mine.size, 0, report('/api/messages activities', mine));
  });

  it(`/api/messages: ${COUNTS.rawBodies} bodies with odd encodings, framing and content types are refused or handled, never 5xx`, async function () {
    const failuresBefore = new Set(campaign.failures.keys());
    await campaign.run(
      times(COUNTS.rawBodies, () => {
        const raw = rawBody(rng, ctx);
        return { part: 'raw', kind: raw.kind, request: { path: '/api/messages', headers: raw.headers, body: raw.body } };
      }),
    );
    campaign.collectTurnFailures();
    const mine = new Map([...campaign.failures].filter(([k]) => !failuresBefore.has(k)));
    assert.equal(mine.size, 0, report('/api/messages raw bodies', mine));
  });

  it(`/api/casework/import: ${COUNTS.casework} CSV bodies, with the key and without or with a wrong one`, async function () {
    const failuresBefore = new Set(campaign.failures.keys());
    const keyHeaders = (): { auth: string; headers: Record<string, string> } =>
      rng.weighted<() => { auth: string; headers: Record<string, string> }>([
        [5, () => ({ auth: 'valid', headers: { authorization: `Bearer ${IMPORT_KEY}` } })],
        [2, () => ({ auth: 'valid', headers: { 'x-api-key': IMPORT_KEY } })],
        [1, () => ({ auth: 'none', headers: {} })],
        [1, () => ({ auth: 'wrong', headers: { authorization: `Bearer ${IMPORT_KEY}x` } })],
        [1, () => ({ auth: 'wrong', headers: { authorization: `bearer ${IMPORT_KEY}` } })],
        [1, () => ({ auth: 'wrong', headers: { 'x-api-key': IMPORT_KEY.slice(1) } })],
        [1, () => ({ auth: 'wrong', headers: { authorization: 'Bearer ' } })],
        [1, () => ({ auth: 'wrong', headers: { authorization: `Basic ${Buffer.from(`api:${IMPORT_KEY}`).toString('base64')}` } })],
        [1, () => ({ auth: 'wrong', headers: { 'x-api-key': `${IMPORT_KEY}?` } })],
      ])();
    const query = () => rng.pick(['source=procapita', 'source=procapita&full=false', 'source=', '', 'source=a%00b', 'source=../../etc', 'source=' + 'x'.repeat(500), 'source=procapita&source=other', 'full=maybe&source=x', 'source=%ZZ', 'source=__proto__', 'source[__proto__]=1']);
    await campaign.run(
      times(COUNTS.casework, () => {
        const { auth, headers } = keyHeaders();
        const body = caseworkBody(rng, SAMPLE_CSV);
        return { part: 'casework', kind: `${auth}-key/${body.kind}`, request: { path: `/api/casework/import?${query()}`, headers: { ...body.headers, ...headers }, body: body.body } };
      }),
      (c, res) => {
        const problems = campaign.judge(c, res);
        if (!c.kind.startsWith('valid') && res.status !== 401 && res.status !== 0) problems.push(`casework import without a valid key answered ${res.status}, not 401`);
        return problems;
      },
    );
    campaign.collectTurnFailures();
    const mine = new Map([...campaign.failures].filter(([k]) => !failuresBefore.has(k)));
    assert.equal(mine.size, 0, report('/api/casework/import', mine));
  });

  it('the process never crashed and is healthy at the end: /healthz answers, nothing unstructured on stdout or stderr, memory bounded', async function () {
    const bot = campaign.bot;
    const problems: string[] = [];
    if (campaign.crashed.length) problems.push(`the bot process crashed ${campaign.crashed.length} time(s) (restarted each time; the crashes are listed with their request in the tests above); exits: ${campaign.crashed.map((b) => JSON.stringify(b.exit())).join(', ')}`);
    if (bot.exit()) problems.push(`the bot is not running at the end (${JSON.stringify(bot.exit())})`);
    else {
      const health = await fetch(`${bot.baseUrl}/healthz`);
      if (health.status !== 200) problems.push(`/healthz answered ${health.status}`);
    }
    problems.push(...outputProblems([...campaign.crashed, bot]));
    const rss = bot.rssKb();
    if (rss !== undefined && rss > MAX_RSS_KB) problems.push(`the bot uses ${Math.round(rss / 1024)} MB of memory (limit ${MAX_RSS_KB / 1024} MB)`);
    // How deep the run went: events the bot logs only once a request got past the first checks.
    const depth = new Map<string, number>();
    for (const l of [...campaign.crashed, bot].flatMap((b) => b.logs)) {
      if (typeof l.event === 'string' && /^(report-|case-|message$|welcome$|casework-import|review|status)/.test(l.event)) depth.set(l.event, (depth.get(l.event) ?? 0) + 1);
    }
    process.stdout.write(`      bot memory (VmRSS) at the end: ${rss === undefined ? 'unknown' : `${Math.round(rss / 1024)} MB`}; fake connector received ${connector.posted.length} activities\n`);
    process.stdout.write(`      reached: ${[...depth].sort(([a], [b]) => a.localeCompare(b)).map(([e, n]) => `${e} ${n}`).join(', ')}\n`);
    assert.equal(problems.length, 0, problems.join('\n'));
  });
});

describe('@fuzz forged and malformed Bot Framework tokens with authentication on (part of npm test, not @e2e)', function () {
  this.timeout(60_000);
  let campaign: Campaign;
  const rng = new Rng(SEED ^ 0x5eed);
  const env = { BOT_ID: '11111111-2222-3333-4444-555555555555', SECRET_BOT_PASSWORD: 'not-used' };

  before(async function () {
    this.timeout(90_000);
    campaign = new Campaign(await startChildBot(env), (dataDir) => startChildBot(env, { dataDir }), 'http://127.0.0.1:9/', MAX_BODY_BYTES);
  });

  after(async function () {
    this.timeout(30_000);
    campaign?.close();
    await campaign?.bot.stop();
  });

  const b64 = (o: unknown) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');
  const jwt = (header: unknown, payload: unknown, sig = 'c2ln') => `${b64(header)}.${b64(payload)}.${sig}`;
  const payload = () => ({
    iss: rng.pick(['https://api.botframework.com', 'https://sts.windows.net/x/', '', 'evil']),
    aud: rng.pick(['11111111-2222-3333-4444-555555555555', 'other', '']),
    exp: rng.pick([Math.floor(Date.now() / 1000) + 3600, 0, -1, 1e20, 'soon']),
    nbf: 0,
    serviceurl: 'http://127.0.0.1:9/',
  });

  it(`/api/messages: ${COUNTS.auth} requests with forged, malformed or missing tokens are all refused (401/400), never 5xx, and the process prints nothing unstructured`, async function () {
    const token = (): string =>
      rng.weighted<() => string>([
        [3, () => `Bearer ${jwt({ alg: 'RS256', typ: 'JWT', kid: rng.pick(['abc', '', '../../x', 'x'.repeat(300)]) }, payload())}`],
        [2, () => `Bearer ${jwt({ alg: 'none', typ: 'JWT' }, payload(), '')}`],
        [1, () => `Bearer ${jwt({ alg: 'HS256' }, payload())}`],
        [1, () => `Bearer ${jwt('not json', 'not json')}`],
        [1, () => `Bearer ${jwt({ alg: 'RS256', kid: { __proto__: 1 } }, JSON.parse('{"__proto__":{"admin":true}}'))}`],
        [1, () => 'Bearer not-a-jwt'],
        [1, () => 'Bearer a.b'],
        [1, () => 'Bearer ...'],
        [1, () => 'Bearer '],
        [1, () => 'Bearer'],
        [1, () => ''],
        [1, () => `Basic ${Buffer.from('a:b').toString('base64')}`],
        [1, () => `Bearer ${'A'.repeat(rng.int(1000, 16_000))}`],
        [1, () => `bearer ${jwt({ alg: 'RS256' }, payload())}`],
      ])();
    const ctx: GenContext = { now: new Date(), references: [], alexFormIds: [], serviceUrl: 'http://127.0.0.1:9/' };
    await campaign.run(
      times(COUNTS.auth, () => {
        const { kind, activity } = genActivity(rng, ctx);
        const t = token();
        return { part: 'auth', kind, activity, request: jsonRequest(activity, t ? { authorization: t } : {}) };
      }),
      (c, res) => {
        // Authentication comes before the activity is looked at: its shape does not matter. Checking
        // a token may mean fetching Microsoft's signing keys; without network a DNS timeout (~5 s) can
        // come first, hence the wider bound here.
        const problems = campaign.judge({ ...c, activity: undefined }, res, AUTH_MAX_REQUEST_MS);
        if (res.status >= 200 && res.status < 300) problems.push(`a request with a forged or missing token was accepted (HTTP ${res.status})`);
        return problems;
      },
    );
    const output = outputProblems([...campaign.crashed, campaign.bot]);
    for (const p of output) campaign.record(p, { part: 'auth', kind: 'process output', request: jsonRequest({}) }, { status: 0, body: '' });
    assert.equal(campaign.failures.size, 0, report('forged tokens', campaign.failures));
  });
});

/** The fuzz suite's own parts: a seed repeats a run, the judge flags what it must, the shrinker shrinks. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Campaign, jsonRequest, type Case } from './campaign';
import { startChildBot } from './child-bot';
import { activity, rawBody, resetActivityIds, setOwn, type GenContext } from './generators';
import { errorLogSignatures, responseSignatures } from './judge';
import { countFromEnv, Rng, seedFromEnv } from './prng';
import { shrinkJson } from './shrink';

const ctx: GenContext = { now: new Date('2026-11-23T09:00:00Z'), references: ['LS-2026-0001'], alexFormIds: [], serviceUrl: 'http://127.0.0.1:1234/' };

const opts = { maxBodyBytes: 1000, connectorUrl: ctx.serviceUrl };

describe('@fuzz machinery: seeds, judge, shrinker, crash handling', () => {
  it('generates the same activities and bodies from the same seed, and others from another seed', () => {
    const run = (seed: number) => {
      const rng = new Rng(seed);
      resetActivityIds();
      const text = Array.from({ length: 200 }, () => {
        const raw = rawBody(rng, ctx);
        return `${JSON.stringify(activity(rng, ctx))} ${raw.kind} ${JSON.stringify(raw.headers)} ${raw.body.length}`;
      }).join('\n');
      return createHash('sha256').update(text).digest('hex');
    };
    assert.equal(run(42), run(42));
    assert.notEqual(run(42), run(43));
  });

  it('reads FUZZ_SEED and FUZZ_COUNT, and refuses nonsense', () => {
    assert.equal(seedFromEnv(7, {}), 7);
    assert.equal(seedFromEnv(7, { FUZZ_SEED: '0x10' }), 16);
    assert.equal(seedFromEnv(7, { FUZZ_SEED: '99' }), 99);
    assert.throws(() => seedFromEnv(7, { FUZZ_SEED: 'abc' }), /FUZZ_SEED must be a number/);
    assert.equal(countFromEnv(10, {}), 10);
    assert.equal(countFromEnv(10, { FUZZ_COUNT: '25' }), 25);
    assert.throws(() => countFromEnv(10, { FUZZ_COUNT: '-1' }), /FUZZ_COUNT must be a positive whole number/);
  });

  it('puts prototype keys into the JSON as own keys', () => {
    const o: Record<string, unknown> = {};
    setOwn(o, '__proto__', { admin: true });
    assert.equal(JSON.stringify(o), '{"__proto__":{"admin":true}}');
    assert.equal(({} as { admin?: boolean }).admin, undefined);
  });

  it('flags 5xx, missing answers, slow answers, a missing invoke response and failed turns; accepts refusals', () => {
    const sent = { path: '/api/messages', activity: { type: 'message', deliveryMode: 'expectReplies' }, bodyBytes: 10 };
    assert.deepEqual(responseSignatures(sent, { status: 400, body: '', ms: 3 }, opts), []);
    assert.match(responseSignatures(sent, { status: 500, body: '{"error":"x"}', ms: 3 }, opts)[0]!, /HTTP 500/);
    assert.match(responseSignatures(sent, { status: 0, body: '', ms: 3, error: 'ECONNRESET' }, opts)[0]!, /no HTTP answer/);
    assert.match(responseSignatures(sent, { status: 200, body: '{"activities":[]}', ms: 9000 }, opts)[0]!, /slower than/);
    // A body over the limit may be cut off while it is still being sent: that is a refusal.
    assert.deepEqual(responseSignatures({ ...sent, bodyBytes: 5000 }, { status: 0, body: '', ms: 3, error: 'read ECONNRESET' }, opts), []);
    const invoke = { path: '/api/messages', activity: { type: 'invoke', name: 'adaptiveCard/action', deliveryMode: 'expectReplies', value: { action: { type: 'Action.Execute', verb: 'case.show' } } }, bodyBytes: 10 };
    assert.match(responseSignatures(invoke, { status: 200, body: '{"activities":[]}', ms: 3 }, opts)[0]!, /no invoke response .*handler failed/);
    assert.deepEqual(responseSignatures(invoke, { status: 200, body: '{"activities":[{"type":"invokeResponse","value":{"status":200}}]}', ms: 3 }, opts), []);
    assert.match(responseSignatures(invoke, { status: 501, body: '', ms: 3 }, opts)[0]!, /HTTP 501/);
    // The documented 501: an invoke the app does not offer, never a card button.
    const other = { path: '/api/messages', activity: { type: 'invoke', name: 'task/fetch', deliveryMode: 'expectReplies' }, bodyBytes: 10 };
    assert.deepEqual(responseSignatures(other, { status: 501, body: '', ms: 3 }, opts), []);
    assert.deepEqual(responseSignatures(other, { status: 200, body: '{"activities":[]}', ms: 3 }, opts), []);
    assert.match(responseSignatures(sent, { status: 200, body: '{"activities":[{"text":"Något gick fel hos mig och jag"}]}', ms: 3 }, opts)[0]!, /apologised/);
    assert.deepEqual(errorLogSignatures([{ level: 30, msg: 'fine' }]), []);
    assert.match(errorLogSignatures([{ level: 50, msg: 'turn failed', err: { type: 'TypeError', message: 'x.toLowerCase is not a function' } }])[0]!, /turn failed.*TypeError: x.toLowerCase/);
  });

  it('shrinks a failing activity to what makes it fail, keeping the id', async () => {
    const big = { id: 'fuzz-1', type: 'message', text: 'a'.repeat(50) + 'BUG' + 'b'.repeat(50), from: { id: 'x', name: 'y' }, list: [1, 2, 3, { deep: [4, 5] }] };
    const fails = async (v: unknown) => JSON.stringify(v ?? null).includes('BUG');
    const { value } = await shrinkJson(big, fails, 500, ['id']);
    assert.ok(await fails(value));
    assert.equal((value as { id: string }).id, 'fuzz-1');
    assert.ok(JSON.stringify(value).length < 40, JSON.stringify(value));
  });

  it('pins a crash to the request that caused it, restarts the bot and goes on', async function () {
    this.timeout(30_000);
    // A stand-in bot that dies on a body containing CRASH, as an uncaught exception would.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lex-sarah-fuzz-standin-'));
    const script = path.join(dir, 'bot.js');
    writeFileSync(
      script,
      `const http = require('node:http');
      const srv = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          if (body.includes('CRASH')) { process.stderr.write('TypeError: boom\\n    at handler\\n'); process.exit(1); }
          if (body.includes('FATAL')) { console.log(JSON.stringify({ level: 60, event: 'uncaught-exception', name: 'RangeError', stack: '    at deep (x.js:1:1)', msg: 'uncaught exception; exiting' })); process.exit(1); }
          res.setHeader('content-type', 'application/json');
          res.end('{"activities":[]}');
        });
      });
      srv.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ level: 30, event: 'started', port: srv.address().port })));`,
    );
    const start = (dataDir?: string) => startChildBot({}, { command: [process.execPath, script], ...(dataDir ? { dataDir } : {}) });
    const campaign = new Campaign(await start(), (dataDir) => start(dataDir), 'http://127.0.0.1:9/', 1000);
    try {
      const cases: Case[] = Array.from({ length: 40 }, (_, i) => {
        const activity = { type: 'message', id: `m-${i}`, text: i === 17 ? 'CRASH' : i === 30 ? 'FATAL' : 'hjälp' };
        return { part: 'test', kind: 'message', activity, request: jsonRequest(activity) };
      });
      await campaign.run(cases, () => []);
      const crashes = [...campaign.failures.values()].filter((f) => f.signature.startsWith('the process crashed'));
      assert.equal(crashes.length, 2, [...campaign.failures.keys()].join('\n'));
      const printed = crashes.find((c) => /TypeError: boom/.test(c.signature));
      const logged = crashes.find((c) => /uncaught exception; exiting RangeError at deep/.test(c.signature));
      assert.ok(printed && logged, crashes.map((c) => c.signature).join('\n'));
      for (const c of crashes) assert.doesNotMatch(c.signature, /not reproduced/);
      assert.equal((printed.example.activity as { text: string }).text, 'CRASH');
      assert.equal((logged.example.activity as { text: string }).text, 'FATAL');
      assert.equal(campaign.bot.exit(), undefined, 'the bot runs again after the crash');
      assert.ok(campaign.sent >= 40, `the run went on after the crash (${campaign.sent} sent)`);
    } finally {
      campaign.close();
      await campaign.bot.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

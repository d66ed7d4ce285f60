/**
 * A weekly fan-out drained from the outbox by real bot processes on one SQLite file, against a
 * local connector with Teams-like latency and 10 % 429 (Retry-After: 1): every chef gets the
 * card once, none is lost, no second sees more than 50 requests; and when one instance is killed
 * with -9 in the middle and another started, every row is still delivered, with duplicates only
 * for the sends that instance had in flight (the documented window: between Teams accepting a
 * card and the outcome being recorded).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { busiestWindow, startSlowConnector, type SlowConnector } from '../support/slow-connector';
import { TENANT, fanoutFigures, formatFanout, killAllBots, fanoutKey, killHard, leasedRows, outboxCounts, seedFanout, sentByPid, startBotProcess, waitFor } from './bot-processes.bench-harness';

const N = 600;

describe('fan-out from the outbox: real processes @process', function () {
  // The restart waits for the killed instance's leases to run out (60 s by default).
  this.timeout(150_000);
  let dir: string;
  let dbFile: string;
  let connector: SlowConnector;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-fanout-'));
    dbFile = path.join(dir, 'db.sqlite');
    connector = await startSlowConnector({ latencyMs: 50, throttleShare: 0.1, seed: 7 });
    await seedFanout(dbFile, connector.url, N);
  });

  afterEach(async () => {
    await killAllBots();
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const settled = () => {
    const c = outboxCounts(dbFile);
    return c.pending === 0;
  };

  it('two instances deliver every card once, lose none and never exceed 50 requests in a second', async () => {
    const bots = [startBotProcess(dbFile), startBotProcess(dbFile)];
    await Promise.all(bots.map((b) => b.port));
    await waitFor('the outbox to drain', settled, 60_000, 100);
    const f = fanoutFigures(connector, N);
    process.stdout.write(`      ${formatFanout('fan-out, 2 instances, 50 ms, 10 % 429', f)}\n`);
    assert.deepEqual(outboxCounts(dbFile), { pending: 0, sent: N, failed: 0, noReference: 0 });
    assert.equal(f.lost, 0, 'every row reached its chef');
    assert.equal(f.duplicates, 0, 'no chef got the card twice');
    assert.ok(f.maxPerSecond <= 50, `busiest 1-s window: ${f.maxPerSecond} requests`);
    assert.ok(f.throttled > 0, 'the connector did throttle (the retries were exercised)');
    const byPid = sentByPid(dbFile);
    for (const b of bots) assert.ok((byPid.get(b.pid) ?? 0) > N / 10, `instance ${b.pid} took part: ${JSON.stringify([...byPid])}`);
  });

  it('kill -9 of one instance in the middle, a new one started: every row delivered, duplicates only for its sends in flight', async () => {
    const a = startBotProcess(dbFile, { DELIVERY_LEASE_MS: '5000' });
    const b = startBotProcess(dbFile, { DELIVERY_LEASE_MS: '5000' });
    await Promise.all([a.port, b.port]);
    await waitFor('a third of the cards', () => connector.delivered.length >= N / 3, 60_000, 10);
    const killedAt = Date.now();
    await killHard(a);
    const inFlight = leasedRows(dbFile, a.pid);
    const inFlightAtKill = inFlight.length;
    const c = startBotProcess(dbFile, { DELIVERY_LEASE_MS: '5000' });
    await c.port;
    const startedAt = Date.now();
    await waitFor('the outbox to drain', settled, 120_000, 200);
    const f = fanoutFigures(connector, N);
    process.stdout.write(
      `      ${formatFanout('fan-out with kill -9 and restart, 50 ms, 10 % 429', f)}; sends in flight at the kill: ${inFlightAtKill}, extra copies: ${f.extraCopies}; ` +
        `busiest window starts ${busiestWindow(connector.arrivals.get(TENANT) ?? []).start - killedAt} ms after the kill (new instance listening after ${startedAt - killedAt} ms)\n`,
    );
    assert.deepEqual(outboxCounts(dbFile), { pending: 0, sent: N, failed: 0, noReference: 0 });
    assert.equal(f.lost, 0, 'every row reached its chef');
    assert.ok(f.extraCopies <= inFlightAtKill, `duplicates (${f.extraCopies}) only within the window: at most the ${inFlightAtKill} sends the killed instance had in flight`);
    const window = new Set(inFlight.map((r) => r.key));
    const outside = f.duplicatedRows.filter((i) => !window.has(fanoutKey(i)));
    assert.deepEqual(outside, [], 'every duplicate was a send the killed instance had in flight');
    assert.ok(f.maxPerSecond <= 50, `busiest 1-s window: ${f.maxPerSecond} requests`);
  });
});

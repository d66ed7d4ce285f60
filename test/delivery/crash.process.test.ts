/**
 * kill -9 of the bot during concurrent report submits, then a restart on the same database:
 * every acknowledged report (a receipt came back) reaches every recipient who can be reached,
 * none twice, and none is recorded as unreachable while its card arrived. Every report the
 * database committed (acknowledged or not) is routed too: its routing is an outbox row written in
 * the report's own transaction, so a crash between the commit and the sends loses nothing.
 *
 * The recipients of a bou-mottagning report in the demo organisation: Alex Wilber (enhetschef,
 * samordnare and the nämnd's chef) and Adele Vance (enhetschef) have opened the app; Lee Gu
 * (samordnare) never has, so he cannot be reached.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { startSlowConnector, type SlowConnector } from '../support/slow-connector';
import { killAllBots, killHard, leasedRows, pendingExcept, pendingSummary, startBotProcess, waitFor, type BotProcess, type LeasedRow } from './bot-processes.bench-harness';
import { ADELE, ALEX, conversationOf, issueFormId, MEGAN, openApp, submitReport } from './submits.bench-harness';

const SUBMITS = 100;
const KILL_AFTER = 40;
const CONCURRENCY = 20;
const REACHABLE = [ALEX, ADELE];

describe('crash during report submits @process', function () {
  // After kill -9 the dead instance's outbox leases run out (60 s by default) before a restart may send them.
  this.timeout(150_000);
  let dir: string;
  let dbFile: string;
  let connector: SlowConnector;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-crash-'));
    dbFile = path.join(dir, 'db.sqlite');
    connector = await startSlowConnector({ latencyMs: 100, throttleShare: 0.1, seed: 5 });
  });

  afterEach(async () => {
    await killAllBots();
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('after kill -9 and a restart, every acknowledged report is routed to every reachable recipient once, and the records match', async () => {
    const first = startBotProcess(dbFile, { DELIVERY_LEASE_MS: '5000' });
    const baseUrl = `http://127.0.0.1:${await first.port}`;
    await openApp(baseUrl, connector.url, [ALEX, MEGAN, ADELE]);
    const reporters = [MEGAN, ALEX];
    const forms: string[] = [];
    for (let i = 0; i < SUBMITS; i++) forms.push(await issueFormId(baseUrl, connector.url, reporters[i % 2]!));
    // The cards so far are none: "hjälp" and "rapportera" are answered in the request.
    const before = connector.delivered.length;

    const acknowledged: string[] = [];
    let killed: Promise<void> | undefined;
    let inFlight: LeasedRow[] = [];
    const kill = async (bot: BotProcess) => {
      await killHard(bot);
      inFlight = leasedRows(dbFile, bot.pid);
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < SUBMITS && !killed) {
          const i = next++;
          let ref: string | undefined;
          try {
            ref = await submitReport(baseUrl, connector.url, reporters[i % 2]!, forms[i]!);
          } catch {
            ref = undefined; // the connection died with the process
          }
          if (ref && !killed) {
            acknowledged.push(ref);
            if (acknowledged.length >= KILL_AFTER) killed = kill(first);
          }
        }
      }),
    );
    await killed;
    assert.ok(acknowledged.length >= KILL_AFTER, `only ${acknowledged.length} submits were acknowledged before the kill`);

    const second = startBotProcess(dbFile, { DELIVERY_LEASE_MS: '5000' });
    await second.port;
    // Everything is delivered once the dead instance's leases have run out. 100 reports from one
    // unit also set off a pattern alert, which in the evening waits for the next working morning.
    await waitFor('the outbox to drain after the restart', () => pendingExcept(dbFile, ['pattern-alert']) === 0, 100_000, 200, () => pendingSummary(dbFile));
    await new Promise((r) => setTimeout(r, 1500));
    second.child.kill('SIGTERM');
    await second.exited;

    const store = SqliteStore.open({ filename: dbFile });
    try {
      const committed = [...(await store.reports.listByReporter(MEGAN.aadObjectId, 1000)), ...(await store.reports.listByReporter(ALEX.aadObjectId, 1000))];
      const cardsFor = (ref: string, conversationId: string) =>
        connector.delivered.slice(before).filter((d) => d.conversationId === conversationId && d.text.includes('Ny lex Sarah-rapport') && new RegExp(`${ref}(?!\\d)`).test(d.text)).length;

      const missing: string[] = [];
      const twice: string[] = [];
      const twiceInWindow: string[] = [];
      const falselyUnreachable: string[] = [];
      const unroutedCommitted: string[] = [];
      for (const ref of acknowledged) {
        for (const who of REACHABLE) {
          const n = cardsFor(ref, conversationOf(who));
          if (n === 0) missing.push(`${ref}→${who.name}`);
          if (n > 1) {
            // The documented window: a card at Teams when the process died, its outcome never recorded.
            const inWindow = inFlight.some((r) => r.entityRef === ref && r.recipientEntraId === who.aadObjectId);
            (inWindow ? twiceInWindow : twice).push(`${ref}→${who.name} ×${n}`);
          }
        }
      }
      for (const r of committed) {
        const notes = await store.reports.listNotifications(r.id);
        for (const who of REACHABLE) {
          const n = cardsFor(r.reference, conversationOf(who));
          if (n === 0 && !acknowledged.includes(r.reference)) unroutedCommitted.push(`${r.reference}→${who.name}`);
          const note = notes.find((x) => x.recipientEntraId === who.aadObjectId);
          if (n > 0 && note && note.status !== 'sent') falselyUnreachable.push(`${r.reference}→${who.name}: recorded ${note.status} (${note.error ?? ''})`);
        }
        for (const row of await store.outbox.listByEntity(r.reference)) {
          const who = REACHABLE.find((p) => p.aadObjectId === row.recipientEntraId);
          if (who && cardsFor(r.reference, conversationOf(who)) > 0 && (row.state === 'failed' || row.state === 'no-reference')) {
            falselyUnreachable.push(`${r.reference}→${who.name}: outbox ${row.state} (${row.lastError ?? ''})`);
          }
        }
      }
      const routed = (await Promise.all(committed.map((r) => store.outbox.listByEntity(r.reference)))).filter((rows) => rows.length > 0).length;
      process.stdout.write(
        `      ${SUBMITS} submits, ${acknowledged.length} acknowledged before kill -9, ${committed.length} committed, ${routed} with outbox rows; ` +
          `sends in flight at the kill ${inFlight.length}; missing ${missing.length}, twice ${twice.length} (+ ${twiceInWindow.length} in flight at the kill: ${twiceInWindow.join(', ') || 'none'}), committed but never routed ${unroutedCommitted.length}, recorded unreachable while delivered ${falselyUnreachable.length}\n`,
      );
      const producersHint = routed === 0 ? ' — no report has outbox rows: the producers (routing enqueued in the report\'s create transaction, issue #12) have not landed' : '';
      assert.deepEqual(missing, [], `acknowledged reports not routed to a reachable recipient${producersHint}`);
      assert.deepEqual(twice, [], 'cards delivered twice that were not in flight at the kill');
      assert.deepEqual(falselyUnreachable, [], 'recorded as unreachable although the card arrived');
      assert.deepEqual(unroutedCommitted, [], `reports committed (not acknowledged before the kill) never routed after the restart${producersHint}`);
    } finally {
      await store.close();
    }
  });
});

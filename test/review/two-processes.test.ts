/**
 * Weekly review reminders from real, separate bot processes sharing one SQLite file, enqueued in
 * the outbox and delivered by each process's DeliveryWorker over HTTP to a local fake Bot
 * Connector: two processes running at the same moments enqueue and deliver every reminder once, and a process started after downtime sends the reminder it missed
 * (only the latest one reached), once — a further restart sends nothing again.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { loadOrganisationFile } from '../../src/org/load';
import type { ReviewReminderSent } from '../../src/review/reminders';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { startFakeConnector, type FakeConnector, type Posted } from '../support/fake-connector';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKER = path.join(ROOT, 'test', 'support', 'review-worker.ts');
const ORG = loadOrganisationFile(path.join(ROOT, 'env', 'organisation.demo.yaml'));
const TENANT = '00000000-0000-0000-0000-0000000000001';
const ALEX = '00000000-0000-0000-0000-0000000000020';
const ADELE = '00000000-0000-0000-0000-0000000000022';
const CONVERSATION: Record<string, string> = { [ALEX]: 'a:alex-personal', [ADELE]: 'a:adele-personal' };
const WHO: Record<string, string> = { 'a:alex-personal': 'alex', 'a:adele-personal': 'adele' };
const UNIT_NAMES = ORG.committees.flatMap((c) => c.units.map((u) => ({ id: u.id, name: u.name })));

/** The week after installation (W48, Monday 23 Nov 2026): due, second reminder, escalation. */
const EPOCH = '2026-11-19T10:00:00Z';
const WEEK = ['2026-11-23T08:00:00Z', '2026-11-25T08:00:00Z', '2026-11-27T08:00:00Z'];
const WORKER_TIMEOUT_MS = 15_000;

type SentLine = ReviewReminderSent & { at: string; pid: number };

interface Worker {
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  /** Resolves when the worker waits at the start barrier (only with `barrier`). */
  ready: Promise<void>;
  /** The reminders it printed; rejects on a non-zero exit or a timeout. */
  done: Promise<SentLine[]>;
}

const children = new Set<Worker['child']>();

function startWorker(file: string, instants: string[], barrier = false): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, file, ...instants], {
    cwd: ROOT,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      NO_PROXY: ['127.0.0.1', 'localhost', process.env.NO_PROXY].filter(Boolean).join(','),
      ...(barrier ? { REVIEW_WORKER_BARRIER: 'stdin' } : {}),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    if (/^ready$/m.test(stderr)) markReady();
  });
  const done = new Promise<SentLine[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`review worker ${child.pid} did not finish within ${WORKER_TIMEOUT_MS} ms; stderr:\n${stderr}`));
    }, WORKER_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      if (code !== 0) {
        reject(new Error(`review worker ${child.pid} exited with ${code ?? signal}; stderr:\n${stderr}`));
        return;
      }
      try {
        resolve(stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as SentLine));
      } catch (err) {
        reject(new Error(`review worker ${child.pid} printed something other than JSON lines: ${String(err)}\n${stdout}`));
      }
    });
  });
  // A worker that dies at start-up never gets ready: let `ready` settle so that nobody waits forever.
  done.then(markReady, markReady);
  return { child, ready, done };
}

/** "alex/review/bou-mottagning": whose conversation, which card, for which unit. */
function describePost(p: Posted): string {
  const card = JSON.stringify(p.activity.attachments?.map((a) => a.content) ?? []);
  const type = card.includes('KAN INTE NÅS') ? 'unreachable' : card.includes('ESKALERING') ? 'escalation' : 'review';
  const units = UNIT_NAMES.filter((u) => card.includes(u.name)).map((u) => u.id);
  assert.equal(units.length, 1, `one unit named in the card posted to ${p.conversationId}: ${units.join(', ')}`);
  return `${WHO[p.conversationId] ?? p.conversationId}/${type}/${units[0]}`;
}

const brief = (s: ReviewReminderSent) => `${s.unitId}/${s.weekKey}/${s.kind}/${s.recipient === ALEX ? 'alex' : s.recipient === ADELE ? 'adele' : s.recipient}/${s.status}`;

function counts(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...keys].sort()) out[k] = (out[k] ?? 0) + 1;
  return out;
}

describe('weekly review reminders: two processes, restarts', function () {
  this.timeout(45_000);
  let dir: string;
  let file: string;
  let connector: FakeConnector;

  beforeEach(async () => {
    connector = await startFakeConnector();
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-review-procs-'));
    file = path.join(dir, 'db.sqlite');
    const store = SqliteStore.open({ filename: file });
    try {
      await store.migrate();
      await store.organisation.sync(ORG, new Date());
      for (const [entraId, name] of [
        [ALEX, 'Alex Wilber'],
        [ADELE, 'Adele Vance'],
      ] as const) {
        await store.conversations.upsert(
          {
            tenantId: TENANT,
            aadObjectId: entraId,
            scope: 'personal',
            conversationId: CONVERSATION[entraId]!,
            serviceUrl: connector.url,
            channelId: 'msteams',
            botId: '28:lex-sarah-bot',
            userId: `29:${name.split(' ')[0]!.toLowerCase()}`,
            userName: name,
          },
          new Date(),
        );
      }
    } finally {
      await store.close();
    }
  });

  afterEach(async () => {
    for (const child of children) child.kill('SIGKILL');
    children.clear();
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('two processes running at the same moments deliver every reminder exactly once', async () => {
    // Installed on the Thursday before: sets the epoch, nothing is due yet.
    assert.deepEqual(await startWorker(file, [EPOCH]).done, []);
    assert.equal(connector.posted.length, 0);

    const workers = [startWorker(file, WEEK, true), startWorker(file, WEEK, true)];
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.child.stdin.end('go\n');
    const [a, b] = await Promise.all(workers.map((w) => w.done));
    const lines = [...a!, ...b!];

    // first and second to each (unit, enhetschef): Alex and Adele for mottagning, Adele for
    // familjehem; the escalation of both units to the nämnd's chef, Alex. 8 in all.
    assert.deepEqual(counts(lines.map(brief)), {
      'bou-familjehem/2026-W48/escalation/alex/enqueued': 1,
      'bou-familjehem/2026-W48/first/adele/enqueued': 1,
      'bou-familjehem/2026-W48/second/adele/enqueued': 1,
      'bou-mottagning/2026-W48/escalation/alex/enqueued': 1,
      'bou-mottagning/2026-W48/first/adele/enqueued': 1,
      'bou-mottagning/2026-W48/first/alex/enqueued': 1,
      'bou-mottagning/2026-W48/second/adele/enqueued': 1,
      'bou-mottagning/2026-W48/second/alex/enqueued': 1,
    });
    assert.equal(lines.length, 8);

    // What the Bot Connector received: the first and second reminders are the same review card,
    // so each review card arrives twice per (chef, unit) — once per kind — and each escalation once.
    assert.equal(connector.posted.length, 8, 'eight POSTs, none duplicated');
    assert.deepEqual(counts(connector.posted.map(describePost)), {
      'adele/review/bou-familjehem': 2,
      'adele/review/bou-mottagning': 2,
      'alex/escalation/bou-familjehem': 1,
      'alex/escalation/bou-mottagning': 1,
      'alex/review/bou-mottagning': 2,
    });
    assert.deepEqual(
      Object.fromEntries([...connector.requests].sort()),
      { 'a:adele-personal': 4, 'a:alex-personal': 4 },
      'no other requests (no retries, no refusals)',
    );
  });

  it('after downtime, start-up sends only the latest reminder reached, once; a further restart sends nothing', async () => {
    assert.deepEqual(await startWorker(file, [EPOCH]).done, []);

    // Down through Monday (first reminder 09:00) and Tuesday; started on Wednesday after the
    // second-reminder time: one card per (unit, chef), as the second reminder — not first + second.
    const restarted = await startWorker(file, ['2026-11-25T08:30:00Z']).done;
    assert.deepEqual(restarted.map(brief).sort(), [
      'bou-familjehem/2026-W48/second/adele/enqueued',
      'bou-mottagning/2026-W48/second/adele/enqueued',
      'bou-mottagning/2026-W48/second/alex/enqueued',
    ]);
    assert.equal(connector.posted.length, 3);
    assert.deepEqual(counts(connector.posted.map(describePost)), {
      'adele/review/bou-familjehem': 1,
      'adele/review/bou-mottagning': 1,
      'alex/review/bou-mottagning': 1,
    });

    // Restarted again at the same instant: everything was already sent.
    assert.deepEqual(await startWorker(file, ['2026-11-25T08:30:00Z']).done, []);
    assert.equal(connector.posted.length, 3, 'nothing sent twice');
    assert.equal([...connector.requests.values()].reduce((x, y) => x + y, 0), 3);
  });
});

/**
 * Shared by the delivery process tests and the benchmarks in bench/: real bot processes
 * (node --import tsx src/main.ts) on one SQLite file, a seeded fan-out of chefs whose personal
 * chats point at a local slow connector, and the figures that say whether delivery held.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import type { OutboxMessage } from '../../src/store/outbox';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { busiestWindow, type SlowConnector } from '../support/slow-connector';

export const ROOT = path.resolve(__dirname, '..', '..');
export const TENANT = '00000000-0000-0000-0000-0000000000001';
export const DEMO_ORG = path.join(ROOT, 'env', 'organisation.demo.yaml');

export interface BotProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  pid: number;
  /** The port it listens on, once it logged "started". */
  port: Promise<number>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout: string[];
  stderr: () => string;
}

const running = new Set<BotProcess>();

/**
 * Starts src/main.ts on a free port against `dbFile`; reminders off, so only the outbox sends.
 * `env.PROFILE_DIR` (a profiling aid, never set by a test) writes a V8 CPU profile there when
 * the process exits normally (SIGTERM, not kill -9).
 */
export function startBotProcess(dbFile: string, env: Record<string, string> = {}): BotProcess {
  const child = spawn(process.execPath, [...(env.PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${env.PROFILE_DIR}`] : []), '--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TEAMSFX_ENV: 'test-none',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: '0',
      SQLITE_PATH: dbFile,
      REMINDER_INTERVAL_MS: '0',
      ORG_FILE: DEMO_ORG,
      NO_PROXY: ['127.0.0.1', 'localhost', process.env.NO_PROXY].filter(Boolean).join(','),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  let stderr = '';
  let partial = '';
  let gotPort!: (p: number) => void;
  let noPort!: (e: Error) => void;
  const port = new Promise<number>((res, rej) => ((gotPort = res), (noPort = rej)));
  port.catch(() => undefined);
  child.stdout.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) {
      stdout.push(l);
      if (l.includes('"event":"started"')) gotPort((JSON.parse(l) as { port: number }).port);
    }
  });
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.on('exit', (code, signal) => {
      noPort(new Error(`bot ${child.pid} exited (${code ?? signal}) before it started; stderr:\n${stderr}`));
      res({ code, signal });
    }),
  );
  const bot: BotProcess = { child, pid: child.pid!, port, exited, stdout, stderr: () => stderr };
  running.add(bot);
  void exited.then(() => running.delete(bot));
  return bot;
}

/** kill -9 and wait for the exit. */
export async function killHard(bot: BotProcess): Promise<void> {
  bot.child.kill('SIGKILL');
  await bot.exited;
}

/** Every bot process still running, killed hard (for afterEach and a bench's finally). */
export async function killAllBots(): Promise<void> {
  await Promise.all([...running].map((b) => killHard(b)));
}

export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50, explain?: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${explain ? `: ${explain()}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const chefEntraId = (i: number) => `00000000-0000-0000-0001-${String(i).padStart(12, '0')}`;
export const chefConversation = (i: number) => `a:chef-${i}`;
export const fanoutKey = (i: number) => `bench-fanout/${i}`;
/** The card a fan-out row carries: small, and naming its row so the connector can tell rows apart. */
export const fanoutCard = (i: number) => JSON.stringify({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: `Veckogenomgång ${fanoutKey(i)}` }] });

/**
 * `n` enhetschefer, each with one active personal chat at the connector, and one bulk outbox row
 * each, enqueued directly through the store (as a weekly fan-out would be).
 */
export async function seedFanout(dbFile: string, connectorUrl: string, n: number): Promise<void> {
  const store = SqliteStore.open({ filename: dbFile });
  try {
    await store.migrate();
    const at = new Date();
    for (let i = 0; i < n; i++) {
      await store.conversations.upsert(
        {
          tenantId: TENANT,
          aadObjectId: chefEntraId(i),
          scope: 'personal',
          conversationId: chefConversation(i),
          serviceUrl: connectorUrl,
          channelId: 'msteams',
          botId: '28:lex-sarah-bot',
          userId: `29:chef-${i}`,
          userName: `Enhetschef ${i}`,
        },
        at,
      );
    }
    const messages: OutboxMessage[] = Array.from({ length: n }, (_, i) => ({
      key: fanoutKey(i),
      recipientEntraId: chefEntraId(i),
      recipientName: `Enhetschef ${i}`,
      purpose: 'review-first',
      entityRef: 'bench-fanout/2026-W49',
      cardJson: fanoutCard(i),
      priority: 'bulk',
      notBefore: at,
      createdAt: at,
    }));
    const inserted = await store.outbox.enqueue(messages);
    if (inserted.length !== n) throw new Error(`enqueued ${inserted.length} of ${n} fan-out rows`);
  } finally {
    await store.close();
  }
}

export interface OutboxCounts {
  pending: number;
  sent: number;
  failed: number;
  noReference: number;
}

/** Reads the database from outside the bots: read-only, alongside their writes, waiting out their locks. */
function readDatabase<T>(dbFile: string, read: (db: Database.Database) => T): T {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return read(db);
  } finally {
    db.close();
  }
}

/** How many reports are filed, and of how many the pattern rules have been evaluated (their `pattern-evaluated/…` leases done). */
export function patternEvaluations(dbFile: string): { reports: number; evaluated: number } {
  return readDatabase(dbFile, (db) => ({
    reports: (db.prepare('SELECT COUNT(*) AS n FROM reports').get() as { n: number }).n,
    evaluated: (db.prepare("SELECT COUNT(*) AS n FROM work_leases WHERE work_key LIKE 'pattern-evaluated/%' AND done_at IS NOT NULL").get() as { n: number }).n,
  }));
}

/** Counts the outbox's rows per state. */
export function outboxCounts(dbFile: string): OutboxCounts {
  return readDatabase(dbFile, (db) => {
    const rows = db.prepare('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state').all() as { state: string; n: number }[];
    const by = Object.fromEntries(rows.map((r) => [r.state, r.n]));
    return { pending: by.pending ?? 0, sent: by.sent ?? 0, failed: by.failed ?? 0, noReference: by['no-reference'] ?? 0 };
  });
}

/**
 * Pending rows, leaving out those of `heldPurposes`: a pattern alert that fires in the evening
 * waits, by design, for the next working morning. Every other pending row is owed, also one
 * waiting a second for its retry after a 429 (so "due now" would not do).
 */
export function pendingExcept(dbFile: string, heldPurposes: readonly string[]): number {
  return readDatabase(dbFile, (db) => {
    const row = db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending' AND purpose NOT IN (SELECT value FROM json_each(?))").get(JSON.stringify(heldPurposes)) as { n: number };
    return row.n;
  });
}

/** The pending rows, summarised for a timeout message: what is still waiting, and why. */
export function pendingSummary(dbFile: string, limit = 10): string {
  return readDatabase(dbFile, (db) => {
    const rows = db
      .prepare("SELECT purpose, entity_ref, recipient_name, attempts, next_attempt_at, lease_owner, lease_until, last_error FROM outbox WHERE state = 'pending' ORDER BY id LIMIT ?")
      .all(limit) as Record<string, unknown>[];
    return `now ${new Date().toISOString()}; ` + rows.map((r) => JSON.stringify(r)).join('; ');
  });
}

export interface LeasedRow {
  key: string;
  recipientEntraId: string;
  entityRef: string;
}

/**
 * Pending rows whose live lease belongs to process `pid` (owner ids are hostname-pid-random):
 * after a kill -9, the sends it had in flight, the only ones that may arrive twice.
 */
export function leasedRows(dbFile: string, pid: number, now = new Date()): LeasedRow[] {
  return readDatabase(dbFile, (db) => {
    const rows = db
      .prepare("SELECT message_key AS key, recipient_entra_id AS recipientEntraId, entity_ref AS entityRef, lease_owner AS owner, lease_until AS until FROM outbox WHERE state = 'pending' AND lease_owner IS NOT NULL")
      .all() as (LeasedRow & { owner: string; until: string })[];
    return rows
      .filter((r) => r.owner.includes(`-${pid}-`) && new Date(r.until).getTime() > now.getTime())
      .map(({ key, recipientEntraId, entityRef }) => ({ key, recipientEntraId, entityRef }));
  });
}

/** Sent rows per process id of the instance that recorded them (its lease stays on the finished row). */
export function sentByPid(dbFile: string): Map<number, number> {
  return readDatabase(dbFile, (db) => {
    const rows = db.prepare("SELECT lease_owner AS owner, COUNT(*) AS n FROM outbox WHERE state = 'sent' GROUP BY lease_owner").all() as { owner: string | null; n: number }[];
    const out = new Map<number, number>();
    for (const r of rows) {
      const pid = Number(/-(\d+)-[0-9a-f]+$/.exec(r.owner ?? '')?.[1] ?? 0);
      out.set(pid, (out.get(pid) ?? 0) + r.n);
    }
    return out;
  });
}

export interface FanoutFigures {
  rows: number;
  /** First request at the connector until the last card was accepted. */
  totalMs: number;
  floorMs: number;
  ratio: number;
  /** Conversations that received their card more than once. */
  duplicates: number;
  /** Extra copies in all (≥ duplicates). */
  extraCopies: number;
  /** The rows (by index) whose card arrived more than once. */
  duplicatedRows: number[];
  /** Where the busiest 1-s window began, from the first request. */
  busiestAtMs: number;
  /** Rows whose card never reached its conversation. */
  lost: number;
  maxPerSecond: number;
  requests: number;
  throttled: number;
}

export function fanoutFigures(connector: SlowConnector, n: number, ratePerSecond = 45): FanoutFigures {
  const cards = connector.delivered.filter((d) => d.text.includes('bench-fanout/'));
  const got = new Map<string, number>();
  for (const d of cards) got.set(d.conversationId, (got.get(d.conversationId) ?? 0) + 1);
  // A card counts for its row only in that row's conversation.
  const reached = new Set<number>();
  for (const d of cards) {
    const i = Number(/Veckogenomgång bench-fanout\/(\d+)"/.exec(d.text)?.[1] ?? -1);
    if (i >= 0 && d.conversationId === chefConversation(i)) reached.add(i);
  }
  let lost = 0;
  for (let i = 0; i < n; i++) if (!reached.has(i)) lost++;
  const arrivals = connector.arrivals.get(TENANT) ?? [];
  const first = Math.min(...arrivals);
  const last = Math.max(...cards.map((d) => d.at));
  const totalMs = cards.length ? last - first : 0;
  const floorMs = (n / ratePerSecond) * 1000;
  const dup = [...got.values()].filter((c) => c > 1);
  const duplicatedRows = [...got].filter(([, c]) => c > 1).map(([conv]) => Number(conv.slice('a:chef-'.length)));
  const busiest = busiestWindow(arrivals);
  return {
    rows: n,
    totalMs,
    floorMs,
    ratio: totalMs / floorMs,
    duplicates: dup.length,
    extraCopies: dup.reduce((s, c) => s + c - 1, 0),
    lost,
    duplicatedRows,
    maxPerSecond: busiest.count,
    busiestAtMs: busiest.start - first,
    requests: arrivals.length,
    throttled: connector.throttled,
  };
}

export function formatFanout(label: string, f: FanoutFigures): string {
  return (
    `${label}: ${f.rows} rows in ${(f.totalMs / 1000).toFixed(1)} s, floor ${(f.floorMs / 1000).toFixed(1)} s (${f.rows} / 45 per s), ` +
    `ratio ${f.ratio.toFixed(3)} (target ≤ 1.15), duplicates ${f.duplicates} (target 0), lost ${f.lost} (target 0), ` +
    `busiest 1-s window ${f.maxPerSecond} requests (target ≤ 50; at +${(f.busiestAtMs / 1000).toFixed(1)} s), ${f.requests} requests, ${f.throttled} answered 429`
  );
}

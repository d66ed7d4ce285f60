/**
 * Running fuzz cases against a child bot: a few requests in flight, failures folded by signature
 * with the smallest example, crashes pinned to their request (the bot is restarted on the same
 * database), and shrinking of the examples for the report.
 */
import http from 'node:http';
import type { ChildBot, LogLine } from './child-bot';
import { nextActivityId } from './generators';
import { errorLogSignatures, MAX_REQUEST_MS, normalise, responseSignatures, type Sent } from './judge';
import { sendRaw, type RawRequest, type RawResponse } from './raw-http';
import { clone, shrinkJson } from './shrink';

/** Requests in flight at once: the bot and the test share two cores. */
export const CONCURRENCY = 4;

export interface Case {
  part: string;
  kind: string;
  request: RawRequest;
  /** The JSON activity in the body, when there is one (for shrinking and log correlation). */
  activity?: unknown;
}

export interface Failure {
  signature: string;
  count: number;
  /** The smallest case seen with this signature. */
  example: Case;
  status: number;
  responseBody: string;
}

export const jsonRequest = (activity: unknown, headers: Record<string, string> = {}): RawRequest => ({
  path: '/api/messages',
  headers: { 'content-type': 'application/json', ...headers },
  body: Buffer.from(JSON.stringify(activity) ?? 'null'),
});

function describeCase(c: Case): string {
  const headers = Object.entries(c.request.headers)
    .map(([k, v]) => `-H '${k}: ${v}'`)
    .join(' ');
  const text = c.request.body.toString('utf8');
  const printable = Buffer.from(text, 'utf8').equals(c.request.body) && !/[\u0000-\u0008\u000e-\u001f]/.test(text);
  const shown = printable ? (text.length > 1500 ? `${text.slice(0, 1500)}… (${c.request.body.length} bytes)` : text) : `base64:${c.request.body.toString('base64').slice(0, 2000)}`;
  return `${c.part}/${c.kind}: POST ${c.request.path} ${headers}\n      body: ${shown}`;
}

/** The first line of what a dying process printed that names the error. */
export function crashLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim());
  const thrown = lines.findIndex((l) => /^throw |Unhandled 'error' event|triggerUncaughtException/.test(l));
  const after = thrown >= 0 ? lines.slice(thrown) : lines;
  return after.find((l) => /^[A-Z]\w*(Error|Exception)\b|^\[\w+Error|^Error\b/.test(l)) ?? after.find(Boolean) ?? '(nothing on stderr)';
}

/**
 * Runs cases with a few in flight, collecting failures by signature. A crash is recorded with the
 * request that caused it (found by replaying the ones in flight), and the bot is restarted on
 * the same database so the run goes on and finds what else there is.
 */
export class Campaign {
  readonly failures = new Map<string, Failure>();
  readonly statuses = new Map<number, number>();
  /** Bots that crashed (kept for their stderr). */
  readonly crashed: ChildBot[] = [];
  sent = 0;
  slowest = 0;
  slowestCase: Case | undefined;
  /** Activity id -> case, to link a failed turn's log line to its request. */
  private byActivityId = new Map<string, Case>();
  private agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

  constructor(
    public bot: ChildBot,
    private readonly restart: (dataDir: string) => Promise<ChildBot>,
    private readonly connectorUrl: string,
    private readonly maxBodyBytes: number,
  ) {}

  record(signature: string, c: Case, res: Pick<RawResponse, 'status' | 'body'>): void {
    const f = this.failures.get(signature);
    if (!f) this.failures.set(signature, { signature, count: 1, example: c, status: res.status, responseBody: res.body.slice(0, 500) });
    else {
      f.count++;
      if (c.request.body.length < f.example.request.body.length) Object.assign(f, { example: c, status: res.status, responseBody: res.body.slice(0, 500) });
    }
  }

  async send(c: Case, agent: http.Agent = this.agent): Promise<RawResponse> {
    const res = await sendRaw(this.bot.baseUrl, c.request, agent, MAX_REQUEST_MS * 3);
    this.sent++;
    if (res.ms > this.slowest) {
      this.slowest = res.ms;
      this.slowestCase = c;
    }
    this.statuses.set(res.status, (this.statuses.get(res.status) ?? 0) + 1);
    const id = (c.activity as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string') this.byActivityId.set(id, c);
    return res;
  }

  judge(c: Case, res: RawResponse, maxMs = MAX_REQUEST_MS): string[] {
    return responseSignatures({ path: c.request.path, activity: c.activity, bodyBytes: c.request.body.length } satisfies Sent, res, { maxBodyBytes: this.maxBodyBytes, connectorUrl: this.connectorUrl, maxMs });
  }

  private async waitForExit(bot: ChildBot, ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    while (!bot.exit() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return !!bot.exit();
  }

  /** After a crash: restart, then replay the suspects one by one to find the one that kills it. */
  private async handleCrash(suspects: Case[]): Promise<void> {
    const dead = this.bot;
    this.crashed.push(dead);
    this.collectTurnFailures();
    // The entry point may log a fatal line (structured) instead of printing the stack on stderr.
    const fatal = [...dead.logs].reverse().find((l) => l.level >= 60);
    const why = fatal ? `${fatal.msg ?? ''} ${typeof fatal.name === 'string' ? fatal.name : ''} ${typeof fatal.stack === 'string' ? fatal.stack.split('\n')[0]!.trim() : ''}` : crashLine(dead.stderr());
    const signature = `the process crashed (${JSON.stringify(dead.exit())}): ${normalise(why)}`;
    this.bot = await this.restart(dead.dataDir);
    const replay = new http.Agent({ keepAlive: false });
    let culprit: Case | undefined;
    for (const c of suspects) {
      await this.send(c, replay);
      if (await this.waitForExit(this.bot, 500)) {
        culprit = c;
        this.crashed.push(this.bot);
        this.bot = await this.restart(dead.dataDir);
        break;
      }
    }
    replay.destroy();
    const shown = culprit ?? suspects[0] ?? { part: 'unknown', kind: 'unknown', request: jsonRequest({}) };
    this.record(culprit ? signature : `${signature} (not reproduced by replaying the ${suspects.length} request(s) in flight; the first is shown)`, shown, { status: 0, body: '' });
  }

  async run(cases: Iterable<Case>, check: (c: Case, res: RawResponse) => string[] = (c, r) => this.judge(c, r)): Promise<void> {
    const it = cases[Symbol.iterator]();
    for (;;) {
      const inFlight = new Set<Case>();
      let crashedWith: Case[] | undefined;
      const worker = async () => {
        for (let n = it.next(); !n.done && !crashedWith; n = it.next()) {
          const c = n.value;
          inFlight.add(c);
          const res = await this.send(c);
          if (res.status === 0 && (await this.waitForExit(this.bot, 300))) {
            crashedWith ??= [...inFlight];
            return;
          }
          inFlight.delete(c);
          for (const s of check(c, res)) this.record(s, c, res);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      if (!crashedWith && this.bot.exit()) crashedWith = [...inFlight];
      if (!crashedWith) return;
      this.agent.destroy();
      this.agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
      await this.handleCrash(crashedWith.length ? crashedWith : []);
    }
  }

  private logsSeen = new WeakMap<ChildBot, number>();

  /** Failed turns in the log, linked to their request by activity id (each line once). */
  collectTurnFailures(): void {
    const lines = this.bot.logs.slice(this.logsSeen.get(this.bot) ?? 0);
    this.logsSeen.set(this.bot, this.bot.logs.length);
    for (const line of lines) {
      if (line.level < 50 || typeof line.activityId !== 'string') continue;
      const c = this.byActivityId.get(line.activityId);
      if (c) for (const s of errorLogSignatures([line])) this.record(s, c, { status: 200, body: '' });
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Sends one case on its own and returns every signature it causes, log lines and stderr included. */
export async function probe(bot: ChildBot, agent: http.Agent, c: Case, judge: (c: Case, r: RawResponse) => string[]): Promise<string[]> {
  const logsBefore = bot.logs.length;
  const stderrBefore = bot.stderr().length;
  const res = await sendRaw(bot.baseUrl, c.request, agent, MAX_REQUEST_MS * 3);
  // Log lines are written before the answer but may arrive a moment after it.
  await new Promise((r) => setTimeout(r, 15));
  const lines: LogLine[] = bot.logs.slice(logsBefore);
  const err = bot.stderr().slice(stderrBefore);
  return [...judge(c, res), ...errorLogSignatures(lines), ...(err.trim() ? [`stderr: ${err.trim().split('\n')[0]!.slice(0, 120)}`] : [])];
}

/** Shrinks each failure's example to a minimal request that still shows the same signature. */
export async function shrinkFailures(bot: ChildBot, failures: Map<string, Failure>, judge: (c: Case, r: RawResponse) => string[], deadline: number, budgetPerFailure = 120): Promise<void> {
  const agent = new http.Agent({ keepAlive: false });
  try {
    for (const f of failures.values()) {
      if (Date.now() > deadline || bot.exit()) break;
      const start = f.example;
      if (start.activity === undefined || start.part === 'raw' || start.request.body.length < 200) continue;
      const rebuild = (activity: unknown): Case => {
        const withId = activity && typeof activity === 'object' && !Array.isArray(activity) ? { ...(activity as object), id: nextActivityId() } : activity;
        const body = Buffer.from(JSON.stringify(withId) ?? 'null');
        return { ...start, activity: withId, request: { ...start.request, body } };
      };
      const { value } = await shrinkJson(
        start.activity,
        async (candidate) => {
          if (Date.now() > deadline || bot.exit()) return false;
          return (await probe(bot, agent, rebuild(candidate), judge)).includes(f.signature);
        },
        budgetPerFailure,
        ['id'],
      );
      const shrunk = rebuild(clone(value));
      if (shrunk.request.body.length <= start.request.body.length) f.example = shrunk;
    }
  } finally {
    agent.destroy();
  }
}

export function report(title: string, failures: Map<string, Failure>, run: { seed: number; total: number }): string {
  const lines = [`${title}: ${failures.size} distinct problem(s) (seed ${run.seed}; rerun with FUZZ_SEED=${run.seed} FUZZ_COUNT=${run.total})`];
  for (const f of [...failures.values()].sort((a, b) => b.count - a.count)) {
    lines.push(`  × ${f.count}  ${f.signature}`);
    lines.push(`      ${describeCase(f.example)}`);
    if (f.status) lines.push(`      answer: HTTP ${f.status} ${f.responseBody.slice(0, 300)}`);
  }
  return lines.join('\n');
}

export function* times<T>(n: number, make: (i: number) => T): Generator<T> {
  for (let i = 0; i < n; i++) yield make(i);
}

/** Problems in what a process printed: stderr, non-JSON stdout, unhandled rejections. */
export function outputProblems(bots: readonly ChildBot[]): string[] {
  const problems: string[] = [];
  const firsts = new Map<string, number>();
  let chars = 0;
  for (const b of bots) {
    const stderr = b.stderr();
    chars += stderr.trim().length;
    // One line per distinct first line of what was printed (console.error prints whole objects).
    for (const block of stderr.split(/\n(?=\S)/)) {
      const head = block.split('\n')[0]!.replace(/^\(node:\d+\)/, '(node)').slice(0, 160);
      if (head.trim()) firsts.set(head, (firsts.get(head) ?? 0) + 1);
    }
  }
  if (chars) problems.push(`stderr got ${chars} characters of unstructured output; distinct first lines:\n${[...firsts].map(([h, n]) => `    × ${n}  ${h}`).join('\n')}`);
  const unstructured = bots.flatMap((b) => b.unstructured);
  if (unstructured.length) problems.push(`stdout got ${unstructured.length} lines that are not JSON log lines, e.g.:\n${unstructured.slice(0, 5).map((l) => `    ${l.slice(0, 200)}`).join('\n')}`);
  const rejections = bots.flatMap((b) => b.logs).filter((l) => /unhandled.?rejection|uncaught.?exception/i.test(`${l.event ?? ''} ${l.msg ?? ''}`));
  if (rejections.length) {
    const kinds = new Map<string, number>();
    for (const l of rejections) {
      const k = `${l.event ?? l.msg}: ${typeof l.name === 'string' ? l.name : ''} ${typeof l.stack === 'string' ? l.stack.split('\n')[0]!.trim() : ''}`;
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    }
    problems.push(`the log reports ${rejections.length} unhandled rejection(s)/uncaught exception(s):\n${[...kinds].map(([k, n]) => `    × ${n}  ${k}`).join('\n')}`);
  }
  // Error lines no request can be linked to (a failed turn names its activity and is reported with it).
  const unlinked = bots
    .flatMap((b) => b.logs)
    .filter((l) => l.level >= 50 && typeof l.activityId !== 'string' && !/unhandled.?rejection|uncaught.?exception/i.test(`${l.event ?? ''}`))
    // Echoes of what the request checks already report: a failed turn (an activity whose id was
    // not a string cannot be linked), the apology that followed it, and the edge's line per 5xx.
    .filter((l) => !['turn failed', 'could not tell the user about a failed turn'].includes(l.msg ?? '') && l.event !== 'request-failed')
    .filter((l) => !/ECONNREFUSED/.test(l.err?.message ?? ''));
  if (unlinked.length) {
    const kinds = new Map<string, number>();
    for (const s of errorLogSignatures(unlinked)) kinds.set(s, (kinds.get(s) ?? 0) + 1);
    problems.push(`the log has ${unlinked.length} error line(s) not linked to a request:\n${[...kinds].map(([k, n]) => `    × ${n}  ${k}`).join('\n')}`);
  }
  if (bots.some((b) => /unhandledRejection|uncaughtException|UnhandledPromiseRejection/i.test(b.stderr()))) problems.push('stderr reports an unhandled rejection or uncaught exception');
  return problems;
}

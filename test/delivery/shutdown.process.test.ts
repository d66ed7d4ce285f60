/**
 * SIGTERM on the real process while turns are queued and in flight: nobody's connection is reset,
 * every request is either finished (200) or refused with 503 and Retry-After, and the exit code
 * says whether a turn had to be cut at SHUTDOWN_TIMEOUT_MS.
 *
 * Turns are made slow by the bot's reply: with normal delivery it goes to the activity's
 * serviceUrl, here a fake connector that waits before answering.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { activity } from '../support/app-fixture';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';

const ROOT = path.resolve(__dirname, '../..');

interface Child {
  port: number;
  proc: ChildProcessByStdio<null, Readable, Readable>;
  stdout: () => string;
  exited: Promise<number | null>;
}

async function startMain(env: Record<string, string>): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TEAMSFX_ENV: 'test-none', LOG_LEVEL: 'info', PORT: '0', REMINDER_INTERVAL_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`never started; stderr: ${stderr}`)), 20_000);
    proc.stdout.on('data', (d) => {
      stdout += d;
      const m = /"event":"started"[^\n]*"port":(\d+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void exited.then((code) => reject(new Error(`exited ${code} before starting; stderr: ${stderr}`)));
  });
  return { port, proc, stdout: () => stdout, exited };
}

interface Outcome {
  status?: number;
  retryAfter?: string;
  error?: string;
}

function turnBody(connectorUrl: string, i: number): string {
  const a = activity({ text: 'rapportera', serviceUrl: connectorUrl, id: `turn-${i}` });
  delete a.deliveryMode; // normal delivery: the reply goes to the (slow) connector inside the turn
  return JSON.stringify(a);
}

/** One POST on a keep-alive agent; a reset or hang-up is an outcome, not a test error. */
function postTurn(port: number, agent: http.Agent, connectorUrl: string, i: number): Promise<Outcome> {
  const body = turnBody(connectorUrl, i);
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/api/messages', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, ...(res.headers['retry-after'] ? { retryAfter: String(res.headers['retry-after']) } : {}) }));
        res.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: `${err.code ?? ''} ${err.message}` }));
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const totalRequests = (c: FakeConnector) => [...c.requests.values()].reduce((a, b) => a + b, 0);

function tally(outcomes: Outcome[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of outcomes) {
    const k = o.error ? `error ${o.error}` : o.status === 503 ? `503 retry-after ${o.retryAfter ?? 'missing'}` : String(o.status);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

function shutdownLine(stdout: string): Record<string, unknown> {
  const line = stdout.split('\n').find((l) => l.includes('"event":"shutdown-complete"'));
  assert.ok(line, `no shutdown-complete line in:\n${stdout.slice(-3000)}`);
  return JSON.parse(line) as Record<string, unknown>;
}

/**
 * The same POST written by hand on a connection opened (and accepted by the server) earlier:
 * Node's client cannot be handed a socket that is already connected.
 */
function postTurnOn(socket: net.Socket, connectorUrl: string, i: number): Promise<Outcome> {
  const body = turnBody(connectorUrl, i);
  return new Promise((resolve) => {
    let received = '';
    let answered = false;
    const finish = (o: Outcome) => {
      if (answered) return;
      answered = true;
      socket.destroy();
      resolve(o);
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const head = received.indexOf('\r\n\r\n');
      if (head < 0) return;
      const lines = received.slice(0, head).split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? '')?.[1]);
      const header = (name: string) => lines.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
      if (received.length - head - 4 >= Number(header('content-length') ?? 0)) finish({ status, ...(header('retry-after') ? { retryAfter: header('retry-after') } : {}) });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish({ error: `${err.code ?? ''} ${err.message}` }));
    socket.on('close', () => finish({ error: 'closed without an answer' }));
    socket.write(`POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
}

const connect = (port: number) =>
  new Promise<net.Socket>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });

/**
 * 200 turns at once; SIGTERM once some of them are inside their slow reply (others still queued
 * or unparsed). Then, well before the turns can finish: 40 requests on connections the server
 * accepted before the signal (queued, not yet parsed) and 60 on new connections, over 600 ms.
 */
async function sigtermUnderLoad(port: number, child: Child, connector: FakeConnector) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const opened = await Promise.all(Array.from({ length: 40 }, () => connect(port)));
  const first = Array.from({ length: 200 }, (_, i) => postTurn(port, agent, connector.url, i));
  while (totalRequests(connector) < 20) await sleep(5);
  child.proc.kill('SIGTERM');
  const later: Promise<Outcome>[] = [];
  for (let i = 0; i < 60; i++) {
    const socket = opened[i];
    if (socket) later.push(postTurnOn(socket, connector.url, 2000 + i));
    later.push(postTurn(port, agent, connector.url, 1000 + i));
    await sleep(10);
  }
  const outcomes = await Promise.all([...first, ...later]);
  const code = await child.exited;
  agent.destroy();
  return { outcomes, code, first: outcomes.slice(0, 200), later: outcomes.slice(200) };
}

describe('SIGTERM with turns queued and in flight (real process)', function () {
  this.timeout(60_000);
  let dir: string;
  let connector: FakeConnector | undefined;
  let child: Child | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-shutdown-'));
  });
  afterEach(async () => {
    child?.proc.kill('SIGKILL');
    child = undefined;
    await connector?.close();
    connector = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('resets nobody: turns in flight finish, the rest get 503 with Retry-After, and it exits 0', async () => {
    connector = await startFakeConnector({ latencyMs: 2000 });
    child = await startMain({ SQLITE_PATH: path.join(dir, 'a.db'), SHUTDOWN_TIMEOUT_MS: '15000' });
    const { outcomes, code, first, later } = await sigtermUnderLoad(child.port, child, connector);
    const t = tally(outcomes);

    assert.deepEqual(
      outcomes.filter((o) => o.error || !(o.status === 200 || (o.status === 503 && o.retryAfter))),
      [],
      `every request is answered 200 or 503 with Retry-After: ${JSON.stringify(t)}`,
    );
    // Every turn that reached its (slow) reply before the signal finished.
    assert.ok(first.filter((o) => o.status === 200).length >= 20, JSON.stringify(t));
    // Those sent after the signal were not started: refused, not reset.
    assert.ok(later.filter((o) => o.status === 503).length >= 90, JSON.stringify(t));
    assert.equal(code, 0, child.stdout().slice(-3000));
    const line = shutdownLine(child.stdout());
    assert.equal(line.cutTurns, 0);
    assert.equal(line.exitCode, 0);
    assert.equal(line.finishedTurns as number >= 20, true);
  });

  it('exits non-zero when SHUTDOWN_TIMEOUT_MS is shorter than the turns, and still resets nobody', async () => {
    connector = await startFakeConnector({ latencyMs: 6000 });
    child = await startMain({ SQLITE_PATH: path.join(dir, 'b.db'), SHUTDOWN_TIMEOUT_MS: '3000' });
    const { outcomes, code } = await sigtermUnderLoad(child.port, child, connector);
    const t = tally(outcomes);

    assert.deepEqual(
      outcomes.filter((o) => o.error || !(o.status === 200 || (o.status === 503 && o.retryAfter))),
      [],
      `cut turns are answered 503 too: ${JSON.stringify(t)}`,
    );
    assert.notEqual(code, 0, child.stdout().slice(-3000));
    const line = shutdownLine(child.stdout());
    assert.ok((line.cutTurns as number) >= 20, JSON.stringify(line));
    assert.equal(line.exitCode, code);
  });
});

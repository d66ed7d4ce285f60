/**
 * The HTTP edge against hostile and careless input: what it accepts, what it refuses with which
 * status, and that nothing a client sends can stop the process, fill its memory or its disk.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync, createGzip } from 'node:zlib';
import iconv from 'iconv-lite';
import { startApp } from '../../src/app';
import { runBotRequest, Unauthenticated, type ActivityProcessor } from '../../src/http/bot-request';
import { createHttpServer, type HttpDeps } from '../../src/http/server';
import { parseConfig } from '../../src/config/config';
import { createLogger } from '../../src/log/logger';
import { activity, ALEX, startTestApp, TENANT, type TestApp } from '../support/app-fixture';

const ROOT = path.resolve(__dirname, '..', '..');
const KEY = 'k'.repeat(40);
const APP_ID = '11111111-2222-3333-4444-555555555555';
const SAMPLE = readFileSync(path.join(ROOT, 'test', 'fixtures', 'casework-sample.csv'), 'utf8');

/** `size` zero bytes, gzipped without ever holding them in memory. */
async function gzippedZeros(size: number): Promise<Uint8Array<ArrayBuffer>> {
  const gz = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((r) => gz.on('end', r));
  const chunk = Buffer.alloc(1024 * 1024);
  for (let sent = 0; sent < size; sent += chunk.length) {
    if (!gz.write(chunk)) await new Promise((r) => gz.once('drain', r));
  }
  gz.end();
  await done;
  return new Uint8Array(Buffer.concat(out));
}

interface Child {
  proc: ChildProcess;
  baseUrl: string;
  tmp: string;
  stdout: () => string;
  stderr: () => string;
  alive: () => boolean;
}

/** The real process (src/main.ts) with its own temp folder, so its uploads can be counted. */
async function startChild(env: Record<string, string>): Promise<Child> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-edge-'));
  const tmp = path.join(dir, 'tmp');
  mkdirSync(tmp);
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TMPDIR: tmp,
      TEAMSFX_ENV: 'test-none',
      LOG_LEVEL: 'info',
      PORT: '0',
      SQLITE_PATH: path.join(dir, 'db.sqlite'),
      REMINDER_INTERVAL_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start: ${err}`)), 30_000);
    proc.stdout!.on('data', () => {
      const m = /"event":"started"[^\n]*"port":(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.on('exit', (code) => reject(new Error(`exited with ${code} before starting: ${err}`)));
  });
  return {
    proc,
    baseUrl: `http://127.0.0.1:${port}`,
    tmp,
    stdout: () => out,
    stderr: () => err,
    alive: () => proc.exitCode === null && proc.signalCode === null,
  };
}

/** stderr as it is: Node's own warnings are structured log lines on stdout (src/log/process-events.ts). */
const unstructured = (stderr: string) => stderr.trim();

describe('HTTP edge: the process survives hostile bodies', function () {
  this.timeout(60_000);
  let c: Child;
  const all: Child[] = [];
  const stop = async (child: Child) => {
    if (child.alive()) {
      const exited = new Promise((r) => child.proc.once('exit', r));
      child.proc.kill('SIGTERM');
      await exited;
    }
    rmSync(path.dirname(child.tmp), { recursive: true, force: true });
  };
  // A fresh process when a test killed the previous one, so each test shows its own failure.
  beforeEach(async () => {
    if (c?.alive()) return;
    c = await startChild({ SECRET_IMPORT_API_KEY: KEY, IMPORT_MAX_BYTES: String(1024 * 1024) });
    all.push(c);
  });
  after(async () => {
    for (const child of all) await stop(child);
  });
  const healthy = async () => {
    assert.ok(c.alive(), `the process exited: ${c.stderr()}`);
    assert.equal((await fetch(`${c.baseUrl}/healthz`)).status, 200);
  };

  it('a body labelled gzip that is not gzip: 415 on /api/messages, 400 on the import, the process lives', async () => {
    const res = await fetch(`${c.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: 'hello',
    }).catch((e: Error) => e);
    assert.ok(!(res instanceof Error), `request failed: ${String(res)}`);
    assert.equal(res.status, 415);
    assert.deepEqual(await res.json(), { error: 'unsupported content encoding' });
    await healthy();

    const imp = await fetch(`${c.baseUrl}/api/casework/import?source=procapita`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'content-encoding': 'gzip', authorization: `Bearer ${KEY}` },
      body: 'hello',
    }).catch((e: Error) => e);
    assert.ok(!(imp instanceof Error), `request failed: ${String(imp)}`);
    assert.equal(imp.status, 400);
    await healthy();
  });

  it('a gzip bomb on the import (617 KB inflating to 600 MB) gets 413 and the process lives', async () => {
    const bomb = await gzippedZeros(600 * 1024 * 1024);
    assert.ok(bomb.length < 1024 * 1024, 'the compressed body is under IMPORT_MAX_BYTES');
    const res = await fetch(`${c.baseUrl}/api/casework/import?source=procapita`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'content-encoding': 'gzip', authorization: `Bearer ${KEY}` },
      body: bomb,
    }).catch((e: Error) => e);
    assert.ok(!(res instanceof Error), `request failed: ${String(res)}`);
    assert.equal(res.status, 413);
    await healthy();
  });

  it('an unauthenticated multipart upload is refused and leaves no file in the temp folder', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(64 * 1024, 0x41)]), 'upload.bin');
    const res = await fetch(`${c.baseUrl}/api/messages`, { method: 'POST', body: form });
    const imp = await fetch(`${c.baseUrl}/api/casework/import?source=procapita`, { method: 'POST', body: form });
    await new Promise((r) => setTimeout(r, 200));
    // tsx keeps its compile cache there; anything else is an upload.
    assert.deepEqual(readdirSync(c.tmp).filter((f) => !f.startsWith('tsx-')), [], 'no upload left in the temp folder');
    assert.equal(res.status, 415);
    assert.equal(imp.status, 401);
    await healthy();
  });

  it('clients that hang up half-way through a body do not stop the process', async () => {
    const { connect } = await import('node:net');
    const port = Number(new URL(c.baseUrl).port);
    const requests = [
      'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"type":"mess',
      'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\nabc',
      'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"typ\r\nZZ',
      `POST /api/casework/import?source=x HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nAuthorization: Bearer ${KEY}\r\nContent-Length: 100000\r\n\r\na;b`,
      'POST /api/casework/import?source=x HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\na;b',
    ];
    for (const raw of requests) {
      await new Promise<void>((resolve) => {
        const sock = connect(port, '127.0.0.1', () => {
          sock.write(raw);
          setTimeout(() => {
            sock.resetAndDestroy();
            resolve();
          }, 100);
        });
        sock.on('error', () => resolve());
      });
    }
    await new Promise((r) => setTimeout(r, 200));
    await healthy();
  });

  it('wrote nothing unstructured to stderr', () => {
    assert.equal(all.map((child) => unstructured(child.stderr())).join(''), '');
  });
});

describe('HTTP edge: /api/messages', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.stop());
  const send = (body: BodyInit, headers: Record<string, string>) =>
    fetch(`${t.baseUrl}/api/messages`, { method: 'POST', headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
  const hjalp = JSON.stringify(activity({ text: 'hjälp' }));

  for (const ct of ['application/json', 'application/json; charset=utf-8', 'Application/JSON; Charset="UTF-8"']) {
    it(`accepts ${ct}`, async () => {
      assert.equal((await send(hjalp, { 'content-type': ct })).status, 200);
    });
  }
  for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=iso-8859-1', 'application/jsonx']) {
    it(`refuses ${ct} with 415`, async () => {
      const res = await send(hjalp, { 'content-type': ct });
      assert.equal(res.status, 415);
      assert.deepEqual(await res.json(), { error: 'unsupported content type' });
    });
  }
  it('refuses a body without a content type with 415', async () => {
    const res = await send(new Blob([hjalp]), {});
    assert.equal(res.status, 415);
  });

  for (const enc of ['gzip', 'deflate', 'br', 'x-custom']) {
    it(`refuses content-encoding ${enc} with 415, before reading (also a valid ${enc === 'gzip' ? 'gzip bomb' : 'body'})`, async () => {
      const body = enc === 'gzip' ? await gzippedZeros(50 * 1024 * 1024) : hjalp;
      const res = await send(body, { 'content-type': 'application/json', 'content-encoding': enc });
      assert.equal(res.status, 415);
      assert.deepEqual(await res.json(), { error: 'unsupported content encoding' });
    });
  }
  it('accepts content-encoding identity', async () => {
    assert.equal((await send(hjalp, { 'content-type': 'application/json', 'content-encoding': 'identity' })).status, 200);
  });

  it('refuses a chunked body past MAX_BODY_BYTES with 413, without reading it all', async () => {
    let pulled = 0;
    const stream = new ReadableStream({
      pull(ctrl) {
        pulled += 64 * 1024;
        if (pulled > 50 * 1024 * 1024) return ctrl.close();
        ctrl.enqueue(new Uint8Array(64 * 1024).fill(0x20));
      },
    });
    const res = await send(stream, { 'content-type': 'application/json' }).catch((e: Error) => e);
    assert.ok(!(res instanceof Error), `request failed: ${String(res)}`);
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), { error: 'body too large' });
    assert.ok(pulled < 50 * 1024 * 1024, 'the server stopped reading');
    assert.equal((await fetch(`${t.baseUrl}/healthz`)).status, 200);
  });

  const bad: [string, BodyInit][] = [
    ['invalid JSON', '{"type": '],
    ['an empty body', ''],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['an activity without a type', '{"text":"hej"}'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0x74, 0xff, 0x22, 0x7d])],
  ];
  for (const [name, body] of bad) {
    it(`answers 400 to ${name}`, async () => {
      const res = await send(body, { 'content-type': 'application/json' });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { error: string }).error, 'bad request');
    });
  }

  it('keeps 404 for unknown routes and 405 for other methods', async () => {
    assert.equal((await fetch(`${t.baseUrl}/api/nothing`, { method: 'POST', body: 'x' })).status, 404);
    assert.equal((await fetch(`${t.baseUrl}/api/messages`)).status, 405);
  });
});

describe('HTTP edge: forged Bot Framework tokens', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ BOT_ID: APP_ID, SECRET_BOT_PASSWORD: 'not-used' });
  });
  after(() => t.stop());

  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: 'http://127.0.0.1:9/', nbf: now - 600, exp: now + 3600 };
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signed = (payload: object) => {
    const head = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'forged-key' })}.${b64(payload)}`;
    return `${head}.${createSign('RSA-SHA256').update(head).sign(privateKey).toString('base64url')}`;
  };
  const tokens: [string, string | undefined][] = [
    ['no token', undefined],
    ['a token that is not a JWT', 'Bearer not-a-jwt'],
    ['garbage in three parts', 'Bearer aaaa.bbbb.cccc'],
    ['an unsigned alg=none token', `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`],
    ['an expired token signed by a random key', `Bearer ${signed({ ...claims, nbf: now - 7200, exp: now - 3600 })}`],
    ['a current token signed by a random key', `Bearer ${signed(claims)}`],
    ['a token claiming an Entra issuer', `Bearer ${signed({ ...claims, iss: `https://sts.windows.net/${TENANT}/` })}`],
    ['a non-Bearer scheme', 'Basic dXNlcjpwYXNz'],
  ];
  for (const [name, auth] of tokens) {
    it(`${name}: 401 {"error":"unauthorized"}, one structured warning, nothing on stderr, nothing stored`, async () => {
      const written: string[] = [];
      const orig = process.stderr.write.bind(process.stderr);
      const origConsole = console.error;
      process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
        written.push(String(chunk));
        return (orig as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof process.stderr.write;
      console.error = (...args: unknown[]) => written.push(args.map(String).join(' '));
      const before = t.logs.length;
      const started = Date.now();
      let res: Response;
      try {
        res = await fetch(`${t.baseUrl}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
          body: JSON.stringify(activity({ text: 'hjälp', serviceUrl: 'https://smba.trafficmanager.net/emea/' })),
        });
      } finally {
        process.stderr.write = orig;
        console.error = origConsole;
      }
      assert.ok(Date.now() - started < 15_000, 'fails fast, without waiting for the internet');
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), { error: 'unauthorized' });
      assert.deepEqual(written, [], 'nothing written to stderr');
      const lines = t.logs.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>);
      const warnings = lines.filter((l) => l.event === 'unauthorized');
      assert.equal(warnings.length, 1, JSON.stringify(lines));
      assert.equal(warnings[0]!.level, 40, 'pino\'s warn level');
      assert.ok(!lines.some((l) => l.level === 'error'), 'no error lines');
      assert.equal(await t.app.store.conversations.get(TENANT, ALEX.aadObjectId, 'personal'), undefined);
    });
  }
});

describe('HTTP edge: /api/casework/import', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ SECRET_IMPORT_API_KEY: KEY, IMPORT_MAX_BYTES: '65536' });
  });
  afterEach(() => t.stop());
  const push = (body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${t.baseUrl}/api/casework/import?source=procapita`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${KEY}`, ...headers },
      body,
    });

  it('imports a Windows-1252 export', async () => {
    const res = await push(new Uint8Array(iconv.encode(SAMPLE, 'win1252')));
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as { rows: number; inserted: number };
    assert.ok(body.rows > 10);
    // The same file in UTF-8 afterwards changes nothing: the letters were decoded right.
    const again = (await (await push(SAMPLE)).json()) as { unchanged: number; rows: number };
    assert.equal(again.unchanged, again.rows);
  });

  it('imports a UTF-16 LE export with a BOM and a UTF-8 export with a BOM', async () => {
    assert.equal((await push(new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, 'utf16le')])))).status, 200);
    const again = (await (await push(`\ufeff${SAMPLE}`)).json()) as { unchanged: number; rows: number };
    assert.equal(again.unchanged, again.rows);
  });

  it('refuses bytes that are neither UTF-8 nor plausible Windows-1252 with 422 and a Swedish reason', async () => {
    const bytes = new Uint8Array(Buffer.concat([Buffer.from(SAMPLE, 'latin1'), Buffer.from([0x81, 0x0a])]));
    const res = await push(bytes);
    assert.equal(res.status, 422);
    const body = (await res.json()) as { errors: string[] };
    assert.match(body.errors[0]!, /^rad \d+: Filens teckenkodning kunde inte avgöras/);
    assert.equal(await t.app.store.casework.count(), 0);
  });

  it('imports a gzipped export, and refuses one that inflates past IMPORT_MAX_BYTES with 413', async () => {
    assert.equal((await push(new Uint8Array(gzipSync(SAMPLE)), { 'content-encoding': 'gzip' })).status, 200);
    const res = await push(await gzippedZeros(10 * 1024 * 1024), { 'content-encoding': 'gzip' });
    assert.equal(res.status, 413);
  });

  it('refuses other content types and encodings with 415, after the key check', async () => {
    assert.equal((await push(SAMPLE, { 'content-type': 'multipart/form-data; boundary=x' })).status, 415);
    assert.equal((await push(SAMPLE, { 'content-type': 'application/json' })).status, 415);
    assert.equal((await push(SAMPLE, { 'content-type': 'text/csv; charset=koi8-r' })).status, 415);
    assert.equal((await push(SAMPLE, { 'content-encoding': 'br' })).status, 415);
    assert.equal((await push(SAMPLE, { 'content-type': 'multipart/form-data; boundary=x', authorization: 'Bearer wrong' })).status, 401);
  });
});

describe('HTTP edge: listening address', () => {
  it('listens on loopback by default outside production', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-host-'));
    const config = parseConfig({ PORT: '0', SQLITE_PATH: path.join(dir, 'db.sqlite'), NODE_ENV: 'test' });
    const app = await startApp({ config, logger: createLogger('silent') });
    try {
      assert.equal((app.http.raw.address() as { address: string }).address, '127.0.0.1');
    } finally {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('HTTP edge: telling "not authenticated" from "the turn failed"', () => {
  type Ctx = { id: number };
  const adapter = (impl: (logic: (c: Ctx) => Promise<void>) => Promise<{ status: number; body?: unknown } | undefined>): ActivityProcessor<Ctx> => ({
    processActivity: (_auth, _activity, logic) => impl(logic),
  });
  // A Teams-shaped envelope: anything less is refused before the adapter (test/http/envelope.test.ts).
  const envelope = {
    type: 'message', channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/emea/',
    from: { id: '29:x' }, recipient: { id: '28:bot' }, conversation: { id: 'a:x' },
  };
  const req = { activity: envelope, authorization: 'Bearer x' };

  it('any failure before the turn starts is Unauthenticated, with the reason for the log', async () => {
    const fetchFailed = Object.assign(new Error('request to https://login.botframework.com failed'), { name: 'FetchError' });
    await assert.rejects(
      runBotRequest(adapter(() => Promise.reject(fetchFailed)), async () => undefined, req),
      (err: unknown) => err instanceof Unauthenticated && /FetchError: request to https:\/\/login/.test(err.reason),
    );
  });

  it('a failure inside the turn stays a failure (500), not a 401', async () => {
    const boom = new Error('store down');
    const a = adapter(async (logic) => {
      await logic({ id: 1 });
      return undefined;
    });
    await assert.rejects(runBotRequest(a, () => Promise.reject(boom), req), (err: unknown) => err === boom);
  });

  it('a token check that hangs answers Unauthenticated at the bound, and the turn never runs later', async () => {
    let later!: () => Promise<void>;
    let ran = false;
    const a = adapter((logic) => {
      later = () => logic({ id: 1 });
      return new Promise(() => undefined);
    });
    const started = Date.now();
    await assert.rejects(runBotRequest(a, async () => void (ran = true), req, 100), (err: unknown) => err instanceof Unauthenticated && /within 100 ms/.test(err.reason));
    assert.ok(Date.now() - started < 1000);
    await later();
    assert.equal(ran, false, 'the turn did not run after the refusal');
  });

  it('returns the invoke or expectReplies answer, 200 without one, and 400 for a body without a type', async () => {
    const replies = { activities: [{ type: 'message', text: 'hej' }] };
    assert.deepEqual(await runBotRequest(adapter(async () => ({ status: 200, body: replies })), async () => undefined, req), { status: 200, body: replies });
    assert.deepEqual(await runBotRequest(adapter(async () => undefined), async () => undefined, req), { status: 200 });
    assert.deepEqual(await runBotRequest(adapter(async () => undefined), async () => undefined, { activity: { ...envelope, type: undefined }, authorization: '' }), {
      status: 400,
      body: { error: 'bad request', fields: ['type'] },
    });
  });

  it('hands the turn the dates as Date objects, as CloudAdapter.process() does', async () => {
    let seen: Record<string, unknown> = {};
    const a: ActivityProcessor<Ctx> = {
      async processActivity(_auth, activity) {
        seen = activity;
        return undefined;
      },
    };
    await runBotRequest(a, async () => undefined, { activity: { ...envelope, timestamp: '2026-12-01T10:00:00Z' }, authorization: '' });
    assert.ok(seen.timestamp instanceof Date);
    assert.equal(seen.rawTimestamp, '2026-12-01T10:00:00Z');
  });
});

describe('HTTP edge: what a failing handler may put on the wire', () => {
  const cases: [string, HttpDeps['processMessage'], number, object][] = [
    ['a thrown error', async () => Promise.reject(new Error('SQLITE_BUSY at /srv/app/data/lex-sarah.db')), 500, { error: 'internal error' }],
    ['a 500 with the error text (as CloudAdapter.process writes it)', async (_req, res) => void res.send(500, 'FetchError: request to https://login.botframework.com failed'), 500, { error: 'internal error' }],
    ['a 401 with the error text', async (_req, res) => void res.send(401, 'Unauthorized. No valid identity.'), 401, { error: 'unauthorized' }],
    ['Unauthenticated', async () => Promise.reject(new Unauthenticated('jwt expired')), 401, { error: 'unauthorized' }],
    ['a 400 with text', async (_req, res) => void res.send(400, '`req.body` not an object'), 400, { error: 'bad request' }],
  ];
  for (const [name, processMessage, status, body] of cases) {
    it(`${name}: ${status} ${JSON.stringify(body)}, logged as one structured line`, async () => {
      const lines: string[] = [];
      const sink = new Writable({ write: (c, _e, cb) => (lines.push(...String(c).split('\n').filter(Boolean)), cb()) });
      const server = createHttpServer({ logger: createLogger('info', sink), maxBodyBytes: 4096, authRequired: false, health: async () => ({ reachable: true, schemaVersion: 1, expectedVersion: 1 }), processMessage });
      const port = await server.listen(0, '127.0.0.1');
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"message"}' });
        assert.equal(res.status, status);
        assert.deepEqual(await res.json(), body);
        const failures = lines.map((l) => JSON.parse(l) as { level: number }).filter((l) => l.level >= 40);
        assert.equal(failures.length, 1, lines.join('\n'));
      } finally {
        await server.drain(Date.now() + 1000);
      }
    });
  }
});

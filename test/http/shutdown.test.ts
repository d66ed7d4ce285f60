/**
 * Graceful shutdown at the HTTP layer: requests in flight finish, everything else is answered
 * 503 with Retry-After instead of being reset, and what is still running at the deadline is cut.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { createHttpServer, SHUTDOWN_RETRY_AFTER_S, type HttpDeps } from '../../src/http/server';
import { createLogger } from '../../src/log/logger';

interface RawAnswer {
  status?: number;
  headers: Record<string, string>;
  /** Set when the connection failed or closed without a whole answer. */
  error?: string;
}

const connect = (port: number) =>
  new Promise<net.Socket>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });

/** Reads one HTTP/1.1 answer from a raw connection (the client's view: a reset is an outcome). */
function readAnswer(socket: net.Socket): Promise<RawAnswer> {
  return new Promise((resolve) => {
    let received = '';
    let done = false;
    const finish = (a: RawAnswer) => {
      if (done) return;
      done = true;
      resolve(a);
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const head = received.indexOf('\r\n\r\n');
      if (head < 0) return;
      const [statusLine, ...lines] = received.slice(0, head).split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      if (received.length - head - 4 >= Number(headers['content-length'] ?? 0)) finish({ status: Number(statusLine?.split(' ')[1]), headers });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish({ headers: {}, error: err.code ?? err.message }));
    socket.on('close', () => finish({ headers: {}, error: 'closed without an answer' }));
  });
}

const requestHead = (length: number, extra = '') => `POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n`;
const closedSoon = (socket: net.Socket, ms: number) =>
  new Promise<boolean>((resolve) => {
    if (socket.destroyed) return resolve(true);
    socket.once('close', () => resolve(true));
    setTimeout(() => resolve(false), ms);
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('HTTP: graceful drain', () => {
  const healthy = async () => ({ reachable: true, schemaVersion: 1, expectedVersion: 1 });
  const serverWith = (processMessage: HttpDeps['processMessage']) =>
    createHttpServer({ logger: createLogger('silent'), maxBodyBytes: 1024, authRequired: false, health: healthy, processMessage });

  it('lets a request in flight finish, then stops accepting', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const server = createHttpServer({
      logger: createLogger('silent'),
      maxBodyBytes: 1024, authRequired: false,
      health: healthy,
      async processMessage(_req, res) {
        await gate;
        res.send(200, { done: true });
      },
    });
    const port = await server.listen(0, '127.0.0.1');
    const inFlight = fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    while (server.inFlight === 0) await new Promise((r) => setTimeout(r, 5));

    const drained = server.drain(Date.now() + 5000);
    setTimeout(release, 100);
    const res = await inFlight;
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { done: true });
    assert.equal(res.headers.get('connection'), 'close', 'a request in flight loses its keep-alive connection once answered');
    assert.deepEqual(await drained, { finished: 1, cut: 0, refused: 0 });
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), 'no new connections after drain');
  });

  it('cuts what is still running at the deadline: counted, and answered 503 with Retry-After rather than reset', async () => {
    const server = serverWith(() => new Promise(() => undefined));
    const port = await server.listen(0, '127.0.0.1');
    const stuck = fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then(
      (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after') }),
      (err: Error) => ({ error: String((err.cause as Error | undefined)?.message ?? err.message) }),
    );
    while (server.inFlight === 0) await sleep(5);
    const started = Date.now();
    assert.deepEqual(await server.drain(Date.now() + 300), { finished: 0, cut: 1, refused: 0 });
    assert.ok(Date.now() - started < 2000);
    assert.deepEqual(await stuck, { status: 503, retryAfter: String(SHUTDOWN_RETRY_AFTER_S) });
  });

  it('answers 503 (Retry-After, Connection: close) to a request on a connection accepted before the drain but sent after it', async () => {
    let handled = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const server = serverWith(async (_req, res) => {
      handled++;
      await gate;
      res.send(200, {});
    });
    const port = await server.listen(0, '127.0.0.1');
    const busy = await connect(port);
    const busyAnswer = readAnswer(busy);
    busy.write(`${requestHead(2)}{}`);
    while (server.inFlight === 0) await sleep(5);
    // Accepted, nothing parsed yet: the case a plain server.close() resets.
    const queued = await Promise.all([connect(port), connect(port), connect(port)]);
    await sleep(20);
    const drained = server.drain(Date.now() + 5000);
    await sleep(50);
    const answers = queued.map((s) => {
      const a = readAnswer(s);
      s.write(`${requestHead(2)}{}`);
      return a;
    });
    for (const a of await Promise.all(answers)) {
      assert.equal(a.error, undefined, `answered, not reset: ${a.error}`);
      assert.equal(a.status, 503);
      assert.equal(a.headers['retry-after'], String(SHUTDOWN_RETRY_AFTER_S));
      assert.equal(a.headers.connection, 'close');
    }
    // And on a new connection: the listener stays open while a turn runs.
    const late = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(late.status, 503);
    assert.equal(late.headers.get('retry-after'), String(SHUTDOWN_RETRY_AFTER_S));
    assert.equal(handled, 1, 'refused requests never reach the handler');
    release();
    assert.equal((await busyAnswer).status, 200);
    assert.deepEqual(await drained, { finished: 1, cut: 0, refused: 4 });
  });

  it('reads the body of a request refused during the drain before answering, so the client is not reset mid-send', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const server = serverWith(async (_req, res) => {
      await gate;
      res.send(200, {});
    });
    const port = await server.listen(0, '127.0.0.1');
    const busy = await connect(port);
    busy.write(`${requestHead(2)}{}`);
    while (server.inFlight === 0) await sleep(5);
    const drained = server.drain(Date.now() + 5000);
    await sleep(20);
    const slow = await connect(port);
    const answer = readAnswer(slow);
    const body = JSON.stringify({ type: 'message', text: 'x'.repeat(600) });
    slow.write(requestHead(Buffer.byteLength(body)) + body.slice(0, 100));
    await sleep(100);
    slow.write(body.slice(100));
    const a = await answer;
    assert.equal(a.error, undefined, `answered, not reset: ${a.error}`);
    assert.equal(a.status, 503);
    release();
    assert.equal((await drained).refused, 1);
  });

  it('closes idle keep-alive connections at once, and leaves one busy with a request to finish it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const server = serverWith(async (_req, res) => {
      if (++calls === 2) await gate;
      res.send(200, {});
    });
    const port = await server.listen(0, '127.0.0.1');
    const idle = await connect(port);
    const first = readAnswer(idle);
    idle.write(`${requestHead(2)}{}`);
    assert.equal((await first).status, 200);
    idle.removeAllListeners('data');
    const busy = await connect(port);
    const busyAnswer = readAnswer(busy);
    busy.write(`${requestHead(2)}{}`);
    while (server.inFlight === 0) await sleep(5);

    const drained = server.drain(Date.now() + 5000);
    assert.equal(await closedSoon(idle, 500), true, 'the idle keep-alive connection is closed');
    assert.equal(busy.destroyed, false, 'the busy one is not');
    release();
    const a = await busyAnswer;
    assert.equal(a.status, 200);
    assert.equal(a.headers.connection, 'close');
    assert.deepEqual(await drained, { finished: 1, cut: 0, refused: 0 });
  });
});

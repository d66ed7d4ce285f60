/** Graceful shutdown at the HTTP layer: requests in flight finish, new ones are refused. */
import assert from 'node:assert/strict';
import { createHttpServer } from '../../src/http/server';
import { createLogger } from '../../src/log/logger';

describe('HTTP: graceful drain', () => {
  const healthy = async () => ({ reachable: true, schemaVersion: 1, expectedVersion: 1 });

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
    assert.equal(await drained, true);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), 'no new connections after drain');
  });

  it('gives up waiting at the deadline and reports that a request was still running', async () => {
    const server = createHttpServer({
      logger: createLogger('silent'),
      maxBodyBytes: 1024, authRequired: false,
      health: healthy,
      processMessage: () => new Promise(() => undefined),
    });
    const port = await server.listen(0, '127.0.0.1');
    const stuck = fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => 'aborted');
    while (server.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    assert.equal(await server.drain(Date.now() + 300), false);
    assert.ok(Date.now() - started < 2000);
    assert.equal(await stuck, 'aborted');
  });
});

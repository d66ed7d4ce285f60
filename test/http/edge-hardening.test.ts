/**
 * Points a hostile review found after the edge was rebuilt: what an unknown path may make the
 * server say and log, a token-less request with authentication on, half surrogate pairs, the
 * readiness probe's text, and slow clients.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { createHttpServer, HEADERS_TIMEOUT_MS } from '../../src/http/server';
import { createLogger } from '../../src/log/logger';
import { activity, post, startTestApp, type TestApp } from '../support/app-fixture';

describe('HTTP edge hardening', function () {
  this.timeout(30_000);

  describe('on the running app', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp({ REMINDER_INTERVAL_MS: '0' });
    });
    after(() => t.stop());

    it('an unknown path or method gets a short JSON error that does not repeat the path, and the log does not hold it', async () => {
      const before = t.logs.length;
      for (const [method, p] of [['POST', '/api/850709-9805'], ['GET', '/api/messages'], ['DELETE', '/healthz']] as const) {
        const res = await fetch(`${t.baseUrl}${p}`, { method });
        const text = await res.text();
        assert.ok([404, 405].includes(res.status), `${method} ${p}: ${res.status}`);
        assert.deepEqual(JSON.parse(text), { error: res.status === 404 ? 'not found' : 'method not allowed' });
      }
      assert.ok(!t.logs.slice(before).join('\n').includes('850709'));
    });

    it('a half surrogate pair in the JSON is stored as U+FFFD, never as invalid UTF-8', async () => {
      const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
      const form = await post(t.baseUrl, activity({ text: 'rapportera' }));
      const formId = (form.activities[0]!.attachments![0]!.content as { actions: { data: { formId: string } }[] }).actions[0]!.data.formId;
      const data = {
        formId, unitId: 'bou-mottagning', occurredDate: today, noticedDate: today, location: 'Mottagningen', category: 'psykiska', informed: 'ja',
        whatHappened: 'HALF', risk_hurt: 'nej', risk_ongoing: 'nej', risk_vulnerable: 'nej', risk_crime: 'nej', risk_before: 'nej',
      };
      const invoke = activity({ type: 'invoke', name: 'adaptiveCard/action', text: undefined, value: { action: { type: 'Action.Execute', verb: 'report.submit', data }, trigger: 'manual' } });
      const res = await post(t.baseUrl, JSON.stringify(invoke).replace('"HALF"', '"Före \\ud800 efter"'));
      assert.equal(res.status, 200);
      const reference = /LS-\d{4}-\d{4}/.exec(JSON.stringify(res.activities))![0];
      const stored = await t.app.store.reports.getByReference(reference);
      assert.equal(stored?.whatHappened, 'Före \ufffd efter');
    });

    it('/readyz never sends the database driver\'s text', async () => {
      const res = await fetch(`${t.baseUrl}/readyz`);
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(body.error, undefined);
    });
  });

  it('with authentication on, a request without a bearer token is refused before its body is read', async () => {
    let called = false;
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const server = createHttpServer({
      logger: createLogger('info', sink),
      maxBodyBytes: 262_144,
      authRequired: true,
      health: async () => ({ reachable: true, schemaVersion: 1, expectedVersion: 1 }),
      processMessage: async () => void (called = true),
    });
    const port = await server.listen(0, '127.0.0.1');
    try {
      // Headers promise a body that never comes: a server that waited for it would not answer.
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write('POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200000\r\n\r\n{"type":');
        });
        let got = '';
        socket.on('data', (d) => {
          got += d;
          if (got.includes('\r\n\r\n')) {
            socket.destroy();
            resolve(got);
          }
        });
        socket.on('error', reject);
        setTimeout(() => reject(new Error('no answer while the body was still owed')), 5000).unref();
      });
      assert.match(answer, /^HTTP\/1\.1 401/);
      assert.equal(called, false);
    } finally {
      server.raw.closeAllConnections();
      await server.drain(Date.now() + 1000);
    }
  });

  it('bounds how long a client may take over its headers', () => {
    const server = createHttpServer({
      logger: createLogger('silent'),
      maxBodyBytes: 1024,
      authRequired: false,
      health: async () => ({ reachable: true, schemaVersion: 1, expectedVersion: 1 }),
      processMessage: async () => undefined,
    });
    assert.equal(server.raw.headersTimeout, HEADERS_TIMEOUT_MS);
    assert.ok(server.raw.requestTimeout > 0 && server.raw.requestTimeout <= 60_000);
    assert.ok(server.raw.maxConnections > 0);
  });
});

/** The nightly push endpoint: API key, atomic import, and errors that name row and column. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { apiKeyMatches } from '../../src/http/server';
import { startTestApp, type TestApp } from '../support/app-fixture';

const KEY = 'k'.repeat(40);
const SAMPLE = readFileSync(path.join(__dirname, '..', 'fixtures', 'casework-sample.csv'), 'utf8');

describe('HTTP: POST /api/casework/import', () => {
  let t: TestApp;
  const push = (body: string, headers: Record<string, string>, query = 'source=procapita') =>
    fetch(`${t.baseUrl}/api/casework/import?${query}`, { method: 'POST', headers: { 'content-type': 'text/csv', ...headers }, body });

  afterEach(() => t.stop());

  it('does not exist without a configured key', async () => {
    t = await startTestApp();
    assert.equal((await push(SAMPLE, { authorization: `Bearer ${KEY}` })).status, 404);
  });

  describe('with a key', () => {
    beforeEach(async () => {
      t = await startTestApp({ SECRET_IMPORT_API_KEY: KEY, IMPORT_MAX_BYTES: '65536' });
    });

    it('refuses a missing or wrong key with 401 and imports nothing', async () => {
      assert.equal((await push(SAMPLE, {})).status, 401);
      assert.equal((await push(SAMPLE, { authorization: `Bearer ${KEY}x` })).status, 401);
      assert.equal((await push(SAMPLE, { 'x-api-key': 'nope' })).status, 401);
      assert.equal(await t.app.store.casework.count(), 0);
    });

    it('imports with the right key (Bearer or x-api-key)', async () => {
      const res = await push(SAMPLE, { authorization: `Bearer ${KEY}` });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { rows: number; inserted: number };
      assert.ok(body.rows > 10);
      assert.equal(body.inserted, body.rows);
      const again = (await (await push(SAMPLE, { 'x-api-key': KEY })).json()) as { unchanged: number; rows: number };
      assert.equal(again.unchanged, again.rows);
    });

    it('answers 422 naming row and column when a row is bad, and changes nothing', async () => {
      const bad = SAMPLE.replace(/;bou-mottagning;/, ';okand-enhet;');
      const res = await push(bad, { authorization: `Bearer ${KEY}` });
      assert.equal(res.status, 422);
      const body = (await res.json()) as { errors: string[] };
      assert.match(body.errors[0]!, /^rad \d+, kolumn enhet: /);
      assert.equal(await t.app.store.casework.count(), 0);
    });

    it('refuses a body over IMPORT_MAX_BYTES', async () => {
      const res = await push(SAMPLE + 'x'.repeat(70_000), { authorization: `Bearer ${KEY}` });
      assert.equal(res.status, 413);
    });
  });

  it('compares keys without leaking length or content through early exits', () => {
    assert.equal(apiKeyMatches(KEY, KEY), true);
    assert.equal(apiKeyMatches(`${KEY}x`, KEY), false);
    assert.equal(apiKeyMatches('', ''), false);
  });
});

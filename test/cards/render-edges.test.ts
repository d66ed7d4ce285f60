/**
 * Edges of the renderer's single expansion and its counted size (hostile review of the card
 * speed-up): a root whose $when is false, and data keys JSON.parse can give that plain assignment
 * would not copy ("__proto__").
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CardRenderer, cardBytes } from '../../src/cards/render';

describe('card renderer edges', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'render-edges-'));
    writeFileSync(path.join(dir, 'root-when.json'), JSON.stringify({ type: 'AdaptiveCard', version: '1.5', $when: "${t != 'a.se'}", body: [{ type: 'TextBlock', text: '${t}' }] }));
    writeFileSync(path.join(dir, 'whole.json'), JSON.stringify({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x' }], metadata: '${o}' }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a root whose $when is false gives the card it always gave (null), not the escaped one', () => {
    const r = new CardRenderer(dir);
    const { card, bytes } = (r as unknown as { measure(n: string, d: object): { card: unknown; bytes: number } }).measure('root-when', { t: 'a.se' });
    assert.equal(card, null);
    assert.equal(bytes, 4);
  });

  it('counts the size it writes, also for a "__proto__" key in the data', () => {
    const r = new CardRenderer(dir);
    const o = JSON.parse('{"__proto__": {"x": "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"}, "a": "b"}') as object;
    const { card, bytes } = (r as unknown as { measure(n: string, d: object): { card: unknown; bytes: number } }).measure('whole', { o });
    assert.equal(bytes, cardBytes(card));
  });
});

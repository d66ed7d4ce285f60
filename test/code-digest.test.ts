/** The code digest in the stored clocks' and ranks' basis (src/code-digest.ts): it moves with the code, and only with it. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { codeDigest } from '../src/code-digest';

describe('code digest', () => {
  it('is the same for the same code, moves when a module or the data changes, and reads .js when there is no .ts', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'code-digest-'));
    try {
      writeFileSync(path.join(dir, 'a.ts'), 'export const a = 1;');
      writeFileSync(path.join(dir, 'b.js'), 'exports.b = 2;');
      const first = codeDigest(dir, ['a', 'b'], 'data');
      assert.equal(codeDigest(dir, ['a', 'b'], 'data'), first);
      assert.notEqual(codeDigest(dir, ['a', 'b'], 'other data'), first);
      writeFileSync(path.join(dir, 'b.js'), 'exports.b = 3;');
      assert.notEqual(codeDigest(dir, ['a', 'b'], 'data'), first, 'a .js module read when there is no .ts');
      assert.notEqual(codeDigest(dir, ['a', 'missing'], 'data'), codeDigest(dir, ['a'], 'data'), 'a module that cannot be read still counts');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

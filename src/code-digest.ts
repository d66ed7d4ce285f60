/**
 * A digest of the code a stored, derived value is computed by (the stored lex Sarah clocks, the
 * casework review ranks): part of their basis, so that a fix to how they are computed computes
 * them all again instead of leaving the old values in rows that hold for ever. Read as the code
 * runs, .ts under tsx or .js when built; a module that cannot be read counts as "unknown".
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export function codeDigest(dir: string, modules: readonly string[], data = ''): string {
  const hash = createHash('sha256').update(data);
  for (const m of modules) {
    let text = `${m}: unknown`;
    for (const ext of ['.ts', '.js']) {
      try {
        text = readFileSync(path.join(dir, m + ext), 'utf8');
        break;
      } catch {
        // the other extension
      }
    }
    hash.update(text);
  }
  return hash.digest('hex');
}

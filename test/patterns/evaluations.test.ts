/** New reports' pattern evaluations after the submit's answer (src/patterns/evaluations.ts). */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/log/logger';
import { PatternEvaluations } from '../../src/patterns/evaluations';

function logLines(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
  return { logger: createLogger('info', sink), lines };
}

describe('pattern evaluations after the answer', () => {
  it('push returns before any evaluation starts; they run one at a time, in filing order', async () => {
    const log: string[] = [];
    let active = 0;
    const q = new PatternEvaluations({
      logger: logLines().logger,
      evaluate: async (ref) => {
        active++;
        assert.equal(active, 1, 'two evaluations at once');
        log.push(`start ${ref}`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`end ${ref}`);
        active--;
      },
    });
    q.push('LS-1');
    q.push('LS-2');
    log.push('answered');
    await q.idle();
    q.push('LS-3');
    await q.idle();
    assert.deepEqual(log, ['answered', 'start LS-1', 'end LS-1', 'start LS-2', 'end LS-2', 'start LS-3', 'end LS-3']);
  });

  it('a failing evaluation is logged and the next still runs', async () => {
    const { logger, lines } = logLines();
    const done: string[] = [];
    const q = new PatternEvaluations({
      logger,
      evaluate: async (ref) => {
        if (ref === 'LS-1') throw new Error('database locked');
        done.push(ref);
      },
    });
    q.push('LS-1');
    q.push('LS-2');
    await q.idle();
    assert.deepEqual(done, ['LS-2']);
    assert.equal(lines.filter((l) => l.includes('"event":"pattern-evaluation-failed"')).length, 1);
  });

  it('stop waits for what is queued and takes nothing after (the sweep evaluates it)', async () => {
    const done: string[] = [];
    const q = new PatternEvaluations({
      logger: logLines().logger,
      evaluate: async (ref) => {
        await new Promise((r) => setTimeout(r, 5));
        done.push(ref);
      },
    });
    q.push('LS-1');
    q.push('LS-2');
    await q.stop();
    assert.deepEqual(done, ['LS-1', 'LS-2']);
    q.push('LS-3');
    await q.idle();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(done, ['LS-1', 'LS-2']);
  });
});

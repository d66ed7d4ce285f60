/** New reports' pattern evaluations after the submit's answer (src/patterns/evaluations.ts). */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/log/logger';
import { PATTERN_QUEUE_MAX, PatternEvaluations } from '../../src/patterns/evaluations';

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

  // [what, an evaluate that fails for LS-1]: a rejection, and a throw before any promise exists.
  const failures: [string, (ref: string, done: string[]) => Promise<void>][] = [
    ['a failing evaluation is logged and the next still runs', async (ref, done) => {
      if (ref === 'LS-1') throw new Error('database locked');
      done.push(ref);
    }],
    ['an evaluation that throws before it returns a promise is caught like a rejection, and the queue goes on', (ref, done) => {
      if (ref === 'LS-1') throw new Error('not a promise');
      done.push(ref);
      return Promise.resolve();
    }],
  ];
  for (const [what, evaluate] of failures) {
    it(what, async () => {
      const { logger, lines } = logLines();
      const done: string[] = [];
      const q = new PatternEvaluations({ logger, evaluate: (ref) => evaluate(ref, done) });
      q.push('LS-1');
      q.push('LS-2');
      await q.idle();
      assert.deepEqual(done, ['LS-2']);
      assert.equal(lines.filter((l) => l.includes('"event":"pattern-evaluation-failed"')).length, 1);
    });
  }

  it('a full queue, and a stopped one, leave the report to the sweep and say so', async () => {
    const { logger, lines } = logLines();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let evaluated = 0;
    const q = new PatternEvaluations({ logger, evaluate: async () => ((await gate), evaluated++) });
    // The first is taken off the queue when the drain starts; then the queue fills.
    q.push('LS-0');
    await new Promise((r) => setImmediate(r));
    for (let i = 1; i <= PATTERN_QUEUE_MAX + 2; i++) q.push(`LS-${i}`);
    const deferred = () => lines.filter((l) => l.includes('"event":"pattern-evaluation-deferred"'));
    assert.equal(deferred().length, 2);
    assert.ok(deferred().every((l) => l.includes('"reason":"queue-full"')));
    release();
    await q.stop();
    assert.equal(evaluated, PATTERN_QUEUE_MAX + 1);
    q.push('LS-late');
    assert.equal(deferred().length, 3);
    assert.ok(deferred()[2]!.includes('"reason":"stopping"'));
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

  describe('turns go first', () => {
    it('an evaluation waits while turns are in flight and runs once they are answered', async () => {
      let busy = true;
      const log: string[] = [];
      const q = new PatternEvaluations({ logger: logLines().logger, busy: () => busy, yieldMaxMs: 10_000, maxLagMs: 10_000, evaluate: async (ref) => void log.push(ref) });
      q.push('LS-1');
      await new Promise((r) => setTimeout(r, 60));
      assert.deepEqual(log, [], 'evaluated while a turn was in flight');
      busy = false;
      await q.idle();
      assert.deepEqual(log, ['LS-1']);
    });

    it('a steady stream of turns delays each evaluation by the yield at most, never for good', async () => {
      const ran: number[] = [];
      const start = Date.now();
      const q = new PatternEvaluations({ logger: logLines().logger, busy: () => true, yieldMaxMs: 40, maxLagMs: 60_000, evaluate: async () => void ran.push(Date.now() - start) });
      q.push('LS-1');
      q.push('LS-2');
      await q.idle();
      assert.equal(ran.length, 2);
      assert.ok(ran[0]! >= 35, `ran after ${ran[0]} ms, before the yield was used up`);
      assert.ok(ran[1]! - ran[0]! >= 35, 'the second did not wait its own yield');
    });

    it('under sustained load a report that has waited its longest lag runs at once, and so does the backlog behind it', async () => {
      const ran: number[] = [];
      const start = performance.now();
      const q = new PatternEvaluations({ logger: logLines().logger, busy: () => true, yieldMaxMs: 60_000, maxLagMs: 50, evaluate: async () => void ran.push(performance.now() - start) });
      for (let i = 0; i < 20; i++) q.push(`LS-${i}`);
      await q.idle();
      assert.equal(ran.length, 20);
      assert.ok(ran[0]! >= 45, `the first ran after ${ran[0]} ms, before its lag was used up`);
      // Without the cap each would wait its own yield (here a minute): the backlog runs within its lag.
      assert.ok(ran[19]! < 1_000, `the last ran after ${ran[19]} ms`);
    });

    it('hurry (shutdown has begun) stops the waiting for the reports queued and those still to come', async () => {
      const done: string[] = [];
      const q = new PatternEvaluations({ logger: logLines().logger, busy: () => true, yieldMaxMs: 60_000, maxLagMs: 60_000, evaluate: async (ref) => void done.push(ref) });
      q.push('LS-1');
      await new Promise((r) => setTimeout(r, 30));
      assert.deepEqual(done, []);
      q.hurry();
      q.push('LS-2');
      await q.idle();
      assert.deepEqual(done, ['LS-1', 'LS-2']);
    });

    it('stop drains at once, busy or not: shutdown does not wait the yield per report', async () => {
      const done: string[] = [];
      const q = new PatternEvaluations({ logger: logLines().logger, busy: () => true, yieldMaxMs: 60_000, evaluate: async (ref) => void done.push(ref) });
      q.push('LS-1');
      q.push('LS-2');
      const t = Date.now();
      await q.stop();
      assert.deepEqual(done, ['LS-1', 'LS-2']);
      assert.ok(Date.now() - t < 1000);
    });
  });
});

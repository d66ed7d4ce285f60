/** The real process: start-up refusals name what to fix, and SIGTERM stops it cleanly. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXIT_STOP_INCOMPLETE, exitCodeFor, type StopResult } from '../src/shutdown';

const ROOT = path.resolve(__dirname, '..');

interface Run {
  code: number | null;
  stderr: string;
  stdout: string;
}

function runMain(env: Record<string, string>, onStarted?: (child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TEAMSFX_ENV: 'test-none', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      if (onStarted && stdout.includes('"event":"started"')) {
        const cb = onStarted;
        onStarted = undefined;
        cb(child);
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`process did not exit; stderr: ${stderr}`));
    }, 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('process start-up and shutdown', function () {
  this.timeout(40_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-proc-'));

  it('refuses an invalid setting with one message naming the variable', async () => {
    const r = await runMain({ PORT: 'many', SQLITE_PATH: path.join(dir, 'a.db') });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /cannot start/);
    assert.match(r.stderr, /PORT: must be a number/);
  });

  it('refuses a HOST that is not an address, naming it', async () => {
    const r = await runMain({ HOST: 'http://0.0.0.0', SQLITE_PATH: path.join(dir, 'e.db') });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /HOST: must be an IP address or host name/);
  });

  it('refuses NODE_ENV=production without a bot id', async () => {
    const r = await runMain({ NODE_ENV: 'production', ORG_FILE: 'env/organisation.demo.yaml', SQLITE_PATH: path.join(dir, 'b.db') });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /BOT_ID: must be set when NODE_ENV=production/);
  });

  it('refuses a broken organisation file, naming the file, the path inside it and the problem', async () => {
    const org = path.join(dir, 'broken-org.yaml');
    writeFileSync(org, 'municipality: X\ncommittees:\n  - id: sn\n    name: S\n    units:\n      - { id: u1, name: U, area: skola }\n');
    const r = await runMain({ ORG_FILE: org, SQLITE_PATH: path.join(dir, 'c.db'), PORT: '0' });
    assert.notEqual(r.code, 0);
    assert.ok(r.stderr.includes(org), r.stderr);
    assert.match(r.stderr, /committees\[0\]\.units\[0\]\.area \(line 6\): must be one of/);
  });

  it('starts, then stops cleanly within the shutdown timeout on SIGTERM', async () => {
    let signalledAt = 0;
    const r = await runMain({ SQLITE_PATH: path.join(dir, 'd.db'), PORT: '0' }, (child) => {
      signalledAt = Date.now();
      child.kill('SIGTERM');
    });
    assert.ok(signalledAt > 0, `never started: ${r.stderr}`);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Date.now() - signalledAt < 10_000);
    assert.match(r.stdout, /"event":"stopped"/);
    // One structured line says what the stop achieved, with the exit code it chose.
    const line = r.stdout.split('\n').find((l) => l.includes('"event":"shutdown-complete"'));
    assert.ok(line, r.stdout);
    assert.deepEqual(
      (({ signal, cutTurns, unfinishedSends, failedJobs, databaseClosed, exitCode }) => ({ signal, cutTurns, unfinishedSends, failedJobs, databaseClosed, exitCode }))(JSON.parse(line)),
      { signal: 'SIGTERM', cutTurns: 0, unfinishedSends: 0, failedJobs: [], databaseClosed: true, exitCode: 0 },
    );
    // Outside production it listens on loopback only: without BOT_ID it authenticates nobody.
    assert.match(r.stdout, /"event":"listening"[^\n]*"host":"127\.0\.0\.1"/);
  });
});

describe('the exit code after a stop', () => {
  const clean: StopResult = { finishedTurns: 3, cutTurns: 0, refusedRequests: 7, unfinishedSends: 0, releasedLeases: 2, failedJobs: [], databaseClosed: true };
  const cases: [string, Partial<StopResult>, 'zero' | 'non-zero'][] = [
    ['everything finished (refusals and released leases are part of a clean stop)', {}, 'zero'],
    ['a turn was cut at the deadline', { cutTurns: 1 }, 'non-zero'],
    ['a card was at Teams when delivery stopped', { unfinishedSends: 1 }, 'non-zero'],
    ['a background job did not stop', { failedJobs: ['case-reminders'] }, 'non-zero'],
    ['the database did not close', { databaseClosed: false }, 'non-zero'],
  ];
  for (const [name, over, expected] of cases) {
    it(`is ${expected} when ${name}`, () => {
      const code = exitCodeFor({ ...clean, ...over });
      assert.equal(code === 0 ? 'zero' : 'non-zero', expected);
      if (code !== 0) assert.equal(code, EXIT_STOP_INCOMPLETE, 'the documented code');
    });
  }
});

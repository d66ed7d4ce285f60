/**
 * A benchmark part in a Node process of its own, so that its peak RSS is its own and not the
 * seeding process's (which keeps its heap long after): runs `file` with `flag` and a JSON
 * argument, and prints its lines as they come.
 */
import { spawn } from 'node:child_process';

export async function runInChild(file: string, flag: string, arg: unknown, out: (line: string) => void, what: string): Promise<void> {
  const child = spawn(process.execPath, [...process.execArgv, file, flag, JSON.stringify(arg)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let partial = '';
  child.stdout.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    lines.forEach(out);
  });
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (partial) out(partial);
  if (code !== 0) throw new Error(`${what} (in process) failed: ${stderr.slice(-800)}`);
}

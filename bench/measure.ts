/**
 * What every benchmark in bench/ measures with and prints with: percentiles, a process's peak
 * RSS over a stretch of the run, and one line format for all of them, so that each figure stands
 * beside its baseline from the same run:
 *
 *   <name>   p50 … ms  p95 … ms  n=…  | <baseline> p50 … ms  p95 … ms | <ratio> | peak RSS … | target …: met / MISSED | notes
 *
 * Absolute times on a shared machine move with its load by a third or more between runs; the
 * ratio to a baseline measured in the same run moves much less, which is why every line has one.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface Stats {
  n: number;
  p50: number;
  p95: number;
}

/** Nearest-rank percentile (p95 of 20 samples is the 19th). */
export function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

export function stats(ms: readonly number[]): Stats {
  return { n: ms.length, p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

type Pid = number | 'self';

/**
 * Resets a process's RSS high-water mark (Linux: /proc/<pid>/clear_refs), so that peakRssMb()
 * afterwards is the peak of what ran in between. Elsewhere nothing is reset and the lifetime peak
 * is reported, which can only overstate.
 */
export function resetPeakRss(pid: Pid = 'self'): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not Linux, or the process is gone.
  }
}

/** The process's RSS high-water mark in MB (since the last resetPeakRss), or undefined if unknown. */
export function peakRssMb(pid: Pid = 'self'): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // Not Linux, or the process is gone.
  }
  return pid === 'self' ? process.resourceUsage().maxRSS / 1024 : undefined;
}

/** "412 MB", or "?" when the figure is not available on this system. */
export const mb = (v: number | undefined) => (v === undefined ? '?' : `${v.toFixed(0)} MB`);

export function ms(v: number): string {
  return `${v < 10 ? v.toFixed(2) : v < 1000 ? v.toFixed(1) : v.toFixed(0)} ms`;
}

/** A figure: percentiles of many samples, or a single measured value (a total, a rate). */
export type Figure = { stats: Stats } | { value: string };

export interface BenchLine {
  name: string;
  figure: Figure;
  /** What the figure is compared with, measured in the same run. */
  baseline?: { name: string; figure: Figure };
  /** e.g. "p50 ratio 2.57" or "ratio 1.130". */
  ratio?: string;
  /** Peak RSS of the processes that did the work, e.g. "bot 412 MB, echo 96 MB". */
  peakRss?: string;
  targets?: { text: string; met: boolean }[];
  note?: string;
}

const NAME_WIDTH = 48;

function figureText(f: Figure): string {
  if ('value' in f) return f.value;
  return `p50 ${ms(f.stats.p50).padStart(9)}  p95 ${ms(f.stats.p95).padStart(9)}  n=${f.stats.n}`;
}

export function formatLine(l: BenchLine): string {
  const parts = [`${l.name.padEnd(NAME_WIDTH)} ${figureText(l.figure)}`];
  if (l.baseline) parts.push(`${l.baseline.name} ${figureText(l.baseline.figure)}`);
  if (l.ratio) parts.push(l.ratio);
  parts.push(`peak RSS ${l.peakRss ?? '?'}`);
  if (l.targets?.length) parts.push(`target ${l.targets.map((t) => `${t.text}: ${t.met ? 'met' : 'MISSED'}`).join('; ')}`);
  if (l.note) parts.push(l.note);
  return parts.join(' | ');
}

/** The heading line of a benchmark: what ran, on what. */
export function heading(what: string): string {
  return `== ${what} (${process.version})`;
}

/**
 * The sammanställning's figures from the stored aggregates (src/store/compilation.ts): pure, so
 * the card, the XLSX file and the tests read the same numbers. Counts and names only.
 */
import type { CompilationRecord, HistogramBin } from '../store/compilation';

export interface Stats {
  /** How many cases the figure covers. */
  n: number;
  median: number;
  max: number;
}

/**
 * The median (the mean of the two middle values for an even count) and the largest value of a
 * histogram; undefined when it is empty. Exact: the bins are whole hours or days.
 */
export function histogramStats(bins: readonly HistogramBin[]): Stats | undefined {
  const sorted = bins.filter((b) => b.count > 0).sort((a, b) => a.value - b.value);
  const n = sorted.reduce((s, b) => s + b.count, 0);
  if (n === 0) return undefined;
  // The k-th value (0-based) of the expanded list.
  const at = (k: number) => {
    let seen = 0;
    for (const b of sorted) {
      seen += b.count;
      if (k < seen) return b.value;
    }
    return sorted.at(-1)!.value;
  };
  const median = n % 2 === 1 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
  return { n, median, max: sorted.at(-1)!.value };
}

export interface ReviewCompliance {
  unitId: string;
  done: number;
  /** Weeks whose review was due within the period and counts (after the reminders started, or the unit's first review). */
  due: number;
}

export interface CompilationFigures {
  reports: { total: number; urgent: number; byCategory: Map<string, number>; byUnit: Map<string, { count: number; urgent: number }> };
  decisions: { total: number; byOutcome: Map<string, number>; departed: number; requiringAnmalan: number };
  anmalningar: number;
  toDecisionHours?: Stats;
  toAnmalanDays?: Stats;
  toInvestigationDays?: Stats;
  actions: CompilationRecord['actions'];
  reviews: ReviewCompliance[];
  casework: CompilationRecord['casework'];
}

const add = <K>(m: Map<K, number>, k: K, n: number) => m.set(k, (m.get(k) ?? 0) + n);

/** The figures of one record; `reviewsDue` gives each unit's due weeks in the period. */
export function compilationFigures(r: CompilationRecord, unitIds: readonly string[], reviewsDue: (unitId: string) => number): CompilationFigures {
  const byCategory = new Map<string, number>();
  const byUnit = new Map<string, { count: number; urgent: number }>();
  let total = 0;
  let urgent = 0;
  for (const x of r.reports) {
    total += x.count;
    urgent += x.urgent;
    add(byCategory, x.category, x.count);
    const u = byUnit.get(x.unitId) ?? { count: 0, urgent: 0 };
    byUnit.set(x.unitId, { count: u.count + x.count, urgent: u.urgent + x.urgent });
  }
  const byOutcome = new Map<string, number>();
  let decided = 0;
  let departed = 0;
  let requiringAnmalan = 0;
  for (const d of r.decisions) {
    decided += d.count;
    add(byOutcome, d.decidedOutcome, d.count);
    if (d.decidedOutcome !== d.recommendedOutcome) departed += d.count;
    if (d.requiresAnmalan) requiringAnmalan += d.count;
  }
  const done = new Map(r.reviews.map((x) => [x.unitId, x.done]));
  const stats = (b: readonly HistogramBin[]) => histogramStats(b);
  const toDecisionHours = stats(r.toDecisionHours);
  const toAnmalanDays = stats(r.toAnmalanDays);
  const toInvestigationDays = stats(r.toInvestigationDays);
  return {
    reports: { total, urgent, byCategory, byUnit },
    decisions: { total: decided, byOutcome, departed, requiringAnmalan },
    anmalningar: r.filings.reduce((s, f) => s + f.count, 0),
    ...(toDecisionHours ? { toDecisionHours } : {}),
    ...(toAnmalanDays ? { toAnmalanDays } : {}),
    ...(toInvestigationDays ? { toInvestigationDays } : {}),
    actions: r.actions,
    // A unit with a review recorded in a week that does not count still shows it: done is never hidden.
    reviews: unitIds.map((unitId) => ({ unitId, done: done.get(unitId) ?? 0, due: Math.max(reviewsDue(unitId), done.get(unitId) ?? 0) })),
    casework: r.casework,
  };
}

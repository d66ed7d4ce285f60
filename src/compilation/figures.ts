/**
 * The sammanställning's figures from the stored aggregates (src/store/compilation.ts): pure, so
 * the card, the XLSX file and the tests read the same numbers. Counts and names only.
 */
import { daysBetween } from '../casework/rules';
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
  /** Of the due weeks, those whose review was recorded. */
  done: number;
  /** Weeks whose review fell due within the period and counts (after the bot's and the unit's first start). */
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

/**
 * The figures of one record. `dueWeeks` gives each unit's weeks whose review fell due in the
 * period and counts: a review recorded for another week (early, or before the start) never makes
 * up for a missed one. `dayOf` gives an instant's calendar day in the municipality's zone.
 */
export function compilationFigures(r: CompilationRecord, unitIds: readonly string[], dueWeeks: (unitId: string) => ReadonlySet<string>, dayOf: (at: Date) => string): CompilationFigures {
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
  const reviewed = new Set(r.reviews.map((x) => `${x.unitId}/${x.weekKey}`));
  const stats = (b: readonly HistogramBin[]) => histogramStats(b);
  const toDecisionHours = stats(r.toDecisionHours);
  // Calendar days in the zone, as the anmälan clock counts them (a decision at 00:30 is that day's).
  const anmalanBins = new Map<number, number>();
  for (const a of r.anmalanRuns) {
    const n = daysBetween(dayOf(a.runStart), a.filedOn);
    anmalanBins.set(n, (anmalanBins.get(n) ?? 0) + 1);
  }
  const toAnmalanDays = stats([...anmalanBins].map(([value, count]) => ({ value, count })));
  const toInvestigationDays = stats(r.toInvestigationDays);
  return {
    reports: { total, urgent, byCategory, byUnit },
    decisions: { total: decided, byOutcome, departed, requiringAnmalan },
    anmalningar: r.filings.reduce((s, f) => s + f.count, 0),
    ...(toDecisionHours ? { toDecisionHours } : {}),
    ...(toAnmalanDays ? { toAnmalanDays } : {}),
    ...(toInvestigationDays ? { toInvestigationDays } : {}),
    actions: r.actions,
    reviews: unitIds.map((unitId) => {
      const due = dueWeeks(unitId);
      return { unitId, done: [...due].filter((w) => reviewed.has(`${unitId}/${w}`)).length, due: due.size };
    }),
    casework: r.casework,
  };
}

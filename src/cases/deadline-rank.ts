/**
 * Which deadline comes first where a list is cut: the weekly review's pages (REVIEW_PAGE_SIZE a
 * page) and the status card's late list. By due day alone, a dozen old local-policy closings would
 * push an LVU underställning due yesterday (the omhändertagande lapses) to page 2, and an anmälan
 * to IVO two days late behind "… och N till". So overdue rows are ranked by what hangs on them:
 *
 * 1. a legal consequence the rules name (casework: a lapse under LVU, a särskild avgift, …);
 * 2. a statutory clock: the anmälan to IVO ("snarast", SoL 27 kap. 6 §), the assessment of a
 *    BRÅDSKANDE rapport, a casework deadline set by law;
 * 3. rows whose deadline cannot be computed ("kan inte bedömas"): they may hide any of the above,
 *    so they come before what is known to be local policy;
 * 4. local-policy clocks: the closing (avslut), the investigation to IVO (praxis), the assessment
 *    days of a rapport that is not BRÅDSKANDE, casework days the municipality set itself;
 *
 * then the approaching, the in-time and the rest; within each, the earliest due day first. Pure.
 */
import type { ClockKind } from './clocks';

/** What hangs on a deadline: a consequence named in law, the law itself, or the municipality's own rule. */
export type DeadlineWeight = 'consequence' | 'statutory' | 'local-policy';

/** How a deadline stands (the weekly review's urgencies; the status summary uses the first and the third). */
export type DeadlineUrgency = 'forsenad' | 'kan-inte-bedomas' | 'narmar-sig' | 'i-tid' | 'ingen-frist';

export interface RankedDeadline {
  urgency: DeadlineUrgency;
  /** Only an overdue row is ranked by it; missing reads as statutory (never ranked below local policy unasked). */
  weight?: DeadlineWeight;
  /** ISO day the deadline falls on, when there is one. */
  due?: string;
}

/** The position of a deadline's group, lowest first (see the module comment). */
export function deadlineRank(d: Pick<RankedDeadline, 'urgency' | 'weight'>): number {
  switch (d.urgency) {
    case 'forsenad':
      return d.weight === 'consequence' ? 0 : d.weight === 'local-policy' ? 3 : 1;
    case 'kan-inte-bedomas':
      return 2;
    case 'narmar-sig':
      return 4;
    case 'i-tid':
      return 5;
    case 'ingen-frist':
      return 6;
  }
}

/** Most pressing first: by deadlineRank, then the earliest due day (a row without one first in its group). */
export function compareDeadlines(a: RankedDeadline, b: RankedDeadline): number {
  return deadlineRank(a) - deadlineRank(b) || (a.due ?? '').localeCompare(b.due ?? '');
}

/**
 * A lex Sarah clock's weight: the anmälan is the law's ("snarast", the days are only its local
 * reading), and so is the assessment of a BRÅDSKANDE rapport ("genast"); the closing, the
 * investigation to IVO and an ordinary assessment are counted in the municipality's own days.
 */
export function lexSarahWeight(run: { clock: ClockKind; urgent?: boolean }): DeadlineWeight {
  if (run.clock === 'anmalan') return 'statutory';
  if (run.clock === 'bedomning' && run.urgent) return 'statutory';
  return 'local-policy';
}

/** A casework clock's weight: a named consequence first, then whether the period is law or local policy. */
export function caseworkWeight(clock: { consequence?: string; localPolicy: boolean }): DeadlineWeight {
  if (clock.consequence) return 'consequence';
  return clock.localPolicy ? 'local-policy' : 'statutory';
}

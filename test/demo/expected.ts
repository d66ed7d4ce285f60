/**
 * What the demo history (src/demo/history.ts) says the bot should show, worked out from its own
 * description with the domain rules: shared by the seed test on a real SQLite file and the
 * end-to-end test through the Playground, so neither types an expected figure in.
 */
import path from 'node:path';
import { DateTime } from 'luxon';
import { recommend, requiresAnmalan } from '../../src/assessment/rules';
import { anmalanRunStart, clockStatus, DEFAULT_CLOCK_RULES, noAnmalanRunStart, runningClock, runningClockDue, type ClockKind, type ClockState } from '../../src/cases/clocks';
import { computeClock, statutoryCalendar, type CaseworkItem } from '../../src/casework/rules';
import type { DemoHistory, DemoReport } from '../../src/demo/history';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { urgencyReasons } from '../../src/reports/form';
import type { Answer, RiskQuestion } from '../../src/reports/categories';
import { WorkingCalendar } from '../../src/review/calendar';
import { resolveReviewSchedule } from '../../src/review/schedule';

export const ORG_FILE = path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml');
export const ORG = loadOrganisationFile(ORG_FILE);
export const TZ = 'Europe/Stockholm';
export const ALEX = '00000000-0000-0000-0000-0000000000020';
/** The unit Alex, the Playground's default user, leads: what `genomgång` shows him. */
export const ALEX_UNIT = 'bou-mottagning';
/** A Wednesday morning in Stockholm. */
export const NOW = new Date('2026-11-25T09:30:00.000Z');
export const WARN_DAYS = 7;
export const JUDGMENT_DAYS = 14;

export const calendar = new WorkingCalendar({ timeZone: TZ, deFactoHolidays: true });
/** Lagen (1930:173) calendar for casework deadlines; one, since it caches the holidays. */
export const statutory = statutoryCalendar(TZ);
export const schedules = new Map(ORG.committees.flatMap((c) => c.units.map((u) => [u.id, resolveReviewSchedule(u.review)] as const)));
export const scheduleFor = (unitId: string) => schedules.get(unitId);
export const settings = { timeZone: TZ, clockRules: DEFAULT_CLOCK_RULES, calendar, warnDays: WARN_DAYS, judgmentDays: JUDGMENT_DAYS, scheduleFor };
export const directory = new Directory(ORG);
export const unitsOf = (committeeId: string) => directory.allUnits().filter((u) => u.committeeId === committeeId).map((u) => u.id);

// --- What the description says, worked out with the domain rules ------------------------------

export interface Expected {
  state: DemoReport['intent']['state'];
  clock?: ClockKind;
  status?: ClockState;
  filedOn?: string;
}

/** A report's state and running clock at `now`, from its steps (the state machine's path). */
export function expectedReport(r: DemoReport, now: Date): Expected {
  let state: Expected['state'] = 'rapporterad';
  const decisions: { requiresAnmalan: boolean; decidedAt: Date }[] = [];
  let filedOn: string | undefined;
  let attached = false;
  for (const s of r.steps) {
    if (s.kind === 'start' && state === 'rapporterad') state = 'under-utredning';
    if (s.kind === 'decide') {
      state = 'bedomd';
      decisions.push({ requiresAnmalan: requiresAnmalan(recommend(s.answers, s.at).outcome), decidedAt: s.at });
    }
    if (s.kind === 'file') {
      state = 'anmald';
      filedOn = DateTime.fromJSDate(s.at, { zone: TZ }).toISODate()!;
      attached = s.attached;
    }
    if (s.kind === 'close') state = 'avslutad';
  }
  const decidedAt = anmalanRunStart(decisions);
  const closingFrom = noAnmalanRunStart(decisions);
  const risks = { hurt: r.form.risk_hurt, ongoing: r.form.risk_ongoing, vulnerable: r.form.risk_vulnerable, crime: r.form.risk_crime, before: r.form.risk_before } as Record<RiskQuestion, Answer>;
  const run =
    state === 'avslutad'
      ? undefined
      : runningClock({
          state,
          createdAt: r.createdAt,
          urgent: urgencyReasons(risks).length > 0,
          ...(decidedAt ? { anmalanDecidedAt: decidedAt } : {}),
          ...(closingFrom ? { noAnmalanDecidedAt: closingFrom } : {}),
          ...(filedOn ? { filedOn, investigationAttached: attached } : {}),
        });
  if (!run) return { state, ...(filedOn ? { filedOn } : {}) };
  const status = clockStatus(runningClockDue(run, calendar, DEFAULT_CLOCK_RULES, TZ), now, DEFAULT_CLOCK_RULES, TZ, run.clock).state;
  return { state, clock: run.clock, status, ...(filedOn ? { filedOn } : {}) };
}

/**
 * The open casework items with their clocks at `now`. A barnavårdsutredning counts from the first
 * opening under its reference (closing and reopening does not restart the four months).
 */
export function expectedCasework(h: DemoHistory, now: Date): { item: CaseworkItem; state: ClockState; reopened: boolean }[] {
  const out: { item: CaseworkItem; state: ClockState; reopened: boolean }[] = [];
  for (const { item } of h.casework) {
    if (item.status !== 'oppen') continue;
    const earlier = h.casework
      .map((w) => w.item)
      .filter((o) => o.type === 'barnavardsutredning' && o.caseReference === item.caseReference && o.utredningInledd! < (item.utredningInledd ?? ''))
      .map((o) => o.utredningInledd!)
      .sort();
    const counted = earlier[0] ? { ...item, forstaInledd: earlier[0], aterOppnad: true } : item;
    const clock = computeClock(counted, { today: now, timeZone: TZ, warnDays: WARN_DAYS, judgmentDays: JUDGMENT_DAYS, calendar: statutory });
    if (clock) out.push({ item, state: clock.state, reopened: !!earlier[0] });
  }
  return out;
}

export const tally = <T>(xs: readonly T[], f: (x: T) => string) => xs.reduce<Record<string, number>>((acc, x) => ((acc[f(x)] = (acc[f(x)] ?? 0) + 1), acc), {});


/**
 * The demo municipality's fictional history, as pure data computed from "now": what a newcomer
 * should find in Exempelby kommun the first time the bot starts with the demo organisation
 * (env/organisation.demo.yaml). ./seed.ts writes it through the same store paths real use takes.
 *
 * Everything is relative to `now` (TEST_CLOCK_START included), so the picture is the same
 * whatever day the demo starts: rapporter in every state, some BRÅDSKANDE, anmälningar overdue,
 * approaching and in time, one anmäld waiting for its investigation, an unassessed report past the
 * local assessment deadline, cases to be closed (decided without an anmälan, or with the
 * investigation at IVO) overdue, approaching and in time; casework items of every clock type on both sides of their deadlines;
 * the last four weeks' reviews, some done and some missed. The current week's review is left to
 * the user: marking it done is part of trying the bot.
 *
 * Each clock has an intended state (`intent`). Weekends, holidays and the local policy settings
 * move due days, so a clock's dates are fitted: the history tries the preferred day first and
 * then the days around it, with the same rule functions the review card and the status summary
 * use, and keeps the first that gives the intended state (or the preferred day if none does).
 *
 * Every free text is fictional and labelled "[Demo]"; references start with DEMO. No names of
 * clients, no identity numbers: `demoTexts` lists every text so the seed and its test can run
 * the identity-number guard over all of them.
 */
import { DateTime } from 'luxon';
import type { AssessmentAnswers } from '../assessment/rules';
import type { SosfsItem } from '../cases/case';
import { anmalanRunStart, clockStatus, noAnmalanRunStart, runningClock, runningClockDue, type ClockKind, type ClockRules, type ClockState } from '../cases/clocks';
import type { Informing } from '../cases/informing';
import { computeClock, statutoryCalendar, type CaseworkClockState, type CaseworkItem } from '../casework/rules';
import type { ReportState } from '../reports/report';
import type { WorkingCalendar } from '../review/calendar';
import { DEFAULT_REVIEW_SCHEDULE, reviewTimeline, reviewWeekOf, type ReviewSchedule } from '../review/schedule';

/** Every free text the demo writes starts with this: nobody should mistake it for a real case. */
export const DEMO_LABEL = '[Demo]';
/** A free text as seeded: labelled, unless empty (an optional field left blank stays blank). */
const labelled = (text: string) => (text ? `${DEMO_LABEL} ${text}` : '');
/** The casework import source of the demo register. */
export const DEMO_CASEWORK_SOURCE = 'demo';

/** The people of env/organisation.demo.yaml the history names (Entra object ids). */
export const DEMO_PEOPLE = {
  alex: '00000000-0000-0000-0000-0000000000020',
  megan: '00000000-0000-0000-0000-0000000000021',
  adele: '00000000-0000-0000-0000-0000000000022',
  lee: '00000000-0000-0000-0000-0000000000023',
  nestor: '00000000-0000-0000-0000-0000000000024',
} as const;
/** The handläggare named on the demo's casework items (the case system exports an e-mail address). */
const HANDLAGGARE = 'meganb@exempelby.example';

export interface HistoryOptions {
  now: Date;
  timeZone: string;
  /** Working days for the assessment clock and the review schedule (the app's calendar). */
  calendar: WorkingCalendar;
  clockRules: ClockRules;
  /** Casework "närmar sig" window (CASEWORK_WARN_DAYS). */
  warnDays: number;
  /** Local policy for court judgments (CASEWORK_JUDGMENT_DAYS). */
  judgmentDays: number;
  /** Each unit's review schedule, when not the default (Monday 09:00). */
  scheduleFor?: (unitId: string) => ReviewSchedule | undefined;
}

/** A step in a case, in the order it happened; people are Entra ids, resolved by the seed. */
export type DemoStep =
  | { kind: 'start'; at: Date; by: string; utredare: string }
  /** The responsible person decides the rules engine's recommendation for these answers. */
  | { kind: 'decide'; at: Date; by: string; answers: AssessmentAnswers; motivation?: string }
  | { kind: 'entry'; at: Date; by: string; item: SosfsItem; entryKind: 'fakta' | 'bedomning'; source: string; text: string }
  | { kind: 'action'; at: Date; by: string; owner: string; text: string; dueOn: string }
  /** A 'ja' is recorded as told on the step's own day. */
  | { kind: 'inform'; at: Date; by: string; informing: Informing }
  /** Filed with IVO on the step's own day. */
  | { kind: 'file'; at: Date; by: string; dnr: string; attached: boolean }
  | { kind: 'close'; at: Date; by: string; decisionText: string; motivation?: string };

export interface DemoReport {
  /** Stable name: the seed derives the form id (and so the idempotency) from it. */
  key: string;
  reporter: string;
  unitId: string;
  createdAt: Date;
  /** What the report form sends, minus the form id: the seed validates it as a submit would. */
  form: Record<string, string>;
  steps: DemoStep[];
  /** What this report is meant to show now: its state, and the clock running and how it stands. */
  intent: { state: ReportState; clock?: ClockKind; status?: ClockState };
}

export interface DemoCasework {
  item: CaseworkItem;
  /** Meant to show now: the clock's state; 'stoppad' when the obligation is fulfilled, 'avslutad' for a closed row. */
  intent: CaseworkClockState | 'stoppad' | 'avslutad';
}

export interface DemoReview {
  unitId: string;
  weekKey: string;
  by: string;
  doneAt: Date;
  comment?: string;
}

export interface DemoHistory {
  /** The "now" the history was computed for. */
  now: Date;
  /** Oldest first. */
  reports: DemoReport[];
  casework: DemoCasework[];
  reviews: DemoReview[];
  /** Weeks the history leaves without a review (for the description and the tests). */
  missedReviews: { unitId: string; weekKey: string }[];
}

// --- Time -----------------------------------------------------------------------------------

interface Clock {
  now: Date;
  tz: string;
  today: DateTime;
}

/** A calendar day `daysAgo` before today, ISO. */
const dayAgo = (c: Clock, daysAgo: number) => c.today.minus({ days: daysAgo }).toISODate()!;
/** Today minus a calendar amount (months first, as the law counts), ISO. */
const ago = (c: Clock, amount: { months?: number; days?: number }) => c.today.minus({ months: amount.months ?? 0 }).minus({ days: amount.days ?? 0 }).toISODate()!;
const at = (c: Clock, day: DateTime, hhmm: string) => DateTime.fromISO(`${day.toISODate()}T${hhmm}`, { zone: c.tz }).toJSDate();

/** The shifts tried, in order, when fitting a clock to its intended state. */
const SHIFTS = [0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, 8, 9, 10];

function fit<T>(build: (shift: number) => T, ok: (t: T) => boolean): T {
  for (const s of SHIFTS) {
    const t = build(s);
    if (ok(t)) return t;
  }
  return build(0);
}

// --- Reports --------------------------------------------------------------------------------

/** A planned step: `day` days after the day of receipt, at a local time. */
type PlannedStep = DistributiveOmit<DemoStep, 'at'> & { day: number; time: string };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface ReportPlan {
  key: string;
  reporter: string;
  unitId: string;
  /** Days before today it came in, and when (a report "today" comes in an hour or so before now). */
  receivedDaysAgo: number;
  receivedTime: string;
  /** Days before the day of receipt it happened / was noticed; a time only for earlier days. */
  occurred: { daysBefore: number; time?: string };
  noticed: { daysBefore: number; time?: string };
  location: string;
  category: string;
  whatHappened: string;
  consequences: string;
  immediateActions: string;
  informed: 'ja' | 'nej' | 'inte-annu';
  risks: { hurt: string; ongoing: string; vulnerable: string; crime: string; before: string };
  caseReference?: string;
  steps: PlannedStep[];
  intent: DemoReport['intent'];
}

/** Minutes between two steps when planned times collide; the last step is never later than this before now. */
const STEP_GAP_MS = 5 * 60_000;

function buildReport(c: Clock, p: ReportPlan): DemoReport {
  const receivedDay = c.today.minus({ days: p.receivedDaysAgo });
  const latest = c.now.getTime() - 2 * STEP_GAP_MS;
  // Steps in order, never two at once; then the whole case moves back if it would end after now.
  let created = Math.min(at(c, receivedDay, p.receivedTime).getTime(), latest);
  let prev = created;
  const times = p.steps.map((s) => (prev = Math.max(at(c, receivedDay.plus({ days: s.day }), s.time).getTime(), prev + STEP_GAP_MS)));
  const excess = Math.max(0, (times.at(-1) ?? created) - latest);
  created -= excess;
  const steps = p.steps.map(({ day: _day, time: _time, ...s }, i) => {
    const step = { ...s, at: new Date(times[i]! - excess) } as DemoStep;
    // Told on the day the step records it: never before the report, never in the future.
    if (step.kind === 'inform' && step.informing.informed === 'ja') step.informing = { ...step.informing, informedOn: DateTime.fromJSDate(step.at, { zone: c.tz }).toISODate()! };
    return step;
  });
  const createdAt = new Date(created);
  const createdDay = DateTime.fromJSDate(createdAt, { zone: c.tz }).startOf('day');
  const date = (daysBefore: number) => createdDay.minus({ days: daysBefore }).toISODate()!;
  // A time is given only for an earlier day: a time on the day of receipt could lie after it.
  const time = (x: { daysBefore: number; time?: string }) => (x.time && x.daysBefore > 0 ? x.time : '');
  return {
    key: p.key,
    reporter: p.reporter,
    unitId: p.unitId,
    createdAt,
    form: {
      unitId: p.unitId,
      occurredDate: date(p.occurred.daysBefore),
      occurredTime: time(p.occurred),
      noticedDate: date(p.noticed.daysBefore),
      noticedTime: time(p.noticed),
      location: labelled(p.location),
      category: p.category,
      whatHappened: labelled(p.whatHappened),
      consequences: labelled(p.consequences),
      immediateActions: labelled(p.immediateActions),
      informed: p.informed,
      risk_hurt: p.risks.hurt,
      risk_ongoing: p.risks.ongoing,
      risk_vulnerable: p.risks.vulnerable,
      risk_crime: p.risks.crime,
      risk_before: p.risks.before,
      caseReference: p.caseReference ?? '',
    },
    steps,
    intent: p.intent,
  };
}

/**
 * Where the report's clock stands at `now`, from its own steps: the state machine's path and the
 * clock rules. The seed's test computes the same from what was stored.
 */
export function plannedClock(r: DemoReport, o: Pick<HistoryOptions, 'now' | 'timeZone' | 'calendar' | 'clockRules'>, requiresAnmalan: (answers: AssessmentAnswers, at: Date) => boolean): { clock: ClockKind; status: ClockState } | undefined {
  let state: ReportState = 'rapporterad';
  const decisions: { requiresAnmalan: boolean; decidedAt: Date }[] = [];
  let filedOn: string | undefined;
  let attached = false;
  for (const s of r.steps) {
    if (s.kind === 'start') state = 'under-utredning';
    if (s.kind === 'decide') {
      state = 'bedomd';
      decisions.push({ requiresAnmalan: requiresAnmalan(s.answers, s.at), decidedAt: s.at });
    }
    if (s.kind === 'file') {
      state = 'anmald';
      filedOn = DateTime.fromJSDate(s.at, { zone: o.timeZone }).toISODate()!;
      attached = s.attached;
    }
    if (s.kind === 'close') state = 'avslutad';
  }
  // "Snarast" counts from the first of the current run of serious decisions, the closing from the
  // first of the run needing no anmälan, as the stores do.
  const anmalanDecidedAt = anmalanRunStart(decisions);
  const noAnmalanDecidedAt = noAnmalanRunStart(decisions);
  if (state === 'avslutad') return undefined;
  const run = runningClock({
    state,
    createdAt: r.createdAt,
    urgent: isUrgent(r.form),
    ...(anmalanDecidedAt ? { anmalanDecidedAt } : {}),
    ...(noAnmalanDecidedAt ? { noAnmalanDecidedAt } : {}),
    ...(filedOn ? { filedOn, investigationAttached: attached } : {}),
  });
  if (!run) return undefined;
  const due = runningClockDue(run, o.calendar, o.clockRules, o.timeZone);
  return { clock: run.clock, status: clockStatus(due, o.now, o.clockRules, o.timeZone, run.clock).state };
}

/** The form's urgency as the report service derives it (src/reports/form.ts urgencyReasons). */
function isUrgent(form: Record<string, string>): boolean {
  return ['risk_hurt', 'risk_ongoing', 'risk_vulnerable', 'risk_crime'].some((k) => form[k] !== 'nej');
}

const answers = (a: Partial<AssessmentAnswers>): AssessmentAnswers => ({
  scope: 'ja',
  impact: 'konsekvenser',
  severity: 'lindrig',
  riskClarity: 'ej-aktuell',
  abuse: 'nej',
  vulnerable: 'nej',
  repeated: 'nej',
  severalAffected: 'nej',
  ...a,
});

/** What an investigation documents (SOSFS 2011:5 5 kap.): every required item, for a case that closes. */
function investigation(by: string, firstDay: number, texts: Record<Exclude<SosfsItem, 'ovrigt' | 'beslut'>, string>): PlannedStep[] {
  return (Object.entries(texts) as [SosfsItem, string][]).map(([item, text], i) => ({
    kind: 'entry',
    by,
    item,
    entryKind: item === 'orsaker' || item === 'risk-for-upprepning' ? 'bedomning' : 'fakta',
    source: i % 2 === 0 ? 'Samtal med berörd personal' : 'Journalgranskning',
    text: `${DEMO_LABEL} ${text}`,
    day: firstDay + Math.floor(i / 2),
    time: i % 2 === 0 ? '10:00' : '14:30',
  }));
}

const note = (by: string, item: SosfsItem, day: number, text: string, entryKind: 'fakta' | 'bedomning' = 'fakta', source = 'Samtal med berörd personal'): PlannedStep => ({
  kind: 'entry', by, item, entryKind, source, text: `${DEMO_LABEL} ${text}`, day, time: '10:30',
});

function reportPlans(c: Clock, o: HistoryOptions): ReportPlan[] {
  const { alex, megan, adele, lee, nestor } = DEMO_PEOPLE;
  const sla = o.clockRules.anmalanSlaDays;
  const noRisk = { hurt: 'nej', ongoing: 'nej', vulnerable: 'nej', crime: 'nej', before: 'nej' };
  const child = { ...noRisk, vulnerable: 'ja' };
  const today = (days: number) => c.today.plus({ days }).toISODate()!;
  return [
    // --- Barn och unga – mottagning och utredning (Alex and Adele lead it) --------------------
    {
      key: 'orosanmalan-i-funktionsbrevladan',
      reporter: megan,
      unitId: 'bou-mottagning',
      receivedDaysAgo: 7,
      receivedTime: '09:40',
      occurred: { daysBefore: 6 },
      noticed: { daysBefore: 0 },
      location: 'Mottagningens funktionsbrevlåda',
      category: 'rattssakerhet',
      whatHappened: 'En orosanmälan om ett barn kom in till funktionsbrevlådan en fredag men registrerades först sex dagar senare. Under tiden gjordes ingen skyddsbedömning.',
      consequences: 'Skyddsbedömningen, som ska göras genast, blev nästan en vecka försenad. Inget tyder på att barnet kom till skada, men risken fanns.',
      immediateActions: 'Anmälan registrerades och skyddsbedömning gjordes samma dag som det upptäcktes. Två handläggare bevakar nu brevlådan varje dag.',
      informed: 'inte-annu',
      risks: { ...child, before: 'vet-ej' },
      steps: [],
      intent: { state: 'rapporterad', clock: 'bedomning', status: 'forsenad' },
    },
    {
      key: 'beslut-till-fel-adress',
      reporter: alex,
      unitId: 'bou-mottagning',
      receivedDaysAgo: 0,
      receivedTime: '08:15',
      occurred: { daysBefore: 3 },
      noticed: { daysBefore: 0 },
      location: 'Utskick från mottagningen',
      category: 'rattssakerhet',
      whatHappened: 'Ett beslut om att inte inleda utredning skickades till en vårdnadshavares tidigare adress. Brevet öppnades av den som bor där nu.',
      consequences: 'Uppgifter om familjen kan ha lämnats ut till en obehörig (sekretess).',
      immediateActions: 'Vårdnadshavaren är kontaktad. Adressen i verksamhetssystemet är rättad.',
      informed: 'ja',
      risks: noRisk,
      steps: [],
      intent: { state: 'rapporterad', clock: 'bedomning', status: 'i-tid' },
    },
    {
      key: 'ensam-i-vantrummet',
      reporter: megan,
      unitId: 'bou-mottagning',
      receivedDaysAgo: 1,
      receivedTime: '15:10',
      occurred: { daysBefore: 1, time: '13:30' },
      noticed: { daysBefore: 1, time: '14:45' },
      location: 'Mottagningens väntrum',
      category: 'bemotande',
      whatHappened: 'Ett barn i tioårsåldern väntade ensamt i receptionen i över en timme efter ett samtal, eftersom ingen hade ordnat skjuts hem.',
      consequences: 'Barnet blev oroligt och ledset. Ingen vuxen visste var barnet var under tiden.',
      immediateActions: 'Barnet fick skjuts hem av två medarbetare. Rutinen för hur barnsamtal avslutas ses över.',
      informed: 'ja',
      risks: child,
      steps: [{ kind: 'start', by: alex, utredare: lee, day: 0, time: '16:00' }],
      intent: { state: 'under-utredning', clock: 'bedomning', status: 'narmar-sig' },
    },
    {
      key: 'skyddsbedomning-dagen-efter',
      reporter: megan,
      unitId: 'bou-mottagning',
      receivedDaysAgo: sla + 6,
      receivedTime: '10:15',
      occurred: { daysBefore: 1, time: '16:20' },
      noticed: { daysBefore: 0 },
      location: 'Mottagningens telefonrådgivning',
      category: 'insatser',
      whatHappened: 'Uppgifter om våld i hemmet kom in per telefon sent en eftermiddag. Skyddsbedömningen gjordes först dagen efter, och under natten fanns barnet kvar i hemmet utan att någon kontrollerat situationen.',
      consequences: 'Barnet var kvar en natt utan bedömt skydd. Ingen ny skada är känd, men risken var påtaglig.',
      immediateActions: 'Skyddsbedömning gjordes nästa morgon och barnet bor tillfälligt hos en anhörig.',
      informed: 'inte-annu',
      risks: { ...child, hurt: 'vet-ej', crime: 'ja' },
      steps: [
        { kind: 'start', by: alex, utredare: lee, day: 0, time: '14:00' },
        note(lee, 'vad-och-konsekvenser', 1, 'Samtalet kom in kl. 16.20. Ärendet lades i kön för nästa dag i stället för att lämnas till den som hade jour.'),
        { kind: 'decide', by: alex, answers: answers({ impact: 'risk', riskClarity: 'paataglig', severity: 'allvarlig', vulnerable: 'ja' }), day: 1, time: '11:00' },
      ],
      intent: { state: 'bedomd', clock: 'anmalan', status: 'forsenad' },
    },
    {
      key: 'samtal-utan-tolk',
      reporter: megan,
      unitId: 'bou-mottagning',
      receivedDaysAgo: 24,
      receivedTime: '13:05',
      occurred: { daysBefore: 2, time: '10:00' },
      noticed: { daysBefore: 1 },
      location: 'Samtalsrum, mottagningen',
      category: 'rattssakerhet',
      whatHappened: 'Ett utredningssamtal med en familj hölls utan tolk trots att familjen hade begärt det. Barnets uppgifter återgavs därför genom ett äldre syskon.',
      consequences: 'Uppgifterna i utredningen kan vara felaktiga, och syskonet fick bära ett ansvar som inte var syskonets.',
      immediateActions: 'Ett nytt samtal med tolk är bokat.',
      informed: 'ja',
      risks: { ...child, before: 'ja' },
      steps: [
        { kind: 'start', by: alex, utredare: adele, day: 0, time: '15:00' },
        note(adele, 'vad-och-konsekvenser', 2, 'Tolk var beställd men avbokades av misstag när samtalet flyttades.'),
        note(adele, 'nar-och-hur-uppmarksammat', 2, 'Handläggaren uppmärksammade det när anteckningen skulle skrivas in samma eftermiddag.'),
        note(adele, 'orsaker', 5, 'Avbokningen gjordes i bokningssystemet utan att den som bokat fick veta det.', 'bedomning', 'Genomgång av bokningssystemet'),
        {
          kind: 'decide',
          by: lee,
          answers: answers({ vulnerable: 'ja' }),
          motivation: `${DEMO_LABEL} Konsekvenserna bedöms som lindriga: uppgifterna har kontrollerats i ett nytt samtal med tolk, och inget i utredningen vilar längre på syskonets återgivning.`,
          day: 6,
          time: '09:30',
        },
        { kind: 'action', by: adele, owner: adele, text: `${DEMO_LABEL} Gå igenom rutinen för tolkbokning på nästa arbetsplatsträff.`, dueOn: today(10), day: 6, time: '10:00' },
        { kind: 'inform', by: adele, informing: { about: 'utredningen', informed: 'ja', informedOn: '', role: 'vardnadshavare' }, day: 7, time: '11:00' },
      ],
      // No anmälan needed, but the investigation goes on: the case is to be closed (local policy).
      intent: { state: 'bedomd', clock: 'avslut', status: 'i-tid' },
    },
    {
      key: 'uppgifter-till-misstankt-vardnadshavare',
      reporter: megan,
      unitId: 'bou-mottagning',
      receivedDaysAgo: 45,
      receivedTime: '08:50',
      occurred: { daysBefore: 1, time: '15:00' },
      noticed: { daysBefore: 0 },
      location: 'Mottagningen',
      category: 'rattssakerhet',
      whatHappened: 'Uppgifter ur en orosanmälan om misstänkta övergrepp lämnades vid ett telefonsamtal till den vårdnadshavare som misstänktes, innan polisen hunnit höra barnet.',
      consequences: 'Barnet kan ha utsatts för påtryckningar, och polisens utredning kan ha försvårats.',
      immediateActions: 'Barnet placerades akut samma dag. Polisen informerades.',
      informed: 'ja',
      risks: { hurt: 'vet-ej', ongoing: 'ja', vulnerable: 'ja', crime: 'ja', before: 'nej' },
      caseReference: 'DEMO-BOU-140',
      steps: [
        { kind: 'start', by: alex, utredare: lee, day: 0, time: '10:00' },
        note(lee, 'vad-och-konsekvenser', 1, 'Handläggaren läste upp delar av anmälan för vårdnadshavaren för att förklara varför socialtjänsten hörde av sig.'),
        note(lee, 'nar-det-hande', 1, 'Samtalet hölls dagen innan rapporten skrevs, på eftermiddagen.'),
        { kind: 'decide', by: alex, answers: answers({ severity: 'allvarlig', abuse: 'vet-ej', vulnerable: 'ja' }), day: 2, time: '13:00' },
        { kind: 'file', by: alex, dnr: 'DEMO-IVO-A17', attached: false, day: 9, time: '11:00' },
        note(lee, 'orsaker', 20, 'Rutinen för samråd med polisen före kontakt med vårdnadshavare var inte känd av nyanställda.', 'bedomning'),
      ],
      intent: { state: 'anmald', clock: 'utredning', status: 'i-tid' },
    },
    {
      key: 'hembesok-dokumenterades-sent',
      reporter: megan,
      unitId: 'bou-mottagning',
      receivedDaysAgo: 30,
      receivedTime: '11:20',
      occurred: { daysBefore: 21 },
      noticed: { daysBefore: 0 },
      location: 'Journalen',
      category: 'rattssakerhet',
      whatHappened: 'Anteckningarna från ett hembesök fördes in i journalen först tre veckor efter besöket.',
      consequences: 'Ingen känd konsekvens för barnet: kollegorna kände till besöket.',
      immediateActions: 'Anteckningarna är införda.',
      informed: 'nej',
      risks: child,
      steps: [
        { kind: 'start', by: alex, utredare: adele, day: 0, time: '13:00' },
        note(adele, 'vad-och-konsekvenser', 3, 'Besöket var känt i arbetsgruppen och följdes upp enligt plan, trots att anteckningen saknades.'),
        {
          kind: 'decide',
          by: lee,
          answers: answers({ impact: 'ingen', vulnerable: 'ja' }),
          motivation: `${DEMO_LABEL} Barnets situation var känd och bevakad hela tiden; förseningen i journalen påverkade inga beslut.`,
          day: 4,
          time: '10:00',
        },
        {
          kind: 'close',
          by: lee,
          decisionText: `${DEMO_LABEL} Ställningstagande: inget missförhållande. Dokumentationen blev försenad, men barnets situation var känd och bevakad under hela tiden.`,
          motivation: `${DEMO_LABEL} Frågan om dokumentationstider tas upp på nästa arbetsplatsträff.`,
          day: 6,
          time: '15:00',
        },
      ],
      intent: { state: 'avslutad' },
    },
    {
      key: 'umgange-utan-stod',
      reporter: megan,
      unitId: 'bou-mottagning',
      receivedDaysAgo: 75,
      receivedTime: '09:00',
      occurred: { daysBefore: 1, time: '17:00' },
      noticed: { daysBefore: 1, time: '20:30' },
      location: 'Överlämning vid umgänge',
      category: 'insatser',
      whatHappened: 'Ett barn lämnades över till en förälder som enligt beslutet bara fick träffa barnet med umgängesstöd. Umgängesstödet hade inte bokats.',
      consequences: 'Barnet var ensamt med föräldern i tre timmar och har berättat att det blev rädd.',
      immediateActions: 'Barnet hämtades samma kväll. Rutinen för överlämningar gicks igenom med alla handläggare.',
      informed: 'ja',
      risks: { ...child, hurt: 'vet-ej' },
      steps: [
        { kind: 'start', by: alex, utredare: lee, day: 0, time: '10:00' },
        { kind: 'decide', by: alex, answers: answers({ severity: 'allvarlig', vulnerable: 'ja' }), day: 1, time: '14:00' },
        ...investigation(lee, 2, {
          'vad-och-konsekvenser': 'Umgänget genomfördes utan stöd. Barnet var rädd men skadades inte fysiskt.',
          'nar-och-hur-uppmarksammat': 'Familjehemmet ringde socialjouren samma kväll när barnet inte kommit tillbaka.',
          'nar-det-hande': 'Dagen före rapporten, mellan kl. 17 och 20.',
          orsaker: 'Bokningen av umgängesstöd låg hos en handläggare som var sjuk; ingen ersättare var utsedd.',
          'hant-tidigare': 'Det har inte hänt tidigare i enheten.',
          'risk-for-upprepning': 'Risken bedöms som låg sedan en ersättare alltid utses.',
          atgarder: 'Checklista för överlämningar infördes, och en ersättare utses alltid vid frånvaro.',
        }),
        { kind: 'file', by: alex, dnr: 'DEMO-IVO-A09', attached: true, day: 8, time: '11:00' },
        { kind: 'inform', by: lee, informing: { about: 'utfallet', informed: 'ja', informedOn: '', role: 'vardnadshavare' }, day: 27, time: '10:00' },
        {
          kind: 'close',
          by: alex,
          decisionText: `${DEMO_LABEL} Utredningen är klar och skickad till IVO med anmälan. Åtgärderna är genomförda och följs upp i nästa egenkontroll.`,
          day: 28,
          time: '14:00',
        },
      ],
      intent: { state: 'avslutad' },
    },
    // --- Familjehemsenheten (Adele leads it) ---------------------------------------------------
    {
      key: 'placerat-barn-utan-besok',
      reporter: adele,
      unitId: 'bou-familjehem',
      receivedDaysAgo: Math.max(1, sla - 4 + 1),
      receivedTime: '10:40',
      occurred: { daysBefore: 3 },
      noticed: { daysBefore: 0 },
      location: 'Familjehem i kommunen',
      category: 'insatser',
      whatHappened: 'Ett placerat barn har inte fått de besök av sin socialsekreterare som vårdplanen anger: inget besök har gjorts på fem månader.',
      consequences: 'Barnet har inte haft någon att berätta för om hur det har det i familjehemmet.',
      immediateActions: 'Ett besök är bokat den här veckan.',
      informed: 'inte-annu',
      risks: { ...child, ongoing: 'ja', before: 'ja' },
      steps: [
        { kind: 'start', by: adele, utredare: lee, day: 0, time: '13:00' },
        { kind: 'decide', by: lee, answers: answers({ severity: 'betydande', vulnerable: 'ja', repeated: 'ja' }), day: 1, time: '10:00' },
      ],
      intent: { state: 'bedomd', clock: 'anmalan', status: 'narmar-sig' },
    },
    {
      key: 'familjehem-utan-kontroll',
      reporter: adele,
      unitId: 'bou-familjehem',
      receivedDaysAgo: 32,
      receivedTime: '09:15',
      occurred: { daysBefore: 5 },
      noticed: { daysBefore: 1 },
      location: 'Familjehemsutredningen',
      category: 'rattssakerhet',
      whatHappened: 'Ett barn placerades i ett familjehem innan utdrag ur belastningsregistret hade hämtats för alla vuxna i hemmet.',
      consequences: 'Barnet bodde i två veckor i ett hem där en vuxen inte var kontrollerad. Inget tyder på att barnet kom till skada.',
      immediateActions: 'Utdraget är hämtat och utan anmärkning. Checklistan för familjehemsutredningar är uppdaterad.',
      informed: 'ja',
      risks: { ...child, ongoing: 'nej' },
      steps: [
        { kind: 'start', by: adele, utredare: lee, day: 0, time: '11:00' },
        { kind: 'decide', by: lee, answers: answers({ impact: 'risk', riskClarity: 'paataglig', severity: 'allvarlig', vulnerable: 'ja' }), day: 1, time: '10:00' },
        ...investigation(lee, 2, {
          'vad-och-konsekvenser': 'Placeringen gjordes innan kontrollen av alla vuxna i hemmet var klar. Barnet har inte kommit till skada.',
          'nar-och-hur-uppmarksammat': 'Det upptäcktes vid en genomgång av akten inför det första uppföljningsbesöket.',
          'nar-det-hande': 'Placeringen verkställdes fem dagar före rapporten; kontrollen saknades i två veckor.',
          orsaker: 'Checklistan angav inte att alla vuxna i hemmet ska kontrolleras, bara familjehemsföräldrarna.',
          'hant-tidigare': 'Det har inte hänt tidigare enligt genomgången av årets placeringar.',
          'risk-for-upprepning': 'Risken bedöms som låg sedan checklistan rättats.',
          atgarder: 'Checklistan är rättad och gås igenom med alla familjehemssekreterare.',
        }),
        { kind: 'file', by: lee, dnr: 'DEMO-IVO-A21', attached: true, day: 7, time: '14:00' },
      ],
      // At IVO with the anmälan, but the case was never closed: its closing deadline is near.
      intent: { state: 'anmald', clock: 'avslut', status: 'narmar-sig' },
    },
    {
      key: 'umgangesstod-uteblev',
      reporter: adele,
      unitId: 'bou-familjehem',
      receivedDaysAgo: 4,
      receivedTime: '14:00',
      occurred: { daysBefore: 2 },
      noticed: { daysBefore: 1 },
      location: 'Familjehem utanför kommunen',
      category: 'insatser',
      whatHappened: 'Ett familjehem har vid upprepade tillfällen hindrat ett barns umgänge med syskon som beslutats i vårdplanen.',
      consequences: 'Barnet har inte träffat sina syskon på två månader.',
      immediateActions: 'Samtal med familjehemmet är inbokat.',
      informed: 'ja',
      risks: { ...child, ongoing: 'ja', before: 'ja' },
      steps: [
        { kind: 'start', by: adele, utredare: lee, day: 0, time: '15:30' },
        { kind: 'decide', by: lee, answers: answers({ severity: 'betydande', vulnerable: 'ja', repeated: 'ja' }), day: 2, time: '11:00' },
      ],
      intent: { state: 'bedomd', clock: 'anmalan', status: 'i-tid' },
    },
    {
      key: 'jourhem-tog-telefonen',
      reporter: adele,
      unitId: 'bou-familjehem',
      receivedDaysAgo: 0,
      receivedTime: '07:50',
      occurred: { daysBefore: 2 },
      noticed: { daysBefore: 1 },
      location: 'Jourhem',
      category: 'bemotande',
      whatHappened: 'Ett jourhem har vid två tillfällen låst in ett barns mobiltelefon som bestraffning.',
      consequences: 'Barnet kunde inte nå sin mamma eller sin socialsekreterare under en helg.',
      immediateActions: 'Jourhemmet är kontaktat och barnet har fått tillbaka telefonen.',
      informed: 'inte-annu',
      risks: { ...child, ongoing: 'ja', before: 'ja' },
      steps: [],
      intent: { state: 'rapporterad', clock: 'bedomning', status: 'narmar-sig' },
    },
    // --- Solgårdens särskilda boende (Vård- och omsorgsnämnden) -------------------------------
    {
      key: 'larm-besvarades-sent',
      reporter: nestor,
      unitId: 'solgarden',
      receivedDaysAgo: sla + 9,
      receivedTime: '07:30',
      occurred: { daysBefore: 1, time: '02:10' },
      noticed: { daysBefore: 1, time: '02:50' },
      location: 'Solgården, avdelning Björken',
      category: 'insatser',
      whatHappened: 'En boende med demenssjukdom larmade under natten men fick hjälp först efter fyrtio minuter. Den boende hade fallit och låg på golvet.',
      consequences: 'Den boende fick ett blåmärke på höften och var mycket rädd.',
      immediateActions: 'Nattpersonalen har fått en ny rutin för att kvittera larm. Larmleverantören är kontaktad.',
      informed: 'ja',
      risks: { hurt: 'ja', ongoing: 'vet-ej', vulnerable: 'ja', crime: 'nej', before: 'ja' },
      steps: [
        { kind: 'start', by: lee, utredare: lee, day: 0, time: '10:00' },
        { kind: 'decide', by: nestor, answers: answers({ severity: 'betydande', vulnerable: 'ja', repeated: 'ja' }), day: 2, time: '09:00' },
      ],
      intent: { state: 'bedomd', clock: 'anmalan', status: 'forsenad' },
    },
    {
      key: 'kvallsmedicin-for-sent',
      reporter: nestor,
      unitId: 'solgarden',
      receivedDaysAgo: 5,
      receivedTime: '21:15',
      occurred: { daysBefore: 1 },
      noticed: { daysBefore: 0 },
      location: 'Solgården, avdelning Eken',
      category: 'insatser',
      whatHappened: 'En boende fick sin kvällsmedicin två timmar för sent tre kvällar i rad, eftersom signeringslistan inte fanns på plats.',
      consequences: 'Den boende sov dåligt och var orolig.',
      immediateActions: 'Signeringslistan är tillbaka och sjuksköterskan går igenom listorna varje kväll.',
      informed: 'ja',
      risks: { ...noRisk, ongoing: 'nej', vulnerable: 'ja', before: 'ja' },
      steps: [{ kind: 'start', by: lee, utredare: lee, day: 1, time: '09:00' }],
      intent: { state: 'under-utredning', clock: 'bedomning', status: 'forsenad' },
    },
    {
      key: 'fel-kost-till-boende',
      reporter: nestor,
      unitId: 'solgarden',
      receivedDaysAgo: 50,
      receivedTime: '13:40',
      occurred: { daysBefore: 0 },
      noticed: { daysBefore: 0 },
      location: 'Solgården, avdelning Björken',
      category: 'insatser',
      whatHappened: 'En boende med sväljsvårigheter fick normalkost i stället för konsistensanpassad kost vid en lunch.',
      consequences: 'Den boende hostade under måltiden men kunde äta. Ingen skada.',
      immediateActions: 'Kostlistan i köket är uppdaterad och personalen informerad.',
      informed: 'ja',
      risks: { ...noRisk, vulnerable: 'ja' },
      steps: [
        { kind: 'start', by: lee, utredare: lee, day: 0, time: '15:00' },
        note(lee, 'vad-och-konsekvenser', 2, 'Köket hade en äldre kostlista. Den boende hostade men fick ingen skada.'),
        {
          kind: 'decide',
          by: nestor,
          answers: answers({ vulnerable: 'ja' }),
          motivation: `${DEMO_LABEL} Konsekvensen blev lindrig och kostlistan rättades samma dag; utredningen fortsätter om varför listan inte uppdaterades.`,
          day: 3,
          time: '10:00',
        },
      ],
      // The Båstad pattern: judged "ej allvarligt", then left open, the investigation never finished.
      intent: { state: 'bedomd', clock: 'avslut', status: 'forsenad' },
    },
    {
      key: 'nedlatande-i-matsalen',
      reporter: nestor,
      unitId: 'solgarden',
      receivedDaysAgo: 40,
      receivedTime: '12:30',
      occurred: { daysBefore: 0 },
      noticed: { daysBefore: 0 },
      location: 'Solgården, matsalen',
      category: 'bemotande',
      whatHappened: 'En anhörig upplevde att en vikarie talade nedlåtande till en boende i matsalen.',
      consequences: 'Den boende verkade inte ha uppfattat det.',
      immediateActions: 'Samtal med vikarien samma dag.',
      informed: 'ja',
      risks: { ...noRisk, vulnerable: 'ja' },
      steps: [
        { kind: 'start', by: lee, utredare: lee, day: 0, time: '14:00' },
        note(lee, 'vad-och-konsekvenser', 3, 'Vikarien och två kollegor har hörts. Tonen var skämtsam och den boende har själv sagt att hon inte tog illa upp.'),
        {
          kind: 'decide',
          by: nestor,
          answers: answers({ impact: 'ingen', vulnerable: 'ja' }),
          motivation: `${DEMO_LABEL} Inget hot mot eller konsekvens för den boende; bemötandet följs upp i introduktionen av vikarier.`,
          day: 5,
          time: '10:00',
        },
        { kind: 'close', by: nestor, decisionText: `${DEMO_LABEL} Ställningstagande: inget missförhållande.`, motivation: `${DEMO_LABEL} Bemötandet tas upp i introduktionen av vikarier.`, day: 6, time: '11:00' },
      ],
      intent: { state: 'avslutad' },
    },
  ];
}

// --- Casework -------------------------------------------------------------------------------

type CaseworkPlan = { intent: DemoCasework['intent']; make: (shift: number) => CaseworkItem };

function caseworkPlans(c: Clock, o: HistoryOptions): CaseworkPlan[] {
  const d = (n: number) => dayAgo(c, n);
  const open = (caseReference: string, type: CaseworkItem['type'], unitId: string, dates: Partial<CaseworkItem>): CaseworkItem => ({
    caseReference,
    type,
    unitId,
    status: 'oppen',
    ...(unitId.startsWith('bou-') ? { handlaggare: HANDLAGGARE } : {}),
    ...dates,
  });
  const bou = 'bou-mottagning';
  const fh = 'bou-familjehem';
  return [
    // Förhandsbedömning: 14 days from the orosanmälan.
    { intent: 'forsenad', make: (s) => open('DEMO-BOU-101', 'forhandsbedomning', bou, { orosanmalanMottagen: d(20 + s) }) },
    { intent: 'narmar-sig', make: (s) => open('DEMO-BOU-102', 'forhandsbedomning', bou, { orosanmalanMottagen: d(10 + s) }) },
    { intent: 'i-tid', make: (s) => open('DEMO-BOU-103', 'forhandsbedomning', bou, { orosanmalanMottagen: d(Math.max(0, 2 + s)) }) },
    // Omedelbar skyddsbedömning: "genast", the day the orosanmälan came in (weekends too).
    { intent: 'forsenad', make: (s) => open('DEMO-BOU-100', 'skyddsbedomning', bou, { orosanmalanMottagen: d(2 + s) }) },
    { intent: 'narmar-sig', make: () => open('DEMO-BOU-099', 'skyddsbedomning', bou, { orosanmalanMottagen: d(0) }) },
    // Barnavårdsutredning: four months from the first opening.
    { intent: 'forsenad', make: (s) => open('DEMO-BOU-111', 'barnavardsutredning', bou, { utredningInledd: ago(c, { months: 4, days: 12 + s }) }) },
    { intent: 'narmar-sig', make: (s) => open('DEMO-BOU-112', 'barnavardsutredning', bou, { utredningInledd: ago(c, { months: 4, days: -4 + s }) }) },
    { intent: 'i-tid', make: (s) => open('DEMO-BOU-113', 'barnavardsutredning', bou, { utredningInledd: d(25 + s) }) },
    // Closed and reopened under the same reference: counted from the first opening (JO, IVO).
    { intent: 'avslutad', make: () => ({ ...open('DEMO-BOU-114', 'barnavardsutredning', bou, { utredningInledd: ago(c, { months: 3, days: 2 }) }), status: 'avslutad' }) },
    { intent: 'i-tid', make: (s) => open('DEMO-BOU-114', 'barnavardsutredning', bou, { utredningInledd: d(14 + s) }) },
    // Extended in time for särskilda skäl.
    {
      intent: 'i-tid',
      make: (s) => {
        const opened = ago(c, { months: 4, days: 5 + s });
        return open('DEMO-BOU-115', 'barnavardsutredning', bou, {
          utredningInledd: opened,
          forlangningBeslutad: DateTime.fromISO(opened, { zone: c.tz }).plus({ months: 3 }).toISODate()!,
          forlangdTill: c.today.plus({ days: 30 }).toISODate()!,
        });
      },
    },
    // Uppföljning after a closed utredning: ends within six months.
    { intent: 'forsenad', make: (s) => open('DEMO-BOU-151', 'uppfoljning', bou, { beslutsdatum: ago(c, { months: 6, days: 5 + s }) }) },
    { intent: 'i-tid', make: (s) => open('DEMO-BOU-152', 'uppfoljning', bou, { beslutsdatum: ago(c, { months: 2, days: s }) }) },
    // LVU 6 §: underställning within a week, ansökan om vård within four weeks.
    { intent: 'forsenad', make: (s) => open('DEMO-BOU-121', 'omedelbart-omhandertagande', bou, { lvuBeslut: d(10 + s), omhandertagandeVerkstallt: d(10 + s) }) },
    { intent: 'narmar-sig', make: (s) => open('DEMO-BOU-122', 'omedelbart-omhandertagande', bou, { lvuBeslut: d(25 + s), omhandertagandeVerkstallt: d(25 + s), understalltDatum: d(22 + s) }) },
    // LVU 5 §: vården påbörjas within four weeks of laga kraft.
    { intent: 'forsenad', make: (s) => open('DEMO-BOU-131', 'vard-lvu-verkstallighet', bou, { lagaKraft: d(35 + s) }) },
    { intent: 'i-tid', make: (s) => open('DEMO-BOU-132', 'vard-lvu-verkstallighet', bou, { lagaKraft: d(6 + s) }) },
    // Placed children: övervägande every six months (SoL, LVU 2 §), omprövning (LVU 3 §), flyttningsförbud every three.
    { intent: 'forsenad', make: (s) => open('DEMO-FH-201', 'overvagande-sol', fh, { placeringStart: ago(c, { months: 7, days: s }) }) },
    { intent: 'narmar-sig', make: (s) => open('DEMO-FH-202', 'overvagande-sol', fh, { placeringStart: ago(c, { months: 14 }), senasteOvervagande: ago(c, { months: 6, days: -4 + s }) }) },
    { intent: 'i-tid', make: (s) => open('DEMO-FH-203', 'overvagande-sol', fh, { placeringStart: ago(c, { months: 12 }), senasteOvervagande: ago(c, { months: 2, days: s }) }) },
    { intent: 'forsenad', make: (s) => open('DEMO-FH-211', 'overvagande-lvu2', fh, { placeringStart: ago(c, { months: 6, days: 10 + s }) }) },
    { intent: 'i-tid', make: (s) => open('DEMO-FH-212', 'overvagande-lvu2', fh, { placeringStart: ago(c, { months: 9 }), senasteOvervagande: ago(c, { months: 3, days: s }) }) },
    { intent: 'forsenad', make: (s) => open('DEMO-FH-221', 'omprovning-lvu3', fh, { lvuBeslut: ago(c, { months: 13 }), senasteOmprovning: ago(c, { months: 6, days: 3 + s }) }) },
    { intent: 'narmar-sig', make: (s) => open('DEMO-FH-222', 'omprovning-lvu3', fh, { lvuBeslut: ago(c, { months: 6, days: -5 + s }) }) },
    { intent: 'forsenad', make: (s) => open('DEMO-FH-231', 'flyttningsforbud', fh, { lvuBeslut: ago(c, { months: 3, days: 8 + s }) }) },
    { intent: 'i-tid', make: (s) => open('DEMO-FH-232', 'flyttningsforbud', fh, { lvuBeslut: ago(c, { months: 5 }), senasteOmprovning: ago(c, { months: 1, days: s }) }) },
    // Jourhem: at most two months after the utredning ended; the first vårdplan revision within two
    // years of placement; vårdnadsöverflyttning considered after two years in the familjehem, then yearly.
    { intent: 'forsenad', make: (s) => open('DEMO-FH-251', 'jourhem', fh, { beslutsdatum: ago(c, { months: 2, days: 6 + s }) }) },
    { intent: 'i-tid', make: (s) => open('DEMO-FH-252', 'jourhem', fh, { beslutsdatum: ago(c, { months: 1, days: s }) }) },
    { intent: 'forsenad', make: (s) => open('DEMO-FH-261', 'vardplan-revidering', fh, { placeringStart: ago(c, { months: 24, days: 10 + s }) }) },
    { intent: 'i-tid', make: (s) => open('DEMO-FH-262', 'vardplan-revidering', fh, { placeringStart: ago(c, { months: 20, days: s }) }) },
    { intent: 'forsenad', make: (s) => open('DEMO-FH-271', 'vardnadsoverflyttning', fh, { placeringStart: ago(c, { months: 24, days: 12 + s }) }) },
    { intent: 'narmar-sig', make: (s) => open('DEMO-FH-272', 'vardnadsoverflyttning', fh, { placeringStart: ago(c, { months: 36 }), senasteOvervagande: ago(c, { months: 12, days: -5 + s }) }) },
    // Ej verkställt beslut: verkställ snarast from day one, report to IVO within three months.
    { intent: 'narmar-sig', make: (s) => open('DEMO-FH-241', 'ej-verkstallt-beslut', fh, { beslutsdatum: d(40 + s) }) },
    { intent: 'forsenad', make: (s) => open('DEMO-VUX-301', 'ej-verkstallt-beslut', 'vuxenenheten', { beslutsdatum: ago(c, { months: 3, days: 20 + s }) }) },
    // A court judgment applies at once; the local policy gives it a number of days.
    { intent: 'forsenad', make: (s) => open('DEMO-VUX-302', 'ej-verkstallt-beslut', 'vuxenenheten', { beslutsdatum: d(o.judgmentDays + 8 + s), domstol: true }) },
    { intent: 'stoppad', make: () => open('DEMO-VUX-303', 'ej-verkstallt-beslut', 'vuxenenheten', { beslutsdatum: d(30), verkstalltDatum: d(3) }) },
    { intent: 'narmar-sig', make: (s) => open('DEMO-VUX-304', 'ej-verkstallt-beslut', 'vuxenenheten', { beslutsdatum: d(Math.max(0, 3 + s)), domstol: true }) },
    { intent: 'narmar-sig', make: (s) => open('DEMO-LSS-401', 'ej-verkstallt-beslut', 'gruppbostad-eken', { beslutsdatum: ago(c, { months: 4 }), rapporteradIvo: ago(c, { months: 1, days: s }) }) },
    { intent: 'forsenad', make: (s) => open('DEMO-LSS-402', 'ej-verkstallt-beslut', 'gruppbostad-eken', { beslutsdatum: ago(c, { months: 3, days: 10 + s }) }) },
    { intent: 'narmar-sig', make: (s) => open('DEMO-HT-501', 'ej-verkstallt-beslut', 'hemtjanst-norr', { beslutsdatum: d(20 + s) }) },
  ];
}

/**
 * How a casework item stands at `now`, by the rules the review card uses (one calendar per
 * history: it caches the holidays). A reopened investigation is fitted as if it were new; its
 * four months count from the first opening once imported, which only makes it later.
 */
export function caseworkIntentNow(item: CaseworkItem, o: Pick<HistoryOptions, 'now' | 'timeZone' | 'warnDays' | 'judgmentDays'>, calendar: WorkingCalendar = statutoryCalendar(o.timeZone)): DemoCasework['intent'] {
  if (item.status === 'avslutad') return 'avslutad';
  const clock = computeClock(item, { today: o.now, timeZone: o.timeZone, warnDays: o.warnDays, judgmentDays: o.judgmentDays, calendar });
  return clock ? clock.state : 'stoppad';
}

// --- Reviews --------------------------------------------------------------------------------

/** The last four weeks (the status summary counts four), per unit with a chef: done, or missed. */
const REVIEW_PLAN: readonly { unitId: string; weeksAgo: number; by?: string; comment?: string }[] = [
  { unitId: 'bou-mottagning', weeksAgo: 1, by: DEMO_PEOPLE.alex, comment: 'Försenade bevakningar genomgångna; två förhandsbedömningar har fått ny handläggare.' },
  { unitId: 'bou-mottagning', weeksAgo: 2, by: DEMO_PEOPLE.adele },
  { unitId: 'bou-mottagning', weeksAgo: 3 },
  { unitId: 'bou-mottagning', weeksAgo: 4, by: DEMO_PEOPLE.alex },
  { unitId: 'bou-familjehem', weeksAgo: 1, by: DEMO_PEOPLE.adele, comment: 'Överväganden som närmar sig är fördelade.' },
  { unitId: 'bou-familjehem', weeksAgo: 2 },
  { unitId: 'bou-familjehem', weeksAgo: 3, by: DEMO_PEOPLE.adele },
  { unitId: 'bou-familjehem', weeksAgo: 4 },
];

function reviews(c: Clock, o: HistoryOptions): Pick<DemoHistory, 'reviews' | 'missedReviews'> {
  const done: DemoReview[] = [];
  const missed: DemoHistory['missedReviews'] = [];
  const calendar = o.calendar;
  for (const p of REVIEW_PLAN) {
    const weekKey = reviewWeekOf(DateTime.fromJSDate(c.now, { zone: c.tz }).minus({ weeks: p.weeksAgo }).toJSDate(), c.tz).key;
    if (!p.by) {
      missed.push({ unitId: p.unitId, weekKey });
      continue;
    }
    const schedule = o.scheduleFor?.(p.unitId) ?? DEFAULT_REVIEW_SCHEDULE;
    // Done a couple of hours after it fell due, never later than now.
    const due = reviewTimeline(weekKey, schedule, calendar, { timeZone: c.tz }).dueAt;
    const doneAt = new Date(Math.min(due.getTime() + 2 * 3600_000, c.now.getTime() - 3600_000));
    done.push({ unitId: p.unitId, weekKey, by: p.by, doneAt, ...(p.comment ? { comment: `${DEMO_LABEL} ${p.comment}` } : {}) });
  }
  return { reviews: done, missedReviews: missed };
}

// --- The history ----------------------------------------------------------------------------

/**
 * The demo history for `now`. Pure: the same options give the same history. `requiresAnmalan`
 * says whether the rules engine's recommendation for a decision's answers requires an anmälan
 * (src/assessment/rules.ts), used to fit the anmälan clocks.
 */
export function demoHistory(o: HistoryOptions, requiresAnmalan: (answers: AssessmentAnswers, at: Date) => boolean): DemoHistory {
  const c: Clock = { now: o.now, tz: o.timeZone, today: DateTime.fromJSDate(o.now, { zone: o.timeZone }).startOf('day') };
  const reports = reportPlans(c, o)
    .map((p) =>
      fit(
        (s) => buildReport(c, { ...p, receivedDaysAgo: Math.max(0, p.receivedDaysAgo + s) }),
        (r) => {
          const clock = plannedClock(r, o, requiresAnmalan);
          return p.intent.clock ? clock?.clock === p.intent.clock && clock.status === p.intent.status : true;
        },
      ),
    )
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const statutory = statutoryCalendar(o.timeZone);
  const casework = caseworkPlans(c, o).map((p) => ({
    intent: p.intent,
    item: fit(p.make, (item) => {
      try {
        return caseworkIntentNow(item, o, statutory) === p.intent;
      } catch {
        return false;
      }
    }),
  }));
  return { now: o.now, reports, casework, ...reviews(c, o) };
}

/** Every free text the history writes, with where it goes: the guard runs over all of them. */
export function demoTexts(h: DemoHistory): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  const add = (where: string, text: string | undefined) => {
    if (text) out.push({ where, text });
  };
  for (const r of h.reports) {
    for (const f of ['location', 'whatHappened', 'consequences', 'immediateActions', 'caseReference'] as const) add(`${r.key}.${f}`, r.form[f]);
    r.steps.forEach((s, i) => {
      const where = `${r.key}.steps[${i}]`;
      if (s.kind === 'decide') add(`${where}.motivation`, s.motivation);
      if (s.kind === 'entry') (add(`${where}.text`, s.text), add(`${where}.source`, s.source));
      if (s.kind === 'action') add(`${where}.text`, s.text);
      if (s.kind === 'inform' && s.informing.informed === 'nej') add(`${where}.whyNot`, s.informing.whyNot);
      if (s.kind === 'file') add(`${where}.dnr`, s.dnr);
      if (s.kind === 'close') (add(`${where}.decisionText`, s.decisionText), add(`${where}.motivation`, s.motivation));
    });
  }
  for (const w of h.casework) add(`casework.${w.item.caseReference}`, w.item.caseReference);
  for (const r of h.reviews) add(`review.${r.unitId}.${r.weekKey}`, r.comment);
  return out;
}

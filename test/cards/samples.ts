/**
 * Realistic data for EVERY template in adaptive-cards/, built the way the app builds it (through
 * the builders in src/cards where they live there, otherwise in the shape the services pass).
 * Every free-text field goes through `fill(realistic, maxLength)`: the hostile test adds markdown
 * and links to it, the worst-case test replaces it with the most expensive text of that length;
 * `many` is how long lists are (realistic or the most the app allows).
 */
import { helpCard, noticeCard, welcomeCard } from '../../src/cards/basic-cards';
import { caseCard, draftCard, type DraftSection } from '../../src/cards/case-cards';
import { caseReminderCard } from '../../src/cards/case-reminder-cards';
import { referencesAt } from '../../src/assessment/legal-references';
import type { AdaptiveCard, CardRenderer } from '../../src/cards/render';
import { reportFormCard, reportListCard, reportNotificationCard, reportReceiptCard, reportViewCard } from '../../src/cards/report-cards';
import { reviewCard, reviewEscalationCard } from '../../src/cards/review-cards';
import { statusCard, statusQuestionCard } from '../../src/cards/status-cards';
import { COMMANDS } from '../../src/commands/commands';
import type { UnitInfo } from '../../src/org/directory';
import type { Abilities } from '../../src/reports/abilities';
import { reportingRefusal, unplacedReporterNote } from '../../src/reports/access';
import { MY_REPORTS_LIMIT } from '../../src/reports/service';
import { WorkingCalendar } from '../../src/review/calendar';
import { REVIEW_PAGE_SIZE } from '../../src/review/service';
import { unjudgeableReason } from '../../src/review/unjudgeable';
import { DATE_FIELDS } from '../../src/casework/rules';
import type { Report } from '../../src/reports/report';
import { summarise } from '../../src/status/summary';
import type { TemplateName } from '../../src/cards/templates';
import { patternAlertCard } from '../../src/cards/pattern-cards';
import { compilationCard } from '../../src/cards/compilation-cards';
import { compilationFigures } from '../../src/compilation/figures';
import { OUTCOMES } from '../../src/assessment/rules';
import { CATEGORIES } from '../../src/reports/categories';
import { ITEM_TYPES, ITEM_TYPE_TITLES } from '../../src/casework/rules';

export type Fill = (realistic: string, max: number) => string;

/** Ordinary Swedish prose of exactly `max` characters, with punctuation and a few markdown characters. */
export const prose = (max: number): string =>
  'Brukaren på äldreboendet föll i duschen kl. 10:30; personalen (två undersköterskor) hjälpte hen upp – "ingen skada" sades det. Åtgärd: se *rutin* 3.2. '.repeat(Math.ceil(max / 150)).slice(0, max);

const TZ = 'Europe/Stockholm';
const NOW = new Date('2026-11-25T10:00:00.000Z');
/** The most names a list on a card can hold in practice (chefs and samordnare of one nämnd). */
const PEOPLE = 12;
/** Names come from Entra ID / the organisation file: 256 is Entra's limit for a display name. */
const NAME = 256;

function report(f: Fill): Report {
  return {
    id: 1, reference: 'LS-2026-0001', seq: 1, year: 2026, state: 'under-utredning', updatedAt: NOW, formId: 'f', unitId: 'u1', committeeId: 'sn',
    occurredAt: NOW, occurredTimeKnown: true, noticedAt: NOW, noticedTimeKnown: false, location: f('Mottagningen', 200), category: 'psykiska',
    whatHappened: f('En medarbetare skrek åt ett barn.', 4000), consequences: f('Barnet blev rädd.', 4000), immediateActions: f('Samtal med medarbetaren.', 4000),
    informed: 'ja', risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'ja', crime: 'vet-ej', before: 'nej' } as Report['risks'],
    caseReference: f('BoU 2026/123', 40), reporterEntraId: 'e1', reporterName: f('Megan Bowen', NAME), urgent: true, createdAt: NOW,
  };
}

/** Every command offered, `roles` roles with names from the organisation file, and the longest note on reporting. */
function everything(f: Fill, roles: number): Abilities {
  return {
    intents: COMMANDS.map((c) => c.intent), caseRights: ['view-case', 'investigate', 'decide'], shared: false,
    roles: Array.from({ length: roles }, (_, i) => ({ role: i % 2 ? 'enhetschef' as const : 'samordnare' as const, scopeName: f(`Enhet ${i}`, NAME) })),
    reportingNote: reportingRefusal('not-in-organisation', f('Exempelby kommun', NAME)),
  };
}

/** One builder per registered template (a template added to the registry without a sample does not compile). */
export function samples(r: CardRenderer, f: Fill, many: boolean): Record<TemplateName, () => AdaptiveCard> {
  const n = (realistic: number, most: number) => (many ? most : realistic);
  // Texts the app writes itself (instructions, validation messages, notices): hostile in the
  // inertness test, but at their real length in the worst case, since no user can make them longer.
  const app = (text: string, max: number) => (many ? text : f(text, max));
  const list = <T>(count: number, make: (i: number) => T) => Array.from({ length: count }, (_, i) => make(i));
  const names = (count: number) => list(count, (i) => f(`Person ${i}`, NAME));
  const units: UnitInfo[] = list(n(3, 40), (i) => ({ id: `u${i}`, name: f(`Enhet ${i}`, NAME), area: 'annat', committeeId: 'sn', committeeName: f('Socialnämnden', NAME) }));
  return {
    // The most a person can be offered: every command, many roles with the longest names, and a
    // note on reporting (written by the app; its longest, naming the municipality).
    welcome: () => welcomeCard(r, { municipality: f('Exempelby kommun', NAME), firstName: f('Alex', NAME), abilities: everything(f, n(3, 40)) }),
    help: () => helpCard(r, f('Jag förstod inte.', 500), everything(f, n(3, 40))),
    notice: () => noticeCard(r, f('Rubrik', 200), f('Text', 2000)),
    'status-question': () => statusQuestionCard(r, f('Vilken vecka menar du?', 500), list(3, (i) => f(`status vecka ${47 + i}`, 60))),
    'report-form': () =>
      reportFormCard(r, {
        formId: 'f', reporterName: f('Megan Bowen', NAME), today: '2026-11-22',
        units: units.map((u) => ({ id: u.id, name: u.name })), defaultUnitId: 'u1',
        notice: app(unplacedReporterNote('Exempelby kommun'), 400),
        // Echoed after a validation error. Three inputs of 4,000 characters that are all 2-byte
        // characters or backslashes (24 KB of values) cannot be echoed under MAX_CARD_BYTES: form
        // validation caps them (LONG_TEXT_BUDGET_BYTES, tested at the cap in templates.test.ts); ordinary prose at the
        // maximum length can, and is what the worst case uses here.
        values: {
          location: f('Mottagningen', 200), caseReference: f('BoU 2026/1', 40),
          ...(many ? { whatHappened: prose(4000), consequences: prose(4000), immediateActions: prose(4000) } : { whatHappened: f('Det som hände.', 4000), consequences: f('Följder.', 4000), immediateActions: f('Åtgärder.', 4000) }),
        },
        errors: { location: f('Högst 200 tecken.', 200), caseReference: f('Ogiltigt.', 200) },
      }),
    'report-receipt': () => reportReceiptCard(r, { report: report(f), told: names(n(2, PEOPLE)), pending: names(n(2, PEOPLE)), notReached: names(n(1, PEOPLE)), timeZone: TZ }),
    'report-notification': () => reportNotificationCard(r, { report: report(f), unitName: f('Barn och unga, mottagning', NAME), role: 'enhetschef', timeZone: TZ }),
    // The longest category title and next step, every report urgent, each unit name at its longest.
    'report-list': () =>
      reportListCard(r, {
        reports: list(n(3, MY_REPORTS_LIMIT), (i) => ({
          summary: { id: i, reference: `LS-2026-${String(i).padStart(4, '0')}`, unitId: 'u1', category: 'rattssakerhet', state: 'bedomd', urgent: true, createdAt: NOW },
          unitName: f(`Barn och unga – mottagning ${i}`, NAME),
        })),
        timeZone: TZ,
      }),
    'report-view': () => reportViewCard(r, { report: report(f), unitName: f('Barn och unga, mottagning', NAME), timeZone: TZ }),
    case: () =>
      caseCard(
        r,
        {
          reference: 'LS-2026-0001', urgent: true, notice: f('Anteckningen är sparad.', 300), noticeColor: 'Good',
          facts: [
            { title: 'Läge', value: 'Under utredning' }, { title: 'Enhet', value: f('Barn och unga', NAME) }, { title: 'Rapportör', value: f('Megan Bowen', NAME) },
            { title: 'Utredare', value: f('Lee Gu', NAME) }, { title: 'Bedömning', value: f('Allvarligt missförhållande (Alex Wilber, 1 dec. 2026)', NAME + 80) },
            { title: 'Anmäld till IVO', value: f('1 dec. 2026, dnr 3.5.1-1/2026', 80) },
          ],
          clocks: [{ text: 'Anmälan till IVO snarast: senast 15 dec. 2026 (om 14 dagar).', color: 'Warning', weight: 'Bolder' }],
          clocksStyle: 'warning', whatHappened: f('En medarbetare skrek åt ett barn.', 4000), consequences: f('Barnet blev rädd.', 4000),
          next: list(6, (i) => ({ title: `Steg ${i}`, verb: 'case.document-form' })), nextHint: '',
        },
        list(n(3, 60), (i) => ({ item: 'Orsaker som identifierats', meta: `fakta; ${f('Lee Gu', NAME)}, 1 dec. 2026; källa: ${f('Intervju', 200)}`, text: f(`Anteckning ${i}.`, 4000) })),
        list(n(2, 60), (i) => ({ text: f(`Åtgärd ${i}`, 1000), meta: `ansvarig ${f('Adele Vance', NAME)}, klart senast 2027-01-15` })),
      ),
    'case-form': () =>
      r.render('case-form', {
        reference: 'LS-2026-0001', formId: 'f', title: 'Avsluta ärendet', texts: [{ text: app('Ingen anmälan till IVO har gjorts: skriv en motivering (ställningstagande).', 300), weight: 'Default', color: 'Default' }],
        error: app('Någon annan ändrade ärendet medan du skrev. Se över uppgifterna och skicka igen.', 300), verb: 'case.close', submitTitle: 'Avsluta',
        inputs: [
          { kind: 'multiline', id: 'decision', label: 'Beslut', required: true, maxLength: 4000, value: f('Beslut.', 4000), choices: [], hint: '', error: app('Måste fyllas i.', 200) },
          { kind: 'multiline', id: 'motivation', label: 'Motivering', required: false, maxLength: 4000, value: f('Motivering.', 4000), choices: [], hint: app('Krävs när ingen anmälan till IVO har gjorts.', 200), error: '' },
          { kind: 'choice', id: 'utredare', label: 'Utredare', required: true, maxLength: 4000, value: 'e1', choices: names(n(3, PEOPLE)).map((title, i) => ({ title, value: `e${i}` })), hint: '', error: '' },
        ],
      }),
    'case-recommendation': () =>
      r.render('case-recommendation', {
        reference: 'LS-2026-0001', outcomeTitle: 'Allvarligt missförhållande', requiresAnmalan: true, reasons: [{ text: 'Övergrepp mot en sårbar person.' }], borderline: [{ text: 'Flera personer berörs.' }], references: [{ text: 'SoL 27 kap. 6 §' }],
        outcomes: [{ title: 'Allvarligt missförhållande', value: 'allvarligt-missforhallande' }], decided: 'allvarligt-missforhallande', motivation: f('Motivering.', 4000),
        error: f('Bedömningen behöver göras om.', 300), motivationError: f('Skriv en motivering.', 300), answers: JSON.stringify({ impact: f('konsekvenser', 40) }), basedOn: '2147483647',
      }),
    'case-draft': () => {
      const sections: DraftSection[] = [
        { title: 'Avsändare', paragraphs: [f('Exempelby kommun, Socialnämnden', NAME * 2)] },
        { title: 'Var och när', paragraphs: [f('Mottagningen', 200)] },
        { title: 'Vad har hänt', paragraphs: [f('Det som hände.', 4000), ...list(n(1, 40), (i) => f(`Anteckning ${i}.`, 4000))] },
        { title: 'Konsekvenser för den enskilde', paragraphs: [f('Följder.', 4000)] },
        { title: 'Planerade åtgärder', paragraphs: list(n(1, 40), (i) => f(`Åtgärd ${i}`, 1000 + NAME + 40)) },
        { title: 'Kontaktperson', paragraphs: [f('Alex Wilber, alex@exempelby.se', NAME * 2)] },
      ];
      return draftCard(r, 'LS-2026-0001', sections);
    },
    'case-reminder': () =>
      caseReminderCard(r, { reference: 'LS-2026-0001', unitName: f('Gruppbostaden Eken', NAME), run: { clock: 'bedomning', receivedAt: NOW, urgent: true }, kind: 'overdue', escalation: true, due: NOW, timeZone: TZ, law: referencesAt(NOW, ['utreda-avhjalpa', 'lss']) }),
    review: () =>
      reviewCard(r, {
        unit: { id: 'u1', name: f('Barn och unga', NAME) }, weekKey: '2026-W48',
        counts: { forsenad: 1, 'kan-inte-bedomas': 12, 'narmar-sig': 2, 'i-tid': 3, 'ingen-frist': 0 }, lexSarahOpen: 1,
        // Imported ärendereferenser are 1–40 characters (casework/csv.ts); a lex Sarah row opens its case.
        items: list(n(3, REVIEW_PAGE_SIZE), (i) => i % 4 === 3 ? ({
          // A casework row whose deadline cannot be judged: the longest reason the review writes (src/review/unjudgeable.ts).
          kind: 'casework' as const, reference: f(`BoU 2026/${i}`, 40), what: 'Vårdnadsöverflyttning: tidsfristen kan inte bedömas', urgency: 'kan-inte-bedomas' as const,
          warning: unjudgeableReason({ caseReference: 'x', type: 'vardnadsoverflyttning', unitId: 'u1', status: 'oppen', ...Object.fromEntries(DATE_FIELDS.map((d) => [d, 'x'])) }),
          responsible: { role: 'handlaggare' as const, kind: 'named' as const, name: f('Adele Vance', NAME) },
        }) : ({
          kind: i % 2 ? 'casework' as const : 'lex-sarah' as const, reference: f(`BoU 2026/${i}`, 40),
          // Written by the rules, not typed by anyone: the longest they write is about 122 characters.
          what: 'Vårdnadsöverflyttning (återöppnad) (förlängd): Överväg vårdnadsöverflyttning; även försenat: Ansökan om vård hos förvaltningsrätten',
          urgency: 'forsenad' as const, due: '2026-11-01', daysLeft: -24, daysOpen: 120, dueLabel: 'rapporteras till IVO senast',
          // The longest basis and warning the casework rules write (src/casework/rules.ts).
          basis: 'SoL 34 kap. 1–2 §§; LSS 28 f–g §§ (kontrollera hänvisningen); antalet dagar är lokal rutin, inte lag',
          warning: 'Förlängningen beslutades först efter att fristen hade gått ut och räddar inte utredningen (förlängning får bara beslutas för viss tid innan fristen löpt ut).',
          // Names from the organisation file (Entra's 256 characters), or an e-mail from the export (320 at most) it does not know.
          responsible: i % 3 === 2
            ? { role: 'handlaggare' as const, kind: 'unlisted' as const, email: f('ny.kollega@exempelby.se', 320) }
            : { role: i % 2 ? 'handlaggare' as const : 'utredare' as const, kind: 'named' as const, name: f('Adele Vance', NAME) },
        })),
        total: 45, page: 0, pageSize: REVIEW_PAGE_SIZE, done: { by: f('Adele Vance', NAME), at: NOW, comment: f('Alla gicks igenom.', 1000) },
        notice: app('Jag påminner dig i morgon bitti (kl. 08:00).', 200), refreshUserIds: list(n(2, 60), (i) => `29:${'x'.repeat(40)}${i}`), timeZone: TZ,
      }),
    'review-escalation': () =>
      reviewEscalationCard(r, { unitName: f('Barn och unga', NAME), weekKey: '2026-W48', chefNames: names(n(2, PEOPLE)), workingDays: 3, dueAt: new Date('2026-11-23T08:00:00Z'), timeZone: TZ }),
    status: () => {
      const summary = summarise({
        units,
        counts: {
          newReports: units.map((u, i) => ({ unitId: u.id, count: i })),
          openByState: units.map((u, i) => ({ unitId: u.id, state: 'rapporterad' as const, count: i + 1 })),
          filings: [],
          casework: units.map((u, i) => ({ unitId: u.id, type: 'forhandsbedomning', overdue: i % 5, approaching: i % 3 })),
          caseworkUnjudgeable: units.map((u, i) => ({ unitId: u.id, count: i % 4 })),
        },
        clockCases: list(30, (i) => ({ reportId: i, reference: `LS-2026-${String(i).padStart(4, '0')}`, unitId: units[i % units.length]!.id, committeeId: 'sn', state: 'bedomd' as const, anmalanDecidedAt: new Date('2026-11-01T10:00:00Z') })),
        // The longest review lines: every unit counted since a start inside the window ("v.45–47: 2 av 3 veckor sedan starten").
        reviews: units.flatMap((u) => ['2026-W45', '2026-W46'].map((weekKey) => ({ unitId: u.id, weekKey, doneBy: { entraId: 'e1', name: 'Adele Vance' }, doneAt: NOW }))),
        reviewWeeks: { current: '2026-W48', before: ['2026-W47', '2026-W46', '2026-W45', '2026-W44'] },
        calendar: new WorkingCalendar(),
        reviewDueAt: () => new Date('2026-11-23T08:00:00Z'),
        remindersStartedAt: NOW,
        unreachable: { people: list(n(2, 5), (i) => ({ entraId: `p${i}`, name: f(`Person ${i}`, NAME), failures: 2, lastAt: NOW, lastStatus: 'failed' as const })), total: 9 },
        now: NOW,
        timeZone: TZ,
      });
      // The pattern alerts' line with the longest counts.
      summary.patternAlerts = { inPeriod: 999_999, undecided: 999_999 };
      const scope = { kind: 'committee' as const, id: 'sn', title: f('Socialnämnden', NAME), units };
      const period = { from: new Date('2026-11-22T23:00:00Z'), to: NOW, label: 'denna vecka' };
      // Fewer units when long names would make it too big, as the app does.
      return statusCard(r, { scope, period, live: true, summary, now: NOW, timeZone: TZ });
    },
    'pattern-alert': () =>
      patternAlertCard(r, {
        id: 1, rule: 'kategori-rapporter', threshold: { count: 3, windowDays: 30 }, count: n(3, 5_000),
        scopeName: f('Barn och unga', NAME), committeeName: f('Socialnämnden', NAME), categoryLabel: f('Fysiska övergrepp', 100),
        references: list(n(3, 5_000), (i) => `LS-2026-${String(i + 1).padStart(4, '0')}`), firedAt: NOW,
        decision: { outcome: 'analys-paborjad', motivation: f('Vi gör en samlad risk- och händelseanalys.', 2000), by: f('Lee Gu', NAME), at: NOW },
        error: app('Skriv en motivering: vad beslutades och varför.', 300), values: { outcome: 'analys-paborjad', motivation: f('Motivering', 2000) }, timeZone: TZ,
        refreshUserIds: list(n(2, 60), (i) => `29:${'x'.repeat(100)}${i}`),
      }),
    compilation: () => {
      const unitIds = units.map((u) => u.id);
      const outcomes = Object.keys(OUTCOMES);
      const record = {
        reports: unitIds.flatMap((u) => Object.keys(CATEGORIES).map((c) => ({ unitId: u, category: c, count: 99_999, urgent: 9_999 }))),
        decisions: outcomes.flatMap((d) => outcomes.map((rec) => ({ decidedOutcome: d, recommendedOutcome: rec, requiresAnmalan: true, count: 99_999 }))),
        filings: unitIds.map((u) => ({ unitId: u, count: 999 })),
        toDecisionHours: [{ value: 30, count: 9 }], anmalanRuns: [{ filedOn: '2026-06-01', runStart: new Date('2026-05-20T08:00:00Z') }], toInvestigationDays: [{ value: 60, count: 9 }],
        actions: { done: 99_999, open: 99_999, openOverdue: 99_999 },
        reviews: unitIds.map((u) => ({ unitId: u, weekKey: '2026-W10' })),
        casework: ITEM_TYPES.map((t) => ({ type: t, open: 99_999, overdue: 99_999 })),
      };
      const alerts = n(3, 10_000);
      return compilationCard(r, {
        committeeId: 'sn', committeeName: f('Socialnämnden', NAME), municipality: f('Exempelby kommun', NAME),
        period: { from: new Date('2025-12-31T23:00:00Z'), to: NOW, label: 'i år' }, generatedAt: NOW, timeZone: TZ,
        figures: compilationFigures(record, unitIds, () => new Set(list(52, (i) => `2026-W${String(i + 1).padStart(2, '0')}`)), (d) => d.toISOString().slice(0, 10)),
        question: f('i år', 200),
        unitNames: new Map(units.map((u) => [u.id, u.name])),
        categoryLabel: (c) => f(CATEGORIES[c as keyof typeof CATEGORIES] ?? c, 100),
        outcomeLabel: (o) => f(OUTCOMES[o as keyof typeof OUTCOMES] ?? o, 100),
        caseworkLabel: (t) => f(ITEM_TYPE_TITLES[t as keyof typeof ITEM_TYPE_TITLES] ?? t, 100),
        alerts: {
          total: alerts, byRule: new Map([['enhet-rapporter', alerts]]), decided: new Map([['Analys påbörjad', 1]]), undecided: alerts - 1,
          listed: list(Math.min(alerts, 10_000), (i) => ({ id: i + 1, rule: 'enhet-rapporter' as const, scopeName: f(`Enhet ${i}`, NAME), period: '2026-11-01', decision: 'Inget ställningstagande ännu' })),
        },
      }, `https://lexsarah.example.se/api/exports/${'a'.repeat(43)}`);
    },
  };
}

/**
 * The sammanställning card (adaptive-cards/compilation.json), and the only place it is built. Counts,
 * names and references only. What grows with the organisation is the units (named in two sections)
 * and the pattern alerts: at most UNITS_SHOWN and ALERTS_SHOWN are named, fewer when the names are
 * long (measured, src/cards/fit.ts), the rest counted, with a pointer to the Excel file, which has
 * them all (test/compilation/card.test.ts renders the worst case).
 */
import type { CompilationResult, CompilationView } from '../compilation/service';
import type { Stats } from '../compilation/figures';
import { PATTERN_RULE_TITLES } from '../patterns/view';
import { largestFitting } from './fit';
import { plural } from './plural';
import type { AdaptiveCard, CardRenderer } from './render';
import { swedishDate } from './swedish-dates';
import type { CompilationTemplate } from './templates';

export const UNITS_SHOWN = 25;
export const ALERTS_SHOWN = 15;

type Fact = { title: string; value: string };
type Section = CompilationTemplate['sections'][number];

const decimal = (n: number) => (Math.round(n * 10) / 10).toString().replace('.', ',');

/** "median 1,5 dagar, längst 12 dagar (8 ärenden)" from hours or days. */
export function timeText(s: Stats | undefined, unit: 'hours' | 'days'): string {
  if (!s) return 'inga ärenden ännu';
  const days = (v: number) => (unit === 'hours' ? v / 24 : v);
  const phrase = (v: number) => {
    const d = days(v);
    if (unit === 'hours' && d < 1) return plural(Math.round(v), 'timme', 'timmar');
    return Number.isInteger(d) ? plural(d, 'dag', 'dagar') : `${decimal(d)} dagar`;
  };
  return `median ${phrase(s.median)}, längst ${phrase(s.max)} (${plural(s.n, 'ärende', 'ärenden')})`;
}

/** The first `max` facts, and a line counting the rest. */
function capped(facts: Fact[], max: number, what: [string, string]): { facts: Fact[]; note: string } {
  if (facts.length <= max) return { facts, note: '' };
  const rest = facts.length - max;
  return { facts: facts.slice(0, max), note: `och ${plural(rest, what[0], what[1])} till – alla finns i Excel-filen.` };
}

/** The card's data, naming at most `shown` units per section and alerts (see compilationCard). */
export function compilationData(v: CompilationView, exportUrl = '', shown = UNITS_SHOWN): CompilationTemplate {
  const f = v.figures;
  const unitName = (id: string) => v.unitNames.get(id) ?? id;
  const sections: Section[] = [];

  const categories = [...f.reports.byCategory].sort((a, b) => b[1] - a[1]).map(([c, n]) => ({ title: v.categoryLabel(c), value: String(n) }));
  sections.push({
    title: `Rapporter: ${f.reports.total}`,
    facts: categories,
    note: f.reports.total ? `Varav ${plural(f.reports.urgent, 'brådskande', 'brådskande')}.` : 'Inga rapporter under perioden.',
  });
  const byUnit = capped(
    [...f.reports.byUnit].sort((a, b) => b[1].count - a[1].count).map(([u, x]) => ({ title: unitName(u), value: x.urgent ? `${x.count} (${x.urgent} brådskande)` : String(x.count) })),
    Math.min(shown, UNITS_SHOWN),
    ['enhet', 'enheter'],
  );
  sections.push({ title: 'Rapporter per enhet', ...byUnit });

  sections.push({
    title: `Bedömningar: ${f.decisions.total}`,
    facts: [...f.decisions.byOutcome].map(([o, n]) => ({ title: v.outcomeLabel(o), value: String(n) })),
    note: f.decisions.total
      ? `Beslutet avvek från rekommendationen i ${f.decisions.departed} av ${f.decisions.total}. ${plural(f.reports.total - f.decisions.total, 'rapport', 'rapporter')} väntar på bedömning.`
      : 'Inga bedömningar av periodens rapporter ännu.',
  });
  sections.push({
    title: `Anmälningar till IVO av periodens rapporter: ${f.anmalningar}`,
    facts: [
      { title: 'Rapport → bedömning', value: timeText(f.toDecisionHours, 'hours') },
      { title: 'Bedömning → anmälan', value: timeText(f.toAnmalanDays, 'days') },
      { title: 'Anmälan → utredningen till IVO', value: timeText(f.toInvestigationDays, 'days') },
    ],
    note: `${f.decisions.requiringAnmalan} av bedömningarna kräver anmälan. Tiderna gäller periodens rapporter; en utredning som bifogades anmälan räknas som 0 dagar.`,
  });
  sections.push({
    title: 'Åtgärder',
    facts: [
      { title: 'Genomförda', value: String(f.actions.done) },
      { title: 'Pågående', value: String(f.actions.open) },
      { title: 'Försenade', value: String(f.actions.openOverdue) },
    ],
    note: '',
  });
  const reviews = capped(
    f.reviews.map((r) => ({ title: unitName(r.unitId), value: r.due ? `${r.done} av ${r.due}` : 'ingen vecka att räkna' })),
    Math.min(shown, UNITS_SHOWN),
    ['enhet', 'enheter'],
  );
  sections.push({ title: 'Veckogenomgångar gjorda', facts: reviews.facts, note: reviews.note || 'Veckor räknas från att påminnelserna startade.' });
  sections.push({
    title: 'Ärenden i registret (i dag)',
    facts: f.casework.map((c) => ({ title: v.caseworkLabel(c.type), value: `${c.open} öppna, ${plural(c.overdue, 'försenad', 'försenade')}` })),
    note: f.casework.length ? '' : 'Inga öppna ärenden i registret.',
  });
  const a = v.alerts;
  const alertFacts = a.listed.slice(0, Math.min(shown, ALERTS_SHOWN)).map((x) => ({ title: `${PATTERN_RULE_TITLES[x.rule]}, ${x.scopeName} (${x.period})`, value: x.decision }));
  const decided = [...a.decided].map(([label, n]) => `${label}: ${n}`).join(', ');
  sections.push({
    title: `Signaler om mönster: ${a.total}`,
    facts: alertFacts,
    note: a.total
      ? `${decided ? `${decided}. ` : ''}Utan ställningstagande: ${a.undecided}.${a.total > alertFacts.length ? ` ${plural(a.total - alertFacts.length, 'signal', 'signaler')} till finns i Excel-filen.` : ''}`
      : 'Inga signaler under perioden.',
  });

  return {
    title: `Sammanställning lex Sarah – ${v.committeeName}`,
    subtitle: `${v.period.label} · ${v.municipality} · uttagen ${swedishDate(v.generatedAt, v.timeZone, true)}`,
    intro: 'Underlag för nämndens uppföljning. Bara antal, namn på enheter och referenser – aldrig rapporternas text.',
    sections,
    committeeId: v.committeeId,
    question: v.question,
    exportUrl,
    exportNote: exportUrl ? 'Länken fungerar en gång och bara en kort stund. Ladda ner filen igen med knappen på en ny sammanställning.' : '',
  };
}

/** The card, naming as many units and alerts as fit under Teams' limit (the rest are counted; the file has them all). */
export function compilationCard(r: CardRenderer, v: CompilationView, exportUrl = ''): AdaptiveCard {
  const shown = largestFitting(UNITS_SHOWN, (n) => r.fits('compilation', compilationData(v, exportUrl, n)));
  // Not even the counts fit: render the full data so the error names the real size.
  return r.render('compilation', compilationData(v, exportUrl, shown ?? UNITS_SHOWN));
}

/** The answer to "sammanställning": a card per nämnd, or a message (a refusal, or a question about the period). */
export function compilationAnswer(r: CardRenderer, result: CompilationResult): AdaptiveCard[] | string {
  if (result.kind === 'refused') return result.reason;
  if (result.kind === 'question') return `${result.message}${result.suggestions.length ? ` Prova till exempel: ${result.suggestions.map((s) => `"${s}"`).join(', ')}.` : ''}`;
  return result.views.map((v) => compilationCard(r, v));
}

/**
 * The pattern alert card (adaptive-cards/pattern-alert.json), and the only place it is built.
 * References, counts and names from the organisation file only, never report text. The one list
 * that grows is the references: at most REFERENCES_SHOWN are named, the rest counted, so the card
 * stays far under Teams' limit (test/cards/samples.ts renders it with the worst case).
 */
import { PATTERN_DECISIONS, type PatternAlertView, type PatternResult } from '../patterns/view';
import { plural } from './plural';
import type { AdaptiveCard, CardRenderer } from './render';
import { swedishDate } from './swedish-dates';
import type { PatternAlertTemplate } from './templates';

/** The most references a card names. */
export const REFERENCES_SHOWN = 40;

/** The share as the rule compares it: whole percent when it is one, else to a tenth (0.125: "12,5 %", never "13 %"), rounded down. */
const percent = (share: number) => {
  const tenths = Math.floor(Math.round(share * 100_000) / 100);
  return `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1).replace('.', ',')} %`;
};

function title(v: PatternAlertView): string {
  const days = v.threshold.windowDays ?? 0;
  switch (v.rule) {
    case 'enhet-rapporter':
      return `${plural(v.count, 'rapport', 'rapporter')} från ${v.scopeName} på ${plural(days, 'dag', 'dagar')}`;
    case 'kategori-rapporter':
      return `${plural(v.count, 'rapport', 'rapporter')} om ${v.categoryLabel.toLowerCase()} i ${v.committeeName} på ${plural(days, 'dag', 'dagar')}`;
    case 'hant-forut':
      return `${plural(v.count, 'rapport', 'rapporter')} från ${v.scopeName} där det har hänt förut`;
    case 'forsenade-andel':
      return `Många försenade ärenden på ${v.scopeName} ${plural(v.count, 'vecka', 'veckor')} i rad`;
    case 'missade-genomgangar':
      return `Veckogenomgången på ${v.scopeName} har inte gjorts ${plural(v.count, 'vecka', 'veckor')} i rad`;
  }
}

function ruleText(v: PatternAlertView): string {
  const t = v.threshold;
  const days = plural(t.windowDays ?? 0, 'dag', 'dagar');
  const rule = {
    'enhet-rapporter': `minst ${plural(t.count, 'rapport', 'rapporter')} från samma enhet inom ${days}`,
    'kategori-rapporter': `minst ${plural(t.count, 'rapport', 'rapporter')} i samma kategori från olika enheter i nämnden inom ${days}`,
    'hant-forut': `minst ${plural(t.count, 'rapport', 'rapporter')} från samma enhet inom ${days} där det har hänt förut`,
    'forsenade-andel': `mer än ${percent(t.share ?? 0)} av enhetens ärenden försenade ${plural(t.weeks ?? 0, 'vecka', 'veckor')} i rad`,
    'missade-genomgangar': `veckogenomgången inte gjord ${plural(t.weeks ?? 0, 'vecka', 'veckor')} i rad`,
  }[v.rule];
  return `Regeln som slog till: ${rule} (lokal rutin, inte lag). Rapporter ska ses tillsammans, inte bara var för sig (SOSFS 2011:9, ledningssystem).`;
}

const SUGGESTION: Record<PatternAlertView['rule'], string> = {
  'enhet-rapporter': 'Förslag: överväg en samlad risk- och händelseanalys av rapporterna.',
  'kategori-rapporter': 'Förslag: överväg en samlad risk- och händelseanalys över enheterna.',
  'hant-forut': 'Förslag: överväg en samlad risk- och händelseanalys: det som händer igen har en orsak som inte är åtgärdad.',
  'forsenade-andel': 'Förslag: se över enhetens bemanning och prioriteringar, och överväg en analys av varför ärendena blir försenade.',
  'missade-genomgangar': 'Förslag: kontakta enhetschefen och se till att genomgången blir av.',
};

export function patternAlertData(v: PatternAlertView): PatternAlertTemplate {
  const shown = v.references.slice(0, REFERENCES_SHOWN);
  const rest = v.references.length - shown.length;
  const weekly = v.rule === 'forsenade-andel' || v.rule === 'missade-genomgangar';
  const d = v.decision;
  return {
    alertId: String(v.id),
    title: title(v),
    ruleText: ruleText(v),
    facts: [
      { title: 'Nämnd', value: v.committeeName },
      ...(v.rule === 'kategori-rapporter' ? [{ title: 'Kategori', value: v.categoryLabel }] : [{ title: 'Enhet', value: v.scopeName }]),
      { title: 'Signalen kom', value: swedishDate(v.firedAt, v.timeZone) },
    ],
    // Week keys are not rapporter: the weekly rules list their weeks in the title's count instead.
    references: weekly ? '' : `${shown.join(', ')}${rest > 0 ? ` och ${plural(rest, 'rapport', 'rapporter')} till` : ''}`,
    suggestion: SUGGESTION[v.rule],
    decided: d ? `Ställningstagande: ${PATTERN_DECISIONS[d.outcome]} (${d.by}, ${swedishDate(d.at, v.timeZone)}). ${d.motivation}` : '',
    error: v.error,
    outcome: v.values.outcome,
    motivation: v.values.motivation,
    choices: Object.entries(PATTERN_DECISIONS).map(([value, title]) => ({ title, value })),
    refreshUserIds: v.refreshUserIds,
  };
}

export function patternAlertCard(r: CardRenderer, v: PatternAlertView): AdaptiveCard {
  return r.render('pattern-alert', patternAlertData(v));
}

/** The answer to the card's button: the card again (with the decision, or the input's error), or the refusal as a message. */
export function patternAnswer(r: CardRenderer, result: PatternResult): AdaptiveCard | string {
  return result.kind === 'refused' ? result.reason : patternAlertCard(r, result.view);
}

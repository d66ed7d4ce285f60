/**
 * What a pattern alert shows, as a view model the service returns and src/cards renders: plain
 * data, so the cards import this and not the service (no cycle).
 */
import type { PatternDecisionCode } from '../store/patterns';
import type { PatternRuleId } from './rules';

/** Each rule's name in lists (the sammanställning, its file). */
export const PATTERN_RULE_TITLES: Record<PatternRuleId, string> = {
  'enhet-rapporter': 'Flera rapporter från samma enhet',
  'kategori-rapporter': 'Flera rapporter i samma kategori',
  'hant-forut': 'Upprepade rapporter där det hänt förut',
  'forsenade-andel': 'Många försenade ärenden flera veckor i rad',
  'missade-genomgangar': 'Veckogenomgångar missade flera veckor i rad',
};

export const PATTERN_DECISIONS: Record<PatternDecisionCode, string> = {
  'analys-paborjad': 'Analys påbörjad',
  'bedoms-inte-behovas': 'Analys bedöms inte behövas',
};
/** What a pattern alert card shows: references, counts and names from the organisation file only. */
export interface PatternAlertView {
  id: number;
  rule: PatternRuleId;
  /** The rule's numbers, so the card can say what fired. */
  threshold: { count: number; windowDays?: number; weeks?: number; share?: number };
  count: number;
  /** The unit's or nämnd's name, and the category's label for a category pattern. */
  scopeName: string;
  committeeName: string;
  categoryLabel: string;
  references: string[];
  firedAt: Date;
  decision?: { outcome: PatternDecisionCode; motivation: string; by: string; at: Date };
  /** A message above the form (a refusal of the input), and what was typed, kept. */
  error: string;
  values: { outcome: string; motivation: string };
  timeZone: string;
  /** Teams ids whose copies refresh to the alert as it stands when opened (the nämnd's samordnare and chefer); empty: none. */
  refreshUserIds: string[];
}

export type PatternResult =
  | { kind: 'ok'; view: PatternAlertView }
  | { kind: 'invalid'; view: PatternAlertView }
  | { kind: 'refused'; reason: string };

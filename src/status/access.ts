/**
 * Who may see which status summary. Pure: decided from the organisation directory alone.
 *
 * - A nämnd's chef (socialchef, förvaltningschef) sees the whole nämnd and each of its units.
 * - A nämnd's lex Sarah-samordnare sees the same: they already receive every report of the nämnd,
 *   and the summary holds nothing but counts and references.
 * - An enhetschef sees the units they lead.
 * - Anyone else (medarbetare, admin without a scope) sees none and is told what they can do.
 */
import type { Directory, UnitInfo } from '../org/directory';
import type { StatusScopeCandidate } from './question';

/** What a summary covers: a title and the units it counts. */
export interface SummaryScope {
  kind: 'committee' | 'unit' | 'mine';
  /** The nämnd or unit id; for 'mine', empty. */
  id: string;
  title: string;
  units: UnitInfo[];
}

export interface StatusAccess {
  /** Every nämnd and unit the person may ask about, as the question parser matches them. */
  scopes: StatusScopeCandidate[];
  /** What a question naming nothing covers, or undefined when the person may see nothing. */
  defaultScope?: SummaryScope;
}

/** Every nämnd and unit of the organisation, as the parser matches them (to recognise a name even when it is refused). */
export function allScopes(dir: Directory): StatusScopeCandidate[] {
  return [
    ...dir.organisation.committees.map((c) => ({ kind: 'committee' as const, id: c.id, name: c.name })),
    ...dir.allUnits().map((u) => ({ kind: 'unit' as const, id: u.id, name: u.name })),
  ];
}

function committeeUnits(dir: Directory, committeeId: string): UnitInfo[] {
  return dir.allUnits().filter((u) => u.committeeId === committeeId);
}

export function statusAccess(dir: Directory, entraId: string): StatusAccess {
  const committees = [...new Map([...dir.committeesWhere(entraId, 'chef'), ...dir.committeesWhere(entraId, 'samordnare')].map((c) => [c.id, c])).values()];
  const committeeIds = new Set(committees.map((c) => c.id));
  // Units led outside the person's nämnder (a chef who is also enhetschef elsewhere).
  const ledElsewhere = dir.unitsLedBy(entraId).filter((u) => !committeeIds.has(u.committeeId));
  const units = [...committees.flatMap((c) => committeeUnits(dir, c.id)), ...ledElsewhere];
  const scopes: StatusScopeCandidate[] = [
    ...committees.map((c) => ({ kind: 'committee' as const, id: c.id, name: c.name })),
    ...units.map((u) => ({ kind: 'unit' as const, id: u.id, name: u.name })),
  ];
  if (!units.length && !committees.length) return { scopes };
  let defaultScope: SummaryScope;
  if (committees.length === 1 && !ledElsewhere.length) {
    defaultScope = { kind: 'committee', id: committees[0]!.id, title: committees[0]!.name, units };
  } else if (!committees.length && units.length === 1) {
    defaultScope = { kind: 'unit', id: units[0]!.id, title: units[0]!.name, units };
  } else {
    const names = [...committees.map((c) => c.name), ...ledElsewhere.map((u) => u.name)];
    defaultScope = { kind: 'mine', id: '', title: names.join(', '), units };
  }
  return { scopes, defaultScope };
}

/** The summary scope for a named nämnd or unit, or undefined when the person may not see it. */
export function scopeFor(dir: Directory, access: StatusAccess, kind: 'committee' | 'unit', id: string): SummaryScope | undefined {
  if (!access.scopes.some((s) => s.kind === kind && s.id === id)) return undefined;
  if (kind === 'committee') {
    const c = dir.committee(id);
    return c ? { kind, id, title: c.name, units: committeeUnits(dir, id) } : undefined;
  }
  const u = dir.unit(id);
  return u ? { kind, id, title: u.name, units: [u] } : undefined;
}

/** The polite answer for someone who may see no summary: what they can do instead. */
export const NO_STATUS_ACCESS =
  'Lägesbilden visas för chefer för en nämnd, lex Sarah-samordnare och enhetschefer. Du kan skriva "rapportera" för att lämna en lex Sarah-rapport eller "mina rapporter" för att se hur det går med dina egna.';

/** The answer when the named nämnd or unit is outside the person's scope. */
export function notYourScope(name: string, access: StatusAccess): string {
  const mine = access.scopes.filter((s) => s.kind === 'committee').map((s) => s.name);
  const units = access.scopes.filter((s) => s.kind === 'unit').map((s) => s.name);
  const can = mine.length ? mine.join(', ') : units.join(', ');
  return `Du kan inte se lägesbilden för ${name}. Du kan se lägesbilden för ${can}: skriv "status".`;
}

/**
 * Who may see a lex Sarah report, and who must be told about a new one. Pure functions over the
 * organisation directory: socialtjänstsekretess applies between nämnder too, so access follows
 * the report's unit and nämnd, never "anyone with a role".
 */
import type { Directory } from '../org/directory';
import type { Person } from '../org/schema';

export type AccessBasis = 'reporter' | 'enhetschef' | 'samordnare' | 'chef';

export interface ReportScope {
  reporterEntraId: string;
  unitId: string;
  committeeId: string;
}

/** Why the person may open the report, or undefined when they may not. */
export function reportAccess(dir: Directory, entraId: string | undefined, report: ReportScope): AccessBasis | undefined {
  if (!entraId) return undefined;
  const id = entraId.toLowerCase();
  if (report.reporterEntraId.toLowerCase() === id) return 'reporter';
  const roles = dir.person(id)?.roles ?? [];
  if (roles.some((r) => r.role === 'enhetschef' && r.unit === report.unitId)) return 'enhetschef';
  if (roles.some((r) => r.role === 'samordnare' && r.committee === report.committeeId)) return 'samordnare';
  if (roles.some((r) => r.role === 'chef' && r.committee === report.committeeId)) return 'chef';
  return undefined;
}

export interface Recipient {
  entraId: string;
  name: string;
  role: 'enhetschef' | 'samordnare';
}

/** The unit's enhetschefer and the nämnd's lex Sarah-samordnare, each person once. */
export function newReportRecipients(dir: Directory, unitId: string): Recipient[] {
  const unit = dir.unit(unitId);
  if (!unit) return [];
  const out = new Map<string, Recipient>();
  const add = (p: Person, role: Recipient['role']) => {
    if (!out.has(p.entraId)) out.set(p.entraId, { entraId: p.entraId, name: p.name, role });
  };
  dir.unitChefs(unitId).forEach((p) => add(p, 'enhetschef'));
  dir.committeePeople(unit.committeeId, 'samordnare').forEach((p) => add(p, 'samordnare'));
  return [...out.values()];
}

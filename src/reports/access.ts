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

/** Every reason the person may open the report (a chef may also be the reporter), most specific first. */
export function reportAccessAll(dir: Directory, entraId: string | undefined, report: ReportScope): AccessBasis[] {
  if (!entraId) return [];
  const id = entraId.toLowerCase();
  const roles = dir.person(id)?.roles ?? [];
  const out: AccessBasis[] = [];
  if (report.reporterEntraId.toLowerCase() === id) out.push('reporter');
  if (roles.some((r) => r.role === 'enhetschef' && r.unit === report.unitId)) out.push('enhetschef');
  if (roles.some((r) => r.role === 'samordnare' && r.committee === report.committeeId)) out.push('samordnare');
  if (roles.some((r) => r.role === 'chef' && r.committee === report.committeeId)) out.push('chef');
  return out;
}

/** Why the person may open the report, or undefined when they may not. */
export function reportAccess(dir: Directory, entraId: string | undefined, report: ReportScope): AccessBasis | undefined {
  return reportAccessAll(dir, entraId, report)[0];
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

/**
 * Who may see a lex Sarah report, and who must be told about a new one. Pure functions over the
 * organisation directory: socialtjänstsekretess applies between nämnder too, so access follows
 * the report's unit and nämnd, never "anyone with a role".
 */
import type { Directory, UnitInfo } from '../org/directory';
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

/** REPORT_UNKNOWN_PERSON: whether someone the organisation file does not place may still report. */
export type UnknownReporterPolicy = 'refuse' | 'allow';

export type ReportingUnits =
  | {
      kind: 'units';
      /** The person's own units first (in the organisation file's order), then the other units of the same nämnder. */
      units: UnitInfo[];
      /** The unit the form starts on: the person's first own unit; none when they have none, so they choose. */
      defaultUnitId?: string;
      /**
       * 'unit': the unit's enhetschefer and the nämnd's samordnare. 'samordnare': only the nämnd's
       * samordnare, who first find out who the reporter is (the file does not place them).
       */
      routing: 'unit' | 'samordnare';
    }
  | { kind: 'refused'; reason: 'not-in-organisation' | 'no-unit' };

/**
 * The units a person may report for. Staff often see a missförhållande in another unit of their
 * own nämnd (a colleague's client, a shared space), so the whole nämnd is offered; another
 * nämnd's units are not (secrecy applies between nämnder, and its staff have their own routines).
 * A person the file does not place in any nämnd gets an explanation, or, when the municipality
 * allows it, every unit with the report routed to the chosen unit's samordnare.
 */
export function reportingUnits(dir: Directory, entraId: string | undefined, policy: UnknownReporterPolicy): ReportingUnits {
  const person = dir.person(entraId);
  const own = dir.unitsOf(entraId);
  const committeeIds = [
    ...own.map((u) => u.committeeId),
    ...(person?.roles ?? []).flatMap((r) => (r.role === 'samordnare' || r.role === 'chef' ? [r.committee] : [])),
  ];
  const inNamnder = [...new Set(committeeIds)].flatMap((c) => dir.allUnits().filter((u) => u.committeeId === c));
  const units = [...new Map([...own, ...inNamnder].map((u) => [u.id, u])).values()];
  if (units.length) return { kind: 'units', units, ...(own[0] ? { defaultUnitId: own[0].id } : {}), routing: 'unit' };
  if (policy === 'allow') return { kind: 'units', units: dir.allUnits(), routing: 'samordnare' };
  return { kind: 'refused', reason: person ? 'no-unit' : 'not-in-organisation' };
}

/** Why the person may not report here, and what to do instead (a report may also be made orally). */
export function reportingRefusal(reason: 'not-in-organisation' | 'no-unit', municipality: string): string {
  const why =
    reason === 'not-in-organisation'
      ? `Du finns inte med i organisationsfilen för ${municipality}, så jag vet inte vilken enhet eller nämnd du hör till och kan inte ta emot en rapport från dig här.`
      : `Du finns med i organisationsfilen för ${municipality} men hör inte till någon enhet eller nämnd, så jag vet inte vart en rapport från dig ska gå.`;
  return `${why} Be den som administrerar Lex Sarah-assistenten att lägga till dig. Behöver du rapportera nu: kontakta din chef eller nämndens lex Sarah-samordnare direkt – en rapport kan också lämnas muntligt.`;
}

/** The note on the form and cards for a reporter the file does not place, when they may report anyway. */
export function unplacedReporterNote(municipality: string): string {
  return `Du finns inte med i organisationsfilen för ${municipality}, så jag vet inte vilken enhet du hör till. Du kan ändå lämna en rapport: välj den enhet det gäller, så går rapporten till lex Sarah-samordnaren för enhetens nämnd.`;
}

/** Who is told about a new report: by unit, or (a reporter the file does not place) the nämnd's samordnare, falling back to the unit's people. */
export function reportRecipients(dir: Directory, unitId: string, routing: 'unit' | 'samordnare'): Recipient[] {
  const unit = dir.unit(unitId);
  if (routing === 'samordnare' && unit) {
    const samordnare = dir.committeePeople(unit.committeeId, 'samordnare');
    if (samordnare.length) return samordnare.map((p) => ({ entraId: p.entraId, name: p.name, role: 'samordnare' }));
  }
  return newReportRecipients(dir, unitId);
}

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

/** Why the organisation file does not place a person: not listed at all, or listed without a unit or nämnd (e.g. admin only). */
export type UnplacedReason = 'not-in-organisation' | 'no-unit';

/** A person the file does not place; `admin` when they administer the bot themselves (so they can fix the file). */
export interface Unplaced {
  reason: UnplacedReason;
  admin?: true;
}

export type ReportingUnits =
  | {
      kind: 'units';
      /** The person's own units first (in the organisation file's order), then the other units of the same nämnder. */
      units: UnitInfo[];
      /** The unit the form starts on: the person's first own unit; none when they have none, so they choose. */
      defaultUnitId?: string;
      /** The unit's enhetschefer and the nämnd's samordnare. */
      routing: 'unit';
    }
  | {
      kind: 'units';
      /** Every unit: the file does not say which the person belongs to. */
      units: UnitInfo[];
      defaultUnitId?: undefined;
      /** Only the nämnd's samordnare, who first find out who the reporter is and where they work. */
      routing: 'samordnare';
      unplaced: Unplaced;
    }
  | ({ kind: 'refused' } & Unplaced);

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
  const unplaced: Unplaced = person ? { reason: 'no-unit', ...(person.roles.some((r) => r.role === 'admin') ? { admin: true as const } : {}) } : { reason: 'not-in-organisation' };
  if (policy === 'allow') return { kind: 'units', units: dir.allUnits(), routing: 'samordnare', unplaced };
  return { kind: 'refused', ...unplaced };
}

/** What puts the person in the file, said to whoever can do it. */
function addToFile(u: Unplaced): string {
  if (u.reason === 'not-in-organisation') return 'Be den som administrerar Lex Sarah-assistenten att lägga till dig.';
  return u.admin
    ? 'Du administrerar själv Lex Sarah-assistenten: lägg in dig på den enhet du arbetar på i organisationsfilen.'
    : 'Be den som administrerar Lex Sarah-assistenten att lägga in dig på den enhet du arbetar på.';
}

/** Why the person may not report here, and what to do instead (a report may also be made orally). */
export function reportingRefusal(u: UnplacedReason | Unplaced, municipality: string): string {
  const unplaced = typeof u === 'string' ? { reason: u } : u;
  const why =
    unplaced.reason === 'not-in-organisation'
      ? `Du finns inte med i organisationsfilen för ${municipality}, så jag vet inte vilken enhet eller nämnd du hör till och kan inte ta emot en rapport från dig här.`
      : `Du finns med i organisationsfilen för ${municipality} men hör inte till någon enhet eller nämnd, så jag vet inte vart en rapport från dig ska gå.`;
  return `${why} ${addToFile(unplaced)} Behöver du rapportera nu: kontakta din chef eller nämndens lex Sarah-samordnare direkt – en rapport kan också lämnas muntligt.`;
}

/** The note on the form and cards for a reporter the file does not place, when they may report anyway. */
export function unplacedReporterNote(municipality: string, u: UnplacedReason | Unplaced = 'not-in-organisation'): string {
  const unplaced = typeof u === 'string' ? { reason: u } : u;
  const why =
    unplaced.reason === 'not-in-organisation'
      ? `Du finns inte med i organisationsfilen för ${municipality}, så jag vet inte vilken enhet du hör till.`
      : `Du finns med i organisationsfilen för ${municipality} men hör inte till någon enhet, så jag vet inte vilken enhet du hör till.`;
  return `${why} Du kan ändå lämna en rapport: välj den enhet det gäller, så går rapporten till lex Sarah-samordnaren för enhetens nämnd.`;
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

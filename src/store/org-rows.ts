/**
 * Flattens the organisation directory into table rows and back. Shared by both store adapters so
 * that they agree on what is stored.
 */
import type { AreaCode, OrganisationRecord, RoleAssignmentRecord, RoleCode } from './org-records';

export interface CommitteeRow { id: string; name: string; ordinal: number }
export interface UnitRow { id: string; committeeId: string; name: string; area: AreaCode; ordinal: number }
export interface PersonRow { entraId: string; name: string; email: string | null; ordinal: number }
export interface RoleRow { entraId: string; role: RoleCode; scopeId: string; ordinal: number }

export interface OrganisationRows {
  municipality: string;
  committees: CommitteeRow[];
  units: UnitRow[];
  people: PersonRow[];
  roles: RoleRow[];
}

export function scopeIdOf(r: RoleAssignmentRecord): string {
  if ('unit' in r) return r.unit;
  if ('committee' in r) return r.committee;
  return '';
}

export function organisationToRows(org: OrganisationRecord): OrganisationRows {
  // Review schedules are configuration read from the file at each start, not stored.
  const units: UnitRow[] = [];
  const committees = org.committees.map((c, ci) => {
    c.units.forEach((u, ui) => units.push({ id: u.id, committeeId: c.id, name: u.name, area: u.area, ordinal: ui }));
    return { id: c.id, name: c.name, ordinal: ci };
  });
  const roles: RoleRow[] = [];
  const people = org.people.map((p, pi) => {
    p.roles.forEach((r, ri) => roles.push({ entraId: p.entraId, role: r.role, scopeId: scopeIdOf(r), ordinal: ri }));
    return { entraId: p.entraId, name: p.name, email: p.email ?? null, ordinal: pi };
  });
  return { municipality: org.municipality, committees, units, people, roles };
}

function roleFromRow(r: RoleRow): RoleAssignmentRecord {
  switch (r.role) {
    case 'medarbetare':
    case 'enhetschef':
      return { role: r.role, unit: r.scopeId };
    case 'samordnare':
    case 'chef':
      return { role: r.role, committee: r.scopeId };
    case 'admin':
      return { role: 'admin' };
  }
}

const byOrdinal = <T extends { ordinal: number }>(a: T, b: T) => a.ordinal - b.ordinal;

/** Rows must be the active ones only. */
export function rowsToOrganisation(rows: OrganisationRows): OrganisationRecord {
  return {
    municipality: rows.municipality,
    committees: [...rows.committees].sort(byOrdinal).map((c) => ({
      id: c.id,
      name: c.name,
      units: rows.units
        .filter((u) => u.committeeId === c.id)
        .sort(byOrdinal)
        .map((u) => ({ id: u.id, name: u.name, area: u.area })),
    })),
    people: [...rows.people].sort(byOrdinal).map((p) => ({
      entraId: p.entraId,
      name: p.name,
      ...(p.email ? { email: p.email } : {}),
      roles: rows.roles
        .filter((r) => r.entraId === p.entraId)
        .sort(byOrdinal)
        .map(roleFromRow),
    })),
  };
}

/**
 * The organisation directory as the store persists it. src/org/schema.ts validates the file into
 * its Organisation; src/org/persisted.ts proves at compile time that it still fits these records.
 * Review schedules are configuration read from the file at each start and are not stored.
 */

/** Keys of AREAS (src/org/schema.ts), as stored in units.area. */
export type AreaCode = 'barn-och-unga' | 'vuxen' | 'ekonomiskt-bistand' | 'aldreomsorg' | 'lss' | 'socialpsykiatri' | 'hemsjukvard' | 'annat';
/** Keys of ROLES (src/org/schema.ts). */
export type RoleCode = 'medarbetare' | 'enhetschef' | 'samordnare' | 'chef' | 'admin';

export type RoleAssignmentRecord =
  | { role: 'medarbetare'; unit: string }
  | { role: 'enhetschef'; unit: string }
  | { role: 'samordnare'; committee: string }
  | { role: 'chef'; committee: string }
  | { role: 'admin' };

export interface UnitRecord {
  id: string;
  name: string;
  area: AreaCode;
}

export interface CommitteeRecord {
  id: string;
  name: string;
  units: UnitRecord[];
}

export interface DirectoryPersonRecord {
  entraId: string;
  name: string;
  email?: string;
  roles: RoleAssignmentRecord[];
}

export interface OrganisationRecord {
  municipality: string;
  committees: CommitteeRecord[];
  people: DirectoryPersonRecord[];
}

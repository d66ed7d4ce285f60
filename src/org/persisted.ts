/**
 * The store persists the organisation directory as its own plain records
 * (src/store/org-records.ts) so that it imports no capability code. This module only proves, at
 * compile time, that they still fit this schema: a change on either side fails `tsc` here.
 */
import type { AreaCode, OrganisationRecord, RoleAssignmentRecord, RoleCode } from '../store/org-records';
import type { Area, Organisation, Role, RoleAssignment } from './schema';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

/** Never used at run time. Review schedules are not stored, so only Organisation → record must hold. */
export type StoredDirectoryShapesAgree = [
  Assert<Same<Area, AreaCode>>,
  Assert<Same<Role, RoleCode>>,
  Assert<Same<RoleAssignment, RoleAssignmentRecord>>,
  Assert<Organisation extends OrganisationRecord ? true : false>,
  Assert<OrganisationRecord extends Organisation ? true : false>,
];

/**
 * The store keeps the casework register's date fields in its own list (src/store/casework.ts
 * CASEWORK_DATE_KEYS) so that it imports no capability code. This module only proves, at compile
 * time, that the list is still DATE_FIELDS, in the same order: a change on either side fails `tsc` here.
 */
import type { CASEWORK_DATE_KEYS, CaseworkDates, CaseworkRecord } from '../store/casework';
import type { CaseworkItem, DATE_FIELDS, DateField } from './rules';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

/** Never used at run time. */
export type StoredCaseworkShapesAgree = [
  Assert<Same<(typeof DATE_FIELDS), (typeof CASEWORK_DATE_KEYS)>>,
  Assert<Same<Partial<Pick<CaseworkItem, DateField>>, CaseworkDates>>,
];

/**
 * A stored item as the rules read it: its dates and every flag the import stores, as its stored
 * deadline was computed (a late first extension reads "för sent" only with noEarlierExtension).
 */
export function caseworkItemOf(w: CaseworkRecord): CaseworkItem {
  return {
    caseReference: w.caseReference, type: w.type as CaseworkItem['type'], unitId: w.unitId, status: w.status, ...w.dates,
    ...(w.judgment ? { domstol: true } : {}), ...(w.newInvestigation ? { nyUtredning: true } : {}), ...(w.reopened ? { aterOppnad: true } : {}),
    ...(w.noEarlierExtension ? { ingenTidigareForlangning: true } : {}),
  } as CaseworkItem;
}

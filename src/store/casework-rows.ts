/** Column names of the casework register's dates, shared by both adapters. */
import type { CaseworkDateKey } from './casework';

export const CASEWORK_DATE_COLUMNS: Record<CaseworkDateKey, string> = {
  orosanmalanMottagen: 'orosanmalan_mottagen',
  utredningInledd: 'utredning_inledd',
  forlangningBeslutad: 'forlangning_beslutad',
  forlangdTill: 'forlangd_till',
  placeringStart: 'placering_start',
  senasteOvervagande: 'senaste_overvagande',
  lvuBeslut: 'lvu_beslut',
  senasteOmprovning: 'senaste_omprovning',
  beslutsdatum: 'beslutsdatum',
  verkstalltDatum: 'verkstallt_datum',
};

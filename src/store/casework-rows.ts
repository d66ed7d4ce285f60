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
  understalltDatum: 'understallt_datum',
  omhandertagandeVerkstallt: 'omhandertagande_verkstallt',
  ansokanInlamnad: 'ansokan_inlamnad',
  lagaKraft: 'laga_kraft',
  vardPaborjad: 'vard_paborjad',
  rapporteradIvo: 'rapporterad_ivo',
  avbrottDatum: 'avbrott_datum',
  forstaInledd: 'forsta_inledd',
  tidigareForlangdTill: 'tidigare_forlangd_till',
  forlangningBegard: 'forlangning_begard',
  ansokanForlangdTill: 'ansokan_forlangd_till',
  verkstalltAnmaltIvo: 'verkstallt_anmalt_ivo',
  tidigareForlangningBeslutad: 'tidigare_forlangning_beslutad',
  rattadFran: 'rattad_fran',
};

/** The date columns added by migration 12 (history, LVU and ej-verkställt facts). */
export const CASEWORK_DATE_COLUMNS_V12 = [
  'understallt_datum',
  'omhandertagande_verkstallt',
  'ansokan_inlamnad',
  'laga_kraft',
  'vard_paborjad',
  'rapporterad_ivo',
  'avbrott_datum',
  'forsta_inledd',
] as const;

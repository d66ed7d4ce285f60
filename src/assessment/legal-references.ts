/**
 * Effective-dated legal references for lex Sarah assessments.
 *
 * Law changes (SoL 2001:453 was replaced by SoL 2025:400 on 1 July 2025 and is already being
 * amended), so every reference the product cites lives here as data with a validity period, never
 * as a literal in rules, cards or messages. `referencesAt` picks the entry valid on a given day;
 * a gap or an overlap in the data throws, and the tests walk every day from 1 July 2011 (when the
 * current lex Sarah rules started) until today.
 *
 * `verified: false` means the section number could not be checked against the statute text: the
 * UI shows such references with "(kontrollera hänvisningen)", and `note` says what to check.
 * Sources checked are listed per entry (`source`) and in the report that introduced this file.
 */
import { DateTime } from 'luxon';

export interface LegalReference {
  key: ReferenceKey;
  /** Swedish text shown to the user, e.g. "27 kap. 2 § socialtjänstlagen (2025:400) – rapporteringsskyldighet". */
  text: string;
  /** First day the entry applies (Europe/Stockholm calendar day), 'YYYY-MM-DD'. */
  validFrom: string;
  /** Last day the entry applies, inclusive; absent = still in force. */
  validTo?: string;
  /** True when the section number has been checked against the statute or the authority's text. */
  verified: boolean;
  /** What was checked, or what remains to check. */
  note?: string;
  /** Where it was checked. */
  source?: string;
}

/** The references a recommendation may cite. */
export const REFERENCE_KEYS = [
  /** Everyone working in the activity must report a missförhållande or a påtaglig risk. */
  'rapportering',
  /** The operator must document, investigate and remedy or remove it. */
  'utreda-avhjalpa',
  /** The operator must file an anmälan with IVO when it is serious. */
  'anmalan-ivo',
  /** What missförhållande, påtaglig risk and allvarligt missförhållande mean. */
  'definitioner',
  /** SOSFS 2011:5 on what the investigation must document. */
  'sosfs-utredning',
  /** SOSFS 2011:5 on the anmälan and its form. */
  'sosfs-anmalan',
  /** The LSS counterpart. */
  'lss',
] as const;
export type ReferenceKey = (typeof REFERENCE_KEYS)[number];

/** Europe/Stockholm: a law that applies "from 1 July" applies from local midnight. */
export const LEGAL_TIME_ZONE = 'Europe/Stockholm';

/** Day before SoL 2025:400 took effect. */
const SOL_2001_LAST_DAY = '2025-06-30';
const SOL_2025_FIRST_DAY = '2025-07-01';
/** The lex Sarah rules in their current form took effect (prop. 2009/10:131; LSS via SFS 2010:430; SOSFS 2011:5). */
const LEX_SARAH_2011 = '2011-07-01';
/** IVO took over the anmälningar from Socialstyrelsen (SFS 2012:940 for LSS). */
const IVO_FIRST_DAY = '2013-06-01';
const SOCIALSTYRELSEN_LAST_DAY = '2013-05-31';

const SRC = {
  sol2025: 'SFS 2025:400, konsoliderad t.o.m. SFS 2025:1501 (Regeringskansliets rättsdatabaser, via github.com/se-lex/sfs-processor data/testdocs/rkrattsbaser/sfs-2025-400.json)',
  lss: 'SFS 1993:387, konsoliderad t.o.m. SFS 2025:1494 (Regeringskansliets rättsdatabaser, via github.com/se-lex/sfs-processor data/sfs_json/sfs-1993-387.json)',
  sosfs: 'https://www.socialstyrelsen.se/kunskapsstod-och-regler/regler-och-riktlinjer/foreskrifter-och-allmanna-rad/konsoliderade-foreskrifter/20115-om-lex-sarah/',
  ivoFaq: 'https://www.ivo.se/faq-block/lex-sarah/var-finns-bestammelserna-om-lex-sarah/',
  ivoUtredning: 'https://www.ivo.se/faq-block/lex-sarah/vad-ska-dokumenteras-vid-utredningen-av-en-lex-sarah-rapport/',
  ivoBlankett: 'https://www.ivo.se/faq-block/lex-sarah/finns-det-en-blankett-for-lex-sarah-anmalan-till-ivo/',
  jpinfonet: 'https://www.jpinfonet.se/kunskap/kunskapsbank/lex-sarah/',
  prop2009: 'https://lagen.nu/prop/2009/10:131',
} as const;

export const LEGAL_REFERENCES: readonly LegalReference[] = [
  // --- Rapporteringsskyldighet ------------------------------------------------------------
  {
    key: 'rapportering',
    text: '14 kap. 3 § socialtjänstlagen (2001:453) – skyldighet att genast rapportera missförhållanden och påtagliga risker för missförhållanden',
    validFrom: LEX_SARAH_2011,
    validTo: SOL_2001_LAST_DAY,
    verified: true,
    note: '14 kap. 3 § SoL som rapporteringsskyldigheten anges av JP Infonet och ryms i 14 kap. 3–6 §§ som SOSFS 2011:5 1 kap. 2 § hänvisar till.',
    source: `${SRC.jpinfonet} ; ${SRC.sosfs}`,
  },
  {
    key: 'rapportering',
    text: '27 kap. 2 § socialtjänstlagen (2025:400) – skyldighet att genast rapportera missförhållanden och påtagliga risker för missförhållanden',
    validFrom: SOL_2025_FIRST_DAY,
    verified: true,
    note: 'Lagtexten kontrollerad (27 kap. "Missförhållanden", 2 §). Ändringar efter SFS 2025:1501 är inte kontrollerade.',
    source: SRC.sol2025,
  },

  // --- Utreda, dokumentera, avhjälpa -------------------------------------------------------
  {
    key: 'utreda-avhjalpa',
    text: '14 kap. 6 § socialtjänstlagen (2001:453) – missförhållandet ska dokumenteras, utredas och avhjälpas eller undanröjas utan dröjsmål (i enskild verksamhet även 7 kap. 6 §)',
    validFrom: LEX_SARAH_2011,
    validTo: SOL_2001_LAST_DAY,
    verified: false,
    note: 'Att skyldigheten finns i 14 kap. 3–6 §§ SoL (och 7 kap. 6 § för enskild verksamhet) bekräftas av SOSFS 2011:5 1 kap. 2 § och IVO; att det är just 6 § är inte kontrollerat mot lagtexten (motsvarar 24 e § LSS). Slå upp 14 kap. 6 § i SoL (2001:453) i dess lydelse före 1 juli 2025.',
    source: `${SRC.sosfs} ; ${SRC.ivoFaq}`,
  },
  {
    key: 'utreda-avhjalpa',
    text: '27 kap. 5 § socialtjänstlagen (2025:400) – missförhållandet ska genast dokumenteras och utredas samt avhjälpas eller undanröjas (i enskild verksamhet även 17 kap. 10 §)',
    validFrom: SOL_2025_FIRST_DAY,
    verified: true,
    note: 'Lagtexten kontrollerad (27 kap. 5 §, 17 kap. 10 §). Ordet är nu "genast", tidigare "utan dröjsmål". Ändringar efter SFS 2025:1501 är inte kontrollerade.',
    source: SRC.sol2025,
  },

  // --- Anmälan om allvarliga missförhållanden ----------------------------------------------
  {
    key: 'anmalan-ivo',
    text: '14 kap. 7 § socialtjänstlagen (2001:453) – ett allvarligt missförhållande eller en påtaglig risk för ett allvarligt missförhållande ska snarast anmälas till Socialstyrelsen',
    validFrom: LEX_SARAH_2011,
    validTo: SOCIALSTYRELSEN_LAST_DAY,
    verified: true,
    note: 'Paragrafen enligt SOSFS 2011:5 1 kap. 2 §. Anmälan gick till Socialstyrelsen (prop. 2009/10:131) tills IVO tog över den 1 juni 2013.',
    source: `${SRC.sosfs} ; ${SRC.prop2009}`,
  },
  {
    key: 'anmalan-ivo',
    text: '14 kap. 7 § socialtjänstlagen (2001:453) – ett allvarligt missförhållande eller en påtaglig risk för ett allvarligt missförhållande ska snarast anmälas till Inspektionen för vård och omsorg (IVO)',
    validFrom: IVO_FIRST_DAY,
    validTo: SOL_2001_LAST_DAY,
    verified: true,
    note: 'Paragrafen enligt SOSFS 2011:5 1 kap. 2 §; IVO handlägger anmälningarna sedan den 1 juni 2013.',
    source: SRC.sosfs,
  },
  {
    key: 'anmalan-ivo',
    text: '27 kap. 6 § socialtjänstlagen (2025:400) – ett allvarligt missförhållande eller en påtaglig risk för ett allvarligt missförhållande ska snarast anmälas till Inspektionen för vård och omsorg (IVO); utredningen ska bifogas',
    validFrom: SOL_2025_FIRST_DAY,
    verified: true,
    note: 'Lagtexten kontrollerad (27 kap. 6 §). Ändringar efter SFS 2025:1501 är inte kontrollerade.',
    source: SRC.sol2025,
  },

  // --- Definitioner ------------------------------------------------------------------------
  {
    key: 'definitioner',
    text: 'Definitionerna av missförhållande, påtaglig risk och allvarligt missförhållande: prop. 2009/10:131 och Socialstyrelsens handbok "Lex Sarah – handbok för tillämpningen av bestämmelserna om lex Sarah"',
    validFrom: LEX_SARAH_2011,
    verified: false,
    note: 'Begreppen definieras inte i lagtexten (varken SoL 2001:453, SoL 2025:400 eller LSS). Kontrollera sidhänvisningar i prop. 2009/10:131 och handboken, var i SOSFS 2011:5 begreppen förklaras, och om prop. 2024/25:89 ändrar något.',
    source: SRC.prop2009,
  },

  // --- SOSFS 2011:5 ------------------------------------------------------------------------
  {
    key: 'sosfs-utredning',
    text: '5 kap. SOSFS 2011:5 (Socialstyrelsens föreskrifter och allmänna råd om lex Sarah) – vad dokumentationen av utredningen ska innehålla',
    validFrom: LEX_SARAH_2011,
    validTo: SOL_2001_LAST_DAY,
    verified: true,
    source: `${SRC.ivoUtredning} ; ${SRC.sosfs}`,
  },
  {
    key: 'sosfs-utredning',
    text: '5 kap. SOSFS 2011:5 (Socialstyrelsens föreskrifter och allmänna råd om lex Sarah) – vad dokumentationen av utredningen ska innehålla',
    validFrom: SOL_2025_FIRST_DAY,
    verified: false,
    note: 'SOSFS 2011:5 hänvisar till SoL (2001:453). Kontrollera om Socialstyrelsen har ändrat eller ersatt föreskrifterna efter den nya socialtjänstlagen (1 juli 2025).',
    source: SRC.sosfs,
  },
  {
    key: 'sosfs-anmalan',
    text: '6 kap. SOSFS 2011:5 (Socialstyrelsens föreskrifter och allmänna råd om lex Sarah) – anmälan om allvarligt missförhållande; blanketten i bilagan ska användas',
    validFrom: LEX_SARAH_2011,
    validTo: SOL_2001_LAST_DAY,
    verified: true,
    note: 'Enligt SOSFS 2011:5 1 kap. 2 § kompletterar 6 kap. anmälningsskyldigheten; IVO anger att blanketten i bilagan alltid ska användas.',
    source: `${SRC.sosfs} ; ${SRC.ivoBlankett}`,
  },
  {
    key: 'sosfs-anmalan',
    text: '6 kap. SOSFS 2011:5 (Socialstyrelsens föreskrifter och allmänna råd om lex Sarah) – anmälan om allvarligt missförhållande; blanketten i bilagan ska användas',
    validFrom: SOL_2025_FIRST_DAY,
    verified: false,
    note: 'SOSFS 2011:5 hänvisar till SoL (2001:453). Kontrollera om Socialstyrelsen har ändrat eller ersatt föreskrifterna efter den nya socialtjänstlagen (1 juli 2025).',
    source: SRC.sosfs,
  },

  // --- LSS -----------------------------------------------------------------------------------
  {
    key: 'lss',
    text: '24 a–24 f §§ lagen (1993:387) om stöd och service till vissa funktionshindrade (LSS) – i LSS-verksamhet: rapportering (24 b §), utredning och avhjälpande (24 e §) och anmälan till Socialstyrelsen (24 f §)',
    validFrom: LEX_SARAH_2011,
    validTo: SOCIALSTYRELSEN_LAST_DAY,
    verified: true,
    note: '24 a–24 g §§ infördes genom SFS 2010:430 den 1 juli 2011; 24 f § ändrades till IVO genom SFS 2012:940.',
    source: SRC.lss,
  },
  {
    key: 'lss',
    text: '24 a–24 f §§ lagen (1993:387) om stöd och service till vissa funktionshindrade (LSS) – i LSS-verksamhet: rapportering (24 b §), utredning och avhjälpande (24 e §) och anmälan till IVO (24 f §)',
    validFrom: IVO_FIRST_DAY,
    verified: true,
    note: 'Lagtexten kontrollerad t.o.m. SFS 2025:1494 (24 g § är numera bara en hänvisning till SoL). I enskild verksamhet utreder den som bedriver verksamheten (23 g §).',
    source: SRC.lss,
  },
];

/** The Europe/Stockholm calendar day of an instant, 'YYYY-MM-DD'. */
export function legalDay(at: Date): string {
  const day = DateTime.fromJSDate(at, { zone: LEGAL_TIME_ZONE }).toISODate();
  if (!day) throw new Error(`Ogiltigt datum: ${String(at)}`);
  return day;
}

const isReferenceKey = (k: string): k is ReferenceKey => (REFERENCE_KEYS as readonly string[]).includes(k);

function validOn(entry: LegalReference, day: string): boolean {
  return entry.validFrom <= day && (entry.validTo === undefined || day <= entry.validTo);
}

/**
 * The entries for `keys` valid on the Stockholm calendar day of `date`, in the order of `keys`
 * (duplicates removed). Throws if a key is unknown, or has no entry (a gap in the data) or more
 * than one entry (an overlap) valid that day.
 */
export function referencesAt(date: Date, keys: readonly string[], data: readonly LegalReference[] = LEGAL_REFERENCES): LegalReference[] {
  const day = legalDay(date);
  const out: LegalReference[] = [];
  for (const key of new Set(keys)) {
    if (!isReferenceKey(key)) throw new Error(`Okänd lagrumsnyckel "${key}". Kända nycklar: ${REFERENCE_KEYS.join(', ')}.`);
    const valid = data.filter((e) => e.key === key && validOn(e, day));
    if (valid.length === 0) throw new Error(`Lagrumsdata saknas: ingen hänvisning för "${key}" gäller ${day}.`);
    if (valid.length > 1) {
      throw new Error(`Lagrumsdata överlappar: ${valid.length} hänvisningar för "${key}" gäller ${day} (${valid.map((e) => e.validFrom).join(', ')}).`);
    }
    out.push(valid[0]!);
  }
  return out;
}

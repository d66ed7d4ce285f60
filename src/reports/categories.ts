/** Socialstyrelsen's handbook categories of missförhållanden, as municipalities use them, plus "Annat". */
export const CATEGORIES = {
  fysiska: 'Fysiska övergrepp',
  sexuella: 'Sexuella övergrepp',
  psykiska: 'Psykiska övergrepp',
  ekonomiska: 'Ekonomiska övergrepp',
  bemotande: 'Brister i bemötande',
  rattssakerhet: 'Brister i rättssäkerhet vid handläggning och genomförande',
  insatser: 'Brister i utförande av insatser',
  miljo: 'Brister i fysisk miljö, utrustning och teknik',
  annat: 'Annat',
} as const;
export type Category = keyof typeof CATEGORIES;
export const CATEGORY_KEYS = Object.keys(CATEGORIES) as [Category, ...Category[]];

/** Answers to the quick risk questions. "Vet ej" is a real answer: uncertainty is not a no. */
export const ANSWERS = { ja: 'Ja', nej: 'Nej', 'vet-ej': 'Vet ej' } as const;
export type Answer = keyof typeof ANSWERS;
export const ANSWER_KEYS = Object.keys(ANSWERS) as [Answer, ...Answer[]];

export const INFORMED = { ja: 'Ja', nej: 'Nej', 'inte-annu': 'Inte ännu' } as const;
export type Informed = keyof typeof INFORMED;
export const INFORMED_KEYS = Object.keys(INFORMED) as [Informed, ...Informed[]];

export const RISK_QUESTIONS = {
  hurt: 'Har någon skadats?',
  ongoing: 'Pågår risken fortfarande?',
  vulnerable: 'Gäller det ett barn eller en person i särskilt utsatt läge?',
  crime: 'Misstänks ett brott?',
  before: 'Har det hänt förut?',
} as const;
export type RiskQuestion = keyof typeof RISK_QUESTIONS;

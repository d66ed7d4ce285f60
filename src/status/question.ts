/**
 * Understanding a manager's status question ("status för Barn och unga vecka 47"). Pure and
 * deterministic: no I/O, no clock (the caller passes `now`), no network.
 *
 * The chat layer has already removed the command word (status, lägesbild, sammanfattning, "hur
 * ligger vi till") and passes the rest of the message, e.g. "för socialnämnden i oktober".
 * The rest may name one period and one unit or nämnd, in any order; both are optional.
 *
 * Periods (local calendar of `timeZone`, normally Europe/Stockholm; DST-correct because every
 * boundary is computed with luxon from a local date, never with a fixed offset). `to` is
 * exclusive and never later than `now`: a period that has not ended yet ends at `now`, a period
 * that has not started yet is refused.
 * - nothing                     → this ISO week so far, label "denna vecka"
 * - "denna vecka", "i veckan", "den här veckan", "veckan" → the same
 * - "vecka 47", "v 47", "v.47", "v47", "veckan 47" → the most recent ISO week 47 that has
 *   started: this week-year's if 47 ≤ the current week, else last week-year's. Week 53 only
 *   where the week-year has one; "vecka 53" when neither this (not yet started) nor last
 *   week-year has one is refused. "vecka 47 2025" names the year. Label "vecka 47 2026".
 * - "förra veckan"               → the previous ISO week, label "vecka 46 2026"
 * - "senaste 30 dagarna", "de senaste 30 dagarna", "senaste 30 dagar", "30 dagar" (1–366,
 *   digits or a few number words) → from = now − N calendar days (same local clock time, so
 *   across a DST change the span is N×24 h ± 1 h), to = now. Label "senaste 30 dagarna".
 * - "senaste veckan" = senaste 7 dagarna; "senaste N veckorna" (1–52); "senaste dygnet";
 *   "senaste månaden" (now − 1 calendar month).
 * - "denna månad", "den här månaden", "i månaden", "månaden" → this month so far ("denna månad")
 * - "förra månaden"              → the previous calendar month, label "oktober 2026"
 * - "oktober", "i oktober", "okt" → the most recent October that has started (this year's if
 *   October ≤ the current month, else last year's); "oktober 2025" names the year.
 * - "i år", "hittills i år", "året" → 1 January to now ("i år"); "förra året", "i fjol" → last
 *   calendar year; "2025" → that year.
 * - "första halvåret", "andra halvåret" (optionally with a year) → January–June or July–December:
 *   the named year's, else the most recent that has started. Label "första halvåret 2026".
 * - "i dag" → today so far; "i går" → yesterday.
 * Labels: periods the user named relatively and which run up to now keep a relative label
 * ("denna vecka", "senaste 30 dagarna", "i år"); calendar periods get a concrete label
 * ("vecka 46 2026", "oktober 2026") so a card still reads correctly later.
 *
 * Scope: "för X", "på X", "inom X", "hos X" or just "X", where X is a unit or nämnd name (or a
 * caller-supplied alias, or the id with dashes as spaces), matched forgivingly: see `matchScopes`.
 *
 * Anything else gets `ok: false` with a Swedish message and example phrasings (each of which,
 * with the leading "status " removed, parses again).
 */
import { DateTime, type Zone } from 'luxon';

export type StatusScopeKind = 'unit' | 'committee';

export interface StatusScopeCandidate {
  kind: StatusScopeKind;
  id: string;
  name: string;
  aliases?: string[];
}

export interface StatusScope {
  kind: StatusScopeKind;
  id: string;
  name: string;
}

export interface StatusPeriod {
  from: Date;
  /** Exclusive; never later than `now`. */
  to: Date;
  /** Swedish, e.g. "vecka 47 2026", "senaste 30 dagarna", "oktober 2026", "denna vecka". */
  label: string;
}

export interface StatusQuestionContext {
  now: Date;
  /** IANA zone, normally 'Europe/Stockholm'. */
  timeZone: string;
  scopes: readonly StatusScopeCandidate[];
}

export type StatusQuestion =
  | { ok: true; scope?: StatusScope; period: StatusPeriod }
  | { ok: false; message: string; suggestions: string[] };

/** Swedish month names, index + 1 = month number. */
export const MONTH_NAMES = [
  'januari',
  'februari',
  'mars',
  'april',
  'maj',
  'juni',
  'juli',
  'augusti',
  'september',
  'oktober',
  'november',
  'december',
] as const;

/**
 * Folds text for forgiving comparison: lower case; å, ä → a; ö → o (also æ, ø and any other
 * accent: é → e, ü → u); "&" and "+" → "och"; every run of other characters (punctuation, dashes,
 * spaces) → one space; trimmed. "Vård- och omsorgsnämnden" → "vard och omsorgsnamnden".
 */
export function foldSwedish(s: string): string {
  return s
    .normalize('NFD')
    .toLowerCase()
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/æ/g, 'a')
    .replace(/ø/g, 'o')
    .replace(/ß/g, 'ss')
    .replace(/[&+]/g, ' och ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Damerau–Levenshtein distance (optimal string alignment: insertions, deletions, substitutions
 * and transpositions of two adjacent characters each cost 1; no substring is edited twice).
 */
export function distance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  const m = x.length;
  const n = y.length;
  if (m === 0) return n;
  if (n === 0) return m;
  let prev2: number[] = new Array<number>(n + 1).fill(0);
  let prev: number[] = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur: number[] = new Array<number>(n + 1).fill(0);
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n]!;
}

/** Typos tolerated in a (folded) name or word of this length: 0 up to 3 characters, 1 up to 8, else 2. */
export function typoAllowance(length: number): number {
  return length <= 3 ? 0 : length <= 8 ? 1 : 2;
}

export function parseStatusQuestion(rest: string, ctx: StatusQuestionContext): StatusQuestion {
  const now = DateTime.fromJSDate(ctx.now, { zone: ctx.timeZone });
  if (!now.isValid) throw new Error(`parseStatusQuestion: invalid time zone or date (${now.invalidExplanation ?? now.invalidReason})`);
  const scopes = ctx.scopes.map(prepareScope);
  const scopeWords = new Set(scopes.flatMap((s) => s.variants.flat()));

  // 1. Words, each with its original spelling (for messages) and its folded form.
  let tokens = tokenize(rest).map((t) => ({ ...t, f: correctKeyword(t.f, scopeWords) }));

  // 2. Periods: each rule consumes the words it matches; what remains may name the scope.
  const found: PeriodResult[] = [];
  for (const rule of PERIOD_RULES) {
    for (;;) {
      const joined = tokens.map((t) => t.f).join(' ');
      const m = rule.re.exec(joined);
      if (!m) break;
      const start = countSpaces(joined.slice(0, m.index));
      const end = start + countSpaces(m[0]) + 1;
      found.push(rule.resolve(m, now));
      tokens = [...tokens.slice(0, start), { orig: '|', f: '|' }, ...tokens.slice(end)];
    }
  }
  const failed = found.find((p): p is PeriodError => 'error' in p);
  if (failed) return { ok: false, message: failed.error, suggestions: failed.suggestions ?? periodExamples(now) };
  const periods = found as ResolvedPeriod[];
  if (periods.length > 1) {
    return {
      ok: false,
      message: 'Jag kan bara visa en period i taget. Vilken av dem menar du?',
      suggestions: periods.map((p) => `status ${p.phrase}`),
    };
  }
  const period: ResolvedPeriod = periods[0] ?? thisWeek(now);

  // 3. Scope: the remaining words, without filler words at the edges of each fragment.
  const left = fragments(tokens).flat();
  const withPeriod = (s: string): string => (period.phrase ? `${s} ${period.phrase}` : s);
  const toPeriod = (p: ResolvedPeriod): StatusPeriod => ({ from: p.from, to: p.to, label: p.label });
  if (left.length === 0) return { ok: true, period: toPeriod(period) };

  const raw = quotable(left.map((t) => t.orig).join(' '));
  const query = left.map((t) => t.f);
  const match = matchScopes(query, scopes);
  if (match.length === 1) {
    const { kind, id, name } = match[0]!.scope;
    return { ok: true, scope: { kind, id, name }, period: toPeriod(period) };
  }
  if (match.length > 1) {
    return {
      ok: false,
      message: `”${raw}” kan syfta på flera: ${joinSwedish(match.map((c) => `”${c.scope.name}”`), 'eller')}. Vilken menar du?`,
      suggestions: match.map((c) => withPeriod(`status för ${c.scope.name}`)),
    };
  }

  // Several scopes joined with "och"?
  const parts = splitOn(query, 'och')
    .map((p) => stripEdges(p.map((f) => ({ orig: f, f }))).map((t) => t.f))
    .filter((p) => p.length > 0);
  if (parts.length > 1) {
    const each = parts.map((p) => matchScopes(p, scopes));
    if (each.every((c) => c.length === 1)) {
      return {
        ok: false,
        message: 'Jag kan bara visa en enhet eller nämnd i taget. Vilken vill du börja med?',
        suggestions: each.map((c) => withPeriod(`status för ${c[0]!.scope.name}`)),
      };
    }
  }

  // Words that look like a period we did not understand ("senaste dagarna", "47", "vecka 60").
  const periodish = left.filter((t) => PERIODISH.has(t.f) || /^\d+$/.test(t.f));
  if (periodish.length > 0) {
    const others = left.filter((t) => !periodish.includes(t));
    const scopeMatch = others.length > 0 ? matchScopes(others.map((t) => t.f), scopes) : [];
    const forScope = scopeMatch.length === 1 ? ` för ${scopeMatch[0]!.scope.name}` : '';
    const number = left.length === 1 && /^\d+$/.test(left[0]!.f) ? Number(left[0]!.f) : undefined;
    const examples =
      number !== undefined && number >= 1 && number <= 53
        ? [`status vecka ${number}`, `status senaste ${number} dagarna`]
        : periodExamples(now);
    return {
      ok: false,
      message: `Jag förstod inte vilken period du menar med ”${raw}”. Skriv till exempel en vecka, ett antal dagar eller en månad.`,
      suggestions: examples.map((e) => `${e}${forScope}`),
    };
  }

  const near = nearScopes(query, scopes);
  if (near.length > 0) {
    return {
      ok: false,
      message: `Jag hittar ingen enhet eller nämnd som heter ”${raw}”. Menade du någon av dessa?`,
      suggestions: near.map((s) => withPeriod(`status för ${s.name}`)),
    };
  }
  return {
    ok: false,
    message: `Jag förstod inte ”${raw}”. Fråga om en period, en enhet eller en nämnd, till exempel:`,
    suggestions: [...periodExamples(now).slice(0, 3), ...scopeExamples(ctx.scopes)],
  };
}

// ---------------------------------------------------------------------------------------------
// Words

interface Token {
  /** As typed (lower-cased by the chat layer); '|' marks where a period was taken out. */
  orig: string;
  /** Folded (see foldSwedish). */
  f: string;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.normalize('NFC').matchAll(/[\p{L}\p{N}]+|[&+]/gu)) {
    const orig = m[0];
    const f = foldSwedish(orig);
    // "v47", "v.47" (the dot already split it), "vecka47" → two words.
    const week = /^(v|vecka|veckan|w)(\d{1,2})$/.exec(f);
    if (week) {
      out.push({ orig: orig.slice(0, week[1]!.length), f: week[1]! }, { orig: orig.slice(week[1]!.length), f: week[2]! });
      continue;
    }
    for (const part of f.split(' ').filter(Boolean)) out.push({ orig: f.includes(' ') ? part : orig, f: part });
  }
  return out;
}

function countSpaces(s: string): number {
  let n = 0;
  for (const c of s) if (c === ' ') n++;
  return n;
}

/** Period words whose small typos are corrected ("oktorber", "veckna", "dagrna", "senast"). */
const KEYWORDS = [
  ...MONTH_NAMES.filter((m) => m.length >= 5),
  'vecka',
  'veckan',
  'veckor',
  'veckorna',
  'senaste',
  'dagarna',
  'dagar',
  'forra',
  'manad',
  'manaden',
  'hittills',
  'denna',
];

/** Words that are never "corrected" into a keyword. */
const KNOWN_WORDS = new Set<string>([
  ...KEYWORDS,
  'dag', 'dagen', 'dygn', 'dygnet', 'dygnen', 'aret', 'manader', 'manaderna', 'bakat', 'detta', 'dessa',
  'nuvarande', 'innevarande', 'aktuell', 'aktuella', 'forriga', 'forgangna', 'forflutna', 'sista',
  'fjol', 'ifjol', 'fjolaret', 'idag', 'igar', 'period', 'perioden', 'sedan',
]);

/**
 * Corrects a small typo (distance 1) in a period word of 5 letters or more, unless the word is
 * itself a known word or close to a word of some scope name ("norra" stays, not "förra").
 */
function correctKeyword(word: string, scopeWords: ReadonlySet<string>): string {
  if (word.length < 5 || /\d/.test(word) || KNOWN_WORDS.has(word) || EDGE_FILLERS.has(word) || word in NUMBER_WORDS || word in MONTH_WORDS) {
    return word;
  }
  for (const w of scopeWords) {
    if ((w.length >= 4 && (w.startsWith(word) || word.startsWith(w))) || distance(word, w) <= typoAllowance(w.length)) return word;
  }
  let best: string | undefined;
  let bestDistance = 2;
  for (const k of KEYWORDS) {
    const d = distance(word, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best ?? word;
}

/** Filler words dropped at the start and end of what is left after the period is taken out. */
const EDGE_FILLERS = new Set([
  'for', 'pa', 'inom', 'hos', 'i', 'om', 'av', 'over', 'till', 'med', 'under', 'och', 'vid', 'at', 'fran',
  'status', 'statusen', 'lagesbild', 'lagesbilden', 'sammanfattning', 'sammanfattningen', 'laget', 'lage',
  'hur', 'ser', 'det', 'ut', 'ar', 'ligger', 'vi', 'oss', 'kan', 'du', 'ge', 'mig', 'visa', 'tack', 'snalla',
  'just', 'nu', 'hela', 'alla', 'allt', 'samtliga', 'totalt', 'kommunen', 'forvaltningen', 'enheter', 'enheterna',
]);

function stripEdges(tokens: Token[]): Token[] {
  let a = 0;
  let b = tokens.length;
  while (a < b && EDGE_FILLERS.has(tokens[a]!.f)) a++;
  while (b > a && EDGE_FILLERS.has(tokens[b - 1]!.f)) b--;
  return tokens.slice(a, b);
}

/** The words left between the periods taken out, each run without its edge fillers. */
function fragments(tokens: Token[]): Token[][] {
  const out: Token[][] = [];
  let cur: Token[] = [];
  for (const t of [...tokens, { orig: '|', f: '|' }]) {
    if (t.f === '|') {
      const s = stripEdges(cur);
      if (s.length > 0) out.push(s);
      cur = [];
    } else cur.push(t);
  }
  return out;
}

function splitOn(words: string[], sep: string): string[][] {
  const out: string[][] = [[]];
  for (const w of words) {
    if (w === sep) out.push([]);
    else out[out.length - 1]!.push(w);
  }
  return out;
}

/** Words that show the user tried to name a period. */
const PERIODISH = new Set([
  'senaste', 'sista', 'dag', 'dagen', 'dagar', 'dagarna', 'dygn', 'dygnet', 'vecka', 'veckan', 'veckor',
  'veckorna', 'v', 'manad', 'manaden', 'manader', 'manaderna', 'ar', 'aret', 'forra', 'denna', 'hittills',
  'period', 'perioden', 'sedan',
]);

function joinSwedish(items: string[], conjunction: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]!}`;
}

// ---------------------------------------------------------------------------------------------
// Periods

interface ResolvedPeriod {
  from: Date;
  to: Date;
  label: string;
  /** How to ask for this period again (for suggestions); undefined for the default. */
  phrase?: string;
}

interface PeriodError {
  error: string;
  suggestions?: string[];
}

type PeriodResult = ResolvedPeriod | PeriodError;

interface PeriodRule {
  re: RegExp;
  resolve(m: RegExpExecArray, now: DateTime): PeriodResult;
}

/**
 * What the user wrote, fit to quote back into the chat (Teams keeps it): a digit run long enough
 * to be part of an identity number, in any of the ways one is written, is left out.
 */
export function quotable(text: string): string {
  return text.replace(/\p{Nd}[\p{Nd}\p{Zs}\p{Pd}\p{Cf}\t+./]*\p{Nd}/gu, (m) => (m.replace(/[^\p{Nd}]/gu, '').length >= 6 ? '…' : m));
}

const PRE = String.raw`(?:(?:i|under|for|pa|om)\s+)?`;
const NUMBER_WORDS: Record<string, number> = {
  en: 1, ett: 1, tva: 2, tre: 3, fyra: 4, fem: 5, sex: 6, sju: 7, atta: 8, nio: 9, tio: 10, elva: 11, tolv: 12,
  fjorton: 14, femton: 15, tjugo: 20, trettio: 30, fyrtio: 40, femtio: 50, sextio: 60, nittio: 90,
};
const NUM = `(\\d+|${Object.keys(NUMBER_WORDS).join('|')})`;
const MONTH_WORDS: Record<string, number> = {
  ...Object.fromEntries(MONTH_NAMES.map((m, i) => [m, i + 1])),
  jan: 1, feb: 2, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, okt: 10, nov: 11, dec: 12,
};
const MONTH_ALT = Object.keys(MONTH_WORDS)
  .sort((a, b) => b.length - a.length)
  .join('|');
const DAYS = '(?:dagarna|dagar|dygnen|dygn)';
const LAST = '(?:senaste|sista|forra|forflutna)';

function toNumber(s: string): number {
  return /^\d+$/.test(s) ? Number(s) : (NUMBER_WORDS[s] ?? NaN);
}

const re = (source: string): RegExp => new RegExp(String.raw`\b${source}\b`);

const PERIOD_RULES: PeriodRule[] = [
  { re: re(`${PRE}(?:de\\s+)?${LAST}\\s+${NUM}\\s+${DAYS}`), resolve: (m, now) => lastDays(toNumber(m[1]!), now) },
  { re: re(`${PRE}(?:de\\s+)?${LAST}\\s+${NUM}\\s+(?:veckorna|veckor)`), resolve: (m, now) => lastWeeks(toNumber(m[1]!), now) },
  {
    re: re(`${PRE}(?:den\\s+)?(?:senaste|sista)\\s+(veckan|dagen|dygnet|manaden)`),
    resolve: (m, now) =>
      m[1] === 'veckan'
        ? lastDays(7, now, 'senaste veckan')
        : m[1] === 'manaden'
          ? relative(now.minus({ months: 1 }), now, 'senaste månaden', 'senaste månaden')
          : lastDays(1, now, 'senaste dygnet'),
  },
  { re: re(`${PRE}${NUM}\\s+${DAYS}(?:\\s+bakat)?`), resolve: (m, now) => lastDays(toNumber(m[1]!), now) },
  {
    re: re(`${PRE}(?:vecka|veckan|v|w|week)\\s+(\\d+)(?:\\s+(\\d{4}))?`),
    resolve: (m, now) => weekN(Number(m[1]), m[2] === undefined ? undefined : Number(m[2]), now),
  },
  {
    re: re(`${PRE}(?:forra|forriga|forgangna)\\s+veckan?`),
    resolve: (_m, now) => {
      const start = now.startOf('week').minus({ weeks: 1 });
      return calendar(start, start.plus({ weeks: 1 }), now, `vecka ${start.weekNumber} ${start.weekYear}`, 'förra veckan');
    },
  },
  {
    re: re(`(?:hittills\\s+)?${PRE}(?:(?:denna|den\\s+har|nuvarande|innevarande|aktuell|aktuella)\\s+)?veckan?(?:\\s+hittills)?`),
    resolve: (_m, now) => thisWeek(now),
  },
  {
    re: re(`${PRE}(?:forra|forriga|forgangna)\\s+manad(?:en)?`),
    resolve: (_m, now) => {
      const start = now.startOf('month').minus({ months: 1 });
      return calendar(start, start.plus({ months: 1 }), now, monthLabel(start), 'förra månaden');
    },
  },
  {
    re: re(`(?:hittills\\s+)?${PRE}(?:(?:denna|den\\s+har|nuvarande|innevarande|aktuell|aktuella)\\s+)?manad(?:en)?(?:\\s+hittills)?`),
    resolve: (_m, now) => relative(now.startOf('month'), now, 'denna månad', 'denna månad'),
  },
  {
    re: re(`${PRE}(forsta|andra)\\s+halvaret(?:\\s+(\\d{4}))?`),
    resolve: (m, now) => halfYear(m[1] === 'forsta' ? 1 : 2, m[2] === undefined ? undefined : Number(m[2]), now),
  },
  {
    re: re(`${PRE}(${MONTH_ALT})(?:\\s+(\\d{4}))?`),
    resolve: (m, now) => month(MONTH_WORDS[m[1]!]!, m[2] === undefined ? undefined : Number(m[2]), now),
  },
  {
    re: re(`(?:forra\\s+aret|forra\\s+ar|i\\s+fjol|ifjol|fjolaret)`),
    resolve: (_m, now) => {
      const start = now.startOf('year').minus({ years: 1 });
      return calendar(start, start.plus({ years: 1 }), now, String(start.year), 'förra året');
    },
  },
  {
    re: re(`(?:hittills\\s+)?(?:i\\s+ar|i\\s+aret|under\\s+aret|detta\\s+ar|innevarande\\s+ar|aret)(?:\\s+hittills)?`),
    resolve: (_m, now) => relative(now.startOf('year'), now, 'i år', 'i år'),
  },
  { re: re(`(?:hittills\\s+)?(?:i\\s+dag|idag)(?:\\s+hittills)?`), resolve: (_m, now) => relative(now.startOf('day'), now, 'i dag', 'i dag') },
  {
    re: re(`(?:i\\s+gar|igar)`),
    resolve: (_m, now) => {
      const start = now.startOf('day').minus({ days: 1 });
      return calendar(start, now.startOf('day'), now, `${start.day} ${MONTH_NAMES[start.month - 1]!} ${start.year}`, 'i går');
    },
  },
  { re: re(`${PRE}(?:ar\\s+)?(\\d{4})`), resolve: (m, now) => year(Number(m[1]), now) },
];

function thisWeek(now: DateTime): ResolvedPeriod {
  return { from: now.startOf('week').toJSDate(), to: now.toJSDate(), label: 'denna vecka' };
}

function relative(from: DateTime, now: DateTime, label: string, phrase: string): ResolvedPeriod {
  return { from: from.toJSDate(), to: now.toJSDate(), label, phrase };
}

/** A calendar period [from, to): refused if it has not started, cut at `now` if it has not ended. */
function calendar(from: DateTime, to: DateTime, now: DateTime, label: string, phrase: string): PeriodResult {
  if (from > now) {
    return { error: `${capitalize(label)} har inte börjat än, så det finns inget att sammanfatta.`, suggestions: periodExamples(now) };
  }
  return { from: from.toJSDate(), to: (to < now ? to : now).toJSDate(), label, phrase };
}

function lastDays(n: number, now: DateTime, phrase?: string): PeriodResult {
  if (!Number.isInteger(n) || n < 1 || n > 366) {
    return {
      error: 'Jag kan sammanfatta mellan 1 och 366 dagar bakåt.',
      suggestions: ['status senaste 30 dagarna', 'status senaste 7 dagarna', 'status i år'],
    };
  }
  const label = n === 1 ? 'senaste dygnet' : `senaste ${n} dagarna`;
  return relative(now.minus({ days: n }), now, label, phrase ?? label);
}

function lastWeeks(n: number, now: DateTime): PeriodResult {
  if (!Number.isInteger(n) || n < 1 || n > 52) {
    return {
      error: 'Jag kan sammanfatta mellan 1 och 52 veckor bakåt.',
      suggestions: ['status senaste 4 veckorna', 'status senaste 30 dagarna', 'status i år'],
    };
  }
  if (n === 1) return lastDays(7, now);
  const label = `senaste ${n} veckorna`;
  return relative(now.minus({ weeks: n }), now, label, label);
}

/** Number of ISO weeks in a week-year (52 or 53): 28 December is always in the last week. */
function weeksInWeekYear(weekYear: number, zone: Zone): number {
  return DateTime.fromObject({ year: weekYear, month: 12, day: 28 }, { zone }).weekNumber;
}

function weekN(week: number, givenYear: number | undefined, now: DateTime): PeriodResult {
  const zone = now.zone;
  const examples = [`status vecka ${now.weekNumber}`, 'status förra veckan', 'status senaste 30 dagarna'];
  if (week < 1 || week > 53) {
    return { error: `Det finns ingen vecka ${week}. Veckorna numreras 1–52 (vissa år finns vecka 53).`, suggestions: examples };
  }
  let weekYear: number;
  if (givenYear !== undefined) {
    weekYear = givenYear;
    if (week > weeksInWeekYear(weekYear, zone)) {
      return { error: `År ${weekYear} har ingen vecka ${week}.`, suggestions: examples };
    }
  } else if (week <= now.weekNumber) {
    weekYear = now.weekYear;
  } else {
    weekYear = now.weekYear - 1;
    if (week > weeksInWeekYear(weekYear, zone)) {
      return {
        error: `Vecka ${week} ${now.weekYear} har inte börjat än, och ${weekYear} hade ingen vecka ${week}.`,
        suggestions: examples,
      };
    }
  }
  const start = DateTime.fromObject({ weekYear, weekNumber: week, weekday: 1 }, { zone }).startOf('day');
  const phrase = givenYear === undefined ? `vecka ${week}` : `vecka ${week} ${givenYear}`;
  return calendar(start, start.plus({ weeks: 1 }), now, `vecka ${week} ${weekYear}`, phrase);
}

function monthLabel(d: DateTime): string {
  return `${MONTH_NAMES[d.month - 1]!} ${d.year}`;
}

function month(m: number, givenYear: number | undefined, now: DateTime): PeriodResult {
  const y = givenYear ?? (m <= now.month ? now.year : now.year - 1);
  const start = DateTime.fromObject({ year: y, month: m, day: 1 }, { zone: now.zone });
  const phrase = givenYear === undefined ? MONTH_NAMES[m - 1]! : monthLabel(start);
  return calendar(start, start.plus({ months: 1 }), now, monthLabel(start), phrase);
}

/**
 * The first (January–June) or second (July–December) half of a year: the named year's, or the
 * most recent one that has started (the second half of last year before 1 July).
 */
function halfYear(half: 1 | 2, y: number | undefined, now: DateTime): PeriodResult {
  const word = half === 1 ? 'första' : 'andra';
  const startIn = (year: number) => DateTime.fromObject({ year, month: half === 1 ? 1 : 7, day: 1 }, { zone: now.zone });
  let start = startIn(y ?? now.year);
  if (y === undefined && start > now) start = startIn(now.year - 1);
  return calendar(start, start.plus({ months: 6 }), now, `${word} halvåret ${start.year}`, `${word} halvåret`);
}

function year(y: number, now: DateTime): PeriodResult {
  if (y < 1900) return { error: `Jag förstod inte årtalet ${y}.`, suggestions: periodExamples(now) };
  const start = DateTime.fromObject({ year: y, month: 1, day: 1 }, { zone: now.zone });
  return calendar(start, start.plus({ years: 1 }), now, String(y), String(y));
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Example period phrasings, each of which parses. */
function periodExamples(now: DateTime): string[] {
  const lastMonth = now.startOf('month').minus({ months: 1 });
  return [
    `status vecka ${now.weekNumber}`,
    'status förra veckan',
    'status senaste 30 dagarna',
    `status ${MONTH_NAMES[lastMonth.month - 1]!}`,
  ];
}

function scopeExamples(scopes: readonly StatusScopeCandidate[]): string[] {
  const committee = scopes.find((s) => s.kind === 'committee');
  const unit = scopes.find((s) => s.kind === 'unit');
  return [committee, unit].filter((s): s is StatusScopeCandidate => s !== undefined).map((s) => `status för ${s.name}`);
}

// ---------------------------------------------------------------------------------------------
// Scopes

interface PreparedScope {
  scope: StatusScopeCandidate;
  /** Folded word lists: the name, each alias, and the id with dashes as spaces. */
  variants: string[][];
}

function prepareScope(scope: StatusScopeCandidate): PreparedScope {
  const variants = [scope.name, ...(scope.aliases ?? []), scope.id]
    .map((v) => foldSwedish(v).split(' ').filter(Boolean))
    .filter((v) => v.length > 0);
  return { scope, variants };
}

/** Small words that do not identify anything on their own. */
const STOP = new Set(['och', 'i', 'for', 'av', 'pa', 'med', 'det', 'den', 'de', 'en', 'ett']);

/**
 * Match levels, best first; within a level fewer typos are better. The scopes with the best
 * (level, typos) that any scope reaches are the candidates (more than one = ambiguous):
 * 0. the whole name (alias, id) exactly, also when typed without spaces;
 * 1. a run of whole words of the name ("barn och unga", "norr");
 * 2. a run of words where the last is a beginning of a word ("hemtjänst n"), or a word or the
 *    whole query is a part of a word ("familjehem", "enheten", "barnochunga"); or the whole name
 *    with small typos: Damerau–Levenshtein ≤ 1 for names up to 8 letters, ≤ 2 for longer
 *    ("vuxenenhten", "socialnamden");
 * 3. a run of words with small typos in some words (same allowance per word, not for words of
 *    3 letters or less: "barn och ungs").
 * Level 1 needs at least 3 letters outside small words like "och", "för" ("bou"), levels 2–3 at
 * least 4 ("soc" matches nothing). "o" counts as "och" ("Barn o unga"), and the match is also
 * tried with small words left out ("barn unga"). Names are compared folded (foldSwedish), so
 * case, å/ä/ö typed as a/o, dashes and punctuation never matter.
 */
function matchScopes(query: string[], scopes: readonly PreparedScope[]): PreparedScope[] {
  const q = query.map((w) => (w === 'o' ? 'och' : w));
  let bestScore = Infinity;
  let best: PreparedScope[] = [];
  for (const s of scopes) {
    const own = Math.min(...s.variants.map((v) => matchScore(q, v)));
    if (own < bestScore) {
      bestScore = own;
      best = [s];
    } else if (own === bestScore && own < Infinity) {
      best.push(s);
    }
  }
  return best;
}

/** level × 10 + number of typos (at most 9); Infinity = no match. */
const score = (level: number, typos = 0): number => level * 10 + Math.min(typos, 9);

function matchScore(q: string[], v: string[]): number {
  const qs = q.join('');
  const vs = v.join('');
  if (qs.length === 0) return Infinity;
  if (qs === vs) return score(0);
  let best = Infinity;
  const q2 = q.filter((w) => !STOP.has(w));
  const content = q2.join('').length;
  if (content >= 3) {
    const v2 = v.filter((w) => !STOP.has(w));
    const runs = [runScore(q, v), q2.length !== q.length || v2.length !== v.length ? runScore(q2, v2) : Infinity];
    // Whole words may be as short as 3 letters ("bou", "lss"); anything looser needs 4.
    for (const r of runs) if (r < score(2) || content >= 4) best = Math.min(best, r);
    if (content >= 4 && vs.includes(qs)) best = Math.min(best, score(2));
  }
  if (qs.length >= 3) {
    const d = distance(qs, vs);
    if (d <= typoAllowance(vs.length)) best = Math.min(best, score(2, d));
  }
  return best;
}

/** Best score of the query words as a contiguous run of the name's words (see matchScopes). */
function runScore(q: string[], v: string[]): number {
  let best = Infinity;
  for (let i = 0; i + q.length <= v.length; i++) {
    let level = 1;
    let typos = 0;
    for (let j = 0; j < q.length && level > 0; j++) {
      const m = wordMatch(q[j]!, v[i + j]!, j === q.length - 1);
      if (m === undefined) level = 0;
      else {
        level = Math.max(level, m.level);
        typos += m.typos;
      }
    }
    if (level > 0) best = Math.min(best, score(level, typos));
  }
  return best;
}

/** Level 1 = same word, 2 = a beginning (last word) or part (≥ 4 letters) of it, 3 = with typos. */
function wordMatch(q: string, v: string, last: boolean): { level: number; typos: number } | undefined {
  if (q === v) return { level: 1, typos: 0 };
  if (v.startsWith(q) && q.length >= (last ? 1 : 3)) return { level: 2, typos: 0 };
  if (q.length >= 4 && v.includes(q)) return { level: 2, typos: 0 };
  if (q.length >= 3) {
    const d = distance(q, v);
    if (d <= typoAllowance(v.length)) return { level: 3, typos: d };
  }
  if (q.length >= 5) {
    for (let k = q.length - 1; k <= Math.min(q.length + 1, v.length); k++) {
      if (distance(q, v.slice(0, k)) <= 1) return { level: 3, typos: 1 };
    }
  }
  return undefined;
}

/** Looser "did you mean": scopes with a word, or the whole name, within about a third of its length. */
function nearScopes(query: string[], scopes: readonly PreparedScope[]): StatusScopeCandidate[] {
  const scored: { scope: StatusScopeCandidate; score: number }[] = [];
  const words = query.filter((w) => w.length >= 3 && !STOP.has(w));
  for (const s of scopes) {
    let score = Infinity;
    for (const v of s.variants) {
      const vs = v.join('');
      score = Math.min(score, distance(query.join(''), vs) / Math.max(vs.length, 1));
      for (const w of words) {
        for (const vw of v) {
          if (STOP.has(vw)) continue;
          score = Math.min(score, distance(w, vw) / Math.max(w.length, vw.length));
        }
      }
    }
    if (score <= 0.4) scored.push({ scope: s.scope, score });
  }
  return scored
    .sort((a, b) => a.score - b.score)
    .slice(0, 3)
    .map((s) => s.scope);
}

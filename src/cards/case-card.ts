/**
 * The case card (adaptive-cards/case.json) with its notes (anteckningar) and åtgärder in pages:
 * a case grows without limit, a Teams message does not. A page shows the newest items that fit
 * (at most ITEMS_PER_PAGE of each), older ones are a button away ("Äldre anteckningar och
 * åtgärder", case.show with how many newest to skip). Only when a single note does not fit are
 * long texts shortened, saying so.
 */
import { charCount, renderShortened } from './fit';
import { shorten } from './plain-text';
import type { AdaptiveCard, CardRenderer } from './render';

/** At most this many notes and this many åtgärder on one page; fewer when they are long. */
export const ITEMS_PER_PAGE = 10;

export interface CaseEntryView {
  /** The SOSFS 2011:5 item, shown in bold by the template. */
  item: string;
  /** Fakta/bedömning, author, date and source. */
  meta: string;
  text: string;
}

export interface CaseActionView {
  text: string;
  /** Owner and due date. */
  meta: string;
}

/** How many of the newest notes and åtgärder a page skips. */
export interface CasePage {
  entries: number;
  actions: number;
}

export const FIRST_CASE_PAGE: CasePage = { entries: 0, actions: 0 };

/** The page from a case.show button's data; anything odd means the first page. */
export function parseCasePage(data: unknown): CasePage {
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const count = (v: unknown) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : 0;
    return Number.isSafeInteger(n) && n > 0 ? n : 0;
  };
  return { entries: count(d.entries), actions: count(d.actions) };
}

/**
 * How the notice at the top reads: 'Good' only for a step that is done and needs nothing more;
 * 'Warning' when it asks for something (an anmälan to make "snarast"); 'Attention' for a refusal.
 */
export type NoticeTone = 'Good' | 'Warning' | 'Attention';

export interface CaseCardBase {
  reference: string;
  urgent: boolean;
  notice: string;
  noticeColor: NoticeTone;
  facts: { title: string; value: string }[];
  clocks: { text: string; color: string; weight: string }[];
  clocksStyle: string;
  whatHappened: string;
  /** The report's "Konsekvenser" ("–" when the reporter left it empty). */
  consequences: string;
  next: { title: string; verb: string }[];
  nextHint: string;
}

interface Slice<T> {
  all: T[];
  /** Exclusive end of the page (the newest item shown + 1). */
  end: number;
  shown: number;
}

const sliceOf = <T>(all: T[], skip: number): Slice<T> => {
  const end = Math.max(0, all.length - skip);
  return { all, end, shown: Math.min(ITEMS_PER_PAGE, end) };
};
const items = <T>(s: Slice<T>): T[] => s.all.slice(s.end - s.shown, s.end);

function note(s: Slice<unknown>, one: string, many: string): string {
  const total = s.all.length;
  if (total === 0 || (s.shown === total && s.end === total)) return '';
  if (s.shown === 0) return `Inga äldre ${many} (${total} totalt).`;
  const from = s.end - s.shown + 1;
  return from === s.end ? `Visar ${one} ${from} av ${total}.` : `Visar ${many} ${from}–${s.end} av ${total} (äldst först).`;
}

export function caseCard(r: CardRenderer, base: CaseCardBase, entries: CaseEntryView[], actions: CaseActionView[], page: CasePage = FIRST_CASE_PAGE): AdaptiveCard {
  const e = sliceOf(entries, page.entries);
  const a = sliceOf(actions, page.actions);
  const data = (cap: number) => {
    const cut = (s: string) => (cap === Infinity ? s : shorten(s, cap));
    const pager: { title: string; data: object }[] = [];
    if (e.end - e.shown > 0 || a.end - a.shown > 0) {
      pager.push({ title: 'Äldre anteckningar och åtgärder', data: { reference: base.reference, entries: entries.length - (e.end - e.shown), actions: actions.length - (a.end - a.shown) } });
    }
    if (page.entries > 0 || page.actions > 0) pager.push({ title: 'Senaste anteckningarna', data: { reference: base.reference } });
    return {
      ...base,
      notice: cut(base.notice),
      facts: base.facts.map((f) => ({ title: f.title, value: cut(f.value) })),
      whatHappened: cut(base.whatHappened),
      consequences: cut(base.consequences),
      entries: items(e).map((x) => ({ item: x.item, meta: cut(x.meta), text: cut(x.text) })),
      entriesNote: note(e, 'anteckning', 'anteckningar'),
      actionsTaken: items(a).map((x) => ({ text: cut(x.text), meta: cut(x.meta) })),
      actionsNote: note(a, 'åtgärd', 'åtgärder'),
      pager,
    };
  };
  // Fewer items first: a whole note on the next page beats a shortened one here.
  const weight = (s: Slice<{ text: string }>) => (s.shown > 1 ? JSON.stringify(items(s)).length : -1);
  while ((e.shown > 1 || a.shown > 1) && !r.fits('case', data(Infinity))) {
    if (weight(e) >= weight(a)) e.shown--;
    else a.shown--;
  }
  const texts = [base.notice, base.whatHappened, base.consequences, ...base.facts.map((f) => f.value), ...items(e).flatMap((x) => [x.text, x.meta]), ...items(a).flatMap((x) => [x.text, x.meta])];
  const longest = Math.max(0, ...texts.map(charCount));
  return renderShortened(r, 'case', longest, (cap) => data(cap >= longest ? Infinity : cap));
}

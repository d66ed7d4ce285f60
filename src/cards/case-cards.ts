/**
 * The case cards, and the only place they are built: the case card with its clocks and its notes
 * and åtgärder in pages, the step forms, the recommendation, and the IVO anmälan draft in parts.
 * The case service and the assessment return view models (src/cases/case-views.ts); the transport
 * layer turns them into cards here. Every template goes through the typed registry (templates.ts).
 *
 * The case card: a case grows without limit, a Teams message does not. A page shows the newest
 * items that fit (at most ITEMS_PER_PAGE of each), older ones are a button away ("Äldre
 * anteckningar och åtgärder", case.show with how many newest to skip). Only when a single note
 * does not fit are long texts shortened, saying so.
 *
 * The draft is copied into IVO's e-service, so nothing may be cut: when it is too long, it is split
 * between paragraphs (or, for one huge paragraph, between words) into "Del 1 av N", each with its
 * own copy field and buttons to the other parts. Parts are found by rendering and measuring.
 */
import { randomUUID } from 'node:crypto';
import type { CaseActionView, CaseCardBase, CaseEntryView, CaseFormSpec, CasePage, CaseResult, CaseView, DraftSection } from '../cases/case-views';
import { redactIdentityNumbers } from '../privacy/identity-numbers';
import { charCount, renderShortened } from './fit';
import { shorten } from './plain-text';
import { CardTooLargeError, type AdaptiveCard, type CardRenderer } from './render';
import type { CaseDraftTemplate } from './templates';

export type { CaseActionView, CaseCardBase, CaseEntryView, CasePage, DraftSection, NoticeTone } from '../cases/case-views';

/** At most this many notes and this many åtgärder on one page; fewer when they are long. */
export const ITEMS_PER_PAGE = 10;

export const FIRST_CASE_PAGE: CasePage = { entries: 0, actions: 0 };

/** Buttons Teams shows in one row (an Adaptive Card's actions, or an ActionSet). */
export const MAX_ACTIONS_IN_ROW = 6;

/**
 * The next steps in rows Teams shows whole: all in the card's actions when they fit, otherwise the
 * first ones in a row above (the card's body ends with it), keeping their order. A serious case
 * without an utredare has seven (Utse utredare, Ny bedömning, Underlag, Registrera anmälan,
 * Dokumentera, Lägg till åtgärd, Information till den enskilde): none may be dropped.
 */
export function splitSteps<T>(steps: readonly T[]): { nextFirst: T[]; next: T[] } {
  const first = Math.max(0, steps.length - MAX_ACTIONS_IN_ROW);
  return { nextFirst: steps.slice(0, first), next: steps.slice(first) };
}

/** The page from a case.show button's data; anything odd means the first page. */
export function parseCasePage(data: unknown): CasePage {
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const count = (v: unknown) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : 0;
    return Number.isSafeInteger(n) && n > 0 ? n : 0;
  };
  return { entries: count(d.entries), actions: count(d.actions) };
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
      ...splitSteps(base.next),
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

// ---- The IVO anmälan draft ----

interface Part {
  section: number;
  text: string;
  /** Continues the paragraph of the part before it (a paragraph split between words). */
  sameParagraph: boolean;
}

const TEMPLATE = 'case-draft';

function pageData(reference: string, sections: DraftSection[], parts: Part[], page: number, pages: number, continued: boolean): CaseDraftTemplate {
  const groups: { section: number; title: string; text: string }[] = [];
  for (const p of parts) {
    const last = groups.at(-1);
    if (last && last.section === p.section) last.text += p.sameParagraph ? ` ${p.text}` : `\n\n${p.text}`;
    else groups.push({ section: p.section, title: sections[p.section]!.title, text: p.text });
  }
  // A section that started on the part before says so, in the card and in the text to copy.
  if (continued && groups[0]) groups[0].title += ' (forts.)';
  const many = pages > 1;
  return {
    reference,
    sections: groups.map((g) => ({ title: g.title, text: g.text })),
    copyText: groups.map((g) => `${g.title}:\n${g.text}`).join('\n\n'),
    copyLabel: many ? `Texten att kopiera, del ${page + 1} av ${pages}` : 'Hela texten att kopiera',
    pageNote: many ? `Del ${page + 1} av ${pages}. Underlaget är för långt för ett meddelande: kopiera delarna i tur och ordning (Nästa del).` : '',
    page,
    pages,
  };
}

/** Splits a text in two between words, as near the middle as possible (mid-word only when it has no spaces). */
function halve(text: string): [string, string] {
  const chars = [...text];
  const mid = Math.floor(chars.length / 2);
  let cut = -1;
  for (let d = 0; d < mid && cut < 0; d++) {
    if (/\s/.test(chars[mid + d] ?? '')) cut = mid + d;
    else if (/\s/.test(chars[mid - d] ?? '')) cut = mid - d;
  }
  if (cut <= 0) cut = mid;
  return [chars.slice(0, cut).join('').trimEnd(), chars.slice(cut).join('').trimStart()];
}

/** The parts of the draft, page by page: as many paragraphs as fit on each. */
export function draftPages(r: CardRenderer, reference: string, sections: DraftSection[]): Part[][] {
  // Measured with the widest page numbers the draft can have, so the real numbers never push it over.
  const fits = (parts: Part[]) => r.fits(TEMPLATE, pageData(reference, sections, parts, 98, 99, true));
  const queue: Part[] = sections.flatMap((s, section) => s.paragraphs.map((text) => ({ section, text, sameParagraph: false })));
  const pages: Part[][] = [];
  let current: Part[] = [];
  while (queue.length) {
    const part = queue.shift()!;
    if (fits([...current, part])) {
      current.push(part);
    } else if (current.length) {
      pages.push(current);
      current = [];
      queue.unshift(part);
    } else {
      const [a, b] = halve(part.text);
      // Only a single character too big for a card gets here: nothing left to split, so refuse rather than cut.
      if (!a || !b) throw new CardTooLargeError(TEMPLATE, r.measure(TEMPLATE, pageData(reference, sections, [part], 98, 99, true)).bytes);
      queue.unshift({ ...part, text: a }, { section: part.section, text: b, sameParagraph: true });
    }
  }
  if (current.length || !pages.length) pages.push(current);
  return pages;
}

/** Part `page` (from 0; past the end means the last) of the draft. */
export function draftCard(r: CardRenderer, reference: string, sections: DraftSection[], page = 0): AdaptiveCard {
  const pages = draftPages(r, reference, sections);
  const p = Math.min(Math.max(0, Math.floor(page) || 0), pages.length - 1);
  const continued = p > 0 && pages[p - 1]!.at(-1)?.section === pages[p]![0]?.section;
  return r.render(TEMPLATE, pageData(reference, sections, pages[p]!, p, pages.length, continued));
}

/** The part asked for by a case.draft button: its data, or the data's `page`; anything odd means the first. */
export function parseDraftPage(data: unknown): number {
  const v = data && typeof data === 'object' ? (data as Record<string, unknown>).page : data;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,4}$/.test(v) ? Number(v) : 0;
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

// ---- Step forms and the recommendation ----

/** Free text in a form is refused when longer, never cut: the inputs take at most this. */
export const FORM_TEXT_MAX = 4000;

export const FORM_TOO_LARGE =
  'Det du skrev är för långt för att Teams ska kunna visa formuläret igen, så inget är sparat. Texten finns kvar i formuläret: korta ned den och skicka igen.';

/**
 * A step form, with what was typed when it comes back. A value is never echoed longer than its
 * input allows (the client would cut it anyway); should the form still not fit in one Teams
 * message, a message answer leaves the card, and what was typed in it, as the user has it.
 */
export function caseFormCard(r: CardRenderer, reference: string, spec: CaseFormSpec): AdaptiveCard | string {
  try {
    return r.render('case-form', {
      reference,
      formId: randomUUID(),
      title: spec.title,
      texts: (spec.texts ?? []).map((text) => ({ text, weight: 'Default', color: 'Default' })),
      error: spec.error ?? '',
      verb: spec.verb,
      submitTitle: spec.submitTitle,
      inputs: spec.inputs.map((i) => {
        const maxLength = i.maxLength ?? FORM_TEXT_MAX;
        // Cut to what the input takes, then masked again: the cut itself can make a number.
        return { maxLength, choices: [], hint: '', error: '', ...i, value: redactIdentityNumbers((i.value ?? '').slice(0, maxLength)) };
      }),
    });
  } catch (err) {
    if (!(err instanceof CardTooLargeError)) throw err;
    return FORM_TOO_LARGE;
  }
}

export function recommendationCard(r: CardRenderer, v: Extract<CaseView, { kind: 'recommendation' }>): AdaptiveCard {
  return r.render('case-recommendation', {
    reference: v.reference,
    outcomeTitle: v.outcomeTitle,
    requiresAnmalan: v.requiresAnmalan,
    reasons: v.reasons.map((text) => ({ text })),
    borderline: v.borderline.map((text) => ({ text: `${text[0]!.toUpperCase()}${text.slice(1)}.` })),
    references: v.references.map((ref) => ({ text: ref.verified ? ref.text : `${ref.text} (kontrollera hänvisningen)` })),
    outcomes: v.outcomes,
    decided: v.decided,
    // Never echoed longer than the input takes (4,000), so the card fits.
    motivation: redactIdentityNumbers(v.motivation.slice(0, FORM_TEXT_MAX)),
    error: v.error,
    motivationError: v.motivationError,
    answers: v.answers,
    basedOn: v.basedOn,
  });
}

// ---- From the services' answers to what Teams shows ----

/** The card for a case view; a message when a form coming back no longer fits. */
export function caseViewCard(r: CardRenderer, view: CaseView): AdaptiveCard | string {
  switch (view.kind) {
    case 'case':
      return caseCard(r, view.base, view.entries, view.actions, view.page);
    case 'form':
      return caseFormCard(r, view.reference, view);
    case 'recommendation':
      return recommendationCard(r, view);
    case 'draft':
      return draftCard(r, view.reference, view.sections, view.page);
  }
}

/** The answer to a case action: its view as a card, or the refusal as a message. */
export function caseAnswer(r: CardRenderer, result: CaseResult): AdaptiveCard | string {
  if (result.kind === 'refused' && !result.view) return result.reason;
  return caseViewCard(r, result.view!);
}

/**
 * The IVO anmälan draft (adaptive-cards/case-draft.json) in parts that each fit a Teams message.
 * The draft is copied into IVO's e-service, so nothing may be cut: when it is too long, it is split
 * between paragraphs (or, for one huge paragraph, between words) into "Del 1 av N", each with its
 * own copy field and buttons to the other parts. Parts are found by rendering and measuring.
 */
import { CardTooLargeError, type AdaptiveCard, type CardRenderer } from './render';

export interface DraftSection {
  title: string;
  /** Never empty: the builder writes "–" or "Utredningen pågår." for nothing. */
  paragraphs: string[];
}

interface Part {
  section: number;
  text: string;
  /** Continues the paragraph of the part before it (a paragraph split between words). */
  sameParagraph: boolean;
}

const TEMPLATE = 'case-draft';

function pageData(reference: string, sections: DraftSection[], parts: Part[], page: number, pages: number, continued: boolean) {
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

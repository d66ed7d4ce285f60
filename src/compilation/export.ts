/**
 * The sammanställning as a file, through a one-time link (issue #16).
 *
 * Why a link and not Teams' file flow: a bot sends a file to a personal chat through the
 * FileConsentCard, which uploads to the person's OneDrive via Teams and Graph: nothing of that
 * runs offline or in the Agents Playground, so it could not be built or tested here. The link
 * instead: 256 random bits, kept only as a SHA-256 hash with who asked, the nämnd and the period;
 * given only as the answer to that person's own button in their personal chat (an invoke response,
 * not a message others see); valid for EXPORT_TTL_MS and for one download; the file is made at
 * download time with the person's access as it is then (a chef who lost the role gets nothing).
 * A browser cannot prove who opens it (that would need Entra sign-in on the link), so whoever has
 * the link within those minutes gets the file once: the README says so.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../reports/service';
import type { StateStore } from '../store/store';
import { QUESTION_MAX, type CompilationService, type CompilationView } from './service';
import { compilationXlsx } from './xlsx';

/** How long a link may be used. */
export const EXPORT_TTL_MS = 5 * 60_000;

export interface ExportDeps {
  state: StateStore;
  compilation: CompilationService;
  /** The bot's public address, e.g. https://lexsarah.kommun.se (the link's base). */
  baseUrl: () => string;
  /** Real time: a link's few minutes are real minutes, whatever clock the app runs on. */
  realNow?: () => Date;
}

export type ExportResult = { kind: 'export'; view: CompilationView; url: string } | { kind: 'refused'; reason: string };

export type DownloadResult =
  | { status: 200; filename: string; bytes: Buffer }
  | { status: 403 | 404 | 410; message: string };

/** What the card's button sends: the nämnd, and the question as asked (its period is parsed again). */
const requestSchema = z.object({
  committeeId: z.string().min(1).max(200),
  question: z.string().max(QUESTION_MAX),
});

interface StoredExport {
  entraId: string;
  name: string;
  committeeId: string;
  question: string;
  expiresAt: string;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
const keyOf = (hash: string) => `compilation-export/${hash}`;
/** A token as the link carries it: 43 base64url characters. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const EXPORT_MESSAGES = {
  gone: 'Länken har redan använts eller gått ut. Be om en ny sammanställning i Teams och tryck på "Ladda ner som Excel-fil" igen.',
  notFound: 'Länken finns inte. Be om en ny sammanställning i Teams.',
  noAccess: 'Du kan inte längre se sammanställningen för den nämnden.',
  badRequest: 'Jag kunde inte läsa vilken sammanställning du ville ladda ner. Skriv "sammanställning" och försök igen.',
};

export class CompilationExports {
  constructor(private readonly deps: ExportDeps) {}

  private now(): Date {
    return this.deps.realNow?.() ?? new Date();
  }

  /** The card's button: a fresh link to the file of this nämnd and period, for the person who pressed it. */
  async request(actor: Actor, data: unknown): Promise<ExportResult> {
    const parsed = requestSchema.safeParse(data);
    if (!parsed.success) return { kind: 'refused', reason: EXPORT_MESSAGES.badRequest };
    const p = parsed.data;
    const view = await this.deps.compilation.forCommittee(actor, p.committeeId, p.question);
    if (!view) return { kind: 'refused', reason: EXPORT_MESSAGES.noAccess };
    const token = randomBytes(32).toString('base64url');
    const stored: StoredExport = { entraId: actor.entraId.toLowerCase(), name: actor.name, ...p, expiresAt: new Date(this.now().getTime() + EXPORT_TTL_MS).toISOString() };
    await this.deps.state.write([{ key: keyOf(hashOf(token)), value: JSON.stringify(stored) }]);
    return { kind: 'export', view, url: `${this.deps.baseUrl().replace(/\/+$/, '')}/api/exports/${token}` };
  }

  /** GET /api/exports/<token>: the file, once, within the minutes; never says whose it was. */
  async download(token: string): Promise<DownloadResult> {
    if (!TOKEN.test(token)) return { status: 404, message: EXPORT_MESSAGES.notFound };
    const hash = hashOf(token);
    const row = (await this.deps.state.read([keyOf(hash)])).get(keyOf(hash));
    if (!row) return { status: 404, message: EXPORT_MESSAGES.notFound };
    const stored = JSON.parse(row.value) as StoredExport;
    const now = this.now();
    // One download: whoever claims the marker first gets the file, a second request (or a second instance) none.
    // The row stays, so a second try is told the link was used (410), not that it never existed.
    if (new Date(stored.expiresAt) <= now || !(await this.deps.state.claimOnce(`compilation-export-used/${hash}`, now))) {
      return { status: 410, message: EXPORT_MESSAGES.gone };
    }
    const view = await this.deps.compilation.forCommittee({ entraId: stored.entraId, name: stored.name }, stored.committeeId, stored.question);
    if (!view) return { status: 403, message: EXPORT_MESSAGES.noAccess };
    return { status: 200, filename: exportFilename(view), bytes: await compilationXlsx(view) };
  }
}

/** "sammanstallning-socialnamnden-2026.xlsx": ASCII only, so every browser saves it under that name. */
export function exportFilename(v: CompilationView): string {
  const ascii = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'x';
  return `sammanstallning-${ascii(v.committeeId)}-${ascii(v.period.label)}.xlsx`;
}

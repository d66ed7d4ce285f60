/**
 * Renders the JSON templates in adaptive-cards/ with adaptivecards-templating. Cards are plain
 * objects here; the transport layer wraps them in attachments.
 *
 * Everything the data puts into display text is inert (plain-text.ts): the only markdown on a card
 * is what a template itself writes, e.g. "**${reference}**". Builders cannot forget it and cannot
 * opt out; to make something bold, the template does it. The template is expanded twice, with the
 * data as given and with every string in it made inert; display properties (TextBlock.text,
 * Fact.title/value) come from the second, everything else (input values, action data, ids, verbs,
 * colours) from the first, so that inputs keep the literal text.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { projectRoot } from '../paths';
import { inertRun, inertText, stripControls } from './plain-text';
import type { Templates } from './templates';

export type AdaptiveCard = { type: 'AdaptiveCard'; version: string; [key: string]: unknown };

/**
 * Teams rejects a bot message over ~28 KB, and that counts the whole activity, not the card: the
 * attachment wrapper, conversation and recipient ids, serviceUrl, replyToId, channelData and the
 * recipient's display name (up to 256 characters) add about 1.5 KB in a channel reply. 2 KB of
 * the 28 are left for that envelope (test/cards/teams-envelope.ts measures it).
 */
export const MAX_CARD_BYTES = 26 * 1024;

export class CardTooLargeError extends Error {
  constructor(readonly template: string, readonly bytes: number) {
    super(`Card "${template}" is ${bytes} bytes, over Teams' limit of ${MAX_CARD_BYTES}; paginate the data`);
    this.name = 'CardTooLargeError';
  }
}

export const TEMPLATE_DIR = path.join(projectRoot(), 'adaptive-cards');

export class CardRenderer {
  private readonly cache = new Map<string, ACData.Template>();

  /** The limit cards are measured against (smaller in tests that exercise the shrinking). */
  readonly maxBytes: number;

  constructor(private readonly dir: string = TEMPLATE_DIR, maxBytes = MAX_CARD_BYTES) {
    this.maxBytes = Math.min(maxBytes, MAX_CARD_BYTES);
  }

  render<K extends keyof Templates>(name: K, data: Templates[K]): AdaptiveCard {
    const { card, bytes } = this.expand(name, data);
    if (bytes > this.maxBytes) throw new CardTooLargeError(name, bytes);
    return card;
  }

  /** The card and its size, without the size check: for builders that shrink their data until it fits. */
  measure<K extends keyof Templates>(name: K, data: Templates[K]): { card: AdaptiveCard; bytes: number } {
    return this.expand(name, data);
  }

  private expand(name: string, data: object): { card: AdaptiveCard; bytes: number } {
    const t = this.template(name);
    // Control characters cannot be typed or shown in Teams, and JSON spells each in 6 bytes: gone everywhere.
    const plain = mapStrings(data, stripControls).value as object;
    const inertData = mapStrings(plain, inertText);
    const literal = t.expand({ $root: plain }) as AdaptiveCard;
    // Most data has nothing to escape: then the inert expansion would be the literal one, and
    // expanding (the costly part of a card) once is enough. The merge below is the same either way.
    const inert = inertData.changed ? (t.expand({ $root: inertData.value }) as AdaptiveCard) : literal;
    const card = mergeDisplay(name, literal, inert, '') as AdaptiveCard;
    return { card, bytes: cardBytes(card) };
  }

  /** Whether `data` renders under Teams' limit. */
  fits<K extends keyof Templates>(name: K, data: Templates[K]): boolean {
    return this.expand(name, data).bytes <= this.maxBytes;
  }

  private template(name: string): ACData.Template {
    let t = this.cache.get(name);
    if (!t) {
      if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`invalid card template name "${name}"`);
      const file = path.join(this.dir, `${name}.json`);
      t = new ACData.Template(JSON.parse(readFileSync(file, 'utf8')));
      this.cache.set(name, t);
    }
    return t;
  }
}

export const cardBytes = (card: unknown): number => Buffer.byteLength(JSON.stringify(card), 'utf8');

/** `v` with `f` applied to every string in it, and whether any string came out different. */
function mapStrings(v: unknown, f: (s: string) => string): { value: unknown; changed: boolean } {
  let changed = false;
  const walk = (x: unknown): unknown => {
    if (typeof x === 'string') {
      const y = f(x);
      if (y !== x) changed = true;
      return y;
    }
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
      return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)]));
    }
    return x;
  };
  const value = walk(v);
  return { value, changed };
}

/** Properties that Teams renders as markdown, by element type; a fact has no type, its FactSet does. */
function isDisplay(node: Record<string, unknown>, key: string, inFacts: boolean): boolean {
  if (inFacts) return key === 'title' || key === 'value';
  return node.type === 'TextBlock' && key === 'text';
}

/**
 * The literal expansion with display properties taken from the inert one. Both come from the same
 * template, so they have the same shape unless a condition depends on text that escaping changes:
 * that is a template bug, reported rather than papered over.
 */
function mergeDisplay(name: string, literal: unknown, inert: unknown, at: string, inFacts = false): unknown {
  const differ = () => new Error(`Card "${name}": a condition at ${at || 'the root'} depends on display text; compare ids or flags instead`);
  if (Array.isArray(literal)) {
    if (!Array.isArray(inert) || inert.length !== literal.length) throw differ();
    return literal.map((x, i) => mergeDisplay(name, x, inert[i], `${at}[${i}]`, inFacts));
  }
  if (literal && typeof literal === 'object') {
    if (!inert || typeof inert !== 'object') throw differ();
    const l = literal as Record<string, unknown>;
    const e = inert as Record<string, unknown>;
    const keys = Object.keys(l);
    if (keys.length !== Object.keys(e).length) throw differ();
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      if (!(k in e)) throw differ();
      if (typeof l[k] === 'string' && isDisplay(l, k, inFacts)) out[k] = e[k];
      // TextRun is not markdown, so escapes would show; it only needs links broken.
      else if (typeof l[k] === 'string' && l.type === 'TextRun' && k === 'text') out[k] = inertRun(l[k] as string);
      else if (k === 'inlines' && Array.isArray(l[k]) && Array.isArray(e[k])) {
        const inertInlines = e[k] as unknown[];
        if (inertInlines.length !== (l[k] as unknown[]).length) throw differ();
        out[k] = (l[k] as unknown[]).map((x, i) => (typeof x === 'string' ? inertRun(x) : mergeDisplay(name, x, inertInlines[i], `${at}.inlines[${i}]`)));
      }
      else out[k] = mergeDisplay(name, l[k], e[k], `${at}.${k}`, l.type === 'FactSet' && k === 'facts');
    }
    return out;
  }
  return literal;
}

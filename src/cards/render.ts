/**
 * Renders the JSON templates in adaptive-cards/ with adaptivecards-templating. Cards are plain
 * objects here; the transport layer wraps them in attachments.
 *
 * Everything the data puts into display text is inert (plain-text.ts): the only markdown on a card
 * is what a template itself writes, e.g. "**${reference}**". Builders cannot forget it and cannot
 * opt out; to make something bold, the template does it. The template is expanded twice, with the
 * data as given and with every string in it made inert; display properties (TextBlock.text,
 * Fact.title/value) come from the second, everything else (input values, action data, ids, verbs,
 * colours) from the first, so that inputs keep the literal text. Where the two expansions can be
 * shown to agree outside display text (template-reads.ts), one is made.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { projectRoot } from '../paths';
import * as jsonSize from './json-size';
import { inertRun, inertText, mayNeedInertRules, stripControls } from './plain-text';
import { literalDiffers, templateReads, type Step, type TemplateReads } from './template-reads';
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
  private readonly cache = new Map<string, LoadedTemplate>();

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

  /** Whether `data` renders under Teams' limit. */
  fits<K extends keyof Templates>(name: K, data: Templates[K]): boolean {
    return this.expand(name, data).bytes <= this.maxBytes;
  }

  private expand(name: string, data: object): { card: AdaptiveCard; bytes: number } {
    return expandCard(name, this.template(name), data);
  }

  private template(name: string): LoadedTemplate {
    let t = this.cache.get(name);
    if (!t) {
      if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`invalid card template name "${name}"`);
      t = loadTemplate(path.join(this.dir, `${name}.json`));
      this.cache.set(name, t);
    }
    return t;
  }
}

/** A template, and what it reads outside display text (template-reads.ts). */
export interface LoadedTemplate {
  readonly template: ACData.Template;
  readonly reads: TemplateReads;
}

export function loadTemplate(file: string): LoadedTemplate {
  const payload: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return { template: new ACData.Template(payload), reads: templateReads(payload) };
}

/**
 * The card `t` makes of `data`, and its size. `shortcut` false expands twice whenever escaping
 * changed something: exported for the test that holds both ways equal.
 */
export function expandCard(name: string, t: LoadedTemplate, data: object, shortcut = true): { card: AdaptiveCard; bytes: number } {
  const { plain, inert: inertData, changed } = prepareData(data);
  // Expanding is the costly part of a card, so it is done once where once gives the same card:
  // with nothing to escape, the inert expansion would be the literal one; when escaping changed
  // only what ends up in display text, the literal expansion would be the inert one everywhere
  // the merge takes from it. Otherwise in the order it always was, for the same first error.
  const escaped = inertData !== plain;
  const literal = !escaped || !shortcut || literalDiffers(t.reads, changed) ? (t.template.expand({ $root: plain }) as AdaptiveCard) : undefined;
  const inert = escaped ? (t.template.expand({ $root: inertData }) as AdaptiveCard) : literal!;
  // A root whose $when is false expands to null: merged as it always was (the card is null).
  if (literal !== undefined && literal !== inert) {
    const card = mergeDisplay({ name, path: [] }, literal, inert, false) as AdaptiveCard;
    return { card, bytes: cardBytes(card) };
  }
  const size: JsonSize = { bytes: 0 };
  const card = copyDisplay(inert, false, size) as AdaptiveCard;
  return { card, bytes: Number.isNaN(size.bytes) ? cardBytes(card) : size.bytes };
}

export const cardBytes = (card: unknown): number => Buffer.byteLength(JSON.stringify(card), 'utf8');

/** The data as expanded: control characters stripped (`plain`), and also made inert, with the paths where the two differ. */
interface PreparedData {
  readonly plain: object;
  readonly inert: object;
  readonly changed: readonly Step[][];
}

/** A string escaping changed, and where. */
interface Edit {
  readonly path: Step[];
  readonly value: string;
}

/** Where a walk of the data is, and what escaping changed so far. */
interface DataWalk {
  readonly path: Step[];
  readonly edits: Edit[];
}

function prepareData(data: object): PreparedData {
  const w: DataWalk = { path: [], edits: [] };
  const plain = stripStrings(data, w) as object;
  // Escaping changes a few strings of a card, if any: the inert data is the plain data with those
  // replaced, sharing the rest, rather than a second walk.
  const inert = w.edits.length === 0 ? plain : withEdits(plain, w.edits);
  return { plain, inert, changed: w.edits.map((e) => e.path) };
}

const isPlainObject = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype;

/**
 * `v` without control characters (they cannot be typed or shown in Teams, and JSON spells each in
 * 6 bytes) in the strings of plain objects and arrays, copied only where a string changed:
 * unchanged parts, and `v` itself when nothing changed, are returned as they are. Sharing is safe
 * because neither the templating nor the merge writes to the data, and the merge copies everything
 * it puts on the card. Each string's inert form is noted in `w` where it differs.
 */
function stripStrings(v: unknown, w: DataWalk): unknown {
  if (typeof v === 'string') {
    // Most strings hold nothing either would change: asked once, sparing both.
    if (!mayNeedInertRules(v)) return v;
    const plain = stripControls(v);
    const inert = inertText(plain);
    if (inert !== plain) w.edits.push({ path: [...w.path], value: inert });
    return plain;
  }
  if (Array.isArray(v)) return stripArray(v, w);
  if (isPlainObject(v)) return stripObject(v, w);
  return v;
}

function stripArray(a: unknown[], w: DataWalk): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < a.length; i++) {
    w.path.push(i);
    const y = stripStrings(a[i], w);
    w.path.pop();
    if (Object.is(y, a[i])) continue;
    // slice keeps holes as holes, as map did.
    out ??= a.slice();
    out[i] = y;
  }
  return out ?? a;
}

function stripObject(o: Record<string, unknown>, w: DataWalk): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(o)) {
    w.path.push(k);
    const y = stripStrings(o[k], w);
    w.path.pop();
    if (Object.is(y, o[k])) continue;
    out ??= copyObject(o);
    setOwn(out, k, y);
  }
  return out ?? o;
}

/** `root` with each edit made, copying the arrays and objects on the way to it (each once), as a walk copying where a string changed would. */
function withEdits(root: object, edits: readonly Edit[]): object {
  const copies = new Set<object>();
  const copy = (x: object): Record<Step, unknown> => {
    const c = Array.isArray(x) ? x.slice() : copyObject(x as Record<string, unknown>);
    copies.add(c);
    return c as Record<Step, unknown>;
  };
  const out = copy(root);
  for (const { path, value } of edits) {
    let node = out;
    for (const step of path.slice(0, -1)) {
      const next = node[step] as object;
      node = copies.has(next) ? (next as Record<Step, unknown>) : (node[step] = copy(next)) as Record<Step, unknown>;
    }
    node[path[path.length - 1]!] = value;
  }
  return out;
}

/** Own enumerable string-keyed properties, in their order: what Object.fromEntries(Object.entries(o)) made. */
function copyObject(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) setOwn(out, k, o[k]);
  return out;
}

/** out[k] = v as an own property, also for "__proto__" (a key JSON.parse can give: assigning it would set the prototype). */
function setOwn(out: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

/** Properties that Teams renders as markdown, by element type; a fact has no type, its FactSet does. */
function isDisplay(node: Record<string, unknown>, key: string, inFacts: boolean): boolean {
  if (inFacts) return key === 'title' || key === 'value';
  return node.type === 'TextBlock' && key === 'text';
}

/** Where the merge is, for the error: keys and indexes from the root, spelled only when it fails. */
interface MergeAt {
  readonly name: string;
  readonly path: (string | number)[];
}

function differ(at: MergeAt): Error {
  const where = at.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
  return new Error(`Card "${at.name}": a condition at ${where || 'the root'} depends on display text; compare ids or flags instead`);
}

/**
 * The literal expansion with display properties taken from the inert one. Both come from the same
 * template, so they have the same shape unless a condition depends on text that escaping changes:
 * that is a template bug, reported rather than papered over.
 */
function mergeDisplay(at: MergeAt, literal: unknown, inert: unknown, inFacts: boolean): unknown {
  // The same value on both sides (no escaping needed, or data an expression returned unchanged):
  // nothing to compare, only the TextRun rule to apply.
  if (literal === inert) return copyDisplay(literal, inFacts, { bytes: 0 });
  if (Array.isArray(literal)) {
    if (!Array.isArray(inert) || inert.length !== literal.length) throw differ(at);
    return mergeArray(at, literal, inert, inFacts);
  }
  if (literal && typeof literal === 'object') {
    if (!inert || typeof inert !== 'object') throw differ(at);
    return mergeObject(at, literal as Record<string, unknown>, inert as Record<string, unknown>, inFacts);
  }
  return literal;
}

function mergeArray(at: MergeAt, l: unknown[], e: unknown[], inFacts: boolean): unknown[] {
  // map, not a loop: an array an expression returned keeps its holes.
  return l.map((x, i) => {
    at.path.push(i);
    const y = mergeDisplay(at, x, e[i], inFacts);
    at.path.pop();
    return y;
  });
}

function mergeObject(at: MergeAt, l: Record<string, unknown>, e: Record<string, unknown>, inFacts: boolean): Record<string, unknown> {
  const keys = Object.keys(l);
  if (keys.length !== Object.keys(e).length) throw differ(at);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (!(k in e)) throw differ(at);
    const v = l[k];
    if (typeof v === 'string' && isDisplay(l, k, inFacts)) out[k] = e[k];
    // TextRun is not markdown, so escapes would show; it only needs links broken.
    else if (typeof v === 'string' && l.type === 'TextRun' && k === 'text') out[k] = inertRun(v);
    else if (k === 'inlines' && Array.isArray(v) && Array.isArray(e[k])) out[k] = mergeInlines(at, v, e[k] as unknown[]);
    else {
      at.path.push(k);
      out[k] = mergeDisplay(at, v, e[k], l.type === 'FactSet' && k === 'facts');
      at.path.pop();
    }
  }
  return out;
}

function mergeInlines(at: MergeAt, l: unknown[], e: unknown[]): unknown[] {
  if (e.length !== l.length) throw differ(at);
  at.path.push('inlines');
  const out = l.map((x, i) => {
    if (typeof x === 'string') return inertRun(x);
    at.path.push(i);
    const y = mergeDisplay(at, x, e[i], false);
    at.path.pop();
    return y;
  });
  at.path.pop();
  return out;
}

// Called for every key and value of a card, so bound here once: tsx compiles each use of an
// imported function to a getter call, which showed in the profile of the copy below.
const jsonStringBytes = jsonSize.jsonStringBytes;
const scalarBytes = jsonSize.scalarBytes;

/** A running count of a card's bytes in JSON (json-size.ts); NaN once something cannot be counted. */
interface JsonSize {
  bytes: number;
}

/**
 * mergeDisplay of a value with itself: a copy with the TextRun rule applied, its size in JSON
 * added to `size` as it is copied, so that the card need not be written out to be measured
 * (test/cards/template-reads.test.ts holds card and size equal to merging and JSON.stringify).
 */
function copyDisplay(x: unknown, inFacts: boolean, size: JsonSize): unknown {
  if (Array.isArray(x)) return copyArray(x, inFacts, size);
  if (!x || typeof x !== 'object') {
    // The parts of a card are counted by what holds them; a card that is not an object is left to JSON.stringify.
    size.bytes = Number.NaN;
    return x;
  }
  const l = x as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let written = 0;
  for (const k of Object.keys(l)) {
    const v = l[k];
    let y: unknown;
    if (typeof v === 'string') y = !isDisplay(l, k, inFacts) && l.type === 'TextRun' && k === 'text' ? inertRun(v) : v;
    else if (k === 'inlines' && Array.isArray(v)) y = copyInlines(v, size);
    else if (v && typeof v === 'object') y = copyDisplay(v, l.type === 'FactSet' && k === 'facts', size);
    else y = v;
    setOwn(out, k, y);
    if (y && typeof y === 'object') size.bytes += jsonStringBytes(k) + 1;
    else {
      const b = scalarBytes(y);
      if (b === undefined) continue;
      size.bytes += jsonStringBytes(k) + 1 + b;
    }
    written++;
  }
  size.bytes += written === 0 ? 2 : written + 1;
  return out;
}

function copyArray(x: unknown[], inFacts: boolean, size: JsonSize): unknown[] {
  let seen = 0;
  const out = x.map((y: unknown) => {
    seen++;
    return copyItem(y, inFacts, size);
  });
  // Brackets and commas; a hole is written as null.
  size.bytes += (x.length === 0 ? 2 : x.length + 1) + 4 * (x.length - seen);
  return out;
}

function copyInlines(x: unknown[], size: JsonSize): unknown[] {
  let seen = 0;
  const out = x.map((y: unknown) => {
    seen++;
    return typeof y === 'string' ? copyItem(inertRun(y), false, size) : copyItem(y, false, size);
  });
  size.bytes += (x.length === 0 ? 2 : x.length + 1) + 4 * (x.length - seen);
  return out;
}

/** An element of an array: what JSON leaves out of objects it writes as null. */
function copyItem(y: unknown, inFacts: boolean, size: JsonSize): unknown {
  if (y && typeof y === 'object') return copyDisplay(y, inFacts, size);
  size.bytes += scalarBytes(y) ?? 4;
  return y;
}

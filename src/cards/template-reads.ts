/**
 * Which data a card template reads outside its display text, so that the renderer can tell when
 * expanding it with the literal data would give what expanding it with the inert data gives.
 *
 * The renderer (render.ts) expands a template twice, with the data as given and with every string
 * made inert, and takes display text from the second and everything else from the first. Most
 * escaping touches only display text (an e-mail in a row's "when" line), and then the first
 * expansion, the costliest part of a card, repeats the second. It may be skipped only when no
 * condition, repetition or non-display value could come out different: this module lists, for
 * each expression of a template, the data paths it reads and how it uses them, and `literalDiffers`
 * checks them against the paths whose strings escaping changed.
 *
 * It is deliberately narrow: only the expression forms the templates use (property paths,
 * comparisons with '', count, arithmetic and logic) are understood, and anything else makes the
 * template "opaque" (always expanded twice). test/cards/template-reads.test.ts holds the renderer's
 * output with the shortcut equal to the output without it, for every template.
 */
import * as ACData from 'adaptivecards-templating';

/** A step of a data path: a property name or an array index. */
export type Step = string | number;

/** Any index: the elements of a repeated ($data) array. */
const EACH = Symbol('each element');
/** A step of a path a template reads: a name in lower case (the templating looks names up ignoring case), or EACH. */
type PatternStep = string | typeof EACH;

/**
 * How an expression uses what it reads, which decides what escaping may change under it:
 * - 'value': the value itself (anything escaped at, inside or under it changes it);
 * - 'size': only its length (count, $data): escaping keeps arrays and objects the same size, so
 *   only an escaped string at the path, or the path reaching into one, changes it;
 * - 'text': a string that either ends up in display text or is only compared with '' (escaping
 *   keeps '' as '' and never makes text empty): only an array or object holding escaped strings
 *   at the path, or the path reaching into an escaped string, changes it.
 */
type Use = 'value' | 'size' | 'text';

interface Read {
  readonly path: readonly PatternStep[];
  readonly use: Use;
}

export interface TemplateReads {
  readonly reads: readonly Read[];
  /** Some expression is not understood: any escaping may change anything. */
  readonly opaque: boolean;
}

/** The parts of an adaptive-expressions Expression used here (the library's own objects). */
interface Expr {
  readonly type: string;
  readonly children: readonly Expr[];
  readonly value?: unknown;
}

/** Where a node is: the bases of relative paths (undefined: not known), and what the merge's display rules look at. */
interface Place {
  readonly scope: readonly (readonly PatternStep[])[] | undefined;
  /** The key of the nearest object holding this node (arrays are transparent, as in the merge). */
  readonly key: string | undefined;
  /** That object's type, when the template writes it as a constant. */
  readonly holderType: string | undefined;
}

/** Reads of one template, collected while walking it. */
interface Walk {
  readonly reads: Read[];
  opaque: boolean;
  /** The same expressions recur ("${unitId}" on every button), and parsing is what loading costs. */
  readonly parsed: Map<string, Expr | undefined>;
}

const PURE = new Set(['<', '<=', '>', '>=', '==', '!=', '&&', '||', '!', '+', '-', '*', '/', 'concat', 'count']);

/** The reads of a template payload (the parsed JSON of adaptive-cards/<name>.json). */
export function templateReads(payload: unknown): TemplateReads {
  const walk: Walk = { reads: [], opaque: false, parsed: new Map() };
  visit(walk, payload, { scope: [[]], key: undefined, holderType: undefined });
  // The same field is read in many places ("${unitId}" on every button): checked once.
  const unique = new Map(walk.reads.map((r) => [`${r.use} ${r.path.map((p) => (p === EACH ? '*' : JSON.stringify(p))).join('.')}`, r]));
  return { reads: [...unique.values()], opaque: walk.opaque };
}

function visit(w: Walk, node: unknown, at: Place): void {
  if (typeof node === 'string') return valueReads(w, parse(w, node), at);
  if (Array.isArray(node)) {
    for (const x of node) visit(w, x, at);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const n = node as Record<string, unknown>;
  const inner = { ...at, scope: dataScope(w, n.$data, at) };
  if ('$when' in n) visit(w, n.$when, inner);
  const type = constantString(n.type);
  for (const [k, v] of Object.entries(n)) {
    if (k === '$data' || k === '$when') continue;
    if (typeof v === 'string' && isDisplayPlace(k, type, at)) displayReads(w, parse(w, v), inner);
    else visit(w, v, { scope: inner.scope, key: k, holderType: type });
  }
}

/**
 * What the merge (render.ts) certainly treats as display text: TextBlock.text (not among a
 * FactSet's facts, where only title and value are), and the title and value of a fact.
 */
function isDisplayPlace(key: string, type: string | undefined, at: Place): boolean {
  if (at.key === 'facts') return at.holderType === 'FactSet' && (key === 'title' || key === 'value');
  return type === 'TextBlock' && key === 'text';
}

/** The scope inside a node with `$data` (the repeated elements, the object, or, for an undefined element, the scope outside). */
function dataScope(w: Walk, data: unknown, at: Place): Place['scope'] {
  if (data === undefined) return at.scope;
  const e = typeof data === 'string' ? parse(w, data) : undefined;
  const path = e && accessorPath(e);
  if (!e || !path || !at.scope) {
    if (e) valueReads(w, e, at);
    // Constant data, or data the walk cannot follow: what is read inside is not known.
    return undefined;
  }
  const bases = absolute(path, at.scope) ?? [];
  for (const b of bases) w.reads.push({ path: b, use: 'size' });
  return [...at.scope, ...bases, ...bases.map((b): PatternStep[] => [...b, EACH])];
}

function parse(w: Walk, s: string): Expr | undefined {
  if (w.parsed.has(s)) return w.parsed.get(s);
  const e = ACData.Template.parseInterpolatedString(s) as unknown;
  const expr = typeof e === 'string' ? undefined : (e as Expr);
  w.parsed.set(s, expr);
  return expr;
}

const constantString = (v: unknown): string | undefined => (typeof v === 'string' && !v.includes('${') ? v : undefined);

/** The names of a plain property path ("a.b.c", "$root.x"), or undefined for anything else. */
function accessorPath(e: Expr): string[] | undefined {
  if (e.type !== 'Accessor') return undefined;
  const [name, parent] = e.children;
  if (name?.type !== 'Constant' || typeof name.value !== 'string' || e.children.length > 2) return undefined;
  if (!parent) return [name.value];
  const up = accessorPath(parent);
  return up && [...up, name.value];
}

/**
 * The data paths a property path reads, from each base of the scope; [] for the templating's own
 * variables ($index, $host, the version); undefined when the scope is not known.
 */
function absolute(path: readonly string[], scope: Place['scope']): PatternStep[][] | undefined {
  const [first, ...rest] = path.map((s) => s.toLowerCase());
  if (first === '$root') return [rest];
  if (first?.startsWith('$')) {
    if (first !== '$data') return [];
    return scope?.map((b) => [...b, ...rest]);
  }
  return scope?.map((b) => [...b, first!, ...rest]);
}

function pathReads(w: Walk, path: readonly string[], use: Use, at: Place): void {
  const paths = absolute(path, at.scope);
  if (!paths) w.opaque = true;
  else for (const p of paths) w.reads.push({ path: p, use });
}

/** An expression whose value matters as it is (a condition, an id, a colour, an input value). */
function valueReads(w: Walk, e: Expr | undefined, at: Place): void {
  if (!e || e.type === 'Constant') return;
  const path = accessorPath(e);
  if (path) return pathReads(w, path, 'value', at);
  if (!PURE.has(e.type)) {
    w.opaque = true;
    return;
  }
  const [a, b] = e.children;
  if ((e.type === '==' || e.type === '!=') && e.children.length === 2) {
    const other = isEmptyString(a) ? b : isEmptyString(b) ? a : undefined;
    const p = other && accessorPath(other);
    if (p) return pathReads(w, p, 'text', at);
  }
  if (e.type === 'count' && e.children.length === 1) {
    const p = accessorPath(a!);
    if (p) return pathReads(w, p, 'size', at);
  }
  for (const c of e.children) valueReads(w, c, at);
}

/** An expression in display text: its strings may change (that is the point), its other parts may not. */
function displayReads(w: Walk, e: Expr | undefined, at: Place): void {
  if (!e) return;
  const path = accessorPath(e);
  if (path) return pathReads(w, path, 'text', at);
  // Interpolated text is a string whatever its parts are; each part is a path or constant, or must not change.
  if (e.type === 'concat') for (const c of e.children) (accessorPath(c) ? displayReads : valueReads)(w, c, at);
  else valueReads(w, e, at);
}

const isEmptyString = (e: Expr | undefined): boolean => e?.type === 'Constant' && e.value === '';

/** Whether the literal expansion may differ from the inert one outside display text, given the paths of the strings escaping changed. */
export function literalDiffers(t: TemplateReads, changed: readonly (readonly Step[])[]): boolean {
  if (changed.length === 0) return false;
  if (t.opaque) return true;
  for (const c of changed) for (const r of t.reads) if (affects(r, c)) return true;
  return false;
}

/** Whether escaping the string at `changed` can change what `r` reads. */
function affects(r: Read, changed: readonly Step[]): boolean {
  const n = Math.min(r.path.length, changed.length);
  for (let i = 0; i < n; i++) if (!sameStep(r.path[i]!, changed[i]!)) return false;
  // The read is the escaped string, holds it (an array or object above it), or reaches into it.
  const at = r.path.length === changed.length;
  const above = r.path.length < changed.length;
  if (r.use === 'value') return true;
  if (r.use === 'size') return !above;
  return !at;
}

/** Whether a step of a template path may name a step of a data path (too many is safe, too few is not). */
function sameStep(p: PatternStep, d: Step): boolean {
  if (p === EACH) return true;
  // The templating takes a name that parses as a number as an index into an array (parseInt, any radix).
  if (typeof d === 'number') return Number.parseInt(p) === d || Number.parseInt(p, 10) === d || p === String(d);
  return p === d.toLowerCase();
}

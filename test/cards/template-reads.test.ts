/**
 * The renderer expands a template once when escaping changed only display text
 * (src/cards/template-reads.ts): when it may, when it may not, and that the cards are the same
 * either way, for every template and for random templates.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { inertText, stripControls } from '../../src/cards/plain-text';
import { CardRenderer, cardBytes, expandCard, TEMPLATE_DIR, type LoadedTemplate } from '../../src/cards/render';
import { literalDiffers, templateReads, type Step } from '../../src/cards/template-reads';
import { prng } from '../support/random';
import { samples, type Fill } from './samples';

const loaded = (payload: object): LoadedTemplate => ({ template: new ACData.Template(payload), reads: templateReads(payload) });
const card = (body: unknown[], actions: unknown[] = []) => ({ type: 'AdaptiveCard', version: '1.5', body, actions });

/** The paths of the strings escaping changes, as the renderer finds them. */
function escapedPaths(v: unknown, at: Step[] = []): Step[][] {
  if (typeof v === 'string') return inertText(stripControls(v)) === stripControls(v) ? [] : [at];
  if (Array.isArray(v)) return v.flatMap((x, i) => escapedPaths(x, [...at, i]));
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.entries(v).flatMap(([k, x]) => escapedPaths(x, [...at, k]));
  return [];
}

/** The card (or the error) both ways: with the single expansion where it applies, and always twice. */
function bothWays(name: string, t: LoadedTemplate, data: object): [string, string] {
  const run = (shortcut: boolean) => {
    try {
      const { card: c, bytes } = expandCard(name, t, structuredClone(data), shortcut);
      assert.equal(bytes, cardBytes(c), 'the size counted is the size written');
      return JSON.stringify(c);
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
  };
  return [run(true), run(false)];
}

describe('template reads: when the literal expansion can be skipped', () => {
  const TEXT = (text: string, extra: object = {}) => ({ type: 'TextBlock', text, ...extra });
  const cases: [string, object, Step[][], boolean][] = [
    // [what, template, paths escaping changed, whether the literal expansion is needed]
    ['nothing escaped: never', card([{ type: 'Input.Text', id: 'x', value: '${toUpper(t)}' }]), [], false],
    ['a TextBlock text', card([TEXT('${t}')]), [['t']], false],
    ['interpolated TextBlock text', card([TEXT('**${a}** · ${t}')]), [['t']], false],
    ['a fact title and value', card([{ type: 'FactSet', facts: [{ title: '${t}', value: 'x ${t}' }] }]), [['t']], false],
    ['text only compared with \'\' (escaping keeps "" and non-empty apart)', card([TEXT('${t}', { $when: "${t != ''}" })]), [['t']], false],
    ['a list only counted', card([TEXT('${count(list)} st', { $when: '${count(list) > 0}' })]), [['list', 0]], false],
    ['repeated rows showing their own text', card([{ type: 'Container', $data: '${rows}', items: [TEXT('${t}')] }]), [['rows', 3, 't']], false],
    ['an input value', card([{ type: 'Input.Text', id: 'x', value: '${t}' }]), [['t']], true],
    ['action data', card([], [{ type: 'Action.Submit', title: 'Ok', data: { v: '${t}' } }]), [['t']], true],
    ['a TextRun (only links broken, from the literal text)', card([{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: '${t}' }] }]), [['t']], true],
    ['a condition comparing the text', card([TEXT('x', { $when: "${t == 'a.se'}" })]), [['t']], true],
    ['the length of an escaped string', card([TEXT('x', { $when: '${count(t) > 3}' })]), [['t']], true],
    ['a row\'s action data', card([{ type: 'Container', $data: '${rows}', items: [TEXT('${t}')], selectAction: { type: 'Action.Submit', data: { v: '${t}' } } }]), [['rows', 0, 't']], true],
    ['the root\'s text in a row\'s action', card([{ type: 'Container', $data: '${rows}', items: [], selectAction: { type: 'Action.Submit', data: { v: '${$root.t}' } } }]), [['t']], true],
    ['a name inside rows may be the outer one (an undefined row keeps the outer scope)', card([{ type: 'Container', $data: '${rows}', items: [], selectAction: { type: 'Action.Submit', data: { v: '${t}' } } }]), [['t']], true],
    ['an unrelated input value', card([TEXT('${t}'), { type: 'Input.Text', id: 'x', value: '${other}' }]), [['t']], false],
    ['names are matched as the templating finds them, ignoring case', card([{ type: 'Input.Text', id: 'x', value: '${T}' }]), [['t']], true],
    ['a TextBlock among facts (its text is not display text there)', card([{ type: 'FactSet', facts: [{ type: 'TextBlock', text: '${t}' }] }]), [['t']], true],
    ['a type written by the data', card([{ type: '${kind}', text: '${t}' }]), [['t']], true],
    ['an object holding escaped text, as a value', card([], [{ type: 'Action.Submit', data: '${o}' }]), [['o', 'k']], true],
    ['an object holding escaped text, as display text', card([TEXT('${o}')]), [['o', 'k']], true],
    ['a path into an escaped string', card([TEXT('${t.x}')]), [['t']], true],
    ['a function the check does not know, anywhere', card([TEXT('${toUpper(t)}'), TEXT('${u}')]), [['u']], true],
    ['an index into a list', card([{ type: 'Input.Text', id: 'x', value: '${list[0]}' }]), [['u']], true],
  ];
  for (const [what, template, changed, needed] of cases) {
    it(`${what}: ${needed ? 'needed' : 'skipped'}`, () => assert.equal(literalDiffers(templateReads(template), changed), needed));
  }

  it('where it is needed, the cards differ: an input keeps the literal text only from the literal expansion', () => {
    const t = loaded(card([TEXT('${t}'), { type: 'Input.Text', id: 'x', value: '${t}' }]));
    const full = expandCard('t', t, { t: 'a.se' }, false).card as unknown as { body: { value?: string }[] };
    assert.equal(full.body[1]!.value, 'a.se');
    assert.notEqual(JSON.stringify(t.template.expand({ $root: { t: inertText('a.se') } })), JSON.stringify(full), 'the inert expansion alone would escape the input');
  });

  it('the review card with an e-mail in a row (the usual escaping) is expanded once', () => {
    const reads = templateReads(JSON.parse(readFileSync(path.join(TEMPLATE_DIR, 'review.json'), 'utf8')));
    assert.equal(reads.opaque, false);
    assert.equal(literalDiffers(reads, [['items', 0, 'when'], ['items', 5, 'when']]), false);
    assert.equal(literalDiffers(reads, [['items', 0, 'openCommand']]), true, 'the row\'s command is action data');
  });
});

describe('template reads: the card is the same with the single expansion as with two', () => {
  const HOSTILE = '[Verifiera](https://evil.example/login) www.evil.se mallory@evil.se //1.2.3.4/x tel:+4670 **fet** _k_ `kod` {{DATE(x)}}\n# R\n- p\n1. n \u0001\u202E';
  const files = readdirSync(TEMPLATE_DIR).filter((f) => f.endsWith('.json'));
  const templates = new Map(files.map((f) => [f.replace(/\.json$/, ''), loaded(JSON.parse(readFileSync(path.join(TEMPLATE_DIR, f), 'utf8')))]));

  /** Every template's data as the builders pass it, caught on the way to the renderer. */
  function builderData(fill: Fill, many: boolean): [string, object][] {
    const seen: [string, object][] = [];
    class Catching extends CardRenderer {
      override measure(name: never, data: never) {
        seen.push([name, structuredClone(data)]);
        return super.measure(name, data);
      }
      override render(name: never, data: never) {
        seen.push([name, structuredClone(data)]);
        return super.render(name, data);
      }
      override fits(name: never, data: never) {
        seen.push([name, structuredClone(data)]);
        return super.fits(name, data);
      }
    }
    for (const build of Object.values(samples(new Catching(), fill, many))) {
      try {
        build();
      } catch {
        // A card over the limit: its data was caught all the same.
      }
    }
    return seen;
  }

  const fills: [string, Fill, boolean][] = [
    ['realistic text', (x) => x, false],
    ['links and markdown in every text', (x) => `${x} ${HOSTILE}`, false],
    ['an e-mail in every text', (x) => `${x} ${x.length}@exempel.se`, true],
    ['dots before letters at full length', (_x, max) => '.a'.repeat(max).slice(0, max), true],
  ];
  for (const [what, fill, many] of fills) {
    it(`every template, ${what}`, () => {
      let once = 0;
      const data = builderData(fill, many);
      assert.ok(data.length >= templates.size);
      for (const [name, d] of data) {
        const t = templates.get(name)!;
        const [fast, full] = bothWays(name, t, d);
        assert.equal(fast, full, name);
        const changed = escapedPaths(d);
        if (changed.length > 0 && !literalDiffers(t.reads, changed)) once++;
      }
      if (what !== 'realistic text') assert.ok(once > 0, 'some card was expanded once');
    });
  }

  it('random templates with random data', () => {
    const rnd = prng(20261203);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const TEXTS = ['${a}', '**${a}** · ${b}', '${A}', '${o}', '${o.k}', '${$root.a}', '${count(list)}', '${toUpper(a)}', '${a.k}', 'konstant', '${n + 1}', "${a == ''}"];
    const CONDITIONS = ["${a != ''}", "${b == ''}", "${a == 'x.se'}", '${count(list) > 0}', '${count(a) > 3}', '${!flag}', '${flag && b != \'\'}', '${o.k != \'\'}', '${toLower(a) == \'a\'}'];
    const VALUES = ['${a}', '${b}', '${o}', '${o.k}', '${n}', '${$root.b}', 'fast', '${flag}'];
    const STRINGS = ['', 'a', 'x.se', 'Å', 'kl. 10:30', 'mallory@evil.se', '[l](https://e.se)', '**fet**', '# R', 'www.x.se', '\u202E', '\u0001', 'ABC'];
    const element = (depth: number): object => {
      const when = rnd() < 0.3 ? { $when: pick(CONDITIONS) } : {};
      const r = rnd();
      if (r < 0.3) return { type: 'TextBlock', text: pick(TEXTS), ...when };
      if (r < 0.4) return { type: 'FactSet', facts: rnd() < 0.5 ? [{ title: pick(TEXTS), value: pick(TEXTS) }] : [{ $data: '${list}', title: pick(TEXTS), value: pick(TEXTS) }], ...when };
      if (r < 0.5) return { type: 'Input.Text', id: 'x', value: pick(VALUES), label: pick(TEXTS), ...when };
      if (r < 0.6) return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: pick(TEXTS) }, pick(TEXTS)], ...when };
      if (r < 0.7) return { type: 'ActionSet', actions: [{ type: 'Action.Submit', title: pick(TEXTS), data: { v: pick(VALUES) } }], ...when };
      if (depth > 2) return { type: 'TextBlock', text: pick(TEXTS) };
      const items = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => element(depth + 1));
      return { type: 'Container', ...(rnd() < 0.6 ? { $data: pick(['${list}', '${o}', '${$root.list}', '${missing}']) } : {}), items, ...when };
    };
    const row = () => ({ a: pick(STRINGS), b: pick(STRINGS), A: pick(STRINGS), o: { k: pick(STRINGS) }, n: 1 });
    let once = 0;
    let twice = 0;
    for (let i = 0; i < 1500; i++) {
      const payload = card(Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => element(0)), rnd() < 0.5 ? [{ type: 'Action.Submit', title: 'Ok', data: { v: pick(VALUES) } }] : []);
      const t = loaded(payload);
      // A row may be undefined: the templating then keeps the scope outside for it.
      const data = { ...row(), flag: rnd() < 0.5, list: Array.from({ length: Math.floor(rnd() * 3) }, () => (rnd() < 0.15 ? undefined : row())) };
      const [fast, full] = bothWays('random', t, data);
      if (fast !== full) assert.equal(fast, full, JSON.stringify({ payload, data }));
      const changed = escapedPaths(data);
      if (changed.length > 0) literalDiffers(t.reads, changed) ? twice++ : once++;
    }
    // Both ways were taken often enough to mean something.
    assert.ok(once > 150 && twice > 150, `once ${once}, twice ${twice}`);
  });

  it('the merge still refuses a template whose condition depends on display text', () => {
    const t = loaded(card([{ type: 'TextBlock', text: 'x', $when: "${title == '*'}" }]));
    assert.throws(() => expandCard('cond', t, { title: '*' }), /depends on display text/);
  });

  it('cards share nothing with the data they were made of', () => {
    const t = loaded(card([{ type: 'TextBlock', text: '${a}' }], [{ type: 'Action.Submit', data: '${o}' }]));
    for (const a of ['plain', 'mallory@evil.se']) {
      const data = { a, o: { k: 'v' } };
      const c = expandCard('t', t, data).card as unknown as { actions: { data: object }[] };
      assert.deepEqual(c.actions[0]!.data, { k: 'v' });
      assert.notEqual(c.actions[0]!.data, data.o);
    }
  });
});

/**
 * The card rule of src/ (issue #13): cards are built in src/cards only, behind the typed templates.
 * Outside src/cards no file renders a template (CardRenderer.render, .measure or .fits: each
 * expands one) or reaches the templates in adaptive-cards/ (an import of their JSON, a path naming
 * the folder, TEMPLATE_DIR). Services return results and view models; the bot layer, and the
 * producers that write cards into the outbox, call the builders in src/cards.
 *
 * Checked with the type checker, not by grepping, so that a renderer under another name (an alias,
 * a destructured method, an optional dependency) is still a CardRenderer.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../..');
const SRC = join(ROOT, 'src');
const TEMPLATES = join(ROOT, 'adaptive-cards');
const RENDER_TS = join(SRC, 'cards', 'render.ts');
/** The CardRenderer methods that expand a template. */
const RENDERING = new Set(['render', 'measure', 'fits']);

/**
 * Files outside src/cards that may render or read templates themselves, each with why. Empty: the
 * outbox producers (reports, review and case reminders) render by calling the builders in src/cards.
 */
const ALLOWED: Record<string, string> = {};

const rel = (file: string) => relative(ROOT, file).split('\\').join('/');
const outsideCards = (file: string) => !rel(file).startsWith('src/cards/');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

function compilerOptions(): ts.CompilerOptions {
  const file = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (f) => ts.sys.readFile(f));
  if (file.error) throw new Error(ts.flattenDiagnosticMessageText(file.error.messageText, '\n'));
  return { ...ts.parseJsonConfigFileContent(file.config, ts.sys, ROOT).options, noEmit: true };
}

/** A program over `rootNames`, with `extra` files (path → text) that exist only in memory. */
function createProgram(rootNames: string[], extra: Record<string, string> = {}): ts.Program {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (f, lang, ...rest) => (f in extra ? ts.createSourceFile(f, extra[f]!, lang, true) : getSourceFile.call(host, f, lang, ...rest));
  host.fileExists = (f) => f in extra || fileExists.call(host, f);
  host.readFile = (f) => (f in extra ? extra[f] : readFile.call(host, f));
  return ts.createProgram({ rootNames: [...rootNames, ...Object.keys(extra)], options, host });
}

/** Where `files` render a template or reach adaptive-cards/, as "path:line what". */
function offences(program: ts.Program, files: string[]): string[] {
  const checker = program.getTypeChecker();
  const renderSf = program.getSourceFile(RENDER_TS);
  assert.ok(renderSf, 'src/cards/render.ts is in the program');
  const rendererClass = renderSf.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === 'CardRenderer');
  assert.ok(rendererClass, 'CardRenderer is declared in src/cards/render.ts');
  const templateDir = renderSf.statements.find(
    (s): s is ts.VariableStatement => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === 'TEMPLATE_DIR'),
  );
  const templateDirSymbol = templateDir && checker.getSymbolAtLocation(templateDir.declarationList.declarations[0]!.name);
  assert.ok(templateDirSymbol, 'TEMPLATE_DIR is declared in src/cards/render.ts');

  /** A rendering method of CardRenderer (or a class extending it, which inherits the declaration). */
  const isRendering = (sym: ts.Symbol | undefined) =>
    !!sym && RENDERING.has(sym.name) && (sym.declarations ?? []).some((d) => ts.isMethodDeclaration(d) && d.parent === rendererClass);
  const property = (receiver: ts.Node, name: string) => checker.getNonNullableType(checker.getTypeAtLocation(receiver)).getProperty(name);
  /** What a destructuring pattern takes apart: the initializer's value, else the declared type. */
  const destructured = (pattern: ts.ObjectBindingPattern): ts.Node => {
    const decl = pattern.parent;
    return (ts.isVariableDeclaration(decl) || ts.isParameter(decl) || ts.isBindingElement(decl)) && decl.initializer ? decl.initializer : decl;
  };
  /** The module a string names in an import, export, import() or require(): reported as an import instead. */
  const isModuleSpecifier = (node: ts.Node) => {
    const p = node.parent;
    return (
      ((ts.isImportDeclaration(p) || ts.isExportDeclaration(p)) && p.moduleSpecifier === node) ||
      ts.isExternalModuleReference(p) ||
      (ts.isCallExpression(p) && (p.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(p.expression) && p.expression.text === 'require')))
    );
  };
  const resolved = (sym: ts.Symbol | undefined) => (sym && sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym);
  const inTemplates = (specifier: string, from: string) => {
    if (/(^|[\\/])adaptive-cards([\\/]|$)/.test(specifier)) return true;
    const m = ts.resolveModuleName(specifier, from, program.getCompilerOptions(), ts.sys).resolvedModule;
    return !!m && resolve(m.resolvedFileName).startsWith(TEMPLATES);
  };

  const found = new Set<string>();
  for (const file of files) {
    const sf = program.getSourceFile(file);
    assert.ok(sf, `${rel(file)} is in the program`);
    const at = (node: ts.Node, what: string) => found.add(`${rel(file)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1} ${what}`);
    for (const i of ts.preProcessFile(sf.text, true, true).importedFiles) {
      if (inTemplates(i.fileName, file)) found.add(`${rel(file)} imports ${i.fileName}`);
    }
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node) && isRendering(checker.getSymbolAtLocation(node.name))) {
        at(node, `uses CardRenderer.${node.name.text}`);
      } else if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression) && isRendering(property(node.expression, node.argumentExpression.text))) {
        at(node, `uses CardRenderer.${node.argumentExpression.text}`);
      } else if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
        const key = node.propertyName ?? node.name;
        if ((ts.isIdentifier(key) || ts.isStringLiteralLike(key)) && isRendering(property(destructured(node.parent), key.text))) at(node, `uses CardRenderer.${key.text}`);
      } else if (ts.isStringLiteralLike(node) && /(^|[\\/])adaptive-cards([\\/]|$)/.test(node.text) && !isModuleSpecifier(node)) {
        at(node, 'names adaptive-cards/');
      } else if (ts.isIdentifier(node) && resolved(checker.getSymbolAtLocation(node)) === templateDirSymbol) {
        at(node, 'uses TEMPLATE_DIR');
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return [...found].sort();
}

const allowed = (offence: string) => Object.keys(ALLOWED).some((file) => offence.startsWith(`${file}:`) || offence.startsWith(`${file} `));

describe('architecture: cards are built in src/cards only', function () {
  this.timeout(120_000);
  const files = sourceFiles(SRC);
  let program: ts.Program;

  before(() => {
    program = createProgram(files);
  });

  it('no file outside src/cards renders a template or reaches adaptive-cards/', () => {
    const found = offences(program, files.filter(outsideCards));
    assert.deepEqual(
      found.filter((o) => !allowed(o)),
      [],
      'build the card with a builder in src/cards (a pure function of a CardRenderer and a view model), and call that',
    );
  });

  it('every allow-listed file still needs it (so the list cannot go stale)', () => {
    const found = offences(program, files.filter(outsideCards));
    for (const file of Object.keys(ALLOWED)) assert.ok(found.some((o) => o.startsWith(`${file}:`) || o.startsWith(`${file} `)), `${file} no longer renders: remove it from ALLOWED`);
  });

  it('the builders in src/cards do render (so the check can see rendering at all)', () => {
    const found = offences(program, files.filter((f) => !outsideCards(f)));
    for (const builder of ['src/cards/review-cards.ts', 'src/cards/status-cards.ts', 'src/cards/report-cards.ts']) {
      assert.ok(found.some((o) => o.startsWith(`${builder}:`)), `${builder} renders`);
    }
  });

  it('catches every way of rendering outside src/cards, and nothing that merely looks like it', () => {
    const fake = join(SRC, 'zz-architecture-fixture', 'offender.ts');
    const text = [
      "import path from 'node:path';",
      "import { readFileSync } from 'node:fs';",
      "import review from '../../adaptive-cards/review.json';",
      "import { CardRenderer, TEMPLATE_DIR as dir, type AdaptiveCard } from '../cards/render';",
      "import { noticeCard } from '../cards/basic-cards';",
      'class Mine extends CardRenderer {}',
      'export function offend(cards: CardRenderer, deps: { cards?: CardRenderer }, mine: Mine): unknown[] {',
      "  const a = cards.render('notice', { title: 'x', text: 'y' });",
      '  const r = cards;',
      "  const b = r.measure('notice', {});",
      "  const c = deps.cards?.fits('notice', {});",
      '  const { render } = cards;',
      "  const d = cards['render'];",
      "  const e = mine.render('notice', {});",
      "  const f = readFileSync(path.join('x', 'adaptive-cards', 'notice.json'), 'utf8');",
      '  const g = dir;',
      // Not rendering: a builder call, another object's render, a card passed on.
      "  const ok1: AdaptiveCard = noticeCard(cards, 'x', 'y');",
      '  const ok2 = { render: () => 1 }.render();',
      '  return [review, a, b, c, render, d, e, f, g, ok1, ok2];',
      '}',
    ].join('\n');
    const found = offences(createProgram([], { [fake]: text }), [fake]);
    const where = rel(fake);
    assert.deepEqual(found, [
      `${where} imports ../../adaptive-cards/review.json`,
      `${where}:10 uses CardRenderer.measure`,
      `${where}:11 uses CardRenderer.fits`,
      `${where}:12 uses CardRenderer.render`,
      `${where}:13 uses CardRenderer.render`,
      `${where}:14 uses CardRenderer.render`,
      `${where}:15 names adaptive-cards/`,
      `${where}:16 uses TEMPLATE_DIR`,
      `${where}:4 uses TEMPLATE_DIR`,
      `${where}:8 uses CardRenderer.render`,
    ]);
  });
});

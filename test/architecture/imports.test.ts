/**
 * The shape rules of src/ (issue #13), checked on the real import graph:
 * - no import cycle, type-only imports included: a type cycle is still two modules that cannot be
 *   understood, tested or moved apart;
 * - src/store is the bottom layer: it imports nothing from another src/ folder, so every capability
 *   can depend on it and it on none of them;
 * - only the transport edge (src/bot, src/http, src/app.ts, src/main.ts) knows the Bot Framework.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import madge from 'madge';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../..');
const SRC = join(ROOT, 'src');

type Graph = Record<string, string[]>;

async function importGraph(): Promise<{ graph: Graph; circular: string[][]; skipped: string[] }> {
  const res = await madge(SRC, {
    fileExtensions: ['ts'],
    tsConfig: join(ROOT, 'tsconfig.json'),
    // npm packages stay in the graph (as node_modules/… paths) for the Bot Framework rule.
    includeNpm: true,
    detectiveOptions: { ts: { skipTypeImports: false, skipAsyncImports: false } },
  });
  return { graph: res.obj(), circular: res.circular(), skipped: res.warnings().skipped };
}

const isNpm = (dep: string) => dep.includes('node_modules/');
const isSource = (file: string) => !isNpm(file);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [relative(SRC, join(dir, e.name)).split('\\').join('/')] : [],
  );
}

/** The relative specifiers the compiler sees in a file: static, type-only, re-exports and import(). */
function relativeSpecifiers(file: string): Set<string> {
  const info = ts.preProcessFile(readFileSync(join(SRC, file), 'utf8'), true, true);
  return new Set(info.importedFiles.map((i) => i.fileName).filter((s) => s.startsWith('.')));
}

const BOT_FRAMEWORK = /node_modules\/(botbuilder[^/]*|botframework-[^/]*|@microsoft\/teams-ai)\//;
const TRANSPORT_EDGE = (file: string) => file.startsWith('bot/') || file.startsWith('http/') || file === 'app.ts' || file === 'main.ts';

describe('architecture: imports in src/', function () {
  this.timeout(60_000);
  let graph: Graph;
  let circular: string[][];
  let skipped: string[];

  before(async () => {
    ({ graph, circular, skipped } = await importGraph());
  });

  // Without this the rules below could pass on a graph that silently lost files or edges.
  it('the graph holds every source file and every relative import the compiler sees', () => {
    assert.deepEqual(skipped, [], 'madge could not resolve these imports');
    const inGraph = Object.keys(graph).filter(isSource).sort();
    assert.deepEqual(inGraph, sourceFiles(SRC).sort());
    const missing = inGraph.flatMap((file) => {
      const local = graph[file]!.filter(isSource);
      const seen = relativeSpecifiers(file);
      return local.length === seen.size ? [] : [`${file}: compiler sees ${[...seen].join(', ')}; madge ${local.join(', ')}`];
    });
    assert.deepEqual(missing, []);
  });

  it('has no import cycle (type-only imports count)', () => {
    assert.deepEqual(
      circular.map((cycle) => [...cycle, cycle[0]].join(' → ')),
      [],
      'each line is a cycle: the last file imports the first again',
    );
  });

  it('src/store imports nothing from another src/ folder', () => {
    const outside = Object.entries(graph)
      .filter(([file]) => file.startsWith('store/'))
      .flatMap(([file, deps]) => deps.filter((d) => isSource(d) && !d.startsWith('store/')).map((d) => `src/${file} → src/${d}`));
    assert.deepEqual(outside, []);
  });

  it('only src/bot, src/http, src/app.ts and src/main.ts import botbuilder or @microsoft/teams-ai', () => {
    const leaks = Object.entries(graph)
      .filter(([file]) => isSource(file) && !TRANSPORT_EDGE(file))
      .flatMap(([file, deps]) => deps.filter((d) => BOT_FRAMEWORK.test(d)).map((d) => `src/${file} → ${d.replace(/^.*node_modules\//, '')}`));
    assert.deepEqual(leaks, []);
    // The rule must be able to see the Bot Framework at all: the edge does import it.
    assert.ok(Object.entries(graph).some(([file, deps]) => TRANSPORT_EDGE(file) && deps.some((d) => BOT_FRAMEWORK.test(d))));
  });
});

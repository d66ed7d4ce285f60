/**
 * SQL Server cannot run on this machine, so the adapter's SQL is checked statically: every
 * statement is parsed with node-sql-parser's T-SQL grammar, SQL texts must be literal (never built
 * from values), and each migration must stay in step with the SQLite one. This is a syntax smoke
 * test, not a substitute for test/store/mssql.test.ts against a real server: the parser is lenient
 * in places and knows nothing of the schema.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from 'node-sql-parser';
import ts from 'typescript';
import type { Migration } from '../../src/store/migration';
import { Db, ROWCOUNT_TAIL } from '../../src/store/mssql/mssql-db';
import { mssqlTimeouts } from '../../src/store/mssql/mssql-policy';
import { mssqlMigrations } from '../../src/store/mssql/migrations';
import { MSSQL_CASE_CLOCKS_TEMP_TABLE, MSSQL_CASE_LIMITS, MSSQL_CASE_SQL } from '../../src/store/mssql/mssql-cases';
import {
  caseworkDeadlineColumns, caseworkImportColumns, MSSQL_CASEWORK_DEADLINES_TEMP_TABLE, MSSQL_CASEWORK_LIMITS, MSSQL_CASEWORK_RANK_SQL, MSSQL_CASEWORK_RANKS_TEMP_TABLE, MSSQL_CASEWORK_SQL, MSSQL_CASEWORK_TEMP_TABLE,
} from '../../src/store/mssql/mssql-casework';
import { MSSQL_REPORT_LIMITS, MSSQL_REPORT_SQL } from '../../src/store/mssql/mssql-report-sql';
import { MSSQL_STATUS_LIMITS, MSSQL_STATUS_SQL } from '../../src/store/mssql/mssql-status';
import { MSSQL_OUTBOX_LIMITS, MSSQL_OUTBOX_SQL } from '../../src/store/mssql/mssql-outbox';
import { MSSQL_PATTERN_SQL } from '../../src/store/mssql/mssql-patterns';
import { MSSQL_COMPILATION_SQL } from '../../src/store/mssql/mssql-compilation';
import { MSSQL_LIMITS, MSSQL_SQL, MSSQL_SYNC_TEMP_TABLES, MssqlStore } from '../../src/store/mssql/mssql-store';
import { sqliteMigrations } from '../../src/store/sqlite/migrations';
import { CASEWORK_DATE_COLUMNS } from '../../src/store/casework-rows';
import { UNASSESSED_STATES } from '../../src/cases/clocks';

/** A SQL text of the adapter (not a migration), by its object and key. */
type SqlId =
  | `MSSQL_SQL.${keyof typeof MSSQL_SQL}`
  | `MSSQL_REPORT_SQL.${keyof typeof MSSQL_REPORT_SQL}`
  | `MSSQL_CASE_SQL.${keyof typeof MSSQL_CASE_SQL}`
  | `MSSQL_CASEWORK_SQL.${keyof typeof MSSQL_CASEWORK_SQL}`
  | `MSSQL_CASEWORK_RANK_SQL.${keyof typeof MSSQL_CASEWORK_RANK_SQL}`
  | `MSSQL_STATUS_SQL.${keyof typeof MSSQL_STATUS_SQL}`
  | `MSSQL_OUTBOX_SQL.${keyof typeof MSSQL_OUTBOX_SQL}`
  | `MSSQL_PATTERN_SQL.${keyof typeof MSSQL_PATTERN_SQL}`
  | `MSSQL_COMPILATION_SQL.${keyof typeof MSSQL_COMPILATION_SQL}`;

interface Statement {
  /** Human-readable origin, used in failure messages. */
  id: string;
  sql: string;
  migration?: number;
  sqlId?: SqlId;
}

type AllowMatch = { sqlId: SqlId } | { migration: number; startsWith: string };

interface Allowed {
  match: AllowMatch;
  reason: string;
}

/** SELECT TOP (@limit) …, which the adapter uses wherever SQLite has LIMIT ?. */
const TOP_PARAMETER_REASON =
  'node-sql-parser (transactsql) knows TOP only with a number. It reads "TOP (@limit)" as a call of a function TOP, ' +
  'which happens to parse when a bare column name follows (read as its alias, as in MSSQL_REPORT_SQL.auditList) and ' +
  'fails when a qualified one (f.column) does. The statement is parse-checked with TOP (1) in its place instead ' +
  '(see "status summary" below).';

const FOREIGN_KEY_REASON =
  'node-sql-parser (transactsql) reads "REFERENCES t (col)" as a table followed by an old-style table hint ' +
  'and then fails, so no FOREIGN KEY clause parses, neither in CREATE TABLE nor in ALTER TABLE. The foreign keys ' +
  'are therefore separate, minimal ALTER TABLE statements, so that the CREATE TABLE statements stay parse-checked.';

/**
 * Statements the parser cannot understand by design. Every entry must match exactly one statement
 * and that statement must still fail to parse; otherwise the test fails, so the list cannot rot.
 */
const ALLOW_LIST: readonly Allowed[] = [
  {
    match: { sqlId: 'MSSQL_STATUS_SQL.unreachableList' },
    reason: TOP_PARAMETER_REASON,
  },
  {
    match: { sqlId: 'MSSQL_OUTBOX_SQL.settledWithoutFollowUp' },
    reason: TOP_PARAMETER_REASON,
  },
  {
    match: { sqlId: 'MSSQL_SQL.migrationLock' },
    // sp_getapplock reports a timeout or deadlock only through its return code, so the call has
    // to capture it; plain "EXEC sp_getapplock @Resource = …" does parse, but would lose it.
    reason: 'The grammar\'s EXEC has no "EXEC @result = procedure …" form (capturing a return code).',
  },
  {
    match: { sqlId: 'MSSQL_CASEWORK_SQL.importLockSource' },
    // As migrationLock: the return code tells -3 (deadlock victim, retried) from -1 (timed out).
    reason: 'The grammar\'s EXEC has no "EXEC @result = procedure …" form (capturing a return code).',
  },
  {
    match: { migration: 14, startsWith: 'ALTER TABLE casework_items ADD no_earlier_extension BIT NOT NULL CONSTRAINT df_casework_items_no_earlier_extension DEFAULT 0' },
    reason: 'The grammar\'s column definition has no named DEFAULT constraint (CONSTRAINT name DEFAULT value); checked by inspection in test/store/migrations.test.ts.',
  },
  {
    match: { migration: 20, startsWith: 'ALTER TABLE casework_items ADD review_from_start BIT NOT NULL CONSTRAINT df_casework_items_review_from_start DEFAULT 0' },
    reason: 'The grammar\'s column definition has no named DEFAULT constraint (CONSTRAINT name DEFAULT value); checked by inspection in test/store/migrations.test.ts.',
  },
  ...(['staleClockCaseList', 'staleClockCaseListForUnits', 'lateClocks'] as const).map((key) => ({
    match: { sqlId: `MSSQL_CASE_SQL.${key}` as SqlId },
    reason: 'The grammar\'s TOP (@param) cannot be followed by a qualified column (r.id): "SELECT TOP (@limit) id" parses, "SELECT TOP (@limit) r.id" does not.',
  })),
  ...['facts_version INT', 'clock_stale BIT'].map((column) => ({
    match: { migration: 18, startsWith: `ALTER TABLE reports ADD ${column} NOT NULL CONSTRAINT df_reports_` },
    reason: 'As migration 14: the grammar\'s column definition has no named DEFAULT constraint; checked by inspection in test/store/migrations.test.ts.',
  })),
  {
    match: { migration: 21, startsWith: 'ALTER TABLE casework_items ADD review_stale AS CAST(CASE WHEN' },
    reason: 'The grammar\'s ALTER TABLE ADD has no computed column (name AS expression PERSISTED); "migration 21" in test/store/migrations.test.ts checks it by inspection.',
  },
  {
    match: { migration: 13, startsWith: 'ALTER TABLE casework_items SET (LOCK_ESCALATION = DISABLE)' },
    reason: 'The grammar\'s ALTER TABLE has no SET ( table option = value ) form; "migration 13" below checks the statement by inspection.',
  },
  {
    match: { migration: 1, startsWith: 'ALTER TABLE units ADD CONSTRAINT fk_units_committee FOREIGN KEY' },
    reason: FOREIGN_KEY_REASON,
  },
  {
    match: { migration: 1, startsWith: 'ALTER TABLE role_assignments ADD CONSTRAINT fk_role_assignments_person FOREIGN KEY' },
    reason: FOREIGN_KEY_REASON,
  },
  {
    match: { migration: 2, startsWith: 'ALTER TABLE reports ADD CONSTRAINT fk_reports_unit FOREIGN KEY' },
    reason: FOREIGN_KEY_REASON,
  },
  {
    match: { migration: 2, startsWith: 'ALTER TABLE reports ADD CONSTRAINT fk_reports_committee FOREIGN KEY' },
    reason: FOREIGN_KEY_REASON,
  },
  {
    match: { migration: 2, startsWith: 'ALTER TABLE report_notifications ADD CONSTRAINT fk_report_notifications_report FOREIGN KEY' },
    reason: FOREIGN_KEY_REASON,
  },
  ...['case_investigations', 'case_decisions', 'case_filings', 'case_closings', 'case_entries', 'case_actions', 'case_events'].map(
    (table): Allowed => ({
      match: { migration: 3, startsWith: `ALTER TABLE ${table} ADD CONSTRAINT fk_${table}_report FOREIGN KEY` },
      reason: FOREIGN_KEY_REASON,
    }),
  ),
];

const normalise = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/** How a text takes the JSON list @param of NVARCHAR(length) binary-collated keys. */
const jsonList = (param: string, length: number) =>
  `IN (SELECT v FROM OPENJSON(@${param}) WITH (v NVARCHAR(${length}) COLLATE Latin1_General_100_BIN2 '$'))`;

function migrationStatements(migrations: readonly Migration[]): Statement[] {
  return migrations.flatMap((m) =>
    m.statements.map((sql, i) => ({ id: `migration ${m.version} (${m.name}) statement ${i + 1}`, sql, migration: m.version })),
  );
}

const sqlTexts: Statement[] = [
  ...(Object.entries(MSSQL_SQL) as [keyof typeof MSSQL_SQL, string][]).map(([key, sql]) => ({
    id: `MSSQL_SQL.${key}`,
    sql,
    sqlId: `MSSQL_SQL.${key}` as const,
  })),
  ...(Object.entries(MSSQL_REPORT_SQL) as [keyof typeof MSSQL_REPORT_SQL, string][]).map(([key, sql]) => ({
    id: `MSSQL_REPORT_SQL.${key}`,
    sql,
    sqlId: `MSSQL_REPORT_SQL.${key}` as const,
  })),
  ...(Object.entries(MSSQL_CASE_SQL) as [keyof typeof MSSQL_CASE_SQL, string][]).map(([key, sql]) => ({
    id: `MSSQL_CASE_SQL.${key}`,
    sql,
    sqlId: `MSSQL_CASE_SQL.${key}` as const,
  })),
  ...(Object.entries(MSSQL_CASEWORK_RANK_SQL) as [keyof typeof MSSQL_CASEWORK_RANK_SQL, string][]).map(([key, sql]) => ({
    id: `MSSQL_CASEWORK_RANK_SQL.${key}`,
    sql,
    sqlId: `MSSQL_CASEWORK_RANK_SQL.${key}` as const,
  })),
  ...(Object.entries(MSSQL_CASEWORK_SQL) as [keyof typeof MSSQL_CASEWORK_SQL, string][]).map(([key, sql]) => ({
    id: `MSSQL_CASEWORK_SQL.${key}`,
    sql,
    sqlId: `MSSQL_CASEWORK_SQL.${key}` as const,
  })),
  ...(Object.entries(MSSQL_STATUS_SQL) as [keyof typeof MSSQL_STATUS_SQL, string][]).map(([key, sql]) => ({
    id: `MSSQL_STATUS_SQL.${key}`,
    sql,
    sqlId: `MSSQL_STATUS_SQL.${key}` as const,
  })),
  ...(Object.entries(MSSQL_OUTBOX_SQL) as [keyof typeof MSSQL_OUTBOX_SQL, string][]).map(([key, sql]) => ({
    id: `MSSQL_OUTBOX_SQL.${key}`,
    sql,
    sqlId: `MSSQL_OUTBOX_SQL.${key}` as const,
  })),
  ...(Object.entries(MSSQL_PATTERN_SQL) as [keyof typeof MSSQL_PATTERN_SQL, string][]).map(([key, sql]) => ({
    id: `MSSQL_PATTERN_SQL.${key}`,
    sql,
    sqlId: `MSSQL_PATTERN_SQL.${key}` as const,
  })),
  ...(Object.entries(MSSQL_COMPILATION_SQL) as [keyof typeof MSSQL_COMPILATION_SQL, string][]).map(([key, sql]) => ({
    id: `MSSQL_COMPILATION_SQL.${key}`,
    sql,
    sqlId: `MSSQL_COMPILATION_SQL.${key}` as const,
  })),
];

const allStatements: Statement[] = [...migrationStatements(mssqlMigrations), ...sqlTexts];

function matches(entry: Allowed, s: Statement): boolean {
  const m = entry.match;
  if ('sqlId' in m) return s.sqlId === m.sqlId;
  return s.migration === m.migration && normalise(s.sql).startsWith(normalise(m.startsWith));
}

function describeMatch(m: AllowMatch): string {
  return 'sqlId' in m ? m.sqlId : `migration ${m.migration}: "${m.startsWith}…"`;
}

const parser = new Parser();

/**
 * How a statement whose row count decides something ends (ROWCOUNT_TAIL). The grammar misreads
 * "SELECT @@ROWCOUNT AS n" (as a column "@" aliased "@ROWCOUNT", then fails at AS), so the parse
 * check takes the statement before it, and "row counts" below checks the tail by inspection.
 */
const ROWCOUNT_TAIL_RE = /;\s*SELECT @@ROWCOUNT AS n\s*$/;
const withoutRowcount = (sql: string) => sql.replace(ROWCOUNT_TAIL_RE, '');

/**
 * A JSON list read with a typed column, the one form of OPENJSON the adapter uses ("OPENJSON" below
 * checks that every text has it, with the compared key's type). The grammar knows OPENJSON(@p) but
 * not its WITH clause, so the parse check reads the clause away (the column v then stands for the
 * element, as `value` would); any other OPENJSON … WITH is left as it is and fails to parse.
 */
const OPENJSON_WITH_RE = /\bOPENJSON\((@\w+)\) WITH \(v (?:NVARCHAR\(\d+\) COLLATE Latin1_General_100_BIN2|INT|DATE) '\$'\)/g;
const withoutOpenjsonWith = (sql: string) => sql.replace(OPENJSON_WITH_RE, 'OPENJSON($1)');

/**
 * The error message, or undefined when the statement parses. The grammar is lenient (it reads
 * "SELEC 1" as a variable assignment), so a parse also has to yield the statements the text
 * announces: one per ";"-separated part, each of the kind its first keyword names.
 */
function parseError(text: string): string | undefined {
  const sql = withoutOpenjsonWith(withoutRowcount(text));
  let ast: unknown;
  try {
    ast = parser.astify(sql, { database: 'transactsql' });
  } catch (err) {
    return (err as Error).message;
  }
  const kinds = (Array.isArray(ast) ? ast : [ast]).map((a) => String((a as { type?: unknown }).type));
  const expected = sql
    .split(/;\s*/)
    .filter((part) => part.trim() !== '')
    .map((part) => part.trim().split(/\s+/)[0]!.toLowerCase());
  if (kinds.join(',') !== expected.join(',')) return `parsed as [${kinds.join(', ')}], but the text reads as [${expected.join(', ')}]`;
  return undefined;
}

describe('SQL Server adapter SQL (parse check)', () => {
  const allowed = (s: Statement) => ALLOW_LIST.some((a) => matches(a, s));

  after(() => {
    const checked = allStatements.filter((s) => !allowed(s)).length;
    const listed = allStatements.length - checked;
    console.log(
      `      SQL Server SQL: ${allStatements.length} texts (${allStatements.filter((s) => s.migration !== undefined).length} migration statements, ` +
        `${Object.keys(MSSQL_SQL).length} in MSSQL_SQL, ${Object.keys(MSSQL_REPORT_SQL).length} in MSSQL_REPORT_SQL, ` +
        `${Object.keys(MSSQL_CASE_SQL).length} in MSSQL_CASE_SQL, ${Object.keys(MSSQL_CASEWORK_SQL).length} in MSSQL_CASEWORK_SQL, ` +
        `${Object.keys(MSSQL_STATUS_SQL).length} in MSSQL_STATUS_SQL, ${Object.keys(MSSQL_OUTBOX_SQL).length} in MSSQL_OUTBOX_SQL): ${checked} parse-checked with node-sql-parser (transactsql), ${listed} allow-listed:`,
    );
    for (const a of ALLOW_LIST) console.log(`        - ${describeMatch(a.match)}`);
  });

  it('has statements to check', () => {
    assert.ok(mssqlMigrations.length > 0);
    assert.ok(Object.keys(MSSQL_SQL).length > 0);
    assert.ok(Object.keys(MSSQL_REPORT_SQL).length > 0);
    assert.ok(Object.keys(MSSQL_CASE_SQL).length > 0);
    assert.ok(Object.keys(MSSQL_CASEWORK_SQL).length > 0);
    assert.ok(Object.keys(MSSQL_STATUS_SQL).length > 0);
    assert.ok(Object.keys(MSSQL_OUTBOX_SQL).length > 0);
  });

  it('parses every statement that is not allow-listed', () => {
    const failures = allStatements
      .filter((s) => !allowed(s))
      .map((s) => ({ s, error: parseError(s.sql) }))
      .filter((f) => f.error !== undefined)
      .map((f) => `${f.s.id}: ${f.error}\n    ${normalise(f.s.sql).slice(0, 200)}`);
    assert.deepEqual(failures, [], `Statements that do not parse (fix them, or allow-list them with a reason):\n${failures.join('\n')}`);
  });

  it('matches every allow-list entry to exactly one existing statement', () => {
    const problems = ALLOW_LIST.flatMap((a) => {
      const hits = allStatements.filter((s) => matches(a, s));
      return hits.length === 1 ? [] : [`${describeMatch(a.match)} matches ${hits.length} statements; remove or correct the entry`];
    });
    assert.deepEqual(problems, []);
  });

  it('allow-lists only statements that still fail to parse', () => {
    const nowParsing = allStatements
      .filter((s) => allowed(s) && parseError(s.sql) === undefined)
      .map((s) => `${s.id} parses now; remove its allow-list entry`);
    assert.deepEqual(nowParsing, []);
  });

  it('gives every allow-list entry a reason', () => {
    for (const a of ALLOW_LIST) assert.ok(a.reason.trim().length > 20, describeMatch(a.match));
  });

  describe('SQL texts are literals, never built from values', () => {
    it('no SQL text contains "${"', () => {
      const offenders = allStatements.filter((s) => s.sql.includes('${')).map((s) => s.id);
      assert.deepEqual(offenders, []);
    });

    // At run time an interpolation has already been substituted, so the source is what tells.
    const sources: [file: string, variable: string][] = [
      ['src/store/mssql/mssql-store.ts', 'MSSQL_SQL'],
      ['src/store/mssql/mssql-report-sql.ts', 'MSSQL_REPORT_SQL'],
      ['src/store/mssql/mssql-cases.ts', 'MSSQL_CASE_SQL'],
      ['src/store/mssql/mssql-casework.ts', 'MSSQL_CASEWORK_SQL'],
      ['src/store/mssql/mssql-casework.ts', 'MSSQL_CASEWORK_RANK_SQL'],
      ['src/store/mssql/mssql-status.ts', 'MSSQL_STATUS_SQL'],
      ['src/store/mssql/mssql-outbox.ts', 'MSSQL_OUTBOX_SQL'],
      ['src/store/mssql/migrations.ts', 'mssqlMigrations'],
    ];
    for (const [file, variable] of sources) {
      it(`${variable} in ${file} holds only plain string literals (no \${…}, no concatenation)`, () => {
        const text = readFileSync(path.join(__dirname, '..', '..', file), 'utf8');
        const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
        let init: ts.Expression | undefined;
        const find = (node: ts.Node): void => {
          if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === variable) init = node.initializer;
          else ts.forEachChild(node, find);
        };
        find(source);
        assert.ok(init, `${variable} not found in ${file}`);
        const offenders: string[] = [];
        const walk = (node: ts.Node): void => {
          if (ts.isTemplateExpression(node)) offenders.push(`template with \${…} at line ${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
          if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
            offenders.push(`concatenation at line ${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
          }
          if (ts.isCallExpression(node)) offenders.push(`call at line ${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
          ts.forEachChild(node, walk);
        };
        walk(init);
        assert.deepEqual(offenders, []);
      });
    }
  });

  describe('migrations stay in step with SQLite', () => {
    const created = (sql: string) => [...sql.matchAll(/\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:dbo\.)?\[?(\w+)\]?/gi)].map((m) => m[1]!.toLowerCase());
    const indexes = (sql: string) =>
      [...sql.matchAll(/\bCREATE\s+(?:UNIQUE\s+)?(?:(?:NON)?CLUSTERED\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?\[?(\w+)\]?/gi)].map((m) => m[1]!.toLowerCase());
    const referenced = (sql: string) =>
      [
        ...sql.matchAll(
          /\b(?:CREATE\s+TABLE|ALTER\s+TABLE|DROP\s+TABLE|REFERENCES|INSERT\s+INTO|UPDATE|DELETE\s+FROM|FROM|JOIN|INDEX\s+\w+\s+ON)\s+(?:dbo\.)?\[?(#?\w+)\]?/gi,
        ),
      ].map((m) => m[1]!.toLowerCase());
    const byVersion = (ms: readonly Migration[], v: number) => ms.find((m) => m.version === v);
    /** [table, ['column NULL' | 'column NOT NULL', …]] of a CREATE TABLE text (table constraints left out). */
    const tableColumns = (sql: string): [string, string[]][] => {
      const table = /\bCREATE\s+TABLE\s+(\w+)/i.exec(sql)?.[1]?.toLowerCase();
      if (!table) return [];
      const columns = [...sql.matchAll(/^\s*(\w+)\s+(?!KEY\b)([A-Z][^\n]*)/gim)]
        .filter((c) => !['constraint', 'primary', 'unique', 'foreign', 'check', 'create'].includes(c[1]!.toLowerCase()))
        .map((c) => `${c[1]!.toLowerCase()} ${/\bNOT\s+NULL\b/i.test(c[2]!) || /\bPRIMARY\s+KEY\b/i.test(c[2]!) ? 'NOT NULL' : 'NULL'}`);
      return [[table, columns]];
    };

    for (const m of mssqlMigrations) {
      it(`migration ${m.version} (${m.name}) creates the same tables and indexes as SQLite's`, () => {
        const lite = byVersion(sqliteMigrations, m.version);
        assert.ok(lite, `SQLite has no migration ${m.version}`);
        const sorted = (xs: string[]) => [...new Set(xs)].sort();
        // SQLite cannot drop a constraint, so it rebuilds a table (recreating one an earlier version
        // made) where SQL Server alters it in place.
        const earlier = new Set(sqliteMigrations.filter((s) => s.version < m.version).flatMap((s) => s.statements.flatMap(created)));
        const rebuilt = (t: string) => earlier.has(t) && !m.statements.flatMap(created).includes(t);
        assert.deepEqual(sorted(m.statements.flatMap(created)), sorted(lite.statements.flatMap(created).filter((t) => !rebuilt(t))));
        const earlierIndexes = new Set(sqliteMigrations.filter((s) => s.version < m.version).flatMap((s) => s.statements.flatMap(indexes)));
        const recreated = (ix: string) => earlierIndexes.has(ix) && !m.statements.flatMap(indexes).includes(ix);
        assert.deepEqual(sorted(m.statements.flatMap(indexes)), sorted(lite.statements.flatMap(indexes).filter((ix) => !recreated(ix))));
      });

      it(`migration ${m.version} (${m.name}) gives each table the same columns, in order and nullability, as SQLite's`, () => {
        const lite = byVersion(sqliteMigrations, m.version);
        assert.ok(lite, `SQLite has no migration ${m.version}`);
        const liteTables = new Map(lite.statements.flatMap(tableColumns));
        const problems = m.statements.flatMap(tableColumns).flatMap(([table, columns]) => {
          const expected = liteTables.get(table);
          return JSON.stringify(columns) === JSON.stringify(expected) ? [] : [`${table}: [${columns.join(', ')}] but SQLite has [${String(expected?.join(', '))}]`];
        });
        assert.deepEqual(problems, []);
      });

      it(`migration ${m.version} (${m.name}) references only tables SQLite has by then`, () => {
        // CREATE TABLE names must match this version exactly (test above); other references may
        // also name tables of earlier versions, so that a later ALTER TABLE is not refused.
        const known = new Set(sqliteMigrations.filter((s) => s.version <= m.version).flatMap((s) => s.statements.flatMap(created)));
        const unknown = m.statements.flatMap((sql, i) => referenced(sql).filter((t) => !known.has(t)).map((t) => `statement ${i + 1}: ${t}`));
        assert.deepEqual(unknown, []);
      });
    }
  });

  describe('SQL texts agree with the SQL Server schema', () => {
    const migrationText = mssqlMigrations.flatMap((m) => m.statements);
    const tables = [...new Set(migrationText.flatMap((t) => [...t.matchAll(/\bCREATE\s+TABLE\s+(\w+)/gi)].map((m) => m[1]!.toLowerCase())))];
    /** "child -> parent" for every foreign key the migrations add. */
    const foreignKeys = migrationText.flatMap((t) =>
      [...t.matchAll(/\bALTER\s+TABLE\s+(\w+)\s+ADD\s+CONSTRAINT\s+\w+\s+FOREIGN\s+KEY\s*\([^)]*\)\s*REFERENCES\s+(\w+)/gi)].map(
        (m) => [m[1]!.toLowerCase(), m[2]!.toLowerCase()] as const,
      ),
    );

    it('finds the foreign keys it checks the delete order against', () => {
      assert.ok(foreignKeys.length >= 12, `only ${foreignKeys.length} foreign keys found`);
    });

    it('dropAllDataForTests empties every table but schema_migrations, children before parents', () => {
      const deleted = [...MSSQL_SQL.testDeleteAllData.matchAll(/\bDELETE\s+FROM\s+(\w+)/gi)].map((m) => m[1]!.toLowerCase());
      assert.deepEqual([...deleted].sort(), [...tables].sort());
      const wrongOrder = foreignKeys
        .filter(([child, parent]) => deleted.indexOf(child) > deleted.indexOf(parent))
        .map(([child, parent]) => `${child} must be emptied before ${parent}`);
      assert.deepEqual(wrongOrder, []);
    });

    it('names only tables the migrations create (or schema_migrations and the temp tables)', () => {
      const known = new Set([
        ...tables, 'schema_migrations', ...Object.values(MSSQL_SYNC_TEMP_TABLES), MSSQL_CASEWORK_TEMP_TABLE, MSSQL_CASEWORK_DEADLINES_TEMP_TABLE, MSSQL_CASEWORK_RANKS_TEMP_TABLE, MSSQL_CASE_CLOCKS_TEMP_TABLE,
        // The catalog views migrate() reads the database's settings from (sys.databases, sys.columns, sys.types).
        'sys',
      ]);
      // A name directly followed by "(" is a table-valued function (FROM OPENJSON(@…)), not a table.
      const unknown = sqlTexts.flatMap((s) =>
        [...s.sql.matchAll(/\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|FROM|JOIN|DROP\s+TABLE|CREATE\s+TABLE)\s+(#?\w+)\b(?!\()/gi)]
          .map((m) => m[1]!.toLowerCase())
          .filter((t) => !known.has(t) && !/^[a-z]$/.test(t)) // single letters are aliases (UPDATE c … FROM …)
          .map((t) => `${s.id}: ${t}`),
      );
      assert.deepEqual(unknown, []);
    });

    it('orders text columns by a binary collation wherever an order is part of the contract (as SQLite\'s BINARY does)', () => {
      // Column name -> whether every text declaration of it is binary; the database collation
      // (e.g. Finnish_Swedish_CI_AS) sorts case and Å/Ä/Ö differently from SQLite.
      const textColumns = new Map<string, boolean>();
      for (const t of migrationText) {
        for (const m of t.matchAll(/^\s*(?:ADD\s+)?(\w+)\s+N?(?:VAR)?CHAR\((?:\d+|MAX)\)(\s+COLLATE\s+\w+)?/gim)) {
          const name = m[1]!.toLowerCase();
          const binary = /_BIN2?\b/i.test(m[2] ?? '');
          textColumns.set(name, (textColumns.get(name) ?? true) && binary);
        }
      }
      assert.ok(textColumns.size > 20, 'found the text column declarations');
      const unsorted: string[] = [];
      for (const s of sqlTexts) {
        for (const m of s.sql.matchAll(/\bORDER\s+BY\s+([^()]+?)(?=\)|$|\bOFFSET\b|\bFOR\b)/gi)) {
          for (const term of m[1]!.split(',')) {
            const t = /^\s*(?:\w+\.)?(\w+)(\s+COLLATE\s+\w+)?/i.exec(term);
            if (!t) continue;
            const binary = textColumns.get(t[1]!.toLowerCase());
            if (binary === false && !/_BIN2?\b/i.test(t[2] ?? '')) unsorted.push(`${s.id}: ${term.trim()}`);
          }
        }
      }
      // Owned by the casework storage rewrite (src/store/mssql/mssql-casework.ts), which is to add
      // COLLATE Latin1_General_100_BIN2 there; listed so that the entries must go once it does.
      assert.deepEqual(unsorted, []);
    });

    it('MSSQL_LIMITS, MSSQL_REPORT_LIMITS, MSSQL_CASE_LIMITS, MSSQL_CASEWORK_LIMITS, MSSQL_STATUS_LIMITS and MSSQL_OUTBOX_LIMITS equal the NVARCHAR lengths the migrations declare', () => {
      const declared = new Map<string, number>();
      for (const t of migrationText) {
        const table = /\bCREATE\s+TABLE\s+(\w+)/i.exec(t)?.[1]?.toLowerCase();
        if (!table) continue;
        for (const m of t.matchAll(/^\s*(\w+)\s+NVARCHAR\((\d+)\)/gim)) declared.set(`${table}.${m[1]!.toLowerCase()}`, Number(m[2]));
      }
      const R = MSSQL_REPORT_LIMITS;
      const C = MSSQL_CASE_LIMITS;
      const W = MSSQL_CASEWORK_LIMITS;
      const D = MSSQL_STATUS_LIMITS;
      const O = MSSQL_OUTBOX_LIMITS;
      const expected: [column: string, limit: number][] = [
        ['once_markers.marker_key', MSSQL_LIMITS.markerKey],
        ['work_leases.work_key', MSSQL_LIMITS.workKey],
        ['bot_state.state_key', MSSQL_LIMITS.stateKey],
        ['reports.reference', R.reference],
        ['reports.form_id', R.formId],
        ['reports.unit_id', R.orgId],
        ['reports.committee_id', R.orgId],
        ['units.id', R.orgId],
        ['committees.id', R.orgId],
        ['reports.reporter_entra_id', R.entraId],
        ['people.entra_id', R.entraId],
        ['reports.reporter_name', R.personName],
        ['reports.location', R.location],
        ['reports.category', R.category],
        ['reports.what_happened', R.whatHappened],
        ['reports.consequences', R.consequences],
        ['reports.immediate_actions', R.immediateActions],
        ['reports.informed', R.answer],
        ['reports.risk_hurt', R.answer],
        ['reports.risk_ongoing', R.answer],
        ['reports.risk_vulnerable', R.answer],
        ['reports.risk_crime', R.answer],
        ['reports.risk_before', R.answer],
        ['reports.case_reference', R.caseReference],
        ['report_notifications.recipient_entra_id', R.entraId],
        ['report_notifications.kind', R.kind],
        ['report_notifications.recipient_name', R.personName],
        ['report_notifications.status', R.status],
        ['report_notifications.error', R.notificationError],
        ['audit_log.actor_entra_id', R.entraId],
        ['audit_log.action', R.action],
        ['audit_log.entity_type', R.entityType],
        ['audit_log.entity_ref', R.entityRef],
        ['audit_log.detail', R.detail],
        ['case_investigations.utredare_entra_id', C.entraId],
        ['case_investigations.utredare_name', C.personName],
        ['case_decisions.recommended_outcome', C.outcome],
        ['case_decisions.decided_outcome', C.outcome],
        ['case_decisions.decided_by_entra_id', C.entraId],
        ['case_decisions.decided_by_name', C.personName],
        ['case_filings.ivo_diarienummer', C.ivoDiarienummer],
        ['case_filings.recorded_by_entra_id', C.entraId],
        ['case_filings.recorded_by_name', C.personName],
        ['case_closings.closed_by_entra_id', C.entraId],
        ['case_closings.closed_by_name', C.personName],
        ['case_entries.item', C.item],
        ['case_entries.kind', C.kind],
        ['case_entries.source', C.source],
        ['case_entries.author_entra_id', C.entraId],
        ['case_entries.author_name', C.personName],
        ['case_actions.action_text', C.actionText],
        ['case_actions.owner_entra_id', C.entraId],
        ['case_actions.owner_name', C.personName],
        ['case_actions.created_by_entra_id', C.entraId],
        ['case_events.event', C.event],
        ['case_events.from_state', C.state],
        ['case_events.to_state', C.state],
        ['case_events.actor_entra_id', C.entraId],
        ['case_events.actor_name', C.personName],
        ['case_events.detail', C.eventDetail],
        ['reports.state', C.state],
        ['reports.unit_id', C.unitId],
        ['review_records.unit_id', C.unitId],
        ['review_records.week_key', C.weekKey],
        ['review_records.done_by_entra_id', C.entraId],
        ['review_records.done_by_name', C.personName],
        ['review_records.comment', C.reviewComment],
        ['review_snoozes.unit_id', C.unitId],
        ['review_snoozes.week_key', C.weekKey],
        ['review_snoozes.entra_id', C.entraId],
        ['casework_items.source', W.source],
        ['casework_items.case_reference', W.caseReference],
        ['casework_items.item_type', W.type],
        ['casework_items.unit_id', W.unitId],
        ['casework_items.handlaggare', W.handlaggare],
        ['casework_items.status', W.status],
        ['casework_imports.source', W.source],
        ['casework_imports.actor', W.actor],
        ['casework_items.item_type', D.itemType],
        ['delivery_failures.recipient_entra_id', D.entraId],
        ['delivery_failures.recipient_name', D.personName],
        ['delivery_failures.unit_id', D.orgId],
        ['delivery_failures.committee_id', D.orgId],
        ['delivery_failures.purpose', D.purpose],
        ['delivery_failures.entity_ref', D.entityRef],
        ['delivery_failures.status', D.status],
        ['delivery_failures.error', D.error],
        ['report_forms.form_id', R.formId],
        ['report_forms.reporter_entra_id', R.entraId],
        ['report_forms.conversation_id', R.conversationId],
        ['conversation_refs.conversation_id', R.conversationId],
        ['outbox.message_key', O.key],
        ['outbox.recipient_entra_id', O.entraId],
        ['outbox.recipient_name', O.personName],
        ['outbox.purpose', O.purpose],
        ['outbox.entity_ref', O.entityRef],
        ['outbox.unit_id', O.orgId],
        ['outbox.committee_id', O.orgId],
        ['outbox.replaces_activity_id', O.activityId],
        ['outbox.state', O.state],
        ['outbox.lease_owner', O.leaseOwner],
        ['outbox.last_error', O.error],
        ['outbox.activity_id', O.activityId],
        ['rate_limits.bucket_key', O.bucketKey],
      ];
      const mismatches = expected
        .filter(([column, limit]) => declared.get(column) !== limit)
        .map(([column, limit]) => `${column}: the adapter assumes ${limit}, the migrations declare ${String(declared.get(column))}`);
      assert.deepEqual(mismatches, []);
    });

    it('report columns hold everything the report form accepts', async () => {
      const { LIMITS } = await import('../../src/reports/form.js');
      const R = MSSQL_REPORT_LIMITS;
      assert.ok(R.location >= LIMITS.location, 'location');
      assert.ok(R.whatHappened >= LIMITS.whatHappened, 'whatHappened');
      assert.ok(R.consequences >= LIMITS.consequences, 'consequences');
      assert.ok(R.immediateActions >= LIMITS.immediateActions, 'immediateActions');
      assert.ok(R.caseReference >= LIMITS.caseReference, 'caseReference');
    });
  });

  it('creates and drops every temp table that sync bulk-loads', () => {
    for (const name of Object.values(MSSQL_SYNC_TEMP_TABLES)) {
      assert.match(MSSQL_SQL.syncCreateTempTables, new RegExp(`CREATE TABLE ${name} \\(`));
      assert.ok(MSSQL_SQL.syncDropTempTables.includes(name), `${name} is not dropped`);
    }
  });

  describe('issued forms and idempotent step forms', () => {
    const flat = (t: string) => normalise(t);
    it('issues a report form id once, under a key-range update lock on its key', () => {
      const insert = flat(MSSQL_REPORT_SQL.formIssue);
      assert.match(insert, /^INSERT INTO report_forms \(form_id, reporter_entra_id, conversation_id, issued_at\) SELECT /);
      assert.ok(insert.includes('WHERE NOT EXISTS (SELECT 1 FROM report_forms WITH (UPDLOCK, HOLDLOCK) WHERE form_id = @formId)'));
      assert.match(flat(MSSQL_REPORT_SQL.formGet), /FROM report_forms WHERE form_id = @formId$/);
    });

    it('keys report_forms on form_id, binary-collated like reports.form_id', () => {
      const table = mssqlMigrations.flatMap((m) => m.statements).find((t) => /CREATE TABLE report_forms\b/.test(t)) ?? '';
      assert.match(table, /CONSTRAINT pk_report_forms PRIMARY KEY \(form_id\)/);
      assert.match(table, /^\s*form_id NVARCHAR\(100\) COLLATE Latin1_General_100_BIN2 NOT NULL,/m);
      assert.match(table, /^\s*issued_at DATETIME2\(3\) NOT NULL,/m);
    });

    it('looks a step form up under a key-range update lock, and stores its id with the row', () => {
      const S = MSSQL_CASE_SQL;
      assert.equal(flat(S.entryByForm), 'SELECT id FROM case_entries WITH (UPDLOCK, HOLDLOCK) WHERE report_id = @reportId AND form_id = @formId');
      assert.equal(flat(S.actionByForm), 'SELECT id FROM case_actions WITH (UPDLOCK, HOLDLOCK) WHERE report_id = @reportId AND form_id = @formId');
      assert.match(flat(S.entryInsert), /documented_at, form_id\) VALUES \(.*@documentedAt, @formId\);/);
      assert.match(flat(S.actionInsert), /created_at, form_id\) VALUES \(.*@createdAt, @formId\);/);
      const m9 = mssqlMigrations.find((m) => m.version === 9)!.statements.map(flat);
      for (const table of ['case_entries', 'case_actions']) {
        assert.ok(m9.includes(`ALTER TABLE ${table} ADD form_id NVARCHAR(100) COLLATE Latin1_General_100_BIN2 NULL`), table);
        assert.ok(m9.some((t) => t.startsWith(`CREATE UNIQUE INDEX uq_${table}_form ON ${table} (report_id, form_id) WHERE form_id IS NOT NULL`)), table);
      }
      const lite = sqliteMigrations.find((m) => m.version === 9)!.statements.map(flat);
      assert.ok(lite.includes('ALTER TABLE case_entries ADD COLUMN form_id TEXT NULL') && lite.includes('ALTER TABLE case_actions ADD COLUMN form_id TEXT NULL'));
    });
  });

  describe('operating on a real server (timeouts, isolation; inspected in the source)', () => {
    const source = (file: string) => readFileSync(path.join(__dirname, '..', '..', file), 'utf8');
    /** The text of a method of a class in `file`, from its signature to the next method at the same indentation. */
    const method = (file: string, signature: string) => {
      const text = source(file);
      const start = text.indexOf(signature);
      assert.ok(start >= 0, `${signature} not found in ${file}`);
      const end = text.indexOf('\n  async ', start + signature.length);
      return text.slice(start, end < 0 ? undefined : end);
    };

    it('reads a case\'s details in one transaction (SNAPSHOT where allowed, else holding the report row), not statement by statement on the pool', () => {
      const get = method('src/store/mssql/mssql-cases.ts', 'async get(reportId: number)');
      assert.match(get, /this\.db\.inTransaction\(/);
      assert.doesNotMatch(get, /this\.db\.pool/);
      assert.match(get, /isolation: 'snapshot'/);
      assert.match(get, /S\.reportHoldForRead/);
      // The hold follows the isolation the transaction got, which is read committed when the server refused SNAPSHOT (3952).
      assert.match(get, /async \(tx, isolation\) =>/);
      assert.match(get, /if \(isolation !== 'snapshot'\) await read\(S\.reportHoldForRead\)/);
      assert.match(normalise(MSSQL_CASE_SQL.reportHoldForRead), /FROM reports WITH \(ROWLOCK, HOLDLOCK\) WHERE id = @reportId$/);
    });

    it('gives every migration statement the long per-request timeout, and runs the organisation sync on the bulk pool', () => {
      const migrate = method('src/store/mssql/mssql-store.ts', 'async migrate()');
      assert.match(migrate, /await this\.checkSettings\(\);/, 'settings are checked before anything changes');
      assert.match(migrate, /this\.db\.longRequest\(tx\)\.batch\(statement\)/);
      assert.doesNotMatch(migrate, /new sql\.Request\(tx\)\.batch\(statement\)/);
      assert.match(migrate, /this\.db\.longRequest\(tx\)[^;]*\.query\(MSSQL_SQL\.migrationsTableCreate\)/);
      // The applock wait (a little shorter than the long timeout) must not run under the short one.
      const lock = source('src/store/mssql/mssql-store.ts').split('async function takeMigrationLock(')[1]!.split('\n}\n')[0]!;
      assert.match(lock, /db\s*\.longRequest\(tx\)\s*\.input\('resource'/);
      const sync = method('src/store/mssql/mssql-store.ts', 'async sync(org: OrganisationRecord');
      assert.match(sync, /\{ retryDeadlocks: true, long: true \}/);
    });

    it('connects every pool (interactive, long work, SNAPSHOT) through connectWithRetry, and closes them all', () => {
      const store = source('src/store/mssql/mssql-store.ts');
      const open = store.slice(store.indexOf('static async open('), store.indexOf('private async checkSettings('));
      // A serverless database may still be resuming, or fail over, between one connect and the next.
      assert.equal([...open.matchAll(/await connectWithRetry\(/g)].length, 3);
      assert.doesNotMatch(open, /new sql\.ConnectionPool\(|\.connect\(\)/);
      assert.equal([...store.matchAll(/new sql\.ConnectionPool\(/g)].length, 1, 'only connectWithRetry makes a pool');
      assert.match(open, /new Db\(pool, secrets, timeouts, bulkPool, [^)]*, snapshotPool\)/);
      assert.match(open, /catch \(err\) \{\s*await Promise\.all\(opened\.map\(\(p\) => p\.close\(\)/, 'a failed open closes what it opened');
      assert.match(method('src/store/mssql/mssql-store.ts', 'async close()'), /await this\.db\.close\(\);/);
    });

    it('reads the status counts in a SNAPSHOT transaction when migrate() found it allowed', () => {
      for (const signature of ['async counts(q: StatusCountsQuery)', 'async unreachable(q:']) {
        assert.match(method('src/store/mssql/mssql-status.ts', signature), /this\.db\.snapshotAllowed \? \{ isolation: 'snapshot' as const \}/, signature);
      }
    });

    it('reads every database setting migrate() checks from the catalog, in a form the parser accepts', () => {
      const facts = normalise(MSSQL_SQL.settingsFacts);
      for (const column of ['d.compatibility_level', 'd.is_read_committed_snapshot_on', 'd.snapshot_isolation_state', 'SCHEMA_NAME()', 'SCHEMA_ID(@schema)']) {
        assert.ok(facts.includes(column), column);
      }
      assert.match(facts, /FROM sys\.databases AS d WHERE d\.database_id = DB_ID\(\)$/);
      assert.match(normalise(MSSQL_SQL.migrationsTableColumns), /WHERE c\.object_id = OBJECT_ID\(@table, N'U'\)$/);
    });
  });

  describe('name resolution: nothing falls back to another schema (inspected in the source)', () => {
    const source = (file: string) => readFileSync(path.join(__dirname, '..', '..', file), 'utf8');

    it('looks objects up by the schema-qualified name bound as a parameter, never by a one-part name (which falls back to dbo)', () => {
      // OBJECT_ID(N'schema_migrations') finds dbo.schema_migrations (another tool's, e.g. dbmate's or
      // golang-migrate's) when the bot's schema has none yet; the bot would then read and write it.
      const oneSearch = allStatements.filter((s) => /OBJECT_ID\s*\(\s*N?'/i.test(s.sql)).map((s) => s.id);
      assert.deepEqual(oneSearch, []);
      assert.match(normalise(MSSQL_SQL.migrationsTableCreate), /^IF OBJECT_ID\(@table, N'U'\) IS NULL CREATE TABLE schema_migrations \(/);
      assert.match(normalise(MSSQL_SQL.healthMigrationsTable), /^SELECT OBJECT_ID\(@table, N'U'\) AS table_id, SCHEMA_NAME\(\) AS defaultSchema$/);
      const store = source('src/store/mssql/mssql-store.ts');
      const migrate = store.slice(store.indexOf('async migrate()'), store.indexOf('async health()'));
      assert.match(migrate, /this\.db\s*\.longRequest\(tx\)\s*\.input\('table', sql\.NVarChar\(300\), this\.migrationsTable\)\s*\.query\(MSSQL_SQL\.migrationsTableCreate\)/);
    });

    it('calls sp_getapplock as sys.sp_getapplock, so no lookup in the database or master decides which procedure runs', () => {
      const calls = allStatements.filter((s) => /sp_getapplock/i.test(s.sql));
      assert.ok(calls.length >= 2, 'the migration lock and the import lock');
      for (const s of calls) assert.match(s.sql, /EXEC (@result = )?sys\.sp_getapplock /, s.id);
    });
  });

  describe('OPENJSON lists: read WITH a column of the compared key\'s exact type and binary collation (inspected in the texts)', () => {
    // OPENJSON's own `value` is NVARCHAR(MAX) in the database collation: compared with a
    // binary-collated key it fails with a collation conflict (error 468) unless converted, and an
    // NVARCHAR(MAX) operand (or a COLLATE on the key) rules out an index seek on the key.
    const typedUse = /(\w+) IN \(SELECT v FROM OPENJSON\((@\w+)\) WITH \(v ((?:NVARCHAR\(\d+\) COLLATE Latin1_General_100_BIN2|INT|DATE)) '\$'\)\)/g;
    /** Column name -> every type (with its collation) the migrations declare it with, in any table. */
    const declared = new Map<string, Set<string>>();
    for (const t of mssqlMigrations.flatMap((m) => m.statements)) {
      for (const m of t.matchAll(/(?:^\s*|\bADD\s+)(\w+)\s+(NVARCHAR\((?:\d+|MAX)\)|BIGINT|TINYINT|INT|BIT|DATETIME2\(3\)|DATE|FLOAT)(?:\s+IDENTITY\(\d+, \d+\))?(?:\s+COLLATE\s+(\w+))?/gim)) {
        const name = m[1]!.toLowerCase();
        declared.set(name, (declared.get(name) ?? new Set()).add(m[3] ? `${m[2]} COLLATE ${m[3]}` : m[2]!));
      }
    }
    const withOpenjson = sqlTexts.filter((st) => /\bOPENJSON\b/i.test(st.sql));

    it('finds the texts that take JSON lists, in every file (mssql-cases.ts included) and the column declarations', () => {
      for (const object of ['MSSQL_SQL', 'MSSQL_CASE_SQL', 'MSSQL_CASEWORK_SQL', 'MSSQL_STATUS_SQL', 'MSSQL_OUTBOX_SQL']) {
        assert.ok(withOpenjson.some((st) => st.id.startsWith(`${object}.`)), object);
      }
      assert.deepEqual([...(declared.get('unit_id') ?? [])], ['NVARCHAR(200) COLLATE Latin1_General_100_BIN2']);
      assert.ok(declared.get('work_key')?.has('NVARCHAR(400) COLLATE Latin1_General_100_BIN2'));
    });

    it('reads every JSON list with a typed column, never OPENJSON\'s own value', () => {
      const untyped = withOpenjson
        .filter((st) => [...st.sql.matchAll(/\bOPENJSON\b/gi)].length !== [...normalise(st.sql).matchAll(typedUse)].length || /\bvalue\b/i.test(st.sql))
        .map((st) => `${st.id}: ${normalise(st.sql).slice(0, 160)}`);
      assert.deepEqual(untyped, [], 'every OPENJSON must read "key IN (SELECT v FROM OPENJSON(@list) WITH (v <the key\'s type> \'$\'))"');
    });

    it('gives that column the exact type, length and collation of the key it is compared with', () => {
      const mismatched = withOpenjson.flatMap((st) =>
        [...normalise(st.sql).matchAll(typedUse)]
          .filter((m) => !(declared.get(m[1]!.toLowerCase())?.has(m[3]!) ?? false))
          .map((m) => `${st.id}: ${m[1]} compared with ${m[2]} as ${m[3]}, but declared as ${[...(declared.get(m[1]!.toLowerCase()) ?? [])].join(' / ') || 'nothing'}`),
      );
      assert.deepEqual(mismatched, []);
    });

  });

  describe('row counts come from SELECT @@ROWCOUNT, never from DONE tokens (inspected in the source)', () => {
    const source = (file: string) => readFileSync(path.join(__dirname, '..', '..', file), 'utf8');
    const dir = 'src/store/mssql';
    const files = readdirSync(path.join(__dirname, '..', '..', dir)).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f}`);
    const objects: Record<string, Record<string, string>> = {
      MSSQL_SQL, MSSQL_REPORT_SQL, MSSQL_CASE_SQL, MSSQL_CASEWORK_SQL, MSSQL_CASEWORK_RANK_SQL, MSSQL_STATUS_SQL, MSSQL_OUTBOX_SQL, MSSQL_PATTERN_SQL, MSSQL_COMPILATION_SQL,
    };
    /**
     * Every statement whose changed-row count a caller decides on (a guard, claim, lease, once
     * marker, update-else-insert) or returns. A trigger without SET NOCOUNT ON would add its count
     * to rowsAffected, and NOCOUNT would remove it; @@ROWCOUNT is the statement's own either way.
     */
    const COUNTED: readonly SqlId[] = [
      'MSSQL_SQL.onceClaim', 'MSSQL_SQL.leaseTakeOver', 'MSSQL_SQL.leaseInsert', 'MSSQL_SQL.refUpdate',
      'MSSQL_SQL.refMarkConversationInactive', 'MSSQL_SQL.refMarkUserInactive', 'MSSQL_SQL.syncMetaUpdate',
      'MSSQL_SQL.syncCommitteesArchive', 'MSSQL_SQL.syncUnitsArchive', 'MSSQL_SQL.syncPeopleArchive',
      'MSSQL_REPORT_SQL.counterIncrement', 'MSSQL_REPORT_SQL.notificationUpdate', 'MSSQL_PATTERN_SQL.decide', 'MSSQL_CASE_SQL.clockInvalidate', 'MSSQL_CASE_SQL.clocksUpdate',
      'MSSQL_CASE_SQL.reportMove', 'MSSQL_CASE_SQL.investigationUpdate', 'MSSQL_CASE_SQL.filingMarkSent', 'MSSQL_CASE_SQL.reviewInsert',
      'MSSQL_OUTBOX_SQL.enqueue', 'MSSQL_OUTBOX_SQL.renew', 'MSSQL_OUTBOX_SQL.finish', 'MSSQL_OUTBOX_SQL.retryLater',
      'MSSQL_OUTBOX_SQL.releaseAll', 'MSSQL_OUTBOX_SQL.clearFinishedCards',
      // Not decisions but the import's reported and logged counts (inserted, updated, closed).
      'MSSQL_CASEWORK_SQL.importUpdateChanged', 'MSSQL_CASEWORK_SQL.importInsertNew', 'MSSQL_CASEWORK_SQL.importCloseMissing',
      'MSSQL_CASEWORK_RANK_SQL.ranksUpdate', 'MSSQL_CASEWORK_RANK_SQL.ranksInvalidate',
    ];
    const text = (id: string) => {
      const [object, key] = id.split('.') as [string, string];
      const t = objects[object]?.[key];
      assert.ok(t !== undefined, `${id} is not a SQL text`);
      return t;
    };
    /** The SQL ids passed to rowsChanged(request, MSSQL_….key) across the adapter, with the number of calls that name none. */
    const counted = () => {
      const ids: string[] = [];
      let unnamed = 0;
      for (const file of files.filter((f) => !f.endsWith('/mssql-db.ts'))) {
        for (const call of source(file).split(/\browsChanged\((?!\))/).slice(1)) {
          const m = /^[\s\S]*?,\s*(MSSQL_[A-Z_]*SQL)\.(\w+),?\s*\)/.exec(call);
          if (m) ids.push(`${m[1]}.${m[2]}`);
          else unnamed++;
        }
      }
      return { ids: [...new Set(ids)].sort(), unnamed };
    };

    it('ends every statement a count is read from with "; SELECT @@ROWCOUNT AS n", and parses the statement before it', () => {
      assert.equal(ROWCOUNT_TAIL, 'SELECT @@ROWCOUNT AS n');
      const missing = COUNTED.filter((id) => !ROWCOUNT_TAIL_RE.test(text(id)));
      assert.deepEqual(missing, [], 'statements whose row count is used but that do not end with SELECT @@ROWCOUNT AS n');
      for (const id of COUNTED) {
        const dml = normalise(withoutRowcount(text(id)));
        assert.match(dml, /^(UPDATE|INSERT|DELETE) /, id);
        assert.ok(!dml.includes(';'), `${id}: only one statement may come before the count`);
        assert.equal(parseError(dml), undefined, id);
      }
    });

    it('reads each of those counts with rowsChanged, naming the SQL text, and no other', () => {
      const { ids, unnamed } = counted();
      assert.equal(unnamed, 0, 'a rowsChanged call must name its SQL text as MSSQL_….key (not an alias), so this check can see it');
      assert.deepEqual(ids, [...COUNTED].sort());
      // A statement with the tail but read some other way returns an extra result set its reader ignores.
      const tailed = Object.entries(objects).flatMap(([o, texts]) => Object.entries(texts).filter(([, t]) => /@@ROWCOUNT/.test(t)).map(([k]) => `${o}.${k}`));
      assert.deepEqual(tailed.sort(), [...COUNTED].sort());
    });

    it('reads no count from the driver\'s rowsAffected (DONE tokens) anywhere, so NOCOUNT changes nothing', () => {
      const readers = files.filter((f) => /\.rowsAffected\b|\[['"`]rowsAffected['"`]\]/.test(source(f)));
      assert.deepEqual(readers, []);
    });
  });

  describe('weekly reviews and open cases', () => {
    const S = MSSQL_CASE_SQL;
    const flat = (t: string) => normalise(t);

    it('records a week only when it has no record yet, under a key-range update lock on its key', () => {
      const insert = flat(S.reviewInsert);
      assert.match(insert, /^INSERT INTO review_records \(unit_id, week_key, done_by_entra_id, done_by_name, done_at, comment\) SELECT /);
      assert.ok(
        insert.includes('WHERE NOT EXISTS (SELECT 1 FROM review_records WITH (UPDLOCK, HOLDLOCK) WHERE unit_id = @unitId AND week_key = @weekKey)'),
        'reviewInsert must look for the key WITH (UPDLOCK, HOLDLOCK)',
      );
      assert.match(flat(S.reviewGet), /FROM review_records WHERE unit_id = @unitId AND week_key = @weekKey$/);
    });

    it('keys review_records on (unit_id, week_key), binary-collated like units.id', () => {
      const table = mssqlMigrations.flatMap((m) => m.statements).find((t) => /CREATE TABLE review_records\b/.test(t)) ?? '';
      assert.match(table, /CONSTRAINT pk_review_records PRIMARY KEY \(unit_id, week_key\)/);
      assert.match(table, /^\s*unit_id NVARCHAR\(200\) COLLATE Latin1_General_100_BIN2 NOT NULL,/m);
      assert.match(table, /^\s*week_key NVARCHAR\(\d+\) COLLATE Latin1_General_100_BIN2 NOT NULL,/m);
      assert.match(table, /^\s*done_at DATETIME2\(3\) NOT NULL,/m);
    });

    it('lists open cases of the units in a JSON list, oldest first, with dates read back as text', () => {
      const list = flat(S.openCaseList);
      assert.ok(list.includes("r.state <> N'avslutad'"));
      assert.ok(list.includes(`r.unit_id ${jsonList('unitIds', 200)}`));
      assert.ok(list.includes('LEFT JOIN case_decisions AS d ON d.id = (SELECT MAX(id) FROM case_decisions WHERE report_id = r.id)'));
      assert.ok(list.includes('CONVERT(NVARCHAR(10), f.filed_on, 23) AS filed_on'));
      assert.ok(list.includes('CONVERT(NVARCHAR(10), f.investigation_sent_on, 23) AS investigation_sent_on'));
      assert.match(list, /ORDER BY r\.created_at, r\.id$/);
    });
  });

  describe('the decision in force and its run: the anmälan and the closing (review #13)', () => {
    const S = MSSQL_CASE_SQL;
    const flat = (t: string) => normalise(t);
    const source = readFileSync(path.join(__dirname, '..', '..', 'src/store/mssql/mssql-cases.ts'), 'utf8');
    // "Snarast" counts from the first decision of the unbroken serious run (requires_anmalan 1); the
    // closing clock (0) from the case's earliest decision needing no anmälan, whatever came between
    // (a flip to serious and back buys no time). decisionRun in the adapter names it accordingly.
    const RUN =
      '(SELECT MIN(s.decided_at) FROM case_decisions AS s WHERE s.report_id = r.id AND s.requires_anmalan = d.requires_anmalan ' +
      'AND (d.requires_anmalan = 0 OR s.id > COALESCE((SELECT MAX(n.id) FROM case_decisions AS n WHERE n.report_id = r.id AND n.requires_anmalan <> d.requires_anmalan), 0))) AS run_from';

    // [SQL text]: each list the clocks read counts "snarast" from the first decision of its run and the closing from the earliest, never from the newest.
    for (const key of ['clockCaseList', 'clockCaseListForUnits', 'openCaseList'] as const) {
      it(`${key} counts the anmälan from the first decision of the unbroken run, the closing from the earliest needing no anmälan`, () => {
        const list = flat(S[key]);
        assert.ok(list.includes(RUN), list);
        assert.doesNotMatch(list, /\bd\.decided_at\b/, 'the newest decision\'s time is not the start of the run');
        assert.equal(parseError(S[key]), undefined);
      });
    }

    it('a guard naming the decision in force reads it after the report row is held, and rolls back when it changed', () => {
      assert.equal(flat(S.decisionInForce), 'SELECT MAX(id) AS id FROM case_decisions WHERE report_id = @reportId');
      const guarded = source.slice(source.indexOf('private async guarded('), source.indexOf('/** The actor\'s columns'));
      const move = guarded.indexOf('MSSQL_CASE_SQL.reportMove');
      const check = guarded.indexOf('S.decisionInForce');
      const write = guarded.indexOf('await write(tx)');
      assert.ok(move > 0 && move < check && check < write, 'reportMove, then the decision check, then the write');
      assert.match(guarded, /if \(\(newest\?\.id \?\? null\) !== g\.decisionInForce\) throw new GuardMissed\(\);/);
    });
  });

  describe('review snoozes', () => {
    const S = MSSQL_CASE_SQL;
    const flat = (t: string) => normalise(t);
    const key = 'unit_id = @unitId AND week_key = @weekKey AND entra_id = @entraId AND until_at = @until';

    it('stores a snooze only when its whole key is not stored yet, under a key-range update lock on that key', () => {
      const insert = flat(S.snoozeInsert);
      assert.match(insert, /^INSERT INTO review_snoozes \(unit_id, week_key, entra_id, until_at\) SELECT @unitId, @weekKey, @entraId, @until WHERE NOT EXISTS /);
      assert.ok(
        insert.endsWith(`WHERE NOT EXISTS (SELECT 1 FROM review_snoozes WITH (UPDLOCK, HOLDLOCK) WHERE ${key})`),
        'snoozeInsert must look for the whole key WITH (UPDLOCK, HOLDLOCK)',
      );
    });

    it('keys review_snoozes on (unit_id, week_key, entra_id, until_at), binary-collated, with DATETIME2(3) instants', () => {
      const statements = mssqlMigrations.find((m) => m.version === 6)?.statements ?? [];
      const table = statements.find((t) => /CREATE TABLE review_snoozes\b/.test(t)) ?? '';
      assert.match(table, /CONSTRAINT pk_review_snoozes PRIMARY KEY \(unit_id, week_key, entra_id, until_at\)/);
      assert.match(table, /^\s*unit_id NVARCHAR\(200\) COLLATE Latin1_General_100_BIN2 NOT NULL,/m);
      assert.match(table, /^\s*week_key NVARCHAR\(\d+\) COLLATE Latin1_General_100_BIN2 NOT NULL,/m);
      assert.match(table, /^\s*entra_id NVARCHAR\(100\) COLLATE Latin1_General_100_BIN2 NOT NULL,/m);
      assert.match(table, /^\s*until_at DATETIME2\(3\) NOT NULL,/m);
      assert.match(table, /^\s*sent_at DATETIME2\(3\) NULL,/m);
      assert.ok(statements.some((t) => flat(t) === 'CREATE INDEX ix_review_snoozes_due ON review_snoozes (sent_at, until_at)'));
    });

    it('lists only unsent snoozes that are due, earliest first, and marks one sent by its whole key', () => {
      const due = flat(S.snoozeDueList);
      assert.match(due, /^SELECT unit_id, week_key, entra_id, until_at FROM review_snoozes /);
      assert.ok(due.includes('WHERE sent_at IS NULL AND until_at <= @now'));
      assert.match(due, /ORDER BY until_at\b/);
      assert.equal(flat(S.snoozeMarkSent), `UPDATE review_snoozes SET sent_at = @sentAt WHERE ${key}`);
    });
  });

  describe('work leases', () => {
    const flat = (t: string) => withoutRowcount(normalise(t));

    it('takes over only an expired lease on work not done, under an update lock held to the end of the transaction', () => {
      assert.equal(
        flat(MSSQL_SQL.leaseTakeOver),
        'UPDATE work_leases WITH (UPDLOCK, SERIALIZABLE) SET lease_until = @until, attempts = attempts + 1 ' +
          'WHERE work_key = @key AND done_at IS NULL AND lease_until <= @now',
      );
    });

    it('creates a lease only when the work has no row yet, under a key-range update lock on its key', () => {
      const insert = flat(MSSQL_SQL.leaseInsert);
      assert.match(insert, /^INSERT INTO work_leases \(work_key, lease_until, attempts, done_at\) SELECT @key, @until, 1, NULL WHERE NOT EXISTS /);
      assert.ok(
        insert.endsWith('WHERE NOT EXISTS (SELECT 1 FROM work_leases WITH (UPDLOCK, HOLDLOCK) WHERE work_key = @key)'),
        'leaseInsert must look for the key WITH (UPDLOCK, HOLDLOCK)',
      );
      assert.equal(flat(MSSQL_SQL.leaseComplete), 'UPDATE work_leases SET done_at = @doneAt WHERE work_key = @key');
    });

    it('keys work_leases on work_key, binary-collated like once_markers, with DATETIME2(3) instants', () => {
      const statements = mssqlMigrations.find((m) => m.version === 7)?.statements ?? [];
      const table = statements.find((t) => /CREATE TABLE work_leases\b/.test(t)) ?? '';
      assert.match(table, /CONSTRAINT pk_work_leases PRIMARY KEY \(work_key\)/);
      assert.match(table, /^\s*work_key NVARCHAR\(400\) COLLATE Latin1_General_100_BIN2 NOT NULL,/m);
      assert.match(table, /^\s*lease_until DATETIME2\(3\) NOT NULL,/m);
      assert.match(table, /^\s*attempts INT NOT NULL,/m);
      assert.match(table, /^\s*done_at DATETIME2\(3\) NULL,/m);
    });
  });

  describe('outbox and shared rate limit', () => {
    const S = MSSQL_OUTBOX_SQL;
    const flat = (t: string) => withoutRowcount(normalise(t));
    const due = "state = N'pending' AND next_attempt_at <= @now AND not_before <= @now AND (lease_until IS NULL OR lease_until <= @now)";
    const held = "lease_owner = @owner AND state = N'pending'";

    it('enqueues a key only when it is not stored yet, under a key-range update lock on it', () => {
      assert.ok(flat(S.enqueue).endsWith('WHERE NOT EXISTS (SELECT 1 FROM outbox WITH (UPDLOCK, HOLDLOCK) WHERE message_key = @key)'));
      assert.ok(flat(S.enqueue).includes("N'pending', 0, @notBefore WHERE"), 'a new row is pending, unattempted, due at notBefore');
    });

    it('claims due rows in priority then due order, update-locking them and skipping rows other claimers hold', () => {
      assert.equal(
        flat(S.claimPick),
        `SELECT TOP (@limit) id FROM outbox WITH (UPDLOCK, READPAST, ROWLOCK) WHERE ${due} ORDER BY priority, next_attempt_at, id`,
      );
      // TOP (@limit) parses only by luck (as a function TOP aliased "id"); TOP (1) checks the rest for real.
      assert.equal(parseError(S.claimPick.replace('TOP (@limit)', 'TOP (1)')), undefined);
      assert.ok(flat(S.claimTake).startsWith("UPDATE outbox SET lease_owner = @owner, lease_until = @until, attempts = attempts + 1 WHERE id IN (SELECT v FROM OPENJSON(@ids) WITH (v INT '$'))"));
      assert.ok(flat(S.claimTake).endsWith(`AND ${due}`), 'the lease is taken only on rows still due');
      assert.ok(flat(S.claimRead).endsWith('AND lease_owner = @owner AND lease_until = @until ORDER BY priority, next_attempt_at, id'));
    });

    it('finds settled routing without its follow-up as SQLite does, newest first (parse-checked with TOP (1))', () => {
      assert.equal(parseError(S.settledWithoutFollowUp.replace('TOP (@limit)', 'TOP (1)')), undefined);
      const f = flat(S.settledWithoutFollowUp);
      assert.ok(f.includes("p.purpose = @purpose AND p.state = N'pending')"), 'no routing row still pending');
      assert.ok(f.includes('f.purpose = @followUp)'), 'no follow-up yet');
      assert.ok(f.endsWith('GROUP BY o.entity_ref ORDER BY MAX(o.finished_at) DESC, o.entity_ref'));
    });

    it('clears only finished cards, a bounded batch at a time, as SQLite does', () => {
      assert.equal(parseError(S.clearFinishedCards.replace('TOP (@limit)', 'TOP (1)')), undefined);
      assert.ok(flat(S.clearFinishedCards).includes("WHERE state <> N'pending' AND finished_at < @before AND card_json <> N'' ORDER BY id)"));
    });

    it('records outcomes, retries and renewals only while the owner holds a pending row', () => {
      for (const key of ['finish', 'retryLater', 'renew', 'releaseAll'] as const) assert.ok(flat(S[key]).endsWith(held), key);
      assert.ok(flat(S.finish).includes('WHERE id = @id AND'));
      assert.ok(flat(S.retryLater).includes('lease_owner = NULL, lease_until = NULL'));
    });

    it('reads a rate-limit bucket under an update lock (a key-range lock when it has no row yet)', () => {
      assert.equal(flat(S.bucketLock), 'SELECT tokens, updated_at FROM rate_limits WITH (UPDLOCK, HOLDLOCK) WHERE bucket_key = @key');
    });

    it('migration 10 indexes the same columns as SQLite\'s, and keeps priority a small integer', () => {
      const indexes = (ms: readonly Migration[]) =>
        (ms.find((m) => m.version === 10)?.statements ?? [])
          .map((t) => /^CREATE (UNIQUE )?INDEX (\w+) ON (\w+) \(([^)]*)\)/.exec(flat(t)))
          .filter((m) => m !== null)
          .map((m) => `${m[1] ?? ''}${m[2]} ${m[3]} (${m[4]})`);
      assert.deepEqual(indexes(mssqlMigrations), indexes(sqliteMigrations));
      assert.ok(indexes(mssqlMigrations).includes('ix_outbox_due outbox (state, priority, next_attempt_at)'));
      assert.ok(indexes(mssqlMigrations).includes('UNIQUE uq_outbox_key outbox (message_key)'));
      const table = mssqlMigrations.find((m) => m.version === 10)!.statements.find((t) => /CREATE TABLE outbox\b/.test(t)) ?? '';
      assert.match(table, /^\s*priority TINYINT NOT NULL,/m);
      assert.match(table, /^\s*card_json NVARCHAR\(MAX\) NOT NULL,/m);
      assert.match(table, /^\s*id INT IDENTITY\(1, 1\) NOT NULL,/m);
    });
  });

  describe('status summary', () => {
    const S = MSSQL_STATUS_SQL;
    const flat = (t: string) => normalise(t);
    const unitList = jsonList('unitIds', 200);

    it('parses unreachableList with TOP (1) in place of TOP (@limit), which the grammar cannot read', () => {
      assert.ok(S.unreachableList.includes('SELECT TOP (@limit) '));
      assert.equal(parseError(S.unreachableList.replace('TOP (@limit)', 'TOP (1)')), undefined);
    });

    it('takes no range or update locks in counts and unreachable: they read in a SNAPSHOT transaction or plainly', () => {
      for (const [key, text] of Object.entries(S)) {
        if (key === 'deliveryFailureInsert') continue;
        const reads = [...text.matchAll(/\b(?:FROM|JOIN)\s+(\w+)/gi)].filter((m) => m[1] !== 'OPENJSON');
        assert.ok(reads.length > 0, key);
        assert.doesNotMatch(text, /\b(?:SERIALIZABLE|HOLDLOCK|UPDLOCK|TABLOCK|REPEATABLEREAD)\b/i, `${key} takes locks a status read must not hold`);
      }
    });

    it('counts open casework items without a stored deadline per unit ("kan inte bedömas"), as SQLite does', () => {
      assert.equal(
        flat(S.countCaseworkUnjudgeable),
        `SELECT unit_id AS unitId, COUNT(*) AS count FROM casework_items WHERE status = N'oppen' AND unit_id ${unitList} AND due_on IS NULL GROUP BY unit_id`,
      );
      assert.equal(parseError(S.countCaseworkUnjudgeable), undefined);
    });

    it('takes units from a JSON list, and compares ISO days as DATE', () => {
      for (const [key, text] of Object.entries(S)) {
        if (key === 'deliveryFailureInsert') continue;
        assert.ok(flat(text).includes(unitList), `${key} does not take @unitIds through OPENJSON`);
      }
      assert.ok(flat(S.countFilings).includes('f.filed_on >= CONVERT(DATE, @fromDay, 23) AND f.filed_on < CONVERT(DATE, @toDay, 23)'));
      // Two disjoint parts (as SQLite's SQLITE_CASEWORK_COUNTS_SQL): due up to @until, and the urgent types due after it.
      assert.ok(flat(S.countCasework).includes(
        `AND due_on <= CONVERT(DATE, @until, 23) AND (stops_on IS NULL OR stops_on > CONVERT(DATE, @today, 23)) GROUP BY unit_id, item_type UNION ALL`,
      ));
      assert.ok(flat(S.countCasework).includes(
        `WHERE status = N'oppen' AND item_type ${jsonList('urgentTypes', 100)} AND unit_id ${jsonList('unitIds', 200)} AND due_on > CONVERT(DATE, @until, 23) AND (stops_on IS NULL OR stops_on > CONVERT(DATE, @today, 23))`,
      ));
      assert.ok(flat(S.countOpenByState).includes("state IN (N'rapporterad', N'under-utredning', N'bedomd', N'anmald')"));
    });

    it('lists clock cases in bedömd or anmäld only, of all units or of a JSON list', () => {
      const all = flat(MSSQL_CASE_SQL.clockCaseList);
      const some = flat(MSSQL_CASE_SQL.clockCaseListForUnits);
      // Every decided or filed case runs a clock (the anmälan, the investigation at IVO or the closing): no further filter.
      assert.match(all, /WHERE r\.state IN \(N'bedomd', N'anmald'\) ORDER BY r\.id$/);
      assert.equal(some.replace(` AND r.unit_id ${jsonList('unitIds', 200)}`, ''), all);
    });

    it('lists unassessed reports in exactly the states without a decision, of all units or of a JSON list (the assessment clock)', () => {
      const all = flat(MSSQL_CASE_SQL.unassessedCaseList);
      const some = flat(MSSQL_CASE_SQL.unassessedCaseListForUnits);
      assert.ok(all.includes(`WHERE r.state IN (${UNASSESSED_STATES.map((s) => `N'${s}'`).join(', ')})`), all);
      assert.equal(some.replace(` AND r.unit_id ${jsonList('unitIds', 200)}`, ''), all);
      // Nothing to join (no decision yet): the (state, unit_id) index finds the rows by itself.
      assert.doesNotMatch(all, /\bJOIN\b/);
      assert.ok(all.includes('r.urgent, r.created_at'));
      assert.match(all, /ORDER BY r\.id$/);
    });

    it('lists reviews of the units and weeks in JSON lists, by unit then week', () => {
      const list = flat(MSSQL_CASE_SQL.reviewList);
      assert.ok(list.includes(`unit_id ${jsonList('unitIds', 200)}`));
      assert.ok(list.includes(`week_key ${jsonList('weekKeys', 20)}`));
      assert.match(list, /ORDER BY unit_id, week_key$/);
    });

    it('migration 8 indexes the same columns as SQLite\'s and drops the index it replaces', () => {
      const indexes = (ms: readonly Migration[]) =>
        (ms.find((m) => m.version === 8)?.statements ?? [])
          .map((t) => /^CREATE INDEX (\w+) ON (\w+) \(([^)]*)\)/.exec(flat(t)))
          .filter((m) => m !== null)
          .map((m) => `${m[1]} ${m[2]} (${m[3]})`);
      assert.deepEqual(indexes(mssqlMigrations), indexes(sqliteMigrations));
      assert.ok(mssqlMigrations.find((m) => m.version === 8)?.statements.includes('DROP INDEX ix_casework_unit_status ON casework_items'));
    });
  });

  describe('casework register', () => {
    const S = MSSQL_CASEWORK_SQL;
    const dateColumns = Object.values(CASEWORK_DATE_COLUMNS);
    /** The stored deadline (migration 8): written, compared and read like the other dates. */
    const deadlineColumns = ['due_on', 'stops_on'];
    /** Column names and declared types of a CREATE TABLE text, in order. */
    const declaredColumns = (text: string) =>
      [...text.matchAll(/^\s*(\w+)\s+(NVARCHAR\(\d+\)|TINYINT|INT|BIT|DATE|DATETIME2\(3\))(?=[\s,])/gim)].map((m) => [m[1]!, m[2]!] as const);
    const migrationText = mssqlMigrations.flatMap((m) => m.statements);
    const itemsTable = migrationText.find((t) => /CREATE TABLE casework_items\b/.test(t)) ?? '';
    /** casework_items' columns in table order: those it was created with, then those later migrations added. */
    it('reads investigation history with a seek on the source, and leaves matching reference keys to the JavaScript key (as SQLite does)', () => {
      const f = normalise(S.firstOpenings);
      assert.match(f, /WHERE source = @source AND item_type = N'barnavardsutredning' AND utredning_inledd IS NOT NULL$/);
      // No collation compares as caseReferenceKey does, and a COLLATE on the column rules out a seek on it.
      assert.doesNotMatch(f, /COLLATE|OPENJSON|@refs/);
      assert.ok(f.includes('new_investigation AS ny'));
    });

    const itemColumns = [
      ...declaredColumns(itemsTable),
      ...migrationText.flatMap((t) => [...t.matchAll(/^ALTER TABLE casework_items ADD (\w+) (NVARCHAR\(\d+\)|INT|BIT|DATE|DATETIME2\(3\))[\s,]/gm)].map((m) => [m[1]!, m[2]!] as const)),
    ];
    /** "name TYPE NULL|NOT NULL" of bulk-load columns, as the mssql types describe themselves. */
    const loadedColumns = (columns: ReturnType<typeof caseworkImportColumns>) =>
      columns.map(([name, type, nullable]) => {
        const t = type as unknown as { type: { declaration: string }; length?: number };
        return `${name} ${t.type.declaration.toUpperCase()}${t.length !== undefined ? `(${t.length})` : ''} ${nullable ? 'NULL' : 'NOT NULL'}`;
      });
    /** The same for a temp table's CREATE TABLE text. */
    const tempTableColumns = (text: string) =>
      declaredColumns(text).map(([name, type]) => {
        const line = new RegExp(`^\\s*${name}\\s+${type.replace(/[()]/g, '\\$&')}[^,\\n]*`, 'm').exec(text)![0];
        return `${name} ${type} ${/\bNOT NULL\b/.test(line) ? 'NOT NULL' : 'NULL'}`;
      });

    it('creates and drops the temp table that importItems bulk-loads, with exactly the columns it loads', () => {
      assert.match(S.importCreateTempTable, new RegExp(`CREATE TABLE ${MSSQL_CASEWORK_TEMP_TABLE} \\(`));
      assert.ok(S.importDropTempTable.includes(MSSQL_CASEWORK_TEMP_TABLE));
      assert.deepEqual(loadedColumns(caseworkImportColumns()), tempTableColumns(S.importCreateTempTable));
    });

    it('creates and drops the temp table that setDeadlines bulk-loads, with exactly the columns it loads', () => {
      assert.match(S.deadlinesCreateTempTable, new RegExp(`CREATE TABLE ${MSSQL_CASEWORK_DEADLINES_TEMP_TABLE} \\(`));
      assert.ok(S.deadlinesDropTempTable.includes(MSSQL_CASEWORK_DEADLINES_TEMP_TABLE));
      assert.ok(S.deadlinesUpdate.includes(`INNER JOIN ${MSSQL_CASEWORK_DEADLINES_TEMP_TABLE} AS s ON s.id = i.id`));
      assert.deepEqual(loadedColumns(caseworkDeadlineColumns()), tempTableColumns(S.deadlinesCreateTempTable));
    });

    it('stores every date as DATE and reads and writes every date column', () => {
      const types = new Map(itemColumns);
      for (const c of [...dateColumns, ...deadlineColumns]) assert.equal(types.get(c), 'DATE', c);
      for (const key of ['importUpdateChanged', 'importUpdateRepeated'] as const) {
        for (const c of [...dateColumns, ...deadlineColumns]) assert.ok(S[key].includes(`${c} = CONVERT(DATE, s.${c}, 23)`), `${key} does not write ${c}`);
      }
      for (const c of [...dateColumns, ...deadlineColumns]) {
        assert.ok(S.importUpdateChanged.includes(`i.${c} <> CONVERT(DATE, s.${c}, 23)`), `importUpdateChanged does not compare ${c}`);
        assert.ok(S.importUpdateChanged.includes(`(i.${c} IS NULL AND s.${c} IS NOT NULL) OR (i.${c} IS NOT NULL AND s.${c} IS NULL)`), `${c}: no NULL-safe compare`);
        assert.ok(S.importInsertNew.includes(`CONVERT(DATE, s.${c}, 23)`), `importInsertNew does not write ${c}`);
        for (const read of ['listOpen', 'listOpenForUnits', 'openWithoutDeadline'] as const) {
          assert.ok(S[read].includes(`CONVERT(NVARCHAR(10), ${c}, 23) AS ${c}`), `${read} does not read ${c}`);
        }
      }
      for (const c of deadlineColumns) assert.ok(S.deadlinesUpdate.includes(`${c} = CONVERT(DATE, s.${c}, 23)`), `deadlinesUpdate does not write ${c}`);
    });

    it('compares every text column exactly (trailing spaces too) and NULL-safely where it may be NULL', () => {
      for (const c of ['unit_id', 'status', 'handlaggare', 'insats']) {
        assert.ok(S.importUpdateChanged.includes(`i.${c} <> s.${c} OR DATALENGTH(i.${c}) <> DATALENGTH(s.${c})`), c);
      }
      // (reference, type, opening) is the key since migration 12: matched, not compared.
      for (const key of ['importUpdateChanged', 'importUpdateRepeated', 'importInsertNew', 'importCloseMissing'] as const) {
        assert.ok(S[key].includes('s.case_reference = i.case_reference AND s.item_type = i.item_type AND s.opening_key = i.opening_key'), key);
      }
      assert.ok(S.importUpdateChanged.includes('(i.handlaggare IS NULL AND s.handlaggare IS NOT NULL) OR (i.handlaggare IS NOT NULL AND s.handlaggare IS NULL)'));
    });

    it('moves a corrected opening to the file\'s key before anything compares on the key', () => {
      assert.ok(S.importRenameCorrected.includes('s.replaces_opening_key = i.opening_key'));
      const source = readFileSync(path.join(__dirname, '..', '..', 'src/store/mssql/mssql-casework.ts'), 'utf8');
      const rename = source.indexOf('query(S.importRenameCorrected)');
      assert.ok(rename > 0 && rename < source.indexOf('MSSQL_CASEWORK_SQL.importUpdateChanged);'), 'importRenameCorrected runs before importUpdateChanged');
    });

    it('serialises imports per source with an application lock, not a lock over the source\'s rows', () => {
      assert.match(S.importLockSource, /sp_getapplock @Resource = @resource, @LockMode = 'Exclusive', @LockOwner = 'Transaction'/);
      // The return code, not APPLOCK_MODE: only it tells -3 (deadlock victim, retried) from -1 (timed out).
      assert.match(normalise(S.importLockSource), /^DECLARE @result INT; EXEC @result = sys\.sp_getapplock .*; SELECT @result AS result$/);
      const source = readFileSync(path.join(__dirname, '..', '..', 'src/store/mssql/mssql-casework.ts'), 'utf8');
      const importItems = source.slice(source.indexOf('async importItems('), source.indexOf('async listOpen('));
      assert.match(importItems, /\.query<\{ result: number \}>\(S\.importLockSource\);\s*\/\/[^\n]*\n\s*needApplock\(lock\.recordset\[0\]\?\.result, resource,/);
      assert.match(importItems, /\{ retryDeadlocks: true, long: true \}/, 'a deadlock victim is run again');
      for (const text of Object.values(S)) assert.doesNotMatch(text, /UPDLOCK|HOLDLOCK/);
    });

    it('writes the same columns in the insert as the table has', () => {
      // The review's ranks (migration 20) are computed after the import, by the review: never written by it.
      const tableColumns = itemColumns.map(([name]) => name).filter((n) => n !== 'id' && !n.startsWith('review_'));
      const insertColumns = /INSERT INTO casework_items \(([^)]*)\)/.exec(S.importInsertNew)![1]!.split(',').map((c) => c.trim());
      assert.deepEqual(insertColumns, tableColumns);
    });

    it('migration 13 turns lock escalation off on casework_items (an import writing 5,000 rows would X-lock the table), SQLite\'s is empty', () => {
      assert.deepEqual(mssqlMigrations.find((m) => m.version === 13)?.statements.map(normalise), ['ALTER TABLE casework_items SET (LOCK_ESCALATION = DISABLE)']);
      assert.deepEqual(sqliteMigrations.find((m) => m.version === 13)?.statements, []);
      const settings = mssqlMigrations.flatMap((m) => m.statements).flatMap((t) => [...t.matchAll(/casework_items SET \(LOCK_ESCALATION = (\w+)\)/g)].map((m) => m[1]));
      assert.equal(settings.at(-1), 'DISABLE', 'a later migration that lets it escalate for its length turns it off again');
      const header = readFileSync(path.join(__dirname, '..', '..', 'src/store/mssql/mssql-casework.ts'), 'utf8').split('*/')[0]!;
      assert.match(header, /lock escalation is disabled on casework_items \(migration 13\)/);
    });

    it('lists open items without a stored deadline by id, at most @limit', () => {
      const text = normalise(S.openWithoutDeadline);
      assert.match(text, /^SELECT TOP \(@limit\) id, /);
      assert.match(text, /FROM casework_items WHERE status = N'oppen' AND due_on IS NULL ORDER BY id$/);
    });
  });
});

describe('SQL Server adapter (no server needed)', () => {
  it('refuses an empty connection string with a hint', async () => {
    await assert.rejects(MssqlStore.open({ connectionString: '  ' }), /MSSQL_CONNECTION_STRING/);
  });

  describe('health (driven through a fake pool)', () => {
    /** A pool whose requests answer the health probes; records the SQL and the @table it was given. */
    const fakeStore = (answer: { tableId: number | null; defaultSchema: string | null; version?: number }, schema = 'lexsarah') => {
      const asked: { text: string; table?: unknown }[] = [];
      const request = () => {
        const inputs: Record<string, unknown> = {};
        const req = {
          input: (name: string, _type: unknown, value: unknown) => ((inputs[name] = value), req),
          query: async (text: string) => {
            asked.push({ text, table: inputs.table });
            if (text === MSSQL_SQL.healthMigrationsTable) return { recordset: [{ table_id: answer.tableId, defaultSchema: answer.defaultSchema }] };
            if (text === MSSQL_SQL.healthSchemaVersion) return { recordset: [{ version: answer.version ?? 0 }] };
            throw new Error(`unexpected SQL: ${text}`);
          },
        };
        return req;
      };
      const pool = { request } as unknown as import('mssql').ConnectionPool;
      const db = new Db(pool, [], mssqlTimeouts(undefined, undefined));
      const Ctor = MssqlStore as unknown as new (db: Db, migrations: readonly Migration[], schema: string) => MssqlStore;
      return { store: new Ctor(db, mssqlMigrations, schema), asked };
    };
    const latest = Math.max(...mssqlMigrations.map((m) => m.version));

    it('reads the version from the bot\'s own schema_migrations, looked up by its schema-qualified name', async () => {
      const { store, asked } = fakeStore({ tableId: 7, defaultSchema: 'lexsarah', version: latest });
      assert.deepEqual(await store.health(), { reachable: true, schemaVersion: latest, expectedVersion: latest });
      assert.equal(asked[0]!.table, '[lexsarah].[schema_migrations]');
    });

    it('is not ready, naming the fix, when the login\'s default schema changed while the bot runs', async () => {
      const { store, asked } = fakeStore({ tableId: 7, defaultSchema: 'dbo', version: latest });
      const h = await store.health();
      assert.equal(h.schemaVersion, 0, 'not the version of whatever schema_migrations the one-part name now finds');
      assert.match(h.error ?? '', /default schema is \[dbo\], not \[lexsarah\] \(MSSQL_SCHEMA\).*ALTER USER .* WITH DEFAULT_SCHEMA = \[lexsarah\]/);
      assert.deepEqual(asked.map((a) => a.text), [MSSQL_SQL.healthMigrationsTable], 'schema_migrations itself is not read');
    });

    it('reports version 0 while the bot\'s schema has no schema_migrations yet', async () => {
      const { store } = fakeStore({ tableId: null, defaultSchema: 'lexsarah' });
      assert.deepEqual(await store.health(), { reachable: true, schemaVersion: 0, expectedVersion: latest });
    });
  });

  it('refuses a long-work pool size that is not a whole number of at least 1, before connecting', async () => {
    const connectionString = 'Server=tcp:127.0.0.1,1;Database=lexsarah;User Id=bot;Password=x;Encrypt=false';
    for (const longPoolMax of [0, 1.5, -1]) {
      await assert.rejects(MssqlStore.open({ connectionString, longPoolMax, connectRetryMs: 0 }), /long-work pool size must be a whole number of at least 1/);
    }
  });

  it('hands the long-work pool size from the settings (MSSQL_LONG_POOL_MAX) to the adapter', async () => {
    const { openStore } = await import('../../src/store/open-store.js');
    const connectionString = 'Server=tcp:127.0.0.1,1;Database=lexsarah;User Id=bot;Password=x;Encrypt=false';
    // Refused before any connect: proof the value got through (a value from the settings is never 0).
    await assert.rejects(openStore({ kind: 'mssql', connectionString, longPoolMax: 0, connectRetryMs: 0 }), /long-work pool size must be a whole number of at least 1/);
  });

  it('keeps trying a refused connect (a server starting, a serverless database resuming) until the retry time is up', async function () {
    this.timeout(30_000);
    const connectionString = 'Server=tcp:127.0.0.1,1;Database=lexsarah;User Id=bot;Password=x;Encrypt=false;Connect Timeout=5';
    await assert.rejects(MssqlStore.open({ connectionString, connectRetryMs: 2500 }), (err: unknown) => {
      assert.ok(err instanceof Error);
      const attempts = Number(/\((\d+) attempts over \d+ s\)/.exec(err.message)?.[1] ?? 1);
      assert.ok(attempts >= 2, `tried ${attempts} time(s): ${err.message}`);
      return true;
    });
  });

  it('says what to check when it cannot connect, without echoing the password', async function () {
    this.timeout(30_000);
    const password = 'S3cret-Pa55word!';
    // Port 1 on the loopback interface refuses at once; nothing listens there.
    const connectionString = `Server=tcp:127.0.0.1,1;Database=lexsarah;User Id=bot;Password=${password};Encrypt=false;Connect Timeout=5`;
    await assert.rejects(MssqlStore.open({ connectionString, connectRetryMs: 0 }), (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.ok(!err.message.includes(password), `the password leaked: ${err.message}`);
      assert.match(err.message, /127\.0\.0\.1:1/);
      assert.match(err.message, /lexsarah/);
      assert.match(err.message, /MSSQL_CONNECTION_STRING/);
      assert.match(err.message, /reachable/);
      assert.match(err.message, /firewall/);
      assert.match(err.message, /password|credentials/i);
      return true;
    });
  });
});

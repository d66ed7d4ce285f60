import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  CSV_COLUMNS,
  caseworkOpeningKey,
  csvColumnsMarkdownTable,
  parseCaseworkCsv,
  type CaseworkCsvOptions,
  type CaseworkCsvResult,
  type CsvImportError,
} from '../../src/casework/csv';
import { CASEWORK_RULES, ITEM_TYPES, ITEM_TYPE_TITLES, computeClock } from '../../src/casework/rules';

const ROOT = path.resolve(__dirname, '../..');
const UNITS = ['bou-mottagning', 'bou-familjehem', 'vuxenenheten'];
const OPTS: CaseworkCsvOptions = { source: 'test-export', unitIds: UNITS };

// Test numbers only (Skatteverket-style, as in test/privacy): a personnummer in 10 and 12 digits
// and a samordningsnummer (day + 60).
const PNR_10 = '850709-9805';
const PNR_12 = '198507099805';
const SAMORDNING = '850769-9802';

const VERKSTALLT_ORDER =
  'verkställt_anmält_ivo måste vara samma dag som eller efter verkställt_datum: IVO kan inte ha fått veta att beslutet verkställts innan det verkställdes. Bara när verkställigheten avbrutits (avbrott) kan anmälan gälla en tidigare verkställighet och ligga före.';

const NON_ASCII_DIGITS = 'Ärendereferensen får bara innehålla siffrorna 0–9, inte siffror från andra skriftsystem eller i full bredd. Skriv om siffrorna och importera filen igen.';

const HEADER = ['ärendereferens', 'typ', 'enhet', 'handläggare', 'status', 'orosanmälan_mottagen', 'utredning_inledd', 'förlängning_beslutad', 'förlängd_till'];

/** A file from rows of cells, quoting a cell when it needs it. */
function csv(rows: string[][], delimiter = ';', eol = '\n'): string {
  const quote = (cell: string) => (/["\r\n]/.test(cell) || cell.includes(delimiter) ? `"${cell.replace(/"/g, '""')}"` : cell);
  return rows.map((r) => r.map(quote).join(delimiter)).join(eol) + eol;
}

function errorsOf(result: CaseworkCsvResult): CsvImportError[] {
  assert.equal(result.ok, false, 'expected the import to fail');
  return result.ok ? [] : result.errors;
}

function itemsOf(result: CaseworkCsvResult) {
  if (!result.ok) assert.fail(`expected success, got ${JSON.stringify(result.errors)}`);
  return result.items;
}

const GOOD: string[][] = [
  HEADER,
  ['BoU 2026/101', 'forhandsbedomning', 'bou-mottagning', 'meganb@exempelby.example', 'öppen', '2026-11-12', '', '', ''],
  ['BoU 2026/102', 'barnavardsutredning', 'bou-mottagning', '', '', '2026-07-01', '2026-07-10', '2026-10-30', '2026-12-10'],
  ['VE 2026/7', 'forhandsbedomning', 'vuxenenheten', '00000000-0000-0000-0000-0000000000021', 'avslutad', '2026-11-01', '', '', ''],
];

describe('casework CSV import', () => {
  describe('columns', () => {
    it('CSV_COLUMNS: unique names, exactly three required, every clock start field has a column', () => {
      const names = CSV_COLUMNS.map((c) => c.name);
      assert.equal(new Set(names).size, names.length);
      assert.deepEqual(CSV_COLUMNS.filter((c) => c.required).map((c) => c.name), ['ärendereferens', 'typ', 'enhet']);
      const fields = new Set<string>(CSV_COLUMNS.map((c) => c.field));
      // Every date a rule reads is imported (#17: none is left waiting for a column).
      for (const rule of CASEWORK_RULES) {
        const read = [
          ...rule.from, rule.extension?.decided, rule.extension?.until, rule.extension?.previousUntil, rule.courtExtension?.requested, rule.courtExtension?.until,
          rule.stopsWhen, rule.restartsWhen, rule.notice?.field, rule.notice?.reported,
        ];
        for (const f of read) if (f && f !== 'forstaInledd') assert.ok(fields.has(f), f);
      }
      assert.ok(fields.has('ingenTidigareForlangning'));
      assert.deepEqual(CSV_COLUMNS.find((c) => c.name === 'lvu_beslut')?.startsClockFor, ['omprovning-lvu3', 'omedelbart-omhandertagande', 'flyttningsforbud']);
    });

    it('the Markdown table has a row per column', () => {
      const table = csvColumnsMarkdownTable().split('\n');
      assert.equal(table.length, CSV_COLUMNS.length + 2);
      assert.match(table[2] ?? '', /^\| `ärendereferens` \| ja \|/);
    });

    it("README's column table is the generated one (the import section stays in step with CSV_COLUMNS)", () => {
      const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
      assert.ok(readme.includes(`\n${csvColumnsMarkdownTable()}\n`), 'README.md: replace the casework column table with csvColumnsMarkdownTable()');
    });
  });

  describe('reading the file', () => {
    it('reads a ";" file into items with source and line', () => {
      const items = itemsOf(parseCaseworkCsv(csv(GOOD), OPTS));
      assert.equal(items.length, 3);
      assert.deepEqual(items[0], {
        source: 'test-export',
        line: 2,
        caseReference: 'BoU 2026/101',
        type: 'forhandsbedomning',
        unitId: 'bou-mottagning',
        handlaggare: 'meganb@exempelby.example',
        status: 'oppen',
        orosanmalanMottagen: '2026-11-12',
      });
      assert.equal(items[1]?.status, 'oppen'); // empty status = öppen
      assert.equal(items[1]?.forlangdTill, '2026-12-10');
      assert.equal(items[2]?.status, 'avslutad');
    });

    it('"," and ";" give the same items; CRLF and a BOM (text or bytes) change nothing', () => {
      const expected = itemsOf(parseCaseworkCsv(csv(GOOD), OPTS));
      const variants: [string, string | Uint8Array][] = [
        ['comma', csv(GOOD, ',')],
        ['CRLF', csv(GOOD, ';', '\r\n')],
        ['BOM in text', `\uFEFF${csv(GOOD)}`],
        ['BOM in bytes', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(GOOD, ',', '\r\n'), 'utf8')])],
        ['no final line break', csv(GOOD).trimEnd()],
      ];
      for (const [name, input] of variants) assert.deepEqual(itemsOf(parseCaseworkCsv(input, OPTS)), expected, name);
    });

    it('header names: any case, surrounding spaces, a space for "_"; unknown columns are ignored and listed', () => {
      const header = [' ÄRENDEREFERENS ', 'Typ', 'Enhet', 'Orosanmälan mottagen', 'Kommentar'];
      const result = parseCaseworkCsv(csv([header, ['BoU 2026/1', 'forhandsbedomning', 'bou-mottagning', '2026-11-12', 'ringer tisdag']]), OPTS);
      assert.equal(itemsOf(result)[0]?.orosanmalanMottagen, '2026-11-12');
      assert.deepEqual(result.ok && result.ignoredColumns, ['Kommentar']);
    });

    it('quoted fields with the delimiter and line breaks: values intact, later line numbers still right', () => {
      const header = [...HEADER, 'anteckning'];
      const rows = [
        header,
        ['BoU 2026/1', 'forhandsbedomning', 'bou-mottagning', '', '', '2026-11-12', '', '', '', 'rad ett;\nrad två\r\nrad tre "citat"'], // lines 2–4
        ['BoU 2026/2', 'forhandsbedomning', 'bou-mottagning', '', '', '2026-11-13', '', '', '', ''], // line 5
        ['BoU 2026/3', 'forhandsbedomning', 'bou-mottagning', '', '', '2026-13-01', '', '', '', ''], // line 6: bad date
      ];
      const text = csv(rows);
      assert.equal(text.split('\n')[5]?.startsWith('BoU 2026/3'), true, 'the bad row is on physical line 6');
      assert.deepEqual(errorsOf(parseCaseworkCsv(text, OPTS)), [{ line: 6, column: 'orosanmälan_mottagen', message: 'Datumet finns inte i kalendern.' }]);
      const ok = itemsOf(parseCaseworkCsv(csv(rows.slice(0, 3)), OPTS));
      assert.deepEqual(ok.map((i) => i.line), [2, 5]);
    });

    it('a "," file with a quoted Swedish title containing a comma', () => {
      const text = 'ärendereferens,typ,enhet,placering_start\nFH 2026/1,"Övervägande, LVU 2 §",bou-familjehem,2026-05-31\n';
      assert.equal(itemsOf(parseCaseworkCsv(text, OPTS))[0]?.type, 'overvagande-lvu2');
    });

    it('empty lines and lines of only delimiters are skipped, and do not shift line numbers', () => {
      const text = `${csv([HEADER])}\n;;;;;;;;\n${csv([['BoU 2026/1', 'okänd', 'bou-mottagning', '', '', '2026-11-12', '', '', '']])}`;
      assert.deepEqual(errorsOf(parseCaseworkCsv(text, OPTS)).map((e) => [e.line, e.column]), [[4, 'typ']]);
    });

    it('a row with a wrong number of fields is named, not guessed at', () => {
      const text = `${csv([HEADER])}BoU 2026/1;forhandsbedomning;bou-mottagning\n`;
      assert.deepEqual(errorsOf(parseCaseworkCsv(text, OPTS)), [{ line: 2, message: 'Raden har 3 fält men rubrikraden har 9 fält. Kontrollera skiljetecken och citattecken.' }]);
      // Trailing empty fields beyond the header are fine (a trailing delimiter).
      assert.equal(itemsOf(parseCaseworkCsv(`${csv([HEADER])}BoU 2026/1;forhandsbedomning;bou-mottagning;;;2026-11-12;;;;;\n`, OPTS)).length, 1);
    });

    it('broken quoting is reported at the line where the row starts', () => {
      const text = `${csv(GOOD)}BoU 2026/9;forhandsbedomning;"bou-mottagning;;;2026-11-12;;;\n`;
      assert.deepEqual(errorsOf(parseCaseworkCsv(text, OPTS)), [{ line: 5, message: 'Ett citattecken (") öppnas på den här raden men stängs aldrig.' }]);
      const stray = `${csv(GOOD)}BoU 2026/9;forhand"sbedomning;bou-mottagning;;;2026-11-12;;;\n`;
      assert.equal(errorsOf(parseCaseworkCsv(stray, OPTS))[0]?.line, 5);
    });

    it('a file that is not UTF-8 (e.g. Windows-1252 from Excel) is named with its line', () => {
      const [headerLine, ...rest] = csv(GOOD).split('\n');
      // The header in UTF-8, the rows in Latin-1: the first bad byte is the "ö" of "öppen" on line 2.
      const latin1 = Buffer.concat([Buffer.from(`${headerLine}\n`, 'utf8'), Buffer.from(rest.join('\n'), 'latin1')]);
      assert.deepEqual(errorsOf(parseCaseworkCsv(latin1, OPTS)), [{ line: 2, message: 'Filen är inte sparad som UTF-8. Spara exporten som "CSV UTF-8" och försök igen.' }]);
    });

    it('an empty file', () => {
      assert.deepEqual(errorsOf(parseCaseworkCsv('\uFEFF \n', OPTS)), [{ line: 1, message: 'Filen är tom.' }]);
    });
  });

  describe('validation', () => {
    /** One good file with row 3 (line 3) replaced. */
    const withRow = (cells: string[], header: string[] = HEADER) => csv([header, GOOD[1]!, cells]);
    const row = (over: Partial<Record<(typeof HEADER)[number], string>>) => HEADER.map((h, i) => over[h] ?? GOOD[1]![i]!).map((v, i) => (i === 0 && !over[HEADER[0]!] ? 'BoU 2026/900' : v));

    it('an import with one bad row changes nothing and names the row and the column', () => {
      const rows = [...GOOD, ['BoU 2026/103', 'forhandsbedomning', 'bou-mottagning', '', '', '2026-02-30', '', '', '']];
      const result = parseCaseworkCsv(csv(rows), OPTS);
      assert.deepEqual(result, { ok: false, errors: [{ line: 5, column: 'orosanmälan_mottagen', message: 'Datumet finns inte i kalendern.' }] });
    });

    it('a missing required column is named on line 1 and nothing else is checked', () => {
      const header = HEADER.filter((h) => h !== 'enhet');
      const text = csv([header, ['BoU 2026/1', 'okänd', '', '', '2026-11-12', '', '', '']]);
      assert.deepEqual(errorsOf(parseCaseworkCsv(text, OPTS)), [{ line: 1, column: 'enhet', message: 'Kolumnen saknas i rubrikraden.' }]);
    });

    it('a column named twice is an error', () => {
      assert.deepEqual(errorsOf(parseCaseworkCsv(csv([[...HEADER, 'Typ'], [...GOOD[1]!, 'x']]), OPTS)), [{ line: 1, column: 'typ', message: 'Kolumnen finns mer än en gång i rubrikraden.' }]);
    });

    const table: [string, string[], Pick<CsvImportError, 'column' | 'message'>[]][] = [
      ['bad date: not a calendar day', row({ orosanmälan_mottagen: '2026-02-29' }), [{ column: 'orosanmälan_mottagen', message: 'Datumet finns inte i kalendern.' }]],
      ['bad date: wrong format', row({ orosanmälan_mottagen: '12/11/2026' }), [{ column: 'orosanmälan_mottagen', message: 'Datumet ska skrivas ÅÅÅÅ-MM-DD.' }]],
      ['bad date: no zero padding', row({ orosanmälan_mottagen: '2026-11-1' }), [{ column: 'orosanmälan_mottagen', message: 'Datumet ska skrivas ÅÅÅÅ-MM-DD.' }]],
      [
        'unknown type',
        row({ typ: 'hundärende' }),
        [{ column: 'typ', message: `Okänd typ. Använd någon av: ${ITEM_TYPES.join(', ')} (eller typens svenska benämning).` }],
      ],
      ['unknown unit', row({ enhet: 'solgarden' }), [{ column: 'enhet', message: 'Enheten finns inte bland organisationens enheter. Använd enhetens id från organisationsfilen.' }]],
      ['missing unit', row({ enhet: '' }), [{ column: 'enhet', message: 'Enhet saknas.' }]],
      ['missing type', row({ typ: '' }), [{ column: 'typ', message: 'Typ saknas.' }]],
      ['missing reference', ['', ...GOOD[1]!.slice(1)], [{ column: 'ärendereferens', message: 'Ärendereferensen saknas.' }]],
      [
        'reference with other characters',
        row({ ärendereferens: 'BoU_2026#1' }),
        [{ column: 'ärendereferens', message: 'Ärendereferensen får bara innehålla bokstäver, siffror, mellanslag och - / . :' }],
      ],
      ['reference too long', row({ ärendereferens: `BoU ${'1'.repeat(37)}` }), [{ column: 'ärendereferens', message: 'Ärendereferensen får vara högst 40 tecken.' }]],
      // Issue #11: only the digits 0–9; other digits would let a reference look unique while
      // it is not ("BoU ２０２６/1" is "BoU 2026/1") and are never what a case system exports.
      ['reference with fullwidth digits', row({ ärendereferens: 'BoU ２０２６/123' }), [{ column: 'ärendereferens', message: NON_ASCII_DIGITS }]],
      ['reference with Arabic-Indic digits', row({ ärendereferens: 'BoU \u0662\u0660\u0662\u0666/123' }), [{ column: 'ärendereferens', message: NON_ASCII_DIGITS }]],
      ['reference with Devanagari digits', row({ ärendereferens: 'BoU 2026/\u0967\u0968' }), [{ column: 'ärendereferens', message: NON_ASCII_DIGITS }]],
      ['reference with a superscript digit', row({ ärendereferens: 'BoU 2026/12³' }), [{ column: 'ärendereferens', message: 'Ärendereferensen får bara innehålla bokstäver, siffror, mellanslag och - / . :' }]],
      ['reference with a Roman numeral', row({ ärendereferens: 'BoU Ⅻ/2026' }), [{ column: 'ärendereferens', message: 'Ärendereferensen får bara innehålla bokstäver, siffror, mellanslag och - / . :' }]],
      ['bad handläggare', row({ handläggare: 'Megan Bowen' }), [{ column: 'handläggare', message: 'Handläggare ska vara ett Entra objekt-id (GUID) eller en e-postadress.' }]],
      ['bad status', row({ status: 'pågår' }), [{ column: 'status', message: 'Status ska vara öppen eller avslutad.' }]],
      [
        'the date the clock needs is missing',
        row({ typ: 'barnavardsutredning', orosanmälan_mottagen: '2026-11-01' }),
        [{ column: 'utredning_inledd', message: 'utredning_inledd måste vara ifyllt för typen Barnavårdsutredning.' }],
      ],
      [
        'förlängd_till without förlängning_beslutad',
        row({ typ: 'barnavardsutredning', utredning_inledd: '2026-07-10', förlängd_till: '2026-12-10' }),
        [{ column: 'förlängning_beslutad', message: 'förlängning_beslutad måste vara ifyllt när förlängd_till är ifyllt.' }],
      ],
      [
        'förlängning_beslutad without förlängd_till',
        row({ typ: 'barnavardsutredning', utredning_inledd: '2026-07-10', förlängning_beslutad: '2026-10-30' }),
        [{ column: 'förlängd_till', message: 'förlängd_till måste vara ifyllt när förlängning_beslutad är ifyllt (förlängning för viss tid).' }],
      ],
      [
        'förlängd_till not after utredning_inledd',
        row({ typ: 'barnavardsutredning', utredning_inledd: '2026-07-10', förlängning_beslutad: '2026-07-10', förlängd_till: '2026-07-10' }),
        [
          { column: 'förlängd_till', message: 'förlängd_till måste vara efter utredning_inledd.' },
          { column: 'förlängd_till', message: 'förlängd_till måste vara efter förlängning_beslutad.' },
        ],
      ],
      [
        'förlängning_beslutad before utredning_inledd',
        row({ typ: 'barnavardsutredning', utredning_inledd: '2026-07-10', förlängning_beslutad: '2026-07-09', förlängd_till: '2026-12-01' }),
        [{ column: 'förlängning_beslutad', message: 'förlängning_beslutad måste vara samma dag som eller efter utredning_inledd.' }],
      ],
      [
        'a start date before any rule',
        row({ orosanmälan_mottagen: '2012-12-31' }),
        [{ column: 'orosanmälan_mottagen', message: 'Det finns ingen regel för Förhandsbedömning efter orosanmälan som gällde det datumet; kontrollera datumet.' }],
      ],
      [
        'several errors on one row are all listed, in column order',
        row({ typ: 'okänd', enhet: 'okänd', orosanmälan_mottagen: '2026-1-1' }),
        [
          { column: 'typ', message: `Okänd typ. Använd någon av: ${ITEM_TYPES.join(', ')} (eller typens svenska benämning).` },
          { column: 'enhet', message: 'Enheten finns inte bland organisationens enheter. Använd enhetens id från organisationsfilen.' },
          { column: 'orosanmälan_mottagen', message: 'Datumet ska skrivas ÅÅÅÅ-MM-DD.' },
        ],
      ],
    ];
    for (const [name, cells, expected] of table) {
      it(name, () => {
        const errors = errorsOf(parseCaseworkCsv(withRow(cells), OPTS));
        assert.deepEqual(errors, expected.map((e) => ({ line: 3, ...e })));
      });
    }

    it('a row typed "Ej verkställd dom" is a judgment even with domstol empty, and a contradiction is refused', () => {
      const header = ['ärendereferens', 'typ', 'enhet', 'beslutsdatum', 'domstol'];
      const ok = parseCaseworkCsv(csv([header, ['D 1', 'Ej verkställd dom', 'vuxenenheten', '2026-11-01', ''], ['D 2', 'Ej verkställt beslut', 'vuxenenheten', '2026-11-01', '']]), OPTS);
      assert.ok(ok.ok);
      if (ok.ok) assert.deepEqual(ok.items.map((i) => [i.caseReference, i.type, !!i.domstol]), [['D 1', 'ej-verkstallt-beslut', true], ['D 2', 'ej-verkstallt-beslut', false]]);
      const contradiction = parseCaseworkCsv(csv([header, ['D 3', 'ej verkstalld dom', 'vuxenenheten', '2026-11-01', 'nej']]), OPTS);
      assert.deepEqual(errorsOf(contradiction).map((e) => [e.line, e.column]), [[2, 'domstol']]);
    });

    it('the start date each type needs (one of several for övervägande and omprövning)', () => {
      const header = ['ärendereferens', 'typ', 'enhet', 'placering_start', 'senaste_övervägande', 'lvu_beslut', 'senaste_omprövning', 'beslutsdatum', 'verkställt_datum'];
      const rows = [
        header,
        ['A 1', 'overvagande-sol', 'bou-familjehem', '', '2026-06-01', '', '', '', ''], // ok: the last övervägande suffices
        ['A 2', 'overvagande-lvu2', 'bou-familjehem', '', '', '', '', '', ''],
        ['A 3', 'omprovning-lvu3', 'bou-familjehem', '', '', '', '2026-06-01', '', ''], // ok
        ['A 4', 'omedelbart-omhandertagande', 'bou-mottagning', '', '', '', '', '', ''],
        ['A 5', 'ej-verkstallt-beslut', 'vuxenenheten', '', '', '', '', '', '2026-11-01'],
        ['A 6', 'ej-verkstallt-beslut', 'vuxenenheten', '', '', '', '', '2026-11-02', '2026-11-01'],
        ['A 7', 'overvagande-sol', 'bou-familjehem', '2026-06-02', '2026-06-01', '', '', '', ''],
      ];
      assert.deepEqual(
        errorsOf(parseCaseworkCsv(csv(rows), OPTS)).map((e) => [e.line, e.column, e.message]),
        [
          [3, 'senaste_övervägande', 'senaste_övervägande eller placering_start måste vara ifyllt för typen Övervägande, LVU 2 §.'],
          [5, 'lvu_beslut', 'lvu_beslut måste vara ifyllt för typen Omedelbart omhändertagande, LVU 6 §.'],
          [6, 'beslutsdatum', 'beslutsdatum måste vara ifyllt för typen Ej verkställt beslut.'],
          [7, 'verkställt_datum', 'verkställt_datum måste vara samma dag som eller efter beslutsdatum.'],
          [8, 'senaste_övervägande', 'senaste_övervägande måste vara samma dag som eller efter placering_start.'],
        ],
      );
    });

    it('the start date each added clock needs, named by its column (never its value)', () => {
      const header = ['ärendereferens', 'typ', 'enhet', 'orosanmälan_mottagen', 'placering_start', 'senaste_övervägande', 'beslutsdatum', 'förlängning_beslutad', 'förlängd_till'];
      const rows = [
        header,
        ['N 1', 'Skyddsbedömning', 'bou-mottagning', '', '', '', '', '', ''],
        ['N 2', 'Vårdnadsöverflyttning', 'bou-familjehem', '', '', '', '', '', ''],
        ['N 3', 'Vårdplan', 'bou-familjehem', '', '', '', '', '', ''],
        ['N 4', 'Jourhem', 'bou-familjehem', '', '', '', '', '', ''],
        ['N 5', 'Uppföljning', 'bou-mottagning', '', '', '', '', '', ''],
        ['N 6', 'Jourhem', 'bou-familjehem', '', '', '', '2026-09-30', '2026-11-20', ''],
        ['N 7', 'Skyddsbedömning', 'bou-mottagning', '2012-12-31', '', '', '', '', ''],
        ['N 8', 'Vårdnadsöverflyttning', 'bou-familjehem', '', '2026-06-02', '2026-06-01', '', '', ''],
      ];
      const errors = errorsOf(parseCaseworkCsv(csv(rows), OPTS));
      assert.deepEqual(errors.map((e) => [e.line, e.column, e.message]), [
        [2, 'orosanmälan_mottagen', 'orosanmälan_mottagen måste vara ifyllt för typen Omedelbar skyddsbedömning efter orosanmälan.'],
        [3, 'placering_start', 'placering_start eller senaste_övervägande måste vara ifyllt för typen Övervägande om vårdnadsöverflyttning.'],
        [4, 'placering_start', 'placering_start måste vara ifyllt för typen Första revidering av vårdplan.'],
        [5, 'beslutsdatum', 'beslutsdatum måste vara ifyllt för typen Jourhemsplacering efter avslutad utredning.'],
        [6, 'beslutsdatum', 'beslutsdatum måste vara ifyllt för typen Uppföljning efter avslutad utredning eller placering.'],
        [7, 'förlängd_till', 'förlängd_till måste vara ifyllt när förlängning_beslutad är ifyllt (förlängning för viss tid).'],
        [8, 'orosanmälan_mottagen', 'Det finns ingen regel för Omedelbar skyddsbedömning efter orosanmälan som gällde det datumet; kontrollera datumet.'],
        [9, 'senaste_övervägande', 'senaste_övervägande måste vara samma dag som eller efter placering_start.'],
      ]);
      for (const e of errors) for (const value of ['2012-12-31', '2026-06-01', '2026-06-02', '2026-09-30', '2026-11-20']) assert.ok(!e.message.includes(value), e.message);
    });

    it('the added clocks read their dates from the existing columns: one row each, no new column', () => {
      const header = ['ärendereferens', 'typ', 'enhet', 'orosanmälan_mottagen', 'placering_start', 'senaste_övervägande', 'beslutsdatum', 'förlängning_beslutad', 'förlängd_till'];
      const rows = [
        header,
        ['BoU 2026/7', 'Omedelbar skyddsbedömning', 'bou-mottagning', '2026-11-20', '', '', '', '', ''],
        ['BoU 2026/7', 'Förhandsbedömning', 'bou-mottagning', '2026-11-20', '', '', '', '', ''],
        ['FH 2024/3', 'Övervägande om vårdnadsöverflyttning', 'bou-familjehem', '', '2024-12-02', '', '', '', ''],
        ['FH 2024/3', 'Vårdplan', 'bou-familjehem', '', '2024-12-02', '', '', '', ''],
        ['FH 2024/3', 'Övervägande SoL', 'bou-familjehem', '', '2024-12-02', '2026-06-01', '', '', ''],
        ['BoU 2026/8', 'Jourhem', 'bou-familjehem', '', '', '', '2026-09-30', '2026-11-20', '2027-01-31'],
        ['BoU 2026/9', 'Uppföljning', 'bou-mottagning', '', '', '', '2026-06-02', '', ''],
      ];
      const items = itemsOf(parseCaseworkCsv(csv(rows), { ...OPTS, today: '2026-11-22' }));
      const due = items.map((i) => [i.type, computeClock(i, { today: '2026-11-22' })?.due]);
      assert.deepEqual(due, [
        ['skyddsbedomning', '2026-11-20'],
        ['forhandsbedomning', '2026-12-04'],
        ['vardnadsoverflyttning', '2026-12-02'],
        ['vardplan-revidering', '2026-12-02'],
        ['overvagande-sol', '2026-12-01'],
        ['jourhem', '2027-01-31'],
        ['uppfoljning', '2026-12-02'],
      ]);
      assert.deepEqual(CSV_COLUMNS.find((c) => c.name === 'beslutsdatum')?.startsClockFor, ['jourhem', 'uppfoljning', 'ej-verkstallt-beslut']);
      assert.deepEqual(CSV_COLUMNS.find((c) => c.name === 'orosanmälan_mottagen')?.startsClockFor, ['skyddsbedomning', 'forhandsbedomning']);
    });

    it('no two spellings of different types collide (every title and key reads back as its own type)', () => {
      const rows = [
        ['ärendereferens', 'typ', 'enhet', 'orosanmälan_mottagen', 'utredning_inledd', 'placering_start', 'lvu_beslut', 'beslutsdatum', 'laga_kraft'],
        ...ITEM_TYPES.map((t, i) => [`K ${i}`, t, 'bou-mottagning', '2026-11-01', '2026-11-01', '2026-11-01', '2026-11-01', '2026-11-01', '2026-11-01']),
      ];
      assert.deepEqual(itemsOf(parseCaseworkCsv(csv(rows), OPTS)).map((i) => i.type), [...ITEM_TYPES]);
    });

    it('Swedish titles are accepted for typ, in any case', () => {
      const rows = [
        ['ärendereferens', 'typ', 'enhet', 'orosanmälan_mottagen', 'utredning_inledd', 'placering_start', 'lvu_beslut', 'beslutsdatum', 'laga_kraft'],
        ...ITEM_TYPES.map((t, i) => [`T ${i}`, ITEM_TYPE_TITLES[t], 'bou-mottagning', '2026-11-01', '2026-11-01', '2026-11-01', '2026-11-01', '2026-11-01', '2026-11-01']),
        ['U 1', '  BARNAVÅRDSUTREDNING ', 'bou-mottagning', '', '2026-11-01', '', '', '', ''],
        ['U 2', 'övervägande,   placerat barn (sol)', 'bou-mottagning', '', '', '2026-11-01', '', '', ''],
        ['U 3', 'Omprovning-LVU3', 'bou-mottagning', '', '', '', '2026-11-01', '', ''],
      ];
      const items = itemsOf(parseCaseworkCsv(csv(rows), OPTS));
      assert.deepEqual(items.map((i) => i.type), [...ITEM_TYPES, 'barnavardsutredning', 'overvagande-sol', 'omprovning-lvu3']);
    });

    // [as written, type]: how people and case systems write the types.
    const spellings: [string, string][] = [
      ['Förhandsbedömning', 'forhandsbedomning'],
      ['forhandsbedomning', 'forhandsbedomning'],
      ['FORHANDSBEDOMNING', 'forhandsbedomning'],
      ['Utredning', 'barnavardsutredning'],
      ['Barnavardsutredning', 'barnavardsutredning'],
      ['Övervägande SoL', 'overvagande-sol'],
      ['overvagande sol', 'overvagande-sol'],
      ['overvagande lvu', 'overvagande-lvu2'],
      ['Övervägande LVU 2 §', 'overvagande-lvu2'],
      ['Omprövning LVU 3 §', 'omprovning-lvu3'],
      ['omprovning lvu 3', 'omprovning-lvu3'],
      ['Omedelbart omhandertagande', 'omedelbart-omhandertagande'],
      ['ej verkstallt beslut', 'ej-verkstallt-beslut'],
      ['Flyttningsförbud', 'flyttningsforbud'],
      // The clocks added for the rest of #17, with and without å/ä/ö and as people shorten them.
      ['Skyddsbedömning', 'skyddsbedomning'],
      ['skyddsbedomning', 'skyddsbedomning'],
      ['Omedelbar skyddsbedömning', 'skyddsbedomning'],
      ['omedelbar skyddsbedomning', 'skyddsbedomning'],
      ['Vårdnadsöverflyttning', 'vardnadsoverflyttning'],
      ['vardnadsoverflyttning', 'vardnadsoverflyttning'],
      ['Övervägande vårdnadsöverflyttning', 'vardnadsoverflyttning'],
      ['overvagande om vardnadsoverflyttning', 'vardnadsoverflyttning'],
      ['Överväga vårdnadsöverflyttning', 'vardnadsoverflyttning'],
      ['Vårdplan', 'vardplan-revidering'],
      ['Revidering av vårdplan', 'vardplan-revidering'],
      ['vardplansrevidering', 'vardplan-revidering'],
      ['Första revidering av vårdplanen', 'vardplan-revidering'],
      ['Jourhem', 'jourhem'],
      ['JOURHEMSPLACERING', 'jourhem'],
      ['Placering i jourhem', 'jourhem'],
      ['Uppföljning', 'uppfoljning'],
      ['uppfoljning', 'uppfoljning'],
      ['Uppföljning efter avslutad utredning', 'uppfoljning'],
      ['Uppföljning efter placering', 'uppfoljning'],
    ];
    for (const [written, type] of spellings) {
      it(`typ "${written}" is ${type}`, () => {
        const rows = [
          ['ärendereferens', 'typ', 'enhet', 'orosanmälan_mottagen', 'utredning_inledd', 'placering_start', 'lvu_beslut', 'beslutsdatum'],
          ['T 1', written, 'bou-mottagning', '2026-11-01', '2026-11-01', '2026-11-01', '2026-11-01', '2026-11-01'],
        ];
        assert.deepEqual(itemsOf(parseCaseworkCsv(csv(rows), OPTS)).map((i) => i.type), [type]);
      });
    }

    it('one export may hold a closed and a reopened investigation, and one clock per type, under one reference', () => {
      const rows = [
        ['ärendereferens', 'typ', 'enhet', 'status', 'utredning_inledd', 'lvu_beslut'],
        ['BoU 2026/51', 'barnavardsutredning', 'bou-mottagning', 'avslutad', '2026-03-02', ''],
        ['BoU 2026/51', 'barnavardsutredning', 'bou-mottagning', 'öppen', '2026-07-01', ''],
        ['BoU 2026/51', 'omedelbart-omhandertagande', 'bou-mottagning', 'öppen', '', '2026-10-01'],
      ];
      assert.deepEqual(itemsOf(parseCaseworkCsv(csv(rows), OPTS)).map((i) => [i.type, i.status]), [
        ['barnavardsutredning', 'avslutad'],
        ['barnavardsutredning', 'oppen'],
        ['omedelbart-omhandertagande', 'oppen'],
      ]);
    });

    it('domstol and ny_orosanmälan read ja/nej and name the problem, never the value', () => {
      const rows = [
        ['ärendereferens', 'typ', 'enhet', 'beslutsdatum', 'domstol'],
        ['LSS 1', 'ej-verkstallt-beslut', 'bou-mottagning', '2026-11-01', 'Ja'],
        ['LSS 2', 'ej-verkstallt-beslut', 'bou-mottagning', '2026-11-01', ''],
      ];
      assert.deepEqual(itemsOf(parseCaseworkCsv(csv(rows), OPTS)).map((i) => i.domstol ?? false), [true, false]);
      const bad = errorsOf(parseCaseworkCsv(csv([rows[0]!, ['LSS 3', 'ej-verkstallt-beslut', 'bou-mottagning', '2026-11-01', 'kanske']]), OPTS));
      assert.deepEqual(bad, [{ line: 2, column: 'domstol', message: 'domstol ska vara ja eller nej (tom betyder nej).' }]);
    });

    it('a repeated case reference is an error on its second occurrence (case and spaces ignored)', () => {
      const rows = [...GOOD, ['bou  2026/101', 'forhandsbedomning', 'bou-mottagning', '', '', '2026-11-14', '', '', '']];
      assert.deepEqual(errorsOf(parseCaseworkCsv(csv(rows), OPTS)), [
        { line: 5, column: 'ärendereferens', message: 'Samma bevakning (ärendereferens, typ och, för en utredning, utredning_inledd, för ett ej verkställt beslut, beslutsdatum och insats) finns redan på rad 2; varje bevakning får bara finnas en gång i filen.' },
      ]);
    });

    it('with today: dates of past events must not be in the future (förlängd_till may)', () => {
      const opts = { ...OPTS, today: '2026-11-20' };
      assert.equal(itemsOf(parseCaseworkCsv(csv(GOOD), opts)).length, 3); // förlängd_till 2026-12-10 is fine
      const future = [...GOOD, ['BoU 2026/103', 'forhandsbedomning', 'bou-mottagning', '', '', '2026-11-21', '', '', '']];
      assert.deepEqual(errorsOf(parseCaseworkCsv(csv(future), opts)), [{ line: 5, column: 'orosanmälan_mottagen', message: 'Datumet ligger i framtiden.' }]);
    });

    it('handläggare: GUIDs (also the Playground mock ids) and e-mail addresses, stored in lower case', () => {
      const rows = [
        HEADER,
        ['A 1', 'forhandsbedomning', 'bou-mottagning', 'D3B0C1A2-1111-4222-8333-944455556666', '', '2026-11-12', '', '', ''],
        ['A 2', 'forhandsbedomning', 'bou-mottagning', 'MeganB@Exempelby.example', '', '2026-11-12', '', '', ''],
      ];
      assert.deepEqual(itemsOf(parseCaseworkCsv(csv(rows), OPTS)).map((i) => i.handlaggare), ['d3b0c1a2-1111-4222-8333-944455556666', 'meganb@exempelby.example']);
    });

    it('errors are capped: 100 listed, then "… och N fel till"', () => {
      const rows = [HEADER, ...Array.from({ length: 150 }, (_, i) => [`R ${i}`, 'okänd', 'bou-mottagning', '', '', '2026-11-12', '', '', ''])];
      const errors = errorsOf(parseCaseworkCsv(csv(rows), OPTS));
      assert.equal(errors.length, 101);
      assert.deepEqual(errors[100], { line: 102, message: '… och 50 fel till.' });
      assert.equal(errorsOf(parseCaseworkCsv(csv(rows), { ...OPTS, maxErrors: 5 })).length, 6);
    });

    it('messages never repeat a cell value', () => {
      const secret = 'Kalle Anka';
      const rows = [HEADER, [secret, secret, secret, secret, secret, secret, secret, secret, secret]];
      const errors = errorsOf(parseCaseworkCsv(csv(rows), OPTS));
      assert.ok(errors.length >= 5);
      assert.ok(!JSON.stringify(errors).includes('Kalle'));
    });
  });

  describe('identity numbers', () => {
    const assertNoDigits = (result: CaseworkCsvResult) => {
      const json = JSON.stringify(result);
      for (const fragment of ['850709', '9805', '8507', '850769', '9802']) assert.ok(!json.includes(fragment), `the result contains ${fragment}`);
    };
    const idMessage = /^Filen avvisas i sin helhet: fältet ser ut att innehålla ett personnummer eller samordningsnummer\./;

    it('a personnummer in a free cell rejects the whole file, naming line and column, not the digits', () => {
      const header = [...HEADER, 'anteckning'];
      const rows = [header, ...GOOD.slice(1).map((r) => [...r, '']), ['BoU 2026/104', 'forhandsbedomning', 'bou-mottagning', '', '', '2026-11-12', '', '', '', `gäller ${PNR_10}`]];
      const result = parseCaseworkCsv(csv(rows), OPTS);
      const errors = errorsOf(result);
      assert.equal(errors.length, 1);
      assert.equal(errors[0]?.line, 5);
      assert.equal(errors[0]?.column, 'kolumn 10'); // an unknown column: named by position
      assert.match(errors[0]?.message ?? '', idMessage);
      assertNoDigits(result);
    });

    it('only the identity errors are reported (the file must not be used at all)', () => {
      const rows = [HEADER, ['BoU 2026/1', 'okänd', 'okänd', '', '', '2026-02-30', '', '', ''], [PNR_12, 'forhandsbedomning', 'bou-mottagning', '', '', '2026-11-12', '', '', '']];
      const result = parseCaseworkCsv(csv(rows), OPTS);
      assert.deepEqual(errorsOf(result).map((e) => [e.line, e.column]), [[3, 'ärendereferens']]);
      assertNoDigits(result);
    });

    it('in the header (named by position), in a samordningsnummer, and on the right line inside a multi-line cell', () => {
      const header = [...HEADER, `pnr ${SAMORDNING}`];
      const rows = [header, [...GOOD[1]!, 'ok'], [...GOOD[2]!, `första raden\nandra raden ${PNR_10}`]];
      const result = parseCaseworkCsv(csv(rows), OPTS);
      assert.deepEqual(errorsOf(result).map((e) => [e.line, e.column]), [
        [1, 'kolumn 10'],
        [4, 'kolumn 10'],
      ]);
      assertNoDigits(result);
    });

    describe('a column the import does not know is named by position, never by its header cell (which may be data)', () => {
      // [what, header row, expected [line, column] of the number in row 2]
      const table: [string, string[], [number, string][]][] = [
        ['no header row: the first data row is read as the header', ['BoU 2026/1', 'barnavardsutredning', 'bou-mottagning', 'Anna Andersson', '2026-01-05'], [[2, 'kolumn 4']]],
        ['a shifted header whose cell is a name', ['ärendereferens', 'typ', 'enhet', 'Kalle Karlsson', 'utredning_inledd'], [[2, 'kolumn 4']]],
        ['an unknown but harmless header', ['ärendereferens', 'typ', 'enhet', 'anteckning', 'utredning_inledd'], [[2, 'kolumn 4']]],
        ['a known column keeps its name', ['ärendereferens', 'typ', 'enhet', 'handläggare', 'utredning_inledd'], [[2, 'handläggare']]],
      ];
      for (const [what, header, expected] of table) {
        it(what, () => {
          const result = parseCaseworkCsv(csv([header, ['BoU 2026/2', 'barnavardsutredning', 'bou-mottagning', PNR_12, '2026-01-06']]), OPTS);
          assert.deepEqual(errorsOf(result).map((e) => [e.line, e.column]), expected);
          assert.ok(!JSON.stringify(result).includes('Andersson') && !JSON.stringify(result).includes('Karlsson'), 'a header cell is echoed');
          assertNoDigits(result);
        });
      }
    });

    it('in a file that cannot be parsed: still rejected, by line', () => {
      const text = `${csv(GOOD)}BoU 2026/9;forhandsbedomning;"bou-mottagning ${PNR_10};;;2026-11-12;;;\n`;
      const result = parseCaseworkCsv(text, OPTS);
      assert.deepEqual(errorsOf(result).map((e) => [e.line, e.column]), [[5, undefined]]);
      assertNoDigits(result);
    });

    // Issue #11: text exported from a case system or edited in Excel carries invisible and
    // non-ASCII characters; every cell (every column is free text to the guard) must be caught.
    const pastedCells: [string, string, string][] = [
      ['zero-width space in a note', 'anteckning', 'gäller 850709-98\u200B05'],
      ['soft hyphen in a note', 'anteckning', 'gäller 850709\u00AD9805'],
      ['fullwidth digits in the case reference', 'ärendereferens', '８５０７０９９８０５'],
      ['Arabic-Indic digits in the case reference', 'ärendereferens', 'BoU \u0668\u0665\u0660\u0667\u0660\u0669\u0669\u0668\u0660\u0665'],
      ['YYYY-MM-DD-NNNN in the case reference', 'ärendereferens', '1985-07-09-9805'],
      ['tab between date and serial in a note', 'anteckning', '19850709\t9805'],
      ['non-breaking hyphen in handläggare', 'handläggare', '850709\u20119805@exempelby.example'],
      ['word joiner in an ignored column', 'anteckning', '8507\u2060099805'],
    ];
    for (const [name, column, cell] of pastedCells) {
      it(`a pasted number is caught: ${name}`, () => {
        const header = [...HEADER, 'anteckning'];
        const base = ['BoU 2026/104', 'forhandsbedomning', 'bou-mottagning', '', '', '2026-11-12', '', '', '', ''];
        const bad = [...base];
        bad[header.indexOf(column)] = cell;
        const result = parseCaseworkCsv(csv([header, [...GOOD[1]!, ''], bad]), OPTS);
        const errors = errorsOf(result);
        // An unknown column (anteckning) is named by position; a known one by its name.
        assert.deepEqual(errors.map((e) => [e.line, e.column]), [[3, column === 'anteckning' ? `kolumn ${header.indexOf(column) + 1}` : column]]);
        assert.match(errors[0]?.message ?? '', idMessage);
        assertNoDigits(result);
        assert.ok(!JSON.stringify(result).includes(cell), 'the cell is echoed');
      });
    }

    it('a number split by a line break inside a quoted cell is named on the line where it starts', () => {
      const header = [...HEADER, 'anteckning'];
      const rows = [header, [...GOOD[1]!, 'ok'], [...GOOD[2]!, `första raden\nbrukaren 850709\r\n9805`]];
      const result = parseCaseworkCsv(csv(rows), OPTS);
      assert.deepEqual(errorsOf(result).map((e) => [e.line, e.column]), [[4, 'kolumn 10']]);
      assertNoDigits(result);
    });

    it('dates, case references and GUIDs are not mistaken for identity numbers', () => {
      const rows = [HEADER, ['BoU 2026/1234', 'forhandsbedomning', 'bou-mottagning', '00000000-0000-0000-0000-0000000000020', '', '2026-11-12', '', '', '']];
      assert.equal(itemsOf(parseCaseworkCsv(csv(rows), OPTS)).length, 1);
    });
  });

  describe('the dates and facts the rules were waiting for (#17)', () => {
    const lvu = ['ärendereferens', 'typ', 'enhet', 'lvu_beslut', 'omhändertagande_verkställt', 'underställt', 'förlängning_begärd', 'ansökan_förlängd_till'];
    const lvuRow = ['BoU 2026/440', 'omedelbart-omhandertagande', 'bou-mottagning', '2026-10-26', '2026-10-26', '2026-10-27', '2026-11-20', '2026-12-04'];

    // [how the header is written]: every one reads the same columns.
    const headers: [string, string[]][] = [
      ['as in the README', lvu],
      ['without å/ä/ö', ['arendereferens', 'typ', 'enhet', 'lvu_beslut', 'omhandertagande_verkstallt', 'understallt', 'forlangning_begard', 'ansokan_forlangd_till']],
      ['spaces, capitals, mixed', ['Ärendereferens', 'Typ', 'Enhet', 'LVU beslut', 'Omhandertagande verkställt', 'UNDERSTÄLLT', ' Förlängning begard ', 'Ansökan förlangd till']],
    ];
    for (const [what, header] of headers) {
      it(`förlängning_begärd and ansökan_förlängd_till are read (${what})`, () => {
        const [i] = itemsOf(parseCaseworkCsv(csv([header, lvuRow]), { ...OPTS, today: '2026-11-22' }));
        assert.deepEqual([i?.forlangningBegard, i?.ansokanForlangdTill], ['2026-11-20', '2026-12-04']);
        // The court's day may lie ahead (it is not an event); the request is an event.
        const clock = computeClock(i!, { today: '2026-11-22' })!;
        assert.deepEqual([clock.due, clock.extended], ['2026-12-04', true]);
      });
    }

    it('every other new column is read too, with or without å/ä/ö', () => {
      const header = ['ärendereferens', 'typ', 'enhet', 'utredning_inledd', 'förlängning_beslutad', 'förlängd_till', 'tidigare_förlängd_till', 'ingen_tidigare_förlängning', 'beslutsdatum', 'verkställt_datum', 'verkställt_anmält_ivo', 'insats', 'tidigare_förlängning_beslutad', 'rättelse'];
      const plain = header.map((h) => h.normalize('NFD').replace(/[\u0300-\u036f]/g, ''));
      const rows = [
        ['BoU 2026/262', 'barnavardsutredning', 'bou-mottagning', '2026-06-01', '2026-11-10', '2026-12-18', '2026-11-13', '', '', '', '', '', '2026-09-28', 'ja'],
        ['BoU 2026/266', 'barnavardsutredning', 'bou-mottagning', '2026-06-10', '2026-10-20', '2026-12-31', '', 'ja', '', '', '', '', '', 'nej'],
        ['VE 2026/95', 'ej-verkstallt-beslut', 'vuxenenheten', '', '', '', '', '', '2026-05-04', '2026-09-15', '2026-09-21', 'LSS 9 §  2 (personlig assistans)', '', ''],
      ];
      for (const h of [header, plain]) {
        const [chain, first, decision] = itemsOf(parseCaseworkCsv(csv([h, ...rows]), { ...OPTS, today: '2026-11-22' }));
        assert.equal(chain?.tidigareForlangdTill, '2026-11-13');
        assert.equal(chain?.tidigareForlangningBeslutad, '2026-09-28');
        // rättelse: ja, nej, or not said (the import then judges for itself).
        assert.deepEqual([chain?.rattelse, first?.rattelse, decision?.rattelse], [true, false, undefined]);
        assert.equal(first?.ingenTidigareForlangning, true);
        assert.deepEqual([decision?.verkstalltAnmaltIvo, decision?.insats], ['2026-09-21', 'LSS 9 § 2 (personlig assistans)']);
        // What the rules make of them: the chain holds, the late first extension is refused, the notice ends the clock.
        assert.equal(computeClock(chain!, { today: '2026-11-22' })?.due, '2026-12-18');
        assert.match(computeClock(first!, { today: '2026-11-22' })?.extensionRefused ?? '', /först efter att fristen/);
        assert.equal(computeClock(decision!, { today: '2026-11-22' }), undefined);
      }
    });

    // [what, header, row, expected [line, column, message]]
    const H = ['ärendereferens', 'typ', 'enhet', 'utredning_inledd', 'förlängning_beslutad', 'förlängd_till', 'tidigare_förlängd_till', 'ingen_tidigare_förlängning'];
    const V = ['ärendereferens', 'typ', 'enhet', 'beslutsdatum', 'verkställt_datum', 'verkställt_anmält_ivo', 'insats'];
    const refused: [string, string[], string[], [number, string, string][]][] = [
      ['an earlier extension without the latest one', H, ['B 1', 'barnavardsutredning', 'bou-mottagning', '2026-06-01', '', '', '2026-10-30', ''],
        [[2, 'tidigare_förlängd_till', 'förlängning_beslutad och förlängd_till måste vara ifyllda när tidigare_förlängd_till är ifyllt (den senaste förlängningen).']]],
      ['an earlier extension and "no earlier extension" at once', H, ['B 2', 'barnavardsutredning', 'bou-mottagning', '2026-06-01', '2026-10-20', '2026-12-01', '2026-10-30', 'ja'],
        [[2, 'tidigare_förlängd_till', 'tidigare_förlängd_till är ifyllt men ingen_tidigare_förlängning säger att det inte fanns någon tidigare förlängning. Ändra den ena så att de stämmer.']]],
      ['an earlier extension ending after the latest', H, ['B 3', 'barnavardsutredning', 'bou-mottagning', '2026-06-01', '2026-10-20', '2026-12-01', '2026-12-01', ''],
        [[2, 'förlängd_till', 'förlängd_till måste vara efter tidigare_förlängd_till.']]],
      ['ingen_tidigare_förlängning that is neither ja nor nej', H, ['B 4', 'barnavardsutredning', 'bou-mottagning', '2026-06-01', '', '', '', 'kanske'],
        [[2, 'ingen_tidigare_förlängning', 'ingen_tidigare_förlängning ska vara ja eller nej (tom betyder att det inte är känt).']]],
      ['IVO told of a verkställighet the file does not give', V, ['V 1', 'ej-verkstallt-beslut', 'vuxenenheten', '2026-05-04', '', '2026-09-21', ''],
        [[2, 'verkställt_anmält_ivo', 'verkställt_datum måste vara ifyllt när verkställt_anmält_ivo är ifyllt.']]],
      ['IVO told before the decision', V, ['V 2', 'ej-verkstallt-beslut', 'vuxenenheten', '2026-05-04', '2026-05-04', '2026-05-03', ''],
        [[2, 'verkställt_anmält_ivo', 'verkställt_anmält_ivo måste vara samma dag som eller efter beslutsdatum.']]],
      ['IVO told in the future', V, ['V 3', 'ej-verkstallt-beslut', 'vuxenenheten', '2026-05-04', '2026-09-15', '2026-11-23', ''],
        [[2, 'verkställt_anmält_ivo', 'Datumet ligger i framtiden.']]],
      ['an insats with characters no case system writes (not echoed)', V, ['V 4', 'ej-verkstallt-beslut', 'vuxenenheten', '2026-05-04', '', '', 'hemtjänst <Anna>'],
        [[2, 'insats', 'Insatsen får bara innehålla bokstäver, siffror, mellanslag och - / . : § ( ) ,']]],
      ['an insats over 60 characters', V, ['V 5', 'ej-verkstallt-beslut', 'vuxenenheten', '2026-05-04', '', '', 'a'.repeat(61)],
        [[2, 'insats', 'Insatsen får vara högst 60 tecken.']]],
      ['an insats with fullwidth digits', V, ['V 6', 'ej-verkstallt-beslut', 'vuxenenheten', '2026-05-04', '', '', 'LSS 9 § ２'],
        [[2, 'insats', 'Insatsen får bara innehålla siffrorna 0–9, inte siffror från andra skriftsystem eller i full bredd.']]],
      // Review of #17.
      ['IVO told before the decision was carried out', V, ['V 7', 'ej-verkstallt-beslut', 'vuxenenheten', '2026-01-10', '2026-06-01', '2026-05-01', ''],
        [[2, 'verkställt_anmält_ivo', VERKSTALLT_ORDER]]],
      ['the earlier extension\'s decision without its end', [...H, 'tidigare_förlängning_beslutad'], ['B 5', 'barnavardsutredning', 'bou-mottagning', '2026-06-01', '2026-10-20', '2026-12-01', '', '', '2026-09-20'],
        [[2, 'tidigare_förlängning_beslutad', 'tidigare_förlängd_till måste vara ifyllt när tidigare_förlängning_beslutad är ifyllt (den förra förlängningen gällde viss tid).']]],
      ['the earlier extension\'s decision and "no earlier extension" at once', [...H, 'tidigare_förlängning_beslutad'], ['B 6', 'barnavardsutredning', 'bou-mottagning', '2026-06-01', '2026-10-20', '2026-12-01', '', 'ja', '2026-09-20'],
        [[2, 'tidigare_förlängning_beslutad', 'tidigare_förlängning_beslutad är ifyllt men ingen_tidigare_förlängning säger att det inte fanns någon tidigare förlängning. Ändra den ena så att de stämmer.']]],
      ['the earlier extension decided after the latest', [...H, 'tidigare_förlängning_beslutad'], ['B 7', 'barnavardsutredning', 'bou-mottagning', '2026-06-01', '2026-10-20', '2026-12-01', '2026-10-30', '', '2026-10-21'],
        [[2, 'förlängning_beslutad', 'förlängning_beslutad måste vara samma dag som eller efter tidigare_förlängning_beslutad.']]],
      ['the earlier extension decided before the utredning', [...H, 'tidigare_förlängning_beslutad'], ['B 8', 'barnavardsutredning', 'bou-mottagning', '2026-06-01', '2026-10-20', '2026-12-01', '2026-10-30', '', '2026-05-31'],
        [[2, 'tidigare_förlängning_beslutad', 'tidigare_förlängning_beslutad måste vara samma dag som eller efter utredning_inledd.']]],
      ['the earlier extension ending on the day it was decided', [...H, 'tidigare_förlängning_beslutad'], ['B 9', 'barnavardsutredning', 'bou-mottagning', '2026-06-01', '2026-10-20', '2026-12-01', '2026-09-20', '', '2026-09-20'],
        [[2, 'tidigare_förlängd_till', 'tidigare_förlängd_till måste vara efter tidigare_förlängning_beslutad.']]],
      ['rättelse that is neither ja nor nej', [...H, 'rättelse'], ['B 10', 'barnavardsutredning', 'bou-mottagning', '2026-06-01', '', '', '', '', 'kanske'],
        [[2, 'rättelse', 'rättelse ska vara ja eller nej (tom betyder att importen själv bedömer om raden rättar startdagen).']]],
      ['a correction that is also a new utredning', [...H, 'ny_orosanmälan', 'rättelse'], ['B 11', 'barnavardsutredning', 'bou-mottagning', '2026-06-01', '', '', '', '', 'ja', 'ja'],
        [[2, 'rättelse', 'rättelse och ny_orosanmälan är båda ja: en rad kan inte både rätta startdagen och vara en ny utredning. Ändra den ena.']]],
      ['rättelse on another type', [...V, 'rättelse'], ['V 9', 'ej-verkstallt-beslut', 'vuxenenheten', '2026-05-04', '', '', '', 'ja'],
        [[2, 'rättelse', 'rättelse gäller bara en barnavårdsutredning (dess utredning_inledd). Lämna kolumnen tom för andra typer.']]],
    ];
    it('IVO told of an earlier verkställighet, before an interruption and a new verkställighet: imported', () => {
      const rows = [[...V, 'avbrott'], ['V 10', 'ej-verkstallt-beslut', 'vuxenenheten', '2026-01-10', '2026-06-01', '2026-03-05', '', '2026-04-01']];
      const [i] = itemsOf(parseCaseworkCsv(csv(rows), { ...OPTS, today: '2026-11-22' }));
      assert.deepEqual([i?.verkstalltDatum, i?.verkstalltAnmaltIvo, i?.avbrottDatum], ['2026-06-01', '2026-03-05', '2026-04-01']);
    });

    for (const [what, header, row, expected] of refused) {
      it(`refuses ${what}, naming the row and the column, never the value`, () => {
        const result = parseCaseworkCsv(csv([header, row]), { ...OPTS, today: '2026-11-22' });
        assert.deepEqual(errorsOf(result).map((e) => [e.line, e.column, e.message]), expected);
        assert.ok(!JSON.stringify(result).includes('Anna'));
      });
    }

    it('vård may begin before laga kraft (placed under an omedelbart omhändertagande, LVU 10 §): imported, and done', () => {
      const rows = [['ärendereferens', 'typ', 'enhet', 'laga_kraft', 'vård_påbörjad'], ['BoU 2026/380', 'vard-lvu-verkstallighet', 'bou-familjehem', '2026-11-02', '2026-10-20']];
      const [i] = itemsOf(parseCaseworkCsv(csv(rows), { ...OPTS, today: '2026-11-22' }));
      assert.equal(i?.vardPaborjad, '2026-10-20');
      assert.equal(computeClock(i!, { today: '2026-11-22' }), undefined);
    });
  });

  describe('several ej verkställda beslut under one reference (#17)', () => {
    const header = ['ärendereferens', 'typ', 'enhet', 'beslutsdatum', 'insats', 'domstol'];
    const row = (ref: string, day: string, insats = '', domstol = '') => [ref, 'ej-verkstallt-beslut', 'vuxenenheten', day, insats, domstol];
    // [what, rows, items imported (their insats) or the duplicate's line]
    const table: [string, string[][], (string | undefined)[] | number][] = [
      ['two decisions on different days: two items', [row('VE 1', '2026-07-01'), row('VE 1', '2026-08-15')], [undefined, undefined]],
      ['two insatser decided the same day: two items', [row('VE 1', '2026-07-01', 'kontaktperson'), row('VE 1', '2026-07-01', 'korttidsvistelse')], ['kontaktperson', 'korttidsvistelse']],
      ['a decision and a judgment the same day, told apart by the insats', [row('VE 1', '2026-07-01', 'hemtjänst'), row('VE 1', '2026-07-01', 'personlig assistans', 'ja')], ['hemtjänst', 'personlig assistans']],
      ['the same decision twice: refused', [row('VE 1', '2026-07-01'), row('ve  1', '2026-07-01')], 3],
      ['the same insats written differently: the same decision, refused', [row('VE 1', '2026-07-01', 'Hemtjänst'), row('VE 1', '2026-07-01', 'hemtjänst ')], 3],
      // Review of #17: spaces and punctuation do not tell decisions apart either.
      ['the same insats spaced and punctuated differently: the same decision, refused', [row('VE 1', '2026-07-01', 'LSS 9 § 2'), row('VE 1', '2026-07-01', 'LSS 9§2')], 3],
      ['…or with brackets and a comma', [row('VE 1', '2026-07-01', 'Hemtjänst (SoL), dag'), row('VE 1', '2026-07-01', 'hemtjänst sol dag')], 3],
    ];
    for (const [what, rows, expected] of table) {
      it(what, () => {
        const result = parseCaseworkCsv(csv([header, ...rows]), OPTS);
        if (typeof expected === 'number') {
          assert.deepEqual(errorsOf(result), [{
            line: expected,
            column: 'ärendereferens',
            message: 'Samma bevakning (ärendereferens, typ och, för en utredning, utredning_inledd, för ett ej verkställt beslut, beslutsdatum och insats) finns redan på rad 2; varje bevakning får bara finnas en gång i filen. Gäller raderna olika beslut, ange insats (eller rätt beslutsdatum) så att de skiljs åt.',
          }]);
        } else {
          assert.deepEqual(itemsOf(result).map((i) => i.insats), expected);
        }
      });
    }
  });

  describe('the register\'s key of an ej verkställt beslut (review of #17)', () => {
    // [insats as written, key]: case, spaces and punctuation folded, so that a respelled insats is the same decision.
    const table: [string | undefined, string][] = [
      [undefined, '2026-07-01'],
      ['LSS 9 § 2', '2026-07-01 lss92'],
      ['LSS 9§2', '2026-07-01 lss92'],
      ['lss  9 §  2', '2026-07-01 lss92'],
      ['Hemtjänst (SoL), dag', '2026-07-01 hemtjänstsoldag'],
      ['Kontaktperson', '2026-07-01 kontaktperson'],
      // Nothing left once folded: the decision day alone (a key never ends in a space).
      ['§ ( ) ,', '2026-07-01'],
    ];
    for (const [insats, key] of table) {
      it(`insats ${JSON.stringify(insats)} is keyed ${JSON.stringify(key)}`, () => {
        assert.equal(caseworkOpeningKey('ej-verkstallt-beslut', { beslutsdatum: '2026-07-01', ...(insats !== undefined ? { insats } : {}) }), key);
      });
    }
  });

  describe('a type name that fits more than one clock is refused, never guessed (#17)', () => {
    // Review of #17: a flyttningsförbud is "prövat" every three months (LVU 26 §) and may be exported as an omprövning.
    for (const written of ['Omprövning', 'Omprövning LVU', 'omprovning', 'OMPRÖVNING  lvu']) {
      it(`"${written}" is refused: LVU 3 § (six months) or a flyttningsförbud (three months)`, () => {
        const rows = [['ärendereferens', 'typ', 'enhet', 'lvu_beslut'], ['FH 1', written, 'bou-familjehem', '2026-06-01']];
        assert.deepEqual(errorsOf(parseCaseworkCsv(csv(rows), OPTS)), [{
          line: 2,
          column: 'typ',
          message: 'Typen "Omprövning" kan gälla både vård enligt LVU 3 § (omprövning var sjätte månad) och ett flyttningsförbud (prövning var tredje månad, LVU 26 §). Skriv "Omprövning LVU 3 §" (omprovning-lvu3) eller "Flyttningsförbud" (flyttningsforbud).',
        }]);
      });
    }

    it('the omprövning names it suggests are accepted, each as its own type', () => {
      const rows = [['ärendereferens', 'typ', 'enhet', 'lvu_beslut'], ['FH 1', 'Omprövning LVU 3 §', 'bou-familjehem', '2026-06-01'], ['FH 2', 'Flyttningsförbud', 'bou-familjehem', '2026-06-01']];
      assert.deepEqual(itemsOf(parseCaseworkCsv(csv(rows), OPTS)).map((i) => i.type), ['omprovning-lvu3', 'flyttningsforbud']);
    });

    for (const written of ['Övervägande', 'övervägande', 'OVERVAGANDE', ' Övervägande ']) {
      it(`"${written}" names the accepted names`, () => {
        const rows = [['ärendereferens', 'typ', 'enhet', 'placering_start'], ['FH 1', written, 'bou-familjehem', '2026-06-01']];
        assert.deepEqual(errorsOf(parseCaseworkCsv(csv(rows), OPTS)), [{
          line: 2,
          column: 'typ',
          message: 'Typen "Övervägande" kan gälla både ett placerat barn enligt SoL och vård enligt LVU 2 §. Skriv "Övervägande SoL" (overvagande-sol), "Övervägande LVU" (overvagande-lvu2) eller "Övervägande vårdnadsöverflyttning" (vardnadsoverflyttning).',
        }]);
      });
    }

    it('the names it suggests are accepted, each as its own type', () => {
      const rows = [
        ['ärendereferens', 'typ', 'enhet', 'placering_start'],
        ['FH 1', 'Övervägande SoL', 'bou-familjehem', '2026-06-01'],
        ['FH 2', 'Övervägande LVU', 'bou-familjehem', '2026-06-01'],
        ['FH 3', 'Övervägande vårdnadsöverflyttning', 'bou-familjehem', '2026-06-01'],
      ];
      assert.deepEqual(itemsOf(parseCaseworkCsv(csv(rows), OPTS)).map((i) => i.type), ['overvagande-sol', 'overvagande-lvu2', 'vardnadsoverflyttning']);
    });
  });

  describe('the sample export', () => {
    const file = path.join(ROOT, 'test/fixtures/casework-sample.csv');
    const org = parseYaml(readFileSync(path.join(ROOT, 'env/organisation.demo.yaml'), 'utf8')) as { committees: { units: { id: string }[] }[] };
    const demoUnits = org.committees.flatMap((c) => c.units.map((u) => u.id));

    it('parses with the demo organisation: 15–40 rows, all types, ";"-delimited, no personal data', () => {
      const bytes = readFileSync(file);
      assert.ok(bytes.toString('utf8').split('\n')[0]?.includes(';'));
      const items = itemsOf(parseCaseworkCsv(bytes, { source: 'demo', unitIds: demoUnits, today: '2026-11-22' }));
      assert.ok(items.length >= 15 && items.length <= 40, String(items.length));
      assert.deepEqual(new Set(items.map((i) => i.type)), new Set(ITEM_TYPES));
      assert.deepEqual(new Set(items.map((i) => i.unitId)), new Set(['bou-mottagning', 'bou-familjehem', 'vuxenenheten']));
      for (const i of items) assert.match(i.caseReference, /^(BoU|FH|VE) 20\d\d\/\d+$/);
    });

    it('every open item has a clock; the states on 2026-11-22 cover i tid, närmar sig and försenad', () => {
      const result = parseCaseworkCsv(readFileSync(file), { source: 'demo', unitIds: demoUnits });
      const clocks = itemsOf(result).map((i) => computeClock(i, { today: '2026-11-22' }));
      assert.deepEqual(new Set(clocks.map((c) => c?.state ?? 'stopped')), new Set(['i-tid', 'narmar-sig', 'forsenad', 'stopped']));
    });
  });
});

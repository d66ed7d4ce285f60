/**
 * The import's fast paths (issue #14) against the reference paths they stand in for: the compiled
 * row check against the zod schema, the identity-number pre-check against the detector, and the
 * import's cached calendar and deadline memo against toRecord with a plain calendar. Generated
 * inputs, from a fixed seed, so a failure can be replayed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compileRowCheck, parseCaseworkCsv, type RawRow } from '../../src/casework/csv';
import { mayHoldIdentityNumber } from '../../src/privacy/identity-numbers';
import { importCasework, toRecord, withHistory } from '../../src/casework/import';
import { CASEWORK_RULES, statutoryCalendar } from '../../src/casework/rules';
import { createLogger } from '../../src/log/logger';
import { findIdentityNumbers } from '../../src/privacy/guard';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { prng as random } from '../support/random';

const UNITS = ['bou-mottagning', 'bou-familjehem', 'vuxenenheten'];

/** Cell values per field, valid and not, including the edge cases of each check. */
const POOLS: Partial<Record<keyof RawRow, readonly (string | undefined)[]>> = {
  caseReference: [undefined, 'BoU 2026/1', 'BoU  2026/2', 'BoU\t2026/3', 'Ärende Å:1', 'x'.repeat(40), 'y'.repeat(41), 'BoU ２０２６/4', 'BoU 2026#5', 'SN-7.8', 'BoU ٢٠٢٦/9'],
  type: [undefined, 'forhandsbedomning', 'Förhandsbedömning', 'barnavardsutredning', 'Utredning', 'ej-verkstallt-beslut', 'Ej verkställd dom', 'jourhem', 'overvagande-sol', 'omprovning-lvu3', 'omedelbart-omhandertagande', 'vard-lvu-verkstallighet', 'flyttningsforbud', 'vardnadsoverflyttning', 'uppfoljning', 'vardplan-revidering', 'skyddsbedomning', 'okänd typ'],
  unitId: [undefined, 'bou-mottagning', 'vuxenenheten', 'finns-inte'],
  handlaggare: [undefined, undefined, 'meganb@exempelby.example', 'MeganB@Exempelby.Example', 'd3b0c1a2-1111-4222-8333-944455556666', '00000000-0000-0000-0000-0000000000021', 'inte en adress', 'a@b'],
  status: [undefined, 'öppen', 'Öppen', 'oppen', 'avslutad', ' AVSLUTAD', 'stängd'],
  domstol: [undefined, undefined, 'ja', 'nej', 'X', 'kanske'],
  nyUtredning: [undefined, undefined, 'ja', '0', 'nja'],
  ingenTidigareForlangning: [undefined, undefined, 'ja', 'Nej', 'kanske'],
  rattelse: [undefined, undefined, undefined, 'ja', 'nej', 'JA', 'kanske'],
  insats: [undefined, undefined, 'LSS 9 § 2', 'Hemtjänst  (SoL)', 'ledsagning,\tkontaktperson', 'x'.repeat(60), 'x'.repeat(61), 'insats #2', 'insats ２'],
};
const DATES = [undefined, undefined, undefined, '2026-11-12', '2026-07-01', '2026-01-15', '2025-06-30', '2025-07-01', '2024-02-29', '2023-02-29', '2026-13-01', '26-11-12', '2026-11-30', '2027-01-05', '2012-12-31', '1989-05-01'];
const DATE_FIELDS_IN_FILE = ['orosanmalanMottagen', 'utredningInledd', 'forlangningBeslutad', 'forlangdTill', 'placeringStart', 'senasteOvervagande', 'lvuBeslut', 'senasteOmprovning', 'beslutsdatum', 'verkstalltDatum', 'understalltDatum', 'omhandertagandeVerkstallt', 'ansokanInlamnad', 'lagaKraft', 'vardPaborjad', 'rapporteradIvo', 'avbrottDatum', 'tidigareForlangdTill', 'forlangningBegard', 'ansokanForlangdTill', 'verkstalltAnmaltIvo', 'tidigareForlangningBeslutad'] as const;

const SAMPLE = readFileSync(path.join(__dirname, '..', 'fixtures', 'casework-sample.csv'), 'utf8');
const SAMPLE_UNITS = ['bou-mottagning', 'bou-familjehem', 'vuxenenheten', 'ekonomiskt-bistand', 'solgarden', 'hemtjanst-norr', 'gruppbostad-eken'];

/** The sample export's rows as the row check sees them: one valid row of every type. */
function templates(): RawRow[] {
  const parsed = parseCaseworkCsv(SAMPLE, { source: 's', unitIds: SAMPLE_UNITS });
  assert.ok(parsed.ok);
  return parsed.items.map((i) => {
    const raw: RawRow = { caseReference: i.caseReference, type: i.type, unitId: i.unitId, status: i.status === 'avslutad' ? 'avslutad' : 'öppen' };
    if (i.handlaggare) raw.handlaggare = i.handlaggare;
    if (i.domstol) raw.domstol = 'ja';
    if (i.nyUtredning) raw.nyUtredning = 'ja';
    if (i.ingenTidigareForlangning) raw.ingenTidigareForlangning = 'ja';
    if (i.rattelse !== undefined) raw.rattelse = i.rattelse ? 'ja' : 'nej';
    if (i.insats) raw.insats = i.insats;
    for (const f of DATE_FIELDS_IN_FILE) if (i[f]) raw[f] = i[f];
    return raw;
  });
}

/** A valid row with a few cells changed to values of the pools (which may make it invalid), or a row of pool values. */
function generateRow(next: () => number, valid: readonly RawRow[]): RawRow {
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!;
  const set = (raw: RawRow, field: keyof RawRow, v: string | undefined) => {
    if (v === undefined) delete raw[field];
    else raw[field] = v;
  };
  if (next() < 0.75) {
    const raw = { ...pick(valid) };
    const changes = Math.floor(next() * 3);
    for (let k = 0; k < changes; k++) {
      if (next() < 0.5) {
        const field = pick(Object.keys(POOLS)) as keyof RawRow;
        set(raw, field, pick(POOLS[field]!));
      } else set(raw, pick(DATE_FIELDS_IN_FILE), pick(DATES));
    }
    return raw;
  }
  const raw: RawRow = {};
  for (const [field, values] of Object.entries(POOLS)) set(raw, field as keyof RawRow, pick(values!));
  // Most rows carry a few dates; some many.
  const dates = next() < 0.8 ? 1 + Math.floor(next() * 3) : DATE_FIELDS_IN_FILE.length;
  for (let k = 0; k < dates; k++) set(raw, pick(DATE_FIELDS_IN_FILE), pick(DATES));
  return raw;
}

describe('casework import: the fast paths agree with the reference paths (#14)', () => {
  describe('the compiled row check and the zod schema', () => {
    for (const today of [undefined, '2026-11-22']) {
      it(`give the same verdict and the same value for 20,000 generated rows (today ${today ?? 'not given'})`, () => {
        const check = compileRowCheck(new Set([...UNITS, ...SAMPLE_UNITS]), CASEWORK_RULES, today);
        const next = random(today ? 14 : 41);
        const valid = templates();
        let accepted = 0;
        for (let n = 0; n < 20_000; n++) {
          const raw = generateRow(next, valid);
          const fast = check.fast(raw);
          const zod = check.schema.safeParse(raw);
          assert.equal(fast !== undefined, zod.success, `row ${n}: ${JSON.stringify(raw)}`);
          if (zod.success) {
            accepted++;
            assert.deepStrictEqual(fast, zod.data, `row ${n}: ${JSON.stringify(raw)}`);
          }
        }
        // Both kinds are well represented, or the comparison would prove little.
        assert.ok(accepted > 4000 && accepted < 16_000, `${accepted} valid rows`);
      });
    }

    it('a refused row still gets the schema\'s messages, row by row and column by column', () => {
      const header = 'ärendereferens;typ;enhet;handläggare;status;orosanmälan_mottagen';
      const rows = ['BoU 1;forhandsbedomning;bou-mottagning;;öppen;2026-11-12', 'BoU 2;forhandsbedomning;finns-inte;inte en adress;öppen;2026-02-30', 'BoU 3;forhandsbedomning;bou-mottagning;;;'];
      const result = parseCaseworkCsv([header, ...rows].join('\n'), { source: 's', unitIds: UNITS });
      assert.ok(!result.ok);
      assert.deepEqual(result.errors.map((e) => [e.line, e.column]), [[3, 'enhet'], [3, 'handläggare'], [3, 'orosanmälan_mottagen'], [4, 'orosanmälan_mottagen']]);
    });
  });

  describe('the identity-number pre-check', () => {
    const NUMBERS = ['850709-9805', '198507099805', '850769-9802', '19 850709-9805', '85 07 09-9805', '85.07.09-9805', '1985-07-09-9805', '850709 - 9805', '850709\u20139805', '8507\n099805', '850709-\r\n9805', '８５０７０９-９８０５', '850709\u00ad-9805', '850709\u200b9805', '850709\u00a09805', '12 12 12-12 12', '121212+1212', 'pnr:850709-9805', 'ärende 850709-9805 öppnat'];

    it('never says no where the detector finds a number', () => {
      for (const text of NUMBERS) {
        assert.ok(findIdentityNumbers(text).length > 0, `control: ${JSON.stringify(text)}`);
        assert.ok(mayHoldIdentityNumber(text), JSON.stringify(text));
      }
      const next = random(7);
      const alphabet = ['0', '1', '5', '9', ' ', '  ', '-', '+', '.', '\n', '\r\n', '\t', ';', '/', 'a', 'Ö', 'é', '\u00ad', '\u200b', '\u2013', '８', '٣', '\u00a0', '²', '①'];
      let found = 0;
      for (let n = 0; n < 20_000; n++) {
        // A known number with a few characters inserted, replaced or removed.
        let text = NUMBERS[Math.floor(next() * NUMBERS.length)]!;
        const edits = Math.floor(next() * 4);
        for (let k = 0; k < edits; k++) {
          const at = Math.floor(next() * (text.length + 1));
          const ch = alphabet[Math.floor(next() * alphabet.length)]!;
          const kind = next();
          text = kind < 0.4 ? text.slice(0, at) + ch + text.slice(at) : kind < 0.7 ? text.slice(0, at) + ch + text.slice(at + 1) : text.slice(0, at) + text.slice(at + 1);
        }
        if (findIdentityNumbers(text).length === 0) continue;
        found++;
        assert.ok(mayHoldIdentityNumber(text), JSON.stringify(text));
      }
      assert.ok(found > 5000, `${found} generated texts hold a number`);
    });

    it('says no for the cells and lines of an ordinary export, so the detector is skipped there', () => {
      for (const text of ['BoU 2026/123456', '2026-11-12', 'meganb@exempelby.example', 'öppen', 'BoU 2026/1;forhandsbedomning;bou-mottagning;;öppen;2026-11-12;;;', 'Övervägande, placerat barn (SoL)']) {
        assert.equal(mayHoldIdentityNumber(text), false, text);
      }
      assert.equal(mayHoldIdentityNumber('x;850709-9805;y', 2, 13), true);
      assert.equal(mayHoldIdentityNumber('x;850709-9805;y', 0, 8), false);
    });
  });

  describe('the deadlines the import stores', () => {
    it('are toRecord\'s with a plain calendar, for every type, over three years of holidays', async () => {
      const sample = SAMPLE.trimEnd().split(/\r?\n/);
      const [header, ...rows] = sample;
      const shift = (line: string, days: number, k: number) =>
        line
          .replace(/^[^;]+/, (ref) => `${ref}-${k}`)
          .replace(/\d{4}-\d{2}-\d{2}/g, (d) => new Date(Date.parse(`${d}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10));
      const lines: string[] = [];
      for (let k = 0; k < 60; k++) for (const row of rows) lines.push(shift(row, k * 17, k));
      const units = SAMPLE_UNITS;
      const opts = { source: 'pc', unitIds: units, today: '2026-11-22' };
      // Rows the shift makes invalid (e.g. a start before a rule existed) are left out.
      const first = parseCaseworkCsv([header, ...lines].join('\n'), opts);
      const refused = new Set(first.ok ? [] : first.errors.map((e) => e.line));
      const csv = [header, ...lines.filter((_, i) => !refused.has(i + 2))].join('\n');
      const parsed = parseCaseworkCsv(csv, opts);
      assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors.slice(0, 3)));
      assert.ok(parsed.items.length > 1000);

      const store = SqliteStore.open({ filename: ':memory:' });
      try {
        await store.migrate();
        const deps = { store, unitIds: () => units, now: () => new Date('2026-11-22T10:00:00Z'), timeZone: 'Europe/Stockholm', closeMissing: true, judgmentDays: 10, logger: createLogger('silent') };
        const calendar = statutoryCalendar('Europe/Stockholm');
        const expected = new Map(
          (await withHistory(deps, 'pc', parsed.items)).map((i) => {
            const r = toRecord(i, 'Europe/Stockholm', { calendar, judgmentDays: 10 });
            return [`${r.caseReference}|${r.type}|${r.openingKey}`, [r.dueOn, r.stopsOn]];
          }),
        );
        const out = await importCasework(deps, { source: 'pc', csv, full: true, actor: 't' });
        assert.ok(out.ok && out.result.inserted === parsed.items.length);
        const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
        const stored = db.prepare('SELECT case_reference AS ref, item_type AS type, opening_key AS opening, due_on AS due, stops_on AS stops FROM casework_items').all() as { ref: string; type: string; opening: string; due: string | null; stops: string | null }[];
        assert.equal(stored.length, expected.size);
        for (const s of stored) assert.deepEqual([s.due ?? undefined, s.stops ?? undefined], expected.get(`${s.ref}|${s.type}|${s.opening}`), `${s.ref} ${s.type}`);
        assert.ok(stored.filter((s) => s.due !== null).length > 1000);
      } finally {
        await store.close();
      }
    });
  });
});

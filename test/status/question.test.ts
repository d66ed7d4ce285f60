import assert from 'node:assert/strict';
import {
  distance,
  foldSwedish,
  parseStatusQuestion,
  quotable,
  type StatusQuestionContext,
  type StatusScopeCandidate,
} from '../../src/status/question';

// Scopes as in env/organisation.demo.yaml.
const DEMO_SCOPES: StatusScopeCandidate[] = [
  { kind: 'committee', id: 'socialnamnden', name: 'Socialnämnden' },
  { kind: 'committee', id: 'vard-och-omsorg', name: 'Vård- och omsorgsnämnden' },
  { kind: 'unit', id: 'bou-mottagning', name: 'Barn och unga – mottagning och utredning' },
  { kind: 'unit', id: 'bou-familjehem', name: 'Familjehemsenheten' },
  { kind: 'unit', id: 'vuxenenheten', name: 'Vuxenenheten' },
  { kind: 'unit', id: 'ekonomiskt-bistand', name: 'Försörjningsstöd' },
  { kind: 'unit', id: 'solgarden', name: 'Solgårdens särskilda boende' },
  { kind: 'unit', id: 'hemtjanst-norr', name: 'Hemtjänst Norr' },
  { kind: 'unit', id: 'gruppbostad-eken', name: 'Gruppbostaden Eken' },
];

const TZ = 'Europe/Stockholm';
// Sunday of ISO week 47 2026, 13:00 local (CET). DST ended on Sunday 25 October 2026.
const NOW = '2026-11-22T12:00:00.000Z';
const W47 = '2026-11-15T23:00:00.000Z'; // Monday 16 November 00:00 CET
// Saturday 2 January 2027 = ISO 2026-W53 (2026 has 53 weeks, 2025 and 2027 have 52).
const NEW_YEAR = '2027-01-02T12:00:00.000Z';
// Tuesday 5 January 2027 = ISO 2027-W01.
const WEEK_ONE = '2027-01-05T12:00:00.000Z';
// Tuesday 27 October 2026 11:00 CET, two days after the autumn DST change (CEST → CET).
const AUTUMN = '2026-10-27T10:00:00.000Z';
// Tuesday 31 March 2026 12:00 CEST, two days after the spring DST change (CET → CEST).
const SPRING = '2026-03-31T10:00:00.000Z';

function ctx(now: string, scopes: StatusScopeCandidate[] = DEMO_SCOPES): StatusQuestionContext {
  return { now: new Date(now), timeZone: TZ, scopes };
}

type Ok = { scope?: string; label: string; from: string; to: string };
type Err = { error: RegExp; suggestions?: string[] };
// [rest as the chat layer passes it, now, expected]
const table: [string, string, Ok | Err][] = [
  // --- periods (no scope) ---
  ['', NOW, { label: 'denna vecka', from: W47, to: NOW }],
  ['denna vecka', NOW, { label: 'denna vecka', from: W47, to: NOW }],
  ['den här veckan', NOW, { label: 'denna vecka', from: W47, to: NOW }],
  ['i veckan', NOW, { label: 'denna vecka', from: W47, to: NOW }],
  ['vecka 47', NOW, { label: 'vecka 47 2026', from: W47, to: NOW }],
  ['v 47', NOW, { label: 'vecka 47 2026', from: W47, to: NOW }],
  ['v.47', NOW, { label: 'vecka 47 2026', from: W47, to: NOW }],
  ['v47', NOW, { label: 'vecka 47 2026', from: W47, to: NOW }],
  ['veckan 47', NOW, { label: 'vecka 47 2026', from: W47, to: NOW }],
  ['vekca 47', NOW, { label: 'vecka 47 2026', from: W47, to: NOW }],
  ['vecka 48', NOW, { label: 'vecka 48 2025', from: '2025-11-23T23:00:00.000Z', to: '2025-11-30T23:00:00.000Z' }],
  ['vecka 47 2025', NOW, { label: 'vecka 47 2025', from: '2025-11-16T23:00:00.000Z', to: '2025-11-23T23:00:00.000Z' }],
  ['förra veckan', NOW, { label: 'vecka 46 2026', from: '2026-11-08T23:00:00.000Z', to: W47 }],
  ['forra veckan', NOW, { label: 'vecka 46 2026', from: '2026-11-08T23:00:00.000Z', to: W47 }],
  // 30 calendar days back from 13:00 CET is 23 October 13:00 CEST = 11:00Z (30 × 24 h + 1 h).
  ['senaste 30 dagarna', NOW, { label: 'senaste 30 dagarna', from: '2026-10-23T11:00:00.000Z', to: NOW }],
  ['de senaste 30 dagarna', NOW, { label: 'senaste 30 dagarna', from: '2026-10-23T11:00:00.000Z', to: NOW }],
  ['senaste 30 dagar', NOW, { label: 'senaste 30 dagarna', from: '2026-10-23T11:00:00.000Z', to: NOW }],
  ['senast 30 dagarna', NOW, { label: 'senaste 30 dagarna', from: '2026-10-23T11:00:00.000Z', to: NOW }],
  ['senaste tre dagarna', NOW, { label: 'senaste 3 dagarna', from: '2026-11-19T12:00:00.000Z', to: NOW }],
  ['senaste veckan', NOW, { label: 'senaste 7 dagarna', from: '2026-11-15T12:00:00.000Z', to: NOW }],
  ['senaste 3 veckorna', NOW, { label: 'senaste 3 veckorna', from: '2026-11-01T12:00:00.000Z', to: NOW }],
  ['senaste dygnet', NOW, { label: 'senaste dygnet', from: '2026-11-21T12:00:00.000Z', to: NOW }],
  ['senaste 366 dagarna', NOW, { label: 'senaste 366 dagarna', from: '2025-11-21T12:00:00.000Z', to: NOW }],
  ['denna månad', NOW, { label: 'denna månad', from: '2026-10-31T23:00:00.000Z', to: NOW }],
  ['den här månaden', NOW, { label: 'denna månad', from: '2026-10-31T23:00:00.000Z', to: NOW }],
  ['i manaden', NOW, { label: 'denna månad', from: '2026-10-31T23:00:00.000Z', to: NOW }],
  ['förra månaden', NOW, { label: 'oktober 2026', from: '2026-09-30T22:00:00.000Z', to: '2026-10-31T23:00:00.000Z' }],
  ['november', NOW, { label: 'november 2026', from: '2026-10-31T23:00:00.000Z', to: NOW }],
  ['i oktober', NOW, { label: 'oktober 2026', from: '2026-09-30T22:00:00.000Z', to: '2026-10-31T23:00:00.000Z' }],
  ['okt', NOW, { label: 'oktober 2026', from: '2026-09-30T22:00:00.000Z', to: '2026-10-31T23:00:00.000Z' }],
  ['oktorber', NOW, { label: 'oktober 2026', from: '2026-09-30T22:00:00.000Z', to: '2026-10-31T23:00:00.000Z' }],
  ['december', NOW, { label: 'december 2025', from: '2025-11-30T23:00:00.000Z', to: '2025-12-31T23:00:00.000Z' }],
  ['oktober 2025', NOW, { label: 'oktober 2025', from: '2025-09-30T22:00:00.000Z', to: '2025-10-31T23:00:00.000Z' }],
  ['i år', NOW, { label: 'i år', from: '2025-12-31T23:00:00.000Z', to: NOW }],
  ['hittills i år', NOW, { label: 'i år', from: '2025-12-31T23:00:00.000Z', to: NOW }],
  ['förra året', NOW, { label: '2025', from: '2024-12-31T23:00:00.000Z', to: '2025-12-31T23:00:00.000Z' }],
  ['första halvåret', NOW, { label: 'första halvåret 2026', from: '2025-12-31T23:00:00.000Z', to: '2026-06-30T22:00:00.000Z' }],
  ['andra halvaret', NOW, { label: 'andra halvåret 2026', from: '2026-06-30T22:00:00.000Z', to: NOW }],
  ['andra halvåret 2025', NOW, { label: 'andra halvåret 2025', from: '2025-06-30T22:00:00.000Z', to: '2025-12-31T23:00:00.000Z' }],
  // Before 1 July, "andra halvåret" is last year's: the most recent that has started.
  ['andra halvåret', '2026-03-01T12:00:00.000Z', { label: 'andra halvåret 2025', from: '2025-06-30T22:00:00.000Z', to: '2025-12-31T23:00:00.000Z' }],
  ['i dag', NOW, { label: 'i dag', from: '2026-11-21T23:00:00.000Z', to: NOW }],
  ['i går', NOW, { label: '21 november 2026', from: '2026-11-20T23:00:00.000Z', to: '2026-11-21T23:00:00.000Z' }],

  // --- scopes, with and without a period ---
  ['för barn och unga', NOW, { scope: 'bou-mottagning', label: 'denna vecka', from: W47, to: NOW }],
  ['för socialnämnden i oktober', NOW, { scope: 'socialnamnden', label: 'oktober 2026', from: '2026-09-30T22:00:00.000Z', to: '2026-10-31T23:00:00.000Z' }],
  ['v.47 för vuxenenheten', NOW, { scope: 'vuxenenheten', label: 'vecka 47 2026', from: W47, to: NOW }],
  ['barn och unga senaste 14 dagarna', NOW, { scope: 'bou-mottagning', label: 'senaste 14 dagarna', from: '2026-11-08T12:00:00.000Z', to: NOW }],
  ['på hemtjänst norr förra veckan', NOW, { scope: 'hemtjanst-norr', label: 'vecka 46 2026', from: '2026-11-08T23:00:00.000Z', to: W47 }],
  ['inom vård- och omsorgsnämnden', NOW, { scope: 'vard-och-omsorg', label: 'denna vecka', from: W47, to: NOW }],
  ['eken vecka 12', NOW, { scope: 'gruppbostad-eken', label: 'vecka 12 2026', from: '2026-03-15T23:00:00.000Z', to: '2026-03-22T23:00:00.000Z' }],
  ['barn och ungs', NOW, { scope: 'bou-mottagning', label: 'denna vecka', from: W47, to: NOW }],
  ['Barn o unga', NOW, { scope: 'bou-mottagning', label: 'denna vecka', from: W47, to: NOW }],
  ['barn & unga', NOW, { scope: 'bou-mottagning', label: 'denna vecka', from: W47, to: NOW }],
  ['barn unga', NOW, { scope: 'bou-mottagning', label: 'denna vecka', from: W47, to: NOW }],
  ['barnochunga', NOW, { scope: 'bou-mottagning', label: 'denna vecka', from: W47, to: NOW }],
  ['socialnamnden', NOW, { scope: 'socialnamnden', label: 'denna vecka', from: W47, to: NOW }],
  ['socialnämden', NOW, { scope: 'socialnamnden', label: 'denna vecka', from: W47, to: NOW }],
  ['vuxenenhten', NOW, { scope: 'vuxenenheten', label: 'denna vecka', from: W47, to: NOW }],
  ['VUXENENHETEN', NOW, { scope: 'vuxenenheten', label: 'denna vecka', from: W47, to: NOW }],
  ['vard och omsorgsnamnden', NOW, { scope: 'vard-och-omsorg', label: 'denna vecka', from: W47, to: NOW }],
  ['vård och omsorg', NOW, { scope: 'vard-och-omsorg', label: 'denna vecka', from: W47, to: NOW }],
  ['forsorjningsstod', NOW, { scope: 'ekonomiskt-bistand', label: 'denna vecka', from: W47, to: NOW }],
  ['försörjningstöd', NOW, { scope: 'ekonomiskt-bistand', label: 'denna vecka', from: W47, to: NOW }],
  ['ekonomiskt bistånd', NOW, { scope: 'ekonomiskt-bistand', label: 'denna vecka', from: W47, to: NOW }],
  ['solgardens sarskilda boende', NOW, { scope: 'solgarden', label: 'denna vecka', from: W47, to: NOW }],
  ['solgården', NOW, { scope: 'solgarden', label: 'denna vecka', from: W47, to: NOW }],
  ['familjehem', NOW, { scope: 'bou-familjehem', label: 'denna vecka', from: W47, to: NOW }],
  ['hemtjanst', NOW, { scope: 'hemtjanst-norr', label: 'denna vecka', from: W47, to: NOW }],
  // "norra" is one typo from "förra" but close to the scope word "norr": not a period.
  ['hemtjänst norra', NOW, { scope: 'hemtjanst-norr', label: 'denna vecka', from: W47, to: NOW }],
  ['gruppbostaden ekn', NOW, { scope: 'gruppbostad-eken', label: 'denna vecka', from: W47, to: NOW }],
  ['hur är läget för eken', NOW, { scope: 'gruppbostad-eken', label: 'denna vecka', from: W47, to: NOW }],
  ['för alla', NOW, { label: 'denna vecka', from: W47, to: NOW }],

  // --- year end: 2026 has an ISO week 53 ---
  ['', NEW_YEAR, { label: 'denna vecka', from: '2026-12-27T23:00:00.000Z', to: NEW_YEAR }],
  ['vecka 53', NEW_YEAR, { label: 'vecka 53 2026', from: '2026-12-27T23:00:00.000Z', to: NEW_YEAR }],
  ['vecka 1', NEW_YEAR, { label: 'vecka 1 2026', from: '2025-12-28T23:00:00.000Z', to: '2026-01-04T23:00:00.000Z' }],
  ['förra veckan', NEW_YEAR, { label: 'vecka 52 2026', from: '2026-12-20T23:00:00.000Z', to: '2026-12-27T23:00:00.000Z' }],
  ['i år', NEW_YEAR, { label: 'i år', from: '2026-12-31T23:00:00.000Z', to: NEW_YEAR }],
  ['januari', NEW_YEAR, { label: 'januari 2027', from: '2026-12-31T23:00:00.000Z', to: NEW_YEAR }],
  ['december', NEW_YEAR, { label: 'december 2026', from: '2026-11-30T23:00:00.000Z', to: '2026-12-31T23:00:00.000Z' }],
  ['förra månaden', NEW_YEAR, { label: 'december 2026', from: '2026-11-30T23:00:00.000Z', to: '2026-12-31T23:00:00.000Z' }],
  ['vecka 53', WEEK_ONE, { label: 'vecka 53 2026', from: '2026-12-27T23:00:00.000Z', to: '2027-01-03T23:00:00.000Z' }],
  ['förra veckan', WEEK_ONE, { label: 'vecka 53 2026', from: '2026-12-27T23:00:00.000Z', to: '2027-01-03T23:00:00.000Z' }],
  ['vecka 52', WEEK_ONE, { label: 'vecka 52 2026', from: '2026-12-20T23:00:00.000Z', to: '2026-12-27T23:00:00.000Z' }],
  ['vecka 1', WEEK_ONE, { label: 'vecka 1 2027', from: '2027-01-03T23:00:00.000Z', to: WEEK_ONE }],

  // --- DST: boundaries are local midnights, so spans are 7 days ± 1 hour ---
  ['', AUTUMN, { label: 'denna vecka', from: '2026-10-25T23:00:00.000Z', to: AUTUMN }],
  ['förra veckan', AUTUMN, { label: 'vecka 43 2026', from: '2026-10-18T22:00:00.000Z', to: '2026-10-25T23:00:00.000Z' }],
  ['senaste 7 dagarna', AUTUMN, { label: 'senaste 7 dagarna', from: '2026-10-20T09:00:00.000Z', to: AUTUMN }],
  ['oktober', AUTUMN, { label: 'oktober 2026', from: '2026-09-30T22:00:00.000Z', to: AUTUMN }],
  ['förra veckan', SPRING, { label: 'vecka 13 2026', from: '2026-03-22T23:00:00.000Z', to: '2026-03-29T22:00:00.000Z' }],
  ['senaste 7 dagarna', SPRING, { label: 'senaste 7 dagarna', from: '2026-03-24T11:00:00.000Z', to: SPRING }],
  ['mars', SPRING, { label: 'mars 2026', from: '2026-02-28T23:00:00.000Z', to: SPRING }],

  // --- not understood: message + suggestions ---
  ['enheten', NOW, { error: /flera.*Familjehemsenheten.*Vuxenenheten/, suggestions: ['status för Familjehemsenheten', 'status för Vuxenenheten'] }],
  ['nämnden', NOW, { error: /flera/, suggestions: ['status för Socialnämnden', 'status för Vård- och omsorgsnämnden'] }],
  ['bou vecka 47', NOW, { error: /flera/, suggestions: ['status för Barn och unga – mottagning och utredning vecka 47', 'status för Familjehemsenheten vecka 47'] }],
  // 2026's week 53 has not started on 22 November, and 2025 had no week 53.
  ['vecka 53', NOW, { error: /Vecka 53 2026 har inte börjat.*2025 hade ingen vecka 53/ }],
  ['vecka 53 2025', NOW, { error: /2025 har ingen vecka 53/ }],
  ['vecka 54', NOW, { error: /ingen vecka 54/ }],
  ['vecka 0', NOW, { error: /ingen vecka 0/ }],
  ['december 2026', NOW, { error: /December 2026 har inte börjat/ }],
  ['2027', NOW, { error: /2027 har inte börjat/ }],
  ['senaste 400 dagarna', NOW, { error: /mellan 1 och 366 dagar/ }],
  ['senaste 0 dagarna', NOW, { error: /mellan 1 och 366 dagar/ }],
  ['vecka 47 oktober', NOW, { error: /en period i taget/, suggestions: ['status vecka 47', 'status oktober'] }],
  ['vuxenenheten och försörjningsstöd', NOW, { error: /en enhet eller nämnd i taget/, suggestions: ['status för Vuxenenheten', 'status för Försörjningsstöd'] }],
  ['senaste dagarna', NOW, { error: /vilken period/, suggestions: ['status vecka 47', 'status förra veckan', 'status senaste 30 dagarna', 'status oktober'] }],
  ['senaste dagarna för vuxenenheten', NOW, { error: /vilken period/ }],
  ['47', NOW, { error: /vilken period/, suggestions: ['status vecka 47', 'status senaste 47 dagarna'] }],
  ['hemtjänst söder', NOW, { error: /ingen enhet eller nämnd som heter ”hemtjänst söder”/, suggestions: ['status för Hemtjänst Norr'] }],
  ['xyzzy', NOW, { error: /förstod inte ”xyzzy”/ }],
  ['lönekostnader', NOW, { error: /förstod inte/ }],
];

describe('parseStatusQuestion', () => {
  describe('phrase table', () => {
    for (const [rest, now, expected] of table) {
      const title = 'error' in expected ? `error ${expected.error}` : `${expected.scope ?? '(no scope)'}, ${expected.label}`;
      it(`${JSON.stringify(rest)} at ${now} → ${title}`, () => {
        const r = parseStatusQuestion(rest, ctx(now));
        if ('error' in expected) {
          assert.equal(r.ok, false, JSON.stringify(r));
          if (r.ok) return;
          assert.match(r.message, expected.error);
          assert.ok(r.suggestions.length > 0);
          if (expected.suggestions) assert.deepEqual(r.suggestions, expected.suggestions);
        } else {
          assert.equal(r.ok, true, JSON.stringify(r));
          if (!r.ok) return;
          assert.equal(r.scope?.id, expected.scope);
          assert.equal(r.period.label, expected.label);
          assert.equal(r.period.from.toISOString(), expected.from);
          assert.equal(r.period.to.toISOString(), expected.to);
        }
      });
    }
  });

  it('returns the scope kind and display name', () => {
    const r = parseStatusQuestion('för socialnamnden', ctx(NOW));
    assert.deepEqual(r.ok && r.scope, { kind: 'committee', id: 'socialnamnden', name: 'Socialnämnden' });
    const u = parseStatusQuestion('barn och unga', ctx(NOW));
    assert.deepEqual(u.ok && u.scope, { kind: 'unit', id: 'bou-mottagning', name: 'Barn och unga – mottagning och utredning' });
  });

  describe('two units sharing a word', () => {
    const scopes: StatusScopeCandidate[] = [...DEMO_SCOPES, { kind: 'unit', id: 'hemtjanst-soder', name: 'Hemtjänst Söder' }];
    it('"hemtjänst" is ambiguous and the suggestions keep the period', () => {
      const r = parseStatusQuestion('hemtjänst vecka 47', ctx(NOW, scopes));
      assert.equal(r.ok, false);
      assert.deepEqual(!r.ok && r.suggestions, ['status för Hemtjänst Norr vecka 47', 'status för Hemtjänst Söder vecka 47']);
      assert.match(!r.ok ? r.message : '', /”Hemtjänst Norr” eller ”Hemtjänst Söder”/);
    });
    for (const [rest, id] of [
      ['hemtjänst söder', 'hemtjanst-soder'],
      ['hemtjanst soder', 'hemtjanst-soder'],
      ['hemtjanst sodr', 'hemtjanst-soder'],
      ['söder', 'hemtjanst-soder'],
      ['hemtjänst norr', 'hemtjanst-norr'],
      ['hemtjanst n', 'hemtjanst-norr'],
    ] as const) {
      it(`"${rest}" → ${id}`, () => {
        const r = parseStatusQuestion(rest, ctx(NOW, scopes));
        assert.equal(r.ok && r.scope?.id, id, JSON.stringify(r));
      });
    }
  });

  it('matches caller-supplied aliases', () => {
    const scopes = DEMO_SCOPES.map((s) => (s.id === 'socialnamnden' ? { ...s, aliases: ['IFO', 'Individ- och familjeomsorgen'] } : s));
    for (const rest of ['ifo', 'för IFO förra veckan', 'individ och familjeomsorgen']) {
      const r = parseStatusQuestion(rest, ctx(NOW, scopes));
      assert.equal(r.ok && r.scope?.id, 'socialnamnden', rest);
    }
  });

  it('every suggestion parses again (with "status " removed, lower-cased as the chat layer does)', () => {
    let checked = 0;
    for (const [rest, now, expected] of table) {
      if (!('error' in expected)) continue;
      const r = parseStatusQuestion(rest, ctx(now));
      assert.equal(r.ok, false);
      if (r.ok) continue;
      for (const s of r.suggestions) {
        assert.match(s, /^status /);
        const again = parseStatusQuestion(s.slice('status '.length).toLowerCase().trim(), ctx(now));
        assert.equal(again.ok, true, `${s} (from ${JSON.stringify(rest)}): ${JSON.stringify(again)}`);
        checked++;
      }
    }
    assert.ok(checked > 30);
  });

  it('is deterministic and does not keep state between calls', () => {
    const a = parseStatusQuestion('för barn och unga senaste 30 dagarna', ctx(NOW));
    parseStatusQuestion('xyzzy', ctx(NOW));
    const b = parseStatusQuestion('för barn och unga senaste 30 dagarna', ctx(NOW));
    assert.deepEqual(a, b);
  });

  it('never ends a period after now and never starts one after its end', () => {
    for (const [rest, now, expected] of table) {
      if ('error' in expected) continue;
      const r = parseStatusQuestion(rest, ctx(now));
      assert.ok(r.ok);
      assert.ok(r.period.to.getTime() <= new Date(now).getTime(), rest);
      assert.ok(r.period.from.getTime() <= r.period.to.getTime(), rest);
    }
  });

  it('throws on an invalid time zone (a configuration error, not a user error)', () => {
    assert.throws(() => parseStatusQuestion('', { now: new Date(NOW), timeZone: 'Europe/Nowhere', scopes: [] }), /time zone/);
  });
});

describe('foldSwedish', () => {
  const cases: [string, string][] = [
    ['Vård- och omsorgsnämnden', 'vard och omsorgsnamnden'],
    ['Barn och unga – mottagning och utredning', 'barn och unga mottagning och utredning'],
    ['FÖRSÖRJNINGSSTÖD', 'forsorjningsstod'],
    ['Solgårdens särskilda boende', 'solgardens sarskilda boende'],
    ['  v.47? ', 'v 47'],
    ['Barn & unga', 'barn och unga'],
    ['Café Müller', 'cafe muller'],
  ];
  for (const [input, folded] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(folded)}`, () => assert.equal(foldSwedish(input), folded));
  }
});

describe('distance (Damerau–Levenshtein, optimal string alignment)', () => {
  const cases: [string, string, number][] = [
    ['', '', 0],
    ['', 'abc', 3],
    ['vuxenenheten', 'vuxenenheten', 0],
    ['vuxenenhten', 'vuxenenheten', 1], // deletion
    ['vekca', 'vecka', 1], // transposition
    ['unga', 'ungs', 1], // substitution
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3], // OSA, not unrestricted Damerau (which gives 2)
  ];
  for (const [a, b, d] of cases) {
    it(`${JSON.stringify(a)} ↔ ${JSON.stringify(b)} = ${d}`, () => {
      assert.equal(distance(a, b), d);
      assert.equal(distance(b, a), d);
    });
  }
});

describe('quoting a question back (quotable)', () => {
  const rows: [string, string][] = [
    ['enhet 19850709-98-05', 'enhet …'],
    ['vecka 47', 'vecka 47'],
    ['850709 9805', '…'],
    ['８５０７０９－９８０５', '…'],
    ['2026-01-15', '…'],
    ['senaste 30 dagarna', 'senaste 30 dagarna'],
    ['12345', '12345'],
  ];
  for (const [text, quoted] of rows) {
    it(`"${text}" → "${quoted}"`, () => assert.equal(quotable(text), quoted));
  }
});

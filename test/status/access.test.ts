/** Who may see which status summary: every demo person × every nämnd and unit, and the bar table. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { allScopes, scopeFor, statusAccess } from '../../src/status/access';
import { unitBar } from '../../src/cards/status-cards';

const dir = new Directory(loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml')));
const id = (n: number) => `00000000-0000-0000-0000-00000000000${n}`;
const SN = ['socialnamnden', 'bou-mottagning', 'bou-familjehem', 'vuxenenheten', 'ekonomiskt-bistand'];
const VO = ['vard-och-omsorg', 'solgarden', 'hemtjanst-norr', 'gruppbostad-eken'];

describe('status access matrix (role × scope)', () => {
  const cases: { who: string; entraId: string; roles: string; sees: string[]; defaultTitle?: string; defaultKind?: string }[] = [
    { who: 'Alex', entraId: id(20), roles: 'chef + samordnare Socialnämnden, enhetschef', sees: SN, defaultTitle: 'Socialnämnden', defaultKind: 'committee' },
    { who: 'Megan', entraId: id(21), roles: 'medarbetare', sees: [] },
    { who: 'Adele', entraId: id(22), roles: 'enhetschef for two units', sees: ['bou-mottagning', 'bou-familjehem'], defaultTitle: 'Barn och unga – mottagning och utredning, Familjehemsenheten', defaultKind: 'mine' },
    { who: 'Lee', entraId: id(23), roles: 'samordnare in both nämnder', sees: [...SN, ...VO], defaultTitle: 'Socialnämnden, Vård- och omsorgsnämnden', defaultKind: 'mine' },
    { who: 'Nestor', entraId: id(24), roles: 'chef Vård och omsorg + medarbetare', sees: VO, defaultTitle: 'Vård- och omsorgsnämnden', defaultKind: 'committee' },
    { who: 'a stranger', entraId: 'ffffffff-0000-0000-0000-000000000000', roles: 'not in the directory', sees: [] },
  ];
  for (const c of cases) {
    it(`${c.who} (${c.roles}) sees ${c.sees.length ? c.sees.join(', ') : 'nothing'}`, () => {
      const access = statusAccess(dir, c.entraId);
      for (const s of allScopes(dir)) {
        const got = scopeFor(dir, access, s.kind, s.id);
        assert.equal(!!got, c.sees.includes(s.id), `${c.who} × ${s.kind} ${s.id}`);
        if (got) assert.deepEqual(got.units.map((u) => u.committeeId === s.id || u.id === s.id), got.units.map(() => true));
      }
      assert.equal(access.defaultScope?.title, c.defaultTitle);
      assert.equal(access.defaultScope?.kind, c.defaultKind);
      if (access.defaultScope) assert.deepEqual(access.defaultScope.units.map((u) => u.id).sort(), c.sees.filter((s) => !['socialnamnden', 'vard-och-omsorg'].includes(s)).sort());
    });
  }

  it('a nämnd scope counts every unit of the nämnd and nothing else', () => {
    const s = scopeFor(dir, statusAccess(dir, id(20)), 'committee', 'socialnamnden');
    assert.deepEqual(s?.units.map((u) => u.id), SN.slice(1));
  });
});

describe('status card bars', () => {
  const table: [overdue: number, approaching: number, max: number, bar: string[]][] = [
    [0, 0, 0, []],
    [0, 0, 5, []],
    [5, 0, 5, ['attention:100']],
    [0, 5, 5, ['warning:100']],
    [2, 1, 3, ['attention:67', 'warning:33']],
    [1, 0, 3, ['attention:33', 'default:67']],
    [1, 1, 3, ['attention:33', 'warning:33', 'default:34']],
    // A tiny share still shows (at least 1), and the parts never add up past 100.
    [1, 0, 1000, ['attention:1', 'default:99']],
    [999, 1, 1000, ['attention:99', 'warning:1']],
    [1, 999, 1000, ['attention:1', 'warning:99']],
  ];
  for (const [overdue, approaching, max, bar] of table) {
    it(`${overdue} overdue + ${approaching} approaching of max ${max} → ${bar.join(' ') || 'no bar'}`, () => {
      const got = unitBar({ overdue, approaching }, max);
      assert.deepEqual(got.map((s) => `${s.style}:${s.weight}`), bar);
      if (got.length) assert.equal(got.reduce((n, s) => n + Number(s.weight), 0), 100);
      for (const s of got.filter((x) => x.style !== 'default')) assert.equal(s.label, String(s.style === 'attention' ? overdue : approaching));
    });
  }
});

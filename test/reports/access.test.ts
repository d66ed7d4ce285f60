import assert from 'node:assert/strict';
import path from 'node:path';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { newReportRecipients, reportAccess, reportingRefusal, reportingUnits, reportRecipients, type AccessBasis, type UnknownReporterPolicy } from '../../src/reports/access';
import { organisationSchema } from '../../src/org/schema';

const dir = new Directory(loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml')));
const id = (n: number) => `00000000-0000-0000-0000-00000000000${n}`;
const ALEX = id(20), MEGAN = id(21), ADELE = id(22), LEE = id(23), NESTOR = id(24);
const STRANGER = 'ffffffff-0000-0000-0000-000000000099';

describe('report access matrix (demo organisation)', () => {
  const reportByMegan = { reporterEntraId: MEGAN, unitId: 'bou-mottagning', committeeId: 'socialnamnden' };
  const reportAtSolgarden = { reporterEntraId: NESTOR, unitId: 'solgarden', committeeId: 'vard-och-omsorg' };
  const reportAtFamiljehem = { reporterEntraId: ADELE, unitId: 'bou-familjehem', committeeId: 'socialnamnden' };

  // [who, report, expected basis or undefined]
  const table: [string, string | undefined, typeof reportByMegan, AccessBasis | undefined][] = [
    ['the reporter', MEGAN, reportByMegan, 'reporter'],
    ['the unit\'s enhetschef', ADELE, reportByMegan, 'enhetschef'],
    ['enhetschef who is also samordnare and chef', ALEX, reportByMegan, 'enhetschef'],
    ['the nämnd\'s samordnare', LEE, reportByMegan, 'samordnare'],
    ['a chef of another nämnd', NESTOR, reportByMegan, undefined],
    ['a colleague in the same unit', MEGAN, reportAtFamiljehem, undefined],
    ['someone not in the directory', STRANGER, reportByMegan, undefined],
    ['nobody', undefined, reportByMegan, undefined],
    ['chef of the nämnd (not enhetschef of the unit)', ALEX, reportAtFamiljehem, 'samordnare'],
    ['samordnare for both nämnder', LEE, reportAtSolgarden, 'samordnare'],
    ['chef of the nämnd for its unit', NESTOR, reportAtSolgarden, 'reporter'],
    ['enhetschef of another unit', ADELE, reportAtSolgarden, undefined],
    ['admin role alone gives no access', ALEX, reportAtSolgarden, undefined],
  ];
  for (const [who, entraId, report, expected] of table) {
    it(`${who} → ${expected ?? 'no access'}`, () => {
      assert.equal(reportAccess(dir, entraId, report), expected);
    });
  }

  it('chef role: Nestor may read another reporter\'s report in his nämnd', () => {
    assert.equal(reportAccess(dir, NESTOR, { reporterEntraId: MEGAN, unitId: 'hemtjanst-norr', committeeId: 'vard-och-omsorg' }), 'chef');
  });

  it('ids compare case-insensitively', () => {
    assert.equal(reportAccess(dir, MEGAN.toUpperCase(), { ...reportByMegan, reporterEntraId: MEGAN }), 'reporter');
  });
});

describe('who is told about a new report', () => {
  it('the unit\'s enhetschefer and the nämnd\'s samordnare, each person once', () => {
    assert.deepEqual(
      newReportRecipients(dir, 'bou-mottagning').map((r) => [r.name, r.role]),
      [['Alex Wilber', 'enhetschef'], ['Adele Vance', 'enhetschef'], ['Lee Gu', 'samordnare']],
    );
  });

  it('a unit without an enhetschef still reaches the samordnare', () => {
    assert.deepEqual(newReportRecipients(dir, 'solgarden').map((r) => r.name), ['Lee Gu']);
  });

  it('an unknown unit has no recipients', () => {
    assert.deepEqual(newReportRecipients(dir, 'nope'), []);
  });
});

describe('which units a person may report for (demo organisation)', () => {
  const SOCIAL = ['bou-mottagning', 'bou-familjehem', 'vuxenenheten', 'ekonomiskt-bistand'];
  const OMSORG = ['solgarden', 'hemtjanst-norr', 'gruppbostad-eken'];
  // [who, entraId, policy, units offered in order, the unit chosen at the start, routing] — or the refusal reason.
  const table: [string, string, UnknownReporterPolicy, string[] | string, string | undefined, 'unit' | 'samordnare' | undefined][] = [
    ['a medarbetare: her own unit first, then the rest of her nämnd', MEGAN, 'refuse', SOCIAL, 'bou-mottagning', 'unit'],
    ['an enhetschef of two units: both first, the first chosen', ADELE, 'refuse', SOCIAL, 'bou-mottagning', 'unit'],
    ['a chef who is medarbetare in one unit: that unit chosen, the nämnd offered', NESTOR, 'refuse', OMSORG, 'solgarden', 'unit'],
    ['a samordnare of two nämnder with no unit: every unit of both, none chosen', LEE, 'refuse', [...SOCIAL, ...OMSORG], undefined, 'unit'],
    ['Alex (every role in Socialnämnden): its units, his own first', ALEX, 'refuse', SOCIAL, 'bou-mottagning', 'unit'],
    ['someone not in the organisation file, refused by default', STRANGER, 'refuse', 'not-in-organisation', undefined, undefined],
    ['someone not in the organisation file, allowed: every unit, to the samordnare', STRANGER, 'allow', [...SOCIAL, ...OMSORG], undefined, 'samordnare'],
    ['the setting does not change a known person', MEGAN, 'allow', SOCIAL, 'bou-mottagning', 'unit'],
  ];
  for (const [who, entraId, policy, expected, chosen, routing] of table) {
    it(`${who} (${policy})`, () => {
      const r = reportingUnits(dir, entraId, policy);
      if (typeof expected === 'string') {
        assert.deepEqual(r, { kind: 'refused', reason: expected });
        return;
      }
      assert.equal(r.kind, 'units');
      if (r.kind !== 'units') return;
      assert.deepEqual(r.units.map((u) => u.id), expected);
      assert.equal(r.defaultUnitId, chosen);
      assert.equal(r.routing, routing);
    });
  }

  it('never offers a unit of a nämnd the person has no role in', () => {
    for (const p of [MEGAN, ADELE, NESTOR]) {
      const r = reportingUnits(dir, p, 'refuse');
      assert.equal(r.kind, 'units');
      const committees = new Set(r.kind === 'units' ? r.units.map((u) => u.committeeId) : []);
      assert.equal(committees.size, 1, p);
    }
  });

  it('ids compare case-insensitively', () => {
    assert.deepEqual(reportingUnits(dir, MEGAN.toUpperCase(), 'refuse'), reportingUnits(dir, MEGAN, 'refuse'));
  });

  const adminOnly = new Directory(
    organisationSchema.parse({
      municipality: 'Exempelby kommun',
      committees: [{ id: 'sn', name: 'Socialnämnden', units: [{ id: 'u1', name: 'Enhet 1', area: 'annat' }] }],
      people: [{ entraId: 'aaaaaaaa-0000-0000-0000-000000000001', name: 'Ada Admin', roles: [{ role: 'admin' }] }],
    }),
  );
  it('the person\'s own unit comes first even when it is not first in the file', () => {
    const org = organisationSchema.parse({
      municipality: 'X',
      committees: [{ id: 'sn', name: 'SN', units: ['u1', 'u2', 'u3'].map((id) => ({ id, name: id, area: 'annat' })) }],
      people: [{ entraId: 'aaaaaaaa-0000-0000-0000-000000000003', name: 'M', roles: [{ role: 'medarbetare', unit: 'u3' }] }],
    });
    const r = reportingUnits(new Directory(org), 'aaaaaaaa-0000-0000-0000-000000000003', 'refuse');
    assert.deepEqual(r.kind === 'units' && [r.units.map((u) => u.id), r.defaultUnitId], [['u3', 'u1', 'u2'], 'u3']);
  });

  it('a person in the file with no unit or nämnd (admin only) is refused, or with the setting routed to the samordnare', () => {
    assert.deepEqual(reportingUnits(adminOnly, 'aaaaaaaa-0000-0000-0000-000000000001', 'refuse'), { kind: 'refused', reason: 'no-unit', admin: true });
    const allowed = reportingUnits(adminOnly, 'aaaaaaaa-0000-0000-0000-000000000001', 'allow');
    assert.equal(allowed.kind === 'units' && allowed.routing, 'samordnare');
    // The reason goes with the routing: the samordnare's card and the person's note say "no unit", not "not in the file".
    assert.deepEqual(allowed.kind === 'units' && allowed.routing === 'samordnare' && allowed.unplaced, { reason: 'no-unit', admin: true });
  });

  it('each refusal is a Swedish explanation naming the municipality and what to do instead', () => {
    for (const reason of ['not-in-organisation', 'no-unit'] as const) {
      const text = reportingRefusal(reason, 'Exempelby kommun');
      assert.match(text, /Exempelby kommun/);
      assert.match(text, /organisationsfilen/);
      assert.match(text, /muntligt/, 'a report can still be made orally');
    }
    assert.notEqual(reportingRefusal('not-in-organisation', 'X'), reportingRefusal('no-unit', 'X'));
  });
});

describe('who is told about a report whose reporter is not in the organisation file', () => {
  it('only the nämnd\'s samordnare', () => {
    assert.deepEqual(reportRecipients(dir, 'bou-mottagning', 'samordnare').map((r) => [r.name, r.role]), [['Alex Wilber', 'samordnare'], ['Lee Gu', 'samordnare']]);
  });
  it('the usual recipients when routed by unit', () => {
    assert.deepEqual(reportRecipients(dir, 'bou-mottagning', 'unit'), newReportRecipients(dir, 'bou-mottagning'));
  });
  it('the unit\'s enhetschefer when the nämnd has no samordnare: a report always reaches someone', () => {
    const org = organisationSchema.parse({
      municipality: 'X',
      committees: [{ id: 'sn', name: 'SN', units: [{ id: 'u1', name: 'U1', area: 'annat' }] }],
      people: [{ entraId: 'aaaaaaaa-0000-0000-0000-000000000002', name: 'Enhetschefen', roles: [{ role: 'enhetschef', unit: 'u1' }] }],
    });
    assert.deepEqual(reportRecipients(new Directory(org), 'u1', 'samordnare').map((r) => [r.name, r.role]), [['Enhetschefen', 'enhetschef']]);
  });
});

import assert from 'node:assert/strict';
import path from 'node:path';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { newReportRecipients, reportAccess, type AccessBasis } from '../../src/reports/access';

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

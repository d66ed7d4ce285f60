import assert from 'node:assert/strict';
import path from 'node:path';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile, OrganisationFileError, parseOrganisation } from '../../src/org/load';

const valid = `
municipality: Testby kommun
committees:
  - id: sn
    name: Socialnämnden
    units:
      - { id: bou, name: Barn och unga, area: barn-och-unga }
      - { id: vuxen, name: Vuxen, area: vuxen }
people:
  - entraId: AAAAAAAA-0000-0000-0000-000000000001
    name: Anna
    roles:
      - { role: enhetschef, unit: bou }
      - { role: chef, committee: sn }
  - entraId: aaaaaaaa-0000-0000-0000-000000000002
    name: Bo
    roles: [{ role: medarbetare, unit: vuxen }]
`;

function problemsOf(text: string): string[] {
  try {
    parseOrganisation(text, 'org.yaml');
  } catch (err) {
    assert.ok(err instanceof OrganisationFileError);
    assert.match(err.message, /org\.yaml/);
    return err.problems;
  }
  assert.fail('expected the organisation to be refused');
}

describe('organisation file', () => {
  it('loads the shipped demo organisation, where the default Playground user has every role', () => {
    const org = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
    const dir = new Directory(org);
    const roles = dir.rolesOf('00000000-0000-0000-0000-0000000000020');
    assert.deepEqual([...roles].sort(), ['admin', 'chef', 'enhetschef', 'medarbetare', 'samordnare']);
    assert.ok(org.committees.length >= 2);
  });

  it('parses a valid file and lower-cases Entra ids', () => {
    const org = parseOrganisation(valid, 'org.yaml');
    assert.equal(org.people[0]?.entraId, 'aaaaaaaa-0000-0000-0000-000000000001');
  });

  it('accepts JSON too', () => {
    const org = parseOrganisation(JSON.stringify(parseOrganisation(valid, 'a.yaml')), 'org.json');
    assert.equal(org.committees[0]?.units.length, 2);
  });

  // [what is wrong, text, expected problem (path, line and reason)]
  const broken: [string, string, RegExp][] = [
    ['bad area', valid.replace('area: vuxen', 'area: vuxna'), /^committees\[0\]\.units\[1\]\.area \(line 8\): must be one of/],
    ['unknown unit in a role', valid.replace('unit: vuxen }]', 'unit: vuxenenheten }]'), /^people\[1\]\.roles\[0\]\.unit \(line 17\): unknown unit "vuxenenheten"/],
    ['unknown nämnd', valid.replace('committee: sn', 'committee: von'), /^people\[0\]\.roles\[1\]\.committee \(line 14\): unknown nämnd "von"/],
    ['duplicate unit', valid.replace('id: vuxen', 'id: bou'), /duplicate unit id "bou"/],
    ['duplicate person', valid.replace('aaaaaaaa-0000-0000-0000-000000000002', 'aaaaaaaa-0000-0000-0000-000000000001'), /^people\[1\]\.entraId.*duplicate person/],
    ['bad Entra id', valid.replace('AAAAAAAA-0000-0000-0000-000000000001', 'anna@kommun.se'), /^people\[0\]\.entraId \(line 10\): must be an Entra object id/],
    ['unknown role', valid.replace('role: medarbetare', 'role: praktikant'), /^people\[1\]\.roles\[0\]\.role/],
    ['missing name', valid.replace('    name: Anna\n', ''), /^people\[0\]\.name/],
    ['unknown key (typo)', valid.replace('municipality:', 'municipalty:'), /unrecognized key/i],
    ['YAML syntax error', valid.replace('  - id: sn', '  - id: [sn'), /^line \d+, column \d+/],
    ['no nämnder', 'municipality: X\ncommittees: []\n', /^committees.*at least one nämnd/],
  ];
  for (const [what, text, expected] of broken) {
    it(`reports ${what} with the path, line and reason`, () => {
      const problems = problemsOf(text);
      assert.ok(problems.some((p) => expected.test(p)), `got: ${problems.join(' | ')}`);
    });
  }

  it('names the file when it does not exist', () => {
    assert.throws(() => loadOrganisationFile('/nonexistent/org.yaml'), /\/nonexistent\/org\.yaml[\s\S]*does not exist[\s\S]*ORG_FILE/);
  });

  describe('directory queries', () => {
    const dir = new Directory(parseOrganisation(valid, 'org.yaml'));
    it('answers roles, units and chefs', () => {
      assert.deepEqual([...dir.rolesOf('AAAAAAAA-0000-0000-0000-000000000001')].sort(), ['chef', 'enhetschef']);
      assert.deepEqual(dir.unitsLedBy('aaaaaaaa-0000-0000-0000-000000000001').map((u) => u.id), ['bou']);
      assert.deepEqual(dir.unitsOf('aaaaaaaa-0000-0000-0000-000000000002').map((u) => u.id), ['vuxen']);
      assert.deepEqual(dir.unitChefs('bou').map((p) => p.name), ['Anna']);
      assert.deepEqual(dir.committeesWhere('aaaaaaaa-0000-0000-0000-000000000001', 'chef').map((c) => c.id), ['sn']);
      assert.equal(dir.unit('vuxen')?.committeeName, 'Socialnämnden');
      assert.equal(dir.rolesOf('ffffffff-0000-0000-0000-000000000009').size, 0);
    });
  });
});

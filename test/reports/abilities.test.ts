/**
 * What the welcome and help cards promise, held to the services' rules for the people at the
 * edges: an enhetschef (investigates, does not decide), an administrator without a unit, a chef
 * without a unit, and someone not in the organisation file, with REPORT_UNKNOWN_PERSON either way.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { DECIDE_POINT, INVESTIGATE_POINT, welcomeCard } from '../../src/cards/basic-cards';
import { CardRenderer } from '../../src/cards/render';
import { reportNotificationCard, UNPLACED_REPORTER, UNPLACED_REPORTER_TEXTS } from '../../src/cards/report-cards';
import { hasRight, type CaseRight } from '../../src/cases/permissions';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import type { Role } from '../../src/org/schema';
import { abilitiesOf } from '../../src/reports/abilities';
import { reportingRefusal, reportingUnits, unplacedReporterNote, type AccessBasis, type UnknownReporterPolicy } from '../../src/reports/access';
import type { Report } from '../../src/reports/report';

const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
const ADMIN = 'aaaaaaaa-0000-0000-0000-000000000001';
const CHEF_ONLY = 'aaaaaaaa-0000-0000-0000-000000000002';
const id = (n: number) => `00000000-0000-0000-0000-00000000000${n}`;
const ALEX = id(20), MEGAN = id(21), ADELE = id(22), LEE = id(23), NESTOR = id(24);
const STRANGER = 'ffffffff-0000-0000-0000-000000000099';
const dir = new Directory({
  ...ORG,
  people: [
    ...ORG.people,
    { entraId: ADMIN, name: 'Ada Admin', roles: [{ role: 'admin' }] },
    { entraId: CHEF_ONLY, name: 'Carl Chef', roles: [{ role: 'chef', committee: 'socialnamnden' }] },
  ],
});
const cards = new CardRenderer();
const texts = (card: unknown): string => JSON.stringify(card);

/** The case bases the person's roles give (as src/reports/abilities.ts reads them), for the rule itself. */
const basesOf = (entraId: string): AccessBasis[] =>
  (dir.person(entraId)?.roles ?? []).flatMap((r) => (['enhetschef', 'samordnare', 'chef'] as Role[]).includes(r.role) ? [r.role as AccessBasis] : []);

describe('case rights on the welcome card: one line per right, as src/cases/permissions.ts gives it', () => {
  // [who, entraId, investigates, decides]
  const table: [string, string, boolean, boolean][] = [
    ['Megan (medarbetare)', MEGAN, false, false],
    ['Adele (enhetschef): investigates, does not decide', ADELE, true, false],
    ['Lee (samordnare)', LEE, true, true],
    ['Nestor (chef)', NESTOR, true, true],
    ['Alex (every role)', ALEX, true, true],
    ['an administrator only', ADMIN, false, false],
    ['a chef without a unit', CHEF_ONLY, true, true],
    ['someone not in the file', STRANGER, false, false],
  ];
  for (const [who, entraId, investigates, decides] of table) {
    it(`${who}: ${investigates ? 'utreda' : 'no utreda'}, ${decides ? 'bedöma/anmäla' : 'no bedöma/anmäla'}`, () => {
      const a = abilitiesOf(dir, entraId, 'refuse');
      for (const [right, expected] of [['investigate', investigates], ['decide', decides]] as [CaseRight, boolean][]) {
        assert.equal(hasRight(basesOf(entraId), right), expected, `the table agrees with the rule (${right})`);
        assert.equal(a.caseRights.includes(right), expected, right);
      }
      const card = texts(welcomeCard(cards, { municipality: dir.municipality, abilities: a }));
      assert.equal(card.includes(INVESTIGATE_POINT), investigates);
      assert.equal(card.includes(DECIDE_POINT), decides);
      assert.equal(card.includes('anmälas till IVO'), decides, 'nobody is promised the IVO decision without the right');
    });
  }
});

describe('a person the organisation file does not place: told why, by the reason', () => {
  const refusal = (entraId: string, policy: UnknownReporterPolicy) => abilitiesOf(dir, entraId, policy).reportingNote ?? '';

  it('an administrator without a unit, allowed to report: not told they are missing from the file, nor to ask an administrator', () => {
    const r = reportingUnits(dir, ADMIN, 'allow');
    assert.equal(r.kind === 'units' && r.routing, 'samordnare');
    assert.deepEqual(r.kind === 'units' && r.routing === 'samordnare' && r.unplaced, { reason: 'no-unit', admin: true });
    const note = refusal(ADMIN, 'allow');
    assert.doesNotMatch(note, /Du finns inte med i organisationsfilen/);
    assert.match(note, /Du finns med i organisationsfilen för Exempelby kommun men hör inte till någon enhet/);
    assert.match(note, /lex Sarah-samordnaren för enhetens nämnd/);
  });

  it('an administrator without a unit, refused: told to put themselves in the file, not to ask the administrator', () => {
    const r = reportingUnits(dir, ADMIN, 'refuse');
    assert.deepEqual(r, { kind: 'refused', reason: 'no-unit', admin: true });
    const note = refusal(ADMIN, 'refuse');
    assert.doesNotMatch(note, /Be den som administrerar/);
    assert.match(note, /Du administrerar själv Lex Sarah-assistenten: lägg in dig på den enhet du arbetar på i organisationsfilen\./);
    assert.match(note, /muntligt/);
  });

  it('someone not in the file: told so, and to ask the administrator to add them', () => {
    assert.match(refusal(STRANGER, 'refuse'), /Du finns inte med i organisationsfilen.*Be den som administrerar Lex Sarah-assistenten att lägga till dig\./s);
    assert.match(refusal(STRANGER, 'allow'), /Du finns inte med i organisationsfilen.*Du kan ändå lämna en rapport/s);
  });

  // [the reason, admin, the fix the text names]
  const fixes: [Parameters<typeof reportingRefusal>[0], RegExp][] = [
    ['not-in-organisation', /Be den som administrerar Lex Sarah-assistenten att lägga till dig\./],
    ['no-unit', /Be den som administrerar Lex Sarah-assistenten att lägga in dig på den enhet du arbetar på\./],
    [{ reason: 'no-unit', admin: true }, /Du administrerar själv/],
  ];
  for (const [u, fix] of fixes) {
    it(`the refusal for ${JSON.stringify(u)} names the fix`, () => {
      assert.match(reportingRefusal(u, 'Exempelby kommun'), fix);
    });
  }

  it('the notes differ by reason', () => {
    assert.notEqual(unplacedReporterNote('X', 'not-in-organisation'), unplacedReporterNote('X', 'no-unit'));
    assert.equal(unplacedReporterNote('X'), unplacedReporterNote('X', 'not-in-organisation'));
  });

  it('the samordnare\'s card says what the reason is: an administrator is listed, only without a unit', () => {
    const report = {
      reference: 'LS-2026-0001', urgent: false, category: 'miljo', occurredAt: new Date(), noticedAt: new Date(), occurredTimeKnown: false, noticedTimeKnown: false,
      reporterName: 'Ada Admin', risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'nej', crime: 'nej', before: 'nej' },
    } as Report;
    const r = reportingUnits(dir, ADMIN, 'allow');
    const reason = r.kind === 'units' && r.routing === 'samordnare' ? r.unplaced.reason : undefined;
    const card = texts(reportNotificationCard(cards, { report, unitName: 'Vuxenenheten', role: 'samordnare', timeZone: 'Europe/Stockholm', ...(reason ? { reporterUnplaced: reason } : {}) }));
    assert.ok(!card.includes(UNPLACED_REPORTER), 'a listed admin is not said to be missing from the file');
    assert.ok(card.includes(UNPLACED_REPORTER_TEXTS['no-unit']));
  });
});

describe('the other edges', () => {
  it('a chef without a unit: may report for the nämnd, no unit chosen; status shown, review hidden', () => {
    const a = abilitiesOf(dir, CHEF_ONLY, 'refuse');
    assert.deepEqual(a.intents, ['report', 'myReports', 'open', 'status', 'compilation', 'help']);
    const r = reportingUnits(dir, CHEF_ONLY, 'refuse');
    assert.equal(r.kind === 'units' && r.defaultUnitId, undefined);
    assert.equal(a.reportingNote, undefined);
  });

  it('someone not in the file, allowed: every unit of every nämnd, routed to the samordnare', () => {
    const r = reportingUnits(dir, STRANGER, 'allow');
    assert.equal(r.kind === 'units' && r.units.length, dir.allUnits().length);
    assert.deepEqual(r.kind === 'units' && r.routing === 'samordnare' && r.unplaced, { reason: 'not-in-organisation' });
  });
});

/**
 * Review items name who answers for them (issue #15): a casework row its handläggare from the
 * export (Entra id or e-mail), by the name in the organisation file; a lex Sarah case its
 * utredare. Someone the organisation file does not know is said to be missing from it (with the
 * e-mail the export gave, never a bare id), and no handläggare at all is said too.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CardRenderer, type AdaptiveCard } from '../../src/cards/render';
import { visibleText } from '../../src/cards/plain-text';
import { reviewCard } from '../../src/cards/review-cards';
import { importCasework, toRecord } from '../../src/casework/import';
import type { CaseworkItemInput } from '../../src/casework/csv';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import type { NewReport } from '../../src/reports/report';
import { WorkingCalendar } from '../../src/review/calendar';
import { ReviewService, type ReviewItem } from '../../src/review/service';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
const TZ = 'Europe/Stockholm';
const NOW = new Date('2026-11-25T10:00:00.000Z');
const MEGAN = { entraId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const LEE = { entraId: '00000000-0000-0000-0000-0000000000023', name: 'Lee Gu' };
const ALEX = { entraId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };

/** The grey line under each row (when, and who) as a person reads it: one per item, in card order. */
function whenLines(card: AdaptiveCard): string[] {
  const out: string[] = [];
  JSON.stringify(card, (k, v) => {
    if (k === 'text' && typeof v === 'string' && /(senast|ingen tidsfrist löper)/.test(v)) out.push(visibleText(v));
    return v;
  });
  return out;
}

describe('weekly review: who is responsible for each item', function () {
  this.timeout(20_000);
  let dir: string;
  let store: SqliteStore;
  let reviews: ReviewService;
  const logger = createLogger('silent');
  const directory = new Directory(ORG);
  const unit = directory.unit('bou-mottagning')!;

  let seq = 0;
  async function report(createdAt: string) {
    const r: NewReport = {
      formId: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
      year: 2026, unitId: unit.id, committeeId: unit.committeeId, reporterEntraId: MEGAN.entraId, reporterName: MEGAN.name,
      occurredAt: new Date(createdAt), occurredTimeKnown: false, noticedAt: new Date(createdAt), noticedTimeKnown: false,
      location: 'Mottagningen', category: 'insatser', whatHappened: 'Text', consequences: 'Följder', immediateActions: '',
      informed: 'ja', risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'ja', crime: 'nej', before: 'nej' }, urgent: false, createdAt: new Date(createdAt),
    };
    return (await store.reports.create(r, { actorEntraId: MEGAN.entraId, action: 'report.create', entityType: 'report' })).report;
  }

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-review-who-'));
    store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
    await store.migrate();
    await store.organisation.sync(ORG, new Date('2026-11-01T00:00:00Z'));
    const header = 'ärendereferens;typ;enhet;handläggare;status;orosanmälan_mottagen\n';
    const rows = [
      'BoU 2026/1;forhandsbedomning;bou-mottagning;00000000-0000-0000-0000-0000000000021;öppen;2026-11-01', // Megan, by Entra id
      'BoU 2026/2;forhandsbedomning;bou-mottagning;AdeleV@Exempelby.example;öppen;2026-11-02', // Adele, by e-mail in another case
      'BoU 2026/3;forhandsbedomning;bou-mottagning;ny.kollega@exempelby.example;öppen;2026-11-03', // not in the organisation file
      'BoU 2026/4;forhandsbedomning;bou-mottagning;aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee;öppen;2026-11-04', // an unknown Entra id
      'BoU 2026/5;forhandsbedomning;bou-mottagning;;öppen;2026-11-05', // none in the export
    ];
    const outcome = await importCasework(
      { store, unitIds: () => directory.allUnits().map((u) => u.id), now: () => NOW, timeZone: TZ, closeMissing: false, logger },
      { source: 'procapita', csv: `${header}${rows.join('\n')}\n`, full: false, actor: 'test' },
    );
    assert.ok(outcome.ok, JSON.stringify(outcome));
    // A stored value the CSV checks would have refused: never shown, whatever is in the database.
    await store.casework.importItems(
      'other',
      [toRecord({ source: 'other', line: 0, caseReference: 'BoU 2026/6', type: 'forhandsbedomning', unitId: unit.id, handlaggare: '198507099805@exempelby.example', status: 'oppen', orosanmalanMottagen: '2026-11-06' } as CaseworkItemInput, TZ)],
      { closeMissing: false, at: NOW, actor: 'test' },
    );

    await report('2026-11-24T08:00:00.000Z'); // LS-2026-0001: rapporterad, nobody appointed
    const investigated = await report('2026-11-23T08:00:00.000Z'); // LS-2026-0002: under utredning, Lee Gu
    await store.cases.startInvestigation({ reportId: investigated.id, reference: investigated.reference, from: 'rapporterad', to: 'under-utredning', actor: ALEX, at: new Date('2026-11-23T09:00:00.000Z') }, LEE);
    const decided = await report('2026-11-20T08:00:00.000Z'); // LS-2026-0003: decided without an investigation
    await store.cases.recordDecision(
      { reportId: decided.id, reference: decided.reference, from: 'rapporterad', to: 'bedomd', actor: ALEX, at: new Date('2026-11-20T10:00:00.000Z') },
      { answersJson: '{}', recommendedOutcome: 'x', recommendationJson: '{}', decidedOutcome: 'x', requiresAnmalan: false },
    );
    reviews = new ReviewService({ store, directory: () => directory, logger, timeZone: TZ, now: () => NOW, warnDays: 7, calendar: new WorkingCalendar() });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const byRef = (items: ReviewItem[]) => Object.fromEntries(items.map((i) => [i.reference, i.responsible]));

  it('names the handläggare from the organisation file, by Entra id or e-mail, and says when that is not possible', async () => {
    const view = await reviews.view(unit, '2026-W48');
    assert.deepEqual(byRef(view.items.filter((i) => i.kind === 'casework')), {
      'BoU 2026/1': { role: 'handlaggare', kind: 'named', name: 'Megan Bowen' },
      'BoU 2026/2': { role: 'handlaggare', kind: 'named', name: 'Adele Vance' },
      'BoU 2026/3': { role: 'handlaggare', kind: 'unlisted', email: 'ny.kollega@exempelby.example' },
      'BoU 2026/4': { role: 'handlaggare', kind: 'unlisted' },
      'BoU 2026/5': { role: 'handlaggare', kind: 'none' },
      'BoU 2026/6': { role: 'handlaggare', kind: 'unlisted' },
    });
  });

  it('names the utredare of a lex Sarah case, says when none is appointed yet, and names nobody for a case decided without one', async () => {
    const view = await reviews.view(unit, '2026-W48');
    assert.deepEqual(byRef(view.items.filter((i) => i.kind === 'lex-sarah')), {
      'LS-2026-0001': { role: 'utredare', kind: 'none' },
      'LS-2026-0002': { role: 'utredare', kind: 'named', name: 'Lee Gu' },
      'LS-2026-0003': undefined,
    });
  });

  it('the card says it in Swedish on each row\'s grey line, never with a bare id or an identity number', async () => {
    const card = reviewCard(new CardRenderer(), await reviews.view(unit, '2026-W48'));
    const lines = whenLines(card);
    const line = (re: RegExp) => lines.filter((l) => re.test(l));
    assert.equal(line(/Handläggare: Megan Bowen$/).length, 1, lines.join('\n'));
    assert.equal(line(/Handläggare: Adele Vance$/).length, 1);
    assert.equal(line(/Handläggare: ny\.kollega@exempelby\.example \(finns inte i organisationsfilen\)$/).length, 1);
    assert.equal(line(/Handläggare: finns inte i organisationsfilen$/).length, 2);
    assert.equal(line(/Handläggare: saknas i exporten$/).length, 1);
    assert.equal(line(/Utredare: Lee Gu$/).length, 1);
    assert.equal(line(/Utredare: inte utsedd$/).length, 1);
    assert.equal(lines.filter((l) => !/(Handläggare|Utredare): /.test(l)).length, 1, 'the case decided without an investigation names nobody');
    const json = visibleText(JSON.stringify(card));
    assert.ok(!json.includes('aaaaaaaa-bbbb'), 'no bare Entra id');
    assert.ok(!json.includes('198507099805'), 'no identity number');
  });
});

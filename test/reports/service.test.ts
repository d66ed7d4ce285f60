/**
 * Who may report for which unit, through the report service on a real SQLite file: the form a
 * person is offered, a report for another unit of the same nämnd, a crafted unit outside it, a
 * person the organisation file does not know (refused, or with REPORT_UNKNOWN_PERSON=allow routed
 * to the samordnare), and "mina rapporter" telling reports apart.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { CardRenderer } from '../../src/cards/render';
import { UNPLACED_REPORTER, UNPLACED_REPORTER_TEXTS } from '../../src/cards/report-cards';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import type { UnknownReporterPolicy } from '../../src/reports/access';
import { UNIT_NOT_OFFERED } from '../../src/reports/form';
import { ReportService, type Actor } from '../../src/reports/service';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
const id = (n: number) => `00000000-0000-0000-0000-00000000000${n}`;
const ALEX = id(20), MEGAN = id(21), LEE = id(23);
const STRANGER = 'ffffffff-0000-0000-0000-000000000099';
const TZ = 'Europe/Stockholm';
const TODAY = DateTime.now().setZone(TZ).toISODate()!;
const CONVERSATION = 'a:personal';
const SOCIAL = ['bou-mottagning', 'bou-familjehem', 'vuxenenheten', 'ekonomiskt-bistand'];

const formData = (formId: string, unitId: string) => ({
  formId, unitId, occurredDate: TODAY, occurredTime: '', noticedDate: TODAY, noticedTime: '', location: 'Korridoren',
  category: 'miljo', whatHappened: 'Nödutgången var blockerad.', consequences: '', immediateActions: '', informed: 'inte-annu',
  risk_hurt: 'nej', risk_ongoing: 'nej', risk_vulnerable: 'nej', risk_crime: 'nej', risk_before: 'nej', caseReference: '',
});

describe('report service: which unit a report is for', () => {
  let dir: string;
  let store: SqliteStore;
  const directory = new Directory(ORG);
  const service = (unknownReporter?: UnknownReporterPolicy) =>
    new ReportService({
      store, directory: () => directory, cards: new CardRenderer(), logger: createLogger('silent'), timeZone: TZ, now: () => new Date(),
      ...(unknownReporter ? { unknownReporter } : {}),
    });
  const megan: Actor = { entraId: MEGAN, name: 'Megan Bowen' };
  const stranger: Actor = { entraId: STRANGER, name: 'Okänd Person' };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-reporting-'));
    store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
    await store.migrate();
    await store.organisation.sync(ORG, new Date());
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function formFor(s: ReportService, actor: Actor) {
    const offer = await s.offerForm(actor, CONVERSATION);
    assert.equal(offer.kind, 'form', JSON.stringify(offer));
    return (offer as Extract<typeof offer, { kind: 'form' }>).view;
  }

  it('a medarbetare is offered every unit of her nämnd, her own chosen, dated today', async () => {
    const view = await formFor(service(), megan);
    assert.deepEqual(view.units.map((u) => u.id), SOCIAL);
    assert.equal(view.defaultUnitId, 'bou-mottagning');
    assert.equal(view.today, TODAY);
    assert.equal(view.notice, undefined);
    assert.equal(view.units[0]!.name, 'Barn och unga – mottagning och utredning', 'one nämnd: not named after each unit');
  });

  it('a samordnare of two nämnder sees each unit with its nämnd', async () => {
    const view = await formFor(service(), { entraId: LEE, name: 'Lee Gu' });
    assert.ok(view.units.some((u) => u.name === 'Vuxenenheten (Socialnämnden)'));
    assert.ok(view.units.some((u) => u.name === 'Solgårdens särskilda boende (Vård- och omsorgsnämnden)'));
  });

  it('files a report for another unit of the same nämnd, routed to that unit\'s people', async () => {
    const s = service();
    const view = await formFor(s, megan);
    const res = await s.submit(megan, formData(view.formId, 'vuxenenheten'), CONVERSATION);
    assert.equal(res.kind, 'filed');
    const report = (res as Extract<typeof res, { kind: 'filed' }>).report;
    assert.equal(report.unitId, 'vuxenenheten');
    assert.equal(report.committeeId, 'socialnamnden');
    // Vuxenenheten has no enhetschef in the demo: the nämnd's samordnare (Alex, Lee) are told.
    const rows = await store.outbox.listByEntity(report.reference, 'new-report');
    assert.deepEqual(rows.map((r) => r.recipientEntraId).sort(), [ALEX, LEE].sort());
    assert.ok(rows.every((r) => !r.cardJson.includes(UNPLACED_REPORTER)));
  });

  it('refuses a crafted unit of another nämnd with a Swedish message, stores no report and audits the attempt', async () => {
    const s = service();
    const view = await formFor(s, megan);
    const res = await s.submit(megan, formData(view.formId, 'solgarden'), CONVERSATION);
    assert.equal(res.kind, 'invalid');
    const again = (res as Extract<typeof res, { kind: 'invalid' }>).view;
    assert.equal(again.errors?.unitId, UNIT_NOT_OFFERED);
    assert.deepEqual(again.units.map((u) => u.id), SOCIAL, 'the form again offers her nämnd only');
    assert.deepEqual(await store.reports.listByReporter(MEGAN, 10), []);
    const audit = await store.audit.list({ actorEntraId: MEGAN });
    assert.ok(audit.some((a) => a.action === 'report.unit-refused' && a.detail === 'unit=outside-offer'), JSON.stringify(audit));
    assert.ok(!JSON.stringify(audit).includes('solgarden'), 'a made-up id is not written down');
  });

  describe('a person the organisation file does not know', () => {
    it('is refused by default: no form, no report, the explanation instead', async () => {
      const s = service();
      const offer = await s.offerForm(stranger, CONVERSATION);
      assert.equal(offer.kind, 'refused');
      assert.match((offer as { reason: string }).reason, /Du finns inte med i organisationsfilen för Exempelby kommun/);
      assert.equal(s.reportRefusal(stranger), (offer as { reason: string }).reason);
      // A submit anyway (an old form, a crafted invoke) files nothing.
      const res = await s.submit(stranger, formData('3f1c2a4e-8b7d-4c6e-9a1b-2d3e4f5a6b7c', 'bou-mottagning'), CONVERSATION);
      assert.equal(res.kind, 'refused');
      assert.deepEqual(await store.reports.listByReporter(STRANGER, 10), []);
      assert.equal(await s.enqueueForm(stranger, CONVERSATION), false);
      assert.deepEqual(await store.outbox.listByEntity(`reporter:${STRANGER}`, 'report-form'), []);
    });

    it('with REPORT_UNKNOWN_PERSON=allow may choose any unit; the report goes to that nämnd\'s samordnare only, marked', async () => {
      const s = service('allow');
      const view = await formFor(s, stranger);
      assert.equal(view.units.length, ORG.committees.flatMap((c) => c.units).length);
      assert.equal(view.defaultUnitId, undefined, 'no unit is chosen for them');
      assert.match(view.notice ?? '', /lex Sarah-samordnaren för enhetens nämnd/);
      const res = await s.submit(stranger, formData(view.formId, 'solgarden'), CONVERSATION);
      assert.equal(res.kind, 'filed');
      const report = (res as Extract<typeof res, { kind: 'filed' }>).report;
      const rows = await store.outbox.listByEntity(report.reference, 'new-report');
      assert.deepEqual(rows.map((r) => r.recipientEntraId), [LEE]);
      assert.ok(rows[0]!.cardJson.includes(UNPLACED_REPORTER));
    });

    it('an administrator without a unit, with the setting: the form and the samordnare\'s card say they are in the file, without a unit', async () => {
      const ADMIN = 'aaaaaaaa-0000-0000-0000-000000000001';
      const withAdmin = new Directory({ ...ORG, people: [...ORG.people, { entraId: ADMIN, name: 'Ada Admin', roles: [{ role: 'admin' }] }] });
      const s = new ReportService({ store, directory: () => withAdmin, cards: new CardRenderer(), logger: createLogger('silent'), timeZone: TZ, now: () => new Date(), unknownReporter: 'allow' });
      const admin: Actor = { entraId: ADMIN, name: 'Ada Admin' };
      const view = await formFor(s, admin);
      assert.match(view.notice ?? '', /Du finns med i organisationsfilen för Exempelby kommun men hör inte till någon enhet/);
      const res = await s.submit(admin, formData(view.formId, 'solgarden'), CONVERSATION);
      const report = (res as Extract<typeof res, { kind: 'filed' }>).report;
      const rows = await store.outbox.listByEntity(report.reference, 'new-report');
      assert.deepEqual(rows.map((r) => r.recipientEntraId), [LEE]);
      assert.ok(!rows[0]!.cardJson.includes(UNPLACED_REPORTER), 'not "finns inte med i organisationsfilen"');
      assert.ok(rows[0]!.cardJson.includes(UNPLACED_REPORTER_TEXTS['no-unit']));
    });

    it('with the setting, a unit whose nämnd has samordnare skips its enhetschefer', async () => {
      const s = service('allow');
      const view = await formFor(s, stranger);
      const res = await s.submit(stranger, formData(view.formId, 'bou-familjehem'), CONVERSATION);
      const report = (res as Extract<typeof res, { kind: 'filed' }>).report;
      const rows = await store.outbox.listByEntity(report.reference, 'new-report');
      // Adele leads Familjehemsenheten but is not told; Alex and Lee are the nämnd's samordnare.
      assert.deepEqual(rows.map((r) => r.recipientEntraId).sort(), [ALEX, LEE].sort());
    });
  });

  it('"mina rapporter" gives each report its unit\'s name', async () => {
    const s = service();
    for (const unitId of ['bou-mottagning', 'vuxenenheten']) {
      const view = await formFor(s, megan);
      assert.equal((await s.submit(megan, formData(view.formId, unitId), CONVERSATION)).kind, 'filed');
    }
    const mine = await s.listMine(megan);
    assert.equal(mine.timeZone, TZ);
    assert.deepEqual(mine.reports.map((r) => r.unitName).sort(), ['Barn och unga – mottagning och utredning', 'Vuxenenheten']);
  });

  it('"mina rapporter" says for each anmäld report whether its investigation went with the anmälan, was sent after, or is still to be sent', async () => {
    const s = service();
    const lee = { entraId: LEE, name: 'Lee Gu' };
    const filed: { id: number; reference: string }[] = [];
    for (let i = 0; i < 4; i++) {
      const view = await formFor(s, megan);
      const res = await s.submit(megan, formData(view.formId, 'bou-mottagning'), CONVERSATION);
      filed.push((res as Extract<typeof res, { kind: 'filed' }>).report);
    }
    const guard = (r: { id: number; reference: string }, from: 'rapporterad' | 'bedomd' | 'anmald', to: 'bedomd' | 'anmald') => ({ reportId: r.id, reference: r.reference, from, to, actor: lee, at: new Date() });
    const fileWithIvo = async (r: { id: number; reference: string }, attached: boolean) => {
      assert.ok(await store.cases.recordDecision(guard(r, 'rapporterad', 'bedomd'), { answersJson: '{}', recommendedOutcome: 'allvarligt', recommendationJson: '{}', decidedOutcome: 'allvarligt', requiresAnmalan: true }));
      assert.ok(await store.cases.recordFiling(guard(r, 'bedomd', 'anmald'), { filedOn: TODAY, ivoDiarienummer: `IVO ${r.id}`, investigationAttached: attached }));
    };
    const [attached, sent, toSend, open] = filed as [typeof filed[0], typeof filed[0], typeof filed[0], typeof filed[0]];
    await fileWithIvo(attached, true);
    await fileWithIvo(sent, false);
    assert.ok(await store.cases.markInvestigationSent(guard(sent, 'anmald', 'anmald'), TODAY));
    await fileWithIvo(toSend, false);
    const mine = new Map((await s.listMine(megan)).reports.map((r) => [r.summary.reference, r]));
    assert.equal(mine.get(attached.reference)!.investigationAtIvo, 'attached');
    assert.equal(mine.get(sent.reference)!.investigationAtIvo, 'sent');
    assert.equal(mine.get(toSend.reference)!.investigationAtIvo, 'to-send');
    assert.equal(mine.get(open.reference)!.investigationAtIvo, undefined, 'only an anmäld report has one');
  });
});

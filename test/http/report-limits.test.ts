/**
 * Texts too long for one Teams message: the report is not filed, nothing is half-written, and
 * the answer fits (the form again, or a message that leaves the typed card as it is).
 */
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { MAX_CARD_BYTES } from '../../src/cards/render';
import { LONG_TEXT_BUDGET_BYTES, validateReportForm } from '../../src/reports/form';
import { activity, invokeAction, post, startTestApp, TENANT, type TestApp, MEGAN } from '../support/app-fixture';

const TODAY = DateTime.now().setZone('Europe/Stockholm').toISODate()!;
const as = () => activity({ from: MEGAN, conversation: { id: 'a:personal-21', tenantId: TENANT, conversationType: 'personal' } });
const base = (formId: string) => ({
  formId, unitId: 'bou-mottagning', occurredDate: TODAY, noticedDate: TODAY, location: 'Mottagningen', category: 'psykiska', informed: 'ja',
  risk_hurt: 'nej', risk_ongoing: 'nej', risk_vulnerable: 'nej', risk_crime: 'nej', risk_before: 'nej',
});

describe('report texts too long for Teams', function () {
  this.timeout(30_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ REMINDER_INTERVAL_MS: '0' });
  });
  after(() => t.stop());

  const rows: [label: string, fields: Record<string, string>, answer: 'form' | 'message'][] = [
    ['three fields of 3,400 å/ä/ö (two bytes each): over the budget, still shown', { whatHappened: 'å'.repeat(3400), consequences: 'ä'.repeat(3400), immediateActions: 'ö'.repeat(3400) }, 'form'],
    ['three full fields of quotes (JSON doubles each)', { whatHappened: '"'.repeat(4000), consequences: '"'.repeat(4000), immediateActions: '"'.repeat(4000) }, 'message'],
    ['one field of 100,000 characters', { whatHappened: 'x'.repeat(100_000) }, 'message'],
    ['three fields of 30,000 characters', { whatHappened: 'å'.repeat(30_000), consequences: 'ä'.repeat(30_000), immediateActions: 'ö'.repeat(30_000) }, 'message'],
  ];
  for (const [label, fields, answer] of rows) {
    it(`${label}: not filed, answered with ${answer === 'form' ? 'the form under the limit' : 'a message'}`, async () => {
      const form = await post(t.baseUrl, { ...as(), text: 'rapportera' });
      const formId = (form.activities[0]!.attachments![0]!.content as { actions: { data: { formId: string } }[] }).actions[0]!.data.formId;
      const before = (await t.app.store.reports.listByReporter(MEGAN.aadObjectId, 100)).length;
      const reply = await invokeAction(t.baseUrl, as(), 'report.submit', { ...base(formId), ...fields });
      if (answer === 'form') {
        assert.equal(typeof reply.card, 'object');
        assert.ok(Buffer.byteLength(JSON.stringify(reply.card)) <= MAX_CARD_BYTES);
        assert.match(reply.joined, /tillsammans för långa för Teams/);
      } else {
        assert.equal(typeof reply.card, 'string');
        assert.match(reply.joined, /Det du skrev finns kvar i formuläret/);
      }
      assert.equal((await t.app.store.reports.listByReporter(MEGAN.aadObjectId, 100)).length, before, 'nothing filed');
    });
  }

  it('the budget: ordinary prose at every field\'s full length passes, escaped text over it does not', () => {
    const opts = { now: new Date(), timeZone: 'Europe/Stockholm', unitIds: ['bou-mottagning'] };
    const prose = 'Barnet blev ledset när personalen höjde rösten i köket. '.repeat(80).slice(0, 4000);
    const ok = validateReportForm({ ...base('8f14e45f-ceea-4e7a-9f7b-6a2b1c3d4e5f'), whatHappened: prose, consequences: prose, immediateActions: prose }, opts);
    assert.equal(ok.ok, true, JSON.stringify(!ok.ok && ok.errors));
    const quotes = '\\'.repeat(LONG_TEXT_BUDGET_BYTES / 6);
    const refused = validateReportForm({ ...base('8f14e45f-ceea-4e7a-9f7b-6a2b1c3d4e5f'), whatHappened: quotes.slice(0, 4000), consequences: quotes.slice(0, 4000), immediateActions: quotes.slice(0, 4000) }, opts);
    assert.equal(refused.ok, false);
  });
});

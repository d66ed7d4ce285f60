/**
 * "Never stored" proven on the bytes: identity numbers typed the ways people paste them go into
 * every free-text path over the real endpoint (chat, the report form, case notes, the IVO
 * diarienummer), and afterwards neither the database file (with its WAL) nor the log holds them.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { reviewWeekOf } from '../../src/review/schedule';
import { activity, ALEX, invokeAction, post, startTestApp, type TestApp, MEGAN, personalChat } from '../support/app-fixture';

const TODAY = DateTime.now().setZone('Europe/Stockholm').toISODate()!;

// One valid personnummer (Luhn-checked), written as Word, a PDF and a case system hand it over.
const PASTED = {
  plain: '850709-9805',
  fullwidth: '８５０７０９－９８０５',
  zeroWidth: '850709\u200B-\u200B9805',
  softHyphen: '850709\u00AD9805',
  nbHyphen: '19850709\u20119805',
  isoDate: '1985-07-09-9805',
  tabbed: '850709\t9805',
};

/** Every byte sequence that would betray the number in storage: its digits in any of the forms sent. */
const NEEDLES = [...new Set(Object.values(PASTED)), '8507099805', '850709', '19850709'];

function filesOf(dbFile: string): Buffer[] {
  return [dbFile, `${dbFile}-wal`, `${dbFile}-shm`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
}

function leaks(buffers: Buffer[], text: string): string[] {
  const found: string[] = [];
  for (const needle of NEEDLES) {
    for (const enc of ['utf8', 'utf16le'] as const) {
      const bytes = Buffer.from(needle, enc);
      if (buffers.some((b) => b.includes(bytes))) found.push(`${JSON.stringify(needle)} (${enc}) in the database`);
    }
    if (text.includes(needle)) found.push(`${JSON.stringify(needle)} in the log`);
  }
  return found;
}

describe('identity numbers are never stored or logged (database file scan)', function () {
  this.timeout(60_000);
  const as = (who: typeof ALEX) => activity({ from: who, conversation: personalChat(who), serviceUrl: 'http://127.0.0.1:9/' });
  const newFormId = async (t: TestApp) => {
    const form = await post(t.baseUrl, { ...as(MEGAN), text: 'rapportera' });
    return (form.activities[0]!.attachments![0]!.content as { actions: { data: { formId: string } }[] }).actions[0]!.data.formId;
  };
  const reportBase = (formId: string) => ({
    formId, unitId: 'bou-mottagning', occurredDate: TODAY, noticedDate: TODAY, location: 'Mottagningen', category: 'psykiska', informed: 'ja',
    risk_hurt: 'nej', risk_ongoing: 'nej', risk_vulnerable: 'ja', risk_crime: 'nej', risk_before: 'nej',
  });
  /** Stops the app (closing the database checkpoints the WAL into the file), then scans file and log. */
  const scan = async (t: TestApp) => {
    await t.app.stop();
    return { files: filesOf(t.dbFile), logs: t.logs.join('\n') };
  };

  it('refuses every pasted form in every path, keeps the rest of the text, and leaves no trace in the file or the log', async () => {
    const t = await startTestApp({ REMINDER_INTERVAL_MS: '0' });
    try {
      // Chat: a warning to delete the message, never an echo.
      for (const variant of Object.values(PASTED)) {
        const reply = await post(t.baseUrl, { ...as(MEGAN), text: `Brukaren ${variant} mådde dåligt` });
        const said = JSON.stringify(reply.activities);
        assert.match(said, /Ta bort/, `chat warning for ${JSON.stringify(variant)}`);
        assert.ok(!said.includes(variant), 'the reply does not echo the number');
      }

      // The report form: each variant is refused, in every free-text field, with the rest of the text kept.
      const formId = await newFormId(t);
      for (const variant of Object.values(PASTED)) {
        const refused = await invokeAction(t.baseUrl, as(MEGAN), 'report.submit', {
          ...reportBase(formId),
          location: `Rum ${variant}`,
          whatHappened: `En lång redogörelse om brukaren ${variant} som ingen vill skriva om.`,
          consequences: `Oro hos ${variant}.`,
          immediateActions: variant,
          caseReference: variant,
        });
        assert.match(refused.joined, /Rapporten är inte skickad/);
        assert.ok(refused.texts.some((v) => v.includes('En lång redogörelse om brukaren') && v.includes('som ingen vill skriva om.')), 'the text is kept');
        assert.ok(!refused.joined.includes(variant), `the card does not echo ${JSON.stringify(variant)}`);
      }
      const filed = await invokeAction(t.baseUrl, as(MEGAN), 'report.submit', { ...reportBase(formId), whatHappened: 'En medarbetare skrek åt ett barn.' });
      const reference = /LS-\d{4}-\d{4}/.exec(filed.joined)![0];

      // Case notes, the IVO diarienummer (once copied into audit_log.detail) and a review comment.
      const week = reviewWeekOf(new Date(), 'Europe/Stockholm').key;
      for (const variant of Object.values(PASTED)) {
        const note = await invokeAction(t.baseUrl, as(ALEX), 'case.document', { reference, item: 'orsaker', kind: 'fakta', source: `Samtal med ${variant}`, text: `Barnet ${variant} blev rädd.` });
        assert.match(note.joined, /personnummer/);
        assert.ok(!note.joined.includes(variant));
        const filing = await invokeAction(t.baseUrl, as(ALEX), 'case.file', { reference, filedOn: TODAY, dnr: `3.5.1-${variant}`, attached: 'nej' });
        assert.match(filing.joined, /IVO:s diarienummer/);
        assert.ok(!filing.joined.includes(variant));
        const review = await invokeAction(t.baseUrl, as(ALEX), 'review.done', { unitId: 'bou-mottagning', week, comment: `Genomgång om ${variant}` });
        assert.match(review.joined, /personnummer/);
      }

      // One digit too many is no personnummer; cut to the field's length it would be one. Such
      // text is refused for its length, never cut after the check (a hostile review found this).
      const eleven = '85070998059';
      const tooLong: [verb: string, data: Record<string, unknown>][] = [
        ['case.document', { item: 'orsaker', kind: 'fakta', source: `${'a'.repeat(190)}${eleven}`, text: 'Notering' }],
        ['case.action', { text: `${'a'.repeat(990)}${eleven}`, owner: ALEX.aadObjectId, dueOn: TODAY }],
        ['case.file', { filedOn: TODAY, dnr: `${'a'.repeat(50)}${eleven}`, attached: 'nej' }],
        ['case.close', { decision: 'Avslutas', motivation: `${'a'.repeat(3990)}${eleven}` }],
        ['review.done', { unitId: 'bou-mottagning', week, comment: `${'a'.repeat(990)}${eleven}` }],
      ];
      for (const [verb, data] of tooLong) {
        const r = await invokeAction(t.baseUrl, as(ALEX), verb, { reference, ...data });
        assert.match(r.joined, /[Hh]ögst \d+ tecken/, verb);
        assert.ok(!r.joined.includes('8507099805'), `${verb}: the cut number is not echoed`);
      }

      const { files, logs } = await scan(t);
      assert.deepEqual(leaks(files, logs), []);
    } finally {
      await t.stop().catch(() => undefined);
    }
  });

  it('the same scan finds text that was stored (so the check above can fail)', async () => {
    const t = await startTestApp({ REMINDER_INTERVAL_MS: '0' });
    try {
      const marker = 'Rum 4711-0815 plan 2';
      const filed = await invokeAction(t.baseUrl, as(MEGAN), 'report.submit', { ...reportBase(await newFormId(t)), location: marker, whatHappened: 'Text.' });
      assert.match(filed.joined, /LS-\d{4}-\d{4}/);
      const { files } = await scan(t);
      assert.ok(files.some((b) => b.includes(Buffer.from(marker, 'utf8'))), 'the scan sees stored text');
    } finally {
      await t.stop().catch(() => undefined);
    }
  });
});

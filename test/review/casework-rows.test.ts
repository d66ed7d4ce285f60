/**
 * Issue #17 on the review card: every casework row shows its legal basis in force today, a
 * reopened investigation says "återöppnad" and counts from its first opening (through the real
 * import into SQLite), a nämnd decision says "verkställ snarast" and when it is reported to IVO,
 * and an LVU 6 § item past its four weeks is red with the lapse named.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CardRenderer } from '../../src/cards/render';
import { reviewCard } from '../../src/cards/review-cards';
import { importCasework } from '../../src/casework/import';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { WorkingCalendar } from '../../src/review/calendar';
import { ReviewService } from '../../src/review/service';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
const TZ = 'Europe/Stockholm';

describe('weekly review: casework rows as the law reads them (#17)', function () {
  this.timeout(20_000);
  let dir: string;
  let store: SqliteStore;
  const logger = createLogger('silent');
  const directory = new Directory(ORG);
  const unitIds = () => directory.allUnits().map((u) => u.id);

  const importAt = async (now: string, csv: string) => {
    const outcome = await importCasework(
      { store, unitIds, now: () => new Date(now), timeZone: TZ, closeMissing: true, logger },
      { source: 'procapita', csv, full: true, actor: 'test' },
    );
    assert.ok(outcome.ok, JSON.stringify(outcome));
  };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-review-cw-'));
    store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
    await store.migrate();
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the first opening through nightly imports, and every row names its basis', async () => {
    const header = 'ärendereferens;typ;enhet;status;utredning_inledd;lvu_beslut;omhändertagande_verkställt;underställt;beslutsdatum\n';
    // Night 1: the investigation opened on 2 March is open.
    await importAt('2026-06-01T02:00:00Z', `${header}BoU 2026/51;Utredning;bou-mottagning;öppen;2026-03-02;;;;\n`);
    // Night 2: it was closed and "reopened" on 1 July; the export holds both rows, plus other clocks under the same reference.
    await importAt(
      '2026-07-20T02:00:00Z',
      header +
        'BoU 2026/51;Utredning;bou-mottagning;avslutad;2026-03-02;;;;\n' +
        'BoU 2026/51;Utredning;bou-mottagning;öppen;2026-07-01;;;;\n' +
        'BoU 2026/51;Omedelbart omhändertagande;bou-mottagning;öppen;;2026-06-15;2026-06-16;2026-06-18;\n' +
        'BoU 2026/52;Omedelbart omhändertagande;bou-mottagning;öppen;;2026-06-15;2026-06-16;;\n' +
        'VE 2026/9;Ej verkställt beslut;bou-mottagning;öppen;;;;;2026-07-10\n',
    );
    const reviews = new ReviewService({
      store, directory: () => directory, logger, timeZone: TZ, now: () => new Date('2026-07-20T08:00:00Z'), warnDays: 7, calendar: new WorkingCalendar(),
    });
    const items = await reviews.items('bou-mottagning');
    const byWhat = (re: RegExp) => items.find((i) => re.test(i.what))!;

    const reopened = byWhat(/Barnavårdsutredning/);
    assert.match(reopened.what, /återöppnad/);
    assert.equal(reopened.urgency, 'forsenad'); // four months from 2 March: Thursday 2 July
    assert.equal(reopened.due, '2026-07-02');
    assert.equal(reopened.basis, 'SoL 20 kap. 3 §');

    const lvu6 = items.find((i) => i.reference === 'BoU 2026/51' && /Omedelbart omhändertagande/.test(i.what))!;
    assert.equal(lvu6.urgency, 'forsenad'); // verkställt 16 June + 4 weeks = 14 July
    assert.match(lvu6.what, /Ansökan om vård/);
    assert.match(lvu6.warning ?? '', /upphör/);
    assert.equal(lvu6.basis, 'LVU 8–9 §§');
    assert.doesNotMatch(lvu6.what, /även försenat/);

    // Never underställd: both obligations are overdue. The earliest lapse is shown: not underställd
    // within a week, the omhändertagande ended (LVU 7 § 3 st.), and the ansökan is also overdue.
    const both = items.find((i) => i.reference === 'BoU 2026/52')!;
    assert.equal(both.urgency, 'forsenad');
    assert.match(both.what, /Underställ förvaltningsrätten; även försenat: Ansökan om vård/);
    assert.match(both.warning ?? '', /upphör omhändertagandet/);
    assert.equal(both.due, '2026-06-22');

    const decision = byWhat(/Ej verkställt beslut/);
    assert.match(decision.what, /Verkställ snarast/);
    assert.equal(decision.urgency, 'narmar-sig'); // verkställ snarast: never "i tid", though the report is months away
    assert.equal(decision.dueLabel, 'rapporteras till IVO senast');
    assert.equal(decision.due, '2026-10-12'); // 10 October is a Saturday

    for (const i of items) assert.ok(i.basis, i.what);

    const card = JSON.stringify(reviewCard(new CardRenderer(), await reviews.view(directory.unit('bou-mottagning')!, '2026-W30')));
    assert.match(card, /Lagrum: SoL 20 kap\. 3 §/);
    assert.match(card, /återöppnad/);
    assert.match(card, /rapporteras till IVO senast 12 okt\. 2026|rapporteras till IVO senast 12 okt 2026/);
  });
});

/**
 * Every flag the import stores reaches the review's clock (src/review/service.ts): a first
 * extension known to be the first and decided late reads as too late, not "Kan inte bedömas".
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { importCasework } from '../../src/casework/import';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { WorkingCalendar } from '../../src/review/calendar';
import { ReviewService } from '../../src/review/service';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const TZ = 'Europe/Stockholm';
const NOW = new Date('2026-06-01T08:00:00Z');

describe('review: the casework flags the import stores', () => {
  for (const [first, expected] of [['ja', /beslutades först efter att fristen hade gått ut/], ['', /Kan inte bedömas/]] as const) {
    it(`ingen_tidigare_förlängning = "${first}": ${String(expected)}`, async () => {
      const directory = new Directory(loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml')));
      const store = SqliteStore.open({ filename: ':memory:' });
      try {
        await store.migrate();
        const logger = createLogger('silent');
        const out = await importCasework({ store, unitIds: () => directory.allUnits().map((u) => u.id), now: () => NOW, timeZone: TZ, closeMissing: true, logger }, {
          source: 'pc', full: true, actor: 't',
          csv: `ärendereferens;typ;enhet;utredning_inledd;förlängning_beslutad;förlängd_till;ingen_tidigare_förlängning\nBoU 1;Utredning;bou-mottagning;2026-01-12;2026-05-20;2026-08-31;${first}\n`,
        });
        assert.ok(out.ok);
        const svc = new ReviewService({ store, directory: () => directory, logger, timeZone: TZ, now: () => NOW, warnDays: 7, calendar: new WorkingCalendar() });
        const [row] = (await svc.items('bou-mottagning')).filter((i) => i.kind === 'casework');
        assert.match(`${row!.warning ?? ''} ${row!.what ?? ''}`, expected, JSON.stringify(row));
        if (first === 'ja') assert.doesNotMatch(row!.warning ?? '', /Kan inte bedömas/);
      } finally {
        await store.close();
      }
    });
  }
});

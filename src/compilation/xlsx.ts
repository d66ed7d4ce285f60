/**
 * The sammanställning as an Excel file (exceljs), for the nämnd's handling: the same view as the
 * card (./service.ts CompilationView), with every unit and every pattern alert. Every value is
 * written as a plain string or number cell, never a formula, so a unit name that starts with "="
 * stays text.
 */
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { PATTERN_RULE_TITLES } from '../patterns/view';
import type { Stats } from './figures';
import type { CompilationView } from './service';

const days = (s: Stats | undefined, hours: boolean) => (s ? [s.n, round(hours ? s.median / 24 : s.median), round(hours ? s.max / 24 : s.max)] : [0, '', '']);
const round = (n: number) => Math.round(n * 10) / 10;

/** The workbook's bytes. */
export async function compilationXlsx(v: CompilationView): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Lex Sarah-assistenten';
  // Fixed, so the same figures make the same file (and tests can compare it).
  wb.created = v.generatedAt;
  wb.modified = v.generatedAt;
  const f = v.figures;
  const unitName = (id: string) => v.unitNames.get(id) ?? id;
  const sheet = (name: string, header: string[]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow(header).font = { bold: true };
    ws.columns.forEach((c) => (c.width = 24));
    return ws;
  };

  const o = sheet('Översikt', ['Uppgift', 'Värde']);
  const at = DateTime.fromJSDate(v.generatedAt, { zone: v.timeZone }).toFormat('yyyy-MM-dd HH:mm');
  for (const row of [
    ['Nämnd', v.committeeName],
    ['Kommun', v.municipality],
    ['Period', v.period.label],
    ['Uttagen', at],
    ['Rapporter', f.reports.total],
    ['Varav brådskande', f.reports.urgent],
    ['Bedömningar', f.decisions.total],
    ['Beslut som avvek från rekommendationen', f.decisions.departed],
    ['Bedömningar som kräver anmälan', f.decisions.requiringAnmalan],
    ['Anmälningar till IVO av periodens rapporter', f.anmalningar],
    ['Åtgärder genomförda', f.actions.done],
    ['Åtgärder pågående', f.actions.open],
    ['Åtgärder försenade', f.actions.openOverdue],
    ['Signaler om mönster', v.alerts.total],
    ['Signaler utan ställningstagande', v.alerts.undecided],
    ['Innehåll', 'Bara antal, enheter och referenser – aldrig rapporternas text.'],
  ] as const) o.addRow([...row]);

  const r = sheet('Rapporter', ['Enhet', 'Kategori', 'Antal', 'Varav brådskande']);
  for (const [u, x] of [...f.reports.byUnit].sort((a, b) => unitName(a[0]).localeCompare(unitName(b[0]), 'sv'))) r.addRow([unitName(u), 'Alla', x.count, x.urgent]);
  for (const [c, n] of f.reports.byCategory) r.addRow(['Alla', v.categoryLabel(c), n, '']);

  const d = sheet('Bedömningar', ['Beslut', 'Antal']);
  for (const [outcome, n] of f.decisions.byOutcome) d.addRow([v.outcomeLabel(outcome), n]);

  const t = sheet('Tider', ['Steg', 'Ärenden', 'Median (dagar)', 'Längst (dagar)']);
  t.addRow(['Rapport → bedömning', ...days(f.toDecisionHours, true)]);
  t.addRow(['Bedömning → anmälan', ...days(f.toAnmalanDays, false)]);
  t.addRow(['Anmälan → utredningen till IVO', ...days(f.toInvestigationDays, false)]);

  const w = sheet('Veckogenomgångar', ['Enhet', 'Gjorda', 'Att göra']);
  for (const x of f.reviews) w.addRow([unitName(x.unitId), x.done, x.due]);

  const k = sheet('Ärenden i registret', ['Typ', 'Öppna', 'Försenade']);
  for (const x of f.casework) k.addRow([v.caseworkLabel(x.type), x.open, x.overdue]);

  const m = sheet('Mönster', ['Signal', 'Regel', 'Enhet eller kategori', 'Period', 'Ställningstagande']);
  for (const x of v.alerts.listed) m.addRow([x.id, PATTERN_RULE_TITLES[x.rule], x.scopeName, x.period, x.decision]);

  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * The case system's export as the benchmarks generate it: bench/casework-import.ts imports it
 * (its default file, the same bytes as always), bench/municipality.ts the review unit's register.
 * No imports, so that the import bench's child processes load nothing more than they measure.
 */
export const DAY_MS = 86_400_000;
/** The export names `h0@kommun.example` … `h49@kommun.example` as handläggare. */
export const HANDLAGGARE_IN_EXPORT = 50;

export const IMPORT_UNITS = Array.from({ length: 200 }, (_, i) => `enhet-${i}`);
const CSV_TYPES = ['forhandsbedomning', 'barnavardsutredning', 'overvagande-sol', 'ej-verkstallt-beslut'] as const;
export type CsvType = (typeof CSV_TYPES)[number];

export interface CaseworkCsvOptions {
  /** Row i goes to units[i % units.length]. */
  units?: readonly string[];
  /** The days a type's start date is spread over: first day (UTC ms) and how many days. */
  days?: (type: CsvType) => { first: number; span: number };
}

/**
 * A case system export of `rows` open rows, the four clock types in turn. By default its dates
 * spread over two years before 2026-11-01 (2024-11-01 to 2026-10-31), over the 200 units of IMPORT_UNITS (the import bench's
 * file, as it always was).
 */
export function makeCaseworkCsv(rows: number, opts: CaseworkCsvOptions = {}): string {
  const units = opts.units ?? IMPORT_UNITS;
  const days = opts.days ?? (() => ({ first: Date.UTC(2024, 10, 1), span: 730 }));
  const header = 'ärendereferens;typ;enhet;handläggare;status;orosanmälan_mottagen;utredning_inledd;placering_start;beslutsdatum';
  const out = [header];
  for (let i = 0; i < rows; i++) {
    const { first, span } = days(CSV_TYPES[i % 4]!);
    // 7919 is prime: consecutive rows land on scattered days of the span.
    const day = new Date(first + ((i * 7919) % span) * DAY_MS).toISOString().slice(0, 10);
    const unit = units[i % units.length];
    switch (i % 4) {
      case 0: out.push(`BoU 2026/${i};forhandsbedomning;${unit};h${i % HANDLAGGARE_IN_EXPORT}@kommun.example;öppen;${day};;;`); break;
      case 1: out.push(`BoU 2026/${i};barnavardsutredning;${unit};;öppen;;${day};;`); break;
      case 2: out.push(`BoU 2026/${i};overvagande-sol;${unit};;öppen;;;${day};`); break;
      default: out.push(`SN 2026/${i};ej-verkstallt-beslut;${unit};;öppen;;;;${day}`);
    }
  }
  return out.join('\n');
}


/**
 * Report references: LS-<year>-<number>, the number zero-padded to four digits (more when needed).
 * Defined here because the store assigns the number inside the create transaction; the reports
 * capability re-exports it (src/reports/reference.ts) and parses references against it.
 */
export function formatReference(year: number, seq: number): string {
  return `LS-${year}-${String(seq).padStart(4, '0')}`;
}

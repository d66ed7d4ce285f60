/** Report references: LS-<year>-<number>, the number zero-padded to four digits (more when needed). */
export function formatReference(year: number, seq: number): string {
  return `LS-${year}-${String(seq).padStart(4, '0')}`;
}

export function parseReference(text: string): string | undefined {
  const m = /^\s*ls-(\d{4})-(\d{1,7})\s*$/i.exec(text);
  return m ? formatReference(Number(m[1]), Number(m[2])) : undefined;
}

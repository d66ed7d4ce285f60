/** Report references: LS-<year>-<number>. The store assigns them, so the format is defined there. */
import { formatReference } from '../store/report-reference';

export { formatReference };

export function parseReference(text: string): string | undefined {
  const m = /^\s*ls-(\d{4})-(\d{1,7})\s*$/i.exec(text);
  return m ? formatReference(Number(m[1]), Number(m[2])) : undefined;
}

/**
 * Dates on cards as Swedish readers write them: "3 dec. 2026" and "3 dec. 2026 08:05", in the
 * municipality's time zone. Intl formats these directly; luxon's toFormat gives the same text
 * (test/cards/swedish-dates.test.ts holds them equal over two years, DST changes included) at
 * three times the cost, and a report submit formats seven dates.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

/** "3 dec. 2026", or with `withTime` "3 dec. 2026 08:05". */
export function swedishDate(d: Date, timeZone: string, withTime = false): string {
  const p: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatter(timeZone, withTime).formatToParts(d)) p[part.type] = part.value;
  const day = `${p.day} ${p.month} ${p.year}`;
  return withTime ? `${day} ${p.hour}:${p.minute}` : day;
}

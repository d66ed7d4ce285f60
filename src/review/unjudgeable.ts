/**
 * Why a casework item's deadline cannot be judged, for the weekly review row that says so (an item
 * whose clock the rules could not compute used to vanish from the review and the counts). Plain
 * Swedish a chef can act on: which column of the export to correct and where, never the item's
 * values (the row shows nothing of an item beyond its reference). Pure.
 */
import { CSV_COLUMNS } from '../casework/csv';
import { DATE_FIELDS, isCaseworkItemType, isIsoDate, requiredStartFields, type CaseworkItem, type DateField } from '../casework/rules';

/** Said after every reason that a correction in the case system can fix. */
const FIX = 'Rätta det i verksamhetssystemet; raden läses in på nytt vid nästa import.';

/** The export's column for a date field, as the chef's colleagues who run the export know it. */
function column(field: DateField): string {
  return CSV_COLUMNS.find((c) => c.field === field)?.name ?? field;
}

/** At most this many columns are named; the rest are counted (a row's reason stays short enough for a full review page). */
const COLUMNS_NAMED = 3;

/** "a", "a och b", "a, b och c", "a, b, c och 2 till". */
function list(words: readonly string[]): string {
  if (words.length > COLUMNS_NAMED) return `${words.slice(0, COLUMNS_NAMED).join(', ')} och ${words.length - COLUMNS_NAMED} till`;
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} och ${words.at(-1)}`;
}

/** The reason the item's deadline cannot be computed, given that computing it failed. */
export function unjudgeableReason(item: CaseworkItem): string {
  if (!isCaseworkItemType(item.type)) {
    return 'Ärendetypen i exporten finns inte bland de tidsfrister appen räknar, så ingen frist kan bedömas. Be den som sköter exporten från verksamhetssystemet att kontrollera typen.';
  }
  const invalid = DATE_FIELDS.filter((f) => {
    const v = item[f];
    return typeof v === 'string' && v !== '' && !isIsoDate(v);
  });
  if (invalid.length === 1) return `Datumet i ${column(invalid[0]!)} är inte ett giltigt datum, så fristen kan inte räknas ut. ${FIX}`;
  if (invalid.length > 1) return `Datumen i ${list(invalid.map(column))} är inte giltiga datum, så fristen kan inte räknas ut. ${FIX}`;
  const start = requiredStartFields(item.type);
  if (start.length > 0 && !start.some((f) => item[f])) {
    return `Exporten saknar ${start.map(column).join(' eller ')}, som fristen räknas från. Fyll i det i verksamhetssystemet; raden läses in på nytt vid nästa import.`;
  }
  return 'Tidsfristen kunde inte räknas ut ur datumen i exporten: de passar inte de regler appen känner till. Kontrollera datumen i verksamhetssystemet, eller kontakta systemförvaltaren (felet finns i loggen).';
}

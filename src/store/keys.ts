/**
 * Rules for the keys both adapters store. SQL Server compares NVARCHAR with trailing spaces
 * ignored (in =, in unique keys and in primary keys, whatever the collation), SQLite does not: a
 * key "k " would be a second row on SQLite and the same row as "k" on SQL Server. So keys that end
 * in whitespace are refused when written, in both adapters, and can never be found when read.
 * Refused: state, once-marker and work-lease keys; the organisation's ids; outbox message keys;
 * rate-limit bucket keys; report form ids; casework sources, references, types and openings.
 */

/** True when `key` ends in whitespace, which the stores refuse in keys. */
export function hasTrailingWhitespace(key: string): boolean {
  return /\s$/u.test(key);
}

/** Refuses a key that ends in whitespace, naming what it is. */
export function needTrimmedKey(key: string, what: string): void {
  if (hasTrailingWhitespace(key)) {
    throw new Error(`The ${what} ${JSON.stringify(key)} ends in whitespace, which the store does not keep in keys (SQL Server would ignore it); remove it.`);
  }
}

/** The organisation's keys (nämnd, unit and person ids, role scopes) as organisationToRows gives them. */
export function needTrimmedOrganisationKeys(rows: {
  committees: readonly { id: string }[];
  units: readonly { id: string; committeeId: string }[];
  people: readonly { entraId: string }[];
  roles: readonly { entraId: string; scopeId: string }[];
}): void {
  for (const c of rows.committees) needTrimmedKey(c.id, 'nämnd id');
  for (const u of rows.units) {
    needTrimmedKey(u.id, 'unit id');
    needTrimmedKey(u.committeeId, `nämnd id of unit "${u.id}"`);
  }
  for (const p of rows.people) needTrimmedKey(p.entraId, 'Entra id');
  for (const r of rows.roles) {
    needTrimmedKey(r.entraId, 'Entra id of a role');
    needTrimmedKey(r.scopeId, `role scope of person "${r.entraId}"`);
  }
}

/** A casework record's key columns besides its source (checked once per import): reference, type and opening. */
export function needTrimmedCaseworkKeys(r: { caseReference: string; type: string; openingKey?: string }): void {
  needTrimmedKey(r.caseReference, 'case reference');
  needTrimmedKey(r.type, `type of case "${r.caseReference}"`);
  if (r.openingKey !== undefined) needTrimmedKey(r.openingKey, `opening key of case "${r.caseReference}"`);
}

/** What needTrimmedMessageKeys reads of an outbox message (../outbox.ts OutboxMessage). */
interface KeyedMessage {
  key: string;
  onUndeliverable?: readonly KeyedMessage[];
}

/** Outbox message keys, those of the messages enqueued should one end undeliverable included. */
export function needTrimmedMessageKeys(messages: readonly KeyedMessage[]): void {
  for (const m of messages) {
    needTrimmedKey(m.key, 'outbox message key');
    if (m.onUndeliverable) needTrimmedMessageKeys(m.onUndeliverable);
  }
}

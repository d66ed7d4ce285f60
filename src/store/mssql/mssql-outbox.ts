/**
 * The outbox and the shared rate limit on SQL Server. Behaviour mirrors ../sqlite/sqlite-outbox.ts,
 * which is the reference; both must pass test/store/contract.ts. Every SQL text here is in
 * MSSQL_OUTBOX_SQL, which test/store/mssql-sql.test.ts parse-checks (node-sql-parser has no MERGE
 * and no OUTPUT, so neither is used).
 *
 * Concurrency:
 * - enqueue(): one transaction; each message is an INSERT … SELECT … WHERE NOT EXISTS whose check
 *   holds UPDLOCK + HOLDLOCK on the key's range, so concurrent enqueues of one key queue and one
 *   inserts. Should a unique-key violation still occur, the transaction is rolled back and run
 *   again (the key is then found and skipped).
 * - claim(): one transaction. claimPick selects the due ids in claim order WITH (UPDLOCK, READPAST,
 *   ROWLOCK): it update-locks the rows it returns until the transaction ends and skips rows another
 *   claimer has locked, so concurrent claimers get disjoint rows without waiting for each other.
 *   claimTake then leases exactly those ids (re-checking that they are still due), and claimRead
 *   reads them back by id, owner and lease end. The ids travel as a JSON list (OPENJSON: database
 *   compatibility level 130 or higher, read WITH an INT column, as id is).
 * - finish(), retryLater(), renew(), releaseAll(): single guarded UPDATEs (owner holds the row and
 *   it is still pending); finish() enqueues the row's undeliverable messages in its transaction.
 * - rateLimits.take(): one transaction; the bucket row (or its key range) is read WITH (UPDLOCK,
 *   HOLDLOCK), the token bucket rule (../outbox-rows.ts) decides, and the row is updated, or
 *   inserted when there was none (a concurrent first insert makes this one fail with a duplicate
 *   key, and the take is run again).
 */
import * as sql from 'mssql';
import type { AuditEntry } from '../audit';
import type { OutboxMessage, OutboxOutcome, OutboxRow, OutboxStore, RateLimitStore } from '../outbox';
import {
  decodeUndeliverable,
  encodeUndeliverable,
  normaliseMessage,
  outboxFromRow,
  readableOutboxRow,
  UNREADABLE_ROW_ERROR,
  outcomeColumns,
  PRIORITY_CODE,
  takeToken,
  type OutboxDbRow,
} from '../outbox-rows';
import { asDate } from '../report-rows';
import { fits, isUniqueViolation, need, rowsChanged, type Db } from './mssql-db';
import { bindAudit, checkAudit, MSSQL_REPORT_SQL } from './mssql-report-sql';
import { hasTrailingWhitespace, needTrimmedKey } from '../keys';

/** Every SQL text of the outbox and rate-limit stores. Parameters are @named and bound with explicit types. */
export const MSSQL_OUTBOX_SQL = {
  markUnreadable: `UPDATE outbox SET state = 'failed', last_error = @error, finished_at = @at, lease_owner = NULL, lease_until = NULL WHERE id = @id`,
  /** Inserts the message unless its key exists; the check holds a key-range update lock until the transaction ends. */
  enqueue: `INSERT INTO outbox (message_key, recipient_entra_id, recipient_name, purpose, entity_ref, unit_id, committee_id, card_json,
      priority, not_before, created_at, replaces_activity_id, on_undeliverable, state, attempts, next_attempt_at)
    SELECT @key, @recipientEntraId, @recipientName, @purpose, @entityRef, @unitId, @committeeId, @cardJson,
      @priority, @notBefore, @createdAt, @replacesActivityId, @onUndeliverable, N'pending', 0, @notBefore
    WHERE NOT EXISTS (SELECT 1 FROM outbox WITH (UPDLOCK, HOLDLOCK) WHERE message_key = @key);
    SELECT @@ROWCOUNT AS n`,

  /**
   * Whether a message's covered work (OutboxMessage.covers, @keys a JSON array read WITH work_key's
   * and message_key's exact type and collation) is done already or is an outbox row: range locks held
   * to the end of the transaction, so that no other instance can write that work meanwhile.
   */
  coveredTaken: `SELECT TOP (1) 1 AS n FROM (
      SELECT work_key AS k FROM work_leases WITH (UPDLOCK, HOLDLOCK)
        WHERE done_at IS NOT NULL AND work_key IN (SELECT v FROM OPENJSON(@keys) WITH (v NVARCHAR(400) COLLATE Latin1_General_100_BIN2 '$'))
      UNION ALL
      SELECT message_key FROM outbox WITH (UPDLOCK, HOLDLOCK)
        WHERE message_key IN (SELECT v FROM OPENJSON(@keys) WITH (v NVARCHAR(400) COLLATE Latin1_General_100_BIN2 '$'))
    ) AS taken`,
  /** The message row itself, update-locked (its work is then only marked). */
  messageExists: `SELECT TOP (1) 1 AS n FROM outbox WITH (UPDLOCK, HOLDLOCK) WHERE message_key = @key`,
  /** The covered work marked done where it has a lease row (leased, or done already)… */
  coveredDone: `UPDATE work_leases WITH (UPDLOCK, HOLDLOCK) SET done_at = COALESCE(done_at, @at)
      WHERE work_key IN (SELECT v FROM OPENJSON(@keys) WITH (v NVARCHAR(400) COLLATE Latin1_General_100_BIN2 '$'))`,
  /** …and a done row for each piece never leased, one key at a time (a digest covers tens). */
  coveredDoneInsert: `INSERT INTO work_leases (work_key, lease_until, attempts, done_at)
    SELECT @key, @at, 0, @at
    WHERE NOT EXISTS (SELECT 1 FROM work_leases WITH (UPDLOCK, HOLDLOCK) WHERE work_key = @key)`,

  // --- claim (one transaction) -------------------------------------------------------------------
  /** Due rows in claim order (a seek in ix_outbox_due), update-locked; rows other claimers hold locked are skipped. */
  claimPick: `SELECT TOP (@limit) id FROM outbox WITH (UPDLOCK, READPAST, ROWLOCK)
    WHERE state = N'pending' AND next_attempt_at <= @now AND not_before <= @now AND (lease_until IS NULL OR lease_until <= @now)
    ORDER BY priority, next_attempt_at, id`,
  claimTake: `UPDATE outbox SET lease_owner = @owner, lease_until = @until, attempts = attempts + 1
    WHERE id IN (SELECT v FROM OPENJSON(@ids) WITH (v INT '$'))
      AND state = N'pending' AND next_attempt_at <= @now AND not_before <= @now AND (lease_until IS NULL OR lease_until <= @now)`,
  claimRead: `SELECT id, message_key, recipient_entra_id, recipient_name, purpose, entity_ref, unit_id, committee_id, card_json, priority,
      not_before, created_at, replaces_activity_id, on_undeliverable, state, attempts, next_attempt_at, lease_owner, lease_until,
      last_error, activity_id, finished_at
    FROM outbox WHERE id IN (SELECT v FROM OPENJSON(@ids) WITH (v INT '$')) AND lease_owner = @owner AND lease_until = @until
    ORDER BY priority, next_attempt_at, id`,

  // --- outcomes and leases (each only while the owner holds the row) -------------------------------
  renew: `UPDATE outbox SET lease_until = @until
    WHERE id IN (SELECT v FROM OPENJSON(@ids) WITH (v INT '$')) AND lease_owner = @owner AND state = N'pending';
    SELECT @@ROWCOUNT AS n`,
  finish: `UPDATE outbox SET state = @state, activity_id = COALESCE(@activityId, activity_id), last_error = COALESCE(@error, last_error),
      finished_at = @finishedAt, lease_until = NULL
    WHERE id = @id AND lease_owner = @owner AND state = N'pending';
    SELECT @@ROWCOUNT AS n`,
  finishUndeliverable: `SELECT on_undeliverable FROM outbox WHERE id = @id`,
  retryLater: `UPDATE outbox SET next_attempt_at = @nextAttemptAt, last_error = @error, lease_owner = NULL, lease_until = NULL
    WHERE id = @id AND lease_owner = @owner AND state = N'pending';
    SELECT @@ROWCOUNT AS n`,
  releaseAll: `UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @owner AND state = N'pending';
    SELECT @@ROWCOUNT AS n`,

  // --- reads ---------------------------------------------------------------------------------------
  listByEntity: `SELECT id, message_key, recipient_entra_id, recipient_name, purpose, entity_ref, unit_id, committee_id, card_json, priority,
      not_before, created_at, replaces_activity_id, on_undeliverable, state, attempts, next_attempt_at, lease_owner, lease_until,
      last_error, activity_id, finished_at
    FROM outbox WHERE entity_ref = @entityRef ORDER BY id`,
  listByEntityAndPurpose: `SELECT id, message_key, recipient_entra_id, recipient_name, purpose, entity_ref, unit_id, committee_id, card_json, priority,
      not_before, created_at, replaces_activity_id, on_undeliverable, state, attempts, next_attempt_at, lease_owner, lease_until,
      last_error, activity_id, finished_at
    FROM outbox WHERE entity_ref = @entityRef AND purpose = @purpose ORDER BY id`,
  settledWithoutFollowUp: `SELECT TOP (@limit) o.entity_ref AS entity_ref FROM outbox o
    WHERE o.purpose = @purpose AND o.finished_at >= @since
      AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.entity_ref = o.entity_ref AND p.purpose = @purpose AND p.state = N'pending')
      AND NOT EXISTS (SELECT 1 FROM outbox f WHERE f.entity_ref = o.entity_ref AND f.purpose = @followUp)
    GROUP BY o.entity_ref
    ORDER BY MAX(o.finished_at) DESC, o.entity_ref`,
  clearFinishedCards: `UPDATE outbox SET card_json = N'', on_undeliverable = NULL
    WHERE id IN (SELECT TOP (@limit) id FROM outbox WHERE state <> N'pending' AND finished_at < @before AND card_json <> N'' ORDER BY id);
    SELECT @@ROWCOUNT AS n`,
  deliveryStates: `SELECT recipient_name, state FROM outbox WHERE entity_ref = @entityRef AND purpose = @purpose ORDER BY id`,
  getByKey: `SELECT id, message_key, recipient_entra_id, recipient_name, purpose, entity_ref, unit_id, committee_id, card_json, priority,
      not_before, created_at, replaces_activity_id, on_undeliverable, state, attempts, next_attempt_at, lease_owner, lease_until,
      last_error, activity_id, finished_at
    FROM outbox WHERE message_key = @key`,
  pendingCount: `SELECT COUNT(*) AS n FROM outbox WHERE state = N'pending'`,

  // --- shared rate limit (one transaction) ---------------------------------------------------------
  /** Locks the bucket row, or the key range where it would be, until the transaction ends. */
  bucketLock: `SELECT tokens, updated_at FROM rate_limits WITH (UPDLOCK, HOLDLOCK) WHERE bucket_key = @key`,
  bucketUpdate: `UPDATE rate_limits SET tokens = @tokens, updated_at = @updatedAt WHERE bucket_key = @key`,
  bucketInsert: `INSERT INTO rate_limits (bucket_key, tokens, updated_at) VALUES (@key, @tokens, @updatedAt)`,
} as const;

/** Column lengths as migration 10 in ./migrations.ts declares them. */
export const MSSQL_OUTBOX_LIMITS = {
  key: 400,
  entraId: 100,
  /** Display text: cut to fit rather than refused. */
  personName: 400,
  purpose: 40,
  entityRef: 200,
  orgId: 200,
  activityId: 400,
  state: 20,
  leaseOwner: 200,
  /** Diagnostic text: cut to fit rather than refused. */
  error: 1000,
  bucketKey: 200,
} as const;

const L = MSSQL_OUTBOX_LIMITS;
/** Runs of enqueue() or take() when a concurrent insert of the same key won. */
const DUPLICATE_ATTEMPTS = 3;

const T = {
  text: (len: number) => sql.NVarChar(len),
  max: () => sql.NVarChar(sql.MAX),
  at: () => sql.DateTime2(3),
};

/** Refuses what would not fit before anything is written, nested undeliverable messages included. */
function checkMessage(m: OutboxMessage): void {
  need(m.key, L.key, 'outbox message key');
  needTrimmedKey(m.key, 'outbox message key');
  need(m.recipientEntraId, L.entraId, `recipient's Entra id of outbox message "${m.key.slice(0, 100)}"`);
  need(m.purpose, L.purpose, 'outbox message purpose');
  need(m.entityRef, L.entityRef, 'outbox message entity reference');
  if (m.unitId !== undefined) need(m.unitId, L.orgId, 'outbox message unit id');
  if (m.committeeId !== undefined) need(m.committeeId, L.orgId, 'outbox message nämnd id');
  if (m.replacesActivityId !== undefined) need(m.replacesActivityId, L.activityId, 'activity id the outbox message replaces');
  if (typeof m.cardJson !== 'string') throw new Error(`Outbox message "${m.key.slice(0, 100)}" has no card.`);
  m.onUndeliverable?.forEach(checkMessage);
  for (const k of m.covers ?? []) {
    need(k, L.key, `work covered by outbox message "${m.key.slice(0, 100)}"`);
    needTrimmedKey(k, 'covered work key');
  }
}

/**
 * Inserts the messages whose keys are new, inside the caller's transaction, with the audit entry
 * `audit` gives for each inserted one. Returns the keys inserted.
 */
export async function enqueueInTx(
  tx: sql.Transaction,
  messages: readonly OutboxMessage[],
  audit?: (m: OutboxMessage) => AuditEntry | undefined,
): Promise<string[]> {
  messages.forEach(checkMessage);
  const inserted: string[] = [];
  for (const raw of messages) {
    const m = normaliseMessage(raw);
    if (raw.covers?.length) {
      const keys = JSON.stringify(raw.covers);
      const mark = async () => {
        await new sql.Request(tx).input('keys', T.max(), keys).input('at', T.at(), m.createdAt).query(MSSQL_OUTBOX_SQL.coveredDone);
        for (const k of new Set(raw.covers)) await new sql.Request(tx).input('key', T.text(L.key), k).input('at', T.at(), m.createdAt).query(MSSQL_OUTBOX_SQL.coveredDoneInsert);
      };
      // The same row written before (another instance, or a tick that died before marking): marked now.
      if ((await new sql.Request(tx).input('key', T.text(L.key), m.key).query(MSSQL_OUTBOX_SQL.messageExists)).recordset.length > 0) {
        await mark();
        continue;
      }
      // Another row has some of this one's work: this one is not written (what is left comes next tick).
      if ((await new sql.Request(tx).input('keys', T.max(), keys).query(MSSQL_OUTBOX_SQL.coveredTaken)).recordset.length > 0) continue;
      await mark();
    }
    const req = new sql.Request(tx)
      .input('key', T.text(L.key), m.key)
      .input('recipientEntraId', T.text(L.entraId), m.recipientEntraId)
      .input('recipientName', T.text(L.personName), m.recipientName.slice(0, L.personName))
      .input('purpose', T.text(L.purpose), m.purpose)
      .input('entityRef', T.text(L.entityRef), m.entityRef)
      .input('unitId', T.text(L.orgId), m.unitId ?? null)
      .input('committeeId', T.text(L.orgId), m.committeeId ?? null)
      .input('cardJson', T.max(), m.cardJson)
      .input('priority', sql.TinyInt, PRIORITY_CODE[m.priority])
      .input('notBefore', T.at(), m.notBefore)
      .input('createdAt', T.at(), m.createdAt)
      .input('replacesActivityId', T.text(L.activityId), m.replacesActivityId ?? null)
      .input('onUndeliverable', T.max(), encodeUndeliverable(m.onUndeliverable));
    if ((await rowsChanged(req, MSSQL_OUTBOX_SQL.enqueue)) !== 1) continue;
    inserted.push(m.key);
    const entry = audit?.(raw);
    if (entry) {
      checkAudit(entry);
      await bindAudit(new sql.Request(tx), entry).query(MSSQL_REPORT_SQL.auditInsert);
    }
  }
  return inserted;
}

async function retryingDuplicates<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= DUPLICATE_ATTEMPTS) throw err;
    }
  }
}

export class MssqlOutboxStore implements OutboxStore {
  constructor(private readonly db: Db) {}

  async enqueue(messages: readonly OutboxMessage[], audit?: (m: OutboxMessage) => AuditEntry | undefined): Promise<string[]> {
    if (messages.length === 0) return [];
    return retryingDuplicates(() => this.db.inTransaction((tx) => enqueueInTx(tx, messages, audit), { retryDeadlocks: true }));
  }

  async claim(owner: string, now: Date, leaseMs: number, limit: number): Promise<OutboxRow[]> {
    need(owner, L.leaseOwner, 'outbox lease owner');
    if (!(limit >= 1)) return [];
    const until = new Date(now.getTime() + leaseMs);
    const S = MSSQL_OUTBOX_SQL;
    return this.db.inTransaction(
      async (tx) => {
        const picked = await new sql.Request(tx)
          .input('limit', sql.Int, Math.min(Math.floor(limit), 2_147_483_647))
          .input('now', T.at(), now)
          .query<{ id: number }>(S.claimPick);
        if (picked.recordset.length === 0) return [];
        const ids = JSON.stringify(picked.recordset.map((r) => r.id));
        const bind = (req: sql.Request) =>
          req.input('ids', T.max(), ids).input('owner', T.text(L.leaseOwner), owner).input('until', T.at(), until);
        await bind(new sql.Request(tx)).input('now', T.at(), now).query(S.claimTake);
        const rows = await bind(new sql.Request(tx)).query<OutboxDbRow>(S.claimRead);
        const out: OutboxRow[] = [];
        for (const r of rows.recordset) {
          const row = readableOutboxRow(r);
          if (row) out.push(row);
          else await new sql.Request(tx).input('id', sql.Int, r.id).input('error', T.text(L.error), UNREADABLE_ROW_ERROR).input('at', T.at(), now).query(S.markUnreadable);
        }
        return out;
      },
      { retryDeadlocks: true },
    );
  }

  async renew(ids: readonly number[], owner: string, now: Date, leaseMs: number): Promise<number> {
    if (ids.length === 0 || !fits(owner, L.leaseOwner)) return 0;
    return rowsChanged(
      this.db.pool
        .request()
        .input('ids', T.max(), JSON.stringify([...new Set(ids)]))
        .input('owner', T.text(L.leaseOwner), owner)
        .input('until', T.at(), new Date(now.getTime() + leaseMs)),
      MSSQL_OUTBOX_SQL.renew,
    );
  }

  async finish(id: number, owner: string, outcome: OutboxOutcome, at: Date): Promise<boolean> {
    if (!fits(owner, L.leaseOwner)) return false;
    const o = outcomeColumns(outcome);
    // An activity id that does not fit cannot be used to update the message later; the outcome still counts.
    const activityId = o.activityId !== null && fits(o.activityId, L.activityId) ? o.activityId : null;
    return retryingDuplicates(() =>
      this.db.inTransaction(
        async (tx) => {
          const finished = await rowsChanged(
            new sql.Request(tx)
              .input('state', T.text(L.state), o.state)
              .input('activityId', T.text(L.activityId), activityId)
              .input('error', T.text(L.error), o.error === null ? null : o.error.slice(0, L.error))
              .input('finishedAt', T.at(), at)
              .input('id', sql.Int, id)
              .input('owner', T.text(L.leaseOwner), owner),
            MSSQL_OUTBOX_SQL.finish,
          );
          if (finished !== 1) return false;
          if (o.state !== 'sent') {
            const row = await new sql.Request(tx).input('id', sql.Int, id).query<{ on_undeliverable: string | null }>(MSSQL_OUTBOX_SQL.finishUndeliverable);
            const next = decodeUndeliverable(row.recordset[0]?.on_undeliverable ?? null);
            if (next) await enqueueInTx(tx, next);
          }
          return true;
        },
        { retryDeadlocks: true },
      ),
    );
  }

  async retryLater(id: number, owner: string, nextAttemptAt: Date, error: string): Promise<boolean> {
    if (!fits(owner, L.leaseOwner)) return false;
    const moved = await rowsChanged(
      this.db.pool
        .request()
        .input('nextAttemptAt', T.at(), nextAttemptAt)
        .input('error', T.text(L.error), error.slice(0, L.error))
        .input('id', sql.Int, id)
        .input('owner', T.text(L.leaseOwner), owner),
      MSSQL_OUTBOX_SQL.retryLater,
    );
    return moved === 1;
  }

  async releaseAll(owner: string): Promise<number> {
    if (!fits(owner, L.leaseOwner)) return 0;
    return rowsChanged(this.db.pool.request().input('owner', T.text(L.leaseOwner), owner), MSSQL_OUTBOX_SQL.releaseAll);
  }

  async listByEntity(entityRef: string, purpose?: string): Promise<OutboxRow[]> {
    if (!fits(entityRef, L.entityRef) || (purpose !== undefined && !fits(purpose, L.purpose))) return [];
    const req = this.db.pool.request().input('entityRef', T.text(L.entityRef), entityRef);
    if (purpose !== undefined) req.input('purpose', T.text(L.purpose), purpose);
    const r = await req.query<OutboxDbRow>(purpose === undefined ? MSSQL_OUTBOX_SQL.listByEntity : MSSQL_OUTBOX_SQL.listByEntityAndPurpose);
    return r.recordset.map(outboxFromRow);
  }

  async deliveryStates(entityRef: string, purpose: string): Promise<Pick<OutboxRow, 'recipientName' | 'state'>[]> {
    if (!fits(entityRef, L.entityRef) || !fits(purpose, L.purpose)) return [];
    const r = await this.db.pool
      .request()
      .input('entityRef', T.text(L.entityRef), entityRef)
      .input('purpose', T.text(L.purpose), purpose)
      .query<{ recipient_name: string; state: OutboxRow['state'] }>(MSSQL_OUTBOX_SQL.deliveryStates);
    return r.recordset.map((row) => ({ recipientName: row.recipient_name, state: row.state }));
  }

  async settledWithoutFollowUp(purpose: string, followUp: string, since: Date, limit: number): Promise<string[]> {
    if (!(limit >= 1) || !fits(purpose, L.purpose) || !fits(followUp, L.purpose)) return [];
    const r = await this.db.pool
      .request()
      .input('limit', sql.Int, Math.floor(limit))
      .input('purpose', T.text(L.purpose), purpose)
      .input('followUp', T.text(L.purpose), followUp)
      .input('since', T.at(), since)
      .query<{ entity_ref: string }>(MSSQL_OUTBOX_SQL.settledWithoutFollowUp);
    return r.recordset.map((row) => row.entity_ref);
  }

  async clearFinishedCards(before: Date, limit: number): Promise<number> {
    if (!(limit >= 1)) return 0;
    return rowsChanged(this.db.pool.request().input('limit', sql.Int, Math.floor(limit)).input('before', T.at(), before), MSSQL_OUTBOX_SQL.clearFinishedCards);
  }

  async get(key: string): Promise<OutboxRow | undefined> {
    // Longer than the column, or ending in whitespace (= would match the key without it): never stored.
    if (!fits(key, L.key) || hasTrailingWhitespace(key)) return undefined;
    const r = await this.db.pool.request().input('key', T.text(L.key), key).query<OutboxDbRow>(MSSQL_OUTBOX_SQL.getByKey);
    const row = r.recordset[0];
    return row ? outboxFromRow(row) : undefined;
  }

  async pendingCount(): Promise<number> {
    const r = await this.db.pool.request().query<{ n: number }>(MSSQL_OUTBOX_SQL.pendingCount);
    return r.recordset[0]?.n ?? 0;
  }
}

export class MssqlRateLimitStore implements RateLimitStore {
  constructor(private readonly db: Db) {}

  async take(key: string, now: Date, ratePerSecond: number, capacity: number): Promise<number> {
    need(key, L.bucketKey, 'rate-limit key');
    needTrimmedKey(key, 'rate-limit key');
    takeToken(undefined, now, ratePerSecond, capacity); // refuses a bad rate or capacity before touching the database
    const S = MSSQL_OUTBOX_SQL;
    return retryingDuplicates(() =>
      this.db.inTransaction(
        async (tx) => {
          const r = await new sql.Request(tx).input('key', T.text(L.bucketKey), key).query<{ tokens: number; updated_at: Date }>(S.bucketLock);
          const row = r.recordset[0];
          const { bucket, waitMs } = takeToken(row && { tokens: row.tokens, updatedAt: asDate(row.updated_at) }, now, ratePerSecond, capacity);
          await new sql.Request(tx)
            .input('key', T.text(L.bucketKey), key)
            .input('tokens', sql.Float, bucket.tokens)
            .input('updatedAt', T.at(), bucket.updatedAt)
            .query(row ? S.bucketUpdate : S.bucketInsert);
          return waitMs;
        },
        { retryDeadlocks: true },
      ),
    );
  }
}

/**
 * The outbox and the shared rate limit on SQLite. Every write runs in a BEGIN IMMEDIATE
 * transaction, which takes the database's write lock first: two processes sharing the file
 * serialise there, so a row is claimed by one of them and a token taken once.
 */
import type Database from 'better-sqlite3';
import type { AuditEntry } from '../audit';
import type { OutboxMessage, OutboxOutcome, OutboxRow, OutboxStore, RateLimitStore } from '../outbox';
import {
  decodeUndeliverable,
  encodeUndeliverable,
  normaliseMessage,
  OUTBOX_COLUMNS,
  outboxFromRow,
  readableOutboxRow,
  UNREADABLE_ROW_ERROR,
  outcomeColumns,
  PRIORITY_CODE,
  takeToken,
  type OutboxDbRow,
} from '../outbox-rows';
import { insertAudit } from './sqlite-audit';
import { needTrimmedKey, needTrimmedMessageKeys } from '../keys';

type Db = Database.Database;

/**
 * Inserts the messages whose keys are new (on the caller's connection, inside its transaction),
 * with the audit entry `audit` gives for each inserted one. Returns the keys inserted.
 */
export function enqueueIn(db: Db, messages: readonly OutboxMessage[], audit?: (m: OutboxMessage) => AuditEntry | undefined): string[] {
  const insert = db.prepare(
    `INSERT INTO outbox (message_key, recipient_entra_id, recipient_name, purpose, entity_ref, unit_id, committee_id, card_json,
       priority, not_before, created_at, replaces_activity_id, on_undeliverable, state, attempts, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)
     ON CONFLICT (message_key) DO NOTHING`,
  );
  // Refused before anything is written (SQL Server's = would ignore the whitespace).
  needTrimmedMessageKeys(messages);
  const exists = db.prepare('SELECT 1 AS n FROM outbox WHERE message_key = ?');
  const taken = db.prepare(
    `SELECT 1 AS n FROM work_leases WHERE done_at IS NOT NULL AND work_key IN (SELECT value FROM json_each(@keys))
     UNION ALL SELECT 1 FROM outbox WHERE message_key IN (SELECT value FROM json_each(@keys)) LIMIT 1`,
  );
  const markDone = db.prepare(
    `INSERT INTO work_leases (work_key, lease_until, attempts, done_at) SELECT value, @at, 0, @at FROM json_each(@keys) WHERE true
     ON CONFLICT (work_key) DO UPDATE SET done_at = COALESCE(work_leases.done_at, excluded.done_at)`,
  );
  const inserted: string[] = [];
  const coveredKeys = (m: OutboxMessage): void => {
    for (const k of m.covers ?? []) needTrimmedKey(k, 'covered work key');
    m.onUndeliverable?.forEach(coveredKeys);
  };
  messages.forEach(coveredKeys);
  for (const raw of messages) {
    const m = normaliseMessage(raw);
    if (raw.covers?.length) {
      const keys = JSON.stringify(raw.covers);
      const at = m.createdAt.toISOString();
      // The same row written before (another instance, or a tick that died before marking): marked now.
      if (exists.get(m.key)) {
        markDone.run({ keys, at });
        continue;
      }
      // Another row has some of this one's work: this one is not written (what is left comes next tick).
      if (taken.get({ keys })) continue;
      markDone.run({ keys, at });
    }
    const notBefore = m.notBefore.toISOString();
    const changes = insert.run(
      m.key, m.recipientEntraId, m.recipientName, m.purpose, m.entityRef, m.unitId ?? null, m.committeeId ?? null, m.cardJson,
      PRIORITY_CODE[m.priority], notBefore, m.createdAt.toISOString(), m.replacesActivityId ?? null,
      encodeUndeliverable(m.onUndeliverable), notBefore,
    ).changes;
    if (changes !== 1) continue;
    inserted.push(m.key);
    const entry = audit?.(raw);
    if (entry) insertAudit(db, entry);
  }
  return inserted;
}

/** Rows claimable at `now`: pending, due, and not under a live lease. */
const DUE = `state = 'pending' AND next_attempt_at <= @now AND not_before <= @now AND (lease_until IS NULL OR lease_until <= @now)`;

export class SqliteOutboxStore implements OutboxStore {
  constructor(private readonly db: Db) {}

  async enqueue(messages: readonly OutboxMessage[], audit?: (m: OutboxMessage) => AuditEntry | undefined): Promise<string[]> {
    return this.db.transaction(() => enqueueIn(this.db, messages, audit)).immediate();
  }

  async claim(owner: string, now: Date, leaseMs: number, limit: number): Promise<OutboxRow[]> {
    if (!(limit >= 1)) return [];
    const db = this.db;
    const at = now.toISOString();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    return db
      .transaction(() => {
        const ids = (
          db.prepare(`SELECT id FROM outbox WHERE ${DUE} ORDER BY priority, next_attempt_at, id LIMIT @limit`).all({ now: at, limit: Math.floor(limit) }) as {
            id: number;
          }[]
        ).map((r) => r.id);
        const take = db.prepare(`UPDATE outbox SET lease_owner = @owner, lease_until = @until, attempts = attempts + 1 WHERE id = @id AND ${DUE}`);
        const read = db.prepare(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE id = ?`);
        const unreadable = db.prepare(`UPDATE outbox SET state = 'failed', last_error = @error, finished_at = @at, lease_owner = NULL, lease_until = NULL WHERE id = @id`);
        const rows: OutboxRow[] = [];
        for (const id of ids) {
          if (take.run({ owner, until, id, now: at }).changes !== 1) continue;
          const row = readableOutboxRow(read.get(id) as OutboxDbRow);
          if (row) rows.push(row);
          else unreadable.run({ id, error: UNREADABLE_ROW_ERROR, at });
        }
        return rows;
      })
      .immediate();
  }

  async renew(ids: readonly number[], owner: string, now: Date, leaseMs: number): Promise<number> {
    const until = new Date(now.getTime() + leaseMs).toISOString();
    const db = this.db;
    const renew = db.prepare(`UPDATE outbox SET lease_until = ? WHERE id = ? AND lease_owner = ? AND state = 'pending'`);
    return db.transaction(() => [...new Set(ids)].reduce((n, id) => n + renew.run(until, id, owner).changes, 0)).immediate();
  }

  async finish(id: number, owner: string, outcome: OutboxOutcome, at: Date): Promise<boolean> {
    const db = this.db;
    const o = outcomeColumns(outcome);
    return db
      .transaction(() => {
        const changed = db
          .prepare(
            `UPDATE outbox SET state = ?, activity_id = COALESCE(?, activity_id), last_error = COALESCE(?, last_error),
               finished_at = ?, lease_until = NULL
             WHERE id = ? AND lease_owner = ? AND state = 'pending'`,
          )
          .run(o.state, o.activityId, o.error, at.toISOString(), id, owner).changes;
        if (changed !== 1) return false;
        if (o.state !== 'sent') {
          const row = db.prepare('SELECT on_undeliverable FROM outbox WHERE id = ?').get(id) as { on_undeliverable: string | null };
          const next = decodeUndeliverable(row.on_undeliverable);
          if (next) enqueueIn(db, next);
        }
        return true;
      })
      .immediate();
  }

  async retryLater(id: number, owner: string, nextAttemptAt: Date, error: string): Promise<boolean> {
    return (
      this.db
        .prepare(
          `UPDATE outbox SET next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL
           WHERE id = ? AND lease_owner = ? AND state = 'pending'`,
        )
        .run(nextAttemptAt.toISOString(), error, id, owner).changes === 1
    );
  }

  async releaseAll(owner: string): Promise<number> {
    return this.db
      .prepare(`UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? AND state = 'pending'`)
      .run(owner).changes;
  }

  async listByEntity(entityRef: string, purpose?: string): Promise<OutboxRow[]> {
    const rows = this.db
      .prepare(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE entity_ref = ? AND (? IS NULL OR purpose = ?) ORDER BY id`)
      .all(entityRef, purpose ?? null, purpose ?? null) as OutboxDbRow[];
    return rows.map(outboxFromRow);
  }

  async deliveryStates(entityRef: string, purpose: string): Promise<Pick<OutboxRow, 'recipientName' | 'state'>[]> {
    return this.db
      .prepare(`SELECT recipient_name AS recipientName, state FROM outbox WHERE entity_ref = ? AND purpose = ? ORDER BY id`)
      .all(entityRef, purpose) as Pick<OutboxRow, 'recipientName' | 'state'>[];
  }

  async settledWithoutFollowUp(purpose: string, followUp: string, since: Date, limit: number): Promise<string[]> {
    if (!(limit >= 1)) return [];
    const rows = this.db
      .prepare(
        `SELECT o.entity_ref AS entityRef FROM outbox o
         WHERE o.purpose = @purpose AND o.finished_at >= @since
           AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.entity_ref = o.entity_ref AND p.purpose = @purpose AND p.state = 'pending')
           AND NOT EXISTS (SELECT 1 FROM outbox f WHERE f.entity_ref = o.entity_ref AND f.purpose = @followUp)
         GROUP BY o.entity_ref
         ORDER BY MAX(o.finished_at) DESC, o.entity_ref
         LIMIT @limit`,
      )
      .all({ purpose, followUp, since: since.toISOString(), limit: Math.floor(limit) }) as { entityRef: string }[];
    return rows.map((r) => r.entityRef);
  }

  async clearFinishedCards(before: Date, limit: number): Promise<number> {
    if (!(limit >= 1)) return 0;
    return this.db
      .prepare(
        `UPDATE outbox SET card_json = '', on_undeliverable = NULL
         WHERE id IN (SELECT id FROM outbox WHERE state <> 'pending' AND finished_at < @before AND card_json <> '' ORDER BY id LIMIT @limit)`,
      )
      .run({ before: before.toISOString(), limit: Math.floor(limit) }).changes;
  }

  async get(key: string): Promise<OutboxRow | undefined> {
    const row = this.db.prepare(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE message_key = ?`).get(key) as OutboxDbRow | undefined;
    return row ? outboxFromRow(row) : undefined;
  }

  async pendingCount(): Promise<number> {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'`).get() as { n: number }).n;
  }
}

export class SqliteRateLimitStore implements RateLimitStore {
  constructor(private readonly db: Db) {}

  async take(key: string, now: Date, ratePerSecond: number, capacity: number): Promise<number> {
    needTrimmedKey(key, 'rate-limit key');
    const db = this.db;
    return db
      .transaction(() => {
        const row = db.prepare('SELECT tokens, updated_at FROM rate_limits WHERE bucket_key = ?').get(key) as
          | { tokens: number; updated_at: string }
          | undefined;
        const { bucket, waitMs } = takeToken(row && { tokens: row.tokens, updatedAt: new Date(row.updated_at) }, now, ratePerSecond, capacity);
        db.prepare(
          `INSERT INTO rate_limits (bucket_key, tokens, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (bucket_key) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at`,
        ).run(key, bucket.tokens, bucket.updatedAt.toISOString());
        return waitMs;
      })
      .immediate();
  }
}

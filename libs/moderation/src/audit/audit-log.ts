import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '@kinship/common';
import {
  type AuditRecord,
  chainHash,
  GENESIS_HASH,
  storedDetails,
  storedText,
} from './audit-chain';

/** Arbitrary but fixed: every process appends under the same transaction-scoped advisory lock. */
const AUDIT_LOCK_KEY = 7_301_946_222;

/** What a caller records; the log adds seq, time and the hashes. */
export interface AuditEntryInput {
  /** Null when the platform acted by itself. */
  actorId: string | null;
  /** Namespaced verb: `content.hide`, `member.ban`, `research.export`… */
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  groupId?: string | null;
  reason?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditEntry extends AuditRecord {
  prevHash: string;
  hash: string;
}

/**
 * The append-only, hash-chained audit log. `append` runs in the caller's transaction, so an entry
 * exists exactly when the action it records committed. Appends are serialised across processes by
 * an advisory lock held until that transaction ends: call `append` as the transaction's last
 * statement, so the lock is held for as short a time as possible.
 */
@Injectable()
export class AuditLog {
  constructor(private readonly clock: Clock) {}

  async append(manager: EntityManager, input: AuditEntryInput): Promise<AuditEntry> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
    const [last] = (await manager.query(
      // Ordered by the column, not by the text alias ('9' > '10').
      'SELECT a.seq::text AS seq, a.hash FROM moderation_audit a ORDER BY a.seq DESC LIMIT 1',
    )) as { seq: string; hash: string }[];
    const text = (v: string | null | undefined) => (v == null ? null : storedText(v));
    const record: AuditRecord = {
      seq: last ? (BigInt(last.seq) + 1n).toString() : '1',
      occurredAt: this.clock.now().toISOString(),
      actorId: text(input.actorId),
      action: storedText(input.action),
      targetType: text(input.targetType),
      targetId: text(input.targetId),
      groupId: text(input.groupId),
      reason: text(input.reason),
      details: storedDetails(input.details),
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    const hash = chainHash(prevHash, record);
    await manager.query(
      `INSERT INTO moderation_audit
         (seq, occurred_at, actor_id, action, target_type, target_id, group_id, reason, details,
          prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11)`,
      [
        record.seq,
        record.occurredAt,
        record.actorId,
        record.action,
        record.targetType,
        record.targetId,
        record.groupId,
        record.reason,
        JSON.stringify(record.details),
        prevHash,
        hash,
      ],
    );
    return { ...record, prevHash, hash };
  }

  /** Several entries, in order, in the caller's transaction. */
  async appendAll(manager: EntityManager, inputs: AuditEntryInput[]): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    for (const input of inputs) entries.push(await this.append(manager, input));
    return entries;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { engagementConfig } from '../engagement.config';
import {
  ADD_DAYS,
  ADD_FIRST_CONTRIBUTIONS,
  ADD_FIRST_READS,
  ADD_MEMBER_REPLIES,
  ADD_THREAD_REPLIES,
  ADD_THREADS,
  BATCH_END,
  UPDATE_ACTIVITY,
  SET_MEMBERSHIPS,
} from './rollup-sql';

/** Arbitrary but fixed: one roll-up at a time across every process of a deployment. */
const ROLLUP_LOCK_KEY = 7_301_946_222;

export interface RollupPass {
  /** False when another process was rolling up: nothing was done. */
  locked: boolean;
  /** Events rolled up by this pass. */
  events: number;
  /** True when no finished transaction's events were left above the watermark. */
  caughtUp: boolean;
}

export interface Watermark {
  txId: string;
  eventId: string;
}

/**
 * Folds new engagement events into the roll-up tables (engagement_member_days, engagement_members,
 * engagement_threads) and moves the watermark past them, in one transaction per batch.
 *
 * Which events are safe to fold: ids come from an identity column and are taken before commit, so
 * a transaction holding a lower id can commit after one holding a higher id. A watermark on ids
 * alone could pass over an event that commits later, which would then be counted nowhere. Events
 * therefore carry their transaction's id (tx_id), and a pass folds only events whose transaction
 * is older than the oldest transaction still running (pg_snapshot_xmin of the current snapshot):
 * those have all committed or aborted, so nothing can later appear below the watermark, which is
 * the pair (tx_id, id) in that order.
 */
@Injectable()
export class EngagementRollup {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(engagementConfig.KEY) private readonly config: ConfigType<typeof engagementConfig>,
  ) {}

  async watermark(): Promise<Watermark> {
    const [row] = await this.dataSource.query(
      'SELECT tx_id::text, event_id::text FROM engagement_rollup_state WHERE id = 1',
    );
    return row ? { txId: row.tx_id, eventId: row.event_id } : { txId: '0', eventId: '0' };
  }

  /**
   * Empties the roll-ups and puts the watermark back to the start, so the next passes rebuild
   * them from the whole log (after a change of definitions, or to check them). Metrics stay exact
   * meanwhile, only slower. False when another process holds the roll-up lock.
   */
  async reset(): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        ROLLUP_LOCK_KEY,
      ]);
      if (!locked) return false;
      await manager.query(
        'TRUNCATE engagement_member_days, engagement_members, engagement_threads, engagement_rollup_state',
      );
      return true;
    });
  }

  /**
   * Rewrites the roll-up tables compactly (VACUUM FULL: a short exclusive lock on each), after a
   * rebuild: a bulk catch-up leaves several dead versions of every member's row behind.
   */
  async compact(): Promise<void> {
    for (const table of ['engagement_members', 'engagement_member_days', 'engagement_threads']) {
      await this.dataSource.query(`VACUUM (FULL, ANALYZE) ${table}`);
    }
  }

  /**
   * One batch (at most `batch` events), under the roll-up lock. `statementTimeoutMs` (0: none)
   * replaces the connection's timeout for this pass, for an operator's large catch-up.
   */
  async pass(batch = this.config.rollupBatch, statementTimeoutMs?: number): Promise<RollupPass> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        ROLLUP_LOCK_KEY,
      ]);
      if (!locked) {
        await runner.rollbackTransaction();
        return { locked: false, events: 0, caughtUp: false };
      }
      if (statementTimeoutMs !== undefined) {
        await runner.query(
          `SET LOCAL statement_timeout = ${Math.max(0, Math.floor(statementTimeoutMs))}`,
        );
      }
      // First, before this transaction takes an id of its own.
      const [{ horizon }] = await runner.query(
        'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon',
      );
      await runner.query(
        `INSERT INTO engagement_rollup_state (id, tx_id, event_id, updated_at)
         VALUES (1, 0, 0, now()) ON CONFLICT (id) DO NOTHING`,
      );
      const [state] = await runner.query(
        'SELECT tx_id::text, event_id::text FROM engagement_rollup_state WHERE id = 1 FOR UPDATE',
      );
      const [end] = await runner.query(BATCH_END, [state.tx_id, state.event_id, horizon, batch]);
      if (!end) {
        await runner.commitTransaction();
        return { locked: true, events: 0, caughtUp: true };
      }
      const range = [state.tx_id, state.event_id, end.tx_id, end.id];
      for (const statement of [
        ADD_DAYS,
        SET_MEMBERSHIPS,
        UPDATE_ACTIVITY,
        ADD_FIRST_READS,
        ADD_FIRST_CONTRIBUTIONS,
        ADD_MEMBER_REPLIES,
        ADD_THREADS,
        ADD_THREAD_REPLIES,
      ]) {
        await runner.query(statement, range);
      }
      await runner.query(
        'UPDATE engagement_rollup_state SET tx_id = $1, event_id = $2, updated_at = now() WHERE id = 1',
        [end.tx_id, end.id],
      );
      await runner.commitTransaction();
      const events = Number(end.n);
      return { locked: true, events, caughtUp: events < batch };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * Passes until caught up (or `maxPasses`, or `stop()` says so). Returns the events rolled up;
   * null when another process holds the lock.
   */
  async catchUp(
    options: {
      batch?: number;
      statementTimeoutMs?: number;
      maxPasses?: number;
      stop?: () => boolean;
      onPass?: (p: RollupPass) => void;
    } = {},
  ): Promise<number | null> {
    let total = 0;
    for (let i = 0; i < (options.maxPasses ?? Infinity) && !options.stop?.(); i++) {
      const p = await this.pass(options.batch, options.statementTimeoutMs);
      options.onPass?.(p);
      if (!p.locked) return null;
      total += p.events;
      if (p.caughtUp) break;
    }
    return total;
  }
}

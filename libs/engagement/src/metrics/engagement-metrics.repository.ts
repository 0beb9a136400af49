import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MetricsQuery } from './metrics.types';
import { groupMetricsSql } from './group-metrics-sql';
import { MEMBER_SUMMARIES_SQL } from './metrics-sql';
import { windowDays } from './metrics-window';

export interface MetricsReadOptions {
  /** Ignore the roll-ups and compute everything from the event log (a reference, slower). */
  fromLog?: boolean;
}

/**
 * Runs the metrics SQL in one read-only REPEATABLE READ transaction: the watermark and the
 * roll-ups are read in the same snapshot as the log above the watermark, so the answer is exact
 * whatever the roll-up is doing meanwhile.
 */
@Injectable()
export class EngagementMetricsRepository {
  constructor(private readonly dataSource: DataSource) {}

  groupRows(q: MetricsQuery, options: MetricsReadOptions = {}): Promise<Record<string, any>[]> {
    return this.run(groupMetricsSql(windowDays(q.from, q.to).weeks), q, options);
  }

  memberRows(q: MetricsQuery, options: MetricsReadOptions = {}): Promise<Record<string, any>[]> {
    return this.run(MEMBER_SUMMARIES_SQL, q, options);
  }

  private async run(
    sql: string,
    q: MetricsQuery,
    options: MetricsReadOptions,
  ): Promise<Record<string, any>[]> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      // Sorts and hashes of a hundred thousand members stay in memory; JIT compilation would
      // cost more than it saves. The CTEs' joins are hashed: a merge join sorts both sides, and a
      // nested loop over a CTE whose size the planner underestimates (fresh rows not yet
      // analyzed, a long tail) turns quadratic. Index probes are subqueries, not joins.
      await runner.query(`SET LOCAL work_mem = '64MB'`);
      await runner.query(`SET LOCAL jit = off`);
      await runner.query(`SET LOCAL enable_mergejoin = off`);
      await runner.query(`SET LOCAL enable_nestloop = off`);
      const [wm] = options.fromLog
        ? [{ tx_id: '-1', event_id: '-1' }]
        : await runner.query(
            'SELECT tx_id::text, event_id::text FROM engagement_rollup_state WHERE id = 1',
          );
      const params = parameters(q, wm ?? { tx_id: '0', event_id: '0' }, !options.fromLog);
      const rows = await runner.query(sql, params);
      await runner.commitTransaction();
      return rows;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }
}

/** Parameters of the metrics SQL (see metrics-sql.ts). */
function parameters(
  q: MetricsQuery,
  wm: { tx_id: string; event_id: string },
  useRollups: boolean,
): unknown[] {
  const w = windowDays(q.from, q.to);
  return [
    q.groupIds,
    q.from.toISOString(),
    q.to.toISOString(),
    q.participants,
    q.posterMinContributions,
    wm.tx_id,
    wm.event_id,
    useRollups,
    w.dayLo,
    w.dayHi,
    w.fullLo.toISOString(),
    w.fullHi.toISOString(),
  ];
}

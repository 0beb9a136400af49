import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import type { EventKind } from './engagement-event.entity';

/** Which events to read: these people's events in these groups during [from, to). */
export interface EngagementEventQuery {
  groupIds: string[];
  userIds: string[];
  from: Date;
  to: Date;
  /** Also the people's `visit` events, which belong to no group. */
  includeVisits?: boolean;
}

export interface EngagementEventRow {
  /** The event's sequence number (bigint as text): rows come in this order. */
  id: string;
  userId: string;
  groupId: string | null;
  kind: EventKind;
  objectId: string | null;
  /** Server time of the event, whole milliseconds since the epoch. */
  occurredAtMs: number;
}

/**
 * How rows leave the database:
 * - `copy`: one `COPY (SELECT …) TO STDOUT` (PostgreSQL): one sort, one pass, the cheapest wire
 *   format, and the socket's backpressure holds the server while the reader is busy;
 * - `keyset`: short statements of one batch each, resuming after the last id. For the embedded
 *   database, which serves one exchange at a time: a long statement would hold it for the read.
 */
export type EventReadStrategy = 'copy' | 'keyset';

export interface EventReadOptions {
  strategy: EventReadStrategy;
  batchSize?: number;
}

const DEFAULT_BATCH = 1_000;

/**
 * Settings of the connection for one COPY, reset afterwards: no per-statement timeout (one
 * statement reads everything), and room to sort in memory should the planner prefer a scan and
 * a sort to the primary key's order.
 */
export const READ_SESSION = "SET statement_timeout = 0; SET work_mem = '64MB'";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * No join: the people are a filter (`= ANY` of a constant list, which PostgreSQL 14+ checks with
 * a hash table), so the planner can walk the primary key, already in the order wanted, and rows
 * flow from the first one on while the reader works on them. With a join to the list (as in a
 * first version) it hashed, sorted a million rows, and sent nothing until the sort was done.
 * Groups come back as their positions in the query's short list.
 */
const SELECT = `SELECT e.id::text AS "id", e.user_id AS "userId",
    (array_position($4::uuid[], e.group_id) - 1)::int AS "groupIndex",
    e.kind AS "kind", e.object_id AS "objectId",
    floor(extract(epoch FROM e.occurred_at) * 1000)::float8 AS "occurredAtMs"
  FROM engagement_events e
  WHERE e.user_id = ANY($1::uuid[])
    AND e.occurred_at >= $2 AND e.occurred_at < $3
    AND (e.group_id = ANY($4::uuid[]) OR ($5::boolean AND e.group_id IS NULL AND e.kind = 'visit'))`;

interface RawRow {
  id: string;
  userId: string;
  groupIndex: number | null;
  kind: EventKind;
  objectId: string | null;
  occurredAtMs: number;
}

/**
 * Streams engagement events in id order, in batches, so that a reader of millions of rows (a
 * research export) holds one batch in memory at a time. Not registered by EngagementModule:
 * the library that reads provides it (it needs only the DataSource).
 */
@Injectable()
export class EngagementEventReader {
  constructor(private readonly dataSource: DataSource) {}

  /** The SELECT (with $1…$5 as in `parameters`) that the reader runs. */
  static sql(): string {
    return `${SELECT} ORDER BY e.id`;
  }

  static parameters(query: EngagementEventQuery): unknown[] {
    return [query.userIds, query.from, query.to, query.groupIds, query.includeVisits ?? false];
  }

  /** The SELECT with its parameters written in as literals (COPY takes no parameters). */
  static inlined(query: EngagementEventQuery): string {
    const ids = (list: string[]) => {
      if (!list.every((id) => UUID.test(id))) throw new Error('event query ids must be UUIDs');
      return `ARRAY[${list.map((id) => `'${id}'`).join(',')}]::uuid[]`;
    };
    const values = [
      ids(query.userIds),
      `'${query.from.toISOString()}'::timestamptz`,
      `'${query.to.toISOString()}'::timestamptz`,
      ids(query.groupIds),
      query.includeVisits ? 'true' : 'false',
    ];
    return EngagementEventReader.sql().replace(/\$(\d)/g, (_, n: string) => values[Number(n) - 1]);
  }

  async *batches(
    query: EngagementEventQuery,
    options: EventReadOptions,
  ): AsyncGenerator<EngagementEventRow[]> {
    // Distinct ids: a repeated one would repeat its rows through the join.
    query = {
      ...query,
      userIds: [...new Set(query.userIds)],
      groupIds: [...new Set(query.groupIds)],
    };
    if (!query.userIds.length) return;
    const size = options.batchSize ?? DEFAULT_BATCH;
    if (options.strategy === 'copy') yield* this.viaCopy(query, size);
    else yield* this.viaKeyset(query, size);
  }

  private async *viaCopy(
    query: EngagementEventQuery,
    size: number,
  ): AsyncGenerator<EngagementEventRow[]> {
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const client: PoolClient = await pool.connect();
    let completed = false;
    try {
      await client.query(READ_SESSION);
      const stream = client.query(
        copyTo(`COPY (${EngagementEventReader.inlined(query)}) TO STDOUT`),
      );
      let rest = '';
      let batch: EngagementEventRow[] = [];
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        const lines = (rest + chunk.toString('utf8')).split('\n');
        rest = lines.pop()!;
        for (const line of lines) {
          batch.push(parseCopyLine(line, query));
          if (batch.length >= size) {
            yield batch;
            batch = [];
          }
        }
      }
      if (batch.length) yield batch;
      await client.query('RESET statement_timeout; RESET work_mem');
      completed = true;
    } finally {
      // A read left half-way leaves the connection mid-COPY: the pool discards it.
      client.release(completed ? undefined : new Error('event read not completed'));
    }
  }

  private async *viaKeyset(
    query: EngagementEventQuery,
    size: number,
  ): AsyncGenerator<EngagementEventRow[]> {
    const sql = `${SELECT} AND e.id > $6::bigint ORDER BY e.id LIMIT ${Number(size)}`;
    let after = '0';
    for (;;) {
      const raw: RawRow[] = await this.dataSource.query(sql, [
        ...EngagementEventReader.parameters(query),
        after,
      ]);
      const rows = raw.map((r) => toRow(r, query));
      if (rows.length) yield rows;
      if (rows.length < size) return;
      after = rows[rows.length - 1].id;
    }
  }
}

/** A line of COPY's text format; none of these columns can hold a tab, new line or backslash. */
function parseCopyLine(line: string, query: EngagementEventQuery): EngagementEventRow {
  const [id, userId, group, kind, objectId, at] = line.split('\t');
  return {
    id,
    userId,
    groupId: group === '\\N' ? null : query.groupIds[Number(group)],
    kind: kind as EventKind,
    objectId: objectId === '\\N' ? null : objectId,
    occurredAtMs: Number(at),
  };
}

function toRow(r: RawRow, query: EngagementEventQuery): EngagementEventRow {
  return {
    id: r.id,
    userId: r.userId,
    groupId: r.groupIndex === null ? null : query.groupIds[r.groupIndex],
    kind: r.kind,
    objectId: r.objectId,
    occurredAtMs: r.occurredAtMs,
  };
}

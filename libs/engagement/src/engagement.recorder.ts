import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '@kinship/common';
import { EngagementEventEntity, type EventKind } from './engagement-event.entity';

export interface EngagementFact {
  userId: string;
  groupId: string | null;
  kind: EventKind;
  objectId: string | null;
  /**
   * The conversation of a contribution: the thread (`thread_created`, `post_created`) or the
   * group, for its chat (`chat_message_sent`). Replies are found by it (METRICS.md).
   */
  contextId?: string | null;
}

interface BufferedRead extends EngagementFact {
  objectKey: string;
  occurredAt: Date;
}

/** shared/RESEARCH.md: repeated reads of the same object within 30 minutes count once. */
export const READ_DEDUP_MINUTES = 30;
const FLUSH_EVERY_MS = 1_000;
const MAX_ROWS_PER_STATEMENT = 500;
/** While the database is away reads wait in memory, up to this many; older ones are dropped. */
const MAX_BUFFERED = 100_000;

/**
 * Writes the engagement event log. Contributions and membership changes are written by the caller's
 * transaction (`record`), so the log and the content never disagree. Reads and visits are many
 * and cheap: they are buffered and written in batches, every second and at shutdown, with the
 * dedup decided by the database so it is exact across api processes.
 */
@Injectable()
export class EngagementRecorder implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(EngagementRecorder.name);
  private buffer: BufferedRead[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  /** Visits already counted by this process today: spares the database a row per request. */
  private visitsSeen = new Set<string>();
  private visitsDay = '';

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** A contribution or membership event, inside the transaction of the action it records. */
  async record(manager: EntityManager, fact: EngagementFact): Promise<void> {
    await manager.insert(EngagementEventEntity, { ...fact, occurredAt: this.clock.now() });
  }

  /**
   * The events of rows another statement produces, as a data-modifying CTE of that statement:
   * `WITH made AS (INSERT … RETURNING …), ev AS (${eventsFrom('made', {...})}) SELECT …`, so
   * the content and its events are written by one statement, atomically, in one round trip.
   * The mapping names the source's columns (or SQL expressions over them).
   */
  static eventsFrom(
    source: string,
    kind: EventKind,
    columns: {
      userId: string;
      groupId: string;
      objectId: string;
      contextId: string;
      occurredAt: string;
    },
  ): string {
    return `INSERT INTO engagement_events (occurred_at, user_id, group_id, kind, object_id, context_id)
      SELECT ${columns.occurredAt}, ${columns.userId}, ${columns.groupId}, '${kind}', ${columns.objectId}, ${columns.contextId}
        FROM ${source}`;
  }

  /** Several facts in one statement, inside the caller's transaction (e.g. a batch of chat). */
  async recordMany(
    manager: EntityManager,
    facts: (EngagementFact & { occurredAt?: Date })[],
  ): Promise<void> {
    if (!facts.length) return;
    const now = this.clock.now();
    await manager.insert(
      EngagementEventEntity,
      facts.map((f) => ({ ...f, occurredAt: f.occurredAt ?? now })),
    );
  }

  /** A page of a thread served to a member, or a member's chat read cursor advanced. */
  read(kind: 'thread_read' | 'chat_read', userId: string, groupId: string, objectId: string): void {
    const objectKey = `${kind === 'thread_read' ? 'thread' : 'chat'}:${objectId}`;
    this.push({ userId, groupId, kind, objectId, objectKey, occurredAt: this.clock.now() });
  }

  /** The first authenticated request of a UTC day. */
  visit(userId: string): void {
    const now = this.clock.now();
    const day = now.toISOString().slice(0, 10);
    if (day !== this.visitsDay) {
      this.visitsDay = day;
      this.visitsSeen = new Set();
    }
    if (this.visitsSeen.has(userId)) return;
    this.visitsSeen.add(userId);
    this.push({
      userId,
      groupId: null,
      kind: 'visit',
      objectId: null,
      objectKey: `visit:${day}`,
      occurredAt: now,
    });
  }

  private push(read: BufferedRead): void {
    if (this.buffer.length >= MAX_BUFFERED) {
      this.buffer.shift();
      this.logger.warn('engagement buffer full: the oldest read was dropped');
    }
    this.buffer.push(read);
  }

  /** Writes what is buffered; concurrent calls wait for the same write. */
  flush(): Promise<void> {
    this.flushing ??= this.writeBuffered().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async writeBuffered(): Promise<void> {
    while (this.buffer.length) {
      const batch = this.buffer.slice(0, MAX_ROWS_PER_STATEMENT);
      try {
        await this.writeReads(batch);
      } catch (error) {
        this.logger.warn(
          `engagement reads not written yet, will retry: ${(error as Error).message}`,
        );
        return;
      }
      this.buffer.splice(0, batch.length);
    }
  }

  private async writeReads(batch: BufferedRead[]): Promise<void> {
    // One row per member and object in a statement (ON CONFLICT may touch a row only once).
    const unique = new Map<string, BufferedRead>();
    for (const r of batch) {
      const key = `${r.userId}|${r.objectKey}`;
      if (!unique.has(key)) unique.set(key, r);
    }
    const params: unknown[] = [];
    const values = [...unique.values()].map((r) => {
      const n = params.push(r.userId, r.groupId, r.kind, r.objectId, r.objectKey, r.occurredAt);
      return `($${n - 5}::uuid, $${n - 4}::uuid, $${n - 3}::varchar, $${n - 2}::uuid, $${n - 1}::varchar, $${n}::timestamptz)`;
    });
    await this.dataSource.query(
      `WITH input (user_id, group_id, kind, object_id, object_key, occurred_at) AS (VALUES ${values.join(', ')}),
       counted AS (
         INSERT INTO engagement_read_marks (user_id, object_key, counted_at)
         SELECT user_id, object_key, occurred_at FROM input
         ON CONFLICT (user_id, object_key) DO UPDATE SET counted_at = EXCLUDED.counted_at
          WHERE engagement_read_marks.object_key NOT LIKE 'visit:%'
            AND engagement_read_marks.counted_at <= EXCLUDED.counted_at - make_interval(mins => ${READ_DEDUP_MINUTES})
         RETURNING user_id, object_key
       )
       INSERT INTO engagement_events (user_id, group_id, kind, object_id, occurred_at)
       SELECT i.user_id, i.group_id, i.kind, i.object_id, i.occurred_at
         FROM input i JOIN counted c ON c.user_id = i.user_id AND c.object_key = i.object_key`,
      params,
    );
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface EventExportRow {
  id: string;
  kind: string;
  groupId: string | null;
  objectId: string | null;
  occurredAt: Date;
}

/** The member's events, oldest first (keyset on the member's time index), and their read marks. */
@Injectable()
export class EngagementPersonalDataRepository {
  constructor(private readonly dataSource: DataSource) {}

  events(
    userId: string,
    after: EventExportRow | undefined,
    size: number,
  ): Promise<EventExportRow[]> {
    return this.dataSource.query(
      `SELECT id::text AS id, kind, group_id AS "groupId", object_id AS "objectId",
              occurred_at AS "occurredAt"
         FROM engagement_events
        WHERE user_id = $1
          AND ($2::timestamptz IS NULL OR (occurred_at, id) > ($2, $3::bigint))
        ORDER BY occurred_at, id LIMIT $4`,
      [userId, after?.occurredAt ?? null, after?.id ?? null, size],
    );
  }

  async deleteReadMarks(userId: string, manager: EntityManager): Promise<number> {
    const [, removed] = (await manager.query(
      'DELETE FROM engagement_read_marks WHERE user_id = $1',
      [userId],
    )) as [unknown, number];
    return removed;
  }
}

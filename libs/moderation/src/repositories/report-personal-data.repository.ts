import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface ReportExportRow {
  id: string;
  targetType: string;
  targetId: string;
  reason: string;
  details: string | null;
  status: string;
  createdAt: Date;
  resolvedAt: Date | null;
  resolution: string | null;
}

/** Reports a member filed: their data export, and their de-identification on erasure. */
@Injectable()
export class ReportPersonalDataRepository {
  constructor(private readonly dataSource: DataSource) {}

  filedBy(
    userId: string,
    after: ReportExportRow | undefined,
    size: number,
  ): Promise<ReportExportRow[]> {
    return this.dataSource.query(
      `SELECT id, target_type AS "targetType", target_id AS "targetId", reason, details, status,
              created_at AS "createdAt", resolved_at AS "resolvedAt", resolution
         FROM moderation_reports
        WHERE reporter_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
        ORDER BY created_at, id LIMIT $4`,
      [userId, after?.createdAt ?? null, after?.id ?? null, size],
    );
  }

  /**
   * The reports stay for the moderators (the content may still need a decision), without who
   * filed them and without the reporter's own words.
   */
  async forgetReporter(userId: string, manager: EntityManager): Promise<number> {
    const [, changed] = (await manager.query(
      'UPDATE moderation_reports SET reporter_id = NULL, details = NULL WHERE reporter_id = $1',
      [userId],
    )) as [unknown, number];
    return changed;
  }
}

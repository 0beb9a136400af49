import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { type Page, type PageQueryDto, paginate } from '@kinship/common';
import { uniqueViolation } from '@kinship/database';
import {
  ModerationReportEntity,
  type QueueItemKind,
  type QueueItemStatus,
} from '../entities/moderation-report.entity';
import { ModerationErrorCode, ModerationException } from '../moderation.exception';

/** How an item was closed: by whom, with which action or decision, why, when. */
export interface Resolution {
  by: string | null;
  as: string;
  reason: string | null;
  at: Date;
}

/** Which part of the queue a caller sees: every group, or only these. */
export type QueueScope = { all: true } | { all: false; groupIds: string[] };

/** The only place that reads or writes reports and queue items. */
@Injectable()
export class ReportRepository {
  constructor(
    @InjectRepository(ModerationReportEntity)
    private readonly reports: Repository<ModerationReportEntity>,
  ) {}

  async insert(
    data: Partial<ModerationReportEntity>,
    manager?: EntityManager,
  ): Promise<ModerationReportEntity> {
    const repo = manager?.getRepository(ModerationReportEntity) ?? this.reports;
    try {
      return await repo.save(repo.create(data));
    } catch (error) {
      if (uniqueViolation(error) === 'moderation_reports_open_per_reporter_key') {
        throw new ModerationException(
          ModerationErrorCode.AlreadyReported,
          'Your report of this is still open; moderators will look at it.',
        );
      }
      throw error;
    }
  }

  /** The open `held` item of a piece of content (to find its group before deciding). */
  openHeldTarget(targetId: string): Promise<ModerationReportEntity | null> {
    return this.reports.findOneBy({ targetId, kind: 'held', status: 'open' });
  }

  /** The open `held` item of a piece of content, locked for its resolution. */
  findOpenHeld(targetId: string, manager: EntityManager): Promise<ModerationReportEntity | null> {
    return manager
      .getRepository(ModerationReportEntity)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where(`r.target_id = :targetId AND r.kind = 'held' AND r.status = 'open'`, { targetId })
      .getOne();
  }

  findById(id: string): Promise<ModerationReportEntity | null> {
    return this.reports.findOneBy({ id });
  }

  /** A queue item locked for its resolution (resolving twice waits, then finds it resolved). */
  findForUpdate(id: string, manager: EntityManager): Promise<ModerationReportEntity | null> {
    return manager
      .getRepository(ModerationReportEntity)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.id = :id', { id })
      .getOne();
  }

  /** Closes open items of a target: only the held one on approval, every one on rejection. */
  async resolve(
    targetId: string,
    onlyHeld: boolean,
    resolution: Resolution,
    manager: EntityManager,
  ): Promise<void> {
    await this.close(
      targetId,
      onlyHeld ? ['held'] : ['report', 'flag', 'held'],
      resolution,
      manager,
    );
  }

  /** Closes the open items of these kinds on a target; answers their ids. */
  async close(
    targetId: string,
    kinds: QueueItemKind[],
    resolution: Resolution,
    manager: EntityManager,
  ): Promise<string[]> {
    const rows: { id: string }[][] | { id: string }[] = await manager.query(
      `UPDATE moderation_reports
          SET status = 'resolved', resolved_at = $3, resolved_by = $4, resolution = $5,
              resolution_reason = $6
        WHERE target_id = $1 AND status = 'open' AND kind = ANY($2::varchar[])
    RETURNING id`,
      [targetId, kinds, resolution.at, resolution.by, resolution.as, resolution.reason],
    );
    const list = (Array.isArray(rows[0]) ? rows[0] : rows) as { id: string }[];
    return list.map((r) => r.id);
  }

  /** Closes one item. */
  async closeOne(id: string, resolution: Resolution, manager: EntityManager): Promise<void> {
    await manager.update(
      ModerationReportEntity,
      { id },
      {
        status: 'resolved',
        resolvedAt: resolution.at,
        resolvedBy: resolution.by,
        resolution: resolution.as,
        resolutionReason: resolution.reason,
      },
    );
  }

  /** Distinct members with an open report of this target (one open report per reporter). */
  countOpenReporters(targetId: string, manager: EntityManager): Promise<number> {
    return manager
      .getRepository(ModerationReportEntity)
      .countBy({ targetId, kind: 'report', status: 'open' });
  }

  /** Whether a target has open reports or flags (content hidden by the threshold waits for them). */
  hasOpenReports(targetId: string, manager: EntityManager): Promise<boolean> {
    return manager
      .getRepository(ModerationReportEntity)
      .createQueryBuilder('r')
      .where(`r.target_id = :targetId AND r.status = 'open' AND r.kind IN ('report', 'flag')`, {
        targetId,
      })
      .getExists();
  }

  /** Most urgent first, then oldest first (keyset on urgency, created_at, id). */
  queue(
    scope: QueueScope,
    query: PageQueryDto & { groupId?: string; status?: QueueItemStatus },
  ): Promise<Page<ModerationReportEntity>> {
    const qb = this.reports
      .createQueryBuilder('r')
      .where('r.status = :status', { status: query.status ?? 'open' });
    if (query.groupId) qb.andWhere('r.group_id = :groupId', { groupId: query.groupId });
    if (!scope.all) {
      if (!scope.groupIds.length) qb.andWhere('false');
      else qb.andWhere('r.group_id IN (:...groupIds)', { groupIds: scope.groupIds });
    }
    return paginate(
      qb,
      query,
      [
        {
          expression: 'r.urgency',
          cast: 'bigint',
          toCursor: (r: ModerationReportEntity) => r.urgency,
        },
        {
          expression: 'r.created_at',
          cast: 'timestamptz',
          toCursor: (r: ModerationReportEntity) => r.createdAt.toISOString(),
        },
        { expression: 'r.id', cast: 'uuid', toCursor: (r: ModerationReportEntity) => r.id },
      ],
      'ASC',
    );
  }

  /** Whether screening or the platform already has an open flag on this target. */
  async hasOpenFlag(targetType: string, targetId: string): Promise<boolean> {
    return this.reports.existsBy({ kind: 'flag', status: 'open', targetType, targetId } as never);
  }
}

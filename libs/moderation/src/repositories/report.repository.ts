import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { type Page, type PageQueryDto, paginate } from '@kinship/common';
import { uniqueViolation } from '@kinship/database';
import { ModerationReportEntity, type QueueItemStatus } from '../entities/moderation-report.entity';
import { ModerationErrorCode, ModerationException } from '../moderation.exception';

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

  /** Closes open items of a target: only the held one on approval, every one on rejection. */
  async resolve(
    targetId: string,
    onlyHeld: boolean,
    resolution: { by: string; as: string; reason: string | null; at: Date },
    manager: EntityManager,
  ): Promise<void> {
    const qb = manager
      .createQueryBuilder()
      .update(ModerationReportEntity)
      .set({
        status: 'resolved',
        resolvedAt: resolution.at,
        resolvedBy: resolution.by,
        resolution: resolution.as,
        resolutionReason: resolution.reason,
      })
      .where(`target_id = :targetId AND status = 'open'`, { targetId });
    if (onlyHeld) qb.andWhere(`kind = 'held'`);
    await qb.execute();
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
}

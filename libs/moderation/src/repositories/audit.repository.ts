import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { type Page, type PageQueryDto, paginate } from '@kinship/common';
import type { AuditEntry } from '../audit/audit-log';
import { ModerationAuditEntity } from '../entities/moderation-audit.entity';

export interface AuditFilter {
  groupId?: string;
  actorId?: string;
  action?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
}

/** Whose entries a caller reads: all, all but some action prefix, or only some groups'. */
export type AuditScope =
  { all: true; excludeActionPrefix?: string } | { all: false; groupIds: string[] };

/** Reads the audit log (writes go through AuditLog.append only). */
@Injectable()
export class AuditRepository {
  constructor(
    @InjectRepository(ModerationAuditEntity)
    private readonly entries: Repository<ModerationAuditEntity>,
  ) {}

  /** Newest first (keyset on seq). */
  list(
    scope: AuditScope,
    filter: AuditFilter,
    query: PageQueryDto,
  ): Promise<Page<ModerationAuditEntity>> {
    const qb = this.entries.createQueryBuilder('a').where('true');
    if (!scope.all) {
      if (!scope.groupIds.length) qb.andWhere('false');
      else qb.andWhere('a.group_id IN (:...scopeGroups)', { scopeGroups: scope.groupIds });
    } else if (scope.excludeActionPrefix) {
      qb.andWhere(`a.action NOT LIKE :excluded`, { excluded: `${scope.excludeActionPrefix}%` });
    }
    if (filter.groupId) qb.andWhere('a.group_id = :groupId', { groupId: filter.groupId });
    if (filter.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: filter.actorId });
    if (filter.action) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.targetId) {
      qb.andWhere('a.target_id = :targetId', { targetId: filter.targetId.toLowerCase() });
    }
    if (filter.from) qb.andWhere('a.occurred_at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('a.occurred_at < :to', { to: filter.to });
    return paginate(
      qb,
      query,
      [{ expression: 'a.seq', cast: 'bigint', toCursor: (a: ModerationAuditEntity) => a.seq }],
      'DESC',
    );
  }

  /** Entries after `afterSeq`, oldest first, as stored (for verification). */
  async batch(afterSeq: string, size: number): Promise<AuditEntry[]> {
    const rows: Record<string, any>[] = await this.entries.query(
      `SELECT a.seq::text AS seq, a.occurred_at, a.actor_id, a.action, a.target_type, a.target_id,
              a.group_id, a.reason, a.details, a.prev_hash, a.hash
         FROM moderation_audit a WHERE a.seq > $1::bigint ORDER BY a.seq LIMIT $2`,
      [afterSeq, size],
    );
    return rows.map((r) => ({
      seq: r.seq,
      occurredAt: new Date(r.occurred_at).toISOString(),
      actorId: r.actor_id,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      groupId: r.group_id,
      reason: r.reason,
      details: r.details,
      prevHash: r.prev_hash,
      hash: r.hash,
    }));
  }
}

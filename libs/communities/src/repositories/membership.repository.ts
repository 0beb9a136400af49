import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { type Page, type PageQueryDto, paginate } from '@kinship/common';
import { MembershipEntity, type MembershipStatus } from '../entities/membership.entity';

/** The only place that reads or writes memberships. */
@Injectable()
export class MembershipRepository {
  constructor(
    @InjectRepository(MembershipEntity) private readonly memberships: Repository<MembershipEntity>,
  ) {}

  /** Locks the membership row (when it exists) for a state change. */
  findForUpdate(
    groupId: string,
    userId: string,
    manager: EntityManager,
  ): Promise<MembershipEntity | null> {
    return manager
      .getRepository(MembershipEntity)
      .createQueryBuilder('m')
      .setLock('pessimistic_write')
      .where('m.group_id = :groupId AND m.user_id = :userId', { groupId, userId })
      .getOne();
  }

  save(membership: MembershipEntity, manager: EntityManager): Promise<MembershipEntity> {
    return manager.getRepository(MembershipEntity).save(membership);
  }

  create(data: Partial<MembershipEntity>, manager: EntityManager): MembershipEntity {
    return manager.getRepository(MembershipEntity).create(data);
  }

  async countActiveModerators(groupId: string, manager: EntityManager): Promise<number> {
    return manager
      .getRepository(MembershipEntity)
      .countBy({ groupId, status: 'active', role: 'moderator' });
  }

  async countActive(groupId: string, manager: EntityManager): Promise<number> {
    return manager.getRepository(MembershipEntity).countBy({ groupId, status: 'active' });
  }

  /** The caller's memberships among the given groups, by group id. */
  async forUser(userId: string, groupIds: string[]): Promise<Map<string, MembershipEntity>> {
    if (!groupIds.length) return new Map();
    const rows = await this.memberships
      .createQueryBuilder('m')
      .where('m.user_id = :userId AND m.group_id IN (:...groupIds)', { userId, groupIds })
      .getMany();
    return new Map(rows.map((m) => [m.groupId, m]));
  }

  /** The groups where the user is an active moderator. */
  async groupIdsModeratedBy(userId: string): Promise<string[]> {
    const rows = await this.memberships.find({
      select: { groupId: true },
      where: { userId, status: 'active', role: 'moderator' },
    });
    return rows.map((m) => m.groupId);
  }

  /** Members in the order they asked to join. */
  list(
    groupId: string,
    query: PageQueryDto & { status?: MembershipStatus },
  ): Promise<Page<MembershipEntity>> {
    const qb = this.memberships.createQueryBuilder('m').where('m.group_id = :groupId', { groupId });
    if (query.status) qb.andWhere('m.status = :status', { status: query.status });
    return paginate(
      qb,
      query,
      [
        {
          expression: 'm.requested_at',
          cast: 'timestamptz',
          toCursor: (m: MembershipEntity) => m.requestedAt.toISOString(),
        },
        { expression: 'm.user_id', cast: 'uuid', toCursor: (m: MembershipEntity) => m.userId },
      ],
      'ASC',
    );
  }
}

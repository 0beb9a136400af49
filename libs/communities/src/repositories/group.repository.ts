import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { type Page, type PageQueryDto, paginate } from '@kinship/common';
import { uniqueViolation } from '@kinship/database';
import { GroupEntity } from '../entities/group.entity';
import { MembershipEntity } from '../entities/membership.entity';
import { CommunitiesErrorCode, CommunitiesException } from '../communities.exception';

export interface GroupWithMembership {
  group: GroupEntity;
  membership: MembershipEntity | null;
}

/** The only place that reads or writes groups. */
@Injectable()
export class GroupRepository {
  constructor(@InjectRepository(GroupEntity) private readonly groups: Repository<GroupEntity>) {}

  async insert(data: Partial<GroupEntity>, manager: EntityManager): Promise<GroupEntity> {
    const repo = manager.getRepository(GroupEntity);
    try {
      return await repo.save(repo.create(data));
    } catch (error) {
      if (uniqueViolation(error) === 'groups_slug_key') {
        throw new CommunitiesException(
          CommunitiesErrorCode.SlugTaken,
          'Another group uses this slug.',
          [{ field: 'slug', message: 'is already taken' }],
        );
      }
      throw error;
    }
  }

  findById(id: string, manager: EntityManager): Promise<GroupEntity | null> {
    return manager.getRepository(GroupEntity).findOneBy({ id });
  }

  /** Id and name of each group (for labels in lists whose access was checked already). */
  async names(ids: string[]): Promise<{ id: string; name: string }[]> {
    if (!ids.length) return [];
    return this.groups
      .createQueryBuilder('g')
      .select(['g.id', 'g.name'])
      .where('g.id IN (:...ids)', { ids })
      .getMany();
  }

  /** The group and the caller's membership in one query (the access policy's only read). */
  async findWithMembership(
    groupId: string,
    userId: string | undefined,
  ): Promise<GroupWithMembership | null> {
    const qb = this.groups.createQueryBuilder('g').where('g.id = :groupId', { groupId });
    if (userId) {
      qb.leftJoinAndMapOne(
        'g.membership',
        MembershipEntity,
        'm',
        'm.group_id = g.id AND m.user_id = :userId',
        {
          userId,
        },
      );
    }
    const row = (await qb.getOne()) as (GroupEntity & { membership?: MembershipEntity }) | null;
    if (!row) return null;
    const { membership, ...group } = row;
    return { group: group as GroupEntity, membership: membership ?? null };
  }

  /**
   * Groups by name: public ones, plus private ones where the caller is an active member (or all of
   * them for platform staff). `q` searches name, condition label and code.
   */
  async list(
    query: PageQueryDto & { q?: string },
    viewer: { userId?: string; seesAll: boolean },
  ): Promise<Page<GroupEntity>> {
    const qb = this.groups.createQueryBuilder('g');
    if (!viewer.seesAll) {
      if (viewer.userId) {
        qb.where(
          `(g.visibility = 'public' OR EXISTS (SELECT 1 FROM memberships m
             WHERE m.group_id = g.id AND m.user_id = :userId AND m.status = 'active'))`,
          { userId: viewer.userId },
        );
      } else {
        qb.where(`g.visibility = 'public'`);
      }
    }
    if (query.q) {
      const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(
        '(g.name ILIKE :pattern OR g.condition_label ILIKE :pattern OR g.condition_code ILIKE :pattern)',
        {
          pattern,
        },
      );
    }
    return paginate(
      qb,
      query,
      [
        { expression: 'g.name', cast: 'varchar', toCursor: (g: GroupEntity) => g.name },
        { expression: 'g.id', cast: 'uuid', toCursor: (g: GroupEntity) => g.id },
      ],
      'ASC',
    );
  }

  async adjustMemberCount(groupId: string, delta: number, manager: EntityManager): Promise<void> {
    await manager.increment(GroupEntity, { id: groupId }, 'memberCount', delta);
  }
}

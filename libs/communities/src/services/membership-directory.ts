import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import {
  MembershipEntity,
  type GroupRole,
  type MembershipStatus,
} from '../entities/membership.entity';

/** One person's standing in one group, as other libraries may read it. */
export interface MembershipSummary {
  groupId: string;
  userId: string;
  status: MembershipStatus;
  role: GroupRole;
  /** When the membership last became active; null while it never was. */
  joinedAt: Date | null;
  leftAt: Date | null;
}

/**
 * Read-only questions about memberships for other libraries (research studies): which groups a
 * member is active in, and the memberships of a set of people in a set of groups. Communities
 * keeps its tables to itself; this is the door.
 */
@Injectable()
export class MembershipDirectory {
  constructor(
    @InjectRepository(MembershipEntity) private readonly repo: Repository<MembershipEntity>,
  ) {}

  /** The groups in which the user is an active member. */
  async activeGroupIds(userId: string): Promise<string[]> {
    const rows = await this.repo.find({
      select: { groupId: true },
      where: { userId, status: 'active' },
    });
    return rows.map((m) => m.groupId);
  }

  /** Whether the user is an active member of at least one of the groups. */
  async isActiveInAny(userId: string, groupIds: string[]): Promise<boolean> {
    if (!groupIds.length) return false;
    return this.repo
      .createQueryBuilder('m')
      .where("m.user_id = :userId AND m.status = 'active' AND m.group_id IN (:...groupIds)", {
        userId,
        groupIds,
      })
      .getExists();
  }

  /** Every membership of these people in these groups (any status). */
  async memberships(groupIds: string[], userIds: string[]): Promise<MembershipSummary[]> {
    if (!groupIds.length || !userIds.length) return [];
    const rows = await this.repo
      .createQueryBuilder('m')
      .where('m.group_id = ANY(:groupIds) AND m.user_id = ANY(:userIds)', { groupIds, userIds })
      .orderBy('m.user_id')
      .addOrderBy('m.group_id')
      .getMany();
    return rows.map((m) => ({
      groupId: m.groupId,
      userId: m.userId,
      status: m.status,
      role: m.role,
      joinedAt: m.joinedAt,
      leftAt: m.leftAt,
    }));
  }
}

import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock, type Page } from '@kinship/common';
import { inTransaction } from '@kinship/database';
import { EngagementRecorder } from '@kinship/engagement';
import { type AuthUser, UserService } from '@kinship/identity';
import { CommunitiesErrorCode, CommunitiesException } from '../communities.exception';
import type { CreateGroupDto, GroupListQueryDto } from '../dto/group.dto';
import { GroupDto } from '../dto/group.dto';
import { MemberDto, type MemberListQueryDto, type UpdateMemberDto } from '../dto/member.dto';
import type { MembershipEntity } from '../entities/membership.entity';
import { GroupRepository } from '../repositories/group.repository';
import { MembershipRepository } from '../repositories/membership.repository';
import { GroupAccessPolicy, notFound } from './group-access.policy';
import { MEMBERSHIP_ENDED, type MembershipEndedEvent } from '../communities.events';

@Injectable()
export class GroupService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groups: GroupRepository,
    private readonly memberships: MembershipRepository,
    private readonly policy: GroupAccessPolicy,
    private readonly recorder: EngagementRecorder,
    private readonly users: UserService,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
  ) {}

  /** The creator becomes the group's first moderator. */
  async create(user: AuthUser, dto: CreateGroupDto): Promise<GroupDto> {
    return inTransaction(this.dataSource, async (manager) => {
      const group = await this.groups.insert(
        {
          name: dto.name,
          slug: dto.slug,
          conditionLabel: dto.condition,
          conditionCode: dto.conditionCode ?? null,
          description: dto.description,
          visibility: dto.visibility,
          joinPolicy: dto.joinPolicy,
          createdBy: user.id,
          memberCount: 0,
        },
        manager,
      );
      const membership = this.memberships.create(
        { groupId: group.id, userId: user.id, status: 'pending', role: 'moderator' },
        manager,
      );
      await this.activate(membership, manager);
      group.memberCount = 1;
      return GroupDto.of(group, membership);
    });
  }

  async list(user: AuthUser | undefined, query: GroupListQueryDto): Promise<Page<GroupDto>> {
    const seesAll = user?.role === 'admin' || user?.role === 'moderator';
    const page = await this.groups.list(query, { userId: user?.id, seesAll });
    const own = user
      ? await this.memberships.forUser(
          user.id,
          page.items.map((g) => g.id),
        )
      : new Map();
    return {
      items: page.items.map((g) => GroupDto.of(g, own.get(g.id) ?? null)),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * Names of groups by id, in one query, for lists whose items the caller was already allowed to
   * see (e.g. the moderation queue, scoped to the caller's groups).
   */
  async names(ids: string[]): Promise<Map<string, { id: string; name: string }>> {
    const rows = await this.groups.names([...new Set(ids)]);
    return new Map(rows.map((g) => [g.id, { id: g.id, name: g.name }]));
  }

  async get(user: AuthUser | undefined, groupId: string): Promise<GroupDto> {
    const access = await this.policy.view(groupId, user);
    return GroupDto.of(access.group, access.membership);
  }

  /**
   * Join: open groups admit at once, approval groups record a request. Knowing a private group's id
   * (an invitation link) is enough to ask; its content stays hidden until the membership is active.
   */
  async join(user: AuthUser, groupId: string): Promise<MembershipEntity> {
    return inTransaction(this.dataSource, async (manager) => {
      // Everything inside a transaction goes through its manager (the embedded database runs one
      // transaction at a time: a query on another connection would wait for ever).
      const group = await this.groups.findById(groupId, manager);
      if (!group) throw notFound();
      const existing = await this.memberships.findForUpdate(groupId, user.id, manager);
      if (existing?.status === 'banned') {
        throw group.visibility === 'private'
          ? notFound()
          : new CommunitiesException(CommunitiesErrorCode.Banned);
      }
      if (existing?.status === 'active' || existing?.status === 'pending') {
        throw new CommunitiesException(
          CommunitiesErrorCode.AlreadyMember,
          existing.status === 'pending'
            ? 'Your request to join awaits approval.'
            : 'You are already a member.',
        );
      }
      const membership =
        existing ??
        this.memberships.create(
          { groupId, userId: user.id, status: 'pending', role: 'member' },
          manager,
        );
      membership.status = 'pending';
      membership.role = 'member';
      membership.requestedAt = this.clock.now();
      membership.leftAt = null;
      if (group.joinPolicy === 'open') return this.activate(membership, manager);
      return this.memberships.save(membership, manager);
    });
  }

  async leave(user: AuthUser, groupId: string): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const membership = await this.memberships.findForUpdate(groupId, user.id, manager);
      if (!membership || (membership.status !== 'active' && membership.status !== 'pending')) {
        throw new CommunitiesException(
          CommunitiesErrorCode.MemberNotFound,
          'You are not a member of this group.',
        );
      }
      const wasActive = membership.status === 'active';
      if (wasActive && membership.role === 'moderator')
        await this.assertAnotherModerator(groupId, manager);
      membership.status = 'left';
      membership.leftAt = this.clock.now();
      await this.memberships.save(membership, manager);
      if (wasActive) {
        await this.groups.adjustMemberCount(groupId, -1, manager);
        await this.recorder.record(manager, {
          userId: user.id,
          groupId,
          kind: 'group_left',
          objectId: groupId,
        });
      }
    });
    // After the commit: live sockets (chat) leave the group's room.
    this.events.emit(MEMBERSHIP_ENDED, { groupId, userId: user.id } satisfies MembershipEndedEvent);
  }

  async listMembers(
    user: AuthUser,
    groupId: string,
    query: MemberListQueryDto,
  ): Promise<Page<MemberDto>> {
    await this.policy.moderate(groupId, user);
    const page = await this.memberships.list(groupId, query);
    const profiles = await this.users.publicProfiles(page.items.map((m) => m.userId));
    return {
      items: page.items.map((m) =>
        MemberDto.of(m, profiles.get(m.userId) ?? { id: m.userId, handle: '' }),
      ),
      nextCursor: page.nextCursor,
    };
  }

  /** A moderator approves a pending member and/or changes an active member's group role. */
  async updateMember(
    user: AuthUser,
    groupId: string,
    memberId: string,
    dto: UpdateMemberDto,
  ): Promise<MemberDto> {
    await this.policy.moderate(groupId, user);
    const saved = await inTransaction(this.dataSource, async (manager) => {
      const membership = await this.memberships.findForUpdate(groupId, memberId, manager);
      if (!membership || membership.status === 'left') {
        throw new CommunitiesException(CommunitiesErrorCode.MemberNotFound);
      }
      if (dto.status === 'active' && membership.status !== 'active') {
        if (membership.status !== 'pending') {
          throw new CommunitiesException(
            CommunitiesErrorCode.AlreadyMember,
            `Only pending requests can be approved; this membership is ${membership.status}.`,
          );
        }
        await this.activate(membership, manager);
      }
      if (dto.role && dto.role !== membership.role) {
        if (membership.status !== 'active') {
          throw new CommunitiesException(
            CommunitiesErrorCode.MemberNotFound,
            'Only active members can change role.',
          );
        }
        if (membership.role === 'moderator') await this.assertAnotherModerator(groupId, manager);
        membership.role = dto.role;
        await this.memberships.save(membership, manager);
      }
      return membership;
    });
    const profiles = await this.users.publicProfiles([memberId]);
    return MemberDto.of(saved, profiles.get(memberId) ?? { id: memberId, handle: '' });
  }

  /** Makes a membership active, counts it and records `group_joined`, in the caller's transaction. */
  private async activate(
    membership: MembershipEntity,
    manager: EntityManager,
  ): Promise<MembershipEntity> {
    membership.status = 'active';
    membership.joinedAt = this.clock.now();
    const saved = await this.memberships.save(membership, manager);
    await this.groups.adjustMemberCount(membership.groupId, 1, manager);
    await this.recorder.record(manager, {
      userId: membership.userId,
      groupId: membership.groupId,
      kind: 'group_joined',
      objectId: membership.groupId,
    });
    return saved;
  }

  private async assertAnotherModerator(groupId: string, manager: EntityManager): Promise<void> {
    if ((await this.memberships.countActiveModerators(groupId, manager)) <= 1) {
      throw new CommunitiesException(
        CommunitiesErrorCode.LastGroupModerator,
        'Make another member moderator first.',
      );
    }
  }
}

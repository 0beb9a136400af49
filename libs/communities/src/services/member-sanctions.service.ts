import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import { Clock } from '@kinship/common';
import { EngagementRecorder } from '@kinship/engagement';
import { CommunitiesErrorCode, CommunitiesException } from '../communities.exception';
import { MEMBERSHIP_ENDED, type MembershipEndedEvent } from '../communities.events';
import type { MembershipEntity } from '../entities/membership.entity';
import { GroupRepository } from '../repositories/group.repository';
import { MembershipRepository } from '../repositories/membership.repository';

/**
 * Mutes and bans, applied by moderation inside its own transaction (the one that also writes the
 * audit entry): every method takes the caller's manager. The access policy enforces the result on
 * every write path.
 */
@Injectable()
export class MemberSanctions {
  constructor(
    private readonly groups: GroupRepository,
    private readonly memberships: MembershipRepository,
    private readonly recorder: EngagementRecorder,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
  ) {}

  /** The member's standing in the group (null when they never joined), read in the transaction. */
  membership(
    groupId: string,
    userId: string,
    manager: EntityManager,
  ): Promise<MembershipEntity | null> {
    return this.memberships.findForUpdate(groupId, userId, manager);
  }

  /** Mutes an active member until `until`, or lifts the mute (null). */
  async mute(
    manager: EntityManager,
    groupId: string,
    userId: string,
    until: Date | null,
  ): Promise<MembershipEntity> {
    const membership = await this.memberships.findForUpdate(groupId, userId, manager);
    if (!membership || membership.status !== 'active') {
      throw new CommunitiesException(
        CommunitiesErrorCode.MemberNotFound,
        'Only active members can be muted or unmuted.',
      );
    }
    membership.mutedUntil = until;
    return this.memberships.save(membership, manager);
  }

  /**
   * Bans from the group: an active membership ends (counted and recorded as `group_left`); someone
   * who never joined or left cannot join again. Call `announceEnded` after the commit.
   */
  async ban(manager: EntityManager, groupId: string, userId: string): Promise<MembershipEntity> {
    const existing = await this.memberships.findForUpdate(groupId, userId, manager);
    if (existing?.status === 'banned') {
      throw new CommunitiesException(CommunitiesErrorCode.AlreadyMember, 'Already banned.');
    }
    const membership =
      existing ??
      this.memberships.create(
        { groupId, userId, status: 'banned', role: 'member', joinedAt: null },
        manager,
      );
    if (existing?.status === 'active') {
      await this.groups.adjustMemberCount(groupId, -1, manager);
      await this.recorder.record(manager, {
        userId,
        groupId,
        kind: 'group_left',
        objectId: groupId,
      });
    }
    membership.status = 'banned';
    membership.role = 'member';
    membership.leftAt = this.clock.now();
    membership.mutedUntil = null;
    return this.memberships.save(membership, manager);
  }

  /** Lifts a ban: the person may ask to join again (the membership reads `left`). */
  async unban(manager: EntityManager, groupId: string, userId: string): Promise<MembershipEntity> {
    const membership = await this.memberships.findForUpdate(groupId, userId, manager);
    if (membership?.status !== 'banned') {
      throw new CommunitiesException(CommunitiesErrorCode.MemberNotFound, 'No ban to lift.');
    }
    membership.status = 'left';
    return this.memberships.save(membership, manager);
  }

  /** After the commit of a ban: live sockets leave the group's rooms, on every process. */
  announceEnded(groupId: string, userId: string): void {
    this.events.emit(MEMBERSHIP_ENDED, { groupId, userId } satisfies MembershipEndedEvent);
  }
}

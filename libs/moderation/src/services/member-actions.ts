import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import { Clock } from '@kinship/common';
import { MemberSanctions } from '@kinship/communities';
import { UserService } from '@kinship/identity';
import { MEMBER_MUTE_CHANGED, type MemberMuteChangedEvent } from '../moderation.events';
import { ModerationErrorCode, ModerationException } from '../moderation.exception';
import type { AfterCommit } from './after-commit';
import { NoticeService } from './notice.service';

export type MemberAction = 'warn' | 'mute' | 'unmute' | 'ban' | 'unban' | 'suspend';

export interface MemberActionInput {
  action: MemberAction;
  actorId: string;
  userId: string;
  /** The group of a warning (optional), mute, unmute, ban or unban. */
  groupId: string | null;
  reason: string;
  durationMinutes?: number;
  /** The content that led to it, named in the member's notice. */
  content?: { type: string; id: string };
}

export interface MemberActionOutcome {
  mutedUntil?: string | null;
  suspendedUntil?: string;
}

/** A suspension without an end: until an admin lifts it. */
const INDEFINITELY = new Date('9999-12-31T23:59:59.999Z');

/**
 * Actions on a person, applied in the caller's transaction through the owning libraries
 * (communities for mutes and bans, identity for suspensions); effects after the commit.
 */
@Injectable()
export class MemberActions {
  constructor(
    private readonly sanctions: MemberSanctions,
    private readonly users: UserService,
    private readonly notices: NoticeService,
    private readonly events: EventEmitter2,
    private readonly clock: Clock,
  ) {}

  /**
   * Before the transaction: nobody acts on themselves, and mutes and bans are for members, never
   * for platform staff (who moderate every group).
   */
  async assertActionable(
    input: Pick<MemberActionInput, 'action' | 'actorId' | 'userId'>,
  ): Promise<void> {
    if (input.userId === input.actorId) {
      throw new ModerationException(ModerationErrorCode.OwnAccount);
    }
    if (input.action === 'mute' || input.action === 'ban') {
      const target = await this.users.get(input.userId);
      if (target.role === 'admin' || target.role === 'moderator') throw isModerator();
    }
  }

  async apply(
    manager: EntityManager,
    input: MemberActionInput,
    after: AfterCommit,
  ): Promise<MemberActionOutcome> {
    const { userId, groupId } = input;
    if (input.action === 'mute' || input.action === 'ban') {
      // In the transaction: the group's own moderators are not muted or banned either.
      const membership = await this.sanctions.membership(groupId!, userId, manager);
      if (membership?.status === 'active' && membership.role === 'moderator') throw isModerator();
    }
    const notice = (kind: 'warning' | 'mute' | 'ban', until?: Date) =>
      this.notices.create(
        manager,
        {
          userId,
          kind,
          groupId,
          targetType: input.content?.type,
          targetId: input.content?.id,
          reason: input.reason,
          until,
        },
        after,
      );
    switch (input.action) {
      case 'warn':
        await notice('warning');
        return {};
      case 'mute':
      case 'unmute': {
        const until =
          input.action === 'mute'
            ? new Date(this.clock.now().getTime() + input.durationMinutes! * 60_000)
            : null;
        await this.sanctions.mute(manager, groupId!, userId, until);
        if (until) await notice('mute', until);
        const event: MemberMuteChangedEvent = {
          groupId: groupId!,
          userId,
          mutedUntil: until?.toISOString() ?? null,
        };
        after.add(() => this.events.emit(MEMBER_MUTE_CHANGED, event));
        return { mutedUntil: event.mutedUntil };
      }
      case 'ban':
        await this.sanctions.ban(manager, groupId!, userId);
        await notice('ban');
        after.add(() => this.sanctions.announceEnded(groupId!, userId));
        return {};
      case 'unban':
        await this.sanctions.unban(manager, groupId!, userId);
        return {};
      case 'suspend': {
        const until = input.durationMinutes
          ? new Date(this.clock.now().getTime() + input.durationMinutes * 60_000)
          : INDEFINITELY;
        await this.users.adminUpdate(input.actorId, userId, { suspendedUntil: until }, manager);
        after.add(() => this.users.announceAccessRevoked(userId));
        return { suspendedUntil: until.toISOString() };
      }
    }
  }
}

function isModerator(): ModerationException {
  return new ModerationException(
    ModerationErrorCode.TargetIsModerator,
    'Moderators are not muted or banned: change their group role first, or ask an admin.',
  );
}

import { Injectable } from '@nestjs/common';
import type { AuthUser } from '@kinship/identity';
import { CommunitiesErrorCode, CommunitiesException } from '../communities.exception';
import type { GroupEntity } from '../entities/group.entity';
import type { MembershipEntity } from '../entities/membership.entity';
import { GroupRepository } from '../repositories/group.repository';
import { MembershipRepository } from '../repositories/membership.repository';

export interface GroupAccess {
  group: GroupEntity;
  membership: MembershipEntity | null;
  /** Active group moderator, or platform staff who moderate everywhere (moderator, admin). */
  isModerator: boolean;
}

/** Platform moderators and admins oversee every group. */
const isPlatformStaff = (user?: AuthUser) => user?.role === 'admin' || user?.role === 'moderator';

/**
 * The one access policy of groups and everything in them (threads, posts, members, chat):
 * - a private group and its content are a 404 to anyone who is not an active member;
 * - a banned member reads public groups like anyone, but writes nowhere in the group;
 * - only active members write, unless a moderator muted them (until the mute ends);
 * - moderators moderate.
 */
@Injectable()
export class GroupAccessPolicy {
  constructor(
    private readonly groups: GroupRepository,
    private readonly memberships: MembershipRepository,
  ) {}

  /** The group, if the caller may see it; otherwise 404 whether or not it exists. */
  async view(groupId: string, user: AuthUser | undefined): Promise<GroupAccess> {
    const found = await this.groups.findWithMembership(groupId, user?.id);
    if (!found || !canView(found.group, found.membership, user)) throw notFound();
    return { ...found, isModerator: isModerator(found.membership, user) };
  }

  /** The group, if the caller may write in it (post, react, chat). */
  async write(groupId: string, user: AuthUser): Promise<GroupAccess> {
    const access = await this.view(groupId, user);
    assertCanWrite(access);
    return access;
  }

  /** The group, if the caller moderates it. */
  async moderate(groupId: string, user: AuthUser): Promise<GroupAccess> {
    const access = await this.view(groupId, user);
    if (!access.isModerator) {
      throw new CommunitiesException(CommunitiesErrorCode.GroupModeratorRequired);
    }
    return access;
  }

  /** Which groups' moderation the user does: 'all' for platform moderators and admins. */
  async moderatedGroups(user: AuthUser): Promise<'all' | string[]> {
    if (isPlatformStaff(user)) return 'all';
    return this.memberships.groupIdsModeratedBy(user.id);
  }
}

export function canView(
  group: GroupEntity,
  membership: MembershipEntity | null,
  user?: AuthUser,
): boolean {
  if (group.visibility === 'public' || isPlatformStaff(user)) return true;
  return membership?.status === 'active';
}

export function isModerator(membership: MembershipEntity | null, user?: AuthUser): boolean {
  return (
    isPlatformStaff(user) || (membership?.status === 'active' && membership.role === 'moderator')
  );
}

/** Active, not muted members write (a mute ends by itself at `mutedUntil`). */
export function assertCanWrite(access: GroupAccess, now = new Date()): void {
  const status = access.membership?.status;
  if (status === 'active') {
    const until = mutedUntil(access.membership, now);
    if (until) {
      throw new CommunitiesException(
        CommunitiesErrorCode.Muted,
        `A moderator muted you in this group until ${until.toISOString()}.`,
        undefined,
        { mutedUntil: until.toISOString() },
      );
    }
    return;
  }
  if (status === 'banned') throw new CommunitiesException(CommunitiesErrorCode.Banned);
  if (status === 'pending') throw new CommunitiesException(CommunitiesErrorCode.MembershipPending);
  throw new CommunitiesException(CommunitiesErrorCode.NotAMember);
}

/** The end of a mute still running, else null. */
export function mutedUntil(
  membership: Pick<MembershipEntity, 'mutedUntil'> | null,
  now = new Date(),
): Date | null {
  const until = membership?.mutedUntil;
  return until && until > now ? until : null;
}

export function notFound(): CommunitiesException {
  return new CommunitiesException(
    CommunitiesErrorCode.GroupNotFound,
    'The group does not exist or is not visible to you.',
  );
}

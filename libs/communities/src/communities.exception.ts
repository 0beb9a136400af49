import { AppException, type FieldError, type ProblemSpec } from '@kinship/common';

export enum CommunitiesErrorCode {
  GroupNotFound = 'group-not-found',
  SlugTaken = 'slug-taken',
  NotAMember = 'not-a-member',
  MembershipPending = 'membership-pending',
  AlreadyMember = 'already-member',
  Banned = 'banned-from-group',
  GroupModeratorRequired = 'group-moderator-required',
  MemberNotFound = 'member-not-found',
  LastGroupModerator = 'last-group-moderator',
  Muted = 'muted',
}

const COMMUNITIES_PROBLEMS: Record<CommunitiesErrorCode, ProblemSpec> = {
  // A private group the caller may not see is "not found", never "forbidden".
  [CommunitiesErrorCode.GroupNotFound]: { status: 404, title: 'Group not found' },
  [CommunitiesErrorCode.SlugTaken]: { status: 409, title: 'Slug already taken' },
  [CommunitiesErrorCode.NotAMember]: { status: 403, title: 'Join the group first' },
  [CommunitiesErrorCode.MembershipPending]: {
    status: 403,
    title: 'Your membership awaits approval',
  },
  [CommunitiesErrorCode.AlreadyMember]: { status: 409, title: 'Already a member' },
  [CommunitiesErrorCode.Banned]: { status: 403, title: 'You are banned from this group' },
  [CommunitiesErrorCode.GroupModeratorRequired]: {
    status: 403,
    title: "Only the group's moderators may do this",
  },
  [CommunitiesErrorCode.MemberNotFound]: { status: 404, title: 'Member not found' },
  [CommunitiesErrorCode.LastGroupModerator]: {
    status: 409,
    title: 'The group needs at least one moderator',
  },
  [CommunitiesErrorCode.Muted]: { status: 403, title: 'You are muted in this group' },
};

export class CommunitiesException extends AppException {
  constructor(
    code: CommunitiesErrorCode,
    detail?: string,
    errors?: FieldError[],
    extensions?: Record<string, unknown>,
  ) {
    super(code, COMMUNITIES_PROBLEMS[code], detail, errors, extensions);
  }
}

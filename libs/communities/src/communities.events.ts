/** Emitted (in-process) after a membership stopped being active: left, removed or banned. */
export const MEMBERSHIP_ENDED = 'membership.ended';

export interface MembershipEndedEvent {
  groupId: string;
  userId: string;
}

export * from './communities.module';
export * from './communities.exception';
export { GroupService } from './services/group.service';
export { MemberSanctions } from './services/member-sanctions.service';
export { MembershipDirectory, type MembershipSummary } from './services/membership-directory';
export {
  GroupAccessPolicy,
  type GroupAccess,
  canView,
  isModerator,
  assertCanWrite,
  mutedUntil,
} from './services/group-access.policy';
export { GroupEntity, type GroupVisibility, type JoinPolicy } from './entities/group.entity';
export {
  MembershipEntity,
  type MembershipStatus,
  type GroupRole,
} from './entities/membership.entity';
export * from './communities.events';

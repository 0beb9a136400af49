export * from './communities.module';
export * from './communities.exception';
export { GroupService } from './services/group.service';
export {
  GroupAccessPolicy,
  type GroupAccess,
  canView,
  isModerator,
  assertCanWrite,
} from './services/group-access.policy';
export { GroupEntity, type GroupVisibility, type JoinPolicy } from './entities/group.entity';
export {
  MembershipEntity,
  type MembershipStatus,
  type GroupRole,
} from './entities/membership.entity';
export * from './communities.events';

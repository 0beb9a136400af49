/** Emitted (in-process) when a member must lose access at once: suspension, erasure. */
export const USER_ACCESS_REVOKED = 'user.access-revoked';

export interface UserAccessRevokedEvent {
  userId: string;
}

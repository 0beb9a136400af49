/** Platform roles; group roles live with memberships in the communities library. */
export const PLATFORM_ROLES = ['member', 'moderator', 'researcher', 'admin'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

/** Staff roles whose every action is sensitive. */
export const STAFF_ROLES: readonly PlatformRole[] = ['moderator', 'researcher', 'admin'];

/** Who is calling, as every guarded handler and socket sees it. */
export interface AuthUser {
  id: string;
  handle: string;
  role: PlatformRole;
  /** The refresh-token family (login session) the access token belongs to. */
  sessionId: string;
}

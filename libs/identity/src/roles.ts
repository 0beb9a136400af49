/** Platform roles; group roles live with memberships in the communities library. */
export const PLATFORM_ROLES = ['member', 'moderator', 'researcher', 'admin'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

/** Staff roles whose every action is sensitive: they act only after a two-factor sign-in. */
export const STAFF_ROLES: readonly PlatformRole[] = ['moderator', 'researcher', 'admin'];

export const isStaffRole = (role: PlatformRole): boolean => STAFF_ROLES.includes(role);

/** Who is calling, as every guarded handler and socket sees it. */
export interface AuthUser {
  id: string;
  handle: string;
  /**
   * The platform role this request acts with. A staff role counts only when the session's
   * sign-in passed a second factor; until then the caller acts as a `member` (see `heldRole`).
   */
  role: PlatformRole;
  /** The staff role the account holds but may not use yet (sign-in without a second factor). */
  heldRole?: PlatformRole;
  /** True when the session's sign-in passed a second factor (token claim `amr` has `mfa`). */
  twoFactor?: boolean;
  /** The refresh-token family (login session) the access token belongs to. */
  sessionId: string;
}

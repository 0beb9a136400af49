/** Emitted (in-process) when a member must lose access at once: suspension, erasure. */
export const USER_ACCESS_REVOKED = 'user.access-revoked';

export interface UserAccessRevokedEvent {
  userId: string;
}

/** Emitted (in-process) when a reader first goes over the read limit in a window (scraping). */
export const READ_RATE_EXCEEDED = 'identity.read-rate-exceeded';

export interface ReadRateExceededEvent {
  /** Null for an anonymous reader (limited by IP address; nobody to report). */
  userId: string | null;
  reads: number;
  windowSeconds: number;
}

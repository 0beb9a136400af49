/**
 * The engagement metrics of shared/RESEARCH.md, exact and unsuppressed (research applies
 * k-suppression on top). Every definition is in libs/engagement/METRICS.md.
 */

export interface MetricsQuery {
  groupIds: readonly string[];
  /** Window start, inclusive. */
  from: Date;
  /** Window end, exclusive. */
  to: Date;
  /** Contributions in the window that make a poster (default 1; 4 = "≤ 3 posts is a lurker"). */
  posterMinContributions: number;
  /** User ids of the participants; null = every member of the groups. */
  participants: readonly string[] | null;
}

export type EngagementClass = 'poster' | 'lurker' | 'inactive';
export type ContributorTier = 'superuser' | 'contributor' | 'other';

/** Median and mean over every classified member of the group (zeros included). */
export interface PerMember {
  median: number | null;
  mean: number | null;
}

export interface WeeklyRetention {
  /** Week k after joining: whole UTC days [joinDay + 7k, joinDay + 7k + 7). */
  week: number;
  /** Newcomers whose week k ended by the window's end. */
  eligible: number;
  /** Of those, the ones with a read or a contribution in the group in that week. */
  active: number;
  share: number | null;
}

export interface GroupMetrics {
  groupId: string;
  /** Classified members: participants whose membership overlapped the window. */
  members: number;
  posters: number;
  lurkers: number;
  inactive: number;
  lurkerShare: number | null;
  superusers: number;
  contributors: number;
  contributions: {
    total: number;
    threads: number;
    posts: number;
    chatMessages: number;
    perMember: PerMember;
  };
  reads: { total: number; threadReads: number; chatReads: number; perMember: PerMember };
  reactions: number;
  gini: number | null;
  top1Share: number | null;
  top10Share: number | null;
  /** Threads started in the window by classified members. */
  threadsStarted: number;
  /** Of those, the ones replied to by someone else before the window's end. */
  threadsAnswered: number;
  medianHoursToFirstReply: number | null;
  newcomers: {
    /** Classified members whose first membership began in the window. */
    count: number;
    /** Newcomers whose first contribution in the group fell in the window. */
    withFirstContribution: number;
    /** Of those, the ones whose first contribution got a reply before the window's end. */
    replied: number;
    medianHoursToReply: number | null;
  };
  delurked: number;
  weeklyRetention: WeeklyRetention[];
}

export interface MemberSummary {
  userId: string;
  groupId: string;
  class: EngagementClass;
  /** Posters only; null for lurkers and inactive members. */
  tier: ContributorTier | null;
  contributions: number;
  threads: number;
  posts: number;
  chatMessages: number;
  reads: number;
  threadReads: number;
  chatReads: number;
  reactions: number;
  /** Start of the member's first membership period in the group. */
  joinedAt: Date;
  /** End of the last membership period when it ended before the window's end; else null. */
  leftAt: Date | null;
  /** The first membership began in the window. */
  newcomer: boolean;
  /** The member's first contribution in the group before the window's end (ever, not only in it). */
  firstContributionAt: Date | null;
  /**
   * When that first contribution fell in the window: hours until the first reply by someone else
   * in its conversation, if one came before the window's end; otherwise null.
   */
  hoursToFirstReply: number | null;
  /** First contribution in the window after at least 4 weeks of membership with reads only. */
  delurked: boolean;
}

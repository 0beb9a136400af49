import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Derived from engagement_events by the roll-up (EngagementRollup), never written elsewhere: they
 * can be dropped and rebuilt from the log at any time. The metrics read them for the events at or
 * below the watermark and read the log itself for the rest, so answers are exact either way.
 */

/** Counts per member, group and UTC day: the source of the members' activity arrays. */
@Entity('engagement_member_days')
export class EngagementMemberDayEntity {
  @PrimaryColumn({ name: 'group_id', type: 'uuid' })
  groupId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @Column({ type: 'integer', default: 0 })
  threads: number;

  @Column({ type: 'integer', default: 0 })
  posts: number;

  @Column({ name: 'chat_messages', type: 'integer', default: 0 })
  chatMessages: number;

  @Column({ name: 'thread_reads', type: 'integer', default: 0 })
  threadReads: number;

  @Column({ name: 'chat_reads', type: 'integer', default: 0 })
  chatReads: number;

  @Column({ type: 'integer', default: 0 })
  reactions: number;
}

/** A member's standing and "firsts" in a group, whatever the window. */
@Entity('engagement_members')
@Index('engagement_members_first_context_idx', ['firstContributionContextId', 'firstReplyAt'], {
  where: '"first_contribution_context_id" IS NOT NULL',
})
export class EngagementMemberEntity {
  @PrimaryColumn({ name: 'group_id', type: 'uuid' })
  groupId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** Membership periods from group_joined / group_left, as [joined, left) ranges. */
  @Column({ type: 'tstzmultirange', nullable: true })
  memberships: string | null;

  @Column({ name: 'first_joined_at', type: 'timestamptz', nullable: true })
  firstJoinedAt: Date | null;

  @Column({ name: 'first_read_at', type: 'timestamptz', nullable: true })
  firstReadAt: Date | null;

  @Column({ name: 'first_contribution_at', type: 'timestamptz', nullable: true })
  firstContributionAt: Date | null;

  /** The event id breaks ties between contributions at the same instant. */
  @Column({ name: 'first_contribution_event_id', type: 'bigint', nullable: true })
  firstContributionEventId: string | null;

  @Column({ name: 'first_contribution_context_id', type: 'uuid', nullable: true })
  firstContributionContextId: string | null;

  /** The first later contribution by someone else in that conversation. */
  @Column({ name: 'first_reply_at', type: 'timestamptz', nullable: true })
  firstReplyAt: Date | null;

  /**
   * The member's days with counted events, ascending, and the cumulative counts through each of
   * them, two per bigint (high and low 32 bits): threads|posts, chat messages|thread reads,
   * chat reads|reactions. The counts of any range of whole days are then two binary searches
   * and a subtraction per member, however long the range (width_bucket over `days`).
   */
  @Column({ type: 'date', array: true, nullable: true })
  days: string[] | null;

  @Column({ name: 'cum_a', type: 'bigint', array: true, nullable: true })
  cumA: string[] | null;

  @Column({ name: 'cum_b', type: 'bigint', array: true, nullable: true })
  cumB: string[] | null;

  @Column({ name: 'cum_c', type: 'bigint', array: true, nullable: true })
  cumC: string[] | null;

  /** Weeks since the UTC day of first_joined_at with a read or contribution (retention). */
  @Column({ name: 'active_weeks', type: 'smallint', array: true, nullable: true })
  activeWeeks: number[] | null;

  /** The same weeks 0 to 62 as bits of one number, which the retention counts test fast. */
  @Column({ name: 'active_week_bits', type: 'bigint', nullable: true })
  activeWeekBits: string | null;
}

/** Each thread's start and first reply by someone other than its author. */
@Entity('engagement_threads')
@Index('engagement_threads_group_created_idx', ['groupId', 'createdAt'])
export class EngagementThreadEntity {
  @PrimaryColumn({ name: 'thread_id', type: 'uuid' })
  threadId: string;

  @Column({ name: 'group_id', type: 'uuid' })
  groupId: string;

  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'created_event_id', type: 'bigint' })
  createdEventId: string;

  @Column({ name: 'first_reply_at', type: 'timestamptz', nullable: true })
  firstReplyAt: Date | null;
}

/**
 * The roll-up's watermark: every event with (tx_id, id) at or below it is in the tables above,
 * none above it is. One row.
 */
@Entity('engagement_rollup_state')
export class EngagementRollupStateEntity {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Column({ name: 'tx_id', type: 'bigint' })
  txId: string;

  @Column({ name: 'event_id', type: 'bigint' })
  eventId: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

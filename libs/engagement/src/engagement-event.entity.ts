import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The kinds of shared/RESEARCH.md; contributions are the *_created and *_sent kinds. */
export const EVENT_KINDS = [
  'thread_read',
  'chat_read',
  'thread_created',
  'post_created',
  'chat_message_sent',
  'reaction_given',
  'group_joined',
  'group_left',
  'visit',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const CONTRIBUTION_KINDS: readonly EventKind[] = [
  'thread_created',
  'post_created',
  'chat_message_sent',
];
export const READ_KINDS: readonly EventKind[] = ['thread_read', 'chat_read'];

/**
 * The writing transaction's id as a bigint: pg_current_xact_id() (xid8, with its epoch) through a
 * SQL function of the migration, because a cast in a column default reads back differently.
 */
const TX_ID_DEFAULT = 'engagement_tx_id()';

/**
 * One engagement fact, append-only: who, where, what, which object, when (server time). The
 * application has no path that updates or deletes a row.
 */
@Entity('engagement_events')
@Check(
  'engagement_events_kind_check',
  `"kind" IN ('thread_read', 'chat_read', 'thread_created', 'post_created', 'chat_message_sent', 'reaction_given', 'group_joined', 'group_left', 'visit')`,
)
@Index('engagement_events_group_time_idx', ['groupId', 'occurredAt'])
@Index('engagement_events_user_time_idx', ['userId', 'occurredAt'])
// The conversations' contributions in order: "the first reply by someone else" is one index probe.
@Index('engagement_events_context_time_idx', ['contextId', 'occurredAt', 'id'], {
  where: '"context_id" IS NOT NULL',
})
// Membership periods are rebuilt from these few rows, never from a member's whole history.
@Index('engagement_events_membership_idx', ['groupId', 'userId', 'occurredAt'], {
  where: `"kind" IN ('group_joined', 'group_left')`,
})
// The roll-up reads the log in (transaction, id) order above its watermark.
@Index('engagement_events_tx_idx', ['txId', 'id'])
export class EngagementEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** Null only for `visit`, which belongs to no group. */
  @Column({ name: 'group_id', type: 'uuid', nullable: true })
  groupId: string | null;

  @Column({ type: 'varchar', length: 30 })
  kind: EventKind;

  /** The thread, post, message or reaction target the event is about. */
  @Column({ name: 'object_id', type: 'uuid', nullable: true })
  objectId: string | null;

  /**
   * The conversation a contribution belongs to: the thread for `thread_created` and
   * `post_created`, the group (its chat) for `chat_message_sent`; null for other kinds. A reply is
   * a later contribution by someone else in the same conversation (libs/engagement/METRICS.md).
   */
  @Column({ name: 'context_id', type: 'uuid', nullable: true })
  contextId: string | null;

  /**
   * The id (xid8, as bigint) of the transaction that wrote the event. Identity values are taken
   * before commit, so ids can commit out of order; the roll-up takes only events of transactions
   * that have ended (below the oldest running transaction), which no later commit can precede.
   */
  @Column({
    name: 'tx_id',
    type: 'bigint',
    default: () => TX_ID_DEFAULT,
    insert: false,
    update: false,
  })
  txId: string;
}

/**
 * The last counted read of an object by a member (and the counted visit days), so that repeated
 * reads within the dedup window count once, exactly, across every api process.
 */
@Entity('engagement_read_marks')
export class EngagementReadMarkEntity {
  @Column({ name: 'user_id', type: 'uuid', primary: true })
  userId: string;

  /** `thread:<uuid>`, `chat:<groupId>` or `visit:<yyyy-mm-dd>`. */
  @Column({ name: 'object_key', type: 'varchar', length: 80, primary: true })
  objectKey: string;

  @Column({ name: 'counted_at', type: 'timestamptz' })
  countedAt: Date;
}

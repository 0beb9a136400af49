import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { GroupEntity } from '@kinship/communities';
import type { Category, ScreeningReason } from '../screening/screening.types';

export const TARGET_TYPES = ['post', 'thread', 'message', 'user'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

/** `report`: a member reported it; `held` and `flag`: screening did. */
export type QueueItemKind = 'report' | 'held' | 'flag';
export type QueueItemStatus = 'open' | 'resolved';

/**
 * One item of the moderation queue: a member's report, content screening held, or content it
 * flagged. Held content lives in its own table (posts, chat_messages) with status
 * `pending_review`; this row is what puts it in front of moderators, in urgency order.
 */
@Entity('moderation_reports')
@Check('moderation_reports_kind_check', `"kind" IN ('report', 'held', 'flag')`)
@Check('moderation_reports_status_check', `"status" IN ('open', 'resolved')`)
@Check(
  'moderation_reports_target_type_check',
  `"target_type" IN ('post', 'thread', 'message', 'user')`,
)
@Check(
  'moderation_reports_reason_check',
  `"reason" IN ('spam', 'harassment', 'misinformation', 'self_harm', 'privacy', 'other')`,
)
// The queue: most urgent first, then oldest first.
@Index('moderation_reports_queue_idx', ['status', 'urgency', 'createdAt', 'id'])
@Index('moderation_reports_target_idx', ['targetId'])
// One open report per reporter and target (a second one is a 409).
@Index('moderation_reports_open_per_reporter_key', ['reporterId', 'targetType', 'targetId'], {
  unique: true,
  where: `"status" = 'open' AND "reporter_id" IS NOT NULL`,
})
export class ModerationReportEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 10 })
  kind: QueueItemKind;

  /** The target's group; null for a report of a user (platform moderators handle those). */
  @Column({ name: 'group_id', type: 'uuid', nullable: true })
  groupId: string | null;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'moderation_reports_group_id_fkey' })
  group?: GroupEntity;

  @Column({ name: 'target_type', type: 'varchar', length: 10 })
  targetType: TargetType;

  @Column({ name: 'target_id', type: 'uuid' })
  targetId: string;

  @Column({ type: 'varchar', length: 20 })
  reason: Category;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  details: string | null;

  /** Null when screening raised it. */
  @Column({ name: 'reporter_id', type: 'uuid', nullable: true })
  reporterId: string | null;

  /** Screening's reasons (rules and detectors that fired). */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  reasons: ScreeningReason[];

  /** Lower is more urgent (URGENCY of the reason). */
  @Column({ type: 'smallint' })
  urgency: number;

  @Column({ type: 'varchar', length: 10, default: 'open' })
  status: QueueItemStatus;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', precision: 3, nullable: true })
  resolvedAt: Date | null;

  @Column({ name: 'resolved_by', type: 'uuid', nullable: true })
  resolvedBy: string | null;

  /** `approved`, `rejected`, or why else it was closed. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  resolution: string | null;

  @Column({ name: 'resolution_reason', type: 'varchar', length: 2000, nullable: true })
  resolutionReason: string | null;
}
